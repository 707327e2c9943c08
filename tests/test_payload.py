"""The browser's payload (payload.py): the scene plus shapes, ties in columns, sources once."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import shapely

from partnermap import load, scene, select
from partnermap.geo import decode_ring
from partnermap.payload import payload, tie_steps
from partnermap.rules import day_number
from partnermap.text import page_json
from partnermap.theme import CATEGORY_COLORS, THEMES
from partnermap.vocab import Category


def decode(rings):
    """The browser's decoding of geo.encode_* (decode.js; geo.decode_ring its reference), as [lon, lat]."""
    return [[list(p) for p in decode_ring(ring)] for ring in rings]


def build(view, **kw):
    """The payload as the browser reads it (its JSON: tuples become arrays)."""
    return json.loads(page_json(payload(scene(view, **kw), view)))


def D(text):
    return day_number(dt.date.fromisoformat(text))


def test_links_per_partner_and_category(minimal):
    links = {(lk["partner"], lk["category"]) for lk in build(minimal)["links"]}
    # groups are outlined, not linked; the two US categories are separate links
    assert links == {("AUS", "security"), ("AUS", "economic"), ("USA", "security"), ("USA", "economic"),
                     ("GBR", "security")}


def test_tie_steps_follow_the_lifecycle_rule(minimal):
    ties = build(minimal)["ties"]
    steps = dict(zip(ties["id"], ties["steps"], strict=True))
    assert steps["GBR-RAA"] == [[D("2023-01-11"), "signed"], [D("2023-10-15"), "in_force"]]
    # "in force 2017" counts from the last day of 2017
    assert steps["GBR-ACSA"] == [[D("2017-01-26"), "signed"], [D("2017-12-31"), "in_force"]]
    assert steps["QUAD-OLD"] == [[D("2007-05-31"), "held"], [D("2008-02-29"), "ended"]]


def test_a_one_step_tie_takes_the_short_way_to_the_same_steps(minimal):
    """payload._steps has a fast path for one dated step; it must give what the general way gives
    (lifecycle.changes_between, then the status shown as the last entry) on every day and status."""
    import dataclasses

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from partnermap.dates import PartialDate
    from partnermap.payload import _any_steps, _steps
    from partnermap.vocab import Status

    base = minimal.partner("AUS").ties[0]
    dates = st.sampled_from(["2020", "2020-06", "2020-06-15", "2021-01-01", "2019-12-31"]).map(PartialDate.parse)

    @settings(max_examples=300, deadline=None)
    @given(st.sampled_from(list(Status)), st.sampled_from(list(Status)), dates,
           st.integers(D("2019-12-01"), D("2021-02-01")), st.integers(D("2019-12-01"), D("2021-02-01")))
    def check(step, status, date, known, final):
        tie = dataclasses.replace(base, dates=((step, date),), status=status)
        assert _steps(tie, known, final) == _any_steps(tie.steps, tie.status, known, final)

    check()


@pytest.mark.parametrize("path", ["data/partners.geojson", "tests/data/australia.geojson"])
def test_a_ties_dates_are_flat_status_date_and_day_reached(path):
    """Three items a step, in the tie's order, the day from lifecycle.reached_number (one, two and
    three steps, and a retroactive entry into force, each written its own way in payload._ties)."""
    from pathlib import Path

    from partnermap.lifecycle import reached_number

    root = Path(__file__).parent.parent
    view = select(load(root / path))
    data = build(view)
    known = D(str(view.as_of.last_day()))
    ties = {t.id: t for t in view.ties}
    lengths = set()
    for tid, flat in zip(data["ties"]["id"], data["ties"]["dates"], strict=True):
        t = ties[tid]
        on = dict(t.steps)
        assert flat == [x for s, d in t.dates for x in (s.value, d.iso, reached_number(on[s], known))]
        lengths.add(len(t.dates))
    assert {1, 2} <= lengths


def test_a_curated_status_with_no_date_is_the_last_step(minimal):
    tie = minimal.partner("AUS").ties[0]
    import dataclasses

    undated = dataclasses.replace(tie, dates=tie.dates[:1])  # in force, date unknown
    assert tie_steps(undated, dt.date(2025, 11, 30), dt.date(2025, 11, 30))[-1] == [D("2025-11-30"), "in_force"]


def test_snapshot_payload_carries_view_date(minimal):
    data = build(select(minimal, as_of="2023-09-30"))
    assert data["meta"]["lastDay"] == D("2023-09-30") and data["meta"]["lastDayText"] == "2023-09-30"
    ties = data["ties"]
    i = ties["id"].index("GBR-RAA")
    assert ties["steps"][i][-1][1] == "signed"
    assert ties["dates"][i] == ["signed", "2023-01-11", D("2023-01-11")]  # flat: status, date, day reached


def test_security_and_economic_links_do_not_overlap(minimal):
    links = {(lk["partner"], lk["category"]): decode(lk["path"]["e"])[0] for lk in build(minimal)["links"]}
    sec, eco = links[("USA", "security")], links[("USA", "economic")]
    mid = len(sec) // 2
    assert abs(sec[mid][1] - eco[mid][1]) + abs(sec[mid][0] - eco[mid][0]) > 3


def test_links_end_on_partner_anchor_in_window(minimal):
    data = build(minimal)
    usa = next(p for p in data["partners"] if p["id"] == "USA")
    link = next(lk for lk in data["links"] if lk["partner"] == "USA")
    assert decode(link["path"]["e"])[-1][-1] == pytest.approx(usa["anchor"], abs=0.006)
    assert usa["anchor"][0] > 180  # drawn east of Japan, across the Pacific


def test_a_source_is_an_array_in_citation_order_without_trailing_nulls():
    from partnermap.dates import parse_str
    from partnermap.model import Source
    from partnermap.payload import _source_record

    full = Source("T", "P", parse_str("2024-05"), author="A", container="C", locator="L", url="https://x.org/")
    assert _source_record(full) == ("T", "P", "2024-05", "A", "C", "L", "https://x.org/")
    assert _source_record(Source("T", "P", None, locator="p. 4")) == ("T", "P", "n.d.", None, None, "p. 4")
    assert _source_record(Source("T", "P", parse_str("2024"))) == ("T", "P", "2024")


def test_sources_are_sent_once(bundled_payload):
    ties, sources = bundled_payload["ties"], bundled_payload["sources"]
    refs = [k for row in ties["sources"] for k in row]
    assert len(sources) < len(refs)  # the commentary, cited many times, is one record
    assert set(refs) == set(range(len(sources)))


@pytest.fixture(scope="module")
def bundled_payload():
    return build(load())


def test_text_defaults_and_overrides(minimal):
    data = build(minimal)
    assert data["meta"]["title"] == "Test network" and data["meta"]["subtitle"] == ""
    assert data["meta"]["credit"].startswith("Test network · as of 2025-11-30")
    ja = build(minimal, lang="ja", title="同盟", subtitle="副題")
    assert ja["meta"]["title"] == "同盟" and ja["meta"]["subtitle"] == "副題"
    assert ja["words"]["category"]["security"] == "安全保障"
    assert ja["focal"]["label"] == "日本"


def test_style_from_theme(minimal):
    data = build(minimal, theme="presentation")
    assert data["style"]["category"]["security"] == CATEGORY_COLORS[Category.SECURITY]
    assert data["style"]["weightMax"] == THEMES["presentation"].web.weight_max
    assert data["style"]["web"]["font_px"] == 20


def test_focal_territory_is_the_basemap_shape(minimal):
    data = build(minimal)
    assert data["focal"]["id"] == "JPN" and data["focal"]["shape"] == "basemap"
    i = data["basemap"]["ids"].index("JPN")
    parts = data["basemap"]["shapes"][i]["e"]
    assert len(parts) > 3  # Honshu, Hokkaido, Kyushu, Shikoku...
    lons = [x for part in parts for ring in decode(part) for x, _ in ring]
    assert min(lons) > 122 and max(lons) < 154


def test_encoding_is_lossless_at_the_data_precision():
    from partnermap.basemap import shapes as basemap_shapes
    from partnermap.geo import Window, encode_polygons

    shapes = basemap_shapes()
    [fiji] = encode_polygons([shapes["FJI"]], Window.centred_on(139.69))
    lons = [x for part in fiji for ring in decode(part) for x, _ in ring]
    assert max(lons) - min(lons) < 10  # both sides of 180 drawn side by side, no band across the map
    [usa] = encode_polygons([shapes["USA"]], Window.centred_on(0))
    original = sorted((round(x * 100), round(y * 100)) for x, y in shapely.get_coordinates(shapes["USA"]).tolist())
    decoded = sorted((round(x * 100), round(y * 100)) for part in usa for ring in decode(part) for x, y in ring)
    assert decoded == original


def test_shapes_equal_to_the_basemap_are_sent_once(bundled_payload):
    by_id = {p["id"]: p for p in bundled_payload["partners"]}
    # Australia with its island territories, as basemap ids: no coordinates sent twice
    assert "AUS" in by_id["AUS"]["shape"]["parts"] and "CXR" in by_id["AUS"]["shape"]["parts"]
    assert "PRI" in by_id["USA"]["shape"]["parts"]
    groups = {g["id"]: g for g in bundled_payload["groups"]}
    assert groups["NATO"]["shape"]["e"]
    # a group outline keeps its small members: Singapore and Brunei stay in the CPTPP
    cptpp = [pt for part in groups["CPTPP"]["shape"]["e"] for ring in decode(part) for pt in ring]
    assert any(103.5 < x < 104.1 and 1.1 < y < 1.5 for x, y in cptpp)  # Singapore
    assert any(114.0 < x < 115.4 and 4.0 < y < 5.1 for x, y in cptpp)  # Brunei


def test_a_partner_shape_of_its_own_is_kept(minimal):
    # the fixture's boxes are not the Natural Earth shapes: they must be drawn as given
    aus = next(p for p in build(minimal)["partners"] if p["id"] == "AUS")
    assert decode(aus["shape"]["e"][0])[0][0] == [113.0, -39.0]
