"""The text policy (``text.py``): one hostile corpus through every function, each checked the way
the output's own reader would see it (a JSON parser, a Markdown renderer, a BibTeX parser, a CSV
reader, an XML parser, matplotlib, a terminal)."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostile import CORPUS, TEXT
from partnermap import text

XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@pytest.mark.parametrize("value", CORPUS)
def test_script_json_reads_back_and_never_leaves_the_script(value):
    out = text.script_json({"v": value})
    assert json.loads(out) == {"v": value}
    assert not re.search(r"[<>&\u2028\u2029]", out)


@pytest.mark.parametrize("value", CORPUS)
def test_html_attr_is_one_attribute_value(value):
    out = text.html_attr(value)
    assert not re.search(r"[<>\"']", out)
    assert html_lib.unescape(out) == value


@pytest.mark.parametrize("value", CORPUS)
def test_markdown_renders_as_the_text_and_nothing_else(value):
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render("- " + text.markdown(value) + "\n")
    assert re.fullmatch(r"<ul>\n<li>(.*)</li>\n</ul>\n", rendered, re.S), rendered  # no tag of the data's own
    inner = re.fullmatch(r"<ul>\n<li>(.*)</li>\n</ul>\n", rendered, re.S).group(1)
    assert "<" not in html_lib.unescape(inner) or "<" in value  # a < shown is the data's own, as text
    assert html_lib.unescape(inner).strip() == text.xml(" ".join(value.split()))


@pytest.mark.parametrize("url", ["https://example.org/a_(b)?q=1&r=[2]#x", "https://ja.example.org/日本"])
def test_markdown_url_is_one_autolink(url):
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(text.markdown_url(url))
    links = re.findall(r'<a href="([^"]*)">', rendered)
    assert len(links) == 1 and links[0].startswith("https://")


@pytest.mark.parametrize("value", CORPUS)
def test_bibtex_field_is_one_field_of_one_entry(value):
    import bibtexparser

    source = f"@misc{{key,\n  title = {{{text.bibtex(value) or 'x'}}},\n  note = {{end}}\n}}\n"
    library = bibtexparser.parse_string(source)
    assert len(library.entries) == 1 and not library.failed_blocks and not library.preambles
    assert set(library.entries[0].fields_dict) == {"title", "note"}
    assert library.entries[0].fields_dict["note"].value == "end"


def test_bibtex_url_cannot_end_its_field():
    import bibtexparser

    url = 'https://x.org/a}\n@preamble{"\\input{x}"}'
    library = bibtexparser.parse_string(f"@misc{{k,\n  url = {{{text.bibtex_url(url)}}}\n}}\n")
    assert len(library.entries) == 1 and not library.preambles
    assert "\n" not in library.entries[0].fields_dict["url"].value


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(TEXT, min_size=1, max_size=4), min_size=1, max_size=4))
def test_csv_reads_back_to_the_same_rows_with_no_formula(rows):
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = text.csv_text(rows)
    parsed = list(csv.reader(io.StringIO(out, newline="")))
    assert [[text.csv_value(c) for c in row] for row in parsed] == rows
    for row in parsed:
        for cell in row:
            assert not cell.startswith(text.FORMULA_START) or re.fullmatch(r"-\d+(\.\d+)?", cell, re.ASCII)
    # no bare CR or LF outside quotes: every record ends with CRLF and the line count matches
    assert out.endswith("\r\n")


@pytest.mark.parametrize("value", CORPUS)
def test_csv_cell_defuses_formula_starts_reversibly(value):
    cell = text.csv_cell(value)
    assert not cell.startswith(text.FORMULA_START) or re.fullmatch(r"-\d+", cell)
    assert text.csv_value(cell) == value


@pytest.mark.parametrize("value", ["-77.04", "-12"])
def test_plain_numbers_stay_numbers(value):
    """A negative longitude is a number to a spreadsheet, not a formula: no apostrophe before it."""
    assert text.csv_cell(value) == value and text.csv_value(value) == value


@pytest.mark.parametrize("value", CORPUS)
def test_xml_text_is_well_formed_and_visible(value):
    out = text.xml(value)
    ET.fromstring(f"<t>{html_lib.escape(out)}</t>")
    assert not XML_BAD.search(out)
    if XML_BAD.search(value):
        assert text.MARK in out  # the reader sees that something was there


@pytest.mark.parametrize("value", CORPUS)
def test_terminal_text_holds_no_control_or_bidi_character(value):
    out = text.terminal(value)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]", out)
    assert text.terminal(value, keep_newlines=True).count("\n") == value.count("\n")


@pytest.mark.filterwarnings("ignore:Glyph")  # no CJK font needed: the text, not its glyphs, is checked
@pytest.mark.parametrize("value", CORPUS)
def test_mpl_text_is_one_short_line_matplotlib_draws_literally(value):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    out = text.mpl(value)
    assert "\n" not in out and len(out) <= text.MAX_DRAWN and not XML_BAD.search(out)
    fig = Figure(figsize=(2, 1))
    t = fig.text(0, 0, out, parse_math=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")  # never a mathtext error, the SVG stays XML
    ET.fromstring(buf.getvalue())
    assert t.get_text() == out  # "$" drawn as "$"


def test_dollars_are_drawn_not_typeset():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 1))
    fig.text(0, 0.5, text.mpl("US$5 bn … US$6 bn"), parse_math=False, gid="t")
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    svg = buf.getvalue().decode()
    assert "US$5 bn … US$6 bn" in svg  # the text, not two typeset math runs


def test_clip_cuts_long_text_with_an_ellipsis():
    assert text.clip("x" * 10, 5) == "xxxx…"
    assert text.clip("short", 5) == "short"


@pytest.mark.parametrize("url,ok", [
    ("https://www.mofa.go.jp/a/b.html", True), ("http://x.org/?q=a%20b", True),
    ("https://x.org/a\nb", False), ("https://x.org/{x}", False), ("https://x.org/<a>", False),
    ("https://x.org/a b", False), ("https://x.org/`", False), ('https://x.org/"', False),
    ("javascript:alert(1)", False), ("https://", False), ("https://x.org/\\", False),
])
def test_safe_url(url, ok):
    assert text.safe_url(url) is ok


def test_page_json_is_compact_and_writes_what_orjson_refuses():
    assert text.page_json({"a": [1, "x<é"], "b": None}) == '{"a":[1,"x<é"],"b":null}'.encode()
    assert json.loads(text.page_json({"n": 2**70})) == {"n": 2**70}  # over 64 bits: json writes it
    assert text.page_json("\ud800") == b'"\\ud800"'  # a lone surrogate: an escape, as the browser reads it
