"""The ``partnermap`` command: a thin click layer over the public functions.

Only this module imports click. Every command is load -> select -> output.
Errors become one line in ``_Group.main`` and nowhere else: a library
``PartnermapError`` (exit 1 bad data, 2 bad usage), click's own usage errors
(exit 2, same ``Error: ...`` form, with the command to get help), a closed or
full stdout, an interrupt. Warnings print as one ``Warning: ...`` line.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import gc
import json
import os
import sys
import warnings
from pathlib import Path

import click

from . import __version__
from .cite import FORMATS as CITE_FORMATS
from .errors import PartnermapError, PartnermapWarning, ValidationError
from .tables import FORMATS as TABLE_FORMATS
from .theme import THEMES
from .vocab import Category, Status

DEFAULT_HTML = "output/partners.html"
DEFAULT_DECK = "output/partners.pptx"
MAX_MESSAGE = 500  # one error line is never longer than this


def _one_line(text: str) -> str:
    """A message as one bounded line: control characters shown escaped, so data in a message
    can neither forge a second line nor reach the terminal raw; cut at ``MAX_MESSAGE``."""
    from .text import terminal

    line = terminal(str(text))
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def _echo_err(text: str) -> None:
    with contextlib.suppress(OSError):  # stderr gone too: nothing more can be said
        click.echo(text, err=True)


class _Group(click.Group):
    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            with warnings.catch_warnings():
                # our warnings (no CJK font...) as one line, not Python's "file:line: Class:" form
                warnings.simplefilter("always", PartnermapWarning)
                previous = warnings.showwarning
                warnings.showwarning = _show_warning(previous)
                try:
                    super().main(args=args, prog_name=prog_name, complete_var=complete_var,
                                 standalone_mode=False, **extra)
                finally:
                    warnings.showwarning = previous
        except ValidationError as exc:
            for problem in exc.problems:
                _echo_err(_one_line(str(problem)))
            if getattr(exc, "more", 0):
                _echo_err(f"... and {exc.more} more problems")
            sys.exit(exc.exit_code)
        except PartnermapError as exc:
            _echo_err(f"Error: {_one_line(str(exc))}")
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            _echo_err(f"Error: {_one_line(exc.format_message())}{hint}")
            sys.exit(2)
        except click.ClickException as exc:
            _echo_err(f"Error: {_one_line(exc.format_message())}")
            sys.exit(exc.exit_code)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            _echo_err("Aborted.")
            sys.exit(130)
        except MemoryError:
            # ulimit -v, a container's limit: say so in one line (docs/schema.md, "Limits", gives the
            # memory a file of a given size may need); nothing was written
            _echo_err("Error: out of memory; a partner file needs up to about 8 MB of memory per MB "
                      "(docs/schema.md, Limits)")
            sys.exit(1)
        except BrokenPipeError:
            # the reader went away (`partnermap list | head`): not an error of ours
            _silence_stdout()
            sys.exit(0)
        except OSError as exc:
            if exc.errno is not None and getattr(exc, "filename", None) is None:
                _echo_err(f"Error: cannot write output ({exc.strerror or exc})")
                sys.exit(1)
            raise
        sys.exit(0)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _show_warning(fallback):
    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, PartnermapWarning):
            _echo_err(f"Warning: {_one_line(str(message))}")
        else:
            fallback(message, category, filename, lineno, file, line)

    return show


# ---- shared options (one definition each) ---------------------------------------------------

def _selection_keys() -> tuple[str, ...]:
    from .filters import Selection

    return tuple(f.name for f in dataclasses.fields(Selection))


def filter_options(func):
    """The filters every output command shares (``filters.Selection``; its fields name the keys)."""
    options = [
        click.option("--category", "categories", multiple=True, type=click.Choice(Category.values()),
                     help="Only ties in this category (repeatable)."),
        click.option("--type", "types", multiple=True, metavar="TYPE",
                     help="Only ties of this agreement type (repeatable; `partnermap types` lists them)."),
        click.option("--partner", "partners", multiple=True, metavar="ID|NAME",
                     help="Only ties with this partner (id in any case, or its English name), including the "
                          "organisations and groups it belongs to (repeatable)."),
        click.option("--status", "statuses", multiple=True, metavar="STATUS",
                     help=f"Only ties with this status on the day shown (repeatable; {', '.join(Status.values())})."),
        click.option("--since", metavar="DATE", help="Only ties with a dated step on or after DATE."),
        click.option("--until", metavar="DATE", help="Only ties with a dated step on or before DATE."),
        click.option("--as-of", "as_of", metavar="DATE", help="The network as it stood on DATE."),
        click.option("--changes-since", "changes_since", metavar="DATE",
                     help="Mark ties with a dated step (new, advanced, ended) on or after DATE."),
    ]
    for option in reversed(options):
        func = option(func)

    @functools.wraps(func)
    def wrapper(**kwargs):
        selection = {k: kwargs.pop(k) for k in _selection_keys()}
        return func(selection=selection, **kwargs)

    return wrapper


def lang_option(func):
    return click.option("--lang", default="en", show_default=True, metavar="LANG",
                        help="Language of every label and of the data's texts where it has them "
                             "(en, ja, or any language the data carries; English fills the gaps, with one "
                             "warning line; any other language is refused).")(func)


def theme_option(default: str):
    return click.option("--theme", type=click.Choice(list(THEMES)), default=default, show_default=True,
                        help="light, dark, or presentation (large type and thick lines for a room).")


def output_option(default: str, help_text: str):
    return click.option("-o", "--output", default=default, show_default=True, help=help_text)


def _load_selected(path: str | None, selection: dict):
    from .filters import select
    from .reader import load

    return select(load(path), **selection)


def _echo(text: str, nl: bool = True) -> None:
    """Print to stdout; on a terminal, with control characters shown escaped (``text.terminal``),
    so data cannot move the cursor or recolour the screen. Into a pipe or file: exactly the text."""
    from .text import terminal

    if sys.stdout.isatty():
        text = terminal(text, keep_newlines=True)
    click.echo(text, nl=nl)


_OWN_PROCESS = False  # set by run(): this process is the console script's, and ends with the command


def _folium_without_pandas() -> None:
    """Import folium without pandas, in the console script's own process only.

    folium imports pandas (when installed, as geopandas installs it) only to accept DataFrames
    (``folium.utilities``), which partnermap never passes: 0.2 s of every HTML render, a fifth of
    rendering the bundled map. Blocked for that one import, so a later ``import pandas`` works;
    a library caller's folium is left as it is."""
    if not _OWN_PROCESS or "folium" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # "import pandas" raises ImportError
    try:
        import folium  # noqa: F401
    finally:
        del sys.modules["pandas"]


def run() -> None:
    """The ``partnermap`` console script: ``main`` in a process of its own, which it ends itself.

    A command builds up to a million small objects, none in reference cycles (``gcpause``), and
    then exits. So the cyclic collector stays off for the whole command (it would walk them all
    three times over once re-enabled: 0.55 s of a 100,000-tie render), and the process ends
    without freeing them one by one (0.3 s): after what a normal exit does first, the atexit
    handlers and the flush of stdout and stderr. A library caller keeps Python's usual ways:
    only this entry point does this (docs/NOTES.md, "A command's process")."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    gc.disable()
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        _echo_err(str(code))
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone away: nothing more can be said
            stream.flush()
    os._exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="partnermap")
def main() -> None:
    """Map a country's partner network: who it is tied to, how, and since when.

    PATH defaults to the bundled dataset (Japan's partner network).
    """


@main.command()
@click.argument("path", required=False)
def validate(path: str | None) -> None:
    """Check a partner file: every problem on its own line (exit 1), or a summary."""
    from .report import validate as run

    report = run(path)
    for warning in report.warnings:
        _echo_err(f"Warning: {_one_line(str(warning))}")
    if not report.ok:
        raise ValidationError(list(report.problems), more=report.more)
    _echo(report.summary())
    for name, counts in report.counts().items():
        _echo(f"  by {name}: " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))


HTML_ONLY = ("timeline", "cdn", "tiles", "width", "height", "no_controls")
STATIC_ONLY = ("dpi", "size")


@main.command()
@click.argument("path", required=False)
@output_option(DEFAULT_HTML, "File to write: .html (interactive) or .png/.svg/.pdf (a static figure).")
@click.option("--title", help="Map title (default: the dataset's title).")
@click.option("--subtitle", help="Line under the title (default: what the filters show, e.g. 'Security ties · as of "
                                 "2023-01-11').")
@lang_option
@theme_option("light")
@click.option("--cdn", is_flag=True, help="Link Leaflet from its CDN instead of inlining it (needs network).")
@click.option("--timeline", is_flag=True, help="Add a year slider (with play) that grows the network over time.")
@click.option("--width", help="HTML: map width in pixels (960) or percent (100%, the default).")
@click.option("--height", help="HTML: map height in pixels (540) or percent (100%, the default).")
@click.option("--no-controls", "no_controls", is_flag=True, help="HTML: only map, title, legend and credit.")
@click.option("--tiles", metavar="NAME", help="HTML: online tiles (xyzservices name) above the bundled basemap.")
@click.option("--dpi", type=int, help="Static output: dots per inch (20-1200; default 150).")
@click.option("--size", help="Static output: 16:9 (default), 4:3 or WxH in inches.")
@filter_options
def render(path, output, title, subtitle, lang, theme, selection, **look) -> None:
    """Draw the selected ties: an interactive map (HTML) or a static figure (PNG/SVG/PDF)."""
    _folium_without_pandas()
    from .export import save_map, save_static
    from .render import build_map
    from .static import format_for

    static = format_for(output) is not None
    if not static and not output.lower().endswith((".html", ".htm")) and not Path(output).is_dir():
        raise click.UsageError(f"{output}: write .html, .png, .svg or .pdf")
    misplaced = [k for k in (HTML_ONLY if static else STATIC_ONLY) if look[k]]
    if misplaced:
        raise click.UsageError(f"--{misplaced[0].replace('_', '-')} does not apply to {output}")
    dataset = _load_selected(path, selection)
    text = {"lang": lang, "theme": theme, "title": title, "subtitle": subtitle}
    if static:
        sized = {k: look[k] for k in STATIC_ONLY if look[k] is not None}
        _echo(str(save_static(dataset, output, **text, **sized)))
        return
    m = build_map(dataset, **text, offline=not look["cdn"], timeline=look["timeline"], width=look["width"],
                  height=look["height"], controls=not look["no_controls"], tiles=look["tiles"])
    _echo(str(save_map(m, output)))


@main.command()
@click.argument("path", required=False)
@output_option(DEFAULT_DECK, "The .pptx to write.")
@click.option("--title", help="Deck title (default: the dataset's title).")
@lang_option
@theme_option("presentation")
@click.option("--date", "dates", multiple=True, metavar="DATE",
              help="Add a slide of the network on DATE (repeatable; default: a few dates chosen from the data).")
@click.option("--dpi", type=int, default=150, show_default=True, help="Resolution of the slide maps (20-1200).")
@filter_options
def slides(path, output, title, lang, theme, dates, dpi, selection) -> None:
    """Build a PowerPoint deck: a title slide, a slide per category, the network over time."""
    from .export import save_deck

    dataset = _load_selected(path, selection)
    with click.progressbar(length=1, label="Building slides", file=sys.stderr) as bar:
        def progress(done: int, total: int, label: str) -> None:
            bar.length = total
            bar.update(1)

        written = save_deck(dataset, output, lang=lang, theme=theme, title=title, dates=dates or None,
                            progress=progress, dpi=dpi)
    _echo(str(written))


@main.command()
@click.argument("story_file", metavar="STORY")
@output_option("output/story.html", "talk.html (one offline page) or talk.pptx (a deck), by extension.")
@click.option("--lang", default="en", show_default=True, metavar="LANG",
              help="Language of the page or deck: the story's own texts in it (headline_ja, ::: ja) and the labels.")
@click.option("--theme", type=click.Choice(list(THEMES)), default=None,
              help="light, dark or presentation (default: the story's theme; presentation for a deck).")
@click.option("--dpi", type=int, default=150, show_default=True, help="Deck: resolution of the slide maps.")
def story(story_file, output, lang, theme, dpi) -> None:
    """Tell a story step by step: a page to present (←/→) or a deck, from a story file (docs/stories.md)."""
    _folium_without_pandas()
    from .export import save_story

    if output.lower().endswith(".pptx"):
        with click.progressbar(length=1, label="Building slides", file=sys.stderr) as bar:
            def progress(done: int, total: int, label: str) -> None:
                bar.length = total
                bar.update(1)

            _echo(str(save_story(story_file, output, lang=lang, theme=theme, dpi=dpi, progress=progress)))
        return
    _echo(str(save_story(story_file, output, lang=lang, theme=theme, dpi=dpi)))


@main.command()
@click.argument("html_file", metavar="OUT.html")
@click.option("--title", help="Iframe title for screen readers (default: the map's title).")
@click.option("--url", help="The address the map is published at (default: the file's name, beside the page).")
@click.option("--width", help="Iframe width in pixels or percent (default: the map's own width, else 100%).")
@click.option("--height", help="Iframe height in pixels (default: the map's own height, else 600).")
@click.option("--aspect", metavar="W:H", help="A responsive wrapper that keeps this ratio (e.g. 16:9).")
def embed(html_file, title, url, width, height, aspect) -> None:
    """Print an <iframe> snippet that embeds a rendered map in a page or CMS."""
    _folium_without_pandas()
    from .render import embed_snippet

    _echo(embed_snippet(html_file, title=title, url=url, width=width, height=height, aspect=aspect))


@main.command(name="list")
@click.argument("path", required=False)
@click.option("--format", "fmt", type=click.Choice([*TABLE_FORMATS, "geojson", "xlsx"]), default="table",
              show_default=True,
              help="geojson: the selection as a partner file (QGIS/GDAL read it); xlsx: a workbook to edit "
                   "(sheets metadata, partners, ties, sources; needs -o).")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of printing (required for xlsx).")
@filter_options
def list_(path, fmt, output, selection) -> None:
    """Print one row per tie (partner, category, type, status, dates, title), or write them to a file."""
    from .tables import format_ties, totals

    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx writes a file: give -o BOOK.xlsx")
    dataset = _load_selected(path, selection)
    if fmt == "xlsx":
        from .export import save_workbook

        _echo(str(save_workbook(dataset, output)))
        return
    if fmt == "geojson":
        from .dump import dumps

        text = dumps(dataset)
    else:
        text = format_ties(dataset, fmt) + (totals(dataset) + "\n" if fmt == "table" else "")
    if output:
        from .export import write_text

        _echo(str(write_text(output, text)))
        return
    _echo(text, nl=False)


@main.command(name="import")
@click.argument("source", metavar="BOOK")
@click.option("-o", "--output", metavar="FILE.geojson",
              help="The partner file to write (default: print it). A failed import writes nothing.")
def import_(source, output) -> None:
    """Read a workbook (.xlsx) or a folder of CSV tables back into a partner file.

    The tables are those `list --format xlsx` writes (metadata, partners, ties,
    sources); every problem is reported at its sheet, row and column.
    """
    if output:
        from .export import save_import

        _echo(str(save_import(source, output)))
        return
    from .dump import dumps
    from .sheets import read_dataset

    _echo(dumps(read_dataset(source), derived=False), nl=False)


@main.command()
@click.option("--focal", required=True, metavar="ISO3", help="The country whose network this is, e.g. AUS.")
@click.option("-o", "--output", metavar="FILE", default="partners.geojson", show_default=True,
              help="The starter file to write.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def new(focal, output, force) -> None:
    """Write a valid starter partner file for any country, with one EXAMPLE tie to replace.

    docs/authoring.md says what to fill in.
    """
    from .export import save_starter

    _echo(str(save_starter(focal, output, force=force)))


@main.command(name="diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True,
              help="md: a changelog or pull-request description.")
@click.option("--exit-code", "exit_code", is_flag=True,
              help="Exit 1 when the files differ, as git diff does (bad data is exit 1 too, with its problems on "
                   "stderr: validate both files first to tell them apart).")
def diff_(old, new, fmt, exit_code) -> None:
    """Show the partners and ties added, removed and changed from OLD to NEW, field by field."""
    from .changes import diff, format_diff
    from .reader import load

    changes = diff(load(old), load(new))
    _echo(format_diff(changes, fmt, old, new), nl=False)
    if exit_code and changes:
        sys.exit(1)


@main.command()
@click.argument("path", required=False)
@click.option("--format", "fmt", type=click.Choice(CITE_FORMATS), default="md", show_default=True,
              help="md (Markdown), bibtex, or csl-json.")
@click.option("--curation", is_flag=True,
              help="Also print each tie's curation remark (md only; for curators, never on a map).")
@filter_options
def sources(path, fmt, curation, selection) -> None:
    """Print the bibliography of every source cited by the selected ties."""
    from .cite import bibliography

    _echo(bibliography(_load_selected(path, selection), fmt, curation=curation), nl=False)


@main.command()
@click.option("--lang", default="en", show_default=True, metavar="LANG",
              help="Language of the labels: a language with a catalog (en, ja).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="table or json.")
def types(lang, fmt) -> None:
    """Print the vocabulary: categories, tie types, statuses, kinds, with labels."""
    from .i18n import check_lang, vocabulary

    vocab = vocabulary(check_lang(lang))
    if fmt == "json":
        _echo(json.dumps(vocab, ensure_ascii=False, indent=2))
        return
    for group, terms in vocab.items():
        _echo(f"{group}:")
        for term in terms:
            extra = f"  [{term['categories']}; {term['standing']}]" if "categories" in term else ""
            _echo(f"  {term['value']:<24} {term['label']}{extra}")
