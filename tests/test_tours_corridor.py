"""POIs along a line: the indexed search finds exactly what measuring every POI finds."""

from __future__ import annotations

import random

import pytest
import shapely

from radweg.geometry import MetricFrame, distance_m
from radweg.model import Poi
from radweg.tours.corridor import along_line, along_parts, nearest_index, poi_index


def random_case(seed: int) -> tuple[list[Poi], list[tuple[float, float]]]:
    rng = random.Random(seed)
    lat0 = rng.choice([51.5, 62.0, -33.9])  # Mansfeld-Südharz, far north, southern hemisphere
    pois = [Poi(f"p{i:04d}", f"P {i}", "halde", (round(11.0 + rng.uniform(-0.5, 0.5), 6),
                                                  round(lat0 + rng.uniform(-0.3, 0.3), 6))) for i in range(600)]
    x, y = 11.0 + rng.uniform(-0.2, 0.2), lat0 + rng.uniform(-0.1, 0.1)
    line = [(x, y)]
    for _ in range(rng.randint(1, 30)):
        x, y = x + rng.uniform(-0.02, 0.02), y + rng.uniform(-0.015, 0.015)
        line.append((round(x, 6), round(y, 6)))
    return pois, line


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("corridor_m", [50.0, 800.0, 5000.0])
def test_along_line_finds_what_measuring_every_poi_finds(seed, corridor_m):
    pois, line = random_case(seed)
    got = along_line(pois, line, corridor_m)
    frame = MetricFrame.for_coords([line[0], line[len(line) // 2], line[-1]])
    geom = shapely.LineString(frame.to_xy(line))
    expected = {p.id for p in pois if geom.distance(shapely.Point(frame.to_xy([p.coords])[0])) <= corridor_m}
    ids = {n.poi.id for n in got}
    # the two planar measures agree except within a millimetre of the corridor's edge
    edge = {p.id for p in pois
            if abs(geom.distance(shapely.Point(frame.to_xy([p.coords])[0])) - corridor_m) < 1e-3}
    assert ids - edge == expected - edge
    assert [n.along_m for n in got] == sorted(n.along_m for n in got)


def test_the_index_is_built_once_per_set_of_pois():
    pois, line = random_case(1)
    assert poi_index(pois) is poi_index(list(pois))
    assert poi_index(pois) is not poi_index(pois[:-1])
    near = along_parts(pois, [line, line[::-1]], 1000.0)
    assert len({n.poi.id for n in near}) == len(near)


def _nearest_by_scan(pois: list[Poi], point: tuple[float, float], poi_type: str) -> tuple[Poi, float] | None:
    best: tuple[Poi, float] | None = None
    for p in pois:
        if p.type != poi_type:
            continue
        d = distance_m(p.coords, point)
        if best is None or d < best[1] or (d == best[1] and p.id < best[0].id):
            best = (p, d)
    return best


@pytest.mark.parametrize("seed", range(12))
def test_nearest_finds_what_measuring_every_poi_finds(seed):
    rng = random.Random(seed)
    lat0, lon0 = rng.choice([(51.5, 11.0), (62.0, 11.0), (-33.9, 18.4), (0.0, 179.99), (88.0, 0.0)])
    spread = rng.choice([0.001, 0.05, 1.0, 20.0])

    def place() -> tuple[float, float]:
        lon = (lon0 + rng.uniform(-spread, spread) + 180.0) % 360.0 - 180.0
        return round(lon, 6), round(max(-90.0, min(90.0, lat0 + rng.uniform(-spread, spread))), 6)

    pois = [Poi(f"p{rng.randrange(400):04d}", "P", rng.choice(["bahnhof", "halde"]), place()) for _ in range(400)]
    tie = pois[0].coords
    pois += [Poi(f"q{i}", "Q", "bahnhof", tie) for i in range(3)]  # stations at one place: ties
    rng.shuffle(pois)
    for k in range(40):
        point = tie if k == 0 else pois[k].coords if k % 4 == 0 else place()
        for poi_type in ("bahnhof", "halde", "museum"):
            got, want = nearest_index(pois, poi_type).nearest(point), _nearest_by_scan(pois, point, poi_type)
            assert got == want
            assert got is None or got[0] is want[0]
    assert nearest_index(pois, "bahnhof") is nearest_index(list(pois), "bahnhof")
