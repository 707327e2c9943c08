"""Stories (story.py): the file, its checks against the data, the page and the deck."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import pdf_pages_text, soffice_pdf
from partnermap import slides
from partnermap import story as st
from partnermap.cli import main
from partnermap.errors import ValidationError

BUNDLED = Path(__file__).resolve().parents[1] / "stories" / "japan-response-to-trump-2.md"

HEAD = "---\ntitle: T\n---\n\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.md"
    path.write_text(text, encoding="utf-8")
    return path


def step(front: str, text: str = "Text.") -> str:
    return f"---\n{front}\n---\n{text}\n\n"


@pytest.fixture(scope="module")
def bundled():
    return st.load_story(BUNDLED)


def test_the_bundled_story_follows_the_commentary(bundled):
    story, dataset, steps = bundled
    assert story.title_in("en") == "Japan's response to Trump 2.0"
    assert len(steps) == 10
    headlines = [s.headline for s in steps]
    assert headlines[1] == "The tariff shock" and headlines[-1] == "The strains that remain"
    ties = {t.id for t in dataset.ties}
    for sv in steps:
        assert sv.step.cite and set(sv.step.cite) <= ties  # every step cites its ties
        assert set(sv.step.cite) <= {t.id for t in sv.view.ties}
    tariff = steps[1]
    assert tariff.scene.focus == ("USA",) and tariff.view.shown_date.isoformat() == "2025-05-31"
    assert "ja" in story.languages()


def test_japanese_texts(bundled):
    story, dataset, _ = bundled
    steps = st.plan(story, dataset, lang="ja")
    assert steps[1].headline == "関税ショック"
    assert "関税" in st_text(steps[1])


def st_text(sv) -> str:
    from partnermap.text import plain

    return " ".join(plain(sv.blocks))


@pytest.mark.parametrize(("body", "line", "message"), [
    (step("headline: A\ncite: [NOPE-1]"), 7, "cite: no tie 'NOPE-1'"),
    (step("headline: A\ncategory: militar"), 7, "unknown category 'militar'"),
    (step("headline: A\npartner: Atlantis"), 7, "partner: unknown partner 'Atlantis'"),
    (step("headline: A\nfocus: [XX]"), 7, "focus: unknown partner 'XX'"),
    (step("headline: A\nheadlin: typo"), 7, "'headlin': unknown key"),
    (step("category: economic"), 5, "headline: missing"),
    (step("headline: A\nas_of: 1900"), 5, "the step's view shows nothing"),
    (step("headline: A\ncategory: economic\ncite: [USA-TREATY-1960]"), 8, "not in this step's view"),
])
def test_every_problem_is_one_line_with_its_line_number(tmp_path, runner, body, line, message):
    path = write(tmp_path, HEAD + body)
    result = runner.invoke(main, ["story", str(path), "-o", str(tmp_path / "out.html")])
    assert result.exit_code == 1, result.output
    (err,) = result.stderr.strip().splitlines()
    assert err.startswith(f"{path}: line {line}: ") and message in err, err
    assert not (tmp_path / "out.html").exists()


def test_a_story_without_its_title_block_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="front matter"):
        st.read_story(write(tmp_path, "# Hello\n"))


def test_text_is_never_markup(tmp_path):
    text = ('<script>window.__pwned=1</script> **bold** [ok](https://example.org/x) '
            '[bad](javascript:window.__pwned=2) [spaced](https://example.org/a b)')
    path = write(tmp_path, HEAD + step("headline: <img src=x onerror=alert(1)>", text))
    _story, _data, (sv,) = st.load_story(path)
    (para,) = sv.blocks
    links = [n for n in para["p"] if "a" in n]
    assert links == [{"a": "https://example.org/x", "c": [{"t": "ok"}]}]
    assert any("<script>" in n.get("t", "") for n in para["p"])
    assert sv.headline == "<img src=x onerror=alert(1)>"


def test_deck_has_a_titled_slide_per_step_and_opens_in_libreoffice(bundled, tmp_path):
    from pptx import Presentation

    story, dataset, steps = bundled
    data = slides.build_story_deck(story, dataset, steps, dpi=40)
    assert data == slides.build_story_deck(story, dataset, steps, dpi=40)  # byte-identical
    prs = Presentation(io.BytesIO(data))
    deck_slides = list(prs.slides)
    assert len(deck_slides) == 1 + len(steps)
    for slide, sv in zip(deck_slides[1:], steps, strict=True):
        assert slide.shapes.title.text == sv.headline
        (pic,) = [s for s in slide.shapes if s.shape_type == 13]
        order = list(slide.shapes._spTree.iterchildren())
        text_box = next(s for s in slide.shapes if s.name == "Step text")
        assert order.index(pic._element) < order.index(slide.shapes.title._element)
        assert order.index(pic._element) < order.index(text_box._element)
        notes = slide.notes_slide.notes_text_frame.text
        assert len(notes) <= 2000 and "Sources:" in notes
    deck = tmp_path / "story.pptx"
    deck.write_bytes(data)
    pages = pdf_pages_text(soffice_pdf(deck, tmp_path))
    assert len(pages) == 1 + len(steps)  # one PDF page per step, after the title
    for page, sv in zip(pages[1:], steps, strict=True):
        assert " ".join(sv.headline.split()[:3]) in " ".join(page.split())  # the title is text, not a picture


def test_cli_writes_page_and_deck(runner, tmp_path):
    for name in ("talk.html", "talk.pptx"):
        result = runner.invoke(main, ["story", str(BUNDLED), "-o", str(tmp_path / name), "--dpi", "30"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 10_000
    wrong = runner.invoke(main, ["story", str(BUNDLED), "-o", str(tmp_path / "talk.docx")])
    assert wrong.exit_code == 2 and "written as .html" in wrong.stderr


@pytest.mark.browser
def test_the_page_steps_through_offline(offline_page, tmp_path, bundled):
    from partnermap.render import build_story, to_html

    story, dataset, steps = bundled
    out = tmp_path / "talk.html"
    out.write_text(to_html(build_story(story, dataset, steps, pictures=False)), encoding="utf-8")
    page = offline_page.open(out)
    page.wait_for_selector("[data-pm-story=ready]")

    def where():
        return page.evaluate("[document.body.dataset.pmStep, location.hash, "
                             "document.querySelector('.pm-story-headline').textContent, partnermap.last.day, "
                             "partnermap.last.shown.filter(Boolean).length]")

    n, hash_, headline, _day, _shown = where()
    assert (n, hash_, headline) == ("1", "", steps[0].headline) or hash_ == "#step-1"
    for key in ("ArrowRight", "PageDown", " "):
        page.keyboard.press(key)
    n, hash_, headline, day, shown = where()
    assert (n, hash_, headline) == ("4", "#step-4", steps[3].headline)
    from partnermap.rules import day_number

    assert day == day_number(steps[3].view.shown_date) and shown == len(steps[3].view.ties)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("PageUp")
    assert where()[0] == "2"
    state = page.evaluate("partnermap.last.state()")
    tariff = steps[1].scene
    assert state["partners"]["USA"]["fill"] == tariff.partner("USA").fill
    assert page.locator(".pm-story-sources a").count() >= 2  # the cited sources, as links
    page.goto(out.resolve().as_uri() + "#step-7")  # a link opens that step
    page.wait_for_selector("[data-pm-story=ready]")
    assert where()[2] == steps[6].headline
    assert offline_page.errors == [] and offline_page.blocked == []


@pytest.mark.browser
def test_hostile_story_text_shows_as_text(offline_page, tmp_path):
    from partnermap.export import save_story

    text = '<img src=x onerror="window.__pwned=1"> [x](javascript:window.__pwned=2)'
    path = write(tmp_path, HEAD + step('headline: <script>window.__pwned=3</script>', text))
    out = save_story(path, tmp_path / "h.html")
    page = offline_page.open(out)
    page.wait_for_selector("[data-pm-story=ready]")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator(".pm-story img, .pm-story script").count() == 0
    assert "<script>" in page.locator(".pm-story-headline").text_content()


@pytest.mark.browser
def test_phone_puts_the_panel_below_the_map(browser, tmp_path):
    from partnermap.export import save_story

    out = save_story(BUNDLED, tmp_path / "p.html")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(out.resolve().as_uri())
    page.wait_for_selector("[data-pm-story=ready]")
    map_box = page.locator(".folium-map").bounding_box()
    panel = page.locator(".pm-story").bounding_box()
    assert panel["y"] >= map_box["y"] + map_box["height"] - 1 and map_box["height"] >= 844 * 0.5
    context.close()
