"""The priority score: its parts add up, each counts what it says, ranks follow scores."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from gapkit import dataset, nb, poi, seg, tour

from radweg.errors import DataError
from radweg.gaps.detect import find_gaps
from radweg.gaps.priority import PARTS, PriorityConfig, score_gaps


def scenario():
    segs = [seg("a", [(0, 0), (2000, 0)]), seg("b", [(2200, 0), (4000, 0)]), seg("far", [(50000, 0), (52000, 0)])]
    pois = [poi("bf", "bahnhof", 2100, 500), poi("halde", "halde", 2100, -800), poi("hotel", "unterkunft", 2100, 0),
            poi("far-halde", "halde", 30000, 0)]
    return dataset(segs, [tour("t", "a", "b")], [nb("r", [(2100, 1000), (2100, 5000)])], pois)


def test_parts_add_up_and_count_what_is_near():
    ds = scenario()
    gaps = find_gaps(ds)
    scores = score_gaps(gaps, ds)
    brk = next(g for g in gaps if g.detail == "tour")
    s = scores[brk.id]
    assert set(s.parts) == set(PARTS)
    assert s.total == pytest.approx(sum(s.parts.values()), abs=0.05)
    assert s.quantities["tours"] == 1
    assert s.quantities["stations"] == 1
    assert s.quantities["heritage"] == 1  # the hotel is not heritage, the far heap is out of the catchment
    assert s.quantities["neighbours"] == 1
    # within 3 km of the 200 m gap: all of a (2 km) and b (1.8 km); the far segment is outside
    assert s.quantities["rideable_km"] == pytest.approx(3.8, abs=0.05)
    assert s.quantities["length_km"] == pytest.approx(0.2, abs=0.01)


def test_ranks_follow_scores_and_weights_change_them():
    ds = scenario()
    gaps = find_gaps(ds)
    scores = score_gaps(gaps, ds)
    ranked = sorted(scores.values(), key=lambda s: s.rank)
    assert [s.rank for s in ranked] == list(range(1, len(gaps) + 1))
    assert all(x.total >= y.total for x, y in zip(ranked, ranked[1:], strict=False))
    heavy = score_gaps(gaps, ds, config=PriorityConfig(w_tours=0, w_stations=0, w_heritage=0, w_neighbours=0,
                                                      w_rideable_km=0))
    assert all(s.parts["tours"] == 0 for s in heavy.values())


def test_priority_settings_from_project():
    assert PriorityConfig.from_project({"priority": {"w_tours": 3}}).w_tours == 3
    with pytest.raises(DataError, match="priority.nope"):
        PriorityConfig.from_project({"priority": {"nope": 1}})


def test_indexed_quantities_equal_a_brute_force_over_every_pair():
    import numpy as np
    import shapely

    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from networks import chains

    from radweg.geometry import MetricFrame
    from radweg.model import RIDEABLE_STATUSES

    ds = chains(300, seed=9)
    gaps = find_gaps(ds)
    scores = score_gaps(gaps, ds)
    cfg = PriorityConfig()
    frame = MetricFrame.for_coords([c for g in gaps for c in g.line])
    for gap in gaps[::7]:
        xy = frame.to_xy(gap.line)
        area = (shapely.Point(xy[0]) if len(xy) == 1 else shapely.LineString(xy)).buffer(cfg.catchment_m, quad_segs=8)
        km = sum(area.intersection(shapely.LineString(frame.to_xy(s.coords))).length
                 for s in ds.segments.items if s.status in RIDEABLE_STATUSES) / 1000.0
        routes = sum(any(area.intersects(shapely.LineString(frame.to_xy(line))) for line in n.lines)
                     for n in ds.neighbours.items)
        inside = [p for p in ds.pois.items if area.contains(shapely.Point(frame.to_xy([p.coords])[0]))]
        q = scores[gap.id].quantities
        assert q["rideable_km"] == pytest.approx(round(km, 2), abs=0.011)
        assert q["neighbours"] == routes
        assert q["stations"] == sum(p.type == "bahnhof" for p in inside)
        assert q["heritage"] == sum(p.type in ("halde", "schacht", "museum", "huette", "stollen", "denkmal")
                                    for p in inside)
    assert np.isfinite([s.total for s in scores.values()]).all()
