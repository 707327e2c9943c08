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
