"""Reading a partner file: file errors, strict JSON, and the Dataset built from minimal.geojson."""

from __future__ import annotations

import json
import os
import re
import threading

import pytest

from partnermap import reader
from partnermap.dates import PartialDate
from partnermap.errors import DataError, PartnermapError, Problem, UsageError, ValidationError
from partnermap.model import Focal, Source
from partnermap.reader import load, parse_json, read_json
from partnermap.report import validate
from partnermap.vocab import Category, Kind, Nature, Relationship, Status, TieType


def test_missing_path_is_a_usage_error(tmp_path):
    path = tmp_path / "nope.geojson"
    with pytest.raises(UsageError) as exc:
        read_json(path)
    assert exc.value.exit_code == 2
    assert str(exc.value) == f"{path}: no such file"
    with pytest.raises(UsageError, match="no such file"):
        load(path)
    with pytest.raises(UsageError, match="no such file"):
        validate(path)  # a wrong path is a usage error, not a data problem


def test_directory_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError) as exc:
        read_json(tmp_path)
    assert exc.value.exit_code == 2
    assert str(exc.value) == f"{tmp_path}: is a directory, expected a .geojson file"


def test_too_big_file_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_BYTES", 2**20)
    path = tmp_path / "big.geojson"
    path.write_bytes(b" " * 3_000_000 + b"{}")
    monkeypatch.setattr(type(path), "open", lambda self, *a, **k: pytest.fail("read a file over the limit"))
    with pytest.raises(ValidationError) as exc:
        read_json(path)
    assert exc.value.exit_code == 1
    assert [str(p) for p in exc.value.problems] == [f"{path}: file is 2.9 MiB; the limit is 1 MiB"]
    report = validate(path)
    assert [str(p) for p in report.problems] == [f"{path}: file is 2.9 MiB; the limit is 1 MiB"]


def test_size_limit_holds_for_a_stream_with_no_size(tmp_path, monkeypatch):
    # A FIFO (or /dev/stdin, /dev/zero) reports st_size 0: the limit must not rely on it alone.
    monkeypatch.setattr(reader, "MAX_BYTES", 1024)
    fifo = tmp_path / "stream.geojson"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as fh:
            fh.write(b" " * 4096 + b"{}")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        with pytest.raises(PartnermapError) as exc:
            read_json(fifo)
        assert re.search(r"limit|regular file", str(exc.value)), str(exc.value)
    finally:
        if writer.is_alive():  # read_json never opened the FIFO: unblock the writer
            with open(fifo, "rb") as fh:
                fh.read()
        writer.join(timeout=5)


def test_size_limit_boundary(tmp_path, monkeypatch, minimal_path):
    raw = minimal_path.read_bytes()
    path = tmp_path / "m.geojson"
    path.write_bytes(raw)
    monkeypatch.setattr(reader, "MAX_BYTES", len(raw))
    assert load(path).summary() == "4 partners, 8 ties"
    monkeypatch.setattr(reader, "MAX_BYTES", len(raw) - 1)
    with pytest.raises(ValidationError, match="the limit is"):
        load(path)


def test_json_syntax_error_gives_line_and_column(tmp_path):
    path = tmp_path / "comma.geojson"
    text = '{\n  "type": "FeatureCollection",\n  "features": [],\n}\n'
    path.write_text(text, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as ref:
        json.loads(text)
    with pytest.raises(ValidationError) as exc:
        read_json(path)
    (problem,) = exc.value.problems
    assert (problem.line, problem.column) == (4, 1)
    assert problem.message == f"not valid JSON: {ref.value.msg}"
    assert str(problem) == f"{path}: line 4 column 1: not valid JSON: {ref.value.msg}"


def test_syntax_error_position_counts_characters_after_a_bom():
    with pytest.raises(ValidationError) as exc:
        parse_json(b'\xef\xbb\xbf{"a": tru}', "f")
    (problem,) = exc.value.problems
    assert (problem.line, problem.column) == (1, 7)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "file is empty"),
        (b" \n\t\r\n", "file is empty"),
        (b"\xef\xbb\xbf\n", "file is empty"),
        (b"\xff\xfe{\x00}\x00", "file is UTF-16; save it as UTF-8"),
        (b"\xfe\xff\x00{\x00}", "file is UTF-16; save it as UTF-8"),
        (b'{"a": "caf\xe9"}', "not UTF-8: invalid byte 0xe9 at offset 10"),
        (b'{"a": NaN}', "not valid JSON: NaN is not valid JSON (use null or a number)"),
        (b'{"a": Infinity}', "not valid JSON: Infinity is not valid JSON (use null or a number)"),
        (b'{"a": [-Infinity]}', "not valid JSON: -Infinity is not valid JSON (use null or a number)"),
        (b'{"a": 1, "b": {"c": 1, "c": 2}}', "not valid JSON: duplicate key 'c' in one object"),
        (b"[" * 65 + b"]" * 65, "JSON nested deeper than 64 levels"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON nested deeper than 64 levels"),
        (b'{"a": ' * 65 + b"1" + b"}" * 65, "JSON nested deeper than 64 levels"),
    ],
    ids=["empty", "blank", "bom-only", "utf16-le", "utf16-be", "latin1", "nan", "infinity", "minus-infinity",
         "duplicate-key", "depth-65", "depth-100000", "objects-65"],
)
def test_parse_json_rejections(raw, message):
    with pytest.raises(ValidationError) as exc:
        parse_json(raw, "f.geojson")
    assert [str(p) for p in exc.value.problems] == [f"f.geojson: {message}"]
    assert isinstance(exc.value, DataError)


def test_parse_json_accepts_depth_64_and_a_bom():
    nested: list = []
    for _ in range(63):
        nested = [nested]
    assert parse_json(b"[" * 64 + b"]" * 64) == nested
    assert parse_json(b'\xef\xbb\xbf{"a": [1, 2.5, "\xc3\xa9"]}') == {"a": [1, 2.5, "é"]}


def test_parse_json_keeps_big_numbers_as_json_gives_them():
    assert parse_json(b"[1e400, 12345678901234567890]") == [float("inf"), 12345678901234567890]


def test_problem_str_locations():
    assert str(Problem("f", "m")) == "f: m"
    assert str(Problem("f", "m", line=3)) == "f: line 3: m"
    assert str(Problem("f", "m", line=3, column=9)) == "f: line 3 column 9: m"
    assert str(Problem("f", "m", feature="feature 2 (AUS)", tie="AUS-RAA", field="dates.in_force")) == (
        "f: feature 2 (AUS): tie AUS-RAA: dates.in_force: m"
    )


def test_validation_error_carries_every_problem():
    problems = [Problem("f", "one"), Problem("f", "two", field="x")]
    err = ValidationError(problems)
    assert err.problems == tuple(problems)
    assert str(err) == "f: one\nf: x: two"
    assert err.exit_code == 1


def test_load_minimal_builds_the_dataset(minimal_path):
    data = load(minimal_path)
    assert data.source == str(minimal_path)
    assert (data.title, data.version) == ("Test network", "0.0.1")
    assert data.as_of == PartialDate(2025, 11, 30)
    assert data.focal == Focal(id="JPN", name="Japan", anchor=(139.69, 35.69), translations=(("name", "ja", "日本"),))
    assert data.description is None and data.license is None
    assert data.view_date is None and data.changes_since is None
    assert [p.id for p in data.partners] == ["AUS", "USA", "GBR", "QUAD"]
    assert [t.id for t in data.ties] == [
        "AUS-RAA", "AUS-EPA", "USA-TREATY", "USA-AUTO", "GBR-RAA", "GBR-ACSA", "QUAD-SUMMIT", "QUAD-OLD",
    ]
    assert data.summary() == "4 partners, 8 ties"


def test_load_minimal_partners(minimal):
    aus = minimal.partner("AUS")
    assert (aus.name, aus.name_ja, aus.kind) == ("Australia", "オーストラリア", Kind.STATE)
    assert aus.anchor == (149.13, -35.28)
    assert aus.relationship is Relationship.PARTNER
    assert aus.members == ()
    assert aus.label("ja") == "オーストラリア"
    # no name_ja in the file: a country takes the bundled (CLDR) name, anything else its English name
    assert minimal.partner("USA").label("ja") == "アメリカ合衆国"
    assert minimal.partner("QUAD").label("fr") == minimal.partner("QUAD").name
    quad = minimal.partner("QUAD")
    assert quad.kind is Kind.GROUP
    assert quad.members == ("USA", "AUS", "IND")
    assert quad.geometry.geom_type == "MultiPolygon"
    assert len(quad.geometry.geoms) == 3
    assert minimal.partner("AUS").geometry.bounds == (113.0, -39.0, 154.0, -11.0)
    with pytest.raises(KeyError):
        minimal.partner("IND")


def test_load_minimal_ties(minimal):
    raa = minimal.partner("AUS").ties[0]
    assert raa.id == "AUS-RAA"
    assert raa.partner == "AUS"
    assert raa.title == "Reciprocal Access Agreement"
    assert (raa.category, raa.type, raa.status, raa.nature) == (
        Category.SECURITY, TieType.RECIPROCAL_ACCESS, Status.IN_FORCE, Nature.COOPERATION)
    assert raa.dates == ((Status.SIGNED, PartialDate(2022, 1, 6)), (Status.IN_FORCE, PartialDate(2023, 8, 13)))
    assert raa.date(Status.IN_FORCE) == PartialDate(2023, 8, 13)
    assert raa.date(Status.ENDED) is None
    assert raa.first_date == PartialDate(2022, 1, 6)
    assert raa.sources == (Source(title="Entry into force of the Japan-Australia RAA", publisher="MOFA",
                                  date=PartialDate(2023, 8, 13), url="https://www.example.org/raa"),)
    assert raa.parties == () and raa.note is None and raa.change is None

    auto = minimal.partner("USA").ties[1]
    assert auto.nature is Nature.FRICTION
    assert auto.type is TieType.TRADE_MEASURE
    acsa = minimal.partner("GBR").ties[1]
    assert acsa.note == "Day of entry into force unverified."
    assert acsa.date(Status.IN_FORCE) == PartialDate(2017)
    # lifecycle order, not first-day order: in force "2017" comes after signed 2017-01-26
    assert acsa.dates == ((Status.SIGNED, PartialDate(2017, 1, 26)), (Status.IN_FORCE, PartialDate(2017)))
    assert acsa.sources[0].url is None
    old = minimal.partner("QUAD").ties[1]
    assert old.status is Status.ENDED
    assert old.parties == ("USA", "AUS", "IND")
    assert old.dates == ((Status.HELD, PartialDate(2007, 5)), (Status.ENDED, PartialDate(2008, 2)))
    assert old.sources[0].date == PartialDate(2008)


def test_load_accepts_a_str_path(minimal_path):
    data = load(str(minimal_path))
    assert data.source == str(minimal_path)
    assert len(data.ties) == 8


def test_validate_report_of_minimal(minimal_path):
    report = validate(minimal_path)
    assert report.ok
    assert report.problems == ()
    assert report.summary() == "4 partners, 8 ties, valid"
    counts = report.counts()
    assert dict(counts["partner"]) == {"AUS": 2, "USA": 2, "GBR": 2, "QUAD": 2}
    assert dict(counts["category"]) == {"security": 5, "economic": 2, "diplomatic": 1}
    assert dict(counts["status"]) == {"in_force": 6, "held": 1, "ended": 1}
    assert counts["type"]["reciprocal_access"] == 2


# ---- resources (docs/schema.md, "Limits") -------------------------------------------------------

MB_PER_MB = 8  # the documented worst case: memory per MB of input, on top of the program itself


def _run_limited(path, limit_bytes: int | None) -> tuple[int, str, int]:
    """``partnermap validate PATH`` in a child whose address space is capped (``ulimit -v``);
    its exit code, stderr and peak virtual memory (VmPeak, bytes; Linux's /proc, as on CI)."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(f"""
        import resource, sys, re
        limit = {limit_bytes!r}
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        from partnermap.cli import main
        try:
            main(["validate", {str(path)!r}])
        finally:
            peak = re.search(r"VmPeak:\\s+(\\d+) kB", open("/proc/self/status").read())
            sys.stderr.write("\\nVMPEAK %d\\n" % (int(peak.group(1)) * 1024))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    peak = int(re.search(r"VMPEAK (\d+)", proc.stderr).group(1))
    return proc.returncode, proc.stderr, peak


def _many_small_errors(path, megabytes: int, minimal_path) -> None:
    doc = json.loads(minimal_path.read_text(encoding="utf-8"))
    tie = dict(doc["features"][0]["properties"]["ties"][0], category="nonsense")
    n = megabytes * 2**20 // len(json.dumps(tie))
    doc["features"][0]["properties"]["ties"] = [dict(tie, id=f"T{i}") for i in range(n)]
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_a_file_of_small_errors_fits_the_documented_memory(tmp_path, minimal_path):
    """16 MB of small mistakes: validate prints the first problems and a count, within
    baseline + 8 MB per input MB of address space (ulimit -v), never a MemoryError."""
    _code, _err, baseline = _run_limited(minimal_path, None)
    big = tmp_path / "errors.geojson"
    _many_small_errors(big, 16, minimal_path)
    code, err, _peak = _run_limited(big, baseline + MB_PER_MB * 16 * 2**20)
    lines = [line for line in err.splitlines() if line and not line.startswith("VMPEAK")]
    assert code == 1, err[-500:]
    assert len(lines) == 1001 and re.fullmatch(r"\.\.\. and \d+ more problems", lines[-1])
    assert "MemoryError" not in err and "Traceback" not in err


def test_running_out_of_memory_is_one_line(tmp_path, minimal_path):
    """Below the documented bound the run still ends in one clear line, exit 1, no traceback."""
    _code, _err, baseline = _run_limited(minimal_path, None)
    big = tmp_path / "errors.geojson"
    _many_small_errors(big, 16, minimal_path)
    code, err, _peak = _run_limited(big, baseline + 2 * 2**20)
    lines = [line for line in err.splitlines() if line and not line.startswith("VMPEAK")]
    assert code == 1 and lines == ["Error: out of memory; a partner file needs up to about 8 MB of memory per MB "
                                   "(docs/schema.md, Limits)"], err[-800:]
