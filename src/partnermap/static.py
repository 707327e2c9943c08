"""The scene as a static figure (PNG, SVG, PDF) for documents and slides, drawn with matplotlib.

``build_figure`` is a short pipeline over ``scene.Scene`` — header, basemap,
territories, groupings, links, labels, legend — so the figure shows exactly
what the interactive map shows on load: the same fills, friction marks,
groupings, headquarters, labels, legend rows and legend corner.

Projection: plate carrée (equirectangular), in the same 360° longitude window
centred on the focal country as the interactive map, with the scene's
one-piece link paths; the view is the scene's extent, widened in one
direction to fill the frame. A partner network spans the globe across the
Pacific, where no single projection is good; plate carrée keeps both axes
linear and distorts little in the cropped views most figures show, and needs
no re-projection of the paths (no cartopy).

matplotlib is imported inside functions: ``import partnermap`` and the CLI
stay fast, and pyplot (global state, GUI backends) is never used — figures
are ``matplotlib.figure.Figure`` objects on the Agg canvas. Every text drawn
goes through ``text.mpl`` (no mathtext: ``$`` is a dollar sign; control
characters are replaced; long text is cut).
"""

from __future__ import annotations

import io
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from . import placement, rules
from .basemap import member_points
from .basemap import shapes as basemap_shapes
from .errors import PartnermapWarning, UsageError
from .geo import Window, outline
from .model import Dataset
from .scenes import Scene, fit_extent, legend_columns, scene
from .territory import focal_shape
from .text import clip, mpl
from .theme import CJK_FONTS, FONT_FAMILY, LABEL_SHIFTS, Theme, get_theme

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("png", "svg", "pdf")
SIZES: dict[str, tuple[float, float]] = {"16:9": (13.333, 7.5), "4:3": (10.0, 7.5)}
MAX_INCHES = 100.0
MAX_PIXELS = 200_000_000  # a 16:9 figure at 1500 dpi; beyond that Agg runs out of memory
DPI_RANGE = (20, 1200)
LEGEND_LOC = {"bottom-right": "lower right", "bottom-left": "lower left", "top-right": "upper right"}
MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^"}  # theme.HQ_MARKERS in matplotlib

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
    raise UsageError(f"--size {str(size)[:40]!r}: give 16:9 (13.333x7.5 in), 4:3 (10x7.5 in) or WIDTHxHEIGHT in "
                     f"inches such as 12x6.75 (each side above 0 and at most {MAX_INCHES:g})")


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
    return next((name for name in CJK_FONTS if name in installed), None)


def _font_families(lang: str) -> list[str]:
    """Font families, first choice first; the others are per-glyph fallbacks."""
    global _cjk_warned
    cjk = find_cjk_font()
    if cjk is None:
        if lang in ("ja", "zh", "ko") and not _cjk_warned:
            _cjk_warned = True  # once per process: every figure of a deck would repeat it
            warnings.warn(PartnermapWarning(
                "no CJK font found; Japanese labels will show as boxes: install fonts-noto-cjk "
                f"(or one of: {', '.join(CJK_FONTS)})"), stacklevel=3)
        return [FONT_FAMILY]
    return [cjk, FONT_FAMILY] if lang in ("ja", "zh", "ko") else [FONT_FAMILY, cjk]


# ---- geometry helpers ---------------------------------------------------------------------


def _parts(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [geom] if isinstance(geom, Polygon) else []


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


def _dash(pattern):
    return "solid" if pattern is None else (0, tuple(pattern))


# ---- the pipeline -------------------------------------------------------------------------


@dataclass
class _Canvas:
    """The figure being drawn and what every step needs."""

    fig: Any
    ax: Any
    sc: Scene
    look: Theme
    style: dict  # theme.rules_style("figure")
    families: list[str]
    window: Window
    frame: tuple[float, float, float, float]  # x0, x1, y0, y1 shown

    def font(self, size_pt: float, bold: bool = False, italic: bool = False):
        from matplotlib.font_manager import FontProperties

        return FontProperties(family=self.families, size=size_pt, weight="bold" if bold else "normal",
                              style="italic" if italic else "normal")

    def halo(self):
        import matplotlib.patheffects as pe

        return [pe.withStroke(linewidth=self.look.figure.halo_pt, foreground=self.look.halo)]


def _canvas(sc: Scene, size: str, dpi: int, header: bool = True) -> _Canvas:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    look = get_theme(sc.theme)
    fs = look.figure
    width_in, height_in = parse_size(size)
    dpi = _check_dpi(dpi, (width_in, height_in))
    fig = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor=look.panel)
    FigureCanvasAgg(fig)
    pad = 0.22
    if header:
        header = pad + fs.title_pt * 1.3 / 72 + (fs.subtitle_pt * 1.45 / 72 if sc.subtitle else 0) + pad * 0.6
    else:  # a slide: the title is the slide's own title placeholder, above the picture
        header = 0.05
    footer = pad * 0.5 + fs.credit_pt * 1.5 / 72 + pad * 0.5
    map_h = height_in - header - footer
    if map_h < 1.0:
        raise UsageError(f"--size {size!r}: too small for a map under the title; give at least 3 in of height")
    ax = fig.add_axes((0.0, footer / height_in, 1.0, map_h / height_in))
    ax.set_facecolor(look.water)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    window = Window(sc.west)
    frame = fit_extent(sc.extent, map_h / width_in, window.west)
    ax.set_xlim(frame[0], frame[1])
    ax.set_ylim(frame[2], frame[3])
    ax.set_aspect("equal", adjustable="box", anchor="C")
    return _Canvas(fig, ax, sc, look, look.rules_style("figure"), _font_families(sc.lang), window, frame)


def _header(c: _Canvas) -> None:
    fs, (w, h) = c.look.figure, c.fig.get_size_inches()
    pad = 0.22
    c.fig.text(pad / w, 1 - (pad + fs.title_pt / 72) / h, mpl(c.sc.title), fontproperties=c.font(fs.title_pt, True),
               color=c.look.text, ha="left", va="baseline", gid="title", parse_math=False)
    if c.sc.subtitle:
        c.fig.text(pad / w, 1 - (pad + fs.title_pt * 1.3 / 72 + fs.subtitle_pt / 72) / h, mpl(c.sc.subtitle),
                   fontproperties=c.font(fs.subtitle_pt), color=c.look.text, ha="left", va="baseline",
                   gid="subtitle", parse_math=False)
    _credit(c)


MIN_CREDIT_PT = 5.0  # smaller than this, a credit is unreadable (and 0 pt crashes FreeType)


def _credit(c: _Canvas) -> None:
    fs, (w, h) = c.look.figure, c.fig.get_size_inches()
    pad = 0.22
    text = c.fig.text(pad / w, pad * 0.5 / h, mpl(c.sc.credit, 400), fontproperties=c.font(fs.credit_pt),
                      color=c.look.text, alpha=0.8, ha="left", va="bottom", gid="credit", parse_math=False)
    # a small figure (a title slide's map) gets the credit in smaller type, never cut at its edge
    room = (w - 2 * pad) * c.fig.dpi
    with _quiet_glyphs(c.fig):
        width = text.get_window_extent(c.fig.canvas.get_renderer()).width
    if width > room:
        size = fs.credit_pt * room / width
        if size < MIN_CREDIT_PT:  # a very long credit (a long dataset title): smallest legible type, then cut
            size = MIN_CREDIT_PT
            shown = text.get_text()
            keep = max(8, int(len(shown) * room / (width * MIN_CREDIT_PT / fs.credit_pt)) - 1)
            text.set_text(clip(shown, keep))
        text.set_fontsize(size)


def _basemap_and_focal(c: _Canvas) -> None:
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import to_rgba
    from matplotlib.patches import PathPatch

    base = _basemap(c.window.west)
    c.ax.add_collection(PatchCollection([PathPatch(_path(g)) for _, g in base], facecolor=c.look.land,
                                        edgecolor=c.look.border, linewidth=c.look.figure.border_pt, zorder=1,
                                        gid="basemap"))
    whole = focal_shape(c.sc.focal.id)
    focal = c.window.geometry(whole) if whole is not None else None
    if focal is not None:
        color = c.style["focal"]
        c.ax.add_patch(PathPatch(_path(focal), facecolor=to_rgba(color, c.look.focal_fill), edgecolor=color,
                                 linewidth=c.look.figure.outline_pt * 1.5, zorder=4, gid="focal"))


# Layers, bottom to top: basemap, group tints (never over a partner), territories, the focal
# country, grouping outlines, friction outlines (never hidden by a grouping), links, marks, labels.
Z_TINT, Z_TERRITORY, Z_GROUPING, Z_FRICTION = 1.5, 2, 3.5, 3.8


def _territories(c: _Canvas, dataset: Dataset) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.patches import PathPatch

    fs = c.look.figure
    by_id = {p.id: p for p in dataset.partners}
    for mark in c.sc.partners:
        geom = c.window.geometry(by_id[mark.id].geometry)
        fill = rules.fill_style(rules.Primary(mark.fill, mark.friction, mark.tier, mark.pending), c.style)
        color = fill["color"] or c.style["contested"]
        k = c.look.unfocused if c.sc.muted(mark.id) else 1.0
        patch = PathPatch(_path(geom), facecolor=to_rgba(color, fill["opacity"] * k) if fill["color"] else "none",
                          edgecolor=to_rgba(color, c.look.outline_opacity * k), linewidth=fs.outline_pt,
                          zorder=Z_TERRITORY, hatch=fs.hatch if fill["hatch"] else None,
                          hatchcolor=to_rgba(color, k), hatch_linewidth=fs.hatch_pt)
        patch.set_gid(f"territory:{mark.id}")
        c.ax.add_patch(patch)
        if mark.friction:
            rim = PathPatch(_path(geom), fill=False, edgecolor=to_rgba(c.style["friction"], k),
                            linewidth=fs.friction_outline_pt,
                            linestyle=_dash(fs.dash_friction), capstyle="round", zorder=Z_FRICTION)
            rim.set_gid(f"friction:{mark.id}")
            c.ax.add_patch(rim)


def _groupings(c: _Canvas, dataset: Dataset) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import PathPatch
    from matplotlib.transforms import offset_copy

    fs = c.look.figure
    by_id = {p.id: p for p in dataset.partners}
    shapes = basemap_shapes()
    for g in c.sc.groups:
        shape = c.window.geometry(outline(by_id[g.id].geometry, keep=member_points(g.members)))
        k = c.look.unfocused if c.sc.muted(g.id) else 1.0
        tinted = [shapes[m] for m in g.tint_members if m in shapes]
        if g.tint and tinted:  # under the territories, and only members that are not partners
            import shapely

            tint = PathPatch(_path(c.window.geometry(shapely.union_all(tinted))), linewidth=0,
                             facecolor=to_rgba(g.color, c.look.group_tint * k), zorder=Z_TINT)
            tint.set_gid(f"tint:{g.id}")
            c.ax.add_patch(tint)
        patch = PathPatch(_path(shape), facecolor="none", edgecolor=to_rgba(g.color, c.look.outline_opacity * k),
                          linewidth=c.look.grouping_width(g.dash, "figure"),
                          linestyle=_dash(c.look.grouping_dash(g.dash, "figure")), zorder=Z_GROUPING)
        patch.set_gid(f"grouping:{g.id}")
        c.ax.add_patch(patch)
        if g.hq is not None:  # neighbouring marks (Brussels) a mark apart, as their labels are
            shift = offset_copy(c.ax.transData, c.fig, x=0, y=-g.hq_offset * fs.hq_marker_pt * 0.75, units="points")
            c.ax.add_line(Line2D([g.hq[0]], [g.hq[1]], marker=MARKERS[g.marker or "circle"],
                                 markersize=fs.hq_marker_pt, markerfacecolor=g.color, transform=shift,
                                 markeredgecolor=c.look.halo, markeredgewidth=1.0, linestyle="none", zorder=7,
                                 gid=f"hq:{g.id}"))


def _links(c: _Canvas) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba

    changes = c.sc.changes_since is not None
    max_counts = dict(c.sc.max_counts)
    for link in c.sc.links:
        s = rules.link_style(link.state, max_counts[link.category], link.category, c.style, changes)
        if c.sc.muted(link.partner):
            s["opacity"] *= c.look.unfocused
            if s["overlay"]:
                s["overlay"]["opacity"] *= c.look.unfocused
        cap = "round" if s["dash"] == c.style["dashFriction"] or s["dash"] is None else "butt"
        c.ax.add_collection(LineCollection([link.path], colors=[to_rgba(s["color"], s["opacity"])],
                                           linewidths=s["weight"], linestyles=_dash(s["dash"]), capstyle=cap,
                                           zorder=5, gid=f"link:{link.partner}:{link.category}"))
        if s["overlay"]:
            o = s["overlay"]
            c.ax.add_collection(LineCollection([link.path], colors=[to_rgba(o["color"], o["opacity"])],
                                               linewidths=o["weight"], linestyles=_dash(o["dash"]), capstyle="round",
                                               zorder=5.5, gid=f"friction-mark:{link.partner}:{link.category}"))


def _labels(c: _Canvas) -> tuple[list, list]:
    """(fixed labels, labels to declutter in priority order)."""
    from matplotlib.lines import Line2D

    fs, sc = c.look.figure, c.sc
    x0, x1, y0, y1 = c.frame
    fx, fy = sc.focal.anchor
    c.ax.add_line(Line2D([fx], [fy], marker="o", markersize=fs.focal_marker_pt, markerfacecolor=c.style["focal"],
                         markeredgecolor=c.look.halo, markeredgewidth=1.5, linestyle="none", zorder=7,
                         gid="focal-marker"))
    focal = c.ax.annotate(mpl(sc.focal.label), (fx, fy), xytext=(fs.focal_marker_pt * 0.8, 0),
                          textcoords="offset points", ha="left", va="center", color=c.look.text,
                          fontproperties=c.font(fs.label_pt * 1.15, True), path_effects=c.halo(), zorder=8,
                          annotation_clip=True, gid="label:focal", parse_math=False)
    candidates: list[tuple[int, Any]] = []
    for g in sc.groups:
        if g.hq is not None:
            text = c.ax.annotate(mpl(g.label), g.hq, xytext=(fs.hq_marker_pt, -g.hq_offset * fs.group_label_pt * 1.15),
                                 textcoords="offset points", ha="left", va="center", color=g.color,
                                 fontproperties=c.font(fs.group_label_pt, True, True), path_effects=c.halo(),
                                 zorder=8, annotation_clip=True, gid=f"label:{g.id}", parse_math=False)
        else:
            dy = -g.under_rank * fs.label_pt * 1.5 if g.label_under else 0
            text = c.ax.annotate(mpl(g.label), g.label_point, xytext=(0, dy), textcoords="offset points",
                                 ha="center", va="center", color=g.color,
                                 fontproperties=c.font(fs.group_label_pt, True, True), path_effects=c.halo(),
                                 zorder=8, annotation_clip=True, gid=f"label:{g.id}", parse_math=False)
        candidates.append((g.priority, text))
    for p in sc.partners:
        if not p.label or p.label_point is None:
            continue
        lx, ly = p.label_point
        if not (x0 <= lx <= x1 and y0 <= ly <= y1):
            continue
        text = c.ax.text(lx, ly, mpl(p.label), ha="center", va="center", color=c.look.text,
                         fontproperties=c.font(fs.label_pt), path_effects=c.halo(), zorder=8, clip_on=True,
                         gid=f"label:{p.id}", parse_math=False)
        candidates.append((p.priority, text))
    candidates.sort(key=lambda pt: -pt[0])
    return [focal], [t for _, t in candidates]


def _swatch(c: _Canvas, swatch, pt: float):
    """A legend sample, drawn with the map's own stroke and fill, in a box of the legend's proportions."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.offsetbox import DrawingArea
    from matplotlib.patches import Rectangle

    fs = c.look.figure
    w, h = placement.SWATCH_W_EM * pt, placement.SWATCH_H_EM * pt
    box = DrawingArea(w, h)
    dash = None
    if swatch.dash and swatch.dash.startswith("grouping:"):
        dash = c.look.grouping_dash(int(swatch.dash.split(":")[1]), "figure")
    elif swatch.dash:
        dash = {"pending": fs.dash_pending, "friction": fs.dash_friction, "contested": fs.dash_contested}[swatch.dash]
    if swatch.kind == "fill":
        box.add_artist(Rectangle((1, 1), w - 2, h - 2, facecolor=to_rgba(swatch.color, swatch.opacity),
                                 edgecolor=swatch.color, linewidth=fs.outline_pt,
                                 hatch=fs.hatch if swatch.hatch else None, hatchcolor=swatch.color,
                                 hatch_linewidth=fs.hatch_pt))
    elif swatch.kind == "outline":
        width = c.look.grouping_width(int(swatch.dash.split(":")[1]), "figure") if dash else fs.grouping_pt
        box.add_artist(Rectangle((1, 1), w - 2, h - 2, fill=False, edgecolor=swatch.color, linestyle=_dash(dash),
                                 linewidth=width))
        if swatch.marker:
            box.add_artist(Line2D([w / 2], [h / 2], marker=MARKERS[swatch.marker], markersize=fs.hq_marker_pt,
                                  markerfacecolor=swatch.color, markeredgecolor=c.look.halo, markeredgewidth=0.8,
                                  linestyle="none"))
    else:
        cap = "round" if swatch.dash == "friction" else "butt"
        box.add_artist(Line2D([0, w], [h / 2, h / 2], color=to_rgba(swatch.color, swatch.opacity),
                              linewidth=fs.weight_min + 1, linestyle=_dash(dash), solid_capstyle=cap,
                              dash_capstyle=cap))
    return box


def _legend(c: _Canvas, compact: bool = False) -> None:
    """The scene's legend in its corner, laid out as the browser lays it out (``placement``): what
    colours and lines mean, then the groupings beside them (``columns``) or below in a grid."""
    from matplotlib.offsetbox import AnchoredOffsetbox, HPacker, TextArea, VPacker

    pt = c.look.figure.legend_pt
    main, side = legend_columns(c.sc.legend)
    if compact:
        side = []

    def cell(e):
        note = e.swatch is None
        size = pt * placement.NOTE_SCALE if note else pt
        text = TextArea("\n".join(mpl(x) for x in e.row.lines),
                        textprops={"fontproperties": c.font(size), "color": c.look.text, "parse_math": False,
                                   "linespacing": placement.NOTE_LINE_EM if note else 1.2,
                                   "alpha": 0.85 if note else 1.0})
        text._text.set_gid(f"legend:{e.key}")
        if note:
            return text
        return HPacker(children=[_swatch(c, e.swatch, pt), text], sep=placement.SWATCH_GAP_EM * pt, align="center")

    def column(entries):
        return VPacker(children=[cell(e) for e in entries], sep=(placement.ROW_EM - 1.2) * pt, align="left")

    parts = [column(main)]
    if side and c.sc.legend_layout == "stacked":
        blocks = []
        for e in side:
            if e.swatch is None:
                blocks.append([e, []])
            else:
                blocks[-1][1].append(e)
        for note, cells in blocks:
            cols = [column(cells[i::placement.GRID]) for i in range(placement.GRID) if cells[i::placement.GRID]]
            blocks_box = HPacker(children=cols, sep=placement.COL_GAP_EM * pt, align="top")
            parts.append(VPacker(children=[cell(note), blocks_box], sep=(placement.ROW_EM - 1.2) * pt, align="left"))
        box = VPacker(children=parts, sep=(placement.ROW_EM - 1.2) * pt, align="left")
    elif c.sc.legend_layout == "wide":
        k = placement.wide_split(len(main))
        cols = [column(x) for x in (main[:k], main[k:], side) if x]
        box = HPacker(children=cols, sep=placement.COL_GAP_EM * pt, align="top")
    elif side:
        box = HPacker(children=[parts[0], column(side)], sep=placement.COL_GAP_EM * pt, align="top")
    else:
        box = parts[0]
    anchored = AnchoredOffsetbox(loc=LEGEND_LOC[c.sc.legend_corner], child=box, pad=placement.PAD_Y_EM,
                                 borderpad=0.6, frameon=True, prop={"size": pt})
    anchored.patch.set(facecolor=c.look.panel, edgecolor=c.look.border, alpha=0.92)
    anchored.set_zorder(10)
    anchored.set_gid("legend")
    c.ax.add_artist(anchored)
    c.fig._partnermap_legend = anchored


def build_figure(dataset: Dataset, *, lang: str = "en", theme: str = "light", title: str | None = None,
                 subtitle: str | None = None, size: str = "16:9", dpi: int = 150,
                 credit_where: str = "credit_static") -> Figure:
    """The (filtered) network as a ``matplotlib.figure.Figure`` (Agg canvas, no pyplot).

    ``title`` defaults to the dataset's title; ``subtitle`` to what the filters show.
    ``size``: see ``parse_size``. ``credit_where``: the i18n ``ui`` key saying where the sources
    are (the data file; a deck's speaker notes). Save it with ``figure_bytes``.
    """
    sc = scene(dataset, lang=lang, theme=theme, title=title, subtitle=subtitle, where=credit_where)
    return draw_figure(sc, dataset, size=size, dpi=dpi)


def draw_figure(sc: Scene, dataset: Dataset, *, size: str = "16:9", dpi: int = 150, header: bool = True,
                legend: bool | str = True) -> Figure:
    """Draw a scene (of ``dataset``, which supplies the territories) as a figure.

    ``header=False`` leaves out the title and subtitle: a slide carries them as text.
    ``legend=False``: a thumbnail (a title slide's small map) that another slide explains;
    ``legend="compact"``: what colours and lines mean, without the list of groupings (each is
    labelled on the map) — for a story slide, where the map shares the slide with text.
    """
    c = _canvas(sc, size, dpi, header)
    c.fig._partnermap_quiet = sc.lang in ("ja", "zh", "ko") and len(c.families) == 1
    c.fig._partnermap_title = sc.title
    if header:
        _header(c)
    else:
        _credit(c)
    _basemap_and_focal(c)
    _territories(c, dataset)
    _groupings(c, dataset)
    _links(c)
    fixed, labels = _labels(c)
    if legend:
        _legend(c, compact=legend == "compact")
    with _quiet_glyphs(c.fig):
        _declutter(c.fig, fixed, labels)
    return c.fig


@contextmanager
def _quiet_glyphs(fig):
    with warnings.catch_warnings():
        if getattr(fig, "_partnermap_quiet", False):  # we warned once already: one warning, not one per glyph
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        yield


def _declutter(fig, fixed: list, labels: list) -> None:
    """Move each label (most important first) to the nearest free spot around its point; hide it if none."""
    from matplotlib.transforms import Bbox

    renderer = fig.canvas.get_renderer()
    legend = getattr(fig, "_partnermap_legend", None)
    taken = [t.get_window_extent(renderer).expanded(1.05, 1.1) for t in fixed]
    if legend is not None:
        taken.append(legend.get_window_extent(renderer))
    for text in labels:
        box = text.get_window_extent(renderer)
        w, h = box.width, box.height
        frame = text.axes.get_window_extent(renderer)
        # a name near the frame's edge moves inward whole ("United Kingdom", never "ted Kingdom")
        inward = (max(0.0, frame.x0 + 2 - box.x0) - max(0.0, box.x1 - (frame.x1 - 2)),
                  max(0.0, frame.y0 + 2 - box.y0) - max(0.0, box.y1 - (frame.y1 - 2)))
        best = None
        for dx, dy in LABEL_SHIFTS:
            sx, sy = inward[0] + dx * w, inward[1] + dy * h * 1.1
            cand = Bbox.from_bounds(box.x0 + sx, box.y0 + sy, w, h)
            if frame.x0 <= cand.x0 and cand.x1 <= frame.x1 and not any(cand.overlaps(t) for t in taken):
                best = (cand, sx, sy)
                break
        if best is None:
            text.set_visible(False)
            continue
        cand, sx, sy = best
        if sx or sy:
            if hasattr(text, "xyann") and text.get_anncoords() == "offset points":
                ox, oy = text.xyann
                text.xyann = (ox + sx * 72 / fig.dpi, oy + sy * 72 / fig.dpi)
            else:
                inv = text.axes.transData.inverted()
                (x0, y0), (x1, y1) = inv.transform([(box.x0, box.y0), (box.x0 + sx, box.y0 + sy)])
                px, py = text.get_position()
                text.set_position((px + x1 - x0, py + y1 - y0))
        taken.append(cand.expanded(1.05, 1.1))


# ---- bytes --------------------------------------------------------------------------------


def _creator() -> str:
    from . import __version__

    return f"partnermap {__version__}"


def figure_bytes(fig: Figure, fmt: str, title: str | None = None) -> bytes:
    """The figure as PNG, SVG or PDF bytes. Deterministic: the same figure gives the same bytes
    (no timestamps; SVG ids from a fixed salt). ``title`` goes into the file's metadata."""
    import matplotlib

    fmt = str(fmt).lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown figure format {fmt!r}; choose from: {', '.join(FORMATS)}")
    title = title or getattr(fig, "_partnermap_title", None)
    meta_title = mpl(title, 400) if title else None
    metadata = {
        "png": {"Software": _creator(), **({"Title": meta_title} if meta_title else {})},
        "svg": {"Date": None, "Creator": _creator(), **({"Title": meta_title} if meta_title else {})},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": _creator(),
                **({"Title": meta_title} if meta_title else {})},
    }[fmt]
    buf = io.BytesIO()
    rc = {"svg.hashsalt": "partnermap", "svg.fonttype": "path", "pdf.compression": 6, "pdf.fonttype": 42}
    with matplotlib.rc_context(rc), _quiet_glyphs(fig):
        fig.savefig(buf, format=fmt, dpi="figure", metadata=metadata, facecolor=fig.get_facecolor())
    return buf.getvalue()
