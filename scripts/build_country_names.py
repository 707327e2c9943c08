"""Build the country-name table partnermap ships: basemap countries named in the map's language.

Why
---
A map in Japanese names the parties of a tie and the members of a group that
are no partner of the file ("Canada" in the G7) from the basemap, whose names
are English (Natural Earth). A partner state whose file gives no name in the
chosen language is named the same way. The package must not need the network
or a heavy library for this, so this script makes the table once, at build
time; the package reads only the table.

How
---
Source: the Unicode CLDR (version 49) as the PyPI package babel 2.19.0 ships it
(``pip install -e '.[build]'``): each locale's standard territory names, keyed
by ISO 3166-1 alpha-2, and CLDR's territory aliases, which map each alpha-3 code
to its alpha-2 code. Kosovo's XKX (the code the basemap uses, as the EU and the
IMF do) is not among CLDR's aliases; CLDR names Kosovo under XK, so XKX -> XK.
CLDR data is under the Unicode License v3; babel's code is BSD-3-Clause
(data/README.md). Ids CLDR has no name for (Northern Cyprus, Somaliland, the
Siachen Glacier) are left blank: they are shown in English.

Languages: every language with a UI catalog (``locales/*.json``, English
excepted: English names are the basemap's own, Natural Earth's) and the six
official languages of the United Nations, so a file that carries its own
texts in French or Chinese gets country names in them too. ``zh`` is CLDR's
``zh`` locale (Simplified Chinese).

Usage: python scripts/build_country_names.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TABLE = REPO / "src" / "partnermap" / "assets" / "country_names.csv"
LOCALES = REPO / "src" / "partnermap" / "locales"
BABEL = "2.19.0"
UN_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
EXTRA_ALIASES = {"XKX": "XK"}  # Kosovo: CLDR's XK, not in its alpha-3 aliases


def languages(catalogs: Iterable[str]) -> tuple[str, ...]:
    """The table's languages: the catalogs' and the UN's, English left out (the basemap's names), sorted."""
    return tuple(sorted((set(catalogs) | set(UN_LANGUAGES)) - {"en"}))


def name_rows(ids: Iterable[str], aliases: Mapping[str, str], names: Mapping[str, Mapping[str, str]],
              langs: tuple[str, ...]) -> list[dict]:
    """One row per basemap id, sorted: ``id`` then one name per language ('' where CLDR has none)."""
    rows = []
    for code in sorted(ids):
        alpha2 = EXTRA_ALIASES.get(code) or aliases.get(code)
        row = {"id": code}
        for lang in langs:
            row[lang] = names[lang].get(alpha2, "") if alpha2 else ""
        rows.append(row)
    return rows


def table_text(rows: list[dict], langs: tuple[str, ...]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=("id", *langs), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def _cldr(langs: tuple[str, ...]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    try:
        from importlib.metadata import version

        from babel import Locale
        from babel.core import get_global
    except ImportError:
        raise SystemExit("babel is not installed: pip install -e '.[build]'") from None
    found = version("babel")
    if found != BABEL:
        raise SystemExit(f"babel {found} is installed; the table is built from {BABEL}")
    aliases = {code: targets[0] for code, targets in get_global("territory_aliases").items()
               if len(code) == 3 and code.isalpha() and targets}
    return aliases, {lang: dict(Locale.parse(lang).territories) for lang in langs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the table would change; write nothing")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    from partnermap.basemap import ids

    langs = languages(p.stem for p in LOCALES.glob("*.json"))
    aliases, names = _cldr(langs)
    text = table_text(name_rows(ids(), aliases, names, langs), langs)
    current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else None
    named = sum(1 for line in text.splitlines()[1:] if line.split(",", 2)[1])
    print(f"{TABLE}: {len(langs)} languages ({', '.join(langs)}); {named} of {len(ids())} ids named",
          file=sys.stderr)
    if current == text:
        return 0
    if args.check:
        print(f"{TABLE}: out of date; run python scripts/build_country_names.py", file=sys.stderr)
        return 1
    TABLE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
