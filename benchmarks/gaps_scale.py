"""Gap detection at scale, against a naive all-pairs baseline and the peers; connectors on a real graph.

    PYTHONPATH=. python benchmarks/gaps_scale.py [--sizes 1000,4000,16000] [--naive-max 16000]
                                                 [--no-peers] [--peers-size 4000] [--connectors 200]

1. Synthetic networks of N segments (random-walk chains with breaks, planned stretches,
   tours along the chains, neighbouring routes and POIs in proportion; seeded, so every run
   sees the same data). Gap detection is timed with the STRtree index and with the naive
   all-pairs index (``find_gaps(..., naive=True)``); the results are checked to be equal.
   Growth is printed as the time ratio per 4× step (n log n predicts ~4.6×, n² 16×).
2. Peers on the same segment lines (projected, EPSG of the metric frame):
   neatnet ``close_gaps`` (geometry repair: snaps ends closer than the tolerance to their
   midpoint; no report), and the component-pair semantics of BikeDNA
   (``find_adjacent_components``: edges of different components within a buffer), which we
   re-state with a plain STRtree (BikeDNA itself is AGPL and not installed). Counted on the
   same data: ends neatnet moved vs our tolerance meetings; component pairs within the
   tolerance vs ours.
3. Connectors: ``--connectors K`` gaps between seeded random node pairs of the Liechtenstein
   graph (radweg network import of ../shared/realdata/pyosmium/docs/data/liechtenstein.osm.pbf),
   each routed with up to 3 alternatives; baseline: networkx Dijkstra for the first path.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from radweg.geometry import MetricFrame, round_position  # noqa: E402 (after the path set-up)
from radweg.model import Collection, Dataset, Leg, Neighbour, Poi, Segment, Tour  # noqa: E402

ORIGIN = (9.0, 51.0)  # on the UTM 32 central meridian, so the synthetic squares stay in one zone


def synthetic(n: int, seed: int = 7) -> Dataset:
    """N segments in chains of 10 at constant density; ~10 % breaks; tours, neighbours, POIs in proportion."""
    rng = random.Random(seed)
    frame = MetricFrame(*ORIGIN)
    (x0, y0), = frame.to_xy([ORIGIN])
    side = math.sqrt(n) * 1500.0

    def ll(x: float, y: float) -> tuple[float, float]:
        lon, lat = frame.to_lonlat([(x0 + x - side / 2, y0 + y - side / 2)])[0]
        p = round_position((lon, lat))
        return (p[0], p[1])

    segs: list[Segment] = []
    tours: list[Tour] = []
    statuses = ["existing"] * 8 + ["planned", "construction"]
    for c in range(n // 10):
        x, y = rng.uniform(0, side), rng.uniform(0, side)
        heading = rng.uniform(0, 2 * math.pi)
        legs = []
        for k in range(10):
            if k and rng.random() < 0.1:  # a break: the next segment starts 40–400 m away
                d, a = rng.uniform(40, 400), rng.uniform(0, 2 * math.pi)
                x, y = x + d * math.cos(a), y + d * math.sin(a)
            pts = [(x, y)]
            for _ in range(3):
                heading += rng.uniform(-0.6, 0.6)
                x, y = x + 400 * math.cos(heading), y + 400 * math.sin(heading)
                pts.append((x, y))
            sid = f"c{c:05d}-{k}"
            segs.append(Segment(sid, f"Segment {sid}", tuple(ll(*p) for p in pts), rng.choice(statuses)))
            legs.append(Leg(sid))
        tours.append(Tour(f"t{c:05d}", f"Tour {c}", tuple(legs)))
    nbs = []
    for r in range(max(1, n // 20)):
        x, y = rng.uniform(0, side), rng.uniform(0, side)
        pts = [(x, y)]
        heading = rng.uniform(0, 2 * math.pi)
        for _ in range(20):
            heading += rng.uniform(-0.4, 0.4)
            x, y = x + 2000 * math.cos(heading), y + 2000 * math.sin(heading)
            pts.append((x, y))
        nbs.append(Neighbour(f"r{r:05d}", f"Route {r}", (tuple(ll(*p) for p in pts),), network="rcn"))
    pois = [Poi(f"p{i:05d}", f"POI {i}", rng.choice(["bahnhof", "halde", "museum", "unterkunft"]),
                ll(rng.uniform(0, side), rng.uniform(0, side))) for i in range(n // 10)]
    return Dataset(Collection(segs), Collection(tours), Collection(pois), Collection(nbs), {"name": f"synthetic {n}"})


def timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    best, out = math.inf, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def bench_detection(sizes: list[int], naive_max: int, repeat: int) -> list[tuple[int, float, float | None]]:
    from radweg.gaps.detect import find_gaps
    from radweg.gaps.model import GapConfig

    cfg = GapConfig(radius_m=10_000)
    warm = synthetic(200, seed=1)  # imports and first-call costs outside the timings
    find_gaps(warm, cfg)
    find_gaps(warm, cfg, naive=True)
    rows = []
    print("## Gap detection: STRtree vs naive all-pairs (same data, same results checked)\n")
    print(f"{'segments':>9} {'neighb.':>7} {'gaps':>6}  {'by kind':<52} {'STRtree s':>9} {'naive s':>9} {'ratio':>7}")
    for n in sizes:
        ds = synthetic(n)
        t_fast, gaps = timed(lambda ds=ds: find_gaps(ds, cfg), repeat)
        t_naive = None
        if n <= naive_max:
            t_naive, gaps_naive = timed(lambda ds=ds: find_gaps(ds, cfg, naive=True), 1)
            assert gaps_naive == gaps, f"naive and STRtree differ at n={n}"
        kinds: dict[str, int] = {}
        for g in gaps:
            kinds[g.kind] = kinds.get(g.kind, 0) + 1
        by_kind = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        ratio = f"{t_naive / t_fast:6.1f}×" if t_naive else "   n/a"
        naive_s = f"{t_naive:9.2f}" if t_naive else "   (skip)"
        print(f"{n:>9} {len(ds.neighbours.items):>7} {len(gaps):>6}  {by_kind:<52} {t_fast:9.2f} {naive_s} {ratio}")
        rows.append((n, t_fast, t_naive))
    print("\nGrowth per 4× more segments (n log n ≈ 4.6×, n² = 16×):")
    for (n1, f1, s1), (n2, f2, s2) in zip(rows, rows[1:], strict=False):
        line = f"  {n1} → {n2}: STRtree {f2 / f1:5.1f}×"
        if s1 and s2:
            line += f", naive {s2 / s1:5.1f}×"
        print(line)
    return rows


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


def bench_connectors(k: int) -> None:
    import networkx as nx

    from radweg.gaps.connectors import route_gap
    from radweg.gaps.model import Gap, GapEnd
    from radweg.geometry import distance_m
    from radweg.osm.router import Router

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import realdata

    pbf = realdata("pyosmium/docs/data/liechtenstein.osm.pbf")
    print(f"\n## {k} connectors on the Liechtenstein graph\n")
    from radweg.osm.network import import_network

    if not pbf.exists():
        print(f"{pbf} not found: skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        t_load, res = timed(lambda: import_network(Path(tmp), pbf))
    g = res.graph
    print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges (built in {t_load:.2f} s)")
    t_prep, router = timed(lambda: Router(g))
    rng = random.Random(11)
    nodes = sorted(g.nodes)
    gaps = []
    ends = []
    while len(gaps) < k:
        u, v = rng.sample(nodes, 2)
        a = (g.nodes[u]["x"], g.nodes[u]["y"])
        b = (g.nodes[v]["x"], g.nodes[v]["y"])
        d = distance_m(a, b)
        if 300 <= d <= 5000:
            gaps.append(Gap(f"lk-{len(gaps):04d}", "link", "detour", GapEnd("segment:a:end", "A", a),
                            GapEnd("segment:b:end", "B", b), d, (a, b)))
            ends.append((u, v))
    t_route, results = timed(lambda: [route_gap(router, gap) for gap in gaps])
    alts = [len(r.connectors) for r in results]
    none = sum(r.no_connection for r in results)
    detours = [r.connectors[0].detour for r in results if r.connectors]

    def baseline():  # type: ignore[no-untyped-def]
        out = []
        for s, t in ends:  # the gap ends are nodes
            try:
                out.append(nx.shortest_path_length(g, s, t, weight="cost"))
            except nx.NetworkXNoPath:
                out.append(None)
        return out

    t_nx, lengths = timed(baseline)
    same = sum(1 for r, c in zip(results, lengths, strict=False)
               if (c is None and r.no_connection) or (r.connectors and abs(r.connectors[0].cost - c) < 1.0))
    print(f"router prepared in {t_prep:.2f} s; {k} gaps routed in {t_route:.2f} s ({t_route / k * 1000:.0f} ms each): "
          f"{sum(alts)} connectors, {statistics.mean(alts):.2f} per gap, {none} without connection, "
          f"median detour {statistics.median(detours):.2f}")
    print(f"baseline networkx Dijkstra, first path only: {t_nx:.2f} s; ratio ours (3 alternatives) / baseline "
          f"(1 path) {t_route / t_nx:.2f}; first path cost equal for {same}/{k}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,4000,16000")
    ap.add_argument("--naive-max", type=int, default=16000, help="largest size also run naively")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--peers-size", type=int, default=4000,
                    help="segments for the peer comparison (neatnet.close_gaps took > 5 min at 16000 here)")
    ap.add_argument("--connectors", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    import os

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start "
          "(other jobs share the cores: compare ratios, not seconds)\n")
    bench_detection(sizes, args.naive_max, args.repeat)
    if not args.no_peers:
        bench_peers(args.peers_size, 25.0)
    if args.connectors:
        bench_connectors(args.connectors)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
