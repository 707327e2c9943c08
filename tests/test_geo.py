"""The longitude window and great-circle links: no smears across the antimeridian."""

from __future__ import annotations

import itertools

import pytest
from shapely.geometry import MultiPolygon, Polygon

from partnermap.geo import (
    ALPHABET,
    SCALE,
    Window,
    bow,
    cut_to_window,
    decode_ring,
    encode_lines,
    encode_polygons,
    great_circle,
    label_point,
)

TOKYO, WASHINGTON, LONDON, SUVA = (139.69, 35.69), (-77.04, 38.90), (-0.13, 51.51), (178.44, -18.14)


def test_window_centred_on_focal():
    w = Window.centred_on(139.69)
    assert (w.west, w.east) == (-40.0, 320.0)
    assert w.point(WASHINGTON) == (pytest.approx(282.96), 38.9)
    assert w.point(LONDON) == LONDON


def test_link_to_washington_crosses_pacific_continuously():
    w = Window.centred_on(TOKYO[0])
    line = great_circle(TOKYO, WASHINGTON)
    pieces = cut_to_window(line, w)
    assert len(pieces) == 1
    lons = [x for x, _ in pieces[0]]
    assert lons[0] == pytest.approx(139.69) and lons[-1] == pytest.approx(282.96)
    assert all(b - a < 10 for a, b in itertools.pairwise(lons))  # no jump of ~360 anywhere


def test_link_that_leaves_the_window_is_cut_not_smeared():
    w = Window(west=100.0)  # a window whose edge the Tokyo-London circle crosses
    pieces = cut_to_window(great_circle(TOKYO, LONDON), w)
    assert len(pieces) == 2
    for piece in pieces:
        assert all(w.west - 1e-9 <= x <= w.east + 1e-9 for x, _ in piece)
    assert pieces[0][-1][1] == pytest.approx(pieces[1][0][1])  # both pieces meet the edge at one latitude


def test_polygon_parts_shift_whole():
    w = Window.centred_on(TOKYO[0])
    fiji_east = Polygon([(177, -19), (179.9, -19), (179.9, -16), (177, -16)])
    fiji_west = Polygon([(-180, -17), (-179, -17), (-179, -16), (-180, -16)])
    moved = w.geometry(MultiPolygon([fiji_east, fiji_west]))
    xs = [x for g in moved.geoms for x, _ in g.exterior.coords]
    assert min(xs) >= 177 and max(xs) <= 181


def test_bow_moves_middle_not_ends():
    line = [(0.0, 0.0), (5.0, 0.0), (10.0, 0.0)]
    bent = bow(line, 0.1)
    assert bent[0] == (0.0, 0.0) and bent[-1] == pytest.approx((10.0, 0.0))
    assert bent[1][1] == pytest.approx(1.0)
    assert bow(line, -0.1)[1][1] == pytest.approx(-1.0)


def test_label_point_inside_largest_part():
    big = Polygon([(0, 0), (10, 0), (10, 10), (0, 10)])
    small = Polygon([(20, 20), (21, 20), (21, 21), (20, 21)])
    x, y = label_point(MultiPolygon([small, big]))
    assert big.contains(Polygon([(x - .1, y - .1), (x + .1, y - .1), (x + .1, y + .1), (x - .1, y + .1)]))


def test_a_part_spanning_the_globe_is_cut_at_the_window_edge():
    w = Window.centred_on(139.69)  # west edge -40
    antarctica = Polygon([(-180, -90), (180, -90), (180, -65), (-180, -65)])
    moved = w.geometry(antarctica)
    xs = [x for g in moved.geoms for x, _ in g.exterior.coords]
    assert min(xs) == pytest.approx(-40) and max(xs) == pytest.approx(320)
    assert moved.area == pytest.approx(antarctica.area)


# ---- the browser's coordinate strings (geo.encode_*, decode.js) ----------------------------

def test_encoded_rings_round_trip_to_hundredths():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    coord = st.tuples(st.floats(-540, 540, allow_nan=False), st.floats(-90, 90, allow_nan=False))

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.lists(coord, min_size=1, max_size=40), min_size=1, max_size=6))
    def check(pieces):
        encoded = encode_lines(pieces)
        assert len(encoded) == len(pieces)
        for text, piece in zip(encoded, pieces, strict=True):
            assert set(text) <= set(ALPHABET)  # nothing JSON or HTML would escape
            decoded = decode_ring(text)
            assert len(decoded) == len(piece)
            for (x, y), (lon, lat) in zip(decoded, piece, strict=True):
                assert (round(x * SCALE), round(y * SCALE)) == (round(lon * SCALE), round(lat * SCALE))

    check()


def test_encoded_polygons_keep_parts_and_rings():
    square = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], [[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4)]])
    two = MultiPolygon([square, Polygon([(10, 10), (11, 10), (11, 11)])])
    (first,), (a, b) = encode_polygons([square, two], Window.centred_on(0))
    assert [len(decode_ring(r)) for r in first] == [5, 4]  # shell and hole, closed
    assert decode_ring(b[0])[0] == (10.0, 10.0) and len(a) == 2


def test_a_difference_too_large_to_encode_is_refused_not_wrapped():
    with pytest.raises(ValueError, match="too large"):
        encode_lines([[(0.0, 0.0), (6_000_000.0, 0.0)]])


def test_a_malformed_ring_is_refused():
    for bad in ("g", "A", "A!", "A\u00c1", "gggggggAA"):  # mid-value, half a coordinate, outside the alphabet, 7 groups
        with pytest.raises(ValueError):
            decode_ring(bad)
