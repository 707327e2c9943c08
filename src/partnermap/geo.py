"""Geometry for drawing: a longitude window centred on the focal country, arcs, label points.

Leaflet draws longitudes as given, so a map centred on Japan must put the
Americas at +180..+330 rather than -180..-30, or links to them smear across
the whole map. We pick a 360-degree window centred on the focal country,
shift every polygon part whole into it (no clipping, so no artificial seams
across land), and cut links where they leave the window.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry import box as shapely_box
from shapely.geometry.base import BaseGeometry

from .model import Point


@dataclass(frozen=True)
class Window:
    """Longitudes drawn are in [west, west + 360)."""

    west: float

    @classmethod
    def centred_on(cls, lon: float) -> Window:
        # Round to 10 degrees so small anchor edits do not move every coordinate.
        return cls(west=round((lon - 180.0) / 10.0) * 10.0)

    @property
    def east(self) -> float:
        return self.west + 360.0

    def shift_for(self, lon: float) -> float:
        """The multiple of 360 that brings ``lon`` into the window."""
        return -360.0 * math.floor((lon - self.west) / 360.0)

    def point(self, p: Point) -> Point:
        return (p[0] + self.shift_for(p[0]), p[1])

    def geometry(self, geom: BaseGeometry) -> BaseGeometry:
        """Shift each polygon part whole, by where its centre falls.

        A part spanning more than half the globe (Antarctica) is first cut at
        the window's edge, or half of it would fall outside the window.
        """
        parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
        moved = []
        for part in self._split_wide(parts):
            dx = self.shift_for(part.centroid.x)
            moved.append(translate(part, xoff=dx) if dx else part)
        if len(moved) == 1 and isinstance(geom, Polygon):
            return moved[0]
        return MultiPolygon(moved)

    def _split_wide(self, parts: list[Polygon]) -> list[Polygon]:
        out = []
        edge = self.west - 360.0 * math.floor((self.west + 180.0) / 360.0)  # the edge in [-180, 180)
        for part in parts:
            minx, miny, maxx, maxy = part.bounds
            if maxx - minx <= 180.0 or not minx < edge < maxx:
                out.append(part)
                continue
            for box in (shapely_box(minx, miny - 1, edge, maxy + 1), shapely_box(edge, miny - 1, maxx, maxy + 1)):
                piece = part.intersection(box)
                out.extend(g for g in getattr(piece, "geoms", [piece]) if isinstance(g, Polygon) and not g.is_empty)
        return out


@lru_cache(maxsize=1)
def _geod():
    from pyproj import Geod  # lazy: pyproj is only needed once a map is drawn

    return Geod(ellps="WGS84")


def great_circle(a: Point, b: Point, n: int = 48) -> list[Point]:
    """Points along the great circle from a to b, longitudes unwrapped (continuous)."""
    inner = _geod().npts(a[0], a[1], b[0], b[1], max(n - 2, 0))
    pts = [a, *inner, b]
    out = [pts[0]]
    for lon, lat in pts[1:]:
        prev = out[-1][0]
        lon += 360.0 * round((prev - lon) / 360.0)
        out.append((lon, lat))
    return out


def bow(line: list[Point], amount: float) -> list[Point]:
    """Bend a line sideways by ``amount`` x its length at the middle, 0 at the ends.

    Two categories of tie to one partner get opposite bows, so both stay visible.
    """
    if amount == 0 or len(line) < 3:
        return line
    (x0, y0), (x1, y1) = line[0], line[-1]
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    n = len(line) - 1
    return [
        (x + nx * amount * length * math.sin(math.pi * i / n), y + ny * amount * length * math.sin(math.pi * i / n))
        for i, (x, y) in enumerate(line)
    ]


def cut_to_window(line: list[Point], window: Window) -> list[list[Point]]:
    """Split an unwrapped line where it crosses the window's edge; shift pieces in."""
    pieces: list[list[Point]] = []
    current: list[Point] = []
    current_k: float | None = None
    for i, (lon, lat) in enumerate(line):
        k = window.shift_for(lon)
        if current_k is None or k == current_k:
            current.append((lon + k, lat))
        else:
            # interpolate the crossing so both pieces reach the edge
            plon, plat = line[i - 1]
            edge = window.west - current_k if k > current_k else window.east - current_k
            t = (edge - plon) / (lon - plon) if lon != plon else 0.0
            y = plat + t * (lat - plat)
            current.append((edge + current_k, y))
            pieces.append(current)
            current = [(edge + k, y), (lon + k, lat)]
        current_k = k
    if len(current) > 1:
        pieces.append(current)
    return pieces


# Above this latitude a great circle is no longer drawable truthfully in Web Mercator (Leaflet
# clamps at 85.05 degrees, so an Arctic route becomes a flat run along the top edge): such a
# link is drawn as a plain arc inside the window instead. The same path goes to every renderer.
POLAR_LAT = 80.0
LINK_POINTS = 48


def _planar_arc(a: Point, b: Point, n: int) -> list[Point]:
    return [(a[0] + (b[0] - a[0]) * i / (n - 1), a[1] + (b[1] - a[1]) * i / (n - 1)) for i in range(n)]


def link_path(focal: Point, anchor: Point, window: Window, bend: float = 0.0,
              n: int = LINK_POINTS) -> tuple[list[Point], bool]:
    """The line of one link, inside the window, in one piece: (points, is_great_circle).

    The great circle from the focal anchor when it stays inside the window and
    below ``POLAR_LAT``; otherwise a plain arc to the partner's anchor as the
    window places it, bent the same way. Never cut in pieces, so no stray
    segment appears on the far side of the map.
    """
    a = window.point(focal)
    line = bow(great_circle(a, anchor, n), bend)
    inside = all(window.west <= x <= window.east for x, _ in line)
    if inside and max(abs(y) for _, y in line) <= POLAR_LAT:
        return line, True
    b = window.point(anchor)
    arc = bow(_planar_arc(a, b, n), bend or 0.12)
    # keep the bent arc off the poles too
    return [(x, max(-POLAR_LAT, min(POLAR_LAT, y))) for x, y in arc], False


def label_point(geom: BaseGeometry) -> Point:
    """Where a name goes: the visual centre (pole of inaccessibility) of the largest part."""
    from shapely.ops import polylabel

    parts = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
    largest = max(parts, key=lambda g: g.area)
    p = polylabel(largest, tolerance=0.1)
    return (round(p.x, 3), round(p.y, 3))


# Organisations and groups are drawn as a dashed outline of their members'
# union, simplified by OUTLINE_SIMPLIFY_DEG and without the islands smaller
# than OUTLINE_MIN_AREA (square degrees): a dashed line around every Arctic
# island of NATO's Canada is noise, not information. A part holding a ``keep``
# point (one per member state) always stays, so Singapore or Malta never drop
# out of their group. (A morphological closing looked smoother but cost 10x.)
OUTLINE_SIMPLIFY_DEG, OUTLINE_MIN_AREA = 0.2, 1.0


def outline(geom: BaseGeometry, keep: Sequence[BaseGeometry] = ()) -> BaseGeometry:
    """An organisation's or group's territory for a dashed outline: specks dropped, members kept.

    Parts are simplified one by one; a part holding a member's point is kept even when
    simplification would erase it (Singapore is smaller than the tolerance).
    """
    original = shapely.get_parts(geom)
    simple = shapely.simplify(original, OUTLINE_SIMPLIFY_DEG)
    empty = shapely.is_empty(simple) | ~shapely.is_valid(simple)
    areas = shapely.area(original)
    keep_mask = (areas >= OUTLINE_MIN_AREA) & ~empty
    if len(keep):  # one vectorised test of every other part against every member's point
        rest = ~keep_mask
        hits = shapely.intersects(original[rest][:, None], np.array(keep, dtype=object)[None, :]).any(axis=1)
        keep_mask[rest] = hits
    chosen = np.where(empty, original, simple)[keep_mask]
    kept = [g for p in chosen for g in shapely.get_parts(p) if g.geom_type == "Polygon" and not g.is_empty]
    return MultiPolygon(kept) if kept else geom


# ---- compact coordinates for the browser --------------------------------------------------
# Coordinates go to the browser as integers in hundredths of a degree (about 1 km, the
# precision of the bundled geometry). Each ring is one string: the differences x0, y0, dx1,
# dy1, ... as zigzag varints in 5-bit groups, low group first, one character per group from
# a base64url alphabet (32 added while more groups follow) -- Google's polyline scheme with
# JSON- and HTML-safe letters (no backslash or quote to escape). A typical step of a border
# is one or two characters: about a third of the integer lists it replaced, half of them
# deflated. decode_ring is the reference; assets/js/decode.js decodeRing its twin (shared
# vectors in tests/data/rules/vectors.json).
SCALE = 100
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_LETTERS = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
_GROUPS = 6  # 30 bits of zigzag: |difference| < 2**29 hundredths of a degree
_LIMIT = 1 << 29


def _varints(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """Signed integers as concatenated zigzag varints (ASCII) and each one's width in characters.

    Vectorised (no Python loop per value): the 100,000-tie map has a million coordinates."""
    v = np.asarray(values, dtype=np.int64).ravel()
    if len(v) and int(np.abs(v).max()) >= _LIMIT:
        raise ValueError(f"coordinate difference too large to encode: {int(np.abs(v).max())}")
    z = np.where(v < 0, -2 * v - 1, 2 * v)
    width = np.ones(len(z), dtype=np.int64)
    for bits in range(5, 5 * _GROUPS, 5):  # one more character for each 5 bits it spans
        width += z >= (1 << bits)
    k = np.arange(_GROUPS)[None, :]
    groups = ((z[:, None] >> (5 * k)) & 31) + 32 * (k < width[:, None] - 1)
    return _LETTERS[groups[k < width[:, None]]].tobytes(), width


def _quantise(coords: np.ndarray, ring_of: np.ndarray) -> list[str]:
    """One encoded string per ring, from coordinates and the ring each belongs to."""
    if not len(coords):
        return []
    q = np.rint(coords * SCALE).astype(np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(ring_of)) + 1]
    d = q.copy()
    d[1:] -= q[:-1]
    d[starts] = q[starts]
    text, width = _varints(d)
    ends = np.cumsum(width)
    cut = np.r_[0, ends[starts[1:] * 2 - 1], ends[-1]].tolist()
    ascii_ = text.decode("ascii")
    return [ascii_[a:b] for a, b in itertools.pairwise(cut)]


def decode_ring(text: str, scale: int = SCALE) -> list[tuple[float, float]]:
    """An encoded ring as (lon, lat) pairs: the reference for decode.js decodeRing."""
    values, v, shift = [], 0, 0
    for ch in text:
        b = ALPHABET.find(ch)
        if b < 0:
            raise ValueError(f"not an encoded ring: {ch!r} is not in the alphabet")
        if shift > 5 * (_GROUPS - 1):
            raise ValueError(f"not an encoded ring: a value longer than {_GROUPS} characters")
        v |= (b & 31) << shift
        shift += 5
        if b < 32:
            values.append(-(v >> 1) - 1 if v & 1 else v >> 1)
            v = shift = 0
    if shift or len(values) % 2:
        raise ValueError(f"not an encoded ring: {text!r}")
    out, x, y = [], 0, 0
    for dx, dy in zip(values[::2], values[1::2], strict=True):
        x, y = x + dx, y + dy
        out.append((x / scale, y / scale))
    return out


def encode_polygons(geoms: Sequence[BaseGeometry], window: Window) -> list[list[list[str]]]:
    """Each (multi)polygon, shifted into the window part by part, as encoded polygons of rings.

    Vectorised with shapely 2 (one GEOS call per step, not one per vertex): the
    basemap's 242 countries and 20,000 vertices take a few milliseconds.
    """
    parts, owner = [], []
    for i, g in enumerate(geoms):
        for part in window._split_wide(list(getattr(g, "geoms", [g]))):
            parts.append(part)
            owner.append(i)
    parts_arr = np.array(parts, dtype=object)
    if not len(parts_arr):
        return [[] for _ in geoms]
    cx = shapely.get_x(shapely.centroid(parts_arr))
    dx = -360.0 * np.floor((cx - window.west) / 360.0)
    rings, ring_part = shapely.get_rings(parts_arr, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    coords[:, 0] += dx[ring_part[ring_of]]
    encoded = _quantise(coords, ring_of)
    out: list[list] = [[] for _ in geoms]
    by_part: list[list] = [[] for _ in parts]
    for ring, p in zip(encoded, ring_part):
        by_part[p].append(ring)
    for p, i in enumerate(owner):
        out[i].append(by_part[p])
    return out


def encode_lines(pieces: list[list[Point]]) -> list[str]:
    """Line pieces (already in the window) as encoded strings, like rings."""
    coords = np.array([pt for piece in pieces for pt in piece], dtype=float).reshape(-1, 2)
    ring_of = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])
    return _quantise(coords, ring_of)
