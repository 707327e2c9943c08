"""The one module that writes files. Every write is atomic.

A failed or interrupted run never leaves a half-written map where a good one
was: we write a temporary file beside the target and ``os.replace`` it in.
(``click.File(atomic=True)`` replaces the target even when the command fails,
and branca's ``save()`` truncates first, so neither is used.)
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import UsageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Atomically write ``data`` to ``path`` with normal permissions (0666 & ~umask)."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{target}: is a directory; give a file name such as {target / 'partners.html'}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write here ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:  # includes KeyboardInterrupt: never leave the temp file
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise UsageError(f"{target}: cannot write ({exc.strerror})") from None
        raise
    return target


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def save_map(m, path: str | os.PathLike[str]) -> Path:
    """Render a map from ``build_map`` completely, then write it atomically."""
    from .render import to_html

    return write_text(path, to_html(m))


def save_static(dataset, path: str | os.PathLike[str], **options) -> Path:
    """Draw the static figure (PNG/SVG/PDF, by extension) and write it atomically."""
    from .static import build_figure, figure_bytes, format_for

    fmt = format_for(path)
    if fmt is None:
        raise UsageError(f"{path}: unsupported static format; use .png, .svg or .pdf")
    return write_bytes(path, figure_bytes(build_figure(dataset, **options), fmt))


def save_deck(dataset, path: str | os.PathLike[str], **options) -> Path:
    """Build the PowerPoint deck (see ``slides.build_deck``) and write it atomically."""
    from .slides import build_deck

    if Path(path).suffix.lower() != ".pptx":
        raise UsageError(f"{path}: a deck is written as .pptx")
    return write_bytes(path, build_deck(dataset, **options))


def save_workbook(dataset, path: str | os.PathLike[str]) -> Path:
    """The dataset as an .xlsx workbook (sheets metadata, partners, ties, sources; ``sheets.py``)."""
    from .sheets import workbook_bytes

    if Path(path).suffix.lower() != ".xlsx":
        raise UsageError(f"{path}: a workbook is written as .xlsx")
    return write_bytes(path, workbook_bytes(dataset, dataset.source))


def save_tables(dataset, folder: str | os.PathLike[str]) -> Path:
    """The dataset as a folder of CSV tables (metadata.csv, partners.csv, ties.csv, sources.csv)."""
    from .sheets import csv_texts

    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: exists and is not a folder")
    texts = csv_texts(dataset)  # everything made before anything is written
    for name, text in texts.items():
        write_text(target / name, text)
    return target


def save_import(source: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """A workbook or CSV folder, validated, written as a partner file (territories and capitals from codes)."""
    from .dump import dumps
    from .sheets import read_dataset

    if Path(path).suffix.lower() not in (".geojson", ".json"):
        raise UsageError(f"{path}: a partner file is written as .geojson")
    return write_text(path, dumps(read_dataset(source), derived=False))


def save_starter(focal: str, path: str | os.PathLike[str], *, force: bool = False, as_of=None) -> Path:
    """A starter partner file for ``focal`` (``starter.py``); an existing file is kept unless ``force``."""
    from .starter import starter_text

    target = Path(path)
    if target.exists() and not force:
        raise UsageError(f"{target}: already exists; choose another name or use --force to overwrite it")
    return write_text(target, starter_text(focal, as_of=as_of))


def save_story(story_path: str | os.PathLike[str], path: str | os.PathLike[str], *, lang: str = "en",
               theme: str | None = None, dpi: int = 150, offline: bool = True, progress=None) -> Path:
    """A story (``story.py``) as one offline page (.html) or a deck (.pptx), by extension; written atomically."""
    from .story import load_story

    ext = Path(path).suffix.lower()
    if ext not in (".html", ".htm", ".pptx"):
        raise UsageError(f"{path}: a story is written as .html (a page) or .pptx (a deck)")
    if ext == ".pptx":
        from .slides import build_story_deck

        story, dataset, steps = load_story(story_path, lang=lang, theme=theme or "presentation")
        return write_bytes(path, build_story_deck(story, dataset, steps, lang=lang, theme=theme or "presentation",
                                                  dpi=dpi, progress=progress))
    from .render import build_story, to_html

    story, dataset, steps = load_story(story_path, lang=lang, theme=theme)
    chosen = theme or story.theme or "light"
    return write_text(path, to_html(build_story(story, dataset, steps, lang=lang, theme=chosen, offline=offline)))
