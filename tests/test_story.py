"""Stories (story.py): the file, its checks against the data, the page and the deck."""

from __future__ import annotations

import io
import itertools
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


@pytest.fixture(scope="module")
def story_page(tmp_path_factory):
    """The bundled story's page, with its print pictures (built once for the browser tests)."""
    from partnermap.export import save_story

    return save_story(BUNDLED, tmp_path_factory.mktemp("page") / "talk.html")


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


def test_consecutive_steps_show_different_maps(bundled):
    """Each step's view tells its own point: no two steps in a row draw the same map."""
    _story, _data, steps = bundled

    def drawn(sv):
        sc = sv.scene
        return (sc.extent, sc.focus, sc.day, sc.changes_since, tuple((p.id, p.fill, p.friction) for p in sc.partners),
                tuple((lk.partner, lk.category, lk.state) for lk in sc.links))

    for one, two in itertools.pairwise(steps):
        assert drawn(one) != drawn(two), (one.headline, two.headline)
    tariff, deal = steps[1], steps[2]
    usa = [lk.state for lk in tariff.scene.links if lk.partner == "USA"]
    assert [(s.friction, s.cooperative) for s in usa] == [(True, 0)]  # the shock: friction only
    usa = [lk.state for lk in deal.scene.links if lk.partner == "USA"]
    assert [(s.friction, s.cooperative > 0, s.changed) for s in usa] == [(True, True, True)]  # the deal, over it


def _cited(n: int, title_len: int = 120, url_len: int = 90):
    """A stand-in step view citing ``n`` sources with long titles and URLs."""
    from types import SimpleNamespace

    from partnermap.dates import PartialDate
    from partnermap.model import Source
    from partnermap.text import markdown_subset

    sources = tuple(Source(title=f"Title {i} " + "word " * (title_len // 5), publisher=f"Publisher {i}",
                           date=PartialDate.parse("2025-07-22"),
                           url=f"https://example.org/{i}/" + "x" * url_len) for i in range(n))
    tie = SimpleNamespace(id="T-1", sources=sources)
    return SimpleNamespace(blocks=markdown_subset("Some **bold** text.\n\nA second paragraph."),
                           view=SimpleNamespace(ties=(tie,)), step=SimpleNamespace(cite=("T-1",)))


@pytest.mark.parametrize("n", [1, 5, 40])
def test_notes_are_text_and_one_short_list_never_cut_mid_item(n):
    from partnermap.cite import short_line

    sv = _cited(n)
    notes = slides.story_notes(sv, "en")
    assert len(notes) <= slides.NOTES_LIMIT
    text, sources = notes.split("\n\nSources:\n")
    assert text == "Some bold text.\n\nA second paragraph."
    lines = sources.split("\n")
    expected = [short_line(s) for s in sv.view.ties[0].sources]
    for line, src, want in zip(lines, sv.view.ties[0].sources, expected, strict=False):
        if line.startswith("- … and"):
            break
        assert line in (f"- {want}", f"- {want} <{src.url}>"), line  # whole, the URL whole or absent
        assert len(want) <= 150 and want.startswith(f"Publisher {expected.index(want)}, 2025-07-22 — Title")
    if n == 40:
        assert lines[-1] == f"- … and {n - (len(lines) - 1)} more" and len(lines) < n
    else:
        assert len(lines) == n and all(line.endswith(">") for line in lines)  # few sources: URLs fit


def test_urls_are_added_in_order_while_they_fit():
    notes = slides.story_notes(_cited(12, title_len=60, url_len=150), "en")
    with_url = [line.endswith(">") for line in notes.split("Sources:\n")[1].split("\n")]
    assert with_url[0] and not all(with_url)
    assert with_url == sorted(with_url, reverse=True)  # a prefix of the list carries URLs


def test_japanese_notes_and_title_slide_are_japanese(bundled):
    from pptx import Presentation

    story, dataset, _ = bundled
    steps = st.plan(story, dataset, lang="ja", theme="presentation")
    prs = Presentation(io.BytesIO(slides.build_story_deck(story, dataset, steps, lang="ja", dpi=20)))
    title_notes = prs.slides[0].notes_slide.notes_text_frame.text
    assert f"バージョン {dataset.version}" in title_notes
    assert "version" not in title_notes and "CC BY" not in title_notes
    assert "出典：スピーカーノートを参照" in prs.slides[0].placeholders[1].text_frame.text
    for slide in list(prs.slides)[1:]:
        notes = slide.notes_slide.notes_text_frame.text
        assert "出典：" in notes and "Sources" not in notes and " more" not in notes


def test_deck_text_keeps_bold_and_paragraphs_and_headlines_fit(bundled, monkeypatch):
    from pptx import Presentation

    from partnermap import deck as dk

    story, dataset, steps = bundled
    credits, days = [], []
    real_step_figure = __import__("partnermap.framing", fromlist=["step_figure"]).step_figure

    def spy(sc, view, **kw):
        credits.append(sc.credit)
        return real_step_figure(sc, view, **kw)

    def thumb(view, sc, dpi):
        days.append(sc.day)
        return slides._figure_png(view, sc, 20, dk.map_size_inches(dk.TITLE_MAP_BOX), legend=False)

    monkeypatch.setattr("partnermap.framing.step_figure", spy)
    monkeypatch.setattr(slides, "_thumbnail", thumb)
    prs = Presentation(io.BytesIO(slides.build_story_deck(story, dataset, steps, dpi=20)))
    assert all("Sources in the speaker notes" in c and "popups" not in c for c in credits)  # no popups on a slide
    assert days == [dataset.shown_date.isoformat()]  # the title slide's map is of the date its text gives
    assert dataset.shown_date.isoformat() in prs.slides[0].placeholders[1].text_frame.text
    first = prs.slides[1]
    box = next(s for s in first.shapes if s.name == "Step text")
    paras = box.text_frame.paragraphs
    assert len(paras) == len(steps[0].blocks)
    bold = [r.text for r in paras[0].runs if r.font.bold]
    assert bold == ["United States", "Australia", "United Kingdom"]
    assert all(p.space_after and p.space_after.pt >= 8 for p in paras)
    for slide, sv in zip(list(prs.slides)[1:], steps, strict=True):
        title = slide.shapes.title
        size = title.text_frame.paragraphs[0].runs[0].font.size.pt
        width = (title.width - dk.INSET_W) / dk.EMU_PER_PT
        lines = dk.line_count(sv.headline, width, size, bold=True)
        assert lines * size * dk.LINE <= (title.height - dk.INSET_H) / dk.EMU_PER_PT, sv.headline
    long_title = next(s for s in list(prs.slides)[1:] if s.shapes.title.text.startswith("Strengthening"))
    assert long_title.shapes.title.text_frame.paragraphs[0].runs[0].font.size.pt < 30


def test_cli_writes_page_and_deck(runner, tmp_path):
    for name in ("talk.html", "talk.pptx"):
        result = runner.invoke(main, ["story", str(BUNDLED), "-o", str(tmp_path / name), "--dpi", "30"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 10_000
    wrong = runner.invoke(main, ["story", str(BUNDLED), "-o", str(tmp_path / "talk.docx")])
    assert wrong.exit_code == 2 and "written as .html" in wrong.stderr


@pytest.mark.browser
def test_the_page_steps_through_offline(offline_page, story_page, bundled):
    steps = bundled[2]
    out = story_page
    page = offline_page.open(out)
    page.wait_for_selector("[data-pm-story=ready]")

    def where():
        return page.evaluate("[document.body.dataset.pmStep, location.hash, "
                             "document.querySelector('.pm-story-headline').textContent, partnermap.last.day, "
                             "partnermap.last.shown.filter(Boolean).length]")

    n, hash_, headline, _day, _shown = where()
    assert (n, hash_, headline) == ("1", "#step-1", steps[0].headline)
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
def test_the_address_names_the_first_step_on_load(browser, story_page, bundled):
    steps = bundled[2]
    out = story_page
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(out.resolve().as_uri())
    page.wait_for_selector("[data-pm-story=ready]")
    # about:blank and the page: the hash was replaced, not pushed
    assert page.evaluate("[location.hash, history.length]") == ["#step-1", 2]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("[location.hash, history.length]") == ["#step-3", 2]
    page.goto(out.resolve().as_uri() + "#step-99")  # out of range: the last step, and the address says so
    page.wait_for_selector("[data-pm-story=ready]")
    assert page.evaluate("location.hash") == f"#step-{len(steps)}"
    # on a desktop the sources are open; the legend lists what lines mean, and of the groupings
    # (named on the map) only those the step is about
    assert page.evaluate("document.querySelector('.pm-story-cited').open") is True

    def legend_groupings():
        return page.evaluate("Array.from(document.querySelectorAll('[data-legend^=\"grouping:\"]'))"
                             ".filter(r => getComputedStyle(r).display !== 'none').map(r => r.dataset.legend)")

    assert legend_groupings() == []  # the strains: China and the United States
    page.goto(out.resolve().as_uri() + "#step-4")
    page.wait_for_selector("[data-pm-story=ready]")
    assert steps[3].scene.focus == ("QUAD", "US-KOR-JPN", "USA")
    assert sorted(legend_groupings()) == ["grouping:QUAD", "grouping:US-KOR-JPN"]
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1280, 720), (390, 844)])
def test_focus_names_stay_named_and_clear_of_the_panels(browser, story_page, bundled, viewport):
    """Every step's focus partners are named, and no panel (title, legend, table, buttons) covers the names."""
    steps = bundled[2]
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    for i, sv in enumerate(steps, start=1):
        page.goto(story_page.resolve().as_uri() + f"#step-{i}")
        page.wait_for_selector("[data-pm-story=ready]")
        page.wait_for_timeout(1200)  # the flight
        out, under, hidden = page.evaluate("""(ids) => {
            const map = document.querySelector('.folium-map').getBoundingClientRect();
            const panels = ['.leaflet-top.leaflet-left', '.leaflet-top.leaflet-right',
                            '.leaflet-bottom.leaflet-left', '.leaflet-bottom.leaflet-right']
              .map(c => document.querySelector(c).getBoundingClientRect());
            const spans = ids.map(id => document.querySelector(`[data-partner="${id}"]`)).filter(Boolean)
              .filter(s => s.getAttribute('data-off') !== '1');
            // where each focus state's name sits (its territory's label point), and Japan's mark
            const marks = [...spans, document.querySelector('.pm-focal-marker')].map(n => {
              const r = n.getBoundingClientRect(); return [(r.left + r.right) / 2, (r.top + r.bottom) / 2]; });
            const inMap = ([x, y]) => x >= map.left && x <= map.right && y >= map.top && y <= map.bottom;
            const underPanel = ([x, y]) => panels.some(p => x > p.left && x < p.right && y > p.top && y < p.bottom);
            return [marks.filter(m => !inMap(m)).length, marks.filter(underPanel).length,
                    spans.filter(s => s.closest('.pm-label').style.visibility === 'hidden').length]; }""",
                                         list(sv.scene.focus))
        assert (out, under, hidden) == (0, 0, 0), (sv.headline, viewport)  # in view, uncovered, named
    assert errors == []
    context.close()


@pytest.mark.browser
def test_print_gives_one_page_per_step_in_both_orientations(browser, story_page, tmp_path):
    out = story_page
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(out.resolve().as_uri())
    page.wait_for_selector("[data-pm-story=ready]")
    n = page.evaluate("partnermap.lastStory.story.steps.length")
    for landscape in (False, True):
        pdf = tmp_path / f"print-{landscape}.pdf"
        pdf.write_bytes(page.pdf(format="A4", landscape=landscape, print_background=True))
        pages = pdf_pages_text(pdf)
        assert len(pages) == n, ("landscape" if landscape else "portrait", len(pages))
        for k, text in enumerate(pages, start=1):
            assert f"Step {k} of {n}" in " ".join(text.split())  # each page is its step, whole
    page.close()


@pytest.mark.browser
def test_phone_keeps_the_step_buttons_in_reach(browser, story_page):
    out = story_page
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(out.resolve().as_uri())
    page.wait_for_selector("[data-pm-story=ready]")
    n = page.evaluate("partnermap.lastStory.story.steps.length")
    for i in range(1, n):
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # read to the end of the step
        assert page.evaluate("document.querySelector('.pm-story-cited').open") is False  # sources folded
        button = page.locator(".pm-story-next").bounding_box()
        assert button["y"] >= 0 and button["y"] + button["height"] <= 844, i  # on screen
        page.evaluate("window.scrollTo(0, 0)")
        button = page.locator(".pm-story-next").bounding_box()
        assert button["y"] + button["height"] <= 844, i  # also with the map in view
        page.mouse.click(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)
        assert page.evaluate("document.body.dataset.pmStep") == str(i + 1)
    context.close()


@pytest.mark.browser
def test_phone_puts_the_panel_below_the_map(browser, story_page):
    out = story_page
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    page.goto(out.resolve().as_uri())
    page.wait_for_selector("[data-pm-story=ready]")
    map_box = page.locator(".folium-map").bounding_box()
    panel = page.locator(".pm-story").bounding_box()
    assert panel["y"] >= map_box["y"] + map_box["height"] - 1 and map_box["height"] >= 844 * 0.5
    context.close()


def test_the_python_api_has_stories():
    import partnermap
    from partnermap import export, render

    assert partnermap.save_story is export.save_story and partnermap.build_story is render.build_story
    assert partnermap.load_story is st.load_story and partnermap.build_story_deck is slides.build_story_deck
    assert partnermap.load_story(BUNDLED)[0].title_in("ja") == "トランプ2.0への日本の対応"
