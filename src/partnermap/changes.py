"""``partnermap diff``: what changed between two versions of a partner file.

Partners and ties are matched by id; each change is reported field by field
(dates step by step, sources by their citation), as text, Markdown (a
changelog or a pull-request description) or JSON. A territory drawn in the
file is compared too (another country's polygon pasted in is a change): it is
reported as ``geometry: changed`` with each side summed up (from codes, or its
area and bounds), never as coordinates. Territories from codes on both sides
are not compared: they follow the ids and members, whose changes are reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .model import Dataset, Partner

FORMATS = ("text", "md", "json")


@dataclass(frozen=True)
class Change:
    """One difference: ``kind`` is added, removed or changed; ``what`` is metadata, partner or tie."""

    kind: str
    what: str
    id: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    partner: str | None = None  # for a tie: the partner it is filed under (in NEW when it exists there)


def _record(doc: dict) -> tuple[dict, dict[str, dict], dict[str, tuple[str, dict]]]:
    meta = dict(doc["metadata"])
    meta.pop("view", None)
    partners, ties = {}, {}
    for f in doc["features"]:
        props = dict(f["properties"])
        for t in props.pop("ties"):
            ties[t["id"]] = (props["id"], t)
        partners[props["id"]] = props
    return meta, partners, ties


def _flat(obj: dict, prefix: str = "") -> dict[str, str]:
    """Fields as text, one per line of a diff: dates step by step, sources by citation."""
    out: dict[str, str] = {}
    for key, value in obj.items():
        if key in ("sources", "change"):
            continue
        name = prefix + key
        if isinstance(value, dict):
            out.update(_flat(value, name + "."))
        elif isinstance(value, list):
            out[name] = ", ".join(str(v) for v in value)
        else:
            out[name] = "yes" if value is True else str(value)
    return out


def _citation(source: dict) -> str:
    parts = [source.get("author"), source["title"], source.get("container"), source["publisher"], source["date"],
             source.get("locator"), source.get("url")]
    return " · ".join(p for p in parts if p)


def _fields(what: str, rid: str, old: dict, new: dict, partner: str | None = None) -> list[Change]:
    a, b = _flat(old), _flat(new)
    out = [Change("changed", what, rid, k, a.get(k), b.get(k), partner)
           for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    if what == "tie":
        before = [_citation(s) for s in old.get("sources", [])]
        after = [_citation(s) for s in new.get("sources", [])]
        out += [Change("changed", what, rid, "sources", s, None, partner) for s in before if s not in after]
        out += [Change("changed", what, rid, "sources", None, s, partner) for s in after if s not in before]
    return out


def diff(old: Dataset, new: Dataset) -> tuple[Change, ...]:
    """Every difference from ``old`` to ``new``: metadata, partners added/removed/changed, then ties."""
    from .dump import to_feature_collection

    m0, p0, t0 = _record(to_feature_collection(old, derived=False))
    m1, p1, t1 = _record(to_feature_collection(new, derived=False))
    for docs in (p0, p1):
        for props in docs.values():
            props.pop("anchor", None)
    anchors0 = {p.id: p.anchor for p in old.partners}
    anchors1 = {p.id: p.anchor for p in new.partners}
    out = _fields("metadata", "metadata", m0, m1)

    def with_ties(pid: str, ties: dict) -> str:
        ids = [tid for tid, (p, _) in ties.items() if p == pid]
        name = (p1 if ties is t1 else p0)[pid]["name"]
        return f"{name}, with {len(ids)} tie{'s' * (len(ids) != 1)}: {', '.join(ids)}"

    # a partner added or removed brings its ties with it: one change, not one per tie
    for pid in p1.keys() - p0.keys():
        out.append(Change("added", "partner", pid, new=with_ties(pid, t1)))
    for pid in p0.keys() - p1.keys():
        out.append(Change("removed", "partner", pid, old=with_ties(pid, t0)))
    for pid in sorted(p0.keys() & p1.keys()):
        out += _fields("partner", pid, p0[pid], p1[pid])
        if anchors0[pid] != anchors1[pid]:
            out.append(Change("changed", "partner", pid, "anchor", _pair(anchors0[pid]), _pair(anchors1[pid])))
        territory = _territory_change(old.partner(pid), new.partner(pid))
        if territory is not None:
            out.append(territory)
    for tid in t1.keys() - t0.keys():
        if t1[tid][0] in p0:
            out.append(Change("added", "tie", tid, new=t1[tid][1]["title"], partner=t1[tid][0]))
    for tid in t0.keys() - t1.keys():
        if t0[tid][0] in p1:
            out.append(Change("removed", "tie", tid, old=t0[tid][1]["title"], partner=t0[tid][0]))
    for tid in sorted(t0.keys() & t1.keys()):
        (pa, a), (pb, b) = t0[tid], t1[tid]
        if pa != pb:
            out.append(Change("changed", "tie", tid, "partner", pa, pb, pb))
        out += _fields("tie", tid, a, b, pb)
    order = {"metadata": 0, "partner": 1, "tie": 2}
    kinds = {"added": 0, "removed": 1, "changed": 2}
    return tuple(sorted(out, key=lambda c: (order[c.what], kinds[c.kind], c.id)))


def _territory_change(a: Partner, b: Partner) -> Change | None:
    """A change of territory when either side draws its own (``geometry`` in the file), else None."""
    import shapely

    if a.derived and b.derived:
        return None
    ga, gb = a.geometry, b.geometry
    if shapely.equals_exact(shapely.normalize(ga), shapely.normalize(gb), tolerance=1e-9):
        return None
    old, new = territory_summary(a), territory_summary(b)
    if old == new:
        new += " (vertices moved)"
    return Change("changed", "partner", b.id, "geometry", old, new)


def territory_summary(p: Partner) -> str:
    """A territory in words: the codes it comes from, or the drawn shape's parts, area and bounds."""
    import shapely
    from pyproj import Geod

    if p.derived:
        codes = p.territory if len(p.territory) <= 4 else (*p.territory[:3], f"… {len(p.territory)} in all")
        return f"from codes ({', '.join(codes)})"
    geom = p.geometry
    parts = len(shapely.get_parts(geom))
    area = abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6
    x0, y0, x1, y1 = geom.bounds
    return (f"drawn in the file: {parts} part{'s' * (parts != 1)}, {_round3(area):,} km², "
            f"lon {x0:.1f} to {x1:.1f}, lat {y0:.1f} to {y1:.1f}")


def _round3(value: float) -> int:
    """A number to three significant figures (an area to read, not to compute with)."""
    if value < 1:
        return round(value)
    digits = len(str(int(value)))
    return int(round(value, 3 - digits))


def _pair(anchor: tuple[float, float]) -> str:
    return f"[{anchor[0]}, {anchor[1]}]"


def _line(c: Change) -> str:
    who = f"{c.what} {c.id}" + (f" ({c.partner})" if c.what == "tie" and c.partner else "")
    if c.kind == "added":
        return f"+ {who}: {c.new}"
    if c.kind == "removed":
        return f"- {who}: {c.old}"
    if c.field == "sources":
        return f"~ {who}: source {'added' if c.new else 'removed'}: {c.new or c.old}"
    if c.field == "geometry":
        return f"~ {who}: geometry: changed: {c.old} -> {c.new}"
    before = c.old if c.old is not None else "(none)"
    after = c.new if c.new is not None else "(none)"
    return f"~ {who}: {c.field}: {before} -> {after}"


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


def format_diff(changes: tuple[Change, ...], fmt: str = "text", old_name: str = "OLD",
                new_name: str = "NEW") -> str:
    """The changes as ``text`` (one line each), ``md`` (a changelog) or ``json``."""
    if fmt == "json":
        return json.dumps({"old": old_name, "new": new_name, "changes": [c.__dict__ for c in changes]},
                          ensure_ascii=False, indent=2) + "\n"
    flat = tuple(Change(c.kind, c.what, c.id, c.field, _one_line(c.old), _one_line(c.new), c.partner)
                 for c in changes)  # a newline in a summary never splits a line of the diff
    if fmt == "text":
        if not flat:
            return f"{old_name} and {new_name}: no differences\n"
        return "".join(_line(c) + "\n" for c in flat)
    return _markdown(flat, old_name, new_name)


def _md(text: str | None) -> str:
    """Text in a Markdown line, its markup characters escaped."""
    if text is None:
        return "*(none)*"
    return "".join("\\" + ch if ch in "\\`*_[]<>|~" else ch for ch in text)


def _markdown(changes: tuple[Change, ...], old_name: str, new_name: str) -> str:
    lines = [f"## Changes from {_md(old_name)} to {_md(new_name)}", ""]
    if not changes:
        return "\n".join([*lines, "No differences.", ""])
    titles = {("added", "partner"): "Partners added", ("removed", "partner"): "Partners removed",
              ("added", "tie"): "Ties added", ("removed", "tie"): "Ties removed"}
    for (kind, what), title in titles.items():
        group = [c for c in changes if c.kind == kind and c.what == what]
        if group:
            lines += [f"### {title}", ""]
            for c in group:
                where = f" ({_md(c.partner)})" if c.partner else ""
                lines.append(f"- `{c.id}`{where}: {_md(c.new if kind == 'added' else c.old)}")
            lines.append("")
    changed = [c for c in changes if c.kind == "changed"]
    for what, title in (("metadata", "Metadata changed"), ("partner", "Partners changed"), ("tie", "Ties changed")):
        group = [c for c in changed if c.what == what]
        if not group:
            continue
        lines += [f"### {title}", "", "| id | field | before | after |", "|---|---|---|---|"]
        for c in group:
            lines.append(f"| `{c.id}` | {_md(c.field)} | {_md(c.old)} | {_md(c.new)} |")
        lines.append("")
    return "\n".join(lines)
