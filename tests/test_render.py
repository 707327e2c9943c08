"""The folium map and its HTML: offline assets, stable bytes, escaped title."""

from __future__ import annotations

import re

import folium
import pytest

from partnermap import build_map, to_html
from partnermap.errors import UsageError


def test_build_map_returns_folium_map(minimal):
    m = build_map(minimal)
    assert isinstance(m, folium.Map)
    assert "partnermap_network" in m._children
    assert m._repr_html_()  # displays inline in Jupyter


def test_offline_html_has_no_remote_scripts_or_styles(minimal):
    html = to_html(build_map(minimal))
    assert not re.search(r'<script[^>]+src=', html)
    assert not re.search(r'<link[^>]+stylesheet', html)
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()
    assert "url(images/" not in html  # Leaflet's CSS images inlined
    assert 't.version="1.9.3"' in html  # Leaflet itself, inlined


def test_cdn_html_links_leaflet(minimal):
    html = to_html(build_map(minimal, offline=False))
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>' in html
    assert len(html) < len(to_html(build_map(minimal))) - 140_000  # Leaflet (~150 KB) not inlined


@pytest.mark.browser
def test_cdn_page_offline_says_so_without_an_error(offline_page, minimal, tmp_path):
    out = tmp_path / "cdn.html"
    out.write_text(to_html(build_map(minimal, offline=False)), encoding="utf-8")
    page = offline_page.page
    page.goto(out.resolve().as_uri())
    page.wait_for_selector(".pm-offline")
    assert "--cdn" in page.locator(".pm-offline").text_content()
    # the blocked downloads are the only complaint: no script error ("L is not defined")
    assert [e for e in offline_page.errors if "Failed to load resource" not in e] == []
    assert len(offline_page.blocked) == 2


@pytest.mark.browser
def test_cdn_page_online_draws_the_map(browser, minimal, tmp_path):
    from partnermap.render import LEAFLET_CDN, _leaflet_dir

    out = tmp_path / "cdn.html"
    out.write_text(to_html(build_map(minimal, offline=False)), encoding="utf-8")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def serve(route):  # jsDelivr, played by the pinned package's own files
        url = route.request.url
        if url.startswith(LEAFLET_CDN):
            route.fulfill(path=str(_leaflet_dir() / url.rsplit("/", 1)[1]))
        elif url.startswith(("file:", "data:")):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", serve)
    page.goto(out.resolve().as_uri())
    page.wait_for_selector("[data-pm-ready]", timeout=15000)
    assert page.locator(".pm-offline").count() == 0 and errors == []
    page.close()


def test_same_input_same_bytes(minimal):
    assert to_html(build_map(minimal)) == to_html(build_map(minimal))


def test_title_is_escaped(minimal):
    html = to_html(build_map(minimal, title='</title><script>alert(1)</script>'))
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in html
    assert "<script>alert(1)" not in html


def test_payload_cannot_close_script(minimal):
    html = to_html(build_map(minimal, subtitle="</script><b>x</b>\u2028"))
    assert "</script><b>" not in html
    assert "\\u003c/script\\u003e" in html
    assert "\u2028" not in html


def test_size_and_controls(minimal):
    from partnermap.render import parse_size

    assert parse_size(None, "width") == "100%"
    assert parse_size("960", "width") == 960 and parse_size("540px", "height") == 540
    assert parse_size("60%", "width") == "60%"
    for bad in ("0", "120%", "wide", "-5"):
        with pytest.raises(UsageError, match="give pixels"):
            parse_size(bad, "width")
    html = to_html(build_map(minimal, width=960, height="540px", controls=False))
    assert "width: 960.0px;" in html and "height: 540.0px;" in html
    assert '"controls":false' in html and '"zoomControl": false' in html


def test_tiles_by_xyzservices_name(minimal):
    html = to_html(build_map(minimal, tiles="OpenStreetMap.Mapnik"))
    assert "tile.openstreetmap.org" in html
    with pytest.raises(UsageError, match="unknown tile provider 'Nope'"):
        build_map(minimal, tiles="Nope")


def test_embed_snippet(minimal, tmp_path):
    from partnermap import embed_snippet, save_map

    path = save_map(build_map(minimal, title='Allies & "friends"'), tmp_path / "m.html")
    assert embed_snippet(path, height=480) == (
        '<iframe src="m.html" title="Allies &amp; &quot;friends&quot;" width="100%" height="480" '
        'style="border:0;max-width:100%" loading="lazy" allowfullscreen></iframe>')
    with pytest.raises(UsageError, match="render the map first"):
        embed_snippet(tmp_path / "missing.html")


def test_byte_identical_across_processes(tmp_path, minimal_path):
    import subprocess
    import sys

    outs = []
    for i, seed in enumerate(("1", "2")):  # different hash seeds, fresh processes
        out = tmp_path / f"m{i}.html"
        subprocess.run([sys.executable, "-m", "partnermap", "render", str(minimal_path), "-o", str(out)],
                       check=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"}, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.parametrize("packed", [False, True])
def test_the_page_in_pieces_is_the_page(minimal, monkeypatch, packed):
    """save_map writes render.page_pieces one after the other: the same document as to_html and
    folium's own rendering, with the payload (packed: base64 bytes) spliced in where it goes."""
    from partnermap import render

    if packed:
        monkeypatch.setattr(render, "PACK_OVER", 0)
    m = build_map(minimal)
    pieces = render.page_pieces(m)
    joined = "".join(p if isinstance(p, str) else p.decode("ascii") for p in pieces)
    assert joined == to_html(m) == m.get_root().render()
    assert len(pieces) == (5 if packed else 3) and all(isinstance(p, bytes) for p in pieces[1::2]) is packed


def test_a_title_cannot_forge_the_mark_where_the_payload_goes(minimal):
    from partnermap import render

    forged = "pm-00000000000000000000000000000000-0-0 \x00pm0.0\x00"
    m = build_map(minimal, title=forged)
    pieces = render.page_pieces(m)
    assert len(pieces) == 3 and m.get_root().render() == "".join(pieces)
