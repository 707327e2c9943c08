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
from collections.abc import Iterable
from pathlib import Path

from .errors import UsageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _Interrupted(BaseException):
    """SIGTERM or SIGHUP arrived while writing: unwind, remove the temp file, then die of the signal."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _signals_unwind():
    """Turn SIGTERM and SIGHUP into an exception while a file is written (main thread only), so the
    temporary file is removed; the process then ends by the same signal, as it would have."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def raise_(signum, _frame):
        raise _Interrupted(signum)

    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {n: signal.signal(getattr(signal, n), raise_) for n in names}
    try:
        yield
    except _Interrupted as exc:
        for n, handler in previous.items():
            signal.signal(getattr(signal, n), handler)
        signal.raise_signal(exc.signum)  # handlers restored: end by the signal, as we would have
        raise
    finally:
        for n, handler in previous.items():
            signal.signal(getattr(signal, n), handler)


def check_target(path: str | os.PathLike[str]) -> Path:
    """The file an output goes to, refused (exit 2) when writing it would not mean what it says.

    An existing symlink, FIFO or device is refused rather than replaced by a regular file
    (or, followed, written through to somewhere else): a clear line is safer than either.
    Only one missing folder level is created (``output/`` in a fresh checkout), so a typo in
    a path does not silently build a tree of folders.
    """
    target = Path(path)
    if target.is_symlink():
        raise UsageError(f"{target}: is a symbolic link; give its target ({os.path.realpath(target)}) or "
                         "another name")
    if target.is_dir():
        raise UsageError(f"{target}: is a directory; give a file name such as {target / 'partners.html'}")
    if target.exists() and not target.is_file():
        raise UsageError(f"{target}: is not a regular file (a pipe or a device); give a file name")
    parent = target.parent
    if not parent.exists() and not parent.parent.exists():
        raise UsageError(f"{target}: the folder {parent} does not exist")
    return target


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Atomically write ``data`` to ``path`` with normal permissions (0666 & ~umask).

    The data goes to a short temporary name beside the target (so a 255-byte file name still
    works), then ``os.replace`` puts it in place; on any failure, interrupt, SIGTERM or SIGHUP
    the temporary file is removed and the previous file is untouched.
    """
    return write_pieces(path, (data,))


_SLICE = 1 << 20  # characters of a text piece encoded at a time


def write_pieces(path: str | os.PathLike[str], pieces: Iterable[str | bytes]) -> Path:
    """``write_bytes`` of a document given in pieces (``render.page_pieces``), one after the other:
    text is encoded to UTF-8 a slice at a time, so the document is never held whole as bytes."""
    target = check_target(path)
    with _signals_unwind():  # from before the temp file exists until it is renamed or removed
        try:
            target.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".pm-", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise UsageError(f"{target}: cannot write here ({exc.strerror})") from None
        try:
            with os.fdopen(fd, "wb") as fh:
                for piece in pieces:
                    if isinstance(piece, str):
                        for start in range(0, len(piece), _SLICE):
                            fh.write(piece[start:start + _SLICE].encode("utf-8"))
                    else:
                        fh.write(piece)
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
        except BaseException as exc:  # includes KeyboardInterrupt and SIGTERM: never leave the temp file
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
    from .render import page_pieces

    return write_pieces(path, page_pieces(m))


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
    from .render import build_story, page_pieces

    story, dataset, steps = load_story(story_path, lang=lang, theme=theme)
    chosen = theme or story.theme or "light"
    return write_pieces(path, page_pieces(build_story(story, dataset, steps, lang=lang, theme=chosen,
                                                      offline=offline)))
