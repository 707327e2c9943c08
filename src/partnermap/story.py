"""Stories: an argument told step by step, each step a view of the network with its sources.

A story is a Markdown file a person writes and reviews in a pull request
(format: docs/stories.md). It starts with a front matter block (the story's
title), then each step is a front matter block — its headline, its view
(any filter, ``as_of``, ``changes_since``, the partners to ``focus`` on) and
the tie ids it ``cite``s — followed by its text in a Markdown subset
(``text.markdown_subset``). Text in another language follows a line
``::: <lang>``; keys take ``_<lang>`` (``headline_ja``).

``read_story`` checks the file on its own (every problem one line naming the
file and line); ``plan`` checks it against the data — an unknown tie id,
filter value or partner, a step that selects nothing, a cited tie the step
does not show — and returns each step's view and scene, which the page
(``render.build_story``) and the deck (``slides.build_story_deck``) draw.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import EmptySelection, Problem, UsageError, ValidationError
from .filters import Selection, resolve_partners, select
from .i18n import LANG_TAG, check_lang, warn_fallback
from .model import Dataset
from .scenes import Scene, scene
from .text import markdown_subset

MAX_STORY_BYTES = 2 * 1024 * 1024
FILTER_KEYS = {"category": "categories", "type": "types", "partner": "partners", "status": "statuses",
               "since": "since", "until": "until", "as_of": "as_of", "changes_since": "changes_since"}
LIST_KEYS = ("category", "type", "partner", "status", "focus", "cite")
STEP_KEYS = ("headline", *FILTER_KEYS, "focus", "cite")
STORY_KEYS = ("title", "subtitle", "data", "theme")
TRANSLATABLE = {"headline", "title", "subtitle"}
_LANG_LINE = re.compile(r"^:::\s*([A-Za-z0-9-]{2,20})\s*$")


@dataclass(frozen=True)
class Step:
    """One step: its headline and text per language, its view, what it cites; ``line`` where it starts."""

    line: int
    headline: tuple[tuple[str, str], ...]  # (lang, text), English first
    text: tuple[tuple[str, str], ...]  # (lang, Markdown source)
    filters: tuple[tuple[str, object], ...]  # Selection.build keyword arguments
    focus: tuple[str, ...]
    cite: tuple[str, ...]
    lines: tuple[tuple[str, int], ...]  # key -> line, for messages

    def headline_in(self, lang: str) -> str:
        return dict(self.headline).get(lang) or dict(self.headline)["en"]

    def text_in(self, lang: str) -> str:
        texts = dict(self.text)
        return texts.get(lang) or texts.get("en", "")

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, self.line)


@dataclass(frozen=True)
class Story:
    path: str
    title: tuple[tuple[str, str], ...]
    subtitle: tuple[tuple[str, str], ...]
    data: str | None  # the partner file, relative to the story; None: the bundled dataset
    theme: str | None
    steps: tuple[Step, ...]

    def title_in(self, lang: str) -> str:
        return dict(self.title).get(lang) or dict(self.title).get("en", "")

    def subtitle_in(self, lang: str) -> str:
        return dict(self.subtitle).get(lang) or dict(self.subtitle).get("en", "")

    def languages(self) -> frozenset[str]:
        langs = {lang for lang, _ in self.title} | {lang for lang, _ in self.subtitle}
        for s in self.steps:
            langs |= {lang for lang, _ in s.headline} | {lang for lang, _ in s.text}
        return frozenset(langs)

    def data_path(self) -> Path | None:
        return None if self.data is None else (Path(self.path).parent / self.data)


@dataclass(frozen=True)
class StepView:
    """A step ready to draw: its view of the data and the scene of that view."""

    step: Step
    view: Dataset
    scene: Scene
    headline: str
    blocks: list  # text.markdown_subset of the step's text in the chosen language


def _value(raw: str, key: str) -> object:
    raw = raw.strip()
    if key.split("_")[0] in LIST_KEYS or key in LIST_KEYS:
        inner = raw[1:-1] if raw.startswith("[") and raw.endswith("]") else raw
        return tuple(v.strip().strip("\"'") for v in inner.split(",") if v.strip())
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    return raw


def _front_matter(lines: list[tuple[int, str]], file: str, allowed: tuple[str, ...],
                  problems: list[Problem]) -> tuple[dict[str, object], dict[str, int]]:
    """``key: value`` lines -> values and the line of each key; unknown keys are problems."""
    out: dict[str, object] = {}
    where: dict[str, int] = {}
    for number, line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, raw = line.partition(":")
        key = key.strip().replace("-", "_")
        base, _, lang = key.partition("_") if key.split("_", 1)[0] in TRANSLATABLE else (key, "", "")
        if key in ("as_of", "changes_since"):
            base, lang = key, ""
        if not sep or base not in allowed or (lang and not LANG_TAG.fullmatch(lang)):
            shown = repr(key[:40])
            problems.append(Problem(file, f"{shown}: unknown key; expected one of: {', '.join(allowed)} "
                                          "(and <key>_<lang> for headline, title, subtitle)", line=number))
            continue
        if key in out:
            problems.append(Problem(file, f"{key}: given twice in one block", line=number))
        out[key] = _value(raw, base)
        where[key] = number
    return out, where


def _translations(values: dict, key: str) -> tuple[tuple[str, str], ...]:
    out = [("en", str(values[key]))] if values.get(key) else []
    out += sorted((k.split("_", 1)[1], str(v)) for k, v in values.items() if k.startswith(key + "_") and v)
    return tuple(out)


def _texts(body: list[tuple[int, str]]) -> tuple[tuple[str, str], ...]:
    texts: dict[str, list[str]] = {"en": []}
    lang = "en"
    for _, line in body:
        m = _LANG_LINE.match(line)
        if m:
            lang = m.group(1)
            texts.setdefault(lang, [])
            continue
        texts[lang].append(line)
    return tuple((k, "\n".join(v).strip()) for k, v in texts.items() if "\n".join(v).strip())


def read_story(path: str | os.PathLike[str]) -> Story:
    """Read and check a story file on its own; raise ``ValidationError`` with every problem."""
    p = Path(path)
    name = str(path)
    if not p.is_file():
        raise UsageError(f"{name}: no such story file")
    raw = p.open("rb").read(MAX_STORY_BYTES + 1)
    if len(raw) > MAX_STORY_BYTES:
        raise ValidationError([Problem(name, f"story is larger than {MAX_STORY_BYTES // 2**20} MiB")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError([Problem(name, f"not UTF-8: invalid byte at offset {exc.start}")]) from None
    lines = list(enumerate(text.splitlines(), start=1))
    fences = [n for n, line in lines if line.rstrip() == "---"]
    problems: list[Problem] = []
    if len(fences) < 2 or lines[fences[0] - 1][0] != fences[0] or any(line.strip() for n, line in lines
                                                                       if n < fences[0]):
        raise ValidationError([Problem(name, "a story starts with a front matter block between two '---' lines "
                                             "(title: ...); see docs/stories.md", line=1)])
    # blocks between fences: [story meta, body, step meta, body, step meta, body, ...]
    chunks = [[(n, line) for n, line in lines if a < n < b] for a, b in zip(fences, [*fences[1:], len(lines) + 1],
                                                                           strict=True)]
    meta, _lines = _front_matter(chunks[0], name, STORY_KEYS, problems)
    if not meta.get("title"):
        problems.append(Problem(name, "title: missing; the story's title", line=fences[0]))
    if chunks[1] and any(line.strip() for _, line in chunks[1]) and len(chunks) == 2:
        problems.append(Problem(name, "text before the first step: put each step's front matter between '---' "
                                      "lines before its text", line=chunks[1][0][0]))
    steps = []
    rest = chunks[2:] if len(chunks) > 2 else []
    # chunks[1] is the (empty) space between the story's block and the first step's
    for i in range(0, len(rest), 2):
        head = rest[i]
        body = rest[i + 1] if i + 1 < len(rest) else []
        start = fences[2 + i] if 2 + i < len(fences) else 1
        values, where = _front_matter(head, name, STEP_KEYS, problems)
        if not values.get("headline"):
            problems.append(Problem(name, "headline: missing; every step has a headline", line=start))
            continue
        filters = tuple((FILTER_KEYS[k], v) for k, v in values.items() if k in FILTER_KEYS)
        steps.append(Step(line=start, headline=_translations(values, "headline"), text=_texts(body),
                          filters=filters, focus=tuple(values.get("focus", ())), cite=tuple(values.get("cite", ())),
                          lines=tuple(where.items())))
    if not steps and not problems:
        problems.append(Problem(name, "no steps: after the title block, give each step as a '---' block "
                                      "(headline: ...) and its text", line=fences[-1]))
    if problems:
        raise ValidationError(problems)
    theme = meta.get("theme")
    return Story(path=name, title=_translations(meta, "title"), subtitle=_translations(meta, "subtitle"),
                 data=str(meta["data"]) if meta.get("data") else None, theme=str(theme) if theme else None,
                 steps=tuple(steps))


def plan(story: Story, dataset: Dataset, *, lang: str = "en", theme: str = "light") -> list[StepView]:
    """Every step's view and scene; every problem with the data at once, each naming its line."""
    langs = tuple(sorted(story.languages()))
    lang = check_lang(lang, dataset, also=langs)
    warn_fallback(dataset, lang)  # once for the story, not once per step
    problems: list[Problem] = []
    all_ties = {t.id for t in dataset.ties}
    out: list[StepView] = []
    for step in story.steps:
        before = len(problems)
        try:
            kwargs = dict(step.filters)
            sel = Selection.build(**kwargs)
        except UsageError as exc:
            key = next((k for k in FILTER_KEYS if str(exc).startswith(f"unknown {k}") or f"--{k.replace('_', '-')}"
                        in str(exc)), None)
            problems.append(Problem(story.path, str(exc), line=step.line_of(key) if key else step.line))
            continue
        focus: tuple[str, ...] = ()
        for key, ids in (("partner", sel.partners), ("focus", step.focus)):
            try:
                resolved = resolve_partners(dataset, ids) if ids else frozenset()
            except UsageError as exc:
                problems.append(Problem(story.path, f"{key}: {exc}", line=step.line_of(key)))
                continue
            if key == "focus":
                focus = tuple(sorted(resolved))
        unknown = [c for c in step.cite if c not in all_ties]
        if unknown:
            problems.append(Problem(story.path, f"cite: no tie {', '.join(repr(u[:40]) for u in unknown)} in "
                                                f"{dataset.source}", line=step.line_of("cite")))
        if len(problems) > before:
            continue
        try:
            view = select(dataset, sel)
        except EmptySelection as exc:
            problems.append(Problem(story.path, f"the step's view shows nothing: {exc}", line=step.line))
            continue
        except UsageError as exc:
            problems.append(Problem(story.path, str(exc), line=step.line))
            continue
        shown = {t.id for t in view.ties}
        hidden = [c for c in step.cite if c not in shown]
        if hidden:
            problems.append(Problem(story.path, f"cite: {', '.join(hidden)} is not in this step's view; "
                                                "widen the view or cite what it shows", line=step.line_of("cite")))
            continue
        sc = scene(view, lang=lang, theme=theme, title=step.headline_in(lang), subtitle="", focus=focus, warn=False,
                   languages=langs)
        out.append(StepView(step, view, sc, step.headline_in(lang), markdown_subset(step.text_in(lang))))
    if problems:
        raise ValidationError(problems)
    return out


def load_story(path: str | os.PathLike[str], *, lang: str = "en", theme: str | None = None):
    """Read a story and its data, check both: (story, dataset, steps ready to draw)."""
    from .reader import load

    story = read_story(path)
    dataset = load(story.data_path())
    return story, dataset, plan(story, dataset, lang=lang, theme=theme or story.theme or "light")
