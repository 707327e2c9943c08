"""The bundled Natural Earth basemap (``assets/world.geojson``): every country's shape by id.

One reader for everything that needs a country's shape: the map's basemap,
territories derived from ISO codes, and outlines that must keep every member.
Also the bundled capitals (``assets/capitals.csv``), the anchor of a state
whose file gives none, and the country names in other languages
(``assets/country_names.csv``, CLDR's), so a map in Japanese names a group's
members in Japanese. Provenance and licences: data/README.md.
"""

from __future__ import annotations

import csv
import io
import json
import re
from functools import lru_cache
from importlib import resources

import shapely
from shapely.geometry.base import BaseGeometry


@lru_cache(maxsize=1)
def _text() -> str:
    return (resources.files("partnermap") / "assets" / "world.geojson").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def ids() -> frozenset[str]:
    """Every country id of the basemap, read without parsing a single shape (validation needs only these)."""
    return frozenset(re.findall(r'"properties":\{"id":"([^"]*)"', _text()))


@lru_cache(maxsize=1)
def capitals() -> dict[str, tuple[str, tuple[float, float]]]:
    """id -> (capital, (lon, lat)) from the shipped table (scripts/build_capitals.py writes it)."""
    text = (resources.files("partnermap") / "assets" / "capitals.csv").read_text(encoding="utf-8")
    return {row["id"]: (row["capital"], (float(row["lon"]), float(row["lat"])))
            for row in csv.DictReader(io.StringIO(text))}


@lru_cache(maxsize=1)
def features() -> tuple[dict, ...]:
    """The basemap's GeoJSON features (properties ``id`` and ``name``)."""
    return tuple(json.loads(_text())["features"])


@lru_cache(maxsize=1)
def shapes() -> dict[str, BaseGeometry]:
    """Every country as a shapely geometry by id, parsed by GEOS in one call (fast).

    The ids are read with a regular expression rather than a second full JSON
    parse: the file is written by scripts/build_geometry.py in one fixed form.
    """
    text = _text()
    ids = re.findall(r'"properties":\{"id":"([^"]*)"', text)
    parts = shapely.get_parts(shapely.from_geojson(text))
    if len(ids) != len(parts):  # pragma: no cover - guards a hand-edited world.geojson
        ids = [f["properties"].get("id", "") for f in features()]
    return dict(zip(ids, parts, strict=True))


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    """English short names by id ("South Korea", "Türkiye")."""
    return {f["properties"]["id"]: f["properties"].get("name", f["properties"]["id"]) for f in features()}


@lru_cache(maxsize=1)
def _names_by_language() -> dict[str, dict[str, str]]:
    text = (resources.files("partnermap") / "assets" / "country_names.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return {lang: {row["id"]: row[lang] for row in rows if row[lang]} for lang in reader.fieldnames[1:]}


def name_languages() -> tuple[str, ...]:
    """The languages basemap countries have names in: English (Natural Earth's), then the table's (CLDR's)."""
    return ("en", *_names_by_language())


def country_name(code: str, lang: str = "en") -> str | None:
    """A basemap country's name in ``lang`` (English: the basemap's own), or None where there is none."""
    if lang == "en":
        return names().get(code)
    return _names_by_language().get(lang, {}).get(code)


def member_points(members: tuple[str, ...]) -> list[BaseGeometry]:
    """A point inside each member's largest part: an outline must never drop a member state."""
    by_id = shapes()
    points = []
    for m in members:
        if m in by_id:
            parts = shapely.get_parts(by_id[m])
            points.append(parts[int(shapely.area(parts).argmax())].representative_point())
    return points
