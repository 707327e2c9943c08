"""Property tests over generated, valid partner networks.

Any valid dataset validates, renders and lists; dump -> load round-trips;
``--as-of`` never shows a step before its date or a tie after it ended;
filters compose.
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnermap import build_map, select, to_html
from partnermap.checks import check_document
from partnermap.dates import PartialDate
from partnermap.dump import to_feature_collection
from partnermap.errors import UsageError
from partnermap.filters import EmptySelection
from partnermap.lifecycle import status_on
from partnermap.tables import format_ties
from partnermap.vocab import STATUS_RANK, TERMINAL_STATUSES, TYPE_CATEGORIES, Status, TieType

AS_OF = PartialDate(2025, 11, 30)
STATES = ["AUS", "USA", "GBR", "IND", "FRA", "BRA", "ZAF", "NZL", "CAN", "MEX"]
# Step sequences that respect the schema's date order (earliest first).
SEQUENCES = [
    [Status.SIGNED], [Status.SIGNED, Status.IN_FORCE], [Status.ANNOUNCED],
    [Status.NEGOTIATING, Status.SIGNED, Status.IN_FORCE], [Status.HELD], [Status.SIGNED, Status.IN_FORCE, Status.ENDED],
    [Status.ANNOUNCED, Status.CANCELLED], [Status.IN_FORCE], [Status.HELD, Status.ENDED],
]


def _territory(pid: str, given: bool) -> dict | None:
    """The state's basemap shape written out, or None: the territory then comes from its code."""
    from shapely.geometry import mapping

    from partnermap.basemap import shapes

    return json.loads(json.dumps(mapping(shapes()[pid]))) if given else None


@st.composite
def partial_date(draw, lo: dt.date, hi: dt.date) -> PartialDate:
    day = lo + dt.timedelta(days=draw(st.integers(0, (hi - lo).days)))
    precision = draw(st.sampled_from([1, 2, 3, 3, 3]))
    return PartialDate(day.year, day.month if precision > 1 else None, day.day if precision > 2 else None)


@st.composite
def tie(draw, pid: str, n: int) -> dict:
    tie_type = draw(st.sampled_from(list(TieType)))
    category = draw(st.sampled_from(TYPE_CATEGORIES[tie_type]))
    steps = draw(st.sampled_from(SEQUENCES))
    lo = dt.date(1960, 1, 1)
    dates = {}
    for step in steps:  # each step on a later day than the one before
        d = draw(partial_date(lo, AS_OF.last_day()))
        if dates and d.compare(list(dates.values())[-1]) <= 0:
            d = list(dates.values())[-1]  # same date is allowed (common precision)
        dates[step] = d
        lo = max(lo, d.first_day())
    items = [(s, d) for s, d in dates.items()]
    status = status_on(items, AS_OF.last_day(), AS_OF.last_day())
    return {
        "id": f"{pid}-{n}", "title": draw(st.text(min_size=1, max_size=30).filter(str.strip)),
        "category": category.value, "type": tie_type.value, "status": status.value,
        "nature": draw(st.sampled_from(["cooperation", "friction"])),
        "dates": {s.value: str(d) for s, d in items},
        "summary": "Generated.",
        "sources": [{"title": "Generated source", "publisher": "Test", "date": "2025"}],
    }


@st.composite
def network(draw) -> dict:
    ids = draw(st.lists(st.sampled_from(STATES), min_size=1, max_size=5, unique=True))
    features = []
    for i, pid in enumerate(ids):
        ties = [draw(tie(pid, n)) for n in range(draw(st.integers(1, 4)))]
        props = {"id": pid, "name": draw(st.text(min_size=1, max_size=20).filter(str.strip)), "kind": "state",
                 "ties": ties}
        if draw(st.booleans()):
            props["anchor"] = [-165 + 33 * i, -37 + 7 * i]  # else the bundled capital
        features.append({"type": "Feature", "geometry": _territory(pid, draw(st.booleans())), "properties": props})
    return {"type": "FeatureCollection", "partnermap": 1, "features": features, "metadata": {
        "title": "Generated", "version": "0", "as_of": str(AS_OF),
        "focal": {"id": "JPN", "name": "Japan", "anchor": [139.69, 35.69]}}}


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(network())
def test_any_valid_network_validates_renders_lists_and_round_trips(doc):
    dataset, problems = check_document(doc, "generated")
    assert problems == [], [str(p) for p in problems]
    html = to_html(build_map(dataset))
    assert "partnermap.draw(" in html
    for fmt in ("table", "csv", "json"):
        assert format_ties(dataset, fmt)
    again, problems = check_document(json.loads(json.dumps(to_feature_collection(dataset))), "again")
    assert problems == []
    assert again.ties == dataset.ties


@SETTINGS
@given(network(), partial_date(dt.date(1955, 1, 1), dt.date(2026, 12, 31)))
def test_as_of_never_shows_a_step_before_its_date_and_ended_ties_say_so(doc, on):
    dataset, _ = check_document(doc, "generated")
    try:
        view = select(dataset, as_of=on)
    except (EmptySelection, UsageError):  # UsageError: a date after the data's own as-of
        return
    day = min(on.last_day(), dataset.as_of.last_day())
    for t in view.ties:
        assert all(min(d.last_day(), dataset.as_of.last_day()) <= day for _, d in t.dates)
        if t.status in TERMINAL_STATUSES:  # ended by then: shown as ended, its end step reached
            assert any(s is t.status for s, _ in t.dates) or day >= dataset.as_of.last_day()
        original = next(o for o in dataset.ties if o.id == t.id)
        assert STATUS_RANK[t.status] <= max(STATUS_RANK[s] for s, _ in original.dates)


@SETTINGS
@given(network(), st.sampled_from(["security", "economic", "diplomatic"]), st.sampled_from(list(TieType)))
def test_filters_compose(doc, category, tie_type):
    dataset, _ = check_document(doc, "generated")

    def ids(**kw) -> set[str]:
        try:
            return {t.id for t in select(dataset, **kw).ties}
        except EmptySelection:
            return set()

    both = ids(categories=[category], types=[tie_type.value])
    assert both == ids(categories=[category]) & ids(types=[tie_type.value])
