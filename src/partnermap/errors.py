"""One exception root, so the CLI can turn every expected failure into one line."""

from __future__ import annotations

from dataclasses import dataclass


class PartnermapError(Exception):
    """Root of every error partnermap raises on purpose. ``exit_code`` is for the CLI."""

    exit_code = 1


class DataError(PartnermapError):
    """The input data is wrong (exit 1)."""

    exit_code = 1


class UsageError(PartnermapError):
    """The request is wrong: bad option value, missing path, unwritable output (exit 2)."""

    exit_code = 2


class EmptySelection(PartnermapError):
    """The filters are valid but match no tie: say so instead of drawing an empty map (exit 1)."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a partner file, located as precisely as we can."""

    file: str
    message: str
    feature: str | None = None
    tie: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None
    # a spreadsheet's place instead (partnermap import): sheet name, row number, column header
    sheet: str | None = None
    row: int | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.cell is not None:
            where.append(f"column {self.cell}")
        if self.line is not None:
            where.append(f"line {self.line}" + (f" column {self.column}" if self.column else ""))
        if self.feature is not None:
            where.append(self.feature)
        if self.tie is not None:
            where.append(f"tie {self.tie}")
        if self.field is not None:
            where.append(self.field)
        return f"{': '.join(where)}: {self.message}"


def listing(items, limit: int = 10) -> str:
    """Items in a one-line message: at most ``limit``, then "… and N more", so a long list is cut
    between items (never mid-item, as a line cut at a fixed length would be)."""
    items = [str(i) for i in items]
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" … and {len(items) - limit} more"


class ValidationError(DataError):
    """A partner file failed validation; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = tuple(problems)
        self.more = more  # problems found beyond those kept (the validator keeps a bounded number)
        super().__init__("\n".join(str(p) for p in self.problems))


class PartnermapWarning(UserWarning):
    """Something partnermap can work around but the user should fix (e.g. no CJK font for ``--lang ja``)."""
