"""The ``partnermap`` command: a thin click layer over the public functions.

Only this module imports click. Every command is load -> select -> output;
errors from the library (``PartnermapError``) become one-line messages in
``_Group.invoke`` and nowhere else.
"""

from __future__ import annotations

import functools
import json
import sys
import warnings
from pathlib import Path

import click

from . import __version__
from .cite import FORMATS as CITE_FORMATS
from .errors import PartnermapError, PartnermapWarning, ValidationError
from .tables import FORMATS as TABLE_FORMATS
from .theme import LANGS, THEMES
from .vocab import Category, Status, TieType

DEFAULT_HTML = "output/partners.html"


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings():
            # our warnings (no CJK font...) as one line, not Python's "file:line: Class:" form
            warnings.simplefilter("always", PartnermapWarning)
            previous = warnings.showwarning
            warnings.showwarning = _show_warning(previous)
            try:
                return self._invoke(ctx)
            finally:
                warnings.showwarning = previous

    def _invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            ctx.exit(exc.exit_code)
        except PartnermapError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


def _show_warning(fallback):
    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, PartnermapWarning):
            click.echo(f"Warning: {message}", err=True)
        else:
            fallback(message, category, filename, lineno, file, line)

    return show


def filter_options(func):
    """The filters every output command shares (see partnermap.filters.Selection)."""
    options = [
        click.option("--category", "categories", multiple=True, type=click.Choice(Category.values()),
                     help="Only ties in this category (repeatable)."),
        click.option("--type", "types", multiple=True, type=click.Choice(TieType.values()),
                     help="Only ties of this type (repeatable; see `partnermap types`)."),
        click.option("--partner", "partners", multiple=True, metavar="ID",
                     help="Only ties with this partner, including frameworks it is party to (repeatable)."),
        click.option("--status", "statuses", multiple=True, type=click.Choice(Status.values()),
                     help="Only ties with this status (on --as-of if given; repeatable)."),
        click.option("--since", metavar="DATE", help="Only ties with a dated step on or after DATE."),
        click.option("--until", metavar="DATE", help="Only ties with a dated step on or before DATE."),
        click.option("--as-of", "as_of", metavar="DATE", help="The network as it stood on DATE."),
        click.option("--changes-since", "changes_since", metavar="DATE",
                     help="Mark ties that appeared, advanced or ended since DATE."),
    ]
    for option in reversed(options):
        func = option(func)

    @functools.wraps(func)
    def wrapper(**kwargs):
        keys = ("categories", "types", "partners", "statuses", "since", "until", "as_of", "changes_since")
        selection = {k: kwargs.pop(k) for k in keys}
        return func(selection=selection, **kwargs)

    return wrapper


def _load_selected(path: str | None, selection: dict):
    from .filters import select
    from .reader import load

    return select(load(path), **selection)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="partnermap")
def main() -> None:
    """Map a country's partner network: who it is tied to, how, and since when.

    PATH defaults to the bundled dataset (Japan's partner network).
    """


@main.command()
@click.argument("path", required=False)
def validate(path: str | None) -> None:
    """Check a partner file; list every problem (exit 1) or summarise it."""
    from .report import validate as run

    report = run(path)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if not report.ok:
        raise ValidationError(list(report.problems))
    click.echo(report.summary())
    for name, counts in report.counts().items():
        click.echo(f"  by {name}: " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))


HTML_ONLY = ("timeline", "cdn", "tiles", "width", "height", "no_controls")
STATIC_ONLY = ("dpi", "size")


@main.command()
@click.argument("path", required=False)
@click.option("-o", "--output", default=DEFAULT_HTML, show_default=True,
              help="File to write: .html (interactive) or .png/.svg/.pdf (static, drawn with matplotlib).")
@click.option("--title", help="Map title (default: from the data).")
@click.option("--subtitle", help="Line under the title.")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True, help="Language of labels.")
@click.option("--theme", type=click.Choice(list(THEMES)), default="light", show_default=True)
@click.option("--cdn", is_flag=True, help="Link Leaflet from its CDN instead of inlining it (needs network).")
@click.option("--timeline", is_flag=True, help="Add a year slider (with play) that grows the network over time.")
@click.option("--width", help="Map width: pixels (960) or percent (100%, the default).")
@click.option("--height", help="Map height: pixels (540) or percent (100%, the default).")
@click.option("--no-controls", "no_controls", is_flag=True, help="Only map, title, legend and credit: a clean slide.")
@click.option("--tiles", metavar="NAME", help="Add online tiles (xyzservices name) above the bundled basemap.")
@click.option("--dpi", type=int, help="Static output: dots per inch (default 150).")
@click.option("--size", help="Static output: 16:9 (default), 4:3 or WxH in inches.")
@filter_options
def render(path, output, title, subtitle, lang, theme, selection, **look) -> None:
    """Render the selected ties: an interactive map (HTML) or a static figure (PNG/SVG/PDF)."""
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
        sized = {k: look[k] for k in STATIC_ONLY if look[k]}
        click.echo(save_static(dataset, output, **text, **sized))
        return
    m = build_map(dataset, **text, offline=not look["cdn"], timeline=look["timeline"], width=look["width"],
                  height=look["height"], controls=not look["no_controls"], tiles=look["tiles"])
    click.echo(save_map(m, output))


@main.command()
@click.argument("path", required=False)
@click.option("-o", "--output", default="output/partners.pptx", show_default=True, help="The .pptx to write.")
@click.option("--title", help="Deck title (default: the dataset's title).")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True)
@click.option("--theme", type=click.Choice(list(THEMES)), default="presentation", show_default=True)
@click.option("--date", "dates", multiple=True, metavar="DATE",
              help="Add a slide of the network on DATE (repeatable; default: a few dates chosen from the data).")
@click.option("--dpi", type=int, default=150, show_default=True, help="Resolution of the slide maps.")
@filter_options
def slides(path, output, title, lang, theme, dates, dpi, selection) -> None:
    """Build a PowerPoint deck: all ties, security, economic, the network at a few dates."""
    from .export import save_deck

    dataset = _load_selected(path, selection)
    with click.progressbar(length=1, label="Building slides", file=sys.stderr) as bar:
        def progress(done: int, total: int, label: str) -> None:
            bar.length = total
            bar.update(1, current_item=label)

        written = save_deck(dataset, output, lang=lang, theme=theme, title=title, dates=dates or None,
                            progress=progress, dpi=dpi)
    click.echo(written)


@main.command()
@click.argument("html_file", metavar="OUT.html")
@click.option("--title", help="Iframe title for screen readers (default: the map's title).")
@click.option("--width", default="100%", show_default=True)
@click.option("--height", default="600", show_default=True)
def embed(html_file, title, width, height) -> None:
    """Print an <iframe> snippet that embeds a rendered map in a page or CMS."""
    from .render import embed_snippet

    click.echo(embed_snippet(html_file, title=title, width=width, height=height))


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

        click.echo(save_workbook(dataset, output))
        return
    if fmt == "geojson":
        from .dump import dumps

        text = dumps(dataset)
    else:
        text = format_ties(dataset, fmt) + (totals(dataset) + "\n" if fmt == "table" else "")
    if output:
        from .export import write_text

        click.echo(write_text(output, text))
        return
    click.echo(text, nl=False)


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

        click.echo(save_import(source, output))
        return
    from .dump import dumps
    from .sheets import read_dataset

    click.echo(dumps(read_dataset(source), derived=False), nl=False)


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

    click.echo(save_starter(focal, output, force=force))


@main.command(name="diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True,
              help="md: a changelog or pull-request description.")
@click.option("--exit-code", "exit_code", is_flag=True, help="Exit 1 when the files differ, as git diff does.")
def diff_(old, new, fmt, exit_code) -> None:
    """Show the partners and ties added, removed and changed from OLD to NEW, field by field."""
    from .changes import diff, format_diff
    from .reader import load

    changes = diff(load(old), load(new))
    click.echo(format_diff(changes, fmt, old, new), nl=False)
    if exit_code and changes:
        sys.exit(1)


@main.command()
@click.argument("path", required=False)
@click.option("--format", "fmt", type=click.Choice(CITE_FORMATS), default="md", show_default=True)
@filter_options
def sources(path, fmt, selection) -> None:
    """Print the bibliography of every source cited by the selected ties."""
    from .cite import bibliography

    click.echo(bibliography(_load_selected(path, selection), fmt), nl=False)


@main.command()
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def types(lang, fmt) -> None:
    """Print the vocabulary: categories, tie types, statuses, kinds, with labels."""
    from .theme import vocabulary

    vocab = vocabulary(lang)
    if fmt == "json":
        click.echo(json.dumps(vocab, ensure_ascii=False, indent=2))
        return
    for group, terms in vocab.items():
        click.echo(f"{group}:")
        for term in terms:
            extra = f"  [{term['categories']}]" if "categories" in term else ""
            click.echo(f"  {term['value']:<24} {term['label']}{extra}")
