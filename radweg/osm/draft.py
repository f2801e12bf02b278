"""Route a drafted segment through its waypoints along the street network.

The waypoints are the segment's ``waypoints`` property when it has been routed
before, else its vertices. Each consecutive pair is routed with the graph's
:class:`radweg.osm.router.Router`; where the first or last waypoint lies off the network
(more than half a metre), a straight connector to the network is kept so the segment
still starts and ends exactly at its waypoints (``on_network=True``: not even there, the
line lies wholly on ways). A waypoint in between is passed where it snaps onto the network,
never with a straight spike out to it and back. A waypoint farther than
:data:`SNAP_LIMIT_M` (500 m) from every way means the network does not cover
the segment: :func:`route_segment` raises NetworkError naming the waypoints
and changes nothing (a network of another region would otherwise give a long
straight "off-network" line).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from radweg.errors import NetworkError
from radweg.model import Segment

if TYPE_CHECKING:
    from radweg.osm.router import Route

OFF_NETWORK_WARN_M = 50.0
"""A waypoint this far from the nearest way gets a warning (the straight connector to it is kept)."""

SNAP_LIMIT_M = 500.0
"""A waypoint farther than this from every way of the network is not covered by it: nothing is routed."""


@dataclass
class SegmentRoute:
    """The routed line and a JSON-ready report."""

    coords: tuple[tuple[float, float], ...]
    report: dict[str, Any]


def waypoints(seg: Segment) -> list[tuple[float, float]]:
    """The waypoints to route through: the stored ``waypoints`` property, else the vertices."""
    stored = seg.extra.get("waypoints")
    if isinstance(stored, list) and len(stored) >= 2 and all(isinstance(p, list) and len(p) >= 2 for p in stored):
        return [(float(p[0]), float(p[1])) for p in stored]
    return [(float(c[0]), float(c[1])) for c in seg.coords]


@dataclass
class _Leg:
    """One routed leg: its line (with straight connectors to off-network waypoints) and its figures."""

    line: list[tuple[float, float]]
    length: float
    cost: float
    shares: dict[str, dict[str, float]]
    """Metres per highway class and per surface, ``off_network`` included."""
    report: dict[str, Any]
    warnings: list[str]


def _leg(i: int, a: tuple[float, float], b: tuple[float, float], r: Route, max_detour: float, *,
         stub_a: bool = True, stub_b: bool = True) -> _Leg:
    """The line, length, cost, composition in metres and warnings of leg ``i`` routed as ``r``.

    ``stub_a``/``stub_b``: join an end waypoint that lies off the network with a straight line.
    """
    from radweg.geometry import distance_m, line_length_m

    line = list(r.coords)
    off_a, off_b = r.snap_m
    if stub_a and off_a > 0.5:
        line.insert(0, a)
    if stub_b and off_b > 0.5:
        line.append(b)
    length = line_length_m(line)
    straight = distance_m(a, b)
    detour = length / straight if straight > 0 else 1.0
    shares: dict[str, dict[str, float]] = {"highway": defaultdict(float), "surface": defaultdict(float)}
    for key in ("highway", "surface"):
        for k, share in r.composition[key].items():
            shares[key][k] += share * r.length_m
    off = length - r.length_m
    if off > 0.5:
        shares["highway"]["off_network"] += off
        shares["surface"]["unknown"] += off
    report = {"leg": i, "from": [a[0], a[1]], "to": [b[0], b[1]], "length_m": round(length, 1),
              "straight_m": round(straight, 1), "detour": round(detour, 3),
              "off_network_m": [round(off_a, 1), round(off_b, 1)]}
    warnings = []
    if detour > max_detour:
        warnings.append(f"leg {i}: the routed line ({length / 1000:.2f} km) is {detour:.2f}× the straight line "
                        f"({straight / 1000:.2f} km), more than --max-detour {max_detour}")
    for which, off_m in (("start", off_a), ("end", off_b)):
        if off_m > OFF_NETWORK_WARN_M:
            warnings.append(f"leg {i}: the {which} waypoint is {off_m:.0f} m from the nearest way")
    return _Leg(line, length, r.cost + off * 2.0, shares, report, warnings)


def check_coverage(router: Any, seg_id: str, points: list[tuple[float, float]], network: Any,
                   snap_limit_m: float = SNAP_LIMIT_M) -> None:
    """NetworkError when a waypoint lies farther than ``snap_limit_m`` from every way of the network."""
    far = []
    for n, p in enumerate(points, start=1):
        off = router.snap(p).offset_m
        if off > snap_limit_m:
            far.append((n, off))
    if far:
        def fmt(m: float) -> str:
            return f"{m:.0f} m" if m < 10_000 else f"{m / 1000:.0f} km"

        which = ", ".join(f"{n} ({fmt(off)})" for n, off in far)
        raise NetworkError(f"segment '{seg_id}': network '{network}' does not cover it: waypoint {which} "
                           f"{'is' if len(far) == 1 else 'are'} farther than {snap_limit_m:g} m from its ways "
                           "(import a network of this area; nothing was changed)")


def route_segment(G: Any, seg: Segment, *, max_detour: float = 1.5, weight: str = "cost",
                  snap_limit_m: float = SNAP_LIMIT_M, on_network: bool = False) -> SegmentRoute:
    """Route ``seg`` through its waypoints; NetworkError naming every leg without a path, or waypoints the network
    does not cover (farther than ``snap_limit_m`` from its ways)."""
    from radweg.osm.router import DETOUR_SLACK_M, MAX_DETOUR, router_for

    router = router_for(G)
    points = waypoints(seg)
    check_coverage(router, seg.id, points, G.graph.get("name"), snap_limit_m)
    legs: list[_Leg] = []
    failed = []
    last = len(points) - 1
    for i, (a, b) in enumerate(itertools.pairwise(points), start=1):
        r = router.route(a, b, weight=weight)
        if r is None:
            failed.append(f"leg {i} ({a[0]:.5f},{a[1]:.5f} → {b[0]:.5f},{b[1]:.5f})")
        else:
            legs.append(_leg(i, a, b, r, max_detour, stub_a=i == 1 and not on_network,
                             stub_b=i == last and not on_network))
    if failed:
        bound = f"{MAX_DETOUR:g}× the straight line + {DETOUR_SLACK_M / 1000:g} km"
        raise NetworkError(f"segment '{seg.id}': no path on network '{G.graph.get('name')}' for "
                           + "; ".join(failed) + " (the network has separate pieces there, or joins them only by a "
                           f"detour beyond {bound}: add a waypoint; nothing was changed)")
    report = {"network": G.graph.get("name"), "weight": weight, **_totals(legs), "legs": [x.report for x in legs],
              "warnings": [w for x in legs for w in x.warnings], "max_detour": max_detour,
              "waypoints": [[round(p[0], 6), round(p[1], 6)] for p in points]}
    return SegmentRoute(_joined(legs), report)


def _totals(legs: list[_Leg]) -> dict[str, Any]:
    """Length, cost and composition (shares of the length) of all legs together."""
    by_class: dict[str, dict[str, float]] = {"highway": defaultdict(float), "surface": defaultdict(float)}
    for leg in legs:
        for key, acc in leg.shares.items():
            for k, metres in acc.items():
                by_class[key][k] += metres
    total_len = sum(leg.length for leg in legs)
    total = total_len or 1.0
    composition = {key: {k: round(v / total, 3) for k, v in sorted(acc.items(), key=lambda kv: (-kv[1], kv[0]))}
                   for key, acc in by_class.items()}
    return {"length_m": round(total_len, 1), "cost": round(sum(leg.cost for leg in legs), 1),
            "composition": composition}


def _joined(legs: list[_Leg]) -> tuple[tuple[float, float], ...]:
    """The legs' lines as one, rounded, without repeated positions."""
    from radweg.geometry import round_position

    coords: list[tuple[float, float]] = []
    for leg in legs:
        line = leg.line
        if coords and line and coords[-1] == line[0]:
            line = line[1:]
        coords.extend(line)
    rounded = [round_position(c) for c in coords]
    return tuple((c[0], c[1]) for i, c in enumerate(rounded) if i == 0 or c != rounded[i - 1])


WAY_TYPE_OF_HIGHWAY = {
    "cycleway": "cycleway", "footway": "shared_path", "pedestrian": "shared_path", "bridleway": "shared_path",
    "path": "path", "track": "track", "residential": "quiet_road", "living_street": "quiet_road",
    "service": "quiet_road", "unclassified": "quiet_road", "road": "quiet_road",
    "tertiary": "road", "tertiary_link": "road", "secondary": "road", "secondary_link": "road",
    "primary": "road", "primary_link": "road", "trunk": "road", "trunk_link": "road",
}
SURFACE_OF_OSM = {
    "asphalt": "asphalt", "concrete": "concrete", "concrete:plates": "concrete", "concrete:lanes": "concrete",
    "paving_stones": "paving_stones", "sett": "sett", "cobblestone": "sett", "unhewn_cobblestone": "sett",
    "compacted": "compacted", "fine_gravel": "fine_gravel", "gravel": "gravel", "pebblestone": "gravel",
    "ground": "ground", "dirt": "ground", "earth": "ground", "mud": "ground", "sand": "ground", "grass": "grass",
    "grass_paver": "grass", "unpaved": "unpaved", "paved": "paved",
}
DOMINANT = 0.7


def attributes(composition: dict[str, dict[str, float]]) -> tuple[str, str]:
    """(surface, way_type) for a routed segment: the class with ≥ 70 % of the length, else "mixed"."""

    def dominant(shares: dict[str, float], mapping: dict[str, str]) -> str:
        acc: dict[str, float] = defaultdict(float)
        for key, share in shares.items():
            acc[mapping.get(key, "unknown")] += share
        best = max(sorted(acc), key=lambda k: acc[k]) if acc else "unknown"
        return best if acc.get(best, 0.0) >= DOMINANT else "mixed"

    return dominant(composition["surface"], SURFACE_OF_OSM), dominant(composition["highway"], WAY_TYPE_OF_HIGHWAY)
