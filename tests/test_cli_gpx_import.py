"""``segments import FILE.gpx`` and ``pois import FILE.gpx`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import tree_digest

TRACK = """<?xml version="1.0" encoding="UTF-8"?>
<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1" creator="Garmin">
  <wpt lat="51.5" lon="11.3"><ele>210</ele><name>Schacht Neu</name><desc>Alt</desc><sym>Mine</sym></wpt>
  <wpt lat="51.51" lon="11.31"><name>Bett</name><type>Unterkunft</type><link href="https://example.org/b"/></wpt>
  <wpt lat="51.52" lon="11.32"/>
  <trk><name>Befahrung Helbra</name>
    <trkseg><trkpt lat="51.55" lon="11.50"><ele>200</ele></trkpt><trkpt lat="51.551" lon="11.501"/>
            <trkpt lat="51.552" lon="11.503"><ele>204</ele></trkpt></trkseg>
    <trkseg><trkpt lat="51.56" lon="11.50"/><trkpt lat="51.561" lon="11.50"/></trkseg>
    <trkseg><trkpt lat="51.57" lon="11.50"/></trkseg>
  </trk>
  <rte><name>Route</name><rtept lat="51.50" lon="11.40"/><rtept lat="51.50" lon="11.41"/></rte>
</gpx>
"""


def _write(tmp_path: Path, text: str, name: str = "ride.gpx") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_each_trkseg_and_rte_becomes_a_segment(run, sample: Path, tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    gpx = _write(tmp_path, TRACK)
    res = run("segments", "import", str(gpx), "--source", "Befahrung 2026-11")
    assert res.exit_code == 0, res.output
    shown = json.loads(run("segments", "list", "--json").output)
    new = {s["id"]: s for s in shown if s["id"].startswith(("befahrung", "route"))}
    assert set(new) == {"befahrung-helbra-1-2", "befahrung-helbra-2-2", "route"}
    assert new["befahrung-helbra-1-2"]["name"] == "Befahrung Helbra (1/2)"
    feat = json.loads(run("segments", "show", "befahrung-helbra-1-2", "--json").output)
    assert feat["geometry"]["coordinates"][1] == [11.501, 51.551, 202.0]  # missing elevation interpolated
    assert feat["properties"]["source"] == "Befahrung 2026-11" and feat["properties"]["status"] == "planned"
    assert "1 point(s) without elevation interpolated" in caplog.text
    assert "1 track segment(s)/route(s) with fewer than two distinct points skipped" in caplog.text


def test_waypoints_become_pois(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gpx = _write(tmp_path, TRACK)
    res = run("pois", "import", str(gpx))
    assert res.exit_code == 0, res.output
    pois = {p["id"]: p for p in json.loads(run("pois", "list", "--json").output)}
    assert pois["schacht-neu"]["type"] == "schacht"  # from the Garmin symbol
    assert pois["bett"]["type"] == "unterkunft"  # from our German type label
    assert pois["ride-3"]["type"] == "other"
    bett = json.loads(run("pois", "show", "bett", "--json").output)
    assert bett["properties"]["website"] == "https://example.org/b"


def test_pois_round_trip_through_our_own_export(run, sample: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run("export", "gpx", "nord-sued", "-o", str(tmp_path / "out"), "--no-stages").exit_code == 0
    fresh = tmp_path / "fresh"
    assert run("init", str(fresh)).exit_code == 0
    res = run("pois", "import", str(tmp_path / "out" / "nord-sued.gpx"), data=fresh)
    assert res.exit_code == 0, res.output
    before = {(p["name"], p["type"], p["lon"], p["lat"]) for p in json.loads(run("pois", "list", "--json").output)}
    after = json.loads(run("pois", "list", "--json", data=fresh).output)
    assert len(after) == (tmp_path / "out" / "nord-sued.gpx").read_text(encoding="utf-8").count("<wpt ")
    assert {(p["name"], p["type"], p["lon"], p["lat"]) for p in after} <= before


def test_bad_gpx_is_refused_in_one_line_and_nothing_changes(run, sample: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = tree_digest(sample)
    for text, words in [(TRACK.replace('lat="51.551"', 'lat="200"'), "latitude 200 is out of range"),
                        (TRACK.replace("<trk>", "<trk"), "not well-formed XML"),
                        ('<gpx version="1.1"><wpt lat="51" lon="11"/></gpx>', "use 'radweg pois import'")]:
        res = run("segments", "import", str(_write(tmp_path, text, "bad.gpx")))
        assert res.exit_code == 1
        lines = res.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and "bad.gpx" in lines[0] and words in lines[0]
        assert "Traceback" not in res.output
    res = run("pois", "import", str(_write(tmp_path, TRACK.replace("<wpt", "<nope").replace("</wpt>", "</nope>"),
                                           "nowpt.gpx")))
    assert res.exit_code == 1 and "no waypoints" in res.output and "segments import" in res.output
    assert tree_digest(sample) == before


def test_help_says_what_becomes_a_segment(run) -> None:  # type: ignore[no-untyped-def]
    out = " ".join(run("segments", "import", "--help").output.split())
    assert "every track segment (trkseg) and every route (rte)" in out
    assert "waypoint (wpt) becomes one POI" in " ".join(run("pois", "import", "--help").output.split())


def test_tracks_become_neighbour_routes(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gpx = _write(tmp_path, TRACK.replace("<name>Befahrung Helbra</name>", "<name>Saale-Harz-Radweg</name>"))
    res = run("neighbours", "import", str(gpx), "--network", "rcn")
    assert res.exit_code == 0, res.output
    feat = json.loads(run("neighbours", "show", "saale-harz-radweg", "--json").output)
    assert feat["geometry"]["type"] == "MultiLineString" and len(feat["geometry"]["coordinates"]) == 2
    assert feat["properties"]["network"] == "rcn" and feat["properties"]["source"] == "GPX: ride.gpx"
    assert "becomes one neighbouring route" in " ".join(run("neighbours", "import", "--help").output.split())
