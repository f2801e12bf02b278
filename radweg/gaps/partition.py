"""Gap detection with its partner searches partitioned into tiles, run on worker processes or Dask.

The partner searches of dead ends and links are most of the work of :func:`find_gaps`. Here
the ends are split by square tiles; each tile's task gets a *cut* of the network: only the lines
that come within the tile grown by a halo, where the halo is as far as any search from an end
in the tile can look (the radius for candidates, ``WAY_ROUND_REACH`` × ``detour_min`` × the
radius for a way round). A worker rebuilds the topology of its cut, bridges it across the same
gaps and searches its ends; the answers are merged by end (each end is in one tile) and turned
into gaps by the caller, so the report is the one of a single process:

* every candidate of an end lies within the radius, so in the cut;
* every path of length ≤ L from an end lies within L of it, so a search's distances up to its
  limit are the same in the cut;
* a candidate the cut shows in another part is either in another part of the whole network or
  only reachable by a way round longer than its reach: it qualifies either way, with no figure.

Meetings, components, connections and tour breaks are cheap and computed once by the caller.
``executor`` is anything with ``map`` (``concurrent.futures``); :func:`dask_map` runs the same
tasks on a Dask cluster (``dask.distributed``; its local cluster in tests).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from radweg.gaps.model import Gap, GapConfig
    from radweg.gaps.search import Partner, SearchTuning
    from radweg.gaps.topology import Lines, Topology
    from radweg.model import Dataset

Mapper = Callable[[Callable[[Any], Any], list[Any]], Iterable[Any]]
"""Runs a function over tasks: ``executor.map``, :func:`dask_map`, or the builtin ``map``."""

TILE_HALOS = 2.0
"""Default tile side in halos (a speed setting: any tile gives the same report). Each cut spans the
tile and a halo on each side, so a tile of two halos repeats half of each cut's area in its neighbours."""


@dataclass(frozen=True)
class TileTask:
    """One tile's partner search: a cut of the network and the ends to search (indices into the cut)."""

    lines: Lines
    global_line: np.ndarray
    """The whole network's line index of each line of the cut."""
    tolerance_m: float
    grid_m: float
    bridges: list[Gap]
    ends: list[int]
    targets: list[int] | None
    cfg: GapConfig
    tuning: SearchTuning


def halo_m(cfg: GapConfig) -> float:
    """How far beyond its tile a search from an end in it can look (see the module docstring)."""
    from radweg.gaps.search import WAY_ROUND_REACH

    return cfg.radius_m + max(cfg.radius_m, WAY_ROUND_REACH * cfg.detour_min * cfg.radius_m) + cfg.tolerance_m + 1.0


class TiledPartners:
    """A :data:`radweg.gaps.search.PartnerFinder` that searches tile by tile through ``mapper``."""

    def __init__(self, mapper: Mapper = map, tile_m: float | None = None) -> None:
        self.mapper = mapper
        self.tile_m = tile_m
        self.tiles_run = 0

    def __call__(self, topo: Topology, bridges: list[Gap], ends: list[int], cfg: GapConfig,
                 targets: list[int] | None) -> dict[int, Partner]:
        tasks = list(self.tasks(topo, bridges, ends, cfg, targets))
        self.tiles_run += len(tasks)
        found: dict[int, Partner] = {}
        for part in self.mapper(run_tile, tasks):
            found.update(part)
        return found

    def tasks(self, topo: Topology, bridges: list[Gap], ends: list[int], cfg: GapConfig,
              targets: list[int] | None) -> Iterator[TileTask]:
        """One task per tile holding ends, in tile order."""
        import numpy as np
        import shapely

        from radweg.gaps import search

        if not ends:
            return
        halo = halo_m(cfg)
        side = self.tile_m or TILE_HALOS * halo
        xy = shapely.get_coordinates(topo.end_points[ends])
        origin = xy.min(axis=0)
        cell = np.floor((xy - origin) / side).astype(np.int64)
        tiles: dict[tuple[int, int], list[int]] = {}
        for e, (i, j) in zip(ends, cell.tolist(), strict=True):
            tiles.setdefault((i, j), []).append(e)
        bounds = shapely.bounds(topo.lines.geoms)
        target_set = set(targets) if targets is not None else None
        for (i, j), members in sorted(tiles.items()):
            lo = origin + np.array([i, j], dtype=float) * side - halo
            hi = origin + np.array([i + 1, j + 1], dtype=float) * side + halo
            near = np.nonzero((bounds[:, 2] >= lo[0]) & (bounds[:, 0] <= hi[0]) &
                              (bounds[:, 3] >= lo[1]) & (bounds[:, 1] <= hi[1]))[0]
            box = shapely.box(lo[0], lo[1], hi[0], hi[1])
            near = near[shapely.intersects(topo.lines.geoms[near], box)]
            local = {int(g): k for k, g in enumerate(near.tolist())}
            to_local = [2 * local[e // 2] + e % 2 for e in members]
            tgt = None
            if target_set is not None:
                tgt = [2 * k + side for k, g in enumerate(near.tolist()) for side in (0, 1)
                       if 2 * g + side in target_set]
            yield TileTask(_cut_lines(topo.lines, near), near, cfg.tolerance_m, topo.node_grid.cell,
                           bridges, to_local, tgt, cfg, search.TUNING)


def _cut_lines(lines: Lines, keep: np.ndarray) -> Lines:
    from radweg.gaps.topology import Lines

    idx = keep.tolist()
    return Lines(lines.frame, [lines.owners[i] for i in idx], [lines.parts[i] for i in idx],
                 [lines.names[i] for i in idx], lines.is_ks[keep], lines.geoms[keep], lines.lengths[keep])


def run_tile(task: TileTask) -> dict[int, Partner]:
    """Search one tile's ends on its cut (in a worker); answers keyed and pointing by the whole network's ends."""
    from radweg.gaps import search
    from radweg.gaps.topology import build_topology

    topo = build_topology(task.lines, task.tolerance_m, grid_m=task.grid_m)
    with search.tuned(task.tuning):
        found = search.find_partners(topo, task.bridges, task.ends, task.cfg, task.targets)
    back = task.global_line
    out: dict[int, Partner] = {}
    for end, (target, pt, dist, net) in found.items():
        g_end = 2 * int(back[end // 2]) + end % 2
        g_target = 2 * int(back[target // 2]) + target % 2 if task.targets is not None else int(back[target])
        out[g_end] = (g_target, pt, dist, net)
    return out


def find_gaps_partitioned(ds: Dataset, config: GapConfig | None = None, *, workers: int = 1,
                          scheduler: str | None = None, tile_m: float | None = None) -> list[Gap]:
    """:func:`radweg.gaps.detect.find_gaps` with the partner searches in tiles.

    ``workers`` > 1 runs the tiles on that many local processes; ``scheduler`` runs them on Dask:
    ``"local"`` for a local Dask cluster of ``workers`` processes, or a scheduler address
    (``tcp://host:8786``) of an existing cluster. The report is the same as one process's.
    """
    from radweg.gaps.detect import find_gaps

    if scheduler is not None:
        with dask_mapper(scheduler, workers) as mapper:
            return find_gaps(ds, config, partners=TiledPartners(mapper, tile_m))
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            return find_gaps(ds, config, partners=TiledPartners(pool.map, tile_m))
    return find_gaps(ds, config, partners=TiledPartners(map, tile_m))


class dask_mapper:  # noqa: N801 (a context manager used like a function)
    """A Dask client as a :data:`Mapper`: ``"local"`` starts a local cluster, else connect to an address."""

    def __init__(self, scheduler: str, workers: int = 1) -> None:
        self.scheduler, self.workers = scheduler, max(1, workers)
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> Mapper:
        from radweg.errors import RadwegError

        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask is a dependency
            raise RadwegError("Dask is not installed: pip install 'dask[distributed]'") from exc
        if self.scheduler == "local":
            self.cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,  # type: ignore[no-untyped-call]
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                self.client = Client(self.scheduler, timeout="10s")  # type: ignore[no-untyped-call]
            except (OSError, TimeoutError) as exc:
                raise RadwegError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from exc
        client = self.client

        def mapper(fn: Callable[[Any], Any], tasks: list[Any]) -> Iterable[Any]:
            futures = client.map(fn, tasks, pure=False)
            results: list[Any] = client.gather(futures)
            return results

        return mapper

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
