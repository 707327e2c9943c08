"""A view written back as a partner file loads again, in partnermap and in GDAL."""

from __future__ import annotations

import json

import pyogrio

from partnermap.checks import check_document
from partnermap.cli import main
from partnermap.dump import dumps, to_feature_collection
from partnermap.filters import select


def test_round_trip_is_identical(minimal):
    doc = to_feature_collection(minimal)
    again, problems = check_document(json.loads(json.dumps(doc)), "again")
    assert problems == []
    assert again.ties == minimal.ties
    assert [p.id for p in again.partners] == [p.id for p in minimal.partners]
    assert all(a.geometry.equals(b.geometry) for a, b in zip(again.partners, minimal.partners))
    assert to_feature_collection(again) == doc


def test_snapshot_dump_validates_as_of_its_day(minimal):
    view = select(minimal, as_of="2023-09-30")
    doc = json.loads(dumps(view))
    assert doc["metadata"]["as_of"] == "2023-09-30"
    again, problems = check_document(doc, "snapshot")
    assert problems == []
    assert {t.id: t.status.value for t in again.ties}["GBR-RAA"] == "signed"


def test_list_geojson_reads_in_gdal(runner, minimal_path, tmp_path):
    result = runner.invoke(main, ["list", str(minimal_path), "--format", "geojson", "--category", "security"])
    assert result.exit_code == 0
    out = tmp_path / "view.geojson"
    out.write_text(result.output)
    frame = pyogrio.read_dataframe(out)
    assert list(frame["id"]) == ["AUS", "USA", "GBR", "QUAD"]
    assert frame.geometry.notna().all()
    ties = frame.loc[frame["id"] == "GBR", "ties"].iloc[0]
    ties = json.loads(ties) if isinstance(ties, str) else ties  # GDAL gives a JSON string or a list
    assert [t["id"] for t in ties] == ["GBR-RAA", "GBR-ACSA"]


def test_to_geodataframe(minimal):
    from partnermap import to_geodataframe

    frame = to_geodataframe(select(minimal, as_of="2023-09-30"))
    assert list(frame["id"]) == ["AUS", "USA", "GBR", "QUAD"]
    assert frame.crs.to_epsg() == 4326
    gbr = frame.set_index("id").loc["GBR"]
    assert (gbr["security"], gbr["economic"], gbr["ties"]) == (2, 0, "GBR-RAA,GBR-ACSA")
    assert frame.geometry.is_valid.all()


def test_to_geodataframe_has_a_name_column_per_language_of_the_file(minimal):
    """name_<lang> for each language the file's partner names come in, not a fixed name_ja."""
    import dataclasses

    from partnermap import to_geodataframe

    bare = dataclasses.replace(minimal, partners=tuple(dataclasses.replace(p, translations=())
                                                       for p in minimal.partners))
    assert not any(c.startswith("name_") for c in to_geodataframe(bare).columns)  # English names only: no column
    partners = tuple(dataclasses.replace(p, translations=(("name", "fr", f"{p.name} (fr)"),)) if p.id == "AUS"
                     else dataclasses.replace(p, translations=(("name", "ja", "英国"),)) if p.id == "GBR" else p
                     for p in bare.partners)
    data = dataclasses.replace(minimal, partners=partners)
    frame = to_geodataframe(select(data, partners=["USA"])).set_index("id")  # a view: the file's languages
    assert [c for c in frame.columns if c.startswith("name_")] == ["name_fr", "name_ja"]
    assert frame["name_fr"].isna().all()
    full = to_geodataframe(data).set_index("id")
    assert (full.loc["AUS", "name_fr"], full.loc["GBR", "name_ja"]) == ("Australia (fr)", "英国")


def test_a_file_from_codes_dumps_back_to_codes_or_to_full_geojson():
    from pathlib import Path

    from partnermap import load
    from partnermap.checks import check
    from partnermap.dump import to_feature_collection

    path = Path(__file__).parent / "data" / "australia.geojson"
    data = load(path)
    bare = to_feature_collection(data, derived=False)
    original = json.loads(path.read_text(encoding="utf-8"))
    assert bare == original  # nothing the package derives is written back
    full = to_feature_collection(data)
    assert all(f["geometry"] is not None and "anchor" in f["properties"] for f in full["features"])
    again = check(json.loads(json.dumps(full)), "full")
    assert again.problems == () and again.warnings == ()
    assert again.dataset.ties == data.ties
