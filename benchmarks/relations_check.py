"""Benchmark: the direction-aware relation check against the geometric continuity report, by relation size.

Synthetic route relations with N way members (a chain of 4-node ways with a split one-way section of two
members every 10 members and a closed roundabout every 25), N = 250, 1000, 4000; and the 13 bicycle relations
of the Liechtenstein extract. Baseline, measured in the same run on the same relations:
:func:`radweg.osm.relations.continuity` (pieces by shared nodes, order ignored). Runs are interleaved; medians.
Run with plain python:  PYTHONPATH=. python benchmarks/relations_check.py
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from radweg.osm.relations import Member, RouteRelation, continuity, read_relations
from radweg.osm.relcheck import check

REPEAT = 5


def synthetic(n: int) -> RouteRelation:
    """A continuous chain of ``n`` way members: plain 4-node ways, split one-way pairs, closed roundabouts."""
    pos: dict[int, tuple[float, float]] = {1: (11.0, 51.5)}
    members: list[Member] = []
    cur, nid, x = 1, 2, 0.0
    step = 2e-4

    def at(*ids: int) -> tuple[tuple[float, float], ...]:
        return tuple(pos[i] for i in ids)

    while len(members) < n:
        i = len(members)
        if i % 25 == 24:  # a closed roundabout, entered at cur and left two nodes further on
            a, b, c = nid, nid + 1, nid + 2
            pos[a], pos[b], pos[c] = (x + step, -step), (x + 2 * step, 0.0), (x + step, step)
            for k in (a, b, c):
                pos[k] = (11.0 + pos[k][0], 51.5 + pos[k][1])
            members.append(Member(i + 1, "", (cur, a, b, c, cur), at(cur, a, b, c, cur),
                                  {"highway": "tertiary", "junction": "roundabout"}))
            cur, nid, x = b, nid + 3, x + 2 * step
        elif i % 10 == 8 and len(members) + 2 <= n:  # a dual carriageway: two one-way members, role forward
            o1, o2, e, r1, r2 = nid, nid + 1, nid + 2, nid + 3, nid + 4
            for k, (dx, dy) in zip((o1, o2, e, r1, r2), ((step, 2e-5), (2 * step, 2e-5), (3 * step, 0.0),
                                                          (2 * step, -2e-5), (step, -2e-5)), strict=True):
                pos[k] = (11.0 + x + dx, 51.5 + dy)
            tags = {"highway": "primary", "oneway": "yes"}
            members.append(Member(i + 1, "forward", (cur, o1, o2, e), at(cur, o1, o2, e), dict(tags)))
            members.append(Member(i + 2, "forward", (e, r1, r2, cur), at(e, r1, r2, cur), dict(tags)))
            cur, nid, x = e, nid + 5, x + 3 * step
        else:
            ids = (cur, nid, nid + 1, nid + 2)
            for j, k in enumerate(ids[1:], 1):
                pos[k] = (11.0 + x + j * step, 51.5)
            members.append(Member(i + 1, "", ids, at(*ids), {"highway": "cycleway"}))
            cur, nid, x = nid + 2, nid + 3, x + 3 * step
    return RouteRelation(1, {"type": "route", "route": "bicycle", "name": "Benchmark", "network": "rcn",
                             "ref": "B", "cycle_network": "DE:Benchmark"}, members)


def timed(fn: Callable[[RouteRelation], object], rels: list[RouteRelation]) -> float:
    t = time.perf_counter()
    for r in rels:
        fn(r)
    return time.perf_counter() - t


def main() -> None:
    cases: list[tuple[str, list[RouteRelation]]] = [(f"synthetic {n} members", [synthetic(n)])
                                                     for n in (250, 1000, 4000)]
    shared = Path(os.environ.get("RADWEG_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
    li = shared / "realdata/pyosmium/docs/data/liechtenstein.osm.pbf"
    if li.is_file():
        cases.append(("Liechtenstein, 13 relations", read_relations(li, route="bicycle")))
    print(f"{'case':32} {'check ms':>10} {'continuity ms':>14} {'ratio':>7}  verdict")
    for name, rels in cases:
        ours: list[float] = []
        base: list[float] = []
        for _ in range(REPEAT):  # interleaved
            ours.append(timed(check, rels))
            base.append(timed(continuity, rels))
        a, b = statistics.median(ours) * 1000, statistics.median(base) * 1000
        res = [check(r) for r in rels]
        verdict = f"{sum(r.continuous for r in res)}/{len(res)} continuous, " \
                  f"{sum(len(r.problems) for r in res)} problems"
        print(f"{name:32} {a:10.1f} {b:14.1f} {a / b:7.1f}  {verdict}")


if __name__ == "__main__":
    main()
