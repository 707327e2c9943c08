"""Validation: the bad-input corpus (tests/data/bad/), every problem at once, and hostile JSON.

Each file in tests/data/bad/ is a small valid partner file with exactly one
problem, named for it. The table below says what each must produce, through
both ``report.validate`` (returns problems) and ``reader.load`` (raises
``ValidationError``). Any other exception (KeyError, TypeError, ValueError...)
is a bug in the validator.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon

from partnermap.checks import check_document
from partnermap.errors import DataError, Problem, ValidationError
from partnermap.reader import load
from partnermap.report import validate
from partnermap.vocab import Status, TieType

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
DATA_ERROR = 1  # exit code of bad data (a ValidationError, a DataError)

AUS_RAA = "feature 0 (AUS): tie AUS-RAA"
STATUSES = ", ".join(Status.values())
RETRO_HINT = ("; if it entered into force retroactively, before signature, keep the dates and add "
              "retroactive: true with a note saying so")
CATEGORIES = "security, economic, diplomatic"
WGS84 = "is outside WGS84 (lon -180..180, lat -90..90)"
SWAPPED = " (looks like [lat, lon]; GeoJSON is [lon, lat])"
NOT_ISO = "is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"

# file name -> (exit code, the problem lines after "FILE: ").
# A line containing "…" matches any text (within one line) in its place.
CORPUS: dict[str, tuple[int, list[str]]] = {
    # bytes and JSON syntax
    "not-json.geojson": (DATA_ERROR, ["line 1 column 1: not valid JSON: Expecting value"]),
    "truncated.geojson": (
        DATA_ERROR, ["line 39 column 7: not valid JSON: Expecting property name enclosed in double quotes"]),
    "non-utf8.geojson": (DATA_ERROR, ["not UTF-8: invalid byte 0xe1 at offset 333"]),
    "utf16.geojson": (DATA_ERROR, ["file is UTF-16; save it as UTF-8"]),
    "empty-file.geojson": (DATA_ERROR, ["file is empty"]),
    "nan.geojson": (DATA_ERROR, ["not valid JSON: NaN is not valid JSON (use null or a number)"]),
    "duplicate-keys.geojson": (DATA_ERROR, ["not valid JSON: duplicate key 'status' in one object"]),
    "deep-nesting.geojson": (DATA_ERROR, ["JSON nested deeper than 64 levels"]),
    # the collection
    "top-level-array.geojson": (DATA_ERROR, ["type: expected a GeoJSON FeatureCollection, got 'array'"]),
    "bare-feature.geojson": (DATA_ERROR, ["is a single Feature; a partner file is a FeatureCollection of partners"]),
    "empty-collection.geojson": (DATA_ERROR, ["features: is empty: a partner file needs at least one partner"]),
    "missing-metadata.geojson": (
        DATA_ERROR, ["metadata: missing: the collection needs a metadata object (title, version, as_of, focal)"]),
    "wrong-schema-version.geojson": (DATA_ERROR, ["partnermap: schema version must be 1, got 2"]),
    # JSON true == 1 in Python, but a boolean is not the schema version
    "schema-version-true.geojson": (DATA_ERROR, ["partnermap: schema version must be 1, got True"]),
    "missing-focal.geojson": (DATA_ERROR, ["metadata: focal: missing: give the focal country's id and name"]),
    "focal-anchor-swapped.geojson": (DATA_ERROR, [f"metadata: focal.anchor: [35.69, 139.69] {WGS84}{SWAPPED}"]),
    "impossible-as-of.geojson": (
        DATA_ERROR, ["metadata: as_of: '2025-11-31' is not a real date (November 2025 has 30 days)"]),
    # partners
    "focal-as-partner.geojson": (
        DATA_ERROR, ["feature 0 (JPN): id: is the focal country; the focal country is metadata.focal, not a partner"]),
    "duplicate-partner-id.geojson": (DATA_ERROR, ["feature 1 (AUS): id: duplicate partner id"]),
    "duplicate-tie-id.geojson": (
        DATA_ERROR, ["feature 1 (USA): tie AUS-RAA: id: duplicate tie id (also in feature 0 (AUS))"]),
    "state-id-not-iso3.geojson": (
        DATA_ERROR, ["feature 0 (AUST): id: 'AUST': a state's id is its ISO 3166-1 alpha-3 code"]),
    "trailing-newline-partner-id.geojson": (
        DATA_ERROR, ["feature 0: id: 'AUS\\n' is not a valid partner id (upper-case letters, digits, _ -; 2-32 long)"]),
    "unknown-kind.geojson": (
        DATA_ERROR, ["feature 0 (AUS): kind: unknown value 'country'; expected one of: state, organisation, group"]),
    # a state's anchor defaults to its capital, a group's to its first member's; an organisation's cannot
    "missing-anchor.geojson": (
        DATA_ERROR, ["feature 0 (EU): anchor: missing; give [lon, lat] of the organisation's headquarters"]),
    "state-without-capital.geojson": (DATA_ERROR, [
        "feature 0 (ATA): anchor: missing, and the bundled capitals table has no capital for ATA; "
        "give [lon, lat] of the capital"]),
    "swapped-coordinates.geojson": (DATA_ERROR, [f"feature 0 (AUS): anchor: [-35.28, 149.13] {WGS84}{SWAPPED}"]),
    "out-of-range-coordinates.geojson": (DATA_ERROR, [f"feature 0 (AUS): anchor: [200.0, -35.28] {WGS84}"]),
    "infinite-coordinate.geojson": (
        DATA_ERROR, ["feature 0 (AUS): anchor: coordinates must be finite numbers, got number inf"]),
    # a 401-digit integer literal: too big for a float
    "huge-integer-coordinate.geojson": (DATA_ERROR, ["feature 0 (AUS): anchor: …"]),
    "group-without-members.geojson": (DATA_ERROR, ["feature 0 (QUAD): members: a group lists its member states"]),
    "empty-ties.geojson": (DATA_ERROR, ["feature 0 (AUS): ties: must be a non-empty array of ties"]),
    "wrong-feature-type.geojson": (DATA_ERROR, ["feature 0: type: expected a GeoJSON Feature, got 'feature'"]),
    # geometry
    # no geometry is fine for a basemap country (territory.py); SJM (Svalbard) is an ISO code the basemap lacks
    "null-geometry.geojson": (DATA_ERROR, [
        "feature 0 (SJM): geometry: missing, and SJM is not a country of the bundled basemap, so no territory "
        "can be derived from it; give a Polygon or MultiPolygon"
    ]),
    "point-geometry.geojson": (
        DATA_ERROR, ["feature 0 (AUS): geometry.type: expected Polygon or MultiPolygon, got 'Point'"]),
    "self-intersecting.geojson": (
        DATA_ERROR, ["feature 0 (AUS): geometry: invalid geometry: Self-intersection[133.5 -25]"]),
    "unclosed-ring.geojson": (
        DATA_ERROR, ["feature 0 (AUS): geometry.coordinates[0]: ring is not closed (first and last positions differ)"]),
    "short-ring.geojson": (
        DATA_ERROR, ["feature 0 (AUS): geometry.coordinates[0]: a ring needs at least 4 positions, got 3"]),
    "string-coordinates.geojson": (DATA_ERROR, [
        "feature 0 (AUS): geometry.coordinates[0][0]: coordinates must be finite numbers, got string '113.0'"
    ]),
    "empty-multipolygon.geojson": (
        DATA_ERROR, ["feature 0 (AUS): geometry.coordinates: a MultiPolygon needs at least one polygon"]),
    # ties
    "missing-tie-sources.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: sources: missing; every tie cites at least one source"]),
    "source-missing-publisher.geojson": (DATA_ERROR, [f"{AUS_RAA}: sources[0].publisher: missing"]),
    "source-date-after-as-of.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: sources[0].date: 2025-12-01 is after the dataset's as_of date 2025-11-30"]),
    "unknown-category.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: category: unknown value 'military'; expected one of: {CATEGORIES}"]),
    "unknown-type.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: type: unknown value 'treaty'; expected one of: {', '.join(TieType.values())}"]),
    "unknown-status.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: status: unknown value 'ratified'; expected one of: {STATUSES}"]),
    "unknown-nature.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: nature: unknown value 'hostile'; expected one of: cooperation, friction"]),
    "type-category-mismatch.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: category: a reciprocal_access tie cannot be economic; allowed: security"]),
    "impossible-date.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: dates.in_force: '2025-02-30' is not a real date (February 2025 has 28 days)"]),
    "reversed-dates.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: dates.in_force: in_force 2021-08-13 is before signed 2022-01-06" + RETRO_HINT]),
    "status-contradicts-dates.geojson": (DATA_ERROR, [
        f"{AUS_RAA}: status: signed contradicts the dates: the latest dated step is in_force (2023-08-13)"
    ]),
    "date-after-as-of.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: dates.in_force: 2025-12-01 is after the dataset's as_of date 2025-11-30"]),
    # docs/schema.md: negotiating <= signed <= in_force, so negotiating <= in_force when signed is not dated
    "negotiating-after-in-force.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: dates.in_force: in_force 2023-08-13 is before negotiating 2024-01" + RETRO_HINT]),
    "unknown-date-step.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: dates.ratified: unknown step; expected one of: {STATUSES}"]),
    "empty-dates.geojson": (DATA_ERROR, [
        f'{AUS_RAA}: dates: must be an object with at least one dated step, e.g. {{"signed": "2023-01-11"}}'
    ]),
    "trailing-newline-date.geojson": (DATA_ERROR, [f"{AUS_RAA}: dates.in_force: '2023-08-13\\n' {NOT_ISO}"]),
    "non-ascii-digits-date.geojson": (DATA_ERROR, [f"{AUS_RAA}: dates.signed: '２０２２-01-06' {NOT_ISO}"]),
    "invalid-tie-id.geojson": (
        DATA_ERROR, ["feature 0 (AUS): tie #0: id: 'AUS RAA' is not a valid tie id (letters, digits, . _ -)"]),
    # the raw id must not put a line break into the one-line problem
    "newline-in-tie-id.geojson": (
        DATA_ERROR, ["feature 0 (AUS): tie …: id: 'AUS\\nRAA' is not a valid tie id (letters, digits, . _ -)"]),
    # "\ud800" is valid JSON syntax but no Unicode character: `list` and `render` crash encoding it as UTF-8
    "lone-surrogate.geojson": (DATA_ERROR, ["…"]),
    "empty-title.geojson": (DATA_ERROR, [f"{AUS_RAA}: title: is empty"]),
    "lowercase-parties.geojson": (DATA_ERROR, [
        f"{AUS_RAA}: parties: must be an array of ids (ISO 3166-1 alpha-3 or short upper-case codes)"
    ]),
    "javascript-url.geojson": (DATA_ERROR, [
        f"{AUS_RAA}: sources[0].url: only http:// and https:// URLs are allowed, got 'javascript:alert(1)'"
    ]),
    "data-url.geojson": (DATA_ERROR, [
        f"{AUS_RAA}: sources[0].url: only http:// and https:// URLs are allowed, "
        "got 'data:text/html,<script>alert(1)</script>'"
    ]),
    # urlsplit raises ValueError("Invalid IPv6 URL") on an unbalanced bracket
    "malformed-url.geojson": (DATA_ERROR, [f"{AUS_RAA}: sources[0].url: …"]),
    # unknown keys anywhere, with the nearest known one
    "unknown-key-collection.geojson": (DATA_ERROR, ["featurs: unknown key; did you mean features?"]),
    "unknown-key-metadata.geojson": (DATA_ERROR, ["metadata: licence: unknown key; did you mean license?"]),
    "unknown-key-focal.geojson": (DATA_ERROR, ["metadata: focal.anchr: unknown key; did you mean anchor?"]),
    "unknown-key-feature.geojson": (DATA_ERROR, ["feature 0 (AUS): geometri: unknown key; did you mean geometry?"]),
    "unknown-key-partner.geojson": (
        DATA_ERROR, ["feature 0 (AUS): relationshp: unknown key; did you mean relationship?"]),
    "unknown-key-tie.geojson": (DATA_ERROR, [f"{AUS_RAA}: sumary: unknown key; did you mean summary?"]),
    "unknown-key-source.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: sources[0].containr: unknown key; did you mean container?"]),
    "unknown-key-dates.geojson": (DATA_ERROR, [f"{AUS_RAA}: dates.signd: unknown step; did you mean signed?"]),
    "unknown-key-geometry.geojson": (
        DATA_ERROR, ["feature 0 (AUS): geometry.coordinate: unknown key; did you mean coordinates?"]),
    # a key is shown escaped and capped: its newline cannot forge a second problem line
    "newline-in-key.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: 'note\\nx.geojson: feature 9 (XXX): tie X: '…: unknown key; expected one of: …"]),
    "long-key.geojson": (DATA_ERROR, [f"feature 0 (AUS): '{'k' * 40}'…: unknown key; expected one of: …"]),
    # <field>_<lang> is known for translatable fields; a malformed tag or _en is not
    "bad-language-tag.geojson": (DATA_ERROR, [
        "feature 0 (AUS): name_JA: JA is not a language tag; write name_<lang> with a lower-case tag "
        "such as name_ja or name_pt-BR"]),
    "english-translation-key.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: title_en: English is the field itself; write it as title"]),
    # member and party ids: basemap countries or partners of the file, never the focal country
    "unknown-member.geojson": (
        DATA_ERROR, ["feature 0 (QUAD): members: not countries of the basemap nor partners in this file: XYZ"]),
    "focal-as-member.geojson": (
        DATA_ERROR, ["feature 0 (QUAD): members: lists the focal country JPN; leave it out (the members are "
                     "the others)"]),
    "unknown-party.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: parties: not countries of the basemap nor partners in this file: ZZZ"]),
    "focal-as-party.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: parties: lists the focal country JPN; leave it out (the parties are the others)"]),
    "focal-not-in-basemap.geojson": (
        DATA_ERROR, ["metadata: focal.id: 'JPZ' is not a country of the bundled basemap; did you mean JPN?"]),
    # a retroactive entry into force (ANZCERTA) needs the flag and a note, and the flag needs that case
    "retroactive-without-flag.geojson": (
        DATA_ERROR, [f"{AUS_RAA}: dates.in_force: in_force 1983-01-01 is before signed 1983-03-28" + RETRO_HINT]),
    "retroactive-without-note.geojson": (DATA_ERROR, [
        f"{AUS_RAA}: note: missing: a retroactive entry into force needs a note saying from when and why"]),
    "retroactive-in-force-after-signature.geojson": (DATA_ERROR, [
        f"{AUS_RAA}: retroactive: true only for an entry into force dated before the signature; "
        "give both dates, or drop the flag"]),
    "retroactive-not-boolean.geojson": (DATA_ERROR, [f"{AUS_RAA}: retroactive: expected true or false, got string"]),
}


def _line_matches(line: str, expected: str) -> bool:
    if "…" not in expected:
        return line == expected
    pattern = ".*".join(re.escape(part) for part in expected.split("…"))
    return re.fullmatch(pattern, line) is not None  # "." never matches a newline


def _assert_lines(path: Path, problems: tuple[Problem, ...] | list[Problem], expected: list[str]) -> None:
    lines = [str(p) for p in problems]
    prefix = f"{path}: "
    assert all(line.startswith(prefix) for line in lines), lines
    got = [line[len(prefix):] for line in lines]
    assert len(got) == len(expected), got
    for g, e in zip(got, expected, strict=True):
        assert _line_matches(g, e), f"\n got: {g!r}\nwant: {e!r}"
    assert all("\n" not in line and "\r" not in line for line in lines), lines
    assert all(p.file == str(path) for p in problems)


def test_corpus_and_table_agree():
    files = sorted(p.name for p in BAD.iterdir())
    assert files == sorted(CORPUS)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file(name):
    path = BAD / name
    exit_code, expected = CORPUS[name]

    report = validate(path)
    assert report.file == str(path)
    assert report.dataset is None
    assert not report.ok
    assert report.summary() == f"{path}: {len(expected)} problem{'s' * (len(expected) != 1)}"
    _assert_lines(path, report.problems, expected)

    with pytest.raises(ValidationError) as exc:
        load(path)
    assert isinstance(exc.value, DataError)
    assert exc.value.exit_code == exit_code
    assert exc.value.problems == report.problems
    assert str(exc.value) == "\n".join(str(p) for p in report.problems)


# --- documents built in the test from tests/data/minimal.geojson


def minimal_doc() -> dict:
    return json.loads((DATA / "minimal.geojson").read_text(encoding="utf-8"))


MINIMAL = minimal_doc()


def props(doc: dict, pid: str) -> dict:
    return next(f["properties"] for f in doc["features"] if f["properties"]["id"] == pid)


def tie_of(doc: dict, tie_id: str) -> dict:
    return next(t for f in doc["features"] for t in f["properties"]["ties"] if t["id"] == tie_id)


def problem_lines(doc) -> list[str]:
    dataset, problems = check_document(doc, "x.geojson")
    assert (dataset is None) == bool(problems)
    return [str(p) for p in problems]


def test_minimal_document_is_valid(minimal):
    dataset, problems = check_document(minimal_doc(), str(DATA / "minimal.geojson"))
    assert problems == []
    assert dataset == minimal


def test_every_problem_at_once(tmp_path):
    doc = minimal_doc()
    tie_of(doc, "AUS-RAA")["category"] = "military"
    props(doc, "USA")["anchor"] = [-257.04, 38.9]
    tie_of(doc, "GBR-ACSA")["sources"][0]["url"] = "javascript:alert(1)"
    path = tmp_path / "three.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    expected = [
        f"feature 0 (AUS): tie AUS-RAA: category: unknown value 'military'; expected one of: {CATEGORIES}",
        f"feature 1 (USA): anchor: [-257.04, 38.9] {WGS84}",
        "feature 2 (GBR): tie GBR-ACSA: sources[0].url: only http:// and https:// URLs are allowed, "
        "got 'javascript:alert(1)'",
    ]
    report = validate(path)
    assert report.summary() == f"{path}: 3 problems"
    _assert_lines(path, report.problems, expected)
    with pytest.raises(ValidationError) as exc:
        load(path)
    _assert_lines(path, exc.value.problems, expected)


def test_several_problems_in_one_tie_are_all_reported():
    doc = minimal_doc()
    tie_of(doc, "QUAD-OLD").update(title="", type="treaty", dates={"held": "2008-02", "ended": "2007-05"})
    assert problem_lines(doc) == [
        "x.geojson: feature 3 (QUAD): tie QUAD-OLD: title: is empty",
        f"x.geojson: feature 3 (QUAD): tie QUAD-OLD: type: unknown value 'treaty'; expected one of: "
        f"{', '.join(TieType.values())}",
        "x.geojson: feature 3 (QUAD): tie QUAD-OLD: dates.ended: ended 2007-05 is before held 2008-02",
    ]


def test_clockwise_rings_and_utf8_bom_load_fine(tmp_path):
    doc = minimal_doc()
    aus = next(f for f in doc["features"] if f["properties"]["id"] == "AUS")
    ring = aus["geometry"]["coordinates"][0]
    aus["geometry"]["coordinates"][0] = ring[::-1]  # exterior clockwise
    gbr = next(f for f in doc["features"] if f["properties"]["id"] == "GBR")
    hole = [[-3.0, 52.0], [-1.0, 52.0], [-1.0, 54.0], [-3.0, 54.0], [-3.0, 52.0]]  # counter-clockwise hole
    gbr["geometry"]["coordinates"].append(hole)
    quad = next(f for f in doc["features"] if f["properties"]["id"] == "QUAD")
    for polygon in quad["geometry"]["coordinates"]:
        polygon[0] = polygon[0][::-1]
    assert not Polygon(aus["geometry"]["coordinates"][0]).exterior.is_ccw

    path = tmp_path / "clockwise.geojson"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    report = validate(path)
    assert report.problems == ()
    assert report.summary() == "4 partners, 8 ties, valid"

    data = load(path)
    aus_geom = data.partner("AUS").geometry
    assert isinstance(aus_geom, Polygon)
    assert aus_geom.exterior.is_ccw
    assert aus_geom.area == pytest.approx(41 * 28)
    gbr_geom = data.partner("GBR").geometry
    assert gbr_geom.exterior.is_ccw
    assert [r.is_ccw for r in gbr_geom.interiors] == [False]
    assert gbr_geom.area == pytest.approx(8 * 8.5 - 4)
    quad_geom = data.partner("QUAD").geometry
    assert isinstance(quad_geom, MultiPolygon)
    assert [p.exterior.is_ccw for p in quad_geom.geoms] == [True, True, True]
    assert data.focal.name_ja == "日本"


def test_stored_status_may_be_a_later_step_with_no_date():
    doc = minimal_doc()
    tie_of(doc, "GBR-ACSA")["dates"] = {"signed": "2017-01-26"}  # in force, date unverified
    assert problem_lines(doc) == []


def test_stored_status_cannot_skip_an_end():
    doc = minimal_doc()
    tie_of(doc, "USA-TREATY")["dates"] = {"signed": "1960-01-19", "ended": "2010"}
    assert problem_lines(doc) == [
        "x.geojson: feature 1 (USA): tie USA-TREATY: status: in_force contradicts the dates: "
        "the latest dated step is ended (2010)",
    ]


def test_dates_of_different_precision_are_consistent():
    doc = minimal_doc()
    tie_of(doc, "GBR-RAA")["dates"] = {"signed": "2023-01-11", "in_force": "2023-01"}
    tie_of(doc, "USA-AUTO")["dates"] = {"announced": "2025-03-26", "in_force": "2025"}  # 2025 vs as_of 2025-11-30
    assert problem_lines(doc) == []
    dataset, _ = check_document(doc, "x.geojson")
    assert dataset.partner("USA").ties[1].status is Status.IN_FORCE


def test_same_day_signed_and_in_force_may_be_stored_as_in_force():
    doc = minimal_doc()
    tie_of(doc, "AUS-EPA")["dates"] = {"signed": "2015-01-15", "in_force": "2015-01-15"}
    assert problem_lines(doc) == []


def test_parties_listing_an_id_twice():
    doc = minimal_doc()
    tie_of(doc, "QUAD-SUMMIT")["parties"] = ["USA", "AUS", "USA"]
    assert problem_lines(doc) == ["x.geojson: feature 3 (QUAD): tie QUAD-SUMMIT: parties: lists an id twice"]


def test_positions_with_altitude_are_accepted():
    doc = minimal_doc()
    props(doc, "AUS")["anchor"] = [149.13, -35.28, 580.0]
    assert problem_lines(doc) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([True, -35.28], "coordinates must be finite numbers, got boolean True"),
        ([149.13], "a position must be [lon, lat], got array of length 1"),
        ([149.13, -35.28, 0.0, 1.0], "a position must be [lon, lat], got array of length 4"),
        ("149.13,-35.28", "a position must be [lon, lat], got string"),
    ],
)
def test_bad_anchor_values(value, message):
    doc = minimal_doc()
    props(doc, "AUS")["anchor"] = value
    assert problem_lines(doc) == [f"x.geojson: feature 0 (AUS): anchor: {message}"]


# --- hostile JSON: check_document only ever returns problems

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
collection_like = st.fixed_dictionaries(
    {"type": st.just("FeatureCollection")},
    optional={
        "partnermap": st.just(1) | json_values,
        "metadata": st.just(MINIMAL["metadata"]) | json_values,
        "features": st.lists(st.sampled_from(MINIMAL["features"]) | json_values, max_size=3),
    },
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(MINIMAL) if p]
KEY_PATHS = [p for p in PATHS if isinstance(p[-1], str)]


def _check_returns_problems(doc) -> None:
    dataset, problems = check_document(doc, "x")
    assert (dataset is None) == bool(problems)
    for p in problems:
        assert isinstance(p, Problem)
        assert p.file == "x"
        assert str(p).startswith("x: ")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values | collection_like)
def test_check_document_never_raises_on_arbitrary_json(doc):
    _check_returns_problems(doc)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_values)
def test_check_document_never_raises_on_a_mutated_minimal_file(path, value):
    doc = copy.deepcopy(MINIMAL)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    _check_returns_problems(doc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KEY_PATHS))
def test_check_document_never_raises_when_a_member_is_removed(path):
    doc = copy.deepcopy(MINIMAL)
    target = doc
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    _check_returns_problems(doc)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_through_every_command_keeps_previous_output(name, tmp_path):
    """Each corpus file: exit code, one line per problem naming the file, no traceback, old map untouched."""
    from click.testing import CliRunner

    from partnermap.cli import main

    path = BAD / name
    exit_code, expected = CORPUS[name]
    out = tmp_path / "map.html"
    out.write_bytes(b"previous map \x00 bytes")
    runner = CliRunner()
    for args in (["validate", str(path)], ["render", str(path), "-o", str(out)], ["list", str(path)],
                 ["sources", str(path)]):
        result = runner.invoke(main, args)
        assert result.exit_code == exit_code, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        lines = result.stderr.splitlines()
        assert len(lines) == len(expected), lines
        assert all(line.startswith(f"{path}: ") for line in lines)
        assert "Traceback" not in result.output
        assert result.stdout == ""
    assert out.read_bytes() == b"previous map \x00 bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]


# --- territories, anchors and warnings from codes (territory.py)


def test_anzcerta_dates_validate_with_the_retroactive_flag_and_not_without():
    doc = minimal_doc()
    tie = tie_of(doc, "AUS-EPA")
    tie["dates"] = {"signed": "1983-03-28", "in_force": "1983-01-01"}  # in force retroactively from 1 January
    assert problem_lines(doc) == [
        "x.geojson: feature 0 (AUS): tie AUS-EPA: dates.in_force: in_force 1983-01-01 is before signed 1983-03-28"
        + RETRO_HINT]
    tie.update(retroactive=True, note="Applied retroactively from 1 January 1983.")
    assert problem_lines(doc) == []
    dataset, _ = check_document(doc, "x.geojson")
    stored = dataset.partner("AUS").ties[1]
    assert stored.retroactive and str(stored.date(Status.IN_FORCE)) == "1983-01-01"  # never a bent date


def test_anchors_default_to_capitals_and_a_groups_first_member():
    doc = minimal_doc()
    for pid in ("AUS", "QUAD"):
        del props(doc, pid)["anchor"]
    props(doc, "USA")["anchor"] = None  # null is "not given" too
    del doc["metadata"]["focal"]["anchor"]
    dataset, problems = check_document(doc, "x.geojson")
    assert problems == []
    assert dataset.partner("AUS").anchor == (149.13, -35.28) and dataset.partner("AUS").anchor_derived
    assert dataset.partner("USA").anchor == (-77.04, 38.9)
    assert dataset.partner("QUAD").anchor == (-77.04, 38.9)  # members: USA first
    assert not dataset.partner("GBR").anchor_derived
    assert dataset.focal.anchor == (139.69, 35.69) and dataset.focal.anchor_derived


def test_chinas_polygon_pasted_into_japan_is_one_warning_line_and_exit_0(tmp_path, runner):
    from shapely.geometry import mapping

    from partnermap.basemap import shapes
    from partnermap.cli import main
    from partnermap.errors import PartnermapWarning

    doc = json.loads((DATA / "australia.geojson").read_text(encoding="utf-8"))
    japan = next(f for f in doc["features"] if f["properties"]["id"] == "JPN")
    japan["geometry"] = json.loads(json.dumps(mapping(shapes()["CHN"])))
    path = tmp_path / "pasted.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    line = (f"{path}: feature 4 (JPN): geometry: far from JPN's shape on the basemap (overlap 0.00, warned below "
            "0.10): another country's polygon? Leave geometry out to draw JPN from the basemap")
    report = validate(path)
    assert report.ok and [str(w) for w in report.warnings] == [line]
    with pytest.warns(PartnermapWarning, match="far from JPN's shape"):
        load(path)
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"Warning: {line}"]
    assert result.stdout.startswith("9 partners, 22 ties, valid")


def test_every_whole_file_problem_at_once():
    doc = minimal_doc()
    props(doc, "QUAD")["members"] = ["USA", "JPN", "ATL"]
    tie_of(doc, "USA-TREATY")["parties"] = ["ZZZ"]
    doc["features"][1]["geometry"] = None
    props(doc, "USA")["id"] = "USX"
    for t in props(doc, "USX")["ties"]:
        t["id"] = t["id"].replace("USA", "USX")
    assert problem_lines(doc) == [
        "x.geojson: feature 1 (USX): tie USX-TREATY: parties: not countries of the basemap nor partners in this "
        "file: ZZZ",
        "x.geojson: feature 1 (USX): geometry: missing, and USX is not a country of the bundled basemap, so no "
        "territory can be derived from it; give a Polygon or MultiPolygon",
        "x.geojson: feature 3 (QUAD): members: not countries of the basemap nor partners in this file: ATL",
        "x.geojson: feature 3 (QUAD): members: lists the focal country JPN; leave it out (the members are the others)",
    ]
