"""What only a browser can show: the map draws offline, states the scene, toggles live, fits a phone.

Every page here runs with all network requests blocked (see conftest.OfflinePage).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import partnermap
from partnermap import build_map, save_map, select
from partnermap.scenes import scene
from partnermap.theme import WebSizes

pytestmark = pytest.mark.browser
DATA = Path(__file__).parent / "data"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def minimal_html(minimal, tmp_path):
    return save_map(build_map(minimal), tmp_path / "map.html")


@pytest.fixture(scope="module")
def bundled():
    return partnermap.load()


@pytest.fixture(scope="module")
def bundled_html(bundled, tmp_path_factory):
    return save_map(build_map(bundled), tmp_path_factory.mktemp("bundled") / "japan.html")


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


def rect(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def overlaps(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and a["x"] + a["width"] > b["x"]
            and a["y"] < b["y"] + b["height"] and a["y"] + a["height"] > b["y"])


def js_state(page) -> dict:
    return page.evaluate("partnermap.last.state()")


def test_map_draws_offline_with_overlays_and_groupings(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    assert count(page, ".leaflet-pm-base-pane path.pm-basemap") == 1  # every country, one path
    assert count(page, "path.pm-link.pm-cat-security") == 3
    assert count(page, "path.pm-link.pm-cat-economic") == 2
    assert count(page, "path.pm-territory.pm-fill-security") == 3
    assert count(page, "path.pm-grouping.pm-partner-QUAD") == 1  # groupings show by default
    names = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert [n.strip() for n in names] == ["Security ties", "Economic ties", "Quad", "Partner names"]
    assert offline_page.errors == []
    assert offline_page.blocked == []


def test_browser_state_is_the_scene(offline_page, bundled, bundled_html):
    """On load, the browser's rules (rules.js) arrive at exactly the scene Python computed."""
    page = offline_page.open(bundled_html)
    state = js_state(page)
    sc = scene(bundled)
    for p in sc.partners:
        got = state["partners"][p.id]
        assert (got["fill"], got["friction"], got["tier"]) == (p.fill, p.friction, p.tier), p.id
        assert {c: row for c, row in got["counts"].items()} == {c: [n, e] for c, n, e in p.counts}, p.id
    links = {(lk["partner"], lk["category"]): lk["state"] for lk in state["links"]}
    assert links == {(lk.partner, lk.category): lk.state.to_dict() for lk in sc.links}
    legend = page.locator(".pm-legend [data-legend]").evaluate_all("rows => rows.map(r => r.dataset.legend)")
    main = [e.key for e in sc.legend if not e.key.startswith(("grouping:", "note:"))]
    side = [e.key for e in sc.legend if e.key.startswith(("grouping:", "note:"))]
    assert legend == main + side
    assert offline_page.errors == []


def test_the_default_map_tells_the_truth(offline_page, bundled_html):
    """The US reads as an ally with friction; groupings, the EU and NATO are drawn and named."""
    page = offline_page.open(bundled_html)
    for ally in ("USA", "AUS", "PHL", "GBR"):
        assert count(page, f"path.pm-territory.pm-partner-{ally}.pm-fill-security") == 1, ally
    assert count(page, "path.pm-territory.pm-partner-CHN.pm-fill-contested") == 1
    assert count(page, "path.pm-friction-mark.pm-partner-USA.pm-cat-economic") == 1
    assert count(page, "path.pm-territory.pm-partner-USA.pm-has-friction") == 1
    labels = page.locator(".pm-grouping-label").evaluate_all("ls => ls.map(l => l.textContent)")
    for name in ("EU", "NATO", "CPTPP", "Quad", "TICAD states"):
        assert any(name in text for text in labels), name
    assert count(page, "path.pm-hq") == 2
    for gid in ("QUAD", "CPTPP", "RCEP", "TICAD", "GCAP", "EU", "NATO"):
        assert count(page, f"path.pm-grouping.pm-partner-{gid}") == 1, gid
    assert "Friction" in page.locator(".pm-legend").inner_text()
    assert offline_page.errors == []


def point_box(page, lonlat) -> dict:
    x, y = page.evaluate(f"(() => {{ const p = partnermap.last.map.latLngToContainerPoint([{lonlat[1]}, {lonlat[0]}]);"
                         " const r = partnermap.last.map.getContainer().getBoundingClientRect();"
                         " return [p.x + r.left, p.y + r.top]; })()")
    return {"x": x - 2, "y": y - 2, "width": 4, "height": 4}


def test_legend_and_panels_leave_the_focal_country_and_the_us_free(offline_page, bundled, bundled_html):
    page = offline_page.open(bundled_html)
    legend = rect(page, ".pm-legend")
    sc = scene(bundled)
    assert not overlaps(legend, rect(page, ".pm-focal-label"))
    us = sc.partner("USA")
    assert not overlaps(legend, point_box(page, us.label_point)) and not overlaps(legend, point_box(page, us.anchor))
    page.locator(".pm-filter summary").click()
    page.locator(".pm-filter[open]").wait_for()  # the click's default action can land after click() returns
    assert not overlaps(rect(page, ".pm-filter"), legend)
    assert offline_page.errors == []


def sized_page(browser, html, viewport):
    """A page of ``viewport`` size with every non-file request blocked, opened at ``html``."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(Path(html).resolve().as_uri())
    page.wait_for_selector("[data-pm-ready]")
    page.pm_errors = errors
    return context, page


def screen_point(page, lonlat) -> tuple[float, float]:
    """Where a point of the scene (lon, lat in its window) is on the page."""
    box = point_box(page, lonlat)
    return box["x"] + 2, box["y"] + 2


def panel_rects(page) -> list[dict]:
    return [r for r in page.locator(".pm-panel, .leaflet-control").evaluate_all(
        "ns => ns.map(n => { const r = n.getBoundingClientRect(); "
        "return {x: r.left, y: r.top, width: r.width, height: r.height}; })") if r["width"] > 2]


def popup_title(page) -> str:
    title = page.locator(".leaflet-popup-content h3")
    title.wait_for()
    text = title.inner_text()
    page.evaluate("partnermap.last.map.closePopup(); partnermap.last.fitView(); partnermap.last.declutter()")
    page.wait_for_selector(".leaflet-popup", state="detached")  # gone, not fading out
    return text  # the view back where it was (a popup pans the map to fit)


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, PHONE], ids=["1280x720", "390x844"])
def test_real_clicks_inside_partners_open_their_own_popup(browser, bundled, bundled_html, viewport):
    """A click where a reader clicks — on a partner, at its name's point — opens that partner, never a
    grouping lying over it (the trilateral over the US) nor anything else."""
    context, page = sized_page(browser, bundled_html, viewport)
    sc = scene(bundled)
    panels = panel_rects(page)
    # a headquarters mark a finger's width away takes the tap on a phone (Brussels beside London)
    marks = [screen_point(page, g.hq) for g in sc.groups if g.hq]
    names = page.evaluate("""Array.from(document.querySelectorAll('.pm-label span[data-grouping]'))
        .filter(s => s.closest('.pm-label').style.visibility !== 'hidden')
        .map(s => { const r = s.getBoundingClientRect();
                    return {x: r.left, y: r.top, width: r.width, height: r.height}; })""")
    clicked = []
    for p in sc.partners:
        x, y = screen_point(page, p.label_point)
        spot = {"x": x - 1, "y": y - 1, "width": 2, "height": 2}
        if not (4 < x < viewport["width"] - 4 and 4 < y < viewport["height"] - 4) or any(
                overlaps(spot, r) for r in panels + names) or any(abs(x - mx) + abs(y - my) < 16 for mx, my in marks):
            continue
        hit = page.evaluate(f"(document.elementFromPoint({x}, {y}).getAttribute('class') || '')")
        if "leaflet-interactive" not in hit:
            continue  # nothing of ours there at this scale (Italy's name point at sea on a phone)
        page.mouse.click(x, y)
        assert popup_title(page) == p.name, p.id
        clicked.append(p.id)
    wanted = {"AUS", "IND", "CHN", "PHL", "USA"} | ({"VNM", "KOR", "GBR", "ITA"} if viewport["width"] > 600 else set())
    assert wanted <= set(clicked)
    assert page.pm_errors == []
    context.close()


def test_groupings_open_from_their_name_mark_and_legend_row(offline_page, bundled_html):
    """Groupings never take a partner's click, yet each opens: from its name, its headquarters mark, its legend row."""
    page = offline_page.open(bundled_html)
    names = page.locator(".pm-label span[data-grouping]").evaluate_all(
        "ss => ss.filter(s => s.closest('.pm-label').style.visibility !== 'hidden').map(s => s.dataset.grouping)")
    sc = scene(partnermap.load())
    assert len(names) >= 4
    for gid in names:
        page.locator(f'.pm-label span[data-grouping="{gid}"]').click()  # a real click on the name
        assert popup_title(page) == sc.group(gid).name
    for gid in ("EU", "NATO"):
        box = rect(page, f"path.pm-hq.pm-partner-{gid}")
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert popup_title(page) == sc.group(gid).name
    for g in sc.groups:
        page.locator(f'.pm-legend [data-legend="grouping:{g.id}"]').click()
        assert popup_title(page) == g.name
    assert count(page, "path.pm-grouping.leaflet-interactive") == 0  # outlines are not click targets
    assert offline_page.errors == []


PLACEMENT_CASES = [("bundled", None, "light", "en"), ("bundled", None, "presentation", "en"),
                   ("bundled", None, "dark", "ja"), ("uk", DATA / "uk.geojson", "light", "en"),
                   ("uk", DATA / "uk.geojson", "presentation", "en"),
                   ("australia", DATA / "australia.geojson", "light", "en"),
                   ("australia", DATA / "australia.geojson", "presentation", "en")]


@pytest.mark.parametrize("name,path,theme,lang", PLACEMENT_CASES,
                         ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in PLACEMENT_CASES])
def test_legend_and_panels_cover_no_partner_nor_the_focal_country(browser, tmp_path, name, path, theme, lang):
    """At 1280x720 the legend, the table and the credit leave every partner's name point and capital,
    and the focal country's, uncovered (the corners and the view are chosen from the scene)."""
    import warnings

    data = partnermap.load(path) if path else partnermap.load()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = save_map(build_map(data, theme=theme, lang=lang), tmp_path / f"{name}.html")
        sc = scene(data, theme=theme, lang=lang)
    context, page = sized_page(browser, html, {"width": 1280, "height": 720})
    panels = [rect(page, sel) for sel in (".pm-legend", ".pm-table", ".pm-credit")]
    marks = [("focal", sc.focal.anchor)] + [(p.id, pt) for p in sc.partners if p.label
                                           for pt in (p.label_point, p.anchor)]
    for pid, pt in marks:
        box = point_box(page, pt)
        for panel in panels:
            assert not overlaps(box, panel), (pid, pt, panel)
    assert not overlaps(panels[0], panels[1]) and not overlaps(panels[0], panels[2])
    # the browser's legend is the size the placement assumed (placement.legend_size_em)
    from partnermap import placement
    from partnermap.theme import get_theme

    em = placement.legend_size_em([e.row for e in sc.legend], sc.legend_layout, summary=True)
    px = get_theme(theme).web.legend_px
    assert abs(panels[0]["width"] - em[0] * px) < 0.12 * em[0] * px
    assert abs(panels[0]["height"] - em[1] * px) < 0.12 * em[1] * px
    # an opened table never runs under the legend
    page.locator(".pm-table summary").click()
    page.locator(".pm-table[open]").wait_for()
    assert not overlaps(rect(page, ".pm-table"), rect(page, ".pm-legend"))
    assert page.pm_errors == []
    context.close()


def test_phone_size_shows_the_whole_network_fits_popups_and_folds_panels(browser, bundled_html):
    context, page = sized_page(browser, bundled_html, PHONE)
    assert page.locator(".pm-legend").evaluate("d => d.open") is False  # folded, one tap opens it
    # every partner's capital is on screen (the United States too), and the map keeps the screen's height
    out = page.evaluate("""(() => { const pm = partnermap.last, m = pm.map, size = m.getSize();
        return pm.data.partners.filter(p => { const q = m.latLngToContainerPoint([p.anchor[1], p.anchor[0]]);
            return q.x < 0 || q.x > size.x || q.y < 0 || q.y > size.y; }).map(p => p.id); })()""")
    assert out == []
    assert rect(page, ".leaflet-container")["height"] >= PHONE["height"] * 0.9
    # the title never runs under the top-right controls
    title = rect(page, ".pm-title")
    for sel in (".leaflet-control-layers", ".pm-filter"):
        assert not overlaps(title, rect(page, sel)), sel
    # opening one panel folds the others: the open legend never covers the open table
    page.locator(".pm-legend summary").click()
    page.locator(".pm-table summary").click()
    page.locator(".pm-table[open]").wait_for()  # "toggle", which folds the others, is async
    page.wait_for_function("!document.querySelector('.pm-legend').open")
    page.locator(".pm-legend summary").click()
    page.locator(".pm-legend[open]").wait_for()
    page.wait_for_function("!document.querySelector('.pm-table').open")
    assert not overlaps(rect(page, ".pm-legend"), rect(page, ".pm-table"))
    page.locator(".pm-legend summary").click()
    # a popup opened by a real tap fits the screen, whole
    x, y = screen_point(page, scene(partnermap.load()).partner("AUS").label_point)
    page.mouse.click(x, y)
    page.locator(".leaflet-popup").wait_for()
    page.wait_for_timeout(400)  # Leaflet pans the popup into view
    box = page.locator(".leaflet-popup").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    assert "Australia" in page.locator(".leaflet-popup-content h3").inner_text()
    for control in page.locator(".leaflet-top .leaflet-control").all():  # its heading not under a button
        assert not overlaps(box, control.bounding_box()), control.get_attribute("class")
    assert page.pm_errors == []
    context.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, PHONE], ids=["1280x720", "390x844"])
def test_partners_are_named_first_and_inside_the_frame(browser, bundled, bundled_html, viewport):
    """Declutter keeps partners' names before groupings'; no name is cut by the map's edge."""
    context, page = sized_page(browser, bundled_html, viewport)
    shown = page.evaluate("""Array.from(document.querySelectorAll('.pm-label span[data-partner]'))
        .filter(s => s.closest('.pm-label').style.visibility !== 'hidden').map(s => s.dataset.partner)""")
    if viewport["width"] > 600:
        assert {"GBR", "ITA", "VNM", "USA", "AUS", "IND", "CHN", "PHL", "KOR"} <= set(shown)
    else:  # the whole network on a phone: the allies and the largest partners are named
        assert {"AUS", "IND", "PHL", "KOR", "USA", "GBR"} <= set(shown)
    frame = rect(page, ".leaflet-container")
    spans = page.evaluate("""Array.from(document.querySelectorAll('.pm-label span'))
        .filter(s => s.closest('.pm-label').style.visibility !== 'hidden')
        .map(s => { const r = s.getBoundingClientRect(); return [s.textContent, r.left, r.right]; })""")
    for text, left, right in spans:
        if right > frame["x"] and left < frame["x"] + frame["width"]:  # a name in view is whole in view
            assert frame["x"] <= left and right <= frame["x"] + frame["width"], text
    context.close()


def test_ready_only_once_the_view_has_settled(offline_page, bundled_html):
    """data-pm-ready is set after the initial fit, which does not animate: a screenshot then is the map."""
    page = offline_page.open(bundled_html)
    before = page.evaluate("(() => { const m = partnermap.last.map; return [m.getZoom(), m.getCenter().lat, "
                           "m.getCenter().lng, !!m._animatingZoom]; })()")
    page.wait_for_timeout(700)
    after = page.evaluate("(() => { const m = partnermap.last.map; return [m.getZoom(), m.getCenter().lat, "
                          "m.getCenter().lng, !!m._animatingZoom]; })()")
    assert before == after and before[3] is False


def test_friction_hatching_and_tints_draw_truthfully(offline_page, bundled, bundled_html):
    """Friction outlines lie over grouping outlines; tints under partners (never over one); contested hatched."""
    page = offline_page.open(bundled_html)

    def z(selector):
        return int(page.locator(selector).first.evaluate("n => getComputedStyle(n.closest('.leaflet-pane')).zIndex"))

    assert z("path.pm-territory.pm-partner-USA") < z("path.pm-grouping") < z(
        "path.pm-territory.pm-partner-USA") + 1000  # sanity
    friction = page.locator("path.leaflet-interactive, path").evaluate_all(
        "ps => ps.filter(p => p.getAttribute('stroke') === '#D55E00' && p.closest('.leaflet-pm-friction-pane')).length")
    assert friction >= 1
    assert page.evaluate("getComputedStyle(document.querySelector('.leaflet-pm-friction-pane')).zIndex") > \
        page.evaluate("getComputedStyle(document.querySelector('.leaflet-pm-groupings-pane')).zIndex")
    assert z("path.pm-tint") < z("path.pm-territory")
    assert page.locator("path.pm-territory.pm-partner-CHN").get_attribute("fill").startswith("url(#pm-hatch-")
    sc = scene(bundled)
    partners = {p.id for p in sc.partners}
    assert all(not set(g.tint_members) & partners for g in sc.groups)


def test_toggling_an_overlay_hides_it_and_updates_legend(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    legend = page.locator(".pm-legend")
    assert "Economic ties" in legend.inner_text()
    page.locator(".leaflet-control-layers-overlays label", has_text="Economic ties").locator("input").click()
    assert count(page, "path.pm-link.pm-cat-economic") == 0
    assert count(page, "path.pm-link.pm-cat-security") == 3
    assert "Economic ties" not in legend.inner_text()
    assert "Friction" not in legend.inner_text()  # the only friction tie is economic
    assert offline_page.errors == []


def test_popup_lists_ties_with_counts_status_dates_and_sources(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    popup = open_popup(page, "path.pm-territory.pm-partner-GBR")
    text = popup.inner_text()
    assert "United Kingdom" in text and "Security ties: 2" in text
    assert "Reciprocal access agreement · In force" in text
    assert "Signed 2023-01-11; In force 2023-10-15" in text
    assert "Day of entry into force unverified." in text
    popup.locator("summary").first.click()
    # the click's default action (opening <details>) can land after Playwright returns
    popup.locator("details[open]").first.wait_for()
    assert "Exchange of notes, MOFA, 2023-09-15" in popup.inner_text()
    assert offline_page.errors == []


def test_popup_and_tooltip_count_alike(offline_page, bundled_html):
    """One counting rule: "Security ties: 6 (2 ended)" in the popup, the tooltip and the scene."""
    page = offline_page.open(bundled_html)
    popup = open_popup(page, "path.pm-territory.pm-partner-USA").inner_text()
    page.keyboard.press("Escape")
    page.locator("path.pm-territory.pm-partner-USA").dispatch_event("mouseover")
    tip = page.locator(".pm-tooltip")
    tip.wait_for()
    lines = tip.inner_text().split("\n")[1:]
    assert lines and all(line in popup for line in lines)
    assert any("ended" in line for line in lines)


def test_source_links_open_in_new_tab(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    link = open_popup(page, "path.pm-territory.pm-partner-AUS").locator("a").first
    assert link.get_attribute("href") == "https://www.example.org/raa"
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in link.get_attribute("rel")


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
    # all / none per group
    page.locator(".pm-filter-status button", has_text="None").click()
    assert count(page, "path.pm-link") == 0
    page.locator(".pm-filter-status button", has_text="All").click()
    assert count(page, "path.pm-link") == 4  # the reciprocal access agreements stay unticked
    assert offline_page.errors == []


def test_status_filter_uses_the_status_on_the_day_shown(offline_page, bundled, tmp_path):
    page = offline_page.open(save_map(build_map(bundled, timeline=True), tmp_path / "t.html"))
    page.locator(".pm-timeline input[type=range]").fill("1960")
    page.evaluate("partnermap.last.setDay(Math.round(Date.UTC(1960, 0, 19) / 864e5))")
    assert count(page, "path.pm-link.pm-partner-USA.pm-pending") == 1  # signed that day, not in force
    page.locator(".pm-filter summary").click()
    page.locator('input[data-status="in_force"]').uncheck()
    assert count(page, "path.pm-link.pm-partner-USA") == 1  # still shown: it is "signed" on the day shown


def test_pending_links_and_legend(offline_page, minimal, tmp_path):
    html = save_map(build_map(select(minimal, as_of="2023-09-30", types=["reciprocal_access"])),
                    tmp_path / "m.html")
    page = offline_page.open(html)
    assert count(page, "path.pm-link.pm-pending.pm-partner-GBR") == 1  # only signed on 2023-09-30
    assert count(page, "path.pm-link.pm-pending.pm-partner-AUS") == 0
    assert "Not (yet) in force" in page.locator(".pm-legend").inner_text()
    assert "Reciprocal access agreement · as of 2023-09-30" in page.locator(".pm-title").inner_text()


def test_timeline_grows_the_network_and_names_the_year(offline_page, minimal, tmp_path):
    page = offline_page.open(save_map(build_map(minimal, timeline=True), tmp_path / "t.html"))
    slider = page.locator(".pm-timeline input[type=range]")
    assert slider.get_attribute("min") == "1960" and slider.get_attribute("max") == "2025"
    slider.fill("1970")
    assert page.locator(".pm-year").inner_text() == "1970"
    assert count(page, "path.pm-link") == 1  # only the alliance treaty
    # a partner before its first tie is neither filled nor named
    assert count(page, "path.pm-territory.pm-partner-AUS") == 0
    hidden = page.evaluate("""Array.from(document.querySelectorAll('.pm-label span[data-partner="AUS"]'))
        .map(s => s.closest('.pm-label').style.visibility)""")
    assert hidden == ["hidden"]
    assert "as of 1970" in page.locator(".pm-title").inner_text()
    assert "as of 1970" in page.locator(".pm-credit").inner_text()
    slider.fill("2016")
    assert count(page, "path.pm-link.pm-partner-GBR") == 0  # the ACSA counts from the end of 2017
    slider.fill("2017")
    assert count(page, "path.pm-link.pm-partner-GBR") == 1
    slider.fill("2025")
    assert count(page, "path.pm-link") == 5
    # the last frame is the default map: the same ties, ended ones included
    assert page.locator(".pm-table summary").inner_text() == "Table of ties (8)"
    assert offline_page.errors == []


def test_changes_since_highlights_and_mutes(offline_page, minimal, tmp_path):
    page = offline_page.open(save_map(build_map(select(minimal, changes_since="2025-01-20")), tmp_path / "c.html"))
    assert count(page, "path.pm-link.pm-highlight") == 1  # the 2025 auto tariffs
    assert count(page, "path.pm-link.pm-highlight.pm-partner-USA.pm-cat-economic") == 1
    assert count(page, "path.pm-link.pm-muted") == 4
    assert "Changed since 2025-01-20" in page.locator(".pm-title").inner_text()
    assert "Changed since 2025-01-20" in page.locator(".pm-legend").inner_text()
    page.locator(".pm-table summary").click()
    page.wait_for_function("document.querySelectorAll('.pm-table tbody tr').length > 0")  # "toggle" is async
    assert page.locator(".pm-table tbody tr.pm-changed").count() == 1


def test_table_of_ties_is_the_text_alternative(offline_page, minimal_html):
    page = offline_page.open(minimal_html)
    assert page.locator(".leaflet-container").get_attribute("aria-label").startswith(
        "Test network. Map of Japan's ties: 8 ties with 4 partners and groupings")
    page.locator(".pm-table summary").click()
    rows = page.locator(".pm-table tbody tr")
    page.wait_for_function("document.querySelectorAll('.pm-table tbody tr').length > 0")  # "toggle" is async
    assert rows.count() == 8
    assert rows.first.inner_text().split("\t")[:4] == ["Australia", "Security ties", "Reciprocal access agreement",
                                                       "In force"]
    page.locator(".pm-filter summary").click()
    page.locator('input[data-type="reciprocal_access"]').uncheck()
    assert rows.count() == 6
    assert page.locator(".pm-description").inner_text().startswith("Map of Japan's ties: 6 ties")


def test_no_controls_is_a_clean_slide(offline_page, minimal, tmp_path):
    page = offline_page.open(save_map(build_map(minimal, controls=False, width=960, height=540), tmp_path / "s.html"))
    assert count(page, ".leaflet-control-layers") == 0
    assert count(page, ".leaflet-control-zoom") == 0
    assert count(page, ".pm-filter") == 0 and count(page, ".pm-fullscreen") == 0
    assert page.locator(".pm-legend").is_visible() and page.locator(".pm-title").is_visible()
    box = page.locator(".leaflet-container").bounding_box()
    assert (box["width"], box["height"]) == (960, 540)
    assert offline_page.errors == []


def test_names_never_overlap(offline_page, bundled, tmp_path):
    page = offline_page.open(save_map(build_map(bundled, width=1280, height=720), tmp_path / "names.html"))
    rects = page.evaluate("""Array.from(document.querySelectorAll('.pm-label span'))
        .filter(s => s.closest('.pm-label').style.visibility !== 'hidden')
        .map(l => { const r = l.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
    assert len(rects) >= 8
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (a, b)


def test_tiles_fail_but_basemap_stays(offline_page, minimal, tmp_path):
    page = offline_page.open(save_map(build_map(minimal, tiles="OpenStreetMap.Mapnik"), tmp_path / "t.html"))
    page.wait_for_timeout(300)
    assert any("tile.openstreetmap.org" in u for u in offline_page.blocked)  # tiles tried, blocked
    assert count(page, ".leaflet-pm-base-pane path.pm-basemap") == 1
    assert count(page, "path.pm-link") == 5


def test_long_popups_come_in_pages(offline_page, tmp_path):
    import json

    from partnermap import load

    doc = json.loads(load.__globals__["default_path"]().read_text(encoding="utf-8"))
    usa = next(f for f in doc["features"] if f["properties"]["id"] == "USA")
    base = usa["properties"]["ties"][0]
    usa["properties"]["ties"] = [dict(base, id=f"T{i}") for i in range(400)]
    path = tmp_path / "many.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    page = offline_page.open(save_map(build_map(load(path)), tmp_path / "many.html"))
    popup = open_popup(page, "path.pm-territory.pm-partner-USA")
    page_size = WebSizes().popup_page
    assert popup.locator("li.pm-tie").count() == page_size
    popup.locator("button.pm-more").first.click()
    assert popup.locator("li.pm-tie").count() == 2 * page_size
    assert popup.locator("button.pm-more").first.inner_text().count(str(400 - 2 * page_size)) == 1
    assert offline_page.errors == []


def test_a_packed_map_draws_first_and_its_texts_follow(offline_page, minimal, tmp_path, monkeypatch):
    """A big map (render.PACK_OVER) comes deflated in two parts: drawn from the first, its popups and
    table filled from the second once inflated; the same texts as a plain map, nothing fetched."""
    from partnermap import render

    monkeypatch.setattr(render, "PACK_OVER", 0)  # pack even the small fixture
    html = save_map(build_map(minimal), tmp_path / "packed.html")
    text = html.read_text(encoding="utf-8")
    assert "partnermap.decode.details(" in text and "Reciprocal Access" not in text  # texts only packed
    page = offline_page.open(html)
    page.wait_for_selector("[data-pm-details]")
    assert count(page, "path.pm-link") == 5
    popup = open_popup(page, "path.pm-territory.pm-partner-GBR")
    assert "Reciprocal access agreement · In force" in popup.inner_text()
    popup.locator("summary").first.click()
    # the click's default action (opening <details>) can land after Playwright returns
    popup.locator("details[open]").first.wait_for()
    assert "Exchange of notes, MOFA, 2023-09-15" in popup.inner_text()
    page.keyboard.press("Escape")
    page.locator(".pm-table summary").click()
    page.wait_for_function("document.querySelectorAll('.pm-table tbody tr td').length > 1")
    assert page.locator(".pm-table tbody tr").count() == 8
    assert offline_page.errors == [] and offline_page.blocked == []


LABELS_NOW = """Array.from(document.querySelectorAll('.pm-label')).map(l => {
    const s = l.firstChild, r = s.getBoundingClientRect();
    return [s.textContent, l.style.visibility === 'hidden', Math.round(r.left), Math.round(r.top),
            Math.round(r.right), Math.round(r.bottom)]; })"""


def test_names_placed_step_by_step_equal_names_placed_afresh(offline_page, bundled, tmp_path):
    """declutter measures each name less the shift it gave it last time and writes only changes
    (#15): after a walk through the timeline the names stand exactly where placing them from
    scratch puts them, and no two names shown overlap."""
    page = offline_page.open(save_map(build_map(bundled, timeline=True), tmp_path / "t.html"))
    slider = page.locator(".pm-timeline input[type=range]")
    for year in ("1960", "2004", "2016", "1990", slider.get_attribute("max")):
        slider.fill(year)
    walked = page.evaluate(LABELS_NOW)
    afresh = page.evaluate("""(() => {
        document.querySelectorAll('.pm-label').forEach(l => {
          l.style.visibility = ''; const s = l.firstChild; s.style.left = s.style.top = ''; delete s.pmShift; });
        partnermap.last.declutter(); return """ + LABELS_NOW + "; })()")
    assert walked == afresh
    assert sum(1 for row in walked if row[1]) < len(walked)  # some names shown
    shown = [row for row in walked if not row[1]]
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert not (a[2] < b[4] and a[4] > b[2] and a[3] < b[5] and a[5] > b[3]), (a[0], b[0])
    assert offline_page.errors == []


# Each name's container as partnermap placed it, then as Leaflet's own Tooltip._setPosition (which
# measures the name every time) places it: they must agree.
NAMES_AS_LEAFLET_PLACES_THEM = """(() => {
    const tips = [];
    partnermap.last.map.eachLayer(l => {
      const t = l.getTooltip && l.getTooltip();
      if (t && t._container && t._container.classList.contains('pm-label')) tips.push(t); });
    const ours = tips.map(t => t._container.style.transform);
    tips.forEach(t => L.Tooltip.prototype._setPosition.call(t, t._map.latLngToLayerPoint(t._latlng)));
    return [ours, tips.map(t => t._container.style.transform)]; })()"""


def test_names_measured_once_stand_where_leaflet_would_put_them(offline_page, bundled, tmp_path):
    """layers.js Label remembers a name's size instead of reading it at every placement (#15: a
    layout per name, 400 ms of drawing 100,000 ties): after drawing and after zooming, every name
    stands exactly where Leaflet's measuring tooltip puts it."""
    page = offline_page.open(save_map(build_map(bundled), tmp_path / "n.html"))
    ours, leaflets = page.evaluate(NAMES_AS_LEAFLET_PLACES_THEM)
    assert len(ours) >= 20 and ours == leaflets
    page.evaluate("partnermap.last.map.setZoom(partnermap.last.map.getZoom() + 1, {animate: false})")
    ours, leaflets = page.evaluate(NAMES_AS_LEAFLET_PLACES_THEM)
    assert ours == leaflets and all(ours)
    assert offline_page.errors == []


def test_a_map_drawn_unseen_fits_and_places_its_names_once_shown(offline_page, browser, minimal, tmp_path):
    """A map drawn where it cannot be seen (display none: a closed tab, a folded notebook cell) has
    no size: fitting it then gave an infinite zoom and a page error once shown. It now waits, and
    once shown (no window resize: a ResizeObserver notices) it has the view a visible map opens
    with, its names measured and placed as Leaflet places them, its legend open on a wide screen."""
    path = save_map(build_map(minimal), tmp_path / "h.html")
    seen = offline_page.open(path)
    view = seen.evaluate("[partnermap.last.map.getZoom(), partnermap.last.map.getBounds().toBBoxString()]")
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    unseen = type(offline_page)(page)
    page.add_init_script("""(() => { const sheet = new CSSStyleSheet(); sheet.replaceSync('body { display: none }');
        document.adoptedStyleSheets = [sheet]; })()""")  # before the map script runs
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("[data-pm-ready]", state="attached", timeout=15000)
    assert page.evaluate("document.querySelector('.leaflet-container').clientWidth") == 0  # drawn unseen
    page.evaluate("document.adoptedStyleSheets = []")  # shown, as a tab is opened: no window resize
    page.wait_for_function("partnermap.last.map.getZoom() > 0 && !partnermap.last.fitPending", timeout=5000)
    page.wait_for_timeout(50)  # the names waiting since the fit are measured in a microtask
    assert page.evaluate("partnermap.last.map.getZoom()") == view[0]
    ours, leaflets = page.evaluate(NAMES_AS_LEAFLET_PLACES_THEM)
    assert ours and ours == leaflets
    widths = page.evaluate("Array.from(document.querySelectorAll('.pm-label')).map(l => l.offsetWidth)")
    assert widths and all(w > 0 for w in widths)
    assert page.locator(".pm-legend").get_attribute("open") is not None
    assert unseen.errors == [] and offline_page.errors == []
    page.context.close()
