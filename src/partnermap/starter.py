"""``partnermap new``: a valid starter partner file for any focal country.

The file names the focal country (name and capital from the bundled basemap
and capitals table) and holds ONE example tie, with its nearest neighbour by
capital, whose every text says EXAMPLE: it validates, so the user sees the
whole pipeline work at once, and it cannot be mistaken for a fact.
docs/authoring.md says what to fill in.
"""

from __future__ import annotations

import datetime as dt
import json
import math

from .errors import UsageError
from .vocab import SCHEMA_VERSION

EXAMPLE = "EXAMPLE"


def _neighbour(focal: str) -> str:
    """The state whose capital is nearest the focal country's (great-circle), ids in ISO's range only."""
    from .basemap import capitals
    from .territory import SOVEREIGNTY

    caps = capitals()
    dependencies = {t for v in SOVEREIGNTY.values() for t in v}
    lon0, lat0 = caps[focal][1]

    def distance(item: tuple[str, tuple[str, tuple[float, float]]]) -> tuple[float, str]:
        lon, lat = item[1][1]
        p0, p1, dl = math.radians(lat0), math.radians(lat), math.radians(lon - lon0)
        c = math.sin(p0) * math.sin(p1) + math.cos(p0) * math.cos(p1) * math.cos(dl)
        return math.acos(max(-1.0, min(1.0, c))), item[0]

    candidates = [i for i in caps.items() if i[0] != focal and i[0] not in dependencies and not i[0].startswith("X")]
    return min(candidates, key=distance)[0]


def starter(focal: str, as_of: dt.date | None = None) -> dict:
    """The starter partner file (a dict) for ``focal``, an ISO 3166-1 alpha-3 code of the basemap."""
    from .basemap import capitals, ids, names
    from .checks import nearest

    code = focal.strip().upper()
    if code not in ids():
        guess = nearest(code, sorted(ids()), cutoff=0.6)
        hint = f"; did you mean {' or '.join(guess)}?" if guess else " (ISO 3166-1 alpha-3, e.g. AUS)"
        raise UsageError(f"--focal {focal[:40]!r}: not a country of the bundled basemap{hint}")
    if code not in capitals():
        raise UsageError(f"--focal {code}: the bundled capitals table has no capital for it")
    day = (as_of or dt.date.today()).isoformat()
    name = names()[code]
    other = _neighbour(code)
    tie = {
        "id": f"{other}-{EXAMPLE}",
        "title": f"{EXAMPLE}: replace with a real tie between {name} and {names()[other]}",
        "category": "diplomatic",
        "type": "dialogue",
        "status": "held",
        "dates": {"held": day},
        "summary": f"{EXAMPLE}: one sentence on what the tie does. Replace every field of this tie, or delete it.",
        "note": f"{EXAMPLE}: written by `partnermap new`; it is not a fact. See docs/authoring.md.",
        "sources": [{"title": f"{EXAMPLE}: the title of the page that records the tie", "publisher": EXAMPLE,
                     "date": day}],
    }
    return {
        "type": "FeatureCollection",
        "partnermap": SCHEMA_VERSION,
        "metadata": {
            "title": f"{name}'s partner network",
            "version": "0.1.0",
            "as_of": day,
            "description": f"Started with `partnermap new --focal {code}`. Replace this description.",
            "focal": {"id": code, "name": name},
        },
        "features": [{"type": "Feature", "geometry": None,
                      "properties": {"id": other, "name": names()[other], "kind": "state", "ties": [tie]}}],
    }


def starter_text(focal: str, as_of: dt.date | None = None) -> str:
    return json.dumps(starter(focal, as_of), ensure_ascii=False, indent=1) + "\n"
