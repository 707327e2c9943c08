"""Shared fixtures. Browser tests never skip: no Chromium is a failure with the fix."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def minimal_path() -> Path:
    """A small valid partner file: 3 states and 1 group, 8 ties (tests/data/minimal.geojson)."""
    return DATA / "minimal.geojson"


@pytest.fixture(scope="session")
def minimal(minimal_path):
    """Loaded once: a Dataset is frozen, so tests cannot change it for each other."""
    from partnermap import load

    return load(minimal_path)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def chromium_path() -> str:
    path = os.environ.get("PARTNERMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {path}: run `sudo apt-get install -y chromium` "
                    "or set PARTNERMAP_CHROMIUM (browser tests never skip)")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


class OfflinePage:
    """A page with every non-file request blocked, console errors and blocked URLs recorded."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, html_path: Path):
        self.page.goto(Path(html_path).resolve().as_uri())
        self.page.wait_for_selector("[data-pm-ready]", timeout=15000)
        return self.page


@pytest.fixture
def offline_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    yield OfflinePage(page)
    context.close()


def soffice_pdf(deck: Path, out_dir: Path) -> Path:
    """The deck converted to PDF by LibreOffice headless (a real client); never skips."""
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice not found: `make test` installs libreoffice-impress (never skipped)")
    profile = out_dir / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out_dir), str(deck)], check=True, capture_output=True, timeout=240)
    pdf = out_dir / (deck.stem + ".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def pdf_pages_text(pdf: Path) -> list[str]:
    """The text of each page (pdftotext, from poppler-utils)."""
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext not found: `make test` installs poppler-utils (never skipped)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
