"""The lifecycle rule, in one place: what state a tie was in on a given day.

A tie's status on day D is its latest dated step reached by D (partial dates
are reached on the last day of their period, see ``dates``). Steps reached on
the same day are ordered by ``STATUS_RANK``, so a treaty signed and in force on
one day is in force that day. No step reached: the tie did not exist yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cmp_to_key

from .dates import PartialDate, day_number
from .vocab import STATUS_RANK, Status

Steps = Iterable[tuple[Status, PartialDate]]
_RANK = {**STATUS_RANK}  # a plain dict keyed by the members: Status.X attribute lookups are slow


def step_order(a: tuple[Status, PartialDate], b: tuple[Status, PartialDate]) -> int:
    # Compare at common precision so "signed 2023-01" is not after "in force 2023-01-15".
    return a[1].compare(b[1]) or (_RANK[a[0]] - _RANK[b[0]])


def latest_step(steps: Steps) -> tuple[Status, PartialDate] | None:
    best = None
    for step in steps:  # a loop, not max(key=cmp_to_key(...)): this runs for every tie of every view
        if best is None or step_order(step, best) > 0:
            best = step
    return best


def reached(date: PartialDate, on: dt.date, known_by: dt.date | None = None) -> bool:
    """Has a step dated ``date`` certainly happened by day ``on``?

    ``known_by`` is the dataset's as-of day: the curator asserts every recorded
    step happened by then, so a step dated ``2025`` in a file as of 2025-11-30
    is reached on 2025-11-30, not only on 2025-12-31.
    """
    last = date.last_day()
    if known_by is not None:
        last = min(last, known_by)
    return last <= on


def steps_by(steps: Steps, on: dt.date, known_by: dt.date | None = None) -> tuple[tuple[Status, PartialDate], ...]:
    """The steps already reached on ``on``: what a snapshot may show."""
    return tuple((s, d) for s, d in steps if reached(d, on, known_by))


def status_on(steps: Steps, on: dt.date, known_by: dt.date | None = None) -> Status | None:
    latest = latest_step(step for step in steps if reached(step[1], on, known_by))
    return latest[0] if latest else None


def reached_number(date: PartialDate, known: int) -> int:
    """The day number (``dates.day_number``) from which a step dated ``date`` is ``reached``, in a
    file whose as-of day is day ``known``."""
    return min(date.last_number, known)


def status_changes(steps: Steps, known_by: dt.date, until: dt.date) -> list[tuple[int, Status]]:
    """Each day number up to ``until`` on which a step is reached, with ``status_on`` from that day:
    a tie's whole timeline in one pass, in the day numbers the browser compares (``payload``)."""
    return changes_between(tuple(steps), day_number(known_by), day_number(until))


def changes_between(steps: tuple[tuple[Status, PartialDate], ...], known: int, last: int) -> list[tuple[int, Status]]:
    """``status_changes`` with its days already day numbers (``known``: the as-of day, ``last``: the
    last day shown): the payload calls it once per tie, with the two numbers computed once."""
    if len(steps) == 1:  # most ties: one step, one change
        n = steps[0][1].last_number
        if n > known:
            n = known
        return [(n, steps[0][0])] if n <= last else []
    if len(steps) == 2:  # the next most common (signed, then in force): the general loop, unrolled
        a, b = steps
        ra, rb = min(a[1].last_number, known), min(b[1].last_number, known)
        both = latest_step(steps)[0]
        if ra == rb:
            return [(ra, both)] if ra <= last else []
        first, n1, n2 = (a, ra, rb) if ra < rb else (b, rb, ra)
        if n1 > last:
            return []
        return [(n1, first[0]), (n2, both)] if n2 <= last else [(n1, first[0])]
    on = [(reached_number(d, known), (s, d)) for s, d in steps]
    out = []
    for n in sorted({r for r, _ in on}):
        if n > last:
            break
        out.append((n, latest_step(step for r, step in on if r <= n)[0]))
    return out


def effective_steps(steps: Steps, retroactive: bool = False) -> tuple[tuple[Status, PartialDate], ...]:
    """The steps as the lifecycle sees them.

    A retroactive entry into force (in force from 1983-01-01 by an agreement
    signed on 1983-03-28) is *reached* on the signing day: before it, no map
    could have shown the agreement at all. Its recorded date stays as written.
    """
    steps = tuple(steps)
    if not retroactive:
        return steps
    signed = next((d for s, d in steps if s is Status.SIGNED), None)
    if signed is None:
        return steps
    moved = tuple((s, signed if s is Status.IN_FORCE and d < signed else d) for s, d in steps)
    return tuple(sorted(moved, key=cmp_to_key(step_order)))
