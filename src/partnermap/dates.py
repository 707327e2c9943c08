"""Partial ISO dates (``2025``, ``2025-04``, ``2025-09-11``) and how they compare.

Decided once, here: a partial date is *reached* on the last day of its period
(``2023-01`` by 2023-01-31), so a map never shows a step before it is sure the
step happened. Two dates of different precision are compared at their common
precision, so ``2007-08`` and ``2007-08-10`` are neither before nor after each
other.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache, total_ordering

EPOCH = dt.date(1970, 1, 1)  # day numbers count from here (the browser's Date epoch)
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


def day_number(day: dt.date) -> int:
    """A day as the integer the browser compares (days since 1970-01-01)."""
    return (day - EPOCH).days


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to year, month or day precision. Orders by its first day."""

    year: int
    month: int | None = None
    day: int | None = None
    # 3 for a day, 2 for a month, 1 for a year: derived once, compared often (the lifecycle rule
    # compares dates at their common precision for every tie of every view).
    precision: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Derived once per distinct date (``_parse`` hands out one object per text), directly:
        # a 100,000-tie network has 14,000 distinct dates, each built in a few microseconds.
        year, month, day = self.year, self.month, self.day
        put = object.__setattr__
        put(self, "precision", 1 + (month is not None) + (day is not None))
        # Dates key dictionaries and are written out often (100,000 ties: 300,000 times): once each.
        put(self, "_hash", hash((year, month, day)))
        put(self, "iso", _text(year, month, day))
        if not (1 <= year <= 9999 and (month is None or 1 <= month <= 12)):
            return  # not a date (parse refuses it with a message); no days to derive
        first = dt.date(year, month or 1, day or 1)
        if day is not None:
            last = first
        elif month is not None:
            last = dt.date(year, month, calendar.monthrange(year, month)[1])
        else:
            last = dt.date(year, 12, 31)
        put(self, "_first", first)
        put(self, "_last", last)
        # the first and last days as day numbers (days since 1970-01-01), what the browser compares;
        # ``a.compare(b) > 0`` exactly when ``a.first_number > b.last_number`` (checks use that)
        put(self, "first_number", first.toordinal() - _EPOCH_ORDINAL)
        put(self, "last_number", last.toordinal() - _EPOCH_ORDINAL)

    def __hash__(self) -> int:
        return self._hash

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ISO 8601 ``YYYY[-MM[-DD]]``; raise ValueError naming the problem.

        The same text gives the same (immutable) object: a network repeats its dates often."""
        if not isinstance(text, str):
            raise ValueError(f"expected a date string like 2025-04-28, got {type(text).__name__}")
        return _parse(text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        m = _DATE_RE.fullmatch(text)
        if not m:
            raise ValueError(f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        y, mo, d = m.groups()
        year, month, day = int(y), int(mo) if mo else None, int(d) if d else None
        if year < 1000:
            raise ValueError(f"{text!r}: year out of range")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r}: no month {month}")
        if day is not None and (day < 1 or (day > 28 and day > calendar.monthrange(year, month)[1])):
            last = calendar.monthrange(year, month)[1]
            raise ValueError(f"{text!r} is not a real date ({calendar.month_name[month]} {year} has {last} days)")
        return cls(year, month, day)

    def first_day(self) -> dt.date:
        return self._first

    def last_day(self) -> dt.date:
        return self._last

    def truncate(self, precision: int) -> tuple[int, ...]:
        return (self.year, self.month, self.day)[:precision]  # type: ignore[return-value]

    def compare(self, other: PartialDate) -> int:
        """-1, 0 or 1 at the common precision (0 means compatible, not equal)."""
        if self.year != other.year:
            return 1 if self.year > other.year else -1
        if self.month is None or other.month is None or self.month == other.month:
            if self.month is None or other.month is None or self.day is None or other.day is None:
                return 0
            return (self.day > other.day) - (self.day < other.day)
        return 1 if self.month > other.month else -1

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.first_day(), self.precision) < (other.first_day(), other.precision)

    def __str__(self) -> str:
        return self.iso


_parse = lru_cache(maxsize=1 << 16)(PartialDate._parse)
parse_str = _parse  # ``PartialDate.parse`` of a value already known to be a str (the checks' fast path)


_EPOCH_ORDINAL = EPOCH.toordinal()


def _text(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"
