"""Benchmark: the street network in arrays and its router, on all of Liechtenstein, against fair baselines.

    PYTHONPATH=. python benchmarks/osm_network.py [--pbf FILE] [--repeat 5] [--pairs 200] [--gaps 200]
        [--json results.json]

Every comparison runs in the same invocation, interleaved (one run of each case per round), and
reports medians; this machine is shared, so compare the ratios, not the seconds.

1. import, each run in a fresh process (so peak memory is its own; library imports are outside
   the timed part and reported apart):
   * baseline: pyosmium reading the same highway ways with node locations and doing nothing
     (``FileProcessor(NODE|WAY).with_locations()`` filtered to ways with ``highway``);
   * for scale: the same read taking every tag and every node's id and position into Python (what
     pyosmium's Python objects cost any reader that uses them);
   * radweg ``import_network`` (filter, graph in arrays, costs, summary, cache write);
   * the former pipeline: the same ways as a networkx graph, pickled (what the cache held before).
2. cached reload, in process: radweg's ``graph.npz`` (checked) against the pickled networkx graph.
3. routing ``--pairs`` random node pairs (fixed seed) by length on the same graph, one CSR matrix:
   radweg ``Router.route`` by coordinates (snapping, path and line assembly included), unbounded and
   with its default bound, against scipy csgraph ``dijkstra`` per pair (whole graph, and with the same
   limit) and rustworkx; every length is compared with scipy's.
4. ``--gaps`` connectors with alternatives (``route_gaps``, up to 3 each) on random node pairs 300 m to
   5 km apart, CPU and wall time, and networkx's Dijkstra for the first path only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from _common import realdata  # noqa: E402

DEFAULT_PBF = realdata("pyosmium/docs/data/liechtenstein.osm.pbf")

CHILD = r"""
import json, resource, sys, time
case, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
if case.startswith("pyosmium"):
    import osmium
    t1 = time.perf_counter()
    fp = (osmium.FileProcessor(src, osmium.osm.NODE | osmium.osm.WAY).with_locations()
          .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY)).with_filter(osmium.filter.KeyFilter("highway")))
    n = 0
    if case == "pyosmium":  # reading, doing nothing
        for way in fp:
            n += 1
        out = {"ways": n}
    else:  # reading, taking every tag and node into Python
        for way in fp:
            tags = dict(way.tags)
            nodes = [(nd.ref, nd.lon, nd.lat) for nd in way.nodes]
            n += len(nodes)
        out = {"nodes": n}
elif case == "radweg":
    from pathlib import Path
    import tempfile, zipfile, numpy, osmium, shapely  # what import_network loads on its first call, untimed
    import radweg.io.journal, radweg.osm.cache, radweg.osm.filter, radweg.osm.graph, radweg.osm.josm
    import radweg.osm.opl, radweg.osm.streets
    from radweg.osm.network import import_network
    t1 = time.perf_counter()
    res = import_network(Path(work), Path(src), force=True)
    out = {"nodes": res.graph.number_of_nodes(), "edges": res.graph.number_of_edges()}
else:
    import pickle
    from pathlib import Path
    import networkx, numpy, osmium, shapely
    from radweg.osm.filter import read_ways
    from radweg.osm.graph import build_graph
    t1 = time.perf_counter()
    G = build_graph(read_ways(Path(src)))
    Path(work, "graph.pickle").write_bytes(pickle.dumps(G, protocol=5))
    out = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
t2 = time.perf_counter()
out.update(seconds=t2 - t1, imports=t1 - t0, rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out))
"""

CASES = {"pyosmium": "pyosmium, highway ways with locations, doing nothing",
         "pyosmium-touch": "the same, taking every tag and node id/lon/lat",
         "radweg": "radweg import_network (arrays, cost, summary, cache)",
         "networkx": "former pipeline: networkx graph + pickle"}


def child(case: str, src: Path, work: Path) -> dict[str, Any]:
    """One import case in a fresh Python process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", CHILD, case, str(src), str(work)], capture_output=True, text=True,
                         env=env, check=True)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def interleaved(cases: dict[str, Callable[[], Any]], repeat: int) -> tuple[dict[str, float], dict[str, Any]]:
    """Median seconds of each case, one run of every case per round; and each case's last result."""
    times: dict[str, list[float]] = {k: [] for k in cases}
    results: dict[str, Any] = {}
    for _ in range(repeat):
        for name, fn in cases.items():
            t0 = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}, results


def bench_import(pbf: Path, repeat: int, tmp: Path) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in CASES}
    for r in range(repeat):
        for case in CASES:
            work = tmp / f"{case}-{r}"
            work.mkdir()
            runs[case].append(child(case, pbf, work))
    med = {case: {key: statistics.median(run[key] for run in runs[case]) for key in ("seconds", "imports", "rss_mb")}
           for case in CASES}
    print(f"\n1. import of {pbf.name} ({pbf.stat().st_size / 1e6:.1f} MB), median of {repeat} fresh processes each")
    for case, text in CASES.items():
        m = med[case]
        print(f"   {text:55s} {m['seconds']:6.3f} s (+{m['imports']:.2f} s imports), peak RSS {m['rss_mb']:5.0f} MB")
    base, ours, old = med["pyosmium"], med["radweg"], med["networkx"]
    print(f"   radweg / pyosmium: time {ours['seconds'] / base['seconds']:.2f}×, "
          f"with imports {(ours['seconds'] + ours['imports']) / (base['seconds'] + base['imports']):.2f}×")
    print(f"   radweg / former networkx pipeline: time {ours['seconds'] / old['seconds']:.2f}×, "
          f"peak memory {ours['rss_mb'] / old['rss_mb']:.2f}×; graph {runs['radweg'][0]['nodes']} nodes, "
          f"{runs['radweg'][0]['edges']} edges")
    return {"import": med}


def bench_reload(pbf: Path, repeat: int, tmp: Path) -> dict[str, Any]:
    import pickle

    from radweg.osm.graph import build_graph
    from radweg.osm.network import import_network, load_network

    data = tmp / "reload"
    res = import_network(data, pbf)
    old = tmp / "graph.pickle"
    from radweg.osm.filter import read_ways

    old.write_bytes(pickle.dumps(build_graph(read_ways(pbf)), protocol=5))
    npz = data / "output/cache/networks" / res.name / "graph.npz"
    t, _ = interleaved({"npz": lambda: load_network(data), "pickle": lambda: pickle.loads(old.read_bytes())},
                       max(repeat, 5))
    print(f"\n2. cached reload (median of {max(repeat, 5)} interleaved, in process)")
    print(f"   radweg graph.npz ({npz.stat().st_size / 1e6:.1f} MB, hash and arrays checked): {t['npz']:.4f} s")
    print(f"   networkx graph pickle ({old.stat().st_size / 1e6:.1f} MB, unchecked):          {t['pickle']:.4f} s")
    print(f"   ratio pickle / npz {t['pickle'] / t['npz']:.1f}×")
    return {"reload": {"npz_s": t["npz"], "pickle_s": t["pickle"], "npz_mb": npz.stat().st_size / 1e6}}


def bench_routing(pbf: Path, n_pairs: int, repeat: int, tmp: Path) -> dict[str, Any]:
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components, dijkstra

    from radweg.geometry import distance_m
    from radweg.osm.network import import_network
    from radweg.osm.router import DETOUR_SLACK_M, MAX_DETOUR, Router

    g = import_network(tmp / "routing", pbf).graph
    t0 = time.perf_counter()
    router = Router(g)
    t_router = time.perf_counter() - t0
    n = len(g)
    # one matrix for the baselines: the cheapest parallel edge by length
    best: dict[tuple[int, int], float] = {}
    for a, b, w in zip(g.u.tolist(), g.v.tolist(), g.length.tolist(), strict=True):
        best[(a, b)] = min(best.get((a, b), float("inf")), w)
    rows, cols = np.array([k[0] for k in best]), np.array([k[1] for k in best])
    mat = csr_matrix((np.array(list(best.values())), (rows, cols)), shape=(n, n))
    _, labels = connected_components(mat, connection="strong")
    big = np.flatnonzero(labels == np.bincount(labels).argmax())
    rnd = random.Random(42)
    pairs = [(int(rnd.choice(big)), int(rnd.choice(big))) for _ in range(n_pairs)]
    points = [(g.position(a), g.position(b)) for a, b in pairs]
    limits = [MAX_DETOUR * distance_m(p, q) + DETOUR_SLACK_M for p, q in points]

    def ours(bound: float | None) -> list[float | None]:
        out = []
        for p, q in points:
            r = router.route(p, q, weight="length", max_detour=bound)
            out.append(None if r is None else r.length_m)
        return out

    def scipy_pairs(limited: bool) -> list[float]:
        return [float(dijkstra(mat, directed=True, indices=a, limit=lim if limited else np.inf)[b])
                for (a, b), lim in zip(pairs, limits, strict=True)]

    cases: dict[str, Callable[[], Any]] = {
        "radweg Router.route, unbounded": lambda: ours(None),
        "scipy csgraph dijkstra per pair, whole graph": lambda: scipy_pairs(False),
        f"radweg Router.route, bound {MAX_DETOUR:g}× + {DETOUR_SLACK_M / 1000:g} km": lambda: ours(MAX_DETOUR),
        "scipy csgraph dijkstra per pair, same limit": lambda: scipy_pairs(True),
    }
    try:
        import rustworkx as rx

        R = rx.PyDiGraph()
        R.add_nodes_from(range(n))
        R.add_edges_from([(a, b, w) for (a, b), w in best.items()])

        def rx_pairs() -> list[float]:
            out = []
            for a, b in pairs:
                got = rx.dijkstra_shortest_path_lengths(R, a, float, goal=b)
                out.append(float(got[b]) if b in got else (0.0 if a == b else float("inf")))
            return out

        cases["rustworkx dijkstra_shortest_path_lengths (goal)"] = rx_pairs
    except ImportError:
        print("   rustworkx is not installed: skipped")
    times, results = interleaved(cases, repeat)
    truth = results["scipy csgraph dijkstra per pair, whole graph"]
    print(f"\n3. routing {n_pairs} random node pairs (seed 42) by length in the largest strongly connected part "
          f"({len(big)} of {n} nodes); router built in {t_router:.3f} s; median of {repeat} interleaved runs")
    out = {}
    for name, t in times.items():
        same = sum(1 for x, y in zip(results[name], truth, strict=True)
                   if x is not None and abs(x - y) <= max(0.01, 1e-6 * y))
        print(f"   {name:52s} {t:6.3f} s ({1000 * t / n_pairs:5.2f} ms/pair); same length as scipy: "
              f"{same}/{n_pairs}")
        out[name] = {"seconds": t, "same": same}
    whole = times["scipy csgraph dijkstra per pair, whole graph"]
    bounded = times[next(k for k in times if "bound " in k)]
    same_limit = times["scipy csgraph dijkstra per pair, same limit"]
    unbounded = times["radweg Router.route, unbounded"]
    print(f"   radweg unbounded / scipy whole graph: {unbounded / whole:.2f}×; radweg bounded / scipy same limit: "
          f"{bounded / same_limit:.2f}×; radweg bounded / scipy whole graph: {bounded / whole:.2f}×")
    return {"routing": {"pairs": n_pairs, "nodes": n, "cases": out, "router_s": t_router}}


def bench_connectors(pbf: Path, k: int, repeat: int, tmp: Path) -> dict[str, Any]:
    import networkx as nx

    from radweg.gaps.connectors import route_gaps
    from radweg.gaps.model import Gap, GapEnd
    from radweg.geometry import distance_m
    from radweg.osm.network import import_network
    from radweg.osm.router import Router

    g = import_network(tmp / "connectors", pbf).graph
    rng = random.Random(11)
    gaps, ends = [], []
    while len(gaps) < k:
        u, v = rng.sample(range(len(g)), 2)
        a, b = g.position(u), g.position(v)
        d = distance_m(a, b)
        if 300 <= d <= 5000:
            gaps.append(Gap(f"lk-{len(gaps):04d}", "link", "detour", GapEnd("segment:a:end", "A", a),
                            GapEnd("segment:b:end", "B", b), d, (a, b)))
            ends.append((g.label(u), g.label(v)))
    cpu, wall = [], []
    results: list[Any] = []
    for _ in range(repeat):
        router = Router(g)  # a fresh router each round: nothing cached from the round before
        c0, w0 = time.process_time(), time.perf_counter()
        by_id = route_gaps(gaps, router)
        results = [by_id[gap.id] for gap in gaps]
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    G = g.to_networkx()
    t0 = time.perf_counter()
    lengths = []
    for s, t in ends:
        try:
            lengths.append(nx.shortest_path_length(G, s, t, weight="cost"))
        except nx.NetworkXNoPath:
            lengths.append(None)
    t_nx = time.perf_counter() - t0
    alts = [len(r.connectors) for r in results]
    same = sum(1 for r, c in zip(results, lengths, strict=True)
               if r.connectors and c is not None and abs(r.connectors[0].cost - c) < 1.0)
    c, w = statistics.median(cpu), statistics.median(wall)
    print(f"\n4. {k} connectors with alternatives (route_gaps, up to 3 each) on node pairs 300 m – 5 km apart, "
          f"median of {repeat}")
    apart = sum(1 for r in results if not r.connectors and "separate parts" in r.reason)
    print(f"   radweg: CPU {c:.3f} s, wall {w:.3f} s ({1000 * w / k:.2f} ms per gap); {sum(alts)} connectors, "
          f"{sum(1 for x in alts if not x)} gaps without one ({apart} with ends on separate parts of the network, "
          "the others joined only beyond the 4× + 1 km bound)")
    print(f"   networkx Dijkstra, first path only: {t_nx:.3f} s; first connector's cost equal for {same} gaps")
    return {"connectors": {"gaps": k, "cpu_s": c, "wall_s": w, "connectors": sum(alts), "networkx_first_s": t_nx,
                           "without": sum(1 for x in alts if not x), "separate_parts": apart}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pbf", type=Path, default=DEFAULT_PBF)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pairs", type=int, default=200)
    ap.add_argument("--gaps", type=int, default=200)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if not args.pbf.exists():
        sys.exit(f"{args.pbf}: not found (needs ../shared/realdata)")
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at the start (compare ratios, not seconds)")
    out: dict[str, Any] = {"load_start": load, "command": " ".join(sys.argv[1:])}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        out.update(bench_import(args.pbf, args.repeat, t))
        out.update(bench_reload(args.pbf, args.repeat, t))
        out.update(bench_routing(args.pbf, args.pairs, args.repeat, t))
        out.update(bench_connectors(args.pbf, args.gaps, args.repeat, t))
    out["load_end"] = os.getloadavg()[0]
    print(f"\nload average at the end: {out['load_end']:.1f}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
