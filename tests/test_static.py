"""The static figure (static.py): what is drawn, the bytes, the options."""

from __future__ import annotations

import warnings

import pytest

import partnermap
from partnermap import static
from partnermap import theme as th
from partnermap.errors import PartnermapWarning, UsageError
from partnermap.filters import select
from partnermap.geo import Window
from partnermap.i18n import words
from partnermap.scenes import legend_columns, scene
from partnermap.vocab import Category

DPI = 60


@pytest.fixture(scope="module")
def small(minimal):
    return minimal


@pytest.fixture(scope="module")
def bundled():
    return partnermap.load()


@pytest.fixture(scope="module")
def small_fig(small):
    return static.build_figure(small, dpi=DPI)


@pytest.fixture(scope="module")
def bundled_fig(bundled):
    return static.build_figure(bundled, dpi=DPI)


def by_gid(fig, prefix: str) -> dict:
    return {a.get_gid(): a for a in fig.findobj(lambda a: (a.get_gid() or "").startswith(prefix))}


def legend_texts(fig) -> list[str]:
    """The legend's rows in order, each label unwrapped (rows are wrapped into lines as in the browser)."""
    return [" ".join(t.get_text().split()) for t in by_gid(fig, "legend:").values()]


def category_entries(fig, lang: str = "en") -> set[str]:
    w = words(lang)
    labels = {w.category(c) for c in Category}
    return {t for t in legend_texts(fig) if t in labels}


def test_minimal_figure_title_legend_links(small_fig):
    assert by_gid(small_fig, "title")["title"].get_text() == "Test network"
    assert category_entries(small_fig) == {"Security ties", "Economic ties", "Diplomatic ties"}
    assert set(by_gid(small_fig, "link:")) == {"link:AUS:security", "link:AUS:economic", "link:USA:security",
                                               "link:USA:economic", "link:GBR:security"}
    # the Quad is drawn too, as a labelled grouping (never as a territory of its own)
    assert "grouping:QUAD" in by_gid(small_fig, "grouping:") and "territory:QUAD" not in by_gid(small_fig, "territ")
    assert by_gid(small_fig, "label:QUAD")["label:QUAD"].get_text()


def test_figure_draws_the_scene(bundled, bundled_fig):
    """Every link, territory, grouping and legend row of the scene is in the figure: nothing counted is missing."""
    sc = scene(bundled)
    assert set(by_gid(bundled_fig, "link:")) == {f"link:{lk.partner}:{lk.category}" for lk in sc.links}
    assert set(by_gid(bundled_fig, "territory:")) == {f"territory:{p.id}" for p in sc.partners}
    assert set(by_gid(bundled_fig, "grouping:")) == {f"grouping:{g.id}" for g in sc.groups}
    assert set(by_gid(bundled_fig, "hq:")) == {"hq:EU", "hq:NATO"}
    main, side = legend_columns(sc.legend)  # drawn in two columns: what lines mean, then the groupings
    assert [" ".join(t.split()) for t in legend_texts(bundled_fig) if t] == [e.label for e in main + side]
    # the US's friction is marked: on its territory and over its economic link
    assert "friction:USA" in by_gid(bundled_fig, "friction:")
    assert "friction-mark:USA:economic" in by_gid(bundled_fig, "friction-mark:")


def test_link_styles(small):
    from matplotlib.colors import to_hex

    fig = static.build_figure(select(small, as_of="2022-06"), dpi=DPI)
    links = by_gid(fig, "link:")
    aus, usa = links["link:AUS:security"], links["link:USA:security"]
    # AUS-RAA only signed by then: dashed; the US alliance is in force: solid
    assert to_hex(aus.get_colors()[0]) == th.CATEGORY_COLORS[Category.SECURITY].lower()
    assert aus.get_linestyle()[0][1] is not None
    assert usa.get_linestyle()[0][1] is None
    assert "Not (yet) in force" in legend_texts(fig)
    assert "link:USA:economic" not in links  # the US auto tariffs are not in the 2022 view
    # only friction: vermillion dots, and no friction mark on top of it
    friction = by_gid(static.build_figure(small, dpi=DPI), "link:")["link:USA:economic"]
    assert to_hex(friction.get_colors()[0]) == th.FRICTION_COLOR.lower()
    assert friction.get_linestyle()[0][1] is not None


def test_width_grows_with_ties(bundled_fig):
    links = by_gid(bundled_fig, "link:")
    # the US has many security ties, Djibouti 1
    assert links["link:USA:security"].get_linewidth()[0] > links["link:DJI:security"].get_linewidth()[0]


def test_territories_by_primary_relationship(bundled_fig):
    from matplotlib.colors import to_hex

    terr = by_gid(bundled_fig, "territory:")
    assert terr["territory:CHN"].get_hatch()
    assert to_hex(terr["territory:CHN"].get_facecolor()) == th.CONTESTED_COLOR.lower()
    for ally in ("USA", "AUS", "PHL", "GBR"):
        assert to_hex(terr[f"territory:{ally}"].get_facecolor()) == th.CATEGORY_COLORS[Category.SECURITY].lower()
    # an alliance fills stronger than a reciprocal access agreement
    assert terr["territory:USA"].get_facecolor()[3] > terr["territory:AUS"].get_facecolor()[3]
    grouping = by_gid(bundled_fig, "grouping:")
    assert grouping["grouping:EU"].get_facecolor()[3] == 0 and grouping["grouping:EU"].get_linestyle() != "solid"
    assert grouping["grouping:NATO"].get_linestyle() != grouping["grouping:EU"].get_linestyle()


def test_links_stay_in_the_window(bundled_fig, bundled):
    window = Window.centred_on(bundled.focal.anchor[0])
    for line in by_gid(bundled_fig, "link:").values():
        for seg in line.get_segments():
            xs = seg[:, 0]
            assert xs.min() >= window.west - 1e-6 and xs.max() <= window.east + 1e-6
            assert abs(xs[1:] - xs[:-1]).max() < 20  # no jump across the map (antimeridian band)


def test_view_is_cropped_to_the_partners(small):
    fig = static.build_figure(select(small, as_of="1990"), dpi=DPI)  # Japan and the US only
    (ax,) = fig.axes
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert x1 - x0 < 250
    assert x0 < 139.69 < x1 and x0 < 360 - 77.04 < x1  # Tokyo, and Washington east of it
    w, h = fig.get_size_inches()
    bbox = ax.get_position()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(bbox.height * h / (bbox.width * w), rel=1e-3)  # fills the frame


def test_labels_do_not_overlap(bundled_fig):
    renderer = bundled_fig.canvas.get_renderer()
    labels = [t for t in by_gid(bundled_fig, "label:").values() if t.get_visible()]
    assert len(labels) >= 8
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG\r\n\x1a\n"), ("svg", b"<?xml"), ("pdf", b"%PDF-")])
def test_bytes_magic(small_fig, fmt, magic):
    data = static.figure_bytes(small_fig, fmt)
    assert data.startswith(magic)
    if fmt == "svg":
        assert b"<svg" in data[:2000]


@pytest.mark.parametrize("fmt", static.FORMATS)
def test_bytes_are_deterministic(small, fmt):
    one = static.figure_bytes(static.build_figure(small, dpi=DPI), fmt)
    two = static.figure_bytes(static.build_figure(small, dpi=DPI), fmt)
    assert one == two
    assert b"CreationDate" not in one and b"<dc:date>" not in one


def test_unknown_format(small_fig):
    with pytest.raises(UsageError, match="png, svg, pdf"):
        static.figure_bytes(small_fig, "gif")


@pytest.mark.parametrize(("path", "fmt"), [("map.png", "png"), ("out/MAP.SVG", "svg"), ("a.b.Pdf", "pdf"),
                                           ("map.html", None), ("map", None)])
def test_format_for(path, fmt):
    assert static.format_for(path) == fmt


@pytest.mark.parametrize(("size", "inches"), [("16:9", (13.333, 7.5)), ("4:3", (10.0, 7.5)),
                                              ("12x6.75", (12.0, 6.75)), (" 8X4 ", (8.0, 4.0))])
def test_size_parsing(size, inches):
    assert static.parse_size(size) == inches


@pytest.mark.parametrize("size", ["16:10", "12x", "0x5", "12x-3", "500x5", "big", ""])
def test_bad_size_lists_the_accepted_forms(size):
    with pytest.raises(UsageError) as exc:
        static.parse_size(size)
    assert all(form in str(exc.value) for form in ("16:9", "4:3", "WIDTHxHEIGHT"))


def test_size_and_dpi_reach_the_figure(small):
    fig = static.build_figure(small, size="4:3", dpi=DPI)
    assert tuple(fig.get_size_inches()) == (10.0, 7.5) and fig.dpi == DPI
    png = static.figure_bytes(fig, "png")
    assert int.from_bytes(png[16:20], "big") == 600  # PNG IHDR width: 10 in x 60 dpi


@pytest.mark.parametrize("kwargs", [{"dpi": 0}, {"dpi": 5000}, {"dpi": "150"}, {"theme": "neon"}, {"lang": "fr"},
                                    {"lang": "<b>"},
                                    {"size": "1x1"}])
def test_bad_options(small, kwargs):
    with pytest.raises(UsageError):
        static.build_figure(small, **{"dpi": DPI, **kwargs})


def test_title_and_subtitle_override(small):
    fig = static.build_figure(small, title="Allies", subtitle="2025", dpi=DPI)
    assert by_gid(fig, "title")["title"].get_text() == "Allies"
    assert by_gid(fig, "subtitle")["subtitle"].get_text() == "2025"


def test_japanese_labels(small):
    fig = static.build_figure(small, lang="ja", dpi=DPI)
    assert by_gid(fig, "title")["title"].get_text() == "Test network"  # the fixture has no title_ja
    assert by_gid(fig, "label:AUS")["label:AUS"].get_text() == "オーストラリア"
    assert by_gid(fig, "label:focal")["label:focal"].get_text() == "日本"
    assert category_entries(fig, "ja") == {"安全保障", "経済", "外交"}
    assert "時点" in by_gid(fig, "credit")["credit"].get_text()
    cjk = static.find_cjk_font()
    assert cjk is not None, "no CJK font: `make test` installs fonts-noto-cjk"
    assert by_gid(fig, "title")["title"].get_fontfamily()[0] == cjk


def test_missing_cjk_font_warns_once(small, monkeypatch):
    monkeypatch.setattr(static, "find_cjk_font", lambda: None)
    monkeypatch.setattr(static, "_cjk_warned", False)
    with pytest.warns(PartnermapWarning, match="no CJK font found.*install fonts-noto-cjk"):
        static.build_figure(small, lang="ja", dpi=DPI)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", message="--lang ja: ")  # the fixture's English-only texts
        static.build_figure(small, lang="ja", dpi=DPI)  # not again
        monkeypatch.setattr(static, "_cjk_warned", False)
        static.build_figure(small, lang="en", dpi=DPI)  # English needs no CJK font


def test_changes_since_mutes_unchanged_links(small):
    fig = static.build_figure(select(small, changes_since="2025-01-01"), dpi=DPI)
    links = by_gid(fig, "link:")
    assert links["link:USA:economic"].get_colors()[0][3] > links["link:AUS:security"].get_colors()[0][3]
    assert "Changed since 2025-01-01" in legend_texts(fig)


@pytest.mark.parametrize("theme", sorted(th.THEMES))
def test_every_theme_has_a_figure_style(small, theme):
    fig = static.build_figure(small, theme=theme, dpi=DPI)
    assert by_gid(fig, "title")["title"].get_fontsize() == th.THEMES[theme].figure.title_pt


def test_a_megabyte_name_is_drawn_cut(minimal):
    """A 1 MB partner name once made Agg lay out a megabyte of glyphs (5.7 GB, SIGSEGV): every
    drawn text is cut at text.MAX_DRAWN with an ellipsis, so the SVG holds the cut name only."""
    import dataclasses

    from partnermap.text import MAX_DRAWN

    huge = "Ruritania " * 100_000
    data = dataclasses.replace(minimal, partners=tuple(
        dataclasses.replace(p, name=huge) if p.id == "AUS" else p for p in minimal.partners))
    fig = static.build_figure(data, dpi=20)
    drawn = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if "Ruritania" in t.get_text()]
    assert drawn and all(len(t) <= MAX_DRAWN and t.endswith("…") for t in drawn)
    assert len(static.figure_bytes(fig, "svg")) < 2_000_000


UK = "tests/data/uk.geojson"
AUSTRALIA = "tests/data/australia.geojson"


def _display(fig, point):
    (ax,) = fig.axes
    return ax.transData.transform(point)


@pytest.mark.parametrize("path,theme,lang", [(None, "light", "en"), (None, "presentation", "en"),
                                             (None, "light", "ja"), (UK, "light", "en"),
                                             (UK, "presentation", "en"), (AUSTRALIA, "presentation", "en")])
def test_legend_covers_no_partner_and_names_stay_inside_the_frame(path, theme, lang):
    """The legend leaves every partner's name point and capital, and the focal country's, uncovered
    (the scene's placement, judged in this frame too); every name shown is whole inside the map."""
    data = partnermap.load(path) if path else partnermap.load()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PartnermapWarning)
        sc = scene(data, theme=theme, lang=lang)
        fig = static.draw_figure(sc, data, dpi=DPI)
    renderer = fig.canvas.get_renderer()
    legend = fig._partnermap_legend.get_window_extent(renderer)
    for pid, pt in [("focal", sc.focal.anchor)] + [(p.id, q) for p in sc.partners for q in (p.label_point, p.anchor)]:
        x, y = _display(fig, pt)
        assert not (legend.x0 <= x <= legend.x1 and legend.y0 <= y <= legend.y1), (pid, pt)
    frame = fig.axes[0].get_window_extent(renderer)
    names = [t for gid, t in by_gid(fig, "label:").items() if t.get_visible()]
    assert len(names) >= 8
    for t in names:
        box = t.get_window_extent(renderer)
        if box.x1 > frame.x0 and box.x0 < frame.x1 and box.y1 > frame.y0 and box.y0 < frame.y1:
            assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, t.get_text()  # never "ted Kingdom"


def test_united_kingdom_is_named_whole_at_the_frame_edge(bundled_fig):
    uk = by_gid(bundled_fig, "label:GBR")["label:GBR"]
    assert uk.get_visible() and uk.get_text() == "United Kingdom"
    renderer = bundled_fig.canvas.get_renderer()
    assert uk.get_window_extent(renderer).x0 >= bundled_fig.axes[0].get_window_extent(renderer).x0


def test_layers_tints_under_partners_friction_over_groupings_pending_hatched(bundled_fig):
    tints = by_gid(bundled_fig, "tint:")
    territories = by_gid(bundled_fig, "territory:")
    assert tints and max(t.get_zorder() for t in tints.values()) < min(t.get_zorder() for t in territories.values())
    groupings = by_gid(bundled_fig, "grouping:")
    friction = by_gid(bundled_fig, "friction:")["friction:USA"]
    assert friction.get_zorder() > max(g.get_zorder() for g in groupings.values())
    assert territories["territory:CHN"].get_hatch()  # contested
    assert not territories["territory:USA"].get_hatch()
    uk = static.build_figure(partnermap.load(UK), dpi=DPI)
    india = by_gid(uk, "territory:IND")["territory:IND"]
    assert india.get_hatch() and india.get_facecolor()[3] == pytest.approx(th.THEMES["light"].fill_min)


def test_organisations_differ_beyond_their_dash(bundled_fig, bundled):
    sc = scene(bundled)
    marks = by_gid(bundled_fig, "hq:")
    assert marks["hq:EU"].get_marker() != marks["hq:NATO"].get_marker()
    outlines = by_gid(bundled_fig, "grouping:")
    styles = {(g.get_linestyle(), g.get_linewidth()) for g in outlines.values()}
    assert len(styles) == len(sc.groups)  # each grouping its own outline
