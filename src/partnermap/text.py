"""The one text policy: how text from data or users is made safe for each kind of output.

Every output kind has one function here, and every writer calls it:

=============  ==========================================================================
HTML           ``script_json`` (data for the map script, which puts it on the page with
               ``textContent`` only) and ``html_attr`` (our few attributes and <title>)
Markdown       ``markdown`` (every character Markdown or HTML acts on escaped),
               ``markdown_url`` (an autolink, percent-encoded)
BibTeX         ``bibtex`` (braces, backslashes, TeX specials), ``bibtex_url``
CSV            ``csv_cell`` / ``csv_value`` (formula starts defused, reversibly), ``csv_text``
matplotlib     ``mpl`` (one line, XML-safe, cut; call sites pass ``parse_math=False``)
XML            ``xml`` (SVG, PPTX, XLSX: characters XML cannot hold become a visible mark)
terminal       ``terminal`` (control, bidi and invisible characters shown escaped)
=============  ==========================================================================

The hostile corpus in ``tests/test_text.py`` runs through every function, and
the fuzzer in ``tests/test_fuzz.py`` through every writer.
"""

from __future__ import annotations

import html
import json
import re

from .errors import UsageError

# Drawn text is cut at this many characters (with an ellipsis): a 1 MB partner name must not
# make a figure or a slide try to lay out a megabyte of glyphs.
MAX_DRAWN = 200


def check_text(value: str | None, name: str) -> str | None:
    """Refuse user text that cannot be written as UTF-8 (a shell argument with stray bytes
    arrives as lone surrogates); every output that takes user text calls this."""
    if value is not None:
        if not isinstance(value, str):
            raise UsageError(f"--{name}: expected text")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"--{name} contains bytes that are not UTF-8 text") from None
    return value


def page_json(value: object) -> bytes:
    """Compact UTF-8 JSON, the one writer of the page's data (``script_json``, ``render.pack``).

    orjson, not ``json``: it writes a 100,000-tie payload (54 MB) three times as fast (0.25 s
    against 0.71 s), deterministically. Keys must be strings, numbers finite (NaN would be
    written as null; the payload holds none)."""
    import orjson

    try:
        return orjson.dumps(value)
    except TypeError:
        # What orjson refuses and json can write: a lone surrogate (none reaches here from a file or
        # an option: the reader and check_text refuse them), an integer over 64 bits. json writes
        # them as ASCII with \u escapes, which mean the same to the browser.
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no ``</script>`` or ``<!--``, no U+2028 surprises.

    The map script then puts every string on the page with ``textContent`` (never ``innerHTML``),
    so this is the whole HTML policy for data."""
    import orjson

    try:
        text = orjson.dumps(value).decode("utf-8")
    except TypeError:  # see page_json; here as Python str, so that the text reads back to exactly ``value``
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return script_safe(text)


def script_safe(json_text: str) -> str:
    """JSON text made safe inside a <script> element (see ``script_json``)."""
    return (json_text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def html_attr(text: str) -> str:
    """Text for an HTML attribute value in double quotes or an element's text (<title>)."""
    return html.escape(text, quote=True)


def clip(text: str, limit: int = MAX_DRAWN) -> str:
    """``text`` cut to ``limit`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Characters a terminal acts on instead of printing: C0/C1 controls (escape sequences, carriage
# return, backspace), bidirectional overrides and isolates, zero-width and invisible formatting
# characters, lone surrogates, tag characters.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]")


def _escape_char(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def terminal(text: str, keep_newlines: bool = False) -> str:
    """Text for a terminal: control characters (escape sequences, carriage returns, bidi
    overrides...) shown escaped as ``\\x1b``, ``\\u202e``, so data cannot move the cursor,
    recolour the screen or hide what follows."""
    if keep_newlines:
        return "\n".join(_TERMINAL_UNSAFE.sub(_escape_char, line) for line in text.split("\n"))
    return _TERMINAL_UNSAFE.sub(_escape_char, text)


# Characters XML 1.0 cannot hold, and Unicode non-characters: replaced by a visible mark in
# SVG, PPTX and drawn text, so the file stays well-formed and the reader sees something is off.
_XML_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")
MARK = "\ufffd"


def xml(text: str) -> str:
    """Text for an XML document (SVG, PPTX): characters XML cannot hold become a visible ``\ufffd``."""
    return _XML_UNSAFE.sub(MARK, text)


def mpl(text: str | None, limit: int = MAX_DRAWN) -> str:
    """Text for matplotlib: one line, XML-safe (SVG), cut at ``limit``. Call sites also pass
    ``parse_math=False``, so ``$`` is a dollar sign, never mathtext."""
    if text is None:
        return ""
    return clip(xml(" ".join(text.split())), limit)


# ---- the Markdown subset of story texts ---------------------------------------------------
# Paragraphs, bullet and numbered lists, *emphasis*, **strong** and [links](https://...) —
# parsed into a tree of plain data, never passed on as markup: the page builds it with
# createElement/textContent, the deck as plain runs. A link is kept only when it is http(s)
# and has no character a browser could read differently (safe_url); otherwise its text stays.

_INLINE = re.compile(r"\*\*(?P<strong>.+?)\*\*|(?<![\w*])[*_](?P<em>[^*_\s](?:.*?[^*_\s])?)[*_](?![\w*])"
                     r"|\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)")
_ITEM = re.compile(r"^\s*(?:[-*+]|(?P<num>\d{1,3})[.)])\s+(?P<body>.*)$")


# http(s), a host, then nothing a browser or BibTeX could read differently (compiled once: this
# runs for every source of every file).
_SAFE_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f<>{}\"\\`^|/][^\s\x00-\x1f\x7f<>{}\"\\`^|]*", re.IGNORECASE)


def safe_url(url: str) -> bool:
    """An http(s) URL with nothing a browser or BibTeX could read differently from what is written:
    no control characters, no whitespace, none of ``<>{}"\\`` and no backtick."""
    return bool(_SAFE_URL.fullmatch(url))


def _inline(text: str) -> list[dict]:
    out: list[dict] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            out.append({"t": text[pos:m.start()]})
        if m.group("strong") is not None:
            out.append({"strong": _inline(m.group("strong"))})
        elif m.group("em") is not None:
            out.append({"em": _inline(m.group("em"))})
        elif safe_url(m.group("url")):
            out.append({"a": m.group("url"), "c": _inline(m.group("text"))})
        else:  # not a link we can vouch for: its text, as text
            out.append({"t": m.group(0)})
        pos = m.end()
    if pos < len(text):
        out.append({"t": text[pos:]})
    return out


def markdown_subset(source: str) -> list[dict]:
    """Blocks ``{"p": inline}``, ``{"ul": [inline, ...]}``, ``{"ol": [inline, ...]}``; inline nodes
    ``{"t": text}``, ``{"em": inline}``, ``{"strong": inline}``, ``{"a": url, "c": inline}``."""
    blocks: list[dict] = []
    para: list[str] = []
    items: list[str] = []
    kind = None

    def flush():
        nonlocal para, items, kind
        if para:
            blocks.append({"p": _inline(" ".join(line.strip() for line in para))})
        if items:
            blocks.append({kind: [_inline(i) for i in items]})
        para, items, kind = [], [], None

    for line in xml(source).splitlines():
        if not line.strip():
            flush()
            continue
        m = _ITEM.match(line)
        if m:
            k = "ol" if m.group("num") else "ul"
            if para or (kind and kind != k):
                flush()
            kind = k
            items.append(m.group("body").strip())
        elif items and line.startswith(("  ", "\t")):
            items[-1] += " " + line.strip()
        else:
            if items:
                flush()
            para.append(line)
    flush()
    return blocks


def plain(blocks: list[dict]) -> list[str]:
    """The blocks as plain paragraphs (a slide's text box, speaker notes): lists as bullet lines."""

    def inline(nodes: list[dict]) -> str:
        return "".join(n["t"] if "t" in n else inline(n.get("c") or n.get("em") or n.get("strong") or [])
                       for n in nodes)

    out: list[str] = []
    for block in blocks:
        if "p" in block:
            out.append(inline(block["p"]))
        for key in ("ul", "ol"):
            for i, item in enumerate(block.get(key, []), start=1):
                out.append(("• " if key == "ul" else f"{i}. ") + inline(item))
    return out


# ---- bibliographies and tables -------------------------------------------------------------

# Inside a line (every line we write starts with "- "), these are the characters Markdown or an
# HTML-rendering Markdown library acts on: emphasis, code, links and images, tables, strike-through,
# math, raw HTML and entities.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]!|<>~&$])")


_MD_BLOCK_START = re.compile(r"^([#>+=-])|^(\d+)([.)])")


def markdown(text: str) -> str:
    """Text for a Markdown document: every character Markdown or HTML could act on is escaped
    (``\\<script>`` shows as ``<script>``), newlines become spaces, control characters a mark;
    a start that would open a block where the text begins a line (``# ``, ``> ``, ``1. ``) too."""
    out = _MD_SPECIAL.sub(r"\\\1", xml(" ".join(text.split())))
    return _MD_BLOCK_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), out)


def markdown_url(url: str) -> str:
    """A URL as a Markdown autolink ``<...>``, percent-encoded so nothing in it ends the link."""
    from urllib.parse import quote

    return "<" + quote(url, safe=":/?#[]@!$&'*+,;=%-._~") .replace("(", "%28").replace(")", "%29") + ">"


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "@": "{@}"}


def bibtex(text: str) -> str:
    """Text for a BibTeX field in braces: braces, backslashes and TeX's specials escaped, one line,
    so a value can neither close its field nor open a new entry (``@`` is guarded too)."""
    return "".join(_TEX_SPECIAL.get(c, c) for c in xml(" ".join(text.split())))


def bibtex_url(url: str) -> str:
    """A URL for BibTeX's ``url`` field (read verbatim): percent-encode what could end the field."""
    return "".join(f"%{ord(c):02X}" if c in "{}\\%@\"" or ord(c) < 33 or ord(c) == 127 else c for c in url) \
        if any(c in "{}\\@\"" or ord(c) < 33 or ord(c) == 127 for c in url) else url


# OWASP's CSV-injection list: a cell starting with one of these is a formula to some spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-\d+(?:\.\d+)?", re.ASCII)  # a negative number: the same to a spreadsheet


def csv_cell(value: str) -> str:
    """A cell a spreadsheet will not run: one starting like a formula gets a leading apostrophe (OWASP).

    Reversible (``csv_value``): a cell that already starts with an apostrophe before a formula
    start or another apostrophe gets one more, so importing a table gives back exactly the text."""
    if _PLAIN_NUMBER.fullmatch(value):  # -77.04 (a longitude) is the number it says, never a formula
        return value
    risky = value.startswith(FORMULA_START) or (value.startswith("'") and value[1:2] in (*FORMULA_START, "'"))
    return "'" + value if risky else value


def csv_value(cell: str) -> str:
    """The text ``csv_cell`` was given: the one apostrophe it added taken off again."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1:2] in (*FORMULA_START, "'") else cell


def csv_text(rows) -> str:
    """Rows as CSV: formula-like cells defused, every CR or LF inside a quoted field (RFC 4180 line ends)."""
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([[csv_cell(str(v)) for v in row] for row in rows])
    return buf.getvalue()
