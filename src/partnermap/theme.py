"""Every colour, label and line style partnermap draws with, in one place.

The palette is Okabe & Ito's (2008), chosen because its hues stay distinct
for the common forms of colour blindness; categories never rely on hue alone
(links also differ by dash, the legend names every colour).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError
from .vocab import Category, Kind, Nature, Relationship, Status, TieType

LANGS = ("en", "ja")

CATEGORY_COLORS: dict[Category, str] = {
    Category.SECURITY: "#0072B2",  # blue
    Category.ECONOMIC: "#E69F00",  # orange
    Category.DIPLOMATIC: "#009E73",  # bluish green
}
FRICTION_COLOR = "#D55E00"  # vermillion
CONTESTED_COLOR = "#7F7F7F"
FOCAL_COLOR = "#CC79A7"  # reddish purple
GROUP_COLOR = "#56B4E9"  # sky blue

CATEGORY_LABELS: dict[Category, dict[str, str]] = {
    Category.SECURITY: {"en": "Security ties", "ja": "安全保障"},
    Category.ECONOMIC: {"en": "Economic ties", "ja": "経済"},
    Category.DIPLOMATIC: {"en": "Diplomatic ties", "ja": "外交"},
}

TYPE_LABELS: dict[TieType, dict[str, str]] = {
    TieType.ALLIANCE: {"en": "Alliance treaty", "ja": "同盟条約"},
    TieType.RECIPROCAL_ACCESS: {"en": "Reciprocal access agreement", "ja": "円滑化協定（RAA）"},
    TieType.ACSA: {"en": "Acquisition and cross-servicing agreement (ACSA)", "ja": "物品役務相互提供協定（ACSA）"},
    TieType.INFORMATION_SECURITY: {"en": "Information security agreement", "ja": "情報保護協定"},
    TieType.EQUIPMENT_TRANSFER: {"en": "Defence equipment and technology transfer", "ja": "防衛装備品・技術移転協定"},
    TieType.DEFENSE_SALE: {"en": "Defence sale", "ja": "防衛装備品の輸出"},
    TieType.JOINT_DEVELOPMENT: {"en": "Joint development programme", "ja": "共同開発"},
    TieType.DEFENSE_INDUSTRY: {"en": "Defence-industrial cooperation", "ja": "防衛産業協力"},
    TieType.JOINT_EXERCISE: {"en": "Joint exercise", "ja": "共同訓練"},
    TieType.DEPLOYMENT: {"en": "Deployment", "ja": "部隊派遣"},
    TieType.BASING: {"en": "Overseas base", "ja": "海外拠点"},
    TieType.FORCE_POSTURE: {"en": "Force posture and command", "ja": "態勢・指揮統制"},
    TieType.SECURITY_ASSISTANCE: {"en": "Security assistance", "ja": "安全保障能力強化支援"},
    TieType.SECURITY_DECLARATION: {"en": "Security declaration", "ja": "安全保障協力宣言"},
    TieType.DIALOGUE_2PLUS2: {"en": "2+2 ministerial dialogue", "ja": "2+2"},
    TieType.MINILATERAL: {"en": "Minilateral framework", "ja": "ミニラテラル枠組み"},
    TieType.TRADE_AGREEMENT: {"en": "Trade agreement (EPA/FTA)", "ja": "経済連携協定・自由貿易協定"},
    TieType.TARIFF_DEAL: {"en": "Tariff deal", "ja": "関税合意"},
    TieType.TRADE_MEASURE: {"en": "Trade measure", "ja": "貿易措置"},
    TieType.INVESTMENT: {"en": "Investment agreement", "ja": "投資合意"},
    TieType.ECONOMIC_SECURITY: {"en": "Economic security cooperation", "ja": "経済安全保障協力"},
    TieType.DEVELOPMENT: {"en": "Development cooperation", "ja": "開発協力"},
    TieType.PARTNERSHIP_FRAMEWORK: {"en": "Partnership framework", "ja": "パートナーシップ枠組み"},
    TieType.SUMMIT: {"en": "Summit", "ja": "首脳会談"},
    TieType.JOINT_STATEMENT: {"en": "Joint statement", "ja": "共同声明"},
    TieType.DIALOGUE: {"en": "Dialogue", "ja": "対話"},
    TieType.INCIDENT: {"en": "Incident or dispute", "ja": "事案・係争"},
}

STATUS_LABELS: dict[Status, dict[str, str]] = {
    Status.ANNOUNCED: {"en": "Announced", "ja": "発表"},
    Status.NEGOTIATING: {"en": "Under negotiation", "ja": "交渉中"},
    Status.SIGNED: {"en": "Signed", "ja": "署名"},
    Status.HELD: {"en": "Held", "ja": "実施"},
    Status.IN_FORCE: {"en": "In force", "ja": "発効"},
    Status.SUSPENDED: {"en": "Suspended", "ja": "停止"},
    Status.CANCELLED: {"en": "Cancelled", "ja": "中止"},
    Status.ENDED: {"en": "Ended", "ja": "終了"},
}

KIND_LABELS: dict[Kind, dict[str, str]] = {
    Kind.STATE: {"en": "State", "ja": "国"},
    Kind.ORGANISATION: {"en": "Organisation", "ja": "国際機関"},
    Kind.GROUP: {"en": "Group or framework", "ja": "枠組み"},
}

NATURE_LABELS: dict[Nature, dict[str, str]] = {
    Nature.COOPERATION: {"en": "Cooperation", "ja": "協力"},
    Nature.FRICTION: {"en": "Friction", "ja": "摩擦"},
}

RELATIONSHIP_LABELS: dict[Relationship, dict[str, str]] = {
    Relationship.PARTNER: {"en": "Partner", "ja": "パートナー"},
    Relationship.CONTESTED: {"en": "Contested relationship", "ja": "緊張関係"},
}

# Words the map itself shows (legend, controls, popups, credit line).
UI_LABELS: dict[str, dict[str, str]] = {
    "focal": {"en": "Focal country", "ja": "中心国"},
    "not_in_force": {"en": "Not (yet) in force", "ja": "未発効"},
    "in_force": {"en": "In force or held", "ja": "発効・実施済み"},
    "friction": {"en": "Friction", "ja": "摩擦"},
    "contested": {"en": "Contested relationship", "ja": "緊張関係"},
    "ended": {"en": "Ended or cancelled", "ja": "終了・中止"},
    "ties": {"en": "ties", "ja": "件"},
    "sources": {"en": "Sources", "ja": "出典"},
    "note": {"en": "Note", "ja": "注記"},
    "basemap": {"en": "Countries", "ja": "国境"},
    "legend": {"en": "Legend", "ja": "凡例"},
    "credit": {"en": "Sources in popups", "ja": "出典はポップアップに記載"},
    "as_of": {"en": "as of", "ja": "時点"},
    "members": {"en": "Members", "ja": "加盟国"},
    "parties": {"en": "Parties", "ja": "参加国"},
    "link_width": {"en": "Line width: number of ties", "ja": "線の太さ：件数"},
    "labels": {"en": "Partner names", "ja": "国名"},
    "filter": {"en": "Show ties", "ja": "表示する関係"},
    "types": {"en": "Agreement types", "ja": "種類"},
    "statuses": {"en": "Status", "ja": "状況"},
    "all": {"en": "All", "ja": "すべて"},
    "none": {"en": "None", "ja": "なし"},
    "year": {"en": "Year", "ja": "年"},
    "play": {"en": "Play", "ja": "再生"},
    "pause": {"en": "Pause", "ja": "停止"},
    "table": {"en": "Table of ties", "ja": "関係の一覧"},
    "partner": {"en": "Partner", "ja": "相手"},
    "category": {"en": "Category", "ja": "分野"},
    "type": {"en": "Type", "ja": "種類"},
    "status": {"en": "Status", "ja": "状況"},
    "dates": {"en": "Dates", "ja": "日付"},
    "title": {"en": "Title", "ja": "名称"},
    "changed_since": {"en": "Changed since {date}", "ja": "{date}以降の変化"},
    "change_new": {"en": "new", "ja": "新規"},
    "change_advanced": {"en": "advanced", "ja": "進展"},
    "change_ended": {"en": "ended", "ja": "終了"},
    "unchanged": {"en": "Unchanged (muted)", "ja": "変化なし（淡色）"},
    "fullscreen": {"en": "Full screen", "ja": "全画面"},
    "nothing_shown": {"en": "No ties match the current selection.", "ja": "条件に合う関係はありません。"},
    # static figures (static.py) and slide decks (slides.py)
    "credit_static": {"en": "Sources in the data file", "ja": "出典はデータファイルに記載"},
    "credit_notes": {"en": "Sources in the speaker notes", "ja": "出典はスピーカーノートに記載"},
    "sources_see_notes": {"en": "Sources: see speaker notes", "ja": "出典：スピーカーノートを参照"},
    "all_ties": {"en": "All ties", "ja": "すべての関係"},
    "network_as_of": {"en": "The network as of {date}", "ja": "{date}時点のネットワーク"},
    "as_of_date": {"en": "as of {date}", "ja": "{date}時点"},
    "ties_shown": {"en": "Ties shown", "ja": "表示している関係"},
    "view_skipped": {"en": "Next view skipped ({view}): no ties match.",
                     "ja": "次の表示（{view}）は該当する関係がないため省略しました。"},
}


@dataclass(frozen=True)
class LineStyle:
    weight_min: float
    weight_max: float
    dash_pending: str  # ties signed or announced but not in force
    dash_friction: str
    opacity: float


@dataclass(frozen=True)
class Theme:
    """A look for the whole map. ``presentation`` is readable from the back of a room."""

    name: str
    land: str
    border: str
    water: str
    text: str
    halo: str
    panel: str
    font_size_px: int
    label_size_px: int
    lines: LineStyle
    fill_opacity_min: float
    fill_opacity_max: float


THEMES: dict[str, Theme] = {
    "light": Theme("light", land="#EFEDE8", border="#B8B4AC", water="#DCE8F0", text="#1F1F1F", halo="#FFFFFF",
                   panel="#FFFFFF", font_size_px=13, label_size_px=12,
                   lines=LineStyle(1.5, 6.0, "6 6", "2 5", 0.85), fill_opacity_min=0.25, fill_opacity_max=0.7),
    "dark": Theme("dark", land="#2B2E33", border="#4A4F57", water="#16191D", text="#EDEDED", halo="#000000",
                  panel="#24272B", font_size_px=13, label_size_px=12,
                  lines=LineStyle(1.5, 6.0, "6 6", "2 5", 0.9), fill_opacity_min=0.3, fill_opacity_max=0.75),
    "presentation": Theme("presentation", land="#F2F0EB", border="#9E9A92", water="#D6E4EE", text="#000000",
                          halo="#FFFFFF", panel="#FFFFFF", font_size_px=20, label_size_px=20,
                          lines=LineStyle(3.0, 11.0, "12 10", "3 9", 0.95), fill_opacity_min=0.3,
                          fill_opacity_max=0.8),
}


@dataclass(frozen=True)
class FigureStyle:
    """How a static figure (PNG/SVG/PDF, slides) draws; sizes in points.

    Dash patterns are in multiples of the line width (matplotlib scales
    dashes with the width), so thick presentation lines keep their rhythm.
    """

    title_pt: float
    subtitle_pt: float
    label_pt: float
    legend_pt: float
    credit_pt: float
    link_min_pt: float
    link_max_pt: float
    border_pt: float  # basemap country borders
    outline_pt: float  # partner territory outlines
    focal_marker_pt: float  # marker diameter
    halo_pt: float  # white (or black) ring around text
    dash_pending: tuple[float, ...]  # nothing in force yet
    dash_friction: tuple[float, ...]  # dots (drawn with round caps)
    dash_outline: tuple[float, ...]  # organisations
    hatch: str  # contested partners
    hatch_pt: float


FIGURE_STYLES: dict[str, FigureStyle] = {
    "light": FigureStyle(title_pt=18, subtitle_pt=12, label_pt=8, legend_pt=9, credit_pt=7.5,
                         link_min_pt=1.0, link_max_pt=4.5, border_pt=0.3, outline_pt=0.6, focal_marker_pt=7,
                         halo_pt=2.0, dash_pending=(3.0, 2.0), dash_friction=(0.05, 2.2), dash_outline=(4.0, 3.0),
                         hatch="////", hatch_pt=0.6),
    "dark": FigureStyle(title_pt=18, subtitle_pt=12, label_pt=8, legend_pt=9, credit_pt=7.5,
                        link_min_pt=1.0, link_max_pt=4.5, border_pt=0.3, outline_pt=0.6, focal_marker_pt=7,
                        halo_pt=2.0, dash_pending=(3.0, 2.0), dash_friction=(0.05, 2.2), dash_outline=(4.0, 3.0),
                        hatch="////", hatch_pt=0.6),
    "presentation": FigureStyle(title_pt=26, subtitle_pt=16, label_pt=11, legend_pt=12, credit_pt=9,
                                link_min_pt=1.8, link_max_pt=7.0, border_pt=0.4, outline_pt=0.9,
                                focal_marker_pt=11, halo_pt=2.6, dash_pending=(2.5, 1.6),
                                dash_friction=(0.05, 2.0), dash_outline=(4.0, 3.0), hatch="///", hatch_pt=0.9),
}

# Fonts for static figures: the first installed family wins, the rest are
# per-glyph fallbacks. DejaVu Sans ships with matplotlib, so Latin text always renders.
FONT_FAMILY = "DejaVu Sans"
CJK_FONTS = ("Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "IPAexGothic", "IPAGothic",
             "TakaoGothic", "Hiragino Sans", "Yu Gothic", "Meiryo", "MS Gothic")


def get_figure_style(name: str) -> FigureStyle:
    get_theme(name)  # the same names, the same error
    return FIGURE_STYLES[name]


def get_theme(name: str) -> Theme:
    try:
        return THEMES[name]
    except KeyError:
        raise UsageError(f"unknown theme {name!r}; choose from: {', '.join(THEMES)}") from None


def check_text(value: str | None, name: str) -> str | None:
    """Refuse a title that cannot be written as UTF-8 (a shell argument with stray bytes
    arrives as lone surrogates); every output that takes user text calls this."""
    if value is not None:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"--{name} contains bytes that are not UTF-8 text") from None
    return value


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"unknown language {lang!r}; choose from: {', '.join(LANGS)}")
    return lang


def vocabulary(lang: str = "en") -> dict[str, list[dict[str, str]]]:
    """Everything ``partnermap types`` prints: each term with its label."""
    from .vocab import TYPE_CATEGORIES

    return {
        "category": [{"value": c.value, "label": CATEGORY_LABELS[c][lang]} for c in Category],
        "type": [
            {"value": t.value, "label": TYPE_LABELS[t][lang],
             "categories": ",".join(c.value for c in TYPE_CATEGORIES[t])}
            for t in TieType
        ],
        "status": [{"value": s.value, "label": STATUS_LABELS[s][lang]} for s in Status],
        "kind": [{"value": k.value, "label": KIND_LABELS[k][lang]} for k in Kind],
        "nature": [{"value": n.value, "label": NATURE_LABELS[n][lang]} for n in Nature],
        "relationship": [{"value": r.value, "label": RELATIONSHIP_LABELS[r][lang]} for r in Relationship],
    }
