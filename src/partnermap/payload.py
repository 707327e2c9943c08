"""The browser's JSON document: a ``Scene`` plus what live toggles and popups need.

Everything the map script shows comes from this one document: the scene
(fills, links, groupings, legend, titles), the shapes (integer delta-encoded,
``geo.encode_*``), the ties in columns (so 100,000 ties stay compact), the
sources once each, the words of the chosen language and the theme's numbers.
It is plain data, never HTML: the script puts text on the page with
``textContent`` only. The browser re-applies ``rules.js`` (the twin of
``rules.py``) to the ties' steps when a presenter toggles a type or moves the
timeline; on load it arrives at exactly the scene (a browser test checks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from functools import lru_cache

import shapely

from .basemap import country_name, member_points
from .basemap import shapes as basemap_shapes
from .dates import PartialDate
from .gcpause import without_gc
from .geo import SCALE, Window, encode_lines, encode_polygons, outline
from .i18n import words
from .lifecycle import changes_between, reached_number
from .model import Dataset, Partner, Source, Tie
from .rules import day_number, tables
from .scenes import Scene, legend_catalog, view_parts
from .territory import focal_shape
from .theme import GROUPING_STYLES, LABEL_SHIFTS, Theme, get_theme
from .vocab import ACTIVE_STATUSES, TERMINAL_STATUSES, Nature, Status

WORD_SECTIONS = ("category", "type", "status", "kind", "standing", "ui")


def tie_steps(tie: Tie, known_by: dt.date, final_day: dt.date) -> list[list]:
    """The days a tie's status changes, with the status from then on: ``[[day_number, status], ...]``.

    Computed with the one lifecycle rule, so the browser's timeline and filters
    only look statuses up. The last entry is the status the view shows on its
    own day (a curated status with no date included). In day numbers
    (``lifecycle.status_changes``): this runs once per tie of the map.
    """
    return [list(step) for step in _steps(tie, day_number(known_by), day_number(final_day))]


def _steps(tie: Tie, known: int, final: int) -> tuple[tuple[int, Status], ...]:
    """``tie_steps`` with the days as day numbers (computed once for all the ties), in tuples:
    JSON writes them as arrays alike, and 100,000 ties' steps take 5 MB less than in lists."""
    steps = tie.steps
    if len(steps) == 1:  # most ties: changes_between's one change and the status shown, at once
        step, date = steps[0]
        n = date.last_number if date.last_number < known else known
        status = tie.status
        if n > final or (n == final and step is not status):
            return ((final, status),)
        return ((n, step),) if step is status else ((n, step), (final, status))
    return _any_steps(steps, tie.status, known, final)


def _any_steps(steps: tuple[tuple[Status, PartialDate], ...], status: Status, known: int,
               final: int) -> tuple[tuple[int, Status], ...]:
    """``_steps`` for any number of dated steps: the lifecycle's changes, then the status the view
    shows on its last day (``_steps``' one-step way is held to this by a property test)."""
    out = changes_between(steps, known, final)
    if not out or out[-1][1] != status:
        if out and out[-1][0] == final:
            out[-1] = (final, status)
        else:
            out.append((final, status))
    return tuple(out)


def _source_record(s: Source) -> tuple:
    """A source as the browser reads it (popup.js ``citation``): ``[title, publisher, date, author,
    container, locator, url]``, trailing nulls dropped. An array, not an object: 150,000 sources
    were 22 MB of dicts at the peak of a 100,000-tie render, and 5 MB of repeated keys in its JSON."""
    rec = (s.title, s.publisher, s.date_text, s.author, s.container, s.locator, s.url)
    end = 7
    while rec[end - 1] is None:
        end -= 1
    return rec if end == 7 else rec[:end]


def _party_name(pid: str, by_id: dict[str, Partner], lang: str) -> str:
    p = by_id.get(pid)
    return p.label(lang) if p else (country_name(pid, lang) or country_name(pid) or pid)


def _ties(dataset: Dataset, lang: str) -> tuple[dict, list[tuple]]:
    """The ties in columns, and the distinct sources they cite (each once)."""
    known_by = dataset.as_of.last_day()
    known = day_number(known_by)
    final_number = day_number(dataset.shown_date)
    by_id = {p.id: p for p in dataset.partners}
    source_index: dict[Source, int] = {}
    sources: list[tuple] = []
    cols: dict[str, list] = {k: [] for k in ("id", "partner", "category", "type", "friction", "steps", "change",
                                             "title", "summary", "note", "dates", "parties", "sources")}
    partner_ids = [p.id for p in dataset.partners]
    index = {pid: i for i, pid in enumerate(partner_ids)}
    # One append per column per tie, locals bound once: this loop runs 100,000 times on a big network.
    # Enum members go in as they are: they are str (StrEnum), so JSON writes their values.
    c_id, c_partner, c_category, c_type, c_friction, c_steps, c_change, c_title, c_summary, c_note, c_dates, \
        c_parties, c_sources = (cols[k] for k in cols)
    friction = Nature.FRICTION
    party_names: dict[str, str] = {}
    for p in dataset.partners:
        pi = index[p.id]
        for t in p.ties:
            c_id.append(t.id)
            c_partner.append(pi)
            c_category.append(t.category)
            c_type.append(t.type)
            c_friction.append(1 if t.nature is friction else 0)
            c_steps.append(_steps(t, known, final_number))
            c_change.append(t.change)
            if lang == "en" or not t.translations:
                c_title.append(t.title)
                c_summary.append(t.summary)
                c_note.append(t.note)
            else:
                c_title.append(t.text("title", lang))
                c_summary.append(t.text("summary", lang))
                c_note.append(t.text("note", lang) if t.note else None)
            # Tuples, not lists, from here on: the same JSON, less memory (100,000 ties: 16 MB at the peak).
            # A tie's dates flat, three items a step: (status, date, day reached, ...) (popup.js
            # stepsText). Flat, not a tuple per step: 180,000 steps are 11 MB less at the peak.
            if t.retroactive:
                effective = dict(t.steps)
                c_dates.append(tuple(x for s, d in t.dates for x in (s, d.iso, reached_number(effective[s], known))))
            elif len(t.dates) == 1:  # reached_number, inline: min(d.last_number, known)
                s, d = t.dates[0]
                c_dates.append((s, d.iso, d.last_number if d.last_number < known else known))
            elif len(t.dates) == 2:  # written out: a generator here was a tenth of the payload's time
                (s, d), (s2, d2) = t.dates
                c_dates.append((s, d.iso, d.last_number if d.last_number < known else known,
                                s2, d2.iso, d2.last_number if d2.last_number < known else known))
            else:
                flat: list = []
                for s, d in t.dates:
                    flat += (s, d.iso, d.last_number if d.last_number < known else known)
                c_dates.append(tuple(flat))
            parties = []
            for x in t.parties:
                name = party_names.get(x)
                if name is None:
                    name = party_names[x] = _party_name(x, by_id, lang)
                parties.append(name)
            c_parties.append(tuple(parties))
            refs = []
            for s in t.sources:
                i = source_index.get(s)
                if i is None:
                    i = source_index[s] = len(sources)
                    sources.append(_source_record(s))
                refs.append(i)
            c_sources.append(tuple(refs))
    return cols, sources


def _style(theme: Theme) -> dict:
    style = theme.rules_style("web")
    web = theme.web
    style.update({
        "land": theme.land, "border": theme.border, "water": theme.water, "text": theme.text, "halo": theme.halo,
        "panel": theme.panel, "organisation": theme.organisation_color(), "focalFill": theme.focal_fill,
        "groupTint": theme.group_tint, "outlineOpacity": theme.outline_opacity,
        "groupingStyles": [[web, width] for web, _, width in GROUPING_STYLES],
        "labelShifts": [list(shift) for shift in LABEL_SHIFTS],
        "web": asdict(web),
    })
    return style


@lru_cache(maxsize=4)
def _basemap_encoded(west: float) -> tuple[tuple[str, ...], tuple]:
    shapes = basemap_shapes()
    return tuple(shapes), tuple(encode_polygons(list(shapes.values()), Window(west)))


def _own_shape(partner: Partner):
    """A state's territory when it is not made of basemap countries (else it is sent as their ids)."""
    if partner.derived:
        return None
    same = basemap_shapes().get(partner.id)
    if same is not None and shapely.equals_exact(partner.geometry, same, tolerance=1e-9):
        return None
    return partner.geometry


@without_gc
def payload(sc: Scene, dataset: Dataset, *, timeline: bool = False, controls: bool = True) -> dict:
    """Everything the map script needs to draw ``sc`` (the scene of ``dataset``) and re-draw it live."""
    theme = get_theme(sc.theme)
    window = Window(sc.west)
    lang = sc.lang
    w = words(lang)
    ids, basemap = _basemap_encoded(sc.west)
    by_id = {p.id: p for p in dataset.partners}

    own = [_own_shape(by_id[m.id]) for m in sc.partners]
    encoded = iter(encode_polygons([g for g in own if g is not None], window))
    partners = []
    for mark, shape in zip(sc.partners, own, strict=True):
        rec = mark.to_dict()
        del rec["ties"]  # the browser groups the ties' columns by partner itself (100,000 ids less)
        rec["relationship"] = by_id[mark.id].relationship.value
        if shape is not None:
            rec["shape"] = {"e": next(encoded)}
        else:  # basemap countries: the whole territory (Denmark with Greenland) as their ids, sent once each
            p = by_id[mark.id]
            rec["shape"] = {"parts": list(p.territory) if p.derived else [p.id]}
        partners.append(rec)

    outlines = [outline(by_id[g.id].geometry, keep=member_points(g.members)) for g in sc.groups]
    groups = []
    for g, e in zip(sc.groups, encode_polygons(outlines, window), strict=True):
        rec = g.to_dict()
        del rec["ties"]
        rec["memberNames"] = [_party_name(m, by_id, lang) for m in g.members]
        rec["shape"] = {"e": e}
        groups.append(rec)

    ties, sources = _ties(dataset, lang)
    position = {tid: i for i, tid in enumerate(ties["id"])}
    links = []
    for link in sc.links:
        rec = link.to_dict()
        rec["ties"] = [position[t] for t in link.ties]  # indices into the ties' columns, not ids
        rec["path"] = {"e": encode_lines([list(link.path)])}
        links.append(rec)

    focal = sc.focal.to_dict()
    whole = focal_shape(sc.focal.id)
    same = basemap_shapes().get(sc.focal.id)
    if whole is None or (same is not None and shapely.equals_exact(whole, same, tolerance=1e-9)):
        focal["shape"] = "basemap"
    else:
        focal["shape"] = {"e": encode_polygons([whole], window)[0]}
    first_year = min(d.year for t in dataset.ties for _, d in t.dates)  # the year of the earliest step
    meta = {
        "title": sc.title, "subtitle": sc.subtitle, "viewParts": list(sc.view_parts),
        "autoSubtitle": sc.subtitle == " · ".join(sc.view_parts),
        "credit": sc.credit, "creditDate": sc.day, "description": sc.description,
        "focalName": dataset.focal.label(lang),
        "changesSince": sc.changes_since, "timeline": timeline, "controls": controls,
        "firstYear": first_year, "lastDay": day_number(dataset.shown_date), "lastDayText": sc.day,
        "legendCorner": sc.legend_corner, "legendLayout": sc.legend_layout, "infoCorner": sc.info_corner,
        "lang": lang,
        "focus": list(sc.focus),
        "viewPartsBase": view_parts(dataset, w, with_date=False),
        "creditTitle": dataset.text("title", lang), "creditWhere": w.ui("credit"),
    }
    return {
        "meta": meta,
        "vocab": {"active": sorted(s.value for s in ACTIVE_STATUSES),
                  "terminal": sorted(s.value for s in TERMINAL_STATUSES)},
        "view": {"west": sc.west, "extent": list(sc.extent), "scale": SCALE},
        "style": _style(theme),
        "words": {s: w.section(s) for s in WORD_SECTIONS},
        "focal": focal,
        "basemap": {"ids": list(ids), "shapes": [{"e": e} for e in basemap]},
        "partners": partners,
        "groups": groups,
        "links": links,
        "legend": [e.to_dict() for e in sc.legend],
        "legendCatalog": legend_catalog(sc, dataset),
        "rules": tables(),
        "maxCounts": dict(sc.max_counts),
        "kinds": {p.id: p.kind.value for p in dataset.partners},
        "partnerIds": [p.id for p in dataset.partners],
        "relationships": {p.id: p.relationship.value for p in dataset.partners},
        "ties": ties,
        "sources": sources,
    }

