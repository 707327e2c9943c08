"""Tests that protect the facts in data/partners.geojson.

The key dates below are checked against the CSIS commentary
(../shared/sources/japan-response-to-trump-2.0.txt) and the checked table in
../shared/sources/facts.md; change them only with a source.
"""

from __future__ import annotations

import re

import pytest

from partnermap import load, validate
from partnermap.reader import default_path
from partnermap.vocab import Kind, Relationship, Status

COMMENTARY_TITLE = "Japan's Response to Trump 2.0: Sustaining U.S. Ties, Strengthening International Partnerships"


@pytest.fixture(scope="module")
def japan():
    return load()


def test_bundled_file_validates():
    report = validate(default_path())
    assert report.ok, "\n".join(map(str, report.problems))
    assert default_path().stat().st_size < 1_000_000


@pytest.mark.parametrize(
    "pid",
    [
        "USA",
        "AUS",
        "PHL",
        "KOR",
        "IND",
        "VNM",
        "GBR",
        "ITA",
        "EU",
        "NATO",
        "TICAD",
        "CHN",
        "QUAD",
        "CPTPP",
        "RCEP",
        "GCAP",
        "US-KOR-JPN",
        "US-PHL-JPN",
    ],
)
def test_every_partner_in_the_commentary_is_present(japan, pid):
    partner = japan.partner(pid)
    assert partner.name_ja, f"{pid} has no Japanese name"


def test_organisations_and_groups_have_members(japan):
    for p in japan.partners:
        if p.kind is not Kind.STATE:
            assert p.members, p.id
    assert len(japan.partner("EU").members) == 27
    assert len(japan.partner("NATO").members) == 32
    assert len(japan.partner("TICAD").members) >= 49  # the African states, not one dot
    assert set(japan.partner("QUAD").members) == {"USA", "AUS", "IND"}


def test_china_is_contested_not_a_partner(japan):
    china = japan.partner("CHN")
    assert china.relationship is Relationship.CONTESTED
    assert any(t.nature.value == "friction" for t in china.ties)


# (tie id, step, date) — from the commentary, refined by facts.md where it is more precise.
KEY_DATES = [
    ("USA-TARIFF-DEAL-2025", Status.ANNOUNCED, "2025-07-22"),  # "announced an agreement on July 22"
    ("USA-EO14345-2025", Status.SIGNED, "2025-09-04"),  # "new documents were concluded on September 4"
    ("USA-INVEST-MOU-2025", Status.SIGNED, "2025-09-04"),
    ("USA-AUTO-TARIFF-2025", Status.ANNOUNCED, "2025-03-26"),  # "The March 26 U.S. announcement"
    ("USA-RECIPROCAL-TARIFF-2025", Status.ANNOUNCED, "2025-04-02"),  # "April 2 'Liberation Day'"
    ("USA-2PLUS2-2025-CANCELLED", Status.CANCELLED, "2025-06"),  # "in June, Japan canceled the annual 2+2"
    ("PHL-RAA", Status.IN_FORCE, "2025-09-11"),  # "entered into force this September"
    ("PHL-RAA", Status.SIGNED, "2024-07-08"),
    ("PHL-ACSA-TALKS", Status.NEGOTIATING, "2025-04-29"),  # "announced in April that they had started talks"
    ("AUS-MOGAMI-2025", Status.ANNOUNCED, "2025-08-05"),  # "In August ... selected"
    ("AUS-RAA", Status.IN_FORCE, "2023-08-13"),
    ("VNM-SUMMIT-2025", Status.HELD, "2025-04-28"),  # "Ishiba visited Vietnam in April"
    ("IND-SUMMIT-2025", Status.HELD, "2025-08-29"),  # "In August ... joint vision"
    ("TICAD-9", Status.HELD, "2025-08-20"),  # "The same month, TICAD"
    ("NATO-DEFIND-2025", Status.ANNOUNCED, "2025-04-09"),  # "defense industry cooperation in April"
    ("NATO-ATLANTIC-EAGLES-2025", Status.HELD, "2025-09-14"),  # "for the first time ever ... in September"
    ("EU-SUMMIT-2025", Status.HELD, "2025-07-23"),  # "At the July Japan-EU summit"
    ("GBR-RAA", Status.SIGNED, "2023-01-11"),  # "signed an RAA with Japan in 2023"
    ("GBR-RAA", Status.IN_FORCE, "2023-10-15"),  # facts.md: not 10-11
    ("GBR-ECON-2PLUS2", Status.HELD, "2025-03-07"),  # "first economic 2+2 meeting in March"
    ("KOR-SUMMIT-2025-08-23", Status.HELD, "2025-08-23"),
    ("KOR-SUMMIT-2025-09-30", Status.HELD, "2025-09-30"),
    ("USA-TREATY-1960", Status.SIGNED, "1960-01-19"),
    ("USA-TREATY-1960", Status.IN_FORCE, "1960-06-23"),  # facts.md: not the Diet's 06-19
    ("CPTPP", Status.IN_FORCE, "2018-12-30"),
    ("GCAP-2022", Status.ANNOUNCED, "2022-12-09"),
]


@pytest.mark.parametrize(("tie_id", "step", "date"), KEY_DATES)
def test_key_dates(japan, tie_id, step, date):
    tie = next(t for t in japan.ties if t.id == tie_id)
    assert str(tie.date(step)) == date


def test_mogami_is_a_selection_not_a_contract(japan):
    tie = next(t for t in japan.ties if t.id == "AUS-MOGAMI-2025")
    assert tie.status is Status.ANNOUNCED and tie.date(Status.SIGNED) is None


def test_usfj_upgrade_not_recorded_as_finished(japan):
    tie = next(t for t in japan.ties if t.id == "USA-USFJ-JFHQ")
    assert tie.status not in (Status.IN_FORCE, Status.ENDED)


def test_every_tie_is_sourced_and_commentary_cited_correctly(japan):
    for tie in japan.ties:
        assert tie.sources, tie.id
        for s in tie.sources:
            assert s.title and s.publisher and s.date_text, tie.id
            if s.title == COMMENTARY_TITLE:
                assert s.author == "Kristi Govella" and s.publisher == "CSIS"
                assert s.container == "Navigating Disruption: Ally and Partner Responses to U.S. Foreign Policy"
    cited = sum(any(s.title == COMMENTARY_TITLE for s in t.sources) for t in japan.ties)
    assert cited >= 25


def test_no_date_after_as_of(japan):
    for tie in japan.ties:
        for step, d in tie.dates:
            assert d.compare(japan.as_of) <= 0, (tie.id, step, d)
        for s in tie.sources:
            assert s.date is None or s.date.compare(japan.as_of) <= 0, (tie.id, s.title)


def test_signed_and_in_force_are_never_copied(japan):
    # the same day is legitimate only where a source says so (GSOMIA with Korea, facts.md row 13)
    same = {t.id for t in japan.ties if t.date(Status.SIGNED) and t.date(Status.SIGNED) == t.date(Status.IN_FORCE)}
    assert same <= {"KOR-GSOMIA"}


# Hosts of aggregator and blog copies that issue 12 replaced by primary or reputable copies.
REPLACED_COPY_HOSTS = (
    "newsoflatest.com",
    "occasionaldigest.com",
    "stylemagazine.com",
    "pubt.io",
    "marketscreener",
    "domain-b",
    "fa.news",
    "blogspot",
    "causeaction.com",
    "exbulletin.com",
    "menafn",
    "finanznachrichten",
    "internationaltradecomplianceupdate.com",
    "einpresswire",  # issue 12 audit: copies replaced by the publisher's own page or a wire report
    "urdupoint",
    "mexiconewsreport",  # never confirmed; dropped
)


def test_sources_have_confirmed_urls(japan):
    sources = [s for t in japan.ties for s in t.sources]
    with_url = [s for s in sources if s.url]
    share = len(with_url) / len(sources)
    print(f"sources with a confirmed URL: {len(with_url)} of {len(sources)} ({share:.0%})")
    assert share >= 0.70, f"only {len(with_url)} of {len(sources)} sources ({share:.0%}) have a URL"
    assert all(s.url.startswith(("https://", "http://")) for s in with_url)


def test_aggregator_copies_are_replaced(japan):
    for tie in japan.ties:
        for s in tie.sources:
            text = " ".join(filter(None, (s.url, s.publisher, s.locator))).casefold()
            assert not any(h in text for h in REPLACED_COPY_HOSTS), (tie.id, s.title)


def test_commentary_links_to_its_report(japan):
    # the chapter's own page is not stored; the report's landing page is (CURATION.md)
    cited = [s for t in japan.ties for s in t.sources if s.title == COMMENTARY_TITLE]
    assert len(cited) >= 40
    assert {(s.url, s.date_text) for s in cited} == {
        ("https://features.csis.org/responses-to-US-foreign-policy", "2025-10-06")
    }


def _tie(japan, tie_id):
    return next(t for t in japan.ties if t.id == tie_id)


# Issue 12, data-review.md section B: one check per corrected row (and the research's date findings).
CORRECTED_DATES = [
    ("ITA-ACSA-2024", Status.IN_FORCE, "2025-09-05"),  # B1: notes exchanged 2025-08-06
    ("NATO-ISA-2010", Status.IN_FORCE, "2010-06"),  # B2: MOFA's list, like USA-GSOMIA-2007
    ("USA-GSOMIA-2007", Status.IN_FORCE, "2007-08"),
    ("EU-SDP-2024", Status.SIGNED, "2024-11-01"),  # B3: concluded that day
    ("AUS-EQUIP-2014", Status.IN_FORCE, "2014-12"),  # B4b: Ministry of Defense white paper
    ("USA-EO14345-2025", Status.IN_FORCE, "2025-09-16"),  # B5: the car cut
    ("CPTPP-GBR-ACCESSION", Status.SIGNED, "2023-07-16"),  # B6
    ("CPTPP-GBR-ACCESSION", Status.IN_FORCE, "2024-12-15"),
    ("KOR-GSOMIA", Status.IN_FORCE, "2016-11-23"),  # B7: in force that afternoon
    ("ITA-EQUIP-2017", Status.SIGNED, "2017-05-22"),  # B8: "Fatto a Tokyo, il 22 maggio 2017"
    ("ITA-EQUIP-2017", Status.IN_FORCE, "2019-04"),  # audit: "an accord that took effect earlier this month" (Kyodo)
    ("GBR-EQUIP-2013", Status.IN_FORCE, "2013-07"),  # audit: 締結 and joint research in July 2013 (MOD white paper)
    ("USA-SUMMIT-2025-02", Status.HELD, "2025-02-07"),  # B10
    ("USPHLJPN-MEETINGS-2025", Status.HELD, "2025-07-10"),  # B20
    ("AUS-JDSC-2022", Status.SIGNED, "2022-10-22"),  # Perth
    ("AUS-2PLUS2-11", Status.HELD, "2024-09-05"),
    ("PHL-JPEPA", Status.SIGNED, "2006-09-09"),
    ("CHN-SENKAKU-AIRSPACE-2025", Status.HELD, "2025-05-03"),
    ("USA-AUTO-TARIFF-2025", Status.IN_FORCE, "2025-04-03"),  # cars; parts from 2025-05-03 (note)
]


@pytest.mark.parametrize(("tie_id", "step", "date"), CORRECTED_DATES)
def test_corrected_dates(japan, tie_id, step, date):
    assert str(_tie(japan, tie_id).date(step)) == date


def test_b1_b2_b3_b4_statuses(japan):
    assert _tie(japan, "ITA-ACSA-2024").status is Status.IN_FORCE
    assert _tie(japan, "EU-SDP-2024").status is Status.SIGNED
    for tie_id in ("NATO-ISA-2010", "USA-GSOMIA-2007"):  # treated alike: concluded on signature, month from MOFA's list
        tie = _tie(japan, tie_id)
        assert tie.status is Status.IN_FORCE and tie.date(Status.IN_FORCE).precision == 2
    phl = _tie(japan, "PHL-EQUIP-2016")  # in force, day unknown: no dated step
    assert phl.status is Status.IN_FORCE and phl.date(Status.IN_FORCE) is None
    assert "Quezon City" in phl.summary  # B16
    for tie_id in ("AUS-EQUIP-2014", "GBR-EQUIP-2013", "ITA-EQUIP-2017"):  # B4b and the audit: each sourced
        tie = _tie(japan, tie_id)
        assert tie.status is Status.IN_FORCE and tie.date(Status.IN_FORCE).precision == 2, tie_id
    assert _tie(japan, "IND-EQUIP-2015").status is Status.SIGNED  # B4b: no entry into force found


def test_b5_b14_eo14345_car_cut_not_retroactive(japan):
    eo = _tie(japan, "USA-EO14345-2025")
    assert not eo.retroactive and eo.date(Status.SIGNED) < eo.date(Status.IN_FORCE)
    assert "27.5%" in eo.summary and "2025-08-07" in eo.note and "2025-09-16" in eo.note
    assert "2025-05-03" in _tie(japan, "USA-AUTO-TARIFF-2025").note


def test_b11_b12_reciprocal_rate_replaced_the_baseline_and_the_letter_set_25(japan):
    rec = _tie(japan, "USA-RECIPROCAL-TARIFF-2025")
    assert "on top of" not in rec.summary and "24%" in rec.summary and "replace" in rec.summary
    assert "letter to Japan of 2025-07-07" in rec.note and "24% was" not in rec.note
    letter = _tie(japan, "USA-TARIFF-LETTER-2025-07-07")
    assert "25%" in letter.summary and "1 August 2025" in letter.summary
    assert letter.status is Status.ANNOUNCED and letter.date(Status.IN_FORCE) is None  # never took effect


def test_equipment_agreements_in_force_rest_on_their_sources(japan):
    # audit of issue 12: the months come from the sources, and the audience reads them in both languages
    ita = _tie(japan, "ITA-EQUIP-2017")
    assert {s.publisher for s in ita.sources} >= {"The Japan Times (Kyodo)", "Kyodo News (via goo news)"}
    assert "April 2019" in ita.note and "2019年4月" in ita.text("note", "ja")
    assert "took effect earlier this month" in ita.curation
    gbr = _tie(japan, "GBR-EQUIP-2013")
    assert any(s.url and "hakusho_data/2019" in s.url for s in gbr.sources)  # the white paper: 締結, July 2013
    assert any(s.url == "https://www.mofa.go.jp/mofaj/area/page11_000022.html" for s in gbr.sources)
    assert "July 2013" in gbr.note and "2013年7月" in gbr.text("note", "ja")


def test_audience_text_names_ties_in_words_not_ids(japan):
    # a popup or slide says "the 2016 agreement", never "(USA-ACSA-2016)", in English or Japanese
    ids = {t.id for t in japan.ties if "-" in t.id}
    for tie in japan.ties:
        for field in ("title", "summary", "note"):
            for lang in ("en", "ja"):
                text = tie.text(field, lang) or ""
                named = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
                assert not named, (tie.id, field, lang, named)


def test_audit_copies_replaced_and_headlines(japan):
    eo = _tie(japan, "USA-EO14345-2025")
    assert any(s.publisher == "Business Standard (Bloomberg)" and s.date_text == "2025-09-16" for s in eo.sources)
    nato = _tie(japan, "NATO-DEFIND-2025")
    assert any(s.publisher.startswith("Government of the Netherlands") and "netherlandsandyou.nl" in s.url
               for s in nato.sources)
    gsomia = _tie(japan, "KOR-GSOMIA")
    assert any(s.title == "Korea readies to normalize GSOMIA" and s.author == "Shin Ji-hye" for s in gsomia.sources)


def test_b13_nato_summit_was_the_hague_in_june(japan):
    note = _tie(japan, "NATO-DEFIND-2025").note
    assert "The Hague" in note and "24–25 June 2025" in note and "July" not in note


def test_b9_b17_notes(japan):
    assert "12 January" in _tie(japan, "USPHLJPN-VIRTUAL-2025-01").note
    cancelled = _tie(japan, "USA-2PLUS2-2025-CANCELLED")
    assert "postponed" in cancelled.note and cancelled.status is Status.CANCELLED


def test_b18_summits_and_meetings_are_diplomatic(japan):
    # one rule (CURATION.md): summits and general diplomatic meetings are `diplomatic`, whatever their agenda
    for tie in japan.ties:
        if tie.type.value in ("summit", "dialogue"):
            assert tie.category.value == "diplomatic", tie.id


def test_b19_atlantic_eagles_hosts(japan):
    assert set(_tie(japan, "NATO-ATLANTIC-EAGLES-2025").parties) == {"USA", "CAN", "GBR", "DEU"}


def test_b20_no_trump_era_tie_reaches_back_to_biden(japan):
    meetings = _tie(japan, "USPHLJPN-MEETINGS-2025")
    assert meetings.date(Status.HELD).precision == 3 and str(meetings.date(Status.HELD)) > "2025-01-20"


def test_b21_myanmar_in_rcep_explained(japan):
    rcep = _tie(japan, "RCEP")
    assert "MMR" in rcep.parties and "Myanmar" in rcep.note


def test_b15_b22_b26_b27_sources(japan):
    assert any(s.date_text == "2014-04-07" for s in _tie(japan, "AUS-EPA").sources)  # concluded in Tokyo
    assert "49 African countries" in _tie(japan, "TICAD-9").note  # MOFA's figure
    assert "IBRU" in (_tie(japan, "CHN-SENKAKU-2010").curation or "")
    for tie_id in ("GCAP-2022", "GCAP-GIGO"):
        assert any("Wired-Gov" in s.publisher for s in _tie(japan, tie_id).sources)


# The commentary's claims that review section A found missing (A6, A14, A54), now in their ties' summaries.
@pytest.mark.parametrize(
    ("tie_id", "phrases"),
    [
        ("USA-AUTO-TARIFF-2025", ("0.7–0.8%", "0.5%")),  # A6: GDP estimate vs growth
        ("USA-EO14345-2025", ("US$20m a day",)),  # A14: cost of the delay
        (
            "USA-INVEST-MOU-2025",
            (
                "semiconductors",
                "pharmaceuticals",
                "metals",
                "critical minerals",
                "shipbuilding",
                "energy",
                "AI",
                "quantum computing",
            ),
        ),  # A54: the sectors
    ],
)
def test_missing_commentary_claims_are_carried(japan, tie_id, phrases):
    summary = _tie(japan, tie_id).summary
    assert all(p in summary for p in phrases), summary


# Remarks for curators (which copy a fact came from, how a date was decided) belong in `curation`, which no map shows.
CURATOR_MARKERS = (
    "facts.md",
    "checked table",
    "checked facts",
    "precision",
    "wrongly",
    "copy",
    "blog",
    "is used",
    " step",
    "recorded as",
    "not recorded",
    "review b",
    "gap-fill",
    "wikipedia",
)


def test_notes_are_for_the_audience(japan):
    for tie in japan.ties:
        if tie.note:
            text = tie.note.casefold()
            assert not any(m in text for m in CURATOR_MARKERS), (tie.id, tie.note)


def test_curator_remarks_are_kept_apart(japan):
    assert sum(bool(t.curation) for t in japan.ties) >= 50
    for tie_id in ("USA-TREATY-1960", "USA-EO14345-2025", "CHN-SUMMIT-2024-11"):  # moved out of the notes
        assert _tie(japan, tie_id).curation


def test_japanese_text_for_every_tie_and_partner(japan):
    # a --lang ja map or deck shows no English text from the data
    assert japan.has_text("title", "ja")
    assert japan.focal.name_ja
    for p in japan.partners:
        assert p.name_ja, p.id
    for tie in japan.ties:
        assert tie.has_text("title", "ja") and tie.has_text("summary", "ja"), tie.id
        if tie.note:
            assert tie.has_text("note", "ja"), tie.id
        for field in ("title", "summary", "note"):
            if tie.has_text(field, "ja"):
                assert any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in tie.text(field, "ja")), (
                    tie.id,
                    field,
                )


def test_japanese_keeps_the_corrected_numbers(japan):
    # the Japanese was written for the old texts; where the English changed, it was redone to match
    checks = {
        "USA-EO14345-2025": ("27.5%", "2025年9月16日", "2,000万ドル"),
        "USA-TARIFF-LETTER-2025-07-07": ("25%", "2025年8月1日"),
        "NATO-DEFIND-2025": ("ハーグ", "6月24日"),
        "ITA-ACSA-2024": ("2025年9月5日",),
        "CPTPP-GBR-ACCESSION": ("2024年12月15日",),
    }
    for tie_id, phrases in checks.items():
        tie = _tie(japan, tie_id)
        text = tie.text("summary", "ja") + tie.text("note", "ja")
        assert all(p in text for p in phrases), (tie_id, phrases)
    assert "24%" in _tie(japan, "USA-RECIPROCAL-TARIFF-2025").text("summary", "ja")
    assert "上乗せする形で" not in _tie(japan, "USA-RECIPROCAL-TARIFF-2025").text("summary", "ja")  # B11


SHORT_NAMES = {
    "EU": ("EU", "EU"),
    "NATO": ("NATO", "NATO"),
    "QUAD": ("Quad", "クアッド"),
    "US-KOR-JPN": ("US–Japan–ROK", "日米韓"),
    "US-PHL-JPN": ("US–Japan–Philippines", "日米比"),
    "GCAP": ("GCAP", "GCAP"),
    "CPTPP": ("CPTPP", "CPTPP"),
    "RCEP": ("RCEP", "RCEP"),
    "TICAD": ("TICAD states", "TICAD参加国"),
}


def test_organisations_and_groups_have_short_names(japan):
    import json

    raw = {
        f["properties"]["id"]: f["properties"]
        for f in json.loads(default_path().read_text(encoding="utf-8"))["features"]
    }
    for p in japan.partners:
        if p.kind is not Kind.STATE:
            en, ja = SHORT_NAMES[p.id]
            assert p.short_name == en and p.map_label() == en
            assert raw[p.id]["short_name_ja"] == ja  # in the file; see the next test for the loader


def test_japanese_short_names_reach_the_map(japan):
    assert japan.partner("QUAD").map_label("ja") == "クアッド"


def test_dataset_version_and_as_of(japan):
    assert japan.version == "1.2.0" and str(japan.as_of) == "2025-11-30"
