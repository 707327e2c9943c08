"""The map payload: what the browser will draw, checked as data."""

from __future__ import annotations

import pytest
import shapely

from partnermap.filters import select
from partnermap.layers import MapText, payload
from partnermap.theme import CATEGORY_COLORS, THEMES
from partnermap.vocab import Category


def decode(rings):
    """The browser's decoding of geo.encode_* (integer deltas in hundredths of a degree)."""
    out = []
    for ring in rings:
        x = y = 0
        points = []
        for dx, dy in zip(ring[::2], ring[1::2]):
            x, y = x + dx, y + dy
            points.append([x / 100, y / 100])
        out.append(points)
    return out


def _links(data):
    feats = data["links"]["features"]
    return {(f["properties"]["partner"], f["properties"]["category"]): f["properties"] for f in feats}


def test_links_per_partner_and_category(minimal):
    links = _links(payload(minimal))
    # groups are outlined, not linked; the two US categories are separate links
    assert set(links) == {("AUS", "security"), ("AUS", "economic"), ("USA", "security"), ("USA", "economic"),
                          ("GBR", "security")}


def test_tie_steps_follow_the_lifecycle_rule(minimal):
    ties = {t["id"]: t for t in payload(minimal)["ties"]}
    assert ties["GBR-RAA"]["steps"] == [["2023-01-11", "signed"], ["2023-10-15", "in_force"]]
    # "in force 2017" counts from the last day of 2017
    assert ties["GBR-ACSA"]["steps"] == [["2017-01-26", "signed"], ["2017-12-31", "in_force"]]
    assert ties["QUAD-OLD"]["steps"] == [["2007-05-31", "held"], ["2008-02-29", "ended"]]


def test_snapshot_payload_carries_view_date(minimal):
    data = payload(select(minimal, as_of="2023-09-30"))
    assert data["meta"]["lastDay"] == "2023-09-30"
    ties = {t["id"]: t for t in data["ties"]}
    assert ties["GBR-RAA"]["status"] == "signed"
    assert ties["GBR-RAA"]["dates"] == [["signed", "2023-01-11"]]


def test_security_and_economic_links_do_not_overlap(minimal):
    links = {(f["properties"]["partner"], f["properties"]["category"]): decode(f["geometry"]["e"])
             for f in payload(minimal)["links"]["features"]}
    sec, eco = links[("USA", "security")][0], links[("USA", "economic")][0]
    mid = len(sec) // 2
    assert abs(sec[mid][1] - eco[mid][1]) + abs(sec[mid][0] - eco[mid][0]) > 3


def test_links_end_on_partner_anchor_in_window(minimal):
    data = payload(minimal)
    usa = next(f for f in data["partners"]["features"] if f["properties"]["id"] == "USA")
    link = next(f for f in data["links"]["features"] if f["properties"]["partner"] == "USA")
    assert decode(link["geometry"]["e"])[-1][-1] == pytest.approx(usa["properties"]["anchor"], abs=0.006)
    assert usa["properties"]["anchor"][0] > 180  # drawn east of Japan, across the Pacific


def test_groups_have_members_and_no_label(minimal):
    quad = next(f for f in payload(minimal)["partners"]["features"] if f["properties"]["id"] == "QUAD")
    assert quad["properties"]["members"] == ["USA", "AUS", "IND"]
    assert quad["properties"]["label"] is None  # groups get no name label


def test_description_is_a_text_alternative(minimal):
    assert payload(minimal)["meta"]["description"] == (
        "Map of Japan's ties with 4 partners: 8 ties (security 5, economic 2, diplomatic 1). "
        "The table of ties lists them all.")


def test_text_defaults_and_overrides(minimal):
    data = payload(minimal)
    assert data["meta"]["title"] == "Japan's partner network"
    assert data["meta"]["credit"].startswith("Test network · as of 2025-11-30")
    ja = payload(minimal, lang="ja", text=MapText(title="同盟", subtitle="副題"))
    assert ja["meta"]["title"] == "同盟" and ja["meta"]["subtitle"] == "副題"
    assert ja["labels"]["category"]["security"] == "安全保障"
    assert ja["focal"]["name"] == "日本"


def test_style_from_theme(minimal):
    data = payload(minimal, theme=THEMES["presentation"])
    assert data["style"]["category"]["security"] == CATEGORY_COLORS[Category.SECURITY]
    assert data["style"]["weightMax"] == THEMES["presentation"].lines.weight_max
    assert data["style"]["fontSize"] == 20


def test_focal_territory_from_basemap(minimal):
    data = payload(minimal)
    assert data["focal"]["id"] == "JPN"
    japan = next(f for f in data["basemap"]["features"] if f["properties"]["id"] == "JPN")
    parts = japan["geometry"]["e"]
    assert len(parts) > 3  # Honshu, Hokkaido, Kyushu, Shikoku...
    lons = [x for part in parts for ring in decode(part) for x, _ in ring]
    assert min(lons) > 122 and max(lons) < 154


def test_encoding_is_lossless_at_the_data_precision(minimal):
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


def test_shapes_equal_to_the_basemap_are_sent_once():
    from partnermap import load

    data = payload(load())
    by_id = {f["properties"]["id"]: f for f in data["partners"]["features"]}
    assert by_id["AUS"]["geometry"] is None and by_id["AUS"]["properties"]["shape"] == "basemap"
    # organisations and groups are drawn as simplified outlines of their own
    assert by_id["NATO"]["geometry"]["e"] and "shape" not in by_id["NATO"]["properties"]
    # a group outline keeps its small members: Singapore and Brunei stay in the CPTPP
    cptpp = [pt for part in by_id["CPTPP"]["geometry"]["e"] for ring in decode(part) for pt in ring]
    assert any(103.5 < x < 104.1 and 1.1 < y < 1.5 for x, y in cptpp)  # Singapore
    assert any(114.0 < x < 115.4 and 4.0 < y < 5.1 for x, y in cptpp)  # Brunei


def test_a_partner_shape_of_its_own_is_kept(minimal):
    # the fixture's boxes are not the Natural Earth shapes: they must be drawn as given
    aus = next(f for f in payload(minimal)["partners"]["features"] if f["properties"]["id"] == "AUS")
    assert decode(aus["geometry"]["e"][0])[0][0] == [113.0, -39.0]
