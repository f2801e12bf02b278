"""The topology behind gap detection: spatial index modes agree, local Dijkstra is exact within its limit."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely

sys.path.insert(0, str(Path(__file__).parent))

from gapkit import dataset, nb, seg  # noqa: E402

from radweg.gaps.topology import Index, build_lines, build_topology, network_distances  # noqa: E402


def random_lines(n: int, seed: int) -> np.ndarray:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        x, y = rng.uniform(0, 5000), rng.uniform(0, 5000)
        out.append(shapely.linestrings([(x, y), (x + rng.uniform(-800, 800), y + rng.uniform(-800, 800))]))
    return np.array(out, dtype=object)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_strtree_and_naive_index_agree(seed):
    geoms = random_lines(120, seed)
    probes = shapely.get_point(geoms, 0)
    fast, slow = Index(geoms), Index(geoms, naive=True)
    for a, b in zip(fast.within(probes, 150.0), slow.within(probes, 150.0), strict=False):
        assert np.array_equal(a, b)
    for a, b in zip(fast.crossing(), slow.crossing(), strict=False):
        assert np.array_equal(a, b)
    fa, fb, fd = fast.nearest(probes[:40], 3000.0)
    sa, sb, sd = slow.nearest(probes[:40], 3000.0)
    assert np.array_equal(fa, sa) and np.array_equal(fb, sb) and np.allclose(fd, sd)


def test_meetings_crossings_and_components():
    ds = dataset([seg("a", [(0, 0), (1000, 0)]), seg("b", [(1010, 0), (2000, 0)]),  # end to end, 10 m
                  seg("c", [(500, -300), (500, 300)]),  # crosses a
                  seg("d", [(1500, 20), (1500, 600)]),  # T onto b, 20 m off
                  seg("e", [(5000, 0), (6000, 0)])],  # alone
                 neighbours=[nb("r", [(6000, 0), (6000, 900)])])
    topo = build_topology(build_lines(ds), 25.0)
    owners = topo.lines.owners
    comp = {o: int(c) for o, c in zip(owners, topo.component, strict=False)}
    assert comp["segment:a"] == comp["segment:b"] == comp["segment:c"] == comp["segment:d"]
    assert comp["segment:e"] == comp["neighbour:r"] != comp["segment:a"]


def test_local_dijkstra_is_exact_within_its_limit():
    from scipy.sparse.csgraph import dijkstra

    rng = random.Random(5)
    segs = []
    for i in range(150):  # a random tangle with many meetings and crossings
        x, y = rng.uniform(0, 8000), rng.uniform(0, 8000)
        segs.append(seg(f"s{i:03d}", [(x, y), (x + rng.uniform(-1500, 1500), y + rng.uniform(-1500, 1500))]))
    topo = build_topology(build_lines(dataset(segs)), 25.0)
    full = dijkstra(topo.graph, directed=False)
    sources = [0, 7, 40, 41, 99]
    for limit in (300.0, 2000.0, 6000.0):
        rows = network_distances(topo, sources, limit)
        for src, row in zip(sources, rows, strict=False):
            for node in range(topo.graph.shape[0]):
                expected = full[src, node]
                got = row[node]
                if expected <= limit:
                    assert got == pytest.approx(expected, abs=1e-6)
                else:
                    assert got == float("inf") or got > limit - 1e-6


@pytest.mark.parametrize("cell", [50.0, 700.0, 1e6])
def test_node_grid_finds_exactly_the_nodes_in_a_box(cell):
    from radweg.gaps.topology import NodeGrid

    rng = np.random.default_rng(3)
    xy = rng.uniform(-5000, 5000, size=(2000, 2))
    grid = NodeGrid(xy, cell)
    for _ in range(30):
        lo = rng.uniform(-6000, 5000, size=2)
        hi = lo + rng.uniform(0, 4000, size=2)
        inside = np.nonzero((xy[:, 0] >= lo[0]) & (xy[:, 0] <= hi[0]) & (xy[:, 1] >= lo[1]) & (xy[:, 1] <= hi[1]))[0]
        assert np.array_equal(grid.in_box(lo, hi), inside)


def test_subgraph_equals_scipy_fancy_indexing():
    from radweg.gaps.topology import subgraph

    rng = random.Random(8)
    segs = [seg(f"s{i:03d}", [(x := rng.uniform(0, 6000), y := rng.uniform(0, 6000)),
                              (x + rng.uniform(-900, 900), y + rng.uniform(-900, 900))]) for i in range(120)]
    topo = build_topology(build_lines(dataset(segs)), 25.0)
    idx = np.sort(np.random.default_rng(1).choice(topo.graph.shape[0], 90, replace=False))
    ours = subgraph(topo.graph, idx)
    theirs = topo.graph[idx][:, idx]
    assert (ours != theirs).nnz == 0 and ours.shape == theirs.shape
