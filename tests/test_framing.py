"""A story step's frame (framing.py): the focus's territory in view, its names whole, the legend off it."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import box as rect

from partnermap import deck as dk
from partnermap import framing, slides
from partnermap import story as st
from partnermap.placement import fit_extent
from partnermap.static import draw_figure

BUNDLED = Path(__file__).resolve().parents[1] / "stories" / "japan-response-to-trump-2.md"
DECK_MAP = dk.map_size_inches(slides.STORY_MAP_BOX)


@pytest.fixture(scope="module")
def steps():
    return st.load_story(BUNDLED, theme="presentation")[2]


def test_a_legend_box_is_placed_from_its_fractions_and_mirrored():
    frame = (0.0, 200.0, -50.0, 50.0)
    assert framing.legend_box(frame, (0.7, 1.0, 0.0, 0.4)) == pytest.approx((140.0, 200.0, -50.0, -10.0))
    assert framing.mirrored((0.7, 1.0, 0.0, 0.4), "bottom-right", "bottom-left") == pytest.approx((0.0, 0.3, 0.0, 0.4))
    assert framing.mirrored((0.7, 1.0, 0.0, 0.4), "bottom-right", "top-right") == pytest.approx((0.7, 1.0, 0.6, 1.0))


def test_covered_ignores_slivers():
    part = rect(0, 0, 10, 10)
    assert framing.covered([part], (5, 20, -5, 20))  # half of it
    assert not framing.covered([part], (9.9, 20, -5, 20))  # 1 % of it
    assert not framing.covered([part], (20, 30, 0, 10))


def test_clear_extent_widens_on_the_legend_side_until_the_focus_is_free():
    part = rect(100, 0, 140, 30)  # in the bottom-right corner of the extent
    extent, aspect, place = (0.0, 150.0, 0.0, 60.0), 0.5, (0.6, 1.0, 0.0, 0.6)
    assert framing.covered([part], framing.legend_box(fit_extent(extent, aspect, -180.0), place))
    grown = framing.clear_extent(extent, aspect, -180.0, place, "bottom-right", [part])
    assert grown is not None
    assert grown[0] == extent[0] and grown[2] <= extent[2]  # widened only right or down
    frame = fit_extent(grown, aspect, -180.0)
    assert not framing.covered([part], framing.legend_box(frame, place))
    # nothing can clear a focus that fills the globe
    assert framing.clear_extent((-180.0, 180.0, -90.0, 90.0), 0.5, -180.0, place, "bottom-right",
                                [rect(-180, -90, 180, 90)]) is None


def test_a_grouping_in_focus_frames_its_members():
    """TICAD 9 is about Africa: the step's extent holds the continent, not just the group's label."""
    steps = st.load_story(BUNDLED)[2]
    ticad = next(sv for sv in steps if sv.step.focus == ("TICAD",))
    x0, x1, y0, y1 = ticad.scene.extent
    assert x0 <= -17.5 and x1 >= 51.3 and y0 <= -34.8 and y1 >= 37.3  # Cape Verde..Somalia, Cape Agulhas..Tunis
    assert x1 >= 140  # and Japan, the host


def _frame_and_legend(sc, view, size):
    fig = draw_figure(sc, view, size=size, dpi=40, header=False, legend="compact")
    fraction, _aspect, frame, labels = framing._measure(fig, {"label:focal", *(f"label:{p}" for p in sc.focus)})
    return frame, framing.legend_box(frame, fraction), labels


@pytest.mark.parametrize("size", [DECK_MAP, "7.4x5"])  # the story deck's map, the printed page's picture
def test_no_step_has_its_focus_under_the_legend_or_its_names_cut(steps, size):
    for sv in steps:
        if not sv.scene.focus:
            continue
        framed = framing.framed_scene(sv.scene, sv.view, size=size, dpi=40)
        frame, legend, labels = _frame_and_legend(framed, sv.view, size)
        parts = framing.focus_parts(framed, sv.view)
        assert parts and not framing.covered(parts, legend), sv.headline
        west, east = framed.west, framed.west + 360  # the window centred on Japan ends west of Ireland
        for bx0, bx1, by0, by1 in labels:  # the focal country's and the focus's names, whole
            assert frame[0] <= bx0 or frame[0] <= west + 0.01, sv.headline
            assert bx1 <= frame[1] or frame[1] >= east - 0.01, sv.headline
            assert frame[2] <= by0 and by1 <= frame[3], sv.headline
            assert bx1 <= legend[0] or bx0 >= legend[1] or by1 <= legend[2] or by0 >= legend[3], sv.headline


def test_a_step_without_focus_keeps_the_scene(steps):
    first = steps[0]
    assert not first.scene.focus
    assert framing.framed_scene(first.scene, first.view, size=DECK_MAP, dpi=40) is first.scene
