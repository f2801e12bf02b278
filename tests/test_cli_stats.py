"""``radweg stats`` and the sample data's promises."""

from __future__ import annotations

import json
import math

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
