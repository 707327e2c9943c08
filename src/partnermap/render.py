"""Build the interactive ``folium.Map`` and turn it into one HTML document.

Why folium only for the frame: folium's GeoJson popups, tooltips and layer
names insert raw HTML in the browser (a partner name runs as script on hover)
and backslashes in text can blank the page (folium #1907). So folium gives us
the map object (Jupyter display, ``save``, familiar API) and one element of
ours draws everything from a JSON payload with ``textContent`` only.

Offline by default: Leaflet's JS/CSS come from the pinned ``xstatic-leaflet``
package (the same Leaflet 1.9.3 folium 0.20 links) and are inlined, with
folium's unused CDN assets (jQuery, Bootstrap, Font Awesome) dropped.
"""

from __future__ import annotations

import base64
import html
import os
import re
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import folium
from branca.element import Element, Figure, MacroElement

from .errors import UsageError
from .i18n import words
from .model import Dataset
from .payload import payload
from .scenes import scene
from .text import check_text, html_attr, page_json, script_json, script_safe

LEAFLET_VERSION = "1.9.3"
LEAFLET_CDN = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"


@lru_cache(maxsize=1)
def _leaflet_dir() -> Path:
    import xstatic.pkg.leaflet as xl

    if xl.VERSION != LEAFLET_VERSION:  # pragma: no cover - guarded by the pin in pyproject
        raise RuntimeError(f"xstatic-leaflet {xl.VERSION} installed; partnermap needs {LEAFLET_VERSION}")
    return Path(xl.BASE_DIR)


@lru_cache(maxsize=1)
def leaflet_js() -> str:
    return (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's CSS with its images inlined, so nothing is fetched from disk or net."""
    css = (_leaflet_dir() / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        data = (_leaflet_dir() / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


# The map script, in the order the files depend on each other: one classic script, no bundler.
JS_FILES = ("decode.js", "rules.js", "dom.js", "popup.js", "layers.js", "controls.js", "map.js")


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return (resources.files("partnermap") / "assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def map_script() -> str:
    """The map script: ``assets/js/*.js`` concatenated in dependency order (``JS_FILES``)."""
    return "\n".join(_asset(f"js/{name}") for name in JS_FILES)


class RawHTML(Element):
    """Trusted markup of our own, inserted verbatim (not parsed as a Jinja template)."""

    def __init__(self, markup: str):
        super().__init__()
        self.markup = markup

    def render(self, **kwargs) -> str:
        return self.markup


class GuardedScript(Element):
    """The page's map script, run only when Leaflet loaded: a ``--cdn`` page opened offline shows
    its one-line message and logs no error (``L is not defined``)."""

    def render(self, **kwargs) -> str:
        return "if (typeof L !== 'undefined') {\n" + super().render(**kwargs) + "\n}"


class NetworkLayer(MacroElement):
    """Draws the whole partner network from one JSON payload (``payload.py``; the map script ``assets/js/*.js``).

    ``render`` is ours, not branca's macro machinery: branca wraps a macro's
    output in ``Element(text)``, which compiles the text as a Jinja template,
    so ``{{ ... }}`` in a partner name would run as template code.
    """

    def __init__(self, data: dict, story: dict | None = None):
        super().__init__()
        self._name = "PartnerNetwork"
        plain = plain_json(data)
        self.packed = plain is None
        # What the page carries, held as it will be written: the plain JSON (str), or for a big
        # map the packed core and details (base64 bytes), spliced in at writing (``page_pieces``).
        self.held: tuple[str | bytes, ...] = (plain,) if plain is not None else ()
        # The payload as built (tests compare the page with it). A big map lets go of it once
        # packed: at 100,000 ties that is 50 MB less at the peak of writing the page (#15).
        self.data: dict | None = None if self.packed else data
        if self.packed:  # a big map: what drawing needs first, the texts for popups and the table after
            core, details = split_details(data)
            self.held = (pack(core), pack(details))
        self.story = story
        self.marks: tuple[str, ...] | None = None  # set by page_pieces while it renders

    def _text(self, i: int) -> str:
        if self.marks is not None:
            return self.marks[i]
        held = self.held[i]
        return held if isinstance(held, str) else held.decode("ascii")

    def render(self, **kwargs) -> None:
        map_name = self._parent.get_name()
        if self.packed:  # inflated in the browser first (decode.js unpack), then drawn as below
            call = f"partnermap.draw({map_name}, data)"
            if self.story is not None:
                call = f"partnermap.story({call}, {script_json(self.story)})"
            call = (f'partnermap.decode.unpack("{self._text(0)}", function (data) {{ {call}; '
                    f'partnermap.decode.details(partnermap.last, "{self._text(1)}"); }}, {map_name}.getContainer())')
        else:
            call = f"partnermap.draw({map_name}, {self._text(0)})"
            if self.story is not None:
                call = f"partnermap.story({call}, {script_json(self.story)})"
        self.get_root().script.add_child(RawHTML(call + ";"), name=self.get_name())


def page_pieces(m: folium.Map) -> list[str | bytes]:
    """The complete document as pieces to write one after the other: the page around the payloads
    (str) and each payload as held (str, or base64 bytes for a packed one).

    The page is rendered with short marks where the payloads go, so a 100,000-tie map is never
    one 10 MB string, nor copied into the script element, the page and its UTF-8 on the way to
    the disk (40 MB less at the peak of ``render``, #15). ``to_html`` joins the pieces."""
    import secrets

    # A mark no text in the page can forge (a title may hold any character, NUL included): a
    # fresh random word each time. It never reaches the output, which stays byte-stable.
    word = secrets.token_hex(16)
    layers = [c for c in m._children.values() if isinstance(c, NetworkLayer)]
    for k, layer in enumerate(layers):
        layer.marks = tuple(f"pm-{word}-{k}-{i}" for i in range(len(layer.held)))
    try:
        page = m.get_root().render()
    finally:
        for layer in layers:
            layer.marks = None
    parts = re.split(f"pm-{word}-(\\d+)-(\\d+)", page)
    pieces: list[str | bytes] = [parts[0]]
    for j in range(1, len(parts), 3):
        pieces.append(layers[int(parts[j])].held[int(parts[j + 1])])
        pieces.append(parts[j + 2])
    return pieces


# A payload whose JSON is bigger than this goes into the page deflated and base64-encoded
# (a third of the size or less: 100,000 ties are 55 MB of JSON, 10 MB packed), and the
# browser inflates it with DecompressionStream before drawing. Smaller maps stay plain JSON,
# readable in the page source. zlib level 1: four times faster than the default for 10% more
# bytes. The same zlib gives the same bytes (output stays byte-stable on one installation).
PACK_OVER = 2_000_000
PACK_LEVEL = 1


# The ties' texts only popups and the table show: a big map is drawn before they are inflated
# (100,000 ties: 40 of the 55 MB of JSON), so the first paint waits for the small part only.
DETAIL_COLUMNS = ("title", "summary", "note", "dates", "parties", "sources")


def split_details(data: dict) -> tuple[dict, dict]:
    """``(core, details)``: the payload without the ties' texts and the sources, and those apart."""
    ties = data["ties"]
    core = {k: v for k, v in data.items() if k != "sources"}
    core["ties"] = {k: v for k, v in ties.items() if k not in DETAIL_COLUMNS}
    return core, {"ties": {k: ties[k] for k in DETAIL_COLUMNS if k in ties}, "sources": data.get("sources", [])}


def plain_json(data: dict, over: int | None = None) -> str | None:
    """The payload as script-safe JSON, or None when its JSON is bigger than ``over`` bytes
    (``PACK_OVER``): then it is packed (``pack``). Stops writing as soon as it knows."""
    over = PACK_OVER if over is None else over
    head: list[bytes] = []
    size = 0
    for piece in json_pieces(data):
        head.append(piece)
        size += len(piece)
        if size > over:
            return None
    return script_safe(b"".join(head).decode("utf-8"))


def pack(data: dict) -> bytes:
    """The payload deflated and base64-encoded (ASCII bytes; the page puts it in quotes).

    The JSON is written piece by piece (``json_pieces``: the same bytes as one ``page_json``) and
    fed to the compressor as it comes, so a 55 MB document never sits in memory whole."""
    import zlib

    deflate = zlib.compressobj(PACK_LEVEL)
    out = [deflate.compress(piece) for piece in json_pieces(data)]
    out.append(deflate.flush())
    packed = b"".join(out)
    del out
    return base64.b64encode(packed)


PIECE_ITEMS = 5_000  # a long list (a column of 100,000 ties) is written this many items at a time


def json_pieces(value, depth: int = 2):
    """``text.page_json(value)`` as a stream of byte pieces: dicts are opened ``depth`` levels
    down (the payload's sections, then the ties' columns), long lists ``PIECE_ITEMS`` items at a
    time, so no piece is more than a few MB."""
    if depth and isinstance(value, dict):
        yield b"{"
        for i, (key, item) in enumerate(value.items()):
            yield (b"," if i else b"") + page_json(str(key)) + b":"
            yield from json_pieces(item, depth - 1)
        yield b"}"
    elif isinstance(value, list) and len(value) > PIECE_ITEMS:
        for start in range(0, len(value), PIECE_ITEMS):
            text = page_json(value[start:start + PIECE_ITEMS])
            yield (b"[" if start == 0 else b",") + text[1:-1]
        yield b"]"
    else:
        yield page_json(value)


def _head_assets(offline: bool, offline_message: str = "", story: bool = False) -> str:
    css = f"<style>{leaflet_css()}</style>" if offline else f'<link rel="stylesheet" href="{LEAFLET_CDN}/leaflet.css"/>'
    js = f"<script>{leaflet_js()}</script>" if offline else f'<script src="{LEAFLET_CDN}/leaflet.js"></script>'
    if not offline:  # a --cdn page opened with no network: say so instead of a blank page
        js += ("<script>if (typeof L === 'undefined') document.addEventListener('DOMContentLoaded', function () {"
               "var p = document.createElement('p'); p.className = 'pm-offline'; "
               f"p.textContent = {script_json(offline_message)}; "
               "document.body.insertBefore(p, document.body.firstChild);"
               "});</script>")
    own_css, own_js = _asset("partnermap.css"), map_script()
    if story:
        own_css += "\n" + _asset("story.css")
        own_js += "\n" + _asset("js/story.js")
    return f"{css}\n<style>{own_css}</style>\n{js}\n<script>{own_js}</script>"


def _stable_ids(root: Element) -> None:
    """Replace branca's random element ids with sequential ones: same input, same bytes."""
    counter = 0
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        node._id = f"{counter:08x}"
        counter += 1
        children = list(node._children.values())
        if isinstance(node, Figure):
            children = [node.header, node.html, node.script, *children]
        stack.extend(children)


def parse_size(value: str | int | None, name: str) -> int | str:
    """``800``, ``"800px"`` or ``"60%"`` -> what folium takes; default 100%."""
    if value is None:
        return "100%"
    text = str(value).strip().lower()
    match = re.fullmatch(r"(\d{1,5})(px|%)?", text)
    if not match or int(match.group(1)) == 0 or (match.group(2) == "%" and int(match.group(1)) > 100):
        raise UsageError(f"--{name} {value!r}: give pixels (800 or 800px) or a percentage (1% to 100%)")
    return f"{match.group(1)}%" if match.group(2) == "%" else int(match.group(1))


def _plain_attribution(provider, name: str) -> str:
    """The provider's credit as text ("© OpenStreetMap contributors"): its HTML form with the tags
    dropped and entities read, which the map script then puts on the page as text."""
    from html.parser import HTMLParser

    markup = provider.get("html_attribution")
    if not markup:
        return str(provider.get("attribution", name))

    class Text(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    parser = Text()
    parser.feed(str(markup))
    parser.close()
    return " ".join("".join(parser.parts).split())


def tile_layer(name: str) -> dict:
    """An online tile layer by xyzservices name, drawn above the bundled basemap."""
    import xyzservices.providers as providers

    try:
        with warnings.catch_warnings():  # it warns about API keys; we say so ourselves, below
            warnings.simplefilter("ignore")
            provider = providers.query_name(name)
    except ValueError:
        raise UsageError(f"unknown tile provider {name!r}; use an xyzservices name such as "
                         "OpenStreetMap.Mapnik or Esri.WorldImagery") from None
    if provider.requires_token():
        raise UsageError(f"tile provider {name!r} needs an API key; choose one that does not, "
                         "such as OpenStreetMap.Mapnik")
    return {"url": provider.build_url(), "attribution": _plain_attribution(provider, name),
            "maxZoom": provider.get("max_zoom", 18)}


def build_map(
    dataset: Dataset,
    *,
    lang: str = "en",
    theme: str = "light",
    title: str | None = None,
    subtitle: str | None = None,
    offline: bool = True,
    timeline: bool = False,
    width: str | int | None = None,
    height: str | int | None = None,
    controls: bool = True,
    tiles: str | None = None,
) -> folium.Map:
    """A ``folium.Map`` of the (filtered) network; displays inline in Jupyter.

    ``offline=False`` links Leaflet from its CDN instead of inlining it
    (smaller file for the web, blank without network). ``timeline=True`` adds
    a year slider that grows the network up to the view's date.
    ``controls=False`` leaves only the map, title, legend and credit (a clean
    slide). ``tiles`` adds an online tile layer above the bundled basemap,
    which still shows where tiles fail to load.
    """
    sc = scene(dataset, lang=lang, theme=theme, title=title, subtitle=subtitle)
    data = payload(sc, dataset, timeline=timeline, controls=controls)
    if tiles:
        data["tiles"] = tile_layer(tiles)
    return _frame(sc, data, offline=offline, width=width, height=height, controls=controls)


def _frame(sc, data: dict, *, offline: bool, width, height, controls: bool, story: dict | None = None) -> folium.Map:
    """The folium map that carries a payload (and a story's steps): one self-contained document."""
    x0, x1, y0, y1 = sc.extent
    m = folium.Map(location=[(y0 + y1) / 2, (x0 + x1) / 2], zoom_start=2, tiles=None, min_zoom=1, max_zoom=9,
                   width=parse_size(width, "width"), height=parse_size(height, "height"),
                   world_copy_jump=False, control_scale=False, zoom_control=controls,
                   zoom_snap=0.25, zoom_delta=0.5)
    # Folium links jQuery, Bootstrap and Font Awesome from CDNs for its own widgets;
    # we use none of them, and Leaflet itself comes from _head_assets.
    m.default_js = []
    m.default_css = []
    figure = m.get_root()
    if not offline:
        figure.script = GuardedScript()
        figure.script._parent = figure
    figure.title = html_attr(data["meta"]["title"])
    message = words(sc.lang).ui("cdn_offline")
    figure.header.add_child(RawHTML(_head_assets(offline, message, story is not None)), name="partnermap_assets")
    if width is not None or height is not None:
        size = f"{parse_size(width, 'width')}x{parse_size(height, 'height')}"
        figure.header.add_child(RawHTML(f'<meta name="partnermap:size" content="{html_attr(size)}">'),
                                name="partnermap_size")
    m.add_child(NetworkLayer(data, story), name="partnermap_network")
    _stable_ids(figure)
    return m


def to_html(m: folium.Map) -> str:
    """The complete HTML document for a map built by ``build_map`` (``page_pieces``, joined)."""
    return "".join(p if isinstance(p, str) else p.decode("ascii") for p in page_pieces(m))


ASPECT = re.compile(r"(\d{1,3})\s*[:/x]\s*(\d{1,3})")


def _size_of(html_text: str) -> tuple[str | None, str | None]:
    """The width and height a map was rendered at (``render --width/--height``), if fixed."""
    found = re.search(r'<meta name="partnermap:size" content="([^"]*)x([^"]*)"', html_text)
    return (found.group(1), found.group(2)) if found else (None, None)


def _embed_url(url: str | None, path: Path) -> str:
    if url is None:
        # percent-encoded bytes: a file named "javascript:..." stays a relative URL, and a name
        # that is not UTF-8 (bytes from another system) still makes a working address
        return quote(os.fsencode(path.name))
    url = check_text(url, "url").strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url.split("/", 1)[0] else ""
    if scheme not in ("", "http", "https") or re.search(r"[\s<>\"'`\\{}]", url) or url.startswith("//"):
        raise UsageError(f"--url {url[:80]!r}: give an http(s) address or a relative path, without spaces or quotes")
    return url


def embed_snippet(path: str | Path, *, title: str | None = None, url: str | None = None,
                  width: str | int | None = None, height: str | int | None = None,
                  aspect: str | None = None) -> str:
    """An ``<iframe>`` for a rendered map, titled for screen readers (the map's own title by default).

    ``url``: where the map is published (default: its file name, for a page beside it).
    Width and height default to the size the map was rendered at (100% and 600 for a
    responsive map). ``aspect="16:9"`` wraps it in a box that keeps that ratio at any width.
    """
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{p}: no such file; render the map first")
    text = p.read_text(encoding="utf-8", errors="replace")
    if title is None:
        found = re.search(r"<title>(.*?)</title>", text, re.S)
        title = html.unescape(found.group(1)) if found else os.fsencode(p.stem).decode("utf-8", "replace")
    title = check_text(title, "title")
    own_w, own_h = _size_of(text)
    src = _embed_url(url, p)
    if aspect is not None:
        m = ASPECT.fullmatch(str(aspect).strip())
        if not m or not int(m.group(1)) or not int(m.group(2)):
            raise UsageError(f"--aspect {str(aspect)[:20]!r}: give a ratio such as 16:9 or 4:3")
        ratio = f"{int(m.group(1))} / {int(m.group(2))}"
        frame = {"src": src, "title": title, "style": "position:absolute;inset:0;width:100%;height:100%;border:0",
                 "loading": "lazy", "allowfullscreen": ""}
        wrapper = f"position:relative;width:100%;max-width:100%;aspect-ratio:{ratio}"
        return f'<div style="{html_attr(wrapper)}"><iframe {_attrs(frame)}></iframe></div>'
    w = parse_size(width if width is not None else own_w or "100%", "width")
    h = parse_size(height if height is not None else own_h or 600, "height")
    frame = {"src": src, "title": title, "width": w, "height": h, "style": "border:0;max-width:100%",
             "loading": "lazy", "allowfullscreen": ""}
    return f"<iframe {_attrs(frame)}></iframe>"


def _attrs(attrs: dict) -> str:
    return " ".join(f'{k}="{html_attr(str(v))}"' if v != "" else k for k, v in attrs.items())


PRINT_PICTURE = "7.4x5"  # inches: the full width of A4 portrait, beside the text in landscape
PRINT_DPI = 110


def build_story(story, dataset: Dataset, steps: list, *, lang: str = "en", theme: str = "light",
                offline: bool = True, pictures: bool = True) -> folium.Map:
    """The page of a story: the map full-window, a step panel, ←/→ through the steps (``assets/js/story.js``).

    The map carries the whole dataset once; each step is a state of it — the ties its view
    shows, the day, the changes marked, the partners in focus, the extent — which the browser
    applies with the same rules (so each step is what ``scene`` says of it). Each step's cited
    sources come as short lines ("Publisher, date — short title") with their links.
    ``pictures``: a static picture of each step for the print stylesheet (one page per step).
    """
    import dataclasses

    from .cite import short_line
    from .framing import focus_parts, step_figure
    from .payload import payload
    from .rules import day_number
    from .scenes import credit_line, legend_catalog
    from .static import figure_bytes

    base = scene(dataset, lang=lang, theme=theme, title=story.title_in(lang), subtitle="", warn=False,
                 languages=tuple(story.languages()))
    data = payload(base, dataset)
    index = {tie_id: i for i, tie_id in enumerate(data["ties"]["id"])}
    w = words(lang)
    out = []
    for sv in steps:
        shown = [index[t.id] for t in sv.view.ties]
        picture = None
        if pictures:  # printed: the sources are listed under the picture, not in popups
            sc = dataclasses.replace(sv.scene, credit=credit_line(sv.view, w, "credit_listed"))
            png = figure_bytes(step_figure(sc, sv.view, size=PRINT_PICTURE, dpi=PRINT_DPI), "png")
            picture = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        ties = {t.id: t for t in sv.view.ties}
        citations = [[ties[c].text("title", lang), [list(x) for x in dict.fromkeys(
            (short_line(s), s.url or "") for s in ties[c].sources)]] for c in sv.step.cite]
        out.append({
            "headline": sv.headline, "blocks": sv.blocks, "day": day_number(sv.view.shown_date),
            "dayText": sv.view.shown_date.isoformat(), "ties": shown,
            "changes": [[index[t.id], t.change] for t in sv.view.ties if t.change],
            "changesSince": sv.scene.changes_since, "focus": list(sv.scene.focus), "extent": list(sv.scene.extent),
            "viewParts": list(sv.scene.view_parts), "cite": [index[c] for c in sv.step.cite],
            "citations": citations, "legendCatalog": legend_catalog(sv.scene, sv.view), "picture": picture,
            # what must stay clear of the map's panels: the focus's and the focal country's main parts
            "focusBoxes": [[round(v, 2) for v in part.bounds] for part in focus_parts(sv.scene, sv.view)]
            if sv.scene.focus else [],
        })
    story_data = {"title": story.title_in(lang), "subtitle": story.subtitle_in(lang), "steps": out,
                  "words": {k: w.ui(k) for k in ("step", "of", "previous", "next", "cited", "sources")}}
    return _frame(base, data, offline=offline, width=None, height=None, controls=True, story=story_data)
