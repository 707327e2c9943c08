"""Ties as rows: the ``list`` command's table, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections import Counter

from .model import Dataset
from .vocab import Category, Status

FORMATS = ("table", "csv", "json")
COLUMNS = ("partner", "category", "type", "status", "announced", "signed", "in_force", "ended", "title", "id", "change")
TABLE_COLUMNS = ("partner", "category", "type", "status", "signed", "in_force", "title")


def tie_rows(dataset: Dataset) -> list[dict[str, str]]:
    """One row per tie, dates as recorded ('' where unknown)."""
    rows = []
    for partner in dataset.partners:
        for t in partner.ties:
            dates = {s: str(d) for s, d in t.dates}
            rows.append({
                "partner": partner.id,
                "category": t.category.value,
                "type": t.type.value,
                "status": t.status.value,
                "announced": dates.get(Status.ANNOUNCED, ""),
                "signed": dates.get(Status.SIGNED, dates.get(Status.HELD, "")),
                "in_force": dates.get(Status.IN_FORCE, ""),
                "ended": dates.get(Status.ENDED, dates.get(Status.CANCELLED, "")),
                "title": t.title,
                "id": t.id,
                "change": t.change or "",
            })
    return rows


def totals(dataset: Dataset) -> str:
    """The footer under the table: how many ties, per category."""
    by_cat = Counter(t.category.value for t in dataset.ties)
    n = sum(by_cat.values())
    parts = ", ".join(f"{c} {by_cat[c]}" for c in Category.values() if by_cat[c])
    return f"{n} tie{'s' * (n != 1)} with {len(dataset.partners)} partners ({parts})"


def _width(text: str) -> int:
    # CJK characters take two terminal cells.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clean(text: str) -> str:
    # A newline or tab in a title must not break a table row.
    return " ".join(text.split())


def format_ties(dataset: Dataset, fmt: str = "table") -> str:
    rows = tie_rows(dataset)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    cols = list(TABLE_COLUMNS) + (["change"] if dataset.changes_since else [])
    cells = [[_clean(r[c]) for c in cols] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"
