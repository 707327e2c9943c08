"""Every colour, size and line style partnermap draws with: one ``Theme`` per look, both media.

The palette is Okabe & Ito's (2008), chosen because its hues stay distinct
for the common forms of colour blindness; categories never rely on hue alone
(links also differ by dash, the legend names every colour). Each theme holds
the browser's sizes (pixels, ``web``) and the static figure's (points,
``figure``); ``rules_style`` hands the numbers the drawing rules need to
``rules.py`` and, through the payload, to ``rules.js`` — the map script holds
rules but no numbers. Words live in ``i18n``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .errors import UsageError
from .vocab import Category

CATEGORY_COLORS: dict[Category, str] = {
    Category.SECURITY: "#0072B2",  # blue
    Category.ECONOMIC: "#E69F00",  # orange
    Category.DIPLOMATIC: "#009E73",  # bluish green
}
FRICTION_COLOR = "#D55E00"  # vermillion
CONTESTED_COLOR = "#7F7F7F"  # grey: contested relationships and ended ties
FOCAL_COLOR = "#CC79A7"  # reddish purple
GROUP_COLOR = "#56B4E9"  # sky blue: a grouping with no cooperative tie shown

# Dash patterns by name; each medium gives its own numbers (web: px; figure: multiples of the width).
DASHES = ("pending", "friction", "contested")
# Groupings (organisations and groups) are told apart by their outline: a dash pattern and a line
# width, each grouping the style its id hashes to (scenes.grouping_styles), so it keeps its look in
# every view; two groupings drawn together never share one. No pattern is dotted: round dots mean
# friction. Web dashes are pixels at the base width, figure dashes multiples of the line width.
_DASHES_WEB = ("10 5", "4 4", "16 4 4 4", "22 6", "14 4 4 4 4 4", "7 7")
_DASHES_FIG = ((5.0, 2.5), (2.0, 2.0), (8.0, 2.0, 2.0, 2.0), (11.0, 3.0), (7.0, 2.0, 2.0, 2.0, 2.0, 2.0), (3.5, 3.5))
_WIDTHS = (1.0, 1.4)
GROUPING_STYLES: tuple[tuple[str, tuple[float, ...], float], ...] = tuple(
    (web, fig, width) for width in _WIDTHS for web, fig in zip(_DASHES_WEB, _DASHES_FIG, strict=True))
# Organisations' headquarters marks differ in shape too (the EU and NATO share Brussels and ink).
HQ_MARKERS = ("circle", "square", "diamond", "triangle")
# Where a name may go when its own spot is taken, in order (both renderers' declutter): shifts in
# its own widths and lines, up positive. A name with no free spot among them is hidden.
LABEL_SHIFTS = ((0, 0), (0, 1), (0, -1), (0.6, 0), (-0.6, 0), (0.6, 1), (-0.6, 1), (0.6, -1), (-0.6, -1))


@dataclass(frozen=True)
class WebSizes:
    """The interactive map's sizes, in CSS pixels (and milliseconds)."""

    font_px: int = 13
    label_px: int = 12
    legend_px: int = 12  # the legend reads at arm's length: smaller than labels, even in a room
    weight_min: float = 1.5
    weight_max: float = 6.0
    dash_pending: str = "6 6"
    dash_friction: str = "1 6"
    dash_contested: str = "3 3"
    highlight: float = 2.0  # extra width of a link changed since --changes-since
    border: float = 0.6  # basemap borders
    outline: float = 1.0  # partner territories
    grouping: float = 2.0  # organisation and group outlines
    friction_outline: float = 2.0
    focal_radius: int = 5
    focal_label_gap: int = 4  # from the focal marker to its name
    focal_outline: float = 1.5
    focal_halo: float = 2.0
    hq_radius: int = 4
    hq_halo: float = 1.5
    hq_label_gap: int = 7  # from a headquarters mark to its label
    label_line: float = 1.1  # line height of stacked headquarters labels, in label sizes
    under_line: float = 1.5  # a group label under a member's name, in label sizes
    label_min_opacity: float = 0.5  # a muted name (a story step about others) stays readable
    hatch_px: int = 6  # spacing of the hatching of contested and pending fills
    hatch_width: float = 1.5
    swatch_line: float = 3.0  # legend samples' stroke widths
    swatch_outline: float = 2.0
    fit_padding: int = 10  # around the scene's extent when the map opens
    panel_share: float = 0.45  # panels (filters, table) at most this share of the map's height ...
    legend_share: float = 0.62  # ... and a legend in a bottom corner this share
    panel_min_px: int = 80
    gap_px: int = 10  # between panels, and around an opened popup
    play_ms: int = 700  # one year per step when the timeline plays
    z_base: int = 200
    z_tiles: int = 250
    z_tints: int = 280  # group tints lie under partners' fills (they never change a partner's colour)
    z_territory: int = 300
    z_groupings: int = 350
    z_friction: int = 380  # a partner's friction outline stays over any grouping's outline
    z_links: int = 420
    z_marks: int = 600
    z_labels: int = 640
    popup_width: int = 420
    popup_height: int = 360
    popup_min_width: int = 240
    popup_floor_px: int = 160  # the narrowest a popup gets, and ...
    popup_floor_height: int = 120  # ... the shortest
    popup_share: float = 0.6  # a popup's height at most this share of the map's
    popup_margin: int = 40  # popups stay this far inside each side of the map
    popup_chrome_px: int = 40  # a popup's frame and tip beyond its content's height
    # ties listed at a time per category in a popup ("more" shows the next page): a 360 px popup
    # shows two or three; Leaflet lays out the whole content twice on opening (#15) ...
    popup_page: int = 10
    table_page: int = 100  # ... and rows in the table of ties
    narrow_px: int = 600  # below this width the legend starts folded and popups shrink


@dataclass(frozen=True)
class FigureSizes:
    """How a static figure (PNG/SVG/PDF, slides) draws; sizes in points.

    Dash patterns are in multiples of the line width (matplotlib scales
    dashes with the width), so thick presentation lines keep their rhythm.
    """

    title_pt: float = 18
    subtitle_pt: float = 12
    label_pt: float = 9
    group_label_pt: float = 9
    legend_pt: float = 9
    credit_pt: float = 7.5
    weight_min: float = 1.0
    weight_max: float = 4.5
    highlight: float = 1.5
    border_pt: float = 0.3
    outline_pt: float = 0.6
    grouping_pt: float = 1.2
    friction_outline_pt: float = 1.4
    focal_marker_pt: float = 7
    hq_marker_pt: float = 5
    halo_pt: float = 2.0
    dash_pending: tuple[float, ...] = (3.0, 2.0)
    dash_friction: tuple[float, ...] = (0.05, 2.2)
    dash_contested: tuple[float, ...] = (2.0, 2.0)
    hatch: str = "////"
    hatch_pt: float = 0.6


@dataclass(frozen=True)
class Theme:
    """A look for every output. ``presentation`` is readable from the back of a room."""

    name: str
    land: str
    border: str
    water: str
    text: str
    halo: str
    panel: str
    fill_min: float = 0.25  # the shallowest tie's fill opacity ...
    fill_max: float = 0.7  # ... and an alliance's
    fill_contested: float = 0.25
    outline_opacity: float = 0.9  # territory and grouping outlines
    focal_fill: float = 0.75
    group_tint: float = 0.07  # groups (not organisations) are tinted so their members read as one
    line_opacity: float = 0.85
    muted: float = 0.25  # links unchanged since --changes-since
    unfocused: float = 0.3  # opacity factor for what a story step is not about
    friction_mark_ratio: float = 0.7  # the dotted friction mark's width, relative to its link
    web: WebSizes = field(default_factory=WebSizes)
    figure: FigureSizes = field(default_factory=FigureSizes)

    def organisation_color(self) -> str:
        """Organisations are outlined in ink, not a category colour: they are not partners' fills."""
        return self.text

    def rules_style(self, medium: str = "web") -> dict:
        """The numbers ``rules.link_style``/``fill_style`` use, in the units of ``medium`` (web or figure)."""
        web = medium == "web"
        sizes = self.web if web else self.figure
        return {
            "category": {c.value: col for c, col in CATEGORY_COLORS.items()},
            "friction": FRICTION_COLOR,
            "contested": CONTESTED_COLOR,
            "ended": CONTESTED_COLOR,
            "focal": FOCAL_COLOR,
            "group": GROUP_COLOR,
            "organisation": self.organisation_color(),
            "weightMin": sizes.weight_min,
            "weightMax": sizes.weight_max,
            "dashPending": sizes.dash_pending,
            "dashFriction": sizes.dash_friction,
            "dashContested": sizes.dash_contested,
            "highlight": sizes.highlight,
            "lineOpacity": self.line_opacity,
            "muted": self.muted,
            "unfocused": self.unfocused,
            "frictionMarkRatio": self.friction_mark_ratio,
            "fillMin": self.fill_min,
            "fillMax": self.fill_max,
            "fillContested": self.fill_contested,
        }

    def grouping_dash(self, index: int, medium: str = "web"):
        """The dash pattern of grouping style ``index`` (``GROUPING_STYLES``)."""
        web, fig, _ = GROUPING_STYLES[index % len(GROUPING_STYLES)]
        return web if medium == "web" else fig

    def grouping_width(self, index: int, medium: str = "web") -> float:
        """The outline width of grouping style ``index``: the theme's grouping width times its factor."""
        base = self.web.grouping if medium == "web" else self.figure.grouping_pt
        return base * GROUPING_STYLES[index % len(GROUPING_STYLES)][2]


_LIGHT = Theme("light", land="#EFEDE8", border="#B8B4AC", water="#DCE8F0", text="#1F1F1F", halo="#FFFFFF",
               panel="#FFFFFF")
THEMES: dict[str, Theme] = {
    "light": _LIGHT,
    "dark": replace(_LIGHT, name="dark", land="#2B2E33", border="#4A4F57", water="#16191D", text="#EDEDED",
                    halo="#000000", panel="#24272B", fill_min=0.3, fill_max=0.75, line_opacity=0.9),
    "presentation": replace(
        _LIGHT, name="presentation", land="#F2F0EB", border="#9E9A92", water="#D6E4EE", text="#000000",
        fill_min=0.3, fill_max=0.8, line_opacity=0.95,
        web=WebSizes(font_px=20, label_px=20, legend_px=14, weight_min=3.0, weight_max=11.0, dash_pending="12 10",
                     dash_friction="2 10", dash_contested="5 5", highlight=3.0, outline=1.5, grouping=3.0,
                     friction_outline=3.0, focal_radius=8, focal_label_gap=6, focal_outline=2.5, focal_halo=3.0,
                     hq_radius=6, hq_halo=2.0, hq_label_gap=10, hatch_px=8, hatch_width=2.0, swatch_line=4.0,
                     swatch_outline=3.0),
        figure=FigureSizes(title_pt=26, subtitle_pt=16, label_pt=12, group_label_pt=12, legend_pt=11, credit_pt=10,
                           weight_min=1.8, weight_max=7.0, highlight=2.0, border_pt=0.4, outline_pt=0.9,
                           grouping_pt=1.8, friction_outline_pt=2.0, focal_marker_pt=11, hq_marker_pt=7,
                           halo_pt=2.6, dash_pending=(2.5, 1.6), dash_friction=(0.05, 2.0), hatch="///",
                           hatch_pt=0.9)),
}

# Fonts for static figures: the first installed family wins, the rest are
# per-glyph fallbacks. DejaVu Sans ships with matplotlib, so Latin text always renders.
FONT_FAMILY = "DejaVu Sans"
CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "IPAexGothic", "IPAGothic",
             "TakaoGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", "MS Gothic")


def get_theme(name: str) -> Theme:
    try:
        return THEMES[name]
    except (KeyError, TypeError):
        raise UsageError(f"unknown theme {str(name)[:40]!r}; choose from: {', '.join(THEMES)}") from None
