"""One ``partnermap render`` done in-process, stage by stage, in a fresh interpreter.

Prints one JSON object: the seconds each stage took and the process's peak
memory (max RSS) once it was done. ``run.py`` starts this in a new process for
each size so imports are cold, as they are for the command line. The stages
are the command's own calls, in its order (``cli.render``: ``select(load())``,
``build_map``, ``save_map``), in a process set up as ``cli.run`` sets up the command's
(the cyclic collector off, folium imported without pandas):

- ``import_cli``: ``partnermap.cli``, what the console script imports first;
- ``import_render``: ``partnermap.render`` and what it pulls in (folium, ...);
- ``read_check``: ``reader.read_checked``, of which ``parse`` (``reader.read_json``:
  read, structure count, JSON parsing) and ``check`` (``checks.check``: every
  rule, and the dataset built);
- ``select``: ``filters.select``;
- ``scene``: ``scenes.scene`` (what the map shows, shared with the static figure);
- ``payload``: ``payload.payload`` (the browser's columns and encoded shapes);
- ``pack``: ``render.plain_json`` and ``render.pack`` (JSON, and for a big payload deflate + base64);
- ``folium``: the rest of ``build_map`` (the folium frame, assets);
- ``to_html``: ``render.page_pieces`` (the page around the payload, as ``export.save_map``
  writes it); ``write``: ``export.write_pieces``.

A stage whose function no longer exists (the code moved on) is reported as
``null`` rather than failing the benchmark.

    python benchmarks/stages.py [PATH|-] OUT.html [--cdn] [--timeline]
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from pathlib import Path

# (module, function, key), wrapped in this order; each call's time is summed into key.
INNER = (
    ("reader", "read_checked", "read_check_s"),
    ("reader", "read_json", "parse_s"),
    ("checks", "check", "check_s"),
    ("render", "scene", "scene_s"),      # render.py imports scene and payload by name
    ("render", "payload", "payload_s"),
    ("render", "plain_json", "pack_s"),  # a small payload: plain JSON; a big one: a first look, then pack
    ("render", "pack", "pack_s"),
)
KEYS = ("import_cli_s", "import_render_s", "read_check_s", "parse_s", "check_s", "select_s", "scene_s",
        "payload_s", "pack_s", "folium_s", "to_html_s", "write_s", "total_s")


def peak_rss_bytes() -> int:
    """This process's peak resident memory so far.

    Linux's ``VmHWM`` first: ``ru_maxrss`` also carries the peak of whatever started this process
    (exec keeps the larger), which would hide ours under a big parent's."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb * 1024 if sys.platform != "darwin" else kb


def _wrap(module, name: str, timings: dict, peaks: dict, key: str) -> bool:
    """Time every call of ``module.name`` into ``timings[key]`` (summed); False if it does not exist."""
    original = getattr(module, name, None)
    if not callable(original):
        return False

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings[key] = timings.get(key, 0.0) + time.perf_counter() - start
            peaks[key] = peak_rss_bytes()

    setattr(module, name, timed)
    return True


def measure(path: str | None, out: str, offline: bool = True, timeline: bool = False) -> dict:
    clock = time.perf_counter
    peaks: dict[str, int] = {}
    t0 = clock()
    import partnermap.cli  # what the console script imports before any work

    t1 = clock()
    peaks["import_cli_s"] = peak_rss_bytes()
    # as cli.run() does for the console script: the cyclic collector off, folium without pandas
    gc.disable()
    partnermap.cli._OWN_PROCESS = True
    partnermap.cli._folium_without_pandas()
    from partnermap import checks, export, filters, reader, render

    t2 = clock()
    peaks["import_render_s"] = peak_rss_bytes()
    modules = {"reader": reader, "checks": checks, "render": render}
    inner: dict[str, float] = {}
    wrapped = {key for mod, name, key in INNER if _wrap(modules[mod], name, inner, peaks, key)}
    dataset = reader.load(path)
    t3 = clock()
    view = filters.select(dataset)
    t4 = clock()
    peaks["select_s"] = peak_rss_bytes()
    m = render.build_map(view, offline=offline, timeline=timeline)
    t5 = clock()
    peaks["folium_s"] = peak_rss_bytes()
    pieces = render.page_pieces(m)
    t6 = clock()
    peaks["to_html_s"] = peak_rss_bytes()
    export.write_pieces(out, pieces)
    t7 = clock()
    peaks["write_s"] = peak_rss_bytes()

    def part(key: str) -> float | None:
        return inner.get(key, 0.0) if key in wrapped else None

    in_build = sum(part(k) or 0.0 for k in ("scene_s", "payload_s", "pack_s"))
    result = {
        "import_cli_s": t1 - t0,
        "import_render_s": t2 - t1,
        "read_check_s": part("read_check_s") if "read_check_s" in wrapped else t3 - t2,
        "parse_s": part("parse_s"),
        "check_s": part("check_s"),
        "select_s": t4 - t3,
        "scene_s": part("scene_s"),
        "payload_s": part("payload_s"),
        "pack_s": part("pack_s"),
        "folium_s": (t5 - t4) - in_build,
        "to_html_s": t6 - t5,
        "write_s": t7 - t6,
        "total_s": t7 - t0,
        "html_bytes": Path(out).stat().st_size,
        "peak_rss_bytes": peaks["write_s"],
        # the process's peak so far once each stage was done, in order: the stage that raises it costs the memory
        "peak_rss_after": {k: peaks[k] for k in KEYS if k in peaks and k != "read_check_s"},
    }
    return result


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = None if argv[0] == "-" else argv[0]
    flags = argv[2:]
    print(json.dumps(measure(path, argv[1], offline="--cdn" not in flags, timeline="--timeline" in flags)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
