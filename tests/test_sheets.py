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
        # exact, drawn territories included (the minimal file draws every one)
        assert to_feature_collection(again, derived=False) == to_feature_collection(data, derived=False)
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
    # all in one run: a problem of the table itself (not a number) does not hide those the checks find
    assert problems_of(path) == [
        f"{path}: sheet metadata: row 5: column Value: '2025-13': no month 13",
        f"{path}: sheet partners: row 2: column Anchor longitude: 'east' is not a number",
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
    # the minimal file draws its territories: they travel as they were written
    original = json.loads(json.dumps(to_feature_collection(load(minimal_path), derived=False)))
    assert [f["geometry"] for f in doc["features"]] == [f["geometry"] for f in original["features"]]
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


# ---- drawn territories travel (issue 11): a Geometry column of GeoJSON text -----------------------------


def _australia_with(tmp_path, pid: str, geometry: dict) -> Path:
    doc = json.loads((DATA / "australia.geojson").read_text(encoding="utf-8"))
    next(f for f in doc["features"] if f["properties"]["id"] == pid)["geometry"] = geometry
    path = tmp_path / "drawn.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


HAND_DRAWN = {"type": "Polygon", "coordinates": [[[166.5, -46.6], [178.5, -46.6], [178.5, -34.4], [166.5, -34.4],
                                                  [166.5, -46.6]]]}


def test_a_hand_drawn_territory_of_a_basemap_id_survives_the_round_trip(tmp_path):
    """Not replaced by the ISO shape: the workbook carries it, and import gives it back exactly."""
    data = load(_australia_with(tmp_path, "NZL", HAND_DRAWN))
    assert not data.partner("NZL").derived
    book, folder = save_workbook(data, tmp_path / "b.xlsx"), save_tables(data, tmp_path / "t")
    wb = openpyxl.load_workbook(book)
    header = [c.value for c in wb["partners"][1]]
    assert "Geometry (GeoJSON; blank: from codes)" in header
    cells = [row[header.index("Geometry (GeoJSON; blank: from codes)")] for row in
             wb["partners"].iter_rows(min_row=2, values_only=True)]
    assert json.loads(cells[0]) == HAND_DRAWN and all(c is None for c in cells[1:])  # the rest: from codes
    for again in (read_dataset(book), read_dataset(folder)):
        assert to_feature_collection(again, derived=False) == to_feature_collection(data, derived=False)
        assert again.partner("NZL").geometry.equals(data.partner("NZL").geometry)


def test_a_territory_the_basemap_lacks_travels_too(tmp_path):
    from partnermap.checks import check

    doc = json.loads((DATA / "bad" / "null-geometry.geojson").read_text(encoding="utf-8"))  # SJM, no basemap shape
    doc["features"][0]["geometry"] = {"type": "Polygon", "coordinates": [[[10, 76], [30, 76], [30, 80], [10, 80],
                                                                          [10, 76]]]}
    data = check(doc, "sjm.geojson").dataset
    again = read_dataset(save_workbook(data, tmp_path / "s.xlsx"))
    assert to_feature_collection(again, derived=False) == to_feature_collection(data, derived=False)


def test_a_territory_too_large_for_a_cell_is_refused_at_its_cell(tmp_path, minimal):
    """A workbook cell holds 32,767 characters: say so, and that CSV tables carry it, rather than drop it."""
    import dataclasses

    from shapely.geometry import Point

    big = Point(0, 0).buffer(10, quad_segs=2000)  # 8,000 vertices
    data = dataclasses.replace(minimal, partners=tuple(dataclasses.replace(p, shape=big) if p.id == "GBR" else p
                                                       for p in minimal.partners))
    with pytest.raises(ValidationError) as exc:
        save_workbook(data, tmp_path / "b.xlsx")
    (line,) = [str(p) for p in exc.value.problems]
    assert line.startswith(f"{minimal.source}: sheet partners: row 4: column Geometry (GeoJSON; blank: from codes): "
                           "the territory drawn in the file is ")
    assert line.endswith("characters of GeoJSON; a workbook cell holds 32,767: simplify it, or use CSV tables "
                         "(partnermap.save_tables), which carry it")
    again = read_dataset(save_tables(data, tmp_path / "t"))
    assert again.partner("GBR").geometry.equals(big)
    assert not (tmp_path / "b.xlsx").exists()


def test_bad_geojson_in_the_geometry_column_is_a_cell_problem(tmp_path):
    def edit(wb):
        header = [c.value for c in wb["partners"][1]]
        col = header.index("Geometry (GeoJSON; blank: from codes)") + 1
        wb["partners"].cell(row=2, column=col).value = '{"type": "Polygon", "coordinates": [[[1, 2]'
        wb["partners"].cell(row=3, column=col).value = '{"type": "Point", "coordinates": [1, 2]}'

    path = edited(tmp_path, edit)
    lines = problems_of(path)
    assert lines[0].startswith(f"{path}: sheet partners: row 2: column Geometry (GeoJSON; blank: from codes): "
                               "not valid JSON: ")
    assert lines[0].endswith("(GeoJSON expected)")
    assert lines[1].startswith(f"{path}: sheet partners: row 3: column Geometry (GeoJSON; blank: from codes): ")
    assert len(lines) == 2


# ---- root causes first, once; no follow-on cascade; all in one run -------------------------------------


def bundled_edited(tmp_path, edit) -> Path:
    path = save_workbook(load(), tmp_path / "bundled.xlsx")
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _cell(wb, sheet: str, row: int, header: str):
    headers = [c.value for c in wb[sheet][1]]
    return wb[sheet].cell(row=row, column=headers.index(header) + 1)


def test_a_lower_case_partner_id_is_one_line_at_its_cell(tmp_path):
    """'usa' in the partners sheet used to give 81 lines about ties and sources and never name the cell."""
    path = bundled_edited(tmp_path, lambda wb: setattr(_cell(wb, "partners", 2, "ID"), "value", "usa"))
    assert problems_of(path) == [f"{path}: sheet partners: row 2: column ID: 'usa': ids are upper case; write USA"]


def test_ids_in_the_wrong_case_in_the_ties_sheet_are_one_line_per_value(tmp_path):
    def edit(wb):
        for row in range(2, wb["ties"].max_row + 1):
            if _cell(wb, "ties", row, "Partner ID").value == "AUS":
                _cell(wb, "ties", row, "Partner ID").value = "aus"

    path = bundled_edited(tmp_path, edit)
    (line,) = problems_of(path)
    assert re.fullmatch(rf"{re.escape(str(path))}: sheet ties: row \d+: column Partner ID: 'aus': ids are upper "
                        r"case; write AUS \(here and in \d+ more rows of this column\)", line)


def test_duplicates_a_numeric_id_and_a_bad_date_are_all_reported_in_one_run(tmp_path):
    """Root causes at their cells, in one run; the ties and sources they orphan say nothing more."""
    def edit(wb):
        _cell(wb, "partners", 4, "ID").value = 123  # PHL's row, as a number
        _cell(wb, "partners", 5, "ID").value = "AUS"  # KOR's row: AUS given twice
        _cell(wb, "ties", 5, "Tie ID").value = _cell(wb, "ties", 4, "Tie ID").value  # a tie id given twice
        _cell(wb, "ties", 3, "Status").value = "ratified"  # and a problem only the checks find

    path = bundled_edited(tmp_path, edit)
    wb = openpyxl.load_workbook(path)
    phl_rows = [r for r in range(2, wb["ties"].max_row + 1) if _cell(wb, "ties", r, "Partner ID").value == "PHL"]
    dup = _cell(wb, "ties", 4, "Tie ID").value
    lines = problems_of(path)
    assert lines[:4] == [
        f"{path}: sheet partners: row 4: column ID: '123' is not a valid partner id (upper-case letters, digits, _ "
        "and -, 2 to 32 long, starting with a letter; a state's is its ISO 3166-1 alpha-3 code)",
        f"{path}: sheet partners: row 5: column ID: AUS: given twice (also row 3); a partner is one row, its ties "
        "are rows of the ties sheet",
        f"{path}: sheet ties: row 3: column Status: unknown value 'ratified'; expected one of: announced, "
        "negotiating, signed, held, in_force, suspended, cancelled, ended",
        f"{path}: sheet ties: row 5: column Tie ID: '{dup}': given twice (also row 4); tie ids are unique in the file",
    ]
    assert "feature 0" not in " ".join(lines)  # located at sheet rows, never at the rebuilt file's features
    # the ties of PHL (its row now says 123) and KOR (its row overwritten): one line each, not one per row
    for pid, rows in (("PHL", phl_rows), ("KOR", None)):
        (line,) = [line for line in lines if f"'{pid}' is no partner" in line]
        assert "more rows of this column" in line
        if rows:
            assert f"row {rows[0]}: " in line and f"in {len(rows) - 1} more rows" in line
    assert len(lines) == 7, lines  # the sources of the tie whose id was overwritten: one line


def test_a_formula_in_a_date_cell_is_refused_naming_the_cell(tmp_path):
    """openpyxl writes formulas with no computed value: the date would be lost without a word."""
    path = bundled_edited(tmp_path, lambda wb: setattr(_cell(wb, "ties", 3, "Signed"), "value", "=DATE(2019,3,4)"))
    assert problems_of(path) == [f"{path}: sheet ties: row 3: column Signed: a formula ('=DATE(2019,3,4)') with no "
                                 "value saved; type the date as text, e.g. 2019-03-04"]


def test_a_formula_elsewhere_and_one_with_a_saved_value(tmp_path):
    path = bundled_edited(tmp_path, lambda wb: setattr(_cell(wb, "ties", 3, "Title"), "value", '=A1&"x"'))
    assert problems_of(path) == [f"{path}: sheet ties: row 3: column Title: a formula ('=A1&\"x\"') with no value "
                                 "saved; type the value itself"]
    # a formula a spreadsheet computed (LibreOffice saves the value): the value is read
    book = save_workbook(load(DATA / "minimal.geojson"), tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(book)
    _cell(wb, "ties", 2, "Title").value = '=UPPER("reciprocal access")'
    wb.save(book)
    profile = tmp_path / "profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "lo"), str(book)], check=True, capture_output=True, timeout=180)
    assert read_dataset(tmp_path / "lo" / "m.xlsx").ties[0].title == "RECIPROCAL ACCESS"


def test_a_date_turned_into_a_day_number_says_what_it_is(tmp_path):
    """A spreadsheet that took a date cell for a number shows '43528': name it, and the day it stands for."""
    def edit(wb):
        cell = _cell(wb, "ties", 3, "Signed")
        cell.value, cell.number_format = 43528, "General"

    path = bundled_edited(tmp_path, edit)
    assert problems_of(path) == [f"{path}: sheet ties: row 3: column Signed: '43528' looks like a spreadsheet's day "
                                 "number for 2019-03-04, not a date: format the column as Text and type 2019-03-04"]


def test_fields_without_a_column_are_put_in_the_row_s_id_column(tmp_path):
    def edit(wb):
        for row in range(2, wb["sources"].max_row + 1):
            if _cell(wb, "sources", row, "Tie ID").value == _cell(wb, "ties", 4, "Tie ID").value:
                for cell in wb["sources"][row]:
                    cell.value = None
        for header in ("Announced", "Negotiating", "Signed", "Held", "In force", "Suspended", "Cancelled", "Ended"):
            _cell(wb, "ties", 5, header).value = None

    path = bundled_edited(tmp_path, edit)
    lines = problems_of(path)
    assert f"{path}: sheet ties: row 4: column Tie ID: no row in the sources sheet; every tie cites at least one " \
           "source" in lines
    assert f"{path}: sheet ties: row 5: column Tie ID: no date in any date column (Announced … Ended); give at " \
           "least one" in lines
    assert all(re.search(r": row \d+: column ", line) for line in lines), lines


def test_a_state_the_basemap_lacks_without_geometry_names_the_geometry_column(tmp_path):
    def edit(wb):
        row = wb["partners"].max_row + 1
        for header, value in (("ID", "TKL"), ("Name", "Tokelau"), ("Kind", "state"), ("Anchor longitude", "-171.8"),
                              ("Anchor latitude", "-9.2")):
            _cell(wb, "partners", row, header).value = value
        _cell(wb, "ties", 2, "Partner ID").value = "TKL"

    path = bundled_edited(tmp_path, edit)
    lines = problems_of(path)
    tkl = [line for line in lines if "TKL is not a country" in line]
    assert len(tkl) == 1 and ": column Geometry (GeoJSON; blank: from codes): missing, and TKL" in tkl[0]
