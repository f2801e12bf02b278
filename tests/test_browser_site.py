"""The published site in a real headless Chromium, offline: layers, markers, popups, profile, hostile text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from test_webmap import HOSTILE, SCRIPT, hostile_dataset

from radweg.data.store import Store
from radweg.site import SiteOptions, publish
from radweg.webmap.build import BASEMAPS

SHOTS = Path(__file__).resolve().parent.parent / "output" / "browser"
TILE_HOSTS = tuple(re.sub(r"^https://(\{s\}\.)?", "", url).split("/", 1)[0] for _, url, _ in BASEMAPS)

pytestmark = pytest.mark.browser


class Page:
    """A page with the network cut off and every console error, dialog and blocked request recorded."""

    def __init__(self, browser: Any, viewport: dict[str, int] | None = None) -> None:
        self.page = browser.new_page(viewport=viewport or {"width": 1280, "height": 850})
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.blocked: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", self._console)
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(("file:", "http://127.0.0.1:")):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, msg: Any) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if msg.text.startswith("Failed to load resource") and any(h in url for h in TILE_HOSTS):
            return  # a map tile, blocked on purpose: the background stays blank
        self.errors.append(f"console: {msg.text} ({url})")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        return self.page

    def open_map(self, path: Path) -> Any:
        page = self.open(path)
        page.wait_for_function("window.radweg && window.radweg.ready === true", timeout=15000)
        page.wait_for_timeout(300)
        return page

    def check_offline(self) -> None:
        assert self.errors == [], self.errors
        assert all(any(h in u for h in TILE_HOSTS) for u in self.blocked), self.blocked


def expected_gap_lines(ds: Any) -> int:
    """Gaps the map draws: every gap the analysis finds, except 'status' ones (the segment colours show those)."""
    from radweg.gaps.detect import find_gaps
    from radweg.site.gaplayer import ON_MAP

    return sum(1 for g in find_gaps(ds) if g.kind in ON_MAP and g.line)


def _visible_pois(page: Any) -> int:
    return page.evaluate("""() => {
        const single = document.querySelectorAll('.leaflet-marker-pane .rw-poi').length;
        const clustered = Array.from(document.querySelectorAll('.leaflet-marker-pane .marker-cluster span'))
            .reduce((n, el) => n + parseInt(el.textContent, 10), 0);
        return single + clustered;
    }""")


def _open_poi(page: Any, poi_id: str) -> None:
    page.evaluate("id => new Promise(ok => radweg.showPoi(id, ok))", poi_id)
    page.wait_for_timeout(400)
    page.evaluate("id => { radweg.map.closePopup(); radweg.pois[id].getElement().setAttribute('data-test', id); }",
                  poi_id)
    page.click(f'[data-test="{poi_id}"]')
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    root = Path(__file__).resolve().parent.parent
    ds = Store(root).load()
    out = tmp_path_factory.mktemp("site")
    publish(ds, out, SiteOptions(planner=True))  # the planner's build: gaps and neighbours on the map
    return out, ds


def test_map_renders_offline_with_every_layer(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    p = Page(browser)
    page = p.open_map(out / "index.html")
    assert page.locator("path.rw-seg").count() == len(ds.segments.items)
    assert page.locator("path.rw-tour").count() == len(ds.tours.items)
    assert page.locator("path.rw-neighbour").count() == sum(len(n.lines) for n in ds.neighbours.items)
    assert _visible_pois(page) == len(ds.pois.items)
    assert page.locator(".leaflet-marker-pane .marker-cluster").count() >= 1  # clustering at this zoom
    assert page.locator("path.rw-gap").count() == expected_gap_lines(ds) > 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "index.png"))
    # legend and layer control
    legend = page.locator(".leaflet-control-container #rw-legend")
    assert legend.is_visible()
    for word in ("befahrbar", "geplant", "im Bau", "gesperrt", "Nachbarrouten", "Halde", "Lücken",
                 "Abweichung höchstens"):
        assert word in legend.inner_text()
    layers = page.locator(".leaflet-control-layers")
    assert layers.count() == 1
    page.hover(".leaflet-control-layers")
    assert layers.locator("input.leaflet-control-layers-selector[type=radio]").count() == 3  # base maps
    overlays = layers.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("Etappen" in t for t in overlays) and any("Halde" in t for t in overlays)
    for control in (".leaflet-control-zoom-fullscreen", ".leaflet-control-locate", ".leaflet-control-measure"):
        assert page.locator(control).count() == 1, control
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    assert "NICHT die offizielle Trasse" in page.locator(".rw-disclaimer").inner_text()
    # the elevation profile
    svg = page.locator("#rw-profile .rw-profile-item:not([hidden]) svg.rw-profile")
    assert svg.count() == 1
    box = svg.locator("polyline.rw-profile-line").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 20
    assert svg.locator("g.rw-profile-poi").count() >= 1
    page.hover(".leaflet-control-layers")
    page.screenshot(path=str(SHOTS / "index-layers.png"))
    p.check_offline()


def test_clicking_a_poi_opens_its_popup(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    p = Page(browser)
    page = p.open_map(out / "index.html")
    poi = ds.pois.get("halde-thaelmann-schacht") or ds.pois.items[0]
    _open_poi(page, poi.id)
    text = page.locator(".leaflet-popup-content").inner_text()
    assert poi.name in text and "Halde" in text
    if poi.height_m is not None:
        assert f"{poi.height_m:.0f}\u00a0m" in text
    page.click(".leaflet-popup-content a:has-text('Mehr zu diesem Ort')")
    page.wait_for_load_state()
    assert page.url.endswith(f"poi-{poi.id}.html") and page.locator("h1").inner_text() == poi.name
    p.check_offline()


def test_choosing_a_stage_profile_and_tour_popup_links(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    p = Page(browser)
    page = p.open_map(out / "index.html")
    tour = sorted(ds.tours.items, key=lambda t: t.id)[0]
    # a tour's popup: figures, GPX download and page links that exist, and a link to its profile
    page.evaluate("id => { const l = radweg.lines.find(x => x.getTooltip() && "
                  "x.getTooltip().getContent().indexOf(id) >= 0); l.openPopup(); }", tour.name)
    popup = page.locator(".leaflet-popup-content")
    assert "km" in popup.inner_text() and tour.name in popup.inner_text()
    hrefs = popup.locator("a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert f"gpx/{tour.id}.gpx" in hrefs and f"tour-{tour.id}.html" in hrefs
    assert all((out / h).is_file() for h in hrefs if h != "#")
    popup.locator("a.rw-show-profile").click()
    assert page.locator("#rw-profile .rw-profile-item:not([hidden])").get_attribute("data-profile") == \
        f"rw-profile-{tour.id}"
    stage = tour.stages[-1]
    page.select_option("#rw-profile-select", f"rw-profile-{tour.id}--{stage.id}")
    shown = page.locator("#rw-profile .rw-profile-item:not([hidden])")
    assert shown.count() == 1 and shown.get_attribute("data-profile") == f"rw-profile-{tour.id}--{stage.id}"
    assert stage.name in shown.locator("svg > title").text_content()
    p.check_offline()


def test_poi_overview_links_to_the_poi_page_and_that_to_the_map(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    p = Page(browser)
    page = p.open(out / "pois.html")
    poi = ds.pois.items[3]
    page.click(f'a[href="poi-{poi.id}.html"]')
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == poi.name
    page.click(f'a[href="index.html#poi={poi.id}"]')
    page.wait_for_function("window.radweg && window.radweg.ready === true", timeout=15000)
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    assert poi.name in page.locator(".leaflet-popup-content").inner_text()
    p.check_offline()


def test_tour_and_stage_links_open_them_on_the_map(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    tour = sorted(ds.tours.items, key=lambda t: t.id)[-1]
    stage = tour.stages[0]
    p = Page(browser)
    page = p.open(out / f"tour-{tour.id}.html")
    page.click(f'a[href="index.html#tour={tour.id}"]')
    page.wait_for_function("window.radweg && window.radweg.ready === true", timeout=15000)
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    assert tour.name in page.locator(".leaflet-popup-content").inner_text()
    assert page.locator("#rw-profile .rw-profile-item:not([hidden])").get_attribute("data-profile") == \
        f"rw-profile-{tour.id}"
    assert page.locator("path.rw-stage").count() == 0  # stages are off at first
    page = p.open(out / f"tour-{tour.id}.html")
    page.click(f'a[href="index.html#stage={tour.id}--{stage.id}"]')
    page.wait_for_function("window.radweg && window.radweg.ready === true", timeout=15000)
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    assert stage.name in page.locator(".leaflet-popup-content").inner_text()
    assert page.locator("path.rw-stage").count() == sum(len(t.stages) for t in ds.tours.items)
    page.screenshot(path=str(SHOTS / "stage-link.png"))
    p.check_offline()


def test_site_works_from_a_static_web_server(browser: Any, site: tuple[Path, Any]) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    out, ds = site

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        p = Page(browser)
        page = p.page
        page.goto(base + "index.html")
        page.wait_for_function("window.radweg && window.radweg.ready === true", timeout=15000)
        assert page.locator("path.rw-seg").count() == len(ds.segments.items)
        page.click("header nav a[href='pois.html']")
        page.wait_for_load_state()
        assert page.url == base + "pois.html"
        tour = sorted(ds.tours.items, key=lambda t: t.id)[0]
        with page.expect_download() as dl:
            page.goto(base + f"tour-{tour.id}.html")
            page.click(f'a[href="gpx/{tour.id}.gpx"]')
        assert dl.value.suggested_filename == f"{tour.id}.gpx"
        p.check_offline()
    finally:
        server.shutdown()
        server.server_close()


def test_polyline_decoder_matches_the_python_encoder(browser: Any, site: tuple[Path, Any]) -> None:
    from radweg.webmap.mapdata import encode_polyline

    out, ds = site
    p = Page(browser)
    page = p.open_map(out / "index.html")
    for seg in ds.segments.items[:5]:
        coords = [[round(c[0], 5), round(c[1], 5)] for c in seg.coords]
        decoded = page.evaluate("s => radweg.decode(s)", encode_polyline(coords))
        assert [[round(lon, 5), round(lat, 5)] for lat, lon in decoded] == coords
    p.check_offline()


def test_tour_page_shows_profile_and_stages(browser: Any, site: tuple[Path, Any]) -> None:
    out, ds = site
    tour = sorted(ds.tours.items, key=lambda t: t.id)[0]
    p = Page(browser, {"width": 1000, "height": 1400})
    page = p.open(out / f"tour-{tour.id}.html")
    assert page.locator("h1").inner_text() == tour.name
    assert page.locator("svg.rw-profile").count() == 1 + len(tour.stages)
    assert page.locator("svg.rw-profile polyline.rw-profile-line").first.bounding_box()["width"] > 200
    page.screenshot(path=str(SHOTS / f"tour-{tour.id}.png"), full_page=True)
    p.check_offline()


def test_hostile_text_stays_text_everywhere(browser: Any, sample: Path, tmp_path: Path) -> None:
    ds = hostile_dataset(sample)
    out = tmp_path / "site"
    publish(ds, out, SiteOptions(planner=True))
    poi = next(x for x in ds.pois.items if x.name == HOSTILE)
    p = Page(browser)
    page = p.open_map(out / "index.html")
    _open_poi(page, poi.id)
    popup = page.locator(".leaflet-popup-content")
    assert HOSTILE in popup.inner_text() and "<script>alert(2)</script>" in popup.inner_text()
    page.hover(f'[data-test="{poi.id}"]')
    page.wait_for_selector(".leaflet-tooltip", timeout=5000)
    assert HOSTILE in page.locator(".leaflet-tooltip").inner_text()
    titles = page.locator("#rw-profile g.rw-profile-poi > title").all_text_contents()
    assert any(HOSTILE in t for t in titles)
    page.hover(".leaflet-control-layers")
    assert "<b>Tour</b><img src=y onerror=alert(3)>" in page.locator(".leaflet-control-layers").inner_text()
    assert "<b>Tour</b><img src=y onerror=alert(3)>" in page.locator("#rw-legend").inner_text()
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], img[src=\"y\"]').length") == 0
    page.screenshot(path=str(SHOTS / "hostile-popup.png"))
    lst = p.open(out / "pois.html")
    assert HOSTILE in lst.inner_text("main")
    assert SCRIPT in lst.inner_text("main")
    tour_page = next(out.glob("tour-*.html"))
    for path in out.glob("tour-*.html"):
        page2 = p.open(path)
        if page2.locator("svg .rw-profile-poi title").count():
            texts = page2.locator("svg .rw-profile-poi title").all_text_contents()
            if any(HOSTILE in t for t in texts):
                tour_page = path
                break
    assert HOSTILE in p.open(tour_page).inner_text("main")
    assert p.dialogs == [], p.dialogs
    assert p.page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    p.check_offline()
