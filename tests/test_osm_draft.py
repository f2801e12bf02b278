"""Coverage of the street network where segments are drafted and gaps routed (snap limit 500 m).

The network is tests/data/hettstedt_small.osm (a small OSM file of a few streets at
Hettstedt, in the sample's county); the sample's segments at Kelbra and Roßla lie
about 40 km from it, so that network does not cover them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from tests.conftest import ROOT, tree_digest

CLIP = ROOT / "tests" / "data" / "hettstedt_small.osm"


@pytest.fixture
def with_network(run: Callable[..., Result], sample: Path) -> Path:
    res = run("network", "import", str(CLIP), "--name", "h")
    assert res.exit_code == 0, res.output
    return sample


def test_route_onto_a_network_that_does_not_cover_the_segment_fails(run: Callable[..., Result],
                                                                    with_network: Path) -> None:
    from radweg.geometry import distance_m

    before = tree_digest(with_network / "routes")
    res = run("segments", "route", "kelbra-rossla", "--network", "h")
    assert res.exit_code == 1 and "Traceback" not in res.output
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "network 'h' does not cover it" in lines[0] and "farther than 500 m" in lines[0]
    assert tree_digest(with_network / "routes") == before
    # the distance it names is the real one: Kelbra is tens of km from every node of the clip
    seg = next(f for f in json.loads((with_network / "routes/segments.geojson").read_text())["features"]
               if f["properties"]["id"] == "kelbra-rossla")
    import osmium

    nodes = [(n.location.lon, n.location.lat) for n in osmium.FileProcessor(str(CLIP), osmium.osm.NODE)]
    nearest_km = min(distance_m(seg["geometry"]["coordinates"][0], p) for p in nodes) / 1000
    assert f"waypoint 1 ({nearest_km:.0f} km)" in lines[0] or f"waypoint 1 ({nearest_km + 1:.0f} km)" in lines[0]


def test_snap_limit_option(run: Callable[..., Result], with_network: Path) -> None:
    res = run("segments", "route", "kelbra-rossla", "--network", "h", "--snap-limit", "100000", "--dry-run")
    assert res.exit_code == 0, res.output  # a limit of 100 km lets it through: the draft gets straight ends
    assert "warning: leg 1: the start waypoint is" in res.stderr


def test_gaps_on_a_network_that_does_not_cover_them_warn_per_gap(run: Callable[..., Result],
                                                                 with_network: Path) -> None:
    res = run("gaps", "--network", "h", "--format", "geojson")
    assert res.exit_code == 0, res.output
    warnings = [line for line in res.stderr.splitlines() if line.startswith("warning: gap ")]
    out = json.loads(res.stdout)
    gaps = [f for f in out["features"] if f["properties"].get("alternative") is None]
    two_ended = [f for f in gaps if f["properties"].get("b_lon") is not None]
    assert warnings and len(warnings) <= len(two_ended)
    assert all("network 'h' does not cover this gap" in w and "stays a straight line" in w for w in warnings)
    # no connector is ever drawn for a gap it warned about
    warned = {w.split()[2].rstrip(":") for w in warnings}
    conns = {f["properties"]["gap_id"] for f in out["features"] if f["properties"].get("alternative") is not None}
    assert not warned & conns


def test_network_setting_in_radweg_json_is_used(run: Callable[..., Result], with_network: Path) -> None:
    settings = with_network / "radweg.json"
    project = json.loads(settings.read_text())
    project["network"] = "h"
    settings.write_text(json.dumps(project))
    res = run("gaps")
    assert res.exit_code == 0 and "warning: gap " in res.stderr and "No street network loaded" not in res.stderr


def _clip_ways() -> list[list[tuple[float, float]]]:
    import osmium

    out = []
    for w in osmium.FileProcessor(str(CLIP)).with_locations().with_filter(osmium.filter.KeyFilter("highway")):
        if isinstance(w, osmium.osm.Way):
            out.append([(n.location.lon, n.location.lat) for n in w.nodes if n.location.valid()])
    return out


def _off_m(ways: list[list[tuple[float, float]]], p: list[float]) -> float:
    """Distance from p to the nearest way (shapely in UTM 32N, independent of radweg's router)."""
    from pyproj import Transformer
    from shapely.geometry import LineString, Point

    tf = Transformer.from_crs(4326, 32632, always_xy=True)
    pt = Point(*tf.transform(p[0], p[1]))
    return min(LineString([tf.transform(*c) for c in w]).distance(pt) for w in ways if len(w) >= 2)


@pytest.mark.parametrize("on_network", [False, True])
def test_waypoints_off_the_ways_give_no_spikes(run: Callable[..., Result], with_network: Path,
                                               on_network: bool) -> None:
    ways = _clip_ways()
    # three waypoints on streets of the file (ways 2001, 2012, 2002), each nudged about 40 m off them
    nudged = [(11.5025, 51.62036), (11.5156, 51.6175), (11.5175, 51.62036)]
    offs = [_off_m(ways, list(p)) for p in nudged]
    coords = " ".join(f"{lon},{lat}" for lon, lat in nudged)
    assert run("segments", "add", "draft", "--name", "Draft", "--coords", coords).exit_code == 0
    args = ["segments", "route", "draft", "--network", "h", "--json"] + (["--on-network"] if on_network else [])
    res = run(*args)
    assert res.exit_code == 0, res.output
    seg = next(f for f in json.loads((with_network / "routes/segments.geojson").read_text())["features"]
               if f["properties"]["id"] == "draft")
    line = seg["geometry"]["coordinates"]
    inner = line[1:-1]
    assert all(_off_m(ways, c) < 1.0 for c in inner)  # every inner vertex on a way: no spike to waypoint 2
    assert [round(c, 6) for c in nudged[1]] not in [[round(x, 6) for x in c] for c in line]
    if on_network:
        assert _off_m(ways, line[0]) < 1.0 and _off_m(ways, line[-1]) < 1.0
    elif offs[0] > 0.5:
        assert line[0] == [round(nudged[0][0], 6), round(nudged[0][1], 6)]
