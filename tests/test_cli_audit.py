"""``radweg audit`` on the sample with the Geofabrik layers of Sachsen-Anhalt; formats, escaping, errors."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

GEOFABRIK = "msh/geofabrik-sachsen-anhalt-2022"


def _stage_lines(sample: Path, tour: str) -> list[list[tuple[float, float]]]:
    """Each stage's line, straight from the library's tour facts (the part under test is the station search)."""
    from radweg.data.store import Store
    from radweg.tours.facts import tour_facts

    ds = Store(sample).load()
    tf = tour_facts(ds, ds.tours.get(tour))
    return [[(c[0], c[1]) for part in st.parts for c in part] for st in tf.stages]


def _min_distance(line: list[tuple[float, float]], lon: float, lat: float) -> float:
    """Brute force: geodesic distance to the line densified every 2 m."""
    import numpy as np
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    best = np.inf
    for a, b in zip(line, line[1:], strict=False):
        n = max(1, int(geod.inv(a[0], a[1], b[0], b[1])[2] // 2.0))
        t = np.arange(n + 1) / n
        xs, ys = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        best = min(best, float(geod.inv(np.full(xs.shape, lon), np.full(ys.shape, lat), xs, ys)[2].min()))
    return best


@pytest.mark.realdata
def test_stations_within_2km_per_stage_match_a_brute_force_search(run: Callable[..., Result], sample: Path,
                                                                   realdata: Path) -> None:
    import geopandas as gpd

    layer = realdata / GEOFABRIK / "transport_stations.zip"
    res = run("audit", "nord-sued", "--osm", str(layer), "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    stages = out["tours"][0]["stages"]
    assert [s["name"] for s in stages] == ["Arnstein – Wettelrode", "Wettelrode – Kelbra"]
    df = gpd.read_file(f"zip://{layer}")
    df = df[df.fclass.isin(["railway_station", "railway_halt"])]
    df = df.cx[11.0:11.7, 51.3:51.8]
    for stage, line in zip(stages, _stage_lines(sample, "nord-sued"), strict=True):
        expected = {}
        for osm_id, geom in zip(df.osm_id, df.geometry, strict=True):
            d = _min_distance(line, geom.x, geom.y)
            if d <= 2000.0:
                expected[f"osm/{osm_id}"] = d
        listed = {s["osm"]: s for s in stage["stations_within_2km"] if s["osm"]}
        # every station the brute force finds is listed once (by itself or merged with a twin of the same name)
        names = {s["name"] for s in stage["stations_within_2km"]}
        for ref, d in expected.items():
            if ref in listed:
                assert listed[ref]["distance_m"] == pytest.approx(d, abs=3.0), ref
            else:
                name = df[df.osm_id == ref[4:]].name.iloc[0]
                assert any(name in n or n in name for n in names if n), (ref, name)
        assert all(s["distance_m"] <= 2000 for s in stage["stations_within_2km"])
        assert set(listed) <= set(expected)
        kms = [s["km"] for s in stage["stations_within_2km"]]
        assert kms == sorted(kms) and all(stage["start_km"] - 0.01 <= k <= stage["end_km"] + 0.01 for k in kms)
    assert len(stages[1]["stations_within_2km"]) >= 4  # Sangerhausen, Wallhausen, Bennungen, Roßla, Berga-Kelbra


@pytest.mark.realdata
def test_html_is_printable_and_says_what_it_is(run: Callable[..., Result], sample: Path, realdata: Path) -> None:
    layer = realdata / GEOFABRIK / "transport_stations.zip"
    dest = sample / "output" / "audit.html"
    dest.parent.mkdir(exist_ok=True)
    res = run("audit", "nord-sued", "--osm", str(layer), "--format", "html", "-o", str(dest))
    assert res.exit_code == 0, res.output
    text = html.unescape(dest.read_text(encoding="utf-8"))
    assert "@media print" in text and "break-before: page" in text
    assert "KEINE Bewertung des ADFC" in text and "NOT the ADFC's rating" in text
    assert "Illustrative draft, NOT the official alignment" in text
    assert "Bahnhöfe und Haltepunkte bis 2 km" in text and "Roßla" in text
    assert "Wrote" in res.stderr


def test_without_network_the_street_indicators_say_so(run: Callable[..., Result]) -> None:
    out = json.loads(run("audit", "pyramidenrunde", "--json").stdout)
    inds = {i["id"]: i for i in out["tours"][0]["stages"][0]["indicators"]}
    for ident in ("surface", "traffic", "crossings", "push"):
        assert inds[ident]["status"] == "no data" and "no street network" in inds[ident]["no_data"]
    assert inds["segment_surface"]["status"] == "ok"  # the segments' own surface field is always there
    assert {h for h in (i["heading"] for i in inds.values())} == {
        "befahrbarkeit", "oberflaeche", "kfz", "routenfuehrung", "wegweisung", "infrastruktur", "oepnv",
        "datenqualitaet"}
    assert inds["corridor"]["status"] == "no data"


def test_a_tour_without_stages_is_cut_into_50km_pieces(run: Callable[..., Result]) -> None:
    segs = ("kelbra-rossla,rossla-sangerhausen,wettelrode-sangerhausen:r,wettelrode-moellendorf,"
            "moellendorf-klostermansfeld,klostermansfeld-arnstein")
    assert run("tours", "add", "lang", "--name", "Lang", "--segments", segs).exit_code == 0
    out = json.loads(run("audit", "lang", "--json").stdout)
    tour = out["tours"][0]
    assert tour["stages_from"] == "50 km pieces"
    stages = tour["stages"]
    assert len(stages) == round(tour["length_km"] / 50)
    assert stages[0]["start_km"] == 0 and stages[-1]["end_km"] == pytest.approx(tour["length_km"], abs=0.01)


def test_names_are_escaped_in_every_format(run: Callable[..., Result], sample: Path) -> None:
    evil = "<script>alert(1)</script> =HYPERLINK(\"x\") *fett* | Bahnhof"
    assert run("pois", "add", "evil", "--name", evil, "--type", "bahnhof", "--at", "11.3000,51.4670").exit_code == 0
    html_text = run("audit", "nord-sued", "--format", "html").stdout
    assert "<script>alert" not in html_text and "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    md = run("audit", "nord-sued", "--format", "md").stdout
    assert "<script>" not in md and r"\*fett\*" in md and r"\| Bahnhof" in md
    rows = list(csv.reader(io.StringIO(run("audit", "nord-sued", "--format", "csv").stdout)))
    cells = [c for r in rows for c in r]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert any("HYPERLINK" in c for c in cells)
    data: Any = json.loads(run("audit", "nord-sued", "--json").stdout)
    names = [s["name"] for st in data["tours"][0]["stages"] for s in st["stations_within_2km"]]
    assert evil in names  # JSON keeps the text as it is


def test_same_data_same_bytes(run: Callable[..., Result]) -> None:
    assert run("audit", "--format", "csv").stdout == run("audit", "--format", "csv").stdout


def test_errors(run: Callable[..., Result], sample: Path, tmp_path: Path) -> None:
    res = run("audit", "nope")
    assert res.exit_code == 1 and "no tour 'nope'" in res.stderr and "Traceback" not in res.output
    res = run("audit", "--osm", str(tmp_path / "none.zip"))
    assert res.exit_code == 2
    res = run("audit", "--network", "missing")
    assert res.exit_code == 1 and len(res.stderr.strip().splitlines()) == 1
    bad = tmp_path / "x.txt"
    bad.write_text("x")
    res = run("audit", "--osm", str(bad))
    assert res.exit_code == 1 and "not an OSM extract" in res.stderr
    res = run("audit", "-o", str(tmp_path / "no" / "dir" / "a.md"))
    assert res.exit_code == 1 and "does not exist" in res.stderr


@pytest.mark.browser
def test_html_report_prints_one_stage_per_page_in_chromium(run: Callable[..., Result], sample: Path,
                                                           tmp_path: Path) -> None:
    """The printable HTML in a real Chromium: no request leaves the page, a PDF with a page per stage and more."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    dest = tmp_path / "audit.html"
    assert run("audit", "--format", "html", "-o", str(dest)).exit_code == 0
    stages = json.loads(run("audit", "--json").stdout)
    n_stages = sum(len(t["stages"]) for t in stages["tours"])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        try:
            requests: list[str] = []
            for width, height in ((390, 844), (1366, 900)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.on("request", lambda r: requests.append(r.url))
                page.goto(dest.as_uri())
                assert page.locator("section.stage").count() == n_stages
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling
                page.close()
            page = browser.new_page()
            page.goto(dest.as_uri())
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert all(u.startswith("file:") for u in requests)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= n_stages + 1
