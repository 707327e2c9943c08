"""Smoke test of the benchmark suite (benchmarks/): runs it at a tiny size so it cannot rot.

It checks the structure of the results, never a timing: timings belong to
``make bench`` and BENCHMARKS.md, not to a test that must pass on a busy machine.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from partnermap import validate
from partnermap.cli import main as cli

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
TARGET_NAMES = 16
EVENTS = 2
HEAVY = 300
# The map script's phases the benchmark times (drawtime.INSTRUMENT); if the script renames one, the
# breakdown would silently go empty: this test says so instead.
DRAW_PHASES = {"layers.build", "controls.build", "layers.apply", "controls.update", "compute", "state", "declutter"}
# `declutter` runs only when a name came or went or a panel may have resized (#15), so an event
# that changed neither has no time for it
EVENT_PHASES = {"compute", "state", "layers.apply", "controls.update"}


@pytest.fixture
def bench(monkeypatch):
    """The benchmark modules, imported the way `python benchmarks/run.py` sees them."""
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("run"), importlib.import_module("synth")


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _timing(stats: dict, runs: int) -> None:
    assert set(stats) >= {"median_s", "min_s", "max_s", "runs_s", "cpu_median_s", "rss_median_bytes", "rss_max_bytes"}
    assert len(stats["runs_s"]) == runs
    assert all(_positive(v) for v in (stats["median_s"], stats["min_s"], stats["max_s"], *stats["runs_s"]))
    assert stats["min_s"] <= stats["median_s"] <= stats["max_s"]
    assert stats["cpu_median_s"] >= 0
    # peak memory of that one process (os.wait4), not the largest child so far: a Python process
    # holds more than 10 MB, and `--help` (no folium) far less than a render
    assert 10 * 2**20 < stats["rss_median_bytes"] <= stats["rss_max_bytes"] < 4 * 2**30


def _drawn(b: dict, runs: int, packed: bool = False) -> None:
    assert _positive(b["median_ms"]) and len(b["runs_ms"]) == runs
    assert b["blocked_requests"] == []  # self-contained: nothing asked of the network
    assert b["errors"] == []
    assert _positive(b["before_median_ms"]) and _positive(b["draw_median_ms"])
    assert b["before_median_ms"] + b["draw_median_ms"] <= b["median_ms"] + 1
    assert b["packed"] is packed and (b["unpack_median_ms"] is not None) is packed
    assert set(b["phases_median_ms"]) >= DRAW_PHASES
    assert b["phases_median_ms"]["layers.build"] <= b["draw_median_ms"]


def _event(e: dict, events: int, phases: bool = True) -> None:
    assert "error" not in e, e.get("error")
    assert len(e["runs_ms"]) == events and all(_positive(v) for v in e["runs_ms"])
    assert e["min_ms"] <= e["median_ms"] <= e["max_ms"]
    assert 0 <= e["script_median_ms"] <= e["max_ms"] and e["frame_median_ms"] >= 0
    if phases:  # the refresh cycle ran, and each of its phases was timed
        assert set(e["phases_median_ms"]) >= EVENT_PHASES
        assert sum(e["phases_median_ms"].values()) <= e["script_median_ms"] * 1.01 + 1


def _interaction(it: dict, events: int, partners: set[str]) -> None:
    assert it["blocked_requests"] == [] and it["errors"] == []
    for kind in ("toggle", "step", "popup"):
        _event(it[kind], events, phases=kind != "popup")
    assert it["toggle"]["target_ties"] > 0
    assert it["step"]["first_year"] < it["step"]["last_year"] and it["step"]["play_ms"] > 0
    popup = it["popup"]
    assert popup["opened"] and popup["items"] > 0 and popup["target"] in partners and popup["target_ties"] > 0


@pytest.mark.browser
def test_benchmark_runs_end_to_end_at_a_tiny_size(bench, tmp_path, runner):
    run, _synth = bench
    messages: list[str] = []
    results = run.run_all(sizes=[(20, 50)], repeat=1, warmup=False, workdir=tmp_path, browser=True, stages=True,
                          events=EVENTS, heavy=HEAVY, log=messages.append)
    assert messages
    assert set(results) >= {"settings", "machine", "default", "scale", "heavy", "growth", "targets", "duration_s"}

    m = results["machine"]
    assert m["cores"] >= 1 and m["ram_gib"] > 0 and m["python"] and m["cpu"]
    assert m["packages"]["partnermap"] and m["packages"]["folium"] and m["chromium"]

    d = results["default"]
    assert d["dataset"]["partners"] > 0 and d["dataset"]["ties"] > 0
    for key in ("floor", "render", "help"):
        _timing(d[key], runs=1 if key != "help" else 5)
    assert d["help"]["rss_median_bytes"] < d["render"]["rss_median_bytes"]
    _timing(d["render_cdn"], runs=1)
    assert _positive(d["html_bytes"]) and _positive(d["html_cdn_bytes"])
    assert d["html_cdn_bytes"] < d["html_bytes"]  # --cdn links Leaflet instead of inlining it
    assert _positive(d["ratios"]["render_vs_floor"]) and _positive(d["ratios"]["render_vs_floor_cpu"])
    if d["explore"]["available"]:
        _timing(d["explore"], runs=1)
        assert _positive(d["ratios"]["render_vs_explore"]) and _positive(d["explore"]["html_bytes"])
    else:  # the baseline needs mapclassify; the run says so instead of failing
        assert "mapclassify" in d["explore"]["note"] and d["ratios"]["render_vs_explore"] is None
    _drawn(d["browser"], runs=1)
    _interaction(d["interaction"], EVENTS, _ids(d))
    _stages(d["stages"])

    assert [s["label"] for s in results["scale"]] == ["20x50"]
    for s in results["scale"]:
        assert s["validity"]["ok"]
        assert s["validity"]["summary"].startswith(f"{s['partners']} partners, {s['ties']} ties")
        # the generated file validates through the command line too
        outcome = runner.invoke(cli, ["validate", s["path"]])
        assert outcome.exit_code == 0, outcome.output
        for key in ("floor", "render", "validate"):
            _timing(s[key], runs=1)
        assert all(_positive(v) for v in s["ratios"].values())
        assert _positive(s["file_bytes"]) and _positive(s["html_bytes"]) and _positive(s["render_timeline_s"])
        _stages(s["stages"])
        assert s["stages"]["html_bytes"] == s["html_bytes"]  # the stages are the same render as the command's
        _drawn(s["browser"], runs=1)
        _interaction(s["interaction"], EVENTS, _ids(s))

    h = results["heavy"]
    assert (h["partners"], h["ties"], h["label"]) == (1, HEAVY, f"1x{HEAVY}") and h["validity"]["ok"]
    assert _positive(h["render_s"]) and _positive(h["html_bytes"]) and _positive(h["render_rss_bytes"])
    _drawn(h["browser"], runs=1)
    _event(h["interaction"]["popup"], EVENTS, phases=False)
    assert h["interaction"]["popup"]["target_ties"] == HEAVY
    assert 0 < h["interaction"]["popup"]["items"] < HEAVY  # the first page of each category, not every tie

    assert results["growth"] == []  # one size: nothing to compare
    small = results["scale"][0]

    def doubled(stats: dict) -> dict:
        return {k: 2 * v for k, v in stats.items() if k in ("median_s", "cpu_median_s", "rss_median_bytes")}

    bigger = {**small, "ties": 100, "label": "20x100", "html_bytes": 2 * small["html_bytes"],
              "render": doubled(small["render"]), "validate": doubled(small["validate"]),
              "browser": {"median_ms": 2 * small["browser"]["median_ms"]}}
    (g,) = run.growth([small, bigger])
    assert g["axis"] == "ties" and (g["from"], g["to"]) == ("20x50", "20x100")
    for k in ("render_s", "render_cpu_s", "validate_s", "validate_cpu_s", "peak_rss", "html_bytes", "draw_ms"):
        assert g[k] == pytest.approx(1.0)

    targets = results["targets"]
    assert len(targets) == TARGET_NAMES and len({t["target"] for t in targets}) == TARGET_NAMES
    assert {t["status"] for t in targets} | {t["cpu_status"] for t in targets} <= {"PASS", "FAIL", "n/a"}
    # no 10,000- or 100,000-tie size here: those targets say so; the popup is judged on every page
    sized = [t for t in targets if "10,000 ties" in t["target"] or "100,000 ties" in t["target"]]
    assert len(sized) == 9 and all(t["status"] == "n/a" and "not measured" in t["shown"] for t in sized)
    popup = next(t for t in targets if t["target"].startswith("popup"))
    assert popup["status"] in ("PASS", "FAIL") and popup["value"] > 0
    # the same results, as if the size were large: every sized target gets a verdict
    for ties, tier in ((10_000, "10,000 ties"), (100_000, "100,000 ties")):
        judged = run.evaluate({**results, "scale": [{**small, "ties": ties, "label": f"20x{ties}"}]})
        tiered = [t for t in judged if t["target"].startswith(tier)]
        assert tiered and all(t["status"] in ("PASS", "FAIL") for t in tiered)

    json.dumps(results)  # --json can always write it
    section = run.render_markdown(results)
    assert "### Targets" in section and all(t["target"] in section for t in targets)
    assert "### Interaction in Chromium" in section and "frames a second" in section
    assert f"One partner with {HEAVY} ties" in section

    doc = tmp_path / "BENCHMARKS.md"
    stale = f"{run.MARK_BEGIN}\nstale results\n{run.MARK_END}"
    prose = f"`--write` replaces `{run.MARK_BEGIN}` to `{run.MARK_END}`\n"  # mentions are not markers
    doc.write_text(f"# Benchmarks\n\n{prose}\n{stale}\n\nafter\n", encoding="utf-8")
    run.write_section(doc, section)
    run.write_section(doc, section)  # idempotent
    text = doc.read_text(encoding="utf-8")
    assert "stale results" not in text and text.count("### Targets") == 1
    assert text.startswith(f"# Benchmarks\n\n{prose}\n{run.MARK_BEGIN}\n")
    assert text.endswith(f"{run.MARK_END}\n\nafter\n")

    raw = tmp_path / "results.json"
    raw.write_text(json.dumps(results), encoding="utf-8")
    assert run.main(["--from-json", str(raw)]) == 0  # a saved run reports again without measuring


def _ids(page: dict) -> set[str]:
    """The partner ids of a page's source file (its popup targets one of them)."""
    path = page.get("path") or page["dataset"]["path"]
    src = Path(path) if Path(path).is_absolute() else BENCH.parent / path
    return {f["properties"]["id"] for f in json.loads(src.read_text(encoding="utf-8"))["features"]}


def _stages(stages: dict) -> None:
    for k in ("import_cli_s", "import_render_s", "read_check_s", "parse_s", "check_s", "select_s", "scene_s",
              "payload_s", "pack_s", "folium_s", "to_html_s", "write_s", "total_s"):
        assert isinstance(stages[k], float) and stages[k] >= 0, k  # every stage still found in the code
    assert stages["parse_s"] + stages["check_s"] <= stages["read_check_s"] * 1.01 + 0.001
    assert _positive(stages["total_s"]) and _positive(stages["html_bytes"])
    after = list(stages["peak_rss_after"].values())
    assert after == sorted(after) and after[-1] == stages["peak_rss_bytes"]  # a peak only grows


def test_synth_any_focal_is_valid_and_deterministic(bench, tmp_path):
    _run, synth = bench
    path = synth.write(tmp_path / "bra.geojson", focal="bra", partners=12, ties=30, seed=1)
    report = validate(path)
    assert report.ok, report.problems
    assert report.dataset.focal.id == "BRA" and len(report.dataset.partners) == 12 and len(report.dataset.ties) == 30
    kinds = {p.kind.value for p in report.dataset.partners}
    assert kinds == {"state", "organisation", "group"}
    assert synth.generate("BRA", 12, 30, seed=1) == json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match="not in the bundled basemap"):
        synth.generate("XXX", 5, 5)
    with pytest.raises(ValueError, match="partners <= ties"):
        synth.generate("JPN", 10, 5)


def test_sizes_parse(bench):
    run, _synth = bench
    assert run.parse_sizes("50x100, 1000,250X10000") == [(50, 100), (50, 1000), (250, 10000)]
    assert run.parse_sizes(["20"]) == [(20, 20)]
    for bad in ("", "10x5", "0x10", "ax1"):
        with pytest.raises(ValueError):
            run.parse_sizes(bad)
    assert run.exponent(1.0, 10.0, 100, 1000) == pytest.approx(1.0)
    assert run.exponent(None, 1.0, 1, 2) is None
