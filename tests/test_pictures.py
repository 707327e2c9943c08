"""`make pictures` keeps working: the README's images can always be regenerated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import chromium_path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pictures.py"


def test_pictures_script_writes_both_images(tmp_path):
    # a separate process: Playwright's sync API cannot start twice in one thread
    env = {**os.environ, "PARTNERMAP_CHROMIUM": chromium_path()}
    proc = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], env=env, capture_output=True, text=True,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(tmp_path / "map.png"), str(tmp_path / "static.png")]
    for name in ("map.png", "static.png"):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 50_000
