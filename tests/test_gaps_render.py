"""Gap report outputs: GeoJSON read back by GDAL (pyogrio), GeoPackage layers, escaped HTML, determinism."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gapkit import dataset, nb, poi, seg, tour
from test_gaps_connectors import grid

from radweg.gaps.detect import find_gaps
from radweg.gaps.render import render, render_csv, render_geojson, render_html, render_md, write_gpkg
from radweg.gaps.report import build_report

EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def scenario(name_a: str = "Weg A"):
    segs = [replace(seg("a", [(0, 0), (500, 0)]), name=name_a), seg("b", [(1000, 10), (1000, 1000)], "planned")]
    return dataset(segs, [tour("t", "a", "b")], [nb("r", [(1500, 1400), (1600, 2000)])],
                   [poi("bf", "bahnhof", 0, 0)])


def test_geojson_has_gaps_and_connectors_and_gdal_reads_it(tmp_path: Path):
    import pyogrio

    ds = scenario()
    report = build_report(ds, graph=grid())
    text = render_geojson(report)
    obj = json.loads(text)
    gaps = [f for f in obj["features"] if f["properties"]["feature"] == "gap"]
    conns = [f for f in obj["features"] if f["properties"]["feature"] == "connector"]
    assert len(gaps) == len(report.gaps) and conns
    for f in gaps:
        for key in ("id", "kind", "length_m", "a_ref", "b_ref", "rank", "connector_m", "connector_detour",
                    "connector_fast_m", "no_connection"):
            assert key in f["properties"]
    assert {c["properties"]["gap_id"] for c in conns} <= {g["properties"]["id"] for g in gaps}
    path = tmp_path / "gaps.geojson"
    path.write_text(text, encoding="utf-8")
    frame = pyogrio.read_dataframe(path)
    assert len(frame) == len(obj["features"])
    assert {"id", "kind", "length_m", "a_ref", "b_ref", "rank"} <= set(frame.columns)
    assert sorted(frame[frame["feature"] == "gap"]["id"]) == sorted(g.id for g in report.gaps)
    assert str(frame.crs).upper().endswith("4326")


def test_gpkg_has_two_layers(tmp_path: Path):
    import pyogrio

    report = build_report(scenario(), graph=grid())
    out = tmp_path / "gaps.gpkg"
    write_gpkg(report, out)
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert layers == {"gaps", "connectors"}
    assert len(pyogrio.read_dataframe(out, layer="gaps")) == len(report.gaps)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_html_escapes_every_name_and_is_deterministic():
    ds = scenario(EVIL)
    ds.project["name"] = EVIL
    report = build_report(ds, graph=grid())
    html = render_html(report.gaps, ds, report=report)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert html == render_html(report.gaps, ds, report=build_report(ds, graph=grid()))
    assert html.count("<svg") == len(report.gaps)
    md = render_md(report, ds)
    assert "<script>" not in md


def test_html_from_gaps_and_dataset_alone():
    ds = scenario()
    gaps = find_gaps(ds)
    html = render_html(gaps, ds)
    assert "Luftlinie" in html and all(g.id in html for g in gaps)


def test_text_formats_are_deterministic():
    ds = scenario()
    for fmt in ("md", "csv", "geojson", "html"):
        assert render(build_report(ds), fmt, ds) == render(build_report(scenario()), fmt, ds)


def test_csv_has_one_row_per_gap_and_no_formulas():
    import csv
    import io

    report = build_report(scenario("=HYPERLINK(\"http://x\")"))
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert [r["id"] for r in rows] == [g.id for g in report.gaps]
    assert rows[0]["connector_note"].startswith("straight line only")
    names = {r["a_name"] for r in rows} | {r["b_name"] for r in rows}
    assert "'=HYPERLINK(\"http://x\")" in names and not any(n.startswith("=") for n in names)
    assert any(float(r["score"]) < 0 for r in rows) or all(r["score"][0] != "'" for r in rows)


@pytest.mark.browser
def test_html_report_renders_in_a_real_browser(tmp_path: Path):
    pw = pytest.importorskip("playwright.sync_api")
    ds = scenario(EVIL)
    report = build_report(ds, graph=grid())
    page_path = tmp_path / "gaps.html"
    page_path.write_text(render_html(report.gaps, ds, report=report), encoding="utf-8")
    try:
        with pw.sync_playwright() as p:
            import shutil

            system = shutil.which("chromium") or shutil.which("chromium-browser")
            try:
                browser = p.chromium.launch()
            except Exception:
                if not system:
                    raise
                browser = p.chromium.launch(executable_path=system)
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(page_path.as_uri())
            assert page.locator("svg").count() == len(report.gaps)
            assert page.locator("table tbody tr").count() == len(report.gaps)
            assert EVIL in page.inner_text("body")
            assert dialogs == []
            pdf = page.pdf()
            assert pdf[:4] == b"%PDF"
            browser.close()
    except Exception as exc:  # pragma: no cover - no browser installed
        if "Executable doesn't exist" in str(exc):
            pytest.skip("no Chromium for playwright")
        raise
