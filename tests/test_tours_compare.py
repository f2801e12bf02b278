"""radweg.tours.compare: distances between a ride and a planned line, checked with pyproj's geodesic."""

from __future__ import annotations

import pytest
from pyproj import Geod

from radweg.tours.compare import compare_lines

G = Geod(ellps="WGS84")


def offset(line: list[tuple[float, float]], metres: float) -> list[tuple[float, float]]:
    """Every vertex moved ``metres`` due north (the lines run east-west)."""
    return [tuple(G.fwd(lon, lat, 0.0, metres)[:2]) for lon, lat in line]  # type: ignore[misc]


LINE = [(11.0, 51.0), (11.01, 51.0), (11.02, 51.0)]


def test_the_same_line_is_all_near() -> None:
    c = compare_lines(LINE, LINE)
    assert c.near_share == pytest.approx(1.0) and c.max_m < 0.5 and not c.away
    assert c.length_m == pytest.approx(G.line_length([p[0] for p in LINE], [p[1] for p in LINE]), rel=1e-6)


def test_a_parallel_line_40_m_away() -> None:
    c = compare_lines(offset(LINE, 40.0), LINE, near_m=25.0)
    assert c.near_share == 0.0 and c.median_m == pytest.approx(40.0, abs=0.5)
    assert len(c.away) == 1 and c.away[0].from_m == 0.0


def test_a_detour_is_found_where_it_is() -> None:
    # along the line, then 300 m north for the middle kilometre, then back
    ride = [(11.0, 51.0), (11.005, 51.0), *offset([(11.005, 51.0), (11.015, 51.0)], 300.0), (11.015, 51.0),
            (11.02, 51.0)]
    c = compare_lines(ride, LINE)
    assert len(c.away) == 1
    s = c.away[0]
    assert s.max_m == pytest.approx(300.0, abs=1.0)
    first_leg = G.inv(11.0, 51.0, 11.005, 51.0)[2]
    assert s.from_m == pytest.approx(first_leg + 25.0, abs=15.0)  # leaves the 25 m band about 25 m up the spur
    assert 0.5 < 1 - c.near_share < 0.8
