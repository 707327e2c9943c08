"""Golden vectors for the drawing rules, shared by pytest (rules.py) and node --test (rules.js).

    python tests/rules_vectors.py          # rewrite tests/data/rules/vectors.json
    python tests/rules_vectors.py --check  # exit 1 if it is out of date

Each case is the browser's situation (ties with their steps, the day shown, the
types and statuses ticked) and what the rules must conclude: every tie's
status and visibility, every partner's primary relationship, counts and fill,
every link's state and style, every grouping's state and colour, the legend's
keys and rows. ``evaluate`` is the glue both
languages run (``tests/js/rules.test.mjs`` has its twin); the expectations are
the Python reference's, so a change to either implementation that the other
does not make fails one of the two suites.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "data" / "rules" / "vectors.json"
sys.path.insert(0, str(HERE.parent / "src"))

from partnermap import geo, rules  # noqa: E402
from partnermap.theme import THEMES  # noqa: E402


def evaluate(case: dict, style: dict) -> dict:
    """What the rules conclude for one case (the JS test runs the same steps)."""
    day = case["day"]
    types = frozenset(case["shownTypes"]) if case["shownTypes"] is not None else None
    statuses = frozenset(case["shownStatuses"]) if case["shownStatuses"] is not None else None
    facts, shown = {}, {}
    for t in case["ties"]:
        status = rules.status_at(t["steps"], day)
        f = rules.Fact(t["category"], t["type"], bool(t["friction"]), status, t["change"])
        facts[t["id"]] = f
        shown[t["id"]] = rules.is_shown(f, types, statuses)
    partners = {}
    fills = []
    for pid, rel in case["relationships"].items():
        mine = [facts[t["id"]] for t in case["ties"] if t["partner"] == pid and shown[t["id"]]]
        prim = rules.primary(mine, rel)
        fills.append(prim)
        partners[pid] = {"primary": prim.to_dict() if prim else None, "tally": rules.tally(mine),
                         "fill": rules.fill_style(prim, style)}
    groupings, rows = {}, []
    for g in case["groupings"]:
        mine = [facts[t["id"]] for t in case["ties"] if t["partner"] == g["id"] and shown[t["id"]]]
        groupings[g["id"]] = rules.grouping_state(g["kind"], mine, style)
        rows.append((g["id"], g["kind"], groupings[g["id"]]["drawn"] and g["visible"]))
    grouped = [s["category"] for (gid, kind, on), s in zip(rows, groupings.values(), strict=True)
               if kind == "group" and on and s["category"]]
    states = []
    for link in case["links"]:
        mine = [facts[i] for i in link["ties"] if shown[i]]
        states.append((link["category"], rules.link_state(mine)))
    max_counts: dict[str, int] = {}
    for cat, s in states:
        if s:
            max_counts[cat] = max(max_counts.get(cat, 1), s.count)
    links = [{"state": s.to_dict() if s else None,
              "style": rules.link_style(s, max_counts[cat], cat, style, case["changes"]) if s else None}
             for cat, s in states]
    legend = rules.legend_keys(fills, [(c, s) for c, s in states if s], case["changes"], grouped)
    return {
        "status": {k: f.status for k, f in facts.items()},
        "shown": shown,
        "inEffect": {k: rules.in_effect(f.type, f.status) for k, f in facts.items()},
        "partners": partners,
        "links": links,
        "groupings": groupings,
        "legend": legend,
        "legendRows": list(rules.legend_rows(legend, rows)),
    }


def _case_from_payload(name: str, data: dict, *, day: int | None = None, shown_statuses=None, shown_types=None,
                       changes: bool | None = None) -> dict:
    t = data["ties"]
    ids = data["partnerIds"]
    ties = [{"id": t["id"][i], "partner": ids[t["partner"][i]], "category": t["category"][i], "type": t["type"][i],
             "friction": t["friction"][i], "steps": t["steps"][i], "change": t["change"][i]}
            for i in range(len(t["id"]))]
    return {
        "name": name, "day": data["meta"]["lastDay"] if day is None else day,
        "shownTypes": shown_types, "shownStatuses": shown_statuses,
        "changes": bool(data["meta"]["changesSince"]) if changes is None else changes,
        "ties": ties, "relationships": data["relationships"],
        "links": [{"partner": lk["partner"], "category": lk["category"], "ties": [t["id"][i] for i in lk["ties"]]}
                  for lk in data["links"]],  # the payload gives indices; vectors name the ties
        "groupings": [{"id": g["id"], "kind": g["kind"], "visible": True} for g in data["groups"]],
    }


def _hand(name: str, ties: list[dict], relationships: dict, day: str = "2025-11-30", **kw) -> dict:
    """A hand-made case: ties given as (id, partner, category, type, friction, [[date, status]...], change)."""
    links = {}
    for tie in ties:
        links.setdefault((tie["partner"], tie["category"]), []).append(tie["id"])
        tie["steps"] = [[rules.day_number(dt.date.fromisoformat(d)), s] for d, s in tie["steps"]]
        tie.setdefault("change", None)
    return {"name": name, "day": rules.day_number(dt.date.fromisoformat(day)), "shownTypes": kw.get("types"),
            "shownStatuses": kw.get("statuses"), "changes": kw.get("changes", False), "ties": ties,
            "relationships": relationships, "groupings": kw.get("groupings", []),
            "links": [{"partner": p, "category": c, "ties": i} for (p, c), i in links.items()]}


def _tie(id_, partner, category, type_, steps, friction=0, change=None):
    return {"id": id_, "partner": partner, "category": category, "type": type_, "friction": friction,
            "steps": steps, "change": change}


def cases() -> list[dict]:
    import partnermap
    from partnermap.payload import payload
    from partnermap.scenes import scene

    def pl(view):
        return payload(scene(view), view)

    bundled = partnermap.load()
    minimal = partnermap.load(HERE / "data" / "minimal.geojson")
    base = pl(bundled)
    out = [
        _case_from_payload("bundled, the data's own day", base),
        # the treaty's signing day: it is "signed" then, and unticking "in force" must not hide it
        _case_from_payload("bundled, 1960-01-19, in force unticked", base,
                           day=rules.day_number(dt.date(1960, 1, 19)),
                           shown_statuses=["announced", "negotiating", "signed", "held", "suspended", "cancelled",
                                           "ended"]),
        _case_from_payload("bundled, timeline at the end of 2009", base, day=rules.day_number(dt.date(2009, 12, 31))),
        _case_from_payload("bundled, only trade types", base,
                           shown_types=["trade_agreement", "tariff_deal", "trade_measure", "investment"]),
        _case_from_payload("bundled, changes since 2025-01-20", pl(partnermap.select(bundled,
                                                                                     changes_since="2025-01-20"))),
        _case_from_payload("minimal, default", pl(minimal)),
        _case_from_payload("minimal, as of 2022-06", pl(partnermap.select(minimal, as_of="2022-06"))),
        _hand("only ended ties", [
            _tie("A1", "AAA", "security", "acsa", [["2010-05-19", "signed"], ["2013-01-31", "in_force"],
                                                   ["2017-09-06", "ended"]])], {"AAA": "partner"}),
        _hand("friction only", [
            _tie("F1", "FFF", "economic", "trade_measure", [["2025-04-02", "announced"], ["2025-04-05", "in_force"]],
                 friction=1)], {"FFF": "partner"}),
        _hand("friction mixed with an alliance and a trade deal", [
            _tie("M1", "MMM", "security", "alliance", [["1960-01-19", "signed"], ["1960-06-23", "in_force"]]),
            _tie("M2", "MMM", "economic", "trade_agreement", [["2019-10-07", "signed"], ["2020-01-01", "in_force"]]),
            _tie("M3", "MMM", "economic", "trade_measure", [["2025-03-26", "announced"], ["2025-04-03", "in_force"]],
                 friction=1),
            _tie("M4", "MMM", "economic", "trade_measure", [["2025-04-02", "in_force"]], friction=1),
        ], {"MMM": "partner"}),
        _hand("a declaration is in effect when signed; a treaty is pending", [
            _tie("D1", "DDD", "security", "security_declaration", [["2008-10-22", "signed"]]),
            _tie("D2", "DDD", "economic", "trade_agreement", [["2011-02-16", "signed"]]),
        ], {"DDD": "partner"}),
        _hand("contested, with friction and a summit", [
            _tie("C1", "CCC", "security", "incident", [["2010-09-07", "held"]], friction=1),
            _tie("C2", "CCC", "diplomatic", "summit", [["2024-11-15", "held"]]),
        ], {"CCC": "contested"}),
        _hand("a pending alliance alone is hatched and light, not the darkest fill", [
            _tie("P1", "PPP", "security", "alliance", [["2024-07-08", "signed"]]),
        ], {"PPP": "partner"}),
        _hand("a treaty only signed beside a summit held: the summit colours it", [
            _tie("Q1", "QQQ", "security", "reciprocal_access", [["2024-07-08", "signed"]]),
            _tie("Q2", "QQQ", "diplomatic", "summit", [["2023-05-19", "held"]]),
        ], {"QQQ": "partner"}),
        _hand("groupings: an organisation in ink, groups by their deepest tie, one switched off, one not yet", [
            _tie("O1", "ORG", "economic", "trade_agreement", [["2018-07-17", "signed"], ["2019-02-01", "in_force"]]),
            _tie("G1", "GRP", "diplomatic", "summit", [["2021-03-12", "held"]]),
            _tie("G2", "GRP", "economic", "trade_measure", [["2025-04-02", "in_force"]], friction=1),
            _tie("H1", "OFF", "security", "joint_exercise", [["2020-11-03", "held"]]),
            _tie("N1", "NEW", "economic", "trade_agreement", [["2030-01-01", "signed"]]),
        ], {},
            groupings=[{"id": "ORG", "kind": "organisation", "visible": True},
                       {"id": "GRP", "kind": "group", "visible": True},
                       {"id": "OFF", "kind": "group", "visible": False},
                       {"id": "NEW", "kind": "group", "visible": True}]),
        _hand("before the first tie", [
            _tie("B1", "BBB", "security", "reciprocal_access", [["2022-01-06", "signed"], ["2023-08-13", "in_force"]]),
        ], {"BBB": "partner"}, day="2020-12-31"),
    ]
    return out


def coordinates() -> list[dict]:
    """Encoded rings (geo.encode_lines) and what they decode to: the twin of geo.decode_ring in
    decode.js must agree. Edge cases: zero, the sign, each width from one to six characters,
    rounding to hundredths, both ends of the world."""
    pieces = {
        "a point at the origin": [(0.0, 0.0)],
        "small steps either way": [(1.0, 2.0), (1.5, 1.0), (1.49, 1.01), (1.5, 1.0)],
        "rounding to hundredths": [(139.6917, 35.6895), (139.6951, 35.6849)],
        "the antimeridian and the poles": [(-180.0, -90.0), (180.0, 90.0), (540.0, -90.0)],
        "widths of one to six characters": [(0.15, 0.16), (5.11, 5.12), (163.83, 163.84),
                                            (5242.87, 5242.88), (-2600000.0, 2600000.0)],
    }
    out = []
    for name, points in pieces.items():
        text = geo.encode_lines([points])[0]
        out.append({"name": name, "text": text, "scale": geo.SCALE,
                    "lonlat": [list(p) for p in geo.decode_ring(text)]})
    return out


def build() -> dict:
    style = THEMES["light"].rules_style("web")
    built = []
    for case in cases():
        built.append({**case, "expect": evaluate(case, style)})
    return {"about": "Generated by tests/rules_vectors.py; asserted by tests/test_rules.py and tests/js/rules.test.mjs",
            "tables": rules.tables(), "style": style, "cases": built,
            "coordinates": coordinates()}


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = dumps(build())
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run python tests/rules_vectors.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
