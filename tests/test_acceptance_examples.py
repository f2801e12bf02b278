"""Acceptance: the tutorial's commands on real extracts (scripts/example_*.py), checked without radweg's code.

Ways are read with pyosmium, distances measured with pyproj/shapely, SRTM heights read
with numpy from the .hgt.zip tiles. Each example is built once per module.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.realdata

ROOT = Path(__file__).resolve().parent.parent
LI = "realdata/pyosmium/docs/data/liechtenstein.osm.pbf"
AD = "realdata/graphhopper/core/files/andorra.osm.pbf"


def _script(name: str) -> Any:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return __import__(name)
    finally:
        sys.path.pop(0)


@pytest.fixture(scope="module")
def shared() -> Path:
    import os

    root = Path(os.environ.get("RADWEG_SHARED", ROOT.parent / "shared"))
    if not (root / LI).is_file() or not (root / AD).is_file():
        pytest.skip("shared real data not available")
    return root


@pytest.fixture(scope="module")
def li(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ex") / "liechtenstein"
    _script("example_liechtenstein").build(shared, out, echo=False)
    return out


@pytest.fixture(scope="module")
def ad(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ex") / "andorra"
    _script("example_andorra").build(shared, out, echo=False)
    return out


def _ways(pbf: Path) -> list[list[tuple[float, float]]]:
    import osmium

    lines = []
    for w in osmium.FileProcessor(str(pbf)).with_locations().with_filter(osmium.filter.KeyFilter("highway")):
        if isinstance(w, osmium.osm.Way):
            pts = [(n.location.lon, n.location.lat) for n in w.nodes if n.location.valid()]
            if len(pts) >= 2:
                lines.append(pts)
    return lines


class Near:
    """Distance in metres from a lon/lat point to the nearest way (UTM, shapely STRtree)."""

    def __init__(self, ways: list[list[tuple[float, float]]], epsg: int) -> None:
        from pyproj import Transformer
        from shapely import STRtree
        from shapely.geometry import LineString

        self.tf = Transformer.from_crs(4326, epsg, always_xy=True)
        self.geoms = [LineString([self.tf.transform(*p) for p in w]) for w in ways]
        self.tree = STRtree(self.geoms)

    def __call__(self, lon: float, lat: float) -> float:
        from shapely.geometry import Point

        p = Point(*self.tf.transform(lon, lat))
        return float(p.distance(self.geoms[int(self.tree.nearest(p))]))


def _trkpts(path: Path) -> list[tuple[float, float, float | None]]:
    from defusedxml import ElementTree

    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    out = []
    for pt in ElementTree.parse(path).getroot().iterfind(".//g:trkpt", ns):
        ele = pt.find("g:ele", ns)
        out.append((float(pt.get("lon")), float(pt.get("lat")), float(ele.text) if ele is not None else None))
    return out


def _geod_len(coords: list[list[float]]) -> float:
    from pyproj import Geod

    g = Geod(ellps="WGS84")
    return float(sum(g.inv(a[0], a[1], b[0], b[1])[2] for a, b in zip(coords, coords[1:], strict=False)))


def test_liechtenstein_relation_segments_follow_member_ways(li: Path, shared: Path) -> None:
    import osmium

    segs = json.loads((li / "routes/segments.geojson").read_text())["features"]
    assert segs and all(f["properties"]["osm_id"] == 1158583 for f in segs)
    members: set[int] = set()
    for r in osmium.FileProcessor(str(shared / LI), osmium.osm.RELATION):
        if r.id == 1158583:
            members = {m.ref for m in r.members if m.type == "w"}
    nodes: set[tuple[float, float]] = set()
    for w in osmium.FileProcessor(str(shared / LI)).with_locations():
        if isinstance(w, osmium.osm.Way) and w.id in members:
            nodes |= {(round(n.lon, 6), round(n.lat, 6)) for n in w.nodes if n.location.valid()}
    for f in segs:
        assert set(f["properties"]["osm_ways"]) <= members
        assert all((round(c[0], 6), round(c[1], 6)) in nodes for c in f["geometry"]["coordinates"])
    tour = json.loads((li / "routes/tours.geojson").read_text())["features"][0]["properties"]
    assert tour["id"] == "rheintal" and len(tour["segments"]) == len(segs)
    nbs = json.loads((li / "routes/neighbours.geojson").read_text())["features"]
    assert 1158583 not in {f["properties"]["osm_id"] for f in nbs} and len(nbs) >= 5


@pytest.mark.parametrize("example", ["li", "ad"])
def test_gpx_of_the_tours_lies_on_ways(example: str, request: pytest.FixtureRequest, shared: Path) -> None:
    folder = request.getfixturevalue(example)
    near = Near(_ways(shared / (LI if example == "li" else AD)), 32632 if example == "li" else 32631)
    files = sorted((folder / "gpx").glob("*.gpx"))
    tracks = [f for f in files if not f.name.endswith(".route.gpx")]
    assert tracks
    for f in tracks:
        worst = max(near(lon, lat) for lon, lat, _ in _trkpts(f))
        assert worst <= 5.0, (f.name, worst)


def test_liechtenstein_connectors_on_ways_longer_than_straight_and_different(li: Path, shared: Path) -> None:
    near = Near(_ways(shared / LI), 32632)
    feats = json.loads((li / "gaps.geojson").read_text())["features"]
    conns = [f for f in feats if f["properties"].get("alternative") is not None]
    assert len(conns) >= 5
    by_gap: dict[str, list[tuple[tuple[float, float], ...]]] = {}
    for f in conns:
        coords = f["geometry"]["coordinates"]
        assert max(near(c[0], c[1]) for c in coords) <= 1.0
        length = _geod_len(coords)
        assert length >= _geod_len([coords[0], coords[-1]]) - 0.5
        by_gap.setdefault(f["properties"]["gap_id"], []).append(tuple(map(tuple, coords)))
    for alts in by_gap.values():
        assert len(set(alts)) == len(alts)


def _srtm(path: Path) -> Any:
    import numpy as np

    with zipfile.ZipFile(path) as z:
        raw = z.read(next(n for n in z.namelist() if n.endswith(".hgt")))
    n = int(round((len(raw) // 2) ** 0.5))
    return np.frombuffer(raw, dtype=">i2").reshape(n, n).astype(float)


def test_andorra_ride_compared_and_snapped(ad: Path, shared: Path) -> None:
    segs = {f["properties"]["id"]: f for f in json.loads((ad / "routes/segments.geojson").read_text())["features"]}
    ride = segs["new"]
    raw = [tuple(p[:2]) for p in ride["properties"]["waypoints"]]
    gpx = [p[:2] for p in _trkpts(shared / "realdata/graphhopper/map-matching/files/andorra_for_map_matching.gpx")]
    assert [(round(a, 6), round(b, 6)) for a, b in gpx] == raw  # the ride's own points were the waypoints
    near = Near(_ways(shared / AD), 32631)
    routed = ride["geometry"]["coordinates"]
    off = [near(c[0], c[1]) for c in routed]
    # snapped with --on-network: every vertex on a way of the extract
    assert max(off) <= 1.0, max(off)


def test_andorra_ascent_matches_srtm_independently(ad: Path, shared: Path) -> None:
    import numpy as np
    from pyproj import Geod

    grid = _srtm(shared / "realdata/graphhopper/core/files/N42E001.hgt.zip")
    n = grid.shape[0] - 1

    def height(lon: float, lat: float) -> float:
        x, y = (lon - 1.0) * n, (43.0 - lat) * n
        i, j = int(np.floor(y)), int(np.floor(x))
        fy, fx = y - i, x - j
        q = grid[i:i + 2, j:j + 2]
        return float(q[0, 0] * (1 - fx) * (1 - fy) + q[0, 1] * fx * (1 - fy) + q[1, 0] * (1 - fx) * fy
                     + q[1, 1] * fx * fy)

    seg = next(f for f in json.loads((ad / "routes/segments.geojson").read_text())["features"]
               if f["properties"]["id"] == "envalira")
    line = seg["geometry"]["coordinates"]
    g = Geod(ellps="WGS84")
    pts: list[tuple[float, float]] = [tuple(line[0][:2])]
    for a, b in zip(line, line[1:], strict=False):  # every 20 m plus the vertices, as docs say
        d = g.inv(a[0], a[1], b[0], b[1])[2]
        k = int(d // 20.0)
        pts += [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for t in (s * 20.0 / d for s in range(1, k + 1))
                if t < 1.0]
        pts.append(tuple(b[:2]))
    eles = [height(*p) for p in pts]

    def ascent(values: list[float], thr: float = 3.0) -> float:
        up, ref = 0.0, values[0]
        for v in values:
            if v - ref >= thr:
                up, ref = up + v - ref, v
            elif ref - v >= thr:
                ref = v
        return up

    expected = ascent(eles)
    # radweg's figure, from the radweg.json terrain-model setting (stats), and the GPX heights
    import subprocess

    stats = subprocess.run([sys.executable, "-m", "radweg", "--data", str(ad), "stats", "envalira", "--json"],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    tour = json.loads(stats.stdout)["tours"][0]
    assert abs(tour["ascent_m"] - expected) <= 0.02 * expected, (tour["ascent_m"], expected)
    assert sum(st["ascent_m"] for st in tour["stages"]) == pytest.approx(tour["ascent_m"], abs=3)
    track = [p[2] for p in _trkpts(ad / "gpx/envalira.gpx")]
    assert all(e is not None for e in track)
    got = ascent([float(e) for e in track if e is not None])
    assert abs(got - expected) <= 0.02 * expected, (got, expected)
    assert 2300 < max(float(e) for e in track if e is not None) < 2500  # the Port d'Envalira, 2,408 m


@pytest.mark.browser
def test_liechtenstein_site_in_chromium_offline_shows_tour_neighbours_connectors(li: Path, browser: Any) -> None:
    from test_browser_site import SHOTS, Page

    nbs = json.loads((li / "routes/neighbours.geojson").read_text())["features"]
    gaps = json.loads((li / "gaps.geojson").read_text())["features"]
    n_conns = sum(1 for f in gaps if f["properties"].get("alternative") is not None)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})):
        p = Page(browser, size)
        page = p.open_map(li / "site" / "index.html")
        assert page.locator("path.rw-tour").count() == 1
        lines = sum(len(f["geometry"]["coordinates"]) if f["geometry"]["type"] == "MultiLineString" else 1
                    for f in nbs)
        assert page.locator("path.rw-neighbour").count() == lines
        assert page.locator("path.rw-connector").count() == n_conns > 0
        page.screenshot(path=str(SHOTS / f"liechtenstein-{name}.png"))
        p.check_offline()
    p = Page(browser, {"width": 1366, "height": 900})
    page = p.open(li / "site" / "gaps.html")
    text = page.locator("body").inner_text()
    assert "Variante 1" in text and "Umwegfaktor" in text and "no street network" not in text
    page.locator(".rw-gap-card").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "liechtenstein-gaps.png"))
    p.check_offline()


@pytest.mark.browser
def test_andorra_site_in_chromium_offline_shows_the_climb(ad: Path, browser: Any) -> None:
    from test_browser_site import SHOTS, Page

    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})):
        p = Page(browser, size)
        page = p.open_map(ad / "site" / "index.html")
        assert page.locator("path.rw-tour").count() == 1
        if name == "desktop":
            svg = page.locator("#rw-profile .rw-profile-item:not([hidden]) svg.rw-profile")
            assert svg.count() == 1 and "2" in (svg.text_content() or "")
        page.screenshot(path=str(SHOTS / f"andorra-{name}.png"))
        p.check_offline()
    p = Page(browser, {"width": 1366, "height": 900})
    page = p.open(ad / "site" / "tour-envalira.html")
    text = page.locator("body").inner_text()
    import subprocess

    stats = subprocess.run([sys.executable, "-m", "radweg", "--data", str(ad), "stats", "envalira", "--json"],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    tour = json.loads(stats.stdout)["tours"][0]
    from radweg.i18n import metres, number

    text = text.replace("\xa0", " ")
    assert metres("de", tour["ascent_m"]).replace("\xa0", " ") in text
    assert all(number("de", st["ascent_m"]) in text for st in tour["stages"])
    page.screenshot(path=str(SHOTS / "andorra-tour.png"), full_page=True)
    p.check_offline()


def test_liechtenstein_export_map_with_network_draws_the_connectors(li: Path) -> None:
    import subprocess

    gaps = json.loads((li / "gaps.geojson").read_text())["features"]
    n_conns = sum(1 for f in gaps if f["properties"].get("alternative") is not None)
    out = li / "map.html"
    res = subprocess.run([sys.executable, "-m", "radweg", "--data", str(li), "export", "map", "--network", "li",
                          "-o", str(out)], capture_output=True, text=True, check=False, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert f"{n_conns} connectors on network 'li'" in res.stderr
    assert out.read_text(encoding="utf-8").count("rw-popup-connector") == n_conns
    plain = subprocess.run([sys.executable, "-m", "radweg", "--data", str(li), "export", "map", "-o",
                            str(li / "plain.html")], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "connectors" not in plain.stderr and "rw-popup-connector" not in (li / "plain.html").read_text()
