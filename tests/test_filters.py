"""Selecting part of a network: option values, each filter, as-of snapshots, changes, composition."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnermap.dates import PartialDate
from partnermap.errors import UsageError
from partnermap.filters import EmptySelection, Selection, select
from partnermap.lifecycle import reached, status_on
from partnermap.reader import load
from partnermap.vocab import Category, Status, TieType

P = PartialDate.parse


def ids(view) -> list[str]:
    return [t.id for t in view.ties]


def tie(view, tie_id):
    return next(t for t in view.ties if t.id == tie_id)


ALL = ["AUS-RAA", "AUS-EPA", "USA-TREATY", "USA-AUTO", "GBR-RAA", "GBR-ACSA", "QUAD-SUMMIT", "QUAD-OLD"]


# --- Selection.build


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"categories": ["military"]}, "unknown category 'military'; choose from: security, economic, diplomatic"),
        ({"statuses": ["ratified"]},
         "unknown status 'ratified'; choose from: announced, negotiating, signed, held, in_force, suspended, "
         "cancelled, ended"),
        ({"types": ["treaty"]}, f"unknown type 'treaty'; choose from: {', '.join(TieType.values())}"),
        ({"categories": ["security", "Security"]}, "unknown category 'Security'; choose from: security, economic"),
        ({"as_of": "2025-02-30"}, "--as-of: '2025-02-30' is not a real date (February 2025 has 28 days)"),
        ({"since": "2025-1"}, "--since: '2025-1' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ({"until": "soon"}, "--until: 'soon' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ({"changes_since": "2025-13"}, "--changes-since: '2025-13': no month 13"),
        ({"since": "2025", "until": "2024-12"}, "--since 2025 is after --until 2024-12"),
    ],
)
def test_build_rejects_bad_values_listing_the_choices(kwargs, message):
    with pytest.raises(UsageError) as exc:
        Selection.build(**kwargs)
    assert str(exc.value).startswith(message)
    assert exc.value.exit_code == 2


def test_build_coerces_values():
    sel = Selection.build(categories=["security"], types=["acsa", "alliance"], statuses=["in_force"],
                          partners=["AUS"], since="2020", until=P("2024-06"), as_of="2023-09",
                          changes_since="2023-01-15")
    assert sel.categories == {Category.SECURITY}
    assert sel.types == {TieType.ACSA, TieType.ALLIANCE}
    assert sel.statuses == {Status.IN_FORCE}
    assert sel.partners == {"AUS"}
    assert (sel.since, sel.until, sel.as_of, sel.changes_since) == (
        PartialDate(2020), PartialDate(2024, 6), PartialDate(2023, 9), PartialDate(2023, 1, 15))
    assert sel.describe() == (
        "--category security --type acsa --type alliance --partner AUS --status in_force "
        "--since 2020 --until 2024-06 --as-of 2023-09 --changes-since 2023-01-15"
    )


def test_build_allows_since_equal_to_until_at_common_precision():
    sel = Selection.build(since="2025-04-28", until="2025-04")
    assert (sel.since, sel.until) == (P("2025-04-28"), P("2025-04"))


def test_empty_selection_keeps_everything(minimal):
    view = select(minimal)
    assert ids(view) == ALL
    assert view.view_date is None and view.changes_since is None
    assert Selection().describe() == ""


def test_select_accepts_a_selection_object(minimal):
    assert ids(select(minimal, Selection.build(types=["acsa"]))) == ["GBR-ACSA"]


# --- partners


def test_unknown_partner_lists_valid_ids(minimal):
    with pytest.raises(UsageError) as exc:
        select(minimal, partners=["XXX", "AAA"])
    message = str(exc.value)
    assert message.startswith("unknown partner 'AAA', 'XXX'; give an id or an English name, one of: ")
    for pid in ("AUS", "GBR", "QUAD", "USA"):
        assert pid in message.split("one of: ")[1]
    assert exc.value.exit_code == 2


def test_partner_filter(minimal):
    assert ids(select(minimal, partners=["GBR"])) == ["GBR-RAA", "GBR-ACSA"]
    assert ids(select(minimal, partners=["GBR", "QUAD"])) == ["GBR-RAA", "GBR-ACSA", "QUAD-SUMMIT", "QUAD-OLD"]


def test_partner_filter_includes_group_ties_naming_the_partner(minimal):
    # Australia's ties include the Quad ties that list AUS among their parties
    assert ids(select(minimal, partners=["AUS"])) == ["AUS-RAA", "AUS-EPA", "QUAD-SUMMIT", "QUAD-OLD"]
    view = select(minimal, partners=["AUS"])
    assert [p.id for p in view.partners] == ["AUS", "QUAD"]


def test_partner_filter_accepts_a_member_that_is_not_a_feature(minimal):
    assert ids(select(minimal, partners=["IND"])) == ["QUAD-SUMMIT", "QUAD-OLD"]


# --- categories, types, statuses, dates


def test_category_filter(minimal):
    assert ids(select(minimal, categories=["economic"])) == ["AUS-EPA", "USA-AUTO"]
    assert ids(select(minimal, categories=["diplomatic"])) == ["QUAD-SUMMIT"]
    assert ids(select(minimal, categories=["economic", "diplomatic"])) == ["AUS-EPA", "USA-AUTO", "QUAD-SUMMIT"]


def test_type_filter(minimal):
    assert ids(select(minimal, types=["reciprocal_access"])) == ["AUS-RAA", "GBR-RAA"]
    assert ids(select(minimal, types=["alliance", "trade_measure"])) == ["USA-TREATY", "USA-AUTO"]


def test_status_filter(minimal):
    assert ids(select(minimal, statuses=["held"])) == ["QUAD-SUMMIT"]
    assert ids(select(minimal, statuses=["ended"])) == ["QUAD-OLD"]
    assert ids(select(minimal, statuses=["held", "ended"])) == ["QUAD-SUMMIT", "QUAD-OLD"]


def test_filters_compose(minimal):
    assert ids(select(minimal, categories=["security"], types=["reciprocal_access"])) == ["AUS-RAA", "GBR-RAA"]
    assert ids(select(minimal, categories=["security"], partners=["AUS"])) == ["AUS-RAA", "QUAD-OLD"]
    assert ids(select(minimal, categories=["security"], types=["reciprocal_access"], partners=["GBR"])) == ["GBR-RAA"]
    assert ids(select(minimal, types=["reciprocal_access"], since="2023")) == ["AUS-RAA", "GBR-RAA"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"since": "2025", "until": "2025"}, ["USA-AUTO"]),
        ({"until": "1960"}, ["USA-TREATY"]),
        ({"until": "1960-01-18"}, []),
        ({"until": "1960-01-19"}, ["USA-TREATY"]),
        ({"since": "2025-04-04"}, []),
        ({"since": "2025-04-03"}, ["USA-AUTO"]),
        # a step dated "2017" may fall in June-December 2017: the period overlaps
        ({"since": "2017-06", "until": "2017-12"}, ["GBR-ACSA"]),
        ({"since": "2008-02-15", "until": "2008-02-15"}, ["QUAD-OLD"]),
        ({"since": "2007", "until": "2008"}, ["QUAD-OLD"]),
        ({"since": "2021-03-12", "until": "2021-03-12"}, ["QUAD-SUMMIT"]),
    ],
)
def test_since_until_ranges(minimal, kwargs, expected):
    if not expected:
        with pytest.raises(EmptySelection):
            select(minimal, **kwargs)
        return
    assert ids(select(minimal, **kwargs)) == expected


def test_since_keeps_ties_with_any_step_in_range(minimal):
    assert ids(select(minimal, since="2017-06")) == ["AUS-RAA", "USA-AUTO", "GBR-RAA", "GBR-ACSA", "QUAD-SUMMIT"]


# --- as-of snapshots


def test_as_of_before_entry_into_force_excludes_it_from_in_force(minimal):
    view = select(minimal, as_of="2023-09", statuses=["in_force"])
    assert "GBR-RAA" not in ids(view)
    assert ids(view) == ["AUS-RAA", "AUS-EPA", "USA-TREATY", "GBR-ACSA"]
    assert view.view_date == dt.date(2023, 9, 30)


def test_as_of_after_entry_into_force_includes_it(minimal):
    view = select(minimal, as_of="2023-11", statuses=["in_force"])
    assert ids(view) == ["AUS-RAA", "AUS-EPA", "USA-TREATY", "GBR-RAA", "GBR-ACSA"]
    assert view.view_date == dt.date(2023, 11, 30)


def test_as_of_snapshot_drops_later_dates_from_the_tie(minimal):
    view = select(minimal, as_of="2023-09")
    raa = tie(view, "GBR-RAA")
    assert raa.status is Status.SIGNED
    assert raa.dates == ((Status.SIGNED, P("2023-01-11")),)
    # QUAD-OLD ended in 2008: it stays in the view, as ended (one counting rule, every view)
    assert ids(view) == ["AUS-RAA", "AUS-EPA", "USA-TREATY", "GBR-RAA", "GBR-ACSA", "QUAD-SUMMIT", "QUAD-OLD"]
    assert tie(view, "QUAD-OLD").status is Status.ENDED
    # the input dataset is untouched
    assert minimal.partner("GBR").ties[0].dates == (
        (Status.SIGNED, P("2023-01-11")), (Status.IN_FORCE, P("2023-10-15")))


def test_as_of_day_precision(minimal):
    assert tie(select(minimal, as_of="2023-10-14"), "GBR-RAA").status is Status.SIGNED
    assert tie(select(minimal, as_of="2023-10-15"), "GBR-RAA").status is Status.IN_FORCE


def test_as_of_partial_step_reached_at_end_of_its_period(minimal):
    # GBR-ACSA: signed 2017-01-26, in force "2017"
    assert tie(select(minimal, as_of="2017-06"), "GBR-ACSA").status is Status.SIGNED
    assert tie(select(minimal, as_of="2017-06"), "GBR-ACSA").dates == ((Status.SIGNED, P("2017-01-26")),)
    assert tie(select(minimal, as_of="2017-12-30"), "GBR-ACSA").status is Status.SIGNED
    assert tie(select(minimal, as_of="2017-12-31"), "GBR-ACSA").status is Status.IN_FORCE
    assert tie(select(minimal, as_of="2017"), "GBR-ACSA").status is Status.IN_FORCE


def test_as_of_before_a_tie_existed_removes_it(minimal):
    assert ids(select(minimal, as_of="2017-01-25")) == ["AUS-EPA", "USA-TREATY", "QUAD-OLD"]


def test_ended_ties_stay_as_ended_after_their_end(minimal):
    # QUAD-OLD: held 2007-05, ended 2008-02 (reached on 2008-02-29). The default map shows ended
    # ties (muted); every snapshot, and so every frame of the timeline, shows them the same way.
    assert ids(select(minimal, as_of="2007-04")) == ["USA-TREATY"]
    assert ids(select(minimal, as_of="2007-05")) == ["USA-TREATY", "QUAD-OLD"]
    assert tie(select(minimal, as_of="2008-02-28"), "QUAD-OLD").status is Status.HELD
    assert tie(select(minimal, as_of="2008-02-29"), "QUAD-OLD").status is Status.ENDED
    assert tie(select(minimal, as_of="2025-11-30"), "QUAD-OLD").status is Status.ENDED
    assert ids(select(minimal, as_of="2008-02", statuses=["held", "in_force"])) == ["USA-TREATY"]


def test_without_as_of_ended_ties_are_kept_with_their_status(minimal):
    assert tie(select(minimal), "QUAD-OLD").status is Status.ENDED


def test_as_of_on_the_dataset_date_keeps_the_curated_status(minimal):
    # the stored status may be a later step with no recorded date
    data = dataclasses.replace(minimal, partners=tuple(
        dataclasses.replace(p, ties=tuple(
            dataclasses.replace(t, dates=t.dates[:1]) if t.id == "AUS-RAA" else t for t in p.ties))
        for p in minimal.partners))
    assert tie(select(data, as_of="2025-11-30"), "AUS-RAA").status is Status.IN_FORCE
    assert tie(select(data, as_of="2025-11-29"), "AUS-RAA").status is Status.SIGNED


def test_as_of_before_everything_is_an_empty_selection(minimal):
    with pytest.raises(EmptySelection) as exc:
        select(minimal, as_of="1950")
    assert str(exc.value) == f"{minimal.source}: no ties match --as-of 1950"
    assert exc.value.exit_code == 1


def test_empty_selection_message_names_the_filters(minimal):
    with pytest.raises(EmptySelection) as exc:
        select(minimal, categories=["economic"], types=["alliance"])
    assert str(exc.value) == f"{minimal.source}: no ties match --category economic --type alliance"


# --- changes since


def test_changes_since_marks_new_and_advanced(minimal):
    view = select(minimal, changes_since="2023")
    changes = {t.id: t.change for t in view.ties}
    assert changes == {
        "AUS-RAA": "advanced",   # signed 2022, in force 2023-08-13
        "AUS-EPA": None,
        "USA-TREATY": None,
        "USA-AUTO": "new",
        "GBR-RAA": "new",        # signed 2023-01-11
        "GBR-ACSA": None,
        "QUAD-SUMMIT": None,
        "QUAD-OLD": None,        # ended long before
    }
    assert view.changes_since == dt.date(2023, 1, 1)


def test_changes_since_marks_ended(minimal):
    view = select(minimal, changes_since="2008-01", as_of="2008-03")
    assert {t.id: t.change for t in view.ties} == {"USA-TREATY": None, "QUAD-OLD": "ended"}
    assert tie(view, "QUAD-OLD").status is Status.ENDED
    # once the end is before the window, the tie is ended but no longer a change
    view = select(minimal, changes_since="2008-03", as_of="2008-03")
    assert {t.id: t.change for t in view.ties} == {"USA-TREATY": None, "QUAD-OLD": None}


def test_changes_since_with_a_snapshot(minimal):
    view = select(minimal, changes_since="2025-04", as_of="2025-11-30")
    assert {t.id: t.change for t in view.ties if t.change} == {"USA-AUTO": "advanced"}
    view = select(minimal, changes_since="2025-04-04", as_of="2025-11-30")
    assert {t.id: t.change for t in view.ties if t.change} == {}


def test_changes_since_with_partial_step(minimal):
    # in force "2017" may have happened after 2017-06-01: the tie advanced in the window
    view = select(minimal, changes_since="2017-06")
    assert tie(view, "GBR-ACSA").change == "advanced"


# --- property: a snapshot never shows the future


DATES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2025, 11, 30))


@st.composite
def partial_dates(draw) -> PartialDate:
    d = draw(DATES)
    precision = draw(st.sampled_from([1, 2, 3]))
    return PartialDate(d.year, d.month if precision > 1 else None, d.day if precision > 2 else None)


MINIMAL = load(Path(__file__).parent / "data" / "minimal.geojson")


@settings(max_examples=200, deadline=None)
@given(partial_dates())
def test_snapshot_never_shows_a_step_after_its_date(as_of):
    minimal = MINIMAL
    known_by = minimal.as_of.last_day()
    view_day = min(as_of.last_day(), known_by)
    expected = [t.id for t in minimal.ties if status_on(t.dates, view_day, known_by) is not None]
    try:
        view = select(minimal, as_of=as_of)
    except EmptySelection:
        assert expected == []
        return
    assert view.view_date == view_day
    assert ids(view) == expected
    for t in view.ties:
        assert t.dates, t.id
        assert t.first_date.first_day() <= view_day, t.id
        for step, d in t.dates:
            assert d.first_day() <= view_day, (t.id, step, d)
            assert reached(d, view_day, known_by), (t.id, step, d)
        assert t.status is status_on(t.dates, view_day, known_by) or view_day >= known_by
        if view_day < known_by:
            assert t.status is status_on(t.dates, view_day, known_by)


def test_after_the_data_as_of_is_refused(minimal):
    with pytest.raises(UsageError, match="after the data's as-of date"):
        select(minimal, as_of="2026")
    with pytest.raises(UsageError, match="nothing can have changed yet"):
        select(minimal, changes_since="2030-01-01")


def test_changes_since_counts_only_dated_steps(minimal):
    # AUS-RAA stored in force with only a signed date (the schema's undated later step):
    # it has not "advanced" since any date, however recent
    data = dataclasses.replace(minimal, partners=tuple(
        dataclasses.replace(p, ties=tuple(
            dataclasses.replace(t, dates=t.dates[:1]) if t.id == "AUS-RAA" else t for t in p.ties))
        for p in minimal.partners))
    assert tie(select(data, changes_since="2025-01-20"), "AUS-RAA").change is None
    assert tie(select(data, changes_since="2021"), "AUS-RAA").change == "new"


def test_partner_by_any_case_or_english_name_and_by_membership(minimal):
    assert ids(select(minimal, partners=["aus"])) == ids(select(minimal, partners=["AUS"]))
    assert ids(select(minimal, partners=["United Kingdom"])) == ids(select(minimal, partners=["GBR"]))
    # the Quad's members include India, which is no partner of its own here
    assert set(ids(select(minimal, partners=["IND"]))) == {"QUAD-SUMMIT", "QUAD-OLD"}
    view = select(minimal, partners=["usa"])
    assert {"QUAD-SUMMIT", "QUAD-OLD"} <= set(ids(view)) and view.selection.partners == {"USA"}
