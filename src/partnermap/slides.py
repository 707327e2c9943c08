"""A PowerPoint deck of the network: a title slide, then one map per view, sources in the speaker notes.

Views, in order: all ties, security only, economic only, then the network as
it stood on a few dates (``default_dates``, or the caller's). Each view slide
is the static figure (``static.py``) filling a 16:9 slide; the slide's own
title placeholder carries the same words beneath the picture, so PowerPoint's
outline, navigation and screen readers see a titled slide, and the picture
has the map's text description as its alt text. A view that selects nothing
is skipped (never an empty slide), with a line saying so in the previous
slide's notes.

Deterministic: the same input gives the same bytes. The core properties
(created, modified, author, revision) are derived from the dataset's as-of
date, and the zip is rewritten with fixed member timestamps (python-pptx
stamps each member with the current time).

python-pptx is imported inside functions, like matplotlib in ``static``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import theme as th
from .cite import sources_of
from .dates import PartialDate
from .errors import UsageError
from .filters import EmptySelection, select
from .layers import default_title, describe
from .model import Dataset, Tie
from .static import build_figure, figure_bytes
from .vocab import Category

Progress = Callable[[int, int, str], None]

SLIDE_WIDTH_EMU, SLIDE_HEIGHT_EMU = 12_192_000, 6_858_000  # 13.333 x 7.5 in: PowerPoint's 16:9
SLIDE_SIZE = "16:9"  # static.SIZES: 13.333 x 7.5 in, the slide itself
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # in python-pptx's default template
GENERATOR = "partnermap"


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
    slides. For the bundled dataset: 2016, 2023 and 2025-11-30.
    """
    if count < 1:
        raise UsageError(f"count {count!r}: give at least 1")
    last = dataset.view_date.isoformat() if dataset.view_date else str(dataset.as_of)
    last_year = PartialDate.parse(last).year
    years = sorted(t.first_date.year for t in dataset.ties)
    out: list[str] = []
    for k in range(1, count):
        year = years[min(len(years) - 1, (k * len(years)) // count)]
        if year < last_year and str(year) not in out:
            out.append(str(year))
    return [*out, last]


def _check_dates(dataset: Dataset, dates: Iterable[str | PartialDate]) -> list[str]:
    limit = dataset.view_date or dataset.as_of.last_day()
    out = []
    for d in dates:
        try:
            date = d if isinstance(d, PartialDate) else PartialDate.parse(str(d))
        except ValueError as exc:
            raise UsageError(f"slide date {d!r}: {exc}") from None
        if date.first_day() > limit:
            raise UsageError(f"slide date {date} is after the data's as-of date {limit.isoformat()}")
        out.append(str(date))
    if not out:
        raise UsageError("no slide dates given; give at least one, or none for the default")
    return out


def plan(dataset: Dataset, *, lang: str = "en", dates: Iterable[str | PartialDate] | None = None) -> list[View]:
    """The views a deck shows, in order, each with its selection (None where it selects nothing)."""
    lang = th.check_lang(lang)
    ui = th.UI_LABELS
    dates = _check_dates(dataset, dates) if dates is not None else default_dates(dataset)

    def view(key: str, title: str, **selection) -> View:
        try:
            return View(key, title, select(dataset, **selection) if selection else dataset)
        except EmptySelection:
            return View(key, title, None)

    views = [
        view("all", ui["all_ties"][lang]),
        *(view(c.value, th.CATEGORY_LABELS[c][lang], categories=[c.value]) for c in (Category.SECURITY,
                                                                                    Category.ECONOMIC)),
        *(view(f"as-of-{d}", ui["network_as_of"][lang].format(date=d), as_of=d) for d in dates),
    ]
    return views


def _tie_line(tie: Tie, partner: str, lang: str) -> str:
    steps = "; ".join(f"{th.STATUS_LABELS[s][lang]} {d}" for s, d in tie.dates)
    return f"- {partner}: {tie.title} — {th.STATUS_LABELS[tie.status][lang]} ({steps})"


def notes_for(view: Dataset, lang: str = "en") -> str:
    """Speaker notes: every tie shown (partner, title, status, key dates), then its sources, one line each."""
    ui = th.UI_LABELS
    lines = [f"{ui['ties_shown'][lang]} ({len(view.ties)}):"]
    for partner in view.partners:
        lines += [_tie_line(t, partner.label(lang), lang) for t in partner.ties]
    lines += ["", f"{ui['sources'][lang]}:"]
    seen = set()
    for src, _ties in sources_of(view):
        key = (src.author, src.title, src.publisher, src.date_text)
        if key not in seen:
            seen.add(key)
            lines.append("- " + ", ".join(x for x in key if x))
    return "\n".join(lines)


def _rgb(color: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(color.lstrip("#").upper())


def _background(slide, color: str) -> None:
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = _rgb(color)


def _title_slide(prs, dataset: Dataset, title: str, lang: str, look: th.Theme, notes: str) -> None:
    from pptx.util import Emu, Pt

    ui = th.UI_LABELS
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    _background(slide, look.panel)
    margin = Emu(SLIDE_WIDTH_EMU // 16)
    head, sub = slide.shapes.title, slide.placeholders[1]
    # The default template's placeholders are laid out for 4:3: place them for 16:9.
    head.left, head.top, head.width, head.height = margin, Emu(1_900_000), Emu(SLIDE_WIDTH_EMU - 2 * margin), \
        Emu(1_500_000)
    sub.left, sub.top, sub.width, sub.height = margin, Emu(3_500_000), Emu(SLIDE_WIDTH_EMU - 2 * margin), \
        Emu(1_900_000)
    head.text = title
    shown = dataset.view_date.isoformat() if dataset.view_date else str(dataset.as_of)
    lines = [f"{ui['focal'][lang]}: {dataset.focal.label(lang)}", ui["as_of_date"][lang].format(date=shown),
             ui["sources_see_notes"][lang]]
    sub.text = "\n".join(lines)
    for shape, size in ((head, 40), (sub, 20)):
        for para in shape.text_frame.paragraphs:
            for run in para.runs:
                run.font.size = Pt(size)
                run.font.color.rgb = _rgb(look.text)
    slide.notes_slide.notes_text_frame.text = notes


def _map_slide(prs, view: View, deck_title: str, lang: str, theme: str, dpi: int, notes: str) -> None:
    from pptx.util import Emu

    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    slide.shapes.title.text = view.title  # beneath the picture: for the outline and screen readers
    fig = build_figure(view.data, lang=lang, theme=theme, title=view.title, subtitle=deck_title, size=SLIDE_SIZE,
                       dpi=dpi, credit_where="credit_notes")
    png = figure_bytes(fig, "png")
    pic = slide.shapes.add_picture(io.BytesIO(png), 0, 0, Emu(SLIDE_WIDTH_EMU), Emu(SLIDE_HEIGHT_EMU))
    pic.name = f"Map: {view.title}"
    pic._element.nvPicPr.cNvPr.set("descr", describe(view.data, lang))
    slide.notes_slide.notes_text_frame.text = notes


def _fixed_zip(data: bytes, when: dt.date) -> bytes:
    """The same zip with every member stamped ``when`` (python-pptx uses the current time)."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


def build_deck(dataset: Dataset, *, lang: str = "en", theme: str = "presentation", title: str | None = None,
               dates: Iterable[str | PartialDate] | None = None, progress: Progress | None = None,
               dpi: int = 150) -> bytes:
    """The deck as .pptx bytes (write them with ``export.write_bytes``).

    ``title`` defaults to the dataset's title; ``dates`` to ``default_dates``.
    ``progress(done, total, label)`` is called once per slide, after it is made.
    """
    from pptx import Presentation
    from pptx.util import Emu

    lang = th.check_lang(lang)
    look = th.get_theme(theme)
    deck_title = th.check_text(title, "title") or dataset.title
    views = plan(dataset, lang=lang, dates=dates)
    shown = [v for v in views if v.data is not None]
    total = 1 + len(shown)

    # Notes per slide; an empty view is mentioned in the notes of the slide before it.
    skipped: dict[int, list[str]] = {}
    slot = 0  # 0: the title slide, n: the n-th map slide
    for v in views:
        if v.data is None:
            skipped.setdefault(slot, []).append(th.UI_LABELS["view_skipped"][lang].format(view=v.title))
        else:
            slot += 1

    def with_skips(text: str, i: int) -> str:
        return "\n\n".join([text, *skipped.get(i, [])])

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_WIDTH_EMU), Emu(SLIDE_HEIGHT_EMU)
    intro = [f"{dataset.title}, version {dataset.version}"]
    if dataset.description:
        intro.append(dataset.description)
    if dataset.license:
        intro.append(dataset.license)
    intro += ["", *(f"- {v.title}" for v in shown)]
    _title_slide(prs, dataset, deck_title, lang, look, with_skips("\n".join(intro), 0))
    if progress:
        progress(1, total, deck_title)
    for i, v in enumerate(shown, start=1):
        _map_slide(prs, v, deck_title, lang, theme, dpi, with_skips(notes_for(v.data, lang), i))
        if progress:
            progress(i + 1, total, v.title)

    when = dataset.as_of.last_day()
    props = prs.core_properties
    props.title = deck_title
    props.subject = default_title(dataset, lang)
    props.author = props.last_modified_by = GENERATOR
    props.created = props.modified = dt.datetime(when.year, when.month, when.day)
    props.revision = 1
    props.comments = props.keywords = props.category = ""
    buf = io.BytesIO()
    prs.save(buf)
    return _fixed_zip(buf.getvalue(), when)
