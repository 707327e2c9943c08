"""partnermap benchmarks: one command, one run, the same data for every comparison.

    python benchmarks/run.py                     # full run (< 10 min on 2 cores)
    python benchmarks/run.py --quick             # < 60 s: fewer sizes, 1 repeat, no stage breakdown
    python benchmarks/run.py --sizes 50x100,250x10000 --repeat 3
    python benchmarks/run.py --write BENCHMARKS.md --json results.json

What it measures (BENCHMARKS.md says how and why):

1. ``partnermap render`` of the bundled dataset, a cold process per run,
   against ``geopandas.read_file(<same file>).explore().save(...)`` and the
   floor ``python -c "import folium, geopandas"``: medians and ratios.
2. ``partnermap --help``.
3. HTML size, self-contained and ``--cdn``.
4. Time until the map is drawn in headless Chromium (navigation start ->
   ``data-pm-ready``), network blocked, for the bundled data and every size.
5. Scale: synthetic networks (``synth.py``) at each size: render time, stage
   breakdown, HTML size, draw time, and the growth exponent between sizes.

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
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import synth
from drawtime import Browser

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
MARK_BEGIN = "<!-- results -->"
MARK_END = "<!-- /results -->"

DEFAULT_SIZES = ("50x100", "50x1000", "50x10000", "150x10000", "250x10000")
QUICK_SIZES = ("50x100", "50x1000", "50x10000")
DEFAULT_REPEAT = 5
QUICK_REPEAT = 1
LARGE_TIES = 10_000
MB = 1_000_000  # sizes are decimal: 1 MB = 10^6 bytes, 1 KB = 10^3 bytes

# The targets of issue 7, for a 2-core machine.
TARGETS = {
    "render_vs_floor": 1.5,      # default render <= 1.5x `python -c "import folium, geopandas"`
    "render_vs_explore": 0.7,    # default render <= 0.7x geopandas explore().save()
    "help_s": 0.25,
    "html_bytes": 1 * MB,
    "html_cdn_bytes": 400_000,
    "large_render_s": 5.0,       # 10,000 ties
    "large_html_bytes": 15 * MB,
    "large_draw_s": 3.0,
    "growth_exponent": 1.2,      # "near linear": cost ~ size^k with k <= 1.2 between consecutive sizes
}

PACKAGES = ("partnermap", "folium", "branca", "jinja2", "geopandas", "shapely", "pyproj", "pyogrio", "pandas",
            "numpy", "xstatic-leaflet", "click", "mapclassify", "matplotlib", "playwright")

FLOOR_CODE = "import folium, geopandas"
# The plain geopandas way to put the same partner geometries on a folium map.
EXPLORE_CODE = """
import sys
import geopandas
src, out, drop = sys.argv[1], sys.argv[2], sys.argv[3] == "drop"
gdf = geopandas.read_file(src)
if drop:  # what a user does when explore() chokes on the nested `ties` lists
    scalar = (str, int, float, bool, type(None))
    gdf = gdf[[c for c in gdf.columns if c == gdf.geometry.name or gdf[c].map(lambda v: isinstance(v, scalar)).all()]]
gdf.explore().save(out)
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


def run_timed(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run ``cmd`` in a new process; (wall seconds, CPU seconds of the child, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
        raise BenchError(f"{' '.join(cmd)!r} exited {proc.returncode}:\n{tail}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout


def summarise(walls: list[float], cpus: list[float]) -> dict:
    return {
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "runs_s": [round(w, 4) for w in walls],
        "cpu_median_s": statistics.median(cpus),
    }


def measure_commands(commands: dict[str, list[str]], repeat: int, cwd: Path, warmup: bool) -> dict[str, dict]:
    """Median wall time of each command, runs interleaved so drift in machine load hits all alike."""
    if warmup:
        for cmd in commands.values():
            run_timed(cmd, cwd)
    walls: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            wall, cpu, _out = run_timed(cmd, cwd)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {name: summarise(walls[name], cpus[name]) for name in commands}


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


def bench_default(work: Path, repeat: int, warmup: bool, log) -> dict:
    """(1) render vs explore vs import floor, (2) --help, (3) HTML sizes, on the bundled dataset."""
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
            retry = subprocess.run([sys.executable, "-c", EXPLORE_CODE, str(data), str(out_explore), "drop"],
                                   capture_output=True, text=True, stdin=subprocess.DEVNULL)
            if retry.returncode != 0:
                raise BenchError(f"geopandas explore() failed even without nested columns:\n{retry.stderr[-800:]}")
            mode = "drop"
            explore = {"available": True, "error_as_read": err, "dropped_columns": _non_scalar_columns(data),
                       "note": "explore() failed on the nested columns; non-scalar columns dropped first"}

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
        "explore": explore,
    }
    if explore["available"]:
        result["explore"].update(timed["explore"])
        result["explore"]["html_bytes"] = out_explore.stat().st_size
    result["ratios"] = {
        "render_vs_floor": timed["render"]["median_s"] / timed["floor"]["median_s"],
        "render_vs_floor_cpu": timed["render"]["cpu_median_s"] / timed["floor"]["cpu_median_s"],
        "render_vs_explore": (timed["render"]["median_s"] / timed["explore"]["median_s"]
                              if explore["available"] else None),
        "render_vs_explore_cpu": (timed["render"]["cpu_median_s"] / timed["explore"]["cpu_median_s"]
                                  if explore["available"] else None),
    }
    return result


def _non_scalar_columns(path: Path) -> list[str]:
    """The properties holding lists or objects somewhere in the file: what EXPLORE_CODE drops."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    cols = {k for f in doc["features"] for k, v in f["properties"].items() if isinstance(v, (list, dict))}
    return sorted(cols)


def stage_breakdown(path: Path | None, out: Path, work: Path) -> dict:
    cmd = [sys.executable, str(HERE / "stages.py"), str(path) if path else "-", str(out)]
    _wall, _cpu, stdout = run_timed(cmd, work)
    return json.loads(stdout.strip().splitlines()[-1])


def bench_size(work: Path, partners: int, ties: int, focal: str, repeat: int, stages: bool, log) -> dict:
    """(5) one synthetic size: generate, validate, render (cold, median), stage breakdown, HTML size."""
    label = size_label(partners, ties)
    src = work / f"synth-{focal}-{label}.geojson"
    out = work / f"synth-{focal}-{label}.html"
    start = time.perf_counter()
    synth.write(src, focal=focal, partners=partners, ties=ties)
    generate_s = time.perf_counter() - start
    log(f"{label}: generated {src.stat().st_size / MB:.1f} MB in {generate_s:.1f} s; validating")
    proc = subprocess.run([*partnermap_cmd(), "validate", str(src)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    summary = (proc.stdout.strip().splitlines() or [""])[0]
    validate = {"ok": proc.returncode == 0, "summary": summary,
                "problems": proc.stderr.strip().splitlines()[:5]}
    if not validate["ok"]:
        raise BenchError(f"synth.py made an invalid file ({label}):\n" + "\n".join(validate["problems"]))
    result = {"label": label, "partners": partners, "ties": ties, "focal": focal, "path": str(src),
              "file_bytes": src.stat().st_size, "generate_s": generate_s, "validate": validate}
    if stages:
        log(f"{label}: stage breakdown (one in-process render in a fresh interpreter)")
        result["stages"] = stage_breakdown(src, out, work)
    log(f"{label}: partnermap render x {repeat}")
    result["render"] = measure_commands({"render": [*partnermap_cmd(), "render", str(src), "-o", str(out)]},
                                        repeat, work, False)["render"]
    result["html_bytes"] = out.stat().st_size
    result["html_path"] = str(out)
    return result


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
            draw_a = (a.get("browser") or {}).get("median_ms")
            draw_b = (b.get("browser") or {}).get("median_ms")
            rows.append({
                "axis": axis, "from": a["label"], "to": b["label"],
                "render_s": exponent(a["render"]["median_s"], b["render"]["median_s"], n_a, n_b),
                "render_cpu_s": exponent(a["render"]["cpu_median_s"], b["render"]["cpu_median_s"], n_a, n_b),
                "html_bytes": exponent(a["html_bytes"], b["html_bytes"], n_a, n_b),
                "draw_ms": exponent(draw_a, draw_b, n_a, n_b),
                # cost of each extra unit, so fixed start-up costs do not hide a superlinear part
                "marginal_render_ms": 1000 * (b["render"]["median_s"] - a["render"]["median_s"]) / (n_b - n_a),
            })
    return rows


def evaluate(results: dict) -> list[dict]:
    """Every target: the limit, the measured value, PASS / FAIL (or n/a when not measured).

    ``status`` judges the wall-clock medians, as the targets are stated. Time
    targets also get ``cpu_status``, the same test on the processes' CPU time,
    which other load on the machine disturbs much less than wall time.
    """
    d = results.get("default", {})
    out = []

    def add(name: str, limit: str, value, ok: bool | None, shown: str, cpu_ok: bool | None = None,
            cpu_shown: str = "-"):
        out.append({"target": name, "limit": limit, "value": value, "shown": shown,
                    "status": _verdict(ok), "cpu_status": _verdict(cpu_ok), "cpu_shown": cpu_shown})

    r = d.get("ratios", {})
    v, c = r.get("render_vs_floor"), r.get("render_vs_floor_cpu")
    add("default render vs import floor", f"<= {TARGETS['render_vs_floor']}x", v,
        None if v is None else v <= TARGETS["render_vs_floor"],
        "-" if v is None else f"{v:.2f}x ({d['render']['median_s']:.2f} s vs {d['floor']['median_s']:.2f} s)",
        None if c is None else c <= TARGETS["render_vs_floor"], "-" if c is None else f"{c:.2f}x")
    v, c = r.get("render_vs_explore"), r.get("render_vs_explore_cpu")
    add("default render vs geopandas explore", f"<= {TARGETS['render_vs_explore']}x", v,
        None if v is None else v <= TARGETS["render_vs_explore"],
        "not measured: " + d.get("explore", {}).get("note", "") if v is None
        else f"{v:.2f}x ({d['render']['median_s']:.2f} s vs {d['explore']['median_s']:.2f} s)",
        None if c is None else c <= TARGETS["render_vs_explore"], "-" if c is None else f"{c:.2f}x")
    h = d.get("help")
    add("partnermap --help", f"<= {TARGETS['help_s']} s", h and h["median_s"],
        None if not h else h["median_s"] <= TARGETS["help_s"], "-" if not h else f"{h['median_s']:.3f} s",
        None if not h else h["cpu_median_s"] <= TARGETS["help_s"], "-" if not h else f"{h['cpu_median_s']:.3f} s")
    v = d.get("html_bytes")
    add("default HTML, self-contained", f"<= {TARGETS['html_bytes'] / MB:g} MB", v,
        None if v is None else v <= TARGETS["html_bytes"], "-" if v is None else f"{v / MB:.3f} MB")
    v = d.get("html_cdn_bytes")
    add("default HTML, --cdn", f"<= {TARGETS['html_cdn_bytes'] / 1000:g} KB", v,
        None if v is None else v <= TARGETS["html_cdn_bytes"], "-" if v is None else f"{v / 1000:.0f} KB")

    large = [s for s in results.get("scale", []) if s["ties"] >= LARGE_TIES]
    label = f"{LARGE_TIES:,} ties"
    if large:
        worst = max(large, key=lambda s: s["render"]["median_s"])
        worst_cpu = max(large, key=lambda s: s["render"]["cpu_median_s"])
        v, c = worst["render"]["median_s"], worst_cpu["render"]["cpu_median_s"]
        add(f"{label}: render (worst size)", f"<= {TARGETS['large_render_s']:g} s", v,
            v <= TARGETS["large_render_s"], f"{v:.2f} s ({worst['label']})",
            c <= TARGETS["large_render_s"], f"{c:.2f} s ({worst_cpu['label']})")
        worst = max(large, key=lambda s: s["html_bytes"])
        v = worst["html_bytes"]
        add(f"{label}: HTML size (worst size)", f"<= {TARGETS['large_html_bytes'] / MB:g} MB", v,
            v <= TARGETS["large_html_bytes"], f"{v / MB:.1f} MB ({worst['label']})")
        drawn = [s for s in large if s.get("browser")]
        if drawn:
            worst = max(drawn, key=lambda s: s["browser"]["median_ms"])
            v = worst["browser"]["median_ms"] / 1000
            add(f"{label}: drawn in Chromium (worst size)", f"<= {TARGETS['large_draw_s']:g} s", v,
                v <= TARGETS["large_draw_s"], f"{v:.2f} s ({worst['label']})")
        else:
            add(f"{label}: drawn in Chromium (worst size)", f"<= {TARGETS['large_draw_s']:g} s", None, None,
                "not measured")
    else:
        for what, limit in (("render", f"<= {TARGETS['large_render_s']:g} s"),
                            ("HTML size", f"<= {TARGETS['large_html_bytes'] / MB:g} MB"),
                            ("drawn in Chromium", f"<= {TARGETS['large_draw_s']:g} s")):
            add(f"{label}: {what} (worst size)", limit, None, None, "not measured (no size with 10,000 ties)")

    rows = results.get("growth", [])
    ks = [(row[m], m, row) for row in rows for m in ("render_s", "html_bytes", "draw_ms") if row[m] is not None]
    cks = [(row["render_cpu_s"], row) for row in rows if row["render_cpu_s"] is not None]
    name, limit = "growth near linear (largest exponent)", f"k <= {TARGETS['growth_exponent']}"
    if ks:
        k, metric, row = max(ks, key=lambda x: x[0])
        ck, crow = max(cks, key=lambda x: x[0]) if cks else (None, None)
        add(name, limit, k, k <= TARGETS["growth_exponent"],
            f"k = {k:.2f} ({metric}, {row['from']} -> {row['to']})",
            None if ck is None else ck <= TARGETS["growth_exponent"],
            "-" if ck is None else f"k = {ck:.2f} (render CPU, {crow['from']} -> {crow['to']})")
    else:
        add(name, limit, None, None, "not measured (one size)")
    return out


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def run_all(*, sizes: list[tuple[int, int]], repeat: int, focal: str = "JPN", browser: bool = True,
            stages: bool = True, warmup: bool = True, workdir: Path | None = None, quick: bool = False,
            log=print) -> dict:
    """The whole benchmark; returns the results as plain data (see ``render_markdown``)."""
    started = time.perf_counter()
    results: dict = {
        "schema": 1,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "settings": {"repeat": repeat, "sizes": [size_label(*s) for s in sizes], "focal": focal,
                     "browser": browser, "stages": stages, "warmup": warmup, "quick": quick},
        "commit": _commit(),
        "load_average_start": _load(),
    }
    with tempfile.TemporaryDirectory(prefix="partnermap-bench-") as tmp:
        work = Path(workdir) if workdir else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results["default"] = bench_default(work, repeat, warmup, log)
        if stages:
            results["default"]["stages"] = stage_breakdown(None, work / "default-stages.html", work)
        results["scale"] = [bench_size(work, p, t, focal, repeat, stages, log) for p, t in sizes]
        chromium = None
        if browser:
            with Browser() as b:
                chromium = b.version
                log(f"Chromium {chromium}: default map x {repeat}")
                results["default"]["browser"] = b.draw_time(Path(results["default"]["html_path"]), repeat)
                for s in results["scale"]:
                    log(f"Chromium: {s['label']} x {repeat}")
                    s["browser"] = b.draw_time(Path(s["html_path"]), repeat)
        results["machine"] = machine_info(chromium)
    results["growth"] = growth(results["scale"])
    results["targets"] = evaluate(results)
    results["load_average_end"] = _load()
    results["duration_s"] = time.perf_counter() - started
    return results


# ---------------------------------------------------------------- reporting


def _s(v: float | None, digits: int = 2) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


def _mb(v: int | None) -> str:
    return "-" if v is None else f"{v / MB:.2f} MB"


def render_markdown(results: dict) -> str:
    """The results section of BENCHMARKS.md (also what the command prints)."""
    m = results["machine"]
    d = results["default"]
    st = results["settings"]
    lines = [
        f"Run {results['date']}: `python benchmarks/run.py"
        + (" --quick" if st["quick"] else "")
        + f" --repeat {st['repeat']} --sizes {','.join(st['sizes'])}` on commit {results.get('commit', 'unknown')}, "
        f"{results['duration_s']:.0f} s in all.",
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
        "",
        "### Targets",
        "",
        "Verdicts on wall-clock medians, as the targets are stated; the last two columns apply the same limit "
        "to the processes' CPU time, which other load on the machine disturbs much less.",
        "",
        "| target | limit | measured (wall) | | same on CPU time | |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {t['target']} | {t['limit']} | {t['shown']} | **{t['status']}** | {t['cpu_shown']} "
              f"| {t['cpu_status'] if t['cpu_status'] != 'n/a' else ''} |" for t in results["targets"]]
    ds = d["dataset"]
    lines += [
        "",
        f"### Bundled dataset ({ds['partners']} partners, {ds['ties']} ties, {ds['bytes'] / 1000:.0f} KB)",
        "",
        f"Cold process per run, median of {st['repeat']} (runs interleaved), wall and CPU seconds.",
        "",
        "| command | median wall | min–max | median CPU | vs floor |",
        "|---|---|---|---|---|",
    ]
    floor = d["floor"]["median_s"]
    rows = [("`python -c \"import folium, geopandas\"` (floor)", d["floor"]),
            ("`partnermap render`", d["render"]),
            ("`partnermap render --cdn` (1 run)", d["render_cdn"])]
    if d["explore"]["available"]:
        rows.append(("`geopandas.read_file(...).explore().save(...)`", d["explore"]))
    rows.append(("`partnermap --help`", d["help"]))
    for name, r in rows:
        lines.append(f"| {name} | {_s(r['median_s'])} s | {_s(r['min_s'])}–{_s(r['max_s'])} s "
                     f"| {_s(r['cpu_median_s'])} s | {r['median_s'] / floor:.2f}x |")
    ex = d["explore"]
    lines += ["", f"explore baseline: {ex['note']}"
              + (f" (dropped: {', '.join(ex['dropped_columns'])})" if ex.get("dropped_columns") else "") + "."]
    if ex["available"]:
        lines.append(f"render / explore = {d['ratios']['render_vs_explore']:.2f}; "
                     f"explore's own HTML (Leaflet from CDNs): {ex['html_bytes'] / 1000:.0f} KB.")
    lines += [
        "",
        f"HTML: self-contained {d['html_bytes'] / 1000:.0f} KB, `--cdn` {d['html_cdn_bytes'] / 1000:.0f} KB.",
    ]
    if d.get("browser"):
        b = d["browser"]
        lines.append(f"Drawn in headless Chromium (navigation start → `data-pm-ready`): median {b['median_ms']:.0f} ms "
                     f"(runs {', '.join(f'{v:.0f}' for v in b['runs_ms'])}), first paint after it "
                     f"{_s(b['painted_median_ms'], 0)} ms; blocked requests {len(b['blocked_requests'])}, "
                     f"page errors {len(b['errors'])}.")
    if d.get("stages"):
        lines += ["", "Where a default render's time goes (one in-process run, fresh interpreter): "
                  + _stage_line(d["stages"]) + "."]
    lines += [
        "",
        f"### Scale (synthetic networks, focal {st['focal']}, `benchmarks/synth.py`)",
        "",
        "| partners × ties | file | render median | render CPU | HTML | drawn (median) |",
        "|---|---|---|---|---|---|",
    ]
    for s in results["scale"]:
        b = s.get("browser")
        lines.append(f"| {s['partners']} × {s['ties']:,} | {_mb(s['file_bytes'])} | {_s(s['render']['median_s'])} s "
                     f"| {_s(s['render']['cpu_median_s'])} s | {_mb(s['html_bytes'])} "
                     f"| {'-' if not b else format(b['median_ms'], '.0f') + ' ms'} |")
    staged = [s for s in results["scale"] if s.get("stages")]
    if staged:
        keys = ("import_cli_s", "import_render_s", "parse_s", "check_s", "select_s", "payload_s",
                "script_json_s", "folium_s", "to_html_s", "write_s", "total_s")
        lines += ["", "Stage breakdown, seconds (one in-process render in a fresh interpreter per size):", "",
                  "| size | " + " | ".join(k.removesuffix("_s") for k in keys) + " |",
                  "|---|" + "---|" * len(keys)]
        for s in staged:
            lines.append(f"| {s['label']} | " + " | ".join(_s(s["stages"][k]) for k in keys) + " |")
    if results["growth"]:
        lines += ["", "Growth: cost ∝ size^k between consecutive sizes (k = 1 is linear; fixed start-up costs "
                  "make k < 1 at small sizes). Marginal = extra render time per added tie or partner.", "",
                  "| along | from → to | k render (wall) | k render (CPU) | k HTML | k drawn | marginal render |",
                  "|---|---|---|---|---|---|---|"]
        for g in results["growth"]:
            lines.append(f"| {g['axis']} | {g['from']} → {g['to']} | {_s(g['render_s'])} | {_s(g['render_cpu_s'])} "
                         f"| {_s(g['html_bytes'])} | {_s(g['draw_ms'])} | {g['marginal_render_ms']:.2f} ms |")
    return "\n".join(lines) + "\n"


def _stage_line(stages: dict) -> str:
    order = (("import_cli_s", "import CLI"), ("import_render_s", "import folium & co"), ("parse_s", "parse JSON"),
             ("check_s", "check"), ("select_s", "select"), ("payload_s", "payload"),
             ("script_json_s", "JSON encode"), ("folium_s", "folium map"), ("to_html_s", "render HTML"),
             ("write_s", "write"))
    return ", ".join(f"{label} {stages[k]:.2f} s" for k, label in order) + f"; total {stages['total_s']:.2f} s"


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
    ap = argparse.ArgumentParser(prog="benchmarks/run.py", description="partnermap benchmarks (issue 7).")
    ap.add_argument("--quick", action="store_true",
                    help=f"sizes {','.join(QUICK_SIZES)}, repeat {QUICK_REPEAT}, no stage breakdown (< 60 s)")
    ap.add_argument("--sizes", help="comma-separated PARTNERSxTIES (or TIES: 50 partners); "
                                    f"default {','.join(DEFAULT_SIZES)}")
    ap.add_argument("--repeat", type=int, help=f"runs per measurement, median reported (default {DEFAULT_REPEAT}, "
                                               f"--quick {QUICK_REPEAT})")
    ap.add_argument("--focal", default="JPN", help="focal country (ISO3) of the synthetic networks")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium draw times")
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
    if repeat < 1:
        ap.error("--repeat must be at least 1")

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)

    if args.from_json:
        results = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        return report(results, args.write, None)
    load = _load()
    if load and load[0] > (os.cpu_count() or 1) / 2:
        log(f"warning: load average {load[0]} on {os.cpu_count()} cores; other processes will slow the timings")
    try:
        results = run_all(sizes=sizes, repeat=repeat, focal=args.focal.upper(), browser=not args.no_browser,
                          stages=not (args.no_stages or args.quick), warmup=True,
                          workdir=Path(args.keep) if args.keep else None, quick=args.quick, log=log)
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
