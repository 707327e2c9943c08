"""Read a partner file strictly: bytes -> JSON -> validated ``Dataset``.

We parse JSON ourselves rather than through GDAL/pyogrio because those turn
string coordinates into a silent null geometry and accept NaN; a partner file
is small enough that strictness costs nothing.
"""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .errors import Problem, UsageError, ValidationError
from .gcpause import paused_gc
from .model import Dataset

# Partner files are curated by hand; anything bigger is a mistake or an attack.
MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
# Parsed JSON costs far more than its text: an empty array is 2 bytes on disk and ~60 in memory.
# Counted on the raw bytes before parsing (an upper bound: brackets inside strings count too),
# so a hostile file is refused in one pass instead of filling memory (docs/schema.md, "Limits").
MAX_CONTAINERS = 1_500_000  # arrays and objects
MAX_VALUES = 12_000_000  # commas: elements and members


def default_path() -> Path:
    """The bundled Japan dataset: packaged copy in a wheel, ``data/`` in a checkout."""
    packaged = resources.files("partnermap") / "data" / "partners.geojson"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data" / "partners.geojson"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (use null or a number)")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object, or an error naming a key it gives twice. ``dict()`` in C, then one length
    comparison: a Python loop over every member was a third of parsing 100,000 ties."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r} in one object")
            seen.add(key)
    return obj


_ESCAPE = re.compile(rb"\\.", re.S)
_NOT_STRUCTURE = bytes(c for c in range(256) if c not in b'"[]{},')
_BRACKET = np.zeros(256, np.int8)
_BRACKET[[ord("["), ord("{")]] = 1
_BRACKET[[ord("]"), ord("}")]] = -1


def structure(raw: bytes, chunk: int = 1 << 20) -> tuple[int, int, int]:
    """``(containers, values, depth)`` of a JSON text, counted outside its strings, before parsing.

    Escapes are dropped and every byte but ``"[]{},`` deleted (C speed), then numpy tracks the
    quote parity and the bracket depth in chunks, so the memory it takes stays bounded: a hostile
    file is refused before ``json.loads`` builds anything (54 MB: 0.35 s, against 0.8 s for a walk
    over the parsed objects)."""
    small = _ESCAPE.sub(b"", raw).translate(None, _NOT_STRUCTURE)
    containers = values = depth = deepest = 0
    inside = 0
    for start in range(0, len(small), chunk):
        arr = np.frombuffer(small, np.uint8, count=min(chunk, len(small) - start), offset=start)
        quote = arr == 34
        parity = (np.cumsum(quote, dtype=np.uint8) + inside) & 1  # mod 256 keeps the parity
        outside = (parity == 0) & ~quote
        inside = int(parity[-1])
        marks = arr[outside]
        steps = _BRACKET[marks]
        moves = steps[steps != 0]
        if moves.size:
            levels = np.cumsum(moves, dtype=np.int32)
            deepest = max(deepest, depth + int(levels.max()))
            depth += int(levels[-1])
        containers += int(np.count_nonzero(steps == 1))
        values += int(np.count_nonzero(marks == 44))
    return containers, values, deepest


def read_json(path: str | os.PathLike[str]) -> Any:
    """Return the parsed JSON of ``path`` or raise one clear error."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise UsageError(f"{name}: no such file")
    if p.is_dir():
        if (p / "partners.csv").is_file():
            raise UsageError(f"{name}: is a folder of CSV tables, not a partner file; read it with "
                             f"partnermap import {name} -o partners.geojson")
        raise UsageError(f"{name}: is a directory, expected a .geojson file")
    if not p.is_file():
        raise UsageError(f"{name}: not a regular file (a pipe or device); save the data to a file first")
    limit = f"the limit is {MAX_BYTES / 2**20:g} MiB"
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise ValidationError([Problem(name, f"file is {size / 2**20:.1f} MiB; {limit}")])
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # bounded even if the file grows while we read
    except OSError as exc:
        raise UsageError(f"{name}: cannot read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise ValidationError([Problem(name, f"file is larger than {MAX_BYTES} bytes; {limit}")])
    _refuse_archive(raw, name)
    held = [raw]
    del raw  # _parse lets go of the bytes once decoded
    return _parse(held, name)


def _refuse_archive(raw: bytes, name: str) -> None:
    """A workbook (or another zip) given where a partner file was expected: say what it is, and what reads it."""
    if not raw.startswith(b"PK\x03\x04"):
        return
    if b"xl/workbook.xml" in raw:
        raise UsageError(f"{name}: this is a workbook, not a partner file; read it with "
                         f"partnermap import {name} -o partners.geojson")
    if b"application/vnd.oasis.opendocument.spreadsheet" in raw[:200]:
        raise UsageError(f"{name}: this is an OpenDocument spreadsheet; save it as .xlsx, then "
                         "partnermap import it")
    raise UsageError(f"{name}: this is a zip archive, not a partner file (GeoJSON text)")


def parse_json(raw: bytes, name: str = "<bytes>") -> Any:
    """The parsed JSON of ``raw`` (a partner file's bytes), or one clear ``ValidationError``."""
    return _parse([raw], name)


def _parse(held: list[bytes], name: str) -> Any:
    """``parse_json`` of the bytes in ``held``, which it empties, so that the bytes can be freed once
    decoded and counted rather than kept through ``json.loads``: the peak of reading 100,000
    ties (a 54 MB file) is the text, the parsed tree and the interpreter, not the bytes too."""
    raw = held.pop()
    if raw[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        raise ValidationError([Problem(name, "file is UTF-32; save it as UTF-8")])
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ValidationError([Problem(name, "file is UTF-16; save it as UTF-8")])
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte-order mark is harmless; Excel writes one
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = f"not UTF-8: invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}"
        raise ValidationError([Problem(name, bad)]) from None
    if not text or text.isspace():  # (not strip(): that copies the whole text)
        raise ValidationError([Problem(name, "file is empty")])
    containers, values, depth = structure(raw)  # outside strings, in one pass over the bytes
    if containers > MAX_CONTAINERS:
        raise ValidationError([Problem(name, f"holds {containers:,} arrays and objects; the limit is "
                                             f"{MAX_CONTAINERS:,} (a partner file needs far fewer)")])
    if values > MAX_VALUES:
        raise ValidationError([Problem(name, f"holds {values:,} values; the limit is {MAX_VALUES:,}")])
    if depth > MAX_DEPTH:
        raise ValidationError([Problem(name, f"JSON nested deeper than {MAX_DEPTH} levels")])
    del raw
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        problem = Problem(name, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno)
        raise ValidationError([problem]) from None
    except ValueError as exc:
        raise ValidationError([Problem(name, f"not valid JSON: {exc}")]) from None
    except RecursionError:
        raise ValidationError([Problem(name, f"JSON nested deeper than {MAX_DEPTH} levels")]) from None
    # "\ud800" is valid JSON syntax but no character: it would crash every writer later.
    # Only an escape can produce one (the text itself decoded as UTF-8), so look for those first.
    if _SURROGATE_ESCAPE.search(text):
        _check_surrogates(data, name)
    return data


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _check_surrogates(data: Any, name: str) -> None:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end].encode("unicode_escape").decode()
        raise ValidationError([Problem(name, f"a string holds {bad}, half of a UTF-16 surrogate pair, "
                                             "which is no character; fix the \\u escape")]) from None


def read_checked(path: str | os.PathLike[str] | None = None):
    """``(name, checks.Checked)`` for a partner file: read, parsed and checked in one pass.

    A missing or unreadable file raises ``UsageError``; a file that is not JSON, or too big,
    raises ``ValidationError``; everything else comes back as problems in the result."""
    from .checks import check

    p = Path(path) if path is not None else default_path()
    name = str(path) if path is not None else p.name
    with paused_gc():
        return name, check(read_json(p), name, consume=True)


def load(path: str | os.PathLike[str] | None = None) -> Dataset:
    """Load and validate a partner file (default: the bundled dataset).

    Raises ``ValidationError`` listing every problem, so a user fixes them all
    in one go rather than one per run.
    """
    import warnings as _warnings

    from .errors import PartnermapWarning

    _name, result = read_checked(path)
    for w in result.warnings:
        _warnings.warn(PartnermapWarning(str(w)), stacklevel=2)
    if result.problems:
        raise ValidationError(list(result.problems), more=result.more)
    dataset = result.dataset
    assert dataset is not None
    return dataset
