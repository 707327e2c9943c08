"""The folium map and its HTML: offline assets, stable bytes, escaped title."""

from __future__ import annotations

import re

import folium

from partnermap import build_map, to_html


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
