"""Territories and anchors from codes (territory.py, basemap.capitals): whole territories, treaty scope, laziness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point, box, mapping

from partnermap import basemap, load, territory
from partnermap.checks import check
from partnermap.territory import SOVEREIGNTY, TREATY_EXCLUDES, shape_of, state_parts, union_parts

DATA = Path(__file__).parent / "data"
AUSTRALIA = DATA / "australia.geojson"
TROPIC_OF_CANCER = 23.44
NATO_MEMBERS_WITH_TERRITORIES = ("DNK", "FIN", "FRA", "GBR", "NLD", "USA")
EU_MEMBERS_WITH_TERRITORIES = ("DNK", "FIN", "FRA", "NLD")


def test_sovereignty_table_names_basemap_features_that_are_no_states_of_their_own():
    ids = basemap.ids()
    extras = [t for v in SOVEREIGNTY.values() for t in v]
    assert set(SOVEREIGNTY) <= ids and set(extras) <= ids
    assert len(extras) == len(set(extras))  # each territory has one sovereign
    assert not set(extras) & set(SOVEREIGNTY)
    # the rule's exclusions: free association, unsettled sovereignty, de facto states
    assert not {"COK", "NIU", "ESH", "TWN", "ATA", "XKX", "XSG", "PSE"} & set(extras)


def test_nato_scope_is_article_6_every_member_territory_south_of_the_tropic_is_out():
    shapes = basemap.shapes()
    south = {t for m in NATO_MEMBERS_WITH_TERRITORIES for t in SOVEREIGNTY[m]
             if shapes[t].representative_point().y < TROPIC_OF_CANCER}
    assert set(TREATY_EXCLUDES["NATO"]) == south
    assert {"GRL", "FRO", "BMU", "SPM", "ALA"}.isdisjoint(TREATY_EXCLUDES["NATO"])


def test_eu_scope_leaves_out_the_overseas_countries_and_territories_and_the_faroes():
    dependencies = {t for m in EU_MEMBERS_WITH_TERRITORIES for t in SOVEREIGNTY[m]}
    # Åland and Saint-Martin (an outermost region) are in the EU; every other member territory is out
    assert set(TREATY_EXCLUDES["EU"]) == dependencies - {"ALA", "MAF"}


def test_cptpp_scope_is_great_britain_northern_ireland_and_the_crown_dependencies():
    # the UK's accession covers the Crown Dependencies for goods, none of the overseas territories
    crown_dependencies = {"GGY", "IMN", "JEY"}
    assert set(TREATY_EXCLUDES["CPTPP"]) == set(SOVEREIGNTY["GBR"]) - crown_dependencies
    cptpp = union_parts(["GBR", "AUS", "NZL", "CAN", "MEX"], basemap.ids(), scope="CPTPP", focal="JPN")
    assert {"GBR", "GGY", "IMN", "JEY", "NFK"} <= set(cptpp)
    assert not {"FLK", "BMU", "SGS", "IOT", "PCN"} & set(cptpp)


def test_rcep_scope_leaves_out_hong_kong_and_macao():
    # China is a party for its customs territory; the two SARs are separate customs territories, no parties
    assert set(TREATY_EXCLUDES["RCEP"]) == set(SOVEREIGNTY["CHN"])
    rcep = union_parts(["CHN", "KOR", "AUS"], basemap.ids(), scope="RCEP", focal="JPN")
    assert "CHN" in rcep and not {"HKG", "MAC"} & set(rcep)
    assert {"HKG", "MAC"} <= set(state_parts("CHN", basemap.ids()))  # China itself is still drawn whole


def test_bundled_groups_follow_their_treaties():
    japan = load()
    assert not {"HKG", "MAC"} & set(japan.partner("RCEP").territory)
    cptpp = set(japan.partner("CPTPP").territory)
    assert "JEY" in cptpp and not {"FLK", "BMU"} & cptpp
    flk = basemap.shapes()["FLK"].representative_point()
    assert not japan.partner("CPTPP").geometry.contains(flk)
    assert japan.partner("GBR").geometry.contains(flk)  # the UK itself is drawn whole


def test_a_state_is_its_whole_territory():
    ids = basemap.ids()
    assert state_parts("USA", ids) == ("ASM", "GUM", "MNP", "PRI", "USA", "VIR")
    assert state_parts("DNK", ids) == ("DNK", "FRO", "GRL")
    assert state_parts("CYP", ids) == ("CYP", "XNC") and state_parts("SOM", ids) == ("SOM", "XSL")
    assert state_parts("MAR", ids) == ("MAR",)  # Western Sahara is nobody's
    assert state_parts("NZL", ids) == ("NZL",)  # Cook Islands and Niue are in free association
    assert state_parts("XYZ", ids) == ()


def test_a_territory_that_is_a_partner_of_its_own_leaves_its_sovereign():
    assert state_parts("CHN", basemap.ids(), own_partners={"HKG"}) == ("CHN", "MAC")


def test_organisation_territory_follows_its_treaty():
    ids = basemap.ids()
    eu = union_parts(["DNK", "FIN", "FRA", "NLD"], ids, scope="EU")
    assert {"ALA", "MAF", "DNK", "FRA"} <= set(eu) and not {"GRL", "FRO", "NCL", "ABW"} & set(eu)
    nato = union_parts(["DNK", "USA", "GBR"], ids, scope="NATO")
    assert {"GRL", "FRO", "BMU", "GGY"} <= set(nato) and not {"PRI", "GUM", "FLK"} & set(nato)
    group = union_parts(["DNK", "USA"], ids, scope="QUADX")  # no treaty scope: whole territories
    assert {"GRL", "PRI"} <= set(group)


def test_union_leaves_out_the_focal_country_and_follows_nested_groups_once():
    ids = basemap.ids()
    assert union_parts(["AUS", "NZL"], ids, focal="AUS") == ("NZL",)  # Norfolk Island is left out too
    groups = {"A": ("NZL", "B"), "B": ("FJI", "A")}  # a cycle
    assert union_parts(["A"], ids, groups=groups) == ("FJI", "NZL")


def test_australian_fixture_loads_with_territories_and_anchors_from_codes():
    data = load(AUSTRALIA)
    assert all(p.derived for p in data.partners)
    pif = data.partner("PIF")
    assert "AUS" not in pif.territory and {"NZL", "PNG", "FJI", "NCL", "PYF", "COK"} <= set(pif.territory)
    assert not pif.geometry.contains(Point(149.13, -35.28))  # Canberra: the focal country is left out
    assert "TLS" in data.partner("ASEAN").territory
    aukus = data.partner("AUKUS")
    assert set(aukus.territory) == set(state_parts("USA", basemap.ids())) | set(state_parts("GBR", basemap.ids()))
    assert data.partner("NZL").anchor == (174.78, -41.29) and data.partner("NZL").anchor_derived
    assert aukus.anchor == basemap.capitals()["USA"][1] and aukus.anchor_derived  # a group: its first member's
    assert data.partner("ASEAN").anchor == (106.8, -6.24) and not data.partner("ASEAN").anchor_derived
    assert data.focal.anchor == (149.13, -35.28) and data.focal.anchor_derived
    usa = data.partner("USA").geometry
    assert usa.contains(Point(-66.1, 18.4)) and usa.is_valid  # San Juan, Puerto Rico


def test_derivation_is_lazy_and_shared():
    basemap.shapes.cache_clear()
    shape_of.cache_clear()
    data = load(AUSTRALIA)
    assert basemap.shapes.cache_info().currsize == 0  # loading parsed no shape
    first = data.partner("USA").geometry
    assert basemap.shapes.cache_info().currsize == 1
    assert load(AUSTRALIA).partner("USA").geometry is first  # one union per territory, cached


def test_single_feature_territory_is_the_basemap_shape_itself():
    data = load(AUSTRALIA)
    assert data.partner("IDN").geometry is basemap.shapes()["IDN"]  # the map sends it as "basemap"


def test_explicit_geometry_wins():
    doc = json.loads(AUSTRALIA.read_text(encoding="utf-8"))
    nzl = next(f for f in doc["features"] if f["properties"]["id"] == "NZL")
    nzl["geometry"] = mapping(box(166, -47, 179, -34))
    nzl["geometry"] = json.loads(json.dumps(nzl["geometry"]))
    result = check(doc, "x")
    assert result.problems == () and result.warnings == ()
    partner = result.dataset.partner("NZL")
    assert not partner.derived and partner.geometry.equals(box(166, -47, 179, -34))


@pytest.mark.parametrize(("pasted", "warned"), [("CHN", True), ("NZL", False)])
def test_far_geometry_is_a_warning_not_a_problem(pasted, warned):
    doc = json.loads(AUSTRALIA.read_text(encoding="utf-8"))
    nzl = next(f for f in doc["features"] if f["properties"]["id"] == "NZL")
    nzl["geometry"] = json.loads(json.dumps(mapping(basemap.shapes()[pasted])))
    result = check(doc, "x.geojson")
    assert result.problems == () and result.dataset is not None
    if warned:
        assert [str(w) for w in result.warnings] == [
            "x.geojson: feature 0 (NZL): geometry: far from NZL's shape on the basemap (overlap 0.00, warned below "
            "0.10): another country's polygon? Leave geometry out to draw NZL from the basemap"]
    else:
        assert result.warnings == ()


def test_a_small_island_drawn_at_another_resolution_is_not_far():
    tuvalu = basemap.shapes()["TUV"]
    coarse = shapely.buffer(tuvalu, 0.05)  # each atoll drawn fatter: little overlap, but near
    assert territory.far_from(coarse, "TUV", ("TUV",)) is None
    assert territory.far_from(basemap.shapes()["FJI"], "TUV", ("TUV",)) is not None


def test_capitals_cover_the_basemap_except_uninhabited_and_unrecognised_ids():
    caps = basemap.capitals()
    assert set(basemap.ids()) - set(caps) == {"ATA", "HMD", "XNC", "XSG", "XSL"}
    assert caps["AUS"] == ("Canberra", (149.13, -35.28)) and caps["JPN"][0] == "Tokyo"
    for _, (lon, lat) in caps.values():
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    shapes = basemap.shapes()
    away = [cid for cid, (_, (lon, lat)) in caps.items()
            if shapes[cid].distance(Point(lon, lat)) > 0.5]  # each capital lies on (or by) its country
    assert away == ["PCN", "TCA"]  # Pitcairn Island and Grand Turk are too small for the 1:50m basemap
