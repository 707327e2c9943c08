"""What only a browser can show: the map draws offline, overlays toggle, popups open.

Every page here runs with all network requests blocked (see conftest.OfflinePage).
"""

from __future__ import annotations

import pytest

from partnermap import build_map, save_map, select

pytestmark = pytest.mark.browser


@pytest.fixture
def minimal_html(minimal, tmp_path):
    return save_map(build_map(minimal), tmp_path / "map.html")


def count(page, selector: str) -> int:
    return page.evaluate(f"document.querySelectorAll({selector!r}).length")


def open_popup(page, selector: str):
    """Click a map shape where a user would: its popup opens there, not at the window's corner."""
    box = page.locator(selector).first.bounding_box()
    page.locator(selector).first.dispatch_event(
        "click", {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2})
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    return popup


def test_map_draws_offline_with_both_overlays(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    assert count(page, ".leaflet-pm-base-pane path") > 100  # the bundled basemap
    assert count(page, "path.pm-link.pm-cat-security") == 3
    assert count(page, "path.pm-link.pm-cat-economic") == 2
    assert count(page, "path.pm-territory.pm-cat-security") == 3
    names = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    # no diplomatic link (the only diplomatic tie is the Quad's): no empty overlay offered
    assert [n.strip() for n in names] == ["Security ties", "Economic ties", "Quad", "Partner names"]
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_toggling_an_overlay_hides_it_and_updates_legend(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    legend = page.locator(".pm-legend")
    assert "Economic ties" in legend.inner_text()
    page.locator(".leaflet-control-layers-overlays label", has_text="Economic ties").locator("input").click()
    assert count(page, "path.pm-link.pm-cat-economic") == 0
    assert count(page, "path.pm-link.pm-cat-security") == 3
    assert "Economic ties" not in legend.inner_text()
    assert "Friction" not in legend.inner_text()  # the only friction tie is economic
    assert page.locator('.pm-legend [data-legend="organisation"]').count() == 0  # the fixture has none
    assert offline_page.errors == []


def test_popup_lists_ties_with_type_status_dates_and_sources(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    popup = open_popup(page, "path.pm-territory.pm-partner-GBR")
    text = popup.inner_text()
    assert "United Kingdom" in text
    assert "Reciprocal Access Agreement" in text
    assert "Reciprocal access agreement · In force" in text
    assert "Signed 2023-01-11; In force 2023-10-15" in text
    assert "Day of entry into force unverified." in text
    popup.locator("summary").first.click()
    assert "Exchange of notes, MOFA, 2023-09-15" in popup.inner_text()
    assert offline_page.errors == []


def test_source_links_open_in_new_tab(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    link = open_popup(page, "path.pm-territory.pm-partner-AUS").locator("a").first
    assert link.get_attribute("href") == "https://www.example.org/raa"
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")


def test_tooltip_shows_counts(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    page.locator("path.pm-territory.pm-cat-security.pm-partner-USA").dispatch_event("mouseover")
    tip = page.locator(".pm-tooltip")
    tip.wait_for()
    assert tip.inner_text().split("\n") == ["United States", "Security ties: 1", "Economic ties: 1"]


def test_in_map_type_filter_hides_and_restores(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    page.locator(".pm-filter summary").click()
    assert count(page, "path.pm-link.pm-partner-GBR") == 1
    page.locator('input[data-type="reciprocal_access"]').uncheck()
    page.locator('input[data-type="acsa"]').uncheck()
    assert count(page, "path.pm-link.pm-partner-GBR") == 0
    assert count(page, "path.pm-link.pm-partner-USA") == 2  # alliance and tariffs stay
    assert page.locator(".pm-table summary").inner_text() == "Table of ties (5)"
    page.locator('input[data-type="acsa"]').check()
    assert count(page, "path.pm-link.pm-partner-GBR") == 1
    assert offline_page.errors == []


def test_status_filter_and_pending_links(offline_page, minimal, tmp_path):
    html = save_map(build_map(select(minimal, as_of="2023-09-30", types=["reciprocal_access"])),
                    tmp_path / "m.html")
    page = offline_page.open(html)
    # the UK RAA is only signed on 2023-09-30: a dashed, pending link
    assert count(page, "path.pm-link.pm-pending.pm-partner-GBR") == 1
    assert count(page, "path.pm-link.pm-pending.pm-partner-AUS") == 0
    assert "Not (yet) in force" in page.locator(".pm-legend").inner_text()


def test_timeline_grows_the_network(offline_page, minimal, tmp_path):
    page = offline_page.open(save_map(build_map(minimal, timeline=True), tmp_path / "t.html"))
    slider = page.locator(".pm-timeline input[type=range]")
    assert slider.get_attribute("min") == "1960" and slider.get_attribute("max") == "2025"
    slider.fill("1970")
    assert page.locator(".pm-year").inner_text() == "1970"
    assert count(page, "path.pm-link") == 1  # only the alliance treaty
    slider.fill("2016")
    assert count(page, "path.pm-link.pm-partner-GBR") == 0  # the ACSA counts from the end of 2017
    slider.fill("2017")
    assert count(page, "path.pm-link.pm-partner-GBR") == 1
    slider.fill("2025")
    assert count(page, "path.pm-link") == 5
    assert offline_page.errors == []


def test_changes_since_highlights_and_mutes(offline_page, minimal, tmp_path):
    page = offline_page.open(save_map(build_map(select(minimal, changes_since="2025-01-20")), tmp_path / "c.html"))
    assert count(page, "path.pm-link.pm-highlight") == 1  # the 2025 auto tariffs
    assert count(page, "path.pm-link.pm-highlight.pm-partner-USA.pm-cat-economic") == 1
    assert count(page, "path.pm-link.pm-muted") == 4
    assert "Changed since 2025-01-20" in page.locator(".pm-title").inner_text()
    assert "Changed since 2025-01-20" in page.locator(".pm-legend").inner_text()


def test_table_of_ties_is_the_text_alternative(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    assert page.locator(".leaflet-container").get_attribute("aria-label").startswith(
        "Japan's partner network. Map of Japan's ties with 4 partners")
    page.locator(".pm-table summary").click()
    rows = page.locator(".pm-table tbody tr")
    assert rows.count() == 8
    assert rows.first.inner_text().split("\t")[:4] == ["Australia", "Security ties", "Reciprocal access agreement",
                                                       "In force"]


def test_no_controls_is_a_clean_slide(offline_page, minimal, tmp_path):
    page = offline_page.open(save_map(build_map(minimal, controls=False, width=960, height=540), tmp_path / "s.html"))
    assert count(page, ".leaflet-control-layers") == 0
    assert count(page, ".leaflet-control-zoom") == 0
    assert count(page, ".pm-filter") == 0 and count(page, ".pm-fullscreen") == 0
    assert page.locator(".pm-legend").is_visible() and page.locator(".pm-title").is_visible()
    box = page.locator(".leaflet-container").bounding_box()
    assert (box["width"], box["height"]) == (960, 540)
    assert offline_page.errors == []


def test_names_never_overlap(offline_page, minimal, tmp_path):
    page = offline_page.open(save_map(build_map(minimal, width=480, height=270), tmp_path / "small.html"))
    rects = page.evaluate("""Array.from(document.querySelectorAll('.pm-label'))
        .filter(l => l.style.visibility !== 'hidden')
        .map(l => { const r = l.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
    assert len(rects) >= 2
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (a, b)


def test_tiles_fail_but_basemap_stays(offline_page, minimal, tmp_path):
    page = offline_page.open(save_map(build_map(minimal, tiles="OpenStreetMap.Mapnik"), tmp_path / "t.html"))
    page.wait_for_timeout(300)
    assert any("tile.openstreetmap.org" in u for u in offline_page.blocked)  # tiles tried, blocked
    assert count(page, ".leaflet-pm-base-pane path") > 100
    assert count(page, "path.pm-link") == 5


def test_legend_explains_organisation_outlines(offline_page, tmp_path):
    from partnermap import load

    page = offline_page.open(save_map(build_map(load(), controls=False), tmp_path / "japan.html"))
    row = page.locator('.pm-legend [data-legend="organisation"]')
    assert row.inner_text() == "Organisation"
    assert count(page, "path.pm-territory.pm-partner-NATO") == 1
    assert offline_page.errors == []
