"""Turn a (filtered) ``Dataset`` into the plain-data payload the map script draws.

Everything the browser shows comes from this one JSON document: territories,
links, popups, legend entries and labels. Keeping it plain data (no HTML)
means text from the data file is never interpreted as markup: the script in
``assets/partnermap.js`` puts it on the page with ``textContent`` only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from . import theme as th
from .geo import Window, bow, cut_to_window, great_circle, label_point, outline
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


def _geojson(geom: BaseGeometry) -> dict:
    g = mapping(geom)
    return {"type": g["type"], "coordinates": _round(g["coordinates"])}


@lru_cache(maxsize=1)
def basemap_features() -> tuple[dict, ...]:
    """The bundled Natural Earth countries (see data/README.md for provenance)."""
    text = (resources.files("partnermap") / "assets" / "world.geojson").read_text(encoding="utf-8")
    return tuple(json.loads(text)["features"])


def _basemap(window: Window) -> tuple[dict, dict | None]:
    """Countries shifted into the window, plus the focal country's territory."""
    from shapely.geometry import shape

    feats, by_id = [], {}
    for f in basemap_features():
        geom = window.geometry(shape(f["geometry"]))
        out = {"type": "Feature", "properties": {"id": f["properties"].get("id", "")}, "geometry": _geojson(geom)}
        feats.append(out)
        by_id[out["properties"]["id"]] = out["geometry"]
    return {"type": "FeatureCollection", "features": feats}, by_id


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
                ("title", s.title), ("publisher", s.publisher), ("date", str(s.date)), ("author", s.author),
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
            "geometry": {"type": "MultiLineString", "coordinates": _round([[list(p) for p in pc] for pc in pieces])},
        }
        for partner, cat, _ties, pieces in link_paths(dataset, window)
    ]


def _partner_feature(partner: Partner, window: Window, lang: str, basemap: dict[str, dict]) -> dict:
    geom = window.geometry(partner.geometry)
    drawn = _geojson(outline(geom) if partner.kind is not Kind.STATE else geom)
    props = {
        "id": partner.id,
        "name": partner.label(lang),
        "kind": partner.kind.value,
        "relationship": partner.relationship.value,
        "members": list(partner.members),
        "anchor": _round(list(window.point(partner.anchor))),
        "label": list(label_point(geom)) if partner.kind is Kind.STATE else None,
        "ties": [t.id for t in partner.ties],
    }
    if basemap.get(partner.id) == drawn:
        # the same shape as the bundled country: sent once, the browser reuses the basemap's
        props["shape"] = "basemap"
        drawn = None
    return {"type": "Feature", "properties": props, "geometry": drawn}


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
    basemap, by_id = _basemap(window)
    focal_anchor = window.point(dataset.focal.anchor)
    return {
        "meta": {
            "title": text.title or default_title(dataset, lang),
            "subtitle": text.subtitle or "",
            "credit": credit(dataset, lang),
            "lang": lang,
            "asOf": str(dataset.as_of),
            "viewDate": dataset.view_date.isoformat() if dataset.view_date else None,
            "changesSince": dataset.changes_since.isoformat() if dataset.changes_since else None,
            "timeline": timeline,
            "firstYear": min(t.first_date.year for t in dataset.ties),
            "lastDay": (dataset.view_date or dataset.as_of.last_day()).isoformat(),
            "description": describe(dataset, lang),
        },
        "vocab": {"active": sorted(s.value for s in ACTIVE_STATUSES),
                  "terminal": sorted(s.value for s in TERMINAL_STATUSES)},
        "view": {"west": window.west, "center": [focal_anchor[1], focal_anchor[0] + 20]},
        "style": _style(theme),
        "labels": _labels(lang),
        "focal": {
            "id": dataset.focal.id,
            "name": dataset.focal.label(lang),
            "anchor": _round(list(focal_anchor)),
            "geometry": by_id.get(dataset.focal.id),
        },
        "basemap": basemap,
        "partners": {"type": "FeatureCollection",
                     "features": [_partner_feature(p, window, lang, by_id) for p in dataset.partners]},
        "links": {"type": "FeatureCollection", "features": _links(dataset, window)},
        "ties": [_tie_record(t, dataset.as_of.last_day()) for t in dataset.ties],
    }
