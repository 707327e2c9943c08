"""How fast a drawn partnermap page answers the hand, in headless Chromium.

Each interaction is timed in the page from the event to the second animation
frame after it: ``t0 = performance.now()``, the event is dispatched (its
handlers run synchronously), then ``requestAnimationFrame`` twice; the second
callback runs once the frame that shows the change has been painted. Between
events the page is left idle (two frames and ``SETTLE_MS``), so each event
starts from a quiet page, as a presenter's next click does.

- **toggle**: a click on the live type filter (``.pm-filter input[data-type]``)
  of the type with the most ties, alternately off and on;
- **step**: the timeline slider (``.pm-timeline input[type=range]``, present
  when rendered with ``--timeline``) moved one year, and ``input`` dispatched,
  forward year by year as the play button does, through the last years before
  the end (the fullest map, so the dearest steps);
- **popup**: the popup of the partner with the most ties, opened by Leaflet's
  own ``click`` event on its territory (or grouping outline) at the centre of
  its bounds, then closed again untimed.

Each event also reports the time in its synchronous handlers (``script``) and
in the map script's phases (``compute``, ``state``, ``layers.apply``,
``controls.update``, ``declutter``: the timers ``drawtime.INSTRUMENT`` puts
on them); the rest of the event-to-frame time is the browser's style, layout
and paint, and waiting for the frame.
"""

from __future__ import annotations

import statistics
from pathlib import Path

SETTLE_MS = 100
KINDS = ("toggle", "step", "popup")

MEASURE = """
async ({ kind, count, settleMs }) => {
  const PM = window.partnermap, pm = PM && PM.last;
  if (!pm) return { error: "no partnermap.last on the page" };
  const phases = window.__pmPhases || {};
  const frames = () => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now()))));
  const pause = (ms) => new Promise((done) => setTimeout(done, ms));
  const snapshot = () => { const o = {}; for (const [k, v] of Object.entries(phases)) o[k] = v[0]; return o; };
  const runs = [];
  async function measure(act, after) {
    await frames();
    await pause(settleMs);
    for (const k of Object.keys(phases)) delete phases[k];
    const t0 = performance.now();
    act();
    const script = performance.now() - t0;
    const t2 = await frames();
    runs.push({ ms: t2 - t0, script_ms: script, phases_ms: snapshot(), ...(after ? after() : {}) });
  }
  const ties = pm.data.ties;
  if (kind === "toggle") {
    const tally = {};
    for (let i = 0; i < pm.n; i++) tally[ties.type[i]] = (tally[ties.type[i]] || 0) + 1;
    const boxes = [...document.querySelectorAll(".pm-filter input[type=checkbox][data-type]")];
    if (!boxes.length) return { error: "no live type filter (.pm-filter input[data-type]) on the page" };
    const box = boxes.reduce((a, b) => ((tally[b.value] || 0) > (tally[a.value] || 0) ? b : a));
    for (let i = 0; i < count; i++) await measure(() => box.click(), () => ({ checked: box.checked }));
    if (!box.checked) box.click();
    return { runs, target: box.value, target_ties: tally[box.value] || 0, ties: pm.n };
  }
  if (kind === "step") {
    const input = document.querySelector(".pm-timeline input[type=range]");
    if (!input) return { error: "no timeline slider (.pm-timeline input[type=range]): render with --timeline" };
    const lo = +input.min, hi = +input.max;
    let year = Math.max(lo, hi - count);
    input.value = String(year);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    for (let i = 0; i < count; i++) {
      year = year >= hi ? lo : year + 1;
      const y = year;
      await measure(() => { input.value = String(y); input.dispatchEvent(new Event("input", { bubbles: true })); },
                    () => ({ year: y }));
    }
    return { runs, first_year: lo, last_year: hi, ties: pm.n,
             play_ms: (pm.style && pm.style.web && pm.style.web.play_ms) || null };
  }
  if (kind === "popup") {
    let id = null, most = -1;
    for (const k of Object.keys(pm.byPartner || {})) {
      if (pm.byPartner[k].length > most) { most = pm.byPartner[k].length; id = k; }
    }
    const grouping = (pm.groupings || []).find((g) => g.id === id);
    const layer = (pm.territories || {})[id] || (grouping && grouping.shape);
    if (!layer) return { error: "no clickable shape for partner " + id };
    const at = layer.getBounds().getCenter();
    for (let i = 0; i < count; i++) {
      await measure(() => layer.fire("click", { latlng: at }), () => ({
        opened: !!document.querySelector(".leaflet-popup-content .pm-popup"),
        items: document.querySelectorAll(".leaflet-popup-content .pm-tie").length }));
      pm.map.closePopup();
    }
    return { runs, target: id, target_ties: most, ties: pm.n };
  }
  return { error: "unknown interaction " + kind };
}
"""


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(raw: dict) -> dict:
    """Medians of one interaction's runs: total, script, each phase, and the rest (style, layout, paint)."""
    if raw.get("error"):
        return {"error": raw["error"]}
    runs = raw.pop("runs")
    keys = sorted({k for r in runs for k in r["phases_ms"]})
    out = {
        "median_ms": statistics.median(r["ms"] for r in runs),
        "min_ms": min(r["ms"] for r in runs),
        "max_ms": max(r["ms"] for r in runs),
        "runs_ms": [round(r["ms"], 1) for r in runs],
        "script_median_ms": statistics.median(r["script_ms"] for r in runs),
        "frame_median_ms": statistics.median(r["ms"] - r["script_ms"] for r in runs),
        # script time outside the timed phases: the event, refresh itself, the slider's own text, ...
        "other_script_median_ms": statistics.median(max(0.0, r["script_ms"] - sum(r["phases_ms"].values()))
                                                    for r in runs),
        "phases_median_ms": {k: _median([r["phases_ms"].get(k, 0.0) for r in runs]) for k in keys},
        **raw,
    }
    if "opened" in runs[0]:
        out["opened"] = all(r["opened"] for r in runs)
        out["items"] = runs[0]["items"]
    return out


def measure(browser, html: Path, kinds: tuple[str, ...], count: int) -> dict:
    """Open ``html`` once and time ``count`` events of each kind; one summary per kind (or its error)."""
    results: dict = {}
    with browser.open(html) as (page, log):
        # a big map inflates the ties' texts after drawing (data-pm-details): time events once they are in
        page.wait_for_selector("[data-pm-details]", timeout=120_000)
        page.wait_for_timeout(500)
        for kind in kinds:
            raw = page.evaluate(MEASURE, {"kind": kind, "count": count, "settleMs": SETTLE_MS})
            results[kind] = summarise(raw)
    results["blocked_requests"] = sorted(set(log["blocked"]))
    results["errors"] = sorted(set(log["errors"]))
    return results


def fps(step_ms: float | None) -> float | None:
    """Timeline steps a second the page could show (each step painted before the next)."""
    return None if not step_ms else 1000.0 / step_ms
