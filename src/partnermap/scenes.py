"""One renderer-neutral scene: what every output draws, decided once.

``scene(view)`` turns a selected ``Dataset`` into a frozen ``Scene``: each
partner's fill and friction mark, its label and label point; every link with
the ties behind it and its one-piece path; every organisation and group as
drawn (label, members, style, headquarters); the legend entries actually
used and where the legend goes; title, subtitle and credit. The browser
payload (``payload.py``), the static figure (``static.py``) and the slides are
all drawn from it, so HTML, PNG/SVG/PDF and decks show the same network. The
rules it applies are ``rules.py`` (the browser re-applies them live, with the
twin ``rules.js``); the encoding is documented in docs/scene.md, and
``Scene.to_dict()`` is plain JSON.
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from dataclasses import dataclass

from . import rules
from .basemap import shapes as basemap_shapes
from .errors import PartnermapWarning
from .geo import POLAR_LAT, Window, link_path
from .i18n import Words, check_lang, fallback_warning, words
from .labels import (
    FOCAL_PRIORITY,
    GROUPING_PRIORITY,
    grouping_label_place,
    hq_sides,
    partner_priority,
    territory_label_point,
)
from .model import Dataset, Partner, Point, Tie
from .text import check_text
from .theme import Theme, get_theme
from .vocab import Category, Kind, Nature

# Bows keep a partner's security and economic links apart (fraction of length).
CATEGORY_BOW = {Category.SECURITY: 0.06, Category.ECONOMIC: -0.06, Category.DIPLOMATIC: 0.0}
# Main parts of a territory (at least this fraction of its largest part) set the view's extent,
# so Macquarie Island or Réunion do not widen the map to half the world.
MAIN_PART_FRACTION = 0.1
MARGIN_FRACTION, MARGIN_MIN_DEG, MIN_SPAN_DEG = 0.06, 4.0, 30.0
SLIDE_MAP_ASPECT = 6.3 / 13.333  # a 16:9 frame under a title: the shape legends are placed for
LEGEND_CORNERS = ("bottom-right", "bottom-left", "top-right")  # top-left holds the title
LEGEND_LAYOUTS = ("columns", "stacked")
COORD_DECIMALS = 3


def _pt(p: Point) -> tuple[float, float]:
    return (round(p[0], COORD_DECIMALS), round(p[1], COORD_DECIMALS))


@dataclass(frozen=True)
class Swatch:
    """How a legend row's sample is drawn, in renderer-neutral terms.

    ``kind``: fill (a patch), line (a link), outline (a dashed shape), mark (a point).
    ``dash``: a dash name of the theme (pending, friction, contested), ``grouping:N``, or None.
    """

    kind: str
    color: str
    opacity: float = 1.0
    dash: str | None = None
    hatch: bool = False
    overlay: str | None = None  # "friction": a dotted vermillion mark over the sample

    def to_dict(self) -> dict:
        return {"kind": self.kind, "color": self.color, "opacity": self.opacity, "dash": self.dash,
                "hatch": self.hatch, "overlay": self.overlay}


@dataclass(frozen=True)
class LegendEntry:
    key: str
    label: str
    swatch: Swatch | None  # None: a note line (what line width or colour strength means)

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "swatch": self.swatch.to_dict() if self.swatch else None}


@dataclass(frozen=True)
class PartnerMark:
    """A state's territory as drawn (organisations and groups are ``GroupingMark``)."""

    id: str
    name: str
    label: str | None  # None: not labelled (no tie shown yet)
    label_point: Point | None
    anchor: Point
    fill: str | None  # a category, "contested" or None
    friction: bool
    tier: int | None
    counts: tuple[tuple[str, int, int], ...]  # (category, ties shown, of which ended)
    ties: tuple[str, ...]
    priority: int

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "label": self.label,
                "labelPoint": list(self.label_point) if self.label_point else None, "anchor": list(self.anchor),
                "fill": self.fill, "friction": self.friction, "tier": self.tier,
                "counts": [list(c) for c in self.counts], "ties": list(self.ties), "priority": self.priority}


@dataclass(frozen=True)
class Link:
    """One line from the focal country: one partner (a state or an organisation's headquarters), one category."""

    partner: str
    category: str
    ties: tuple[str, ...]
    state: rules.LinkState
    path: tuple[Point, ...]
    great_circle: bool

    @property
    def friction(self) -> bool:
        return self.state.friction

    def to_dict(self) -> dict:
        return {"partner": self.partner, "category": self.category, "ties": list(self.ties),
                **self.state.to_dict(), "greatCircle": self.great_circle}


@dataclass(frozen=True)
class GroupingMark:
    """An organisation (outlined, links to a labelled headquarters mark) or a group (outlined, tinted, labelled)."""

    id: str
    kind: str  # "organisation" or "group"
    name: str
    label: str
    members: tuple[str, ...]
    category: str | None  # the primary category of its ties: a group's colour
    color: str
    dash: int  # index into the theme's grouping dashes: each grouping its own pattern
    tint: bool
    friction: bool
    label_point: Point
    label_under: str | None  # the member whose name this label sits under (every member is labelled)
    under_rank: int  # 1 for the first grouping under that name, 2 for the next...
    hq: Point | None  # organisations: the headquarters mark their links end at
    hq_offset: int  # the label's line offset beside its headquarters mark (-1 above, +1 below, 0 level)
    counts: tuple[tuple[str, int, int], ...]
    ties: tuple[str, ...]
    priority: int

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "name": self.name, "label": self.label,
                "members": list(self.members), "category": self.category, "color": self.color, "dash": self.dash,
                "tint": self.tint, "friction": self.friction, "labelPoint": list(self.label_point),
                "labelUnder": self.label_under, "underRank": self.under_rank,
                "hq": list(self.hq) if self.hq else None, "hqOffset": self.hq_offset,
                "counts": [list(c) for c in self.counts], "ties": list(self.ties), "priority": self.priority}


@dataclass(frozen=True)
class FocalMark:
    id: str
    label: str
    anchor: Point

    def to_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "anchor": list(self.anchor)}


@dataclass(frozen=True)
class Scene:
    """Everything an output draws, in the longitude window ``west``..``west + 360``."""

    lang: str
    theme: str
    title: str
    subtitle: str
    view_parts: tuple[str, ...]  # what the view line says, part by part ("Security ties", "as of 2023-01-11")
    credit: str
    description: str
    day: str  # ISO date shown
    changes_since: str | None
    west: float
    extent: tuple[float, float, float, float]  # x0, x1, y0, y1
    legend_corner: str
    legend_layout: str  # "columns": the groupings beside the rest; "stacked": below it
    focal: FocalMark
    partners: tuple[PartnerMark, ...]
    links: tuple[Link, ...]
    groups: tuple[GroupingMark, ...]
    legend: tuple[LegendEntry, ...]
    max_counts: tuple[tuple[str, int], ...]  # the widest link of each category (link widths are relative)
    focus: tuple[str, ...] = ()  # what a story step is about: everything else is drawn muted

    def muted(self, partner_id: str) -> bool:
        """Drawn faint: there is a focus and this partner (or grouping) is not in it."""
        return bool(self.focus) and partner_id not in self.focus

    def partner(self, partner_id: str) -> PartnerMark:
        return next(p for p in self.partners if p.id == partner_id)

    def group(self, group_id: str) -> GroupingMark:
        return next(g for g in self.groups if g.id == group_id)

    def to_dict(self) -> dict:
        """Plain JSON (documented in docs/scene.md)."""
        return {
            "lang": self.lang, "theme": self.theme, "title": self.title, "subtitle": self.subtitle,
            "viewParts": list(self.view_parts), "credit": self.credit, "description": self.description,
            "day": self.day, "changesSince": self.changes_since, "west": self.west, "extent": list(self.extent),
            "legendCorner": self.legend_corner, "legendLayout": self.legend_layout, "focal": self.focal.to_dict(),
            "partners": [p.to_dict() for p in self.partners],
            "links": [link.to_dict() for link in self.links],
            "groups": [g.to_dict() for g in self.groups],
            "legend": [e.to_dict() for e in self.legend],
            "maxCounts": dict(self.max_counts), "focus": list(self.focus),
        }


# ---- building it --------------------------------------------------------------------------


def fact(tie: Tie) -> rules.Fact:
    """A tie of a selected view as the rules see it (its status is already the status on the day shown)."""
    return rules.Fact(tie.category.value, tie.type.value, tie.nature is Nature.FRICTION, tie.status.value, tie.change)


def _counts(facts: list[rules.Fact]) -> tuple[tuple[str, int, int], ...]:
    return tuple((c, n, ended) for c, (n, ended) in rules.tally(facts).items())


def view_parts(dataset: Dataset, w: Words, *, with_date: bool = True) -> list[str]:
    """What the view shows, in words: categories, types, partners, statuses, range, date, changes."""
    sel = dataset.selection
    parts: list[str] = []
    if sel is not None:
        if sel.categories:
            parts.append(" + ".join(w.category(c) for c in Category if c in sel.categories))
        if sel.types:
            parts.append(" + ".join(sorted(w.type(t) for t in sel.types)))
        if sel.statuses:
            parts.append(" + ".join(w.status(s) for s in sorted(sel.statuses, key=lambda s: s.value)))
        if sel.partners:
            names = []
            for pid in sorted(sel.partners):
                p = next((x for x in dataset.partners if x.id == pid), None)
                names.append(p.label(w.lang) if p else pid)
            parts.append(w.ui("view_with", names=", ".join(names)))
        if sel.since and sel.until:
            parts.append(w.ui("view_range", since=str(sel.since), until=str(sel.until)))
        elif sel.since:
            parts.append(w.ui("view_since", date=str(sel.since)))
        elif sel.until:
            parts.append(w.ui("view_until", date=str(sel.until)))
    if with_date and dataset.view_date is not None:
        parts.append(w.ui("as_of_date", date=dataset.view_date.isoformat()))
    if dataset.changes_since is not None:
        parts.append(w.ui("changed_since", date=dataset.changes_since.isoformat()))
    return parts


def credit_line(dataset: Dataset, w: Words, where: str = "credit", day: str | None = None) -> str:
    """Dataset · the day shown · where the sources are · the basemap."""
    shown = day or dataset.shown_date.isoformat()
    return " · ".join([dataset.text("title", w.lang), w.ui("as_of_date", date=shown), w.ui(where),
                       "Natural Earth"])


def description(dataset: Dataset, w: Words, n_ties: int, n_partners: int,
                tally: dict[str, list[int]]) -> str:
    """The text alternative a screen reader announces (the browser rebuilds it as filters change)."""
    breakdown = ", ".join(w.ui("tally", label=w.category(c), n=str(n)) for c, (n, _e) in tally.items())
    return w.ui("description", focal=dataset.focal.label(w.lang), ties=str(n_ties), partners=str(n_partners),
                breakdown=breakdown)


def _main_bounds(geom) -> list[tuple[float, float, float, float]]:
    import shapely

    parts = shapely.get_parts(geom)
    if not len(parts):
        return []
    areas = shapely.area(parts)
    largest = areas.max()
    return [tuple(float(v) for v in shapely.bounds(p)) for p, a in zip(parts, areas, strict=True)
            if a >= MAIN_PART_FRACTION * largest]


def _extent(points: list[Point], boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points] + [b[0] for b in boxes] + [b[2] for b in boxes]
    ys = [p[1] for p in points] + [b[1] for b in boxes] + [b[3] for b in boxes]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    mx = max(MARGIN_MIN_DEG, MARGIN_FRACTION * (x1 - x0))
    my = max(MARGIN_MIN_DEG, MARGIN_FRACTION * (y1 - y0))
    top = POLAR_LAT + 2.0  # links stay below POLAR_LAT; Web Mercator needs no more height than that
    return (round(float(x0 - mx), 2), round(float(x1 + mx), 2), round(float(max(-top, y0 - my)), 2),
            round(float(min(top, y1 + my)), 2))


NOTE_WRAP = 34  # legend notes wrap at this many characters (both renderers)


def legend_columns(entries: tuple[LegendEntry, ...]) -> tuple[list[LegendEntry], list[LegendEntry]]:
    """The legend's two columns: what lines and colours mean, then the organisations and groups."""
    main = [e for e in entries if not (e.key.startswith("grouping:") or e.key.startswith("note:"))]
    side = [e for e in entries if e.key.startswith("grouping:") or e.key.startswith("note:")]
    return main, side


def legend_size(entries: tuple[LegendEntry, ...], theme: Theme, layout: str = "columns") -> tuple[float, float]:
    """The legend's share of a 16:9 map (width, height), estimated from its rows and the type size.

    ``layout``: ``columns`` (the groupings beside what lines mean) or ``stacked`` (below them).
    """
    pt = theme.figure.legend_pt
    map_w, map_h = 13.333 * 72, 6.3 * 72

    def rows(column: list[LegendEntry]) -> float:  # labels wrap at NOTE_WRAP (the browser's column is as narrow)
        return sum(-(-len(e.label) // (NOTE_WRAP if e.swatch is None else NOTE_WRAP - 5)) for e in column)

    def width(column: list[LegendEntry]) -> float:
        if not column:
            return 0.0
        chars = max(min(len(e.label), NOTE_WRAP) + (0 if e.swatch is None else 5) for e in column)
        return chars * 0.55 * pt + 16

    main, side = legend_columns(entries)
    if layout == "stacked":
        w, h = max(width(main), width(side)), rows(main) + rows(side)
    else:
        w, h = width(main) + width(side), max(rows(main), rows(side))
    return (min(0.9, w / map_w), min(0.9, h * 1.75 * pt / map_h))


def _mercator(lat: float) -> float:
    lat = max(-85.0, min(85.0, lat))
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def fit_extent(extent: tuple[float, float, float, float], aspect: float,
               west: float) -> tuple[float, float, float, float]:
    """Grow ``extent`` in one direction to the frame's height/width ``aspect``, keeping it on the globe."""
    x0, x1, y0, y1 = extent
    w = max(x1 - x0, MIN_SPAN_DEG)
    h = max(y1 - y0, MIN_SPAN_DEG * aspect)
    if h / w < aspect:
        h = w * aspect
    else:
        w = h / aspect
    w, h = min(w, 360.0), min(h, 180.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    x0 = min(max(cx - w / 2, west), west + 360.0 - w)
    y0 = min(max(cy - h / 2, -90.0), 90.0 - h)
    return x0, x0 + w, y0, y0 + h


def legend_cost(extent, weighted, frac, areas, west, corner) -> float:
    """What the legend would cover in ``corner`` (see ``legend_corner``)."""
    return legend_corner(extent, weighted, frac, areas, west, only=corner)[1]


def legend_corner(extent: tuple[float, float, float, float], weighted: list[tuple[Point, float]],
                  frac: tuple[float, float], areas: list[tuple[tuple[float, float, float, float], float]] = (),
                  west: float = -180.0, only: str | None = None):
    """The corner where the legend covers least of what is drawn, the focal country weighing most.

    Judged in both renderers' frames — the static figure's plate carrée and the browser's Web
    Mercator, which gives high latitudes far more height — so one corner serves both.
    ``weighted``: points (labels, link samples); ``areas``: boxes (territories), charged by
    the share the legend would cover.
    """
    pc = fit_extent(extent, SLIDE_MAP_ASPECT, west)
    frames = [(pc, lambda y: y)]
    merc = (extent[0], extent[1], _mercator(extent[2]), _mercator(extent[3]))
    frames.append((fit_extent(merc, SLIDE_MAP_ASPECT, west), _mercator))

    def box_for(frame, corner):
        x0, x1, y0, y1 = frame
        w, h = (x1 - x0) * frac[0], (y1 - y0) * frac[1]
        return {"bottom-right": (x1 - w, x1, y0, y0 + h), "bottom-left": (x0, x0 + w, y0, y0 + h),
                "top-right": (x1 - w, x1, y1 - h, y1)}[corner]

    def cost(corner):
        total = 0.0
        for frame, fy in frames:
            bx0, bx1, by0, by1 = box_for(frame, corner)
            total += sum(weight for (x, y), weight in weighted if bx0 <= x <= bx1 and by0 <= fy(y) <= by1)
            for (ax0, ay0, ax1, ay1), weight in areas:
                ay0, ay1 = fy(ay0), fy(ay1)
                ox = max(0.0, min(bx1, ax1) - max(bx0, ax0))
                oy = max(0.0, min(by1, ay1) - max(by0, ay0))
                total += weight * ox * oy / max(1e-9, (ax1 - ax0) * (ay1 - ay0))
        return total

    if only is not None:
        return only, cost(only)
    return min(LEGEND_CORNERS, key=lambda c: (round(cost(c), 6), LEGEND_CORNERS.index(c)))


def legend_place(entries: tuple[LegendEntry, ...], theme: Theme, extent, weighted, areas,
                 west: float) -> tuple[str, str]:
    """(corner, layout) of the legend: the corner and shape (columns or stacked) that cover least."""
    best = None
    for layout in LEGEND_LAYOUTS:
        frac = legend_size(entries, theme, layout)
        corner = legend_corner(extent, weighted, frac, areas, west)
        cost = legend_cost(extent, weighted, frac, areas, west, corner)
        if best is None or cost < best[0] - 1e-6:
            best = (cost, corner, layout)
    return best[1], best[2]


def legend_entries(keys: list[str], groups: tuple[GroupingMark, ...], dataset: Dataset, w: Words,
                   theme: Theme) -> tuple[LegendEntry, ...]:
    """The rows for ``rules.legend_keys`` (plus one row per grouping), each sample as it is drawn."""
    style = theme.rules_style()
    cat_colors = style["category"]
    rows: list[LegendEntry] = []
    for key in keys:
        if key == "focal":
            rows.append(LegendEntry(key, f"{dataset.focal.label(w.lang)} ({w.ui('focal')})",
                                    Swatch("fill", style["focal"], theme.focal_fill)))
        elif key in cat_colors:
            rows.append(LegendEntry(key, w.category(key), Swatch("fill", cat_colors[key], theme.fill_max)))
        elif key == "contested":
            rows.append(LegendEntry(key, w.ui("contested"), Swatch("fill", style["contested"], theme.fill_contested,
                                                                    dash="contested", hatch=True)))
        elif key == "in_effect":
            rows.append(LegendEntry(key, w.ui("in_force"), Swatch("line", theme.text)))
        elif key == "pending":
            rows.append(LegendEntry(key, w.ui("not_in_force"), Swatch("line", theme.text, dash="pending")))
        elif key == "friction":
            rows.append(LegendEntry(key, w.ui("friction_legend"),
                                    Swatch("line", style["friction"], dash="friction")))
        elif key == "ended":
            rows.append(LegendEntry(key, w.ui("ended"), Swatch("line", style["ended"], dash="pending")))
        elif key == "changed":
            rows.append(LegendEntry(key, w.ui("changed_since", date=dataset.changes_since.isoformat()),
                                    Swatch("line", theme.text)))
        elif key == "unchanged":
            rows.append(LegendEntry(key, w.ui("unchanged"), Swatch("line", theme.text, theme.muted)))
    fills = [k for k in keys if k in cat_colors]
    if fills:
        rows.insert(1 + len(fills), LegendEntry("fill_rule", w.ui("fill_rule"), None))
    for kind, note in (("organisation", "legend_organisations"), ("group", "legend_groups")):
        members = [g for g in groups if g.kind == kind]
        if members:
            rows.append(LegendEntry(f"note:{kind}", w.ui(note), None))
        rows += [LegendEntry(f"grouping:{g.id}", g.label, Swatch("outline", g.color, 1.0, dash=f"grouping:{g.dash}"))
                 for g in members]
    if "width" in keys:
        rows.append(LegendEntry("width", w.ui("link_width"), None))
    return tuple(rows)


def legend_catalog(sc: Scene, dataset: Dataset) -> dict[str, dict]:
    """Every legend row the browser may need as toggles change what is drawn, by key."""
    keys = [k for k in rules.LEGEND_ORDER if dataset.changes_since is not None or k not in ("changed", "unchanged")]
    entries = legend_entries([*keys, "width"], sc.groups, dataset, words(sc.lang), get_theme(sc.theme))
    return {e.key: e.to_dict() for e in entries}


def _window_geometries(partners: list[Partner], window: Window) -> dict:
    return {p.id: window.geometry(p.geometry) for p in partners}


def scene(view: Dataset, *, lang: str = "en", theme: str = "light", title: str | None = None,
          subtitle: str | None = None, where: str = "credit", focus: tuple[str, ...] = ()) -> Scene:
    """The scene of a selected view (see the module docstring). ``where``: the credit's source note key.

    ``focus``: partner ids (states, organisations, groups) a story step is about: the extent
    closes in on them and the focal country, and everything else is drawn muted.
    """
    lang = check_lang(lang, view)
    w = words(lang)
    look = get_theme(theme)
    title, subtitle = check_text(title, "title"), check_text(subtitle, "subtitle")
    warning = fallback_warning(view, lang)
    if warning:
        warnings.warn(PartnermapWarning(warning), stacklevel=2)
    window = Window.centred_on(view.focal.anchor[0])
    focal_anchor = window.point(view.focal.anchor)
    shapes = basemap_shapes()

    states = [p for p in view.partners if p.kind is Kind.STATE]
    linked = [p for p in view.partners if p.kind is not Kind.GROUP]
    shifted = _window_geometries(states, window)
    facts = {p.id: [fact(t) for t in p.ties] for p in view.partners}

    partner_marks = []
    for p in states:
        prim = rules.primary(facts[p.id], p.relationship.value)
        partner_marks.append(PartnerMark(
            id=p.id, name=p.label(lang), label=p.map_label(lang),
            label_point=_pt(territory_label_point(p.geometry, window)), anchor=_pt(window.point(p.anchor)),
            fill=prim.fill if prim else None, friction=prim.friction if prim else False,
            tier=prim.tier if prim else None, counts=_counts(facts[p.id]), ties=tuple(t.id for t in p.ties),
            priority=partner_priority(prim.tier if prim else None, len(p.ties))))

    # Links: states and organisations (their headquarters); groups are drawn as labelled outlines.
    links: list[Link] = []
    for p in linked:
        by_cat: dict[str, list[Tie]] = defaultdict(list)
        for t in p.ties:
            by_cat[t.category.value].append(t)
        for cat in Category:
            ties = by_cat.get(cat.value)
            if not ties:
                continue
            path, gc = link_path(view.focal.anchor, p.anchor, window, CATEGORY_BOW[cat])
            state = rules.link_state([fact(t) for t in ties])
            links.append(Link(p.id, cat.value, tuple(t.id for t in ties), state, tuple(_pt(x) for x in path), gc))
    max_counts = tuple((c.value, max([1, *(lk.state.count for lk in links if lk.category == c.value)]))
                       for c in Category)

    # Groupings, each with its own dash pattern, labelled where no partner name is.
    taken = {p.id for p in states} | {view.focal.id}
    groupings = [p for p in view.partners if p.kind is not Kind.STATE]
    sides = hq_sides([(p.id, window.point(p.anchor)) for p in groupings if p.kind is Kind.ORGANISATION])
    group_marks = []
    # A group label under a member's name yields to that name (the member must stay named).
    host_priority = {m.id: m.priority for m in partner_marks}
    used_under: dict[str, int] = defaultdict(int)
    for i, p in enumerate(groupings):
        prim = rules.primary(facts[p.id])
        category = prim.fill if prim and prim.fill in look.rules_style()["category"] else None
        under = None
        if p.kind is Kind.ORGANISATION:
            color = look.organisation_color()
            point = _pt(window.point(p.anchor))
        else:
            color = look.rules_style()["category"][category] if category else look.rules_style()["group"]
            point, under = grouping_label_place(p.members, taken, p.anchor, window)
            point = _pt(point)
            if under:
                used_under[under] += 1
        rank = used_under[under] if under else 0
        group_marks.append(GroupingMark(
            id=p.id, kind=p.kind.value, name=p.label(lang), label=p.map_label(lang), members=p.members,
            category=category, color=color, dash=i, tint=p.kind is Kind.GROUP,
            friction=prim.friction if prim else False, label_point=point, label_under=under, under_rank=rank,
            hq=_pt(window.point(p.anchor)) if p.kind is Kind.ORGANISATION else None, hq_offset=sides.get(p.id, 0),
            counts=_counts(facts[p.id]), ties=tuple(t.id for t in p.ties),
            priority=(host_priority.get(under, 0) - 1) if under else GROUPING_PRIORITY + len(p.ties)))

    # Extent: the focal country, the states' main territory, anchors, links, grouping labels
    # (only those in focus, when a story step focuses).
    focus = tuple(dict.fromkeys(focus))
    def wanted(pid: str) -> bool:
        return not focus or pid in focus

    boxes = [b for p in states if wanted(p.id) for b in _main_bounds(shifted[p.id])]
    # a focused organisation or group frames its members' territory (TICAD: Africa), not just its label
    boxes += [b for p in groupings if focus and p.id in focus and p.geometry is not None
              for b in _main_bounds(window.geometry(p.geometry))]
    if view.focal.id in shapes:
        boxes += _main_bounds(window.geometry(shapes[view.focal.id]))
    points = [focal_anchor, *(m.anchor for m in partner_marks if wanted(m.id)),
              *(g.label_point for g in group_marks if wanted(g.id)),
              *(g.hq for g in group_marks if g.hq and wanted(g.id))]
    points += [pt for lk in links if wanted(lk.partner) for pt in lk.path[::6]]
    extent = _extent(points, boxes)

    weighted = [(focal_anchor, 1000.0)]
    weighted += [(m.label_point, 20.0 + len(m.ties)) for m in partner_marks if m.label_point]
    weighted += [(g.label_point, 10.0) for g in group_marks]
    weighted += [(pt, 1.0) for lk in links for pt in lk.path[::4]]
    all_facts = [f for fs in facts.values() for f in fs]
    keys = rules.legend_keys(
        [rules.primary(facts[p.id], p.relationship.value) for p in states],
        [(lk.category, lk.state) for lk in links], view.changes_since is not None,
        [g.category for g in group_marks if g.kind == "group" and g.category])
    legend = legend_entries(keys, tuple(group_marks), view, w, look)
    areas = [(b, 40.0 + len(p.ties)) for p in states for b in _main_bounds(shifted[p.id])]
    if view.focal.id in shapes:
        areas += [(b, 1000.0) for b in _main_bounds(window.geometry(shapes[view.focal.id]))]
    corner, layout = legend_place(legend, look, extent, weighted, areas, window.west)
    parts = view_parts(view, w)
    return Scene(
        lang=lang, theme=look.name, title=title or view.text("title", lang),
        subtitle=subtitle if subtitle is not None else " · ".join(parts), view_parts=tuple(parts),
        credit=credit_line(view, w, where), description=description(view, w, len(all_facts), len(view.partners),
                                                                    rules.tally(all_facts)),
        day=view.shown_date.isoformat(), changes_since=view.changes_since.isoformat() if view.changes_since else None,
        west=window.west, extent=extent, legend_corner=corner, legend_layout=layout,
        focal=FocalMark(view.focal.id, view.focal.label(lang), _pt(focal_anchor)),
        partners=tuple(partner_marks), links=tuple(links), groups=tuple(group_marks), legend=legend,
        max_counts=max_counts, focus=focus,
    )


# The focal country's label outranks everything (labels.FOCAL_PRIORITY); exported for renderers.
__all__ = ["FOCAL_PRIORITY", "GroupingMark", "LegendEntry", "Link", "PartnerMark", "Scene", "Swatch", "fact", "scene"]
