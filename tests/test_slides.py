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
    assert titles(prs) == ["Test network", "All ties", "Security ties", "Economic ties", "The network as of 2014",
                           "The network as of 2021", "The network as of 2023", "The network as of 2025-11-30"]
    assert prs.slide_width * 9 == prs.slide_height * 16
    subtitle = prs.slides[0].placeholders[1].text_frame.text
    assert "Japan" in subtitle and "2025-11-30" in subtitle and "Sources: see speaker notes" in subtitle
    for slide in list(prs.slides)[1:]:
        (pic,) = [s for s in slide.shapes if s.shape_type == 13]  # one picture per map slide, the whole slide
        assert (pic.width, pic.height) == (prs.slide_width, prs.slide_height)
        assert pic.image.content_type == "image/png"
        assert pic._element.nvPicPr.cNvPr.get("descr").startswith("Map of Japan's ties")


def test_notes_list_ties_and_sources(deck):
    all_ties = notes(open_deck(deck[0]))[1]
    assert "- Australia: Reciprocal Access Agreement — In force (Signed 2022-01-06; In force 2023-08-13)" in all_ties
    assert "- Entry into force of the Japan-Australia RAA, MOFA, 2023-08-13" in all_ties
    assert "US Embassy Tokyo" in all_ties
    # one line per distinct source
    assert sum(line.startswith("- ") and "Test publisher" in line for line in all_ties.splitlines()) == 1


def test_notes_follow_the_view(deck):
    n = notes(open_deck(deck[0]))
    assert "Treaty of Mutual Cooperation" in n[2] and "Economic Partnership Agreement" not in n[2]  # security
    assert "Economic Partnership Agreement" in n[3] and "Treaty of Mutual Cooperation" not in n[3]  # economic
    as_of_2014 = n[4]
    assert "Reciprocal Access Agreement" not in as_of_2014 and "Treaty of Mutual Cooperation" in as_of_2014


def test_progress_once_per_slide(deck):
    data, calls = deck
    count = len(open_deck(data).slides)
    assert [(d, t) for d, t, _ in calls] == [(i, count) for i in range(1, count + 1)]
    assert calls[0][2] == "Test network" and calls[-1][2] == "The network as of 2025-11-30"


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
    assert titles(prs) == ["Test network", "All ties", "Economic ties", "The network as of 2025"]
    n = notes(prs)
    assert "Next view skipped (Security ties): no ties match." in n[1]
    assert "Next view skipped (The network as of 2000): no ties match." in n[2]
    assert "skipped" not in n[3]
    assert len(calls) == 4


def test_same_input_same_bytes(small):
    one = slides.build_deck(small, dates=["2025"], dpi=DPI, title="Deck")
    two = slides.build_deck(small, dates=["2025"], dpi=DPI, title="Deck")
    assert one == two
    assert titles(open_deck(one))[0] == "Deck"


def test_japanese_plan(small):
    views = slides.plan(small, lang="ja", dates=["2014"])
    assert [v.title for v in views] == ["すべての関係", "安全保障", "経済", "2014時点のネットワーク"]
    assert "表示している関係" in slides.notes_for(views[0].data, "ja")


@pytest.mark.parametrize("dates", [["2030"], ["yesterday"], []])
def test_bad_dates(small, dates):
    with pytest.raises(UsageError):
        slides.build_deck(small, dates=dates, dpi=DPI)


def test_bad_theme_and_lang(small):
    with pytest.raises(UsageError):
        slides.build_deck(small, theme="neon", dpi=DPI)
    with pytest.raises(UsageError):
        slides.build_deck(small, lang="fr", dpi=DPI)
