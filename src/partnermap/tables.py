"""Ties as rows: the ``list`` command's table, CSV and JSON.

Every lifecycle step has its own date column (a held date is not a signing).
CSV and JSON carry the curator's remark (``curation``) so a curator can read
it beside the tie; the terminal table, read by anyone, does not.
In CSV, a cell a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) is prefixed with an apostrophe, the OWASP advice
for CSV injection: a tie title cannot run code in whoever opens the file.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING

from .text import clip, csv_text, terminal
from .vocab import Category, Status

if TYPE_CHECKING:  # the records are only annotations here: `partnermap --help` imports this module
    from .model import Dataset

FORMATS = ("table", "csv", "json")
STEP_COLUMNS = tuple(Status.values())  # announced, negotiating, signed, held, in_force, suspended, cancelled, ended
COLUMNS = ("partner", "category", "type", "status", "nature", *STEP_COLUMNS, "title", "id", "change", "curation")
TABLE_COLUMNS = ("partner", "category", "type", "status", "signed", "held", "in_force", "title")


def tie_rows(dataset: Dataset) -> list[dict[str, str]]:
    """One row per tie, dates as recorded ('' where unknown)."""
    rows = []
    for partner in dataset.partners:
        for t in partner.ties:
            dates = {s.value: str(d) for s, d in t.dates}
            rows.append({
                "partner": partner.id,
                "category": t.category.value,
                "type": t.type.value,
                "status": t.status.value,
                "nature": t.nature.value,
                **{step: dates.get(step, "") for step in STEP_COLUMNS},
                "title": t.title,
                "id": t.id,
                "change": t.change or "",
                "curation": t.curation or "",
            })
    return rows


def totals(dataset: Dataset) -> str:
    """The footer under the table: how many ties, per category."""
    by_cat = Counter(t.category.value for t in dataset.ties)
    n, k = sum(by_cat.values()), len(dataset.partners)
    parts = ", ".join(f"{c} {by_cat[c]}" for c in Category.values() if by_cat[c])
    return f"{n} tie{'s' * (n != 1)} with {k} partner{'s' * (k != 1)} ({parts})"


def _width(text: str) -> int:
    # CJK characters take two terminal cells.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clean(text: str) -> str:
    # The table is for reading: one line per row (a newline or tab in a title must not break it),
    # control characters shown escaped wherever it ends up (a terminal, or a file cat later), and
    # a title cut so one very long text cannot make every row a screen wide.
    return clip(terminal(" ".join(text.split())), 120)


def format_ties(dataset: Dataset, fmt: str = "table") -> str:
    rows = tie_rows(dataset)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return csv_text([list(COLUMNS), *([row[c] for c in COLUMNS] for row in rows)])
    cols = list(TABLE_COLUMNS) + (["change"] if dataset.changes_since else [])
    cells = [[_clean(r[c]) for c in cols] for r in rows]
    widths = [max(_width(c), *(_width(row[i]) for row in cells)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(v + " " * (w - _width(v)) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines) + "\n"
