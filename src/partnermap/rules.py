"""The drawing rules, as pure functions: the Python reference of ``assets/js/rules.js``.

Whatever the browser must re-evaluate while a presenter ticks a type off or
scrubs the timeline is decided here, and the same function exists in
``rules.js`` under the camelCase name. ``tests/data/rules/*.json`` holds golden
vectors that pytest (``tests/test_rules.py``) and ``node --test``
(``tests/js/rules.test.mjs``) both assert, so the two cannot drift.

Inputs are plain: a tie is a ``Fact`` (category, type, friction, the status
on the day shown, its change mark); days are integers (days since
1970-01-01, ``day_number``), so the browser compares numbers. The encoding
these rules implement is written down in docs/scene.md.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .dates import EPOCH, day_number  # noqa: F401  (day numbers: the browser's dates)
from .vocab import ENTERS_INTO_FORCE, STANDING, STANDING_RANK, TERMINAL_STATUSES, Category, Status

CATEGORY_ORDER = tuple(c.value for c in Category)
TERMINAL = frozenset(s.value for s in TERMINAL_STATUSES)
IN_EFFECT = frozenset({Status.IN_FORCE.value, Status.HELD.value})
_SIGNED = Status.SIGNED.value  # a plain str: the enum property costs more than the comparison
TREATY_TYPES = frozenset(t.value for t in ENTERS_INTO_FORCE)
TIER = {t.value: STANDING_RANK[s] for t, s in STANDING.items()}
TIERS = len(STANDING_RANK)
CONTESTED = "contested"


def day_from_number(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=n)


@dataclass(frozen=True, slots=True)
class Fact:
    """One tie as the rules see it on the day shown."""

    category: str
    type: str
    friction: bool
    status: str | None  # None: the tie does not exist yet on that day
    change: str | None = None  # "new", "advanced", "ended" (changes-since mode) or None


def status_at(steps: Sequence[Sequence], day: int) -> str | None:
    """The status on ``day`` from a tie's steps ``[[day, status], ...]`` (sorted; computed by ``lifecycle``)."""
    status = None
    for step_day, step_status in steps:
        if step_day > day:
            break
        status = step_status
    return status


def in_effect(tie_type: str, status: str | None) -> bool:
    """In force or held; or signed, for a kind of tie that never has to enter into force (a declaration)."""
    return status in IN_EFFECT or (status == _SIGNED and tie_type not in TREATY_TYPES)


def is_live(status: str | None) -> bool:
    """Part of the network on that day: it exists and has not ended or been cancelled."""
    return status is not None and status not in TERMINAL


def is_shown(fact: Fact, shown_types: frozenset[str] | None = None,
             shown_statuses: frozenset[str] | None = None) -> bool:
    """On the map: it exists on the day, and its type and its status *on that day* are ticked."""
    if fact.status is None:
        return False
    if shown_types is not None and fact.type not in shown_types:
        return False
    return shown_statuses is None or fact.status in shown_statuses


def tally(facts: Iterable[Fact]) -> dict[str, list[int]]:
    """The one counting rule: per category, [ties shown, of which ended or cancelled]."""
    out: dict[str, list[int]] = {}
    for f in facts:
        row = out.setdefault(f.category, [0, 0])
        row[0] += 1
        row[1] += f.status in TERMINAL
    return {c: out[c] for c in CATEGORY_ORDER if c in out}


@dataclass(frozen=True)
class LinkState:
    """How one link (one partner, one category) looks, from the ties it stands for."""

    count: int  # ties still in the network (all of them if every one ended): sets the width
    ended: bool  # every tie ended or was cancelled
    pending: bool  # no live cooperative tie is in effect yet (dashed)
    friction: bool  # some tie is friction (a dotted vermillion mark over the line)
    cooperative: int  # live cooperative ties; 0 with friction: a friction-only link
    changed: bool  # some tie changed since --changes-since

    def to_dict(self) -> dict:
        return {"count": self.count, "ended": self.ended, "pending": self.pending, "friction": self.friction,
                "cooperative": self.cooperative, "changed": self.changed}


def link_state(facts: Sequence[Fact]) -> LinkState | None:
    if not facts:
        return None
    live = [f for f in facts if is_live(f.status)]
    coop = [f for f in live if not f.friction]
    return LinkState(
        count=len(live) or len(facts),
        ended=not live,
        pending=bool(coop) and not any(in_effect(f.type, f.status) for f in coop),
        friction=any(f.friction for f in facts),
        cooperative=len(coop),
        changed=any(f.change for f in facts),
    )


@dataclass(frozen=True)
class Primary:
    """What a partner's territory says: its fill and whether friction is marked on it."""

    fill: str | None  # a category, "contested", or None (nothing live and cooperative to show)
    friction: bool
    tier: int | None  # 0 = alliance ... (vocab.STANDING); None without a cooperative tie
    pending: bool = False  # no cooperative tie in effect on the day: the fill is its deepest signed tie, hatched

    def to_dict(self) -> dict:
        return {"fill": self.fill, "friction": self.friction, "tier": self.tier, "pending": self.pending}


def tie_rank(fact: Fact) -> tuple[int, int]:
    """Deeper ties first; between equals, the category order (security, economic, diplomatic)."""
    return (TIER[fact.type], CATEGORY_ORDER.index(fact.category))


def primary(facts: Sequence[Fact], relationship: str = "partner") -> Primary | None:
    """A partner's primary relationship: the category of its deepest cooperative tie *in effect* on
    the day shown (in force or held; a declaration once signed).

    Never the most numerous category: tariffs imposed on an ally are friction,
    never what colours it. A treaty only signed is not yet a relationship in
    effect: when no cooperative tie is in effect, the fill is the deepest live one
    and ``pending`` (drawn hatched and light). A relationship the data calls
    contested is ``"contested"`` whatever its ties. None when nothing is shown at all.
    """
    if not facts:
        return None
    friction = any(f.friction for f in facts)
    coop = [f for f in facts if is_live(f.status) and not f.friction]
    effective = [f for f in coop if in_effect(f.type, f.status)]
    best = min(effective or coop, key=tie_rank) if coop else None
    tier = TIER[best.type] if best else None
    pending = bool(coop) and not effective
    if relationship == CONTESTED:
        return Primary(CONTESTED, friction, tier, pending)
    return Primary(best.category if best else None, friction, tier, pending)


def link_width(count: int, max_count: int, weight_min: float, weight_max: float) -> float:
    """Width by the square root of the number of ties, relative to the widest link of its category."""
    return weight_min + (weight_max - weight_min) * math.sqrt(count / max(1, max_count))


def link_style(state: LinkState, max_count: int, category: str, style: dict, changes: bool = False) -> dict:
    """Stroke of a link and of its friction mark, from the theme's numbers (``theme.Theme.rules_style``)."""
    weight = link_width(state.count, max_count, style["weightMin"], style["weightMax"])
    overlay = None
    if state.ended:
        color, dash = style["ended"], style["dashPending"]
    elif state.cooperative == 0 and state.friction:
        color, dash = style["friction"], style["dashFriction"]
    else:
        color = style["category"][category]
        dash = style["dashPending"] if state.pending else None
        if state.friction:
            overlay = {"color": style["friction"], "dash": style["dashFriction"],
                       "weight": max(style["weightMin"], weight * style["frictionMarkRatio"])}
    opacity = style["lineOpacity"]
    if changes:
        if state.changed:
            weight += style["highlight"]
        else:
            opacity = style["muted"]
    if overlay is not None:
        overlay["opacity"] = opacity
    return {"color": color, "weight": weight, "opacity": opacity, "dash": dash, "overlay": overlay}


def fill_style(prim: Primary | None, style: dict) -> dict | None:
    """A state's territory: fill colour and strength (deeper ties stronger), hatched when contested
    or when only pending (signed, not in effect), and the friction outline."""
    if prim is None:
        return None
    hatch = False
    if prim.fill == CONTESTED:
        color, opacity, hatch = style["contested"], style["fillContested"], True
    elif prim.fill is None:
        color, opacity = None, 0.0
    elif prim.pending:
        color, opacity, hatch = style["category"][prim.fill], style["fillMin"], True
    else:
        depth = 1.0 - (prim.tier or 0) / max(1, TIERS - 1)
        color = style["category"][prim.fill]
        opacity = style["fillMin"] + (style["fillMax"] - style["fillMin"]) * depth
    return {"color": color, "opacity": opacity, "friction": prim.friction, "hatch": hatch}


def grouping_state(kind: str, facts: Sequence[Fact], style: dict) -> dict:
    """An organisation or group as drawn from the ties shown: drawn at all, the category of its
    deepest tie, its colour (organisations in ink, groups in their category's colour, sky blue
    with no cooperative tie shown) and whether friction is among its ties."""
    prim = primary(facts)
    category = prim.fill if prim and prim.fill in style["category"] else None
    if kind == "organisation":
        color = style["organisation"]
    else:
        color = style["category"][category] if category else style["group"]
    return {"drawn": bool(facts), "category": category, "color": color,
            "friction": prim.friction if prim else False}


# Legend rows in the order they are listed; each appears only when something drawn uses it.
LEGEND_ORDER = ("focal", "security", "economic", "diplomatic", "contested", "pending_fill", "in_effect", "pending",
                "friction", "ended", "changed", "unchanged")


def legend_keys(fills: Iterable[Primary | None], links: Iterable[tuple[str, LinkState]],
                changes: bool = False, grouped: Iterable[str] = ()) -> list[str]:
    """The legend rows the map needs, from what is actually drawn, in ``LEGEND_ORDER``; then ``width``
    (the note on line width) when a link is drawn. ``grouped``: the categories that colour the
    groups shown (a group in green needs the diplomatic row). Each grouping shown adds its own
    row (``scene``)."""
    used = {"focal", *grouped}
    for p in fills:
        if p is None:
            continue
        if p.fill:
            used.add(p.fill)
        if p.pending and p.fill and p.fill != CONTESTED:
            used.add("pending_fill")
        if p.friction:
            used.add("friction")
    drawn = False
    for category, s in links:
        drawn = True
        if s.ended:
            used.add("ended")
            continue
        if s.cooperative:
            used.add(category)
            used.add("pending" if s.pending else "in_effect")
        if s.friction:
            used.add("friction")
        if changes:
            used.add("changed" if s.changed else "unchanged")
    keys = [k for k in LEGEND_ORDER if k in used]
    return keys + (["width"] if drawn else [])


def legend_rows(keys: Sequence[str], groupings: Iterable[tuple[str, str, bool]]) -> tuple[list[str], list[str]]:
    """The legend's rows in its two parts, by key: what colours and lines mean (``main``: the
    ``legend_keys`` with the fill rule after the last category and the note on width last),
    then the organisations and groups drawn (``side``: a note per kind, then one row each).
    ``groupings``: (id, kind, shown) in scene order; shown = some tie drawn and its layer on."""
    keys = list(keys)
    cats = [k for k in keys if k in CATEGORY_ORDER]
    main: list[str] = []
    for k in keys:
        if k != "width":
            main.append(k)
        if cats and k == cats[-1]:
            main.append("fill_rule")
    if "width" in keys:
        main.append("width")
    groupings = list(groupings)
    side: list[str] = []
    for kind in ("organisation", "group"):
        ids = [gid for gid, k, shown in groupings if k == kind and shown]
        if ids:
            side += [f"note:{kind}", *(f"grouping:{gid}" for gid in ids)]
    return main, side


def tables() -> dict:
    """The vocabulary tables rules.js is configured with (``configure``), from the same source as here."""
    return {"categoryOrder": list(CATEGORY_ORDER), "terminal": sorted(TERMINAL), "inEffect": sorted(IN_EFFECT),
            "treatyTypes": sorted(TREATY_TYPES), "tier": dict(sorted(TIER.items())), "tiers": TIERS}
