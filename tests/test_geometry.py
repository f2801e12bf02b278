"""Geodesic lengths, the metric frame, cutting and locating along lines."""

from __future__ import annotations

import pytest

from radweg.geometry import MetricFrame, cumulative_m, cut, distance_m, join_lines, line_length_m, locate, utm_epsg

LINE = ((11.0, 51.0, 100.0), (11.0, 51.01, 200.0), (11.02, 51.01, 200.0))


def test_meridian_degree_length() -> None:
    # one degree of latitude at 51° on WGS84 is 111.25 km (from the meridian arc formula)
    assert distance_m((11.0, 50.5), (11.0, 51.5)) == pytest.approx(111_252, rel=2e-4)


def test_cumulative_and_total_agree() -> None:
    cum = cumulative_m(LINE)
    assert cum[0] == 0.0 and cum[-1] == pytest.approx(line_length_m(LINE))
    assert cum == sorted(cum)


def test_utm_zone() -> None:
    assert utm_epsg(11.3, 51.5) == 32632
    assert utm_epsg(12.1, 51.5) == 32633
    assert utm_epsg(-70.0, -33.0) == 32719


def test_metric_frame_round_trip() -> None:
    frame = MetricFrame.for_coords(LINE)
    back = frame.to_lonlat(frame.to_xy(LINE))
    for (lon, lat, _), (blon, blat) in zip(LINE, back, strict=False):
        assert abs(lon - blon) < 1e-9 and abs(lat - blat) < 1e-9


def test_cut_interpolates_elevation() -> None:
    half = cumulative_m(LINE)[1] / 2
    part = cut(LINE, 0.0, half)
    assert part[0] == LINE[0]
    assert part[-1][2] == pytest.approx(150.0)
    assert line_length_m(part) == pytest.approx(half, rel=1e-6)
    assert cut(LINE, half, 0.0) == part  # order of the bounds does not matter


def test_locate_point_on_and_off_line() -> None:
    along, off = locate(LINE, (11.01, 51.01))
    first = cumulative_m(LINE)[1]
    assert along == pytest.approx(first + distance_m((11.0, 51.01), (11.01, 51.01)), rel=1e-3)
    assert off < 0.5
    _, off2 = locate(LINE, (11.01, 51.011))
    assert off2 == pytest.approx(distance_m((11.01, 51.01), (11.01, 51.011)), rel=5e-3)


def test_join_drops_repeated_junction() -> None:
    a = ((0.0, 0.0), (1.0, 0.0))
    b = ((1.0, 0.0), (2.0, 0.0))
    assert join_lines([a, b]) == ((0.0, 0.0), (1.0, 0.0), (2.0, 0.0))


def test_round_xy_is_round_position_on_many_positions() -> None:
    """The vectorised rounding against Python's correctly rounded ``round``, on random doubles and on OSM
    positions (7 decimals: one in ten is a tie at the 6th)."""
    import numpy as np

    from radweg.geometry import round_position, round_xy

    rng = np.random.default_rng(7)
    values = [*rng.uniform(-180, 180, 50_000).tolist(),
              *(rng.integers(-1_800_000_000, 1_800_000_000, 50_000) / 1e7).tolist(), 0.0, -0.0, -4e-7, 5e-7]
    pts = [(values[i], values[-1 - i]) for i in range(len(values))]
    assert round_xy(pts) == [tuple(round_position(p)[:2]) for p in pts]
    assert round_xy(np.array(pts)) == round_xy(pts)
    assert round_xy([(11.1234565, 51.0, 120.0)]) == [tuple(round_position((11.1234565, 51.0))[:2])]
    assert round_xy([]) == []
