"""Route relations of an extract as the route's own segments, and optionally as a tour.

A tourism office whose route is already mapped starts from its relation::

    radweg segments import extract.osm.pbf --relation 1158583 --tour rheintal

Each relation is assembled in member order (:func:`radweg.osm.relations.assemble`:
roles respected, split sections and roundabouts handled). Every line is cut
into segments at

* a node where the set of routes changes: where another relation of the same
  import (or an existing segment of the data folder) joins, leaves or crosses
  it, so a stretch shared by two routes becomes one segment used by both;
* a change of status: ``planned`` for ways tagged ``state=proposed`` (or
  ``highway=proposed``, or the relation itself ``state=proposed``),
  ``construction`` for ``highway=construction``, else ``existing``.

A segment keeps the real geometry of its ways, in the direction the route is
ridden. Its ``surface`` and ``way_type`` are the class with more than half of
its length (:data:`MAJORITY`) mapped from the OSM tags, else ``mixed``; it
records ``osm_id`` (the relation), ``osm_ways`` and ``source``. With a tour id,
the tour rides the segments in member order, each leg in its travelled
direction, with a stage per relation from its first to its last point, named
after the nearest place (``place=city|town|village|hamlet``) of the extract.

Positions are compared rounded to the stored precision (6 decimals), so a
segment saved before is recognised by its vertices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from radweg.errors import DataError, Problem
from radweg.model import Dataset, Leg, Place, Segment, Stage, Tour, slugify

Key = tuple[float, float]

MAJORITY = 0.5
"""Share of a segment's length a surface or way type needs to be its value; below it, ``mixed``."""

PLACE_RADIUS_M = 5000.0
"""A stage end is named after the nearest place within this distance, else after the route."""

PLACES = ("city", "town", "village", "hamlet", "suburb")


@dataclass(frozen=True)
class WayInfo:
    """What the import needs of a member way: its tags."""

    id: int
    tags: dict[str, str]


@dataclass
class Piece:
    """A run of a relation's line between two cuts: its positions and the ways it follows."""

    coords: list[Key]
    ways: list[int]
    """The way of each step (len(coords) - 1)."""
    status: str


@dataclass
class RelationTour:
    """What an import made of one relation: its legs in travelled order and its ends."""

    relation: int
    name: str
    legs: list[Leg] = field(default_factory=list)
    start: Key | None = None
    end: Key | None = None


@dataclass
class RouteImport:
    """Segments (new ones), the tour (if asked for) and a line about each relation."""

    segments: list[Segment]
    reused: list[str]
    """Ids of existing segments the relations run along unchanged."""
    tour: Tour | None
    details: dict[str, str]
    found: str


def key(pos: Sequence[float]) -> Key:
    """A position rounded as stored, for comparing positions."""
    from radweg.geometry import round_position

    r = round_position(pos)
    return (r[0], r[1])


def status_of(tags: dict[str, str], relation_tags: dict[str, str]) -> str:
    """A way's status on the route: planned, construction or existing."""
    if relation_tags.get("state") == "proposed" or tags.get("state") == "proposed" or \
            tags.get("highway") in ("proposed", "planned"):
        return "planned"
    if tags.get("highway") == "construction" or tags.get("construction") in ("yes",):
        return "construction"
    return "existing"


def way_type_of(tags: dict[str, str]) -> str:
    """The radweg way type of an OSM way."""
    from radweg.osm.draft import WAY_TYPE_OF_HIGHWAY

    highway = tags.get("highway", "")
    if highway == "construction":
        highway = tags.get("construction", "")
    bicycle, foot = tags.get("bicycle"), tags.get("foot")
    if highway == "path":
        if bicycle == "designated":
            return "shared_path" if foot == "designated" and tags.get("segregated") != "yes" else "cycleway"
        return "path"
    if highway in ("footway", "pedestrian") and bicycle in ("yes", "designated", "permissive"):
        return "shared_path"
    if tags.get("bicycle_road") == "yes" or tags.get("cyclestreet") == "yes":
        return "quiet_road"
    return WAY_TYPE_OF_HIGHWAY.get(highway, "unknown")


def surface_of(tags: dict[str, str]) -> str:
    """The radweg surface of an OSM way (``unknown`` when untagged or unusual)."""
    from radweg.osm.draft import SURFACE_OF_OSM

    return SURFACE_OF_OSM.get(tags.get("surface", ""), "unknown")


def majority(metres: dict[str, float]) -> str:
    """The class with more than :data:`MAJORITY` of the length, else ``mixed`` (``unknown`` when empty)."""
    total = sum(metres.values())
    if total <= 0:
        return "unknown"
    best = max(sorted(metres), key=lambda k: metres[k])
    # a tie at exactly one half is no majority, whatever the last bits of the lengths say
    return best if metres[best] > MAJORITY * total * (1 + 1e-9) else "mixed"


def read_way_tags(path: Path, ids: Iterable[int]) -> dict[int, WayInfo]:
    """The tags of the given ways."""
    import osmium

    from radweg.osm.filter import osm_error

    wanted = set(ids)
    out: dict[int, WayInfo] = {}
    if not wanted:
        return out
    try:
        fp = (osmium.FileProcessor(str(path), osmium.osm.WAY)
              .with_filter(osmium.filter.IdFilter(wanted)))
        for way in fp:
            if isinstance(way, osmium.osm.Way):
                out[way.id] = WayInfo(way.id, {t.k: t.v for t in way.tags})
    except RuntimeError as exc:
        raise osm_error(path, exc) from exc
    return out


def read_places(path: Path, bbox: Sequence[float] | None) -> list[tuple[str, Key]]:
    """Named places (city … hamlet, suburb) of the extract, inside ``bbox`` (W, S, E, N) when given."""
    import osmium

    from radweg.osm.filter import osm_error

    out: list[tuple[str, Key]] = []
    try:
        fp = (osmium.FileProcessor(str(path), osmium.osm.NODE)
              .with_filter(osmium.filter.KeyFilter("place")))
        for node in fp:
            if not isinstance(node, osmium.osm.Node) or not node.location.valid():
                continue
            if node.tags.get("place") not in PLACES or not node.tags.get("name"):
                continue
            lon, lat = node.location.lon, node.location.lat
            if bbox is not None and not (bbox[0] <= lon <= bbox[2] and bbox[1] <= lat <= bbox[3]):
                continue
            out.append((node.tags["name"], (lon, lat)))
    except RuntimeError as exc:
        raise osm_error(path, exc) from exc
    return sorted(out)


def nearest_place(places: list[tuple[str, Key]], pos: Key) -> str | None:
    """The name of the place nearest to ``pos`` within :data:`PLACE_RADIUS_M`."""
    from radweg.geometry import distance_m

    best: tuple[float, str] | None = None
    for name, at in places:
        d = distance_m(at, pos)
        if d <= PLACE_RADIUS_M and (best is None or d < best[0]):
            best = (d, name)
    return best[1] if best else None


def _lines_with_ways(rel: Any) -> list[tuple[list[Key], list[int]]]:
    """The relation's assembled lines as rounded positions, each step with the way it follows."""
    from radweg.osm.relations import assemble

    step_way: dict[frozenset[Key], int] = {}
    for m in rel.members:
        mk = [key(c) for c in m.coords]
        for a, b in zip(mk, mk[1:], strict=False):
            if a != b:
                step_way.setdefault(frozenset((a, b)), m.ref)
    out = []
    for line in assemble(rel):
        ks: list[Key] = []
        for c in line:
            k = key(c)
            if not ks or ks[-1] != k:
                ks.append(k)
        if len(ks) < 2:
            continue
        ways = [step_way.get(frozenset((a, b)), 0) for a, b in zip(ks, ks[1:], strict=False)]
        out.append((ks, ways))
    return out


def build(path: Path, relation_ids: Sequence[int], dataset: Dataset, *, tour_id: str | None = None,
          source: str | None = None, tour_name: str | None = None) -> RouteImport:
    """Segments (and a tour) from route relations; DataError when a relation is missing or has no ways here."""
    from radweg.geometry import line_length_m
    from radweg.osm.relations import read_relations

    if not relation_ids:
        raise DataError(Problem(str(path), "give at least one relation id (--relation ID)", field="relation"))
    ids = list(dict.fromkeys(int(i) for i in relation_ids))
    rels = {r.id: r for r in read_relations(path, relation_ids=ids)}
    empty = [i for i in ids if not any(m.refs for m in rels[i].members)]
    if empty:
        raise DataError(Problem(str(path), f"relation {empty[0]} has no member ways in this file",
                                feature=str(empty[0])))
    tags = read_way_tags(path, {m.ref for r in rels.values() for m in r.members if m.refs})
    src = source or f"OpenStreetMap (ODbL), {path.name}"

    lines = {i: _lines_with_ways(rels[i]) for i in ids}
    owners_edge: dict[frozenset[Key], set[str]] = defaultdict(set)
    owners_node: dict[Key, set[str]] = defaultdict(set)
    for i in ids:
        for ks, _ in lines[i]:
            for a, b in zip(ks, ks[1:], strict=False):
                owners_edge[frozenset((a, b))].add(f"r{i}")
            for k in ks:
                owners_node[k].add(f"r{i}")
    existing: dict[tuple[Key, ...], tuple[str, bool]] = {}
    for seg in dataset.segments.items:
        ks = [key(c) for c in seg.coords]
        existing[tuple(ks)] = (seg.id, False)
        existing[tuple(reversed(ks))] = (seg.id, True)
        for a, b in zip(ks, ks[1:], strict=False):
            owners_edge[frozenset((a, b))].add(f"s{seg.id}")
        for k in ks:
            owners_node[k].add(f"s{seg.id}")

    places = read_places(path, dataset.project.get("bbox"))
    used_ids = set(dataset.segments.ids())
    made: dict[tuple[Key, ...], tuple[str, bool]] = {}
    new: list[Segment] = []
    reused: list[str] = []
    tours: list[RelationTour] = []
    details: dict[str, str] = {}
    for i in ids:
        rel = rels[i]
        name = rel.tags.get("name") or rel.tags.get("ref") or f"OSM route {i}"
        base = slugify(name, fallback=f"osm-{i}")
        rt = RelationTour(i, name)
        pieces = [p for ks, ways in lines[i] for p in _cut(ks, ways, owners_edge, owners_node, tags, rel.tags)]
        count = 0
        km = 0.0
        for p in pieces:
            pk = tuple(p.coords)
            hit = made.get(pk) or existing.get(pk)
            if hit is None:
                count += 1
                sid = _free_id(f"{base}-{count:02d}", used_ids)
                used_ids.add(sid)
                seg = _segment(sid, _piece_name(name, p, places), p, tags, i, src, line_length_m)
                new.append(seg)
                km += line_length_m(p.coords)
                made[pk] = (sid, False)
                made[tuple(reversed(pk))] = (sid, True)
                hit = (sid, False)
            elif hit[0] not in {s.id for s in new} and hit[0] not in reused:
                reused.append(hit[0])
            rt.legs.append(Leg(hit[0], hit[1]))
        if pieces:
            rt.start, rt.end = pieces[0].coords[0], pieces[-1].coords[-1]
        tours.append(rt)
        details[str(i)] = (f"relation {i} '{name}': {len(pieces)} pieces, {count} new segments ({km / 1000:.1f} km)"
                           f" in {len(lines[i])} line(s)")
    for seg in new:
        details[seg.id] = f"relation {seg.extra['osm_id']}, {len(seg.extra['osm_ways'])} ways, {seg.status}"
    tour = None
    if tour_id is not None:
        tour = _tour(tour_id, tours, rels, places, tour_name)
    total_km = sum(line_length_m(s.coords) for s in new) / 1000
    found = (f"{len(ids)} relation(s): {len(new)} new segments, {total_km:.1f} km"
             + (f", {len(reused)} existing segment(s) reused" if reused else ""))
    return RouteImport(new, reused, tour, details, found)


def _piece_name(route: str, p: Piece, places: list[tuple[str, Key]]) -> str:
    """'Route: Vaduz – Schaan', after the places nearest to the piece's ends (one name when they are the same)."""
    a, b = nearest_place(places, p.coords[0]), nearest_place(places, p.coords[-1])
    ends = [x for x in dict.fromkeys((a, b)) if x]
    return f"{route}: {' – '.join(ends)}" if ends else route


def _free_id(wanted: str, used: set[str]) -> str:
    sid, n = wanted, 2
    while sid in used:
        sid, n = f"{wanted}-{n}", n + 1
    return sid


def _cut(ks: list[Key], ways: list[int], owners_edge: dict[frozenset[Key], set[str]],
         owners_node: dict[Key, set[str]], tags: dict[int, WayInfo], rel_tags: dict[str, str]) -> list[Piece]:
    """Cut one line where the set of routes on it changes, where another route touches it, or where status changes."""
    empty = WayInfo(0, {})

    def status(j: int) -> str:
        return status_of(tags.get(ways[j], empty).tags, rel_tags)

    pieces: list[Piece] = []
    start = 0
    seen = {ks[0]}
    for j in range(1, len(ks) - 1):
        before = owners_edge[frozenset((ks[j - 1], ks[j]))]
        after = owners_edge[frozenset((ks[j], ks[j + 1]))]
        touching = owners_node[ks[j]] - before - after
        # also cut where the line comes back to a position of the piece (a loop): a segment never crosses itself
        if before != after or touching or status(j - 1) != status(j) or ks[j] in seen:
            pieces.append(Piece(ks[start:j + 1], ways[start:j], status(start)))
            start = j
            seen = set()
        seen.add(ks[j])
    pieces.append(Piece(ks[start:], ways[start:], status(start)))
    return pieces


def _segment(sid: str, name: str, p: Piece, tags: dict[int, WayInfo], rel_id: int, source: str,
             length: Any) -> Segment:
    surface: dict[str, float] = defaultdict(float)
    way_type: dict[str, float] = defaultdict(float)
    for j, wid in enumerate(p.ways):
        t = tags.get(wid, WayInfo(0, {})).tags
        m = length([p.coords[j], p.coords[j + 1]])
        surface[surface_of(t)] += m
        way_type[way_type_of(t)] += m
    osm_ways = list(dict.fromkeys(w for w in p.ways if w))
    return Segment(sid, name, tuple(p.coords), status=p.status, surface=majority(surface),
                   way_type=majority(way_type), source=f"{source}, relation {rel_id}",
                   extra={"osm_id": rel_id, "osm_ways": osm_ways})


def _tour(tour_id: str, tours: list[RelationTour], rels: dict[int, Any], places: list[tuple[str, Key]],
          tour_name: str | None) -> Tour:
    legs = [leg for rt in tours for leg in rt.legs]
    first = rels[tours[0].relation].tags
    name = tour_name or " / ".join(rt.name for rt in tours)
    stages = []
    used: set[str] = set()
    for rt in tours:
        if rt.start is None or rt.end is None:
            continue
        tags = rels[rt.relation].tags
        a = nearest_place(places, rt.start) or tags.get("from") or f"{rt.name} (Anfang)"
        b = nearest_place(places, rt.end) or tags.get("to") or f"{rt.name} (Ende)"
        sid = _free_id(slugify(f"{a}-{b}", fallback=f"etappe-{rt.relation}"), used)
        used.add(sid)
        stages.append(Stage(sid, f"{a} – {b}", Place(a, rt.start), Place(b, rt.end)))
    extra: dict[str, Any] = {"osm_relations": [rt.relation for rt in tours]}
    name_en = first.get("name:en") if len(tours) == 1 else None
    return Tour(tour_id, name, tuple(legs), tuple(stages), name_en=name_en,
                description=first.get("description") if len(tours) == 1 else None, extra=extra)
