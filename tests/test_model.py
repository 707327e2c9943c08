"""model.py: the frozen records, and the quick constructor the checks' fast path builds them with."""

from __future__ import annotations

import dataclasses

import pytest

from partnermap.dates import parse_str
from partnermap.model import Source, Tie, quick_constructor
from partnermap.vocab import Category, Nature, Status, TieType


def test_quick_constructor_builds_what_the_dataclass_builds():
    fields = ("T", "P", parse_str("2024-05"), "A", None, "p. 4", "https://x.org/")
    made = quick_constructor(Source)(*fields, hash(fields))
    assert made == Source(*fields) and hash(made) == hash(Source(*fields))
    values = ("T-1", "USA", "Treaty", Category.SECURITY, TieType.ALLIANCE, Status.IN_FORCE,
              ((Status.SIGNED, parse_str("1960-01-19")),), "A treaty.", (made,), Nature.COOPERATION, ("USA",),
              None, "checked", False, (("title", "ja", "条約"),), None)
    tie = quick_constructor(Tie)(*values)
    assert tie == Tie(*values)
    assert [getattr(tie, f.name) for f in dataclasses.fields(Tie)] == list(values)  # every slot, in order


def test_quick_constructed_records_stay_frozen():
    source = quick_constructor(Source)("T", "P", None, None, None, None, None, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        source.title = "changed"


def test_quick_constructor_takes_every_field():
    with pytest.raises(TypeError):
        quick_constructor(Source)("T", "P", None)  # no defaults: the caller passes all eight
