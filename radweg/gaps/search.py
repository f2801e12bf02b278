"""The gap kinds that need the network's topology: dead ends, connections, components, links.

See :mod:`radweg.gaps.detect` for the definitions; :mod:`radweg.gaps.topology` builds the topology.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from radweg.gaps.model import Gap, GapConfig, GapEnd, gap_id, lonlat
from radweg.geometry import distance_m
from radweg.model import Dataset

if TYPE_CHECKING:
    import numpy as np

    from radweg.gaps.topology import DistRow, Topology

Partner = tuple[int, tuple[float, float], float, float]
"""A partner found for an end: (line or end index, metric point, straight distance, network distance or inf)."""


# ---------------------------------------------------------------- helpers on the topology


def _ref(topo: Topology, line: int, *, end: int | None = None) -> str:
    owner = topo.lines.owners[line]
    if end is not None and owner.startswith("segment:"):
        return f"{owner}:{'start' if end % 2 == 0 else 'end'}"
    return owner


def _end_lonlat(topo: Topology, end: int) -> tuple[float, float]:
    pt = topo.end_points[end]
    return lonlat(topo.lines.frame.to_lonlat([(pt.x, pt.y)])[0])


def _xy_lonlat(topo: Topology, xy: tuple[float, float]) -> tuple[float, float]:
    return lonlat(topo.lines.frame.to_lonlat([xy])[0])


def _segment_ends(topo: Topology) -> list[int]:
    return [e for i in range(len(topo.lines)) if topo.lines.is_ks[i] for e in (2 * i, 2 * i + 1)]


def _touching(topo: Topology, ks_only: bool) -> set[int]:
    """Ends that meet some other line (a segment only, when ``ks_only``); loop ends meet themselves."""
    import shapely

    out = set()
    for end, line in zip(topo.touch_end.tolist(), topo.touch_line.tolist(), strict=False):
        if not ks_only or topo.lines.is_ks[line]:
            out.add(end)
    n = len(topo.lines)
    if n:
        d = shapely.distance(topo.end_points[0::2], topo.end_points[1::2])
        for i in range(n):
            if d[i] <= 1e-9 and topo.lines.lengths[i] > 0:
                out.update((2 * i, 2 * i + 1))
    return out


def _termini(ds: Dataset, cfg: GapConfig) -> list[tuple[float, float]]:
    """Positions of designated termini: tour ends, and POIs of the terminus types."""
    segs = ds.segment_map()
    out: list[tuple[float, float]] = []
    if cfg.termini_at_tour_ends:
        for tour in ds.tours.items:
            legs = [leg for leg in tour.legs if leg.segment in segs]
            if legs:
                first, last = segs[legs[0].segment], segs[legs[-1].segment]
                out.append(tuple(first.coords[-1 if legs[0].reverse else 0][:2]))  # type: ignore[arg-type]
                out.append(tuple(last.coords[0 if legs[-1].reverse else -1][:2]))  # type: ignore[arg-type]
    for poi in ds.pois.items:
        if poi.type in cfg.terminus_poi_types:
            out.append(tuple(poi.coords[:2]))
    return out


def _designated_ends(ds: Dataset, topo: Topology, ends: list[int], cfg: GapConfig) -> set[int]:
    """The ends that are designated termini: flagged on the segment, or near a terminus (tour end, station)."""
    import numpy as np
    import shapely

    segs = ds.segment_map()
    out = set()
    for end in ends:
        flag = segs[topo.lines.owners[end // 2].split(":", 1)[1]].extra.get("terminus")
        if flag is True or flag == "both" or flag == ("start" if end % 2 == 0 else "end"):
            out.add(end)
    termini = _termini(ds, cfg)
    if termini and ends:
        tree = shapely.STRtree(shapely.points(np.array(topo.lines.frame.to_xy(termini))))
        # planar UTM distances differ from geodesic ones by < 0.1 % in a zone: fine for a 150 m radius
        hit, _ = tree.query(topo.end_points[ends], predicate="dwithin",
                            distance=max(cfg.terminus_poi_radius_m, cfg.tolerance_m))
        out.update(ends[p] for p in set(hit.tolist()))
    return out


WAY_ROUND_REACH = 1.0
"""A found partner's way round (``network_m``) is reported when it is at most this many times
``detour_min`` × the straight distance; beyond that it is only known to be longer (None). Part of the
definition, like ``detour_min``: the search for an end's partner goes at least that far, and a figure
beyond it is never reported, so it never depends on which other ends were searched with it. At 1.0
(a qualifying partner's way round is at least ``detour_min`` × straight) the figure is reported only
in the limiting case; raising it reports more ways round at a cost of about its square in search area."""


@dataclass(frozen=True)
class SearchTuning:
    """Speed settings of the partner search. None of them changes a result (a property test varies them)."""

    batch: int = 32
    """Ends searched together in one local Dijkstra run (they share the cut-out subgraph)."""
    cell_m: float = 5000.0
    """Ends are batched by grid cells at least this size (and at least their search limit), so each
    batch covers a small area."""
    first_radius_m: float = 1000.0
    """Partners are looked for within this distance first, then within the whole radius, for the ends
    that found none yet (the nearest qualifying partner is the same either way; it only saves work)."""
    grid_m: float = 2000.0
    """Cell size of the node grid that cuts out each search's subgraph."""
    shuffle_seed: int | None = None
    """Shuffle the order in which ends are grouped and batches are run (tests only)."""


TUNING = SearchTuning()
"""The tuning in use; change it with :func:`tuned`."""


@contextmanager
def tuned(tuning: SearchTuning) -> Iterator[None]:
    """Run the partner search with other speed settings inside a ``with`` block."""
    global TUNING
    old, TUNING = TUNING, tuning
    try:
        yield
    finally:
        TUNING = old


PartnerFinder = Callable[["Topology", list[Gap], list[int], GapConfig, "list[int] | None"], dict[int, Partner]]
"""Finds partners: (topology, gaps to bridge, ends, config, target ends or None) -> partner per end."""


def find_partners(topo: Topology, bridges: list[Gap], ends: list[int], cfg: GapConfig,
                  targets: list[int] | None = None) -> dict[int, Partner]:
    """The partner of each end (see :func:`_partners`) on the topology bridged across ``bridges``, in this process."""
    return _partners(with_bridges(topo, bridges) if bridges else topo, ends, cfg, targets=targets)


def _partners(topo: Topology, ends: list[int], cfg: GapConfig, *, targets: list[int] | None = None
              ) -> dict[int, Partner]:
    """For each end, the nearest point within the radius the network does not reach without a detour.

    Candidates are the other lines (or, with ``targets``, those line ends). A candidate at
    straight distance d qualifies when the way round is at least ``detour_min`` × d (or
    there is none). Returns, per end that has one: (line or end index, metric point,
    straight distance, network distance, or inf when longer than ``WAY_ROUND_REACH`` ×
    ``detour_min`` × d). Each end's answer depends on that end alone.
    """
    found: dict[int, Partner] = {}
    todo = list(ends)
    radii = sorted({min(TUNING.first_radius_m, cfg.radius_m), cfg.radius_m})
    for radius in radii:
        if not todo:
            break
        found.update(_partners_within(topo, todo, cfg, radius, targets))
        todo = [e for e in todo if e not in found]
    return found


def _partners_within(topo: Topology, ends: list[int], cfg: GapConfig, radius: float, targets: list[int] | None
                     ) -> dict[int, Partner]:
    """For each end, the nearest qualifying partner within ``radius`` (see :func:`_partners`)."""
    pi, cand, dist = _candidates(topo, ends, cfg, radius, targets)
    return _PartnerSearch(topo, ends, cfg, targets, pi, cand, dist, TUNING).run()


def _candidates(topo: Topology, ends: list[int], cfg: GapConfig, radius: float, targets: list[int] | None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each end's candidates beyond the tolerance and within ``radius``, nearest first.

    Returns (position of the end in ``ends``, candidate line or end index, straight distance),
    sorted by end, then distance, then candidate.
    """
    import numpy as np
    import shapely

    from radweg.gaps.topology import Index

    probes = topo.end_points[ends]
    if targets is None:
        pi, cand = topo.index.within(probes, radius)
        own = np.asarray(ends, dtype=np.intp)[pi] // 2
        keep = cand != own
        pi, cand = pi[keep], cand[keep]
        dist = shapely.distance(topo.lines.geoms[cand], probes[pi])
    else:
        tgt = np.asarray(targets, dtype=np.intp)
        pi, ti = Index(topo.end_points[tgt], naive=topo.index.naive).within(probes, radius)
        cand = tgt[ti]
        keep = (cand // 2) != (np.asarray(ends, dtype=np.intp)[pi] // 2)
        pi, cand = pi[keep], cand[keep]
        dist = shapely.distance(topo.end_points[cand], probes[pi])
    keep = dist > cfg.tolerance_m
    pi, cand, dist = pi[keep], cand[keep], dist[keep]
    order = np.lexsort((cand, dist, pi))
    return pi[order], cand[order], dist[order]


class _PartnerSearch:
    """The partner search for a set of ends, walking each end's candidates nearest first.

    A candidate in another part of the network qualifies at once: there is no way round. The
    others need the way round. An end decides a candidate only once a search covered that
    candidate's full reach (``WAY_ROUND_REACH`` × ``detour_min`` × d); its next search goes as
    far as its next candidate needs, and at least twice as far as its last one. Ends are searched
    in batches of ends in the same grid cell with a similar limit, sharing one cut-out subgraph.
    Distances up to a search's limit are exact, and an answer uses none beyond its candidate's
    reach, so batches and limits only change the work, never an answer.
    """

    def __init__(self, topo: Topology, ends: list[int], cfg: GapConfig, targets: list[int] | None,
                 pi: np.ndarray, cand: np.ndarray, dist: np.ndarray, tuning: SearchTuning) -> None:
        import numpy as np
        import shapely

        self.topo, self.ends, self.cfg, self.targets, self.tuning = topo, ends, cfg, targets, tuning
        self.cand, self.dist = cand, dist
        self.probes = topo.end_points[ends]
        positions = np.arange(len(ends))
        self.cursor = np.searchsorted(pi, positions)
        """Per end: its next candidate to try."""
        self.stops = np.searchsorted(pi, positions, side="right")
        """Per end: one past its last candidate."""
        self.src_comp = np.array([topo.node_component[topo.end_node(e)] for e in ends], dtype=np.intp)
        self.first_node = np.array([int(ids[0]) for ids in topo.line_nodes], dtype=np.intp)
        self.node_count = np.array([len(ids) for ids in topo.line_nodes], dtype=np.intp)
        """Line i's nodes are first_node[i] … first_node[i] + node_count[i] - 1, in order along it."""
        ends_arr = np.asarray(cand, dtype=np.intp)
        if targets is None:
            self.cand_node = self.first_node[ends_arr] if len(ends_arr) else ends_arr
        else:
            lines_of = ends_arr // 2
            self.cand_node = self.first_node[lines_of] + np.where(ends_arr % 2 == 0, 0, self.node_count[lines_of] - 1)
        self.cand_comp = topo.node_component[self.cand_node] if len(ends_arr) else ends_arr
        """Per candidate: a node of it (its end node for end targets) and that node's part."""
        self.xy = shapely.get_coordinates(self.probes) if len(ends) else np.empty((0, 2))
        self.reach = np.zeros(len(ends))
        """Per end: how far its last search went."""
        self.found: dict[int, Partner] = {}

    def run(self) -> dict[int, Partner]:
        """Decide every end: its partner, or none (no candidate qualifies)."""
        from radweg.gaps.topology import network_distances

        pending = []
        for i in range(len(self.ends)):
            if self.cursor[i] < self.stops[i]:
                self._in_other_part(i)
            if self.ends[i] not in self.found and self.cursor[i] < self.stops[i]:
                pending.append(i)
        while pending:
            undecided: list[int] = []
            wanted = {i: self._wanted(i) for i in pending}
            for batch in self._batches(pending, wanted):
                limit = max(wanted[i] for i in batch)
                rows = network_distances(self.topo, [self.topo.end_node(self.ends[i]) for i in batch], limit)
                for row, i in zip(rows, batch, strict=True):
                    # the whole batch's limit may be used: decisions and figures depend on the distances only
                    self.reach[i] = limit
                    if self._advance(i, row, limit):
                        undecided.append(i)
            pending = undecided
        return self.found

    def _batches(self, pending: list[int], wanted: dict[int, float]) -> list[list[int]]:
        """Ends grouped by (limit class, grid cell of at least that size), in chunks of ``tuning.batch``."""
        import math
        import random

        groups: dict[tuple[int, int, int], list[int]] = {}
        for i in pending:
            klass = max(0, math.ceil(math.log2(max(wanted[i], 1.0))))
            cell = max(self.tuning.cell_m, float(2 ** klass))
            key = (klass, math.floor(self.xy[i, 0] / cell), math.floor(self.xy[i, 1] / cell))
            groups.setdefault(key, []).append(i)
        size = max(1, int(self.tuning.batch))
        out = [members[k:k + size] for key in sorted(groups) for members in (groups[key],)
               for k in range(0, len(members), size)]
        if self.tuning.shuffle_seed is not None:
            rng = random.Random(self.tuning.shuffle_seed)
            flat = [i for b in out for i in b]
            rng.shuffle(flat)
            out = [flat[k:k + size] for k in range(0, len(flat), size)]
        return out

    def _reach_of(self, k: int) -> float:
        """How far the way round to candidate k must be known: its full reach."""
        return WAY_ROUND_REACH * self.cfg.detour_min * float(self.dist[k])

    def _in_other_part(self, i: int) -> bool:
        """Take end i's current candidate when it lies in another part of the network."""
        k = int(self.cursor[i])
        target = int(self.cand[k])
        if self.cand_comp[k] == self.src_comp[i]:
            return False
        _, pt = _network_to(self.topo, None, target, self.probes[i], self.targets is not None)
        self.found[self.ends[i]] = (target, pt, float(self.dist[k]), float("inf"))
        return True

    def _advance(self, i: int, row: DistRow, limit: float) -> bool:
        """Try end i's candidates with distances known up to ``limit``; True while it needs a longer search.

        Candidates are taken nearest first: one in another part at once; one whose reach the
        search covers when its way round is at least ``detour_min`` × d; the first one beyond
        the reach stops the walk (vectorised over the candidates the search covers).
        """
        import numpy as np

        c0, c1 = int(self.cursor[i]), int(self.stops[i])
        scale = WAY_ROUND_REACH * self.cfg.detour_min
        covered = c0 + int(np.searchsorted(self.dist[c0:c1], limit / scale, side="right"))
        ks = np.arange(c0, covered)
        if len(ks):
            other = self.cand_comp[ks] != self.src_comp[i]
            net = self._nets(i, row, ks)
            good = other | (net >= self.cfg.detour_min * self.dist[ks])
            if good.any():
                j = int(np.argmax(good))
                k = int(ks[j])
                self.cursor[i] = k
                if other[j]:
                    return not self._in_other_part(i)
                _, pt = _network_to(self.topo, None, int(self.cand[k]), self.probes[i], self.targets is not None)
                value = float(net[j])
                self.found[self.ends[i]] = (int(self.cand[k]), pt, float(self.dist[k]),
                                            value if value <= self._reach_of(k) else float("inf"))
                return False
        self.cursor[i] = covered
        if covered >= c1:
            return False
        return not self._in_other_part(i)

    def _nets(self, i: int, row: DistRow, ks: np.ndarray) -> np.ndarray:
        """Network distances from end i to candidates ``ks`` (exact up to the row's limit, else larger or inf)."""
        import numpy as np
        import shapely

        if self.targets is not None:
            return row.at(self.cand_node[ks])
        lines = self.cand[ks]
        pos = shapely.line_locate_point(self.topo.lines.geoms[lines], self.probes[i])
        counts = self.node_count[lines]
        which = np.repeat(np.arange(len(ks)), counts)
        nodes = self.first_node[lines][which] + (np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts,
                                                                                           counts))
        via = row.at(nodes) + np.abs(self.topo.node_pos[nodes] - pos[which])
        best = np.full(len(ks), np.inf)
        np.minimum.at(best, which, via)
        return best

    def _wanted(self, i: int) -> float:
        """End i's own limit in its next search: its next candidate's reach, at least twice its last limit."""
        last = self._reach_of(int(self.stops[i]) - 1)
        nearest = self._reach_of(int(self.cursor[i]))
        return min(max(nearest, 2.0 * float(self.reach[i])), last) + 1.0


def _network_to(topo: Topology, row: Any, target: int, probe: Any, is_end: bool
                ) -> tuple[float, tuple[float, float]]:
    """Network distance (from a Dijkstra row) to a candidate and the candidate's nearest point."""
    import shapely

    from radweg.gaps.topology import distance_to_position

    if is_end:
        pt = topo.end_points[target]
        net = float(row[topo.end_node(target)]) if row is not None else float("inf")
        return net, (float(pt.x), float(pt.y))
    geom = topo.lines.geoms[target]
    pos = float(shapely.line_locate_point(geom, probe))
    pt = shapely.line_interpolate_point(geom, pos)
    net = distance_to_position(topo, row, target, pos) if row is not None else float("inf")
    return net, (float(pt.x), float(pt.y))


# ---------------------------------------------------------------- dead ends


def dead_ends(ds: Dataset, topo: Topology, cfg: GapConfig, breaks: list[Gap] = (),  # type: ignore[assignment]
              partners: PartnerFinder = find_partners) -> list[Gap]:
    """Segment ends that meet nothing and are not designated termini.

    Ends of tour breaks are reported there already; the partner search may cross those breaks,
    so a dead end never points back along its own tour.
    """
    touching = _touching(topo, ks_only=False)
    known = {ref for g in breaks for ref in g.refs}
    loose = [e for e in _segment_ends(topo) if e not in touching and _ref(topo, e // 2, end=e) not in known]
    designated = _designated_ends(ds, topo, loose, cfg)
    loose = [e for e in loose if e not in designated]
    found_for = partners(topo, list(breaks), loose, cfg, None)
    out = []
    for end in loose:
        line = end // 2
        a = GapEnd(_ref(topo, line, end=end), topo.lines.names[line], _end_lonlat(topo, end))
        found = found_for.get(end)
        seg_id = topo.lines.owners[line].split(":", 1)[1]
        if found is None:
            out.append(Gap(gap_id("continuity", [a.ref, "dead-end"]), "continuity", "dead-end", a, None, 0.0,
                           (a.coords,), segments=(seg_id,)))
            continue
        other, xy, _, net = found
        b = GapEnd(_point_ref(topo, other, list(xy)), topo.lines.names[other], _xy_lonlat(topo, xy))
        pair = _pair_gap("continuity", "dead-end", a, b, topo, [line, other], net)
        # a dead end is a property of that end: its id does not depend on the partner, and it is end a
        out.append(replace(pair, id=gap_id("continuity", [a.ref, "dead-end"]), a=a, b=b, line=(a.coords, b.coords)))
    return out


def _pair_gap(kind: str, detail: str, a: GapEnd, b: GapEnd, topo: Topology, lines: list[int],
              net: float | None = None, **kw: Any) -> Gap:
    owners = [topo.lines.owners[i] for i in lines]
    segs = tuple(sorted({o.split(":", 1)[1] for o in owners if o.startswith("segment:")}))
    nbs = tuple(sorted({o.split(":", 1)[1] for o in owners if o.startswith("neighbour:")}))
    a, b = sorted((a, b), key=lambda e: (e.ref, e.coords))
    network_m = None if net is None or net == float("inf") else round(float(net), 1)
    return Gap(gap_id(kind, [a.ref, b.ref]), kind, detail, a, b, distance_m(a.coords, b.coords),
               (a.coords, b.coords), segments=segs, neighbours=nbs, network_m=network_m, **kw)


# ---------------------------------------------------------------- connections to neighbouring routes


def connections(ds: Dataset, topo: Topology, cfg: GapConfig) -> list[Gap]:
    """Each neighbouring route's closest approach to the segments, when tolerance < d <= radius."""
    import numpy as np
    import shapely

    lines = topo.lines
    ks = np.nonzero(lines.is_ks)[0]
    if not len(ks):
        return []
    from radweg.gaps.topology import Index

    ks_comps = set(topo.component[ks].tolist())
    parts_of: dict[str, list[int]] = {}
    for i, (owner, is_ks) in enumerate(zip(lines.owners, lines.is_ks, strict=False)):
        if not is_ks:
            parts_of.setdefault(owner, []).append(i)
    owners = sorted(parts_of)
    geoms = np.array([shapely.multilinestrings(list(lines.geoms[parts_of[o]])) for o in owners], dtype=object)
    pi, gi, dists = Index(lines.geoms[ks], naive=topo.index.naive).nearest(geoms, cfg.radius_m)
    out = []
    for p, g, dist in zip(pi.tolist(), gi.tolist(), dists.tolist(), strict=False):
        owner, geom, parts, best = owners[p], geoms[p], parts_of[owners[p]], int(ks[g])
        if dist <= cfg.tolerance_m:
            continue
        seg_pt, nb_pt = shapely.get_coordinates(shapely.shortest_line(lines.geoms[best], geom)).tolist()
        part = min(parts, key=lambda i: (float(shapely.distance(lines.geoms[i], shapely.points(nb_pt))), i))
        a = GapEnd(owner, lines.names[part], _xy_lonlat(topo, tuple(nb_pt)))
        b = GapEnd(_ref(topo, best), lines.names[best], _xy_lonlat(topo, tuple(seg_pt)))
        joined = bool(set(topo.component[parts].tolist()) & ks_comps)
        pair = _pair_gap("connection", "joined-via-network" if joined else "not-joined", a, b, topo,
                         [part, best], joined_via=joined)
        # there is one connection gap per route by definition: its id is the route's, wherever it is closest
        out.append(replace(pair, id=gap_id("connection", [owner])))
    return out


# ---------------------------------------------------------------- components


def components(topo: Topology, cfg: GapConfig) -> list[Gap]:
    """Pairs of parts of the combined network (holding segments) closer than the radius.

    Line by line: the lines of such parts are queried against the index, the closest pair of
    lines is kept per pair of parts, and (by default) a minimum spanning forest of those pairs
    is taken (Kruskal, ties by part). For the forest the search grows in bands (500 m, doubling
    up to the radius) and in each band only the lines with a line of another joined group within
    the band's reach are queried (a grid tells), so a part's interior is never searched far;
    the result equals the forest of all pairs within the radius. Work follows the lines near
    each line, never the size of a part.
    """
    import numpy as np

    lines = topo.lines
    ks_comps = np.unique(topo.component[lines.is_ks]) if len(lines) else np.empty(0, dtype=np.intp)
    if len(ks_comps) < 2:
        return []
    rank = np.full(int(topo.component.max()) + 1, -1, dtype=np.intp)
    rank[ks_comps] = np.arange(len(ks_comps))
    line_rank = rank[topo.component]
    members = np.nonzero(line_rank >= 0)[0]
    if cfg.component_pairs == "mst":
        la, lb, ca, cb = _forest_pairs(topo, members, line_rank, len(ks_comps), cfg.radius_m)
    else:
        la, lb, ca, cb, _ = _closest_pairs(topo, members, line_rank, cfg.radius_m)
    return [_component_gap(topo, ks_comps, int(la[k]), int(lb[k]), int(ca[k]), int(cb[k])) for k in range(len(la))]


def _component_gap(topo: Topology, ks_comps: np.ndarray, la: int, lb: int, ca: int, cb: int) -> Gap:
    import shapely

    lines = topo.lines
    pa, pb = shapely.get_coordinates(shapely.shortest_line(lines.geoms[la], lines.geoms[lb])).tolist()
    line_a = _owner_line(topo, int(ks_comps[ca]), pa)
    line_b = _owner_line(topo, int(ks_comps[cb]), pb)
    a = GapEnd(_point_ref(topo, line_a, pa), lines.names[line_a], _xy_lonlat(topo, tuple(pa)))
    b = GapEnd(_point_ref(topo, line_b, pb), lines.names[line_b], _xy_lonlat(topo, tuple(pb)))
    return _pair_gap("component", "parts", a, b, topo, [line_a, line_b])


def _closest_pairs(topo: Topology, probes: np.ndarray, line_rank: np.ndarray, radius: float,
                   group: np.ndarray | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per pair of parts (ranks ca < cb, in different ``group`` if given) within ``radius`` of the
    lines ``probes``: the closest pair of lines (la, lb) and its distance; sorted by (ca, cb)."""
    import numpy as np
    import shapely

    lines = topo.lines
    pi, gi = topo.index.within(lines.geoms[probes], radius)
    la, lb = probes[pi], gi
    ca, cb = line_rank[la], line_rank[lb]
    keep = (cb >= 0) & (ca != cb)
    if group is not None:
        keep &= group[np.maximum(ca, 0)] != group[np.maximum(cb, 0)]
    la, lb, ca, cb = la[keep], lb[keep], ca[keep], cb[keep]
    swap = ca > cb
    la, lb = np.where(swap, lb, la), np.where(swap, la, lb)
    ca, cb = np.where(swap, cb, ca), np.where(swap, ca, cb)
    dist = shapely.distance(lines.geoms[la], lines.geoms[lb]) if len(la) else np.empty(0)
    order = np.lexsort((lb, la, dist, cb, ca))
    la, lb, ca, cb, dist = la[order], lb[order], ca[order], cb[order], dist[order]
    first = np.ones(len(ca), dtype=bool)
    first[1:] = (ca[1:] != ca[:-1]) | (cb[1:] != cb[:-1])
    return la[first], lb[first], ca[first], cb[first], dist[first]


FOREST_FIRST_BAND_M = 500.0
"""The first band of the spanning-forest search (a speed setting: the forest is the same for any)."""


def _forest_pairs(topo: Topology, members: np.ndarray, line_rank: np.ndarray, size: int, radius: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The closest line pairs of a minimum spanning forest of the parts within ``radius`` (Kruskal in bands)."""
    import numpy as np

    parent = np.arange(size)
    chosen: list[tuple[int, int, int, int]] = []
    reach = min(FOREST_FIRST_BAND_M, radius)
    while True:
        group = _roots(parent)
        probes = _near_other_groups(topo, members, group[line_rank[members]], reach)
        la, lb, ca, cb, dist = _closest_pairs(topo, probes, line_rank, reach, group)
        for k in np.lexsort((cb, ca, dist)).tolist():
            ra, rb = _root(parent, int(ca[k])), _root(parent, int(cb[k]))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
                chosen.append((int(ca[k]), int(cb[k]), int(la[k]), int(lb[k])))
        if reach >= radius:
            break
        reach = min(2 * reach, radius)
    chosen.sort()
    out = np.array(chosen, dtype=np.intp).reshape(-1, 4)
    return out[:, 2], out[:, 3], out[:, 0], out[:, 1]


def _root(parent: np.ndarray, i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = int(parent[i])
    return i


def _roots(parent: np.ndarray) -> np.ndarray:
    """Every element's root (vectorised pointer jumping)."""
    import numpy as np

    roots = parent.copy()
    while True:
        nxt = roots[roots]
        if np.array_equal(nxt, roots):
            return roots
        roots = nxt


def _near_other_groups(topo: Topology, lines_idx: np.ndarray, groups: np.ndarray, reach: float) -> np.ndarray:
    """The lines (of ``lines_idx``, with their ``groups``) that may have a line of another group within
    ``reach``: a grid of cells at least half the reach records the smallest and largest group in each
    cell; a line is kept unless every cell within reach of its bounding box holds its own group only."""
    import numpy as np
    import shapely
    from scipy.ndimage import maximum_filter, minimum_filter

    if not len(lines_idx):
        return lines_idx
    box = shapely.bounds(topo.lines.geoms[lines_idx])
    cell = max(reach / 2.0, 2000.0)
    origin = box[:, :2].min(axis=0)
    c0 = np.floor((box[:, :2] - origin) / cell).astype(np.int64)
    c1 = np.floor((box[:, 2:] - origin) / cell).astype(np.int64)
    shape = (int(c1[:, 0].max()) + 1, int(c1[:, 1].max()) + 1)
    nx_, ny_ = c1[:, 0] - c0[:, 0] + 1, c1[:, 1] - c0[:, 1] + 1
    counts = nx_ * ny_
    which = np.repeat(np.arange(len(lines_idx)), counts)
    k = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    cx = c0[which, 0] + k % nx_[which]
    cy = c0[which, 1] + k // nx_[which]
    flat = cx * shape[1] + cy
    g = groups[which].astype(float)
    lo = np.full(shape[0] * shape[1], np.inf)
    hi = np.full(shape[0] * shape[1], -np.inf)
    np.minimum.at(lo, flat, g)
    np.maximum.at(hi, flat, g)
    width = 2 * int(np.ceil(reach / cell)) + 1
    lo = minimum_filter(lo.reshape(shape), size=width, mode="constant", cval=np.inf).ravel()
    hi = maximum_filter(hi.reshape(shape), size=width, mode="constant", cval=-np.inf).ravel()
    other = (lo[flat] < g) | (hi[flat] > g)
    keep = np.bincount(which[other], minlength=len(lines_idx)) > 0
    return lines_idx[keep]


def _owner_line(topo: Topology, component: int, xy: list[float]) -> int:
    """The line of a component that holds a point found on the component's union; ties by index."""
    import numpy as np
    import shapely

    pt = shapely.points(xy)
    _, hit = topo.index.within(np.array([pt], dtype=object), 1e-3)
    hit = hit[topo.component[hit] == component]
    if not len(hit):
        hit = np.nonzero(topo.component == component)[0]
    d = shapely.distance(topo.lines.geoms[hit], pt)
    best = min(zip(d.tolist(), hit.tolist(), strict=False))
    return int(best[1])


END_SNAP_M = 1.0
"""A gap end this close to a line's end is referred to as that end (stored coordinates are rounded to ~0.1 m)."""


def _point_ref(topo: Topology, line: int, xy: list[float]) -> str:
    """The reference of a point on a line: the line's end when it is one, else the line."""
    import shapely

    pt = shapely.points(xy)
    for end in (2 * line, 2 * line + 1):
        if float(shapely.distance(topo.end_points[end], pt)) <= END_SNAP_M:
            return _ref(topo, line, end=end)
    return _ref(topo, line)


# ---------------------------------------------------------------- missing links


def with_bridges(topo: Topology, gaps: list[Gap]) -> Topology:
    """A copy of the topology whose graph also crosses the given gaps (as straight steps)."""
    import dataclasses

    import numpy as np
    import shapely

    from radweg.gaps.topology import NodeGrid, node_components, undirected_graph

    base = topo.graph.tocoo()
    rows, cols, weights = [base.row], [base.col], [base.data]
    size = topo.graph.shape[0]
    two = [g for g in gaps if g.b is not None]
    if two:
        lonlat = [c for g in two for c in (g.a.coords, g.b.coords)]  # type: ignore[union-attr]
        pts = shapely.points(np.array(topo.lines.frame.to_xy(lonlat)))
        pi, li = topo.index.within(pts, 1.0)
        first: dict[int, int] = {}
        for p, line in zip(pi.tolist(), li.tolist(), strict=False):
            first.setdefault(p, line)
        pos = {p: float(shapely.line_locate_point(topo.lines.geoms[line], pts[p])) for p, line in first.items()}
        r: list[int] = []
        c: list[int] = []
        w: list[float] = []
        for k, gap in enumerate(two):
            ends = (2 * k, 2 * k + 1)
            if not all(e in first for e in ends):
                continue
            for e in ends:
                for other in topo.line_nodes[first[e]].tolist():
                    r.append(size + e)
                    c.append(other)
                    w.append(abs(float(topo.node_pos[other]) - pos[e]) + 1e-6)
            r.append(size + ends[0])
            c.append(size + ends[1])
            w.append(max(gap.length_m, 1e-6))
        rows.append(np.array(r, dtype=np.intp))
        cols.append(np.array(c, dtype=np.intp))
        weights.append(np.array(w, dtype=float))
        size += 2 * len(two)
        node_xy = np.vstack([topo.node_xy, shapely.get_coordinates(pts)])
    else:
        node_xy = topo.node_xy
    graph = undirected_graph(np.concatenate(rows).astype(np.intp), np.concatenate(cols).astype(np.intp),
                             np.concatenate(weights), size)
    return dataclasses.replace(topo, graph=graph, node_xy=node_xy, node_component=node_components(graph),
                               node_grid=NodeGrid(node_xy, topo.node_grid.cell))


def links(ds: Dataset, topo: Topology, cfg: GapConfig, bridges: list[Gap] = (),  # type: ignore[assignment]
          partners: PartnerFinder = find_partners) -> list[Gap]:
    """Pairs of network ends within the radius that the network joins only by a long detour (or not).

    The way round may cross ``bridges`` (gaps found already) as straight steps."""
    ends_ks = _segment_ends(topo)
    touching = _touching(topo, ks_only=True)
    network_ends = [e for e in ends_ks if e not in touching]
    out: dict[str, Gap] = {}
    found_for = partners(topo, list(bridges), network_ends, cfg, network_ends)
    for end in network_ends:
        found = found_for.get(end)
        if found is None:
            continue
        # the way round is known when it lies within the search (detour_min × straight); else None: longer
        other, _, _, net = found
        a = GapEnd(_ref(topo, end // 2, end=end), topo.lines.names[end // 2], _end_lonlat(topo, end))
        b = GapEnd(_ref(topo, other // 2, end=other), topo.lines.names[other // 2], _end_lonlat(topo, other))
        same_part = topo.component[end // 2] == topo.component[other // 2]
        gap = _pair_gap("link", "detour" if same_part else "unreachable", a, b, topo, [end // 2, other // 2], net)
        out[gap.id] = gap
    return list(out.values())
