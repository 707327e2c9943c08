"""Drop every geometry partnermap can derive from a partner file (territories from codes).

Why
---
Since territories come from ISO codes and member lists at load
(``partnermap.territory``), a stored geometry is only a copy that can go stale
(the bundled file's were written before whole territories and before Western
Sahara was fixed). This sets ``"geometry": null`` on every feature whose
territory the package can derive: a state whose id is a country of the
bundled basemap, an organisation or group with ``members``. Anything else
(a territory drawn by hand for an id the basemap lacks) is kept.

It changes nothing but those geometry values: the file is rewritten as
``json.dump(obj, ensure_ascii=False, indent=1)`` writes it (the form
scripts/build_geometry.py writes), atomically. A file in another layout is
reformatted; the script says so.

Usage: python scripts/strip_geometry.py FILE [--check]
  --check: exit 1 if FILE still has a geometry the package can derive; write nothing
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from partnermap.basemap import ids  # noqa: E402
from partnermap.export import write_text  # noqa: E402


def derivable(props: object) -> bool:
    """Whether the package derives this feature's territory when its geometry is null."""
    if not isinstance(props, dict):
        return False
    if props.get("kind") == "state":
        return props.get("id") in ids()
    return props.get("kind") in ("organisation", "group") and bool(props.get("members"))


def stripped(text: str) -> tuple[str, int]:
    """The file with derivable geometries set to null, and how many were."""
    doc = json.loads(text)
    n = 0
    for feature in doc.get("features", []):
        if isinstance(feature, dict) and feature.get("geometry") is not None and derivable(feature.get("properties")):
            feature["geometry"] = None
            n += 1
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n", n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--check", action="store_true", help="exit 1 if a derivable geometry is left; write nothing")
    args = parser.parse_args(argv)
    text = args.file.read_text(encoding="utf-8")
    out, n = stripped(text)
    if args.check:
        print(f"{args.file}: {n} derivable geometr{'y' if n == 1 else 'ies'} left", file=sys.stderr)
        return 1 if n else 0
    kept = [line for line in text.splitlines() if not line.lstrip().startswith('"geometry"')]
    if kept != [line for line in out.splitlines() if not line.lstrip().startswith('"geometry"')]:
        print(f"{args.file}: not in the indent=1 layout; reformatted", file=sys.stderr)
    write_text(args.file, out)
    print(f"{args.file}: {n} geometr{'y' if n == 1 else 'ies'} dropped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
