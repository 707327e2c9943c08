"""The bibliography of the ties shown: Markdown, BibTeX or CSL-JSON.

An analyst pastes this under a slide or into a paper, so the same source
cited by ten ties appears once, in a stable order (publisher, date, title).
A curator can ask for the ties' curation remarks too (``curation=True``,
Markdown only): they follow the list, one per tie, and stay out of every
other output, so a bibliography for an audience never carries them.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from typing import TYPE_CHECKING

from .errors import UsageError
from .text import bibtex, bibtex_url, markdown_url, safe_url
from .text import markdown as md

if TYPE_CHECKING:  # the records are only annotations here: `partnermap --help` imports this module
    from .model import Dataset, Source

FORMATS = ("md", "bibtex", "csl-json")


def sources_of(dataset: Dataset) -> list[tuple[Source, tuple[str, ...]]]:
    """Each distinct work cited, with the ids of the ties citing it.

    Citations of one work at different places (the commentary's sections) are
    one entry whose ``locator`` lists those places: a bibliography names a
    work once.
    """
    ties: dict[Source, list[str]] = {}
    places: dict[Source, set[str]] = {}
    for tie in dataset.ties:
        for src in tie.sources:
            work = dataclasses.replace(src, locator=None)
            if tie.id not in ties.setdefault(work, []):
                ties[work].append(tie.id)
            if src.locator:
                places.setdefault(work, set()).add(src.locator)
    merged = [(dataclasses.replace(w, locator="; ".join(sorted(places[w])) if w in places else None), tuple(t))
              for w, t in ties.items()]
    return sorted(merged, key=lambda e: (e[0].publisher.casefold(), e[0].date is None, e[0].date_text,
                                         e[0].title.casefold(), e[0].url or ""))


SHORT_PUBLISHER, SHORT_TITLE = 60, 80


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, ending with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    aside = cut.rfind(" (")  # drop a parenthesis whole ("EEAS (copy at …)") rather than cut into it
    space = aside if aside > limit // 3 else cut.rfind(" ")
    return (cut[:space] if space > limit // 3 else cut).rstrip(" ,;:—–-") + "…"


def short_line(src: Source) -> str:
    """One source as a presenter reads it out: "Publisher, date — short title" (no URL)."""
    return f"{shorten(src.publisher, SHORT_PUBLISHER)}, {src.date_text} — {shorten(src.title, SHORT_TITLE)}"


def _markdown(entries: list[tuple[Source, tuple[str, ...]]]) -> str:
    """One list item per work; every field through ``text.markdown``, the URL as an escaped autolink."""
    lines = []
    for s, ties in entries:
        parts = [md(s.author) if s.author else None, f"“{md(s.title)}”",
                 f"*{md(s.container)}*" if s.container else None, md(s.publisher), md(s.date_text)]
        body = ", ".join(p for p in parts if p)
        body += "" if body.endswith(".") else "."  # "n.d." already ends the sentence
        if s.url and safe_url(s.url):
            body += f" {markdown_url(s.url)}"
        elif s.locator:
            body += f" ({md(s.locator)})"
        lines.append(f"- {body} Cited for: {md(', '.join(ties))}.")
    return "\n".join(lines) + "\n"


class _Keys:
    """Citation keys ``Publisher2025``, ``Publisher2025a``…: each in constant time (a counter per base)."""

    def __init__(self):
        self.used: set[str] = set()
        self.next: dict[str, int] = {}

    def __call__(self, s: Source) -> str:
        ascii_pub = unicodedata.normalize("NFKD", s.publisher).encode("ascii", "ignore").decode()
        base = (re.sub(r"[^A-Za-z0-9]", "", ascii_pub)[:16] or "source") + (str(s.date.year) if s.date else "nd")
        n = self.next.get(base, 0)
        key = base if n == 0 else f"{base}{_suffix(n)}"
        while key in self.used:
            n += 1
            key = f"{base}{_suffix(n)}"
        self.next[base] = n + 1
        self.used.add(key)
        return key


def _suffix(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> 27 (numbers after the alphabet)."""
    return chr(ord("a") + n - 1) if n <= 26 else str(n)


def _bibtex(entries: list[tuple[Source, tuple[str, ...]]]) -> str:
    """@misc entries; every field through ``text.bibtex`` (the URL through ``text.bibtex_url``)."""
    key = _Keys()
    out = []
    for s, ties in entries:
        fields = [("title", s.title), ("author", s.author), ("booktitle", s.container),
                  ("publisher", s.publisher), ("year", str(s.date.year) if s.date else "n.d."),
                  ("month", str(s.date.month) if s.date and s.date.month else None),
                  ("day", str(s.date.day) if s.date and s.date.day else None),
                  ("url", s.url if s.url and safe_url(s.url) else None),
                  ("note", "; ".join(x for x in (s.locator, "cited for " + ", ".join(ties)) if x))]
        body = ",\n".join(f"  {k} = {{{bibtex_url(v) if k == 'url' else bibtex(v)}}}" for k, v in fields if v)
        out.append(f"@misc{{{key(s)},\n{body}\n}}")
    return "\n\n".join(out) + "\n"


def _csl(entries: list[tuple[Source, tuple[str, ...]]]) -> str:
    key = _Keys()
    items = []
    for s, ties in entries:
        item: dict = {
            "id": key(s),
            "type": "chapter" if s.container else "document",
            "title": s.title,
            "publisher": s.publisher,
            "note": "; ".join(x for x in (s.locator, "cited for " + ", ".join(ties)) if x),
        }
        if s.date:
            item["issued"] = {"date-parts": [[p for p in (s.date.year, s.date.month, s.date.day) if p]]}
        if s.author:
            item["author"] = [{"literal": s.author}]
        if s.container:
            item["container-title"] = s.container
        if s.url:
            item["URL"] = s.url
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def _curation(dataset: Dataset) -> str:
    """The curators' remarks of the ties cited, one item per tie, through ``text.markdown``."""
    items = [f"- {md(t.id)}: {md(t.curation)}" for t in dataset.ties if t.curation]
    if not items:
        return ""
    return "\nCuration remarks (for curators; no map shows them):\n\n" + "\n".join(items) + "\n"


def bibliography(dataset: Dataset, fmt: str = "md", *, curation: bool = False) -> str:
    """The works the ties cite, in ``fmt``; with ``curation`` (md only) the ties' curation remarks after them."""
    if curation and fmt != "md":
        raise UsageError(f"curation remarks are written in md output only, not {fmt}")
    entries = sources_of(dataset)
    text = {"md": _markdown, "bibtex": _bibtex, "csl-json": _csl}[fmt](entries)
    return text + _curation(dataset) if curation else text
