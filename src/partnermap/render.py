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
import json
import re
import warnings
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import folium
from branca.element import Element, Figure, MacroElement

from . import theme as th
from .errors import UsageError
from .layers import MapText, payload
from .model import Dataset

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


@lru_cache(maxsize=2)
def _asset(name: str) -> str:
    return (resources.files("partnermap") / "assets" / name).read_text(encoding="utf-8")


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no ``</script>``, no U+2028 surprises."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class RawHTML(Element):
    """Trusted markup of our own, inserted verbatim (not parsed as a Jinja template)."""

    def __init__(self, markup: str):
        super().__init__()
        self.markup = markup

    def render(self, **kwargs) -> str:
        return self.markup


class NetworkLayer(MacroElement):
    """Draws the whole partner network from one JSON payload (see ``assets/partnermap.js``).

    ``render`` is ours, not branca's macro machinery: branca wraps a macro's
    output in ``Element(text)``, which compiles the text as a Jinja template,
    so ``{{ ... }}`` in a partner name would run as template code.
    """

    def __init__(self, data: dict):
        super().__init__()
        self._name = "PartnerNetwork"
        self.data = data
        self.data_json = script_json(data)

    def render(self, **kwargs) -> None:
        call = f"partnermap.draw({self._parent.get_name()}, {self.data_json});"
        self.get_root().script.add_child(RawHTML(call), name=self.get_name())


def _head_assets(offline: bool) -> str:
    css = f"<style>{leaflet_css()}</style>" if offline else f'<link rel="stylesheet" href="{LEAFLET_CDN}/leaflet.css"/>'
    js = f"<script>{leaflet_js()}</script>" if offline else f'<script src="{LEAFLET_CDN}/leaflet.js"></script>'
    return f"{css}\n<style>{_asset('partnermap.css')}</style>\n{js}\n<script>{_asset('partnermap.js')}</script>"


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
    return {"url": provider.build_url(), "attribution": provider.get("attribution", name),
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
    text = MapText(th.check_text(title, "title"), th.check_text(subtitle, "subtitle"))
    data = payload(dataset, lang=lang, theme=th.get_theme(theme), text=text, timeline=timeline)
    data["meta"]["controls"] = controls
    if tiles:
        data["tiles"] = tile_layer(tiles)
    center = data["view"]["center"]
    m = folium.Map(location=center, zoom_start=2, tiles=None, min_zoom=1, max_zoom=9,
                   width=parse_size(width, "width"), height=parse_size(height, "height"),
                   world_copy_jump=False, control_scale=False, zoom_control=controls,
                   zoom_snap=0.25, zoom_delta=0.5)
    # Folium links jQuery, Bootstrap and Font Awesome from CDNs for its own widgets;
    # we use none of them, and Leaflet itself comes from _head_assets.
    m.default_js = []
    m.default_css = []
    figure = m.get_root()
    figure.title = html.escape(data["meta"]["title"], quote=True)
    figure.header.add_child(RawHTML(_head_assets(offline)), name="partnermap_assets")
    m.add_child(NetworkLayer(data), name="partnermap_network")
    _stable_ids(figure)
    return m


def to_html(m: folium.Map) -> str:
    """The complete HTML document for a map built by ``build_map``."""
    return m.get_root().render()


def embed_snippet(path: str | Path, *, title: str | None = None, width: str | int = "100%",
                  height: str | int = 600) -> str:
    """An ``<iframe>`` for a rendered map, titled for screen readers (the map's own title by default)."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"{p}: no such file; render the map first")
    if title is None:
        found = re.search(r"<title>(.*?)</title>", p.read_text(encoding="utf-8", errors="replace"), re.S)
        title = html.unescape(found.group(1)) if found else p.stem
    title = th.check_text(title, "title")
    w, h = parse_size(width, "width"), parse_size(height, "height")
    attrs = {
        "src": quote(p.name), "title": title,  # quoted: a file named "javascript:..." stays a relative URL
        "width": w, "height": h,
        "style": "border:0;max-width:100%", "loading": "lazy", "allowfullscreen": "",
    }
    body = " ".join(f'{k}="{html.escape(str(v), quote=True)}"' if v != "" else k for k, v in attrs.items())
    return f"<iframe {body}></iframe>"
