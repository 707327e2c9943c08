"""Time until a partnermap page is drawn in headless Chromium, with the network blocked,
and where that time goes.

The clock is the page's own: ``performance.now()`` counts from navigation
start. An init script (run before any page script) watches for the map
container's ``data-pm-ready`` attribute, which the map script sets when
drawing is done and the view has settled, and records ``performance.now()`` at that moment; two
animation frames later it records the first paint after it.

A second init script (``INSTRUMENT``) times the map script's own phases: it
sets accessors on ``window.partnermap`` so that, as the page's scripts define
``partnermap.decode``, ``.draw``, ``.layers``, ``.controls`` and
``.PartnerMap``, their functions are wrapped with timers (a few microseconds a
call; any that does not exist is left alone). That gives the unpacking of a
deflated payload (``decode.unpack``: base64, ``DecompressionStream``,
``JSON.parse``) apart from the drawing, and the drawing by phase; the
interaction benchmark (``interaction.py``) reads the same timers per event.

Chromium is Debian's (``/usr/bin/chromium`` or ``PARTNERMAP_CHROMIUM``),
driven by Playwright's client, exactly as in the browser tests.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 720}
TIMEOUT_MS = 120_000

WATCH_READY = """
(() => {
  const seen = () => {
    if (window.__pmReadyAt !== undefined) return;
    window.__pmReadyAt = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => { window.__pmPaintedAt = performance.now(); }));
  };
  new MutationObserver((records, observer) => {
    for (const r of records) {
      if (r.target.hasAttribute && r.target.hasAttribute("data-pm-ready")) { seen(); observer.disconnect(); return; }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-pm-ready"] });
})();
"""

# The map script's phases, timed where it defines them. window.__pmPhases[key] = [ms, calls],
# summed until reset; window.__pmMarks holds moments (ms since navigation start).
PHASES = {
    "layers": ["build", "apply"],
    "controls": ["build", "update", "fit"],
    "PartnerMap": ["compute", "state", "declutter"],  # methods of PartnerMap.prototype
}

INSTRUMENT = """
(() => {
  const phases = window.__pmPhases = {}, marks = window.__pmMarks = {};
  const WANT = %(phases)s;
  const timed = (obj, name, key) => {
    const f = obj && obj[name];
    if (typeof f !== "function" || f.__pmTimed) return;
    const g = function () {
      const s = performance.now();
      try { return f.apply(this, arguments); }
      finally { const p = phases[key] || (phases[key] = [0, 0]); p[0] += performance.now() - s; p[1] += 1; }
    };
    g.__pmTimed = true;
    obj[name] = g;
  };
  const PM = window.partnermap = window.partnermap || {};
  // As the page defines PM[prop], onSet may wrap it (returning the replacement) or time its methods.
  const hook = (prop, onSet) => {
    let value = PM[prop];
    Object.defineProperty(PM, prop, { configurable: true, enumerable: true, get: () => value,
      set: (v) => { value = v; try { value = onSet(v) || v; } catch (e) { /* never break the page */ } } });
  };
  hook("decode", (d) => {
    if (!d || typeof d.unpack !== "function" || d.unpack.__pmTimed) return;
    const unpack = d.unpack;
    d.unpack = function (b64, then, box) {
      marks.unpackStart = performance.now();
      marks.packedChars = b64 && b64.length;
      const done = function () { marks.unpacked = performance.now(); return then.apply(this, arguments); };
      return unpack.call(this, b64, done, box);
    };
    d.unpack.__pmTimed = true;
  });
  hook("draw", (f) => {
    if (typeof f !== "function" || f.__pmTimed) return;
    const g = function () { marks.drawStart = performance.now(); return f.apply(this, arguments); };
    g.__pmTimed = true;
    return g;
  });
  hook("layers", (o) => WANT.layers.forEach((n) => timed(o, n, "layers." + n)));
  hook("controls", (o) => WANT.controls.forEach((n) => timed(o, n, "controls." + n)));
  hook("PartnerMap", (C) => C && WANT.PartnerMap.forEach((n) => timed(C.prototype, n, n)));
})();
"""

TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0] || {};
  const phases = {};
  for (const [k, v] of Object.entries(window.__pmPhases || {})) phases[k] = v[0];
  return { ready: window.__pmReadyAt, painted: window.__pmPaintedAt ?? null,
           domContentLoaded: nav.domContentLoadedEventEnd ?? null, load: nav.loadEventEnd ?? null,
           marks: window.__pmMarks || {}, phases: phases };
}"""


def instrument_script() -> str:
    import json

    return INSTRUMENT % {"phases": json.dumps(PHASES)}


def chromium_path() -> str:
    return os.environ.get("PARTNERMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def _median(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class Browser:
    """One headless Chromium for a whole benchmark run; a fresh context (no cache) per page load."""

    def __init__(self, executable: str | None = None):
        self.executable = executable or chromium_path()
        self._pw = None
        self._browser = None

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        if not Path(self.executable).exists():
            raise FileNotFoundError(f"Chromium not found at {self.executable}: `apt-get install -y chromium` "
                                    "or set PARTNERMAP_CHROMIUM")
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=self.executable, args=CHROMIUM_ARGS)
        except BaseException:
            self._pw.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()

    @property
    def version(self) -> str:
        return self._browser.version if self._browser else "unknown"

    @contextlib.contextmanager
    def open(self, html: Path):
        """A drawn page of ``html`` in a new context, every non-file request blocked, instrumented.

        Yields ``(page, log)``; ``log`` collects ``blocked`` URLs and page ``errors`` while it is open."""
        context = self._browser.new_context(viewport=VIEWPORT)
        log: dict[str, list[str]] = {"blocked": [], "errors": []}
        try:
            page = context.new_page()
            page.on("pageerror", lambda e: log["errors"].append(str(e)))
            page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)

            def route(r):
                if r.request.url.startswith(("file:", "data:", "about:")):
                    r.continue_()
                else:
                    log["blocked"].append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.add_init_script(WATCH_READY)
            page.add_init_script(instrument_script())
            page.goto(Path(html).resolve().as_uri(), wait_until="commit", timeout=TIMEOUT_MS)
            page.wait_for_function("window.__pmReadyAt !== undefined", timeout=TIMEOUT_MS, polling=20)
            with contextlib.suppress(Exception):  # the paint time is informative only
                page.wait_for_function("window.__pmPaintedAt !== undefined", timeout=5_000, polling=20)
            yield page, log
        finally:
            context.close()

    def load_once(self, html: Path) -> dict:
        """Open ``html`` once; the page's timings in ms (from navigation start) and its phases."""
        with self.open(html) as (page, log):
            timings = page.evaluate(TIMINGS)
        marks = timings["marks"]
        start = marks.get("unpackStart", marks.get("drawStart"))
        unpack = (marks["unpacked"] - marks["unpackStart"]) if "unpacked" in marks and "unpackStart" in marks else None
        draw = (timings["ready"] - marks["drawStart"]) if "drawStart" in marks else None
        return {"ready_ms": timings["ready"], "painted_ms": timings["painted"],
                "dom_content_loaded_ms": timings["domContentLoaded"],
                "before_ms": start,  # navigation start -> the map script's first call (parse, Leaflet, scripts)
                "unpack_ms": unpack,  # base64 + DecompressionStream + JSON.parse; None when not packed
                "draw_ms": draw,  # partnermap.draw -> data-pm-ready
                "packed_chars": marks.get("packedChars"),
                "phases_ms": timings["phases"],
                "blocked": log["blocked"], "errors": log["errors"]}

    def draw_time(self, html: Path, repeat: int) -> dict:
        """Median over ``repeat`` fresh loads of navigation start -> ``data-pm-ready``, and its parts."""
        runs = [self.load_once(html) for _ in range(repeat)]
        ready = [r["ready_ms"] for r in runs]
        keys = sorted({k for r in runs for k in r["phases_ms"]})
        return {
            "median_ms": statistics.median(ready),
            "runs_ms": [round(v, 1) for v in ready],
            "painted_median_ms": _median([r["painted_ms"] for r in runs]),
            "dom_content_loaded_median_ms": _median([r["dom_content_loaded_ms"] for r in runs]),
            "before_median_ms": _median([r["before_ms"] for r in runs]),
            "unpack_median_ms": _median([r["unpack_ms"] for r in runs]),
            "draw_median_ms": _median([r["draw_ms"] for r in runs]),
            "packed": runs[0]["packed_chars"] is not None,
            "phases_median_ms": {k: _median([r["phases_ms"].get(k) for r in runs]) for k in keys},
            "blocked_requests": sorted({u for r in runs for u in r["blocked"]}),
            "errors": sorted({e for r in runs for e in r["errors"]}),
        }
