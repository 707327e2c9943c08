"""``validate``: check a partner file and say what is in it, without raising on bad data."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, ValidationError
from .model import Dataset
from .reader import default_path, read_checked


@dataclass(frozen=True)
class Report:
    file: str
    problems: tuple[Problem, ...]
    dataset: Dataset | None = None
    warnings: tuple[Problem, ...] = ()  # worth a look, never a failure (a geometry far from its country)
    more: int = 0  # problems beyond those kept

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """``12 partners, 64 ties, valid`` or ``3 problems``."""
        if self.dataset is None:
            n = len(self.problems)
            n += self.more
            return f"{self.file}: {n} problem{'s' * (n != 1)}"
        return f"{self.dataset.summary()}, valid"

    def counts(self) -> dict[str, Counter]:
        """Ties per partner, category, type and status: what an analyst checks first."""
        ties = self.dataset.ties if self.dataset else ()
        return {
            "partner": Counter(t.partner for t in ties),
            "category": Counter(t.category.value for t in ties),
            "type": Counter(t.type.value for t in ties),
            "status": Counter(t.status.value for t in ties),
        }


def validate(path: str | os.PathLike[str] | None = None) -> Report:
    """Validate a partner file (default: the bundled dataset) and report every problem.

    A missing path still raises ``UsageError``: that is a mistake in the
    request, not in the data.
    """
    try:
        name, result = read_checked(path)
    except ValidationError as exc:
        p = Path(path) if path is not None else default_path()
        return Report(str(path) if path is not None else p.name, exc.problems)
    return Report(name, result.problems, result.dataset, result.warnings, result.more)
