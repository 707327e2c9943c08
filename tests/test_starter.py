"""starter.py and `partnermap new`: a valid file for any basemap country, one EXAMPLE tie, no clobbering."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from partnermap import basemap, load
from partnermap.checks import check
from partnermap.cli import main
from partnermap.errors import UsageError
from partnermap.starter import starter

DAY = dt.date(2025, 11, 30)


@pytest.mark.parametrize("focal", sorted(basemap.capitals()))
def test_every_country_with_a_capital_gets_a_valid_starter(focal):
    doc = starter(focal, DAY)
    result = check(doc, "new.geojson")
    assert result.problems == () and result.warnings == ()
    data = result.dataset
    assert data.focal.id == focal and data.focal.name == basemap.names()[focal]
    assert data.focal.anchor == basemap.capitals()[focal][1]
    [tie] = data.ties
    assert all(text.startswith("EXAMPLE") for text in (tie.title, tie.summary, tie.note, tie.sources[0].title))


def test_the_example_partner_is_a_neighbour():
    assert starter("JPN", DAY)["features"][0]["properties"]["id"] == "KOR"
    assert starter("AUS", DAY)["features"][0]["properties"]["id"] == "NZL"


def test_unknown_focal_is_a_usage_error_with_a_suggestion():
    with pytest.raises(UsageError, match=r"--focal 'AUZ': not a country of the bundled basemap; did you mean AUS"):
        starter("AUZ")
    with pytest.raises(UsageError, match="no capital"):
        starter("ATA")


def test_cli_new_writes_once_and_refuses_to_overwrite(runner, tmp_path):
    out = tmp_path / "aus.geojson"
    first = runner.invoke(main, ["new", "--focal", "aus", "-o", str(out)])
    assert first.exit_code == 0 and first.stdout.strip() == str(out)
    assert load(out).focal.id == "AUS"
    out.write_text("my work", encoding="utf-8")
    again = runner.invoke(main, ["new", "--focal", "AUS", "-o", str(out)])
    assert again.exit_code == 2
    assert again.stderr == f"Error: {out}: already exists; choose another name or use --force to overwrite it\n"
    assert out.read_text(encoding="utf-8") == "my work"
    forced = runner.invoke(main, ["new", "--focal", "AUS", "-o", str(out), "--force"])
    assert forced.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))["metadata"]["focal"]["id"] == "AUS"
    bad = runner.invoke(main, ["new", "--focal", "XXQ", "-o", str(tmp_path / "x.geojson")])
    assert bad.exit_code == 2 and not (tmp_path / "x.geojson").exists()
