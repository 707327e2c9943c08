"""The PowerPoint deck (slides.py): slides, titles, notes, progress, skipped views, determinism."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

import partnermap
from partnermap import slides
from partnermap.errors import UsageError
from partnermap.filters import select

DPI = 60


@pytest.fixture(scope="module")
def small(minimal):
    return minimal


@pytest.fixture(scope="module")
def deck(small):
    calls = []
    data = slides.build_deck(small, dpi=DPI, progress=lambda done, total, label: calls.append((done, total, label)))
    return data, calls


def open_deck(data: bytes):
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


def titles(prs) -> list[str]:
    return [s.shapes.title.text for s in prs.slides]


def notes(prs) -> list[str]:
    return [s.notes_slide.notes_text_frame.text for s in prs.slides]


def test_default_dates(small):
    # first dated steps: 1960 2007 2014 2017 2021 2022 2023 2025; quarters of the network, then as-of
    assert slides.default_dates(small) == ["2014", "2021", "2023", "2025-11-30"]
    assert slides.default_dates(small, count=2) == ["2021", "2025-11-30"]
    assert slides.default_dates(small, count=1) == ["2025-11-30"]
    # a snapshot's own date is the last one
    assert slides.default_dates(select(small, as_of="2022"))[-1] == "2022-12-31"


def test_default_dates_of_bundled_end_on_as_of():
    data = partnermap.load()
    dates = slides.default_dates(data)
    assert 2 <= len(dates) <= 4 and dates[-1] == str(data.as_of)
    years = [int(d[:4]) for d in dates]
    assert years == sorted(set(years))


def test_deck_slides_and_titles(deck):
    prs = open_deck(deck[0])
    # one slide per category present (diplomacy too); no date slide repeating the overview
    assert titles(prs) == ["Test network", "All ties", "Security ties", "Economic ties", "Diplomatic ties",
                           "The network as of 2014", "The network as of 2021", "The network as of 2023"]
    assert prs.slide_width * 9 == prs.slide_height * 16
    subtitle = prs.slides[0].placeholders[1].text_frame.text
    assert "Japan" in subtitle and "2025-11-30" in subtitle and "Sources: see speaker notes" in subtitle
    assert [s for s in prs.slides[0].shapes if s.shape_type == 13], "the title slide shows a small map"
    for slide in list(prs.slides)[1:]:
        (pic,) = [s for s in slide.shapes if s.shape_type == 13]
        assert pic.image.content_type == "image/png"
        assert pic._element.nvPicPr.cNvPr.get("descr").startswith("Map of Japan's ties")
        # the title is real text, above the picture both on the slide and in the drawing order
        title = slide.shapes.title
        assert title.top + title.height <= pic.top and pic.width == prs.slide_width
        order = list(slide.shapes._spTree.iterchildren())
        assert order.index(pic._element) < order.index(title._element)


def test_notes_are_short_and_cite_briefly(deck):
    n = notes(open_deck(deck[0]))
    assert all(len(text) <= slides.NOTES_LIMIT for text in n)
    overview = n[1]
    assert overview.startswith("Map of Japan's ties: 8 ties with 4 partners and groupings")
    assert "Sources:" in overview and "- MOFA, 2023-08-13, Entry into force of the Japan-Australia RAA" in overview
    # one line per distinct source
    assert sum(line.startswith("- ") and "Test publisher" in line for line in overview.splitlines()) == 1
    assert "Friction: " in overview


def test_notes_follow_the_view(deck):
    n = notes(open_deck(deck[0]))
    assert "Security ties: 5" in n[2] and "Economic ties" not in n[2].split("Sources:")[0]
    as_of_2014 = n[5]
    assert "Australia" in as_of_2014 and "United Kingdom" not in as_of_2014.split("Sources:")[0]


def test_notes_are_cut_to_the_limit_with_a_pointer(small):
    view = small
    sc = slides.scene(view)
    text = slides.notes_for(view, sc, limit=400)
    assert len(text) <= 400 and "partnermap sources" in text


def test_progress_once_per_slide(deck):
    data, calls = deck
    count = len(open_deck(data).slides)
    assert [(d, t) for d, t, _ in calls] == [(i, count) for i in range(1, count + 1)]
    assert calls[0][2] == "Test network" and calls[-1][2] == "The network as of 2023"


def test_core_properties_from_as_of(deck):
    props = open_deck(deck[0]).core_properties
    assert props.created == props.modified == dt.datetime(2025, 11, 30)
    assert props.last_modified_by == "partnermap" and props.title == "Test network"
    with zipfile.ZipFile(io.BytesIO(deck[0])) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 11, 30, 0, 0, 0)}


def test_empty_views_are_skipped_with_a_note(small):
    economic = select(small, categories=["economic"])
    calls = []
    data = slides.build_deck(economic, dates=["2000", "2025"], dpi=DPI, progress=lambda *a: calls.append(a))
    prs = open_deck(data)
    # one category only: no category slide repeating the overview
    assert titles(prs) == ["Test network", "Economic ties", "The network as of 2025"]
    n = notes(prs)
    assert "Next view skipped (The network as of 2000): no ties match." in n[1]
    assert "skipped" not in n[2]
    assert len(calls) == 3


def test_same_input_same_bytes(small):
    one = slides.build_deck(small, dates=["2025"], dpi=DPI, title="Deck")
    two = slides.build_deck(small, dates=["2025"], dpi=DPI, title="Deck")
    assert one == two
    assert titles(open_deck(one))[0] == "Deck"


def test_japanese_plan(small):
    views = slides.plan(small, lang="ja", dates=["2014"])
    assert [v.title for v in views] == ["すべての関係", "安全保障", "経済", "外交", "2014時点のネットワーク"]
    sc = slides.scene(views[0].data, lang="ja")
    assert "表示している関係" in slides.notes_for(views[0].data, sc, "ja")


@pytest.mark.parametrize("dates", [["2030"], ["yesterday"], []])
def test_bad_dates(small, dates):
    with pytest.raises(UsageError):
        slides.build_deck(small, dates=dates, dpi=DPI)


def test_bad_theme_and_lang(small):
    with pytest.raises(UsageError):
        slides.build_deck(small, theme="neon", dpi=DPI)
    with pytest.raises(UsageError):
        slides.build_deck(small, lang="f r", dpi=DPI)
    with pytest.raises(UsageError):
        slides.build_deck(small, lang="fr", dpi=DPI)  # no catalog and no French in the data


def test_bundled_deck_is_presentable_in_libreoffice(tmp_path):
    """Titles are text in a real client's PDF, a page per slide; labels at least 12 pt at 16:9."""
    from conftest import pdf_pages_text, soffice_pdf
    from partnermap.theme import THEMES

    data = partnermap.load()
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(slides.build_deck(data, dpi=40))
    prs = open_deck(deck.read_bytes())
    pages = pdf_pages_text(soffice_pdf(deck, tmp_path))
    assert len(pages) == len(prs.slides)
    for page, title in zip(pages, titles(prs), strict=True):
        assert " ".join(title.split()[:3]) in " ".join(page.split())
    assert "Diplomatic ties" in titles(prs)
    assert len(set(titles(prs))) == len(titles(prs))  # no near-duplicate views
    # the slide map is drawn at 1:1 (its points are the slide's points) with 12 pt labels
    assert THEMES["presentation"].figure.label_pt >= 12
    pic = next(s for s in prs.slides[1].shapes if s.shape_type == 13)
    from PIL import Image

    image = Image.open(io.BytesIO(pic.image.blob))
    assert image.size[0] / 40 == pytest.approx(pic.width / 914_400, rel=0.01)


def test_pictures_are_never_stretched_and_the_title_map_credit_is_whole(small):
    from PIL import Image

    prs = open_deck(slides.build_deck(small, dpi=DPI))
    for slide in prs.slides:
        for pic in (s for s in slide.shapes if s.shape_type == 13):
            w, h = Image.open(io.BytesIO(pic.image.blob)).size
            assert w / h == pytest.approx(pic.width / pic.height, rel=0.005)
            assert pic.crop_left == pic.crop_right == pic.crop_top == pic.crop_bottom == 0
    fig = slides.thumbnail_figure(small, slides.scene(small, theme="presentation"), DPI)
    renderer = fig.canvas.get_renderer()
    (credit,) = [t for t in fig.texts if t.get_gid() == "credit"]
    box = credit.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width  # "Natural Earth" whole, not "Natural Ear"
    assert credit.get_text() == "Test network · as of 2025-11-30 · Natural Earth"


def test_japanese_deck_is_japanese_throughout():
    from pptx import Presentation

    data = partnermap.load()
    prs = Presentation(io.BytesIO(slides.build_deck(data, lang="ja", dpi=30, dates=["2016"])))
    assert titles(prs)[0] == "日本のパートナー・ネットワーク"
    assert titles(prs)[1:] == ["すべての関係", "安全保障", "経済", "外交", "2016時点のネットワーク"]
    assert "日本" in prs.slides[0].placeholders[1].text_frame.text
    intro = prs.slides[0].notes_slide.notes_text_frame.text
    assert intro.startswith(f"日本のパートナー・ネットワーク（バージョン {data.version}）\nライセンス：")
    assert "version" not in intro and "CC BY" not in intro
    assert all("出典：" in s.notes_slide.notes_text_frame.text for s in list(prs.slides)[1:])


def test_decks_hold_what_once_crashed_them(minimal):
    """An as-of date after 2107 (zip timestamps stop there), control characters and U+FFFE in
    titles and names (XML cannot hold them), a title over 255 characters (core properties)."""
    import dataclasses

    from partnermap.dates import PartialDate

    hostile = "Bell\x07 and \ufffe non-character, US$5 bn … US$6 bn " + "long " * 80
    data = dataclasses.replace(
        minimal, title=hostile, as_of=PartialDate.parse("2109-06-30"),
        partners=tuple(dataclasses.replace(p, name=hostile) if p.id == "AUS" else p for p in minimal.partners))
    raw = slides.build_deck(data, dpi=20, dates=["2025"])
    prs = open_deck(raw)
    assert len(prs.core_properties.title) <= 255
    assert "\x07" not in prs.core_properties.title and "\ufffe" not in prs.core_properties.title
    text = " ".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame)
    assert "\ufffd" in text and "\x07" not in text  # a visible mark where XML could not hold the character
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert all(1980 <= info.date_time[0] <= 2107 for info in z.infolist())
