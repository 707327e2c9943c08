"""Spreadsheets both ways: a partner file as a workbook (or CSV tables) and back.

Analysts keep ties in spreadsheets, and the tools they know start from one.
A workbook has the sheets ``metadata``, ``partners``, ``ties`` and ``sources``
(one row per source of a tie), plus ``lists``, the allowed values behind the
drop-downs; a folder of ``metadata.csv``, ``partners.csv``, ``ties.csv`` and
``sources.csv`` with the same headers works too (docs/authoring.md).
Territories and capitals come from codes; a territory drawn in the file travels
as GeoJSON text in the partners sheet's Geometry column, so the round trip is
exact for any valid file (a workbook cell holds 32,767 characters: a larger
drawn territory is refused at its cell, and CSV tables carry it).

Reading builds a partner file and validates it with ``checks.check``; every
problem is reported at its sheet, row and column. Root causes come first and
once: a partner id in the wrong case, given twice or invalid, a tie id given
twice, a formula with no saved value, a date a spreadsheet turned into its day
number; the problems they would cause further on (a tie "with no partner", a
source "of no tie") are not reported, and the rest of the file is still
checked, so one run lists everything. Writing puts every value in as text
(openpyxl would store a string starting with ``=`` as a formula), dates stay
ISO text, and the bytes are the same for the same data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, UsageError, ValidationError
from .model import Dataset
from .text import csv_text, csv_value
from .vocab import SCHEMA_VERSION, Category, Kind, Nature, Relationship, Status, TieType

SHEETS = ("metadata", "partners", "ties", "sources")
MAX_BYTES = 64 * 1024 * 1024  # as for a partner file
MAX_CELL = 32767  # characters a spreadsheet cell holds

STEP_HEADERS = {s: s.value.replace("_", " ").capitalize() for s in Status}  # "In force"

# field of the partner file -> the header a person reads
PARTNER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "ID"), ("name", "Name"), ("kind", "Kind"), ("relationship", "Relationship"),
    ("members", "Members (ids, comma-separated)"), ("anchor_lon", "Anchor longitude"),
    ("anchor_lat", "Anchor latitude"), ("short_name", "Short name"),
    ("geometry", "Geometry (GeoJSON; blank: from codes)"),
)
TIE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("partner", "Partner ID"), ("id", "Tie ID"), ("title", "Title"), ("category", "Category"), ("type", "Type"),
    ("status", "Status"), ("nature", "Nature"), *((f"dates.{s.value}", h) for s, h in STEP_HEADERS.items()),
    ("retroactive", "Retroactive"), ("parties", "Parties (ids, comma-separated)"), ("summary", "Summary"),
    ("note", "Note"), ("curation", "Curation note (never on a map)"),
)
SOURCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("tie", "Tie ID"), ("title", "Title"), ("publisher", "Publisher"), ("date", "Date"), ("author", "Author"),
    ("container", "Container (book or report)"), ("locator", "Locator (page or section)"), ("url", "URL"),
)
METADATA_COLUMNS: tuple[tuple[str, str], ...] = (("field", "Field"), ("value", "Value"), ("about", "About"))
METADATA_FIELDS: tuple[tuple[str, str], ...] = (
    ("partnermap", "schema version of the partner file"),
    ("title", "the dataset's title"),
    ("version", "the dataset's version"),
    ("as_of", "the date the dataset describes (no tie date may be later)"),
    ("description", "one paragraph, optional"),
    ("license", "optional"),
    ("focal.id", "ISO 3166-1 alpha-3 of the country whose network this is"),
    ("focal.name", "its English name"),
    ("focal.anchor_lon", "its capital's longitude (blank: the bundled capital)"),
    ("focal.anchor_lat", "its capital's latitude (blank: the bundled capital)"),
)
# <field> (<lang>) headers and <field>_<lang> metadata fields: text in other languages
TRANSLATED = {"partners": {"Name": "name", "Short name": "short_name"},
              "ties": {"Title": "title", "Summary": "summary", "Note": "note"}}
LANG_HEADER = re.compile(r"(?P<label>[A-Za-z ]+) \((?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)")
LANG_FIELD = re.compile(r"(?P<base>title|description|focal\.name)_(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)")

# drop-down lists: (sheet, field) -> allowed values
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("partners", "kind"): Kind.values(), ("partners", "relationship"): Relationship.values(),
    ("ties", "category"): Category.values(), ("ties", "type"): TieType.values(),
    ("ties", "status"): Status.values(), ("ties", "nature"): Nature.values(), ("ties", "retroactive"): ("yes", "no"),
}
YES, NO = ("yes", "true", "1"), ("no", "false", "0")


# --- a partner file as tables --------------------------------------------------------------------


def tables(dataset: Dataset) -> dict[str, list[list[str]]]:
    """The four tables of a dataset: a header row, then one row per record, every cell text ('' for none)."""
    from .dump import to_feature_collection

    doc = to_feature_collection(dataset, derived=False)
    return tables_of(doc)


def tables_of(doc: dict) -> dict[str, list[list[str]]]:
    """The four tables of a partner file (as ``dump`` writes it); a drawn territory as GeoJSON text."""
    meta = doc["metadata"]
    features = doc["features"]
    p_cols = _with_languages(PARTNER_COLUMNS, "partners", (f["properties"] for f in features))
    ties = [(f["properties"]["id"], t) for f in features for t in f["properties"]["ties"]]
    t_cols = _with_languages(TIE_COLUMNS, "ties", (t for _, t in ties))
    out: dict[str, list[list[str]]] = {}
    focal = meta["focal"]
    rows = [["partnermap", str(doc.get("partnermap", SCHEMA_VERSION))]]
    for key, _ in METADATA_FIELDS[1:]:
        if key.startswith("focal."):
            name = key.removeprefix("focal.")
            value = focal.get(name) if not name.startswith("anchor_") else _coord(focal.get("anchor"), name)
        else:
            value = meta.get(key)
        rows.append([key, _cell(value)])
    rows += [[k, v] for k, v in sorted(meta.items()) if LANG_FIELD.fullmatch(k)]
    rows += [[f"focal.{k}", v] for k, v in sorted(focal.items()) if k.startswith("name_")]
    about = dict(METADATA_FIELDS)
    out["metadata"] = [[h for _, h in METADATA_COLUMNS]] + [[k, v, about.get(k, "text in another language")]
                                                             for k, v in rows]
    out["partners"] = [[h for _, h in p_cols]] + [[_partner_cell(f, k) for k, _ in p_cols] for f in features]
    out["ties"] = [[h for _, h in t_cols]] + [[_tie_cell(pid, t, k) for k, _ in t_cols] for pid, t in ties]
    out["sources"] = [[h for _, h in SOURCE_COLUMNS]] + [
        [t["id"] if k == "tie" else _cell(s.get(k)) for k, _ in SOURCE_COLUMNS] for _, t in ties for s in t["sources"]]
    return out


SPECS = {"metadata": METADATA_COLUMNS, "partners": PARTNER_COLUMNS, "ties": TIE_COLUMNS, "sources": SOURCE_COLUMNS}


def _keys(sheet: str, header: list[str]) -> list[str | None]:
    """The field behind each header of a sheet (None for a translation or notes column)."""
    by_header = {h: k for k, h in SPECS[sheet]}
    return [by_header.get(h) for h in header]


def _with_languages(columns, sheet: str, records: Iterable[dict]) -> tuple[tuple[str, str], ...]:
    """The sheet's columns plus one per translated field and language found (``Title (ja)``)."""
    bases = sorted(TRANSLATED[sheet].values(), key=len, reverse=True)
    found = set()
    for r in records:
        for key in r:
            base = next((b for b in bases if key.startswith(b + "_")), None)
            if base is not None:
                found.add((base, key[len(base) + 1:]))
    found = sorted(found)
    labels = {base: label for label, base in TRANSLATED[sheet].items()}
    return (*columns, *((f"{base}_{lang}", f"{labels[base]} ({lang})") for base, lang in found))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def _coord(anchor: list | None, name: str) -> str:
    if anchor is None:
        return ""
    return repr(float(anchor[0 if name == "anchor_lon" else 1]))


def _partner_cell(feature: dict, key: str) -> str:
    if key == "geometry":  # drawn in the file: GeoJSON text, compact and exact (floats as repr)
        geometry = feature.get("geometry")
        return json.dumps(geometry, separators=(",", ":")) if geometry is not None else ""
    props = feature["properties"]
    if key.startswith("anchor_"):
        return _coord(props.get("anchor"), key)
    return _cell(props.get(key))


def _tie_cell(pid: str, tie: dict, key: str) -> str:
    if key == "partner":
        return pid
    if key.startswith("dates."):
        return tie["dates"].get(key.removeprefix("dates."), "")
    return _cell(tie.get(key))


# --- writing ---------------------------------------------------------------------------------------


def illegal_text(value: str, header: str = "") -> str | None:
    """Why a workbook cannot hold this text exactly, or None."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    bad = ILLEGAL_CHARACTERS_RE.search(value)
    if bad:
        return f"holds the control character U+{ord(bad.group()):04X}, which a workbook cannot store"
    if len(value) > MAX_CELL:
        if header == dict(PARTNER_COLUMNS)["geometry"]:
            return (f"the territory drawn in the file is {len(value):,} characters of GeoJSON; a workbook cell "
                    f"holds {MAX_CELL:,}: simplify it, or use CSV tables (partnermap.save_tables), which carry it")
        return f"is {len(value)} characters long; a spreadsheet cell holds {MAX_CELL}"
    return None


def workbook_bytes(dataset: Dataset, source: str = "<memory>") -> bytes:
    """The dataset as an .xlsx workbook (deterministic: same data, same bytes).

    Raises ``DataError`` (one line per cell) for text no workbook can hold.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    data = tables(dataset)
    problems = [Problem(source, why, sheet=sheet, row=r, cell=header)
                for sheet, rows in data.items() for r, row in enumerate(rows[1:], start=2)
                for header, value in zip(rows[0], row) if (why := illegal_text(value, header))]
    if problems:
        raise ValidationError(problems)
    wb = Workbook()
    wb.remove(wb.active)
    lists = wb.create_sheet("lists")
    list_cols: dict[tuple[str, str], str] = {}
    for j, ((sheet, key), values) in enumerate(CHOICES.items(), start=1):
        letter = get_column_letter(j)
        _put(lists, 1, j, f"{sheet}: {key}", bold=True)
        for i, value in enumerate(values, start=2):
            _put(lists, i, j, value)
        list_cols[(sheet, key)] = f"'lists'!${letter}$2:${letter}${len(values) + 1}"
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet, index=SHEETS.index(sheet))
        rows = data[sheet]
        keys = _keys(sheet, rows[0])
        for i, row in enumerate(rows, start=1):
            for j, value in enumerate(row, start=1):
                _put(ws, i, j, value, bold=i == 1)
        for j, header in enumerate(rows[0], start=1):
            width = max([len(header)] + [min(len(r[j - 1]), 60) for r in rows[1:]])
            ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 8), 62)
        ws.freeze_panes = "A2"
        for j, key in enumerate(keys, start=1):
            if (sheet, key) in list_cols:
                dv = DataValidation(type="list", formula1=list_cols[(sheet, key)], allow_blank=True,
                                    showErrorMessage=True, errorTitle="Not in the list",
                                    error=f"Pick a value from the list (see the lists sheet, {sheet}: {key}).")
                letter = get_column_letter(j)
                dv.add(f"{letter}2:{letter}{max(len(rows) + 500, 1000)}")
                ws.add_data_validation(dv)
    wb.active = 0
    fixed = dt.datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "partnermap"
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


def _put(ws, row: int, col: int, value: str, bold: bool = False) -> None:
    """Text in a cell, always as text: never a formula, a number or a date."""
    from openpyxl.styles import Font

    cell = ws.cell(row=row, column=col)
    if value != "":
        cell.value = value
        cell.data_type = "s"  # openpyxl takes "=..." for a formula unless told
    cell.number_format = "@"
    if bold:
        cell.font = Font(bold=True)


def _fixed_zip(raw: bytes) -> bytes:
    """The same archive with fixed timestamps, so the same data gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time over ours
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def csv_texts(dataset: Dataset) -> dict[str, str]:
    """The four tables as CSV files (``name.csv`` -> text), formula-looking cells defused."""
    out = {}
    for sheet, rows in tables(dataset).items():
        out[f"{sheet}.csv"] = csv_text(rows)
    return out


# --- reading ---------------------------------------------------------------------------------------

SERIAL = re.compile(r"\d{5}(?:\.0+)?")  # the day number a spreadsheet keeps for a date (1927-2173)
SERIAL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's and LibreOffice's 1900 date system
DATE_FORMULA = re.compile(r"=\s*DATE\(\s*(\d{4})\s*[,;]\s*(\d{1,2})\s*[,;]\s*(\d{1,2})\s*\)", re.IGNORECASE)
DATE_FIELDS = {"sources": ("date",), "ties": tuple(f"dates.{s.value}" for s in Status)}


@dataclass(frozen=True)
class _Formula:
    """A formula cell: its text and the value the spreadsheet saved with it (None: none was saved)."""

    text: str
    value: Any = None


@dataclass
class _Where:
    """Where each part of the rebuilt partner file came from, to report problems at their cell."""

    meta: dict[str, int] = field(default_factory=dict)  # field -> row
    partners: dict[int, int] = field(default_factory=dict)  # feature index -> row
    ties: dict[tuple[int, int], int] = field(default_factory=dict)  # (feature, tie) -> row
    tie_ids: dict[tuple[int, str], int] = field(default_factory=dict)  # (feature, tie id) -> tie index
    sources: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (feature, tie, source) -> row
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> field -> header
    # cells reported already whose value is missing from the rebuilt file: (sheet, row, field)
    withheld: set[tuple[str, int, str]] = field(default_factory=set)
    # what the checks would say only because of a problem reported already: (feature, tie, field)
    quiet: set[tuple[int | str, int | None, str]] = field(default_factory=set)
    complete: bool = True  # every sheet and column is there, so the checks can run on the rest


class _Book:
    """The tables of a workbook or a CSV folder, as (row number, {header: text})."""

    def __init__(self, path: Path):
        self.path = path
        self.name = str(path)
        self.folder = path.is_dir()
        self.tables: dict[str, tuple[list[str], list[tuple[int, list[Any]]]]] = {}

    def place(self, sheet: str, row: int | None = None, cell: str | None = None) -> dict:
        """Problem fields naming a sheet (or, for a folder, its CSV file), a row and a column."""
        if self.folder:
            return {"file": str(self.path / f"{sheet}.csv"), "row": row, "cell": cell}
        return {"file": self.name, "sheet": sheet, "row": row, "cell": cell}


def read_book(path: str | os.PathLike[str]) -> dict:
    """A workbook (.xlsx) or a folder of CSV tables -> a partner file (dict), not yet validated.

    Raises ``ValidationError`` with every problem of the tables' shape at its cell.
    """
    doc, _book, _where, problems = _read(Path(path))
    if problems:
        raise ValidationError(problems)
    return doc


def _read(path: Path) -> tuple[dict, _Book, _Where, list[Problem]]:
    book = _Book(path)
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    if book.folder:
        _load_csv(book)
    elif path.suffix.lower() == ".xlsx":
        _load_xlsx(book)
    else:
        raise UsageError(f"{path}: import reads a .xlsx workbook or a folder of CSV tables")
    problems: list[Problem] = []
    where = _Where()
    doc = _build(book, where, problems)
    return doc, book, where, problems


def _load_xlsx(book: _Book) -> None:
    """The four sheets' cells; a formula cell as ``_Formula`` with the value saved with it, if any."""
    from openpyxl import load_workbook

    size = book.path.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError([Problem(book.name, f"file is {size / 2**20:.1f} MiB; the limit is 64 MiB")])
    formulas: dict[tuple[str, int], list[int]] = {}
    by_row: dict[tuple[str, int], list[Any]] = {}
    for values_only in (False, True):  # formulas as written, then (only if there are any) their saved values
        if values_only and not formulas:
            break
        try:
            wb = load_workbook(book.path, read_only=True, data_only=values_only)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ValidationError([Problem(book.name, f"not a readable .xlsx workbook ({type(exc).__name__})")]) \
                from None
        try:
            for sheet in SHEETS:
                if sheet not in wb.sheetnames:
                    continue
                if values_only:
                    for i, row in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
                        for j in formulas.get((sheet, i), ()):
                            cached = row[j] if j < len(row) else None
                            by_row[(sheet, i)][j] = _Formula(by_row[(sheet, i)][j].text, cached)
                    continue
                rows = []
                for i, cells in enumerate(wb[sheet].iter_rows(), start=1):
                    row = []
                    for j, c in enumerate(cells):
                        if getattr(c, "data_type", None) == "f":
                            formulas.setdefault((sheet, i), []).append(j)
                            row.append(_Formula(str(c.value)))
                        else:
                            row.append(c.value)
                    by_row[(sheet, i)] = row
                    rows.append(row)
                book.tables[sheet] = (_header(rows), [(i, r) for i, r in enumerate(rows[1:], start=2)])
        finally:
            wb.close()


def _load_csv(book: _Book) -> None:
    for sheet in SHEETS:
        path = book.path / f"{sheet}.csv"
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if len(raw) > MAX_BYTES:
            raise ValidationError([Problem(str(path), "file is larger than 64 MiB")])
        try:
            text = raw.decode("utf-8-sig")  # Excel writes a byte-order mark
        except UnicodeDecodeError as exc:
            raise ValidationError([Problem(str(path), f"not UTF-8: invalid byte at offset {exc.start}")]) from None
        if csv.field_size_limit() < MAX_BYTES:  # a drawn territory's GeoJSON may exceed csv's 128 KiB default
            csv.field_size_limit(MAX_BYTES)
        try:
            rows = [[csv_value(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            raise ValidationError([Problem(str(path), f"not valid CSV: {exc}")]) from None
        book.tables[sheet] = (_header(rows), [(i, r) for i, r in enumerate(rows[1:], start=2)])


def _header(rows: list[list[Any]]) -> list[str]:
    return [_text(v) or "" for v in rows[0]] if rows else []


def _text(value: Any) -> str | None:
    """A cell as text: a person's spreadsheet may hold numbers, dates and booleans where text was meant."""
    if isinstance(value, _Formula):
        return _text(value.value)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _is_date(sheet: str, fieldname: str, values: dict[str, str]) -> bool:
    if sheet == "metadata":
        return fieldname == "value" and values.get("field") == "as_of"
    return fieldname in DATE_FIELDS.get(sheet, ())


def _formula_problem(formula: _Formula, is_date: bool) -> str:
    """What to say of a formula no value was saved with (openpyxl and some scripts write such cells)."""
    if is_date:
        m = DATE_FORMULA.fullmatch(formula.text.strip())
        example = (f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m and _real_date(m) else "2024-08-29")
        return (f"a formula ({_value(formula.text)}) with no value saved; type the date as text, "
                f"e.g. {example}")
    return f"a formula ({_value(formula.text)}) with no value saved; type the value itself"


def _real_date(m: re.Match) -> bool:
    try:
        dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return False
    return True


def _columns(book: _Book, sheet: str, spec: tuple[tuple[str, str], ...], problems: list[Problem],
             where: _Where) -> list[tuple[int, dict[str, str]]]:
    """The rows of a sheet as {field: text}; unknown headers are problems naming the nearest known one.

    A misspelt header with one clear nearest match is read as that column (reported once, so
    the checks do not say "missing" in every row); one without is left out, and then the file
    is incomplete and only the tables' own problems are reported.
    """
    from .checks import nearest, shown

    if sheet not in book.tables:
        missing = "file" if book.folder else "sheet"
        problems.append(Problem(**book.place(sheet), message=f"missing {missing}; expected the {sheet} table"))
        where.complete = False
        return []
    header, rows = book.tables[sheet]
    by_header = {h: k for k, h in spec}
    given = set(header)
    fields: list[str | None] = []
    for j, h in enumerate(header):
        translated = LANG_HEADER.fullmatch(h)
        if h in by_header:
            fields.append(by_header[h])
        elif translated and translated["label"] in TRANSLATED.get(sheet, {}) and translated["lang"] != "en":
            fields.append(f"{TRANSLATED[sheet][translated['label']]}_{translated['lang']}")
        elif h == "" or (sheet == "metadata" and h == "About"):
            fields.append(None)  # a column of notes or nothing
            if h == "" and any(j < len(r) and _text(r[j]) for _, r in rows):
                problems.append(Problem(**book.place(sheet, 1, f"#{j + 1}"), message="values under no header"))
                where.complete = False
        else:
            guess = nearest(h, [x for _, x in spec])
            hint = f"did you mean {' or '.join(guess)}?" if guess else f"expected: {', '.join(x for _, x in spec)}"
            problems.append(Problem(**book.place(sheet, 1, shown(h)), message=f"unknown header; {hint}"))
            if len(guess) == 1 and guess[0] not in given and by_header[guess[0]] not in fields:
                fields.append(by_header[guess[0]])  # read as meant: the checks go on without a cascade
            else:
                fields.append(None)
                where.complete = False
    where.headers[sheet] = {f: h for f, h in zip(fields, header) if f}
    missing = [h for k, h in spec if k in ("id", "tie", "field", "partner") and k not in fields]
    for h in missing:
        problems.append(Problem(**book.place(sheet, 1, h), message="missing column"))
        where.complete = False
    out = []
    for i, row in rows:
        values = {f: _text(row[j]) for j, f in enumerate(fields) if f and j < len(row)}
        for j, f in enumerate(fields):
            if f and j < len(row) and isinstance(row[j], _Formula) and row[j].value is None:
                problems.append(Problem(**book.place(sheet, i, header[j]),
                                        message=_formula_problem(row[j], _is_date(sheet, f, values))))
                where.withheld.add((sheet, i, f))
        if any(v is not None for v in values.values()) or any(w[:2] == (sheet, i) for w in where.withheld):
            out.append((i, {k: v for k, v in values.items() if v is not None}))
    return out


def _value(text: str) -> str:
    """A cell's text inside a message: quoted, escaped, capped (a newline never starts a line)."""
    return repr(text[:40]) + ("…" if len(text) > 40 else "")


def _ids(text: str | None) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()] if text else []


def _number(book: _Book, sheet: str, row: int, header: str, text: str, problems: list[Problem]) -> float | None:
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(**book.place(sheet, row, header), message=f"{_value(text)} is not a number"))
        return None
    return value


def _date_text(book: _Book, where: _Where, sheet: str, row: int, fieldname: str, text: str,
               problems: list[Problem]) -> str:
    """A date cell's text; a day number a spreadsheet made of a date is reported (and read as that day,
    so the checks of the rest of the row go on; what they say of its dates is not repeated)."""
    if not SERIAL.fullmatch(text):
        return text
    header = where.headers.get(sheet, {}).get(fieldname, fieldname)
    where.withheld.add((sheet, row, fieldname))
    day = (SERIAL_EPOCH + dt.timedelta(days=int(float(text)))).isoformat()
    problems.append(Problem(**book.place(sheet, row, header),
                            message=f"{_value(text)} looks like a spreadsheet's day number for {day}, not a date: "
                                    f"format the column as Text and type {day}"))
    return day


def _anchor(book, sheet, row, values, lon_key, lat_key, headers, problems) -> list[float] | None:
    lon, lat = values.get(lon_key), values.get(lat_key)
    if lon is None and lat is None:
        return None
    if lon is None or lat is None:
        missing = headers.get(lon_key if lon is None else lat_key, lon_key)
        problems.append(Problem(**book.place(sheet, row, missing), message="give both longitude and latitude, "
                                                                           "or neither (the bundled capital)"))
        return None
    x = _number(book, sheet, row, headers.get(lon_key, lon_key), lon, problems)
    y = _number(book, sheet, row, headers.get(lat_key, lat_key), lat, problems)
    return [x, y] if x is not None and y is not None else None


def _geometry(book: _Book, row: int, header: str, text: str, problems: list[Problem]) -> Any:
    """A drawn territory: the cell's GeoJSON text parsed (the checks then judge the geometry itself)."""
    from .reader import parse_json

    try:
        return parse_json(text.encode("utf-8"), book.name)
    except ValidationError as exc:
        message = exc.problems[0].message if exc.problems else "not valid JSON"
        problems.append(Problem(**book.place("partners", row, header), message=f"{message} (GeoJSON expected)"))
        return None


def _partner_ids(book: _Book, rows: list[tuple[int, dict[str, str]]], header: str,
                 problems: list[Problem]) -> tuple[dict[int, str], set[str]]:
    """Root causes first: each partner row's id as it will be read (None: the row is left out), and the
    ids (case-folded) of rows left out, whose ties and sources would only repeat the problem.

    An id in the wrong case (``usa``) is reported once and read upper-cased, so its ties stay
    attached and the rest of the file is still checked; an id given twice is reported at the
    second row, which is left out.
    """
    from .checks import PARTNER_ID

    ids: dict[int, str] = {}
    dropped: set[str] = set()
    first: dict[str, int] = {}
    for i, values in rows:
        pid = values.get("id")
        if pid is None:
            problems.append(Problem(**book.place("partners", i, header),
                                    message="missing: every partner needs an id (ISO 3166-1 alpha-3 for a state, "
                                            "a short upper-case code for an organisation or group)"))
            continue
        if not PARTNER_ID.fullmatch(pid):
            if PARTNER_ID.fullmatch(pid.upper()):
                problems.append(Problem(**book.place("partners", i, header),
                                        message=f"{_value(pid)}: ids are upper case; write {pid.upper()}"))
                pid = pid.upper()
            else:
                problems.append(Problem(**book.place("partners", i, header),
                                        message=f"{_value(pid)} is not a valid partner id (upper-case letters, "
                                                "digits, _ and -, 2 to 32 long, starting with a letter; a state's "
                                                "is its ISO 3166-1 alpha-3 code)"))
                dropped.add(pid.casefold())
                continue
        if pid in first:
            problems.append(Problem(**book.place("partners", i, header),
                                    message=f"{pid}: given twice (also row {first[pid]}); a partner is one row, "
                                            "its ties are rows of the ties sheet"))
            continue
        first[pid] = i
        ids[i] = pid
    return ids, dropped - {p.casefold() for p in first}


def _more(rows: list[int]) -> str:
    """The rest of the rows a line stands for: one line per wrong value, not one per row."""
    n = len(rows) - 1
    return f" (here and in {n} more row{'s' * (n != 1)} of this column)" if n else ""


def _build(book: _Book, where: _Where, problems: list[Problem]) -> dict:
    from .checks import nearest

    meta_rows = _columns(book, "metadata", METADATA_COLUMNS, problems, where)
    partner_rows = _columns(book, "partners", PARTNER_COLUMNS, problems, where)
    tie_rows = _columns(book, "ties", TIE_COLUMNS, problems, where)
    source_rows = _columns(book, "sources", SOURCE_COLUMNS, problems, where)
    known_meta = [k for k, _ in METADATA_FIELDS]
    meta_values: dict[str, str] = {}
    for i, values in meta_rows:
        key = values.get("field")
        if key is None:
            problems.append(Problem(**book.place("metadata", i, "Field"), message="a value with no field name"))
            continue
        if key not in known_meta and not LANG_FIELD.fullmatch(key):
            guess = nearest(key, known_meta)
            hint = f"did you mean {' or '.join(guess)}?" if guess else f"expected one of: {', '.join(known_meta)}"
            problems.append(Problem(**book.place("metadata", i, "Field"),
                                    message=f"{_value(key)}: unknown field; {hint}"))
            continue
        if key in meta_values or key in where.meta:
            problems.append(Problem(**book.place("metadata", i, "Field"), message=f"{key}: given twice"))
            continue
        where.meta[key] = i
        if "value" in values:
            meta_values[key] = values["value"]
            if key == "as_of":
                meta_values[key] = _date_text(book, where, "metadata", i, "value", values["value"], problems)
        if ("metadata", i, "value") in where.withheld:
            where.quiet.add(("metadata", None, key.replace("focal.anchor_lon", "focal.anchor")
                             .replace("focal.anchor_lat", "focal.anchor")))
    version: Any = meta_values.pop("partnermap", str(SCHEMA_VERSION))
    version = int(version) if version.isdigit() else version
    focal: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for key, value in meta_values.items():
        if key.startswith("focal.anchor_"):
            continue
        if key.startswith("focal."):
            focal[key.removeprefix("focal.")] = value
        else:
            metadata[key] = value
    anchor = _anchor(book, "metadata", where.meta.get("focal.anchor_lon", where.meta.get("focal.anchor_lat")),
                     meta_values, "focal.anchor_lon", "focal.anchor_lat", {"focal.anchor_lon": "Value",
                                                                           "focal.anchor_lat": "Value"}, problems)
    if anchor is not None:
        focal["anchor"] = anchor
    metadata["focal"] = focal
    features: list[dict] = []
    index_of: dict[str, int] = {}
    headers = where.headers.get("partners", {})
    row_ids, dropped = _partner_ids(book, partner_rows, headers.get("id", "ID"), problems)
    for i, values in partner_rows:
        if i not in row_ids:
            continue
        props: dict[str, Any] = {k: v for k, v in values.items() if not k.startswith("anchor_") and k != "geometry"}
        props["id"] = pid = row_ids[i]
        if "members" in props:
            props["members"] = _ids(props["members"])
        elif values.get("kind") in ("organisation", "group"):
            props["members"] = []
        a = _anchor(book, "partners", i, values, "anchor_lon", "anchor_lat", headers, problems)
        if a is not None:
            props["anchor"] = a
        props["ties"] = []
        geometry = None
        if "geometry" in values:
            geometry = _geometry(book, i, headers.get("geometry", "Geometry"), values["geometry"], problems)
            if geometry is None:
                where.quiet.add((len(features), None, "geometry"))
        index_of[pid] = len(features)
        for sheet, row, name in where.withheld:
            if (sheet, row) == ("partners", i):
                where.quiet.add((len(features), None, "anchor" if name.startswith("anchor_") else name))
        where.partners[len(features)] = i
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    folded = {pid.casefold(): pid for pid in index_of}
    tie_at: dict[str, tuple[int, int]] = {}
    tie_row: dict[str, int] = {}
    lost: set[str] = set()  # ids of ties left out with a problem reported already
    t_headers = where.headers.get("ties", {})
    wrong_case: dict[str, list[int]] = {}
    unknown_partner: dict[str, list[int]] = {}  # one line per id, at its first row
    for i, values in tie_rows:
        pid = values.get("partner")
        tid = values.get("id")
        if pid is not None and pid not in index_of and pid.casefold() in dropped:
            if tid:
                lost.add(tid)
            continue  # its partner row is reported: this row would only repeat it
        if pid is not None and pid not in index_of and pid.casefold() in folded:
            wrong_case.setdefault(pid, []).append(i)
            pid = folded[pid.casefold()]
        if pid not in index_of:
            if pid:
                unknown_partner.setdefault(pid, []).append(i)
            else:
                problems.append(Problem(**book.place("ties", i, t_headers.get("partner", "Partner ID")),
                                        message="missing: the id of the partner this tie is with"))
            if tid:
                lost.add(tid)
            continue
        if tid is not None and tid in tie_at:
            problems.append(Problem(**book.place("ties", i, t_headers.get("id", "Tie ID")),
                                    message=f"{_value(tid)}: given twice (also row {tie_row[tid]}); tie ids are "
                                            "unique in the file"))
            continue
        tie: dict[str, Any] = {}
        dates: dict[str, str] = {}
        for k, v in values.items():
            if k.startswith("dates."):
                dates[k.removeprefix("dates.")] = _date_text(book, where, "ties", i, k, v, problems)
            elif k == "retroactive":
                if v.lower() in YES:
                    tie["retroactive"] = True
                elif v.lower() not in NO:
                    problems.append(Problem(**book.place("ties", i, t_headers.get(k, k)),
                                            message=f"{_value(v)}: write yes, no, or leave it blank"))
            elif k == "parties":
                tie["parties"] = _ids(v)
            elif k != "partner":
                tie[k] = v
        tie["dates"] = dates
        tie["sources"] = []
        f = index_of[pid]
        ties = features[f]["properties"]["ties"]
        for sheet, row, name in where.withheld:
            if (sheet, row) == ("ties", i):
                where.quiet.update((f, len(ties), x) for x in (("dates", "status") if name.startswith("dates.")
                                                               else (name,)))
        where.ties[(f, len(ties))] = i
        if tid is not None:
            where.tie_ids.setdefault((f, tid), len(ties))
            tie_at[tid] = (f, len(ties))
            tie_row[tid] = i
        ties.append(tie)
    for pid, rows in wrong_case.items():
        problems.append(Problem(**book.place("ties", rows[0], t_headers.get("partner", "Partner ID")),
                                message=f"{_value(pid)}: ids are upper case; write {pid.upper()}{_more(rows)}"))
    for pid, rows in unknown_partner.items():
        guess = nearest(pid, list(index_of))
        hint = f"; did you mean {' or '.join(guess)}?" if guess else ""
        problems.append(Problem(**book.place("ties", rows[0], t_headers.get("partner", "Partner ID")),
                                message=f"{_value(pid)} is no partner of the partners sheet{hint}{_more(rows)}"))
    for f, feature in enumerate(features):
        pid = feature["properties"]["id"]
        if not feature["properties"]["ties"] and any(pid == values.get("partner") or
                                                     (values.get("partner") or "").casefold() == pid.casefold()
                                                     for _, values in tie_rows):
            where.quiet.add((f, None, "ties"))  # its ties were left out with a problem each
    s_headers = where.headers.get("sources", {})
    folded_ties = {}
    for tid in tie_at:
        folded_ties.setdefault(tid.casefold(), []).append(tid)
    unknown_tie: dict[str, list[int]] = {}
    for i, values in source_rows:
        tid = values.get("tie")
        if tid in lost:
            continue  # its tie is reported (or its tie's partner): this row would only repeat it
        if tid not in tie_at:
            if tid:
                unknown_tie.setdefault(tid, []).append(i)
            else:
                problems.append(Problem(**book.place("sources", i, s_headers.get("tie", "Tie ID")),
                                        message="missing: the id of the tie this source is for"))
            continue
        f, t = tie_at[tid]
        sources = features[f]["properties"]["ties"][t]["sources"]
        source = {k: (_date_text(book, where, "sources", i, k, v, problems) if k == "date" else v)
                  for k, v in values.items() if k != "tie"}
        for sheet, row, name in where.withheld:
            if (sheet, row) == ("sources", i):
                where.quiet.add((f, t, f"sources[{len(sources)}].{name}"))
        where.sources[(f, t, len(sources))] = i
        sources.append(source)
    for tid, rows in unknown_tie.items():
        guess = folded_ties.get(tid.casefold(), []) or nearest(tid, list(tie_at))
        hint = f"; did you mean {' or '.join(guess)}?" if guess else ""
        problems.append(Problem(**book.place("sources", rows[0], s_headers.get("tie", "Tie ID")),
                                message=f"{_value(tid)} is no tie of the ties sheet{hint}{_more(rows)}"))
        if len(guess) == 1:  # the tie it was meant for: "no source" there would repeat this
            f, t = tie_at[guess[0]]
            where.quiet.add((f, t, "sources"))
    for feature in features:
        for tie in feature["properties"]["ties"]:
            if not tie["sources"]:
                del tie["sources"]  # reported by the checks, at the tie's row
    return {"type": "FeatureCollection", "partnermap": version, "metadata": metadata, "features": features}


_FEATURE = re.compile(r"feature (\d+)")
_SOURCE_FIELD = re.compile(r"sources\[(\d+)\]\.?(.*)")
# A problem of a field the tables have no column for is put in the row's id column; these say
# what to do in a spreadsheet's terms (any other keeps its words, after the field's name).
_NO_COLUMN = {
    ("ties", "sources"): "no row in the sources sheet; every tie cites at least one source",
    ("ties", "dates"): "no date in any date column (Announced … Ended); give at least one",
    ("partners", "ties"): "no row in the ties sheet; every partner has at least one tie",
}
_ID_COLUMN = {"metadata": "field", "partners": "id", "ties": "id", "sources": "tie"}
_IN_SHEET_WORDS = (("give [lon, lat] of", "give the longitude and latitude of"), ("give [lon, lat]", "give the "
                   "longitude and latitude"), ("give a Polygon or MultiPolygon", "give its GeoJSON (a Polygon or "
                                                                                "MultiPolygon)"),
                   ("add retroactive: true with a note", "write yes under Retroactive, with a Note"))


def _where_in_file(problem: Problem, where: _Where) -> tuple[int | str | None, int | None]:
    """(feature index or "metadata", tie index) of a problem the checks found in the rebuilt file."""
    if problem.feature == "metadata" or (problem.feature is None and problem.field == "partnermap"):
        return "metadata", None
    match = _FEATURE.match(problem.feature or "")
    if not match:
        return None, None
    f = int(match.group(1))
    if problem.tie is None:
        return f, None
    return f, int(problem.tie[1:]) if problem.tie.startswith("#") else where.tie_ids.get((f, problem.tie))


def _follows(problem: Problem, where: _Where) -> bool:
    """Whether the checks say this only because of a problem reported at its cell already."""
    f, t = _where_in_file(problem, where)
    name = problem.field or ""
    return any(f == qf and t == qt and (name == q or name.startswith(q + ".")) for qf, qt, q in where.quiet)


def _locate(problem: Problem, book: _Book, where: _Where) -> Problem:
    """A problem the checks found in the rebuilt file, moved to the cell it came from."""
    def at(sheet: str, row: int | None, field_name: str | None) -> Problem:
        message = problem.message
        headers = where.headers.get(sheet, {})
        root = re.split(r"[.\[]", field_name, maxsplit=1)[0] if field_name else None
        if field_name is not None and field_name not in headers and root in headers:  # geometry.type: Geometry
            message, field_name = f"{field_name.removeprefix(root).lstrip('.')}: {message}", root
        if field_name is not None and field_name not in headers and row is not None:
            message = _NO_COLUMN.get((sheet, field_name), f"{field_name}: {message}")
            field_name = _ID_COLUMN[sheet]
        header = headers.get(field_name) if field_name else None
        for json_words, sheet_words in _IN_SHEET_WORDS:
            message = message.replace(json_words, sheet_words)
        return Problem(message=message, **book.place(sheet, row, header))

    fieldname = problem.field
    f, t = _where_in_file(problem, where)
    if f == "metadata":
        key = (fieldname or "").replace("focal.anchor", "focal.anchor_lon")
        row = where.meta.get(key)
        return at("metadata", row, "value" if row else None) if row or fieldname else at("metadata", None, None)
    if f is None:
        return at("partners", None, None) if fieldname == "features" else Problem(book.name, problem.message)
    if problem.tie is None:
        name = "anchor_lon" if fieldname == "anchor" else fieldname
        return at("partners", where.partners.get(f), name)
    source = _SOURCE_FIELD.match(fieldname or "")
    if source and t is not None:
        row = where.sources.get((f, t, int(source.group(1))))
        return at("sources", row, source.group(2) or None)
    return at("ties", where.ties.get((f, t)) if t is not None else None, fieldname)


def _order(p: Problem, book: _Book) -> tuple[int, int]:
    """Problems in reading order: sheet by sheet (metadata, partners, ties, sources), row by row."""
    sheet = p.sheet or (Path(p.file).stem if book.folder and p.file != book.name else None)
    return (SHEETS.index(sheet) if sheet in SHEETS else -1, p.row or 0)


def read_dataset(path: str | os.PathLike[str]) -> Dataset:
    """A workbook or CSV folder -> a validated ``Dataset``; every problem at its sheet, row and column.

    The problems of the tables themselves come first (each root cause once); when every sheet
    and column is there, the checks then judge the rest in the same run, without what they
    would only repeat.
    """
    from .checks import check

    doc, book, where, problems = _read(Path(path))
    if problems and not where.complete:
        raise ValidationError(sorted(problems, key=lambda p: _order(p, book)))
    result = check(doc, book.name)
    located = [_locate(p, book, where) for p in result.problems if not _follows(p, where)]
    seen = set(problems)
    problems += [p for p in located if p not in seen and not seen.add(p)]
    if problems:
        raise ValidationError(sorted(problems, key=lambda p: _order(p, book)), more=result.more)
    assert result.dataset is not None
    return result.dataset
