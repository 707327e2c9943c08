"""scripts/build_country_names.py: the shipped country-name table is CLDR's, and stays so (``--check``)."""

from __future__ import annotations

import csv
import importlib.util
import io
import subprocess
import sys
from pathlib import Path

from partnermap import basemap, i18n

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_country_names.py"
spec = importlib.util.spec_from_file_location("build_country_names", SCRIPT)
bcn = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bcn)


def test_rows_map_alpha3_to_cldr_names_and_leave_unknown_ids_blank():
    names = {"ja": {"CA": "カナダ", "XK": "コソボ"}, "fr": {"CA": "Canada"}}
    rows = bcn.name_rows(["XNC", "CAN", "XKX"], {"CAN": "CA"}, names, ("fr", "ja"))
    assert rows == [{"id": "CAN", "fr": "Canada", "ja": "カナダ"},
                    {"id": "XKX", "fr": "", "ja": "コソボ"},  # Kosovo: CLDR's XK
                    {"id": "XNC", "fr": "", "ja": ""}]  # no CLDR territory: shown in English
    assert bcn.table_text(rows, ("fr", "ja")).splitlines()[:2] == ["id,fr,ja", "CAN,Canada,カナダ"]


def test_languages_are_the_catalogs_and_the_un_s_without_english():
    assert bcn.languages(["en", "ja"]) == ("ar", "es", "fr", "ja", "ru", "zh")
    assert bcn.languages(["en", "ja", "ko"])[3:5] == ("ja", "ko")


def test_the_table_has_every_basemap_id_and_every_catalog_language():
    text = (Path(basemap.__file__).parent / "assets" / "country_names.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == sorted(basemap.ids())
    assert set(i18n.languages()) - {"en"} <= set(rows[0]) - {"id"}


def test_check_passes_on_the_shipped_table():
    """The table is exactly what CLDR (babel, pinned in the test extra) gives: nothing edited by hand."""
    proc = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "6 languages (ar, es, fr, ja, ru, zh); 239 of 242 ids named" in proc.stderr
