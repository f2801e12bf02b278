"""Benchmark: web map size and time until the map is ready in headless Chromium.

radweg's map (simplified lines, rounded coordinates, one GeoJSON layer per
status/type, clustered POIs) against a naive folium map of the same data
(one PolyLine per segment at full precision, plain markers), measured in the
same run, for the sample data and for a synthetic 2,000 km network with 1,000
POIs.

Both maps get their libraries from local copies (the naive map's CDN requests
are answered from folium-offline's files), tiles are blocked, so only the
page itself is compared. "Ready" = the first animation frame, counted from the
start of navigation inside the page, at which every segment line is drawn
(same test for both maps; the markers are created before the lines are). Run:

    python benchmarks/webmap.py [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from radweg.data.store import Store  # noqa: E402
from radweg.model import POI_TYPES, Collection, Dataset, Leg, Poi, Segment, Tour  # noqa: E402
from radweg.webmap import MapOptions, render_map  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def synthetic(km: float = 2000.0, pois: int = 1000, seg_km: float = 10.0, step_m: float = 20.0,
              seed: int = 1) -> Dataset:
    """Chains of segments that wander like real tracks (a vertex every ~20 m, GPS-like jitter)."""
    rng = random.Random(seed)
    segs: list[Segment] = []
    tours: list[Tour] = []
    n_seg = int(km / seg_km)
    per_chain = 10
    lon, lat, ele, heading = 11.3, 51.5, 200.0, 0.0
    chain: list[str] = []
    statuses = ("existing", "existing", "planned", "construction", "closed")
    for i in range(n_seg):
        if i % per_chain == 0:
            if chain:
                tours.append(Tour(f"tour-{len(tours):02d}", f"Tour {len(tours)}", tuple(Leg(s) for s in chain)))
            chain = []
            lon, lat = rng.uniform(10.8, 11.9), rng.uniform(51.25, 51.85)
        coords = [(lon, lat, ele)]
        for _ in range(int(seg_km * 1000 / step_m)):
            heading += rng.gauss(0, 0.15)
            dx = step_m * math.cos(heading) / (111320 * math.cos(math.radians(lat)))
            dy = step_m * math.sin(heading) / 110540
            lon, lat = lon + dx, lat + dy
            ele = max(80.0, ele + rng.gauss(0, 0.8))
            jitter = (rng.gauss(0, 1.5) / 111320 / 0.62, rng.gauss(0, 1.5) / 110540)
            coords.append((round(lon + jitter[0], 6), round(lat + jitter[1], 6), round(ele, 1)))
        sid = f"s{i:04d}"
        segs.append(Segment(sid, f"Abschnitt {i}", tuple(coords), status=statuses[i % len(statuses)]))
        chain.append(sid)
    if chain:
        tours.append(Tour(f"tour-{len(tours):02d}", f"Tour {len(tours)}", tuple(Leg(s) for s in chain)))
    points = [Poi(f"p{i:04d}", f"Ort {i}", POI_TYPES[i % len(POI_TYPES)],
                  (round(rng.uniform(10.8, 11.9), 5), round(rng.uniform(51.25, 51.85), 5)),
                  description=f"Beschreibung {i}") for i in range(pois)]
    return Dataset(Collection(segs), Collection(tours), Collection(points), Collection(),
                   {"name": "Synthetisch", "disclaimer_de": "Synthetische Testdaten."})


def naive_folium(ds: Dataset) -> str:
    """The baseline: one folium PolyLine per segment at full precision, a plain Marker per POI."""
    import folium

    m = folium.Map(location=[51.5, 11.3], zoom_start=9)
    for seg in ds.segments.items:
        folium.PolyLine([(c[1], c[0]) for c in seg.coords], tooltip=seg.name).add_to(m)
    for p in ds.pois.items:
        folium.Marker((p.lat, p.lon), popup=p.name).add_to(m)
    return m.get_root().render()


def time_ready(browser, path: Path, lines: int, bundle: dict[str, str]) -> float:  # type: ignore[no-untyped-def]
    """Seconds from the start of navigation until every line is drawn, measured inside the page."""
    page = browser.new_page(viewport={"width": 1280, "height": 850})

    def route(r):  # type: ignore[no-untyped-def]
        url = r.request.url
        if url.startswith("file:"):
            r.continue_()
        elif url in bundle:
            ctype = "text/css" if url.endswith(".css") else "application/javascript"
            r.fulfill(status=200, body=bundle[url], headers={"Content-Type": ctype})
        else:
            r.abort()

    page.route("**/*", route)
    page.add_init_script("""(() => {
        const check = () => {
            if (document.querySelectorAll('path.leaflet-interactive').length >= LINES) {
                window.__ready = performance.now();
            } else { requestAnimationFrame(check); }
        };
        requestAnimationFrame(check);
    })();""".replace("LINES", str(int(lines))))
    page.goto(path.as_uri(), wait_until="commit", timeout=120000)
    page.wait_for_function("window.__ready !== undefined", timeout=120000)
    elapsed = page.evaluate("window.__ready") / 1000.0
    page.close()
    return elapsed


def run(name: str, ds: Dataset, repeat: int, browser, bundle: dict[str, str], tmp: Path) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    ours = render_map(ds, MapOptions(), inline=False)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    base = naive_folium(ds)
    t_base = time.perf_counter() - t0
    d = tmp / name
    (d / "assets").mkdir(parents=True)
    (d / "ours.html").write_text(ours.html, encoding="utf-8")
    for a in ours.assets:
        (d / "assets" / a.name).write_bytes(a.data)
    (d / "naive.html").write_text(base, encoding="utf-8")
    size_ours = len(ours.html.encode("utf-8"))
    size_assets = sum(len(a.data) for a in ours.assets)
    size_base = len(base.encode("utf-8"))
    # the same lines must be drawn by both: ours also draws tour halos and neighbours, so wait for the segments
    n_lines = len(ds.segments.items)
    ready_ours = [time_ready(browser, d / "ours.html", n_lines, bundle) for _ in range(repeat)]
    ready_base = [time_ready(browser, d / "naive.html", n_lines, bundle) for _ in range(repeat)]
    r_o, r_b = statistics.median(ready_ours), statistics.median(ready_base)
    km = sum(_len(s.coords) for s in ds.segments.items) / 1000
    print(f"\n== {name}: {len(ds.segments.items)} segments, {km:.0f} km, {ours.result.vertices_in} vertices "
          f"-> {ours.result.vertices_out} shown (max deviation {ours.result.max_deviation_m:.2f} m), "
          f"{len(ds.pois.items)} POIs")
    print(f"HTML size        radweg {size_ours / 1024:9.1f} KiB (+ {size_assets / 1024:.0f} KiB assets, cached)"
          f"   naive folium {size_base / 1024:9.1f} KiB   ratio naive/radweg {size_base / size_ours:6.2f}x")
    print(f"build (Python)   radweg {t_ours:9.2f} s     naive folium {t_base:9.2f} s   ratio "
          f"{t_base / t_ours:6.2f}x")
    print(f"ready (Chromium) radweg {r_o:9.2f} s     naive folium {r_b:9.2f} s   ratio naive/radweg "
          f"{r_b / r_o:6.2f}x   (median of {repeat})")


def _len(coords) -> float:  # type: ignore[no-untyped-def]
    from radweg.geometry import line_length_m

    return line_length_m(coords)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="a 200 km / 100 POI network instead of 2,000 / 1,000")
    args = ap.parse_args()
    from offlinefolium.elements import _res as bundle
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmpdir, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        run("sample", Store(ROOT).load(), args.repeat, browser, bundle, Path(tmpdir))
        big = synthetic(200, 100) if args.quick else synthetic()
        run("synthetic", big, args.repeat, browser, bundle, Path(tmpdir))
        browser.close()


if __name__ == "__main__":
    main()
