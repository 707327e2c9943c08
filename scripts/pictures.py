"""Regenerate the README's pictures: `make pictures`.

docs/img/map.png is a headless-Chromium screenshot of the default interactive
map (network blocked, as in a room without wifi); docs/img/static.png is the
static export of the same data. Run after any change to how maps look.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import partnermap
from partnermap.export import save_static

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 720) -> None:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("PARTNERMAP_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(html.resolve().as_uri())
        page.wait_for_selector("[data-pm-ready]")
        page.screenshot(path=str(png))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    """``pictures.py [OUT_DIR]`` (default docs/img)."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else IMG
    out.mkdir(parents=True, exist_ok=True)
    data = partnermap.load()
    with tempfile.TemporaryDirectory() as tmp:
        html = partnermap.save_map(partnermap.build_map(data), Path(tmp) / "map.html")
        screenshot(html, out / "map.png")
    save_static(data, out / "static.png", dpi=96)
    for name in ("map.png", "static.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
