"""The map payload: what the browser will draw, checked as data."""

from __future__ import annotations

from partnermap.filters import select
from partnermap.layers import MapText, payload
from partnermap.theme import CATEGORY_COLORS, THEMES
from partnermap.vocab import Category


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
    links = {(f["properties"]["partner"], f["properties"]["category"]): f["geometry"]["coordinates"]
             for f in payload(minimal)["links"]["features"]}
    sec, eco = links[("USA", "security")][0], links[("USA", "economic")][0]
    mid = len(sec) // 2
    assert abs(sec[mid][1] - eco[mid][1]) + abs(sec[mid][0] - eco[mid][0]) > 3


def test_links_end_on_partner_anchor_in_window(minimal):
    data = payload(minimal)
    usa = next(f for f in data["partners"]["features"] if f["properties"]["id"] == "USA")
    link = next(f for f in data["links"]["features"] if f["properties"]["partner"] == "USA")
    assert link["geometry"]["coordinates"][-1][-1] == usa["properties"]["anchor"]
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
    focal = payload(minimal)["focal"]
    assert focal["id"] == "JPN"
    assert focal["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_shapes_equal_to_the_basemap_are_sent_once():
    from partnermap import load

    data = payload(load())
    by_id = {f["properties"]["id"]: f for f in data["partners"]["features"]}
    assert by_id["AUS"]["geometry"] is None and by_id["AUS"]["properties"]["shape"] == "basemap"
    # organisations and groups are drawn as simplified outlines of their own
    assert by_id["NATO"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert "shape" not in by_id["NATO"]["properties"]


def test_a_partner_shape_of_its_own_is_kept(minimal):
    # the fixture's boxes are not the Natural Earth shapes: they must be drawn as given
    aus = next(f for f in payload(minimal)["partners"]["features"] if f["properties"]["id"] == "AUS")
    assert aus["geometry"]["coordinates"][0][0] == [113.0, -39.0]
