"""Spreadsheets both ways (sheets.py): the exact round trip, text-only cells, drop-downs, errors at their cell."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from partnermap import load
from partnermap.cli import main
from partnermap.dump import to_feature_collection
from partnermap.errors import ValidationError
from partnermap.export import save_tables, save_workbook
from partnermap.sheets import SHEETS, read_dataset, workbook_bytes
from partnermap.tables import format_ties

DATA = Path(__file__).parent / "data"
HOSTILE = ["=1+1", "=HYPERLINK(\"http://example.org\",\"x\")", "+SUM(A1)", "-2", "@cmd", "'=quoted", "''twice",
           "  leading and trailing  ", "two\nlines", "tab\there", "\u2028separator", "<b>html</b>", "{{ jinja }}",
           "ünïcødé 日本 😀", "2023-01-11", "1e5", "TRUE", "0012"]


def without_geometry(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    for f in doc["features"]:
        f["geometry"] = None
    return doc


@pytest.fixture(scope="module")
def bundled():
    return load()


@pytest.mark.parametrize("source", [None, DATA / "australia.geojson", DATA / "minimal.geojson"])
def test_round_trip_through_a_workbook_and_csv_tables_is_exact(source, tmp_path):
    data = load(source)
    book = save_workbook(data, tmp_path / "book.xlsx")
    folder = save_tables(data, tmp_path / "tables")
    for again in (read_dataset(book), read_dataset(folder)):
        assert format_ties(again, "json") == format_ties(data, "json")
        assert without_geometry(to_feature_collection(again)) == without_geometry(to_feature_collection(data))
        assert again.ties == data.ties


def test_same_data_same_bytes(bundled):
    import time

    first = workbook_bytes(bundled)
    time.sleep(1.1)  # openpyxl stamps the save time, to the second
    assert workbook_bytes(bundled) == first


def test_workbook_layout_headers_frozen_rows_and_dropdowns(bundled, tmp_path):
    wb = openpyxl.load_workbook(save_workbook(bundled, tmp_path / "b.xlsx"))
    assert wb.sheetnames == [*SHEETS, "lists"]
    ties = wb["ties"]
    header = [c.value for c in ties[1]]
    assert header[:7] == ["Partner ID", "Tie ID", "Title", "Category", "Type", "Status", "Nature"]
    assert {"In force", "Held", "Negotiating", "Retroactive"} <= set(header)
    assert "Name (ja)" in [c.value for c in wb["partners"][1]]  # a translation is a column of its own
    assert all(wb[s].freeze_panes == "A2" for s in SHEETS)
    sources = wb["sources"]
    assert sources.max_row - 1 == sum(len(t.sources) for t in bundled.ties)  # one row per source of a tie
    lists = {c.column_letter: c.value for c in wb["lists"][1]}
    wanted = {("ties", "Category"), ("ties", "Type"), ("ties", "Status"), ("ties", "Nature"),
              ("partners", "Kind"), ("partners", "Relationship")}
    found = set()
    for sheet in ("ties", "partners"):
        ws = wb[sheet]
        headers = {c.column_letter: c.value for c in ws[1]}
        for dv in ws.data_validations.dataValidation:
            column = str(dv.sqref).split(":")[0].rstrip("0123456789")
            assert dv.type == "list" and dv.formula1.startswith("'lists'!$")
            list_column = dv.formula1.split("$")[1]
            assert lists[list_column].startswith(sheet)
            found.add((sheet, headers[column]))
    assert wanted <= found


def test_every_cell_is_text_never_a_formula(bundled, tmp_path):
    path = save_workbook(bundled, tmp_path / "b.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<v>" not in xml  # no formula, no number: every value is an inline string
    wb = openpyxl.load_workbook(path)
    assert all(c.data_type in ("s", "n") and (c.value is None or isinstance(c.value, str))
               for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def hostile_dataset(minimal):
    import dataclasses

    ties = []
    for i, t in enumerate(minimal.ties):
        text = HOSTILE[i % len(HOSTILE)]
        ties.append(dataclasses.replace(t, title=text, summary=HOSTILE[(i + 5) % len(HOSTILE)],
                                        note=HOSTILE[(i + 9) % len(HOSTILE)]))
    by_partner = {p.id: tuple(t for t in ties if t.partner == p.id) for p in minimal.partners}
    return dataclasses.replace(minimal, partners=tuple(dataclasses.replace(p, ties=by_partner[p.id])
                                                       for p in minimal.partners))


def test_hostile_text_survives_both_ways(minimal, tmp_path):
    data = hostile_dataset(minimal)
    book, folder = save_workbook(data, tmp_path / "h.xlsx"), save_tables(data, tmp_path / "h")
    for again in (read_dataset(book), read_dataset(folder)):
        assert [(t.title, t.summary, t.note) for t in again.ties] == [(t.title, t.summary, t.note) for t in data.ties]
    rows = list(csv.reader(io.StringIO((tmp_path / "h" / "ties.csv").read_text(encoding="utf-8"))))
    # defused in CSV; a negative number (a longitude) stays the number it is
    assert all(not cell.startswith(("=", "+", "-", "@")) or re.fullmatch(r"-\d+(\.\d+)?", cell)
               for row in rows for cell in row)


def test_text_a_workbook_cannot_hold_is_refused_at_its_cell(minimal, tmp_path):
    import dataclasses

    bad = dataclasses.replace(minimal, partners=tuple(
        dataclasses.replace(p, ties=tuple(dataclasses.replace(t, title="bell\x07") if t.id == "USA-AUTO" else t
                                          for t in p.ties)) for p in minimal.partners))
    out = tmp_path / "b.xlsx"
    out.write_bytes(b"previous")
    with pytest.raises(ValidationError) as exc:
        save_workbook(bad, out)
    assert [str(p) for p in exc.value.problems] == [
        f"{minimal.source}: sheet ties: row 5: column Title: holds the control character U+0007, "
        "which a workbook cannot store"]
    assert out.read_bytes() == b"previous"


def edited(tmp_path, edit) -> Path:
    """The minimal data as a workbook, changed by ``edit(workbook)``."""
    path = save_workbook(load(DATA / "minimal.geojson"), tmp_path / "in.xlsx")
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        read_dataset(path)
    return [str(p) for p in exc.value.problems]


def test_errors_name_sheet_row_and_column(tmp_path):
    def edit(wb):
        wb["ties"]["F3"] = "ratified"  # Status of AUS-EPA
        wb["ties"]["J4"] = "1960-02-30"  # Signed of USA-TREATY
        wb["sources"]["C2"] = None  # Publisher of AUS-RAA's source
        wb["partners"]["F2"] = "east"  # Anchor longitude of AUS
        wb["metadata"]["B5"] = "2025-13"  # as_of

    path = edited(tmp_path, edit)
    assert problems_of(path) == [f"{path}: sheet partners: row 2: column Anchor longitude: 'east' is not a number"]
    path = edited(tmp_path, lambda wb: (edit(wb), wb["partners"].__setitem__("F2", "149.13")))
    assert problems_of(path) == [
        f"{path}: sheet metadata: row 5: column Value: '2025-13': no month 13",
        f"{path}: sheet ties: row 3: column Status: unknown value 'ratified'; expected one of: announced, "
        "negotiating, signed, held, in_force, suspended, cancelled, ended",
        f"{path}: sheet ties: row 4: column Signed: '1960-02-30' is not a real date (February 1960 has 29 days)",
        f"{path}: sheet sources: row 2: column Publisher: missing",
    ]


def test_table_shape_problems_are_cells_too(tmp_path):
    def edit(wb):
        wb["ties"]["C1"] = "Titel"
        wb["ties"]["A10"] = "XXX"
        wb["ties"]["B10"] = "XXX-1"
        wb["sources"]["A2"] = "NOPE"
        wb["ties"]["P2"] = "maybe"  # Retroactive
        del wb["metadata"]

    path = edited(tmp_path, edit)
    assert problems_of(path) == [
        f"{path}: sheet metadata: missing sheet; expected the metadata table",
        f"{path}: sheet ties: row 1: column Titel: unknown header; did you mean Title?",
        f"{path}: sheet ties: row 2: column Retroactive: 'maybe': write yes, no, or leave it blank",
        f"{path}: sheet ties: row 10: column Partner ID: 'XXX' is no partner of the partners sheet",
        f"{path}: sheet sources: row 2: column Tie ID: 'NOPE' is no tie of the ties sheet",
    ]


def test_csv_folder_errors_name_the_file(tmp_path):
    folder = save_tables(load(DATA / "minimal.geojson"), tmp_path / "t")
    text = (folder / "ties.csv").read_text(encoding="utf-8").replace(",reciprocal_access,", ",treaty,", 1)
    (folder / "ties.csv").write_text(text, encoding="utf-8")
    lines = problems_of(folder)
    assert len(lines) == 1 and lines[0].startswith(f"{folder / 'ties.csv'}: row 2: column Type: unknown value 'treaty'")


def test_a_spreadsheet_users_dates_numbers_and_booleans_are_read_as_text(tmp_path):
    import datetime as dt

    def edit(wb):
        wb["ties"]["J2"] = dt.datetime(2022, 1, 6)  # Signed, typed as a date
        wb["partners"]["F2"] = 149.13  # a number
        wb["ties"]["P2"] = False  # Retroactive as a boolean

    data = read_dataset(edited(tmp_path, edit))
    assert str(data.ties[0].dates[0][1]) == "2022-01-06" and data.partner("AUS").anchor == (149.13, -35.28)


def test_cli_list_xlsx_and_import(tmp_path, minimal_path):
    runner = CliRunner()
    book = tmp_path / "book.xlsx"
    assert runner.invoke(main, ["list", str(minimal_path), "--format", "xlsx"]).exit_code == 2  # needs -o
    result = runner.invoke(main, ["list", str(minimal_path), "--format", "xlsx", "-o", str(book)])
    assert result.exit_code == 0 and result.stdout.strip() == str(book)
    out = tmp_path / "partners.geojson"
    result = runner.invoke(main, ["import", str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert all(f["geometry"] is None for f in doc["features"])  # territories come from codes
    printed = runner.invoke(main, ["import", str(book)])
    assert printed.exit_code == 0 and json.loads(printed.stdout) == doc
    wb = openpyxl.load_workbook(book)
    wb["ties"]["F2"] = "ratified"
    wb.save(book)
    out.write_text("previous", encoding="utf-8")
    bad = runner.invoke(main, ["import", str(book), "-o", str(out)])
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert bad.stderr.splitlines() == [f"{book}: sheet ties: row 2: column Status: unknown value 'ratified'; "
                                       "expected one of: announced, negotiating, signed, held, in_force, "
                                       "suspended, cancelled, ended"]
    assert out.read_text(encoding="utf-8") == "previous"
    assert runner.invoke(main, ["import", str(tmp_path / "nope.xlsx")]).exit_code == 2
    assert runner.invoke(main, ["import", str(minimal_path)]).exit_code == 2  # not a workbook


def test_not_a_workbook_is_one_line(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK not really a zip")
    assert problems_of(fake) == [f"{fake}: not a readable .xlsx workbook (BadZipFile)"]


def soffice() -> str:
    """LibreOffice with Calc; like the browser tests, this never skips: no Calc is a failure with the fix."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None or not Path("/usr/lib/libreoffice/program/libsclo.so").exists():
        pytest.fail("LibreOffice Calc not found: run `sudo apt-get install -y libreoffice-calc` (make system-deps)")
    return found


def test_libreoffice_opens_the_workbook_and_keeps_its_dropdowns(bundled, tmp_path):
    book = save_workbook(bundled, tmp_path / "book.xlsx")
    profile = tmp_path / "profile"
    run = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to"]
    subprocess.run([*run, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path / "csv"), str(book)], check=True, capture_output=True, timeout=180)
    ties = list(csv.reader(io.StringIO((tmp_path / "csv" / "book-ties.csv").read_text(encoding="utf-8"))))
    assert ties[0][:3] == ["Partner ID", "Tie ID", "Title"] and len(ties) == len(bundled.ties) + 1
    subprocess.run([*run, "xlsx", "--outdir", str(tmp_path / "lo"), str(book)], check=True, capture_output=True,
                   timeout=180)
    resaved = openpyxl.load_workbook(tmp_path / "lo" / "book.xlsx")
    assert len(resaved["ties"].data_validations.dataValidation) >= 5  # LibreOffice read and kept the drop-downs
    again = read_dataset(tmp_path / "lo" / "book.xlsx")  # and what it saves reads back
    assert format_ties(again, "json") == format_ties(bundled, "json")


def test_a_territory_that_cannot_come_from_codes_is_a_warning(tmp_path):
    from partnermap.checks import check
    from partnermap.errors import PartnermapWarning

    doc = json.loads((DATA / "bad" / "null-geometry.geojson").read_text(encoding="utf-8"))  # SJM, no basemap shape
    doc["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [[[10, 76], [30, 76], [30, 80], [10, 80],
                                                                          [10, 76]]]}
    data = check(doc, "sjm.geojson").dataset
    with pytest.warns(PartnermapWarning, match="partner SJM: its territory is drawn in the file"):
        save_workbook(data, tmp_path / "s.xlsx")
