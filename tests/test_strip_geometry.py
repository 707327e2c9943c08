"""scripts/strip_geometry.py: drop every derivable geometry, nothing else; the bundled data keeps its shapes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import shapely

from partnermap import load
from partnermap.basemap import shapes
from partnermap.reader import default_path

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


strip = _script("strip_geometry")


def geometry_lines_dropped(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.lstrip().startswith('"geometry"')]


def test_the_bundled_file_has_no_derivable_geometry():
    assert strip.main([str(default_path()), "--check"]) == 0


def test_stripping_a_filled_file_changes_only_geometry_lines(tmp_path):
    bg = _script("build_geometry")
    world = {cid: bg.Country(cid, cid, g) for cid, g in shapes().items()}
    path = tmp_path / "partners.geojson"
    original = bg.partners_text(default_path().read_text(encoding="utf-8"), world)
    path.write_text(original, encoding="utf-8")
    assert strip.main([str(path), "--check"]) == 1
    assert strip.main([str(path)]) == 0
    after = path.read_text(encoding="utf-8")
    assert geometry_lines_dropped(after) == geometry_lines_dropped(original)
    assert all(f["geometry"] is None for f in json.loads(after)["features"])
    assert strip.main([str(path), "--check"]) == 0
    assert len(after) < len(original) / 2


def test_the_stripped_bundled_file_gets_the_territories_the_script_writes(tmp_path):
    """A file without geometries gives the same territories as one with them (as the script now fills them)."""
    bg = _script("build_geometry")
    path = tmp_path / "partners.geojson"
    path.write_text(strip.stripped(default_path().read_text(encoding="utf-8"))[0], encoding="utf-8")
    world = {cid: bg.Country(cid, cid, g) for cid, g in shapes().items()}
    filled = tmp_path / "filled.geojson"
    filled.write_text(bg.partners_text(path.read_text(encoding="utf-8"), world), encoding="utf-8")
    bare, full = load(path), load(filled)
    assert [p.id for p in bare.partners] == [p.id for p in load().partners]
    for a, b in zip(bare.partners, full.partners, strict=True):
        assert a.derived and not b.derived
        assert shapely.equals_exact(a.geometry, b.geometry, tolerance=0), a.id


def test_a_territory_the_package_cannot_derive_is_kept():
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []},
         "properties": {"id": "SJM", "kind": "state"}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []},
         "properties": {"id": "AUS", "kind": "state"}}]}
    out, n = strip.stripped(json.dumps(doc))
    kept = json.loads(out)["features"]
    assert n == 1 and kept[0]["geometry"] is not None and kept[1]["geometry"] is None
