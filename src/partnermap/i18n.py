"""The words partnermap shows, one catalog per language (``locales/<lang>.json``).

A catalog has the sections ``category``, ``type``, ``status``, ``kind``,
``nature``, ``relationship``, ``standing`` and ``ui``. English is complete and
is the fallback, string by string: a catalog may be partial, and a language
the data carries (``title_pt`` …) but no catalog has still works, with English
labels. Which languages exist is decided once, on the whole file (a filtered
view answers for its file); a language neither a catalog nor the data has is
refused. ``fallback_warning`` counts what fell back, so a command says so in
one line, once.

Adding a language: copy ``locales/en.json`` to ``locales/<lang>.json`` and
translate the values (keys stay English); ``tests/test_i18n.py`` checks that
every key exists in English and that ``{placeholders}`` match.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING

from .errors import UsageError, listing
from .vocab import Category, Kind, Nature, Relationship, Standing, Status, TieType

if TYPE_CHECKING:
    from .model import Dataset

SECTIONS = ("category", "type", "status", "kind", "nature", "relationship", "standing", "ui")
LANG_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", re.ASCII)


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages with a catalog, English first."""
    found = sorted(p.name[:-5] for p in (resources.files("partnermap") / "locales").iterdir()
                   if p.name.endswith(".json"))
    return tuple(["en", *(lang for lang in found if lang != "en")])


@lru_cache(maxsize=16)
def _catalog(lang: str) -> dict:
    path = resources.files("partnermap") / "locales" / f"{lang}.json"
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Words:
    """Every label in one language, English where the catalog has none (counted in ``missing``)."""

    lang: str
    name: str
    tables: MappingProxyType
    missing: int
    total: int

    def get(self, section: str, key: str) -> str:
        return self.tables[section].get(key, key)

    def ui(self, key: str, **values: str) -> str:
        text = self.tables["ui"][key]
        return text.format(**values) if values else text

    def category(self, c: Category | str) -> str:
        return self.get("category", str(c))

    def type(self, t: TieType | str) -> str:
        return self.get("type", str(t))

    def status(self, s: Status | str) -> str:
        return self.get("status", str(s))

    def kind(self, k: Kind | str) -> str:
        return self.get("kind", str(k))

    def section(self, name: str) -> dict[str, str]:
        return dict(self.tables[name])


@lru_cache(maxsize=16)
def words(lang: str = "en") -> Words:
    """The catalog for ``lang`` merged over English (call ``check_lang`` first for user input)."""
    english = _catalog("en")
    own = _catalog(lang) if lang != "en" else english
    tables, missing, total = {}, 0, 0
    for section in SECTIONS:
        base = english[section]
        mine = own.get(section, {})
        total += len(base)
        missing += sum(1 for k in base if k not in mine)
        tables[section] = MappingProxyType({k: mine.get(k, v) for k, v in base.items()})
    return Words(lang, own.get("language", lang), MappingProxyType(tables), missing if lang != "en" else 0, total)


def data_languages(dataset: Dataset) -> frozenset[str]:
    """Languages the data carries text in (``name_ja`` …), besides English.

    Decided on the whole file, never on a filtered view: ``--category security``
    must not make a language the file carries unknown because the view's ties
    happen to lack it.
    """
    whole = dataset.file
    langs = set(whole.languages) | set(whole.focal.languages)
    for p in whole.partners:
        langs |= p.languages
        for t in p.ties:
            if t.translations:  # most ties have none: skip building an empty set (100,000 ties)
                langs |= t.languages
    return frozenset(langs)


def check_lang(lang: str, dataset: Dataset | None = None, also: Iterable[str] = ()) -> str:
    """``lang`` if a catalog or the (whole) data has it, case-insensitive; else a usage error naming the choices.

    A language neither has is refused rather than drawn all in English under another name.
    ``also``: languages the command's own texts carry besides the data (a story's ``headline_fr``).
    """
    if not isinstance(lang, str) or not LANG_TAG.fullmatch(lang.lower() if lang else ""):
        raise UsageError(f"--lang {str(lang)[:20]!r}: give a language code such as en or ja")
    catalogs = set(languages())
    carried = (set(data_languages(dataset)) if dataset is not None else set()) | set(also)
    carried -= catalogs
    for k in catalogs | carried:
        if k.lower() == lang.lower():
            return k
    where = ", ".join(sorted(catalogs))
    if carried:
        where += f"; the data's texts also in: {listing(sorted(carried))}"
    raise UsageError(f"unknown language {lang!r}: no catalog and no text in the data; choose from: {where}")


def _bundled_name(record: object, lang: str) -> bool:
    """Whether a country's name in ``lang`` comes from the bundled country names."""
    from .basemap import country_name

    return bool(getattr(record, "is_country", False)) and country_name(record.id, lang) is not None


def missing_data_texts(dataset: Dataset, lang: str) -> tuple[int, int]:
    """(texts with no ``lang`` version, texts in all) among the names, titles, summaries and notes shown.

    A state's name the file lacks in ``lang`` but the bundled country names have is not missing.
    """
    if lang == "en":
        return 0, 0
    records: list[tuple[object, Iterable[str]]] = [(dataset.focal, ("name",)), (dataset, ("title",))]
    for p in dataset.partners:
        records.append((p, ("name",)))
        records += [(t, ("title", "summary", "note")) for t in p.ties]
    missing = total = 0
    for record, fields in records:
        for f in fields:
            if getattr(record, f, None) is None:
                continue
            total += 1
            missing += not record.has_text(f, lang) and not (f == "name" and _bundled_name(record, lang))
    return missing, total


def missing_country_names(dataset: Dataset, lang: str) -> tuple[int, int]:
    """(basemap countries named in English for want of a ``lang`` name, countries named) among the
    members and parties that are no partner of the view (popups list them by name)."""
    from .basemap import country_name

    if lang == "en":
        return 0, 0
    partners = {p.id for p in dataset.partners}
    named = {m for p in dataset.partners for m in p.members} | {x for t in dataset.ties for x in t.parties}
    named = {c for c in named - partners if country_name(c) is not None}
    return sum(1 for c in named if country_name(c, lang) is None), len(named)


def fallback_warning(dataset: Dataset, lang: str) -> str | None:
    """One line saying how much of ``dataset`` (what one command shows) falls back to English under
    ``--lang``, or None when nothing does. Each command issues it once (``warn_fallback``)."""
    if lang == "en":
        return None
    w = words(lang)
    data_missing, data_total = missing_data_texts(dataset, lang)
    names_missing, names_total = missing_country_names(dataset, lang)
    parts = []
    if w.missing:
        parts.append(f"{w.missing} of {w.total} labels")
    if data_missing:
        parts.append(f"{data_missing} of {data_total} texts in the data")
    if names_missing:
        parts.append(f"{names_missing} of {names_total} country names")
    if not parts:
        return None
    return f"--lang {lang}: {' and '.join(parts)} have no {lang} version; English is shown for them"


def warn_fallback(dataset: Dataset, lang: str) -> None:
    """Issue ``fallback_warning`` (a ``PartnermapWarning``: one ``Warning:`` line on the command line)."""
    import warnings

    from .errors import PartnermapWarning

    warning = fallback_warning(dataset, lang)
    if warning:
        warnings.warn(PartnermapWarning(warning), stacklevel=3)


def vocabulary(lang: str = "en") -> dict[str, list[dict[str, str]]]:
    """Everything ``partnermap types`` prints: each term with its label."""
    from .vocab import STANDING, TYPE_CATEGORIES

    w = words(lang)
    return {
        "category": [{"value": c.value, "label": w.category(c)} for c in Category],
        "type": [
            {"value": t.value, "label": w.type(t), "categories": ",".join(c.value for c in TYPE_CATEGORIES[t]),
             "standing": STANDING[t].value}
            for t in TieType
        ],
        "status": [{"value": s.value, "label": w.status(s)} for s in Status],
        "kind": [{"value": k.value, "label": w.kind(k)} for k in Kind],
        "nature": [{"value": n.value, "label": w.get("nature", n.value)} for n in Nature],
        "relationship": [{"value": r.value, "label": w.get("relationship", r.value)} for r in Relationship],
        "standing": [{"value": s.value, "label": w.get("standing", s.value)} for s in Standing],
    }
