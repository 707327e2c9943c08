"""Turn a (filtered) ``Dataset`` into the plain-data payload the map script draws.

Everything the browser shows comes from this one JSON document: territories,
links, popups, legend entries and labels. Keeping it plain data (no HTML)
means text from the data file is never interpreted as markup: the script in
``assets/partnermap.js`` puts it on the page with ``textContent`` only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from . import theme as th
from .basemap import member_points
from .basemap import shapes as basemap_shapes
from .geo import (
    SCALE,
    Window,
    bow,
    cut_to_window,
    encode_lines,
    encode_polygons,
    great_circle,
    label_point,
    outline,
)
from .lifecycle import status_on
from .model import Dataset, Partner, Tie
from .vocab import ACTIVE_STATUSES, TERMINAL_STATUSES, Category, Kind

COORD_DECIMALS = 3
# Bows keep a partner's security and economic links apart (fraction of length).
CATEGORY_BOW = {Category.SECURITY: 0.06, Category.ECONOMIC: -0.06, Category.DIPLOMATIC: 0.0}


@dataclass(frozen=True)
class MapText:
    """The words a map shows about itself (all optional; sensible defaults from the data)."""

    title: str | None = None
    subtitle: str | None = None


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, COORD_DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_round(v) for v in value]
    return value


def _steps(tie: Tie, known_by: dt.date) -> list[list[str]]:
    """The days a tie's status changes, with the status from then on.

    Computed here with the one lifecycle rule so the browser's timeline and
    filters only look statuses up, never re-implement the rule.
    """
    days = sorted({min(d.last_day(), known_by) for _, d in tie.dates})
    return [[day.isoformat(), status_on(tie.dates, day, known_by).value] for day in days]


def _tie_record(tie: Tie, known_by: dt.date) -> dict:
    rec = {
        "id": tie.id,
        "partner": tie.partner,
        "title": tie.title,
        "category": tie.category.value,
        "type": tie.type.value,
        "status": tie.status.value,
        "nature": tie.nature.value,
        "dates": [[s.value, str(d)] for s, d in tie.dates],
        "steps": _steps(tie, known_by),
        "summary": tie.summary,
        "parties": list(tie.parties),
        "sources": [
            {k: v for k, v in (
                ("title", s.title), ("publisher", s.publisher), ("date", s.date_text), ("author", s.author),
                ("container", s.container), ("locator", s.locator), ("url", s.url),
            ) if v is not None}
            for s in tie.sources
        ],
    }
    if tie.note:
        rec["note"] = tie.note
    if tie.change:
        rec["change"] = tie.change
    return rec


def link_paths(dataset: Dataset, window: Window) -> Iterator[tuple[Partner, Category, tuple[Tie, ...], list]]:
    """Each link drawn: (partner, category, its ties, the line's pieces inside the window).

    One link per partner and category (groups get none: they are outlines of
    their members); the interactive map and the static figure both draw these.
    """
    focal = window.point(dataset.focal.anchor)
    for partner in dataset.partners:
        if partner.kind is Kind.GROUP:
            continue  # frameworks are drawn as outlines of their members, not as one more link
        by_cat: dict[Category, list[Tie]] = defaultdict(list)
        for tie in partner.ties:
            by_cat[tie.category].append(tie)
        for cat in Category:
            if cat not in by_cat:
                continue
            line = great_circle(focal, partner.anchor)
            yield partner, cat, tuple(by_cat[cat]), cut_to_window(bow(line, CATEGORY_BOW[cat]), window)


def _links(dataset: Dataset, window: Window) -> list[dict]:
    return [
        {
            "type": "Feature",
            "properties": {"partner": partner.id, "category": cat.value},
            "geometry": {"e": encode_lines(pieces)},
        }
        for partner, cat, _ties, pieces in link_paths(dataset, window)
    ]


def _partner_shape(partner: Partner) -> BaseGeometry | None:
    """What to draw for a partner, or None where the basemap already has the very shape."""
    if partner.kind is not Kind.STATE:
        return outline(partner.geometry, keep=member_points(partner.members))
    same = basemap_shapes().get(partner.id)
    if same is not None and shapely.equals_exact(partner.geometry, same, tolerance=1e-9):
        return None
    return partner.geometry


def _partner_feature(partner: Partner, window: Window, lang: str, shape: list | None) -> dict:
    props = {
        "id": partner.id,
        "name": partner.label(lang),
        "kind": partner.kind.value,
        "relationship": partner.relationship.value,
        "members": list(partner.members),
        "anchor": _round(list(window.point(partner.anchor))),
        "label": list(label_point(window.geometry(partner.geometry))) if partner.kind is Kind.STATE else None,
        "ties": [t.id for t in partner.ties],
    }
    if shape is None:
        props["shape"] = "basemap"  # the same shape as the bundled country: sent once
        return {"type": "Feature", "properties": props, "geometry": None}
    return {"type": "Feature", "properties": props, "geometry": {"e": shape}}


def _labels(lang: str) -> dict:
    return {
        "category": {c.value: th.CATEGORY_LABELS[c][lang] for c in th.CATEGORY_LABELS},
        "type": {t.value: th.TYPE_LABELS[t][lang] for t in th.TYPE_LABELS},
        "status": {s.value: th.STATUS_LABELS[s][lang] for s in th.STATUS_LABELS},
        "kind": {k.value: th.KIND_LABELS[k][lang] for k in th.KIND_LABELS},
        "ui": {k: v[lang] for k, v in th.UI_LABELS.items()},
    }


def _style(theme: th.Theme) -> dict:
    return {
        "category": {c.value: col for c, col in th.CATEGORY_COLORS.items()},
        "friction": th.FRICTION_COLOR,
        "contested": th.CONTESTED_COLOR,
        "focal": th.FOCAL_COLOR,
        "group": th.GROUP_COLOR,
        "land": theme.land,
        "border": theme.border,
        "water": theme.water,
        "text": theme.text,
        "halo": theme.halo,
        "panel": theme.panel,
        "fontSize": theme.font_size_px,
        "labelSize": theme.label_size_px,
        "weightMin": theme.lines.weight_min,
        "weightMax": theme.lines.weight_max,
        "dashPending": theme.lines.dash_pending,
        "dashFriction": theme.lines.dash_friction,
        "lineOpacity": theme.lines.opacity,
        "fillMin": theme.fill_opacity_min,
        "fillMax": theme.fill_opacity_max,
    }


def describe(dataset: Dataset, lang: str) -> str:
    """The map's text alternative: what a screen reader announces for it."""
    ties = dataset.ties
    by_cat = {c: sum(t.category is c for t in ties) for c in Category}
    if lang == "ja":
        parts = "、".join(f"{th.CATEGORY_LABELS[c]['ja']}{n}件" for c, n in by_cat.items() if n)
        return (f"{dataset.focal.label('ja')}と{len(dataset.partners)}の相手国・枠組みとの{len(ties)}件の関係を示す地図"
                f"（{parts}）。関係の一覧の表に全件があります。")
    parts = ", ".join(f"{c.value} {n}" for c, n in by_cat.items() if n)
    return (f"Map of {dataset.focal.name}'s ties with {len(dataset.partners)} partners: {len(ties)} ties ({parts}). "
            "The table of ties lists them all.")


def credit(dataset: Dataset, lang: str, where: str = "credit") -> str:
    """The credit line: dataset, the date shown, where the sources are, the basemap.

    ``where`` is the ``theme.UI_LABELS`` key saying where sources are found
    (popups on the interactive map; the data file or speaker notes elsewhere).
    """
    shown = dataset.view_date.isoformat() if dataset.view_date else str(dataset.as_of)
    return f"{dataset.title} · {th.UI_LABELS['as_of'][lang]} {shown} · {th.UI_LABELS[where][lang]} · Natural Earth"


def default_title(dataset: Dataset, lang: str) -> str:
    if lang == "ja":
        return f"{dataset.focal.label('ja')}のパートナー・ネットワーク"
    return f"{dataset.focal.name}'s partner network"


def payload(dataset: Dataset, *, lang: str = "en", theme: th.Theme | None = None,
            text: MapText | None = None, timeline: bool = False) -> dict:
    """Everything the map script needs, as JSON-ready data."""
    lang = th.check_lang(lang)
    theme = theme or th.THEMES["light"]
    text = text or MapText()
    window = Window.centred_on(dataset.focal.anchor[0])
    shapes = basemap_shapes()
    basemap = encode_polygons(list(shapes.values()), window)
    own = [_partner_shape(p) for p in dataset.partners]
    encoded = iter(encode_polygons([g for g in own if g is not None], window))
    partner_shapes = [None if g is None else next(encoded) for g in own]
    focal_anchor = window.point(dataset.focal.anchor)
    return {
        "meta": {
            "title": text.title or default_title(dataset, lang),
            "subtitle": text.subtitle or "",
            "credit": credit(dataset, lang),
            "changesSince": dataset.changes_since.isoformat() if dataset.changes_since else None,
            "timeline": timeline,
            "firstYear": min(t.first_date.year for t in dataset.ties),
            "lastDay": (dataset.view_date or dataset.as_of.last_day()).isoformat(),
            "description": describe(dataset, lang),
        },
        "vocab": {"active": sorted(s.value for s in ACTIVE_STATUSES),
                  "terminal": sorted(s.value for s in TERMINAL_STATUSES)},
        "view": {"west": window.west, "center": [focal_anchor[1], focal_anchor[0] + 20], "scale": SCALE},
        "style": _style(theme),
        "labels": _labels(lang),
        # the focal territory is the basemap's shape with that id (none: just the marker)
        "focal": {"id": dataset.focal.id, "name": dataset.focal.label(lang), "anchor": _round(list(focal_anchor))},
        "basemap": {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": i}, "geometry": {"e": e}} for i, e in zip(shapes, basemap)]},
        "partners": {"type": "FeatureCollection", "features": [
            _partner_feature(p, window, lang, s) for p, s in zip(dataset.partners, partner_shapes)]},
        "links": {"type": "FeatureCollection", "features": _links(dataset, window)},
        "ties": [_tie_record(t, dataset.as_of.last_day()) for t in dataset.ties],
    }
