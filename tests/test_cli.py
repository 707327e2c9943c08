"""Every command, its options and exit codes, through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from partnermap import __version__
from partnermap.cli import main


def test_help_lists_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "render", "list", "types"):
        assert command in result.output


def test_version(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"partnermap, version {__version__}"


def test_python_dash_m(minimal_path):
    proc = subprocess.run([sys.executable, "-m", "partnermap", "validate", str(minimal_path)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "4 partners, 8 ties, valid"


def test_the_console_script_ends_its_own_process(tmp_path, minimal_path):
    """cli.run: atexit handlers still run and output is flushed before the fast exit, exit codes
    are kept, and folium comes without pandas (a library import of folium keeps it)."""
    out = tmp_path / "m.html"
    script = ("import atexit, sys; atexit.register(lambda: print('pandas', 'pandas' in sys.modules, file=sys.stderr));"
              "from partnermap.cli import run; sys.argv = ['partnermap'] + sys.argv[1:]; run()")
    proc = subprocess.run([sys.executable, "-c", script, "render", str(minimal_path), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1] == "pandas False"
    assert proc.stdout.strip() == str(out) and out.read_text(encoding="utf-8").rstrip().endswith("</html>")
    proc = subprocess.run([sys.executable, "-c", script, "types", "--format", "json"], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0 and json.loads(proc.stdout)["category"]  # all of it, flushed
    proc = subprocess.run([sys.executable, "-c", script, "render", str(tmp_path / "none.geojson")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "no such file" in proc.stderr
    library = "import folium.utilities as u; print(u.pd is not None)"
    assert subprocess.run([sys.executable, "-c", "import partnermap.render; " + library], capture_output=True,
                          text=True, check=True).stdout.strip() == "True"


def test_validate_ok(runner, minimal_path):
    result = runner.invoke(main, ["validate", str(minimal_path)])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "4 partners, 8 ties, valid",
        "  by partner: AUS 2, USA 2, GBR 2, QUAD 2",
        "  by category: security 5, economic 2, diplomatic 1",
        "  by type: reciprocal_access 2, trade_agreement 1, alliance 1, trade_measure 1, acsa 1, minilateral 1, "
        "dialogue 1",
        "  by status: in_force 6, held 1, ended 1",
    ]


def test_validate_reports_every_problem_one_line_each(runner, tmp_path, minimal_path):
    doc = json.loads(minimal_path.read_text())
    doc["features"][0]["properties"]["ties"][0]["category"] = "militar"
    doc["features"][1]["properties"]["ties"][1]["dates"]["in_force"] = "2025-02-30"
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(doc))
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{bad}: feature 0 (AUS): tie AUS-RAA: category: unknown value 'militar'")
    assert lines[1].startswith(f"{bad}: feature 1 (USA): tie USA-AUTO: dates.in_force: '2025-02-30' is not a real date")
    assert "Traceback" not in result.output


def test_missing_file_is_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope.geojson")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope.geojson'}: no such file\n"


def test_render_writes_html_and_prints_path(runner, tmp_path, minimal_path):
    out = tmp_path / "sub" / "map.html"
    result = runner.invoke(main, ["render", str(minimal_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "partnermap.draw(" in html


def test_render_default_output_path(runner, minimal_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["render", str(minimal_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "output/partners.html"
    assert (tmp_path / "output" / "partners.html").stat().st_size > 100_000


def test_render_options(runner, tmp_path, minimal_path):
    out = tmp_path / "m.html"
    result = runner.invoke(main, ["render", str(minimal_path), "-o", str(out), "--title", "Allies", "--subtitle",
                                  "Since 1960", "--lang", "ja", "--theme", "presentation", "--cdn",
                                  "--category", "security"])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<title>Allies</title>" in html
    assert "Since 1960" in html
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in html
    assert "安全保障" in html  # Japanese category label
    assert '"economic"' not in html.split("partnermap.draw(")[1].split('"links"')[1].split('"ties"')[0]


def test_failed_render_keeps_previous_output(runner, tmp_path, minimal_path):
    out = tmp_path / "m.html"
    out.write_text("previous map")
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    result = runner.invoke(main, ["render", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert "line 1 column 2" in result.stderr
    assert out.read_text() == "previous map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.geojson", "m.html"]  # no temp file left


def test_render_to_directory_is_usage_error(runner, tmp_path, minimal_path):
    result = runner.invoke(main, ["render", str(minimal_path), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_unknown_choice_lists_valid_values(runner, minimal_path):
    result = runner.invoke(main, ["list", str(minimal_path), "--type", "treaty"])
    assert result.exit_code == 2
    assert "reciprocal_access" in result.output and "acsa" in result.output


def test_unknown_partner_lists_valid_ids(runner, minimal_path):
    result = runner.invoke(main, ["list", str(minimal_path), "--partner", "FRA"])
    assert result.exit_code == 2
    assert result.stderr == ("Error: unknown partner 'FRA'; give an id or an English name, one of: "
                             "AUS, GBR, QUAD, USA\n")
    by_name = runner.invoke(main, ["list", str(minimal_path), "--partner", "australia", "--format", "csv"])
    assert by_name.exit_code == 0 and by_name.output.count("AUS,") == 2


def test_empty_selection_is_clear(runner, minimal_path):
    result = runner.invoke(main, ["render", str(minimal_path), "--partner", "GBR", "--category", "economic"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {minimal_path}: no ties match --category economic --partner GBR\n"


def test_bad_date_option_is_usage_error(runner, minimal_path):
    result = runner.invoke(main, ["list", str(minimal_path), "--as-of", "2023-13"])
    assert result.exit_code == 2
    assert "--as-of" in result.stderr and "no month 13" in result.stderr


def test_list_table(runner, minimal_path):
    result = runner.invoke(main, ["list", str(minimal_path)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["partner", "category", "type", "status", "signed", "held", "in_force", "title"]
    assert len(lines) == 2 + 8 + 1
    assert lines[-1] == "8 ties with 4 partners (security 5, economic 2, diplomatic 1)"
    assert any(line.startswith("GBR") and "2023-10-15" in line for line in lines)


def test_list_csv_and_json_agree(runner, minimal_path):
    csv_out = runner.invoke(main, ["list", str(minimal_path), "--format", "csv"]).output
    as_csv = list(csv.DictReader(io.StringIO(csv_out)))
    as_json = json.loads(runner.invoke(main, ["list", str(minimal_path), "--format", "json"]).output)
    assert as_csv == as_json
    assert {r["id"] for r in as_json} == {"AUS-RAA", "AUS-EPA", "USA-TREATY", "USA-AUTO", "GBR-RAA", "GBR-ACSA",
                                          "QUAD-SUMMIT", "QUAD-OLD"}


def test_list_as_of_status(runner, minimal_path):
    # The UK RAA was signed 2023-01-11 and entered into force 2023-10-15.
    result = runner.invoke(main, ["list", str(minimal_path), "--as-of", "2023-09-30", "--status", "in_force",
                                  "--format", "json"])
    ids = {r["id"] for r in json.loads(result.output)}
    assert "GBR-RAA" not in ids and "AUS-RAA" in ids


def test_types_table_and_json(runner):
    table = runner.invoke(main, ["types"])
    assert table.exit_code == 0
    assert "reciprocal_access" in table.output and "Reciprocal access agreement" in table.output
    data = json.loads(runner.invoke(main, ["types", "--format", "json", "--lang", "ja"]).output)
    assert {"value": "security", "label": "安全保障"} in data["category"]


def test_render_slide_options_and_embed(runner, tmp_path, minimal_path):
    out = tmp_path / "slide.html"
    result = runner.invoke(main, ["render", str(minimal_path), "-o", str(out), "--width", "960", "--height", "540",
                                  "--no-controls", "--timeline"])
    assert result.exit_code == 0, result.output
    embed = runner.invoke(main, ["embed", str(out), "--title", "Japan's allies"])
    assert embed.exit_code == 0
    # the size the map was rendered at, by default
    assert embed.output.startswith('<iframe src="slide.html" title="Japan&#x27;s allies" width="960" height="540"')
    published = runner.invoke(main, ["embed", str(out), "--url", "https://example.org/maps/slide.html",
                                     "--aspect", "16:9"])
    assert published.exit_code == 0, published.output
    assert published.output.startswith('<div style="position:relative;width:100%;max-width:100%;aspect-ratio:16 / 9">')
    assert 'src="https://example.org/maps/slide.html"' in published.output
    for bad_url in ("javascript:alert(1)", "https://x.org/a b", "//evil.org/x"):
        refused = runner.invoke(main, ["embed", str(out), "--url", bad_url])
        assert refused.exit_code == 2 and refused.stderr.startswith("Error: --url"), bad_url
    bad = runner.invoke(main, ["render", str(minimal_path), "-o", str(out), "--width", "huge"])
    assert bad.exit_code == 2 and "--width 'huge'" in bad.stderr
    missing = runner.invoke(main, ["embed", str(tmp_path / "nope.html")])
    assert missing.exit_code == 2


def test_list_marks_changes_since(runner, minimal_path):
    result = runner.invoke(main, ["list", str(minimal_path), "--changes-since", "2025-01-20"])
    assert result.exit_code == 0
    header, _rule, *rows, _totals = result.output.splitlines()
    assert header.split()[-1] == "change"
    column = header.index("change")
    marked = [r for r in rows if r[column:].strip()]
    assert len(marked) == 1 and marked[0].startswith("USA") and marked[0][column:].strip() == "new"
    as_json = json.loads(runner.invoke(main, ["list", str(minimal_path), "--changes-since", "2025-01-20",
                                              "--format", "json"]).output)
    assert {r["id"]: r["change"] for r in as_json if r["change"]} == {"USA-AUTO": "new"}


def test_render_static_formats(runner, tmp_path, minimal_path):
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
    for fmt, start in magic.items():
        out = tmp_path / f"map.{fmt.upper()}"
        result = runner.invoke(main, ["render", str(minimal_path), "-o", str(out), "--dpi", "40", "--size", "4:3",
                                      "--category", "security"])
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(start)
    wrong = runner.invoke(main, ["render", str(minimal_path), "-o", str(tmp_path / "m.png"), "--timeline"])
    assert wrong.exit_code == 2 and "--timeline does not apply" in wrong.output
    wrong = runner.invoke(main, ["render", str(minimal_path), "-o", str(tmp_path / "m.html"), "--dpi", "90"])
    assert wrong.exit_code == 2 and "--dpi does not apply" in wrong.output
    wrong = runner.invoke(main, ["render", str(minimal_path), "-o", str(tmp_path / "m.jpg")])
    assert wrong.exit_code == 2 and "write .html, .png, .svg or .pdf" in wrong.output
    bad_size = runner.invoke(main, ["render", str(minimal_path), "-o", str(tmp_path / "m.png"), "--size", "wide"])
    assert bad_size.exit_code == 2
    assert not (tmp_path / "m.jpg").exists() and not (tmp_path / "m.png").exists()


def test_slides_command(runner, tmp_path, minimal_path):
    from pptx import Presentation

    out = tmp_path / "deck.pptx"
    result = runner.invoke(main, ["slides", str(minimal_path), "-o", str(out), "--dpi", "40", "--date", "2016",
                                  "--date", "2024"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    assert "Building slides" in result.stderr
    deck = Presentation(str(out))
    assert len(deck.slides) >= 4
    wrong = runner.invoke(main, ["slides", str(minimal_path), "-o", str(tmp_path / "deck.ppt")])
    assert wrong.exit_code == 2 and "written as .pptx" in wrong.stderr


def test_warnings_are_one_clean_line(runner, tmp_path, minimal_path, monkeypatch):
    from partnermap import static

    monkeypatch.setattr(static, "find_cjk_font", lambda: None)
    monkeypatch.setattr(static, "_cjk_warned", False)
    result = runner.invoke(main, ["render", str(minimal_path), "-o", str(tmp_path / "m.png"), "--lang", "ja",
                                  "--dpi", "30"])
    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if line]
    # the fixture has no Japanese titles: one line says how much fell back to English; one says the font is missing
    assert len(warning) == 2
    assert warning[0].startswith("Warning: --lang ja: ") and "English is shown" in warning[0]
    assert warning[1].startswith("Warning: no CJK font found;")


def test_non_utf8_title_refused_by_every_output(runner, tmp_path, minimal_path):
    for out in ("m.html", "m.png"):
        result = runner.invoke(main, ["render", str(minimal_path), "-o", str(tmp_path / out), "--title", "T\udcff"])
        assert result.exit_code == 2 and "--title contains bytes that are not UTF-8" in result.stderr, out
    deck = runner.invoke(main, ["slides", str(minimal_path), "-o", str(tmp_path / "d.pptx"), "--title", "T\udcff"])
    assert deck.exit_code == 2 and "--title contains bytes that are not UTF-8" in deck.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_full_stdout_is_one_line(minimal_path):
    """`partnermap list > /dev/full`: one error line, exit 1, no traceback."""
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "partnermap", "list", str(minimal_path)], stdout=full,
                              stderr=subprocess.PIPE, text=True, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["Error: cannot write output (No space left on device)"]


def test_terminal_escapes_from_the_data_never_reach_the_terminal(tmp_path, minimal_path):
    """The table is for reading: an escape sequence in a title is shown escaped, on a terminal or not."""
    doc = json.loads(minimal_path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["ties"][0]["title"] = "\x1b[2J\x1b[31mred\u202eevil"
    path = tmp_path / "esc.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "partnermap", "list", str(path)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0
    assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout
    assert "\\x1b[2J\\x1b[31mred\\u202eevil" in proc.stdout


def test_tiles_credit_is_text_not_markup():
    """Some providers give their credit as HTML; the map shows it as text (the script sets textContent)."""
    from partnermap.render import tile_layer

    credit = tile_layer("OpenStreetMap.Mapnik")["attribution"]
    assert "<" not in credit and "&copy;" not in credit and "OpenStreetMap" in credit


def test_embed_of_a_file_name_that_is_not_utf8(tmp_path, minimal_path):
    import os

    name = os.fsdecode(b"map-\xff.html")
    target = tmp_path / name
    subprocess.run([sys.executable, "-m", "partnermap", "render", str(minimal_path), "-o", str(target)],
                   check=True, capture_output=True)
    proc = subprocess.run([sys.executable, "-m", "partnermap", "embed", str(target)], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert b'src="map-%FF.html"' in proc.stdout


# ---- issue 11: a workbook where a partner file belongs; one rule for output folders; bounded lists ---------


@pytest.mark.parametrize("command", [["validate"], ["list"], ["render", "-o", "{tmp}/m.html"], ["diff", "{book}"]])
def test_a_workbook_given_for_a_partner_file_says_to_import_it(runner, tmp_path, minimal_path, command):
    from partnermap import load, save_workbook

    book = save_workbook(load(minimal_path), tmp_path / "book.xlsx")
    args = [a.replace("{tmp}", str(tmp_path)).replace("{book}", str(book)) for a in command[1:]]
    result = runner.invoke(main, [command[0], str(book), *args])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"Error: {book}: this is a workbook, not a partner file; read it with "
                             f"partnermap import {book} -o partners.geojson\n")


def test_a_folder_of_csv_tables_given_for_a_partner_file_says_to_import_it(runner, tmp_path, minimal_path):
    from partnermap import load, save_tables

    folder = save_tables(load(minimal_path), tmp_path / "tables")
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2 and "is a folder of CSV tables, not a partner file; read it with " \
                                      f"partnermap import {folder}" in result.stderr


@pytest.mark.parametrize("command", [
    ["new", "--focal", "AUS", "-o", "{out}.geojson"],
    ["import", "{book}", "-o", "{out}.geojson"],
    ["render", "{data}", "-o", "{out}.html"],
    ["list", "{data}", "--format", "xlsx", "-o", "{out}.xlsx"],
    ["list", "{data}", "--format", "csv", "-o", "{out}.csv"],
])
def test_every_output_creates_one_missing_folder_and_refuses_two(runner, tmp_path, minimal_path, command):
    """One rule (export.check_target) for every -o: new, import, render, list."""
    from partnermap import load, save_workbook

    book = save_workbook(load(minimal_path), tmp_path / "book.xlsx")

    def run(out: Path):
        return runner.invoke(main, [a.replace("{out}", str(out)).replace("{book}", str(book))
                                    .replace("{data}", str(minimal_path)) for a in command])

    deep = run(tmp_path / "a" / "b" / "x")
    assert deep.exit_code == 2 and "the folder" in deep.stderr and "does not exist" in deep.stderr
    assert not (tmp_path / "a").exists()
    one = run(tmp_path / "c" / "x")
    assert one.exit_code == 0, one.stderr
    assert len(list((tmp_path / "c").iterdir())) == 1


def test_long_lists_in_a_problem_are_cut_between_items(runner, tmp_path, minimal_path):
    """60 unknown members: the line names ten, then says how many more (never cut mid-id)."""
    doc = json.loads(minimal_path.read_text(encoding="utf-8"))
    quad = next(f["properties"] for f in doc["features"] if f["properties"]["id"] == "QUAD")
    quad["members"] = [*quad["members"], *(f"ZZ{i:02d}-UNKNOWN-MEMBER-ID" for i in range(60))]
    path = tmp_path / "long.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    (line,) = [x for x in result.stderr.splitlines() if "members" in x]
    assert line.endswith("ZZ09-UNKNOWN-MEMBER-ID … and 50 more") and "…" not in line[:-20]
