"""Territories from codes: the shape of a partner whose file gives no geometry.

A state's territory is its own basemap feature plus the features of the
territories under its sovereignty (``SOVEREIGNTY``); an organisation's or
group's is the union of its members' territories, less what its own treaty
leaves out (``TREATY_EXCLUDES``), and never the focal country. The rules and
why are in data/README.md ("Whole territories"). scripts/build_geometry.py
uses these same tables and functions, so a file whose geometries the script
wrote and the same file without them give the same shapes.

Shapes are unions of basemap features, made on first use and cached: loading
a file costs nothing until something draws it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

DECIMALS = 2  # the basemap's precision (about 1.1 km); a union keeps it

# The basemap features of territories under a state's sovereignty that are not
# states themselves (ISO 3166-1 "not independent", administered by this state),
# plus the two breakaway regions Natural Earth draws apart and the UN does not
# recognise. Left out on purpose: states in free association with a seat of their
# own in international bodies (Cook Islands, Niue: NZL), territories whose
# sovereignty the UN treats as unsettled (Western Sahara, Taiwan, Antarctica),
# Kosovo and the Siachen Glacier. Norway's Svalbard and Bouvet Island and New
# Zealand's Tokelau are no features of the 1:50m basemap.
SOVEREIGNTY: dict[str, tuple[str, ...]] = {
    "AUS": ("CCK", "CXR", "HMD", "NFK"),
    "CHN": ("HKG", "MAC"),
    "CYP": ("XNC",),
    "DNK": ("FRO", "GRL"),
    "FIN": ("ALA",),
    "FRA": ("ATF", "BLM", "MAF", "NCL", "PYF", "SPM", "WLF"),
    "GBR": ("AIA", "BMU", "CYM", "FLK", "GGY", "IMN", "IOT", "JEY", "MSR", "PCN", "SGS", "SHN", "TCA", "VGB"),
    "NLD": ("ABW", "CUW", "SXM"),
    "SOM": ("XSL",),
    "USA": ("ASM", "GUM", "MNP", "PRI", "VIR"),
}

# Parts of their members' territories that an organisation's own treaty leaves
# out, by the partner id the schema uses for it. EU: Art. 355 TFEU and its
# Annex II (the Faroes; Greenland and the other overseas countries and
# territories; Åland and the outermost regions are in). NATO: Art. 6 of the
# North Atlantic Treaty covers Europe, North America and the islands of the
# North Atlantic north of the Tropic of Cancer, so Greenland, the Faroes,
# Bermuda and Saint Pierre and Miquelon are in and every member territory south
# of the Tropic is out. CPTPP: the UK acceded for Great Britain and Northern
# Ireland, with the Crown Dependencies included for trade in goods (their
# governments' statements); no source extends it to the overseas territories,
# so those are out. RCEP: China is a party for its customs territory; Hong Kong
# and Macao are separate customs territories that are not parties (Hong Kong
# has applied to accede). Only whole basemap features can be left out: Hawaii,
# the Canaries or French Guiana are parts of their state's feature and stay.
UK_OVERSEAS_TERRITORIES = ("AIA", "BMU", "CYM", "FLK", "IOT", "MSR", "PCN", "SGS", "SHN", "TCA", "VGB")
TREATY_EXCLUDES: dict[str, tuple[str, ...]] = {
    "EU": ("ABW", "ATF", "BLM", "CUW", "FRO", "GRL", "NCL", "PYF", "SPM", "SXM", "WLF"),
    "NATO": ("ABW", "AIA", "ASM", "ATF", "BLM", "CUW", "CYM", "FLK", "GUM", "IOT", "MAF", "MNP", "MSR", "NCL",
             "PCN", "PRI", "PYF", "SGS", "SHN", "SXM", "TCA", "VGB", "VIR", "WLF"),
    "CPTPP": UK_OVERSEAS_TERRITORIES,
    "RCEP": ("HKG", "MAC"),
}

# Validation warns when an explicit state geometry overlaps its ISO shape this
# little (intersection over union, planar degrees) and lies this far from it
# (Hausdorff distance, degrees): a crude box around the country passes (0.17 for
# a box around New Zealand, 0.4 to 0.6 around Australia or Britain), another
# country's polygon pasted in does not (China in Japan: 0.0). The distance
# spares small islands drawn at another resolution.
OVERLAP_WARN = 0.1
DISTANCE_WARN = 1.0


def state_parts(code: str, available: Collection[str], own_partners: Collection[str] = ()) -> tuple[str, ...]:
    """The basemap features that make up state ``code``'s whole territory.

    A territory that is a partner of its own in the file (Hong Kong beside
    China) is left out, so the two shapes do not overlap.
    """
    extra = (t for t in SOVEREIGNTY.get(code, ()) if t in available and t not in own_partners)
    return tuple(sorted({code, *extra})) if code in available else ()


def union_parts(members: Iterable[str], available: Collection[str], *, scope: str | None = None,
                focal: str | None = None, groups: Mapping[str, tuple[str, ...]] | None = None) -> tuple[str, ...]:
    """The basemap features of an organisation's or group's territory.

    ``members`` are basemap ids, or ids of other organisations and groups of the
    file (``groups``: id -> their members), whose territories count whole.
    ``scope`` is the partner's own id, for ``TREATY_EXCLUDES``; the focal
    country's whole territory is never part of it.
    """
    groups = groups or {}
    parts: set[str] = set()
    seen: set[str] = set()
    todo = list(members)
    while todo:
        member = todo.pop()
        if member in seen:
            continue  # a cycle between two groups: each member counts once
        seen.add(member)
        if member in groups:
            todo.extend(groups[member])
        else:
            parts.update(state_parts(member, available))
    parts -= set(TREATY_EXCLUDES.get(scope or "", ()))
    parts -= set(state_parts(focal, available)) if focal else set()
    return tuple(sorted(parts))


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """The polygons of a geometry (``make_valid`` may add lines or points) as Polygon or MultiPolygon."""
    polys = [p for p in shapely.get_parts(shapely.get_parts(geom)) if p.geom_type == "Polygon" and not p.is_empty]
    if not polys:
        return Polygon()
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def round_coordinates(geom: BaseGeometry, decimals: int = DECIMALS) -> BaseGeometry:
    # "+ 0.0" turns -0.0 into 0.0 so it never prints as "-0.0".
    return shapely.transform(geom, lambda xy: np.round(xy, decimals) + 0.0)


def tidy(geom: BaseGeometry, decimals: int = DECIMALS) -> BaseGeometry:
    """Round, repair only where rounding broke a ring, orient exteriors counter-clockwise (RFC 7946)."""
    out = round_coordinates(geom, decimals)
    if not out.is_valid:
        out = polygonal(shapely.make_valid(out))
    return shapely.orient_polygons(out, exterior_cw=False)


def merge(geoms: list[BaseGeometry]) -> BaseGeometry:
    """One territory from the features of a coverage (shared borders dissolve, no seams).

    The basemap is a valid coverage (the geometry script checks it), so the
    coverage union applies: the same shape as ``union_all``, six times faster.
    """
    return geoms[0] if len(geoms) == 1 else tidy(shapely.coverage_union_all(geoms))


@lru_cache(maxsize=256)
def shape_of(parts: tuple[str, ...]) -> BaseGeometry:
    """The territory made of these basemap features (cached: many partners share the same one)."""
    from .basemap import shapes

    by_id = shapes()
    return merge([by_id[p] for p in parts]) if parts else Polygon()


def overlap(geom: BaseGeometry, parts: tuple[str, ...]) -> float:
    """Intersection over union of ``geom`` and the territory of ``parts`` (planar, in degrees)."""
    iso = shape_of(parts)
    if shapely.equals_exact(geom, iso, tolerance=0):
        return 1.0
    inter = shapely.intersection(geom, iso).area
    union = geom.area + iso.area - inter
    return inter / union if union > 0 else 0.0


def far_from(geom: BaseGeometry, code: str, parts: tuple[str, ...]) -> float | None:
    """The best overlap of an explicit state geometry with its ISO shape, if it is far from it.

    Compared with the state's own feature first (the usual case, and cheap: no
    union), then with its whole territory (a file may draw Denmark with
    Greenland); None when either is close enough.
    """
    candidates = [(code,)] + ([parts] if parts and parts != (code,) else [])
    scores = []
    for c in candidates:
        scores.append(overlap(geom, c))
        if scores[-1] >= OVERLAP_WARN:
            return None
    if min(shapely.hausdorff_distance(geom, shape_of(c)) for c in candidates) <= DISTANCE_WARN:
        return None
    return max(scores)


def focal_shape(code: str) -> BaseGeometry | None:
    """The focal country's whole territory (Denmark with Greenland), or None off the basemap."""
    from .basemap import ids

    parts = state_parts(code, ids())
    return shape_of(parts) if parts else None
