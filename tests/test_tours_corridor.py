"""POIs along a line: the indexed search finds exactly what measuring every POI finds."""

from __future__ import annotations

import random

import pytest
import shapely

from radweg.geometry import MetricFrame
from radweg.model import Poi
from radweg.tours.corridor import along_line, along_parts, poi_index


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
