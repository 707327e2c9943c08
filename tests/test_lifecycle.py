"""The lifecycle rule: a tie's status on a day, with partial dates and the as-of cap."""

from __future__ import annotations

import datetime as dt
from functools import cmp_to_key

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnermap.dates import PartialDate, day_number
from partnermap.lifecycle import latest_step, reached, status_changes, status_on, step_order, steps_by
from partnermap.vocab import Status

P = PartialDate.parse
D = dt.date


def steps(**dates: str) -> tuple[tuple[Status, PartialDate], ...]:
    return tuple((Status(k), P(v)) for k, v in dates.items())


RAA = steps(signed="2023-01-11", in_force="2023-10-15")


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (D(2023, 1, 10), None),
        (D(2023, 1, 11), Status.SIGNED),
        (D(2023, 10, 14), Status.SIGNED),
        (D(2023, 10, 15), Status.IN_FORCE),
        (D(2030, 1, 1), Status.IN_FORCE),
    ],
)
def test_status_on_full_dates(on, expected):
    assert status_on(RAA, on) is expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        # signed "2023-01" is only certain on 2023-01-31
        (D(2023, 1, 1), None),
        (D(2023, 1, 30), None),
        (D(2023, 1, 31), Status.SIGNED),
        # in force "2023" is only certain on 2023-12-31
        (D(2023, 12, 30), Status.SIGNED),
        (D(2023, 12, 31), Status.IN_FORCE),
    ],
)
def test_status_on_partial_dates_reached_on_last_day_of_period(on, expected):
    assert status_on(steps(signed="2023-01", in_force="2023"), on) is expected


def test_partial_month_reached_on_leap_day():
    assert status_on(steps(signed="2024-02"), D(2024, 2, 28)) is None
    assert status_on(steps(signed="2024-02"), D(2024, 2, 29)) is Status.SIGNED


def test_known_by_caps_a_partial_date():
    tie = steps(signed="2024-06-01", in_force="2025")
    known_by = D(2025, 11, 30)
    assert status_on(tie, D(2025, 11, 29), known_by) is Status.SIGNED
    assert status_on(tie, D(2025, 11, 30), known_by) is Status.IN_FORCE
    # without the cap, "2025" is only reached at the end of the year
    assert status_on(tie, D(2025, 11, 30)) is Status.SIGNED
    assert status_on(tie, D(2025, 12, 31)) is Status.IN_FORCE


def test_known_by_never_makes_a_day_date_earlier():
    assert not reached(P("2025-11-30"), D(2025, 11, 29), known_by=D(2025, 11, 30))
    assert reached(P("2025-11-30"), D(2025, 11, 30), known_by=D(2025, 11, 30))
    # a cap later than the period changes nothing
    assert not reached(P("2025-03"), D(2025, 3, 30), known_by=D(2025, 11, 30))
    assert reached(P("2025-03"), D(2025, 3, 31), known_by=D(2025, 11, 30))


@pytest.mark.parametrize(
    ("date", "on", "expected"),
    [
        ("2025", D(2025, 12, 30), False),
        ("2025", D(2025, 12, 31), True),
        ("2025-04", D(2025, 4, 29), False),
        ("2025-04", D(2025, 4, 30), True),
        ("2025-04-28", D(2025, 4, 27), False),
        ("2025-04-28", D(2025, 4, 28), True),
    ],
)
def test_reached(date, on, expected):
    assert reached(P(date), on) is expected


def test_same_day_signed_and_in_force_is_in_force():
    same_day = steps(signed="2020-05-01", in_force="2020-05-01")
    assert status_on(same_day, D(2020, 5, 1)) is Status.IN_FORCE
    assert status_on(same_day, D(2020, 4, 30)) is None
    # the order the steps are given in does not matter
    assert status_on(tuple(reversed(same_day)), D(2020, 5, 1)) is Status.IN_FORCE


def test_same_day_later_step_wins_for_every_pair():
    assert status_on(steps(announced="2021-02-02", negotiating="2021-02-02"), D(2021, 2, 2)) is Status.NEGOTIATING
    assert status_on(steps(in_force="2021-02-02", suspended="2021-02-02"), D(2021, 2, 2)) is Status.SUSPENDED
    assert status_on(steps(in_force="2021-02-02", ended="2021-02-02"), D(2021, 2, 2)) is Status.ENDED


def test_latest_step_at_common_precision():
    # "2023-01" is not before "2023-01-15" at their common precision, so the later step wins
    assert latest_step(steps(signed="2023-01", in_force="2023-01-15")) == (Status.IN_FORCE, P("2023-01-15"))
    assert latest_step(steps(in_force="2023-01-15", signed="2023-01")) == (Status.IN_FORCE, P("2023-01-15"))
    assert latest_step(steps(signed="2007-08-10", in_force="2007-08")) == (Status.IN_FORCE, P("2007-08"))


def test_latest_step_by_date_first():
    assert latest_step(steps(signed="2014-07-08", in_force="2015-01-15")) == (Status.IN_FORCE, P("2015-01-15"))
    # a later date beats a higher rank
    assert latest_step(steps(in_force="2010", held="2012-03-01")) == (Status.HELD, P("2012-03-01"))


def test_latest_step_of_nothing_is_none():
    assert latest_step(()) is None
    assert latest_step(iter(())) is None


def test_latest_step_accepts_a_generator():
    gen = ((s, d) for s, d in RAA)
    assert latest_step(gen) == (Status.IN_FORCE, P("2023-10-15"))


def test_nothing_reached_is_none():
    assert status_on(RAA, D(1999, 1, 1)) is None
    assert status_on((), D(2030, 1, 1)) is None
    assert steps_by(RAA, D(1999, 1, 1)) == ()


def test_steps_by_keeps_only_reached_steps_in_order():
    tie = steps(signed="2022-01-06", in_force="2023-08", ended="2025")
    assert steps_by(tie, D(2023, 8, 30)) == steps(signed="2022-01-06")
    assert steps_by(tie, D(2023, 8, 31)) == steps(signed="2022-01-06", in_force="2023-08")
    assert steps_by(tie, D(2025, 11, 30), known_by=D(2025, 11, 30)) == tie


def test_ended_tie_status_after_end():
    tie = steps(held="2007-05", ended="2008-02")
    assert status_on(tie, D(2007, 5, 30)) is None
    assert status_on(tie, D(2007, 5, 31)) is Status.HELD
    assert status_on(tie, D(2008, 2, 28)) is Status.HELD
    assert status_on(tie, D(2008, 2, 29)) is Status.ENDED


def test_step_order_is_lifecycle_order_at_common_precision():
    signed, in_force = (Status.SIGNED, P("2017-01-26")), (Status.IN_FORCE, P("2017"))
    assert step_order(signed, in_force) < 0
    assert step_order(in_force, signed) > 0
    assert step_order(signed, signed) == 0
    assert step_order((Status.IN_FORCE, P("2016-12-31")), signed) < 0  # date first
    shuffled = steps(ended="2020", in_force="2017", negotiating="2015-03", signed="2017-01-26")
    assert sorted(shuffled, key=cmp_to_key(step_order)) == list(
        steps(negotiating="2015-03", signed="2017-01-26", in_force="2017", ended="2020"))


_DATE_TEXT = st.builds(lambda y, m, d, prec: f"{y}-{m:02d}-{d:02d}"[:(4, 7, 10)[prec]],
                       st.integers(2019, 2021), st.integers(1, 12), st.integers(1, 28), st.integers(0, 2))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([s.value for s in Status]), _DATE_TEXT, min_size=1, max_size=4),
       st.dates(D(2019, 6, 1), D(2022, 6, 1)), st.dates(D(2018, 1, 1), D(2022, 12, 31)))
def test_status_changes_is_status_on_day_by_day(dates, known_by, until):
    """The browser's timeline (status_changes, in day numbers) says what status_on says on every day."""
    tie = steps(**dates)
    changes = status_changes(tie, known_by, until)
    days = [n for n, _ in changes]
    assert days == sorted(set(days)) and all(n <= day_number(until) for n in days)
    day = D(2018, 1, 1)
    while day <= until:
        n = day_number(day)
        shown = [s for c, s in changes if c <= n]
        assert (shown[-1] if shown else None) is status_on(tie, day, known_by), day
        day += dt.timedelta(days=11)
    for n, status in changes:  # and on each change day itself
        assert status is status_on(tie, D(1970, 1, 1) + dt.timedelta(days=n), known_by)
