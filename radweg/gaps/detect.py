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

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from radweg.gaps.model import GAP_KINDS, Gap, GapConfig, GapEnd, gap_id, lonlat
from radweg.geometry import distance_m, join_lines, line_length_m
from radweg.model import RIDEABLE_STATUSES, Dataset

if TYPE_CHECKING:
    from radweg.gaps.search import PartnerFinder

# ---------------------------------------------------------------- the public entry point


def find_gaps(ds: Dataset, config: GapConfig | None = None, *, naive: bool = False,
              partners: PartnerFinder | None = None) -> list[Gap]:
    """Every gap in a dataset, sorted by kind then id.

    Detection needs no street network (connectors are routed by :mod:`radweg.gaps.connectors`).
    ``naive`` swaps the spatial index for all-pairs tests (the benchmark's baseline; same results).
    ``partners`` runs the partner searches of dead ends and links elsewhere (tiles on worker
    processes or a Dask cluster: :mod:`radweg.gaps.partition`); the report is the same.
    """
    cfg = config or GapConfig.from_project(ds.project)
    cfg.check()
    found: dict[str, Gap] = {}
    if "continuity" in cfg.kinds:
        _add(found, tour_breaks(ds, cfg))
    if "status" in cfg.kinds:
        _add(found, status_stretches(ds))
    if NETWORK_KINDS & set(cfg.kinds) and ds.segments.items:
        _network_gaps(ds, cfg, found, naive=naive, partners=partners)
    kept = _without_duplicates(list(found.values()), cfg.tolerance_m)
    return sorted(kept, key=lambda g: (GAP_KINDS.index(g.kind), g.id))


NETWORK_KINDS = frozenset({"continuity", "connection", "component", "link"})
"""The kinds that need the network's topology (continuity: its dead ends)."""


def _add(found: dict[str, Gap], gaps: list[Gap]) -> None:
    """Add gaps by id; the same gap reached from another tour lists both tours."""
    for gap in gaps:
        old = found.get(gap.id)
        if old is not None:
            gap = replace(old, tours=tuple(sorted(set(old.tours) | set(gap.tours))))
        found[gap.id] = gap


def _network_gaps(ds: Dataset, cfg: GapConfig, found: dict[str, Gap], *, naive: bool,
                  partners: PartnerFinder | None) -> None:
    """Add the dead ends, connections, components and links (those of ``cfg.kinds``) to ``found``."""
    from radweg.gaps import search
    from radweg.gaps.search import components, connections, dead_ends, find_partners, links
    from radweg.gaps.topology import build_lines, build_topology

    topo = build_topology(build_lines(ds), cfg.tolerance_m, naive=naive, grid_m=search.TUNING.grid_m)
    seen_pairs = {frozenset(g.refs) for g in found.values() if g.kind == "continuity"}
    if "continuity" in cfg.kinds:
        breaks = [g for g in found.values() if g.kind == "continuity"]
        for gap in dead_ends(ds, topo, cfg, breaks, partners or find_partners):
            _add(found, [gap])
            seen_pairs.add(frozenset(gap.refs))
    if "connection" in cfg.kinds:
        _add(found, connections(ds, topo, cfg))
    if "component" in cfg.kinds:
        _add(found, components(topo, cfg))
    if "link" in cfg.kinds:
        # the way round may use the gaps already found, so a link never restates one of them
        bridges = [g for g in found.values() if g.kind in ("continuity", "component")]
        _add(found, [g for g in links(ds, topo, cfg, bridges, partners or find_partners)
                     if frozenset(g.refs) not in seen_pairs])


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
    import shapely

    from radweg.geometry import MetricFrame

    if len(gaps) < 2:
        return []
    a_coords = [g.a.coords for g in gaps]
    b_coords = [g.b.coords for g in gaps if g.b is not None]
    if len(b_coords) != len(gaps):
        raise ValueError("only gaps with two ends can share a place")
    frame = MetricFrame.for_coords(a_coords)
    k = len(gaps)
    pts = shapely.points(np.array(frame.to_xy(a_coords + b_coords)))
    # candidates: a's end near another gap's a or b end (planar; the exact test below is geodesic)
    hit, other = shapely.STRtree(pts).query(pts[:k], predicate="dwithin", distance=tol * 1.01 + 0.5)
    out = set()
    for gi, gj in zip(hit.tolist(), (other % k).tolist(), strict=True):
        if gi != gj and _same_ends(gaps[gi], gaps[gj], tol):
            out.add((min(gi, gj), max(gi, gj)))
    return sorted(out)


def _same_ends(g: Gap, h: Gap, tol: float) -> bool:
    assert g.b is not None and h.b is not None
    return ((distance_m(g.a.coords, h.a.coords) <= tol and distance_m(g.b.coords, h.b.coords) <= tol)
            or (distance_m(g.a.coords, h.b.coords) <= tol and distance_m(g.b.coords, h.a.coords) <= tol))


# ---------------------------------------------------------------- continuity inside tours


def tour_breaks(ds: Dataset, cfg: GapConfig) -> list[Gap]:
    """Consecutive legs of a tour whose ends are further apart than the tolerance."""
    segs = ds.segment_map()
    out = []
    for tour in sorted(ds.tours.items, key=lambda t: t.id):
        legs = [leg for leg in tour.legs if leg.segment in segs]
        for prev, nxt in zip(legs, legs[1:], strict=False):
            p, n = segs[prev.segment], segs[nxt.segment]
            p_role = "start" if prev.reverse else "end"
            n_role = "end" if nxt.reverse else "start"
            pa = p.coords[0] if prev.reverse else p.coords[-1]
            nb = n.coords[-1] if nxt.reverse else n.coords[0]
            step = distance_m(pa, nb)
            if step <= cfg.tolerance_m:
                continue
            a = GapEnd(f"segment:{p.id}:{p_role}", p.name, lonlat(pa))
            b = GapEnd(f"segment:{n.id}:{n_role}", n.name, lonlat(nb))
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
        out.append(replace(first, tours=tours, segments=segs))
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
        for leg in legs + [None]:
            if leg is not None and segs[leg.segment].status not in RIDEABLE_STATUSES:
                run.append(leg)
                continue
            if run:
                out.append(_stretch(run, segs, tour.id))
                run = []
    for seg in sorted(ds.segments.items, key=lambda s: s.id):
        if seg.id not in in_tours and seg.status not in RIDEABLE_STATUSES:
            a = GapEnd(f"segment:{seg.id}:start", seg.name, lonlat(seg.coords[0]))
            b = GapEnd(f"segment:{seg.id}:end", seg.name, lonlat(seg.coords[-1]))
            out.append(Gap(gap_id("status", [seg.id, "outside-tours"]), "status", "outside-tours", a, b,
                           line_length_m(seg.coords), tuple(tuple(p) for p in seg.coords),
                           segments=(seg.id,), status=seg.status))
    return out


def _stretch(run: list[Any], segs: dict[str, Any], tour_id: str) -> Gap:
    lines = [tuple(reversed(segs[leg.segment].coords)) if leg.reverse else segs[leg.segment].coords for leg in run]
    first, last = run[0], run[-1]
    fseg, lseg = segs[first.segment], segs[last.segment]
    a = GapEnd(f"segment:{fseg.id}:{'end' if first.reverse else 'start'}", fseg.name, lonlat(lines[0][0]))
    b = GapEnd(f"segment:{lseg.id}:{'start' if last.reverse else 'end'}", lseg.name, lonlat(lines[-1][-1]))
    ids = tuple(sorted({leg.segment for leg in run}))
    statuses = sorted({segs[leg.segment].status for leg in run}, key=_status_order)
    length = sum(line_length_m(line) for line in lines)
    return Gap(gap_id("status", list(ids)), "status", "tour", a, b, length, join_lines(lines),
               tours=(tour_id,), segments=ids, status="+".join(statuses))


def _status_order(status: str) -> int:
    return {"closed": 0, "construction": 1, "planned": 2}.get(status, 3)
