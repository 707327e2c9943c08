"""Frozen records for a partner network. Every step after ``load`` works on these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .dates import PartialDate
from .vocab import Category, Kind, Nature, Relationship, Status, TieType

if TYPE_CHECKING:  # shapely is imported by whoever builds geometries, not by the CLI's start-up
    from shapely.geometry.base import BaseGeometry

Point = tuple[float, float]


UNDATED = "n.d."  # the citation convention for a page that carries no date


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    date: PartialDate | None  # None: the page is undated ("n.d." in the file)
    author: str | None = None
    container: str | None = None
    locator: str | None = None
    url: str | None = None

    @property
    def date_text(self) -> str:
        return str(self.date) if self.date else UNDATED


@dataclass(frozen=True)
class Tie:
    """One agreement, event or measure between the focal country and a partner."""

    id: str
    partner: str
    title: str
    category: Category
    type: TieType
    status: Status
    dates: tuple[tuple[Status, PartialDate], ...]
    summary: str
    sources: tuple[Source, ...]
    nature: Nature = Nature.COOPERATION
    parties: tuple[str, ...] = ()
    note: str | None = None
    # Set by filters.changes_since: "new", "advanced", "ended" or None.
    change: str | None = None

    def date(self, step: Status) -> PartialDate | None:
        for s, d in self.dates:
            if s is step:
                return d
        return None

    @property
    def first_date(self) -> PartialDate:
        return min(d for _, d in self.dates)


class _Named:
    name: str
    name_ja: str | None

    def label(self, lang: str = "en") -> str:
        """The name in ``lang`` (Japanese falls back to English where no name_ja is given)."""
        return (self.name_ja or self.name) if lang == "ja" else self.name


@dataclass(frozen=True)
class Partner(_Named):
    id: str
    name: str
    kind: Kind
    anchor: Point
    geometry: BaseGeometry = field(repr=False, compare=False)
    ties: tuple[Tie, ...] = ()
    name_ja: str | None = None
    relationship: Relationship = Relationship.PARTNER
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class Focal(_Named):
    id: str
    name: str
    anchor: Point
    name_ja: str | None = None


@dataclass(frozen=True)
class Dataset:
    """A whole partner file, or a filtered view of one (same shape either way)."""

    title: str
    version: str
    as_of: PartialDate
    focal: Focal
    partners: tuple[Partner, ...]
    source: str = "<memory>"
    description: str | None = None
    license: str | None = None
    # The date a filtered view shows the network on (None: as recorded).
    view_date: dt.date | None = None
    changes_since: dt.date | None = None

    @property
    def ties(self) -> tuple[Tie, ...]:
        return tuple(t for p in self.partners for t in p.ties)

    def partner(self, partner_id: str) -> Partner:
        for p in self.partners:
            if p.id == partner_id:
                return p
        raise KeyError(partner_id)

    def summary(self) -> str:
        """The one-line count ``validate`` prints."""
        n_p, n_t = len(self.partners), len(self.ties)
        return f"{n_p} partner{'s' * (n_p != 1)}, {n_t} tie{'s' * (n_t != 1)}"
