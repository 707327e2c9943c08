"""Build the country geometry partnermap draws: the basemap and the partners' territories.

Why
---
partnermap fills each partner's territory on a Leaflet map, so it needs country
polygons that are small (they are inlined into every HTML map), valid, keyed by
ISO 3166-1 alpha-3, correct across the antimeridian (Russia, Fiji, Antarctica),
and that still share their borders exactly after simplification (no slivers or
gaps between neighbours, and an organisation's union of members has no seams).
This script makes those polygons once, reproducibly, from a pinned public-domain
source, so nobody edits geometry by hand and CI can verify it is current.

How
---
1. Source: Natural Earth 4.1.0 Admin-0 countries, 1:50m, as redistributed by the
   npm package world-atlas 2.0.2 (TopoJSON, so shared borders are shared arcs).
   ``npm pack`` fetches it into ``cache/`` (git-ignored) and the tarball's
   sha512 must equal ``WORLD_ATLAS_INTEGRITY``. 1:50m has every state except
   Tuvalu, which is taken from the 1:10m file of the same package.
2. Ids: world-atlas carries ISO 3166-1 *numeric* ids; ``ISO_3166_1`` (complete,
   embedded) maps them to alpha-3 and an English short name. Features without
   an id get the user-assigned codes in ``NO_ID`` (Kosovo = XKX), the
   "Indian Ocean Ter." feature is split into Cocos (Keeling) and Christmas
   Island, and features sharing a code are merged (Ashmore and Cartier into AUS).
   Natural Earth's Morocco includes the part of Western Sahara west of the
   berm; ``ESH`` gets everything south of the 27 deg 40' N border line
   (``WESTERN_SAHARA_NORTH``), so Laayoune is in Western Sahara as data/README.md says.
3. Antimeridian: world-atlas keeps spherical rings (clockwise exteriors, d3
   convention), so three features have rings that jump across 180 degrees:
   Russia (Chukotka, Wrangel Island), Fiji and Antarctica (which encloses the
   pole). ``antimeridian.fix_shape`` cuts them at +-180 degrees.
4. Simplification: ``shapely.coverage_simplify`` (Visvalingam-Whyatt, topology
   preserving) runs on the whole coverage at ``TOLERANCE`` degrees, so borders
   stay shared. Island states and territories smaller than ``SMALL_AREA``
   square degrees with no land border are then simplified on their own at
   ``SMALL_TOLERANCE`` (Mauritius stays an island, not a triangle), kept only if
   they still touch nothing else.
5. Coordinates are rounded to ``DECIMALS`` decimals, re-validated (``make_valid``
   only where rounding broke a ring), exteriors oriented counter-clockwise
   (RFC 7946) and every result checked: valid, non-empty Polygon/MultiPolygon,
   inside [-180, 180] x [-90, 90], no edge jumping across the antimeridian, and
   the whole basemap still a valid coverage.
6. Outputs: ``src/partnermap/assets/world.geojson`` (properties id and name only,
   compact, sorted by id) and, with ``--partners FILE``, the ``geometry`` of
   every feature of FILE: a state's whole territory, or the union of an
   organisation's or group's ``members``, by the rules of ``partnermap.territory``
   (the package derives the same shapes at load, so a partner file needs no
   geometry at all; this is for files that must carry it, e.g. for GIS).
   Nothing else in that file changes.

Same input, same bytes out. ``--check`` rebuilds in memory and exits 1 if either
file would change. Tolerances and sizes are discussed in data/README.md.

Usage: python scripts/build_geometry.py [--check] [--partners PATH] [--basemap PATH] [--cache DIR]
(``scripts/strip_geometry.py FILE`` does the opposite: it drops every geometry the package can derive.)
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import antimeridian
import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))  # a checkout without an installed package still finds it

from partnermap import territory  # noqa: E402  (the one place the territory rules live)
from partnermap.territory import polygonal, round_coordinates  # noqa: E402  (used and re-exported)

CACHE_DIR = REPO / "cache"
BASEMAP_PATH = REPO / "src" / "partnermap" / "assets" / "world.geojson"

WORLD_ATLAS = "world-atlas@2.0.2"
WORLD_ATLAS_TARBALL = "world-atlas-2.0.2.tgz"
# npm's "integrity" for the tarball (the registry publishes the same value).
WORLD_ATLAS_INTEGRITY = (
    "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
)
MAIN_FILE = "package/countries-50m.json"
DETAIL_FILE = "package/countries-10m.json"
# States missing from 1:50m, taken from 1:10m (checked to overlap nothing).
FROM_DETAIL = ("798",)  # Tuvalu

TOLERANCE = 0.2  # degrees: coverage_simplify removes triangles up to about this squared
SMALL_TOLERANCE = 0.02  # degrees, for small islands without a land border
SMALL_AREA = 3.0  # square degrees (Fiji 1.6, Mauritius 0.16, Jamaica 0.9)
DECIMALS = territory.DECIMALS  # about 1.1 km, well under what TOLERANCE moves

# ISO 3166-1: numeric -> (alpha-3, English short name), all 249 assigned codes.
# Codes from the ISO 3166-1 list as shipped by Debian iso-codes 4.15.0; names are
# its short names, with the common form where one exists ("South Korea", "Russia").
ISO_3166_1: dict[str, tuple[str, str]] = {
    "004": ("AFG", "Afghanistan"),
    "008": ("ALB", "Albania"),
    "010": ("ATA", "Antarctica"),
    "012": ("DZA", "Algeria"),
    "016": ("ASM", "American Samoa"),
    "020": ("AND", "Andorra"),
    "024": ("AGO", "Angola"),
    "028": ("ATG", "Antigua and Barbuda"),
    "031": ("AZE", "Azerbaijan"),
    "032": ("ARG", "Argentina"),
    "036": ("AUS", "Australia"),
    "040": ("AUT", "Austria"),
    "044": ("BHS", "Bahamas"),
    "048": ("BHR", "Bahrain"),
    "050": ("BGD", "Bangladesh"),
    "051": ("ARM", "Armenia"),
    "052": ("BRB", "Barbados"),
    "056": ("BEL", "Belgium"),
    "060": ("BMU", "Bermuda"),
    "064": ("BTN", "Bhutan"),
    "068": ("BOL", "Bolivia"),
    "070": ("BIH", "Bosnia and Herzegovina"),
    "072": ("BWA", "Botswana"),
    "074": ("BVT", "Bouvet Island"),
    "076": ("BRA", "Brazil"),
    "084": ("BLZ", "Belize"),
    "086": ("IOT", "British Indian Ocean Territory"),
    "090": ("SLB", "Solomon Islands"),
    "092": ("VGB", "British Virgin Islands"),
    "096": ("BRN", "Brunei"),
    "100": ("BGR", "Bulgaria"),
    "104": ("MMR", "Myanmar"),
    "108": ("BDI", "Burundi"),
    "112": ("BLR", "Belarus"),
    "116": ("KHM", "Cambodia"),
    "120": ("CMR", "Cameroon"),
    "124": ("CAN", "Canada"),
    "132": ("CPV", "Cabo Verde"),
    "136": ("CYM", "Cayman Islands"),
    "140": ("CAF", "Central African Republic"),
    "144": ("LKA", "Sri Lanka"),
    "148": ("TCD", "Chad"),
    "152": ("CHL", "Chile"),
    "156": ("CHN", "China"),
    "158": ("TWN", "Taiwan"),
    "162": ("CXR", "Christmas Island"),
    "166": ("CCK", "Cocos (Keeling) Islands"),
    "170": ("COL", "Colombia"),
    "174": ("COM", "Comoros"),
    "175": ("MYT", "Mayotte"),
    "178": ("COG", "Republic of the Congo"),
    "180": ("COD", "Democratic Republic of the Congo"),
    "184": ("COK", "Cook Islands"),
    "188": ("CRI", "Costa Rica"),
    "191": ("HRV", "Croatia"),
    "192": ("CUB", "Cuba"),
    "196": ("CYP", "Cyprus"),
    "203": ("CZE", "Czechia"),
    "204": ("BEN", "Benin"),
    "208": ("DNK", "Denmark"),
    "212": ("DMA", "Dominica"),
    "214": ("DOM", "Dominican Republic"),
    "218": ("ECU", "Ecuador"),
    "222": ("SLV", "El Salvador"),
    "226": ("GNQ", "Equatorial Guinea"),
    "231": ("ETH", "Ethiopia"),
    "232": ("ERI", "Eritrea"),
    "233": ("EST", "Estonia"),
    "234": ("FRO", "Faroe Islands"),
    "238": ("FLK", "Falkland Islands (Malvinas)"),
    "239": ("SGS", "South Georgia and the South Sandwich Islands"),
    "242": ("FJI", "Fiji"),
    "246": ("FIN", "Finland"),
    "248": ("ALA", "Åland Islands"),
    "250": ("FRA", "France"),
    "254": ("GUF", "French Guiana"),
    "258": ("PYF", "French Polynesia"),
    "260": ("ATF", "French Southern Territories"),
    "262": ("DJI", "Djibouti"),
    "266": ("GAB", "Gabon"),
    "268": ("GEO", "Georgia"),
    "270": ("GMB", "Gambia"),
    "275": ("PSE", "Palestine"),
    "276": ("DEU", "Germany"),
    "288": ("GHA", "Ghana"),
    "292": ("GIB", "Gibraltar"),
    "296": ("KIR", "Kiribati"),
    "300": ("GRC", "Greece"),
    "304": ("GRL", "Greenland"),
    "308": ("GRD", "Grenada"),
    "312": ("GLP", "Guadeloupe"),
    "316": ("GUM", "Guam"),
    "320": ("GTM", "Guatemala"),
    "324": ("GIN", "Guinea"),
    "328": ("GUY", "Guyana"),
    "332": ("HTI", "Haiti"),
    "334": ("HMD", "Heard Island and McDonald Islands"),
    "336": ("VAT", "Vatican City"),
    "340": ("HND", "Honduras"),
    "344": ("HKG", "Hong Kong"),
    "348": ("HUN", "Hungary"),
    "352": ("ISL", "Iceland"),
    "356": ("IND", "India"),
    "360": ("IDN", "Indonesia"),
    "364": ("IRN", "Iran"),
    "368": ("IRQ", "Iraq"),
    "372": ("IRL", "Ireland"),
    "376": ("ISR", "Israel"),
    "380": ("ITA", "Italy"),
    "384": ("CIV", "Côte d'Ivoire"),
    "388": ("JAM", "Jamaica"),
    "392": ("JPN", "Japan"),
    "398": ("KAZ", "Kazakhstan"),
    "400": ("JOR", "Jordan"),
    "404": ("KEN", "Kenya"),
    "408": ("PRK", "North Korea"),
    "410": ("KOR", "South Korea"),
    "414": ("KWT", "Kuwait"),
    "417": ("KGZ", "Kyrgyzstan"),
    "418": ("LAO", "Laos"),
    "422": ("LBN", "Lebanon"),
    "426": ("LSO", "Lesotho"),
    "428": ("LVA", "Latvia"),
    "430": ("LBR", "Liberia"),
    "434": ("LBY", "Libya"),
    "438": ("LIE", "Liechtenstein"),
    "440": ("LTU", "Lithuania"),
    "442": ("LUX", "Luxembourg"),
    "446": ("MAC", "Macao"),
    "450": ("MDG", "Madagascar"),
    "454": ("MWI", "Malawi"),
    "458": ("MYS", "Malaysia"),
    "462": ("MDV", "Maldives"),
    "466": ("MLI", "Mali"),
    "470": ("MLT", "Malta"),
    "474": ("MTQ", "Martinique"),
    "478": ("MRT", "Mauritania"),
    "480": ("MUS", "Mauritius"),
    "484": ("MEX", "Mexico"),
    "492": ("MCO", "Monaco"),
    "496": ("MNG", "Mongolia"),
    "498": ("MDA", "Moldova"),
    "499": ("MNE", "Montenegro"),
    "500": ("MSR", "Montserrat"),
    "504": ("MAR", "Morocco"),
    "508": ("MOZ", "Mozambique"),
    "512": ("OMN", "Oman"),
    "516": ("NAM", "Namibia"),
    "520": ("NRU", "Nauru"),
    "524": ("NPL", "Nepal"),
    "528": ("NLD", "Netherlands"),
    "531": ("CUW", "Curaçao"),
    "533": ("ABW", "Aruba"),
    "534": ("SXM", "Sint Maarten (Dutch part)"),
    "535": ("BES", "Bonaire, Sint Eustatius and Saba"),
    "540": ("NCL", "New Caledonia"),
    "548": ("VUT", "Vanuatu"),
    "554": ("NZL", "New Zealand"),
    "558": ("NIC", "Nicaragua"),
    "562": ("NER", "Niger"),
    "566": ("NGA", "Nigeria"),
    "570": ("NIU", "Niue"),
    "574": ("NFK", "Norfolk Island"),
    "578": ("NOR", "Norway"),
    "580": ("MNP", "Northern Mariana Islands"),
    "581": ("UMI", "United States Minor Outlying Islands"),
    "583": ("FSM", "Micronesia"),
    "584": ("MHL", "Marshall Islands"),
    "585": ("PLW", "Palau"),
    "586": ("PAK", "Pakistan"),
    "591": ("PAN", "Panama"),
    "598": ("PNG", "Papua New Guinea"),
    "600": ("PRY", "Paraguay"),
    "604": ("PER", "Peru"),
    "608": ("PHL", "Philippines"),
    "612": ("PCN", "Pitcairn"),
    "616": ("POL", "Poland"),
    "620": ("PRT", "Portugal"),
    "624": ("GNB", "Guinea-Bissau"),
    "626": ("TLS", "Timor-Leste"),
    "630": ("PRI", "Puerto Rico"),
    "634": ("QAT", "Qatar"),
    "638": ("REU", "Réunion"),
    "642": ("ROU", "Romania"),
    "643": ("RUS", "Russia"),
    "646": ("RWA", "Rwanda"),
    "652": ("BLM", "Saint Barthélemy"),
    "654": ("SHN", "Saint Helena, Ascension and Tristan da Cunha"),
    "659": ("KNA", "Saint Kitts and Nevis"),
    "660": ("AIA", "Anguilla"),
    "662": ("LCA", "Saint Lucia"),
    "663": ("MAF", "Saint Martin (French part)"),
    "666": ("SPM", "Saint Pierre and Miquelon"),
    "670": ("VCT", "Saint Vincent and the Grenadines"),
    "674": ("SMR", "San Marino"),
    "678": ("STP", "Sao Tome and Principe"),
    "682": ("SAU", "Saudi Arabia"),
    "686": ("SEN", "Senegal"),
    "688": ("SRB", "Serbia"),
    "690": ("SYC", "Seychelles"),
    "694": ("SLE", "Sierra Leone"),
    "702": ("SGP", "Singapore"),
    "703": ("SVK", "Slovakia"),
    "704": ("VNM", "Vietnam"),
    "705": ("SVN", "Slovenia"),
    "706": ("SOM", "Somalia"),
    "710": ("ZAF", "South Africa"),
    "716": ("ZWE", "Zimbabwe"),
    "724": ("ESP", "Spain"),
    "728": ("SSD", "South Sudan"),
    "729": ("SDN", "Sudan"),
    "732": ("ESH", "Western Sahara"),
    "740": ("SUR", "Suriname"),
    "744": ("SJM", "Svalbard and Jan Mayen"),
    "748": ("SWZ", "Eswatini"),
    "752": ("SWE", "Sweden"),
    "756": ("CHE", "Switzerland"),
    "760": ("SYR", "Syria"),
    "762": ("TJK", "Tajikistan"),
    "764": ("THA", "Thailand"),
    "768": ("TGO", "Togo"),
    "772": ("TKL", "Tokelau"),
    "776": ("TON", "Tonga"),
    "780": ("TTO", "Trinidad and Tobago"),
    "784": ("ARE", "United Arab Emirates"),
    "788": ("TUN", "Tunisia"),
    "792": ("TUR", "Türkiye"),
    "795": ("TKM", "Turkmenistan"),
    "796": ("TCA", "Turks and Caicos Islands"),
    "798": ("TUV", "Tuvalu"),
    "800": ("UGA", "Uganda"),
    "804": ("UKR", "Ukraine"),
    "807": ("MKD", "North Macedonia"),
    "818": ("EGY", "Egypt"),
    "826": ("GBR", "United Kingdom"),
    "831": ("GGY", "Guernsey"),
    "832": ("JEY", "Jersey"),
    "833": ("IMN", "Isle of Man"),
    "834": ("TZA", "Tanzania"),
    "840": ("USA", "United States"),
    "850": ("VIR", "U.S. Virgin Islands"),
    "854": ("BFA", "Burkina Faso"),
    "858": ("URY", "Uruguay"),
    "860": ("UZB", "Uzbekistan"),
    "862": ("VEN", "Venezuela"),
    "876": ("WLF", "Wallis and Futuna"),
    "882": ("WSM", "Samoa"),
    "887": ("YEM", "Yemen"),
    "894": ("ZMB", "Zambia"),
}

# Natural Earth features that have no ISO 3166-1 code. Codes are from the
# user-assigned X.. range of ISO 3166-1 (never given to a country), so they
# cannot collide: XKX is the code the EU, IMF and SWIFT use for Kosovo; the
# others are ours (Natural Earth's own ADM0_A3 codes are KOS, CYN, SOL, KAS).
NO_ID: dict[str, tuple[str, str]] = {
    "Kosovo": ("XKX", "Kosovo"),
    "N. Cyprus": ("XNC", "Northern Cyprus"),
    "Somaliland": ("XSL", "Somaliland"),
    "Siachen Glacier": ("XSG", "Siachen Glacier"),
}
# A state's whole territory: its feature plus those of the territories under its
# sovereignty, and the breakaway regions the UN does not recognise (N. Cyprus for
# CYP, Somaliland for SOM). The table lives in the package (partnermap.territory),
# which derives the same shapes at load; data/README.md explains the rule.
PARTNER_TERRITORY: dict[str, tuple[str, ...]] = territory.SOVEREIGNTY
# The Morocco-Western Sahara border is the parallel 27 deg 40' N; Natural Earth's ESH
# stops at the berm, but its northern edge is that line (as NE draws it), so
# everything of MAR south of it becomes ESH.
WESTERN_SAHARA_NORTH = 27.656898076793283
# Australia's Indian Ocean Territories are two ISO entities 800 km apart:
# parts west of 100E are the Cocos (Keeling) Islands, east of it Christmas Island.
SPLIT_BY_LONGITUDE: dict[str, tuple[float, str, str]] = {
    "Indian Ocean Ter.": (100.0, "166", "162"),
}

KINDS_STATE = ("state",)
KINDS_UNION = ("organisation", "group")


class BuildError(Exception):
    """Bad source or partner data: one message per problem, exit status 1."""

    def __init__(self, messages: Iterable[str]):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class SourceFeature:
    """One Natural Earth feature as read: ISO numeric id (or None), its name, its geometry."""

    numeric: str | None
    name: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class Country:
    id: str
    name: str
    geometry: BaseGeometry


# --- source ---------------------------------------------------------------------------------------


def integrity_of(path: Path) -> str:
    """npm's Subresource-Integrity string (sha512, base64) of a file."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def ensure_source(cache_dir: Path) -> Path:
    """The unpacked world-atlas package, fetched with npm if needed and always verified."""
    tarball = cache_dir / WORLD_ATLAS_TARBALL
    if not tarball.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError([f"npm not found: install Node.js, or put {WORLD_ATLAS_TARBALL} in {cache_dir}"])
        cache_dir.mkdir(parents=True, exist_ok=True)
        print(f"fetching {WORLD_ATLAS} with npm pack into {cache_dir}", file=sys.stderr)
        try:
            subprocess.run(
                [npm, "pack", WORLD_ATLAS, "--pack-destination", str(cache_dir), "--ignore-scripts", "--silent"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        except subprocess.CalledProcessError as exc:
            raise BuildError(
                [f"npm pack {WORLD_ATLAS} failed (exit {exc.returncode}); is the npm registry reachable?"]
            ) from exc
    found = integrity_of(tarball)
    if found != WORLD_ATLAS_INTEGRITY:
        raise BuildError([f"{tarball}: integrity {found} is not the expected {WORLD_ATLAS_INTEGRITY}; delete it"])
    # Unpack the two files we read from the verified tarball on every run, so an
    # edited cache can never feed the build.
    dest = cache_dir / WORLD_ATLAS_TARBALL.removesuffix(".tgz")
    with tarfile.open(tarball) as tar:
        members = [tar.getmember(MAIN_FILE), tar.getmember(DETAIL_FILE)]  # plain files: safe to extract
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4
            tar.extractall(dest, members=members, filter="data")
        else:
            tar.extractall(dest, members=members)
    return dest / "package"


def load_natural_earth(package_dir: Path) -> list[SourceFeature]:
    """Read the 1:50m countries, plus the ``FROM_DETAIL`` states from 1:10m."""
    import geopandas as gpd  # only the real build needs it; the transformations do not

    def read(name: str) -> list[SourceFeature]:
        frame = gpd.read_file(package_dir / name, layer="countries")
        return [
            SourceFeature(numeric if isinstance(numeric, str) else None, str(ne_name), geom)
            for numeric, ne_name, geom in zip(frame["id"], frame["name"], frame.geometry)
        ]

    main = read(Path(MAIN_FILE).name)
    present = {f.numeric for f in main}
    extra = [f for f in read(Path(DETAIL_FILE).name) if f.numeric in FROM_DETAIL and f.numeric not in present]
    return main + extra


# --- ids ------------------------------------------------------------------------------------------


def assign_codes(features: Iterable[SourceFeature]) -> dict[str, tuple[str, list[BaseGeometry]]]:
    """alpha-3 id -> (name, geometries) for the source features; unknown ids are errors."""
    out: dict[str, tuple[str, list[BaseGeometry]]] = {}
    errors = []

    def add(numeric: str, geom: BaseGeometry) -> None:
        code, name = ISO_3166_1[numeric]
        out.setdefault(code, (name, []))[1].append(geom)

    for f in features:
        if f.numeric is not None:
            if f.numeric not in ISO_3166_1:
                errors.append(f"source feature {f.name!r}: {f.numeric!r} is not an ISO 3166-1 numeric code")
                continue
            add(f.numeric, f.geometry)
        elif f.name in NO_ID:
            code, name = NO_ID[f.name]
            out.setdefault(code, (name, []))[1].append(f.geometry)
        elif f.name in SPLIT_BY_LONGITUDE:
            lon, west, east = SPLIT_BY_LONGITUDE[f.name]
            for part in shapely.get_parts(f.geometry):
                add(west if part.centroid.x < lon else east, part)
        else:
            errors.append(f"source feature {f.name!r} has no id and no entry in NO_ID")
    if errors:
        raise BuildError(errors)
    return out


# --- antimeridian ---------------------------------------------------------------------------------


def crosses_antimeridian(geom: BaseGeometry) -> bool:
    """True if some ring has an edge jumping more than 180 degrees of longitude."""
    for ring in shapely.get_rings(shapely.get_parts(geom)):
        lon = shapely.get_coordinates(ring)[:, 0]
        if np.any(np.abs(np.diff(lon)) > 180.0):
            return True
    return False


def fix_antimeridian(geom: BaseGeometry, *, clockwise: bool = True) -> BaseGeometry:
    """Cut rings that cross the antimeridian into pieces on either side of it.

    ``clockwise``: the input follows the d3/TopoJSON convention of world-atlas
    (exterior rings clockwise on the sphere); ``antimeridian`` expects
    counter-clockwise, so those are reversed first. Edges are cut where the
    straight lon/lat segment meets +-180 (``great_circle=False``), as Leaflet
    draws them. Geometries that do not cross are returned unchanged.
    """
    if not crosses_antimeridian(geom):
        return geom
    fixed = antimeridian.fix_shape(geom, great_circle=False, fix_winding=False, reverse=clockwise)
    return shape(fixed)


# --- geometry helpers -----------------------------------------------------------------------------


def make_valid_polygonal(geom: BaseGeometry) -> BaseGeometry:
    return geom if geom.is_valid else polygonal(shapely.make_valid(geom))


def finalize(geom: BaseGeometry, label: str, decimals: int = DECIMALS) -> BaseGeometry:
    """Round, repair only if rounding broke it, orient (RFC 7946) and check."""
    out = round_coordinates(geom, decimals)
    out = make_valid_polygonal(out)
    out = shapely.orient_polygons(out, exterior_cw=False)
    problems = geometry_problems(out)
    if problems:
        raise BuildError(f"{label}: {p}" for p in problems)
    return out


def geometry_problems(geom: BaseGeometry) -> list[str]:
    """What is wrong with an output geometry (empty list: nothing)."""
    if geom is None or geom.is_empty:
        return ["geometry is empty"]
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return [f"geometry is a {geom.geom_type}, not a Polygon or MultiPolygon"]
    problems = []
    if not geom.is_valid:
        problems.append(f"geometry is invalid: {shapely.is_valid_reason(geom)}")
    xmin, ymin, xmax, ymax = geom.bounds
    if xmin < -180 or xmax > 180 or ymin < -90 or ymax > 90:
        problems.append(f"geometry leaves [-180, 180] x [-90, 90]: bounds {geom.bounds}")
    for part in shapely.get_parts(geom):
        if not part.exterior.is_ccw:
            problems.append("an exterior ring is not counter-clockwise")
        if any(ring.is_ccw for ring in part.interiors):
            problems.append("a hole is not clockwise")
        for ring in shapely.get_rings(part):
            xy = shapely.get_coordinates(ring)
            jump = np.abs(np.diff(xy[:, 0])) > 180.0
            # Only an edge along a pole (Antarctica's southern edge) may run across the map.
            polar = (np.abs(xy[:-1, 1]) >= 89.99) & (np.abs(xy[1:, 1]) >= 89.99)
            if np.any(jump & ~polar):
                problems.append("a ring crosses the antimeridian")
    return sorted(set(problems))


# --- building the coverage ------------------------------------------------------------------------


def prepare(source: Iterable[SourceFeature]) -> list[Country]:
    """Source features -> one valid, antimeridian-cut geometry per id, sorted by id."""
    countries = []
    for code, (name, geoms) in sorted(assign_codes(source).items()):
        parts = []
        for geom in geoms:
            fixed = make_valid_polygonal(fix_antimeridian(geom))
            parts.extend(shapely.get_parts(fixed))
        geom = parts[0] if len(parts) == 1 else MultiPolygon(parts)
        countries.append(Country(code, name, make_valid_polygonal(geom)))
    return western_sahara(countries)


def western_sahara(countries: list[Country], north: float = WESTERN_SAHARA_NORTH) -> list[Country]:
    """Give ESH every part of MAR south of the border parallel (the whole territory, not only east of the berm)."""
    by_id = {c.id: c for c in countries}
    if "MAR" not in by_id or "ESH" not in by_id:
        return countries
    south = box(-180, -90, 180, north)
    mar, esh = by_id["MAR"], by_id["ESH"]
    moved = shapely.intersection(mar.geometry, south)
    if moved.is_empty:
        return countries
    by_id["MAR"] = Country("MAR", mar.name, polygonal(shapely.difference(mar.geometry, south)))
    by_id["ESH"] = Country("ESH", esh.name, polygonal(shapely.union_all([esh.geometry, moved])))
    return [by_id[c.id] for c in countries]


def simplify(
    countries: list[Country],
    tolerance: float = TOLERANCE,
    small_tolerance: float = SMALL_TOLERANCE,
    small_area: float = SMALL_AREA,
) -> tuple[list[Country], list[str]]:
    """Coverage-simplify all countries; small borderless islands at the finer tolerance.

    Returns the simplified countries and the ids simplified at ``small_tolerance``.
    """
    geoms = np.array([c.geometry for c in countries])
    if not shapely.coverage_is_valid(geoms):
        raise BuildError(["the source countries are not a valid coverage (overlaps or unmatched borders)"])
    simplified = shapely.coverage_simplify(geoms, tolerance)

    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    has_neighbour = np.zeros(len(geoms), dtype=bool)
    has_neighbour[left[left != right]] = True
    candidates = [i for i in range(len(geoms)) if not has_neighbour[i] and geoms[i].area < small_area]

    finer = []
    after = shapely.STRtree(simplified)
    for i in candidates:
        geom = shapely.coverage_simplify(geoms[i], small_tolerance)
        hits = [j for j in after.query(geom, predicate="intersects") if j != i]
        if not hits:  # still touches nothing: safe to use
            simplified[i] = geom
            finer.append(countries[i].id)
    out = [Country(c.id, c.name, g) for c, g in zip(countries, simplified)]
    return out, finer


def finalize_coverage(countries: list[Country], decimals: int = DECIMALS) -> dict[str, Country]:
    """Round and check every country, then check the whole still is a coverage."""
    errors: list[str] = []
    out: dict[str, Country] = {}
    for c in countries:
        try:
            out[c.id] = Country(c.id, c.name, finalize(c.geometry, c.id, decimals))
        except BuildError as exc:
            errors.extend(exc.messages)
    if errors:
        raise BuildError(errors)
    geoms = np.array([c.geometry for c in out.values()])
    if not shapely.coverage_is_valid(geoms):
        bad = [cid for cid, edges in zip(out, shapely.coverage_invalid_edges(geoms)) if not edges.is_empty]
        raise BuildError([f"after rounding, these countries overlap or stop sharing borders: {', '.join(bad)}"])
    return out


def build_coverage(source: Iterable[SourceFeature]) -> tuple[dict[str, Country], list[str]]:
    countries, finer = simplify(prepare(source))
    return finalize_coverage(countries), finer


# --- output ---------------------------------------------------------------------------------------


def geometry_dict(geom: BaseGeometry) -> dict[str, Any]:
    def ring(r: Any) -> list[list[float]]:
        return shapely.get_coordinates(r).tolist()

    def poly(p: Polygon) -> list[list[list[float]]]:
        return [ring(p.exterior), *(ring(h) for h in p.interiors)]

    if geom.geom_type == "Polygon":
        return {"type": "Polygon", "coordinates": poly(geom)}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in geom.geoms]}


def compact(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def basemap_text(coverage: Mapping[str, Country]) -> str:
    features = [
        {"type": "Feature", "properties": {"id": c.id, "name": c.name}, "geometry": geometry_dict(c.geometry)}
        for c in sorted(coverage.values(), key=lambda c: c.id)
    ]
    return compact({"type": "FeatureCollection", "features": features}) + "\n"


def territory_ids(code: str, coverage: Mapping[str, Country], own_partners: Iterable[str] = ()) -> list[str]:
    """The basemap features that make up a partner state's whole territory (``partnermap.territory``)."""
    return list(territory.state_parts(code, coverage, tuple(own_partners)))


def union_ids(coverage: Mapping[str, Country], members: Iterable[str], **rules: Any) -> list[str]:
    """The basemap features of an organisation's or group's territory (``partnermap.territory``)."""
    return list(territory.union_parts(members, coverage, **rules))


def territory_geometry(coverage: Mapping[str, Country], ids: Iterable[str], label: str) -> BaseGeometry:
    """The union of these features, as the package makes it (``territory.merge``), checked."""
    geoms = [coverage[i].geometry for i in sorted(set(ids))]
    if not geoms:
        raise BuildError([f"{label}: no basemap feature to make a territory of"])
    return geoms[0] if len(geoms) == 1 else finalize(territory.merge(geoms), label)


def union_members(coverage: Mapping[str, Country], members: Iterable[str], label: str) -> BaseGeometry:
    """The union of member territories (same coverage, so no seams), finalized."""
    return territory_geometry(coverage, union_ids(coverage, members), label)


def partner_geometries(features: list[Any], coverage: Mapping[str, Country], label: str,
                       focal: str | None = None) -> list[BaseGeometry]:
    """The geometry each partner feature should have; every problem is reported at once."""
    errors, out = [], []
    props_of = [f.get("properties") if isinstance(f, dict) else None for f in features]
    states = {p.get("id") for p in props_of if isinstance(p, dict) and p.get("kind") in KINDS_STATE}
    groups = {p["id"]: tuple(p["members"]) for p in props_of
              if isinstance(p, dict) and p.get("kind") in KINDS_UNION and isinstance(p.get("id"), str)
              and isinstance(p.get("members"), list) and all(isinstance(m, str) for m in p["members"])}
    for n, props in enumerate(props_of):
        if not isinstance(props, dict):
            errors.append(f"{label}: feature {n}: no properties")
            continue
        fid, kind = props.get("id"), props.get("kind")
        where = f"{label}: feature {n} ({fid})"
        if kind in KINDS_STATE:
            if fid not in coverage:
                errors.append(f"{where} id: {fid!r} is not a country of the basemap")
                continue
            out.append(territory_geometry(coverage, territory_ids(fid, coverage, states - {fid}), where))
        elif kind in KINDS_UNION:
            members = props.get("members")
            if not isinstance(members, list) or not members or not all(isinstance(m, str) for m in members):
                errors.append(f"{where} members: a {kind} needs a non-empty list of ISO3 ids")
                continue
            unknown = [m for m in members if m not in coverage and m not in groups]
            if unknown:
                errors.append(f"{where} members: not countries of the basemap: {', '.join(unknown)}")
                continue
            ids = union_ids(coverage, members, scope=fid, focal=focal, groups=groups)
            out.append(territory_geometry(coverage, ids, where))
        else:
            errors.append(f"{where} kind: {kind!r} is not one of state, organisation, group")
    if errors:
        raise BuildError(errors)
    return out


def partners_text(text: str, coverage: Mapping[str, Country], label: str = "partners.geojson") -> str:
    """The partner file with every feature's geometry rebuilt and nothing else changed.

    Written as ``json.dump(obj, ensure_ascii=False, indent=1)`` plus a newline,
    except that each geometry is one compact line (deterministic: it is put in
    place of a unique marker string).
    """
    obj = json.loads(text)
    features = obj.get("features") if isinstance(obj, dict) else None
    if not isinstance(features, list):
        raise BuildError([f"{label}: not a FeatureCollection with a features list"])
    focal = obj.get("metadata", {}).get("focal", {}).get("id") if isinstance(obj.get("metadata"), dict) else None
    geoms = partner_geometries(features, coverage, label, focal if isinstance(focal, str) else None)
    marker = "@@partnermap-geometry-{}@@"
    if marker.split("{", 1)[0] in text:
        raise BuildError([f"{label}: contains the reserved text {marker.split('{', 1)[0]!r}"])
    for n, feature in enumerate(features):
        feature["geometry"] = marker.format(n)
    out = json.dumps(obj, ensure_ascii=False, indent=1)
    for n, geom in enumerate(geoms):
        out = out.replace(json.dumps(marker.format(n)), compact(geometry_dict(geom)), 1)
    return out + "\n"


def write_outputs(
    coverage: Mapping[str, Country],
    basemap_path: Path = BASEMAP_PATH,
    partners_path: Path | None = None,
    check: bool = False,
) -> int:
    """Write (or with ``check`` compare) the outputs. 0: current/written, 1: ``check`` found a change."""
    outputs = {basemap_path: basemap_text(coverage)}
    if partners_path is not None and partners_path.exists():
        outputs[partners_path] = partners_text(partners_path.read_text(encoding="utf-8"), coverage, partners_path.name)
    elif partners_path is not None:
        print(f"{partners_path}: not there yet, skipped", file=sys.stderr)
    stale = []
    for path, text in outputs.items():
        data = text.encode("utf-8")
        current = path.read_bytes() if path.exists() else None
        if current != data:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
        print(f"{path}: {len(data):,} bytes{' (changed)' if current != data else ''}", file=sys.stderr)
    if check and stale:
        for path in stale:
            print(f"{path}: out of date; run python scripts/build_geometry.py", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if an output would change; write nothing")
    parser.add_argument("--basemap", type=Path, default=BASEMAP_PATH, help="basemap output (default: %(default)s)")
    parser.add_argument("--partners", type=Path, default=None,
                        help="also write every geometry into this file (default: none; the package derives them)")
    parser.add_argument("--cache", type=Path, default=CACHE_DIR, help="download cache (default: %(default)s)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        coverage, finer = build_coverage(load_natural_earth(ensure_source(args.cache)))
        print(
            f"{len(coverage)} countries, tolerance {TOLERANCE} (small islands {SMALL_TOLERANCE}: {len(finer)}), "
            f"{DECIMALS} decimals, {int(shapely.get_num_coordinates([c.geometry for c in coverage.values()]).sum()):,}"
            " vertices",
            file=sys.stderr,
        )
        status = write_outputs(coverage, args.basemap, args.partners, args.check)
    except BuildError as exc:
        for message in exc.messages:
            print(message, file=sys.stderr)
        return 1
    print(f"done in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
