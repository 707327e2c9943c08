"""The drawing rules (rules.py), by hand and against the golden vectors rules.js also passes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from partnermap import rules
from partnermap.theme import THEMES

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import rules_vectors  # noqa: E402

STYLE = THEMES["light"].rules_style()


def F(category="security", type_="alliance", friction=False, status="in_force", change=None):
    return rules.Fact(category, type_, friction, status, change)


def test_vectors_are_current():
    """The committed vectors are what the Python reference concludes today (regenerate: tests/rules_vectors.py)."""
    committed = json.loads(rules_vectors.OUT.read_text(encoding="utf-8"))
    assert committed == json.loads(rules_vectors.dumps(rules_vectors.build()))


def test_node_runs_the_same_vectors_through_rules_js():
    proc = subprocess.run(["node", "--test", str(HERE / "js")], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout


@pytest.fixture(scope="module")
def vectors():
    return {c["name"]: c for c in json.loads(rules_vectors.OUT.read_text(encoding="utf-8"))["cases"]}


def test_an_ally_is_a_security_partner_whatever_its_tariffs(vectors):
    us = vectors["bundled, the data's own day"]["expect"]["partners"]["USA"]
    assert us["primary"] == {"fill": "security", "friction": True, "tier": 0, "pending": False}
    mixed = vectors["friction mixed with an alliance and a trade deal"]["expect"]
    assert mixed["partners"]["MMM"]["primary"]["fill"] == "security"
    economic = mixed["links"][1]
    assert economic["state"]["friction"] and economic["style"]["overlay"]["color"] == STYLE["friction"]
    assert economic["style"]["color"] == STYLE["category"]["economic"]  # friction over the colour, not instead


def test_status_filter_uses_the_status_on_the_day_shown(vectors):
    case = vectors["bundled, 1960-01-19, in force unticked"]["expect"]
    assert case["status"]["USA-TREATY-1960"] == "signed"
    assert case["shown"]["USA-TREATY-1960"] is True


def test_partner_before_its_first_tie_is_not_drawn(vectors):
    case = vectors["before the first tie"]["expect"]
    assert case["partners"]["BBB"] == {"primary": None, "tally": {}, "fill": None}
    assert case["legend"] == ["focal"]


def test_a_signed_declaration_is_not_pending_a_signed_treaty_is(vectors):
    links = vectors["a declaration is in effect when signed; a treaty is pending"]["expect"]["links"]
    assert [lk["state"]["pending"] for lk in links] == [False, True]


def test_only_ended_ties_draw_grey_and_dashed(vectors):
    (link,) = vectors["only ended ties"]["expect"]["links"]
    assert link["state"]["ended"] and link["style"]["color"] == STYLE["ended"]
    assert link["style"]["dash"] == STYLE["dashPending"]


def test_friction_only_link_is_vermillion_dots(vectors):
    (link,) = vectors["friction only"]["expect"]["links"]
    assert link["style"]["color"] == STYLE["friction"] and link["style"]["overlay"] is None
    assert vectors["friction only"]["expect"]["partners"]["FFF"]["primary"]["fill"] is None


def test_contested_stays_contested():
    assert rules.primary([F(type_="summit", category="diplomatic")], "contested").fill == "contested"


def test_tally_counts_ended_separately_in_category_order():
    facts = [F(category="economic"), F(status="ended"), F(), F(category="diplomatic", status="cancelled")]
    assert rules.tally(facts) == {"security": [2, 1], "economic": [1, 0], "diplomatic": [1, 1]}
    assert list(rules.tally(facts)) == ["security", "economic", "diplomatic"]


def test_deepest_tie_wins_not_the_most_numerous():
    facts = [F("economic", "trade_agreement")] * 5 + [F("security", "acsa")]
    assert rules.primary(facts).fill == "security"
    assert rules.primary([F("economic", "trade_agreement"), F("diplomatic", "summit")]).fill == "economic"


def test_link_width_grows_with_the_square_root_of_ties():
    assert rules.link_width(1, 4, 1.0, 5.0) == pytest.approx(3.0)
    assert rules.link_width(4, 4, 1.0, 5.0) == pytest.approx(5.0)


def test_changes_mode_highlights_changed_and_mutes_the_rest():
    changed = rules.link_state([F(change="new")])
    same = rules.link_state([F()])
    a = rules.link_style(changed, 1, "security", STYLE, changes=True)
    b = rules.link_style(same, 1, "security", STYLE, changes=True)
    assert a["weight"] > b["weight"] and b["opacity"] == STYLE["muted"]


def test_a_tie_only_signed_never_gives_the_darkest_fill(vectors):
    """The fill is the deepest tie *in effect*: a signed, not ratified alliance reads as pending (hatched, light)."""
    alone = vectors["a pending alliance alone is hatched and light, not the darkest fill"]["expect"]
    prim, fill = alone["partners"]["PPP"]["primary"], alone["partners"]["PPP"]["fill"]
    assert prim["pending"] and prim["fill"] == "security"
    assert fill["hatch"] and fill["opacity"] == STYLE["fillMin"]
    assert "pending_fill" in alone["legend"]
    beside = vectors["a treaty only signed beside a summit held: the summit colours it"]["expect"]
    assert beside["partners"]["QQQ"]["primary"]["fill"] == "diplomatic"
    assert not beside["partners"]["QQQ"]["fill"]["hatch"]
    assert rules.primary([F(type_="alliance", status="signed"), F(type_="acsa")]).tier == rules.TIER["acsa"]


def test_groupings_colour_visibility_and_legend_rows(vectors):
    case = vectors["groupings: an organisation in ink, groups by their deepest tie, one switched off, one not yet"]
    got = case["expect"]["groupings"]
    assert got["ORG"]["color"] == STYLE["organisation"]  # ink, whatever its ties
    assert got["GRP"]["color"] == STYLE["category"]["diplomatic"] and got["GRP"]["friction"]
    assert got["NEW"] == {"drawn": False, "category": None, "color": STYLE["group"], "friction": False}
    main, side = case["expect"]["legendRows"]
    assert side == ["note:organisation", "grouping:ORG", "note:group", "grouping:GRP"]  # OFF is off, NEW not yet
    assert main[main.index("diplomatic") + 1] == "fill_rule" and main[-1] == "width"


def test_legend_rows_without_categories_or_groupings():
    assert rules.legend_rows(["focal"], []) == (["focal"], [])
    assert rules.legend_rows(["focal", "friction", "width"], [("G", "group", False)]) == (
        ["focal", "friction", "width"], [])
