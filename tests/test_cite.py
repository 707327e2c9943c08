"""The bibliography: each source once, stable order, three formats that parse."""

from __future__ import annotations

import json

from partnermap.cite import bibliography, sources_of
from partnermap.cli import main
from partnermap.filters import select


def test_each_source_once_with_citing_ties(minimal):
    entries = sources_of(minimal)
    assert len(entries) == 8
    publishers = [s.publisher for s, _ in entries]
    assert publishers == sorted(publishers, key=str.casefold)
    mofa = [ties for s, ties in entries if s.publisher == "MOFA"]
    assert sorted(t for ties in mofa for t in ties) == ["AUS-EPA", "AUS-RAA", "GBR-RAA"]


def test_markdown_uses_url_or_locator(minimal):
    md = bibliography(select(minimal, partners=["AUS"], types=["reciprocal_access"]), "md")
    assert md == ("- “Entry into force of the Japan-Australia RAA”, MOFA, 2023-08-13. <https://www.example.org/raa>"
                  " Cited for: AUS-RAA.\n")


def test_bibtex_escapes_and_unique_keys(minimal):
    bib = bibliography(minimal, "bibtex")
    keys = [line.split("{", 1)[1].rstrip(",") for line in bib.splitlines() if line.startswith("@misc")]
    assert len(keys) == len(set(keys)) == 8
    assert "MOFA2015" in keys and "MOFA2023" in keys and "MOFA2023a" in keys
    assert "title = {The U.S.-Japan Alliance}" in bib


def test_csl_json(minimal):
    items = json.loads(bibliography(minimal, "csl-json"))
    raa = next(i for i in items if i.get("URL") == "https://www.example.org/raa")
    assert raa["issued"] == {"date-parts": [[2023, 8, 13]]}
    assert raa["publisher"] == "MOFA"


def test_sources_command_filters(runner, minimal_path):
    result = runner.invoke(main, ["sources", str(minimal_path), "--partner", "GBR", "--format", "md"])
    assert result.exit_code == 0
    assert result.output.count("\n") == 2
    assert "gov.uk" in result.output and "MOFA" in result.output


def test_undated_source(tmp_path, minimal_path):
    from partnermap import load

    doc = json.loads(minimal_path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["ties"][0]["sources"] = [
        {"title": "List of agreements", "publisher": "MOFA", "date": "n.d."}]
    path = tmp_path / "undated.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    view = select(load(path), types=["reciprocal_access"], partners=["AUS"])
    assert bibliography(view, "md") == "- “List of agreements”, MOFA, n.d. Cited for: AUS-RAA.\n"
    assert "year = {n.d.}" in bibliography(view, "bibtex")
    assert "issued" not in json.loads(bibliography(view, "csl-json"))[0]
    doc["features"][0]["properties"]["ties"][0]["sources"][0]["date"] = "undated"
    path.write_text(json.dumps(doc), encoding="utf-8")
    from partnermap import validate

    assert "sources[0].date: 'undated' is not an ISO date" in str(validate(path).problems[0])


def test_one_work_cited_at_several_places_is_listed_once(tmp_path, minimal_path):
    from partnermap import load

    doc = json.loads(minimal_path.read_text(encoding="utf-8"))
    work = {"title": "Japan's Response to Trump 2.0", "publisher": "CSIS", "date": "2025", "author": "Kristi Govella"}
    ties = doc["features"][0]["properties"]["ties"]
    ties[0]["sources"] = [{**work, "locator": "section 'Introduction'"}]
    ties[1]["sources"] = [{**work, "locator": "section 'Responses from Japan'"},
                          {**work, "locator": "section 'Introduction'"}]
    path = tmp_path / "cited.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    entries = [e for e in sources_of(load(path)) if e[0].publisher == "CSIS"]
    assert len(entries) == 1
    source, tie_ids = entries[0]
    assert source.locator == "section 'Introduction'; section 'Responses from Japan'"
    assert tie_ids == ("AUS-RAA", "AUS-EPA")


def test_citation_keys_for_thousands_of_sources_of_one_publisher_and_year():
    """20,000 sources of one publisher and year once took 27 s (each key searched from 'a'):
    keys now come from a counter per base, unique and in order."""
    from partnermap.cite import _Keys
    from partnermap.dates import PartialDate
    from partnermap.model import Source

    key = _Keys()
    keys = [key(Source(f"Title {i}", "Ministry of Foreign Affairs", PartialDate.parse("2025"))) for i in range(20_000)]
    assert len(set(keys)) == 20_000
    assert keys[:3] == ["MinistryofForeig2025", "MinistryofForeig2025a", "MinistryofForeig2025b"]
    assert keys[26] == "MinistryofForeig2025z" and keys[27] == "MinistryofForeig202527"


def _with_remark(dataset, tie_id, text):
    import dataclasses

    return dataclasses.replace(dataset, partners=tuple(
        dataclasses.replace(p, ties=tuple(dataclasses.replace(t, curation=text) if t.id == tie_id else t
                                          for t in p.ties)) for p in dataset.partners))


def test_curation_remarks_only_when_asked_and_only_in_markdown(minimal):
    import pytest

    from partnermap.errors import UsageError

    data = _with_remark(minimal, "AUS-RAA", "Day from MOFA's release; the *copy* at <b>x</b> differs")
    view = select(data, partners=["AUS"], types=["reciprocal_access"])
    plain = bibliography(view, "md")
    assert "MOFA's release" not in plain  # a bibliography for an audience never carries them
    with_remarks = bibliography(view, "md", curation=True)
    assert with_remarks.startswith(plain)
    assert with_remarks.endswith(
        "Curation remarks (for curators; no map shows them):\n\n"
        "- AUS-RAA: Day from MOFA's release; the \\*copy\\* at \\<b\\>x\\</b\\> differs\n")
    assert bibliography(select(minimal, partners=["AUS"]), "md", curation=True) == bibliography(
        select(minimal, partners=["AUS"]), "md")  # no remark, no section
    for fmt in ("bibtex", "csl-json"):
        with pytest.raises(UsageError, match="md output only"):
            bibliography(view, fmt, curation=True)


def test_sources_command_curation_flag(runner, tmp_path, minimal_path):
    doc = json.loads(minimal_path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["ties"][0]["curation"] = "Entry into force from MOFA's release."
    path = tmp_path / "remarks.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    plain = runner.invoke(main, ["sources", str(path), "--partner", "AUS"])
    assert plain.exit_code == 0 and "MOFA's release" not in plain.output
    result = runner.invoke(main, ["sources", str(path), "--partner", "AUS", "--curation"])
    assert result.exit_code == 0
    assert result.output.endswith("- AUS-RAA: Entry into force from MOFA's release.\n")
    bad = runner.invoke(main, ["sources", str(path), "--curation", "--format", "bibtex"])
    assert bad.exit_code == 2 and "md output only" in bad.output and "Traceback" not in bad.output


def test_short_line_cuts_at_words_and_drops_asides_whole():
    from partnermap.cite import short_line, shorten
    from partnermap.dates import PartialDate
    from partnermap.model import Source

    assert shorten("short", 10) == "short"
    assert shorten("one two three four five six", 16) == "one two three…"
    assert shorten("EEAS (European External Action Service) (copy at the Mission of Japan to the EU)", 60) \
        == "EEAS (European External Action Service)…"
    src = Source(title="A " * 100, publisher="MOFA", date=PartialDate.parse("2025-09"), url="https://x.org")
    line = short_line(src)
    assert line.startswith("MOFA, 2025-09 — A A") and line.endswith("…") and len(line) <= 100
