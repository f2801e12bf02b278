"""Every page of the public site in Chromium, at phone and desktop size: layout, axe-core, links, map and profile.

axe-core comes from the PyPI package ``axe-playwright-python`` (it ships
``axe.min.js``; nothing is loaded from a CDN). Screenshots of the start page,
a tour page and a POI page at both sizes go to ``output/browser/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_browser_site import SHOTS, Page

from radweg.data.store import Store
from radweg.site import SiteOptions, publish

pytestmark = pytest.mark.browser

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    root = Path(__file__).resolve().parent.parent
    ds = Store(root).load()
    out = tmp_path_factory.mktemp("public")
    publish(ds, out, SiteOptions())
    return out, ds


def _pages(out: Path) -> list[Path]:
    return sorted(out.glob("*.html")) + sorted((out / "en").glob("*.html"))


def _checked_pages(out: Path, ds: Any) -> list[Path]:
    """Every page but the POI pages, and of those the first POI page of each type, in both languages.

    The POI pages share one template; the sample has about 170 of them per language, which would make
    an axe sweep at both sizes take many minutes without testing anything the per-type sample does not.
    At phone size every page gets the layout checks and axe (see the test below).
    """
    first: dict[str, str] = {}
    for poi in sorted(ds.pois.items, key=lambda x: x.id):
        first.setdefault(poi.type, f"poi-{poi.id}.html")
    keep = set(first.values())
    return [p for p in _pages(out) if not p.name.startswith("poi-") or p.name in keep]


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_fits_the_screen_and_has_no_serious_axe_violation(browser: Any, site: tuple[Path, Any],
                                                                     size: str) -> None:
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_sync.Axe()
    out, ds = site
    p = Page(browser, SIZES[size])
    problems: list[str] = []
    for path in (_pages(out) if size == "phone" else _checked_pages(out, ds)):
        name = path.relative_to(out).as_posix()
        page = p.open(path)
        page.wait_for_timeout(150)
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if width > inner:
            problems.append(f"{name}: scrolls sideways ({width} > {inner})")
        facts = page.evaluate("""() => ({lang: document.documentElement.lang, title: document.title,
            h1: document.querySelectorAll('h1').length,
            viewport: (document.querySelector('meta[name=viewport]') || {}).content || '',
            main: document.querySelectorAll('main').length})""")
        if facts["h1"] != 1 or not facts["title"] or facts["main"] != 1:
            problems.append(f"{name}: {facts}")
        if facts["lang"] != ("en" if name.startswith("en/") else "de"):
            problems.append(f"{name}: lang {facts['lang']}")
        if "user-scalable=no" in facts["viewport"] or "maximum-scale" in facts["viewport"]:
            problems.append(f"{name}: viewport {facts['viewport']}")
        result = axe.run(page)
        for v in result.response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{name}: axe {v['id']} ({v['impact']}) at {v['nodes'][0]['target']}")
    assert problems == []
    # axe-core reads the stylesheets itself, which Chromium refuses from file://; that is axe's, not the site's
    p.errors = [e for e in p.errors if "XMLHttpRequest" not in e and "net::ERR_FAILED" not in e]
    p.check_offline()


def test_counterpart_and_licence_links_work_on_every_page(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    p = Page(browser, SIZES["phone"])
    for path in _checked_pages(out, ds):
        name = path.relative_to(out).as_posix()
        page = p.open(path)
        lang = page.evaluate("document.documentElement.lang")
        other = "de" if lang == "en" else "en"
        switch = page.locator(f'header a.rw-lang[hreflang="{other}"]')
        href = switch.get_attribute("href")
        target = (path.parent / href).resolve()
        assert target.is_file(), f"{name}: {href}"
        licence = page.locator('footer a[href="licences.html"]')
        assert licence.count() == 1, name
    page = p.open(out / "tour-nord-sued.html")
    page.click("header a.rw-lang")
    page.wait_for_load_state()
    assert page.url.endswith("/en/tour-nord-sued.html")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click('footer a[href="licences.html"]')
    page.wait_for_load_state()
    assert page.url.endswith("/en/licences.html") and "ODbL" in page.inner_text("main")
    p.check_offline()


def test_public_map_has_no_gaps_and_neighbours_only_as_context(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    p = Page(browser, SIZES["desktop"])
    page = p.open_map(out / "index.html")
    assert page.locator("path.rw-gap").count() == 0
    assert page.locator("path.rw-neighbour").count() == 0  # off at first
    legend = page.locator("#rw-legend").inner_text()
    assert "Nachbarrouten" in legend and "Lücken" not in legend and "vereinfacht" not in legend
    page.hover(".leaflet-control-layers")
    overlays = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("Nachbarrouten" in t for t in overlays) and any("Service" in t for t in overlays)
    assert page.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "Hineinzoomen"
    p.check_offline()


def test_a_popup_on_a_phone_stays_clear_of_the_controls_and_the_screen_edge(browser: Any,
                                                                            site: tuple[Path, Any]) -> None:
    out, ds = site
    p = Page(browser, SIZES["phone"])
    page = p.open_map(out / "index.html")
    for poi in ds.pois.items[:8]:
        page.evaluate("id => new Promise(ok => radweg.showPoi(id, () => ok(null)))", poi.id)
        page.wait_for_timeout(400)
        popup = page.locator(".leaflet-popup").bounding_box()
        close = page.locator(".leaflet-popup-close-button").bounding_box()
        assert popup["x"] >= 0 and popup["x"] + popup["width"] <= 390, (poi.id, popup)
        assert close["x"] + close["width"] <= 390 and close["y"] >= 0, (poi.id, close)
        for control in (".leaflet-control-zoom", ".leaflet-control-layers"):
            box = page.locator(control).bounding_box()
            apart = (popup["x"] >= box["x"] + box["width"] or popup["x"] + popup["width"] <= box["x"]
                     or popup["y"] >= box["y"] + box["height"] or popup["y"] + popup["height"] <= box["y"])
            assert apart, (poi.id, control, popup, box)
        assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Schließen"
        page.evaluate("() => { radweg.map.closePopup(); }")
    p.check_offline()


def test_keyboard_walks_only_through_named_controls(browser: Any, site: tuple[Path, Any]) -> None:
    out, _ds = site
    p = Page(browser, SIZES["desktop"])
    page = p.open_map(out / "index.html")
    seen = []
    for _ in range(45):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("""() => { const e = document.activeElement;
            const name = (e.getAttribute('aria-label') || e.getAttribute('title') || e.textContent || '').trim();
            return [e.tagName.toLowerCase(), name]; }"""))
    assert not [s for s in seen if s[0] in ("path", "svg", "g")], seen
    assert all(name for _tag, name in seen), seen
    assert seen[0] == ["a", "Zum Inhalt springen"]
    p.check_offline()


def test_every_poi_popup_links_to_its_page(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    p = Page(browser, SIZES["desktop"])
    page = p.open_map(out / "index.html")
    links = page.evaluate("""() => Object.keys(radweg.pois).map(id => {
        const div = document.createElement('div');
        div.innerHTML = radweg.pois[id].getPopup().getContent();
        const a = Array.from(div.querySelectorAll('a')).find(x => /^poi-/.test(x.getAttribute('href')));
        return [id, a ? a.getAttribute('href') : null];
    })""")
    assert sorted(links) == sorted([poi.id, f"poi-{poi.id}.html"] for poi in ds.pois.items)
    overview = p.open(out / "pois.html")
    hrefs = set(overview.eval_on_selector_all("main a[href^='poi-']", "els => els.map(e => e.getAttribute('href'))"))
    assert hrefs == {f"poi-{poi.id}.html" for poi in ds.pois.items}
    # the filter: one type only, then a search word
    overview.uncheck("#rw-filter input[value='halde']")
    shown = overview.locator(".rw-card[data-type]:visible").count()
    assert shown == len(ds.pois.items) - sum(1 for x in ds.pois.items if x.type == "halde")
    overview.fill("#rw-filter input[type=search]", "wettelrode")
    names = overview.locator(".rw-card[data-type]:visible h4").all_inner_texts()
    expected = [x for x in ds.pois.items if x.type != "halde" and "wettelrode" in " ".join(
        str(v) for v in (x.name, x.description, x.extra.get("near_place"))).casefold()]
    assert len(names) == len(expected) >= 1
    p.check_offline()


def test_every_tour_page_has_its_own_map_and_a_profile_in_step_with_it(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    p = Page(browser, SIZES["desktop"])
    for tour in ds.tours.items:
        for prefix in ("", "en/"):
            page = p.open(out / f"{prefix}tour-{tour.id}.html")
            page.wait_for_function("window.radweg && window.radweg.ready === true", timeout=15000)
            assert page.locator("#rw-page-map path.rw-page-line").count() >= 1
            svg = page.locator(f"svg#rw-profile-{tour.id}")
            page.locator("#rw-page-map").scroll_into_view_if_needed()
            svg.scroll_into_view_if_needed()
            box = svg.bounding_box()
            # profile -> map: hovering at 3/4 of the profile's width moves the dot to about 3/4 of the tour
            page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)
            km_at = page.evaluate("radweg.sync.km")
            length = float(svg.get_attribute("data-len")) / 1000
            x0, pw = float(svg.get_attribute("data-x0")), float(svg.get_attribute("data-pw"))
            scale = min(box["width"] / 640, box["height"] / 180)  # the SVG's viewBox, drawn centred ("meet")
            x = (box["width"] * 0.75 - (box["width"] - 640 * scale) / 2) / scale
            expected = min(max((x - x0) / pw, 0.0), 1.0) * length
            assert abs(km_at - expected) < max(2.0, length * 0.05), (km_at, expected)
            assert page.locator("path.rw-sync-dot").count() == 1
            assert page.locator(f"svg#rw-profile-{tour.id} .rw-profile-cursor").get_attribute("visibility") == \
                "visible"
            # map -> profile: hovering the line's vertex nearest km 3 moves the cursor there (the line has a
            # vertex every 20 m where the terrain model was sampled, so a pixel or two of aim is ~0.1 km)
            page.locator("#rw-page-map").scroll_into_view_if_needed()
            at = page.evaluate("""() => { const d = JSON.parse(document.getElementById('rw-page-data').textContent);
                const line = d.parts[0];
                const v = line.find(p => p[2] >= 3.0) || line[line.length - 1];
                const pt = radweg.map.latLngToContainerPoint([v[0], v[1]]);
                const r = document.getElementById('rw-page-map').getBoundingClientRect();
                return [r.left + pt.x, r.top + pt.y, v[2]]; }""")
            page.mouse.move(1, 1)
            page.mouse.move(at[0], at[1])
            page.wait_for_timeout(100)
            assert abs(page.evaluate("radweg.sync.km") - at[2]) < 0.75
    p.check_offline()


def test_screenshots_at_phone_and_desktop_size(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    poi = next(x for x in ds.pois.items if x.type == "halde")
    for size, viewport in SIZES.items():
        p = Page(browser, viewport)
        page = p.open_map(out / "index.html")
        page.screenshot(path=str(SHOTS / f"site-index-{size}.png"))
        page = p.open(out / "tour-nord-sued.html")
        page.wait_for_function("window.radweg && window.radweg.ready === true", timeout=15000)
        page.screenshot(path=str(SHOTS / f"site-tour-{size}.png"))
        page.screenshot(path=str(SHOTS / f"site-tour-{size}-full.png"), full_page=True)
        page = p.open(out / f"poi-{poi.id}.html")
        page.wait_for_function("window.radweg && window.radweg.ready === true", timeout=15000)
        page.screenshot(path=str(SHOTS / f"site-poi-{size}.png"))
        p.check_offline()
    for name in ("index", "tour", "poi"):
        for size in SIZES:
            assert (SHOTS / f"site-{name}-{size}.png").stat().st_size > 5000


def test_planner_pages_fit_the_phone_and_pass_axe(browser: Any, tmp_path: Path) -> None:
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_sync.Axe()
    ds = Store(Path(__file__).resolve().parent.parent).load()
    publish(ds, tmp_path / "planner", SiteOptions(planner=True))
    p = Page(browser, SIZES["phone"])
    problems = []
    for name in ("gaps.html", "en/gaps.html", "index.html", "en/index.html"):
        page = p.open(tmp_path / "planner" / name)
        page.wait_for_timeout(300)
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if width > inner:
            problems.append(f"{name}: scrolls sideways ({width} > {inner})")
        problems += [f"{name}: axe {v['id']}" for v in axe.run(page).response["violations"]
                     if v["impact"] in ("serious", "critical")]
    assert problems == []
    assert p.page.locator("path.rw-gap").count() >= 1  # the last page opened: the planner's English map
