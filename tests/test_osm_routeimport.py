"""Route relations as segments and a tour (radweg.osm.routeimport), on a small hand-written OSM file.

The file is written here so every expected figure follows from it: node positions,
way tags and member order are chosen to exercise a cut where another route touches,
a cut where the status changes (state=proposed), a reversed member, and the
majority rule for surface and way type.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from radweg.cli.main import cli
from tests.conftest import tree_digest

NODES = {1: (11.000, 51.000), 2: (11.010, 51.000), 3: (11.020, 51.000), 4: (11.030, 51.000),
         5: (11.044, 51.000), 6: (11.050, 51.000), 7: (11.010, 51.010)}

OSM = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
{nodes}
  <node id="50" lat="51.001" lon="11.0005" version="1">
    <tag k="place" v="village"/><tag k="name" v="Anfangsdorf"/></node>
  <node id="51" lat="51.001" lon="11.0495" version="1"><tag k="place" v="town"/><tag k="name" v="Endstadt"/></node>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="cycleway"/><tag k="surface" v="asphalt"/></way>
  <way id="11" version="1"><nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="track"/><tag k="surface" v="gravel"/><tag k="state" v="proposed"/></way>
  <way id="12" version="1"><nd ref="6"/><nd ref="5"/>
    <tag k="highway" v="residential"/><tag k="surface" v="asphalt"/></way>
  <way id="13" version="1"><nd ref="5"/><nd ref="4"/>
    <tag k="highway" v="track"/><tag k="surface" v="compacted"/></way>
  <way id="14" version="1"><nd ref="2"/><nd ref="7"/><tag k="highway" v="path"/></way>
  <relation id="100" version="1">
    <member type="way" ref="10" role=""/><member type="way" ref="11" role=""/>
    <member type="way" ref="13" role=""/><member type="way" ref="12" role=""/>
    <tag k="type" v="route"/><tag k="route" v="bicycle"/><tag k="name" v="Testroute"/>
    <tag k="name:en" v="Test route"/><tag k="network" v="lcn"/>
  </relation>
  <relation id="200" version="1">
    <member type="way" ref="14" role=""/>
    <tag k="type" v="route"/><tag k="route" v="bicycle"/><tag k="name" v="Querweg"/>
  </relation>
  <relation id="300" version="1"><member type="node" ref="1" role=""/><tag k="type" v="multipolygon"/></relation>
</osm>
""".format(nodes="\n".join(f'  <node id="{i}" lat="{lat}" lon="{lon}" version="1"/>'
                           for i, (lon, lat) in NODES.items()))


@pytest.fixture
def osm(tmp_path: Path) -> Path:
    path = tmp_path / "test.osm"
    path.write_text(OSM, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    assert CliRunner().invoke(cli, ["init", str(data), "--bbox", "10.9,50.9,11.2,51.1"]).exit_code == 0
    return data


def radweg(data: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--data", str(data), *args])


def features(data: Path, kind: str) -> list[dict]:
    return json.loads((data / "routes" / f"{kind}.geojson").read_text())["features"]


def test_relation_becomes_segments_cut_at_status_changes(folder: Path, osm: Path) -> None:
    res = radweg(folder, "segments", "import", str(osm), "--relation", "100", "--tour", "test")
    assert res.exit_code == 0, res.output
    segs = {f["properties"]["id"]: f for f in features(folder, "segments")}
    assert sorted(segs) == ["testroute-01", "testroute-02", "testroute-03"]
    coords = [[tuple(c) for c in segs[i]["geometry"]["coordinates"]] for i in sorted(segs)]
    # the real geometry of the ways, in member order; way 12 (6 -> 5) is ridden 5 -> 6
    assert coords == [[NODES[1], NODES[2], NODES[3]], [NODES[3], NODES[4]], [NODES[4], NODES[5], NODES[6]]]
    props = [segs[i]["properties"] for i in sorted(segs)]
    assert [p["status"] for p in props] == ["existing", "planned", "existing"]
    # 4-5 compacted track (982 m), 5-6 asphalt residential (421 m): the majority by length wins
    assert [p["surface"] for p in props] == ["asphalt", "gravel", "compacted"]
    assert [p["way_type"] for p in props] == ["cycleway", "track", "track"]
    assert [p["osm_ways"] for p in props] == [[10], [11], [13, 12]]
    assert all(p["osm_id"] == 100 and "relation 100" in p["source"] and "ODbL" in p["source"] for p in props)
    tour = features(folder, "tours")[0]["properties"]
    assert tour["id"] == "test" and tour["segments"] == sorted(segs) and tour["name_en"] == "Test route"
    stage = tour["stages"][0]
    assert (stage["start"]["name"], stage["end"]["name"]) == ("Anfangsdorf", "Endstadt")
    assert tuple(stage["start"]["coordinates"]) == NODES[1] and tuple(stage["end"]["coordinates"]) == NODES[6]
    assert radweg(folder, "validate").exit_code == 0


def test_two_relations_cut_where_they_touch(folder: Path, osm: Path) -> None:
    res = radweg(folder, "segments", "import", str(osm), "--relation", "100", "--relation", "200")
    assert res.exit_code == 0, res.output
    segs = {f["properties"]["id"]: [tuple(c) for c in f["geometry"]["coordinates"]]
            for f in features(folder, "segments")}
    assert segs["testroute-01"] == [NODES[1], NODES[2]] and segs["testroute-02"] == [NODES[2], NODES[3]]
    assert segs["querweg-01"] == [NODES[2], NODES[7]] and len(segs) == 5


def test_reimport_reuses_segments_and_needs_update_for_the_tour(folder: Path, osm: Path) -> None:
    assert radweg(folder, "segments", "import", str(osm), "--relation", "100", "--tour", "t").exit_code == 0
    before = tree_digest(folder)
    again = radweg(folder, "segments", "import", str(osm), "--relation", "100")
    assert again.exit_code == 0 and "0 new segments" in again.stderr
    assert tree_digest(folder) == before


def test_neighbours_import_all_skips_relations_imported_as_segments(folder: Path, osm: Path) -> None:
    assert radweg(folder, "segments", "import", str(osm), "--relation", "100").exit_code == 0
    res = CliRunner().invoke(cli, ["--data", str(folder), "-v", "neighbours", "import", str(osm), "--all"])
    assert res.exit_code == 0, res.output
    assert "relation 100: already imported as segments (testroute-01, testroute-02, testroute-03)" in res.output
    assert [f["properties"]["osm_id"] for f in features(folder, "neighbours")] == [200]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--relation", "999"], 1, "no relation 999 in this file"),
    (["--relation", "300"], 1, "relation 300 is not a route"),
    ([], 1, "give --relation ID"),
    (["--tour", "x"], 2, "--tour needs --relation"),
    (["--relation", "100", "--tour", "Bad Id"], 2, "not a valid id"),
])
def test_bad_requests_fail_in_one_line_and_write_nothing(folder: Path, osm: Path, args: list[str], code: int,
                                                         message: str) -> None:
    before = tree_digest(folder)
    res = radweg(folder, "segments", "import", str(osm), *args)
    assert res.exit_code == code and message in res.stderr, res.output
    assert "Traceback" not in res.output and sum(line.startswith("Error") for line in res.stderr.splitlines()) == 1
    assert tree_digest(folder) == before


def test_relation_option_on_geojson_is_bad_usage(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    res = radweg(folder, "segments", "import", str(path), "--relation", "1")
    assert res.exit_code == 2 and "--relation does not apply to GeoJSON files" in res.stderr


def test_majority_needs_more_than_half() -> None:
    from radweg.osm.routeimport import majority

    assert majority({"asphalt": 701.976776159732, "compacted": 701.9767761596075}) == "mixed"
    assert majority({"asphalt": 60.0, "gravel": 40.0}) == "asphalt"
    assert majority({"asphalt": 40.0, "gravel": 30.0, "ground": 30.0}) == "mixed"
    assert majority({}) == "unknown"


def test_dry_run_reports_and_writes_nothing(folder: Path, osm: Path) -> None:
    before = tree_digest(folder)
    res = radweg(folder, "segments", "import", str(osm), "--relation", "100", "--tour", "t", "--dry-run")
    assert res.exit_code == 0 and "3 new segments" in res.stderr and "dry run" in res.stderr
    assert tree_digest(folder) == before


def test_library_import_without_the_cli(folder: Path, osm: Path) -> None:
    from radweg.data.importers import import_file
    from radweg.data.store import Store

    report = import_file(Store(folder), osm, kind="segments", relations=[100], tour="t")
    assert report.added == ["testroute-01", "testroute-02", "testroute-03"] and report.tours_added == ["t"]
    assert "tour t added" in report.summary()
