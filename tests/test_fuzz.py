"""A fuzzer over every output: hostile text in every text field of a valid network, through all of them.

Never a traceback (a ``PartnermapError`` is a clean refusal), always a valid output: the HTML's
payload parses back to exactly the data, the SVG parses as XML, the deck and the workbook reopen,
the CSV parses to the same rows, the BibTeX to the same entries and nothing else, the Markdown
renders with no markup of the data's own, CSL-JSON and GeoJSON read back.

The default run is short (``make test``); ``make fuzz`` (``PARTNERMAP_FUZZ_EXAMPLES=300``) runs longer.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import warnings
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import CORPUS, TEXT
from partnermap import build_map, to_html
from partnermap.checks import check
from partnermap.cite import bibliography, sources_of
from partnermap.dump import dumps
from partnermap.errors import PartnermapError
from partnermap.tables import format_ties, tie_rows
from partnermap.text import csv_cell

DATA = Path(__file__).parent / "data"
EXAMPLES = int(os.environ.get("PARTNERMAP_FUZZ_EXAMPLES", "6"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 10,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

NASTY = CORPUS
TEXT = TEXT.filter(lambda s: s.strip())


def base_doc() -> dict:
    return json.loads((DATA / "minimal.geojson").read_text(encoding="utf-8"))


@st.composite
def hostile_docs(draw) -> dict:
    doc = base_doc()
    doc["metadata"]["title"] = draw(TEXT)
    doc["metadata"]["focal"]["name"] = draw(TEXT)
    for f in doc["features"]:
        p = f["properties"]
        p["name"] = draw(TEXT)
        for t in p["ties"]:
            t["title"] = draw(TEXT)
            t["summary"] = draw(TEXT)
            if draw(st.booleans()):
                t["note"] = draw(TEXT)
            for s in t["sources"]:
                s["title"] = draw(TEXT)
                s["publisher"] = draw(TEXT)
                if draw(st.booleans()):
                    s["locator"] = draw(TEXT)
    return doc


def dataset_of(doc: dict):
    result = check(doc, "fuzz.geojson")
    assert result.dataset is not None, [str(p) for p in result.problems][:3]
    return result.dataset


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _quiet():
    w = warnings.catch_warnings()
    w.__enter__()
    warnings.simplefilter("ignore")
    return w


@FUZZ
@given(hostile_docs())
def test_text_outputs_stay_valid(doc):
    data = dataset_of(doc)
    rows = tie_rows(data)
    # CSV: the same rows back, formulas defused
    parsed = list(csv.reader(io.StringIO(format_ties(data, "csv"), newline="")))
    assert parsed[1:] == [[csv_cell(v) for v in row.values()] for row in rows]
    # JSON and GeoJSON read back
    assert json.loads(format_ties(data, "json")) == rows
    again = check(json.loads(dumps(data)), "again")
    assert again.dataset is not None and again.dataset.ties == data.ties
    assert json.loads(bibliography(data, "csl-json"))
    # BibTeX: exactly one entry per work, no preamble, no string, nothing unparsed
    import bibtexparser

    library = bibtexparser.parse_string(bibliography(data, "bibtex"))
    assert len(library.entries) == len(sources_of(data))
    assert not library.failed_blocks and not library.preambles and not library.strings
    # Markdown rendered as a Markdown library would: no markup of the data's own
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(bibliography(data, "md"))
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ("ul", "li", "em", "a", "p"), tag
        assert set(attrs) <= {"href"} and all(v.startswith(("http://", "https://")) for v in attrs.values())


@FUZZ
@given(hostile_docs())
def test_html_payload_parses_back_exactly(doc):
    data = dataset_of(doc)
    w = _quiet()
    try:
        html = to_html(build_map(data))
    finally:
        w.__exit__(None, None, None)
    call = html.split("partnermap.draw(", 1)[1]
    payload, _end = json.JSONDecoder().raw_decode(call.split(", ", 1)[1])
    assert payload["ties"]["title"] == [t.title for t in data.ties]
    assert re.search(r"<script>window\.__pwned", html) is None


@FUZZ
@given(doc=hostile_docs())
def test_figures_and_decks_stay_valid(doc):
    from pptx import Presentation

    from partnermap.slides import build_deck
    from partnermap.static import build_figure, figure_bytes

    data = dataset_of(doc)
    w = _quiet()
    try:
        fig = build_figure(data, dpi=20)
        svg = figure_bytes(fig, "svg")
        ET.fromstring(svg)  # well-formed XML, whatever the text held
        assert figure_bytes(fig, "png").startswith(b"\x89PNG")
        assert figure_bytes(fig, "pdf").startswith(b"%PDF")
        deck = build_deck(data, dpi=20, dates=["2025"])
    finally:
        w.__exit__(None, None, None)
    prs = Presentation(io.BytesIO(deck))
    assert len(prs.slides) >= 2


@FUZZ
@given(doc=hostile_docs())
def test_workbook_round_trips_or_refuses_cleanly(doc):
    from openpyxl import load_workbook

    from partnermap.sheets import workbook_bytes

    data = dataset_of(doc)
    try:
        book = workbook_bytes(data)
    except PartnermapError:
        return  # text a workbook cannot hold is refused at its cell, in one line
    wb = load_workbook(io.BytesIO(book))
    assert {"partners", "ties", "sources"} <= set(wb.sheetnames)


@FUZZ
@given(headline=TEXT, text=TEXT)
def test_stories_with_hostile_text_build(headline, text):
    import tempfile

    from partnermap.render import build_story
    from partnermap.story import load_story

    folder = Path(tempfile.mkdtemp())
    path = folder / "s.md"
    clean = headline.replace("\n", " ").replace("\r", " ").replace("---", "—")
    body = text.replace("\n---", "\n—")
    path.write_text(f"---\ntitle: T\n---\n\n---\nheadline: {clean}\npartner: USA\n---\n{body}\n", encoding="utf-8")
    try:
        story, dataset, steps = load_story(path)
    except PartnermapError:
        return
    w = _quiet()
    try:
        html = to_html(build_story(story, dataset, steps, pictures=False))
    finally:
        w.__exit__(None, None, None)
    assert "<script>window.__pwned" not in html


def test_the_fuzzer_is_not_vacuous():
    """The corpus does reach the writers: hostile text survives validation into every field."""
    doc = base_doc()
    doc["features"][0]["properties"]["ties"][0]["title"] = NASTY[0]
    data = dataset_of(doc)
    assert data.ties[0].title == NASTY[0]
    with pytest.raises(AssertionError):
        assert "<script>" not in format_ties(data, "json")
