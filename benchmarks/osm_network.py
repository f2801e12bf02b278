"""Benchmark: the cycling network on all of Liechtenstein, against plain osmnx in the same run.

    python benchmarks/osm_network.py [--pbf FILE] [--pairs 200] [--repeat 3]

Measured (each build in a fresh subprocess, so peak memory is its own):

1. import: ``radweg.osm.network.import_network`` from the .pbf (filter + graph + cost + cache write) versus
   ``osmnx.graph_from_xml`` on the *already filtered* XML of the same ways (simplify=True, retain_all=True):
   osmnx is spared the filtering;
2. cached reload: our cache (``load_network``) versus osmnx's ``load_graphml`` of its saved graph, and a JSON
   form of our graph (the alternative cache format we did not choose);
3. routing: ``pairs`` random node pairs (fixed seed) in the largest strongly connected part of both graphs:
   ``radweg.osm.router.route`` by coordinates (snapping included) versus ``networkx.shortest_path`` on node ids, both
   by length; the route lengths are compared too.

Prints each figure and the ratio baseline / radweg (> 1 means radweg is faster or smaller).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import realdata  # noqa: E402

DEFAULT_PBF = realdata("pyosmium/docs/data/liechtenstein.osm.pbf")

CHILD_OURS = """
import resource, sys, time, json
from pathlib import Path
t = time.perf_counter()
from radweg.osm.network import import_network
res = import_network(Path(sys.argv[1]), Path(sys.argv[2]), force=True)
dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "nodes": res.graph.number_of_nodes(), "edges": res.graph.number_of_edges()}))
"""

CHILD_OSMNX = """
import resource, sys, time, json
t = time.perf_counter()
import osmnx as ox
G = ox.graph_from_xml(sys.argv[1], simplify=True, retain_all=True)
dt = time.perf_counter() - t
ox.save_graphml(G, sys.argv[2])
print(json.dumps({"seconds": dt, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}))
"""


def _child(code: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pbf", type=Path, default=DEFAULT_PBF)
    ap.add_argument("--pairs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not args.pbf.exists():
        sys.exit(f"{args.pbf}: not found (needs ../shared/realdata)")
    sys.path.insert(0, str(ROOT))

    import networkx as nx
    import osmnx as ox

    from radweg.osm.filter import read_ways, write_osm_xml
    from radweg.osm.network import load_network
    from radweg.osm.router import route, router_for

    with tempfile.TemporaryDirectory() as tmp:
        tmpd = Path(tmp)
        t = time.perf_counter()
        ways = list(read_ways(args.pbf))
        xml = tmpd / "filtered.osm"
        write_osm_xml(ways, xml)
        print(f"source: {args.pbf.name} ({args.pbf.stat().st_size / 1e6:.2f} MB); filtered XML for osmnx: "
              f"{len(ways)} ways, {xml.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - t:.2f} s")

        # 1. import
        ours = [_child(CHILD_OURS, str(tmpd / "data"), str(args.pbf)) for _ in range(args.repeat)]
        base = [_child(CHILD_OSMNX, str(xml), str(tmpd / "osmnx.graphml")) for _ in range(args.repeat)]
        o_s, b_s = _median(ours, "seconds"), _median(base, "seconds")
        o_m, b_m = _median(ours, "rss_mb"), _median(base, "rss_mb")
        print(f"\n1. import (median of {args.repeat}, fresh process each, including library imports)")
        print(f"   radweg import_network(.pbf): {o_s:6.2f} s, peak RSS {o_m:6.0f} MB, "
              f"{ours[0]['nodes']} nodes, {ours[0]['edges']} edges")
        print(f"   osmnx graph_from_xml(filtered XML): {b_s:6.2f} s, peak RSS {b_m:6.0f} MB, "
              f"{base[0]['nodes']} nodes, {base[0]['edges']} edges")
        print(f"   ratio osmnx/radweg: time {b_s / o_s:.2f}x, memory {b_m / o_m:.2f}x")

        # 2. cached reload
        def timed(fn, n: int = 5) -> float:  # type: ignore[no-untyped-def]
            best = []
            for _ in range(n):
                t0 = time.perf_counter()
                fn()
                best.append(time.perf_counter() - t0)
            return statistics.median(best)

        G = load_network(tmpd / "data")
        t_cache = timed(lambda: load_network(tmpd / "data"))
        t_graphml = timed(lambda: ox.load_graphml(tmpd / "osmnx.graphml"), 3)
        nodes = [[n, d["x"], d["y"]] for n, d in G.nodes(data=True)]
        keys = sorted({k for *_, d in G.edges(data=True) for k in d})
        edges = [[u, v, k, [d.get(a) for a in keys]] for u, v, k, d in G.edges(keys=True, data=True)]
        js = tmpd / "graph.json"
        js.write_text(json.dumps({"keys": keys, "nodes": nodes, "edges": edges}))

        def load_json() -> None:
            obj = json.loads(js.read_text())
            H = nx.MultiDiGraph()
            H.add_nodes_from((n, {"x": x, "y": y}) for n, x, y in obj["nodes"])
            H.add_edges_from((u, v, k, dict(zip(obj["keys"], vals, strict=False))) for u, v, k, vals in obj["edges"])

        t_json = timed(load_json, 3)
        cache_file = tmpd / "data/output/cache/networks/liechtenstein/graph.pickle"
        print("\n2. cached reload (median, in process)")
        print(f"   radweg cache (plain-container pickle, {cache_file.stat().st_size / 1e6:.1f} MB): {t_cache:6.3f} s")
        print(f"   our graph as JSON ({js.stat().st_size / 1e6:.1f} MB):                  {t_json:6.3f} s")
        print(f"   osmnx load_graphml ({(tmpd / 'osmnx.graphml').stat().st_size / 1e6:.1f} MB):                 "
              f"{t_graphml:6.3f} s")
        print(f"   ratio GraphML/radweg cache {t_graphml / t_cache:.1f}x; JSON/radweg cache {t_json / t_cache:.1f}x; "
              f"import/reload {o_s / t_cache:.1f}x")

        # the same through the CLI, whole process: a forced build versus a second import that reloads the cache
        def cli(*extra: str) -> float:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "radweg", "--data", str(tmpd / "data"), "-q", "network", "import",
                            str(args.pbf), *extra], check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            return time.perf_counter() - t0

        t_cli_build = statistics.median(cli("--force") for _ in range(args.repeat))
        t_cli_reload = statistics.median(cli() for _ in range(args.repeat))
        print(f"   CLI 'radweg network import' (whole process): build {t_cli_build:.2f} s, second import from cache "
              f"{t_cli_reload:.2f} s, ratio {t_cli_build / t_cli_reload:.1f}x")

        # 3. routing
        B = ox.load_graphml(tmpd / "osmnx.graphml")
        common = sorted(max(nx.strongly_connected_components(G), key=len)
                        & max(nx.strongly_connected_components(B), key=len))
        rnd = random.Random(42)
        pairs = [(rnd.choice(common), rnd.choice(common)) for _ in range(args.pairs)]
        t0 = time.perf_counter()
        router_for(G)
        t_index = time.perf_counter() - t0
        t0 = time.perf_counter()
        ours_r = [route(G, (G.nodes[o]["x"], G.nodes[o]["y"]), (G.nodes[d]["x"], G.nodes[d]["y"]), weight="length")
                  for o, d in pairs]
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        _ = [route(G, (G.nodes[o]["x"], G.nodes[o]["y"]), (G.nodes[d]["x"], G.nodes[d]["y"])) for o, d in pairs]
        t_cost = time.perf_counter() - t0
        t0 = time.perf_counter()
        base_r = [nx.shortest_path(B, o, d, weight="length") for o, d in pairs]
        t_base = time.perf_counter() - t0
        base_len = [nx.path_weight(B, p, "length") if len(p) > 1 else 0.0 for p in base_r]
        agree = sum(1 for r, b in zip(ours_r, base_len, strict=False)
                    if r is not None and abs(r.length_m - b) <= max(1.0, 0.005 * b))
        shorter = sum(1 for r, b in zip(ours_r, base_len, strict=False)
                      if r is not None and r.length_m < b - max(1.0, 0.005 * b))
        n = len(pairs)
        print(f"\n3. routing {n} random pairs (seed 42) in the common largest strongly connected part "
              f"({len(common)} nodes)")
        print(f"   radweg route(weight=length), snapping included: {t_ours:6.2f} s ({1000 * t_ours / n:.1f} ms/route; "
              f"spatial index built once in {t_index:.2f} s)")
        print(f"   radweg route(weight=cost):                      {t_cost:6.2f} s ({1000 * t_cost / n:.1f} ms/route)")
        print(f"   networkx.shortest_path on osmnx graph (length): {t_base:6.2f} s ({1000 * t_base / n:.1f} ms/route)")
        print(f"   ratio networkx/radweg: {t_base / t_ours:.2f}x (length), {t_base / t_cost:.2f}x (cost)")
        print(f"   same length (±0.5 %): {agree}/{n}; radweg shorter: {shorter}/{n} "
              "(osmnx ignores oneway:bicycle=no, so some one-way streets are two-way for radweg)")
        compiled_routing(G, pairs, ours_r, t_ours, args.repeat)


def compiled_routing(G, pairs, ours_r, t_ours, repeat):  # type: ignore[no-untyped-def]
    """The same pairs on the same graph (edge length): scipy csgraph directly and rustworkx, interleaved runs."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    index = {node: i for i, node in enumerate(G.nodes)}
    best: dict[tuple[int, int], float] = {}
    for u, v, d in G.edges(data=True):
        key = (index[u], index[v])
        best[key] = min(best.get(key, float("inf")), float(d["length"]))
    rows, cols = np.array([k[0] for k in best]), np.array([k[1] for k in best])
    mat = csr_matrix((np.array(list(best.values())), (rows, cols)), shape=(len(index), len(index)))

    def scipy_all() -> list[float]:
        return [float(dijkstra(mat, directed=True, indices=index[o])[index[d]]) for o, d in pairs]

    runners = {"scipy csgraph dijkstra (per pair, whole graph)": scipy_all}
    try:
        import rustworkx as rx

        R = rx.PyDiGraph()
        R.add_nodes_from(range(len(index)))
        R.add_edges_from([(a, b, w) for (a, b), w in best.items()])

        def rx_all() -> list[float]:
            out = []
            for o, d in pairs:
                got = rx.dijkstra_shortest_path_lengths(R, index[o], float, goal=index[d])
                out.append(float(got[index[d]]) if index[d] in got else (0.0 if o == d else float("inf")))
            return out

        runners["rustworkx dijkstra_shortest_path_lengths (goal)"] = rx_all
    except ImportError:
        print("   rustworkx is not installed (pip install rustworkx): skipped")
    times: dict[str, list[float]] = {k: [] for k in runners}
    results: dict[str, list[float]] = {}
    for _ in range(max(1, repeat)):
        for name, fn in runners.items():
            t0 = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - t0)
    n = len(pairs)
    print(f"\n4. the same {n} pairs by length against compiled searches (median of {max(1, repeat)} interleaved runs)")
    for name in runners:
        t = statistics.median(times[name])
        agree = sum(1 for r, b in zip(ours_r, results[name], strict=False)
                    if r is not None and abs(r.length_m - b) <= max(1.0, 0.005 * b))
        print(f"   {name}: {t:6.2f} s ({1000 * t / n:.1f} ms/route); radweg/this {t_ours / t:.2f}x; "
              f"same length as radweg (±0.5 %): {agree}/{n}")


if __name__ == "__main__":
    main()
