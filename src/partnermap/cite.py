"""The bibliography of the ties shown: Markdown, BibTeX or CSL-JSON.

An analyst pastes this under a slide or into a paper, so the same source
cited by ten ties appears once, in a stable order (publisher, date, title).
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata

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


def _markdown(entries: list[tuple[Source, tuple[str, ...]]]) -> str:
    lines = []
    for s, ties in entries:
        parts = [s.author, f"“{s.title}”", f"*{s.container}*" if s.container else None, s.publisher, s.date_text]
        text = ", ".join(p for p in parts if p)
        text += "" if text.endswith(".") else "."  # "n.d." already ends the sentence
        if s.url:
            text += f" <{s.url}>"
        elif s.locator:
            text += f" ({s.locator})"
        lines.append(f"- {text} Cited for: {', '.join(ties)}.")
    return "\n".join(lines) + "\n"


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(text: str) -> str:
    return "".join(_TEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def _key(s: Source, used: set[str]) -> str:
    ascii_pub = unicodedata.normalize("NFKD", s.publisher).encode("ascii", "ignore").decode()
    base = (re.sub(r"[^A-Za-z0-9]", "", ascii_pub)[:16] or "source") + (str(s.date.year) if s.date else "nd")
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}{chr(ord('a') + n - 2) if n <= 27 else n}"
    used.add(key)
    return key


def _bibtex(entries: list[tuple[Source, tuple[str, ...]]]) -> str:
    used: set[str] = set()
    out = []
    for s, ties in entries:
        fields = [("title", s.title), ("author", s.author), ("booktitle", s.container),
                  ("publisher", s.publisher), ("year", str(s.date.year) if s.date else "n.d."),
                  ("month", str(s.date.month) if s.date and s.date.month else None),
                  ("day", str(s.date.day) if s.date and s.date.day else None), ("url", s.url),
                  ("note", "; ".join(x for x in (s.locator, "cited for " + ", ".join(ties)) if x))]
        body = ",\n".join(f"  {k} = {{{v if k == 'url' else _tex(v)}}}" for k, v in fields if v)
        out.append(f"@misc{{{_key(s, used)},\n{body}\n}}")
    return "\n\n".join(out) + "\n"


def _csl(entries: list[tuple[Source, tuple[str, ...]]]) -> str:
    used: set[str] = set()
    items = []
    for s, ties in entries:
        item: dict = {
            "id": _key(s, used),
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


def bibliography(dataset: Dataset, fmt: str = "md") -> str:
    entries = sources_of(dataset)
    return {"md": _markdown, "bibtex": _bibtex, "csl-json": _csl}[fmt](entries)
