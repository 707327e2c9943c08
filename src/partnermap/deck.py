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
import unicodedata
import zipfile
from dataclasses import dataclass

from .text import clip, safe_url, xml
from .theme import Theme

SLIDE_W, SLIDE_H = 12_192_000, 6_858_000  # 13.333 x 7.5 in: PowerPoint's 16:9
EMU_PER_IN = 914_400
TITLE_TOP, TITLE_H = 150_000, 760_000  # the title band at the top of every map slide
MAP_TOP = TITLE_TOP + TITLE_H + 40_000
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5  # in python-pptx's default template
EMU_PER_PT = 12_700
INSET_W, INSET_H = 2 * 91_440, 2 * 45_720  # a text frame's default insets (left + right, top + bottom)
LINE = 1.2  # line height, in font sizes
EM_BOLD, EM_REGULAR, EM_SPACE = 0.62, 0.56, 0.32  # average glyph widths (DejaVu, LibreOffice's stand-in)
TITLE_PT = (30, 28, 26, 24, 22, 20)  # a headline takes the largest that fits its box
TEXT_PT = (16, 15, 14, 13, 12)
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


def _width_em(text: str, bold: bool) -> float:
    """How wide ``text`` runs, in font sizes: wide (CJK) characters 1, spaces less, the rest an average."""
    em = EM_BOLD if bold else EM_REGULAR
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else EM_SPACE if c == " " else em for c in text)


def line_count(text: str, width_pt: float, size_pt: float, bold: bool = False) -> int:
    """The lines ``text`` wraps to in a box ``width_pt`` wide (words wrap whole; CJK anywhere)."""
    tokens = re.findall(r"[^\s\u3000-\u9fff\uff00-\uffef]+\s*|[\u3000-\u9fff\uff00-\uffef]|\s+", text)
    lines, used = 1, 0.0
    for token in tokens:
        w = _width_em(token.rstrip(), bold) * size_pt
        if used and used + w > width_pt:
            lines, used = lines + 1, 0.0
        while w > width_pt:  # a word longer than the line breaks where it must
            lines, w = lines + 1, w - width_pt
        used += w + _width_em(token[len(token.rstrip()):], bold) * size_pt
    return lines


def fit_pt(paragraphs: list[str], box: Box, sizes: tuple[float, ...], bold: bool = False,
           space: float = 0.0) -> float:
    """The largest of ``sizes`` at which ``paragraphs`` fit ``box`` (``space``: after each, in font sizes)."""
    width = (box.width - INSET_W) / EMU_PER_PT
    height = (box.height - INSET_H) / EMU_PER_PT
    for size in sizes:
        lines = sum(line_count(p, width, size, bold) for p in paragraphs)
        if lines * size * LINE + max(0, len(paragraphs) - 1) * space * size <= height:
            return size
    return sizes[-1]


def _picture(slide, png: bytes, box: Box, name: str, alt: str):
    from pptx.util import Emu

    pic = slide.shapes.add_picture(io.BytesIO(png), Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    pic.name = xml(clip(name, 120))
    pic._element.nvPicPr.cNvPr.set("descr", xml(clip(alt, 2000)))
    _send_to_back(slide, pic)
    return pic


def _title(slide, text: str, theme: Theme, sizes: tuple[float, ...] = TITLE_PT, box: Box | None = None) -> None:
    """The headline in the title placeholder, at the largest size at which it fits its box."""
    from pptx.util import Emu

    head = slide.shapes.title
    box = box or Box(SLIDE_W // 40, TITLE_TOP, SLIDE_W - SLIDE_W // 20, TITLE_H)
    head.left, head.top, head.width, head.height = Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height)
    text = clip(text, 300)
    _set_text(head.text_frame, text)
    head.text_frame.word_wrap = True
    for para in head.text_frame.paragraphs:
        para.alignment = 1  # left
    _style_runs(head, fit_pt([text], box, sizes, bold=True), theme.text, bold=True)


Run = tuple[str, bool, bool, str | None]  # text, bold, italic, link


def inline_runs(nodes: list[dict], bold: bool = False, italic: bool = False) -> list[Run]:
    """``text.markdown_subset`` inline nodes as runs: (text, bold, italic, link or None)."""
    out: list[Run] = []
    for n in nodes:
        if "t" in n:
            out.append((n["t"], bold, italic, None))
        elif "strong" in n:
            out += inline_runs(n["strong"], True, italic)
        elif "em" in n:
            out += inline_runs(n["em"], bold, True)
        elif "a" in n:
            url = n["a"] if safe_url(n["a"]) else None
            out += [(t, b, i, url) for t, b, i, _ in inline_runs(n.get("c", []), bold, italic)]
    return out


def block_paragraphs(blocks: list[dict]) -> list[tuple[str, list]]:
    """Markdown-subset blocks as paragraphs: (kind, runs); kind "p", or "li" for a list item
    (its runs start with the bullet or number)."""
    out: list[tuple[str, list]] = []
    for block in blocks:
        if "p" in block:
            out.append(("p", inline_runs(block["p"])))
        for key in ("ul", "ol"):
            for i, item in enumerate(block.get(key, []), start=1):
                mark = "• " if key == "ul" else f"{i}. "
                out.append(("li", [(mark, False, False, None), *inline_runs(item)]))
    return out


def rich_text_box(slide, blocks: list[dict], box: Box, theme: Theme, name: str = "Text"):
    """A text box of a step's text: paragraphs spaced apart, list items hanging, bold, italic and
    links kept as runs; at the largest of ``TEXT_PT`` that fits the box."""
    from pptx.util import Emu, Pt

    paragraphs = block_paragraphs(blocks) or [("p", [("", False, False, None)])]
    size = fit_pt(["".join(r[0] for r in runs) for _, runs in paragraphs], box, TEXT_PT, space=0.6)
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    for k, (kind, runs) in enumerate(paragraphs):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        para.space_after = Pt(round(size * 0.6))
        if kind == "li":
            indent = int(size * 1.1 * EMU_PER_PT)
            para._pPr.set("marL", str(indent))
            para._pPr.set("indent", str(-indent))
        for text, bold, italic, url in runs:
            run = para.add_run()
            run.text = xml(text)
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.italic = italic
            run.font.color.rgb = _rgb(theme.text)
            if url:
                run.hyperlink.address = xml(url)
    return shape


def map_slide(prs, *, title: str, png: bytes, alt: str, notes: str, theme: Theme, box: Box = MAP_BOX,
              text: list[dict] | None = None, text_box_at: Box | None = None):
    """A slide with ``title`` in the title placeholder, the map picture beneath it (in z-order too);
    ``text``: Markdown-subset blocks (a story step's) in a text box at ``text_box_at``."""
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _background(slide, theme.panel)
    _title(slide, title, theme)
    _picture(slide, png, box, f"Map: {title}", alt)
    if text is not None and text_box_at is not None:
        rich_text_box(slide, text, text_box_at, theme, name="Step text")
    slide.notes_slide.notes_text_frame.text = xml(notes)
    return slide


TITLE_SLIDE_MARGIN = SLIDE_W // 16
_TITLE_MAP_W = SLIDE_W // 2 - TITLE_SLIDE_MARGIN // 2
TITLE_MAP_BOX = Box(SLIDE_W // 2, 1_800_000, _TITLE_MAP_W, _TITLE_MAP_W * 9 // 16)  # the title slide's map, 16:9


def title_slide(prs, *, title: str, lines: list[str], theme: Theme, notes: str, png: bytes | None = None,
                alt: str = "", box: Box = TITLE_MAP_BOX):
    """The opening slide: title, subtitle lines (focal country, what is shown, the date), a small map
    drawn for ``box`` (``map_size_inches(box)``: its picture is never stretched)."""
    from pptx.util import Emu

    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_LAYOUT])
    _background(slide, theme.panel)
    margin = TITLE_SLIDE_MARGIN
    text_w = SLIDE_W // 2 - margin if png else SLIDE_W - 2 * margin
    _title(slide, title, theme, sizes=(36, 32, 28, 24), box=Box(margin, 1_500_000, text_w, 1_900_000))
    sub = slide.placeholders[1]
    sub_box = Box(margin, 3_500_000, text_w, 2_400_000)
    sub.left, sub.top = Emu(sub_box.left), Emu(sub_box.top)
    sub.width, sub.height = Emu(sub_box.width), Emu(sub_box.height)
    _set_text(sub.text_frame, "", paragraphs=lines)
    sub.text_frame.word_wrap = True
    for para in sub.text_frame.paragraphs:
        para.alignment = 1
    _style_runs(sub, fit_pt(lines, sub_box, (20, 18, 16, 14)), theme.text)
    if png:
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
