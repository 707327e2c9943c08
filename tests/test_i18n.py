"""The language catalogs (i18n.py, locales/*.json) and --lang for any language."""

from __future__ import annotations

import dataclasses
import json
import re
import warnings
from importlib import resources

import pytest

from partnermap import i18n, scene
from partnermap.errors import PartnermapWarning, UsageError


def catalog(lang: str) -> dict:
    return json.loads((resources.files("partnermap") / "locales" / f"{lang}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", i18n.languages())
def test_every_catalog_key_exists_in_english_and_placeholders_match(lang):
    english, own = catalog("en"), catalog(lang)
    for section in i18n.SECTIONS:
        assert set(own.get(section, {})) <= set(english[section]), (lang, section)
        for key, text in own.get(section, {}).items():
            assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", english[section][key])), key


def test_english_catalog_covers_the_vocabulary():
    from partnermap.vocab import Category, Kind, Standing, Status, TieType

    english = catalog("en")
    assert set(english["type"]) == set(TieType.values())
    assert set(english["status"]) == set(Status.values())
    assert set(english["category"]) == set(Category.values())
    assert set(english["kind"]) == set(Kind.values())
    assert set(english["standing"]) == set(Standing.values())


def test_shipped_languages():
    assert i18n.languages()[:1] == ("en",) and "ja" in i18n.languages()


def test_a_language_the_data_carries_works_with_english_labels(minimal):
    pt = dataclasses.replace(minimal, focal=dataclasses.replace(minimal.focal, translations=(("name", "pt", "Japão"),)))
    assert i18n.check_lang("PT", pt) == "pt"
    with pytest.warns(PartnermapWarning) as caught:
        sc = scene(pt, lang="pt")
    assert sc.focal.label == "Japão"
    assert sc.legend[1].label == "Security ties"  # no Portuguese catalog: English, string by string
    (w,) = [str(c.message) for c in caught]
    assert w.startswith("--lang pt: ") and "labels" in w and "texts in the data" in w


def test_unknown_language_lists_the_choices(minimal):
    with pytest.raises(UsageError) as exc:
        i18n.check_lang("fr", minimal)
    assert "choose from: en, ja" in str(exc.value)
    with pytest.raises(UsageError):
        i18n.check_lang("<script>", minimal)


def test_japanese_with_full_data_warns_nothing(minimal):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert i18n.fallback_warning(minimal, "en") is None


# ---- a language decided once, on the whole file; one warning per command ---------------------------


@pytest.fixture(scope="module")
def french(minimal_path, tmp_path_factory):
    """The minimal file with French in one place only, which the security view leaves out: an economic tie."""
    doc = json.loads(minimal_path.read_text(encoding="utf-8"))
    for f in doc["features"]:
        props = f["properties"]
        if props["id"] == "AUS":
            next(t for t in props["ties"] if t["id"] == "AUS-EPA")["title_fr"] = "Accord de partenariat économique"
    path = tmp_path_factory.mktemp("fr") / "french.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_language_of_the_file_stays_available_in_any_view(french):
    from partnermap import load, select

    data = load(french)
    for view in (select(data, categories=["security"]), select(data, partners=["GBR"])):
        assert not i18n.data_languages(dataclasses.replace(view, whole=None)) >= {"fr"}  # the view alone lacks it
        assert i18n.check_lang("fr", view) == "fr"
        with pytest.warns(PartnermapWarning):
            assert scene(view, lang="fr").lang == "fr"


def test_a_language_neither_catalog_nor_data_has_is_refused_with_the_choices(french):
    from partnermap import load

    with pytest.raises(UsageError) as exc:
        i18n.check_lang("de", load(french))
    assert str(exc.value) == ("unknown language 'de': no catalog and no text in the data; "
                              "choose from: en, ja; the data's texts also in: fr")


@pytest.mark.parametrize("args", [
    ["render", "--lang", "fr", "--category", "security", "-o", "{tmp}/m.html"],
    ["render", "--lang", "fr", "--partner", "gbr", "-o", "{tmp}/m.html"],
    ["slides", "--lang", "fr", "--dpi", "20", "-o", "{tmp}/d.pptx"],
    ["slides", "--lang", "FR", "--category", "security", "--dpi", "20", "-o", "{tmp}/d.pptx"],
])
def test_cli_falls_back_to_english_with_exactly_one_warning_line(runner, french, tmp_path, args):
    from partnermap.cli import main

    argv = [args[0], str(french), *(a.replace("{tmp}", str(tmp_path)) for a in args[1:])]
    result = runner.invoke(main, argv)
    assert result.exit_code == 0, result.stderr
    warnings_ = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings_) == 1, result.stderr
    assert re.fullmatch(r"Warning: --lang fr: \d+ of \d+ labels and \d+ of \d+ texts in the data have no fr "
                        r"version; English is shown for them", warnings_[0])


def test_a_deck_counts_what_the_whole_deck_shows(french):
    """The one line of a deck counts its whole dataset (every slide shows part of it), not the last slide."""
    from partnermap import load
    from partnermap.slides import build_deck

    data = load(french)
    with pytest.warns(PartnermapWarning) as caught:
        build_deck(data, lang="fr", dpi=20, dates=["2025"])
    assert [str(c.message) for c in caught] == [i18n.fallback_warning(data, "fr")]


def test_unknown_language_on_the_cli_exits_2_naming_what_exists(runner, french):
    from partnermap.cli import main

    result = runner.invoke(main, ["render", str(french), "--lang", "de", "-o", "x.html"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown language 'de': no catalog and no text in the data; "
                                    "choose from: en, ja; the data's texts also in: fr")


def test_types_takes_a_catalog_language_only(runner):
    from partnermap.cli import main

    assert runner.invoke(main, ["types", "--lang", "ja"]).exit_code == 0
    refused = runner.invoke(main, ["types", "--lang", "fr"])
    assert refused.exit_code == 2 and "choose from: en, ja" in refused.stderr
    assert "data" not in " ".join(runner.invoke(main, ["types", "--help"]).output.split())


# ---- country names in the map's language -------------------------------------------------------------


def test_country_names_table_covers_every_catalog_language_and_the_basemap():
    from partnermap import basemap

    assert set(i18n.languages()) <= set(basemap.name_languages())
    assert basemap.country_name("CAN", "ja") == "カナダ" and basemap.country_name("DEU", "fr") == "Allemagne"
    assert basemap.country_name("CAN") == "Canada"  # English: the basemap's own name
    assert basemap.country_name("XNC", "ja") is None  # Northern Cyprus: CLDR has no name; English is shown
    named = [c for c in basemap.ids() if basemap.country_name(c, "ja")]
    assert len(named) >= len(basemap.ids()) - 3


def test_members_and_parties_that_are_no_partner_are_named_in_the_language(minimal):
    """The Quad's India is no partner of the minimal file: its popups name it in Japanese, not English."""
    from partnermap.payload import payload

    sc = scene(minimal, lang="ja", warn=False)
    data = payload(sc, minimal)
    quad = next(g for g in data["groups"] if g["id"] == "QUAD")
    assert "インド" in quad["memberNames"] and "India" not in quad["memberNames"]
    parties = {name for names in data["ties"]["parties"] for name in names}
    assert "インド" in parties and "India" not in parties
    assert i18n.missing_country_names(minimal, "ja") == (0, 1)


def test_a_state_without_a_name_in_the_language_takes_the_bundled_one(minimal):
    usa = minimal.partner("USA")
    bare = dataclasses.replace(usa, translations=())
    assert bare.label("ja") == "アメリカ合衆国" and bare.label("en") == usa.name
    own = dataclasses.replace(usa, translations=(("name", "ja", "米国"),))
    assert own.label("ja") == "米国"  # the file's own name always wins
    quad = minimal.partner("QUAD")
    assert dataclasses.replace(quad, translations=()).label("ja") == quad.name  # not a country: its English name
    one = dataclasses.replace(minimal, partners=(bare,))
    missing, total = i18n.missing_data_texts(one, "ja")
    assert total - missing >= 1  # the bundled name counts as a Japanese name


def test_a_story_in_a_language_only_the_story_carries(runner, tmp_path, minimal_path):
    """headline_fr in the story, nothing French in the data: the page is made, with one warning line."""
    from partnermap.cli import main

    story = tmp_path / "fr.md"
    story.write_text(f"---\ntitle: Test\ntitle_fr: Essai\ndata: {minimal_path}\n---\n\n---\nheadline: Security\n"
                     "headline_fr: Sécurité\ncategory: security\n---\nSome text.\n\n::: fr\nDu texte.\n",
                     encoding="utf-8")
    made = runner.invoke(main, ["story", str(story), "--lang", "fr", "-o", str(tmp_path / "s.html")])
    assert made.exit_code == 0, made.stderr
    assert len([line for line in made.stderr.splitlines() if line.startswith("Warning:")]) == 1
    assert "Sécurité" in (tmp_path / "s.html").read_text(encoding="utf-8")
    refused = runner.invoke(main, ["story", str(story), "--lang", "de", "-o", str(tmp_path / "d.html")])
    assert refused.exit_code == 2 and "choose from: en, ja; the data's texts also in: fr" in refused.stderr
