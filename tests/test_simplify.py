"""Simplification: the deviation bound and the point cap hold for any line (property tests)."""

from __future__ import annotations

import pytest
from gpxdata import winding
from hypothesis import given, settings
from hypothesis import strategies as st

from radweg.errors import DataError
from radweg.simplify import deviation_m, keep_vertices, simplify_parts

# random walks around Eisleben: steps of up to ~200 m
steps = st.lists(st.tuples(st.floats(-0.003, 0.003), st.floats(-0.002, 0.002)), min_size=2, max_size=300)


def _walk(deltas: list[tuple[float, float]]) -> list[tuple[float, float]]:
    lon, lat, out = 11.5, 51.5, []
    for dx, dy in deltas:
        lon, lat = round(lon + dx, 6), round(lat + dy, 6)
        out.append((lon, lat))
    return out


@settings(max_examples=60, deadline=None)
@given(steps, st.sampled_from([0.5, 3.0, 10.0, 50.0]))
def test_tolerance_bounds_the_hausdorff_distance(deltas: list[tuple[float, float]], tol: float) -> None:
    line = _walk(deltas)
    if len(set(line)) < 2:
        return
    result = simplify_parts([line], tolerance_m=tol)
    kept = result.parts[0]
    assert kept[0] == line[0] and kept[-1] == line[-1]
    assert deviation_m(line, kept) <= tol
    assert result.max_deviation_m <= tol


@settings(max_examples=60, deadline=None)
@given(steps, st.integers(2, 40))
def test_max_points_always_holds_and_the_reported_cost_is_true(deltas: list[tuple[float, float]], cap: int) -> None:
    line = _walk(deltas)
    if len(set(line)) < 2:
        return
    result = simplify_parts([line], max_points=cap)
    assert result.points <= cap
    assert deviation_m(line, result.parts[0]) <= result.max_deviation_m + 0.01


def test_several_parts_share_the_cap_and_keep_their_ends() -> None:
    a = list(winding(3000))
    b = list(winding(2000, lat0=51.6))
    result = simplify_parts([a, b], max_points=100)
    assert result.points == 100 and len(result.parts) == 2
    assert result.parts[0][0] == a[0] and result.parts[1][-1] == b[-1]
    with pytest.raises(DataError, match="too small"):
        simplify_parts([a, b], max_points=3)


def test_no_options_only_drops_repeated_points() -> None:
    line = [(11.0, 51.0), (11.0, 51.0), (11.001, 51.0, ), (11.002, 51.001)]
    result = simplify_parts([line])
    assert result.parts[0] == ((11.0, 51.0), (11.001, 51.0), (11.002, 51.001))
    assert result.max_deviation_m == 0.0 and result.points_before == 3


def test_elevation_of_kept_points_is_kept() -> None:
    line = winding(5000)
    result = simplify_parts([line], tolerance_m=5)
    assert set(result.parts[0]) <= set(line)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 5000), st.floats(0, 5000)), min_size=2, max_size=80),
       st.sampled_from([0.5, 4.0, 25.0, 300.0]))
def test_without_a_cap_it_keeps_the_classic_douglas_peucker_vertices(pts: list[tuple[float, float]],
                                                                     tol: float) -> None:
    import numpy as np
    from shapely.geometry import LineString

    xy = np.asarray(pts, dtype=float)
    (kept,), _ = keep_vertices([(xy[:, 0].copy(), xy[:, 1].copy())], tol)
    classic = LineString(xy).simplify(tol, preserve_topology=False).coords
    assert [tuple(xy[i]) for i in kept] == [tuple(c) for c in classic]
