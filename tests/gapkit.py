"""Helpers for the gap tests: datasets built in metres around a fixed origin (not fixtures)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from radweg.geometry import MetricFrame, round_position
from radweg.model import Collection, Dataset, Leg, Neighbour, Poi, Segment, Tour

ORIGIN = (11.3, 51.5)
FRAME = MetricFrame(*ORIGIN)
X0, Y0 = FRAME.to_xy([ORIGIN])[0]


def ll(x: float, y: float) -> tuple[float, float]:
    """Metres east/north of the origin to a rounded lon/lat."""
    lon, lat = FRAME.to_lonlat([(X0 + x, Y0 + y)])[0]
    p = round_position((lon, lat))
    return (p[0], p[1])


def seg(sid: str, pts: Sequence[tuple[float, float]], status: str = "existing", **extra: object) -> Segment:
    return Segment(sid, sid.replace("-", " ").title(), tuple(ll(x, y) for x, y in pts), status, extra=dict(extra))


def nb(nid: str, *lines: Sequence[tuple[float, float]]) -> Neighbour:
    return Neighbour(nid, nid.title(), tuple(tuple(ll(x, y) for x, y in line) for line in lines), network="rcn")


def tour(tid: str, *legs: str) -> Tour:
    return Tour(tid, tid.title(), tuple(Leg.parse(leg) for leg in legs))


def poi(pid: str, ptype: str, x: float, y: float) -> Poi:
    return Poi(pid, pid.title(), ptype, ll(x, y))


def dataset(segments: Sequence[Segment] = (), tours: Sequence[Tour] = (), neighbours: Sequence[Neighbour] = (),
            pois: Sequence[Poi] = ()) -> Dataset:
    return Dataset(Collection(list(segments)), Collection(list(tours)), Collection(list(pois)),
                   Collection(list(neighbours)), {"name": "test"})


HAIRPIN = {1: (11.0, 51.0), 2: (11.0, 51.0009), 3: (11.04, 51.0), 4: (11.04, 51.0009)}
"""Two dead-end streets 100 m apart (nodes 1 and 2), joined only by a loop about 5.7 km long."""


def hairpin() -> Any:
    """The :data:`HAIRPIN` streets as a networkx graph, both directions, cost = length."""
    import networkx as nx

    from radweg.geometry import distance_m

    g = nx.MultiDiGraph()
    for n, (x, y) in HAIRPIN.items():
        g.add_node(n, x=x, y=y)
    for a, b in ((1, 3), (3, 4), (4, 2)):
        d = distance_m(HAIRPIN[a], HAIRPIN[b])
        g.add_edge(a, b, length=d, cost=d, highway="residential")
        g.add_edge(b, a, length=d, cost=d, highway="residential")
    return g
