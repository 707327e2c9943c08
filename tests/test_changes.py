"""changes.py (partnermap diff): added, removed and changed, field by field; text, Markdown, JSON; --exit-code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from partnermap import load
from partnermap.changes import diff, format_diff
from partnermap.cli import main
from partnermap.reader import default_path

CANADA = {"type": "Feature", "geometry": None, "properties": {
    "id": "CAN", "name": "Canada", "kind": "state", "ties": [{
        "id": "CAN-ACSA", "title": "Japan–Canada ACSA", "category": "security", "type": "acsa", "status": "signed",
        "dates": {"signed": "2018-04-21"}, "summary": "Logistics support.",
        "sources": [{"title": "A test source", "publisher": "MOFA", "date": "2018"}]}]}}


@pytest.fixture
def edited(tmp_path) -> Path:
    """The bundled data with one tie removed, one date changed and one partner added."""
    doc = json.loads(default_path().read_text(encoding="utf-8"))
    usa = next(f["properties"] for f in doc["features"] if f["properties"]["id"] == "USA")
    usa["ties"] = [t for t in usa["ties"] if t["id"] != "USA-ACSA-1996"]
    aus = next(f["properties"] for f in doc["features"] if f["properties"]["id"] == "AUS")
    next(t for t in aus["ties"] if t["id"] == "AUS-ACSA-2010")["dates"]["signed"] = "2010-05-20"
    doc["features"].append(CANADA)
    path = tmp_path / "edited.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_exactly_the_three_changes(edited):
    changes = diff(load(), load(edited))
    assert [(c.kind, c.what, c.id, c.field) for c in changes] == [
        ("added", "partner", "CAN", None),
        ("removed", "tie", "USA-ACSA-1996", None),
        ("changed", "tie", "AUS-ACSA-2010", "dates.signed"),
    ]
    assert format_diff(changes, "text").splitlines() == [
        "+ partner CAN: Canada, with 1 tie: CAN-ACSA",
        "- tie USA-ACSA-1996 (USA): Japan–US Acquisition and Cross-Servicing Agreement (1996)",
        "~ tie AUS-ACSA-2010 (AUS): dates.signed: 2010-05-19 -> 2010-05-20",
    ]


def test_markdown_and_json(edited):
    changes = diff(load(), load(edited))
    md = format_diff(changes, "md", "v1", "v2")
    assert md.startswith("## Changes from v1 to v2\n")
    assert "### Partners added\n\n- `CAN`: Canada, with 1 tie: CAN-ACSA\n" in md
    assert "| `AUS-ACSA-2010` | dates.signed | 2010-05-19 | 2010-05-20 |" in md
    as_json = json.loads(format_diff(changes, "json", "v1", "v2"))
    assert as_json["old"] == "v1" and len(as_json["changes"]) == 3
    assert as_json["changes"][2] == {"kind": "changed", "what": "tie", "id": "AUS-ACSA-2010",
                                     "field": "dates.signed", "old": "2010-05-19", "new": "2010-05-20",
                                     "partner": "AUS"}


def test_status_sources_members_and_metadata_are_compared(minimal, tmp_path, minimal_path):
    doc = json.loads(minimal_path.read_text(encoding="utf-8"))
    doc["metadata"]["version"] = "0.0.2"
    quad = doc["features"][3]["properties"]
    quad["members"] = ["USA", "AUS", "IND", "NZL"]
    gbr = doc["features"][2]["properties"]["ties"][0]
    gbr.update(status="signed", dates={"signed": "2023-01-11"})
    gbr["sources"].append({"title": "Another page", "publisher": "gov.uk", "date": "2023"})
    path = tmp_path / "m.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    lines = format_diff(diff(minimal, load(path))).splitlines()
    assert lines == [
        "~ metadata metadata: version: 0.0.1 -> 0.0.2",
        "~ partner QUAD: members: USA, AUS, IND -> USA, AUS, IND, NZL",
        "~ tie GBR-RAA (GBR): dates.in_force: 2023-10-15 -> (none)",
        "~ tie GBR-RAA (GBR): status: in_force -> signed",
        "~ tie GBR-RAA (GBR): source added: Another page · gov.uk · 2023",
    ]


def test_a_newline_in_text_never_splits_a_diff_line(minimal, tmp_path, minimal_path):
    doc = json.loads(minimal_path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["ties"][0]["summary"] = "one\n+ partner FAKE: forged"
    path = tmp_path / "m.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    text = format_diff(diff(minimal, load(path)))
    assert text.count("\n") == 1 and text.startswith("~ tie AUS-RAA (AUS): summary: ")


def test_cli_exit_code_like_git_diff(runner, edited, minimal_path):
    same = runner.invoke(main, ["diff", str(minimal_path), str(minimal_path), "--exit-code"])
    assert same.exit_code == 0 and same.stdout == f"{minimal_path} and {minimal_path}: no differences\n"
    differ = runner.invoke(main, ["diff", str(default_path()), str(edited), "--exit-code"])
    assert differ.exit_code == 1 and len(differ.stdout.splitlines()) == 3
    plain = runner.invoke(main, ["diff", str(default_path()), str(edited), "--format", "md"])
    assert plain.exit_code == 0 and plain.stdout.startswith("## Changes from")
    missing = runner.invoke(main, ["diff", str(minimal_path), "nope.geojson"])
    assert missing.exit_code == 2 and missing.stderr == "Error: nope.geojson: no such file\n"


AUSTRALIA = Path(__file__).parent / "data" / "australia.geojson"


def _with_geometry(tmp_path, name: str, pid: str, geometry) -> Path:
    doc = json.loads(AUSTRALIA.read_text(encoding="utf-8"))
    next(f for f in doc["features"] if f["properties"]["id"] == pid)["geometry"] = geometry
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_pasted_polygon_is_a_geometry_change(tmp_path, recwarn):
    """China's polygon pasted into New Zealand: a change, summed up by area and bounds, never coordinates."""
    from partnermap.basemap import features

    china = next(f["geometry"] for f in features() if f["properties"]["id"] == "CHN")
    pasted = load(_with_geometry(tmp_path, "pasted.geojson", "NZL", china))
    changes = diff(load(AUSTRALIA), pasted)
    assert [(c.kind, c.what, c.id, c.field) for c in changes] == [("changed", "partner", "NZL", "geometry")]
    (line,) = format_diff(changes).splitlines()
    assert line.startswith("~ partner NZL: geometry: changed: from codes (NZL) -> drawn in the file: ")
    assert "km²" in line and "lon 73.6 to 134.8, lat 18.2 to 53.5" in line
    assert "[" not in line  # no coordinates
    back = format_diff(diff(pasted, load(AUSTRALIA)), "md")
    assert "| `NZL` | geometry | drawn in the file: " in back and "| from codes (NZL) |" in back
    assert diff(pasted, pasted) == ()


def test_a_drawn_territory_equal_to_the_derived_one_is_no_change(tmp_path):
    from shapely.geometry import mapping

    derived = load(AUSTRALIA).partner("NZL").geometry
    same = load(_with_geometry(tmp_path, "same.geojson", "NZL", mapping(derived)))
    assert not same.partner("NZL").derived
    assert diff(load(AUSTRALIA), same) == ()


def test_a_moved_vertex_is_a_change_even_with_the_same_summary(tmp_path, recwarn):
    square = {"type": "Polygon", "coordinates": [[[170, -45], [175, -45], [175, -40], [170, -40], [170, -45]]]}
    nudged = {"type": "Polygon", "coordinates": [[[170, -45], [175, -45], [175, -40], [170.01, -40.01],
                                                   [170, -45]]]}
    a = load(_with_geometry(tmp_path, "a.geojson", "NZL", square))
    b = load(_with_geometry(tmp_path, "b.geojson", "NZL", nudged))
    (change,) = diff(a, b)
    assert change.field == "geometry" and change.new == change.old + " (vertices moved)"


def test_cli_pasted_polygon_exit_code(runner, tmp_path):
    from partnermap.basemap import features

    china = next(f["geometry"] for f in features() if f["properties"]["id"] == "CHN")
    pasted = _with_geometry(tmp_path, "pasted.geojson", "NZL", china)
    result = runner.invoke(main, ["diff", str(AUSTRALIA), str(pasted), "--exit-code"])
    assert result.exit_code == 1 and result.stdout.startswith("~ partner NZL: geometry: changed: ")


def test_bad_data_is_exit_1_on_stderr_with_nothing_on_stdout(runner, tmp_path):
    """The documented way to tell 'differ' from 'bad data' under --exit-code: the streams."""
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    result = runner.invoke(main, ["diff", str(AUSTRALIA), str(bad), "--exit-code"])
    assert result.exit_code == 1 and result.stdout == "" and result.stderr.startswith(f"{bad}: ")
