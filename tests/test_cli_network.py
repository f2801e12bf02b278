"""``radweg network …``, ``segments route`` and the OSM paths of ``neighbours import`` / ``pois import``."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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
    assert res.exit_code == 1 and res.stderr.startswith(f"Error: {bad}: cannot read as OpenStreetMap data")
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
    assert run("segments", "add", "island", "--name", "Insel", "--coords", "11.5001,51.6201 11.531,51.6285").exit_code == 0
    digest = tree_digest(sample / "routes")
    res = run("segments", "route", "island")
    assert res.exit_code == 1 and "no path on network 'hettstedt-small' for leg 1" in res.stderr
    assert tree_digest(sample / "routes") == digest


def test_segments_route_without_network(run: Callable[..., Result]) -> None:
    res = run("segments", "route", "eisleben-fortschritt")
    assert res.exit_code == 1 and "no street network cached" in res.stderr


def test_neighbours_import_osm(run: Callable[..., Result], sample: Path) -> None:
    res = run("neighbours", "import", str(SMALL), "--all", "--dry-run")
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
    res = run("pois", "import", str(SMALL), "--dry-run")
    assert res.exit_code == 0, res.output
    assert tree_digest(sample) == before
    lines = {line.split()[1]: line.split()[0] for line in res.stdout.splitlines()[2:]}
    assert lines["mansfeld-museum-hettstedt"] == "merge" and lines["halde-eduardschacht"] == "merge"
    assert lines["eduardschacht-ii"] == "add"
    count = len(json.loads(run("pois", "list", "--json").stdout))
    assert run("pois", "import", str(SMALL)).exit_code == 0
    after = json.loads(run("pois", "list", "--json").stdout)
    assert len(after) == count + 9
    res = run("pois", "import", str(SMALL))
    assert "0 to add, 0 to merge" in res.stderr
    assert len(json.loads(run("pois", "list", "--json").stdout)) == len(after)


@pytest.mark.realdata
def test_neighbours_import_berlin(run: Callable[..., Result], tmp_path: Path, realdata: Path) -> None:
    data = tmp_path / "d"
    assert run("init", str(data), "--name", "Test").exit_code == 0
    res = run("neighbours", "import", str(realdata / "graphhopper/core/files/berlin-siegessaeule.osm.gz"), "--all",
              data=data)
    assert res.exit_code == 0, res.output
    names = [n["name"] for n in json.loads(run("neighbours", "list", "--json", data=data).stdout)]
    assert "EuroVelo 7 - part Germany" in names and len(names) == 9
    assert "ways missing from the extract" in res.stdout


@pytest.mark.realdata
def test_segments_route_on_real_extract(run: Callable[..., Result], tmp_path: Path, realdata: Path) -> None:
    data = tmp_path / "d"
    assert run("init", str(data), "--name", "Test").exit_code == 0
    assert run("network", "import", str(realdata / "graphhopper/core/files/Hoyerswerda.osm.pbf"), data=data).exit_code == 0
    res = run("segments", "add", "hoy", "--name", "Hoyerswerda", "--coords",
              "14.225,51.432 14.245,51.437 14.255,51.425", data=data)
    assert res.exit_code == 0, res.output
    res = run("segments", "route", "hoy", "--json", data=data)
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert len(report["legs"]) == 2 and report["length_m"] > 2000
    assert report["composition"]["highway"]


# ------------------------------------------------------------------ fetch


class _Recorded(BaseHTTPRequestHandler):
    """Serves a recorded Overpass response, the Overpass status page and a Nominatim answer."""

    calls: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, body: bytes, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
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

    def do_POST(self) -> None:  # noqa: N802
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
