"""Regenerate the README's pictures: `make pictures`.

docs/img/map.png is a headless-Chromium screenshot of the default interactive
map (network blocked, as in a room without wifi); docs/img/static.png is the
static export of the same data; docs/img/story.png is the bundled story's page
at one step. Run after any change to how maps or stories look.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import partnermap
from partnermap.export import save_static, write_text
from partnermap.render import build_story, to_html
from partnermap.story import load_story

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
STORY = ROOT / "stories" / "japan-response-to-trump-2.md"
STORY_STEP = 5  # the Philippines and Australia: a step's text, sources and map side by side
SETTLE_MS = 1500  # the map is ready before Leaflet's zoom (or a story's flight) ends


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 720, ready: str = "[data-pm-ready]",
               fragment: str = "") -> None:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("PARTNERMAP_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(html.resolve().as_uri() + fragment)
        page.wait_for_selector(ready)
        page.wait_for_timeout(SETTLE_MS)
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
        story, dataset, steps = load_story(STORY)
        page = write_text(Path(tmp) / "story.html", to_html(build_story(story, dataset, steps, pictures=False)))
        screenshot(page, out / "story.png", ready="[data-pm-story=ready]", fragment=f"#step-{STORY_STEP}")
    save_static(data, out / "static.png", dpi=96)
    for name in ("map.png", "static.png", "story.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
