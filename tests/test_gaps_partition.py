"""Partitioned gap detection: tiles with a halo give the single-process report, on processes and on Dask."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

from networks import chains, corridor  # noqa: E402

from radweg.gaps.detect import find_gaps  # noqa: E402
from radweg.gaps.model import GapConfig  # noqa: E402
from radweg.gaps.partition import TiledPartners, find_gaps_partitioned, halo_m  # noqa: E402

CFG = GapConfig(radius_m=3000.0)
NETWORKS = {"chains": chains(600, seed=4), "corridor": corridor(600, seed=6)}
REFERENCE = {name: find_gaps(ds, CFG) for name, ds in NETWORKS.items()}


@pytest.mark.parametrize("name", sorted(NETWORKS))
@pytest.mark.parametrize("tile_m", [2000.0, 1e7])
def test_tiles_give_the_single_process_report(name, tile_m):
    tiled = TiledPartners(map, tile_m)
    assert find_gaps(NETWORKS[name], CFG, partners=tiled) == REFERENCE[name]
    if tile_m < 1e6:
        assert tiled.tiles_run > 4  # really partitioned: many tiles, each a cut of the network


def test_halo_covers_candidates_and_ways_round():
    assert halo_m(CFG) >= CFG.radius_m + CFG.detour_min * CFG.radius_m


def test_worker_processes_give_the_same_report():
    assert find_gaps_partitioned(NETWORKS["corridor"], CFG, workers=2, tile_m=4000.0) == REFERENCE["corridor"]


def test_dask_local_cluster_gives_the_same_report():
    pytest.importorskip("dask.distributed")
    assert find_gaps_partitioned(NETWORKS["chains"], CFG, workers=2, scheduler="local",
                                 tile_m=4000.0) == REFERENCE["chains"]
