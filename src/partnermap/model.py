"""Frozen records for a partner network. Every step after ``load`` works on these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from .dates import PartialDate
from .lifecycle import effective_steps
from .vocab import Category, Kind, Nature, Relationship, Status, TieType

if TYPE_CHECKING:  # shapely is imported by whoever builds geometries, not by the CLI's start-up
    from shapely.geometry.base import BaseGeometry

Point = tuple[float, float]


UNDATED = "n.d."  # the citation convention for a page that carries no date

# Text in other languages: (field, language, text), e.g. ("title", "ja", "日米安全保障条約").
# In a partner file each is a key ``<field>_<lang>`` beside the English ``<field>`` (docs/schema.md).
Translations = tuple[tuple[str, str, str], ...]


class _Translatable:
    """Records whose words may come in several languages; English is the field itself."""

    __slots__ = ()  # lets Tie keep its fields in slots (a 100,000-tie network: 60 MB less)

    translations: Translations

    def text(self, field_name: str, lang: str = "en") -> str | None:
        """``field_name`` in ``lang``, falling back to English (the field itself)."""
        if lang != "en":
            for f, lg, value in self.translations:
                if f == field_name and lg == lang:
                    return value
        return getattr(self, field_name)

    def has_text(self, field_name: str, lang: str) -> bool:
        """Whether ``field_name`` exists in ``lang`` (English: whether it is set at all)."""
        if lang == "en":
            return getattr(self, field_name) is not None
        return any(f == field_name and lg == lang for f, lg, _ in self.translations)

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(lg for _, lg, _ in self.translations)


def quick_constructor(cls: type) -> Callable[..., Any]:
    """A positional constructor for a frozen, slotted dataclass ``cls`` that takes every field
    (``init=False`` ones too) and sets each slot through its descriptor.

    The generated ``__init__`` of a frozen dataclass goes through ``object.__setattr__`` once a
    field: twice the time. Loading 100,000 ties builds 100,000 ties and 150,000 sources, so the
    checks' fast path uses this (0.3 s). No defaults and no ``__post_init__``: the caller passes
    what they would compute; ``tests/test_model.py`` holds each result equal to ``cls(...)``."""
    names = [f.name for f in fields(cls)]
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    o = _new(_cls)"]
    for i, name in enumerate(names):
        scope[f"_set{i}"] = cls.__dict__[name].__set__  # the slot's member descriptor
        lines.append(f"    _set{i}(o, {name})")
    lines.append("    return o")
    exec("\n".join(lines), scope)  # as dataclasses builds __init__: no per-field loop at run time
    return scope["make"]


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    publisher: str
    date: PartialDate | None  # None: the page is undated ("n.d." in the file)
    author: str | None = None
    container: str | None = None
    locator: str | None = None
    url: str | None = None
    # Sources key dictionaries (each work cited once in a bibliography or a map): hash them once.
    _hash: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.title, self.publisher, self.date, self.author, self.container,
                                                self.locator, self.url)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def date_text(self) -> str:
        return str(self.date) if self.date else UNDATED


@dataclass(frozen=True, slots=True)
class Tie(_Translatable):
    """One agreement, event or measure between the focal country and a partner.

    ``note`` is for the audience (shown in popups); ``curation`` is for curators
    (how a date was decided, which copy a fact came from) and never reaches a map.
    ``retroactive``: the entry into force applies from a day before signature
    (the Australia–New Zealand CER agreement); the in-force step is then reached
    on the signing day, since before it nobody could know.
    """

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
    curation: str | None = None
    retroactive: bool = False
    translations: Translations = ()
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

    @property
    def steps(self) -> tuple[tuple[Status, PartialDate], ...]:
        """The dated steps as the lifecycle orders them (``lifecycle.effective_steps``)."""
        return effective_steps(self.dates, True) if self.retroactive else self.dates


class _Named(_Translatable):
    __slots__ = ()
    name: str
    id: str
    is_country = False  # a state: named from the bundled country names where the file gives no name in a language

    def label(self, lang: str = "en") -> str:
        """The name in ``lang``: the file's, else (a country) the bundled name in ``lang``, else the English name."""
        if lang != "en" and self.is_country and not self.has_text("name", lang):
            from .basemap import country_name

            found = country_name(self.id, lang)
            if found:
                return found
        return self.text("name", lang)

    @property
    def name_ja(self) -> str | None:
        """The Japanese name (``name_ja`` in the file), if any."""
        return self.text("name", "ja") if self.has_text("name", "ja") else None


@dataclass(frozen=True)
class Partner(_Named):
    """One partner. Its territory is ``shape`` when the file gives one, else the
    union of the basemap features in ``territory`` (derived from its id or its
    members, ``territory.py``), made on first use of ``geometry``.
    ``anchor_derived``: the anchor is the bundled capital (or a group's first
    member's), not written in the file.
    """

    id: str
    name: str
    kind: Kind
    anchor: Point
    shape: BaseGeometry | None = field(default=None, repr=False, compare=False)
    ties: tuple[Tie, ...] = ()
    translations: Translations = ()
    relationship: Relationship = Relationship.PARTNER
    members: tuple[str, ...] = ()
    territory: tuple[str, ...] = ()
    anchor_derived: bool = False
    short_name: str | None = None  # what the map labels it ("EU", "Quad"); the name where absent

    @property
    def is_country(self) -> bool:
        return self.kind is Kind.STATE

    @property
    def geometry(self) -> BaseGeometry:
        if self.shape is not None:
            return self.shape
        from .territory import shape_of

        return shape_of(self.territory)

    @property
    def derived(self) -> bool:
        """Whether the territory comes from codes rather than the file."""
        return self.shape is None

    def map_label(self, lang: str = "en") -> str:
        """The label drawn on the map: the short name (in ``lang``) if given, else the name."""
        if self.short_name is None:
            return self.label(lang)
        return self.text("short_name", lang)


@dataclass(frozen=True)
class Focal(_Named):
    id: str
    name: str
    anchor: Point
    translations: Translations = ()
    anchor_derived: bool = False  # the bundled capital, not written in the file
    is_country = True


@dataclass(frozen=True)
class Dataset(_Translatable):
    """A whole partner file, or a filtered view of one (same shape either way)."""

    title: str
    version: str
    as_of: PartialDate
    focal: Focal
    partners: tuple[Partner, ...]
    source: str = "<memory>"
    description: str | None = None
    license: str | None = None
    translations: Translations = ()  # title_<lang>, description_<lang>
    # The date a filtered view shows the network on (None: as recorded).
    view_date: dt.date | None = None
    changes_since: dt.date | None = None
    # The filters a view was selected with (a filters.Selection; None: the whole file).
    selection: object | None = field(default=None, compare=False)
    # The whole file a view was selected from (None: this is the whole file). Whatever holds
    # for the file and not just the view (which languages it carries) is decided on it.
    whole: Dataset | None = field(default=None, compare=False, repr=False)

    @property
    def file(self) -> Dataset:
        """The whole file (this dataset itself unless it is a filtered view)."""
        return self.whole or self

    @property
    def shown_date(self) -> dt.date:
        """The day the view shows the network on: its --as-of day, or the data's own as-of day."""
        return self.view_date or self.as_of.last_day()

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
