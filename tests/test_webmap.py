"""The web map: escaping, simplification error, profiles, legend, offline assets, determinism."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radweg.data.store import Store
from radweg.geometry import MetricFrame
from radweg.model import Poi
from radweg.simplify import DisplaySimplifier
from radweg.tours.facts import line_facts
from radweg.webmap import MapOptions, render_map
from radweg.webmap.assets import AssetError, localise
from radweg.webmap.i18n import pick, t
from radweg.webmap.popups import poi_popup, poi_tooltip, safe_url
from radweg.webmap.profile import profile_svg
from radweg.webmap.styles import STATUS_STYLES, legend_html

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT = "Beschreibung <script>alert(2)</script> & mehr"


def hostile_dataset(sample: Path):  # type: ignore[no-untyped-def]
    """The sample with one POI renamed to an XSS payload and a tour name with markup."""
    st_ = Store(sample)
    ds = st_.load()
    poi = ds.pois.get("roehrigschacht-wettelrode") or ds.pois.items[0]
    idx = ds.pois.items.index(poi)
    ds.pois.items[idx] = dataclasses.replace(poi, name=HOSTILE, description=SCRIPT)
    tour = ds.tours.items[0]
    ds.tours.items[0] = dataclasses.replace(tour, name="<b>Tour</b><img src=y onerror=alert(3)>")
    st_.save(ds, ["pois", "tours"])
    return st_.load()


def test_poi_popup_and_tooltip_escape_everything() -> None:
    poi = Poi("x", HOSTILE, "halde", (11.3, 51.5), description=SCRIPT, website="javascript:alert(1)", height_m=97)
    html = poi_popup(poi, "de") + poi_tooltip(poi, "de")
    assert "<img" not in html and "<script" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "href=" not in html  # a javascript: URL is never a link
    assert "97\u00a0m" in html and "Halde" in html


def test_safe_url_keeps_only_http() -> None:
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//example.org", "ftp://x", "", None, "http://"):
        assert safe_url(bad) is None


def test_language_fallback() -> None:
    assert pick("en", "Halde", None) == "Halde"
    assert pick("en", "Halde", "Heap") == "Heap"
    assert pick("de", "Halde", "Heap") == "Halde"
    assert t("en", "legend") == "Legend" and t("de", "legend") == "Legende"


def test_profile_marks_pois_and_escapes_names() -> None:
    line = ((11.0, 51.0, 100.0), (11.01, 51.0, 150.0), (11.02, 51.0, 120.0))
    poi = Poi("p", HOSTILE, "schacht", (11.01, 51.0005))
    facts = line_facts((line,), [poi], corridor_m=200)
    assert [n.poi.id for n in facts.pois] == ["p"]
    assert facts.ascent_m == 50.0 and facts.descent_m == 30.0
    svg = profile_svg(facts.profile, facts.pois, "de", title=HOSTILE)
    assert "<img" not in svg and "&lt;img src=x onerror=alert(1)&gt;" in svg
    assert 'class="rw-profile-poi"' in svg
    flat = line_facts((((11.0, 51.0), (11.01, 51.0)),), [])
    assert "Keine Höhendaten" in profile_svg(flat.profile, flat.pois, "de", title="x")


def test_a_profile_with_a_gap_draws_each_part_and_does_not_count_the_jump() -> None:
    a = ((11.0, 51.0, 100.0), (11.01, 51.0, 110.0))
    b = ((11.012, 51.0, 240.0), (11.02, 51.0, 250.0))
    facts = line_facts((a, b), [])
    assert facts.ascent_m == 20.0 and facts.descent_m == 0.0
    assert facts.profile.breaks == (2,)
    assert facts.profile.distances_m[2] == facts.profile.distances_m[1]  # the gap adds no distance
    svg = profile_svg(facts.profile, facts.pois, "de", title="x")
    assert svg.count('class="rw-profile-line"') == 2


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(11.0, 11.2), st.floats(51.3, 51.5)), min_size=2, max_size=60),
       st.sampled_from([0.0, 2.0, 4.0, 10.0]))
def test_simplified_lines_stay_within_the_stated_error(pts: list[tuple[float, float]], tol: float) -> None:
    frame = MetricFrame(11.1, 51.4)
    simp = DisplaySimplifier(frame, tol, 5)
    disp = simp.line(pts)
    assert disp.coords[0] == [round(pts[0][0], 5), round(pts[0][1], 5)]
    # Douglas-Peucker bound plus the rounding to 1e-5 degrees (< 0.8 m at this latitude)
    assert disp.max_deviation_m <= tol + 0.8
    assert all(len(str(v).split(".")[-1]) <= 5 for c in disp.coords for v in c)


def test_legend_is_generated_from_the_styles() -> None:
    html = legend_html("de", poi_types=["halde"], tours=[("<i>x</i>", 0)], has_neighbours=True, has_gaps=False,
                       has_connectors=False, has_stages=True)
    for style in STATUS_STYLES.values():
        assert style.color in html
    assert "&lt;i&gt;x&lt;/i&gt;" in html and "Halde" in html


def test_render_is_deterministic_and_offline(sample: Path) -> None:
    ds = Store(sample).load()
    a = render_map(ds, MapOptions(), inline=False)
    b = render_map(ds, MapOptions(), inline=False)
    assert a.html == b.html
    assert [x.data for x in a.assets] == [x.data for x in b.assets]
    # every script and stylesheet is local; only tile URL templates point to the internet
    refs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', a.html)
    assert refs and all(r.startswith("assets/") for r in refs)
    names = {x.name for x in a.assets}
    assert {"leaflet.js", "leaflet.css", "leaflet.markercluster.js", "radweg.js", "radweg.css"} <= names
    assert a.result.counts["segments"] == len(ds.segments.items)
    assert a.result.max_deviation_m <= 4.0 + 0.8


def test_inline_map_is_one_self_contained_file(sample: Path) -> None:
    ds = Store(sample).load()
    r = render_map(ds, MapOptions(lang="en"), inline=True)
    assert r.assets == []
    assert not re.search(r'<script[^>]+src=', r.html)
    assert not re.search(r'<link[^>]+stylesheet', r.html)
    assert '<html lang="en">' in r.html and "Legend" in r.html
    assert "Illustrative draft, NOT the official alignment" in r.html


def test_hostile_text_never_reaches_the_page_raw(sample: Path) -> None:
    ds = hostile_dataset(sample)
    html = render_map(ds, MapOptions(), inline=True).html
    assert "onerror=alert(1)>" not in html.replace("&gt;", "")  # never an unescaped tag
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "<img src=y" not in html


def test_unknown_cdn_url_is_an_error_not_a_silent_cdn_link() -> None:
    with pytest.raises(AssetError, match="no offline copy of https://cdn.example.org/x.js"):
        localise('<head><script src="https://cdn.example.org/x.js"></script></head>', inline=False)


def test_template_syntax_in_names_is_not_evaluated(sample: Path) -> None:
    st_ = Store(sample)
    ds = st_.load()
    ds.pois.items[0] = dataclasses.replace(ds.pois.items[0], name="{{ 7*7 }} {% raw %}",
                                           description="{{ config }} {# x #}")
    st_.save(ds, ["pois"])
    html = render_map(st_.load(), MapOptions(), inline=True).html
    assert "{{ 7*7 }} {% raw %}" in html and "{{ config }} {# x #}" in html


def test_approximate_neighbours_are_drawn_lighter_and_named_in_legend_and_popup(sample: Path) -> None:
    from radweg.webmap.popups import neighbour_popup
    from radweg.webmap.styles import NEIGHBOUR_APPROX_STYLE, NEIGHBOUR_STYLE

    ds = Store(sample).load()
    kinds = {nb.geometry for nb in ds.neighbours.items}
    assert kinds == {"osm", "approximate"}
    html = render_map(ds, MapOptions(), inline=True).html
    assert "rw-neighbour-approx" in html and "Nachbarrouten (Verlauf angenähert)" in html
    assert NEIGHBOUR_APPROX_STYLE.color != NEIGHBOUR_STYLE.color
    assert NEIGHBOUR_APPROX_STYLE.opacity < NEIGHBOUR_STYLE.opacity
    approx = next(nb for nb in ds.neighbours.items if nb.geometry == "approximate")
    osm = next(nb for nb in ds.neighbours.items if nb.geometry == "osm")
    assert "angenähert durch bekannte Orte" in neighbour_popup(approx, "de")
    assert "from OpenStreetMap" in neighbour_popup(osm, "en")
    legend = legend_html("de", poi_types=[], tours=[], has_neighbours=True, has_gaps=False, has_connectors=False,
                         has_stages=False)
    assert "angenähert" not in legend  # only when the map has approximate neighbours


def test_the_map_allows_pinch_zoom_and_has_a_title(sample: Path) -> None:
    ds = Store(sample).load()
    html = render_map(ds, MapOptions()).html
    assert "user-scalable=no" not in html and "maximum-scale" not in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1"/>' in html
    assert "<title>Karte – Kupferspuren-Radweg (Beispieldaten)</title>" in html
    en = render_map(ds, MapOptions(lang="en")).html
    assert "<title>Map – Kupferspuren-Radweg (sample data)</title>" in en and '<html lang="en">' in en


def test_the_public_legend_says_how_to_switch_on_the_neighbours() -> None:
    from radweg.webmap.styles import legend_html as legend

    public = legend("de", poi_types=[], tours=[], has_neighbours=True, has_gaps=False, has_connectors=False,
                    has_stages=False, neighbours_on=False)
    assert "einschaltbar" in public
