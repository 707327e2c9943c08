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
