"""``radweg network …``, ``segments route`` and the OSM paths of ``neighbours import`` / ``pois import``."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import Result

from tests.conftest import tree_digest

DATA = Path(__file__).parent / "data"
SMALL = DATA / "hettstedt_small.osm"


def test_network_import_list_info_remove(run: Callable[..., Result], sample: Path) -> None:
    res = run("network", "import", str(SMALL))
    assert res.exit_code == 0, res.output
    assert "built network 'hettstedt-small'" in res.stderr and "14 of 19 highway ways kept" in res.stderr
    res = run("network", "import", str(SMALL))
    assert res.exit_code == 0 and "up to date: reloaded from output/cache/networks/hettstedt-small" in res.stderr
    res = run("network", "list", "--json")
    assert [n["name"] for n in json.loads(res.stdout)] == ["hettstedt-small"]
    info = json.loads(run("network", "info", "--json").stdout)
    assert info["ways_kept"] == 14 and info["km_by_highway"]["cycleway"] > 0
    assert run("network", "info").exit_code == 0
    res = run("network", "remove", "hettstedt-small")
    assert res.exit_code == 0 and not (sample / "output/cache/networks/hettstedt-small").exists()
    res = run("network", "info")
    assert res.exit_code == 1 and "no street network cached" in res.stderr


def test_network_import_bad_file(run: Callable[..., Result], tmp_path: Path) -> None:
    bad = tmp_path / "bad.osm"
    bad.write_text("<osm><node id='1'/></osm>", encoding="utf-8")
    res = run("network", "import", str(bad))
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1].startswith(f"Error: {bad}: cannot read as OpenStreetMap data")
    assert "Traceback" not in res.output
    res = run("network", "import", str(SMALL), "--bbox", "12,51,11,52")
    assert res.exit_code == 2


def test_network_import_polygon(run: Callable[..., Result], tmp_path: Path) -> None:
    poly = tmp_path / "area.geojson"
    poly.write_text(json.dumps({"type": "Polygon", "coordinates": [[[11.525, 51.6], [11.54, 51.6], [11.54, 51.63],
                                                                     [11.525, 51.63], [11.525, 51.6]]]}))
    res = run("network", "import", str(SMALL), "--polygon", str(poly), "--name", "east", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["ways"] == 1


def test_help_says_where_the_cache_lives(run: Callable[..., Result]) -> None:
    assert "output/cache/networks/<NAME>/" in run("network", "import", "--help").stdout


def test_segments_route(run: Callable[..., Result], sample: Path) -> None:
    assert run("network", "import", str(SMALL)).exit_code == 0
    res = run("segments", "add", "draft", "--name", "Entwurf",
              "--coords", "11.5001,51.6201 11.5151,51.6246 11.5199,51.6160")
    assert res.exit_code == 0, res.output
    res = run("segments", "route", "draft", "--max-detour", "1.2")
    assert res.exit_code == 0, res.output
    assert "highway: cycleway" in res.stderr and "leg 1: the routed line" in res.stderr
    feat = json.loads(run("segments", "show", "draft", "--json").stdout)
    props = feat["properties"]
    assert props["waypoints"] == [[11.5001, 51.6201], [11.5151, 51.6246], [11.5199, 51.616]]
    assert feat["geometry"]["coordinates"][0] == [11.5001, 51.6201]
    assert feat["geometry"]["coordinates"][-1] == [11.5199, 51.616]
    assert len(feat["geometry"]["coordinates"]) > 3
    comp = props["routing"]["composition"]
    assert sum(comp["highway"].values()) == pytest.approx(1.0, abs=0.01) and comp["highway"]["cycleway"] > 0.4
    # routing again starts from the stored waypoints and gives the same bytes
    before = (sample / "routes/segments.geojson").read_bytes()
    assert run("segments", "route", "draft").exit_code == 0
    assert run("segments", "route", "draft", "--max-detour", "1.2").exit_code == 0
    assert (sample / "routes/segments.geojson").read_bytes() == before


def test_segments_route_no_path_changes_nothing(run: Callable[..., Result], sample: Path) -> None:
    assert run("network", "import", str(SMALL)).exit_code == 0
    res = run("segments", "add", "island", "--name", "Insel", "--coords", "11.5001,51.6201 11.531,51.6285")
    assert res.exit_code == 0
    digest = tree_digest(sample / "routes")
    res = run("segments", "route", "island")
    assert res.exit_code == 1 and "no path on network 'hettstedt-small' for leg 1" in res.stderr
    assert tree_digest(sample / "routes") == digest


def test_segments_route_without_network(run: Callable[..., Result]) -> None:
    res = run("segments", "route", "eisleben-fortschritt")
    assert res.exit_code == 1 and "no street network cached" in res.stderr


def test_neighbours_import_osm(run: Callable[..., Result], sample: Path) -> None:
    res = run("-v", "neighbours", "import", str(SMALL), "--all", "--dry-run")
    assert res.exit_code == 0, res.output
    assert "2 pieces; gaps 1.1 km; 1 of 4 ways missing from the extract" in res.stdout
    assert "dry run" in res.stderr
    res = run("neighbours", "import", str(SMALL), "--relation", "3001")
    assert res.exit_code == 0, res.output
    feat = json.loads(run("neighbours", "show", "kupferspur-testschleife", "--json").stdout)
    p = feat["properties"]
    assert (p["osm_id"], p["network"], p["ref"], p["operator"]) == (3001, "rcn", "KT", "Landkreis Mansfeld-Südharz")
    assert p["continuity"]["pieces"] == 1
    res = run("neighbours", "import", str(SMALL))
    assert res.exit_code == 2 and "--relation ID" in res.stderr
    res = run("neighbours", "import", str(sample / "routes/neighbours.geojson"), "--relation", "1")
    assert res.exit_code == 2


def test_pois_import_osm(run: Callable[..., Result], sample: Path) -> None:
    before = tree_digest(sample)
    res = run("-v", "pois", "import", str(SMALL), "--dry-run")
    assert res.exit_code == 0, res.output
    assert tree_digest(sample) == before
    lines = {line.split()[1]: line.split()[0] for line in res.stdout.splitlines()[2:]}
    assert lines["mansfeld-museum-hettstedt"] == "update" and lines["halde-eduardschacht"] == "update"
    assert lines["eduardschacht-ii"] == "add"
    count = len(json.loads(run("pois", "list", "--json").stdout))
    assert run("pois", "import", str(SMALL)).exit_code == 0
    after = json.loads(run("pois", "list", "--json").stdout)
    assert len(after) == count + 9
    res = run("pois", "import", str(SMALL))
    assert "0 new, 0 updated" in res.stderr
    assert len(json.loads(run("pois", "list", "--json").stdout)) == len(after)


@pytest.mark.realdata
def test_neighbours_import_berlin(run: Callable[..., Result], tmp_path: Path, realdata: Path) -> None:
    data = tmp_path / "d"
    assert run("init", str(data), "--name", "Test").exit_code == 0
    res = run("-v", "neighbours", "import", str(realdata / "graphhopper/core/files/berlin-siegessaeule.osm.gz"),
              "--all",
              data=data)
    assert res.exit_code == 0, res.output
    names = [n["name"] for n in json.loads(run("neighbours", "list", "--json", data=data).stdout)]
    assert "EuroVelo 7 - part Germany" in names and len(names) == 9
    assert "ways missing from the extract" in res.stdout


@pytest.mark.realdata
def test_segments_route_on_real_extract(run: Callable[..., Result], tmp_path: Path, realdata: Path) -> None:
    data = tmp_path / "d"
    assert run("init", str(data), "--name", "Test").exit_code == 0
    hoyerswerda = realdata / "graphhopper/core/files/Hoyerswerda.osm.pbf"
    assert run("network", "import", str(hoyerswerda), data=data).exit_code == 0
    res = run("segments", "add", "hoy", "--name", "Hoyerswerda", "--coords",
              "14.2405,51.4352 14.2515,51.4398 14.2608,51.4330", data=data)
    assert res.exit_code == 0, res.output
    res = run("segments", "route", "hoy", "--json", data=data)
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert len(report["legs"]) == 2 and report["length_m"] > 2000
    highway = report["composition"]["highway"]
    assert highway.get("off_network", 0.0) < 0.1 and highway.get("residential", 0.0) > 0.2
    assert sum(highway.values()) == pytest.approx(1.0, abs=0.01)
    feat = json.loads(run("segments", "show", "hoy", "--json", data=data).stdout)
    assert len(feat["properties"]["waypoints"]) == 3 and len(feat["geometry"]["coordinates"]) > 20


# ------------------------------------------------------------------ fetch


class _Recorded(BaseHTTPRequestHandler):
    """Serves a recorded Overpass response, the Overpass status page and a Nominatim answer."""

    calls: ClassVar[list[str]] = []

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.calls.append("GET " + self.path.split("?")[0])
        if self.path.startswith("/api/status"):
            self._send(b"Connected as: 1\nCurrent time: 2024-05-01T10:00:00Z\nAnnounced endpoint: none\n"
                       b"Rate limit: 2\n2 slots available now.\nCurrently running queries:\n", "text/plain")
        elif self.path.startswith("/nominatim/search"):
            self._send(json.dumps([{
                "place_id": 1, "osm_type": "relation", "osm_id": 1, "lat": "51.62", "lon": "11.51",
                "boundingbox": ["51.61", "51.63", "11.49", "11.535"], "class": "boundary", "type": "administrative",
                "display_name": "Hettstedt (Test)", "importance": 0.5,
                "geojson": {"type": "Polygon", "coordinates": [[[11.49, 51.61], [11.535, 51.61], [11.535, 51.63],
                                                                [11.49, 51.63], [11.49, 51.61]]]}}]).encode(),
                       "application/json")
        else:
            self.send_error(404)

    def do_POST(self) -> None:
        self.calls.append("POST " + self.path)
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        self._send((DATA / "overpass_hettstedt.json").read_bytes(), "application/json")


@pytest.fixture
def recorded_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorded.calls = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_bbox_from_recorded_response(run: Callable[..., Result], sample: Path, recorded_server: str) -> None:
    res = run("network", "fetch", "--bbox", "11.49,51.61,11.535,51.63", "--name", "fetched",
              "--overpass-url", recorded_server + "/api")
    assert res.exit_code == 0, res.output
    assert "POST /api/interpreter" in _Recorded.calls
    info = json.loads(run("network", "info", "fetched", "--json").stdout)
    assert info["ways_kept"] == 14  # the same cycle-usable ways as the local extract
    assert (sample / "output/cache/networks/fetched/download.osm").is_file()
    # osmnx's response cache sits in output/cache/overpass: a second fetch does not ask the server
    _Recorded.calls.clear()
    assert run("network", "fetch", "--bbox", "11.49,51.61,11.535,51.63", "--name", "fetched",
               "--overpass-url", recorded_server + "/api").exit_code == 0
    assert "POST /api/interpreter" not in _Recorded.calls


def test_fetch_place_from_recorded_response(run: Callable[..., Result], recorded_server: str) -> None:
    res = run("network", "fetch", "--place", "Hettstedt", "--overpass-url", recorded_server + "/api",
              "--nominatim-url", recorded_server + "/nominatim")
    assert res.exit_code == 0, res.output
    assert "built network 'hettstedt'" in res.stderr


def test_fetch_without_connection(run: Callable[..., Result], sample: Path) -> None:
    before = tree_digest(sample)
    res = run("network", "fetch", "--bbox", "11.49,51.61,11.535,51.63", "--overpass-url", "http://127.0.0.1:9/api")
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines()[-1].startswith("Error: cannot reach 127.0.0.1:9")
    assert "Traceback" not in res.output
    assert tree_digest(sample) == before


def test_fetch_usage(run: Callable[..., Result]) -> None:
    assert run("network", "fetch").exit_code == 2
    assert run("network", "fetch", "--place", "X", "--bbox", "1,1,2,2").exit_code == 2


def test_geojson_imports_still_work(run: Callable[..., Result], tmp_path: Path) -> None:
    src = tmp_path / "new.geojson"
    src.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Neuer Punkt", "type": "aussicht"},
        "geometry": {"type": "Point", "coordinates": [11.5, 51.6]}}]}), encoding="utf-8")
    res = run("pois", "import", str(src))
    assert res.exit_code == 0, res.output
    assert json.loads(run("pois", "show", "neuer-punkt", "--json").stdout)["properties"]["type"] == "aussicht"
    assert run("pois", "import", str(src), "--only", "halde").exit_code == 2


def test_neighbours_reimport_is_unchanged(run: Callable[..., Result], sample: Path) -> None:
    assert run("neighbours", "import", str(SMALL), "--all").exit_code == 0
    before = tree_digest(sample)
    res = run("neighbours", "import", str(SMALL), "--all")
    assert res.exit_code == 0 and "0 new, 0 updated, 2 unchanged" in res.stderr
    assert tree_digest(sample) == before


def test_segments_route_dry_run_and_json(run: Callable[..., Result], sample: Path) -> None:
    assert run("network", "import", str(SMALL)).exit_code == 0
    assert run("segments", "add", "d", "--name", "D", "--coords", "11.5001,51.6201 11.5199,51.6160").exit_code == 0
    before = tree_digest(sample / "routes")
    res = run("segments", "route", "d", "--dry-run", "--json", "--weight", "length")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["weight"] == "length" and report["network"] == "hettstedt-small" and len(report["legs"]) == 1
    assert tree_digest(sample / "routes") == before


@pytest.mark.realdata
def test_pois_import_liechtenstein(run: Callable[..., Result], tmp_path: Path, realdata: Path) -> None:
    data = tmp_path / "d"
    assert run("init", str(data), "--name", "Test").exit_code == 0
    src = str(realdata / "pyosmium/docs/data/liechtenstein.osm.pbf")
    res = run("-v", "pois", "import", src, "--dry-run", data=data)
    assert res.exit_code == 0, res.output
    assert json.loads(run("pois", "list", "--json", data=data).stdout) == []
    planned = [line.split()[0] for line in res.stdout.splitlines()[2:]]
    assert planned.count("add") > 20
    assert run("pois", "import", src, data=data).exit_code == 0
    added = json.loads(run("pois", "list", "--json", data=data).stdout)
    assert len(added) == planned.count("add")
    res = run("pois", "import", src, data=data)
    assert "0 new, 0 updated" in res.stderr
    assert len(json.loads(run("pois", "list", "--json", data=data).stdout)) == len(added)


def test_network_route(run: Callable[..., Result], tmp_path: Path) -> None:
    assert run("network", "import", str(SMALL)).exit_code == 0
    out = tmp_path / "r.geojson"
    res = run("network", "route", "11.5,51.615", "11.52,51.615", "--json", "-o", str(out))
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["composition"]["highway"].get("primary", 0) < 0.5 and report["detour"] > 1
    assert json.loads(out.read_text())["geometry"]["type"] == "LineString"
    res = run("network", "route", "11.5,51.615", "11.531,51.6285")
    assert res.exit_code == 1 and "no path between" in res.stderr and "--anywhere" in res.stderr
    res = run("network", "route", "11.5,51.615", "11.531,51.6285", "--anywhere")
    assert res.exit_code == 1 and "separate pieces" in res.stderr and "--anywhere" not in res.stderr
    wide = json.loads(run("network", "route", "11.5,51.615", "11.52,51.615", "--json", "--anywhere").stdout)
    assert wide["length_m"] == report["length_m"]
    assert run("network", "route", "x", "11,51").exit_code == 2
    assert run("network", "route", "11.5,51.615", "11.52,51.615", "--max-detour", "0.5").exit_code == 2


def test_cli_import_stays_light() -> None:
    """`radweg --help` must not pay for networkx, osmnx, osmium or shapely."""
    import subprocess
    import sys

    code = ("import sys, radweg.cli.main; "
            "print([m for m in ('networkx', 'osmnx', 'osmium', 'shapely', 'pyproj') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "[]"


def test_reimport_other_area_says_it_replaces(run: Callable[..., Result]) -> None:
    assert run("network", "import", str(SMALL), "--name", "n").exit_code == 0
    res = run("network", "import", str(SMALL), "--name", "n", "--bbox", "11.49,51.61,11.535,51.63")
    assert res.exit_code == 0 and "replaces network 'n' built from hettstedt_small.osm" in res.stderr


def test_import_help_describes_osm(run: Callable[..., Result]) -> None:
    def text(*args: str) -> str:  # help text with Click's line wrapping undone
        return " ".join(run(*args).stdout.split())

    assert "add / update / skip" in text("pois", "import", "--help")
    assert "continuity is reported" in text("neighbours", "import", "--help")


def test_segments_route_set_attributes(run: Callable[..., Result]) -> None:
    assert run("network", "import", str(SMALL)).exit_code == 0
    # along the Wipperradweg only: cycleway, asphalt
    assert run("segments", "add", "w", "--name", "W", "--coords", "11.5025,51.62435 11.5175,51.62435").exit_code == 0
    assert run("segments", "route", "w", "--set-attributes").exit_code == 0
    props = json.loads(run("segments", "show", "w", "--json").stdout)["properties"]
    assert (props["surface"], props["way_type"]) == ("asphalt", "cycleway")


def test_add_geometry_for_osmnx(tmp_path: Path) -> None:
    import osmnx as ox

    from radweg.osm.network import add_geometry, import_network

    G = add_geometry(import_network(tmp_path, SMALL).graph)
    _, edges = ox.graph_to_gdfs(G)
    assert len(edges) == G.number_of_edges()
    assert list(edges.geometry.iloc[0].coords) == list(edges["coords"].iloc[0])


def test_neighbours_import_network_filter(run: Callable[..., Result]) -> None:
    res = run("-v", "neighbours", "import", str(SMALL), "--all", "--network", "lcn", "--dry-run")
    assert res.exit_code == 0, res.output
    assert "Wipper-Radweg" in res.stdout and "Kupferspur" not in res.stdout
    assert run("neighbours", "import", str(SMALL), "--all", "--network", "xyz").exit_code == 2


def test_bad_inputs_give_one_line_errors(run: Callable[..., Result], sample: Path, tmp_path: Path) -> None:
    before = tree_digest(sample)
    line = tmp_path / "line.geojson"
    line.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {},
         "geometry": {"type": "LineString", "coordinates": [[11, 51], [12, 52]]}}]}))
    res = run("network", "import", str(SMALL), "--polygon", str(line))
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1] == (f"Error: {line}: feature 0: field 'geometry': LineString is not a Polygon "
                                           "or MultiPolygon")
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"\x00\x01not a pbf")
    for args in (("pois", "import", str(broken)), ("neighbours", "import", str(broken), "--all")):
        res = run(*args)
        assert res.exit_code == 1 and "Traceback" not in res.output
        assert res.stderr.splitlines()[-1].startswith(f"Error: {broken}: cannot read as OpenStreetMap data")
    other = tmp_path / "mp.osm"
    other.write_text('<?xml version="1.0"?>\n<osm version="0.6">\n <node id="1" version="1" lat="51.6" lon="11.5"/>\n'
                     ' <relation id="7" version="1"><member type="node" ref="1" role=""/>'
                     '<tag k="type" v="multipolygon"/></relation>\n</osm>\n', encoding="utf-8")
    res = run("neighbours", "import", str(other), "--relation", "7")
    assert res.exit_code == 1
    assert res.stderr.splitlines()[-1] == (f"Error: {other}: feature 7: field 'type': "
                                           "relation 7 is not a route (type=multipolygon)")
    assert tree_digest(sample) == before


def test_neighbours_clipped_to_project_area(run: Callable[..., Result], tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert run("init", str(data), "--name", "T", "--bbox", "11.49,51.61,11.525,51.63").exit_code == 0
    res = run("-v", "neighbours", "import", str(SMALL), "--all", data=data)
    assert res.exit_code == 0, res.output
    assert "clipped to the project area" in res.stdout
    feat = json.loads(run("neighbours", "show", "wipper-radweg-luecke", "--json", data=data).stdout)
    assert feat["properties"]["clipped_to_project_area"] is True
    assert feat["properties"]["continuity"]["pieces"] == 2  # the continuity still describes the whole relation
    coords = feat["geometry"]["coordinates"]
    assert all(11.49 <= x <= 11.525 for x, _ in (coords if feat["geometry"]["type"] == "LineString"
                                               else [p for line in coords for p in line]))


def test_routing_on_a_cached_network_needs_no_networkx(tmp_path: Path) -> None:
    """Import, reload, route and close gaps with connectors: the arrays do it all, networkx stays unloaded."""
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; "
            "from radweg.osm.network import import_network, load_network; "
            "from radweg.osm.router import route; "
            f"import_network(Path({str(tmp_path)!r}), Path({str(SMALL)!r})); "
            f"G = load_network(Path({str(tmp_path)!r})); "
            "r = route(G, (11.5, 51.615), (11.52, 51.615)); "
            "print(r is not None, [m for m in ('networkx', 'osmnx') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent)
    assert out.stdout.strip() == "True []", out.stdout + out.stderr


def test_an_extract_without_cycle_usable_ways_is_refused(run: Callable[..., Result], tmp_path: Path) -> None:
    osm = tmp_path / "motorway.osm"
    osm.write_text('<?xml version="1.0" encoding="UTF-8"?><osm version="0.6" generator="t">'
                   '<node id="1" lat="51.0" lon="11.0" version="1"/><node id="2" lat="51.001" lon="11.0" version="1"/>'
                   '<way id="10" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway"/></way></osm>',
                   encoding="utf-8")
    res = run("network", "import", str(osm))
    assert res.exit_code == 1 and "motorway.osm: no cycle-usable ways" in res.stderr and "Traceback" not in res.output
    assert run("network", "list", "--json").stdout.strip() == "[]"
