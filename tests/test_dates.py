"""PartialDate: parsing against the real calendar, periods, comparison at common precision."""

from __future__ import annotations

import datetime as dt

import pytest

from partnermap.dates import PartialDate

P = PartialDate.parse


@pytest.mark.parametrize(
    ("text", "fields", "precision"),
    [
        ("2025", (2025, None, None), 1),
        ("2025-04", (2025, 4, None), 2),
        ("2025-09-11", (2025, 9, 11), 3),
        ("1000-01-01", (1000, 1, 1), 3),
        ("9999-12-31", (9999, 12, 31), 3),
    ],
)
def test_parse_precisions(text, fields, precision):
    d = P(text)
    assert (d.year, d.month, d.day) == fields
    assert d.precision == precision
    assert d == PartialDate(*fields)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-02-30", "'2025-02-30' is not a real date (February 2025 has 28 days)"),
        ("2023-02-29", "'2023-02-29' is not a real date (February 2023 has 28 days)"),
        ("1900-02-29", "'1900-02-29' is not a real date (February 1900 has 28 days)"),
        ("2025-04-31", "'2025-04-31' is not a real date (April 2025 has 30 days)"),
        ("2025-01-00", "'2025-01-00' is not a real date (January 2025 has 31 days)"),
        ("2025-13", "'2025-13': no month 13"),
        ("2025-00-10", "'2025-00-10': no month 0"),
        ("0999", "'0999': year out of range"),
    ],
)
def test_parse_rejects_impossible_dates(text, message):
    with pytest.raises(ValueError) as exc:
        P(text)
    assert str(exc.value) == message


@pytest.mark.parametrize("text", ["2024-02-29", "2000-02-29", "2025-01-31", "2025-04-30", "2025-12-31"])
def test_parse_accepts_real_month_ends(text):
    assert str(P(text)) == text


@pytest.mark.parametrize(
    "text",
    ["", "25", "202", "20250", "2025-4", "2025-04-1", "2025/04/01", "2025-04-01T00:00", " 2025", "2025 ",
     "2025-", "2025-04-", "04-2025", "+2025", "-2025", "2025-W01", "twenty"],
)
def test_parse_rejects_bad_syntax(text):
    with pytest.raises(ValueError) as exc:
        P(text)
    assert str(exc.value) == f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"


@pytest.mark.parametrize("text", ["2025\n", "2025-04\n", "2025-04-28\n"], ids=["year", "month", "day"])
def test_parse_rejects_trailing_newline(text):
    # `$` in a regex also matches just before a trailing newline
    with pytest.raises(ValueError) as exc:
        P(text)
    assert str(exc.value) == f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"


@pytest.mark.parametrize("text", ["２０２５", "٢٠٢٥-٠٤", "2025-0٤-01"], ids=["fullwidth", "arabic-indic", "mixed"])
def test_parse_rejects_non_ascii_digits(text):
    # `\d` matches any Unicode decimal digit, and int() accepts them
    with pytest.raises(ValueError) as exc:
        P(text)
    assert str(exc.value) == f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"


@pytest.mark.parametrize(
    ("value", "type_name"),
    [(2025, "int"), (2025.5, "float"), (None, "NoneType"), (["2025"], "list"), ({"y": 2025}, "dict"), (True, "bool")],
)
def test_parse_rejects_non_strings(value, type_name):
    with pytest.raises(ValueError) as exc:
        P(value)
    assert str(exc.value) == f"expected a date string like 2025-04-28, got {type_name}"


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2023-02", dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
        ("2025-04", dt.date(2025, 4, 1), dt.date(2025, 4, 30)),
        ("2025-12", dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
        ("2025-09-11", dt.date(2025, 9, 11), dt.date(2025, 9, 11)),
    ],
)
def test_first_and_last_day(text, first, last):
    d = P(text)
    assert d.first_day() == first
    assert d.last_day() == last


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2007-08", "2007-08-10", 0),
        ("2007-08-10", "2007-08", 0),
        ("2023-01", "2023-10-15", -1),
        ("2023-10-15", "2023-01", 1),
        ("2023", "2023-10-15", 0),
        ("2023", "2024-01-01", -1),
        ("2024-01-01", "2023", 1),
        ("2023-10-14", "2023-10-15", -1),
        ("2023-10-15", "2023-10-15", 0),
        ("2023-09", "2023-10", -1),
        ("2023-12-31", "2024", -1),
    ],
)
def test_compare_at_common_precision(a, b, expected):
    assert P(a).compare(P(b)) == expected


def test_truncate():
    d = P("2025-09-11")
    assert d.truncate(1) == (2025,)
    assert d.truncate(2) == (2025, 9)
    assert d.truncate(3) == (2025, 9, 11)


def test_ordering_by_first_day_then_precision():
    texts = ["2023-10-15", "2023", "2023-01", "2022-12-31", "2023-01-01", "2024", "2023-10"]
    assert [str(d) for d in sorted(P(t) for t in texts)] == [
        "2022-12-31", "2023", "2023-01", "2023-01-01", "2023-10", "2023-10-15", "2024",
    ]


def test_ordering_operators():
    assert P("2023") < P("2023-01")
    assert P("2023-01") < P("2023-01-01")
    assert P("2023-01-31") > P("2023-01")
    assert P("2023-01") <= P("2023-01")
    assert P("2023-01") >= P("2023-01")
    assert P("2023-01") != P("2023-01-01")
    assert min(P("2017-01-26"), P("2017")) == P("2017")
    assert max(P("1960-06-23"), P("1960-01-19")) == P("1960-06-23")


def test_comparing_with_other_types_is_refused():
    assert P("2023").__lt__("2023") is NotImplemented
    with pytest.raises(TypeError):
        _ = P("2023") < "2024"


def test_equal_dates_hash_equal():
    assert {P("2023-01"), P("2023-01"), PartialDate(2023, 1)} == {PartialDate(2023, 1)}


@pytest.mark.parametrize("text", ["2025", "2025-04", "2025-09-11", "1000", "1960-01-19", "2024-02-29"])
def test_str_round_trip(text):
    assert str(P(text)) == text
    assert P(str(P(text))) == P(text)


def test_str_pads_fields():
    assert str(PartialDate(1999, 1, 5)) == "1999-01-05"
    assert str(PartialDate(1999, 3)) == "1999-03"
