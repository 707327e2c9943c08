"""One ``partnermap render`` done in-process, stage by stage, in a fresh interpreter.

Prints one JSON object: seconds spent importing, parsing, checking, selecting,
building the payload, building the folium map, rendering the HTML and writing
it. ``run.py`` starts this in a new process for each size so imports are cold,
as they are for the command line.

    python benchmarks/stages.py [PATH|-] OUT.html [--cdn]
"""

from __future__ import annotations

import json
import sys
import time


def _wrap(module, name: str, timings: dict, key: str) -> None:
    """Time every call of ``module.name`` into ``timings[key]`` (summed)."""
    original = getattr(module, name)

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings[key] = timings.get(key, 0.0) + time.perf_counter() - start

    setattr(module, name, timed)


def measure(path: str | None, out: str, offline: bool = True) -> dict[str, float]:
    clock = time.perf_counter
    t0 = clock()
    import partnermap.cli  # noqa: F401  - what the console script imports before any work

    t1 = clock()
    from partnermap import checks, export, filters, reader, render

    t2 = clock()
    inner: dict[str, float] = {}
    _wrap(reader, "read_json", inner, "parse_s")
    _wrap(checks, "check_document", inner, "check_s")
    _wrap(render, "payload", inner, "payload_s")
    _wrap(render, "script_json", inner, "script_json_s")
    dataset = reader.load(path)
    t3 = clock()
    view = filters.select(dataset)
    t4 = clock()
    m = render.build_map(view, offline=offline)
    t5 = clock()
    html = render.to_html(m)
    t6 = clock()
    export.write_text(out, html)
    t7 = clock()
    return {
        "import_cli_s": t1 - t0,
        "import_render_s": t2 - t1,
        "load_s": t3 - t2,
        "parse_s": inner.get("parse_s", 0.0),
        "check_s": inner.get("check_s", 0.0),
        "select_s": t4 - t3,
        "build_map_s": t5 - t4,
        "payload_s": inner.get("payload_s", 0.0),
        "script_json_s": inner.get("script_json_s", 0.0),
        "folium_s": (t5 - t4) - inner.get("payload_s", 0.0) - inner.get("script_json_s", 0.0),
        "to_html_s": t6 - t5,
        "write_s": t7 - t6,
        "total_s": t7 - t0,
        "html_bytes": len(html.encode("utf-8")),
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = None if argv[0] == "-" else argv[0]
    print(json.dumps(measure(path, argv[1], offline="--cdn" not in argv[2:])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
