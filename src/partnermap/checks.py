"""Check a parsed partner file against the data contract (docs/schema.md).

One pass collects *every* problem, each located by feature, tie and field, and
builds the ``Dataset`` when there are none. Nothing here raises on bad input:
hostile JSON values of any shape come back as problems.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from functools import cmp_to_key, lru_cache
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from .dates import PartialDate, parse_str
from .errors import Problem, listing
from .lifecycle import effective_steps, latest_step, step_order
from .model import UNDATED, Dataset, Focal, Partner, Source, Tie, Translations, quick_constructor
from .territory import OVERLAP_WARN, far_from, state_parts, union_parts
from .text import safe_url
from .vocab import (
    DATE_ORDER,
    SCHEMA_VERSION,
    STATUS_RANK,
    TERMINAL_STATUSES,
    TYPE_CATEGORIES,
    Category,
    Kind,
    Nature,
    Relationship,
    Status,
    TieType,
)

PARTNER_ID = re.compile(r"[A-Z][A-Z0-9_-]{1,31}", re.ASCII)
STATE_ID = re.compile(r"[A-Z]{3}", re.ASCII)
TIE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", re.ASCII)
SAFE_SCHEMES = ("http", "https")
# A report keeps the first problems only (then says how many more): a huge file of small mistakes
# must not cost memory per problem (docs/schema.md, "Limits").
MAX_PROBLEMS = 1000
# Text in another language sits beside the English field: ``title_ja``, ``summary_pt-BR``.
LANG_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", re.ASCII)
TRANSLATABLE = {"partner": ("name", "short_name"), "tie": ("title", "summary", "note"), "focal": ("name",),
                "metadata": ("title", "description")}
# Every key the schema knows, by the object it sits in (docs/schema.md); anything else is
# a problem with the nearest known key named. GeoJSON's own members (bbox, a Feature's id)
# and the name and crs GDAL writes on a collection are known too.
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "collection": ("type", "partnermap", "metadata", "features", "bbox", "name", "crs"),
    "metadata": ("title", "version", "as_of", "description", "license", "focal", "view"),
    "focal": ("id", "name", "anchor"),
    "feature": ("type", "properties", "geometry", "id", "bbox"),
    "partner": ("id", "name", "short_name", "kind", "anchor", "relationship", "members", "ties"),
    "tie": ("id", "title", "category", "type", "status", "nature", "dates", "summary", "parties", "note",
            "curation", "retroactive", "sources", "change"),
    "source": ("title", "publisher", "date", "author", "container", "locator", "url"),
    "geometry": ("type", "coordinates", "bbox"),
}
SAFE_KEY = re.compile(r"[A-Za-z0-9_.-]{1,40}", re.ASCII)
# The same keys as sets: the common case, an object with known keys only, is one subset test.
_KNOWN_SETS = {kind: frozenset(keys) for kind, keys in KNOWN_KEYS.items()}
_SOURCE_KEYS = _KNOWN_SETS["source"]
_PLAIN_KEYS = frozenset().union(*KNOWN_KEYS.values())  # no known key is a translation (title_ja is not)


def _closure(pairs: tuple[tuple[Status, Status], ...]) -> tuple[tuple[Status, Status], ...]:
    """All implied orderings: negotiating <= signed <= in_force means negotiating <= in_force,
    which matters when the middle step has no date."""
    order = set(pairs)
    while True:
        extra = {(a, d) for a, b in order for c, d in order if b == c} - order
        if not extra:
            return tuple(sorted(order, key=lambda p: (STATUS_RANK[p[1]], STATUS_RANK[p[0]], p)))
        order |= extra


_DATE_ORDER_CLOSED = _closure(DATE_ORDER)
_ORDER_PAIRS = frozenset(_DATE_ORDER_CLOSED)
_STATUS = {s.value: s for s in Status}
_CATEGORIES = {c.value: c for c in Category}
_TYPES = {t.value: t for t in TieType}
_NATURES = {n.value: n for n in Nature}
_GOOD_IDS: set[str] = set()  # partner ids already seen to match PARTNER_ID (the fast path's memo)
_parse_date = PartialDate.parse
_NO_LIMIT = 1 << 62  # a day number after any date: no as-of day to be after


@dataclass
class _Ctx:
    """Where we are in the file, so every problem says exactly where."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    feature: str | None = None
    tie: str | None = None
    count: int = 0  # every problem found; only the first MAX_PROBLEMS are kept

    def add(self, fieldname: str | None, message: str) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.file, message, self.feature, self.tie, fieldname))

    def warn(self, fieldname: str | None, message: str) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(self.file, message, self.feature, self.tie, fieldname))

    @property
    def more(self) -> int:
        return self.count - len(self.problems)


def shown(key: Any) -> str:
    """A key as it may appear in a one-line message: plain if harmless, else escaped and capped.

    A newline in a key must never start a second line that looks like another problem.
    """
    if isinstance(key, str) and SAFE_KEY.fullmatch(key):
        return key
    text = key if isinstance(key, str) else str(key)
    return repr(text[:40]) + ("…" if len(text) > 40 else "")


def nearest(word: str, choices: tuple[str, ...] | list[str], cutoff: float = 0.7) -> list[str]:
    """The closest choices to a misspelling (all those equally close, at most three)."""
    scored = sorted(((difflib.SequenceMatcher(None, word.lower(), c.lower()).ratio(), c) for c in choices),
                    key=lambda sc: (-sc[0], sc[1]))
    if not scored or scored[0][0] < cutoff:
        return []
    return [c for r, c in scored if r == scored[0][0]][:3]


def split_translation(key: object, fields: tuple[str, ...]) -> tuple[str, str] | None:
    """``("short_name", "ja")`` for ``short_name_ja``: the longest translatable field the key starts with."""
    if not isinstance(key, str):
        return None
    return _split_translation(key, fields)


@lru_cache(maxsize=4096)
def _split_translation(key: str, fields: tuple[str, ...]) -> tuple[str, str] | None:
    for base in sorted(fields, key=len, reverse=True):
        if key.startswith(base + "_") and len(key) > len(base) + 1:
            return base, key[len(base) + 1:]
    return None


def _unknown_keys(ctx: _Ctx, obj: dict, kind: str, prefix: str = "") -> None:
    """One problem per key the schema does not know, with the nearest known key."""
    if obj.keys() <= _KNOWN_SETS[kind]:
        return
    known = KNOWN_KEYS[kind]
    translatable = TRANSLATABLE.get(kind, ())
    for key in obj:
        if key in known:
            continue
        name = prefix + shown(key)
        split = split_translation(key, translatable)
        if split is not None:
            base, lang = split
            if lang == "en":
                ctx.add(name, f"English is the field itself; write it as {base}")
                continue
            if LANG_TAG.fullmatch(lang):
                continue
            ctx.add(name, f"{shown(lang)} is not a language tag; write {base}_<lang> with a lower-case tag "
                          f"such as {base}_ja or {base}_pt-BR")
            continue
        guess = nearest(key, known) if isinstance(key, str) else []
        hint = f"did you mean {' or '.join(guess)}?" if guess else f"expected one of: {', '.join(known)}"
        ctx.add(name, f"unknown key; {hint}")


def _type_name(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _text(ctx: _Ctx, obj: dict, key: str, *, required: bool = True, prefix: str = "") -> str | None:
    name = prefix + key
    if key not in obj or obj[key] is None:
        if required:
            ctx.add(name, "missing")
        return None
    value = obj[key]
    if not isinstance(value, str):
        ctx.add(name, f"expected a string, got {_type_name(value)}")
        return None
    if not value or value.isspace():
        ctx.add(name, "is empty")
        return None
    return value


def _choice(ctx: _Ctx, obj: dict, key: str, enum: Any, default: Any = None) -> Any:
    if key not in obj and default is not None:
        return default
    value = obj.get(key)
    member = enum._value2member_map_.get(value) if isinstance(value, str) else None  # enum(value), faster
    if member is not None:
        return member
    value = _text(ctx, obj, key)
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        ctx.add(key, f"unknown value {value!r}; expected one of: {', '.join(enum.values())}")
        return None


def _date(ctx: _Ctx, value: Any, name: str) -> PartialDate | None:
    if isinstance(value, str):
        try:
            return _parse_date(value)
        except ValueError as exc:
            ctx.add(name, str(exc))
            return None
    try:
        return PartialDate.parse(value)
    except ValueError as exc:
        ctx.add(name, str(exc))
        return None


def _number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < 10**300  # math.isfinite overflows on a 400-digit integer
    return isinstance(value, float) and math.isfinite(value)


def _position(ctx: _Ctx, pos: Any, name: str) -> tuple[float, float] | None:
    if not isinstance(pos, list) or len(pos) not in (2, 3):
        ctx.add(name, f"a position must be [lon, lat], got {_type_name(pos)}"
                + (f" of length {len(pos)}" if isinstance(pos, list) else ""))
        return None
    if not all(_number(v) for v in pos):
        bad = next(v for v in pos if not _number(v))
        ctx.add(name, f"coordinates must be finite numbers, got {_type_name(bad)} {bad!r}"[:200])
        return None
    lon, lat = pos[0], pos[1]
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        hint = " (looks like [lat, lon]; GeoJSON is [lon, lat])" if -90 <= lon <= 90 and -180 <= lat <= 180 else ""
        ctx.add(name, f"[{lon}, {lat}] is outside WGS84 (lon -180..180, lat -90..90){hint}")
        return None
    return float(lon), float(lat)


def _ring_fast(ring: Any) -> np.ndarray | None:
    """The common case checked with numpy: a closed ring of >= 4 [lon, lat] number pairs in range.

    Anything unusual returns None and goes through the slow path, which says what is wrong.
    """
    if type(ring) is not list or len(ring) < 4 or any(type(p) is not list or len(p) != 2 for p in ring):
        return None
    if not {type(v) for p in ring for v in p} <= {int, float}:  # no bool, str, None (numpy would convert them)
        return None
    try:
        arr = np.array(ring, dtype=float)
    except (OverflowError, ValueError):
        return None
    ok = (np.isfinite(arr).all() and np.abs(arr[:, 0]).max() <= 180 and np.abs(arr[:, 1]).max() <= 90
          and (arr[0] == arr[-1]).all())
    return arr if ok else None


def _ring(ctx: _Ctx, ring: Any, name: str) -> Any:
    fast = _ring_fast(ring)
    if fast is not None:
        return fast
    if not isinstance(ring, list):
        ctx.add(name, f"a ring must be an array of positions, got {_type_name(ring)}")
        return None
    points = []
    for i, pos in enumerate(ring):
        p = _position(ctx, pos, f"{name}[{i}]")
        if p is None:
            return None
        points.append(p)
    if len(points) < 4:
        ctx.add(name, f"a ring needs at least 4 positions, got {len(points)}")
        return None
    if points[0] != points[-1]:
        ctx.add(name, "ring is not closed (first and last positions differ)")
        return None
    return points


def _polygon(ctx: _Ctx, coords: Any, name: str) -> Polygon | None:
    if not isinstance(coords, list) or not coords:
        ctx.add(name, "a polygon must be a non-empty array of rings")
        return None
    rings = [_ring(ctx, r, f"{name}[{i}]") for i, r in enumerate(coords)]
    if any(r is None for r in rings):
        return None
    return Polygon(rings[0], rings[1:])


def _geometry(ctx: _Ctx, geom: Any) -> BaseGeometry | None:
    """An explicit territory, or None (no geometry: derived from codes later, or a problem there)."""
    if geom is None:
        return None
    if not isinstance(geom, dict):
        ctx.add("geometry", f"expected a GeoJSON geometry object, got {_type_name(geom)}")
        return None
    _unknown_keys(ctx, geom, "geometry", "geometry.")
    kind = geom.get("type")
    coords = geom.get("coordinates")
    if kind == "Polygon":
        shape = _polygon(ctx, coords, "geometry.coordinates")
    elif kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            ctx.add("geometry.coordinates", "a MultiPolygon needs at least one polygon")
            return None
        parts = [_polygon(ctx, c, f"geometry.coordinates[{i}]") for i, c in enumerate(coords)]
        if any(p is None for p in parts):
            return None
        shape = MultiPolygon(parts)
    else:
        ctx.add("geometry.type", f"expected Polygon or MultiPolygon, got {kind!r}"[:200])
        return None
    if shape is None:
        return None
    if shape.is_empty:
        ctx.add("geometry", "is empty")
        return None
    if not shape.is_valid:
        ctx.add("geometry", f"invalid geometry: {shapely.is_valid_reason(shape)}")
        return None
    # RFC 7946 winding (exterior counter-clockwise): clockwise input is accepted and normalised.
    if isinstance(shape, Polygon):
        return orient(shape)
    return MultiPolygon([orient(p) for p in shape.geoms])


def _anchor(ctx: _Ctx, obj: dict, prefix: str = "") -> tuple[float, float] | None:
    """The anchor written in the file, if any (a missing one may be derived later)."""
    if obj.get("anchor") is None:
        return None
    return _position(ctx, obj["anchor"], prefix + "anchor")


def _url(ctx: _Ctx, value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        ctx.add(name, f"expected a string, got {_type_name(value)}")
        return None
    if "[" not in value and safe_url(value):  # the common case; brackets (IPv6 hosts) need urlsplit
        return value
    problem = _url_problem(value)
    if problem is not None:
        ctx.add(name, problem)
        return None
    return value


@lru_cache(maxsize=1 << 14)
def _url_problem(value: str) -> str | None:
    """What is wrong with a URL, or None: a pure function of the text, so a network citing the
    same page a thousand times checks it once."""
    # what a browser would make of it: it drops tabs, newlines and leading controls
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", value)
    try:
        parts = urlsplit(cleaned)
    except ValueError as exc:
        return f"not a valid URL ({exc}): {value[:80]!r}"
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return f"only http:// and https:// URLs are allowed, got {value[:80]!r}"
    if not safe_url(value):
        bad = sorted({c for c in value if c.isspace() or ord(c) < 32 or ord(c) == 127 or c in '<>{}"\\`^|'})
        shown = ", ".join(repr(c) for c in bad[:6])
        return (f"holds {shown}: a URL is read differently by browsers and BibTeX when it has control "
                f"characters, spaces or any of < > {{ }} \" \\ ` ^ |; percent-encode them, got {value[:80]!r}")
    return None


def _translations(ctx: _Ctx, obj: dict, fields: tuple[str, ...], prefix: str = "") -> tuple[tuple[str, str, str], ...]:
    """Every ``<field>_<lang>`` key of ``obj`` for the translatable ``fields``, as (field, lang, text)."""
    if all(key in _PLAIN_KEYS for key in obj):
        return ()
    out = []
    for key in obj:
        split = split_translation(key, fields)
        if split is None:
            continue
        base, lang = split
        if not LANG_TAG.fullmatch(lang) or lang == "en":
            continue
        value = _text(ctx, obj, key, required=False, prefix=prefix)
        if value is not None:
            out.append((base, lang, value))
    return tuple(sorted(out))


def _sources(ctx: _Ctx, raw: Any, as_of: PartialDate | None) -> tuple[Source, ...]:
    if raw is None:
        ctx.add("sources", "missing; every tie cites at least one source")
        return ()
    if not isinstance(raw, list) or not raw:
        ctx.add("sources", "must be a non-empty array; every tie cites at least one source")
        return ()
    out = []
    for i, src in enumerate(raw):
        if not isinstance(src, dict):
            ctx.add(f"sources[{i}]", f"expected an object, got {_type_name(src)}")
            continue
        fields = _plain_source(src)
        if fields is not None and (fields[2] is None or as_of is None or fields[2].compare(as_of) <= 0):
            out.append(_SOURCES.setdefault(fields, Source(*fields)))  # one object per distinct citation
            continue
        prefix = f"sources[{i}]."
        _unknown_keys(ctx, src, "source", prefix)
        title = _text(ctx, src, "title", prefix=prefix)
        publisher = _text(ctx, src, "publisher", prefix=prefix)
        date_text = _text(ctx, src, "date", prefix=prefix)
        undated = date_text == UNDATED  # an honest "no date" beats a guessed one
        date = _date(ctx, date_text, prefix + "date") if date_text and not undated else None
        if date and as_of and date.compare(as_of) > 0:
            ctx.add(prefix + "date", f"{date} is after the dataset's as_of date {as_of}")
            date = None
        optional = {k: _text(ctx, src, k, required=False, prefix=prefix) for k in ("author", "container", "locator")}
        url = _url(ctx, src.get("url"), prefix + "url")
        if title and publisher and (date or undated):
            out.append(Source(title, publisher, date, url=url, **optional))
    return tuple(out)


# Identical citations share one Source (a commentary cited for forty ties is one object, not forty).
# Cleared per check: a weak cache would not outlive it anyway, and nothing leaks between files.
_SOURCES: dict[tuple, Source] = {}


def _plain_source(src: dict) -> tuple | None:
    """The fields of a source that needs no message (known keys, non-empty texts, a valid date and
    URL), in ``Source``'s order; None sends it down the path that says what is wrong.

    Written out field by field, not in loops: it runs for every source of every tie."""
    if not src.keys() <= _SOURCE_KEYS:
        return None
    get = src.get
    title, publisher, date_text = get("title"), get("publisher"), get("date")
    if (type(title) is not str or type(publisher) is not str or type(date_text) is not str
            or not title or not publisher or not date_text
            or title.isspace() or publisher.isspace() or date_text.isspace()):
        return None
    author = container = locator = url = None
    if len(src) > 3:  # any of the optional fields
        author, container, locator, url = get("author"), get("container"), get("locator"), get("url")
        for v in (author, container, locator, url):
            if v is not None and (type(v) is not str or not v or v.isspace()):
                return None
        if url is not None and ("[" in url or not safe_url(url)):
            return None
    if date_text == UNDATED:
        date = None
    else:
        try:
            date = parse_str(date_text)
        except ValueError:
            return None
    return (title, publisher, date, author, container, locator, url)


def _dates(ctx: _Ctx, raw: Any, as_of: PartialDate | None,
           retroactive: bool = False) -> tuple[tuple[Status, PartialDate], ...] | None:
    if not isinstance(raw, dict) or not raw:
        ctx.add("dates", "must be an object with at least one dated step, e.g. {\"signed\": \"2023-01-11\"}")
        return None
    steps: list[tuple[Status, PartialDate]] = []
    ok = True
    for key, value in raw.items():
        try:
            step = _STATUS[key]
        except (KeyError, TypeError):
            guess = nearest(key, Status.values()) if isinstance(key, str) else []
            hint = f"did you mean {' or '.join(guess)}?" if guess else f"expected one of: {', '.join(Status.values())}"
            ctx.add(f"dates.{shown(key)}", f"unknown step; {hint}")
            ok = False
            continue
        d = _date(ctx, value, f"dates.{key}")
        if d is None:
            ok = False
            continue
        if as_of is not None and d.compare(as_of) > 0:
            ctx.add(f"dates.{key}", f"{d} is after the dataset's as_of date {as_of}")
            ok = False
        steps.append((step, d))
    found = dict(steps)
    if retroactive and not (Status.SIGNED in found and Status.IN_FORCE in found
                            and found[Status.IN_FORCE].compare(found[Status.SIGNED]) < 0):
        ctx.add("retroactive", "true only for an entry into force dated before the signature; "
                "give both dates, or drop the flag")
        ok = False
    if len(found) > 1:  # only pairs of steps this tie has (usually one to three), in the closed order
        for early, late in _DATE_ORDER_CLOSED:
            if early not in found or late not in found:
                continue
            if retroactive and late is Status.IN_FORCE and early in (Status.SIGNED, Status.NEGOTIATING):
                continue  # the documented exception: in force retroactively, before signature
            if found[early].compare(found[late]) > 0:
                retro = (late is Status.IN_FORCE and early in (Status.SIGNED, Status.NEGOTIATING) and not retroactive)
                hint = ("; if it entered into force retroactively, before signature, keep the dates and add "
                        "retroactive: true with a note saying so") if retro else ""
                ctx.add(f"dates.{late}", f"{late} {found[late]} is before {early} {found[early]}{hint}")
                ok = False
    steps.sort(key=cmp_to_key(step_order))  # lifecycle order: "2017" in force after signed 2017-01-26
    return tuple(steps) if ok else None


def _status_problem(status: Status, steps: tuple[tuple[Status, PartialDate], ...], as_of: PartialDate) -> str | None:
    """Why the stored status contradicts the dated steps on the dataset's as-of day, or None.

    On the as-of day every recorded step is reached (``lifecycle.reached`` with ``known_by`` that
    day), so ``status_on`` there is the latest step's status: taken directly, once per tie."""
    latest = steps[0] if len(steps) == 1 else latest_step(steps)
    expected = latest[0] if latest is not None else None
    if expected is None or status is expected:
        return None
    if (status not in dict(steps) and expected not in TERMINAL_STATUSES
            and STATUS_RANK[status] > STATUS_RANK[expected]):
        return None  # a later step known to have happened on an unrecorded date
    return f"{status} contradicts the dates: the latest dated step is {latest[0]} ({latest[1]})"


def _status_matches(ctx: _Ctx, status: Status, steps: tuple[tuple[Status, PartialDate], ...],
                    as_of: PartialDate) -> None:
    problem = _status_problem(status, steps, as_of)
    if problem is not None:
        ctx.add("status", problem)


def _plain_tie(raw: dict, partner_id: str, as_of: PartialDate | None, seen: dict[str, str]) -> Tie | None:
    """The tie, when it needs no message at all; None sends it down ``_tie``'s reporting path.

    Most ties of most files are fine, and at 100,000 ties the reporting path's bookkeeping
    (a location per field, a problem list, a count) is most of the cost of ``validate``. This
    path accepts a strict subset of what ``_tie`` accepts and builds the same ``Tie``;
    ``tests/test_checks.py`` holds the two to that on the bundled data, the bad corpus and
    generated ties. Retroactive ties and anything unusual take the reporting path.
    """
    tie_id = raw.get("id")
    if type(tie_id) is not str or tie_id in seen or not TIE_ID.fullmatch(tie_id) or "retroactive" in raw:
        return None
    translations: Translations = ()
    if not raw.keys() <= _KNOWN_SETS["tie"]:
        found = []
        for key, value in raw.items():
            if key in _KNOWN_SETS["tie"]:
                continue
            split = _split_translation(key, TRANSLATABLE["tie"]) if type(key) is str else None
            if (split is None or split[1] == "en" or not LANG_TAG.fullmatch(split[1]) or type(value) is not str
                    or not value or value.isspace()):
                return None
            found.append((split[0], split[1], value))
        translations = tuple(sorted(found))
    get = raw.get
    title, summary, note, curation = get("title"), get("summary"), get("note"), get("curation")
    if (type(title) is not str or type(summary) is not str or not title or not summary
            or title.isspace() or summary.isspace()):
        return None
    for v in (note, curation):
        if v is not None and (type(v) is not str or not v or v.isspace()):
            return None
    last_known = as_of.last_number if as_of is not None else _NO_LIMIT
    category, tie_type, status, nature = get("category"), get("type"), get("status"), get("nature", _COOPERATION)
    if type(category) is not str or type(tie_type) is not str or type(status) is not str or type(nature) is not str:
        return None
    category, tie_type = _CATEGORIES.get(category), _TYPES.get(tie_type)
    status, nature = _STATUS.get(status), _NATURES.get(nature)
    if None in (category, tie_type, status, nature) or category not in TYPE_CATEGORIES[tie_type]:
        return None
    dates = raw.get("dates")
    if type(dates) is not dict or not dates:
        return None
    steps = []
    for key, value in dates.items():
        step = _STATUS.get(key)
        if step is None or type(value) is not str:
            return None
        try:
            d = parse_str(value)
        except ValueError:
            return None
        if d.first_number > last_known:  # d.compare(as_of) > 0 (dates.PartialDate)
            return None
        steps.append((step, d))
    if len(steps) > 1:
        # each pair of this tie's steps (usually one) against the closed order; a.compare(b) > 0
        # is a.first_number > b.last_number (dates.PartialDate)
        for a in steps:
            for b in steps:
                if (a[0], b[0]) in _ORDER_PAIRS and a[1].first_number > b[1].last_number:
                    return None
        if len(steps) == 2:  # what sort(key=cmp_to_key(step_order)) does with two
            if step_order(steps[1], steps[0]) < 0:
                steps.reverse()
        else:
            steps.sort(key=cmp_to_key(step_order))
    steps = tuple(steps)
    if as_of is not None and _status_problem(status, steps, as_of) is not None:
        return None
    parties = raw.get("parties")
    if parties is not None:
        if type(parties) is not list:
            return None
        for v in parties:
            if type(v) is not str:
                return None
            if v not in _GOOD_IDS:  # a network names the same few hundred ids again and again
                if not PARTNER_ID.fullmatch(v):
                    return None
                _GOOD_IDS.add(v)
        parties = tuple(parties)
        if len(parties) > 1 and len(set(parties)) != len(parties):
            return None
    sources = raw.get("sources")
    if type(sources) is not list or not sources:
        return None
    cited = []
    for src in sources:
        fields = _plain_source(src) if type(src) is dict else None
        if fields is None or (fields[2] is not None and fields[2].first_number > last_known):
            return None
        source = _SOURCES.get(fields)
        if source is None:  # Source(*fields), whose hash is the hash of its fields in this order
            source = _SOURCES[fields] = _new_source(*fields, hash(fields))
        cited.append(source)
    # Tie(...) with every field in order (model.quick_constructor): retroactive False, change None
    return _new_tie(tie_id, partner_id, title, category, tie_type, status, steps, summary, tuple(cited), nature,
                    parties or (), note, curation, False, translations, None)


_new_source = quick_constructor(Source)
_new_tie = quick_constructor(Tie)


_COOPERATION = Nature.COOPERATION.value


def _tie(ctx: _Ctx, raw: Any, index: int, partner_id: str, as_of: PartialDate | None,
         seen: dict[str, str]) -> Tie | None:
    if isinstance(raw, dict):
        plain = _plain_tie(raw, partner_id, as_of, seen)
        if plain is not None:
            seen[plain.id] = ctx.feature or partner_id
            return plain
    if not isinstance(raw, dict):
        ctx.tie = f"#{index}"
        ctx.add(None, f"a tie must be an object, got {_type_name(raw)}")
        return None
    tie_id = raw.get("id")
    # never echo an invalid id into the location: a newline in it would split the line
    ctx.tie = tie_id if isinstance(tie_id, str) and TIE_ID.fullmatch(tie_id) else f"#{index}"
    before = ctx.count
    if not isinstance(tie_id, str) or not TIE_ID.fullmatch(tie_id):
        shown = str(tie_id)[:40]
        ctx.add("id", "missing" if tie_id is None else f"{shown!r} is not a valid tie id (letters, digits, . _ -)")
    elif tie_id in seen:
        ctx.add("id", f"duplicate tie id (also in {seen[tie_id]})")
    else:
        seen[tie_id] = ctx.feature or partner_id
    _unknown_keys(ctx, raw, "tie")
    title = _text(ctx, raw, "title")
    summary = _text(ctx, raw, "summary")
    category = _choice(ctx, raw, "category", Category)
    tie_type = _choice(ctx, raw, "type", TieType)
    if category is not None and tie_type is not None and category not in TYPE_CATEGORIES[tie_type]:
        allowed = ", ".join(str(c) for c in TYPE_CATEGORIES[tie_type])
        ctx.add("category", f"a {tie_type} tie cannot be {category}; allowed: {allowed}")
    status = _choice(ctx, raw, "status", Status)
    nature = _choice(ctx, raw, "nature", Nature, default=Nature.COOPERATION)
    retroactive = raw.get("retroactive", False)
    if not isinstance(retroactive, bool):
        ctx.add("retroactive", f"expected true or false, got {_type_name(retroactive)}")
        retroactive = False
    steps = _dates(ctx, raw.get("dates"), as_of, retroactive)
    if status is not None and steps and as_of is not None:
        _status_matches(ctx, status, effective_steps(steps, retroactive), as_of)
    parties = _ids(ctx, raw.get("parties"), "parties")
    note = _text(ctx, raw, "note", required=False)
    if retroactive and note is None:
        ctx.add("note", "missing: a retroactive entry into force needs a note saying from when and why")
    curation = _text(ctx, raw, "curation", required=False)
    translations = _translations(ctx, raw, TRANSLATABLE["tie"])
    sources = _sources(ctx, raw.get("sources"), as_of)
    if ctx.count > before or None in (title, summary, category, tie_type, status, nature, steps):
        return None
    return Tie(id=tie_id, partner=partner_id, title=title, category=category, type=tie_type, status=status,
               dates=steps, summary=summary, sources=sources, nature=nature, parties=parties, note=note,
               curation=curation, retroactive=retroactive, translations=translations)


def _ids(ctx: _Ctx, raw: Any, name: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(v, str) and PARTNER_ID.fullmatch(v) for v in raw):
        ctx.add(name, "must be an array of ids (ISO 3166-1 alpha-3 or short upper-case codes)")
        return ()
    if len(set(raw)) != len(raw):
        ctx.add(name, "lists an id twice")
    return tuple(raw)


@dataclass
class _Draft:
    """A partner as read from one feature, before the checks that need the whole file."""

    index: int
    label: str
    ok: bool
    pid: str | None
    kind: Kind | None
    members: tuple[str, ...]
    fields: dict[str, Any]
    anchor: tuple[float, float] | None
    anchor_given: bool
    shape: BaseGeometry | None
    ties: list[Tie]


def _partner(ctx: _Ctx, feature: Any, index: int, as_of: PartialDate | None, focal_id: str | None,
             seen_partners: set[str], seen_ties: dict[str, str]) -> _Draft | None:
    ctx.feature, ctx.tie = f"feature {index}", None
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        got = feature.get("type") if isinstance(feature, dict) else _type_name(feature)
        ctx.add("type", f"expected a GeoJSON Feature, got {str(got)[:40]!r}")
        return None
    props = feature.get("properties")
    if not isinstance(props, dict):
        ctx.add("properties", f"expected an object, got {_type_name(props)}")
        return None
    pid = props.get("id")
    if isinstance(pid, str) and PARTNER_ID.fullmatch(pid):
        ctx.feature = f"feature {index} ({pid})"
    before = ctx.count
    _unknown_keys(ctx, feature, "feature")
    _unknown_keys(ctx, props, "partner")
    if pid is None:
        ctx.add("id", "missing (ISO 3166-1 alpha-3 for states, a short code for organisations)")
    elif not isinstance(pid, str) or not PARTNER_ID.fullmatch(pid):
        ctx.add("id", f"{str(pid)[:40]!r} is not a valid partner id (upper-case letters, digits, _ -; 2-32 long)")
    elif pid in seen_partners:
        ctx.add("id", "duplicate partner id")
    elif pid == focal_id:
        ctx.add("id", "is the focal country; the focal country is metadata.focal, not a partner")
    else:
        seen_partners.add(pid)
    name = _text(ctx, props, "name")
    short_name = _text(ctx, props, "short_name", required=False)
    translations = _translations(ctx, props, TRANSLATABLE["partner"])
    kind = _choice(ctx, props, "kind", Kind)
    if kind is Kind.STATE and isinstance(pid, str) and PARTNER_ID.fullmatch(pid) and not STATE_ID.fullmatch(pid):
        ctx.add("id", f"{pid!r}: a state's id is its ISO 3166-1 alpha-3 code")
    relationship = _choice(ctx, props, "relationship", Relationship, default=Relationship.PARTNER)
    anchor = _anchor(ctx, props)
    members = _ids(ctx, props.get("members"), "members")
    if kind in (Kind.ORGANISATION, Kind.GROUP) and not members:
        ctx.add("members", f"{'an' if kind is Kind.ORGANISATION else 'a'} {kind} lists its member states")
    shape = _geometry(ctx, feature.get("geometry"))
    raw_ties = props.get("ties")
    ties: list[Tie] = []
    if not isinstance(raw_ties, list) or not raw_ties:
        ctx.add("ties", "must be a non-empty array of ties")
    else:
        for i, raw in enumerate(raw_ties):
            tie = _tie(ctx, raw, i, pid if isinstance(pid, str) else f"#{index}", as_of, seen_ties)
            if tie is not None:
                ties.append(tie)
        ctx.tie = None
    fields = {"id": pid, "name": name, "short_name": short_name, "translations": translations, "kind": kind,
              "relationship": relationship, "members": members}
    return _Draft(index, ctx.feature, ctx.count == before, pid if isinstance(pid, str) else None, kind,
                  members, fields, anchor, props.get("anchor") is not None, shape, ties)


def _capital(code: str) -> tuple[float, float] | None:
    from .basemap import capitals

    found = capitals().get(code)
    return found[1] if found else None


def _whole_file(ctx: _Ctx, drafts: list[_Draft], focal: Focal | None) -> list[Partner]:
    """The checks that need every partner: member and party ids, territories and anchors from codes."""
    from .basemap import ids as basemap_ids

    countries = basemap_ids()
    partner_ids = {d.pid for d in drafts if d.pid}
    known = countries | partner_ids
    focal_id = focal.id if focal else None
    groups = {d.pid: d.members for d in drafts if d.pid and d.kind in (Kind.ORGANISATION, Kind.GROUP)}
    states = {d.pid for d in drafts if d.pid and d.kind is Kind.STATE}
    out = []
    for d in drafts:
        ctx.feature, ctx.tie = d.label, None
        before = ctx.count
        unknown = [m for m in d.members if m not in known]
        if unknown:
            ctx.add("members", f"not countries of the basemap nor partners in this file: {listing(unknown)}")
        if focal_id in d.members:
            ctx.add("members", f"lists the focal country {focal_id}; leave it out (the members are the others)")
        if d.pid and d.pid in d.members:
            ctx.add("members", f"lists {d.pid} itself")
        for tie in d.ties:
            ctx.tie = tie.id
            unknown = [p for p in tie.parties if p not in known]
            if unknown:
                ctx.add("parties", f"not countries of the basemap nor partners in this file: {listing(unknown)}")
            if focal_id in tie.parties:
                ctx.add("parties", f"lists the focal country {focal_id}; leave it out (the parties are the others)")
        ctx.tie = None
        territory: tuple[str, ...] = ()
        if d.kind is Kind.STATE and d.pid:
            if d.shape is None and d.pid not in countries:
                ctx.add("geometry", f"missing, and {d.pid} is not a country of the bundled basemap, so no territory "
                                    "can be derived from it; give a Polygon or MultiPolygon")
            elif d.pid in countries:
                territory = state_parts(d.pid, countries, states)
                if d.shape is not None and d.ok:
                    best = far_from(d.shape, d.pid, territory)
                    if best is not None:
                        ctx.warn("geometry", f"far from {d.pid}'s shape on the basemap (overlap {best:.2f}, "
                                             f"warned below {OVERLAP_WARN:.2f}): another country's polygon? "
                                             f"Leave geometry out to draw {d.pid} from the basemap")
        elif d.kind in (Kind.ORGANISATION, Kind.GROUP) and d.members and d.shape is None:
            territory = union_parts(d.members, countries, scope=d.pid, focal=focal_id, groups=groups)
            if not territory and ctx.count == before:
                ctx.add("geometry", "missing, and its members give no territory; give a Polygon or MultiPolygon")
        anchor, derived = d.anchor, False
        if anchor is None and not d.anchor_given and d.pid:
            anchor, derived = _default_anchor(ctx, d), True
        if ctx.count == before and d.ok and anchor is not None:
            out.append(Partner(**d.fields, anchor=anchor, shape=d.shape, ties=tuple(d.ties), territory=territory,
                               anchor_derived=derived))
    return out


def _default_anchor(ctx: _Ctx, d: _Draft) -> tuple[float, float] | None:
    """A state's capital; a group's first member's capital; an organisation has none (its seat is not a capital)."""
    if d.kind is Kind.STATE:
        found = _capital(d.pid)
        if found is None:
            ctx.add("anchor", f"missing, and the bundled capitals table has no capital for {d.pid}; "
                              "give [lon, lat] of the capital")
        return found
    if d.kind is Kind.GROUP:
        found = next((c for c in map(_capital, d.members) if c is not None), None)
        if found is None and d.members:
            ctx.add("anchor", "missing, and no member has a capital in the bundled table; give [lon, lat]")
        return found
    if d.kind is Kind.ORGANISATION:
        ctx.add("anchor", "missing; give [lon, lat] of the organisation's headquarters")
    return None


def _metadata(ctx: _Ctx, doc: dict) -> tuple[dict[str, Any], PartialDate | None, Focal | None]:
    ctx.feature = "metadata"
    meta = doc.get("metadata")
    if not isinstance(meta, dict):
        ctx.add(None, "missing: the collection needs a metadata object (title, version, as_of, focal)")
        return {}, None, None
    _unknown_keys(ctx, meta, "metadata")
    out = {k: _text(ctx, meta, k) for k in ("title", "version")}
    out.update({k: _text(ctx, meta, k, required=False) for k in ("description", "license")})
    out["translations"] = _translations(ctx, meta, TRANSLATABLE["metadata"])
    as_of_text = _text(ctx, meta, "as_of")
    as_of = _date(ctx, as_of_text, "as_of") if as_of_text else None
    focal_raw = meta.get("focal")
    focal = None
    if not isinstance(focal_raw, dict):
        ctx.add("focal", "missing: give the focal country's id and name")
    else:
        n = ctx.count
        _unknown_keys(ctx, focal_raw, "focal", "focal.")
        fid = _text(ctx, focal_raw, "id", prefix="focal.")
        if fid and not STATE_ID.fullmatch(fid):
            ctx.add("focal.id", f"{fid[:40]!r}: expected an ISO 3166-1 alpha-3 code")
            fid = None
        elif fid:
            from .basemap import ids as basemap_ids

            if fid not in basemap_ids():
                guess = nearest(fid, sorted(basemap_ids()), cutoff=0.6)
                hint = f"; did you mean {' or '.join(guess)}?" if guess else ""
                ctx.add("focal.id", f"{fid!r} is not a country of the bundled basemap{hint}")
                fid = None
        fname = _text(ctx, focal_raw, "name", prefix="focal.")
        ftr = _translations(ctx, focal_raw, TRANSLATABLE["focal"], prefix="focal.")
        anchor, derived = _anchor(ctx, focal_raw, "focal."), False
        if anchor is None and focal_raw.get("anchor") is None and fid:
            anchor, derived = _capital(fid), True
            if anchor is None:
                ctx.add("focal.anchor", f"missing, and the bundled capitals table has no capital for {fid}; "
                                        "give [lon, lat] of the capital")
        if ctx.count == n:
            focal = Focal(fid, fname, anchor, ftr, anchor_derived=derived)
    return out, as_of, focal


@dataclass(frozen=True)
class Checked:
    """What ``check`` found: the dataset (when there are no problems), the problems and the warnings."""

    dataset: Dataset | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()
    more: int = 0  # problems found beyond the MAX_PROBLEMS kept


def check(doc: Any, file: str, *, consume: bool = False) -> Checked:
    """Validate a parsed partner file: every problem, every warning, and the dataset if it is valid.

    ``consume``: drop each feature from ``doc`` once read, so the parsed JSON and the dataset
    built from it are not both held whole (the reader's own document; at 100,000 ties the
    parsed JSON is 200 MB of Python objects)."""
    _SOURCES.clear()
    try:
        return _check(doc, file, consume)
    finally:  # 150,000 sources' keys: not held through the scene and payload that follow
        _SOURCES.clear()
        _GOOD_IDS.clear()


def _check(doc: Any, file: str, consume: bool) -> Checked:
    ctx = _Ctx(file)
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        ctx.add(None, "is a single Feature; a partner file is a FeatureCollection of partners")
        return Checked(None, tuple(ctx.problems), more=ctx.more)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        got = doc.get("type") if isinstance(doc, dict) else _type_name(doc)
        ctx.add("type", f"expected a GeoJSON FeatureCollection, got {str(got)[:40]!r}")
        return Checked(None, tuple(ctx.problems), more=ctx.more)
    _unknown_keys(ctx, doc, "collection")
    version = doc.get("partnermap")
    if type(version) is not int or version != SCHEMA_VERSION:  # True == 1 in Python; not here
        ctx.add("partnermap", f"schema version must be {SCHEMA_VERSION}, got {version!r}"[:120])
    meta, as_of, focal = _metadata(ctx, doc)
    features = doc.get("features")
    ctx.feature = None
    if not isinstance(features, list):
        ctx.add("features", f"expected an array of Features, got {_type_name(features)}")
        return Checked(None, tuple(ctx.problems), more=ctx.more)
    if not features:
        ctx.add("features", "is empty: a partner file needs at least one partner")
        return Checked(None, tuple(ctx.problems), more=ctx.more)
    seen_partners: set[str] = set()
    seen_ties: dict[str, str] = {}
    focal_id = focal.id if focal else _focal_id(doc)
    drafts = []
    for i, f in enumerate(features):
        drafts.append(_partner(ctx, f, i, as_of, focal_id, seen_partners, seen_ties))
        if consume:
            features[i] = None
    partners = _whole_file(ctx, [d for d in drafts if d is not None], focal)
    if ctx.problems:
        return Checked(None, tuple(ctx.problems), tuple(ctx.warnings), ctx.more)
    dataset = Dataset(
        title=meta["title"], version=meta["version"], as_of=as_of, focal=focal,
        partners=tuple(partners), source=file,
        description=meta.get("description"), license=meta.get("license"), translations=meta["translations"],
    )
    return Checked(dataset, (), tuple(ctx.warnings))


def _focal_id(doc: dict) -> str | None:
    """The focal id as written, for partner checks when the focal object itself has a problem."""
    focal = doc.get("metadata", {}).get("focal") if isinstance(doc.get("metadata"), dict) else None
    fid = focal.get("id") if isinstance(focal, dict) else None
    return fid if isinstance(fid, str) else None


def check_document(doc: Any, file: str) -> tuple[Dataset | None, list[Problem]]:
    """Validate a parsed partner file; return the dataset (if valid) and every problem.

    Warnings (a geometry far from its country's shape) are issued as
    ``PartnermapWarning``s; ``check`` returns them instead.
    """
    import warnings

    from .errors import PartnermapWarning

    result = check(doc, file)
    for w in result.warnings:
        warnings.warn(PartnermapWarning(str(w)), stacklevel=2)
    return result.dataset, list(result.problems)
