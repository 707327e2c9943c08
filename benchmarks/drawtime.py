"""Time until a partnermap page is drawn in headless Chromium, with the network blocked.

The clock is the page's own: ``performance.now()`` counts from navigation
start. An init script (run before any page script) watches for the map
container's ``data-pm-ready`` attribute, which the map script (``assets/js/map.js``)
sets when drawing is done and the view has settled, and records ``performance.now()`` at that moment; two
animation frames later it records the first paint after it. Chromium is
Debian's (``/usr/bin/chromium`` or ``PARTNERMAP_CHROMIUM``), driven by
Playwright's client, exactly as in the browser tests.
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

TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0] || {};
  return { ready: window.__pmReadyAt, painted: window.__pmPaintedAt ?? null,
           domContentLoaded: nav.domContentLoadedEventEnd ?? null, load: nav.loadEventEnd ?? null };
}"""


def chromium_path() -> str:
    return os.environ.get("PARTNERMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


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

    def load_once(self, html: Path) -> dict:
        """Open ``html`` in a new context with every non-file request blocked; the page's timings in ms."""
        context = self._browser.new_context(viewport=VIEWPORT)
        blocked: list[str] = []
        errors: list[str] = []
        try:
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

            def route(r):
                if r.request.url.startswith(("file:", "data:", "about:")):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.add_init_script(WATCH_READY)
            page.goto(Path(html).resolve().as_uri(), wait_until="commit", timeout=TIMEOUT_MS)
            page.wait_for_function("window.__pmReadyAt !== undefined", timeout=TIMEOUT_MS, polling=20)
            with contextlib.suppress(Exception):  # the paint time is informative only
                page.wait_for_function("window.__pmPaintedAt !== undefined", timeout=5_000, polling=20)
            timings = page.evaluate(TIMINGS)
        finally:
            context.close()
        return {"ready_ms": timings["ready"], "painted_ms": timings["painted"],
                "dom_content_loaded_ms": timings["domContentLoaded"], "blocked": blocked, "errors": errors}

    def draw_time(self, html: Path, repeat: int) -> dict:
        """Median over ``repeat`` fresh loads of navigation start -> ``data-pm-ready``."""
        runs = [self.load_once(html) for _ in range(repeat)]
        ready = [r["ready_ms"] for r in runs]
        painted = [r["painted_ms"] for r in runs if r["painted_ms"] is not None]
        dcl = [r["dom_content_loaded_ms"] for r in runs if r["dom_content_loaded_ms"]]
        return {
            "median_ms": statistics.median(ready),
            "runs_ms": [round(v, 1) for v in ready],
            "painted_median_ms": statistics.median(painted) if painted else None,
            "dom_content_loaded_median_ms": statistics.median(dcl) if dcl else None,
            "blocked_requests": sorted({u for r in runs for u in r["blocked"]}),
            "errors": sorted({e for r in runs for e in r["errors"]}),
        }
