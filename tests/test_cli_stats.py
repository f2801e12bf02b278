"""``radweg stats`` and the sample data's promises."""

from __future__ import annotations

import json
import math

import pytest

from radweg.geometry import line_length_m


def test_network_length_in_range_and_consistent(run) -> None:
    out = json.loads(run("stats", "--json").stdout)
    net = out["network"]
    assert 200 <= net["length_km"] <= 260
    assert net["segments"] >= 12
    for key in ("by_status", "by_surface", "by_way_type", "by_municipality"):
        assert abs(sum(net[key].values()) - net["length_km"]) < 0.05
    assert {"existing", "planned", "construction", "closed"} <= set(net["by_status"])


def test_lengths_are_geodesic(run) -> None:
    seg = json.loads(run("segments", "show", "sangerhausen-allstedt", "--json").stdout)
    coords = seg["geometry"]["coordinates"]
    # an independent spherical (haversine) estimate agrees to within 0.5 % (ellipsoid vs sphere)
    lon1, lat1, lon2, lat2 = map(math.radians, (*coords[0][:2], *coords[-1][:2]))
    hav = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    sphere_m = 2 * 6371008.8 * math.asin(math.sqrt(hav))
    assert len(coords) == 2
    assert abs(line_length_m(coords) - sphere_m) / sphere_m < 0.005
    assert seg["properties"]["length_km"] == round(line_length_m(coords) / 1000, 2)


def test_per_tour_and_stage(run) -> None:
    out = json.loads(run("stats", "west-ost", "--json").stdout)
    assert "network" not in out
    (tour,) = out["tours"]
    assert len(tour["stages"]) == 3
    assert abs(sum(s["length_km"] for s in tour["stages"]) - tour["length_km"]) < 0.5
    assert [s["start_km"] for s in tour["stages"]] == sorted(s["start_km"] for s in tour["stages"])
    text = run("stats", "west-ost").stdout
    assert "Tour west-ost" in text and "Klostermansfeld – Röblingen am See" in text
    assert run("stats", "gibt-es-nicht").exit_code == 1


def test_sample_counts_and_honesty(run) -> None:
    out = json.loads(run("validate", "--json").stdout)["counts"]
    assert out["segments"] >= 12 and out["tours"] >= 2 and out["pois"] >= 30 and out["neighbours"] >= 6
    pois = json.loads(run("pois", "list", "--json").stdout)
    assert len({p["type"] for p in pois}) >= 6
    for pid in (p["id"] for p in pois):
        assert json.loads(run("pois", "show", pid, "--json").stdout)["properties"]["source"]


@pytest.mark.realdata
def test_km_per_municipality_from_lvermgeo(run, realdata) -> None:
    """The issue's command: km per municipality sum to the network's length, with the layers' official names."""
    import pyogrio

    folder = realdata / "msh" / "lvermgeo-boundaries-2022"
    files = [folder / "Einheitsgemeinde.zip", folder / "Gemeinde.zip"]
    res = run("stats", "--json", "--boundaries", str(files[0]), "--boundaries", str(files[1]),
              "--name-field", "GN_KLAR")
    assert res.exit_code == 0, res.output
    net = json.loads(res.stdout)["network"]
    by_muni = net["by_municipality"]
    assert abs(sum(by_muni.values()) - net["length_km"]) <= 0.001 * net["length_km"]
    official = {str(n) for f in files for n in pyogrio.read_dataframe(f, columns=["GN_KLAR"])["GN_KLAR"]}
    assert set(by_muni) <= official | {"(outside the boundaries)"}
    assert {"Sangerhausen", "Lutherstadt Eisleben", "Südharz", "Klostermansfeld"} <= set(by_muni)
    for name, row in net["by_municipality_status"].items():
        assert abs(sum(row.values()) - by_muni[name]) < 0.03
    # only the district's 22 municipalities: what lies in neighbouring districts counts as outside
    res = run("stats", "--json", "--boundaries", str(files[0]), "--boundaries", str(files[1]),
              "--filter", "VSN_KLAR=15087*")
    district = json.loads(res.stdout)["network"]["by_municipality"]
    assert "(outside the boundaries)" in district and "Harzgerode" not in district


def test_boundaries_errors(run, tmp_path) -> None:
    res = run("stats", "--boundaries", str(tmp_path / "none.shp"))
    assert res.exit_code == 1 and "none.shp: no such file" in res.output and "Traceback" not in res.output
    res = run("stats", "--name-field", "GN_KLAR")
    assert res.exit_code == 2


def test_sample_splits_by_its_configured_boundaries(run, sample) -> None:
    """radweg.json names routes/municipalities.geojson: stats use it unless --no-boundaries."""
    net = json.loads(run("stats", "--json").stdout)["network"]
    assert net["boundaries"] == ["municipalities.geojson"]
    assert abs(sum(net["by_municipality"].values()) - net["length_km"]) <= 0.001 * net["length_km"]
    munis = json.loads((sample / "routes" / "municipalities.geojson").read_text(encoding="utf-8"))
    assert set(net["by_municipality"]) - {"(outside the boundaries)"} <= {
        f["properties"]["name"] for f in munis["features"]}
    plain = json.loads(run("stats", "--json", "--no-boundaries").stdout)["network"]
    assert "boundaries" not in plain and "Sangerhausen" in plain["by_municipality"]
    (sample / "routes" / "municipalities.geojson").unlink()
    res = run("stats")
    assert res.exit_code == 1 and "municipalities.geojson: no such file" in res.stderr
    assert run("stats", "--no-boundaries", "--filter", "x=y").exit_code == 2
