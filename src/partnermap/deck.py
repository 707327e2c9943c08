"""PowerPoint building blocks shared by ``slides`` (a deck of views) and ``story`` (a deck of steps).

Every slide is made so that PowerPoint and LibreOffice treat it as a real
slide: the headline is the *title placeholder's* text, above the picture in
z-order (so retitling, the outline view and the accessibility checker work);
the map picture carries the scene's text alternative; text boxes hold text,
never pictures of text. Deterministic: the same input gives the same bytes
(core properties derived from the data's date, zip members stamped with it).
Every string goes through ``text.xml`` (XML cannot hold control characters)
and the core properties are cut to their limits.

python-pptx is imported inside functions, like matplotlib in ``static``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from .text import clip, xml
from .theme import Theme

SLIDE_W, SLIDE_H = 12_192_000, 6_858_000  # 13.333 x 7.5 in: PowerPoint's 16:9
EMU_PER_IN = 914_400
TITLE_TOP, TITLE_H = 150_000, 760_000  # the title band at the top of every map slide
MAP_TOP = TITLE_TOP + TITLE_H + 40_000
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # in python-pptx's default template
GENERATOR = "partnermap"
CORE_LIMIT = 255  # PowerPoint refuses longer core properties
ZIP_YEARS = (1980, 2107)  # the years a zip timestamp can hold


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int


MAP_BOX = Box(0, MAP_TOP, SLIDE_W, SLIDE_H - MAP_TOP)


def map_size_inches(box: Box = MAP_BOX) -> str:
    """The static figure's ``size`` that fills ``box`` at 1:1 (so its points are the slide's points)."""
    return f"{box.width / EMU_PER_IN:.3f}x{box.height / EMU_PER_IN:.3f}"


def new_presentation():
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    return prs


def _rgb(color: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(color.lstrip("#").upper())


def _style_runs(shape, size_pt: float, color: str, bold: bool = False, font: str | None = None) -> None:
    from pptx.util import Pt

    for para in shape.text_frame.paragraphs:
        for run in para.runs:
            run.font.size = Pt(size_pt)
            run.font.bold = bold
            run.font.color.rgb = _rgb(color)
            if font:
                run.font.name = font


def _background(slide, color: str) -> None:
    fill = slide.background.fill
    fill.solid()
    fill.fore_color.rgb = _rgb(color)


def _send_to_back(slide, shape) -> None:
    """Put ``shape`` first in the slide's drawing order: titles and text boxes stay above it."""
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)  # after nvGrpSpPr and grpSpPr


def _set_text(frame, text: str, *, paragraphs: list[str] | None = None) -> None:
    frame.clear()
    lines = paragraphs if paragraphs is not None else [text]
    frame.paragraphs[0].text = xml(lines[0]) if lines else ""
    for line in lines[1:]:
        frame.add_paragraph().text = xml(line)


def _picture(slide, png: bytes, box: Box, name: str, alt: str):
    from pptx.util import Emu

    pic = slide.shapes.add_picture(io.BytesIO(png), Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    pic.name = xml(clip(name, 120))
    pic._element.nvPicPr.cNvPr.set("descr", xml(clip(alt, 2000)))
    _send_to_back(slide, pic)
    return pic


def _title(slide, text: str, theme: Theme, size_pt: float = 30, box: Box | None = None) -> None:
    from pptx.util import Emu

    head = slide.shapes.title
    box = box or Box(SLIDE_W // 40, TITLE_TOP, SLIDE_W - SLIDE_W // 20, TITLE_H)
    head.left, head.top, head.width, head.height = Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    _set_text(head.text_frame, clip(text, 300))
    head.text_frame.word_wrap = True
    for para in head.text_frame.paragraphs:
        para.alignment = 1  # left
    _style_runs(head, size_pt, theme.text, bold=True)


def text_box(slide, paragraphs: list[str], box: Box, theme: Theme, size_pt: float = 16, name: str = "Text"):
    """A text box of paragraphs (a story step's text; a title slide's subtitle lines)."""
    from pptx.util import Emu

    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    shape.name = name
    shape.text_frame.word_wrap = True
    _set_text(shape.text_frame, "", paragraphs=paragraphs or [""])
    _style_runs(shape, size_pt, theme.text)
    return shape


def map_slide(prs, *, title: str, png: bytes, alt: str, notes: str, theme: Theme, box: Box = MAP_BOX,
              text: list[str] | None = None, text_box_at: Box | None = None):
    """A slide with ``title`` in the title placeholder, the map picture beneath it (in z-order too)."""
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _background(slide, theme.panel)
    _title(slide, title, theme)
    _picture(slide, png, box, f"Map: {title}", alt)
    if text is not None and text_box_at is not None:
        text_box(slide, text, text_box_at, theme, size_pt=16, name="Step text")
    slide.notes_slide.notes_text_frame.text = xml(notes)
    return slide


def title_slide(prs, *, title: str, lines: list[str], theme: Theme, notes: str, png: bytes | None = None,
                alt: str = ""):
    """The opening slide: title, subtitle lines (focal country, what is shown, the date), a small map."""
    from pptx.util import Emu

    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    _background(slide, theme.panel)
    margin = SLIDE_W // 16
    text_w = SLIDE_W // 2 - margin if png else SLIDE_W - 2 * margin
    _title(slide, title, theme, size_pt=36, box=Box(margin, 1_700_000, text_w, 1_700_000))
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = Emu(margin), Emu(3_500_000), Emu(text_w), Emu(2_400_000)
    _set_text(sub.text_frame, "", paragraphs=lines)
    sub.text_frame.word_wrap = True
    for para in sub.text_frame.paragraphs:
        para.alignment = 1
    _style_runs(sub, 20, theme.text)
    if png:
        box = Box(SLIDE_W // 2, 1_200_000, SLIDE_W // 2 - margin // 2, 4_600_000)
        _picture(slide, png, box, "Map: the network", alt)
    slide.notes_slide.notes_text_frame.text = xml(notes)
    return slide


def _fixed_zip(data: bytes, when: dt.date) -> bytes:
    """The same zip with every member stamped ``when`` (python-pptx uses the current time),
    and the app properties saying what the deck is (16:9, by partnermap)."""
    year = min(max(when.year, ZIP_YEARS[0]), ZIP_YEARS[1])
    stamp = (year, when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/app.xml":
                body = re.sub(rb"<PresentationFormat>[^<]*</PresentationFormat>",
                              b"<PresentationFormat>Widescreen</PresentationFormat>", body)
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, body)
    return out.getvalue()


def finish(prs, *, title: str, subject: str, when: dt.date) -> bytes:
    """The deck's bytes: core properties from the data (cut to PowerPoint's limits), fixed stamps."""
    props = prs.core_properties
    props.title = xml(clip(title, CORE_LIMIT))
    props.subject = xml(clip(subject, CORE_LIMIT))
    props.author = props.last_modified_by = GENERATOR
    stamp = dt.datetime(min(max(when.year, ZIP_YEARS[0]), 9999), when.month, when.day)
    props.created = props.modified = stamp
    props.revision = 1
    props.comments = props.keywords = props.category = ""
    buf = io.BytesIO()
    prs.save(buf)
    return _fixed_zip(buf.getvalue(), when)
