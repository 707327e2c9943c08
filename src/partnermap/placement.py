"""Where the legend and the other panels go: chosen once from the scene, for every renderer.

The legend takes a corner of the map (the title holds the top left) and, in the
browser, the panel with the table of ties and the credit takes a bottom corner.
Which corners, and which shape of legend (its groupings beside what colours and
lines mean, or below them in a grid), is the choice that covers nothing
important — the focal country, a partner's name, capital or territory, a
grouping's name or headquarters — judged in both renderers' frames at once: the
static figure's 16:9 plate carrée and the browser's Web Mercator at 1280×720,
each with its own type sizes. Links only break ties. When every choice covers
something, the view is widened on the legend's side, step by step, until one
does not: the legend then sits over margin, never over a partner.

Sizes are estimated in ems of the legend's type from the rows and their
wrapped lines (``wrap``); both renderers lay the legend out with the same
wrapped lines and the proportions below (``partnermap.css`` mirrors them; a
browser test compares the drawn legend with the estimate).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

CORNERS = ("bottom-right", "bottom-left", "top-right")  # top-left holds the title
# The legend's shapes: the groupings beside what colours and lines mean (columns), below them
# in a grid (stacked: narrow and tall), or beside them with those rows in two columns (wide:
# short). The wide layout splits the first part after ``wide_split`` rows.
LAYOUTS = ("columns", "stacked", "wide")
GROW_STEPS = (0.0, 0.08, 0.16, 0.25, 0.35)  # share of the view added on the legend's side, until it is free
GRID = 2  # groupings per row in a stacked legend

# The legend's proportions, in ems of its type (partnermap.css and static._legend use the same).
SWATCH_W_EM, SWATCH_H_EM, SWATCH_GAP_EM = 2.3, 1.15, 0.5
ROW_EM = 1.45  # a row with a sample
NOTE_SCALE, NOTE_LINE_EM = 0.85, 1.25  # notes: smaller type, this line height (in note ems)
COL_GAP_EM, PAD_X_EM, PAD_Y_EM = 1.2, 0.8, 0.5
SUMMARY_EM = 1.6  # the browser's "Legend" summary line (it folds the legend)
LABEL_WRAP_EM, NOTE_WRAP_EM = 14.0, 17.0

# The frames the placement is judged in: (name, width, height, Mercator?) in px or pt.
STATIC_FRAME = ("static", 13.333 * 72, 6.3 * 72, False)
WEB_FRAME = ("web", 1280.0, 720.0, True)
ZOOM_SNAP, MIN_ZOOM = 0.25, 1.0  # render._frame's Leaflet options

IMPORTANT, MINOR = 0, 1


def char_em(ch: str) -> float:
    """A character's advance in ems, roughly, for a sans-serif face (CJK full width)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in " il.,;:'|!()[]jtf":
        return 0.3
    if ch.isupper() or ch in "mwMW—–":
        return 0.68
    return 0.55


def text_em(text: str) -> float:
    return sum(char_em(c) for c in text)


def wrap(text: str, width_em: float) -> tuple[str, ...]:
    """``text`` broken into lines no wider than ``width_em`` (at spaces; anywhere in CJK text)."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if line and text_em((line + token).rstrip()) > width_em:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return tuple(lines)


def _tokens(text: str) -> list[str]:
    """Words with their trailing space; each full-width character on its own (CJK breaks anywhere)."""
    out, word = [], ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            out.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


@dataclass(frozen=True)
class Row:
    """A legend row as laid out: its key, its wrapped lines, and whether it has a sample."""

    key: str
    lines: tuple[str, ...]
    swatch: bool

    @property
    def width_em(self) -> float:
        if not self.swatch:
            return max(text_em(x) for x in self.lines) * NOTE_SCALE
        return SWATCH_W_EM + SWATCH_GAP_EM + max(text_em(x) for x in self.lines)

    @property
    def height_em(self) -> float:
        if not self.swatch:
            return len(self.lines) * NOTE_LINE_EM * NOTE_SCALE + 0.3
        return ROW_EM + (len(self.lines) - 1) * 1.2


def row(key: str, label: str, swatch: bool) -> Row:
    return Row(key, wrap(label, NOTE_WRAP_EM / NOTE_SCALE if not swatch else LABEL_WRAP_EM), swatch)


def split(rows: Sequence[Row]) -> tuple[list[Row], list[Row]]:
    """What colours and lines mean; then the organisations and groups."""
    side = [r for r in rows if r.key.startswith(("grouping:", "note:"))]
    return [r for r in rows if r not in side], side


def wide_split(n: int) -> int:
    """How many of ``n`` rows of the first part go in its first column in the wide layout (rows.js: the same)."""
    return -(-n // 2)


def legend_size_em(rows: Sequence[Row], layout: str, summary: bool = False) -> tuple[float, float]:
    """The legend's width and height in ems of its type, for ``layout``; ``summary``: the browser's fold line."""
    main, side = split(rows)

    def column(rs: list[Row]) -> tuple[float, float]:
        return (max((r.width_em for r in rs), default=0.0), sum(r.height_em for r in rs))

    mw, mh = column(main)
    if layout == "wide":
        k = wide_split(len(main))
        (aw, ah), (bw, bh), (sw, sh) = column(main[:k]), column(main[k:]), column(side)
        cols = [c for c in ((aw, ah), (bw, bh), (sw, sh)) if c[0]]
        w, h = sum(c[0] for c in cols) + COL_GAP_EM * (len(cols) - 1), max(c[1] for c in cols)
    elif layout == "stacked":
        notes = [r for r in side if not r.swatch]
        cells = [r for r in side if r.swatch]
        cell_w = max((r.width_em for r in cells), default=0.0)
        grid_rows = 0
        for kind in ("note:organisation", "note:group"):  # each kind's grid starts on its own row
            n = sum(1 for r in cells if _kind_of(r.key, side) == kind)
            grid_rows += -(-n // GRID)
        sw = max([GRID * cell_w + (GRID - 1) * COL_GAP_EM, *(r.width_em for r in notes)]) if side else 0.0
        sh = sum(r.height_em for r in notes) + grid_rows * ROW_EM
        w, h = max(mw, sw), mh + sh
    else:
        sw, sh = column(side)
        w, h = mw + (COL_GAP_EM + sw if side else 0.0), max(mh, sh)
    return (w + 2 * PAD_X_EM, h + 2 * PAD_Y_EM + (SUMMARY_EM if summary else 0.0))


def _kind_of(key: str, side: Sequence[Row]) -> str | None:
    """The note heading the grouping row ``key`` sits under."""
    kind = None
    for r in side:
        if not r.swatch:
            kind = r.key
        if r.key == key:
            return kind
    return None


# ---- what the panels may cover -------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """Something a panel must not cover: a point, or a label of ``w_em`` × 1 em of label type
    centred on the point (``align="left"``: starting at it, as a name beside its marker)."""

    x: float
    y: float
    weight: float
    rank: int = IMPORTANT
    w_em: float = 0.0
    align: str = "center"


@dataclass(frozen=True)
class Area:
    """A territory (a shapely geometry in the window, simplified): charged by the share of it a panel covers."""

    shape: object
    weight: float


NOISE = 0.02  # a panel over less than this share of a territory (a sliver of its coast) covers nothing

@dataclass(frozen=True)
class Fonts:
    """Type sizes per frame (px in the browser, pt in the figure): legend, labels, panels."""

    static_legend: float
    static_label: float
    web_legend: float
    web_label: float
    web_font: float


def info_size_em(credit: str, table: str, map_width_em: float) -> tuple[float, float]:
    """The browser's table-and-credit panel (partnermap.css .pm-table, .pm-credit), in ems of the
    map's type: the table's summary line above the credit, which wraps at 38% of the map's width."""
    credit_w = min(0.38 * map_width_em, text_em(credit) * 0.72 + 0.8)
    lines = math.ceil((text_em(credit) * 0.72 + 0.8) / max(1.0, credit_w))
    table_w = text_em(table) * 1.0 + 2.4
    return (max(credit_w, table_w), 2.3 + 0.8 + lines * 0.72 * 1.3 + 0.4)

@dataclass(frozen=True)
class Placement:
    legend_corner: str
    legend_layout: str
    info_corner: str  # the browser's table-of-ties and credit panel
    extent: tuple[float, float, float, float]
    covered: float  # what the legend and panels still cover of the important marks (0: nothing)


def mercator(lat: float) -> float:
    lat = max(-85.0511, min(85.0511, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def fit_extent(extent: tuple[float, float, float, float], aspect: float, west: float,
               min_span: float = 30.0) -> tuple[float, float, float, float]:
    """Grow ``extent`` in one direction to the frame's height/width ``aspect``, keeping it on the globe."""
    x0, x1, y0, y1 = extent
    w = max(x1 - x0, min_span)
    h = max(y1 - y0, min_span * aspect)
    if h / w < aspect:
        h = w * aspect
    else:
        w = h / aspect
    w, h = min(w, 360.0), min(h, 180.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    x0 = min(max(cx - w / 2, west), west + 360.0 - w)
    y0 = min(max(cy - h / 2, -90.0), 90.0 - h)
    return x0, x0 + w, y0, y0 + h


def web_view(extent: tuple[float, float, float, float], size: tuple[float, float], padding: float):
    """What Leaflet's ``fitBounds`` shows of ``extent`` on a map of ``size`` px: (x0, x1, my0, my1),
    y in Mercator degrees, and the scale in px per degree (zoom snapped down, as Leaflet does)."""
    x0, x1, y0, y1 = extent
    my0, my1 = mercator(y0), mercator(y1)
    w, h = size
    scale = min((w - 2 * padding) / max(1e-9, x1 - x0), (h - 2 * padding) / max(1e-9, my1 - my0))
    zoom = math.log2(scale * 360 / 256)
    zoom = max(MIN_ZOOM, math.floor(round(zoom / (ZOOM_SNAP / 100)) * (ZOOM_SNAP / 100) / ZOOM_SNAP) * ZOOM_SNAP)
    scale = 256 * 2 ** zoom / 360
    cx, cy = (x0 + x1) / 2, (my0 + my1) / 2
    return (cx - w / 2 / scale, cx + w / 2 / scale, cy - h / 2 / scale, cy + h / 2 / scale), scale


@dataclass(frozen=True)
class _Frame:
    width: float
    height: float
    view: tuple[float, float, float, float]
    scale: float
    merc: bool
    legend_font: float
    label_font: float
    margin: float
    top_right: float  # what sits above a top-right legend (the browser's layer control and filters)
    bottom_right: float  # what sits below a bottom-right legend (the browser's attribution)
    info: tuple[float, float] | None  # the browser's table-and-credit panel (w, h), or None

    def to_frame(self, x: float, y: float) -> tuple[float, float]:
        fy = mercator(y) if self.merc else y
        return ((x - self.view[0]) * self.scale, (fy - self.view[2]) * self.scale)

    def to_lonlat(self, u: float, v: float) -> tuple[float, float]:
        y = self.view[2] + v / self.scale
        if self.merc:
            y = math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)
        return (self.view[0] + u / self.scale, y)

    def rect(self, corner: str, w: float, h: float, below: float = 0.0) -> tuple[float, float, float, float]:
        m = self.margin
        right, top = corner.endswith("right"), corner.startswith("top")
        u0 = self.width - m - w if right else m
        if top:
            v1 = self.height - m - self.top_right
            v0 = v1 - h
        else:
            v0 = m + (self.bottom_right if right else 0.0) + below
            v1 = v0 + h
        return (u0, v0, u0 + w, v1)


def _frames(extent, west: float, fonts: Fonts, info: tuple[str, str]) -> list[_Frame]:
    _, sw, sh, _ = STATIC_FRAME
    pc = fit_extent(extent, sh / sw, west)
    static = _Frame(sw, sh, (pc[0], pc[1], pc[2], pc[3]), sw / (pc[1] - pc[0]), False, fonts.static_legend,
                    fonts.static_label, 0.6 * fonts.static_legend, 0.0, 0.0, None)
    _, ww, wh, _ = WEB_FRAME
    view, scale = web_view(extent, (ww, wh), 10.0)
    f = fonts.web_font
    info_em = info_size_em(info[0], info[1], ww / f)
    web = _Frame(ww, wh, view, scale, True, fonts.web_legend, fonts.web_label, 10.0,
                 10 + 44 + 10 + f * 2.4 + 4, 28.0, (info_em[0] * f, info_em[1] * f))
    return [static, web]


SAFETY = 0.25  # ems of legend type kept clear around a panel: estimates are estimates


class _Arrays:
    """The marks and areas as arrays, made once per placement."""

    def __init__(self, marks: Sequence[Mark], areas: Sequence[Area]):
        import numpy as np
        import shapely

        self.xs = np.array([m.x for m in marks], dtype=float)
        ys = np.array([m.y for m in marks], dtype=float)
        self.ys = {False: ys, True: np.degrees(np.log(np.tan(np.pi / 4 + np.radians(np.clip(ys, -85.0511, 85.0511))
                                                             / 2)))}
        self.w_em = np.array([m.w_em for m in marks], dtype=float)
        self.left = np.array([m.align == "left" for m in marks], dtype=bool)
        self.weight = np.array([m.weight for m in marks], dtype=float)
        self.important = np.array([m.rank == IMPORTANT for m in marks], dtype=bool)
        self.shapes = np.array([a.shape for a in areas], dtype=object)
        self.area_weight = np.array([a.weight for a in areas], dtype=float)
        self.bounds = shapely.bounds(self.shapes) if len(areas) else np.zeros((0, 4))
        self.areas = shapely.area(self.shapes) if len(areas) else np.zeros(0)


class _Targets:
    """The marks in one frame's units, so each candidate rectangle costs one vectorised test
    (a network of 10,000 ties has thousands of link samples)."""

    def __init__(self, frame: _Frame, arrays: _Arrays):
        import numpy as np

        self.frame, A = frame, arrays
        u = (A.xs - frame.view[0]) * frame.scale
        v = (A.ys[frame.merc] - frame.view[2]) * frame.scale
        w = A.w_em * frame.label_font
        point = w == 0
        self.a0 = np.where(point, u - 2, np.where(A.left, u, u - w / 2))
        self.a1 = np.where(point, u + 2, np.where(A.left, u + w, u + w / 2))
        half = np.where(point, 2.0, frame.label_font * 0.6)
        self.b0, self.b1 = v - half, v + half
        self.weight, self.important = A.weight, A.important
        self.shapes, self.area_weight, self.bounds, self.areas = A.shapes, A.area_weight, A.bounds, A.areas

    def cost(self, rect: tuple[float, float, float, float]) -> tuple[float, float]:
        """What ``rect`` (frame units, from the bottom left) covers: (important, minor) weights."""
        import shapely

        fr = self.frame
        pad = SAFETY * fr.legend_font
        u0, v0, u1, v1 = rect[0] - pad, rect[1] - pad, rect[2] + pad, rect[3] + pad
        hit = (self.a0 < u1) & (self.a1 > u0) & (self.b0 < v1) & (self.b1 > v0)
        important = float(self.weight[hit & self.important].sum())
        minor = float(self.weight[hit & ~self.important].sum())
        if len(self.shapes):
            (x0, y0), (x1, y1) = fr.to_lonlat(u0, v0), fr.to_lonlat(u1, v1)
            b = self.bounds
            near = (b[:, 0] < x1) & (b[:, 2] > x0) & (b[:, 1] < y1) & (b[:, 3] > y0)
            inside = near & (b[:, 0] >= x0) & (b[:, 2] <= x1) & (b[:, 1] >= y0) & (b[:, 3] <= y1)
            important += float(self.area_weight[inside].sum())  # wholly under the panel
            part = near & ~inside
            if part.any():
                inter = shapely.area(shapely.intersection(self.shapes[part], shapely.box(x0, y0, x1, y1)))
                share = inter / self.areas[part]
                important += float((self.area_weight[part] * share * (share > NOISE)).sum())
        return important, minor


def _cost(frame: _Frame, rect: tuple[float, float, float, float], marks: Sequence[Mark],
          areas: Sequence[Area]) -> tuple[float, float]:
    """What ``rect`` covers of ``marks`` and ``areas`` in ``frame``: (important, minor) weights."""
    return _Targets(frame, _Arrays(marks, areas)).cost(rect)


def _grown(extent, corner: str, share: float, west: float, vertical: bool):
    x0, x1, y0, y1 = extent
    if not share:
        return extent
    if vertical:
        dy = (y1 - y0) * share
        return (x0, x1, max(-80.0, y0 - dy), y1) if corner.startswith("bottom") else (x0, x1, y0, min(84.0, y1 + dy))
    dx = (x1 - x0) * share
    return (x0, min(west + 360.0, x1 + dx), y0, y1) if corner.endswith("right") else (max(west, x0 - dx), x1, y0, y1)


def place(rows: Sequence[Row], extent: tuple[float, float, float, float], west: float, marks: Sequence[Mark],
          areas: Sequence[Area], fonts: Fonts, info: tuple[str, str] = ("", "")) -> Placement:
    """``info``: the credit line and the table's summary (the browser's bottom panel)."""
    """The corners, legend layout and (perhaps widened) extent that cover least (see the module docstring)."""
    arrays = _Arrays(marks, areas)
    sizes = {layout: legend_size_em(rows, layout) for layout in LAYOUTS}
    web_sizes = {layout: legend_size_em(rows, layout, summary=True) for layout in LAYOUTS}
    best = None
    for step, share in enumerate(GROW_STEPS):
        for corner in CORNERS:
            for vertical in ((True, False) if share else (True,)):
                ext = _grown(extent, corner, share, west, vertical)
                frames = [(fr, _Targets(fr, arrays)) for fr in _frames(ext, west, fonts, info)]
                infos = ("bottom-left",) if corner == "bottom-right" else (
                    ("bottom-right",) if corner == "bottom-left" else ("bottom-left", "bottom-right"))
                for layout in LAYOUTS:
                    for info in infos:
                        important = minor = 0.0
                        for fr, targets in frames:
                            em = web_sizes[layout] if fr.info else sizes[layout]
                            legend = fr.rect(corner, em[0] * fr.legend_font, em[1] * fr.legend_font)
                            i, m = targets.cost(legend)
                            important, minor = important + i, minor + m
                            if fr.info:
                                i, m = targets.cost(fr.rect(info, *fr.info))
                                important, minor = important + i, minor + m
                        area = sizes[layout][0] * sizes[layout][1]
                        key = (round(important, 6) > 0, step, round(important, 6), round(minor, 6), round(area, 3),
                               CORNERS.index(corner), LAYOUTS.index(layout), info)
                        if best is None or key < best[0]:
                            best = (key, Placement(corner, layout, info, tuple(round(v, 2) for v in ext), important))
        if best is not None and best[0][0] is False:
            break  # a free placement at this growth: never widen further
    return best[1]
