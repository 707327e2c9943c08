"""`make pictures` keeps working: the README's images (map, static export, story page) can always be regenerated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import chromium_path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pictures.py"


def test_pictures_script_writes_every_image(tmp_path):
    # a separate process: Playwright's sync API cannot start twice in one thread
    env = {**os.environ, "PARTNERMAP_CHROMIUM": chromium_path()}
    proc = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], env=env, capture_output=True, text=True,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    names = ("map.png", "static.png", "story.png")
    assert proc.stdout.split() == [str(tmp_path / name) for name in names]
    for name in names:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 50_000


def test_the_readme_shows_exactly_the_pictures_the_script_makes():
    import re

    readme = (SCRIPT.parents[1] / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\(docs/img/([\w-]+\.png)\)", readme))
    assert shown == {"map.png", "static.png", "story.png"}
    assert all((SCRIPT.parents[1] / "docs" / "img" / name).is_file() for name in shown)
