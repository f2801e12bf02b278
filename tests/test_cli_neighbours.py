"""``radweg neighbours …``."""

from __future__ import annotations

import json
from pathlib import Path


def test_list_show(run) -> None:
    records = json.loads(run("neighbours", "list", "--json").stdout)
    assert len(records) == 9
    assert {r["network"] for r in records} <= {"icn", "ncn", "rcn", "lcn"}
    kyff = json.loads(run("neighbours", "show", "kyffhaeuser-radweg", "--json").stdout)
    assert kyff["geometry"]["type"] == "MultiLineString"
    assert kyff["properties"]["parts"] == 2
    assert "Kyffhäuser" in run("neighbours", "show", "kyffhaeuser-radweg").stdout
    only = json.loads(run("neighbours", "list", "--network", "ncn", "--json").stdout)
    assert [r["id"] for r in only] == ["r1-europaradweg"]


def test_import_and_remove(run, tmp_path: Path) -> None:
    src = tmp_path / "n.geojson"
    lines = [[[11.0, 51.4], [11.1, 51.4]], [[11.2, 51.4], [11.3, 51.4]]]
    src.write_text(json.dumps({"type": "Feature", "properties": {"name": "Helme-Radweg (Test)"},
                               "geometry": {"type": "MultiLineString", "coordinates": lines}}))
    result = run("neighbours", "import", str(src), "--network", "lcn")
    assert result.exit_code == 0, result.output
    props = json.loads(run("neighbours", "show", "helme-radweg-test", "--json").stdout)["properties"]
    assert props["network"] == "lcn"
    bad = run("neighbours", "import", str(src), "--network", "xyz", "--update")
    assert bad.exit_code == 1 and "field 'network'" in bad.stderr
    assert run("neighbours", "remove", "helme-radweg-test").exit_code == 0
    assert run("neighbours", "show", "helme-radweg-test").exit_code == 1


SMALL = Path(__file__).parent / "data" / "hettstedt_small.osm"


def test_imports_print_one_summary_line(run, tmp_path: Path) -> None:
    """GeoJSON, GPX and OSM alike: one line on stderr, nothing on stdout; -v adds a table of the features."""
    assert run("export", "gpx", "nord-sued", "-o", str(tmp_path / "gpx"), "--no-stages").exit_code == 0
    gpx = tmp_path / "gpx" / "nord-sued.gpx"
    geojson = tmp_path / "n.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"Weg {i}"},
         "geometry": {"type": "LineString", "coordinates": [[11.0, 51.4 + i / 100], [11.1, 51.4 + i / 100]]}}
        for i in range(4)]}))
    for args in ((str(geojson),), (str(gpx),), (str(SMALL), "--all")):
        quiet = run("neighbours", "import", *args, "--network", "lcn", "--dry-run")
        assert quiet.exit_code == 0, quiet.output
        assert quiet.stdout == "" and len(quiet.stderr.splitlines()) == 1
        assert "neighbour routes (dry run, nothing written)" in quiet.stderr
        loud = run("-v", "neighbours", "import", *args, "--network", "lcn", "--dry-run")
        assert loud.stdout.splitlines()[0].split() == ["action", "id", "name", "detail"]
        assert loud.stderr.splitlines()[-1] == quiet.stderr.splitlines()[0]
    osm = run("-v", "neighbours", "import", str(SMALL), "--all", "--dry-run").stdout
    assert "relation 3002: 2 pieces; gaps 1.1 km" in osm
