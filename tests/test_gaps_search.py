"""The partner and component searches: answers independent of batching and every speed setting."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

from gapkit import dataset, nb, seg  # noqa: E402
from networks import chains, corridor  # noqa: E402

from radweg.gaps import search  # noqa: E402
from radweg.gaps.detect import find_gaps  # noqa: E402
from radweg.gaps.model import GapConfig  # noqa: E402

CFG = GapConfig(radius_m=6000.0)
NETWORKS = {"chains": chains(300, seed=3), "corridor": corridor(300, seed=5)}
REFERENCE = {name: find_gaps(ds, CFG) for name, ds in NETWORKS.items()}


def test_the_networks_exercise_every_search():
    for gaps in REFERENCE.values():
        kinds = {(g.kind, g.detail) for g in gaps}
        assert {("component", "parts"), ("link", "detour"), ("link", "unreachable")} <= kinds
    # dead ends (the corridor's streets) that found a partner: the way round was searched
    assert any(g.detail == "dead-end" and g.b is not None for g in REFERENCE["corridor"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(NETWORKS)), batch=st.integers(1, 200),
       cell=st.sampled_from([50.0, 700.0, 5000.0, 40_000.0]),
       first=st.sampled_from([30.0, 400.0, 1000.0, 6000.0]),
       grid=st.sampled_from([100.0, 2000.0, 50_000.0]),
       seed=st.one_of(st.none(), st.integers(0, 10_000)))
def test_reports_do_not_depend_on_batching_or_order(name, batch, cell, first, grid, seed):
    tuning = search.SearchTuning(batch=batch, cell_m=cell, first_radius_m=first, grid_m=grid, shuffle_seed=seed)
    with search.tuned(tuning):
        got = find_gaps(NETWORKS[name], CFG)
    assert got == REFERENCE[name]


def test_input_order_does_not_matter():
    ds = chains(300, seed=3)
    rng = random.Random(2)
    rng.shuffle(ds.segments.items)
    rng.shuffle(ds.neighbours.items)
    assert find_gaps(ds, CFG) == REFERENCE["chains"]


def test_naive_index_gives_the_same_report():
    for name, ds in NETWORKS.items():
        assert find_gaps(ds, CFG, naive=True) == REFERENCE[name], name


def brute_force_components(ds, cfg):  # type: ignore[no-untyped-def]
    """Every pair of segment-holding parts with the distance between their unions (all pairs, no index)."""
    import numpy as np
    import shapely

    from radweg.gaps.topology import build_lines, build_topology

    topo = build_topology(build_lines(ds), cfg.tolerance_m, naive=True)
    comps = sorted({int(c) for c, k in zip(topo.component, topo.lines.is_ks, strict=True) if k})
    unions = [shapely.multilinestrings(list(topo.lines.geoms[np.nonzero(topo.component == c)[0]])) for c in comps]
    pairs = {}
    for i in range(len(comps)):
        for j in range(i + 1, len(comps)):
            d = float(shapely.distance(unions[i], unions[j]))
            if d <= cfg.radius_m:
                pairs[(i, j)] = d
    return len(comps), pairs


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_component_pairs_match_a_brute_force_over_part_unions(name):
    ds = NETWORKS[name]
    cfg = GapConfig(radius_m=6000.0, kinds=("component",), component_pairs="all")
    got = find_gaps(ds, cfg)
    _, pairs = brute_force_components(ds, cfg)
    assert len(got) == len(pairs)
    assert sorted(round(g.length_m, -1) for g in got) == pytest.approx(
        sorted(round(d, -1) for d in pairs.values()), abs=10.5)


def test_mst_joins_the_parts_with_the_fewest_shortest_links():
    import networkx as nx

    ds = NETWORKS["chains"]
    cfg = GapConfig(radius_m=6000.0, kinds=("component",))
    got = find_gaps(ds, cfg)
    size, pairs = brute_force_components(ds, cfg)
    g = nx.Graph()
    g.add_nodes_from(range(size))
    g.add_weighted_edges_from((i, j, d) for (i, j), d in pairs.items())
    forest = nx.minimum_spanning_tree(g)
    assert len(got) == forest.number_of_edges()
    total = sum(d["weight"] for _, _, d in forest.edges(data=True))
    assert sum(gap.length_m for gap in got) == pytest.approx(total, rel=2e-3)


def test_a_way_round_is_reported_within_its_reach_only(monkeypatch):
    # a U with a 1 km mouth and a 2.4 km way round: qualifies (>= 2 × 1 km)
    segs = [seg("left", [(0, 700), (0, 0)]), seg("bottom", [(0, 0), (1000, 0)]), seg("right", [(1000, 0),
                                                                                           (1000, 700)])]
    cfg = GapConfig(kinds=("link",), detour_min=2.0)
    (gap,) = find_gaps(dataset(segs), cfg)
    assert gap.network_m is None  # 2.4 km > reach 1.0 × 2 × 1 km: only known to be longer
    monkeypatch.setattr(search, "WAY_ROUND_REACH", 1.5)
    for batch in (1, 7):
        with search.tuned(search.SearchTuning(batch=batch, first_radius_m=200.0)):
            (gap,) = find_gaps(dataset(segs, neighbours=[nb("x", [(5000, 0), (6000, 0)])]), cfg)
        assert gap.network_m == pytest.approx(2400.0, abs=1.0)  # within 1.5 × 2 × 1 km
