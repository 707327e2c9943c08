"""Where names go: a partner's label point, a grouping's label, an organisation's headquarters mark.

Placement that does not depend on the screen is decided here, once, for every
renderer. What does depend on it (hiding a name that would overlap a more
important one at the current zoom) is each renderer's declutter step, which
ranks labels by ``priority``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import shapely
from shapely.geometry.base import BaseGeometry

from .basemap import shapes as basemap_shapes
from .geo import Window, label_point
from .model import Point

# Declutter ranks: the focal name always shows; then partners' names, deeper ties first (what
# the map is about); then organisations, then groups — each also named in the legend, so a
# grouping whose label yields stays identifiable. A group label set under a member's name
# ranks below the other groups.
FOCAL_PRIORITY = 1_000_000
PARTNER_PRIORITY = 200_000
ORGANISATION_PRIORITY = 100_000
GROUP_PRIORITY = 50_000
# Two headquarters closer than this (degrees) get their labels on opposite sides (Brussels: EU and NATO).
HQ_NEAR_DEG = 3.0


def partner_priority(tier: int | None, ties: int) -> int:
    """Deeper ties first, then more ties: an ally's name survives a crowded region."""
    return PARTNER_PRIORITY + (10 - (tier if tier is not None else 9)) * 1000 + min(ties, 999)


@lru_cache(maxsize=4096)
def _cached_point(wkb: bytes, west: float) -> Point:
    return label_point(Window(west).geometry(shapely.from_wkb(wkb)))


def territory_label_point(geom: BaseGeometry, window: Window) -> Point:
    """The visual centre of a territory's largest part, in the window (cached: polylabel is the slow step)."""
    return _cached_point(shapely.to_wkb(geom), window.west)


def _area(member: str) -> float:
    shape = basemap_shapes().get(member)
    return float(shape.area) if shape is not None else 0.0


def grouping_label_place(members: Iterable[str], taken: set[str], anchor: Point,
                         window: Window) -> tuple[Point, str | None]:
    """Where a group's name goes: (point, the member whose own name it sits under, or None).

    In the largest member that carries no label of its own (Canada for the
    CPTPP, Indonesia for RCEP, the heart of Africa for the TICAD states);
    when every member is a labelled partner, under the name of the member
    that holds the group's anchor (the Quad under the US, a US trilateral
    under its other member's name), so the two never print on each other.
    """
    shapes = basemap_shapes()
    free = [m for m in members if m in shapes and m not in taken]
    if free:
        best = max(free, key=_area)
        return territory_label_point(shapes[best], window), None
    point = shapely.Point(anchor)
    host = next((m for m in members if m in shapes and shapes[m].contains(point)), None)
    if host is None:
        host = next((m for m in members if m in shapes), None)
    if host is None:
        return window.point(anchor), None
    return territory_label_point(shapes[host], window), host


def hq_sides(anchors: list[tuple[str, Point]]) -> dict[str, int]:
    """A line offset per headquarters label (0: level with the mark; -1 above, +1 below), so
    neighbouring headquarters (the EU and NATO in Brussels) stack their labels instead of
    printing on each other. Labels always go east of the mark."""
    offsets: dict[str, int] = {}
    ordered = sorted(anchors, key=lambda a: (-a[1][1], a[0]))  # north first
    for key, (x, y) in ordered:
        near = [k for k, (x2, y2) in ordered if k != key and abs(x2 - x) < HQ_NEAR_DEG and abs(y2 - y) < HQ_NEAR_DEG]
        if not near:
            offsets[key] = 0
            continue
        taken = {offsets[k] for k in near if k in offsets}
        offsets[key] = next(o for o in (-1, 1, -2, 2, -3, 3, 0) if o not in taken)
    return offsets
