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
from .errors import EmptySelection, UsageError, listing
from .gcpause import without_gc
from .lifecycle import reached, status_on
from .model import Dataset, Partner, Tie
from .vocab import STATUS_RANK, TERMINAL_STATUSES, Category, Status, TieType


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


def _reached(tie: Tie, on: dt.date, known_by: dt.date) -> tuple[tuple[Status, PartialDate], ...]:
    """The recorded steps (dates as written) whose lifecycle step is reached on ``on``."""
    effective = dict(tie.steps)
    return tuple((s, d) for s, d in tie.dates if reached(effective[s], on, known_by))


def snapshot(tie: Tie, on: dt.date, known_by: dt.date) -> Tie | None:
    """The tie as it stood on ``on``: only steps reached by then, status from them.

    A tie that had ended by then stays, with its terminal status: the one
    counting rule shows ended ties (muted) on every view, the default map
    and the last frame of the timeline alike.
    """
    status = status_on(tie.steps, on, known_by)
    if status is None:
        return None
    if on >= known_by:  # the dataset's own date: keep a curated status with no date
        status = tie.status
    return dataclasses.replace(tie, dates=_reached(tie, on, known_by), status=status)


def change_since(tie: Tie, since: dt.date, on: dt.date, known_by: dt.date) -> str | None:
    """"new", "ended" or "advanced" if a *dated* step of the tie falls on or after ``since`` (up to ``on``).

    Only dated steps count: a treaty stored as in force with no known
    in-force date has not changed since any date (that status is a curator's
    statement about the as-of day, not an event).
    """
    day_before = since - dt.timedelta(days=1)
    before = status_on(tie.steps, day_before, known_by)
    after = status_on(tie.steps, on, known_by)
    if after is None:
        return None
    if before is None:
        return "new"
    if after in TERMINAL_STATUSES and before not in TERMINAL_STATUSES:
        return "ended"
    if STATUS_RANK[after] > STATUS_RANK[before]:
        return "advanced"
    return None


def _in_range(tie: Tie, since: PartialDate | None, until: PartialDate | None) -> bool:
    # A tie is in range if any of its steps may fall in it (periods overlap).
    lo = since.first_day() if since else dt.date.min
    hi = until.last_day() if until else dt.date.max
    return any(d.last_day() >= lo and d.first_day() <= hi for _, d in tie.dates)


def resolve_partners(dataset: Dataset, wanted: Iterable[str]) -> frozenset[str]:
    """Partner ids from what a user typed: an id in any case (``aus``) or an exact English name (``Australia``).

    Member states of the file's organisations and groups count too (``--partner CAN`` for NATO's Canada).
    """
    by_key: dict[str, str] = {}
    for p in dataset.partners:
        by_key.setdefault(p.name.casefold(), p.id)
        by_key[p.id.casefold()] = p.id
    for p in dataset.partners:
        for m in p.members:
            by_key.setdefault(m.casefold(), m)
    out, unknown = set(), []
    for w in sorted(wanted, key=str):
        key = str(w).strip().casefold()
        if key in by_key:
            out.add(by_key[key])
        else:
            unknown.append(str(w))
    if unknown:
        shown = listing((repr(u[:40]) for u in unknown), limit=5)
        choices = listing(sorted(p.id for p in dataset.partners), limit=30)
        raise UsageError(f"unknown partner {shown}; give an id or an English name, one of: {choices}")
    return frozenset(out)


def _involves(tie: Tie, partner: Partner, partners: frozenset[str]) -> bool:
    """A tie with X, a multilateral tie naming X among its parties, or a tie with a grouping X belongs to."""
    return (tie.partner in partners or bool(partners.intersection(tie.parties))
            or bool(partners.intersection(partner.members)))


def _keep(tie: Tie, partner: Partner, sel: Selection, view_day: dt.date | None, changes_day: dt.date | None,
          known_by: dt.date) -> Tie | None:
    """The tie as the view shows it, or None if the selection leaves it out."""
    if view_day is not None:
        tie = snapshot(tie, view_day, known_by)
        if tie is None:
            return None
    if changes_day is not None:
        change = change_since(tie, changes_day, view_day or known_by, known_by)
        if change:
            tie = dataclasses.replace(tie, change=change)
    if sel.categories and tie.category not in sel.categories:
        return None
    if sel.types and tie.type not in sel.types:
        return None
    if sel.statuses and tie.status not in sel.statuses:
        return None
    if sel.partners and not _involves(tie, partner, sel.partners):
        return None
    if (sel.since or sel.until) and not _in_range(tie, sel.since, sel.until):
        return None
    return tie


@without_gc
def select(dataset: Dataset, selection: Selection | None = None, **kwargs) -> Dataset:
    """Filter ``dataset`` (pass a ``Selection`` or the keyword arguments of ``Selection.build``).

    ``--partner X`` keeps X's own ties, the multilateral ties naming X among
    their parties, and the ties of organisations and groups X is a member of
    (the Quad for Australia): that is what "Australia's ties" means to a reader.
    The view remembers its selection (``Dataset.selection``) so titles can say
    what is shown.
    """
    sel = selection if selection is not None else Selection.build(**kwargs)
    if sel.partners:
        sel = dataclasses.replace(sel, partners=resolve_partners(dataset, sel.partners))
    known_by = dataset.as_of.last_day()
    if sel.as_of is not None and sel.as_of.first_day() > known_by:
        raise UsageError(f"--as-of {sel.as_of} is after the data's as-of date {dataset.as_of}")
    # "--as-of 2025" is the end of 2025, or the data's own day if that comes first: it vouches for no later day
    view_day = min(sel.as_of.last_day(), known_by) if sel.as_of else None
    changes_day = sel.changes_since.first_day() if sel.changes_since else None
    if changes_day is not None and changes_day > (view_day or known_by):
        raise UsageError(f"--changes-since {sel.changes_since} is after the date shown "
                         f"({(view_day or known_by).isoformat()}): nothing can have changed yet")
    partners: list[Partner] = []
    for partner in dataset.partners:
        ties = [t for t in (_keep(tie, partner, sel, view_day, changes_day, known_by) for tie in partner.ties) if t]
        if ties:
            partners.append(dataclasses.replace(partner, ties=tuple(ties)))
    if not partners:
        raise EmptySelection(f"{dataset.source}: no ties match {sel.describe() or 'the selection'}")
    return dataclasses.replace(
        dataset, partners=tuple(partners), view_date=view_day, changes_since=changes_day,
        selection=sel if sel != Selection() else None, whole=dataset.file,
    )
