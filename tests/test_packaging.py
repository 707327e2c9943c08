"""The wheel carries what a non-editable install needs: the dataset, the basemap, the map script."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contains_data_and_assets(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("partnermap-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    from partnermap.render import JS_FILES

    scripts = tuple(f"partnermap/assets/js/{name}" for name in JS_FILES)
    for needed in ("partnermap/data/partners.geojson", "partnermap/assets/world.geojson", *scripts,
                   "partnermap/assets/partnermap.css", "partnermap/locales/en.json", "partnermap/locales/ja.json",
                   "partnermap/assets/capitals.csv", "partnermap/assets/country_names.csv",
                   "partnermap/cli.py"):
        assert needed in names, needed
    bundled = zipfile.ZipFile(wheel).read("partnermap/data/partners.geojson")
    assert bundled == (ROOT / "data" / "partners.geojson").read_bytes()
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "partnermap = partnermap.cli:run" in zipfile.ZipFile(wheel).read(entry).decode()
