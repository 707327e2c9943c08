"""The README against the program: every command and option documented, every help text there,
every code block run as a reader would paste it (after sqlite-utils' tests/test_docs.py).

Shell blocks run in order in one temporary folder, against the bundled data, with the installed
``partnermap`` on PATH; the Python block runs as pasted. A block that cannot run as it stands
carries a marker on the line before it, ``<!-- docs-test: REASON -->``, and REASON must be one
this test knows (``NOT_RUN``); nothing is skipped silently. A synopsis block is still checked:
each of its commands and options must exist.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from partnermap.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
# Why a block may not run as it stands; a marker naming anything else fails the test.
NOT_RUN = {
    "make": "make targets build the checkout's .venv and run this very suite (CI runs them); a test cannot",
    "synopsis": "a synopsis ([OPTIONAL] parts, A|B choices, placeholders), not a command line: its commands "
                "and options are checked against click instead (test_synopsis_blocks_name_real_options)",
}
MARKER = re.compile(r"<!-- docs-test: (?P<reason>[\w-]+) -->")
OPTION = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")


@dataclass(frozen=True)
class Block:
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    marker: str | None


def blocks() -> list[Block]:
    lines = README.read_text(encoding="utf-8").splitlines()
    out, i = [], 0
    while i < len(lines):
        fence = re.fullmatch(r"```(\w*)", lines[i])
        if not fence:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j] == "```")
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        marker = MARKER.fullmatch(before.strip())
        out.append(Block(i + 1, fence[1], "\n".join(lines[i + 1:end]) + "\n", marker["reason"] if marker else None))
        i = end + 1
    return out


def commands() -> list[tuple[str, click.Command]]:
    return sorted(main.commands.items())


def options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option)]


def units(text: str) -> list[str]:
    """The README in units that document together: a paragraph with the table or list that follows
    it, or one line of a code block."""
    out: list[str] = []
    in_code = False
    for chunk in re.split(r"\n\s*\n", text):
        if chunk.lstrip().startswith("```") or in_code:
            out += chunk.splitlines()
            in_code = chunk.count("```") % 2 == 1 if not in_code else chunk.count("```") % 2 == 0
        elif chunk.lstrip().startswith(("|", "- ")) and out:
            out[-1] += "\n" + chunk  # a table or list belongs to the paragraph that introduces it
        else:
            out.append(chunk)
    return out


def names(unit: str, command: str) -> bool:
    return bool(re.search(rf"partnermap {command}\b|`{command}[` ]", unit))


# ---- every command and option is documented, and every one has help ----------------------------------


def test_the_markers_are_known():
    for b in blocks():
        assert b.marker is None or b.marker in NOT_RUN, f"README line {b.line}: unknown reason {b.marker!r}"


@pytest.mark.parametrize("name,command", commands())
def test_every_command_is_in_the_readme_with_help(name, command):
    assert re.search(rf"^partnermap {name}\b", README.read_text(encoding="utf-8"), re.M), \
        f"no 'partnermap {name} …' line in the README's command list"
    assert command.help and command.help.strip(), f"{name}: no help text"
    assert command.get_short_help_str(), name


@pytest.mark.parametrize("name,command", commands())
def test_every_option_has_help_and_is_documented_with_its_command(name, command):
    text = README.read_text(encoding="utf-8")
    mine = [u for u in units(text) if names(u, name)]
    for option in options(command):
        assert option.help and option.help.strip(), f"{name} {option.opts}: no help text"
        found = any(OPTION.search(u) and set(option.opts) & set(OPTION.findall(u)) for u in mine)
        assert found, f"{name} {'/'.join(option.opts)}: not documented beside `{name}` in the README"


def test_the_group_options_are_documented():
    text = README.read_text(encoding="utf-8")
    assert "partnermap --help | --version" in text
    ctx = click.Context(main, **main.context_settings)
    assert {"--version", "--help", "-h"} <= {o for p in main.get_params(ctx) for o in p.opts}


# ---- every code block runs (or says why not) -------------------------------------------------------------


def _command_lines(text: str) -> list[str]:
    return [line.split("  #")[0].strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_synopsis_blocks_name_real_options():
    """A synopsis is not run, so check it against click: a renamed option or command fails here."""
    synopses = [b for b in blocks() if b.marker == "synopsis"]
    assert synopses
    for b in synopses:
        for line in _command_lines(b.text):
            words = line.split()
            assert words[0] == "partnermap", f"README line {b.line}: {line}"
            if words[1].startswith("-"):
                continue  # partnermap --help | --version
            command = main.commands.get(words[1])
            assert command is not None, f"README line {b.line}: no command {words[1]}"
            known = {o for p in options(command) for o in p.opts} | {"-h", "--help"}
            for opt in OPTION.findall(line.split(words[1], 1)[1]):
                assert opt in known, f"README line {b.line}: {words[1]} has no option {opt}"


def _checkout(tmp: Path) -> Path:
    """The reader's folder: like a checkout, it holds the bundled story (stories/), which the README uses."""
    import shutil

    shutil.copytree(ROOT / "stories", tmp / "stories")
    return tmp


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(tmp)  # nothing the block writes lands outside its folder
    return env


def test_every_shell_block_runs_in_order_against_the_bundled_data(tmp_path):
    """As a reader following the README: one folder, block after block, each command exiting 0."""
    shell = [b for b in blocks() if b.lang == "sh"]
    _checkout(tmp_path)
    ran = 0
    for b in shell:
        if b.marker is not None:
            continue
        script = "set -euo pipefail\n" + b.text
        proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=_env(tmp_path), capture_output=True,
                              text=True, timeout=600)
        assert proc.returncode == 0, f"README line {b.line}: exit {proc.returncode}\n{proc.stderr[-2000:]}"
        assert "Traceback" not in proc.stderr, f"README line {b.line}\n{proc.stderr[-2000:]}"
        for out in re.findall(r"(?:-o|>)\s+(\S+)", b.text):
            assert (tmp_path / out).is_file(), f"README line {b.line}: {out} was not written"
        ran += 1
    assert ran >= 3  # the own-network, spreadsheet and examples blocks
    assert all(b.marker is not None or b.lang in ("sh", "python") for b in blocks())


def test_the_python_block_runs_as_pasted(tmp_path):
    (block,) = [b for b in blocks() if b.lang == "python"]
    assert block.marker is None
    _checkout(tmp_path)
    proc = subprocess.run([sys.executable, "-c", block.text], cwd=tmp_path, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"README line {block.line}:\n{proc.stderr[-3000:]}"
    for out in ("output/security.html", "output/security.svg", "output/briefing.pptx", "output/partners.xlsx",
                "my_partners.geojson"):
        assert (tmp_path / out).is_file(), out
    assert "## Changes from" in proc.stdout and "valid" in proc.stdout


def test_every_block_is_run_or_marked():
    """Nothing skipped silently: each block is a shell block that runs, the Python block, or marked."""
    for b in blocks():
        runnable = b.lang in ("sh", "python") and b.marker is None
        assert runnable or b.marker in NOT_RUN, f"README line {b.line}: neither runnable nor marked"
        if b.marker == "make":
            assert all(line.split()[0] in ("make", ".venv/bin/pytest") for line in _command_lines(b.text)), b.line
