"""The map as a static figure (PNG, SVG, PDF) for documents and slides, drawn with matplotlib.

The figure shows what the interactive map shows with every overlay on:
territories filled by each partner's dominant category, links from the focal
capital coloured by category (width: number of ties; dashed: nothing in force;
dotted vermillion: friction only), organisations outlined, partner names, a
legend, a title and a credit line. Groups (Quad, CPTPP…) are not drawn: on the
interactive map they are outlines switched off by default.

Projection: plate carrée (equirectangular), in the same 360° longitude window
centred on the focal country as the interactive map. The links are computed
as great circles in longitude/latitude and cut at that window's edges
(``layers.link_paths``), so drawing them in lon/lat coordinates keeps the
static figure's geometry identical to the interactive map's, with no
re-projection of cut arcs and no extra dependency (cartopy). A partner network
spans the globe across the Pacific, where no single projection is good;
Web Mercator (Leaflet's) inflates the high latitudes the transpacific arcs
pass through and cannot show them near the poles, while plate carrée keeps
both axes linear and distorts little in the cropped, mid-latitude views most
figures show. The view is cropped to the partners' extent plus a margin, then
widened in one direction to fill the frame.

matplotlib is imported inside functions: ``import partnermap`` and the CLI
stay fast, and pyplot (global state, GUI backends) is never used — figures
are ``matplotlib.figure.Figure`` objects on the Agg canvas.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from . import theme as th
from .basemap import member_points
from .basemap import shapes as basemap_shapes
from .errors import PartnermapWarning, UsageError
from .geo import Window, label_point, outline
from .layers import credit, default_title, link_paths
from .model import Dataset, Partner, Tie
from .vocab import ACTIVE_STATUSES, TERMINAL_STATUSES, Category, Kind, Nature, Relationship

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("png", "svg", "pdf")
SIZES: dict[str, tuple[float, float]] = {"16:9": (13.333, 7.5), "4:3": (10.0, 7.5)}
MAX_INCHES = 100.0
MAX_PIXELS = 200_000_000  # a 16:9 figure at 1500 dpi; beyond that Agg runs out of memory
DPI_RANGE = (20, 1200)
# Main parts of a territory (those at least this fraction of its largest part) set the view's
# extent, so Macquarie Island or Réunion do not widen the map to half the world.
MAIN_PART_FRACTION = 0.1
MARGIN_FRACTION, MARGIN_MIN_DEG, MIN_SPAN_DEG = 0.06, 4.0, 30.0
FILL_ALPHA_CONTESTED = 0.25
FOCAL_FILL_ALPHA = 0.75
MUTED_ALPHA = 0.25  # links unchanged since --changes-since

_cjk_warned = False


# ---- options ------------------------------------------------------------------------------


def parse_size(size: str) -> tuple[float, float]:
    """``"16:9"`` (13.333×7.5 in), ``"4:3"`` (10×7.5 in) or ``"WxH"`` in inches (``"12x6.75"``)."""
    text = str(size).strip().lower()
    if text in SIZES:
        return SIZES[text]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)", text)
    if m:
        w, h = float(m.group(1)), float(m.group(2))
        if 0 < w <= MAX_INCHES and 0 < h <= MAX_INCHES:
            return (w, h)
    raise UsageError(f"--size {size!r}: give 16:9 (13.333x7.5 in), 4:3 (10x7.5 in) or WIDTHxHEIGHT in inches "
                     f"such as 12x6.75 (each side above 0 and at most {MAX_INCHES:g})")


def _check_dpi(dpi: int, size: tuple[float, float]) -> int:
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not DPI_RANGE[0] <= dpi <= DPI_RANGE[1]:
        raise UsageError(f"--dpi {dpi!r}: give a whole number from {DPI_RANGE[0]} to {DPI_RANGE[1]}")
    if size[0] * size[1] * dpi * dpi > MAX_PIXELS:
        raise UsageError(f"--dpi {dpi} at {size[0]:g}x{size[1]:g} in is over {MAX_PIXELS // 1_000_000} megapixels; "
                         "lower --dpi or --size")
    return dpi


def format_for(path: str | Path) -> str | None:
    """The static format a file name asks for (by extension, any case), or None (e.g. .html)."""
    ext = Path(path).suffix.lower().lstrip(".")
    return ext if ext in FORMATS else None


# ---- fonts --------------------------------------------------------------------------------


def find_cjk_font() -> str | None:
    """The first installed font family from ``theme.CJK_FONTS``, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in th.CJK_FONTS if name in installed), None)


def _font_families(lang: str) -> list[str]:
    """Font families, first choice first; the others are per-glyph fallbacks."""
    global _cjk_warned
    cjk = find_cjk_font()
    if cjk is None:
        if lang == "ja" and not _cjk_warned:
            _cjk_warned = True  # once per process: every figure of a deck would repeat it
            warnings.warn(PartnermapWarning(
                "no CJK font found; Japanese labels will show as boxes: install fonts-noto-cjk "
                f"(or one of: {', '.join(th.CJK_FONTS)})"), stacklevel=3)
        return [th.FONT_FAMILY]
    return [cjk, th.FONT_FAMILY] if lang == "ja" else [th.FONT_FAMILY, cjk]


# ---- what to draw (plain data, no matplotlib) -----------------------------------------------


@dataclass(frozen=True)
class LinkState:
    """How one link looks, from the ties it stands for (the map script's ``linkState``)."""

    count: int  # ties still in the network (all of them if every one ended)
    pending: bool  # none in force or held
    ended: bool  # every tie ended or cancelled
    friction: bool  # every tie is friction
    changed: bool  # some tie changed since --changes-since


def link_state(ties: tuple[Tie, ...]) -> LinkState:
    live = [t for t in ties if t.status not in TERMINAL_STATUSES]
    return LinkState(
        count=len(live) or len(ties),
        pending=not any(t.status in ACTIVE_STATUSES for t in live),
        ended=not live,
        friction=all(t.nature is Nature.FRICTION for t in ties),
        changed=any(t.change for t in ties),
    )


def dominant_category(partner: Partner) -> tuple[Category, int]:
    """The category with most ties still in the network (earlier category wins a draw), and their total.

    Only ended ties: the first category that has any, total 0 (drawn faintest).
    """
    counts = Counter(t.category for t in partner.ties if t.status not in TERMINAL_STATUSES)
    best = None
    for cat in Category:
        if counts[cat] and (best is None or counts[cat] > counts[best]):
            best = cat
    if best is None:
        best = next(c for c in Category if any(t.category is c for t in partner.ties))
    return best, sum(counts.values())


def _parts(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [geom] if isinstance(geom, Polygon) else []


def _main_bounds(geom: BaseGeometry) -> list[tuple[float, float, float, float]]:
    parts = _parts(geom)
    if not parts:
        return []
    largest = max(p.area for p in parts)
    return [p.bounds for p in parts if p.area >= MAIN_PART_FRACTION * largest]


def _extent(dataset: Dataset, window: Window, shifted: dict[str, BaseGeometry], links: list,
            focal: BaseGeometry | None) -> tuple[float, ...]:
    """(x0, x1, y0, y1): the focal country and the drawn partners' main territory, anchors and links,
    plus a margin."""
    xs, ys = [], []
    fx, fy = window.point(dataset.focal.anchor)
    xs.append(fx)
    ys.append(fy)
    for x0, y0, x1, y1 in _main_bounds(focal) if focal is not None else ():
        xs += [x0, x1]
        ys += [y0, y1]
    for p in dataset.partners:
        if p.kind is Kind.GROUP:
            continue
        ax_, ay_ = window.point(p.anchor)
        xs.append(ax_)
        ys.append(ay_)
        for x0, y0, x1, y1 in _main_bounds(shifted[p.id]):
            xs += [x0, x1]
            ys += [y0, y1]
    for _partner, _cat, _ties, pieces in links:
        for piece in pieces:
            xs += [x for x, _ in piece]
            ys += [y for _, y in piece]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    mx = max(MARGIN_MIN_DEG, MARGIN_FRACTION * (x1 - x0))
    my = max(MARGIN_MIN_DEG, MARGIN_FRACTION * (y1 - y0))
    return x0 - mx, x1 + mx, y0 - my, y1 + my


def _fit(extent: tuple[float, ...], aspect: float, window: Window) -> tuple[float, float, float, float]:
    """Grow the extent in one direction to the frame's height/width ``aspect``; keep it on the globe."""
    x0, x1, y0, y1 = extent
    w = max(x1 - x0, MIN_SPAN_DEG)
    h = max(y1 - y0, MIN_SPAN_DEG * aspect)
    if h / w < aspect:
        h = w * aspect
    else:
        w = h / aspect
    w, h = min(w, 360.0), min(h, 180.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    x0 = min(max(cx - w / 2, window.west), window.east - w)
    y0 = min(max(cy - h / 2, -90.0), 90.0 - h)
    return x0, x0 + w, y0, y0 + h


@lru_cache(maxsize=4)
def _basemap(west: float) -> tuple[tuple[str, BaseGeometry], ...]:
    """The bundled countries shifted into the window, with copies of parts that cross its edges
    (so the frame's edge cuts land, never leaves a gap where a country was shifted away)."""
    window = Window(west)
    out = []
    for country_id, shape in basemap_shapes().items():
        geom = window.geometry(shape)
        parts = _parts(geom)
        extra = [translate(p, xoff=-360.0) for p in parts if p.bounds[2] > window.east]
        extra += [translate(p, xoff=360.0) for p in parts if p.bounds[0] < window.west]
        out.append((country_id, MultiPolygon(parts + extra) if extra else geom))
    return tuple(out)


# ---- matplotlib ---------------------------------------------------------------------------


def _path(geom: BaseGeometry):
    """A shapely (Multi)Polygon as one compound matplotlib Path (holes included)."""
    import numpy as np
    from matplotlib.path import Path as MPath

    verts, codes = [], []
    for poly in _parts(geom):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords, dtype=float)
            if len(xy) < 3:
                continue
            c = np.full(len(xy), MPath.LINETO, dtype=MPath.code_type)
            c[0], c[-1] = MPath.MOVETO, MPath.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return MPath(np.zeros((0, 2)))
    return MPath(np.concatenate(verts), np.concatenate(codes))


def _dashes(pattern: tuple[float, ...]):
    return (0, pattern)


def build_figure(dataset: Dataset, *, lang: str = "en", theme: str = "light", title: str | None = None,
                 subtitle: str | None = None, size: str = "16:9", dpi: int = 150,
                 credit_where: str = "credit_static") -> Figure:
    """The (filtered) network as a ``matplotlib.figure.Figure`` (Agg canvas, no pyplot).

    ``title`` defaults to "<focal>'s partner network"; ``subtitle`` to none.
    ``size``: see ``parse_size``. ``credit_where``: the ``theme.UI_LABELS`` key
    saying where the sources are (the data file; a deck's speaker notes).
    Save it with ``figure_bytes``.
    """
    import matplotlib.patheffects as pe
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch

    lang = th.check_lang(lang)
    title, subtitle = th.check_text(title, "title"), th.check_text(subtitle, "subtitle")
    look, style = th.get_theme(theme), th.get_figure_style(theme)
    width_in, height_in = parse_size(size)
    dpi = _check_dpi(dpi, (width_in, height_in))
    families = _font_families(lang)

    def font(size_pt: float, bold: bool = False) -> FontProperties:
        return FontProperties(family=families, size=size_pt, weight="bold" if bold else "normal")

    halo = [pe.withStroke(linewidth=style.halo_pt, foreground=look.halo)]
    window = Window.centred_on(dataset.focal.anchor[0])
    shifted = {p.id: window.geometry(p.geometry) for p in dataset.partners if p.kind is not Kind.GROUP}
    links = list(link_paths(dataset, window))
    title = title or default_title(dataset, lang)

    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor=look.panel)
    FigureCanvasAgg(fig)
    # Without a CJK font we warned once already; matplotlib would add one warning per missing glyph.
    fig._partnermap_quiet_glyphs = lang == "ja" and len(families) == 1

    # Header (title, subtitle) and footer (credit) bands, in inches, around a full-width map.
    pad = 0.22
    header = pad + style.title_pt * 1.3 / 72 + (style.subtitle_pt * 1.45 / 72 if subtitle else 0) + pad * 0.6
    footer = pad * 0.5 + style.credit_pt * 1.5 / 72 + pad * 0.5
    map_h = height_in - header - footer
    if map_h < 1.0:
        raise UsageError(f"--size {size!r}: too small for a map under the title; give at least 3 in of height")
    ax = fig.add_axes((0.0, footer / height_in, 1.0, map_h / height_in))
    ax.set_facecolor(look.water)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    base = _basemap(window.west)
    focal_geom = next((g for i, g in base if i == dataset.focal.id), None)
    x0, x1, y0, y1 = _fit(_extent(dataset, window, shifted, links, focal_geom), map_h / width_in, window)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box", anchor="C")

    fig.text(pad / width_in, 1 - (pad + style.title_pt / 72) / height_in, title, fontproperties=font(style.title_pt,
             True), color=look.text, ha="left", va="baseline", gid="title")
    if subtitle:
        fig.text(pad / width_in, 1 - (pad + style.title_pt * 1.3 / 72 + style.subtitle_pt / 72) / height_in,
                 subtitle, fontproperties=font(style.subtitle_pt), color=look.text, ha="left", va="baseline",
                 gid="subtitle")
    fig.text(pad / width_in, pad * 0.5 / height_in, credit(dataset, lang, credit_where),
             fontproperties=font(style.credit_pt), color=look.text, alpha=0.8, ha="left", va="bottom", gid="credit")

    # Basemap, then the focal country's territory.
    ax.add_collection(PatchCollection([PathPatch(_path(g)) for _, g in base], facecolor=look.land,
                                      edgecolor=look.border, linewidth=style.border_pt, zorder=1, gid="basemap"))
    if focal_geom is not None:
        ax.add_patch(PathPatch(_path(focal_geom), facecolor=to_rgba(th.FOCAL_COLOR, FOCAL_FILL_ALPHA),
                               edgecolor=th.FOCAL_COLOR, linewidth=style.outline_pt * 1.5, zorder=4, gid="focal"))

    # Territories: one fill per state in its dominant category, organisations outlined.
    dominant = {p.id: dominant_category(p) for p in dataset.partners if p.kind is not Kind.GROUP}
    max_total = max([1, *(n for _, n in dominant.values())])
    seen_contested = seen_organisation = False
    for p in dataset.partners:
        if p.kind is Kind.GROUP:
            continue
        cat, total = dominant[p.id]
        contested = p.relationship is Relationship.CONTESTED
        color = th.CONTESTED_COLOR if contested else th.CATEGORY_COLORS[cat]
        seen_contested |= contested
        if p.kind is Kind.ORGANISATION:
            seen_organisation = True
            drawn = window.geometry(outline(p.geometry, keep=member_points(p.members)))
            patch = PathPatch(_path(drawn), fill=False, edgecolor=to_rgba(color, 0.9),
                              linewidth=style.outline_pt * 2, linestyle=_dashes(style.dash_outline), zorder=3)
        elif contested:
            patch = PathPatch(_path(shifted[p.id]), facecolor=to_rgba(color, FILL_ALPHA_CONTESTED),
                              edgecolor=color, linewidth=style.outline_pt, hatch=style.hatch, zorder=2)
        else:
            alpha = look.fill_opacity_min + (look.fill_opacity_max - look.fill_opacity_min) * min(1, total / max_total)
            patch = PathPatch(_path(shifted[p.id]), facecolor=to_rgba(color, alpha), edgecolor=to_rgba(color, 0.9),
                              linewidth=style.outline_pt, zorder=2)
        patch.set_gid(f"territory:{p.id}")
        ax.add_patch(patch)

    # Links: width by number of ties (per category, as on the interactive map).
    states = [(partner, cat, link_state(ties), pieces) for partner, cat, ties, pieces in links]
    max_count = {cat: max([1, *(s.count for _, c, s, _ in states if c is cat)]) for cat in Category}
    changes = dataset.changes_since is not None
    seen = Counter()
    for partner, cat, s, pieces in states:
        width = style.link_min_pt + (style.link_max_pt - style.link_min_pt) * math.sqrt(s.count / max_count[cat])
        color = th.CONTESTED_COLOR if s.ended else th.FRICTION_COLOR if s.friction else th.CATEGORY_COLORS[cat]
        if s.friction:
            dash, cap = _dashes(style.dash_friction), "round"
        elif s.pending or s.ended:
            dash, cap = _dashes(style.dash_pending), "butt"
        else:
            dash, cap = "solid", "round"
        alpha = look.lines.opacity
        if changes:
            alpha, width = (alpha, width + 1.5) if s.changed else (MUTED_ALPHA, width)
        seen.update({"drawn": 1, "pending": s.pending and not s.ended, "friction": s.friction, "ended": s.ended,
                     "changed": s.changed, "unchanged": not s.changed})
        ax.add_collection(LineCollection(pieces, colors=[to_rgba(color, alpha)], linewidths=width, linestyles=dash,
                                         capstyle=cap, zorder=5, gid=f"link:{partner.id}:{cat.value}"))

    # Focal marker and labels.
    fx, fy = window.point(dataset.focal.anchor)
    ax.add_line(Line2D([fx], [fy], marker="o", markersize=style.focal_marker_pt, markerfacecolor=th.FOCAL_COLOR,
                       markeredgecolor=look.halo, markeredgewidth=1.5, linestyle="none", zorder=7, gid="focal-marker"))
    focal_label = ax.annotate(dataset.focal.label(lang), (fx, fy), xytext=(style.focal_marker_pt * 0.8, 0),
                              textcoords="offset points", ha="left", va="center", color=look.text,
                              fontproperties=font(style.label_pt * 1.15, True), path_effects=halo, zorder=8,
                              annotation_clip=True, gid="label:focal")
    labels = []
    ranked = sorted((p for p in dataset.partners if p.kind is Kind.STATE), key=lambda p: (-len(p.ties), p.id))
    for p in ranked:
        lx, ly = label_point(shifted[p.id])
        if not (x0 <= lx <= x1 and y0 <= ly <= y1):
            continue
        labels.append(ax.text(lx, ly, p.label(lang), ha="center", va="center", color=look.text,
                              fontproperties=font(style.label_pt), path_effects=halo, zorder=8, clip_on=True,
                              gid=f"label:{p.id}"))

    # Legend: only what is drawn.
    def line(color, dash="solid", cap="butt"):
        return Line2D([], [], color=color, linewidth=style.link_min_pt + 1, linestyle=dash, solid_capstyle=cap,
                      dash_capstyle=cap)

    ui = th.UI_LABELS
    present = [c for c in Category if any(cat is c for _, cat, _, _ in states)]
    handles = [(Patch(facecolor=th.FOCAL_COLOR, edgecolor=th.FOCAL_COLOR),
                f"{dataset.focal.label(lang)} ({ui['focal'][lang]})")]
    handles += [(Patch(facecolor=to_rgba(th.CATEGORY_COLORS[c], look.fill_opacity_max),
                       edgecolor=th.CATEGORY_COLORS[c]), th.CATEGORY_LABELS[c][lang]) for c in present]
    if seen["drawn"]:
        handles.append((line(look.text), ui["in_force"][lang]))
    if seen["pending"]:
        handles.append((line(look.text, _dashes(style.dash_pending)), ui["not_in_force"][lang]))
    if seen["friction"]:
        handles.append((line(th.FRICTION_COLOR, _dashes(style.dash_friction), "round"), ui["friction"][lang]))
    if seen["ended"]:
        handles.append((line(th.CONTESTED_COLOR, _dashes(style.dash_pending)), ui["ended"][lang]))
    if seen_contested:
        handles.append((Patch(facecolor=to_rgba(th.CONTESTED_COLOR, FILL_ALPHA_CONTESTED),
                              edgecolor=th.CONTESTED_COLOR, hatch=style.hatch), ui["contested"][lang]))
    if seen_organisation:
        handles.append((Patch(fill=False, edgecolor=look.text, linestyle=_dashes(style.dash_outline)),
                        th.KIND_LABELS[Kind.ORGANISATION][lang]))
    if changes and seen["drawn"]:
        since = dataset.changes_since.isoformat()
        handles.append((line(look.text), ui["changed_since"][lang].replace("{date}", since)))
        handles.append((line(to_rgba(look.text, MUTED_ALPHA)), ui["unchanged"][lang]))
    legend = ax.legend([h for h, _ in handles], [t for _, t in handles], loc="lower left", prop=font(style.legend_pt),
                       frameon=True, facecolor=look.panel, edgecolor=look.border, framealpha=0.92,
                       labelcolor=look.text, handlelength=2.6, borderaxespad=0.6, title=(
                           ui["link_width"][lang] if seen["drawn"] else None),
                       title_fontproperties=font(style.legend_pt * 0.9), alignment="left")
    legend.set_zorder(10)
    legend.set_gid("legend")
    legend.get_title().set_color(look.text)

    with _quiet_glyphs(fig):
        _declutter(fig, [focal_label], labels)
    return fig


@contextmanager
def _quiet_glyphs(fig):
    with warnings.catch_warnings():
        if getattr(fig, "_partnermap_quiet_glyphs", False):
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        yield


def _declutter(fig, fixed: list, labels: list) -> None:
    """Move each label (most ties first) to the nearest free spot around its point; hide it if none."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()
    taken = [t.get_window_extent(renderer).expanded(1.05, 1.1) for t in fixed]
    for text in labels:
        ax = text.axes
        home = ax.transData.transform(text.get_position())
        box = text.get_window_extent(renderer)
        w, h = box.width, box.height
        best = None
        for dx, dy in ((0, 0), (0, 1), (0, -1), (0.6, 0), (-0.6, 0), (0.6, 1), (-0.6, 1), (0.6, -1), (-0.6, -1),
                       (0, 2), (0, -2)):
            cand = Bbox.from_bounds(home[0] - w / 2 + dx * w, home[1] - h / 2 + dy * h * 1.1, w, h)
            if not any(cand.overlaps(t) for t in taken):
                best = cand
                break
        if best is None:
            text.set_visible(False)
            continue
        centre = ax.transData.inverted().transform(((best.x0 + best.x1) / 2, (best.y0 + best.y1) / 2))
        text.set_position((float(centre[0]), float(centre[1])))
        taken.append(best.expanded(1.05, 1.1))


# ---- bytes --------------------------------------------------------------------------------


def _creator() -> str:
    from . import __version__

    return f"partnermap {__version__}"


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as PNG, SVG or PDF bytes. Deterministic: the same figure gives the same bytes
    (no timestamps; SVG ids from a fixed salt)."""
    import matplotlib

    fmt = str(fmt).lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown figure format {fmt!r}; choose from: {', '.join(FORMATS)}")
    metadata = {
        "png": {"Software": _creator()},
        "svg": {"Date": None, "Creator": _creator()},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": _creator()},
    }[fmt]
    buf = io.BytesIO()
    rc = {"svg.hashsalt": "partnermap", "svg.fonttype": "path", "pdf.compression": 6}
    with matplotlib.rc_context(rc), _quiet_glyphs(fig):
        fig.savefig(buf, format=fmt, dpi="figure", metadata=metadata, facecolor=fig.get_facecolor())
    return buf.getvalue()
