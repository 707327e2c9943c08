"""checks.py's two paths for a tie: the plain path (no message needed, fast) must accept a strict
subset of what the reporting path accepts, and build the very same Tie."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnermap import checks
from partnermap.dates import PartialDate

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def _raw_ties(doc: dict):
    for feature in doc.get("features", []):
        props = feature.get("properties") or {}
        for raw in props.get("ties") or []:
            yield props.get("id", "X"), raw


AS_OF = PartialDate.parse("2025-11-30")


def _both(raw, partner="X", as_of=AS_OF):
    plain = checks._plain_tie(raw, partner, as_of, {}) if isinstance(raw, dict) else None
    ctx = checks._Ctx("f")
    ctx.feature = "feature 0 (X)"
    reported = checks._tie(ctx, copy.deepcopy(raw), 0, partner, as_of, {})
    return plain, reported, ctx


def _corpus():
    files = [ROOT / "data" / "partners.geojson", DATA / "minimal.geojson", DATA / "australia.geojson",
             *sorted((DATA / "bad").glob("*.geojson"))]
    for path in files:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(doc, dict):
            for partner, raw in _raw_ties(doc):
                yield pytest.param(partner, raw, id=f"{path.stem}:{raw.get('id') if isinstance(raw, dict) else '?'}")


@pytest.mark.parametrize("partner,raw", list(_corpus()))
def test_plain_path_agrees_with_the_reporting_path(partner, raw):
    plain, reported, ctx = _both(raw, partner if isinstance(partner, str) else "X")
    if plain is not None:
        assert ctx.problems == [] and plain == reported
        # the sources' hashes too (the plain path passes them in, model.quick_constructor)
        assert [hash(s) for s in plain.sources] == [hash(s) for s in reported.sources]
    elif not ctx.problems and reported is not None:
        # only what the plain path leaves out on purpose may take the reporting path with no problem
        assert "retroactive" in raw or not raw.get("sources") or any(
            isinstance(s, dict) and "[" in str(s.get("url", "")) for s in raw["sources"])


def test_the_plain_path_takes_the_bundled_data():
    """Not vacuous: nearly every bundled tie goes the fast way."""
    doc = json.loads((ROOT / "data" / "partners.geojson").read_text(encoding="utf-8"))
    ties = list(_raw_ties(doc))
    plain = sum(checks._plain_tie(raw, p, PartialDate.parse(doc["metadata"]["as_of"]), {}) is not None
                for p, raw in ties)
    assert plain >= len(ties) - 2


BASE = {"id": "T-1", "title": "Treaty", "summary": "A treaty.", "category": "security", "type": "alliance",
        "status": "in_force", "dates": {"signed": "1960-01-19", "in_force": "1960-06-23"},
        "sources": [{"title": "MOFA", "publisher": "MOFA", "date": "2020", "url": "https://www.mofa.go.jp/"}]}
MUTATIONS = st.sampled_from([
    ("title", ""), ("title", " "), ("title", 3), ("summary", None), ("category", "economic"), ("category", "x"),
    ("type", "tariff_deal"), ("status", "signed"), ("status", "ended"), ("nature", "friction"), ("nature", "bad"),
    ("dates", {}), ("dates", {"signed": "1960-13"}), ("dates", {"signed": "1961", "in_force": "1960"}),
    ("dates", {"in_force": "2026-01-01"}), ("dates", {"sined": "1960"}), ("dates", {"signed": 1960}),
    ("parties", ["USA", "USA"]), ("parties", ["usa"]), ("parties", ["AUS"]), ("note", ""), ("note", "n"),
    ("curation", "c"), ("title_ja", "条約"), ("title_en", "x"), ("title_JA", "x"), ("relationshp", 1),
    ("retroactive", True), ("sources", []), ("sources", [{"title": "x"}]),
    ("sources", [{"title": "t", "publisher": "p", "date": "n.d."}]),
    ("sources", [{"title": "t", "publisher": "p", "date": "2030"}]),
    ("sources", [{"title": "t", "publisher": "p", "date": "2020", "url": "javascript:x"}]),
    ("sources", [{"title": "t", "publisher": "p", "date": "2020", "url": "http://[::1]/"}]),
    ("sources", [{"title": "t", "publisher": "p", "date": "2020", "url": "https://x.org/a b"}]),
    ("id", "bad id"), ("id", None),
])


@settings(max_examples=300, deadline=None)
@given(st.lists(MUTATIONS, max_size=4))
def test_generated_ties_agree(mutations):
    raw = copy.deepcopy(BASE)
    for key, value in mutations:
        raw[key] = copy.deepcopy(value)
    plain, reported, ctx = _both(raw)
    if plain is not None:
        assert ctx.problems == [] and plain == reported
        # the sources' hashes too (the plain path passes them in, model.quick_constructor)
        assert [hash(s) for s in plain.sources] == [hash(s) for s in reported.sources]
