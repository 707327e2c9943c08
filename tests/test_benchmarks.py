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
TARGET_NAMES = 9


@pytest.fixture
def bench(monkeypatch):
    """The benchmark modules, imported the way `python benchmarks/run.py` sees them."""
    monkeypatch.syspath_prepend(str(BENCH))
    return importlib.import_module("run"), importlib.import_module("synth")


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _timing(stats: dict, runs: int) -> None:
    assert set(stats) >= {"median_s", "min_s", "max_s", "runs_s", "cpu_median_s"}
    assert len(stats["runs_s"]) == runs
    assert all(_positive(v) for v in (stats["median_s"], stats["min_s"], stats["max_s"], *stats["runs_s"]))
    assert stats["min_s"] <= stats["median_s"] <= stats["max_s"]
    assert stats["cpu_median_s"] >= 0


def _drawn(b: dict, runs: int) -> None:
    assert _positive(b["median_ms"]) and len(b["runs_ms"]) == runs
    assert b["blocked_requests"] == []  # self-contained: nothing asked of the network
    assert b["errors"] == []


@pytest.mark.browser
def test_benchmark_runs_end_to_end_at_a_tiny_size(bench, tmp_path, runner):
    run, _synth = bench
    messages: list[str] = []
    results = run.run_all(sizes=[(20, 50)], repeat=1, warmup=False, workdir=tmp_path,
                          browser=True, stages=True, log=messages.append)
    assert messages
    assert set(results) >= {"settings", "machine", "default", "scale", "growth", "targets", "duration_s"}

    m = results["machine"]
    assert m["cores"] >= 1 and m["ram_gib"] > 0 and m["python"] and m["cpu"]
    assert m["packages"]["partnermap"] and m["packages"]["folium"] and m["chromium"]

    d = results["default"]
    assert d["dataset"]["partners"] > 0 and d["dataset"]["ties"] > 0
    for key in ("floor", "render", "help"):
        _timing(d[key], runs=1 if key != "help" else 5)
    _timing(d["render_cdn"], runs=1)
    assert _positive(d["html_bytes"]) and _positive(d["html_cdn_bytes"])
    assert d["html_cdn_bytes"] < d["html_bytes"]  # --cdn links Leaflet instead of inlining it
    assert _positive(d["ratios"]["render_vs_floor"])
    if d["explore"]["available"]:
        _timing(d["explore"], runs=1)
        assert _positive(d["ratios"]["render_vs_explore"]) and _positive(d["explore"]["html_bytes"])
    else:  # the baseline needs mapclassify; the run says so instead of failing
        assert "mapclassify" in d["explore"]["note"] and d["ratios"]["render_vs_explore"] is None
    _drawn(d["browser"], runs=1)
    assert all(v >= 0 for k, v in d["stages"].items() if k.endswith("_s")) and _positive(d["stages"]["total_s"])

    assert [s["label"] for s in results["scale"]] == ["20x50"]
    for s in results["scale"]:
        assert s["validate"]["ok"]
        assert s["validate"]["summary"].startswith(f"{s['partners']} partners, {s['ties']} ties")
        # the generated file validates through the command line too
        outcome = runner.invoke(cli, ["validate", s["path"]])
        assert outcome.exit_code == 0, outcome.output
        _timing(s["render"], runs=1)
        assert _positive(s["file_bytes"]) and _positive(s["html_bytes"])
        assert _positive(s["stages"]["total_s"]) and _positive(s["stages"]["html_bytes"])
        _drawn(s["browser"], runs=1)

    assert results["growth"] == []  # one size: nothing to compare
    small = results["scale"][0]
    bigger = {**small, "ties": 100, "label": "20x100", "html_bytes": 2 * small["html_bytes"],
              "render": {k: 2 * v for k, v in small["render"].items() if k in ("median_s", "cpu_median_s")},
              "browser": {"median_ms": 2 * small["browser"]["median_ms"]}}
    (g,) = run.growth([small, bigger])
    assert g["axis"] == "ties" and (g["from"], g["to"]) == ("20x50", "20x100")
    for k in ("render_s", "render_cpu_s", "html_bytes", "draw_ms"):
        assert g[k] == pytest.approx(1.0)

    targets = results["targets"]
    assert len(targets) == TARGET_NAMES and len({t["target"] for t in targets}) == TARGET_NAMES
    assert {t["status"] for t in targets} | {t["cpu_status"] for t in targets} <= {"PASS", "FAIL", "n/a"}
    assert any(t["status"] == "n/a" and "10,000" in t["target"] for t in targets)  # no large size here

    json.dumps(results)  # --json can always write it
    section = run.render_markdown(results)
    assert "### Targets" in section and all(t["target"] in section for t in targets)

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
