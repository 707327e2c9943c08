"""partnermap benchmarks: one command, one run, the same data for every comparison.

    python benchmarks/run.py                     # full run (< 15 min on 2 cores)
    python benchmarks/run.py --quick             # < 90 s: 1,000 and 10,000 ties, 1 repeat, no stage breakdown
    python benchmarks/run.py --sizes 250x1000,250x10000 --repeat 3
    python benchmarks/run.py --write BENCHMARKS.md --json results.json

What it measures (BENCHMARKS.md says how and why), for the targets of issues 7 and 15:

1. ``partnermap render`` of the bundled dataset, a cold process per run,
   against ``geopandas.read_file(<same file>).explore().save(...)`` and the
   floor ``python -c "import folium, geopandas"``: medians and ratios.
2. ``partnermap --help``.
3. HTML size, self-contained and ``--cdn``.
4. Time until the map is drawn in headless Chromium (navigation start ->
   ``data-pm-ready``), network blocked, and its parts (unpacking, drawing by phase).
5. Scale: synthetic networks (``synth.py``) at each size: render and
   ``validate`` (cold, median, against the floor measured alongside), peak
   memory, stage breakdown, HTML size, draw time, and the growth exponent
   between sizes.
6. Interaction in Chromium (``interaction.py``): a live filter toggle, a
   timeline step and the popup of the partner with the most ties, event to
   the second animation frame, with the map script's phases; and the popup of
   one partner holding ``--heavy-partner`` ties.

Every target is printed PASS or FAIL; a miss never fails the process (exit 0).
Exit 1 only when something could not be measured at all (a command crashed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import interaction
import synth
from drawtime import Browser

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
MARK_BEGIN = "<!-- results -->"
MARK_END = "<!-- /results -->"
SCHEMA = 2

# Ties from 1,000 to 100,000 at 250 partners (the growth the issue asks about), and 50 partners
# at 10,000 ties (how cost grows with partners).
DEFAULT_SIZES = ("250x1000", "250x10000", "250x100000", "50x10000")
QUICK_SIZES = ("250x1000", "250x10000")
DEFAULT_REPEAT = 5
QUICK_REPEAT = 1
DEFAULT_EVENTS = 7   # interactions timed per kind and page, the median reported
QUICK_EVENTS = 3
HEAVY_TIES = 50_000  # one partner with this many ties: its popup (issue 15: "blocks the page for 17 s")
MID_TIES = 10_000
HUGE_TIES = 100_000
MB = 1_000_000  # sizes and memory are decimal: 1 MB = 10^6 bytes, 1 KB = 10^3 bytes

# The targets of issue 15 (and those of issue 7 it does not replace), for a 2-core machine.
TARGETS = {
    "render_vs_floor": 1.3,          # default render <= 1.3x `python -c "import folium, geopandas"`
    "render_vs_explore": 0.7,        # issue 7: default render <= 0.7x geopandas explore().save()
    "help_s": 0.1,
    "html_bytes": 1 * MB,            # issue 7
    "html_cdn_bytes": 400_000,       # issue 7
    "huge_render_vs_floor": 8.0,     # 100,000 ties
    "huge_peak_rss_bytes": 400 * MB,
    "huge_html_bytes": 25 * MB,
    "huge_draw_s": 2.0,
    "huge_validate_vs_floor": 6.0,
    "mid_interaction_ms": 50.0,      # a toggle or a timeline step at 10,000 ties (20 frames a second)
    "huge_interaction_ms": 250.0,    # the same at 100,000 ties
    "popup_ms": 100.0,               # any partner's popup
    "growth_exponent": 1.1,          # "no worse than linear": cost ~ size^k, k <= 1.0 (+0.1 for noise)
}

PACKAGES = ("partnermap", "folium", "branca", "jinja2", "geopandas", "shapely", "pyproj", "pyogrio", "pandas",
            "numpy", "orjson", "xstatic-leaflet", "click", "mapclassify", "matplotlib", "playwright")

FLOOR_CODE = "import folium, geopandas"
# The plain geopandas way to put the same partner geometries on a folium map.
EXPLORE_CODE = """
import sys
import geopandas
src, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
gdf = geopandas.read_file(src)
if mode != "keep":  # what a user does when explore() chokes on the nested `ties` lists
    scalar = (str, int, float, bool, type(None))
    gdf = gdf[[c for c in gdf.columns if c == gdf.geometry.name or gdf[c].map(lambda v: isinstance(v, scalar)).all()]]
# "notooltip": and when its tooltip then finds no fields (geopandas 1.2 with pandas 3's str columns)
gdf.explore(**({"tooltip": False} if mode == "notooltip" else {})).save(out)
"""


class BenchError(RuntimeError):
    """A command the benchmark runs failed: nothing to measure."""


# ---------------------------------------------------------------- helpers


def parse_sizes(text: str | list[str] | tuple[str, ...]) -> list[tuple[int, int]]:
    """``"50x100,250x10000"`` or ``["1000"]`` -> [(partners, ties)]; a bare number is ties (50 partners)."""
    items = text.split(",") if isinstance(text, str) else list(text)
    sizes = []
    for item in (i.strip().lower() for i in items):
        if not item:
            continue
        if "x" in item:
            p, t = item.split("x", 1)
            partners, ties = int(p), int(t)
        else:
            ties = int(item)
            partners = min(50, ties)
        if partners < 1 or ties < partners:
            raise ValueError(f"size {item!r}: need 1 <= partners <= ties")
        sizes.append((partners, ties))
    if not sizes:
        raise ValueError("no sizes given")
    return sizes


def size_label(partners: int, ties: int) -> str:
    return f"{partners}x{ties}"


def partnermap_cmd() -> list[str]:
    """The console script the user runs, from the same environment as this interpreter."""
    script = BIN / "partnermap"
    return [str(script)] if script.exists() else [sys.executable, "-m", "partnermap"]


# Starts one command and reports its own resource use. The benchmark starts every timed command through
# this small launcher rather than directly: Linux carries a parent's peak memory into a child it starts
# (exec keeps the larger of the two in ru_maxrss), and this process holds a whole generated network.
LAUNCH_CODE = """
import json, os, sys, time
report, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(cmd[0], cmd, os.environ)
_pid, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(report, "w", encoding="utf-8") as fh:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss,
               "code": os.waitstatus_to_exitcode(status)}, fh)
"""


def run_timed(cmd: list[str], cwd: Path, check: bool = True) -> dict:
    """Run ``cmd`` in a new process: its wall seconds, CPU seconds, peak memory and output.

    A small launcher (``LAUNCH_CODE``) starts it and reaps it with ``os.wait4``, which returns
    that one process's own resource use: CPU time and ``ru_maxrss``, the most memory it held
    resident at once (Linux: KiB). Wall time runs from its start to its exit."""
    with tempfile.TemporaryDirectory(prefix="partnermap-run-") as tmp:
        report, out_path, err_path = Path(tmp, "usage.json"), Path(tmp, "stdout"), Path(tmp, "stderr")
        with out_path.open("wb") as out, err_path.open("wb") as err:
            launcher = subprocess.run([sys.executable, "-c", LAUNCH_CODE, str(report), *cmd], cwd=cwd,
                                      stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        stdout = out_path.read_text(encoding="utf-8", errors="replace")
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        if launcher.returncode != 0 or not report.exists():
            raise BenchError(f"could not start {' '.join(cmd)!r}:\n{stderr.strip()[-800:]}")
        usage = json.loads(report.read_text(encoding="utf-8"))
    if check and usage["code"] != 0:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-5:])
        raise BenchError(f"{' '.join(cmd)!r} exited {usage['code']}:\n{tail}")
    rss = usage["maxrss"] * (1 if sys.platform == "darwin" else 1024)
    return {"wall": usage["wall"], "cpu": usage["cpu"], "rss": rss, "code": usage["code"],
            "stdout": stdout, "stderr": stderr}


def summarise(runs: list[dict]) -> dict:
    walls = [r["wall"] for r in runs]
    return {
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "runs_s": [round(w, 4) for w in walls],
        "cpu_median_s": statistics.median(r["cpu"] for r in runs),
        "rss_median_bytes": statistics.median(r["rss"] for r in runs),
        "rss_max_bytes": max(r["rss"] for r in runs),
    }


def measure_commands(commands: dict[str, list[str]], repeat: int, cwd: Path, warmup: bool) -> dict[str, dict]:
    """Median wall time of each command, runs interleaved so drift in machine load hits all alike."""
    if warmup:
        for cmd in commands.values():
            run_timed(cmd, cwd)
    runs: dict[str, list[dict]] = {k: [] for k in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            runs[name].append(run_timed(cmd, cwd))
    return {name: summarise(runs[name]) for name in commands}


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def exponent(a: float | None, b: float | None, n_a: float, n_b: float) -> float | None:
    """k in cost ~ n^k between two sizes."""
    if not a or not b or a <= 0 or b <= 0 or n_a == n_b:
        return None
    return math.log(b / a) / math.log(n_b / n_a)


def _read_text(path: Path, default: str) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return default


def machine_info(chromium: str | None) -> dict:
    cpu, details = "unknown", {}
    for line in _read_text(Path("/proc/cpuinfo"), "").splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key in ("model name", "cpu MHz", "cache size", "cpu family", "model") and key not in details:
            details[key] = value.strip()
    if "model name" in details:
        extra = [f"{details['cpu MHz'].split('.')[0]} MHz" if "cpu MHz" in details else "",
                 f"cache {details['cache size']}" if "cache size" in details else "",
                 f"family {details['cpu family']} model {details['model']}" if "model" in details else ""]
        cpu = ", ".join([details["model name"], *filter(None, extra)])
    mem_kb = 0
    for line in _read_text(Path("/proc/meminfo"), "").splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "ram_gib": round(mem_kb / 2**20, 1),
        "os": f"{platform.system()} {platform.release()}",
        "distro": _os_release(),
        "python": platform.python_version(),
        "packages": versions,
        "chromium": chromium,
    }


def _os_release() -> str:
    for line in _read_text(Path("/etc/os-release"), "").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip('"')
    return "unknown"


def _commit() -> str:
    """The commit measured, with "+changes" when src/ differs from it (unknown outside a git checkout)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "data"], cwd=REPO, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" +changes in src/ or data/" if dirty else "")


def _load() -> list[float]:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:  # pragma: no cover
        return []


# ---------------------------------------------------------------- the benchmark sections


def bench_default(work: Path, repeat: int, warmup: bool, log, timeline: bool = False) -> dict:
    """(1) render vs explore vs import floor, (2) --help, (3) HTML sizes, on the bundled dataset.

    ``timeline``: also render it with ``--timeline``, for the timeline step in the browser."""
    from partnermap.reader import default_path

    data = default_path()
    doc = json.loads(data.read_text(encoding="utf-8"))
    out = work / "default.html"
    out_cdn = work / "default-cdn.html"
    out_explore = work / "default-explore.html"
    pm = partnermap_cmd()

    explore = {"available": True, "dropped_columns": [], "note": "explore() accepted every column as read"}
    probe = subprocess.run([sys.executable, "-c", EXPLORE_CODE, str(data), str(out_explore), "keep"],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
    mode = "keep"
    if probe.returncode != 0:
        err = (probe.stderr.strip().splitlines() or ["?"])[-1]
        if "mapclassify" in probe.stderr or "No module named" in probe.stderr:
            explore = {"available": False, "error": err,
                       "note": "geopandas explore() needs folium, matplotlib and mapclassify: "
                               "`pip install mapclassify` to measure this baseline"}
        else:
            notes = {"drop": "explore() failed on the nested columns; non-scalar columns dropped first",
                     "notooltip": "explore() failed on the nested columns, and without them its tooltip found "
                                  "no fields (geopandas 1.2, pandas 3); non-scalar columns dropped, tooltip=False"}
            for mode in notes:
                retry = subprocess.run([sys.executable, "-c", EXPLORE_CODE, str(data), str(out_explore), mode],
                                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
                if retry.returncode == 0:
                    break
            else:
                raise BenchError(f"geopandas explore() failed even without nested columns:\n{retry.stderr[-800:]}")
            explore = {"available": True, "error_as_read": err, "dropped_columns": _non_scalar_columns(data),
                       "note": notes[mode]}

    commands = {
        "floor": [sys.executable, "-c", FLOOR_CODE],
        "render": [*pm, "render", "-o", str(out)],
    }
    if explore["available"]:
        commands["explore"] = [sys.executable, "-c", EXPLORE_CODE, str(data), str(out_explore), mode]
    log(f"default dataset: {', '.join(commands)} x {repeat} (cold processes, interleaved)")
    timed = measure_commands(commands, repeat, work, warmup)
    log("default dataset: render --cdn, --help")
    cdn = measure_commands({"render_cdn": [*pm, "render", "--cdn", "-o", str(out_cdn)]}, 1, work, False)
    helps = measure_commands({"help": [*pm, "--help"]}, max(repeat, 5), work, warmup)
    timeline_path = None
    if timeline:
        timeline_path = work / "default-timeline.html"
        run_timed([*pm, "render", "--timeline", "-o", str(timeline_path)], work)

    result = {
        "dataset": {
            "path": str(data.relative_to(REPO)) if data.is_relative_to(REPO) else str(data),
            "bytes": data.stat().st_size,
            "partners": len(doc["features"]),
            "ties": sum(len(f["properties"]["ties"]) for f in doc["features"]),
        },
        "floor": timed["floor"],
        "render": timed["render"],
        "render_cdn": cdn["render_cdn"],
        "help": helps["help"],
        "html_bytes": out.stat().st_size,
        "html_cdn_bytes": out_cdn.stat().st_size,
        "html_path": str(out),
        "timeline_html_path": timeline_path and str(timeline_path),
        "explore": explore,
    }
    if explore["available"]:
        result["explore"].update(timed["explore"])
        result["explore"]["html_bytes"] = out_explore.stat().st_size
    ex = timed.get("explore", {})
    result["ratios"] = {
        "render_vs_floor": ratio(timed["render"]["median_s"], timed["floor"]["median_s"]),
        "render_vs_floor_cpu": ratio(timed["render"]["cpu_median_s"], timed["floor"]["cpu_median_s"]),
        "render_vs_explore": ratio(timed["render"]["median_s"], ex.get("median_s")),
        "render_vs_explore_cpu": ratio(timed["render"]["cpu_median_s"], ex.get("cpu_median_s")),
    }
    return result


def _non_scalar_columns(path: Path) -> list[str]:
    """The properties holding lists or objects somewhere in the file: what EXPLORE_CODE drops."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    cols = {k for f in doc["features"] for k, v in f["properties"].items() if isinstance(v, (list, dict))}
    return sorted(cols)


def stage_breakdown(path: Path | None, out: Path, work: Path) -> dict:
    cmd = [sys.executable, str(HERE / "stages.py"), str(path) if path else "-", str(out)]
    return json.loads(run_timed(cmd, work)["stdout"].strip().splitlines()[-1])


def synthesize(work: Path, partners: int, ties: int, focal: str, log) -> dict:
    """Generate one synthetic network and check it with ``partnermap validate`` (which also warms the file
    cache for what follows); BenchError if the file is invalid."""
    label = size_label(partners, ties)
    src = work / f"synth-{focal}-{label}.geojson"
    start = time.perf_counter()
    synth.write(src, focal=focal, partners=partners, ties=ties)
    generate_s = time.perf_counter() - start
    log(f"{label}: generated {src.stat().st_size / MB:.1f} MB in {generate_s:.1f} s; validating")
    proc = run_timed([*partnermap_cmd(), "validate", str(src)], work, check=False)
    validity = {"ok": proc["code"] == 0, "summary": (proc["stdout"].strip().splitlines() or [""])[0],
                "problems": proc["stderr"].strip().splitlines()[:5]}
    if not validity["ok"]:
        raise BenchError(f"synth.py made an invalid file ({label}):\n" + "\n".join(validity["problems"]))
    return {"label": label, "partners": partners, "ties": ties, "focal": focal, "path": str(src),
            "file_bytes": src.stat().st_size, "generate_s": generate_s, "validity": validity}


def bench_size(work: Path, partners: int, ties: int, focal: str, repeat: int, stages: bool, log,
               timeline: bool = False) -> dict:
    """(5) one synthetic size: generate and check it; stage breakdown; then the floor, render and validate,
    cold and interleaved (median, CPU, peak memory); HTML size; with ``timeline``, a ``--timeline`` render
    too (for the timeline step in the browser)."""
    result = synthesize(work, partners, ties, focal, log)
    label, src = result["label"], result["path"]
    out = work / f"synth-{focal}-{label}.html"
    if stages:
        log(f"{label}: stage breakdown (one in-process render in a fresh interpreter)")
        result["stages"] = stage_breakdown(Path(src), out, work)
    pm = partnermap_cmd()
    commands = {"floor": [sys.executable, "-c", FLOOR_CODE],
                "render": [*pm, "render", src, "-o", str(out)],
                "validate": [*pm, "validate", src]}
    log(f"{label}: floor, render, validate x {repeat} (cold processes, interleaved)")
    result.update(measure_commands(commands, repeat, work, False))
    result["html_bytes"] = out.stat().st_size
    result["html_path"] = str(out)
    floor, render, validate = result["floor"], result["render"], result["validate"]
    result["ratios"] = {
        "render_vs_floor": ratio(render["median_s"], floor["median_s"]),
        "render_vs_floor_cpu": ratio(render["cpu_median_s"], floor["cpu_median_s"]),
        "validate_vs_floor": ratio(validate["median_s"], floor["median_s"]),
        "validate_vs_floor_cpu": ratio(validate["cpu_median_s"], floor["cpu_median_s"]),
    }
    result["timeline_html_path"] = None
    if timeline:
        tl = work / f"synth-{focal}-{label}-timeline.html"
        log(f"{label}: render --timeline (for the timeline step)")
        result["render_timeline_s"] = run_timed([*pm, "render", src, "--timeline", "-o", str(tl)], work)["wall"]
        result["timeline_html_path"] = str(tl)
    return result


def bench_heavy(work: Path, ties: int, focal: str, log) -> dict:
    """One partner holding ``ties`` ties: generated, checked, rendered once (its popup is timed in the browser)."""
    result = synthesize(work, 1, ties, focal, log)
    out = work / f"synth-{focal}-{result['label']}.html"
    log(f"{result['label']}: render (one partner with {ties:,} ties, for its popup)")
    run = run_timed([*partnermap_cmd(), "render", result["path"], "-o", str(out)], work)
    result.update({"render_s": run["wall"], "render_rss_bytes": run["rss"], "html_bytes": out.stat().st_size,
                   "html_path": str(out)})
    return result


def interact(browser: Browser, page: dict, events: int) -> dict:
    """(6) toggle and popup on the page as rendered, the timeline step on its ``--timeline`` twin."""
    out = interaction.measure(browser, Path(page["html_path"]), ("toggle", "popup"), events)
    if page.get("timeline_html_path"):
        step = interaction.measure(browser, Path(page["timeline_html_path"]), ("step",), events)
        out["step"] = step["step"]
        out["blocked_requests"] = sorted({*out["blocked_requests"], *step["blocked_requests"]})
        out["errors"] = sorted({*out["errors"], *step["errors"]})
    return out


def growth(scale: list[dict]) -> list[dict]:
    """Exponents between consecutive sizes: along ties at fixed partners, along partners at fixed ties."""
    rows = []
    sweeps = []
    for p in sorted({s["partners"] for s in scale}):
        line = sorted((s for s in scale if s["partners"] == p), key=lambda s: s["ties"])
        if len(line) > 1:
            sweeps.append(("ties", line))
    for t in sorted({s["ties"] for s in scale}):
        line = sorted((s for s in scale if s["ties"] == t), key=lambda s: s["partners"])
        if len(line) > 1:
            sweeps.append(("partners", line))
    for axis, line in sweeps:
        for a, b in itertools.pairwise(line):
            n_a, n_b = a[axis], b[axis]

            def k(get, a=a, b=b, n_a=n_a, n_b=n_b):
                return exponent(get(a), get(b), n_a, n_b)

            rows.append({
                "axis": axis, "from": a["label"], "to": b["label"],
                "render_s": k(lambda s: s["render"]["median_s"]),
                "render_cpu_s": k(lambda s: s["render"]["cpu_median_s"]),
                "validate_s": k(lambda s: (s.get("validate") or {}).get("median_s")),
                "validate_cpu_s": k(lambda s: (s.get("validate") or {}).get("cpu_median_s")),
                "peak_rss": k(lambda s: s["render"].get("rss_median_bytes")),
                "html_bytes": k(lambda s: s["html_bytes"]),
                "draw_ms": k(lambda s: (s.get("browser") or {}).get("median_ms")),
                # cost of each extra unit, so fixed start-up costs do not hide a superlinear part
                "marginal_render_ms": 1000 * (b["render"]["median_s"] - a["render"]["median_s"]) / (n_b - n_a),
            })
    return rows


# Which growth exponents the growth target judges: on wall-clock medians, and on CPU time.
GROWTH_WALL = (("render_s", "render"), ("validate_s", "validate"), ("peak_rss", "peak memory"),
               ("html_bytes", "HTML bytes"), ("draw_ms", "draw time"))
GROWTH_CPU = (("render_cpu_s", "render CPU"), ("validate_cpu_s", "validate CPU"), ("peak_rss", "peak memory"),
              ("html_bytes", "HTML bytes"))


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def _worst(sizes: list[dict], get) -> tuple[float, dict] | None:
    """The largest value of ``get(size)`` over ``sizes`` (ignoring sizes where it is None), with its size."""
    found = [(v, s) for s in sizes if (v := get(s)) is not None]
    return max(found, key=lambda x: x[0]) if found else None


def _interaction(s: dict, kind: str) -> float | None:
    return ((s.get("interaction") or {}).get(kind) or {}).get("median_ms")


def evaluate(results: dict) -> list[dict]:
    """Every target: the limit, the measured value, PASS / FAIL (or n/a when not measured).

    ``status`` judges the wall-clock medians, as the targets are stated. Time
    targets also get ``cpu_status``, the same test on the processes' CPU time,
    which other load on the machine disturbs much less than wall time.
    """
    d = results.get("default", {})
    scale = results.get("scale", [])
    out = []

    def add(name: str, limit: str, value, ok: bool | None, shown: str, cpu_ok: bool | None = None,
            cpu_shown: str = "-"):
        out.append({"target": name, "limit": limit, "value": value, "shown": shown,
                    "status": _verdict(ok), "cpu_status": _verdict(cpu_ok), "cpu_shown": cpu_shown})

    def at_most(name, limit_key, limit_text, value, shown, cpu_value=None, cpu_shown="-"):
        limit = TARGETS[limit_key]
        add(name, limit_text, value, None if value is None else value <= limit, shown if value is not None else "-",
            None if cpu_value is None else cpu_value <= limit, cpu_shown if cpu_value is not None else "-")

    # The bundled dataset.
    r = d.get("ratios", {})
    v, c = r.get("render_vs_floor"), r.get("render_vs_floor_cpu")
    at_most("default render vs import floor", "render_vs_floor", f"<= {TARGETS['render_vs_floor']}x", v,
            v and f"{v:.2f}x ({d['render']['median_s']:.2f} s vs {d['floor']['median_s']:.2f} s)", c, c and f"{c:.2f}x")
    v, c = r.get("render_vs_explore"), r.get("render_vs_explore_cpu")
    at_most("default render vs geopandas explore (issue 7)", "render_vs_explore",
            f"<= {TARGETS['render_vs_explore']}x", v,
            v and f"{v:.2f}x ({d['render']['median_s']:.2f} s vs {d['explore']['median_s']:.2f} s)", c,
            c and f"{c:.2f}x")
    if v is None and d:
        out[-1]["shown"] = "not measured: " + d.get("explore", {}).get("note", "")
    h = d.get("help")
    at_most("partnermap --help", "help_s", f"<= {TARGETS['help_s']} s", h and h["median_s"],
            h and f"{h['median_s']:.3f} s", h and h["cpu_median_s"], h and f"{h['cpu_median_s']:.3f} s")
    v = d.get("html_bytes")
    at_most("default HTML, self-contained (issue 7)", "html_bytes", f"<= {TARGETS['html_bytes'] / MB:g} MB", v,
            v and f"{v / MB:.3f} MB")
    v = d.get("html_cdn_bytes")
    at_most("default HTML, --cdn (issue 7)", "html_cdn_bytes", f"<= {TARGETS['html_cdn_bytes'] / 1000:g} KB", v,
            v and f"{v / 1000:.0f} KB")

    # 100,000 ties: the worst of the sizes with at least that many.
    huge = [s for s in scale if s["ties"] >= HUGE_TIES]
    mid = [s for s in scale if MID_TIES <= s["ties"] < HUGE_TIES]  # "10,000 ties": 10,000 to 99,999
    pages = [*([{**d, "label": "bundled"}] if d else []), *scale,
             *([results["heavy"]] if results.get("heavy") else [])]
    tag, mid_tag = f"{HUGE_TIES:,} ties", f"{MID_TIES:,} ties"
    huge_none = f"not measured (no size with {tag})" if not huge else "not measured"
    mid_none = f"not measured (no size with {MID_TIES:,} to {HUGE_TIES - 1:,} ties)" if not mid else "not measured"

    def worst(sizes, get, fmt, cpu_get=None):
        w = _worst(sizes, get)
        cw = _worst(sizes, cpu_get) if cpu_get else None
        return (w and w[0], w and f"{fmt(w[0])} ({w[1]['label']})",
                cw and cw[0], cw and f"{fmt(cw[0])} ({cw[1]['label']})")

    checks = [
        (f"{tag}: render vs import floor", "huge_render_vs_floor", f"<= {TARGETS['huge_render_vs_floor']:g}x",
         worst(huge, lambda s: s["ratios"]["render_vs_floor"], lambda v: f"{v:.2f}x",
               lambda s: s["ratios"]["render_vs_floor_cpu"]), huge_none),
        (f"{tag}: peak memory of render", "huge_peak_rss_bytes", f"<= {TARGETS['huge_peak_rss_bytes'] / MB:g} MB",
         worst(huge, lambda s: s["render"]["rss_median_bytes"], lambda v: f"{v / MB:.0f} MB"), huge_none),
        (f"{tag}: HTML size", "huge_html_bytes", f"<= {TARGETS['huge_html_bytes'] / MB:g} MB",
         worst(huge, lambda s: s["html_bytes"], lambda v: f"{v / MB:.1f} MB"), huge_none),
        (f"{tag}: opened and drawn in Chromium", "huge_draw_s", f"<= {TARGETS['huge_draw_s']:g} s",
         worst(huge, lambda s: s.get("browser") and s["browser"]["median_ms"] / 1000, lambda v: f"{v:.2f} s"),
         huge_none),
        (f"{tag}: validate vs import floor", "huge_validate_vs_floor", f"<= {TARGETS['huge_validate_vs_floor']:g}x",
         worst(huge, lambda s: s["ratios"]["validate_vs_floor"], lambda v: f"{v:.2f}x",
               lambda s: s["ratios"]["validate_vs_floor_cpu"]), huge_none),
    ]
    # Interaction: event to the second animation frame after it, median of the events.
    for sizes, key, tier, missing in ((mid, "mid_interaction_ms", mid_tag, mid_none),
                                      (huge, "huge_interaction_ms", tag, huge_none)):
        for kind, what in (("toggle", "live filter toggle"), ("step", "timeline step")):
            checks.append((f"{tier}: {what}", key, f"<= {TARGETS[key]:g} ms",
                           worst(sizes, lambda s, kind=kind: _interaction(s, kind), lambda v: f"{v:.0f} ms"), missing))
    checks.append(("popup of the partner with the most ties (worst page)", "popup_ms", f"<= {TARGETS['popup_ms']:g} ms",
                   worst(pages, lambda s: _interaction(s, "popup"), lambda v: f"{v:.0f} ms"), "not measured"))
    for name, key, limit, (v, shown, c, cshown), missing in checks:
        at_most(name, key, limit, v, shown, c, cshown)
        if v is None:
            out[-1]["shown"] = missing

    # Growth along ties.
    rows = [g for g in results.get("growth", []) if g["axis"] == "ties"]
    name, limit = "growth along ties (largest exponent)", f"k <= {TARGETS['growth_exponent']}"
    wall = [(g[m], label, g) for g in rows for m, label in GROWTH_WALL if g[m] is not None]
    cpu = [(g[m], label, g) for g in rows for m, label in GROWTH_CPU if g[m] is not None]
    if wall:
        k, what, g = max(wall, key=lambda x: x[0])
        linear = "every k <= 1.0" if k <= 1.0 else "above 1.0"
        ck = max(cpu, key=lambda x: x[0]) if cpu else None
        at_most(name, "growth_exponent", limit, k, f"k = {k:.2f} ({what}, {g['from']} -> {g['to']}; {linear})",
                ck and ck[0], ck and f"k = {ck[0]:.2f} ({ck[1]}, {ck[2]['from']} -> {ck[2]['to']})")
    else:
        add(name, limit, None, None, "not measured (fewer than two sizes at the same number of partners)")
    return out


def run_all(*, sizes: list[tuple[int, int]], repeat: int, focal: str = "JPN", browser: bool = True,
            stages: bool = True, warmup: bool = True, workdir: Path | None = None, quick: bool = False,
            interactions: bool = True, events: int = DEFAULT_EVENTS, heavy: int = 0, log=print) -> dict:
    """The whole benchmark; returns the results as plain data (see ``render_markdown``)."""
    started = time.perf_counter()
    interactions = interactions and browser
    results: dict = {
        "schema": SCHEMA,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": {"repeat": repeat, "sizes": [size_label(*s) for s in sizes], "focal": focal,
                     "browser": browser, "stages": stages, "warmup": warmup, "quick": quick,
                     "interaction": interactions, "events": events, "heavy_partner": heavy},
        "commit": _commit(),
        "load_average_start": _load(),
    }
    with tempfile.TemporaryDirectory(prefix="partnermap-bench-") as tmp:
        work = Path(workdir) if workdir else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results["default"] = bench_default(work, repeat, warmup, log, timeline=interactions)
        if stages:
            results["default"]["stages"] = stage_breakdown(None, work / "default-stages.html", work)
        results["scale"] = [bench_size(work, p, t, focal, repeat, stages, log, timeline=interactions)
                            for p, t in sizes]
        if heavy and browser:
            results["heavy"] = bench_heavy(work, heavy, focal, log)
        chromium = None
        if browser:
            with Browser() as b:
                chromium = b.version
                pages = [("default map", results["default"]), *((s["label"], s) for s in results["scale"])]
                for name, page in pages:
                    log(f"Chromium {chromium}: {name}, opened x {repeat}")
                    page["browser"] = b.draw_time(Path(page["html_path"]), repeat)
                    if interactions:
                        log(f"Chromium: {name}, toggle / step / popup x {events}")
                        page["interaction"] = interact(b, page, events)
                if results.get("heavy"):
                    h = results["heavy"]
                    log(f"Chromium: {h['label']}, opened once, popup x {events}")
                    h["browser"] = b.draw_time(Path(h["html_path"]), 1)
                    h["interaction"] = interaction.measure(b, Path(h["html_path"]), ("popup",), events)
        results["machine"] = machine_info(chromium)
    results["growth"] = growth(results["scale"])
    results["targets"] = evaluate(results)
    results["load_average_end"] = _load()
    results["duration_s"] = time.perf_counter() - started
    return results


# ---------------------------------------------------------------- reporting


def _s(v: float | None, digits: int = 2) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def _ms(v: float | None) -> str:
    return "-" if v is None else f"{v:.0f} ms"


def _mb(v: int | float | None) -> str:
    return "-" if v is None else f"{v / MB:.2f} MB"


def _mem(v: int | float | None) -> str:
    return "-" if v is None else f"{v / MB:.0f} MB"


def _largest(parts: dict[str, float | None], n: int = 3) -> str:
    """The ``n`` largest of ``parts`` as "name 12 ms, ..." (what bounds the whole)."""
    top = sorted(((v, k) for k, v in parts.items() if v), reverse=True)[:n]
    return ", ".join(f"{k} {v:.0f}" for v, k in top) or "-"


STAGE_KEYS = ("import_cli_s", "import_render_s", "parse_s", "check_s", "select_s", "scene_s", "payload_s", "pack_s",
              "folium_s", "to_html_s", "write_s", "total_s")
INTERACTION_PHASES = ("compute", "state", "layers.apply", "controls.update", "declutter")
KIND_NAMES = {"toggle": "toggle", "step": "step", "popup": "popup"}


def _machine_lines(results: dict) -> list[str]:
    m, st = results["machine"], results["settings"]
    flags = (" --quick" if st["quick"] else "") + (" --no-browser" if not st["browser"] else "") \
        + (" --no-stages" if not st["stages"] and not st["quick"] else "") \
        + (" --no-interaction" if st["browser"] and not st.get("interaction", True) else "")
    heavy = st.get("heavy_partner") or 0
    return [
        f"Run {results['date']}: `python benchmarks/run.py{flags} --repeat {st['repeat']} "
        f"--events {st.get('events', '-')} --heavy-partner {heavy} --sizes {','.join(st['sizes'])}` "
        f"on commit {results.get('commit', 'unknown')}, {results['duration_s']:.0f} s in all.",
        "",
        "| machine | |",
        "|---|---|",
        f"| CPU | {m['cpu']} |",
        f"| cores | {m['cores']} ({m['cores_usable']} usable) |",
        f"| RAM | {m['ram_gib']} GiB |",
        f"| OS | {m['distro']}, {m['os']} |",
        f"| Python | {m['python']} |",
        f"| Chromium | {m['chromium'] or 'not run'} |",
        "| packages | " + ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v) + " |",
        f"| load average (1, 5, 15 min) | start {results['load_average_start']}, end {results['load_average_end']} |",
    ]


def _drawn_line(b: dict) -> str:
    parts = [f"median {b['median_ms']:.0f} ms (runs {', '.join(f'{v:.0f}' for v in b['runs_ms'])})",
             f"first paint after it {_ms(b.get('painted_median_ms'))}"]
    if b.get("unpack_median_ms") is not None:
        parts.append(f"of which unpacking the deflated payload {_ms(b['unpack_median_ms'])}")
    parts.append(f"blocked requests {len(b['blocked_requests'])}, page errors {len(b['errors'])}")
    return "; ".join(parts)


def render_markdown(results: dict) -> str:
    """The results section of BENCHMARKS.md (also what the command prints)."""
    d = results["default"]
    st = results["settings"]
    lines = [*_machine_lines(results), "",
             "### Targets", "",
             "Verdicts on medians: wall clock for times, as the targets are stated; the last two columns apply the "
             "same limit to the processes' CPU time, which other load on the machine disturbs much less. Browser "
             "times are the page's own clock.", "",
             "| target | limit | measured | | same on CPU time | |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {t['target']} | {t['limit']} | {t['shown']} | **{t['status']}** | {t['cpu_shown']} "
              f"| {t['cpu_status'] if t['cpu_status'] != 'n/a' else ''} |" for t in results["targets"]]

    ds = d["dataset"]
    lines += ["", f"### Bundled dataset ({ds['partners']} partners, {ds['ties']} ties, {ds['bytes'] / 1000:.0f} KB)",
              "", f"Cold process per run, median of {st['repeat']} (runs interleaved), wall and CPU seconds, "
              "peak memory (max RSS) of the process.", "",
              "| command | median wall | min–max | median CPU | peak memory | vs floor |",
              "|---|---|---|---|---|---|"]
    floor = d["floor"]["median_s"]
    rows = [("`python -c \"import folium, geopandas\"` (floor)", d["floor"]), ("`partnermap render`", d["render"]),
            ("`partnermap render --cdn` (1 run)", d["render_cdn"])]
    if d["explore"]["available"]:
        rows.append(("`geopandas.read_file(...).explore().save(...)`", d["explore"]))
    rows.append(("`partnermap --help`", d["help"]))
    for name, r in rows:
        lines.append(f"| {name} | {_s(r['median_s'])} s | {_s(r['min_s'])}–{_s(r['max_s'])} s "
                     f"| {_s(r['cpu_median_s'])} s | {_mem(r.get('rss_median_bytes'))} "
                     f"| {r['median_s'] / floor:.2f}x |")
    ex = d["explore"]
    lines += ["", f"explore baseline: {ex['note']}"
              + (f" (dropped: {', '.join(ex['dropped_columns'])})" if ex.get("dropped_columns") else "") + "."]
    if ex["available"]:
        lines.append(f"render / explore = {d['ratios']['render_vs_explore']:.2f}; "
                     f"explore's own HTML (Leaflet from CDNs): {ex['html_bytes'] / 1000:.0f} KB.")
    lines += ["", f"HTML: self-contained {d['html_bytes'] / 1000:.0f} KB, `--cdn` {d['html_cdn_bytes'] / 1000:.0f} KB."]
    if d.get("browser"):
        lines.append("Drawn in headless Chromium (navigation start → `data-pm-ready`): "
                     + _drawn_line(d["browser"]) + ".")
    if d.get("stages"):
        lines += ["", "Where a default render's time goes (one in-process run, fresh interpreter): "
                  + _stage_line(d["stages"]) + "."]

    scale = results["scale"]
    lines += ["", f"### Scale (synthetic networks, focal {st['focal']}, `benchmarks/synth.py`)", "",
              f"Cold processes, median of {st['repeat']}, interleaved with the floor measured alongside "
              "(× floor: wall-clock ratio; CPU ratio in brackets). Peak memory: max RSS of the render process "
              "(median of the runs).", "",
              "| partners × ties | file | render | × floor | render CPU | peak memory | validate | × floor | HTML "
              "| drawn |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for s in scale:
        b, r = s.get("browser"), s["ratios"]
        lines.append(f"| {s['partners']} × {s['ties']:,} | {_mb(s['file_bytes'])} | {_s(s['render']['median_s'])} s "
                     f"| {_s(r['render_vs_floor'])}x ({_s(r['render_vs_floor_cpu'])}x) "
                     f"| {_s(s['render']['cpu_median_s'])} s | {_mem(s['render']['rss_median_bytes'])} "
                     f"| {_s(s['validate']['median_s'])} s "
                     f"| {_s(r['validate_vs_floor'])}x ({_s(r['validate_vs_floor_cpu'])}x) "
                     f"| {_mb(s['html_bytes'])} | {_ms(b and b['median_ms'])} |")

    staged = [s for s in scale if s.get("stages")]
    if staged:
        lines += ["", "Where a render's time goes, seconds (one in-process render in a fresh interpreter per size, "
                  "`benchmarks/stages.py`); peak memory once the render is written:", "",
                  "| size | " + " | ".join(k.removesuffix("_s") for k in STAGE_KEYS) + " | peak memory |",
                  "|---|" + "---|" * (len(STAGE_KEYS) + 1)]
        for s in staged:
            lines.append(f"| {s['label']} | " + " | ".join(_s(s["stages"].get(k)) for k in STAGE_KEYS)
                         + f" | {_mem(s['stages'].get('peak_rss_bytes'))} |")
        lines += ["", "Peak memory of the process once each stage was done (MB):", ""]
        for s in staged:
            after = s["stages"].get("peak_rss_after", {})
            lines.append(f"- {s['label']}: " + ", ".join(f"{k.removesuffix('_s')} {v / MB:.0f}"
                                                          for k, v in after.items()))

    drawn = [("bundled", d), *((s["label"], s) for s in scale)]
    drawn = [(label, p["browser"]) for label, p in drawn if p.get("browser")]
    if drawn:
        lines += ["", f"Opening in Chromium, ms from navigation start (median of {st['repeat']}): before = until the "
                  "map script's first call (HTML parsing, Leaflet, scripts); unpack = base64 + `DecompressionStream` "
                  "+ `JSON.parse` of a deflated payload; draw = `partnermap.draw` → `data-pm-ready`; the largest "
                  "phases of the draw (ms).", "",
                  "| page | drawn | DOMContentLoaded | before | unpack | draw | first paint | largest draw phases |",
                  "|---|---|---|---|---|---|---|---|"]
        for label, b in drawn:
            lines.append(f"| {label} | {_ms(b['median_ms'])} | {_ms(b.get('dom_content_loaded_median_ms'))} "
                         f"| {_ms(b.get('before_median_ms'))} | {_ms(b.get('unpack_median_ms'))} "
                         f"| {_ms(b.get('draw_median_ms'))} | {_ms(b.get('painted_median_ms'))} "
                         f"| {_largest(b.get('phases_median_ms') or {})} |")

    pages = [("bundled", d), *((s["label"], s) for s in scale)]
    pages = [(label, p["interaction"]) for label, p in pages if p.get("interaction")]
    if pages:
        lines += ["", "### Interaction in Chromium (`benchmarks/interaction.py`)", "",
                  f"Event → second animation frame after it, median of {st.get('events')} events (min–max). "
                  "Toggle: the live filter of the type with the most ties, off and on; step: the timeline slider one "
                  "year forward; popup: the partner with the most ties. Plays at = 1000 / step (the play button "
                  "itself steps every `play_ms`).", "",
                  "| page | toggle | step | plays at | popup (partner, its ties) |",
                  "|---|---|---|---|---|"]
        for label, it in pages:
            tog, step, pop = it.get("toggle") or {}, it.get("step") or {}, it.get("popup") or {}
            rate = interaction.fps(step.get("median_ms"))
            who = f" ({pop['target']}, {pop['target_ties']:,})" if pop.get("target") else ""
            lines.append(f"| {label} | {_range(tog)} | {_range(step)} "
                         f"| {'-' if rate is None else f'{rate:.0f} frames a second'} | {_range(pop)}{who} |")
        lines += ["", "Where an event's time goes, ms (medians of each part, so they need not add up): the map "
                  "script's phases, the rest of the handlers (other script), and from the handlers' end to the "
                  "second frame (frame: style, layout, paint and the wait for the frame).", "",
                  "| page | event | total | script | " + " | ".join(INTERACTION_PHASES)
                  + " | other script | frame | bound by |",
                  "|---|---|---|---|" + "---|" * len(INTERACTION_PHASES) + "---|---|---|"]
        for label, it in pages:
            for kind in ("toggle", "step", "popup"):
                e = it.get(kind)
                if not e or e.get("error"):
                    continue
                ph = e.get("phases_median_ms") or {}
                parts = {**{k: ph.get(k) for k in INTERACTION_PHASES},
                         "other script": e.get("other_script_median_ms"), "frame": e.get("frame_median_ms")}
                if not ph:  # a popup: no refresh, its script is the popup's content and Leaflet's layout of it
                    parts = {"script": e["script_median_ms"], "frame": e.get("frame_median_ms")}
                lines.append(f"| {label} | {kind} | {_s(e['median_ms'], 0)} | {_s(e['script_median_ms'], 0)} | "
                             + " | ".join(_s(ph.get(k), 1) for k in INTERACTION_PHASES)
                             + f" | {_s(e.get('other_script_median_ms'), 1)} | {_s(e.get('frame_median_ms'), 1)} "
                             f"| {_largest(parts, 1)} |")
        errors = [(label, k, it[k]["error"]) for label, it in pages for k in KIND_NAMES
                  if isinstance(it.get(k), dict) and it[k].get("error")]
        lines += [f"- {label} {k}: not measured: {err}" for label, k, err in errors]
    heavy = results.get("heavy")
    if heavy and heavy.get("interaction"):
        pop = heavy["interaction"].get("popup") or {}
        said = (f"{_range(pop)} (script {_ms(pop.get('script_median_ms'))}, {pop.get('items')} ties listed on its "
                "first page)" if not pop.get("error") else f"not measured: {pop['error']}")
        lines += ["", f"One partner with {heavy['ties']:,} ties (`{heavy['label']}`): "
                  f"render {heavy['render_s']:.2f} s, HTML {_mb(heavy['html_bytes'])}, "
                  f"drawn in {_ms(heavy['browser']['median_ms'])}; its popup {said}."]

    if results["growth"]:
        lines += ["", "Growth: cost ∝ size^k between consecutive sizes (k = 1 is linear; fixed start-up costs make "
                  "k < 1 at small sizes). Marginal = extra render time per added tie or partner.", "",
                  "| along | from → to | render | render CPU | validate | validate CPU | peak memory | HTML | drawn "
                  "| marginal render |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for g in results["growth"]:
            lines.append(f"| {g['axis']} | {g['from']} → {g['to']} | {_s(g['render_s'])} | {_s(g['render_cpu_s'])} "
                         f"| {_s(g['validate_s'])} | {_s(g['validate_cpu_s'])} | {_s(g['peak_rss'])} "
                         f"| {_s(g['html_bytes'])} | {_s(g['draw_ms'])} | {g['marginal_render_ms']:.3f} ms |")
    return "\n".join(lines) + "\n"


def _range(e: dict) -> str:
    if not e:
        return "-"
    if e.get("error"):
        return "not measured"
    return f"{e['median_ms']:.0f} ms ({e['min_ms']:.0f}–{e['max_ms']:.0f})"


def _stage_line(stages: dict) -> str:
    order = (("import_cli_s", "import CLI"), ("import_render_s", "import folium & co"), ("parse_s", "read & parse"),
             ("check_s", "check"), ("select_s", "select"), ("scene_s", "scene"), ("payload_s", "payload"),
             ("pack_s", "pack"), ("folium_s", "folium map"), ("to_html_s", "render HTML"), ("write_s", "write"))
    return (", ".join(f"{label} {stages[k]:.2f} s" for k, label in order if stages.get(k) is not None)
            + f"; total {stages['total_s']:.2f} s, peak memory {_mem(stages.get('peak_rss_bytes'))}")


def write_section(path: Path, section: str) -> None:
    """Replace what lies between the results marker lines in ``path`` (append them if missing).

    The markers count only as whole lines, so prose that mentions them is left alone.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{MARK_BEGIN}\n{section.rstrip()}\n{MARK_END}"
    found = re.search(rf"^{re.escape(MARK_BEGIN)}[ \t]*$.*?^{re.escape(MARK_END)}[ \t]*$", text, re.M | re.S)
    if found:
        text = text[:found.start()] + block + text[found.end():]
    else:
        text = text.rstrip() + "\n\n## Results\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def print_verdicts(results: dict, out=sys.stdout) -> None:
    print("\nTargets (a miss is reported, never an error):", file=out)
    width = max(len(t["target"]) for t in results["targets"])
    for t in results["targets"]:
        cpu = f"   [CPU time: {t['cpu_status']}, {t['cpu_shown']}]" if t["cpu_status"] != "n/a" else ""
        print(f"  {t['status']:<4}  {t['target']:<{width}}  {t['limit']:<10}  {t['shown']}{cpu}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks/run.py", description="partnermap benchmarks (issues 7 and 15).")
    ap.add_argument("--quick", action="store_true",
                    help=f"sizes {','.join(QUICK_SIZES)}, repeat {QUICK_REPEAT}, {QUICK_EVENTS} events, "
                         "no stage breakdown, no heavy partner (< 90 s)")
    ap.add_argument("--sizes", help="comma-separated PARTNERSxTIES (or TIES: 50 partners); "
                                    f"default {','.join(DEFAULT_SIZES)}")
    ap.add_argument("--repeat", type=int, help=f"runs per measurement, median reported (default {DEFAULT_REPEAT}, "
                                               f"--quick {QUICK_REPEAT})")
    ap.add_argument("--events", type=int, help=f"interaction events timed per kind and page (default {DEFAULT_EVENTS}, "
                                               f"--quick {QUICK_EVENTS})")
    ap.add_argument("--heavy-partner", type=int, metavar="TIES",
                    help=f"time the popup of one partner with TIES ties (default {HEAVY_TIES}; --quick and 0: skip)")
    ap.add_argument("--focal", default="JPN", help="focal country (ISO3) of the synthetic networks")
    ap.add_argument("--no-browser", action="store_true", help="skip Chromium: draw times and interaction")
    ap.add_argument("--no-interaction", action="store_true", help="skip the interaction timings in Chromium")
    ap.add_argument("--no-stages", action="store_true", help="skip the in-process stage breakdown")
    ap.add_argument("--write", metavar="FILE", help="update the results section of FILE (e.g. BENCHMARKS.md)")
    ap.add_argument("--json", metavar="FILE", help="also write the raw results as JSON")
    ap.add_argument("--keep", metavar="DIR", help="keep generated data and HTML in DIR")
    ap.add_argument("--from-json", metavar="FILE", help="measure nothing: report the results saved by --json")
    args = ap.parse_args(argv)
    try:
        sizes = parse_sizes(args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES))
    except ValueError as exc:
        ap.error(str(exc))
    repeat = args.repeat or (QUICK_REPEAT if args.quick else DEFAULT_REPEAT)
    events = args.events or (QUICK_EVENTS if args.quick else DEFAULT_EVENTS)
    heavy = args.heavy_partner if args.heavy_partner is not None else (0 if args.quick else HEAVY_TIES)
    if repeat < 1 or events < 1 or heavy < 0:
        ap.error("--repeat and --events must be at least 1, --heavy-partner at least 0")

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    if args.from_json:
        results = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        if results.get("schema") != SCHEMA:
            ap.error(f"{args.from_json}: results of schema {results.get('schema')}; this report reads schema {SCHEMA}")
        return report(results, args.write, None)
    load = _load()
    if load and load[0] > (os.cpu_count() or 1) / 2:
        log(f"warning: load average {load[0]} on {os.cpu_count()} cores; other processes will slow the timings")
    try:
        results = run_all(sizes=sizes, repeat=repeat, focal=args.focal.upper(), browser=not args.no_browser,
                          stages=not (args.no_stages or args.quick), warmup=True,
                          workdir=Path(args.keep) if args.keep else None, quick=args.quick,
                          interactions=not args.no_interaction, events=events, heavy=heavy, log=log)
    except BenchError as exc:
        print(f"benchmark could not run: {exc}", file=sys.stderr)
        return 1
    return report(results, args.write, args.json)


def report(results: dict, write: str | None, raw: str | None) -> int:
    """Print the results and the verdicts; update ``write`` and save ``raw`` JSON when asked. Always 0."""
    section = render_markdown(results)
    print(section)
    print_verdicts(results)
    if write:
        write_section(Path(write), section)
        print(f"results written to {write}", file=sys.stderr)
    if raw:
        Path(raw).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
        print(f"raw results written to {raw}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
