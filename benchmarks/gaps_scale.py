"""Gap detection and publishing at scale, on two differently shaped networks.

    PYTHONPATH=. python benchmarks/gaps_scale.py [--sizes 1000,4000,16000,64000] [--naive-max 4000]
        [--repeat 3] [--publish 1000,4000,16000] [--partition 16000] [--no-peers]
        [--json results.json]

1. Gap detection on the seeded generators of ``benchmarks/networks.py`` (``chains``: a square
   of random-walk chains; ``corridor``: a long snake of towns joined by one trunk route). Runs
   are interleaved (every size and generator once per round, ``--repeat`` rounds) and the
   median is reported, as process CPU time (the machine is shared: other jobs inflate wall
   time but hardly CPU time) and wall time. Growth per 4× more segments is printed
   (n log n ≈ 4.6–4.8×, n² = 16×). The naive baseline (all-pairs instead of an STRtree, in the
   same run) is checked to give the same report up to ``--naive-max``.
2. ``publish`` (site, map, GPX, gap report) on the chains network at ``--publish`` sizes.
3. ``--partition N``: the report of ``--workers 2`` processes and of Dask's local cluster on the
   N-segment network, checked equal to one process's, with their times.
4. Peers (neatnet, a BikeDNA-style restatement). Connectors and routing on a real street
   network are measured by ``benchmarks/osm_network.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from networks import GENERATORS, chains  # noqa: E402

from radweg.model import Collection  # noqa: E402

synthetic = chains  # the name the other benchmarks and older notes use


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(wall seconds, result) of one call (the peers section)."""
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(CPU seconds of this process, wall seconds, result) of one call."""
    c, w = time.process_time(), time.perf_counter()
    out = fn()
    return time.process_time() - c, time.perf_counter() - w, out


def bench_detection(sizes: list[int], naive_max: int, repeat: int) -> dict[str, Any]:
    from radweg.gaps.detect import find_gaps
    from radweg.gaps.model import GapConfig

    cfg = GapConfig(radius_m=10_000)
    find_gaps(chains(200, seed=1), cfg)  # imports and first-call costs outside the timings
    data = {(g, n): GENERATORS[g](n) for g in GENERATORS for n in sizes}
    cpu: dict[tuple[str, int], list[float]] = {k: [] for k in data}
    wall: dict[tuple[str, int], list[float]] = {k: [] for k in data}
    naive: dict[tuple[str, int], tuple[float, float]] = {}
    reports: dict[tuple[str, int], Any] = {}
    for r in range(repeat):
        for key, ds in data.items():  # interleaved: every case once per round
            c, w, gaps = measure(lambda ds=ds: find_gaps(ds, cfg))
            cpu[key].append(c)
            wall[key].append(w)
            if key in reports:
                assert reports[key] == gaps, f"{key}: a rerun gave another report"
            reports[key] = gaps
            if r == 0 and key[1] <= naive_max:
                nc, nw, slow = measure(lambda ds=ds: find_gaps(ds, cfg, naive=True))
                assert slow == gaps, f"{key}: naive and STRtree reports differ"
                naive[key] = (nc, nw)
    print("## Gap detection (median of interleaved runs; CPU s of this process, wall s in brackets)\n")
    print(f"{'network':<9} {'segments':>8} {'gaps':>6}  {'CPU s':>7} {'(wall)':>8}  {'naive CPU s':>11}  "
          f"{'naive/ours':>10}")
    rows = []
    for (g, n), ds in data.items():
        c, w = statistics.median(cpu[(g, n)]), statistics.median(wall[(g, n)])
        nv = naive.get((g, n))
        print(f"{g:<9} {len(ds.segments.items):>8} {len(reports[(g, n)]):>6}  {c:7.2f} {f'({w:.1f})':>8}  "
              f"{(f'{nv[0]:11.2f}' if nv else '     (skip)')}  {(f'{nv[0] / c:9.1f}×' if nv else '       n/a')}")
        rows.append({"network": g, "size": n, "segments": len(ds.segments.items), "gaps": len(reports[(g, n)]),
                     "cpu_s": c, "wall_s": w, "naive_cpu_s": nv[0] if nv else None})
    print("\nGrowth per 4× more segments (CPU; n log n ≈ 4.6–4.8×, n² = 16×):")
    for g in GENERATORS:
        mine = [r for r in rows if r["network"] == g]
        steps = [f"{a['size']}→{b['size']} {b['cpu_s'] / a['cpu_s']:.1f}×" for a, b in zip(mine, mine[1:], strict=False)
                 if b["size"] == 4 * a["size"]]
        print(f"  {g}: " + ", ".join(steps))
    return {"detection": rows}


def bench_publish(sizes: list[int], repeat: int) -> dict[str, Any]:
    from radweg.site import publish

    print("\n## publish (site, map, GPX, gap report) on the chains network (median of interleaved runs)\n")
    data = {n: chains(n) for n in sizes}
    cpu: dict[int, list[float]] = {n: [] for n in sizes}
    wall: dict[int, list[float]] = {n: [] for n in sizes}
    for _ in range(repeat):
        for n, ds in data.items():
            with tempfile.TemporaryDirectory() as tmp:
                c, w, _ = measure(lambda ds=ds, tmp=tmp: publish(ds, Path(tmp) / "site"))
            cpu[n].append(c)
            wall[n].append(w)
    rows = []
    for n in sizes:
        c, w = statistics.median(cpu[n]), statistics.median(wall[n])
        print(f"{n:>8} segments: CPU {c:7.2f} s (wall {w:.1f} s)")
        rows.append({"size": n, "cpu_s": c, "wall_s": w})
    steps = [f"{a['size']}→{b['size']} {b['cpu_s'] / a['cpu_s']:.1f}×" for a, b in zip(rows, rows[1:], strict=False)]
    print("Growth per 4× (CPU): " + ", ".join(steps))
    return {"publish": rows}


def bench_partition(n: int) -> dict[str, Any]:
    from radweg.gaps.detect import find_gaps
    from radweg.gaps.model import GapConfig
    from radweg.gaps.partition import find_gaps_partitioned

    print(f"\n## Partitioned detection on the {n}-segment chains network (wall s; workers add CPU elsewhere)\n")
    cfg = GapConfig(radius_m=10_000)
    ds = chains(n)
    _, w1, one = measure(lambda: find_gaps(ds, cfg))
    _, w2, two = measure(lambda: find_gaps_partitioned(ds, cfg, workers=2))
    _, wd, dsk = measure(lambda: find_gaps_partitioned(ds, cfg, workers=2, scheduler="local"))
    print(f"one process {w1:.1f} s; --workers 2 {w2:.1f} s (same report: {two == one}); "
          f"Dask local cluster, 2 workers {wd:.1f} s (same report: {dsk == one})")
    assert two == one and dsk == one, "partitioned reports differ from the single-process one"
    return {"partition": {"size": n, "one_wall_s": w1, "workers2_wall_s": w2, "dask_wall_s": wd,
                          "identical": True}}


def bench_peers(n: int, tolerance: float) -> None:
    import numpy as np
    import shapely

    from radweg.gaps.topology import build_lines, build_topology

    print(f"\n## Peers on the same {n} segment lines (tolerance {tolerance:g} m)\n")
    ds = synthetic(n)
    ds.neighbours = Collection()
    t_ours, topo = timed(lambda: build_topology(build_lines(ds), tolerance))
    ends_met = len(set(topo.touch_end.tolist()))
    comps = len(set(topo.component.tolist()))
    print(f"radweg topology (meetings, graph, components): {t_ours:.2f} s; {ends_met} ends meet another line; "
          f"{comps} components")
    try:
        import geopandas as gpd
        import neatnet
    except ImportError:
        print("neatnet is not installed (pip install neatnet): skipped")
        return
    gdf = gpd.GeoDataFrame(geometry=list(topo.lines.geoms), crs=f"EPSG:{topo.lines.frame.epsg}")
    t_nn, fixed = timed(lambda: neatnet.close_gaps(gdf, tolerance))
    before = shapely.get_coordinates(shapely.boundary(np.asarray(gdf.geometry.values)))
    after = shapely.get_coordinates(shapely.boundary(np.asarray(fixed.geometry.values)))
    moved = int((np.hypot(*(before - after).T) > 0.01).sum()) if len(before) == len(after) else -1
    # the overlapping semantics: line ends within the tolerance of another line's end, but not on it
    pts = topo.end_points
    a, b = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=tolerance)
    d = shapely.distance(pts[a], pts[b])
    near = (a // 2 != b // 2) & (d > 0.01)
    ours = len(set(a[near].tolist()))
    print(f"neatnet.close_gaps: {t_nn:.2f} s ({t_nn / t_ours:.1f}× ours); {moved} line ends moved by > 1 cm; "
          f"radweg: {ours} ends within {tolerance:g} m of another line's end but not on it (these meet in "
          f"radweg and are left as they are; neatnet moves them; it reports no gap, no lengths, no pairs)")
    # BikeDNA's component pairs: edges of different components whose buffers (d/2 each) overlap
    geoms = np.asarray(topo.lines.geoms)
    t_b, pairs = timed(lambda: _component_pairs(geoms, topo.component, 10.0))
    print(f"BikeDNA-style component pairs within 10 m (STRtree restatement): {t_b:.2f} s; {len(pairs)} component "
          f"pairs (by construction 0 with our {tolerance:g} m tolerance, since parts closer than that meet)")
    t_b2, pairs2 = timed(lambda: _component_pairs(geoms, topo.component, 300.0))
    print(f"  same within 300 m: {t_b2:.2f} s; {len(pairs2)} component pairs (radweg's component kind reports the "
          f"minimum spanning forest of the parts instead, within 10 km)")


def _component_pairs(geoms, comp, dist):  # type: ignore[no-untyped-def]
    import shapely

    a, b = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=dist)
    keep = comp[a] < comp[b]
    return set(zip(comp[a][keep].tolist(), comp[b][keep].tolist(), strict=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,4000,16000,64000")
    ap.add_argument("--naive-max", type=int, default=4000, help="largest size also run naively")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--publish", default="1000,4000,16000", help="sizes for publish ('' to skip)")
    ap.add_argument("--publish-repeat", type=int, default=1)
    ap.add_argument("--partition", type=int, default=16000, help="size for the partitioned check (0 to skip)")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--peers-size", type=int, default=4000,
                    help="segments for the peer comparison (neatnet.close_gaps took > 5 min at 16000 here)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = ap.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start "
          "(other jobs share the cores: compare ratios, not seconds)\n")
    results: dict[str, Any] = {"load_start": os.getloadavg()[0]}
    results.update(bench_detection([int(s) for s in args.sizes.split(",")], args.naive_max, args.repeat))
    if args.publish:
        results.update(bench_publish([int(s) for s in args.publish.split(",")], args.publish_repeat))
    if args.partition:
        results.update(bench_partition(args.partition))
    if not args.no_peers:
        bench_peers(args.peers_size, 25.0)
    results["load_end"] = os.getloadavg()[0]
    print(f"\nload average at the end: {results['load_end']:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
