"""A story step's picture framed so its legend never covers what the step is about.

A step with a ``focus`` (story.py) closes in on those partners: the scene's
extent frames their territory and the focal country. The legend then sits in
the corner the scene chose for the whole view, and on a small slide map it
can land on the very partners the step names (the Philippines under it, the
TICAD label behind it). This module draws the step, measures where the legend
really is, and when it covers part of the focus, widens the extent on the
legend's side — sideways or downwards, whichever keeps the map larger — so
the legend sits over added sea or land that the step is not about. General
legend placement stays in ``scenes``; only stories move their frame.

Pure geometry on the fitted frame (``scenes.fit_extent``), then one redraw.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .geo import Window
from .model import Dataset
from .placement import CORNERS as LEGEND_CORNERS
from .placement import fit_extent
from .scenes import Scene

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAIN_PART = 0.1  # parts of a territory at least this share of its largest part count as the focus
COVERED = 0.03  # a part is covered when more than this share of its area is under the legend
MARGIN = 0.015  # of the frame: air between the legend and the focus
ROUNDS = 4  # drawings at most to settle the frame
STEPS = 60  # how finely the widening is searched (in fractions of the extent's size)


def focus_parts(sc: Scene, view: Dataset) -> list:
    """The main parts of the focus partners' territories and of the focal country, in the scene's window."""
    import shapely

    from .territory import focal_shape

    window = Window(sc.west)
    geoms = [p.geometry for p in view.partners if p.id in sc.focus and p.geometry is not None]
    focal = focal_shape(sc.focal.id)
    if focal is not None:
        geoms.append(focal)
    out = []
    for geom in geoms:
        parts = list(shapely.get_parts(window.geometry(geom)))
        if not parts:
            continue
        largest = max(p.area for p in parts)
        out += [p for p in parts if p.area >= MAIN_PART * largest and p.area > 0]
    return out


def covered(parts: list, box: tuple[float, float, float, float]) -> bool:
    """Whether the legend's ``box`` (x0, x1, y0, y1) covers more than a sliver of any part."""
    from shapely.geometry import box as rect

    legend = rect(box[0], box[2], box[1], box[3])
    return any(p.intersection(legend).area > COVERED * p.area for p in parts if p.intersects(legend))


def legend_box(frame: tuple[float, float, float, float], fraction: tuple[float, float, float, float]):
    """The legend's rectangle in map coordinates, from its place as fractions of the axes."""
    x0, x1, y0, y1 = frame
    fx0, fx1, fy0, fy1 = fraction
    w, h = x1 - x0, y1 - y0
    return (x0 + fx0 * w, x0 + fx1 * w, y0 + fy0 * h, y0 + fy1 * h)


def clear_extent(extent, aspect: float, west: float, fraction, corner: str, parts: list):
    """The smallest widening of ``extent`` on the legend's side that leaves ``parts`` uncovered.

    Tries widening sideways (towards the legend's side) and vertically (towards its edge) and keeps
    whichever leaves the larger map; ``None`` when neither clears the focus (the globe ends first).
    """
    x0, x1, y0, y1 = extent
    right = corner.endswith("right")
    top = corner.startswith("top")
    best = None
    for axis in ("x", "y"):
        size = (x1 - x0) if axis == "x" else (y1 - y0)
        for k in range(1, STEPS + 1):
            d = size * 2.0 * k / STEPS
            if axis == "x":
                grown = (x0, x1 + d, y0, y1) if right else (x0 - d, x1, y0, y1)
            else:
                grown = (x0, x1, y0, y1 + d) if top else (x0, x1, y0 - d, y1)
            frame = fit_extent(grown, aspect, west)
            if not covered(parts, legend_box(frame, fraction)):
                width = frame[1] - frame[0]
                if best is None or width < best[0] - 1e-9:
                    best = (width, tuple(round(v, 2) for v in grown))
                break
    return None if best is None else best[1]


def _measure(fig, labels: set[str]):
    """From a first drawing: the legend's place as fractions of the map axes (with a margin), the
    frame's aspect, the frame, and the boxes (x0, x1, y0, y1, in map units) of the labels named."""
    ax = fig.axes[0]
    legend = getattr(fig, "_partnermap_legend", None)  # static._legend's anchored box
    if legend is None:
        return None
    renderer = fig.canvas.get_renderer()
    lb, ab = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    fx0, fx1 = (lb.x0 - ab.x0) / ab.width - MARGIN, (lb.x1 - ab.x0) / ab.width + MARGIN
    fy0, fy1 = (lb.y0 - ab.y0) / ab.height - MARGIN, (lb.y1 - ab.y0) / ab.height + MARGIN
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    to_data = ax.transData.inverted()
    boxes = []
    for text in ax.texts:
        if text.get_gid() in labels and text.get_visible() and text.get_text():
            (bx0, by0), (bx1, by1) = to_data.transform(text.get_window_extent(renderer).get_points())
            boxes.append((float(bx0), float(bx1), float(by0), float(by1)))
    return (fx0, fx1, fy0, fy1), (y1 - y0) / (x1 - x0), (x0, x1, y0, y1), boxes


def with_labels(extent, boxes, frame) -> tuple[float, float, float, float]:
    """``extent`` grown to hold the label ``boxes`` whole (the focal country's name at the map's edge)."""
    x0, x1, y0, y1 = extent
    pad = MARGIN * (frame[1] - frame[0])
    for bx0, bx1, by0, by1 in boxes:
        x0, x1 = min(x0, bx0 - pad), max(x1, bx1 + pad)
        y0, y1 = min(y0, by0 - pad), max(y1, by1 + pad)
    return (round(float(x0), 2), round(float(x1), 2), round(float(y0), 2), round(float(y1), 2))


def mirrored(fraction, corner: str, to: str) -> tuple[float, float, float, float]:
    """The legend's place (fractions of the axes) moved from ``corner`` to the corner ``to``."""
    fx0, fx1, fy0, fy1 = fraction
    if corner.endswith("right") != to.endswith("right"):
        fx0, fx1 = 1 - fx1, 1 - fx0
    if corner.startswith("top") != to.startswith("top"):
        fy0, fy1 = 1 - fy1, 1 - fy0
    return (fx0, fx1, fy0, fy1)


def framed_scene(sc: Scene, view: Dataset, *, size: str, dpi: int, legend: bool | str = "compact") -> Scene:
    """``sc`` framed for a ``size`` figure: its extent holds the focal country's and the focus's names
    whole, and the legend clears the focus — in the scene's corner when it does, else in the corner
    and with the widening of the extent that leave the largest map. Measured on a drawing and
    redrawn until nothing moves (names take more degrees as the frame grows)."""
    from .static import draw_figure

    if not sc.focus:
        return sc
    names = {"label:focal", *(f"label:{pid}" for pid in sc.focus)}
    current = sc
    for _ in range(ROUNDS):
        fig = draw_figure(current, view, size=size, dpi=min(dpi, 60), header=False, legend=legend or False)
        measured = _measure(fig, names)
        if measured is None:
            return current
        framed = _reframe(current, view, *measured)
        if (framed.extent, framed.legend_corner) == (current.extent, current.legend_corner):
            return current
        current = framed
    return current


def _reframe(sc: Scene, view: Dataset, fraction, aspect: float, frame, labels) -> Scene:
    from shapely.geometry import box as rect

    extent = with_labels(sc.extent, labels, frame)
    parts = focus_parts(sc, view) + [rect(b[0], b[2], b[1], b[3]) for b in labels]
    frame = fit_extent(extent, aspect, sc.west)
    if not covered(parts, legend_box(frame, fraction)):
        return dataclasses.replace(sc, extent=extent)
    best = None
    for corner in (sc.legend_corner, *(c for c in LEGEND_CORNERS if c != sc.legend_corner)):
        place = mirrored(fraction, sc.legend_corner, corner)
        grown = extent if not covered(parts, legend_box(frame, place)) else \
            clear_extent(extent, aspect, sc.west, place, corner, parts)
        if grown is None:
            continue
        fitted = fit_extent(grown, aspect, sc.west)
        if best is None or fitted[1] - fitted[0] < best[0] - 1e-9:
            best = (fitted[1] - fitted[0], grown, corner)
    if best is None:
        return dataclasses.replace(sc, extent=extent)
    return dataclasses.replace(sc, extent=best[1], legend_corner=best[2])


def step_figure(sc: Scene, view: Dataset, *, size: str, dpi: int, legend: bool | str = "compact") -> Figure:
    """A story step's map (no header: the slide or page carries the headline), framed clear of its legend."""
    from .static import draw_figure

    framed = framed_scene(sc, view, size=size, dpi=dpi, legend=legend)
    return draw_figure(framed, view, size=size, dpi=dpi, header=False, legend=legend)
