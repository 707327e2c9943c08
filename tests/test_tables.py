"""Ties as rows: tie_rows, and the list command's table, CSV and JSON."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import unicodedata

from partnermap.dates import PartialDate
from partnermap.filters import select
from partnermap.tables import COLUMNS, TABLE_COLUMNS, format_ties, tie_rows
from partnermap.vocab import Status


def cells(text: str) -> int:
    """Terminal cells a string takes (wide and fullwidth characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def retitle(dataset, titles: dict[str, str]):
    return dataclasses.replace(dataset, partners=tuple(
        dataclasses.replace(p, ties=tuple(dataclasses.replace(t, title=titles.get(t.id, t.title)) for t in p.ties))
        for p in dataset.partners))


def test_tie_rows_values(minimal):
    rows = tie_rows(minimal)
    assert [r["id"] for r in rows] == [
        "AUS-RAA", "AUS-EPA", "USA-TREATY", "USA-AUTO", "GBR-RAA", "GBR-ACSA", "QUAD-SUMMIT", "QUAD-OLD",
    ]
    assert all(tuple(r) == COLUMNS for r in rows)
    by_id = {r["id"]: r for r in rows}
    none = dict.fromkeys(("announced", "negotiating", "signed", "held", "in_force", "suspended", "cancelled",
                          "ended"), "")
    assert by_id["AUS-RAA"] == {
        "partner": "AUS", "category": "security", "type": "reciprocal_access", "status": "in_force",
        "nature": "cooperation", **none, "signed": "2022-01-06", "in_force": "2023-08-13",
        "title": "Reciprocal Access Agreement", "id": "AUS-RAA", "change": "", "curation": "",
    }
    assert by_id["USA-AUTO"]["announced"] == "2025-03-26"
    assert by_id["GBR-ACSA"]["in_force"] == "2017"  # the precision recorded, not a made-up day
    # every step has its own column: an event's "held" date is no signing, a cancellation no end
    assert by_id["QUAD-SUMMIT"] == {
        "partner": "QUAD", "category": "diplomatic", "type": "minilateral", "status": "held",
        "nature": "cooperation", **none, "held": "2021-03-12",
        "title": "First Quad leaders' summit", "id": "QUAD-SUMMIT", "change": "", "curation": "",
    }
    assert (by_id["QUAD-OLD"]["held"], by_id["QUAD-OLD"]["signed"], by_id["QUAD-OLD"]["ended"]) == (
        "2007-05", "", "2008-02")
    assert by_id["USA-AUTO"]["nature"] == "friction"


def remark(dataset, tie_id: str, text: str):
    return dataclasses.replace(dataset, partners=tuple(
        dataclasses.replace(p, ties=tuple(dataclasses.replace(t, curation=text) if t.id == tie_id else t
                                          for t in p.ties)) for p in dataset.partners))


def test_csv_and_json_carry_the_curation_remark_and_the_table_does_not(minimal):
    data = remark(minimal, "GBR-ACSA", "=HYPERLINK(\"x\") day not found; the year is the release's")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(format_ties(data, "csv")))}
    assert list(rows["GBR-ACSA"])[-1] == "curation"
    assert rows["GBR-ACSA"]["curation"] == "'=HYPERLINK(\"x\") day not found; the year is the release's"  # defused
    assert rows["AUS-RAA"]["curation"] == ""
    by_id = {r["id"]: r for r in json.loads(format_ties(data, "json"))}
    assert by_id["GBR-ACSA"]["curation"].endswith("the year is the release's")
    assert "day not found" not in format_ties(data) and "curation" not in format_ties(data).splitlines()[0]


def test_negotiating_suspended_and_cancelled_dates_are_listed(minimal):
    changed = dataclasses.replace(minimal, partners=tuple(
        dataclasses.replace(p, ties=tuple(
            dataclasses.replace(t, dates=((Status.NEGOTIATING, PartialDate(2018, 6, 18)),
                                          (Status.CANCELLED, PartialDate(2019))))
            if t.id == "AUS-EPA" else t for t in p.ties)) for p in minimal.partners))
    row = next(r for r in tie_rows(changed) if r["id"] == "AUS-EPA")
    assert (row["negotiating"], row["cancelled"], row["ended"], row["signed"]) == ("2018-06-18", "2019", "", "")


def test_csv_cells_that_would_be_formulas_are_defused(minimal):
    hostile = retitle(minimal, {"AUS-RAA": "=HYPERLINK(\"http://x\")", "AUS-EPA": "+1", "USA-AUTO": "@SUM(A1)",
                                "USA-TREATY": "-2+3", "GBR-RAA": "\tTab"})
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(format_ties(hostile, "csv")))}
    assert rows["AUS-RAA"]["title"] == "'=HYPERLINK(\"http://x\")"
    assert [rows[i]["title"][0] for i in ("AUS-EPA", "USA-AUTO", "USA-TREATY", "GBR-RAA")] == ["'"] * 4
    assert rows["GBR-ACSA"]["title"] == "ACSA"


def test_totals_count_partners_in_the_singular_too(minimal):
    from partnermap.tables import totals

    one = dataclasses.replace(minimal, partners=minimal.partners[:1])
    assert totals(one) == "2 ties with 1 partner (security 1, economic 1)"


def test_tie_rows_of_a_snapshot_and_changes(minimal):
    rows = tie_rows(select(minimal, as_of="2023-09", changes_since="2023"))
    gbr = next(r for r in rows if r["id"] == "GBR-RAA")
    assert (gbr["status"], gbr["signed"], gbr["in_force"], gbr["change"]) == ("signed", "2023-01-11", "", "new")
    aus = next(r for r in rows if r["id"] == "AUS-RAA")
    assert aus["change"] == "advanced"


def test_csv_round_trip(minimal):
    text = format_ties(minimal, "csv")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert list(csv.DictReader(io.StringIO(text))) == tie_rows(minimal)


def test_json_round_trip(minimal):
    text = format_ties(minimal, "json")
    assert text.endswith("]\n")
    assert json.loads(text) == tie_rows(minimal)


def test_json_and_csv_keep_unicode_and_newlines(minimal):
    data = retitle(minimal, {"AUS-RAA": "日豪円滑化協定\nsecond line, with \"quotes\""})
    assert "日豪円滑化協定" in format_ties(data, "json")  # not \\u escapes
    assert json.loads(format_ties(data, "json"))[0]["title"] == "日豪円滑化協定\nsecond line, with \"quotes\""
    rows = list(csv.DictReader(io.StringIO(format_ties(data, "csv"))))
    assert rows[0]["title"] == "日豪円滑化協定\nsecond line, with \"quotes\""
    assert len(rows) == 8


def test_table_layout(minimal):
    lines = format_ties(minimal).splitlines()
    assert len(lines) == 2 + 8
    assert lines[0].split() == list(TABLE_COLUMNS)
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[2].split()[:6] == ["AUS", "security", "reciprocal_access", "in_force", "2022-01-06", "2023-08-13"]
    assert lines[2].endswith("Reciprocal Access Agreement")
    # QUAD-SUMMIT has no in-force date: the title still starts in the title column
    title_col = lines[0].index("title")
    for line in lines[2:]:
        assert line[title_col - 2:title_col] == "  "
        assert line[title_col] != " "
    assert lines[8][title_col:] == "First Quad leaders' summit"
    assert all(line == line.rstrip() for line in lines)
    assert "change" not in lines[0]


def test_table_columns_line_up(minimal):
    lines = format_ties(minimal).splitlines()
    dashes = lines[1].split("  ")
    starts = [0]
    for d in dashes[:-1]:
        starts.append(starts[-1] + len(d) + 2)
    for line in [lines[0], *lines[2:]]:
        for s in starts[1:]:
            assert line[s - 2:s] == "  ", (line, s)


def test_table_cjk_titles_align_the_next_column(minimal):
    data = retitle(minimal, {"AUS-RAA": "日豪円滑化協定", "USA-TREATY": "日米安全保障条約", "GBR-RAA": "ＲＡＡ"})
    view = select(data, changes_since="1900")  # every tie is "new": the change column follows the title
    lines = format_ties(view).splitlines()
    assert lines[0].split()[-2:] == ["title", "change"]
    header_cells = cells(lines[0][: lines[0].index("change")])
    assert cells(lines[1].rsplit("  ", 1)[0]) + 2 == header_cells
    for line in lines[2:]:
        assert line.endswith("  new")
        assert cells(line[: -len("new")]) == header_cells, line


def test_table_newlines_in_titles_do_not_break_rows(minimal):
    data = retitle(minimal, {"AUS-RAA": "Reciprocal\nAccess\r\nAgreement", "GBR-ACSA": "ACSA\twith\u2028breaks"})
    lines = format_ties(data).splitlines()
    assert len(lines) == 2 + 8
    assert lines[2].endswith("Reciprocal Access Agreement")
    assert lines[7].endswith("ACSA with breaks")


def test_table_change_column_only_with_changes_since(minimal):
    lines = format_ties(select(minimal, changes_since="2023")).splitlines()
    assert lines[0].split() == [*TABLE_COLUMNS, "change"]
    change_col = lines[0].index("change")
    assert lines[2][change_col:] == "advanced"  # AUS-RAA
    assert lines[2][:change_col].rstrip().endswith("Reciprocal Access Agreement")
    assert lines[3].endswith("Economic Partnership Agreement")  # AUS-EPA: no change, nothing after the title
    assert lines[5][change_col:] == "new"  # USA-AUTO
