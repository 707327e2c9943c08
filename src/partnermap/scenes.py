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

import zlib
from collections import defaultdict
from dataclasses import dataclass

from . import placement, rules
from .basemap import shapes as basemap_shapes
from .gcpause import without_gc
from .geo import POLAR_LAT, Window, link_path
from .i18n import Words, check_lang, warn_fallback, words
from .labels import (
    FOCAL_PRIORITY,
    GROUP_PRIORITY,
    ORGANISATION_PRIORITY,
    grouping_label_place,
    hq_sides,
    partner_priority,
    territory_label_point,
)
from .model import Dataset, Partner, Point, Tie, quick_constructor
from .placement import fit_extent  # noqa: F401  (renderers fit the scene's extent to their frame with it)
from .text import check_text
from .theme import GROUPING_STYLES, HQ_MARKERS, Theme, get_theme
from .vocab import Category, Kind, Nature

# Bows keep a partner's security and economic links apart (fraction of length).
CATEGORY_BOW = {Category.SECURITY: 0.06, Category.ECONOMIC: -0.06, Category.DIPLOMATIC: 0.0}
# Main parts of a territory (at least this fraction of its largest part) set the view's extent,
# so Macquarie Island or Réunion do not widen the map to half the world.
MAIN_PART_FRACTION = 0.1
MARGIN_FRACTION, MARGIN_MIN_DEG = 0.06, 4.0
COORD_DECIMALS = 3


def _pt(p: Point) -> tuple[float, float]:
    return (round(p[0], COORD_DECIMALS), round(p[1], COORD_DECIMALS))


@dataclass(frozen=True)
class Swatch:
    """How a legend row's sample is drawn, in renderer-neutral terms.

    ``kind``: fill (a patch), line (a link), outline (a dashed shape), mark (a point).
    ``dash``: a dash name of the theme (pending, friction, contested), ``grouping:N`` (the
    grouping style N: its dash and width), or None. ``marker``: a headquarters mark's shape.
    """

    kind: str
    color: str
    opacity: float = 1.0
    dash: str | None = None
    hatch: bool = False
    overlay: str | None = None  # "friction": a dotted vermillion mark over the sample
    marker: str | None = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "color": self.color, "opacity": self.opacity, "dash": self.dash,
                "hatch": self.hatch, "overlay": self.overlay, "marker": self.marker}


@dataclass(frozen=True)
class LegendEntry:
    key: str
    label: str
    swatch: Swatch | None  # None: a note line (what line width or colour strength means)

    @property
    def row(self) -> placement.Row:
        """The row as both renderers lay it out: the label wrapped into lines (``placement.wrap``)."""
        return placement.row(self.key, self.label, self.swatch is not None)

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "lines": list(self.row.lines),
                "swatch": self.swatch.to_dict() if self.swatch else None}


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
    pending: bool  # no cooperative tie in effect on the day shown: hatched and light (rules.primary)
    counts: tuple[tuple[str, int, int], ...]  # (category, ties shown, of which ended)
    ties: tuple[str, ...]
    priority: int

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "label": self.label,
                "labelPoint": list(self.label_point) if self.label_point else None, "anchor": list(self.anchor),
                "fill": self.fill, "friction": self.friction, "tier": self.tier, "pending": self.pending,
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
    dash: int  # its style in theme.GROUPING_STYLES (dash and width), from its id: see grouping_styles
    marker: str | None  # an organisation's headquarters mark (theme.HQ_MARKERS), from its id too
    tint: bool
    tint_members: tuple[str, ...]  # the members tinted: never a partner state or the focal country
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
                "marker": self.marker, "tint": self.tint, "tintMembers": list(self.tint_members),
                "friction": self.friction, "labelPoint": list(self.label_point),
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
    legend_layout: str  # "columns": the groupings beside the rest; "stacked": below it, in a grid
    info_corner: str  # the browser's panel with the table of ties and the credit (placement.place)
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
            "legendCorner": self.legend_corner, "legendLayout": self.legend_layout, "infoCorner": self.info_corner,
            "focal": self.focal.to_dict(),
            "partners": [p.to_dict() for p in self.partners],
            "links": [link.to_dict() for link in self.links],
            "groups": [g.to_dict() for g in self.groups],
            "legend": [e.to_dict() for e in self.legend],
            "maxCounts": dict(self.max_counts), "focus": list(self.focus),
        }


# ---- building it --------------------------------------------------------------------------


def fact(tie: Tie) -> rules.Fact:
    """A tie of a selected view as the rules see it (its status is already the status on the day shown).

    ``_value_``, not ``.value``: the same string without the enum property's cost, and the
    quick constructor (``model.quick_constructor``): this runs for every tie of every scene."""
    return _new_fact(tie.category._value_, tie.type._value_, tie.nature is _FRICTION, tie.status._value_, tie.change)


_FRICTION = Nature.FRICTION
_new_fact = quick_constructor(rules.Fact)


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


def _main_parts(geom) -> list:
    """The main parts of a territory (see ``MAIN_PART_FRACTION``), simplified for placement's overlap tests."""
    import shapely

    parts = shapely.get_parts(geom)
    if not len(parts):
        return []
    areas = shapely.area(parts)
    largest = areas.max()
    return [shapely.simplify(p, 0.25) for p, a in zip(parts, areas, strict=True) if a >= MAIN_PART_FRACTION * largest]


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


def legend_columns(entries: tuple[LegendEntry, ...]) -> tuple[list[LegendEntry], list[LegendEntry]]:
    """The legend's two parts: what lines and colours mean, then the organisations and groups."""
    side = [e for e in entries if e.key.startswith(("grouping:", "note:"))]
    return [e for e in entries if e not in side], side


def grouping_styles(groupings: list[tuple[str, str]]) -> dict[str, tuple[int, str | None]]:
    """Each grouping's outline style (an index into ``theme.GROUPING_STYLES``) and, for an
    organisation, its headquarters mark: the ones its id hashes to, so it keeps them in every
    view; when two groupings drawn together hash alike, the later id (in sorted order) takes the
    next free one, so none share a style (nor two organisations a mark)."""
    out: dict[str, tuple[int, str | None]] = {}
    used_styles: set[int] = set()
    used_marks: set[int] = set()
    for gid, kind in sorted(groupings):
        h = zlib.crc32(gid.encode("utf-8"))
        style = next((h + k) % len(GROUPING_STYLES) for k in range(len(GROUPING_STYLES))
                     if (h + k) % len(GROUPING_STYLES) not in used_styles or len(used_styles) >= len(GROUPING_STYLES))
        used_styles.add(style)
        mark = None
        if kind == Kind.ORGANISATION.value:
            m = next((h + k) % len(HQ_MARKERS) for k in range(len(HQ_MARKERS))
                     if (h + k) % len(HQ_MARKERS) not in used_marks or len(used_marks) >= len(HQ_MARKERS))
            used_marks.add(m)
            mark = HQ_MARKERS[m]
        out[gid] = (style, mark)
    return out


def legend_entries(keys: list[str], groups: tuple[GroupingMark, ...], dataset: Dataset, w: Words,
                   theme: Theme, partners: tuple[PartnerMark, ...] = ()) -> tuple[LegendEntry, ...]:
    """The rows for ``rules.legend_keys`` (plus one row per grouping), in ``rules.legend_rows``'
    order, each sample as it is drawn (a pending fill's hatching in its category's colour when
    every pending partner shares one)."""
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
        elif key == "pending_fill":
            pending = {m.fill for m in partners if m.pending and m.fill in cat_colors}
            color = cat_colors[pending.pop()] if len(pending) == 1 else theme.text
            rows.append(LegendEntry(key, w.ui("pending_fill"), Swatch("fill", color, theme.fill_min, hatch=True)))
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
    by_key = {e.key: e for e in rows}
    by_key["fill_rule"] = LegendEntry("fill_rule", w.ui("fill_rule"), None)
    by_key["width"] = LegendEntry("width", w.ui("link_width"), None)
    for kind, note in (("organisation", "legend_organisations"), ("group", "legend_groups")):
        by_key[f"note:{kind}"] = LegendEntry(f"note:{kind}", w.ui(note), None)
    for g in groups:
        by_key[f"grouping:{g.id}"] = LegendEntry(f"grouping:{g.id}", g.label, Swatch(
            "outline", g.color, 1.0, dash=f"grouping:{g.dash}", marker=g.marker))
    main, side = rules.legend_rows(keys, [(g.id, g.kind, True) for g in groups])
    return tuple(by_key[k] for k in main + side)


def legend_catalog(sc: Scene, dataset: Dataset) -> dict[str, dict]:
    """Every legend row the browser may need as toggles change what is drawn, by key."""
    keys = [k for k in rules.LEGEND_ORDER if dataset.changes_since is not None or k not in ("changed", "unchanged")]
    entries = legend_entries([*keys, "width"], sc.groups, dataset, words(sc.lang), get_theme(sc.theme), sc.partners)
    return {e.key: e.to_dict() for e in entries}


def _placement(sc_parts: dict, legend: tuple[LegendEntry, ...], look: Theme, extent, west: float,
               states: list[Partner], shifted: dict, focal_boxes: list, info: tuple[str, str]) -> placement.Placement:
    """What the legend and panels must leave free, weighted, and where they go (``placement.place``)."""
    P, M = placement.IMPORTANT, placement.MINOR
    focal: FocalMark = sc_parts["focal"]
    marks = [placement.Mark(*focal.anchor, 1000.0),
             placement.Mark(*focal.anchor, 1000.0, P, placement.text_em(focal.label) * 1.15 + 1.5, "left")]
    for m in sc_parts["partners"]:
        if not m.label:
            continue  # not drawn yet (the timeline before its first tie)
        marks.append(placement.Mark(*m.label_point, 100.0 + len(m.ties), P, placement.text_em(m.label)))
        marks.append(placement.Mark(*m.anchor, 50.0))
    for g in sc_parts["groups"]:
        if g.hq:
            marks.append(placement.Mark(*g.hq, 20.0))
            marks.append(placement.Mark(*g.hq, 10.0, P, placement.text_em(g.label) + 1.0, "left"))
        elif not g.label_under:
            marks.append(placement.Mark(*g.label_point, 10.0, P, placement.text_em(g.label)))
    marks += [placement.Mark(*pt, 1.0, M) for lk in sc_parts["links"] for pt in lk.path[::4]]
    labelled = {m.id for m in sc_parts["partners"] if m.label}
    areas = [placement.Area(part, 60.0) for p in states if p.id in labelled for part in _main_parts(shifted[p.id])]
    areas += [placement.Area(part, 1000.0) for part in focal_boxes]
    fonts = placement.Fonts(look.figure.legend_pt, look.figure.label_pt, look.web.legend_px, look.web.label_px,
                            look.web.font_px)
    return placement.place([e.row for e in legend], extent, west, marks, areas, fonts, info)


def _window_geometries(partners: list[Partner], window: Window) -> dict:
    return {p.id: window.geometry(p.geometry) for p in partners}


@without_gc
def scene(view: Dataset, *, lang: str = "en", theme: str = "light", title: str | None = None,
          subtitle: str | None = None, where: str = "credit", focus: tuple[str, ...] = (),
          warn: bool = True, languages: tuple[str, ...] = ()) -> Scene:
    """The scene of a selected view (see the module docstring). ``where``: the credit's source note key.

    ``focus``: partner ids (states, organisations, groups) a story step is about: the extent
    closes in on them and the focal country, and everything else is drawn muted.
    ``warn``: say what falls back to English (``i18n.fallback_warning``); a caller drawing
    several scenes (a deck, a story) says it once for them all and passes False.
    ``languages``: those the caller's own texts carry besides the data (a story's), accepted too.
    """
    lang = check_lang(lang, view, also=languages)
    w = words(lang)
    look = get_theme(theme)
    title, subtitle = check_text(title, "title"), check_text(subtitle, "subtitle")
    if warn:
        warn_fallback(view, lang)
    window = Window.centred_on(view.focal.anchor[0])
    focal_anchor = window.point(view.focal.anchor)
    shapes = basemap_shapes()

    states = [p for p in view.partners if p.kind is Kind.STATE]
    linked = [p for p in view.partners if p.kind is not Kind.GROUP]
    shifted = _window_geometries(states, window)
    facts = {p.id: [fact(t) for t in p.ties] for p in view.partners}

    partner_marks = []
    primaries = []  # each state's, once: the marks and the legend's keys both need them
    for p in states:
        prim = rules.primary(facts[p.id], p.relationship.value)
        primaries.append(prim)
        partner_marks.append(PartnerMark(
            id=p.id, name=p.label(lang), label=p.map_label(lang),
            label_point=_pt(territory_label_point(p.geometry, window)), anchor=_pt(window.point(p.anchor)),
            fill=prim.fill if prim else None, friction=prim.friction if prim else False,
            tier=prim.tier if prim else None, pending=prim.pending if prim else False,
            counts=_counts(facts[p.id]), ties=tuple(t.id for t in p.ties),
            priority=partner_priority(prim.tier if prim else None, len(p.ties))))

    # Links: states and organisations (their headquarters); groups are drawn as labelled outlines.
    links: list[Link] = []
    for p in linked:
        by_cat: dict[str, list[rules.Fact]] = defaultdict(list)
        ids_by_cat: dict[str, list[str]] = defaultdict(list)
        for t, f in zip(p.ties, facts[p.id], strict=True):
            by_cat[f.category].append(f)
            ids_by_cat[f.category].append(t.id)
        for cat in Category:
            cat_facts = by_cat.get(cat.value)
            if not cat_facts:
                continue
            path, gc = link_path(view.focal.anchor, p.anchor, window, CATEGORY_BOW[cat])
            state = rules.link_state(cat_facts)
            links.append(Link(p.id, cat.value, tuple(ids_by_cat[cat.value]), state, tuple(_pt(x) for x in path),
                              gc))
    max_counts = tuple((c.value, max([1, *(lk.state.count for lk in links if lk.category == c.value)]))
                       for c in Category)

    # Groupings, each with a style of its own (from its id), labelled where no partner name is.
    taken = {p.id for p in states} | {view.focal.id}
    groupings = [p for p in view.partners if p.kind is not Kind.STATE]
    sides = hq_sides([(p.id, window.point(p.anchor)) for p in groupings if p.kind is Kind.ORGANISATION])
    styles = grouping_styles([(p.id, p.kind.value) for p in groupings])
    group_marks = []
    used_under: dict[str, int] = defaultdict(int)
    for p in groupings:
        drawn = rules.grouping_state(p.kind.value, facts[p.id], look.rules_style())
        under = None
        if p.kind is Kind.ORGANISATION:
            point = _pt(window.point(p.anchor))
        else:
            point, under = grouping_label_place(p.members, taken, p.anchor, window)
            point = _pt(point)
            if under:
                used_under[under] += 1
        rank = used_under[under] if under else 0
        base = ORGANISATION_PRIORITY if p.kind is Kind.ORGANISATION else GROUP_PRIORITY
        group_marks.append(GroupingMark(
            id=p.id, kind=p.kind.value, name=p.label(lang), label=p.map_label(lang), members=p.members,
            category=drawn["category"], color=drawn["color"], dash=styles[p.id][0], marker=styles[p.id][1],
            tint=p.kind is Kind.GROUP,
            tint_members=tuple(m for m in p.members if m not in taken) if p.kind is Kind.GROUP else (),
            friction=drawn["friction"], label_point=point, label_under=under, under_rank=rank,
            hq=_pt(window.point(p.anchor)) if p.kind is Kind.ORGANISATION else None, hq_offset=sides.get(p.id, 0),
            counts=_counts(facts[p.id]), ties=tuple(t.id for t in p.ties),
            priority=base + min(len(p.ties), 999) - (1000 if under else 0)))

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

    all_facts = [f for fs in facts.values() for f in fs]
    keys = rules.legend_keys(
        primaries,
        [(lk.category, lk.state) for lk in links], view.changes_since is not None,
        [g.category for g in group_marks if g.kind == "group" and g.category])
    legend = legend_entries(keys, tuple(group_marks), view, w, look, tuple(partner_marks))
    focal_mark = FocalMark(view.focal.id, view.focal.label(lang), _pt(focal_anchor))
    focal_boxes = _main_parts(window.geometry(shapes[view.focal.id])) if view.focal.id in shapes else []
    credit = credit_line(view, w, where)
    table = f"{w.ui('table')} ({len(all_facts)})"
    place = _placement({"focal": focal_mark, "partners": partner_marks, "groups": group_marks, "links": links},
                       legend, look, extent, window.west, states, shifted, focal_boxes, (credit, table))
    parts = view_parts(view, w)
    return Scene(
        lang=lang, theme=look.name, title=title or view.text("title", lang),
        subtitle=subtitle if subtitle is not None else " · ".join(parts), view_parts=tuple(parts),
        credit=credit, description=description(view, w, len(all_facts), len(view.partners),
                                                                    rules.tally(all_facts)),
        day=view.shown_date.isoformat(), changes_since=view.changes_since.isoformat() if view.changes_since else None,
        west=window.west, extent=place.extent, legend_corner=place.legend_corner,
        legend_layout=place.legend_layout, info_corner=place.info_corner, focal=focal_mark,
        partners=tuple(partner_marks), links=tuple(links), groups=tuple(group_marks), legend=legend,
        max_counts=max_counts, focus=focus,
    )


# The focal country's label outranks everything (labels.FOCAL_PRIORITY); exported for renderers.
__all__ = ["FOCAL_PRIORITY", "GroupingMark", "LegendEntry", "Link", "PartnerMark", "Scene", "Swatch", "fact", "scene"]
