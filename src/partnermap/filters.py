"""Select the part of a network a user asked for. Every output goes through here.

``select`` returns a ``Dataset`` of the same shape as the input, so render,
list, sources and exports never need to know which filters were applied.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .dates import PartialDate
from .errors import PartnermapError, UsageError
from .lifecycle import status_on, steps_by
from .model import Dataset, Partner, Tie
from .vocab import STATUS_RANK, TERMINAL_STATUSES, Category, Status, TieType


class EmptySelection(PartnermapError):
    """The filters are valid but match no tie: say so instead of drawing an empty map."""

    exit_code = 1


@dataclass(frozen=True)
class Selection:
    """What to show. Empty sets mean "all"; dates are partial ISO dates."""

    categories: frozenset[Category] = frozenset()
    types: frozenset[TieType] = frozenset()
    partners: frozenset[str] = frozenset()
    statuses: frozenset[Status] = frozenset()
    since: PartialDate | None = None
    until: PartialDate | None = None
    as_of: PartialDate | None = None
    changes_since: PartialDate | None = None

    @classmethod
    def build(
        cls,
        *,
        categories: Iterable[str] = (),
        types: Iterable[str] = (),
        partners: Iterable[str] = (),
        statuses: Iterable[str] = (),
        since: str | PartialDate | None = None,
        until: str | PartialDate | None = None,
        as_of: str | PartialDate | None = None,
        changes_since: str | PartialDate | None = None,
    ) -> Selection:
        """Coerce user strings, raising ``UsageError`` that lists the valid choices."""
        sel = cls(
            categories=_enum_set(Category, categories, "category"),
            types=_enum_set(TieType, types, "type"),
            partners=frozenset(partners),
            statuses=_enum_set(Status, statuses, "status"),
            since=_date(since, "since"),
            until=_date(until, "until"),
            as_of=_date(as_of, "as-of"),
            changes_since=_date(changes_since, "changes-since"),
        )
        if sel.since and sel.until and sel.since.compare(sel.until) > 0:
            raise UsageError(f"--since {sel.since} is after --until {sel.until}")
        return sel

    def describe(self) -> str:
        """The filters in CLI spelling, for messages and subtitles."""
        parts = [f"--category {c}" for c in sorted(self.categories)]
        parts += [f"--type {t}" for t in sorted(self.types)]
        parts += [f"--partner {p}" for p in sorted(self.partners)]
        parts += [f"--status {s}" for s in sorted(self.statuses)]
        for name in ("since", "until", "as_of", "changes_since"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"--{name.replace('_', '-')} {value}")
        return " ".join(parts)


def _enum_set(enum: type, values: Iterable[str], name: str) -> frozenset:
    out = set()
    for v in values:
        try:
            out.add(enum(v))
        except ValueError:
            raise UsageError(f"unknown {name} {v!r}; choose from: {', '.join(enum.values())}") from None
    return frozenset(out)


def _date(value: str | PartialDate | None, name: str) -> PartialDate | None:
    if value is None or isinstance(value, PartialDate):
        return value
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        raise UsageError(f"--{name}: {exc}") from None


def snapshot(tie: Tie, on: dt.date, known_by: dt.date) -> Tie | None:
    """The tie as it stood on ``on``: only steps reached by then, status from them."""
    steps = steps_by(tie.steps, on, known_by)
    status = status_on(steps, on, known_by)
    if status is None:
        return None
    if on >= known_by:  # the dataset's own date: keep a curated status with no date
        status = tie.status
    return dataclasses.replace(tie, dates=steps, status=status)


def change_since(tie: Tie, since: dt.date, now: Status, known_by: dt.date) -> str | None:
    """"new", "advanced" or "ended" if the tie moved on or after ``since``."""
    before = status_on(tie.steps, since - dt.timedelta(days=1), known_by)
    if before is None:
        return "new"
    if now in TERMINAL_STATUSES and before not in TERMINAL_STATUSES:
        return "ended"
    if STATUS_RANK[now] > STATUS_RANK[before]:
        return "advanced"
    return None


def _in_range(tie: Tie, since: PartialDate | None, until: PartialDate | None) -> bool:
    # A tie is in range if any of its steps may fall in it (periods overlap).
    lo = since.first_day() if since else dt.date.min
    hi = until.last_day() if until else dt.date.max
    return any(d.last_day() >= lo and d.first_day() <= hi for _, d in tie.dates)


def _involves(tie: Tie, partners: frozenset[str]) -> bool:
    return tie.partner in partners or bool(partners.intersection(tie.parties))


def select(dataset: Dataset, selection: Selection | None = None, **kwargs) -> Dataset:
    """Filter ``dataset`` (pass a ``Selection`` or the keyword arguments of ``Selection.build``).

    ``--partner X`` keeps X's own ties and the multilateral ties naming X among
    their parties (the Quad for Australia), since that is what "Australia's
    ties" means to a reader.
    """
    sel = selection if selection is not None else Selection.build(**kwargs)
    known = {p.id for p in dataset.partners} | {m for p in dataset.partners for m in p.members}
    unknown = sorted(sel.partners - known)
    if unknown:
        raise UsageError(
            f"unknown partner {', '.join(unknown)}; choose from: {', '.join(sorted(p.id for p in dataset.partners))}"
        )
    known_by = dataset.as_of.last_day()
    view_day = sel.as_of.last_day() if sel.as_of else None
    changes_day = sel.changes_since.first_day() if sel.changes_since else None
    partners: list[Partner] = []
    for partner in dataset.partners:
        ties = []
        for tie in partner.ties:
            if view_day is not None:
                tie = snapshot(tie, view_day, known_by)
                if tie is None:
                    continue
            change = change_since(tie, changes_day, tie.status, known_by) if changes_day else None
            if tie.status in TERMINAL_STATUSES and view_day is not None and change != "ended":
                continue  # ended before the snapshot: no longer part of that network
            if change:
                tie = dataclasses.replace(tie, change=change)
            if sel.categories and tie.category not in sel.categories:
                continue
            if sel.types and tie.type not in sel.types:
                continue
            if sel.statuses and tie.status not in sel.statuses:
                continue
            if sel.partners and not _involves(tie, sel.partners):
                continue
            if (sel.since or sel.until) and not _in_range(tie, sel.since, sel.until):
                continue
            ties.append(tie)
        if ties:
            partners.append(dataclasses.replace(partner, ties=tuple(ties)))
    if not partners:
        raise EmptySelection(f"{dataset.source}: no ties match {sel.describe() or 'the selection'}")
    return dataclasses.replace(
        dataset, partners=tuple(partners), view_date=view_day, changes_since=changes_day,
    )
