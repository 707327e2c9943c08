"""Hostile text from the data file (and from --title/--subtitle) stays text.

One partner file is generated from tests/data/minimal.geojson in which every
string that comes from data carries script-injection payloads and fragile
text. It is rendered through the API and through the CLI (en and ja), opened
in headless Chromium with the network blocked, and every territory, link and
group is hovered and clicked, every ``<details>`` expanded and every overlay
toggled. Nothing may run, no dialog may open, no error may be logged, no
request may be made, and every string must show literally where it belongs.

The Python side checks the embedding itself: the page has exactly the
``</script>`` tags we put there, ``script_json`` round-trips any string, and
text the validator accepts never crashes a later step.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnermap import PartnermapError, build_map, load, save_map, validate
from partnermap.cli import main
from partnermap.render import embed_snippet, to_html
from partnermap.text import page_json, script_json

DATA = Path(__file__).parent / "data"

# Each would set window.__pwned if it were ever interpreted as markup or script.
PAYLOADS = (
    "<script>window.__pwned=1</script>",
    "</script><script>window.__pwned=2</script>",
    '<img src=x onerror="window.__pwned=3">',
    '"><svg onload="window.__pwned=4">',
    "' onmouseover='window.__pwned=5",
    "`${window.__pwned=6}`",
)
# Harmless text that naive escaping mangles; it must show exactly as written.
FRAGILE = (
    "C:\\docs\\20190221",          # backslashes: folium #1907 blanks the page
    "Côte d'Ivoire",
    '$100 & "quotes"',
    "🇯🇵🤝🏽 👩‍💻",                   # flags, skin tone, ZWJ sequence
    "مرحبا بالعالم שלום \u202eevil\u202c",  # right-to-left text and an RLO override
    "line\u2028separator",
    "paragraph\u2029separator",
)
JS_URL = "javascript:window.__pwned=7"
# Accepted by the validator (https, a host, nothing read differently) but built to break out of an
# attribute or a script if a writer forgot to escape it: must stay a plain https link.
HOSTILE_URL = "https://example.org/a?q=%22%3E%3Csvg%20onload=%22window.__pwned=4%22%3E&r='onmouseover='window.__pwned=5#$(6)"
# Refused: what a browser or BibTeX reads differently from what is written (text.safe_url)
UNSAFE_URLS = ("https://example.org/a?q=\"><svg onload=\"x\">", "https://example.org/a b",
               "https://example.org/}\n@preamble{\"\\input{/etc/passwd}\"}", "https://example.org/`x`",
               "https://example.org/\\x", "https://example.org/a\n")


def hostile(tag: str) -> str:
    """Every payload and every fragile string, tagged so each field's text is distinct."""
    return f"«{tag}» " + " ".join(PAYLOADS + FRAGILE)


def hostile_doc() -> dict:
    """tests/data/minimal.geojson with hostile text in every string field that comes from data."""
    doc = json.loads((DATA / "minimal.geojson").read_text(encoding="utf-8"))
    meta = doc["metadata"]
    for key in ("title", "description", "license"):
        meta[key] = hostile(f"dataset.{key}")
    meta["focal"]["name"] = hostile("focal.name")
    meta["focal"]["name_ja"] = hostile("focal.name_ja")
    for feature in doc["features"]:
        props = feature["properties"]
        pid = props["id"]
        props["name"] = hostile(f"{pid}.name")
        props["name_ja"] = hostile(f"{pid}.name_ja")
        for tie in props["ties"]:
            tid = tie["id"]
            tie["title"] = hostile(f"{tid}.title")
            tie["summary"] = hostile(f"{tid}.summary") + "\nsecond line of the summary"
            tie["note"] = hostile(f"{tid}.note")
            for i, src in enumerate(tie["sources"]):
                for key in ("title", "publisher", "author", "container"):
                    src[key] = hostile(f"{tid}.sources[{i}].{key}")
                # a locator is shown as text, never as a link, whatever it looks like
                src["locator"] = hostile(f"{tid}.sources[{i}].locator") + " " + JS_URL
                src["url"] = HOSTILE_URL
    return doc


def write_doc(doc: dict, path: Path) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def props_of(doc: dict, pid: str) -> dict:
    return next(f["properties"] for f in doc["features"] if f["properties"]["id"] == pid)


def popup_texts(doc: dict, pid: str, lang: str) -> list[str]:
    """Everything a partner's popup must show literally (sources once expanded)."""
    props = props_of(doc, pid)
    out = [props["name_ja"] if lang == "ja" else props["name"]]
    for tie in props["ties"]:
        out += [tie["title"], tie["summary"], tie["note"]]
        for src in tie["sources"]:
            out += [src[k] for k in ("title", "publisher", "author", "container", "locator")]
    return out


API_TITLE = hostile("api.title")
API_SUBTITLE = hostile("api.subtitle")
CLI_TITLE = hostile("cli.title")
CLI_SUBTITLE = hostile("cli.subtitle")


@pytest.fixture(scope="module")
def hostile_path(tmp_path_factory) -> Path:
    return write_doc(hostile_doc(), tmp_path_factory.mktemp("hostile") / "hostile.geojson")


@pytest.fixture(scope="module")
def hostile_map(hostile_path):
    return build_map(load(hostile_path), title=API_TITLE, subtitle=API_SUBTITLE)


@pytest.fixture(scope="module")
def hostile_html(hostile_map) -> str:
    return to_html(hostile_map)


# ---------------------------------------------------------------- validator


BAD_URLS = (
    JS_URL,
    " JaVaScRiPt:window.__pwned=7",
    "JAVASCRIPT:window.__pwned=7",
    "\tjavascript:window.__pwned=7\n",
    "java\tscript:window.__pwned=7",        # browsers drop tabs inside a URL
    "javascript:\nwindow.__pwned=7",
    "\x00javascript:window.__pwned=7",      # browsers strip leading C0 controls
    "javascript://example.org/%0Awindow.__pwned=7",
    "data:text/html,<script>window.__pwned=7</script>",
    " DaTa:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD03PC9zY3JpcHQ+",
    "vbscript:msgbox(7)",
    "  VBScript:msgbox(7)",
    "https:javascript:window.__pwned=7",    # http(s) scheme but no host
)


@pytest.mark.parametrize("url", UNSAFE_URLS, ids=[repr(u) for u in UNSAFE_URLS])
def test_validator_refuses_urls_read_differently_with_one_line(tmp_path, url):
    doc = json.loads((DATA / "minimal.geojson").read_text(encoding="utf-8"))
    props_of(doc, "AUS")["ties"][0]["sources"][0]["url"] = url
    report = validate(write_doc(doc, tmp_path / "bad-url.geojson"))
    (problem,) = report.problems
    line = str(problem)
    assert "\n" not in line and "sources[0].url: holds " in line and "percent-encode" in line


@pytest.mark.parametrize("url", BAD_URLS, ids=[repr(u) for u in BAD_URLS])
def test_validator_refuses_script_urls_with_one_exact_line(tmp_path, runner, url):
    doc = json.loads((DATA / "minimal.geojson").read_text(encoding="utf-8"))
    props_of(doc, "AUS")["ties"][0]["sources"][0]["url"] = url
    path = write_doc(doc, tmp_path / "bad-url.geojson")
    expected = (f"{path}: feature 0 (AUS): tie AUS-RAA: sources[0].url: "
                f"only http:// and https:// URLs are allowed, got {url[:80]!r}")
    report = validate(path)
    assert [str(p) for p in report.problems] == [expected]
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stderr == expected + "\n"
    result = runner.invoke(main, ["render", str(path), "-o", str(tmp_path / "out.html")])
    assert result.exit_code == 1
    assert result.stderr == expected + "\n"
    assert not (tmp_path / "out.html").exists()


def test_hostile_text_is_valid_data(hostile_path):
    """Markup in text is not a data error: it is text, and the map must show it as text."""
    report = validate(hostile_path)
    assert report.problems == ()
    assert report.summary() == "4 partners, 8 ties, valid"


# ---------------------------------------------------------------- the HTML document


def _script_tags(text: str) -> tuple[int, int]:
    return len(re.findall(r"<script\b", text, re.I)), len(re.findall(r"</script", text, re.I))


def test_rendered_html_has_only_our_own_script_tags(minimal, hostile_html):
    opened, closed = _script_tags(to_html(build_map(minimal)))
    assert opened == closed
    assert _script_tags(hostile_html) == (opened, closed)
    # "<!--" inside a script would let a later "<script" swallow the real closing tag
    assert "<!--" not in hostile_html
    for p in PAYLOADS[:4]:
        assert p not in hostile_html
    for body in re.findall(r"<script\b[^>]*>(.*?)</script", hostile_html, re.I | re.S):
        assert "\u2028" not in body and "\u2029" not in body  # line terminators in old JS engines
    assert f"<title>{html.escape(API_TITLE, quote=True)}</title>" in hostile_html


def test_embedded_payload_parses_back_to_exactly_the_data(hostile_map, hostile_html):
    start = hostile_html.index("partnermap.draw(")
    args = hostile_html[start + len("partnermap.draw("):]
    data, _ = json.JSONDecoder().raw_decode(args[args.index(",") + 1:].lstrip())
    meant = hostile_map._children["partnermap_network"].data  # what build_map meant to embed, as JSON
    assert data == json.loads(page_json(meant))
    assert data["meta"]["title"] == API_TITLE
    assert data["meta"]["subtitle"] == API_SUBTITLE
    names = {p["id"]: p["name"] for p in data["partners"]} | {g["id"]: g["name"] for g in data["groups"]}
    assert names == {pid: hostile(f"{pid}.name") for pid in ("AUS", "USA", "GBR", "QUAD")}
    assert data["meta"]["credit"].startswith(hostile("dataset.title") + " · ")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _parse(markup: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    return parser.tags


def test_embed_snippet_keeps_hostile_titles_inside_one_attribute(hostile_map, runner, tmp_path):
    out = save_map(hostile_map, tmp_path / "map.html")
    for snippet, title in ((embed_snippet(out), API_TITLE),  # the default: the map's own <title>
                           (runner.invoke(main, ["embed", str(out), "--title", CLI_TITLE]).stdout.strip(), CLI_TITLE)):
        [(tag, attrs)] = _parse(snippet)
        assert tag == "iframe"
        assert attrs["title"] == title
        assert attrs["src"] == "map.html"
        assert not [a for a in attrs if a.startswith("on")]


def test_embed_snippet_src_never_becomes_a_script_url(hostile_map, tmp_path):
    """A file name is a relative URL: "javascript:…" must not become the iframe's scheme."""
    out = save_map(hostile_map, tmp_path / "javascript:window.__pwned=9")
    [(_, attrs)] = _parse(embed_snippet(out))
    resolved = urljoin("https://example.org/briefings/", attrs["src"])
    assert urlsplit(resolved).scheme == "https", f"iframe src {attrs['src']!r} resolves to {resolved!r}"


# script_json must survive anything: the dangerous fragments, any code point
# (lone surrogates included: json round-trips them as Python str) and nesting.
FRAGMENTS = st.sampled_from([
    "</script>", "</SCRIPT ", "<script>", "<!--", "-->", "<\\/", "]]>", "\u2028", "\u2029", "\\", "\\u003c",
    "&", "&lt;", ">", '"', "'", "`", "${", "\x00", "\n", "\r", "\ud800", "\udfff", "😀",
])
ANY_CHAR = st.one_of(st.characters(), st.characters(categories=["Cs"]))
TEXTS = st.lists(st.one_of(FRAGMENTS, ANY_CHAR), max_size=40).map("".join)
VALUES = st.recursive(
    st.one_of(TEXTS, st.integers(), st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXTS, inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_script_json_round_trips_and_never_closes_the_script(value):
    out = script_json(value)
    assert json.loads(out) == value
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in out


SCRIPT_JSON_SAMPLES = [
    "</script><script>window.__pwned=8</script>", "<!--<script>", "</SCRIPT>", "<\\/script>", "\\", "C:\\docs\\2019",
    "\u2028\u2029", "`${window.__pwned=8}`", "&amp;", "\x00\x1f", "🇯🇵", "Côte d'Ivoire", "שלום\u202e",
]


@pytest.mark.browser
def test_script_json_means_the_same_to_the_browser(offline_page):
    """Embedded as a JavaScript literal (no JSON.parse), the browser gets back exactly the strings."""
    page = offline_page.page
    page.set_content(f"<!DOCTYPE html><html><head><script>window.__v = {script_json(SCRIPT_JSON_SAMPLES)};"
                     "</script></head><body></body></html>")
    assert page.evaluate("window.__v") == SCRIPT_JSON_SAMPLES
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.scripts.length") == 1
    assert offline_page.errors == []


# ---------------------------------------------------------------- lone surrogates

LONE = "\ud800"


@pytest.fixture
def surrogate_path(tmp_path) -> Path:
    """A partner file with a lone surrogate ("\\ud800" in the JSON) in a name, a title and a source."""
    doc = json.loads((DATA / "minimal.geojson").read_text(encoding="utf-8"))
    aus = props_of(doc, "AUS")
    aus["name"] = f"Austr{LONE}alia"
    aus["ties"][0]["title"] = f"Reciprocal{LONE} Access"
    aus["ties"][0]["sources"][0]["title"] = f"Source{LONE}"
    path = tmp_path / "surrogate.geojson"
    path.write_text(json.dumps(doc), encoding="ascii")  # ensure_ascii: the file holds the escape \ud800
    assert "\\ud800" in path.read_text(encoding="ascii")
    return path


def _surrogate_problem_ok(path: Path, line: str) -> None:
    """One line, naming the file and the offending escape."""
    assert "\n" not in line and line.startswith(f"{path}: ") and "\\ud800" in line, line


def test_lone_surrogate_is_a_problem_line_or_renders(surrogate_path, tmp_path):
    """Either the validator reports it, or every later step copes; never an unexpected exception."""
    report = validate(surrogate_path)
    if report.problems:
        for p in report.problems:
            _surrogate_problem_ok(surrogate_path, str(p))
        with pytest.raises(PartnermapError):
            load(surrogate_path)
        return
    out = tmp_path / "surrogate.html"
    try:
        save_map(build_map(load(surrogate_path)), out)
    except PartnermapError:
        pass
    else:
        assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _crash(result) -> str | None:
    """The exception a CLI run ended with, other than a clean exit; None if none."""
    exc = result.exception
    if exc is None or isinstance(exc, SystemExit):
        return None
    return f"{type(exc).__name__}: {exc}"


SURROGATE_COMMANDS = [
    ["validate"],
    ["render", "-o", "{out}"],
    ["list", "--format", "table"],
    ["list", "--format", "csv"],
    ["list", "--format", "json"],
    ["list", "--format", "geojson"],
    ["sources", "--format", "md"],
    ["sources", "--format", "bibtex"],
    ["sources", "--format", "csl-json"],
]


@pytest.mark.parametrize("command", SURROGATE_COMMANDS, ids=[" ".join(c) for c in SURROGATE_COMMANDS])
def test_lone_surrogate_never_a_traceback_in_the_cli(runner, surrogate_path, tmp_path, command):
    args = [command[0], str(surrogate_path), *(a.format(out=tmp_path / "s.html") for a in command[1:])]
    result = runner.invoke(main, args)
    assert _crash(result) is None, f"partnermap {' '.join(command)} crashed: {_crash(result)}"
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        for line in result.stderr.splitlines():
            _surrogate_problem_ok(surrogate_path, line)
    if command[0] == "render":
        assert (result.exit_code == 0) == (tmp_path / "s.html").exists()


def test_undecodable_title_argument_is_a_usage_error_not_a_traceback(runner, minimal_path, tmp_path):
    """A --title with bytes that are not UTF-8 reaches Python as a lone surrogate (surrogateescape)."""
    out = tmp_path / "t.html"
    result = runner.invoke(main, ["render", str(minimal_path), "-o", str(out), "--title", "Allies \udcff"])
    assert _crash(result) is None, f"render --title crashed: {_crash(result)}"
    assert result.exit_code in (0, 2)


# ---------------------------------------------------------------- in the browser

SCAN_JS = """() => {
  const out = {onAttrs: [], badLinks: [], popupLinks: 0, markup: []};
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.toLowerCase().startsWith('on')) out.onAttrs.push(el.tagName + '[' + a.name + ']');
    }
  }
  for (const a of document.querySelectorAll('a')) {
    if (['javascript:', 'data:', 'vbscript:'].includes(a.protocol)) out.badLinks.push(a.href);
  }
  for (const a of document.querySelectorAll('.leaflet-popup-content a')) {
    if (a.closest('.leaflet-popup').style.opacity !== '0') out.popupLinks += 1;  // not one fading out
    if (!a.hasAttribute('href') || !['http:', 'https:'].includes(a.protocol)) out.badLinks.push(a.href);
  }
  const boxes = '.leaflet-popup-pane, .leaflet-tooltip-pane, .pm-panel, .leaflet-control-layers';
  for (const box of document.querySelectorAll(boxes)) {
    for (const el of box.querySelectorAll('script, img, svg, iframe, object, embed, style, link, base, form')) {
      // our own drawings: legend samples and the full-screen icon (never built from data)
      if (el.matches('svg.pm-swatch') || el.closest('.pm-fullscreen')) continue;
      out.markup.push(el.tagName);
    }
  }
  out.scripts = document.scripts.length;
  out.pwned = typeof window.__pwned === 'undefined' ? null : String(window.__pwned);
  return out;
}"""

TEXTS_JS = "sel => Array.from(document.querySelectorAll(sel), e => e.textContent)"
# a closed tooltip fades out (opacity 0) for 200 ms before Leaflet removes it
OPEN_TOOLTIPS_JS = """() => Array.from(document.querySelectorAll('.leaflet-tooltip'))
  .filter(t => t.style.opacity !== '0' && t.querySelector('.pm-tooltip')).map(t => t.textContent)"""
# what the overlays draw: paths, and the name labels (ignoring labels fading out)
DRAWN_JS = """() => document.querySelectorAll('path').length + ':' + Array.from(
  document.querySelectorAll('.leaflet-tooltip.pm-label')).filter(t => t.style.opacity !== '0').length"""
CLICK_ALL_JS = "(els) => els.forEach(e => e.click())"


class Exercise:
    """Open a hostile map and do everything a reader can do to it, checking as we go."""

    def __init__(self, offline_page, html_path: Path, doc: dict, lang: str, script_count: int):
        self.op, self.doc, self.lang, self.script_count = offline_page, doc, lang, script_count
        self.requests: list[str] = []
        offline_page.page.on("request", lambda r: self.requests.append(r.url))
        self.page = offline_page.open(html_path)
        self.url = Path(html_path).resolve().as_uri()

    def name(self, pid: str) -> str:
        props = props_of(self.doc, pid)
        return props["name_ja"] if self.lang == "ja" else props["name"]

    def focal_name(self) -> str:
        return self.doc["metadata"]["focal"]["name_ja" if self.lang == "ja" else "name"]

    def texts(self, selector: str) -> list[str]:
        return self.page.evaluate(TEXTS_JS, selector)

    def scan(self, where: str) -> None:
        found = self.page.evaluate(SCAN_JS)
        assert found["pwned"] is None, f"payload ran ({where}): window.__pwned = {found['pwned']}"
        assert found["onAttrs"] == [], where
        assert found["badLinks"] == [], where
        assert found["markup"] == [], where
        assert found["scripts"] == self.script_count, where
        assert self.op.dialogs == [], where

    def enable_groups(self) -> None:
        labels = self.texts(".leaflet-control-layers-overlays label")
        groups = [f for f in self.doc["features"] if f["properties"]["kind"] == "group"]
        assert groups
        for feature in groups:
            name = self.name(feature["properties"]["id"])
            matches = [i for i, t in enumerate(labels) if name in t]  # the label shows the name literally
            assert len(matches) == 1, f"layer control labels {labels!r} lack the group name"
            box = self.page.locator(".leaflet-control-layers-overlays input").nth(matches[0])
            assert box.is_checked()  # groupings show by default
            assert any(name in t for t in self.texts(".pm-legend [data-legend]"))
            box.dispatch_event("click")
            assert not box.is_checked()
            assert not any(name in t for t in self.texts(".pm-legend [data-legend]"))
            box.dispatch_event("click")
            assert box.is_checked()

    def toggle_every_overlay(self) -> None:
        boxes = self.page.locator(".leaflet-control-layers-overlays input")
        for i in range(boxes.count()):
            box = boxes.nth(i)
            before, drawn = box.is_checked(), self.page.evaluate(DRAWN_JS)
            box.dispatch_event("click")
            assert box.is_checked() is not before
            assert self.page.evaluate(DRAWN_JS) != drawn, f"overlay {i} changed nothing on the map"
            self.scan(f"overlay {i} toggled")
            box.dispatch_event("click")
            assert box.is_checked() is before
            assert self.page.evaluate(DRAWN_JS) == drawn

    def hover_and_click(self, selector: str) -> int:
        paths = self.page.locator(selector)
        n = paths.count()
        for i in range(n):
            path = paths.nth(i)
            pid = re.search(r"\bpm-partner-(\S+)", path.get_attribute("class")).group(1)
            where = f"{selector} #{i} ({pid})"
            path.dispatch_event("mouseover")
            self.scan(where + " hovered")
            tips = self.page.evaluate(OPEN_TOOLTIPS_JS)
            assert len(tips) == 1, where
            assert self.name(pid) in tips[0], where
            path.dispatch_event("mouseout")
            path.dispatch_event("click")
            popup = self.page.locator(".leaflet-popup-content").last  # the previous one may still be fading out
            popup.wait_for()
            self.page.evaluate(CLICK_ALL_JS, popup.locator("summary").element_handles())
            assert popup.evaluate("p => Array.from(p.querySelectorAll('details')).every(d => d.open)"), where
            self.scan(where + " popup open")
            text = popup.text_content()
            for expected in popup_texts(self.doc, pid, self.lang):
                assert expected in text, f"{where}: popup lacks {expected[:40]!r}"
            assert JS_URL in text  # the locator, as text
            assert self.page.evaluate(SCAN_JS)["popupLinks"] == sum(
                len(t["sources"]) for t in props_of(self.doc, pid)["ties"])
            path.dispatch_event("mouseout")  # a click opens the tooltip too (Leaflet 1.9, for touch)
        return n

    def open_grouping_names(self) -> int:
        names = self.page.locator(".pm-label span[data-grouping]")
        for i in range(names.count()):
            name = names.nth(i)
            gid = name.get_attribute("data-grouping")
            name.dispatch_event("click")
            popup = self.page.locator(".leaflet-popup-content").last
            popup.wait_for()
            self.page.evaluate(CLICK_ALL_JS, popup.locator("summary").element_handles())
            self.scan(f"grouping {gid} popup open")
            text = popup.text_content()
            for expected in popup_texts(self.doc, gid, self.lang):
                assert expected in text, f"{gid}: popup lacks {expected[:40]!r}"
        return names.count()

    def run(self, title: str, subtitle: str | None) -> None:
        page = self.page
        self.scan("loaded")
        assert page.evaluate("document.title") == title
        assert page.locator(".pm-title h1").text_content() == title
        if subtitle is None:  # no filter, no --subtitle: the view line is empty and not shown
            assert page.locator(".pm-subtitle").text_content() == ""
            assert not page.locator(".pm-subtitle").is_visible()
        else:
            assert page.locator(".pm-subtitle").text_content() == subtitle
        assert hostile("dataset.title") in page.locator(".pm-credit").text_content()
        legend = " ".join(self.texts(".pm-legend"))
        assert self.focal_name() in legend
        labels = " ".join(self.texts(".leaflet-tooltip.pm-label"))
        assert self.focal_name() in labels
        for f in self.doc["features"]:
            if f["properties"]["kind"] == "state":
                assert self.name(f["properties"]["id"]) in labels

        self.enable_groups()
        self.toggle_every_overlay()
        assert self.hover_and_click("path.pm-territory") == 3
        # links and grouping outlines lie over partners and take no clicks (issue 10): a grouping
        # opens from its name, and its popup shows the hostile text literally too
        assert page.locator("path.pm-link").count() == 5 and page.locator("path.pm-group").count() == 1
        assert page.locator("path.pm-link.leaflet-interactive, path.pm-group.leaflet-interactive").count() == 0
        assert self.open_grouping_names() == 1

        self.page.evaluate(CLICK_ALL_JS, page.locator(".pm-filter > summary, .pm-table > summary").element_handles())
        assert page.evaluate("() => Array.from(document.querySelectorAll('details')).every(d => d.open)")
        table = page.locator(".pm-table").text_content()
        for f in self.doc["features"]:
            assert self.name(f["properties"]["id"]) in table
            for tie in f["properties"]["ties"]:
                assert tie["title"] in table
        self.scan("all details open")

        assert self.op.errors == []
        assert self.op.blocked == []
        assert self.op.dialogs == []
        # nothing fetched at all, not even a file: URL (an injected <img src=x> would be one)
        assert [u for u in self.requests if not u.startswith("data:")] == [self.url]


@pytest.fixture(scope="module")
def script_count() -> int:
    """How many <script> elements a map of clean data has: a hostile map must have no more."""
    return _script_tags(to_html(build_map(load(DATA / "minimal.geojson"))))[0]


@pytest.mark.browser
def test_api_map_shows_hostile_text_literally_and_runs_nothing(offline_page, hostile_path, tmp_path, script_count):
    out = save_map(build_map(load(hostile_path), title=API_TITLE, subtitle=API_SUBTITLE), tmp_path / "api.html")
    Exercise(offline_page, out, hostile_doc(), "en", script_count).run(API_TITLE, API_SUBTITLE)


@pytest.mark.browser
def test_cli_map_with_hostile_title_and_subtitle(offline_page, runner, hostile_path, tmp_path, script_count):
    out = tmp_path / "cli.html"
    result = runner.invoke(main, ["render", str(hostile_path), "-o", str(out),
                                  "--title", CLI_TITLE, "--subtitle", CLI_SUBTITLE])
    assert result.exit_code == 0, result.output
    Exercise(offline_page, out, hostile_doc(), "en", script_count).run(CLI_TITLE, CLI_SUBTITLE)


@pytest.mark.browser
def test_japanese_map_with_hostile_name_ja(offline_page, runner, hostile_path, tmp_path, script_count):
    out = tmp_path / "ja.html"
    result = runner.invoke(main, ["render", str(hostile_path), "-o", str(out), "--lang", "ja"])
    assert result.exit_code == 0, result.output
    doc = hostile_doc()
    title = doc["metadata"]["title"]  # the default title is the data's own (no title_ja here: English)
    Exercise(offline_page, out, doc, "ja", script_count).run(title, None)


GROUP_KEY_NAMES = ("__proto__", "Security ties", "Partner names")


@pytest.mark.browser
@pytest.mark.parametrize("group_name", GROUP_KEY_NAMES)
def test_group_name_cannot_take_over_the_layer_control(offline_page, tmp_path, group_name):
    """Layer-control entries are keyed by their label in a plain object (controls.js build()).

    A group named "__proto__" must not break the page, and a group named like
    another entry must not replace that entry's checkbox: every overlay keeps
    its own toggle.
    """
    doc = json.loads((DATA / "minimal.geojson").read_text(encoding="utf-8"))
    props_of(doc, "QUAD")["name"] = group_name
    out = save_map(build_map(load(write_doc(doc, tmp_path / "group.geojson"))), tmp_path / "group.html")
    page = offline_page.page
    page.goto(out.resolve().as_uri())  # waits for "load": the map script has run by then
    assert offline_page.errors == []
    assert page.locator("[data-pm-ready]").count() == 1
    labels = [t.strip() for t in page.evaluate(TEXTS_JS, ".leaflet-control-layers-overlays label")]
    assert labels == ["Security ties", "Economic ties", group_name, "Partner names"]
    boxes = page.locator(".leaflet-control-layers-overlays input")
    assert page.locator("path.pm-group").count() == 1
    boxes.nth(0).dispatch_event("click")  # "Security ties" hides the security links, nothing else
    assert page.locator("path.pm-link.pm-cat-security").count() == 0
    assert page.locator("path.pm-group").count() == 1
    boxes.nth(2).dispatch_event("click")  # the group's own entry hides the group
    assert page.locator("path.pm-group").count() == 0


def test_template_syntax_in_data_is_text_not_code(tmp_path, minimal_path):
    """branca compiles macro output as Jinja: data must never reach that path."""
    import json as _json

    from partnermap import build_map, load, to_html

    doc = _json.loads(minimal_path.read_text(encoding="utf-8"))
    tie = doc["features"][0]["properties"]["ties"][0]
    tie["summary"] = "{{ 7*7 }} {{ cycler.__init__.__globals__.os.system('touch PWNED') }}"
    tie["title"] = "unmatched {{ and {% for"
    path = tmp_path / "t.geojson"
    path.write_text(_json.dumps(doc), encoding="utf-8")
    html = to_html(build_map(load(path), title="{{ 6*7 }}"))
    call = html.split("partnermap.draw(", 1)[1]
    data = _json.loads(call.split(", ", 1)[1].rsplit(");", 1)[0])
    ties = data["ties"]
    assert ties["summary"][0] == tie["summary"] and ties["title"][0] == tie["title"]
    assert data["meta"]["title"] == "{{ 6*7 }}"
    assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()
