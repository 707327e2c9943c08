"""A PowerPoint deck of the network: a title slide, then one map per view, short speaker notes.

Views, in order: the whole selection; one slide per category present in it
(diplomacy included, where a network's largest category may be diplomatic);
then the network as it stood on a few earlier dates (``default_dates``, or
the caller's). A date slide that would repeat the overview (the data's own
as-of day) is not made. Each map slide's headline is its title placeholder,
above the picture (``deck.map_slide``); the picture is the static figure of
the scene without a baked-in title, at 1:1 so its labels keep their point
sizes (12 pt in the presentation theme). Speaker notes say what the slide
shows in a few lines and list its sources briefly (at most ``NOTES_LIMIT``
characters): a presenter can read them aloud. A view that selects nothing
is skipped, with a line in the previous slide's notes.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import deck as dk
from .cite import short_line, sources_of
from .dates import PartialDate
from .errors import EmptySelection, UsageError
from .filters import Selection, select
from .i18n import Words, check_lang, warn_fallback, words
from .model import Dataset
from .scenes import Scene, credit_line, scene
from .static import draw_figure, figure_bytes
from .text import check_text
from .theme import get_theme
from .vocab import Category

Progress = Callable[[int, int, str], None]
NOTES_LIMIT = 2000


@dataclass(frozen=True)
class View:
    """One planned slide: its title and the data it shows (None: the view selects nothing)."""

    key: str
    title: str
    data: Dataset | None


def default_dates(dataset: Dataset, count: int = 4) -> list[str]:
    """The dates of the "network over time" slides: up to ``count``, the last one the as-of date.

    The earlier ones are the ends of the years by which the network had
    reached 1/count, 2/count, … of its ties (by each tie's first dated step),
    so the snapshots fall where the network grew. Evenly spaced calendar years
    would not: Japan's first tie is the 1960 alliance, and 1960, 1982 and 2003
    would show that one link three times. Years repeated, or not before the
    as-of year, are dropped, so a network that grew in one burst gets fewer
    slides.
    """
    if count < 1:
        raise UsageError(f"count {count!r}: give at least 1")
    last = dataset.shown_date.isoformat()
    last_year = PartialDate.parse(last).year
    years = sorted(t.first_date.year for t in dataset.ties)
    out: list[str] = []
    for k in range(1, count):
        year = years[min(len(years) - 1, (k * len(years)) // count)]
        if year < last_year and str(year) not in out:
            out.append(str(year))
    return [*out, last]


def _check_dates(dataset: Dataset, dates: Iterable[str | PartialDate]) -> list[str]:
    limit = dataset.shown_date
    out = []
    for d in dates:
        try:
            date = d if isinstance(d, PartialDate) else PartialDate.parse(str(d))
        except ValueError as exc:
            raise UsageError(f"slide date {str(d)[:40]!r}: {exc}") from None
        if date.first_day() > limit:
            raise UsageError(f"slide date {date} is after the data's as-of date {limit.isoformat()}")
        out.append(str(date))
    if not out:
        raise UsageError("no slide dates given; give at least one, or none for the default")
    return out


def _reselect(dataset: Dataset, **extra) -> Dataset:
    """``dataset`` (a view) narrowed further, keeping the filters it was made with."""
    base = dataset.selection if isinstance(dataset.selection, Selection) else Selection()
    merged = Selection.build(
        categories=[c.value for c in base.categories] + list(extra.get("categories", ())),
        types=[t.value for t in base.types], partners=list(base.partners),
        statuses=[s.value for s in base.statuses], since=base.since, until=base.until,
        as_of=extra.get("as_of", base.as_of), changes_since=base.changes_since)
    return select(dataset, merged)


def plan(dataset: Dataset, *, lang: str = "en", dates: Iterable[str | PartialDate] | None = None) -> list[View]:
    """The views a deck shows, in order, each with its selection (None where it selects nothing)."""
    lang = check_lang(lang, dataset)
    w = words(lang)
    explicit = dates is not None
    dates = _check_dates(dataset, dates) if explicit else default_dates(dataset)
    last = dataset.shown_date.isoformat()

    def view(key: str, title: str, **extra) -> View:
        try:
            return View(key, title, _reselect(dataset, **extra) if extra else dataset)
        except EmptySelection:
            return View(key, title, None)

    overview_title = " · ".join(_overview_parts(dataset, w)) or w.ui("all_ties")
    present = [c for c in Category if any(t.category is c for t in dataset.ties)]
    views = [view("all", overview_title)]
    if len(present) > 1:
        views += [view(c.value, w.category(c), categories=[c.value]) for c in present]
    views += [view(f"as-of-{d}", w.ui("network_as_of", date=d), as_of=d) for d in dates
              if explicit or d != last]
    return views


def _overview_parts(dataset: Dataset, w: Words) -> list[str]:
    from .scenes import view_parts

    return view_parts(dataset, w)


def notes_for(view: Dataset, sc: Scene, lang: str = "en", limit: int = NOTES_LIMIT) -> str:
    """What a presenter says: the counts, the main partners, then the sources, briefly (≤ ``limit``)."""
    w = words(lang)
    lines = [sc.description]
    by_partner = Counter({p.label(lang): len(p.ties) for p in view.partners})
    top = ", ".join(f"{name} ({n})" for name, n in by_partner.most_common(8))
    lines.append(f"{w.ui('ties_shown')}: {top}" + (" …" if len(by_partner) > 8 else ""))
    friction = [t for t in view.ties if t.nature.value == "friction"]
    if friction:
        lines.append(f"{w.ui('friction')}: " + "; ".join(t.text("title", lang) for t in friction[:5])
                     + (" …" if len(friction) > 5 else ""))
    lines += ["", w.ui("sources_heading")]
    entries = sources_of(view)
    body = "\n".join(lines)
    for shown, (src, _ties) in enumerate(entries):
        item = "- " + ", ".join(x for x in (src.publisher, src.date_text, src.title) if x)
        if len(item) > 160:
            item = item[:159] + "…"
        more = f"\n- … {w.ui('more_sources', n=str(len(entries) - shown))}"
        if len(body) + 1 + len(item) + len(more) > limit:
            body += more
            break
        body += "\n" + item
    return body[:limit]


def _figure_png(view: Dataset, sc: Scene, dpi: int, size: str, legend: bool = True) -> bytes:
    return figure_bytes(draw_figure(sc, view, size=size, dpi=dpi, header=False, legend=legend), "png")


def thumbnail_figure(view: Dataset, sc: Scene, dpi: int):
    """The title slide's small map, drawn for its box (never stretched). Its credit names the data,
    its date and the basemap: the slide's own lines say where the sources are."""
    w = words(sc.lang)
    credit = " · ".join([view.text("title", sc.lang), w.ui("as_of_date", date=sc.day), "Natural Earth"])
    return draw_figure(dataclasses.replace(sc, credit=credit), view, size=dk.map_size_inches(dk.TITLE_MAP_BOX),
                       dpi=min(dpi, 110), header=False, legend=False)


def _thumbnail(view: Dataset, sc: Scene, dpi: int) -> bytes:
    return figure_bytes(thumbnail_figure(view, sc, dpi), "png")


def about_data(dataset: Dataset, lang: str) -> list[str]:
    """The data behind a deck, for the title slide's notes: its title and version, its licence."""
    w = words(lang)
    out = [w.ui("data_version", title=dataset.text("title", lang), version=dataset.version)]
    if dataset.license:  # data text with no translation field: other languages point to it
        out.append(dataset.license if lang == "en" else w.ui("license_in_data"))
    return out


def build_deck(dataset: Dataset, *, lang: str = "en", theme: str = "presentation", title: str | None = None,
               dates: Iterable[str | PartialDate] | None = None, progress: Progress | None = None,
               dpi: int = 150) -> bytes:
    """The deck as .pptx bytes (write them with ``export.write_bytes``).

    ``title`` defaults to the dataset's title; ``dates`` to ``default_dates``.
    ``progress(done, total, label)`` is called once per slide, after it is made.
    """
    lang = check_lang(lang, dataset)
    warn_fallback(dataset, lang)  # once for the deck: every slide shows part of this dataset
    w = words(lang)
    look = get_theme(theme)
    deck_title = check_text(title, "title") or dataset.text("title", lang)
    views = plan(dataset, lang=lang, dates=dates)
    shown = [v for v in views if v.data is not None]
    total = 1 + len(shown)

    skipped: dict[int, list[str]] = {}
    slot = 0  # 0: the title slide, n: the n-th map slide
    for v in views:
        if v.data is None:
            skipped.setdefault(slot, []).append(w.ui("view_skipped", view=v.title))
        else:
            slot += 1

    def with_skips(text: str, i: int) -> str:
        return "\n\n".join([text, *skipped.get(i, [])])[:NOTES_LIMIT]

    prs = dk.new_presentation()
    overview = scene(dataset, lang=lang, theme=theme, where="credit_notes", warn=False)
    lines = [f"{w.ui('focal')}: {dataset.focal.label(lang)}", w.ui("as_of_date", date=dataset.shown_date.isoformat())]
    if overview.subtitle:
        lines.insert(1, overview.subtitle)
    lines.append(w.ui("sources_see_notes"))
    intro = [*about_data(dataset, lang), "", *(f"- {v.title}" for v in shown)]
    dk.title_slide(prs, title=deck_title, lines=lines, theme=look, notes=with_skips("\n".join(intro), 0),
                   png=_thumbnail(dataset, overview, dpi), alt=overview.description)
    if progress:
        progress(1, total, deck_title)
    for i, v in enumerate(shown, start=1):
        sc = scene(v.data, lang=lang, theme=theme, title=v.title, where="credit_notes", warn=False)
        png = _figure_png(v.data, sc, dpi, dk.map_size_inches())
        dk.map_slide(prs, title=v.title, png=png, alt=sc.description, notes=with_skips(notes_for(v.data, sc, lang), i),
                     theme=look)
        if progress:
            progress(i + 1, total, v.title)
    return dk.finish(prs, title=deck_title, subject=overview.title, when=dataset.as_of.last_day())


STORY_TEXT_BOX = dk.Box(dk.SLIDE_W // 40, dk.MAP_TOP + 60_000, dk.SLIDE_W * 31 // 100,
                        dk.SLIDE_H - dk.MAP_TOP - 260_000)
STORY_MAP_BOX = dk.Box(dk.SLIDE_W * 34 // 100, dk.MAP_TOP, dk.SLIDE_W * 66 // 100, dk.SLIDE_H - dk.MAP_TOP)


def cited_sources(step_view) -> list:
    """The distinct sources of the ties a step cites, in the order it cites them."""
    ties = {t.id: t for t in step_view.view.ties}
    out, seen = [], set()
    for tie_id in step_view.step.cite:
        for src in ties[tie_id].sources if tie_id in ties else ():
            key = (src.publisher, src.date_text, src.title)
            if key not in seen:
                seen.add(key)
                out.append(src)
    return out


def story_notes(step_view, lang: str, limit: int = NOTES_LIMIT) -> str:
    """A step's notes: its text, then its cited sources as one short list ("Publisher, date — short
    title"), at most ``limit`` characters. Sources that do not fit end in "and N more"; URLs are added,
    in order, only where they fit. An item is never cut."""
    from .text import clip, plain

    w = words(lang)
    body = clip("\n\n".join(plain(step_view.blocks)), limit // 2)
    sources = cited_sources(step_view)
    if not sources:
        return body
    head = f"{body}\n\n{w.ui('sources_heading')}"
    lines = [f"- {short_line(s)}" for s in sources]

    def more(n: int) -> str:
        return f"\n- {w.ui('n_more', n=str(n))}" if n else ""

    kept = len(lines)
    while kept and len(head) + sum(1 + len(x) for x in lines[:kept]) + len(more(len(lines) - kept)) > limit:
        kept -= 1
    lines = lines[:kept]
    room = limit - len(head) - sum(1 + len(x) for x in lines) - len(more(len(sources) - kept))
    for i, src in enumerate(sources[:kept]):  # in order, while they fit
        if not src.url:
            continue
        if len(src.url) + 3 > room:
            break
        lines[i] += f" <{src.url}>"
        room -= len(src.url) + 3
    return head + "".join("\n" + x for x in lines) + more(len(sources) - kept)


def build_story_deck(story, dataset: Dataset, steps: list, *, lang: str = "en", theme: str = "presentation",
                     dpi: int = 150, progress: Progress | None = None) -> bytes:
    """A story as a deck: a title slide, then one slide per step — its headline in the title
    placeholder, its text in a text box, the step's map beside them (both above it in z-order),
    notes with the step's text and the sources it cites."""
    from .framing import step_figure

    look = get_theme(theme)
    w = words(lang)
    prs = dk.new_presentation()
    title = story.title_in(lang)
    overview = scene(dataset, lang=lang, theme=theme, where="credit_notes")
    day = dataset.shown_date.isoformat()
    lines = [x for x in (story.subtitle_in(lang), dataset.text("title", lang), w.ui("as_of_date", date=day),
                         w.ui("sources_see_notes")) if x]
    intro = "\n".join([*(f"{i}. {sv.headline}" for i, sv in enumerate(steps, start=1)), "",
                        *about_data(dataset, lang)])
    dk.title_slide(prs, title=title, lines=lines, theme=look, notes=intro[:NOTES_LIMIT],
                   png=_thumbnail(dataset, overview, dpi), alt=overview.description)
    total = 1 + len(steps)
    if progress:
        progress(1, total, title)
    size = dk.map_size_inches(STORY_MAP_BOX)
    for i, sv in enumerate(steps, start=2):
        sc = dataclasses.replace(sv.scene, credit=credit_line(sv.view, w, "credit_notes"))  # no popups on a slide
        png = figure_bytes(step_figure(sc, sv.view, size=size, dpi=dpi), "png")
        dk.map_slide(prs, title=sv.headline, png=png, alt=sv.scene.description, notes=story_notes(sv, lang),
                     theme=look, box=STORY_MAP_BOX, text=sv.blocks, text_box_at=STORY_TEXT_BOX)
        if progress:
            progress(i, total, sv.headline)
    return dk.finish(prs, title=title, subject=dataset.text("title", lang), when=dataset.as_of.last_day())
