"""Gap detection: where the Kupferspuren network breaks and where it fails to meet its neighbours.

``find_gaps(ds)`` takes a dataset and returns a sorted list of frozen :class:`Gap` objects.
It is pure (no files, no network) and works in a planar metric frame (UTM), never in
degrees. Reported lengths are geodesic. The kinds, each configurable in :class:`GapConfig`:

``continuity``
    *tour*: inside a tour, two consecutive legs whose ends are further apart than the
    tolerance. *dead-end*: a segment end that meets no other line (segment or neighbouring
    route) within the tolerance and is not a designated terminus; the gap runs to the
    nearest point of another line within the radius that the network does not already
    reach without a detour (see ``link``); with none, the gap is that end alone.
``status``
    A stretch of consecutive legs of a tour that are not rideable today (``planned``,
    ``construction``, ``closed``); segments with such a status that no tour uses are
    reported one by one (``detail`` = ``outside-tours``).
``connection``
    For each neighbouring route: its closest approach to the Kupferspuren segments when
    that is more than the tolerance and at most the radius. ``joined_via`` tells whether
    the route is already reachable through other neighbouring routes.
``component``
    The combined network (segments and neighbouring routes) falls into parts that do not
    meet. For the parts that hold Kupferspuren segments, the pairs closer than the radius:
    by default the links of a minimum spanning forest (each part's nearest other part, and
    the fewest, shortest straight links that would join all parts within the radius);
    ``component_pairs="all"`` lists every pair.
``link``
    A missing link in the style of Vybornova et al. (IPDC) and MissingLinks.jl: two ends
    of the Kupferspuren network (segment ends that meet no other segment) closer than the
    radius, whose way round the combined network is at least ``detour_min`` times the
    straight line, or impossible. Each end keeps its nearest such partner.

Gap ids depend only on the kind and the references of the two ends (segment or route id
and which end), never on a row number or on coordinates: a gap keeps its id while it stays
between the same two features, however they are edited or reordered. A dead end's id is
its end's alone and a connection gap's id its route's alone (there is one per route), so
those keep their id when the other end moves to another segment.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from radweg.geometry import distance_m, join_lines, line_length_m, round_position
from radweg.model import RIDEABLE_STATUSES, Dataset, Line, Position

if TYPE_CHECKING:
    import networkx

    from radweg.gapnet import Topology

KINDS = ("continuity", "status", "connection", "component", "link")
PREFIX = {"continuity": "ct", "status": "st", "connection": "cn", "component": "cp", "link": "lk"}
KIND_LABELS_DE = {"continuity": "Unterbrechung", "status": "nicht befahrbar", "connection": "Anschluss fehlt",
                  "component": "getrennter Netzteil", "link": "fehlende Verbindung"}


@dataclass(frozen=True)
class GapConfig:
    """The definitions' parameters (radweg.json ``"gaps": {...}`` sets project defaults)."""

    tolerance_m: float = 25.0
    """Ends (or an end and a line) closer than this meet."""
    radius_m: float = 10_000.0
    """Search radius for connection, component, link and dead-end partners."""
    detour_min: float = 3.0
    """A link or dead-end partner counts only if the network's way round is at least this many times longer."""
    kinds: tuple[str, ...] = KINDS
    termini_at_tour_ends: bool = True
    """A tour's first and last position are designated termini (no dead-end gap there)."""
    terminus_poi_types: tuple[str, ...] = ("bahnhof",)
    """An end within ``terminus_poi_radius_m`` of a POI of these types is a designated terminus."""
    terminus_poi_radius_m: float = 150.0
    component_pairs: str = "mst"
    """``mst`` (minimum spanning forest of the parts) or ``all`` (every pair within the radius)."""

    @classmethod
    def from_project(cls, project: dict[str, Any], **overrides: Any) -> GapConfig:
        """Defaults from radweg.json's ``gaps`` object, then overrides that are not None."""
        from radweg.errors import DataError

        raw = project.get("gaps") or {}
        if not isinstance(raw, dict):
            raise DataError("radweg.json: field 'gaps': must be an object")
        known = {f for f in cls.__dataclass_fields__}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known:
                raise DataError(f"radweg.json: field 'gaps.{key}': unknown setting; known: {', '.join(sorted(known))}")
            values[key] = tuple(value) if isinstance(value, list) else value
        values.update({k: v for k, v in overrides.items() if v is not None})
        cfg = cls(**values)
        cfg.check()
        return cfg

    def check(self) -> None:
        """Raise DataError for nonsensical values."""
        from radweg.errors import DataError

        for name in ("tolerance_m", "radius_m", "terminus_poi_radius_m"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise DataError(f"gap setting '{name}' must be a number >= 0, not {value!r}")
        if not self.radius_m > self.tolerance_m:
            raise DataError(f"gap setting 'radius_m' ({self.radius_m}) must exceed 'tolerance_m' ({self.tolerance_m})")
        if not isinstance(self.detour_min, (int, float)) or self.detour_min < 1:
            raise DataError(f"gap setting 'detour_min' must be >= 1, not {self.detour_min!r}")
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            raise DataError(f"unknown gap kind(s) {', '.join(unknown)}; expected {', '.join(KINDS)}")
        if self.component_pairs not in ("mst", "all"):
            raise DataError(f"gap setting 'component_pairs' must be 'mst' or 'all', not {self.component_pairs!r}")


@dataclass(frozen=True)
class GapEnd:
    """One end of a gap: a reference, a display name and a lon/lat position."""

    ref: str
    """``segment:ID:start``, ``segment:ID:end``, ``segment:ID`` (a point along it) or ``neighbour:ID``."""
    name: str
    coords: tuple[float, float]


@dataclass(frozen=True)
class Gap:
    """A gap found in the data."""

    id: str
    kind: str
    detail: str
    a: GapEnd
    b: GapEnd | None
    length_m: float
    """Geodesic length: the straight step between the ends, or the stretch's length (status)."""
    line: Line
    tours: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    neighbours: tuple[str, ...] = ()
    status: str | None = None
    network_m: float | None = None
    """The combined network's way round between the ends (link, dead-end), None if there is none."""
    joined_via: bool = False
    """connection: the route is already reachable through other neighbouring routes."""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def refs(self) -> tuple[str, ...]:
        return (self.a.ref,) + ((self.b.ref,) if self.b else ())


def gap_id(kind: str, keys: list[str] | tuple[str, ...]) -> str:
    """A short stable id from the kind and the (sorted) references: ``ct-1a2b3c4d``."""
    text = kind + "|" + "|".join(sorted(keys))
    return f"{PREFIX[kind]}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def _ll(pos: Any) -> tuple[float, float]:
    p = round_position((float(pos[0]), float(pos[1])))
    return (p[0], p[1])


# ---------------------------------------------------------------- the public entry point


def find_gaps(ds: Dataset, config: GapConfig | None = None, graph: networkx.MultiDiGraph | None = None,
              *, naive: bool = False) -> list[Gap]:
    """Every gap in a dataset, sorted by kind then id.

    ``graph`` is accepted for callers that hold a street network; detection itself does not
    need it (connectors are routed by :mod:`radweg.connectors`). ``naive`` swaps the spatial
    index for all-pairs tests (the benchmark's baseline; same results).
    """
    from radweg.gapnet import build_lines, build_topology

    cfg = config or GapConfig.from_project(ds.project)
    cfg.check()
    out: dict[str, Gap] = {}

    def add(gap: Gap) -> None:
        old = out.get(gap.id)
        if old is not None:  # the same gap reached from another tour
            gap = Gap(**{**_fields(old), "tours": tuple(sorted(set(old.tours) | set(gap.tours)))})
        out[gap.id] = gap

    if "continuity" in cfg.kinds:
        for gap in tour_breaks(ds, cfg):
            add(gap)
    if "status" in cfg.kinds:
        for gap in status_stretches(ds):
            add(gap)
    needs_topology = {"continuity", "connection", "component", "link"} & set(cfg.kinds)
    if needs_topology and ds.segments.items:
        topo = build_topology(build_lines(ds), cfg.tolerance_m, naive=naive)
        seen_pairs = {frozenset(g.refs) for g in out.values() if g.kind == "continuity"}
        if "continuity" in cfg.kinds:
            breaks = [g for g in out.values() if g.kind == "continuity"]
            for gap in dead_ends(ds, topo, cfg, breaks):
                add(gap)
                seen_pairs.add(frozenset(gap.refs))
        if "connection" in cfg.kinds:
            for gap in connections(ds, topo, cfg):
                add(gap)
        if "component" in cfg.kinds:
            for gap in components(topo, cfg):
                add(gap)
        if "link" in cfg.kinds:
            # the way round may use the gaps already found, so a link never restates one of them
            bridged = with_bridges(topo, [g for g in out.values() if g.kind in ("continuity", "component")])
            for gap in links(ds, bridged, cfg):
                if frozenset(gap.refs) not in seen_pairs:
                    add(gap)
    kept = _without_duplicates(list(out.values()), cfg.tolerance_m)
    return sorted(kept, key=lambda g: (KINDS.index(g.kind), g.id))


PRECEDENCE = (("continuity", "tour"), ("continuity", "dead-end"), ("component", "parts"), ("link", "detour"),
              ("link", "unreachable"), ("connection", "not-joined"), ("connection", "joined-via-network"))
"""When several kinds find the same step (both ends within the tolerance), the first of these is kept."""


def _without_duplicates(gaps: list[Gap], tolerance_m: float) -> list[Gap]:
    """One report per physical gap: of gaps with the same two ends, keep the most specific kind."""
    order = {k: i for i, k in enumerate(PRECEDENCE)}
    ranked = sorted(gaps, key=lambda g: (order.get((g.kind, g.detail), -1), g.id))
    pairable = [i for i, g in enumerate(ranked) if g.kind != "status" and g.b is not None]
    twins: dict[int, set[int]] = {}
    for i, j in _same_place_pairs([ranked[k] for k in pairable], tolerance_m):
        a, b = pairable[i], pairable[j]
        twins.setdefault(a, set()).add(b)
        twins.setdefault(b, set()).add(a)
    kept: list[Gap] = []
    kept_idx: set[int] = set()
    for i, gap in enumerate(ranked):
        if twins.get(i, set()) & kept_idx:
            continue
        kept.append(gap)
        kept_idx.add(i)
    return kept


def _same_place_pairs(gaps: list[Gap], tol: float) -> list[tuple[int, int]]:
    """Index pairs (i < j) of two-ended gaps whose ends lie within ``tol`` of each other (either way round)."""
    import numpy as np
    from scipy.spatial import cKDTree

    from radweg.geometry import MetricFrame

    if len(gaps) < 2:
        return []
    frame = MetricFrame.for_coords([g.a.coords for g in gaps])
    a = np.array(frame.to_xy([g.a.coords for g in gaps]))
    b = np.array(frame.to_xy([g.b.coords for g in gaps]))  # type: ignore[union-attr]
    k = len(gaps)
    tree = cKDTree(np.vstack([np.hstack([a, b]), np.hstack([b, a])]))
    out = set()
    for i, j in tree.query_pairs(r=tol * 1.01 + 0.5, p=np.inf):
        gi, gj = i % k, j % k
        if gi != gj and _same_ends(gaps[gi], gaps[gj], tol):
            out.add((min(gi, gj), max(gi, gj)))
    return sorted(out)


def _same_ends(g: Gap, h: Gap, tol: float) -> bool:
    assert g.b is not None and h.b is not None
    return ((distance_m(g.a.coords, h.a.coords) <= tol and distance_m(g.b.coords, h.b.coords) <= tol)
            or (distance_m(g.a.coords, h.b.coords) <= tol and distance_m(g.b.coords, h.a.coords) <= tol))


def _fields(gap: Gap) -> dict[str, Any]:
    return {f: getattr(gap, f) for f in gap.__dataclass_fields__}


# ---------------------------------------------------------------- continuity inside tours


def tour_breaks(ds: Dataset, cfg: GapConfig) -> list[Gap]:
    """Consecutive legs of a tour whose ends are further apart than the tolerance."""
    segs = ds.segment_map()
    out = []
    for tour in sorted(ds.tours.items, key=lambda t: t.id):
        legs = [leg for leg in tour.legs if leg.segment in segs]
        for prev, nxt in zip(legs, legs[1:]):
            p, n = segs[prev.segment], segs[nxt.segment]
            p_role = "start" if prev.reverse else "end"
            n_role = "end" if nxt.reverse else "start"
            pa = p.coords[0] if prev.reverse else p.coords[-1]
            nb = n.coords[-1] if nxt.reverse else n.coords[0]
            step = distance_m(pa, nb)
            if step <= cfg.tolerance_m:
                continue
            a = GapEnd(f"segment:{p.id}:{p_role}", p.name, _ll(pa))
            b = GapEnd(f"segment:{n.id}:{n_role}", n.name, _ll(nb))
            a, b = sorted((a, b), key=lambda e: e.ref)
            out.append(Gap(gap_id("continuity", [a.ref, b.ref]), "continuity", "tour", a, b, step,
                           (a.coords, b.coords), tours=(tour.id,), segments=tuple(sorted({p.id, n.id}))))
    return _merge_same_place(out, cfg.tolerance_m)


def _merge_same_place(gaps: list[Gap], tolerance_m: float) -> list[Gap]:
    """Tour breaks between the same two places (other segments meeting there) become one gap.

    The merged gap keeps the id of its member with the smallest references, so it is
    the same whichever tours are listed first.
    """
    ordered = sorted(gaps, key=lambda g: g.refs)
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in _same_place_pairs(ordered, tolerance_m):
        ri, rj = root(i), root(j)
        parent[max(ri, rj)] = min(ri, rj)
    grouped: dict[int, list[Gap]] = {}
    for i, gap in enumerate(ordered):
        grouped.setdefault(root(i), []).append(gap)
    groups = [grouped[r] for r in sorted(grouped)]
    out = []
    for group in groups:
        first = group[0]
        tours = tuple(sorted({t for g in group for t in g.tours}))
        segs = tuple(sorted({s for g in group for s in g.segments}))
        out.append(Gap(**{**_fields(first), "tours": tours, "segments": segs}))
    return out


# ---------------------------------------------------------------- status


def status_stretches(ds: Dataset) -> list[Gap]:
    """Stretches of tours (and segments outside tours) that are not rideable today."""
    segs = ds.segment_map()
    out = []
    in_tours: set[str] = set()
    for tour in sorted(ds.tours.items, key=lambda t: t.id):
        legs = [leg for leg in tour.legs if leg.segment in segs]
        in_tours.update(leg.segment for leg in legs)
        run: list[Any] = []
        for leg in legs + [None]:  # type: ignore[list-item]
            if leg is not None and segs[leg.segment].status not in RIDEABLE_STATUSES:
                run.append(leg)
                continue
            if run:
                out.append(_stretch(run, segs, tour.id))
                run = []
    for seg in sorted(ds.segments.items, key=lambda s: s.id):
        if seg.id not in in_tours and seg.status not in RIDEABLE_STATUSES:
            a = GapEnd(f"segment:{seg.id}:start", seg.name, _ll(seg.coords[0]))
            b = GapEnd(f"segment:{seg.id}:end", seg.name, _ll(seg.coords[-1]))
            out.append(Gap(gap_id("status", [seg.id, "outside-tours"]), "status", "outside-tours", a, b,
                           line_length_m(seg.coords), tuple(tuple(p) for p in seg.coords),
                           segments=(seg.id,), status=seg.status))
    return out


def _stretch(run: list[Any], segs: dict[str, Any], tour_id: str) -> Gap:
    lines = [tuple(reversed(segs[leg.segment].coords)) if leg.reverse else segs[leg.segment].coords for leg in run]
    first, last = run[0], run[-1]
    fseg, lseg = segs[first.segment], segs[last.segment]
    a = GapEnd(f"segment:{fseg.id}:{'end' if first.reverse else 'start'}", fseg.name, _ll(lines[0][0]))
    b = GapEnd(f"segment:{lseg.id}:{'start' if last.reverse else 'end'}", lseg.name, _ll(lines[-1][-1]))
    ids = tuple(sorted({leg.segment for leg in run}))
    statuses = sorted({segs[leg.segment].status for leg in run}, key=_status_order)
    length = sum(line_length_m(line) for line in lines)
    return Gap(gap_id("status", list(ids)), "status", "tour", a, b, length, join_lines(lines),
               tours=(tour_id,), segments=ids, status="+".join(statuses))


def _status_order(status: str) -> int:
    return {"closed": 0, "construction": 1, "planned": 2}.get(status, 3)


# ---------------------------------------------------------------- helpers on the topology


def _ref(topo: Topology, line: int, *, end: int | None = None) -> str:
    owner = topo.lines.owners[line]
    if end is not None and owner.startswith("segment:"):
        return f"{owner}:{'start' if end % 2 == 0 else 'end'}"
    return owner


def _end_lonlat(topo: Topology, end: int) -> tuple[float, float]:
    pt = topo.end_points[end]
    return _ll(topo.lines.frame.to_lonlat([(pt.x, pt.y)])[0])


def _xy_lonlat(topo: Topology, xy: tuple[float, float]) -> tuple[float, float]:
    return _ll(topo.lines.frame.to_lonlat([xy])[0])


def _segment_ends(topo: Topology) -> list[int]:
    return [e for i in range(len(topo.lines)) if topo.lines.is_ks[i] for e in (2 * i, 2 * i + 1)]


def _touching(topo: Topology, ks_only: bool) -> set[int]:
    """Ends that meet some other line (a segment only, when ``ks_only``); loop ends meet themselves."""
    import shapely

    out = set()
    for end, line in zip(topo.touch_end.tolist(), topo.touch_line.tolist()):
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
            out.append(tuple(poi.coords[:2]))  # type: ignore[arg-type]
    return out


def _designated_ends(ds: Dataset, topo: Topology, ends: list[int], cfg: GapConfig) -> set[int]:
    """The ends that are designated termini: flagged on the segment, or near a terminus (tour end, station)."""
    import numpy as np
    from scipy.spatial import cKDTree

    segs = ds.segment_map()
    out = set()
    for end in ends:
        flag = segs[topo.lines.owners[end // 2].split(":", 1)[1]].extra.get("terminus")
        if flag is True or flag == "both" or flag == ("start" if end % 2 == 0 else "end"):
            out.add(end)
    termini = _termini(ds, cfg)
    if termini and ends:
        tree = cKDTree(np.array(topo.lines.frame.to_xy(termini)))
        pts = np.array([(topo.end_points[e].x, topo.end_points[e].y) for e in ends])
        # planar UTM distances differ from geodesic ones by < 0.1 % in a zone: fine for a 150 m radius
        near = tree.query_ball_point(pts, max(cfg.terminus_poi_radius_m, cfg.tolerance_m))
        out.update(e for e, hits in zip(ends, near) if hits)
    return out


WAY_ROUND_REACH = 1.0
"""The partner search runs this many times further than it must (detour_min × straight). The way round
(``network_m``) is reported when the search found it; otherwise it is only known to be longer."""


PARTNER_FIRST_RADIUS_M = 1000.0
"""Partners are looked for within this distance first, then within the whole radius for the ends
that found none (the nearest qualifying partner is the same either way; it only saves work)."""


def _partners(topo: Topology, ends: list[int], cfg: GapConfig, *, targets: list[int] | None = None
              ) -> dict[int, tuple[int, tuple[float, float], float, float]]:
    """For each end, the nearest point within the radius the network does not reach without a detour.

    Candidates are the other lines (or, with ``targets``, those line ends). A candidate at
    straight distance d qualifies when the way round is at least ``detour_min`` × d (or
    there is none). Returns, per end that has one: (line or end index, metric point,
    straight distance, network distance or inf when longer than the search).
    """
    found: dict[int, tuple[int, tuple[float, float], float, float]] = {}
    todo = list(ends)
    radii = sorted({min(PARTNER_FIRST_RADIUS_M, cfg.radius_m), cfg.radius_m})
    for radius in radii:
        if not todo:
            break
        found.update(_partners_within(topo, todo, cfg, radius, targets))
        todo = [e for e in todo if e not in found]
    return found


def _partners_within(topo: Topology, ends: list[int], cfg: GapConfig, radius: float, targets: list[int] | None
                     ) -> dict[int, tuple[int, tuple[float, float], float, float]]:
    import numpy as np
    import shapely

    from radweg.gapnet import Index, network_distances

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
    pi, cand, dist = pi[order], cand[order], dist[order]
    starts = np.searchsorted(pi, np.arange(len(ends)))
    stops = np.searchsorted(pi, np.arange(len(ends)), side="right")
    cursor = starts.copy()
    # batches of ends close to each other, so that each local search covers a small area
    # a candidate in another part of the network qualifies at once: there is no way round
    comp = topo.node_component
    src_comp = np.array([comp[topo.end_node(e)] for e in ends], dtype=np.intp)
    found: dict[int, tuple[int, tuple[float, float], float, float]] = {}
    pending: list[int] = []
    for i in range(len(ends)):
        while cursor[i] < stops[i]:
            k = cursor[i]
            target = int(cand[k])
            if _comp_of(topo, target, targets) != src_comp[i]:
                _, pt = _network_to(topo, None, target, probes[i], targets is not None)
                found[ends[i]] = (target, pt, float(dist[k]), float("inf"))
            break
        if ends[i] not in found and cursor[i] < stops[i]:
            pending.append(i)
    # the rest need a search: batches of ends close together with similar reach, so each local
    # search covers a small area
    xy = shapely.get_coordinates(probes)
    cell = np.floor(xy / 5000.0).astype(np.int64) if len(xy) else np.empty((0, 2), dtype=np.int64)

    # how far each end's next search goes: as far as its next candidate needs, and at least twice as
    # far as its last search (so an end passes many reachable candidates in a few rounds)
    reach = np.zeros(len(ends))

    def wanted(i: int) -> float:
        last = cfg.detour_min * float(dist[stops[i] - 1])
        return min(max(cfg.detour_min * float(dist[cursor[i]]), 2.0 * reach[i]), last) * WAY_ROUND_REACH + 1.0

    def batch_key(i: int) -> tuple[int, int, int, int]:
        return (int(np.log2(wanted(i))), int(cell[i, 0]), int(cell[i, 1]), i)

    pending.sort(key=batch_key)
    while pending:
        nxt: list[int] = []
        for chunk in range(0, len(pending), 32):
            batch = pending[chunk:chunk + 32]
            limit = max(wanted(i) for i in batch)
            rows = network_distances(topo, [topo.end_node(ends[i]) for i in batch], limit)
            for row, i in zip(rows, batch):
                reach[i] = limit
                decided = False
                while cursor[i] < stops[i]:
                    k = cursor[i]
                    target = int(cand[k])
                    if _comp_of(topo, target, targets) != src_comp[i]:
                        _, pt = _network_to(topo, None, target, probes[i], targets is not None)
                        found[ends[i]] = (target, pt, float(dist[k]), float("inf"))
                        decided = True
                        break
                    need = cfg.detour_min * float(dist[k])
                    if need > limit:
                        break  # this candidate needs a longer search
                    net, pt = _network_to(topo, row, target, probes[i], targets is not None)
                    if net >= need:
                        found[ends[i]] = (target, pt, float(dist[k]), net)
                        decided = True
                        break
                    cursor[i] += 1
                if not decided and cursor[i] < stops[i]:
                    nxt.append(i)
        pending = sorted(nxt, key=batch_key)
    return found


def _comp_of(topo: Topology, target: int, targets: list[int] | None) -> int:
    if targets is not None:
        return int(topo.node_component[topo.end_node(target)])
    return int(topo.node_component[int(topo.line_nodes[target][0])])


def _network_to(topo: Topology, row: Any, target: int, probe: Any, is_end: bool
                ) -> tuple[float, tuple[float, float]]:
    """Network distance (from a Dijkstra row) to a candidate and the candidate's nearest point."""
    import shapely

    from radweg.gapnet import distance_to_position

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


def dead_ends(ds: Dataset, topo: Topology, cfg: GapConfig, breaks: list[Gap] = ()) -> list[Gap]:  # type: ignore[assignment]
    """Segment ends that meet nothing and are not designated termini.

    Ends of tour breaks are reported there already; the partner search may cross those breaks,
    so a dead end never points back along its own tour.
    """
    touching = _touching(topo, ks_only=False)
    known = {ref for g in breaks for ref in g.refs}
    loose = [e for e in _segment_ends(topo) if e not in touching and _ref(topo, e // 2, end=e) not in known]
    designated = _designated_ends(ds, topo, loose, cfg)
    loose = [e for e in loose if e not in designated]
    partners = _partners(with_bridges(topo, list(breaks)) if breaks else topo, loose, cfg)
    out = []
    for end in loose:
        line = end // 2
        a = GapEnd(_ref(topo, line, end=end), topo.lines.names[line], _end_lonlat(topo, end))
        found = partners.get(end)
        seg_id = topo.lines.owners[line].split(":", 1)[1]
        if found is None:
            out.append(Gap(gap_id("continuity", [a.ref, "dead-end"]), "continuity", "dead-end", a, None, 0.0,
                           (a.coords,), segments=(seg_id,)))
            continue
        other, xy, _, net = found
        b = GapEnd(_point_ref(topo, other, list(xy)), topo.lines.names[other], _xy_lonlat(topo, xy))
        pair = _pair_gap("continuity", "dead-end", a, b, topo, [line, other], net)
        # a dead end is a property of that end: its id does not depend on the partner, and it is end a
        out.append(Gap(**{**_fields(pair), "id": gap_id("continuity", [a.ref, "dead-end"]), "a": a, "b": b,
                          "line": (a.coords, b.coords)}))
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
    from radweg.gapnet import Index

    ks_comps = set(topo.component[ks].tolist())
    parts_of: dict[str, list[int]] = {}
    for i, (owner, is_ks) in enumerate(zip(lines.owners, lines.is_ks)):
        if not is_ks:
            parts_of.setdefault(owner, []).append(i)
    owners = sorted(parts_of)
    geoms = np.array([shapely.multilinestrings(list(lines.geoms[parts_of[o]])) for o in owners], dtype=object)
    pi, gi, dists = Index(lines.geoms[ks], naive=topo.index.naive).nearest(geoms, cfg.radius_m)
    out = []
    for p, g, dist in zip(pi.tolist(), gi.tolist(), dists.tolist()):
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
        out.append(Gap(**{**_fields(pair), "id": gap_id("connection", [owner])}))
    return out


# ---------------------------------------------------------------- components


def components(topo: Topology, cfg: GapConfig) -> list[Gap]:
    """Pairs of parts of the combined network (holding segments) closer than the radius."""
    import numpy as np
    import shapely
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree

    from radweg.gapnet import Index

    lines = topo.lines
    comps = sorted({int(c) for c, is_ks in zip(topo.component.tolist(), lines.is_ks) if is_ks})
    if len(comps) < 2:
        return []
    members = {c: np.nonzero(topo.component == c)[0] for c in comps}
    geoms = np.array([shapely.multilinestrings(list(lines.geoms[members[c]])) for c in comps], dtype=object)
    index = Index(geoms, naive=topo.index.naive)
    pi, gi = index.within(geoms, cfg.radius_m)
    keep = pi < gi
    pi, gi = pi[keep], gi[keep]
    if not len(pi):
        return []
    dist = shapely.distance(geoms[pi], geoms[gi])
    if cfg.component_pairs == "mst":
        k = len(comps)
        mst = minimum_spanning_tree(coo_matrix((np.maximum(dist, 1e-6), (pi, gi)), shape=(k, k)).tocsr()).tocoo()
        chosen = sorted(zip(np.minimum(mst.row, mst.col).tolist(), np.maximum(mst.row, mst.col).tolist()))
    else:
        chosen = sorted(zip(pi.tolist(), gi.tolist()))
    out = []
    for ca, cb in chosen:
        pa, pb = shapely.get_coordinates(shapely.shortest_line(geoms[ca], geoms[cb])).tolist()
        la = _owner_line(topo, members[comps[ca]], pa)
        lb = _owner_line(topo, members[comps[cb]], pb)
        a = GapEnd(_point_ref(topo, la, pa), lines.names[la], _xy_lonlat(topo, tuple(pa)))
        b = GapEnd(_point_ref(topo, lb, pb), lines.names[lb], _xy_lonlat(topo, tuple(pb)))
        out.append(_pair_gap("component", "parts", a, b, topo, [la, lb]))
    return out


def _owner_line(topo: Topology, candidates: Any, xy: list[float]) -> int:
    """The line (of ``candidates``) that holds a point found on their union; ties by index."""
    import numpy as np
    import shapely

    pt = shapely.points(xy)
    _, hit = topo.index.within(np.array([pt], dtype=object), 1e-3)
    hit = np.intersect1d(hit, candidates)
    if not len(hit):
        hit = np.asarray(candidates)
    d = shapely.distance(topo.lines.geoms[hit], pt)
    best = min(zip(d.tolist(), hit.tolist()))
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

    from radweg.gapnet import _undirected

    base = topo.graph.tocoo()
    rows, cols, weights = list(base.row), list(base.col), list(base.data)
    size = topo.graph.shape[0]
    two = [g for g in gaps if g.b is not None]
    if two:
        lonlat = [c for g in two for c in (g.a.coords, g.b.coords)]  # type: ignore[union-attr]
        pts = shapely.points(np.array(topo.lines.frame.to_xy(lonlat)))
        pi, li = topo.index.within(pts, 1.0)
        first = {}
        for p, line in zip(pi.tolist(), li.tolist()):
            first.setdefault(p, line)
        pos = {p: float(shapely.line_locate_point(topo.lines.geoms[line], pts[p])) for p, line in first.items()}
        for k, gap in enumerate(two):
            ends = (2 * k, 2 * k + 1)
            if not all(e in first for e in ends):
                continue
            for e in ends:
                for other in topo.line_nodes[first[e]].tolist():
                    rows.append(size + e)
                    cols.append(other)
                    weights.append(abs(float(topo.node_pos[other]) - pos[e]) + 1e-6)
            rows.append(size + ends[0])
            cols.append(size + ends[1])
            weights.append(max(gap.length_m, 1e-6))
        size += 2 * len(two)
        node_xy = np.vstack([topo.node_xy, shapely.get_coordinates(pts)])
    else:
        node_xy = topo.node_xy
    graph = _undirected(np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp), np.array(weights), size)
    from radweg.gapnet import node_components

    return dataclasses.replace(topo, graph=graph, node_xy=node_xy, node_component=node_components(graph),
                               node_by_x=np.argsort(node_xy[:, 0], kind="stable"))


def links(ds: Dataset, topo: Topology, cfg: GapConfig) -> list[Gap]:
    """Pairs of network ends within the radius that the network joins only by a long detour (or not)."""
    ends_ks = _segment_ends(topo)
    touching = _touching(topo, ks_only=True)
    network_ends = [e for e in ends_ks if e not in touching]
    out: dict[str, Gap] = {}
    partners = _partners(topo, network_ends, cfg, targets=network_ends)
    for end in network_ends:
        found = partners.get(end)
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
