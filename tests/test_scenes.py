"""The scene (scenes.py): one description of the map that every output draws."""

from __future__ import annotations

import itertools
import json

import pytest

import partnermap
from partnermap import scene, select
from partnermap.errors import UsageError

AUSTRALIA = "tests/data/australia.geojson"


@pytest.fixture(scope="module")
def bundled():
    return partnermap.load()


@pytest.fixture(scope="module")
def japan(bundled):
    return scene(select(bundled))


def test_allies_read_as_allies_and_friction_shows(japan):
    for ally in ("USA", "AUS", "PHL", "GBR"):
        assert japan.partner(ally).fill == "security", ally
    assert japan.partner("CHN").fill == "contested"
    assert japan.partner("USA").friction is True
    economic = next(lk for lk in japan.links if lk.partner == "USA" and lk.category == "economic")
    assert economic.state.friction and economic.state.cooperative  # friction over a cooperative link


def test_every_grouping_and_organisation_is_drawn_and_labelled(bundled, japan):
    groupings = {p.id for p in bundled.partners if p.kind.value != "state"}
    assert {g.id for g in japan.groups} == groupings
    assert all(g.label for g in japan.groups)
    assert {g.id for g in japan.groups if g.hq} == {"EU", "NATO"}  # links end at a headquarters mark
    assert len({g.dash for g in japan.groups}) == len(japan.groups)  # each its own dash pattern
    eu, nato = japan.group("EU"), japan.group("NATO")
    assert eu.hq_offset != nato.hq_offset  # neighbours in Brussels: labels stacked, not printed on each other
    assert {lk.partner for lk in japan.links} >= {"EU", "NATO"}
    assert not any(lk.partner in ("QUAD", "CPTPP", "TICAD") for lk in japan.links)
    # the TICAD states are visible: a tinted, labelled outline over Africa
    ticad = japan.group("TICAD")
    assert ticad.tint and -20 < ticad.label_point[0] < 55 and -35 < ticad.label_point[1] < 38


def test_to_dict_is_plain_json_with_the_documented_keys(japan):
    doc = json.loads(json.dumps(japan.to_dict()))
    assert {"partners", "links", "groups", "legend", "title"} <= set(doc)
    assert {"id", "fill", "friction", "label"} <= set(doc["partners"][0])
    assert {"id", "label"} <= set(doc["groups"][0])
    assert doc["partners"][0]["id"] == japan.partners[0].id


def test_another_countrys_network_from_codes_alone():
    """Australia's network, with no geometry and no state anchors anywhere, gives a truthful scene too."""
    data = partnermap.load(AUSTRALIA)
    sc = scene(data)
    assert sc.focal.id == "AUS"
    assert sc.partner("USA").fill == "security" and sc.partner("USA").friction  # ANZUS with the 2025 tariffs
    assert sc.partner("NZL").fill in ("security", "economic")
    assert {g.id for g in sc.groups} == {p.id for p in data.partners if p.kind.value != "state"}
    assert all(g.label for g in sc.groups)
    assert sc.title == data.title  # the data's own title, never "<focal>'s partner network"


def test_one_counting_rule_names_what_is_counted(bundled, japan):
    us = {c: (n, e) for c, n, e in japan.partner("USA").counts}
    assert us["security"][1] >= 1  # ended ties are counted, and said to be ended
    assert f"{len(bundled.ties)} ties" in japan.description  # every tie, ended ones included


def test_titles_say_what_is_filtered(bundled):
    sc = scene(select(bundled, categories=["security"], as_of="2023-01-11"))
    assert sc.title == bundled.title
    assert sc.subtitle == "Security ties · as of 2023-01-11"
    assert scene(select(bundled, changes_since="2025-01-20")).subtitle == "Changed since 2025-01-20"
    assert scene(select(bundled, partners=["aus"])).subtitle == "with Australia"
    assert scene(select(bundled, categories=["security"]), subtitle="Mine").subtitle == "Mine"
    assert scene(bundled).subtitle == ""


def test_timeline_day_shows_in_the_credit(bundled):
    sc = scene(select(bundled, as_of="2016"))
    assert sc.day == "2016-12-31" and "as of 2016-12-31" in sc.credit


def test_legend_lists_only_what_is_drawn(bundled):
    sc = scene(select(bundled, categories=["economic"]))
    keys = [e.key for e in sc.legend]
    assert "security" not in keys and "economic" in keys and "friction" in keys
    main = [k for k in keys if not k.startswith(("grouping:", "note:"))]
    assert keys[0] == "focal" and main[-1] == "width" and keys[len(main)] == "note:organisation"


def test_legend_goes_where_it_covers_least(japan):
    assert japan.legend_corner in ("bottom-right", "bottom-left", "top-right")
    # Japan's network: the South Pacific corner is the free one
    assert japan.legend_corner == "bottom-right"


def test_links_never_cross_the_window_edge_or_the_polar_limit(bundled):
    from partnermap.geo import POLAR_LAT

    for data in (bundled, partnermap.load(AUSTRALIA)):
        sc = scene(data)
        for lk in sc.links:
            xs = [x for x, _ in lk.path]
            assert sc.west <= min(xs) and max(xs) <= sc.west + 360
            assert max(abs(y) for _, y in lk.path) <= POLAR_LAT + 1e-9
            assert max(abs(a - b) for a, b in itertools.pairwise(xs)) < 30  # one piece, no jump


def test_unknown_language_is_a_usage_error(bundled):
    with pytest.raises(UsageError, match="unknown language"):
        scene(bundled, lang="xx")


UK = "tests/data/uk.geojson"


def test_grouping_styles_come_from_ids_and_are_distinct(bundled, japan):
    """A grouping keeps its outline style in every view (it is its id's, not its position's); groupings
    drawn together never share one; none is dotted like friction; the EU and NATO differ beyond dash."""
    from partnermap.scenes import grouping_styles
    from partnermap.theme import GROUPING_STYLES

    full = {g.id: (g.dash, g.marker) for g in japan.groups}
    alone = {g.id: grouping_styles([(g.id, g.kind)])[g.id] for g in japan.groups}  # its id's own style
    kept = [gid for gid in full if full[gid][0] == alone[gid][0]]
    assert len(kept) >= len(full) - 2  # only a clash of hashes moves a style
    for view in (select(bundled, categories=["economic"]), select(bundled, partners=["USA"]),
                 select(bundled, as_of="2019")):
        for g in scene(view).groups:
            assert g.dash == full[g.id][0] or g.id not in kept, g.id
            assert g.dash == alone[g.id][0] or full[g.id][0] != alone[g.id][0], g.id
    assert len({g.dash for g in japan.groups}) == len(japan.groups)
    eu, nato = japan.group("EU"), japan.group("NATO")
    assert eu.marker != nato.marker
    assert GROUPING_STYLES[eu.dash][2] != GROUPING_STYLES[nato.dash][2] or eu.dash != nato.dash
    for web, fig, _ in GROUPING_STYLES:  # no dots: a dash is at least as long as twice the line is wide
        assert min(float(x) for x in web.split()[::2]) >= 4 and min(fig[::2]) >= 2


def test_partners_are_named_before_groupings(japan):
    """Declutter ranks (labels.py): the focal country, then every partner, then organisations, then groups."""
    from partnermap.labels import FOCAL_PRIORITY

    partners = [p.priority for p in japan.partners]
    organisations = [g.priority for g in japan.groups if g.kind == "organisation"]
    groups = [g.priority for g in japan.groups if g.kind == "group"]
    assert min(partners) > max(organisations) > max(groups) and max(partners) < FOCAL_PRIORITY


def test_group_tints_never_cover_a_partner_or_the_focal_country(japan):
    partners = {p.id for p in japan.partners} | {japan.focal.id}
    for g in japan.groups:
        assert not set(g.tint_members) & partners, g.id
        assert set(g.tint_members) <= set(g.members)
    assert "DJI" not in japan.group("TICAD").tint_members and "EGY" in japan.group("TICAD").tint_members


def test_a_partner_with_only_a_signed_treaty_reads_as_pending():
    """The UK–India agreement is signed, not in force: India is hatched and light, and the legend says so."""
    sc = scene(partnermap.load(UK))
    india = sc.partner("IND")
    assert india.fill == "economic" and india.pending
    assert sc.partner("JPN").pending is False
    entry = next(e for e in sc.legend if e.key == "pending_fill")
    assert entry.swatch.hatch and entry.swatch.color == "#E69F00"  # in the colour it is drawn in


@pytest.mark.parametrize("path", [None, AUSTRALIA, UK])
@pytest.mark.parametrize("theme", ["light", "presentation"])
def test_legend_placement_leaves_every_partner_free(path, theme):
    """The legend and the browser's bottom panel are placed where they cover no partner's name point,
    capital or territory, nor the focal country, in both renderers' frames (placement.place)."""
    from partnermap import placement

    data = partnermap.load(path) if path else partnermap.load()
    seen = {}
    real = placement.place

    def spy(*args, **kwargs):
        seen["placement"] = real(*args, **kwargs)
        return seen["placement"]

    placement.place = spy
    try:
        sc = scene(data, theme=theme)
    finally:
        placement.place = real
    assert seen["placement"].covered == 0
    assert (sc.legend_corner, sc.legend_layout, sc.info_corner, sc.extent) == (
        seen["placement"].legend_corner, seen["placement"].legend_layout, seen["placement"].info_corner,
        seen["placement"].extent)
    assert sc.info_corner.startswith("bottom") and sc.info_corner != sc.legend_corner


def test_placement_widens_the_view_only_when_no_corner_is_free():
    from partnermap import placement

    rows = [placement.row("focal", "Focal", True)] * 12
    fonts = placement.Fonts(9, 9, 12, 12, 13)
    free = placement.place(rows, (0.0, 100.0, 0.0, 50.0), -180.0, [placement.Mark(10, 40, 1000.0)], [], fonts)
    assert free.covered == 0 and free.extent == (0.0, 100.0, 0.0, 50.0) and free.legend_corner == "bottom-right"
    # a partner's name under every corner: the view grows on the legend's side until one is free
    corners = [placement.Mark(x, y, 100.0, w_em=3) for x in (3, 97) for y in (3, 47)]
    grown = placement.place(rows, (0.0, 100.0, 0.0, 50.0), -180.0, corners, [], fonts)
    assert grown.covered == 0 and grown.extent != (0.0, 100.0, 0.0, 50.0)


def test_legend_rows_wrap_alike_in_every_renderer():
    from partnermap import placement

    lines = placement.wrap("Colour: the deepest tie in effect, darker for deeper", 14)
    assert " ".join(lines) == "Colour: the deepest tie in effect, darker for deeper" and len(lines) == 2
    assert all(placement.text_em(x) <= 14 for x in lines)
    assert all(placement.text_em(x) <= 8 for x in placement.wrap("色：発効中の最も深い関係（深いほど濃い）", 8))
    assert placement.wrap("", 10) == ("",)
