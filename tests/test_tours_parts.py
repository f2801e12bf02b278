"""Tour pieces, fast stage location and cutting agree with the foundation's slower functions."""

from __future__ import annotations

from pathlib import Path

import pytest
from gpxdata import dense_dataset

from radweg.data.store import Store
from radweg.geometry import cumulative_m, cut, line_length_m
from radweg.tours import line as tours
from radweg.tours.parts import locate_stages, tour_geometry

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("tour_id", ["nord-sued", "pyramidenrunde", "west-ost"])
def test_stage_positions_match_the_foundation(tour_id: str) -> None:
    ds = Store(ROOT).load()
    tour = ds.tours.get(tour_id)
    geo = tour_geometry(tour, ds.segment_map())
    assert geo.line == tours.tour_line(tour, ds.segment_map())
    ours = locate_stages(tour, geo)
    theirs = tours.locate_stages(tour, geo.line)
    # the foundation measures along the joined line, across gaps; ours is ridden distance (gaps count 0 m)
    joined = cumulative_m(geo.line)
    jumps = [(joined[i], joined[i + 1] - joined[i]) for i in geo.gap_steps]

    def ridden(at: float) -> float:
        return at - sum(min(jump, max(0.0, at - start)) for start, jump in jumps)

    for a, b in zip(ours, theirs, strict=True):
        assert a.start_m == pytest.approx(ridden(b.start_m), abs=max(5.0, 1e-3 * b.start_m))
        assert a.end_m == pytest.approx(ridden(b.end_m), abs=max(5.0, 1e-3 * b.end_m))
        assert a.end_offset_m == pytest.approx(b.end_offset_m, abs=1.0)


def test_between_matches_cut_and_keeps_elevation() -> None:
    ds = dense_dataset(4000)
    geo = tour_geometry(ds.tours.items[0], ds.segment_map())
    assert len(geo.pieces) == 1 and geo.length_m == pytest.approx(line_length_m(geo.line))
    (part,) = geo.between(1234.5, 5678.9)
    ref = cut(geo.line, 1234.5, 5678.9)
    assert len(part) == len(ref)
    for p, q in zip(part, ref, strict=False):
        assert p == pytest.approx(q, abs=1e-9)
    assert line_length_m(part) == pytest.approx(5678.9 - 1234.5, abs=0.01)


def test_a_gap_splits_the_tour_into_pieces() -> None:
    ds = dense_dataset(3000, gap=True)
    geo = tour_geometry(ds.tours.items[0], ds.segment_map())
    assert len(geo.pieces) == 2
    parts = geo.between(0, geo.length_m)
    assert len(parts) == 2 and parts[0][-1] == geo.pieces[0][-1] and parts[1][0] == geo.pieces[1][0]
