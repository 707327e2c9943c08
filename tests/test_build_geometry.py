"""scripts/build_geometry.py on tiny in-memory inputs: no network, no npm tarball."""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, shape

from partnermap import territory

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_geometry.py"


def _import_script():
    spec = importlib.util.spec_from_file_location("build_geometry", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


bg = _import_script()


def in_range(geom) -> bool:
    xmin, ymin, xmax, ymax = geom.bounds
    return xmin >= -180 and xmax <= 180 and ymin >= -90 and ymax <= 90


def coverage(*countries) -> dict:
    """id -> Country for (id, geometry) pairs, finalized like the real build."""
    return bg.finalize_coverage([bg.Country(cid, cid.title(), geom) for cid, geom in countries])


# --- the ISO table ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeric", "alpha3"),
    [
        ("392", "JPN"),
        ("410", "KOR"),
        ("408", "PRK"),
        ("158", "TWN"),
        ("826", "GBR"),
        ("840", "USA"),
        ("704", "VNM"),
        ("262", "DJI"),
        ("732", "ESH"),
        ("036", "AUS"),
        ("156", "CHN"),
        ("643", "RUS"),
        ("250", "FRA"),
        ("276", "DEU"),
        ("356", "IND"),
        ("608", "PHL"),
        ("242", "FJI"),
        ("798", "TUV"),
        ("010", "ATA"),
        ("702", "SGP"),
        ("480", "MUS"),
        ("132", "CPV"),
        ("174", "COM"),
        ("690", "SYC"),
        ("678", "STP"),
        ("096", "BRN"),
        ("807", "MKD"),
        ("748", "SWZ"),
        ("180", "COD"),
        ("178", "COG"),
    ],
)
def test_iso_numeric_to_alpha3(numeric, alpha3):
    assert bg.ISO_3166_1[numeric][0] == alpha3


def test_iso_table_is_complete_and_one_to_one():
    table = bg.ISO_3166_1
    assert len(table) == 249  # every assigned ISO 3166-1 code
    assert all(len(n) == 3 and n.isdigit() for n in table)
    codes = [code for code, _ in table.values()]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 3 and c.isalpha() and c.isupper() for c in codes)
    assert all(name.strip() == name and name for _, name in table.values())
    # The user-assigned codes for features without an ISO code never collide with ISO ones.
    assert all(code.startswith("X") and code not in codes for code, _ in bg.NO_ID.values())


def test_assign_codes_maps_merges_and_names():
    sq = box(0, 0, 1, 1)
    source = [
        bg.SourceFeature("392", "Japan", sq),
        bg.SourceFeature("036", "Australia", box(10, 0, 11, 1)),
        bg.SourceFeature("036", "Ashmore and Cartier Is.", box(12, 0, 12.1, 0.1)),
        bg.SourceFeature(None, "Kosovo", box(20, 0, 21, 1)),
        bg.SourceFeature(
            None, "Indian Ocean Ter.", MultiPolygon([box(96.8, -12.2, 96.9, -12.1), box(105.6, -10.6, 105.7, -10.4)])
        ),
    ]
    out = bg.assign_codes(source)
    assert sorted(out) == ["AUS", "CCK", "CXR", "JPN", "XKX"]
    assert out["JPN"][0] == "Japan"
    assert len(out["AUS"][1]) == 2  # Ashmore and Cartier merged into Australia
    assert out["XKX"][0] == "Kosovo"
    assert out["CCK"][1][0].bounds[0] == pytest.approx(96.8)
    assert out["CXR"][1][0].bounds[0] == pytest.approx(105.6)


def test_assign_codes_rejects_unknown_ids():
    with pytest.raises(bg.BuildError) as err:
        bg.assign_codes(
            [bg.SourceFeature("999", "Nowhere", box(0, 0, 1, 1)), bg.SourceFeature(None, "Atlantis", box(0, 0, 1, 1))]
        )
    assert len(err.value.messages) == 2
    assert "'999'" in err.value.messages[0] and "Atlantis" in err.value.messages[1]


# --- antimeridian ----------------------------------------------------------------------------------


def _fiji_like(clockwise: bool) -> Polygon:
    """An island from 179E to 179W, written as a ring that jumps across the map."""
    ring = [(179.0, -17.0), (-179.0, -17.0), (-179.0, -16.0), (179.0, -16.0)]  # counter-clockwise on the sphere
    return Polygon(ring[::-1] if clockwise else ring)


@pytest.mark.parametrize("clockwise", [True, False])
def test_fix_antimeridian_splits_into_valid_pieces(clockwise):
    geom = _fiji_like(clockwise)
    assert bg.crosses_antimeridian(geom)
    fixed = bg.fix_antimeridian(geom, clockwise=clockwise)
    assert fixed.is_valid and in_range(fixed)
    assert not bg.crosses_antimeridian(fixed)
    assert len(shapely.get_parts(fixed)) == 2
    assert fixed.area == pytest.approx(2.0)  # 2 degrees wide, 1 high: nothing lost, nothing wrapped
    west, east = sorted(shapely.get_parts(fixed), key=lambda p: p.bounds[0])
    assert west.bounds == pytest.approx((-180, -17, -179, -16))
    assert east.bounds == pytest.approx((179, -17, 180, -16))
    assert bg.geometry_problems(bg.finalize(fixed, "FJI")) == []


def test_fix_antimeridian_leaves_others_alone():
    geom = box(170, -10, 179.5, -5)
    assert bg.fix_antimeridian(geom) is geom


def test_fix_antimeridian_polar_cap():
    """A ring around the south pole (Antarctica) becomes a cap bounded by the pole."""
    lons = list(range(-180, 180, 30))
    ring = [(lon, -70.0) for lon in lons]  # eastward: the pole is on the right, so the ring is clockwise (d3)
    fixed = bg.fix_antimeridian(Polygon(ring), clockwise=True)
    assert fixed.is_valid and in_range(fixed)
    assert fixed.bounds == pytest.approx((-180, -90, 180, -70))
    assert bg.geometry_problems(bg.finalize(fixed, "ATA")) == []  # its edge along the pole is allowed


def test_geometry_problems_catch_wrapped_rings():
    wrapped = Polygon([(179, -17), (-179, -17), (-179, -16), (179, -16)])  # spans the globe as drawn
    wrapped = shapely.orient_polygons(wrapped, exterior_cw=False)
    assert "a ring crosses the antimeridian" in bg.geometry_problems(wrapped)
    assert bg.geometry_problems(shapely.orient_polygons(box(0, 0, 1, 1), exterior_cw=True))  # clockwise exterior
    assert bg.geometry_problems(Polygon()) == ["geometry is empty"]


# --- simplification and rounding -------------------------------------------------------------------


def _wiggly_pair():
    """Two countries sharing a zig-zag border, and a small island off the coast."""
    border = [(5.0, float(y)) if y % 2 == 0 else (5.3, float(y)) for y in range(11)]
    west = Polygon([(0, 0), *border, (0, 10)][::-1])
    east = Polygon([(10, 0), (10, 10), *border[::-1]][::-1])
    theta = [i / 24 * math.tau for i in range(24)]
    island = Polygon([(12 + 0.3 * math.cos(t), 5 + 0.3 * math.sin(t)) for t in theta])
    return [bg.Country("AAA", "A", west), bg.Country("BBB", "B", east), bg.Country("CCC", "C", island)]


def test_simplify_keeps_shared_borders_and_small_islands():
    countries = _wiggly_pair()
    simplified, finer = bg.simplify(countries, tolerance=1.0, small_tolerance=0.01, small_area=1.0)
    assert finer == ["CCC"]
    out = bg.finalize_coverage(simplified, decimals=2)
    geoms = [c.geometry for c in out.values()]
    assert shapely.coverage_is_valid(geoms)
    assert out["AAA"].geometry.intersection(out["BBB"].geometry).area == 0
    assert out["AAA"].geometry.union(out["BBB"].geometry).area == pytest.approx(100.0)  # no gap
    assert shapely.get_num_coordinates(out["CCC"].geometry) > 10  # the island is still round-ish
    for c in out.values():
        assert bg.geometry_problems(c.geometry) == []


def test_round_coordinates_has_no_negative_zero():
    geom = bg.round_coordinates(box(-0.001, -0.001, 1, 1), 2)
    assert "-0.0" not in json.dumps(bg.geometry_dict(geom))


# --- partner geometry ------------------------------------------------------------------------------


def tiny_world() -> dict:
    """France and Germany sharing a border, and three Pacific states, two of them cut at 180."""
    return coverage(
        ("FRA", Polygon([(0, 43), (7, 43), (7, 49), (0, 49)])),
        ("DEU", Polygon([(7, 43), (14, 43), (14, 55), (7, 55), (7, 49)])),
        ("USA", MultiPolygon([box(-125, 30, -70, 49), box(179, 51, 180, 52), box(-180, 51, -178, 52)])),
        ("FJI", MultiPolygon([box(177, -19, 180, -16), box(-180, -17, -179, -16)])),
        ("NZL", MultiPolygon([box(166, -47, 178, -34), box(-177, -44.5, -176, -43.5)])),
        ("JPN", box(130, 31, 145, 45)),
        ("KOR", box(126, 34, 129, 38)),
    )


def test_union_of_neighbours_is_one_polygon():
    union = bg.union_members(tiny_world(), ["FRA", "DEU"], "EU")
    assert union.geom_type == "Polygon" and union.is_valid
    assert union.area == pytest.approx(42 + 84 - 0)


def test_union_across_the_antimeridian_stays_in_range():
    world = tiny_world()
    union = bg.union_members(world, ["USA", "FJI", "NZL"], "PAC")
    assert union.is_valid and in_range(union) and not bg.crosses_antimeridian(union)
    assert union.area == pytest.approx(sum(world[c].geometry.area for c in ("USA", "FJI", "NZL")))
    assert bg.union_members(world, ["NZL", "FJI", "USA", "FJI"], "PAC").equals_exact(union, 0)  # order-free


def test_partner_territory_includes_unrecognised_breakaways():
    somalia = Polygon([(41, -2), (51, -2), (51, 8), (49, 8), (43, 8), (41, 8)])
    world = coverage(("SOM", somalia), ("XSL", box(43, 8, 49, 11.5)), ("ETH", box(33, 3, 40, 15)))
    codes = {code for code, _ in bg.NO_ID.values()} | {code for code, _ in bg.ISO_3166_1.values()}
    assert all(extra in codes for v in bg.PARTNER_TERRITORY.values() for extra in v)
    assert bg.PARTNER_TERRITORY is territory.SOVEREIGNTY  # one table, shared with the package
    assert bg.territory_ids("SOM", world) == ["SOM", "XSL"]
    assert bg.territory_ids("ETH", world) == ["ETH"]
    [somalia, ethiopia] = bg.partner_geometries(
        [
            {"properties": {"id": "SOM", "kind": "state"}},
            {"properties": {"id": "ETH", "kind": "state"}},
        ],
        world,
        "t",
    )
    assert somalia.geom_type == "Polygon" and somalia.area == pytest.approx(100 + 21)  # no hole in the Horn
    assert ethiopia.equals(world["ETH"].geometry)
    assert bg.union_members(world, ["ETH", "SOM"], "g").area == pytest.approx(84 + 100 + 21)


def _fixture_text() -> str:
    doc = {
        "type": "FeatureCollection",
        "partnermap": 1,
        "metadata": {
            "title": "Japan's partner network",
            "as_of": "2025-11-30",
            "focal": {"id": "JPN", "name": "Japan", "name_ja": "日本", "anchor": [139.69, 35.69]},
        },
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "id": "KOR",
                    "name": "South Korea",
                    "name_ja": "韓国",
                    "kind": "state",
                    "anchor": [126.98, 37.57],
                    "members": [],
                    "ties": [
                        {
                            "id": "KOR-1",
                            "title": "Japan–Korea",
                            "sources": [{"title": "x", "publisher": "MOFA", "date": "2015"}],
                        }
                    ],
                },
                "geometry": None,
            },
            {
                "type": "Feature",
                "properties": {
                    "id": "EUX",
                    "name": "Franco-German",
                    "kind": "organisation",
                    "anchor": [4.35, 50.85],
                    "members": ["FRA", "DEU"],
                    "ties": [],
                },
                "geometry": None,
            },
            {
                "type": "Feature",
                "geometry": None,
                "properties": {
                    "id": "PAC",
                    "name": "Pacific",
                    "kind": "group",
                    "anchor": [178.44, -18.14],
                    "members": ["USA", "FJI", "NZL"],
                    "ties": [],
                },
            },
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def test_partner_file_properties_are_preserved_byte_for_byte(tmp_path):
    world = tiny_world()
    path = tmp_path / "partners.geojson"
    before = _fixture_text()
    path.write_text(before, encoding="utf-8")
    assert bg.write_outputs(world, tmp_path / "world.geojson", path) == 0
    after = path.read_text(encoding="utf-8")

    def without_geometry(text):
        return [line for line in text.splitlines() if not line.lstrip().startswith('"geometry"')]

    assert without_geometry(after) == without_geometry(before)  # every other line, byte for byte
    old, new = json.loads(before), json.loads(after)
    assert new["metadata"] == old["metadata"] and list(new) == list(old)
    for f_old, f_new in zip(old["features"], new["features"]):
        assert f_new["properties"] == f_old["properties"]
        assert list(f_new) == list(f_old)  # key order, geometry included
    geoms = [shape(f["geometry"]) for f in new["features"]]
    assert geoms[0].equals(world["KOR"].geometry)
    assert geoms[1].geom_type == "Polygon"
    assert all(g.is_valid and in_range(g) for g in geoms)
    assert sum(line.lstrip().startswith('"geometry"') for line in after.splitlines()) == 3  # one line each


def test_check_mode_detects_stale_outputs(tmp_path):
    world = tiny_world()
    partners, basemap = tmp_path / "partners.geojson", tmp_path / "world.geojson"
    partners.write_text(_fixture_text(), encoding="utf-8")
    assert bg.write_outputs(world, basemap, partners, check=True) == 1  # geometry still null
    assert bg.write_outputs(world, basemap, partners) == 0
    first = (basemap.read_bytes(), partners.read_bytes())
    assert bg.write_outputs(world, basemap, partners, check=True) == 0
    assert bg.write_outputs(world, basemap, partners) == 0
    assert (basemap.read_bytes(), partners.read_bytes()) == first  # deterministic
    basemap.write_bytes(first[0].replace(b'"JPN"', b'"JPX"'))
    assert bg.write_outputs(world, basemap, partners, check=True) == 1
    assert basemap.read_bytes() != first[0]  # --check writes nothing


def test_basemap_is_compact_sorted_and_minimal():
    text = bg.basemap_text(tiny_world())
    doc = json.loads(text)
    ids = [f["properties"]["id"] for f in doc["features"]]
    assert ids == sorted(ids)
    assert all(set(f["properties"]) == {"id", "name"} for f in doc["features"])
    assert text.endswith("\n") and "\n" not in text[:-1] and ", " not in text


def test_unknown_ids_are_errors_naming_the_feature(tmp_path):
    doc = json.loads(_fixture_text())
    doc["features"][0]["properties"]["id"] = "XYZ"
    doc["features"][2]["properties"]["members"] = ["USA", "ATL"]
    path = tmp_path / "partners.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    with pytest.raises(bg.BuildError) as err:
        bg.write_outputs(tiny_world(), tmp_path / "world.geojson", path)
    assert err.value.messages == [
        "partners.geojson: feature 0 (XYZ) id: 'XYZ' is not a country of the basemap",
        "partners.geojson: feature 2 (PAC) members: not countries of the basemap: ATL",
    ]
    assert not (tmp_path / "world.geojson").exists()  # nothing written when the data is bad


def test_main_exits_1_on_bad_partner_file(tmp_path, monkeypatch, capsys):
    doc = json.loads(_fixture_text())
    doc["features"][1]["properties"]["members"] = ["FRA", "DEU", "ATL"]
    path = tmp_path / "partners.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    world = tiny_world()
    monkeypatch.setattr(bg, "ensure_source", lambda cache: tmp_path)
    monkeypatch.setattr(bg, "load_natural_earth", lambda package: [])
    monkeypatch.setattr(bg, "build_coverage", lambda source: (world, []))
    assert bg.main(["--partners", str(path), "--basemap", str(tmp_path / "world.geojson")]) == 1
    assert "feature 1 (EUX) members: not countries of the basemap: ATL" in capsys.readouterr().err


def test_western_sahara_takes_everything_of_morocco_south_of_the_border_line():
    north = bg.WESTERN_SAHARA_NORTH
    morocco = Polygon([(-17, 21.5), (-13, 21.5), (-13, 26), (-8.7, 26), (-8.7, 27.66), (-1, 30), (-1, 36),
                       (-6, 36), (-13, 28)])  # includes the coast west of the berm
    berm_east = box(-13, 21.5, -8.7, 26)
    countries = bg.western_sahara([bg.Country("ESH", "Western Sahara", berm_east),
                                   bg.Country("MAR", "Morocco", morocco),
                                   bg.Country("DZA", "Algeria", box(-8.7, 20, 0, 26))])
    esh, mar, dza = (c.geometry for c in countries)
    assert esh.contains(Point(-13.2, 27.15)) and not mar.contains(Point(-13.2, 27.15))  # Laayoune
    assert esh.bounds[3] == pytest.approx(north) and mar.bounds[1] == pytest.approx(north)
    assert esh.area + mar.area == pytest.approx(morocco.area + berm_east.area)
    assert shapely.coverage_is_valid([esh, mar]) and dza.equals(box(-8.7, 20, 0, 26))
    assert [c.id for c in countries] == ["ESH", "MAR", "DZA"]


def test_bundled_basemap_puts_laayoune_in_western_sahara():
    from partnermap.basemap import shapes

    by_id = shapes()
    assert by_id["ESH"].contains(Point(-13.2, 27.15)) and not by_id["MAR"].contains(Point(-13.2, 27.15))
    assert by_id["ESH"].bounds[3] == pytest.approx(27.66, abs=0.01)
    assert by_id["MAR"].contains(Point(-6.84, 34.02))  # Rabat


def test_script_and_package_make_the_same_territories():
    """A file filled by the script loads to the same shapes as the file without geometry."""
    from partnermap.basemap import shapes
    from partnermap.checks import check

    world = {cid: bg.Country(cid, cid, g) for cid, g in shapes().items()}
    doc = json.loads((Path(__file__).parent / "data" / "australia.geojson").read_text(encoding="utf-8"))
    doc["features"].append({"type": "Feature", "geometry": None, "properties": {
        "id": "NATO", "name": "NATO", "kind": "organisation", "anchor": [4.43, 50.88],
        "members": ["USA", "GBR", "DNK", "FRA", "FIN"], "ties": [{
            "id": "NATO-1", "title": "A test tie", "category": "diplomatic", "type": "dialogue", "status": "held",
            "dates": {"held": "2024"}, "summary": "Test.",
            "sources": [{"title": "t", "publisher": "p", "date": "2024"}]}]}})
    filled = json.loads(bg.partners_text(json.dumps(doc), world))
    bare, full = check(doc, "bare"), check(filled, "full")
    assert bare.problems == full.problems == () and full.warnings == ()
    bare, full = bare.dataset, full.dataset
    for a, b in zip(bare.partners, full.partners, strict=True):
        assert a.derived and not b.derived
        assert shapely.equals_exact(a.geometry, b.geometry, tolerance=0), a.id
