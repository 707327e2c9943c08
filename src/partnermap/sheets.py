"""Spreadsheets both ways: a partner file as a workbook (or CSV tables) and back.

Analysts keep ties in spreadsheets, and the tools they know start from one.
A workbook has the sheets ``metadata``, ``partners``, ``ties`` and ``sources``
(one row per source of a tie), plus ``lists``, the allowed values behind the
drop-downs; a folder of ``metadata.csv``, ``partners.csv``, ``ties.csv`` and
``sources.csv`` with the same headers works too (docs/spreadsheets.md).
Territories and capitals are not in the tables: they come from codes.

Reading builds a partner file and validates it with ``checks.check``; every
problem is reported at its sheet, row and column. Writing puts every value in
as text (openpyxl would store a string starting with ``=`` as a formula), dates
stay ISO text, and the bytes are the same for the same data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
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
    """The four tables of a partner file (as ``dump`` writes it); geometry is not carried."""
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
    out["partners"] = [[h for _, h in p_cols]] + [[_partner_cell(f["properties"], k) for k, _ in p_cols]
                                                  for f in features]
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


def _partner_cell(props: dict, key: str) -> str:
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


def illegal_text(value: str) -> str | None:
    """Why a workbook cannot hold this text exactly, or None."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    bad = ILLEGAL_CHARACTERS_RE.search(value)
    if bad:
        return f"holds the control character U+{ord(bad.group()):04X}, which a workbook cannot store"
    if len(value) > MAX_CELL:
        return f"is {len(value)} characters long; a spreadsheet cell holds {MAX_CELL}"
    return None


def workbook_bytes(dataset: Dataset, source: str = "<memory>") -> bytes:
    """The dataset as an .xlsx workbook (deterministic: same data, same bytes).

    Raises ``DataError`` (one line per cell) for text no workbook can hold.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    _warn_undrivable(dataset, source)
    data = tables(dataset)
    problems = [Problem(source, why, sheet=sheet, row=r, cell=header)
                for sheet, rows in data.items() for r, row in enumerate(rows[1:], start=2)
                for header, value in zip(rows[0], row) if (why := illegal_text(value))]
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


def _warn_undrivable(dataset: Dataset, source: str) -> None:
    """A territory drawn by hand for something the basemap lacks cannot travel through a table: say so."""
    import warnings

    from .basemap import ids
    from .errors import PartnermapWarning
    from .vocab import Kind

    for p in dataset.partners:
        derivable = p.id in ids() if p.kind is Kind.STATE else bool(p.members)
        if not p.derived and not derivable:
            warnings.warn(PartnermapWarning(f"{source}: partner {p.id}: its territory is drawn in the file and "
                                            "cannot come from codes; the tables leave it out"), stacklevel=3)


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
    _warn_undrivable(dataset, dataset.source)
    out = {}
    for sheet, rows in tables(dataset).items():
        out[f"{sheet}.csv"] = csv_text(rows)
    return out


# --- reading ---------------------------------------------------------------------------------------


@dataclass
class _Where:
    """Where each part of the rebuilt partner file came from, to report problems at their cell."""

    meta: dict[str, int] = field(default_factory=dict)  # field -> row
    partners: dict[int, int] = field(default_factory=dict)  # feature index -> row
    ties: dict[tuple[int, int], int] = field(default_factory=dict)  # (feature, tie) -> row
    tie_ids: dict[tuple[int, str], int] = field(default_factory=dict)  # (feature, tie id) -> tie index
    sources: dict[tuple[int, int, int], int] = field(default_factory=dict)  # (feature, tie, source) -> row
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> field -> header


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
    return _read(Path(path))[0]


def _read(path: Path) -> tuple[dict, _Book, _Where]:
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
    if problems:
        raise ValidationError(problems)
    return doc, book, where


def _load_xlsx(book: _Book) -> None:
    from openpyxl import load_workbook

    size = book.path.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError([Problem(book.name, f"file is {size / 2**20:.1f} MiB; the limit is 64 MiB")])
    try:
        wb = load_workbook(book.path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError([Problem(book.name, f"not a readable .xlsx workbook ({type(exc).__name__})")]) from None
    try:
        for sheet in SHEETS:
            if sheet not in wb.sheetnames:
                continue
            rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
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
        try:
            rows = [[csv_value(v) for v in row] for row in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            raise ValidationError([Problem(str(path), f"not valid CSV: {exc}")]) from None
        book.tables[sheet] = (_header(rows), [(i, r) for i, r in enumerate(rows[1:], start=2)])


def _header(rows: list[list[Any]]) -> list[str]:
    return [_text(v) or "" for v in rows[0]] if rows else []


def _text(value: Any) -> str | None:
    """A cell as text: a person's spreadsheet may hold numbers, dates and booleans where text was meant."""
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


def _columns(book: _Book, sheet: str, spec: tuple[tuple[str, str], ...], problems: list[Problem],
             where: _Where) -> list[tuple[int, dict[str, str]]]:
    """The rows of a sheet as {field: text}; unknown headers are problems naming the nearest known one."""
    from .checks import nearest, shown

    if sheet not in book.tables:
        missing = "file" if book.folder else "sheet"
        problems.append(Problem(**book.place(sheet), message=f"missing {missing}; expected the {sheet} table"))
        return []
    header, rows = book.tables[sheet]
    by_header = {h: k for k, h in spec}
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
        else:
            guess = nearest(h, [x for _, x in spec])
            hint = f"did you mean {' or '.join(guess)}?" if guess else f"expected: {', '.join(x for _, x in spec)}"
            problems.append(Problem(**book.place(sheet, 1, shown(h)), message=f"unknown header; {hint}"))
            fields.append(None)
    where.headers[sheet] = {f: h for f, h in zip(fields, header) if f}
    missing = [h for k, h in spec if k in ("id", "tie", "field", "partner") and k not in fields]
    for h in missing:
        problems.append(Problem(**book.place(sheet, 1, h), message="missing column"))
    out = []
    for i, row in rows:
        values = {f: _text(row[j]) for j, f in enumerate(fields) if f and j < len(row)}
        if any(v is not None for v in values.values()):
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
        if key in meta_values:
            problems.append(Problem(**book.place("metadata", i, "Field"), message=f"{key}: given twice"))
            continue
        where.meta[key] = i
        if "value" in values:
            meta_values[key] = values["value"]
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
    for i, values in partner_rows:
        props: dict[str, Any] = {k: v for k, v in values.items() if not k.startswith("anchor_")}
        if "members" in props:
            props["members"] = _ids(props["members"])
        elif values.get("kind") in ("organisation", "group"):
            props["members"] = []
        a = _anchor(book, "partners", i, values, "anchor_lon", "anchor_lat", headers, problems)
        if a is not None:
            props["anchor"] = a
        props["ties"] = []
        pid = values.get("id")
        if pid is not None and pid not in index_of:
            index_of[pid] = len(features)
        where.partners[len(features)] = i
        features.append({"type": "Feature", "properties": props, "geometry": None})
    tie_at: dict[str, tuple[int, int]] = {}
    t_headers = where.headers.get("ties", {})
    for i, values in tie_rows:
        pid = values.get("partner")
        if pid not in index_of:
            problems.append(Problem(**book.place("ties", i, t_headers.get("partner", "Partner ID")),
                                    message=f"{_value(pid)} is no partner of the partners sheet" if pid
                                    else "missing: the id of the partner this tie is with"))
            continue
        tie: dict[str, Any] = {}
        dates: dict[str, str] = {}
        for k, v in values.items():
            if k.startswith("dates."):
                dates[k.removeprefix("dates.")] = v
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
        where.ties[(f, len(ties))] = i
        if "id" in tie:
            where.tie_ids.setdefault((f, tie["id"]), len(ties))
            tie_at.setdefault(tie["id"], (f, len(ties)))
        ties.append(tie)
    s_headers = where.headers.get("sources", {})
    for i, values in source_rows:
        tid = values.get("tie")
        if tid not in tie_at:
            problems.append(Problem(**book.place("sources", i, s_headers.get("tie", "Tie ID")),
                                    message=f"{_value(tid)} is no tie of the ties sheet" if tid
                                    else "missing: the id of the tie this source is for"))
            continue
        f, t = tie_at[tid]
        sources = features[f]["properties"]["ties"][t]["sources"]
        where.sources[(f, t, len(sources))] = i
        sources.append({k: v for k, v in values.items() if k != "tie"})
    for feature in features:
        for tie in feature["properties"]["ties"]:
            if not tie["sources"]:
                del tie["sources"]  # reported by the checks, at the tie's row
    return {"type": "FeatureCollection", "partnermap": version, "metadata": metadata, "features": features}


_FEATURE = re.compile(r"feature (\d+)")
_SOURCE_FIELD = re.compile(r"sources\[(\d+)\]\.?(.*)")


def _locate(problem: Problem, book: _Book, where: _Where) -> Problem:
    """A problem the checks found in the rebuilt file, moved to the cell it came from."""
    def at(sheet: str, row: int | None, field_name: str | None) -> Problem:
        header = where.headers.get(sheet, {}).get(field_name) if field_name else None
        return Problem(message=problem.message, **book.place(sheet, row, header))

    fieldname = problem.field
    if problem.feature == "metadata" or (problem.feature is None and fieldname == "partnermap"):
        key = (fieldname or "").replace("focal.anchor", "focal.anchor_lon")
        row = where.meta.get(key)
        return at("metadata", row, "value" if row else None) if row or fieldname else at("metadata", None, None)
    match = _FEATURE.match(problem.feature or "")
    if not match:
        return at("partners", None, None) if fieldname == "features" else Problem(book.name, problem.message)
    f = int(match.group(1))
    if problem.tie is None:
        name = "anchor_lon" if fieldname == "anchor" else fieldname
        return at("partners", where.partners.get(f), name)
    t = int(problem.tie[1:]) if problem.tie.startswith("#") else where.tie_ids.get((f, problem.tie))
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
    """A workbook or CSV folder -> a validated ``Dataset``; every problem at its sheet, row and column."""
    from .checks import check

    doc, book, where = _read(Path(path))
    result = check(doc, book.name)
    if result.problems:
        located = [_locate(p, book, where) for p in result.problems]
        raise ValidationError(sorted(located, key=lambda p: _order(p, book)))
    assert result.dataset is not None
    return result.dataset
