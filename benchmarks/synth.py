"""Synthetic partner networks for benchmarks: any focal country, any number of partners and ties.

Territories are real country shapes from the bundled Natural Earth basemap
(``partnermap.basemap.features()``); organisations and groups get the
union of their members. Every tie is typed, dated and sourced so that the
output passes ``partnermap validate`` (docs/schema.md). The same arguments
always give the same bytes (seeded), so sizes are comparable between runs.

    python benchmarks/synth.py --focal JPN --partners 250 --ties 10000 -o /tmp/big.geojson
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

from shapely.geometry import mapping, shape
from shapely.ops import polylabel, unary_union

from partnermap.basemap import features as basemap_features
from partnermap.vocab import TYPE_CATEGORIES, Kind, TieType

AS_OF = dt.date(2025, 11, 30)
FIRST = dt.date(1990, 1, 1)
# Not a partner: uninhabited, and its anchor would sit on the pole.
EXCLUDED = frozenset({"ATA"})
PUBLISHERS = ("Ministry of Foreign Affairs", "Ministry of Defense", "Prime Minister's Office", "Reuters",
              "Kyodo News", "The Diplomat", "Official Gazette", "Embassy press office")
FRICTION_TYPES = (TieType.TRADE_MEASURE, TieType.INCIDENT, TieType.TARIFF_DEAL)
# Lifecycle shapes: the steps a tie goes through, in order; the last one is its status.
PATTERNS = (
    ("signed", "in_force"),
    ("signed", "in_force"),
    ("held",),
    ("held",),
    ("announced",),
    ("negotiating", "signed"),
    ("negotiating",),
    ("signed", "in_force", "suspended"),
    ("signed", "in_force", "ended"),
    ("announced", "cancelled"),
)
# Keep generated files well-formed for small sizes (at least these non-states when there is room).
MIN_NON_STATES = 2


def _iso(d: dt.date, precision: int = 3) -> str:
    return d.isoformat()[: {1: 4, 2: 7, 3: 10}[precision]]


def _anchor(geom) -> list[float]:
    """A point well inside the largest part (a stand-in for the capital)."""
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda g: g.area)
    p = polylabel(largest, tolerance=0.1)
    return [round(p.x, 2), round(p.y, 2)]


def _dates(rng: random.Random, pattern: tuple[str, ...]) -> dict[str, str]:
    """Strictly increasing days <= AS_OF; the first step sometimes known only to the month or year."""
    span = (AS_OF - FIRST).days
    days = sorted(rng.sample(range(span + 1), len(pattern)))
    out = {step: _iso(FIRST + dt.timedelta(days=d)) for step, d in zip(pattern, days)}
    first = pattern[0]
    day = FIRST + dt.timedelta(days=days[0])
    if day.year < AS_OF.year and rng.random() < 0.15:
        out[first] = _iso(day, rng.choice((1, 2)))  # partial: compares at common precision, still ordered
    return out


def _tie(rng: random.Random, partner: dict, n: int, members: list[str]) -> dict:
    tie_type = rng.choice(list(TieType))
    category = rng.choice(TYPE_CATEGORIES[tie_type])
    pattern = rng.choice(PATTERNS)
    dates = _dates(rng, pattern)
    last_day = max(dates.values())
    friction = tie_type in FRICTION_TYPES and rng.random() < 0.6
    pid = partner["id"]
    tie = {
        "id": f"{pid}-{n:05d}",
        "title": f"{partner['name']} {tie_type.value.replace('_', ' ')} no. {n}",
        "category": category.value,
        "type": tie_type.value,
        "status": pattern[-1],
        "dates": dates,
        "summary": f"Synthetic {category.value} tie number {n} between the focal country and {partner['name']}, "
                   f"generated for benchmarks.",
    }
    if friction:
        tie["nature"] = "friction"
    if members:
        tie["parties"] = sorted(rng.sample(members, k=min(len(members), rng.randint(2, 4))))
    else:
        tie["parties"] = [pid]
    if rng.random() < 0.2:
        tie["note"] = "Synthetic note: the day of entry into force is unverified in this generated record."
    tie["sources"] = [
        {
            "title": f"Press release {n}.{i} on the {tie_type.value.replace('_', ' ')}",
            "publisher": rng.choice(PUBLISHERS),
            "date": last_day,
            **({"url": f"https://example.org/{pid.lower()}/{n}/{i}"} if rng.random() < 0.5 else {}),
        }
        for i in range(rng.randint(1, 2))
    ]
    return tie


def _counts(rng: random.Random, partners: int, ties: int) -> list[int]:
    """Ties per partner: each at least one, the rest skewed (a few partners hold most ties)."""
    counts = [1] * partners
    weights = [1.0 / (i + 1) ** 0.8 for i in range(partners)]
    for i in rng.choices(range(partners), weights=weights, k=ties - partners):
        counts[i] += 1
    return counts


def generate(focal: str = "JPN", partners: int = 50, ties: int = 100, seed: int = 0) -> dict:
    """A valid partner file (as a dict) for ``focal`` with exactly ``partners`` partners and ``ties`` ties."""
    world = {f["properties"]["id"]: f for f in basemap_features()}
    focal = focal.upper()
    if focal not in world:
        raise ValueError(f"focal {focal!r} is not in the bundled basemap (an ISO3 code such as JPN, DEU, BRA)")
    if partners < 1 or ties < partners:
        raise ValueError(f"need 1 <= partners <= ties, got {partners} partners and {ties} ties")
    rng = random.Random(f"{focal}-{partners}-{ties}-{seed}")
    pool = sorted(i for i in world if i != focal and i not in EXCLUDED)
    non_states = max(partners - len(pool), round(partners * 0.1), min(MIN_NON_STATES, partners // 4))
    states = rng.sample(pool, partners - non_states)

    features = []
    for sid in states:
        f = world[sid]
        geom = shape(f["geometry"])
        props = {"id": sid, "name": f["properties"].get("name") or sid, "kind": Kind.STATE.value,
                 "anchor": _anchor(geom)}
        features.append((props, f["geometry"]))
    for j in range(non_states):
        kind = Kind.ORGANISATION if j % 2 == 0 else Kind.GROUP
        members = sorted(rng.sample(pool, k=rng.randint(3, 12)))
        geom = unary_union([shape(world[m]["geometry"]) for m in members])
        gid = f"{'ORG' if kind is Kind.ORGANISATION else 'GRP'}{j:03d}"
        props = {"id": gid, "name": f"Synthetic {kind.value} {j}", "kind": kind.value,
                 "anchor": _anchor(geom), "members": members}
        features.append((props, json.loads(json.dumps(mapping(geom)))))
    if len(states) >= 10:
        features[5][0]["relationship"] = "contested"

    out = []
    n = 0
    for (props, geometry), count in zip(features, _counts(rng, partners, ties)):
        members = props.get("members", [])
        tie_list = []
        for _ in range(count):
            n += 1
            tie_list.append(_tie(rng, props, n, members))
        out.append({"type": "Feature", "properties": {**props, "ties": tie_list}, "geometry": geometry})

    fname = world[focal]["properties"].get("name") or focal
    return {
        "type": "FeatureCollection",
        "partnermap": 1,
        "metadata": {
            "title": f"Synthetic network of {fname}: {partners} partners, {ties} ties",
            "version": "0.0.0",
            "as_of": AS_OF.isoformat(),
            "description": "Generated by benchmarks/synth.py; not real data.",
            "focal": {"id": focal, "name": fname, "anchor": _anchor(shape(world[focal]["geometry"]))},
        },
        "features": out,
    }


def write(path: str | Path, focal: str = "JPN", partners: int = 50, ties: int = 100, seed: int = 0) -> Path:
    """Generate and write a partner file; return its path."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    doc = generate(focal, partners, ties, seed)
    p.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return p


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--focal", default="JPN", help="ISO3 code of the focal country (default JPN)")
    ap.add_argument("--partners", type=int, default=50, help="number of partners (default 50)")
    ap.add_argument("--ties", type=int, default=100, help="number of ties, >= partners (default 100)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--output", required=True, help="the .geojson file to write")
    args = ap.parse_args(argv)
    try:
        path = write(args.output, args.focal, args.partners, args.ties, args.seed)
    except ValueError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
