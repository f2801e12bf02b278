"""Route relations (``type=route``) to lines, with a continuity report like the OSM Relation Analyzer's.

Assembly follows the member order. Each way member is oriented to continue
the line built so far: a way without a role may be reversed; ``forward`` is
ridden along the way and ``backward`` against it; a closed way (roundabout)
is ridden in its direction from where the line enters it to where the next
member leaves it. A way that does not continue
the line starts a new line. In a split section (consecutive forward/backward
members), the member that leads back to where the section began is the other
direction's branch: it becomes a line of its own instead of doubling back.
Lines that touch end to start are joined afterwards.

Continuity does not depend on order: member ways that share a node form one
connected *piece*. A continuous route has one piece; for more, the report
gives the distance between the nearest ends of consecutive pieces (in member
order). Members missing from the extract (cut at its border) are counted.

Files with negative ids (saved by JOSM) are read with :mod:`radweg.osm.josm`.
For the direction-aware check of a relation see :mod:`radweg.osm.relcheck`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from radweg.errors import DataError, Problem
from radweg.osm.filter import osm_error, osm_failures

Coord = tuple[float, float]


@dataclass
class Member:
    """A way member: its id, role, node ids/positions and tags (empty when missing from the file)."""

    ref: int
    role: str
    refs: tuple[int, ...] = ()
    coords: tuple[Coord, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class RouteRelation:
    """A ``type=route`` relation as read from the file."""

    id: int
    tags: dict[str, str]
    members: list[Member]
    others: list[tuple[str, int, str]] = field(default_factory=list)
    """Members that are not ways: (type, id, role)."""


@dataclass
class Gap:
    """Between two consecutive pieces: their nearest ends and the distance between them."""

    after_piece: int
    from_coord: Coord
    to_coord: Coord
    distance_m: float


@dataclass
class Continuity:
    """How continuous a relation is."""

    pieces: int
    piece_lengths_m: list[float]
    gaps: list[Gap]
    missing_members: int
    way_members: int

    @property
    def ok(self) -> bool:
        return self.pieces == 1 and self.missing_members == 0

    def summary(self) -> str:
        """One line, e.g. '3 pieces; gaps 120 m, 1.4 km; 2 of 40 ways outside the extract'."""
        text = "continuous (1 piece)" if self.pieces == 1 else f"{self.pieces} pieces"
        if self.gaps:
            text += "; gaps " + ", ".join(_fmt_m(g.distance_m) for g in self.gaps)
        if self.missing_members:
            text += f"; {self.missing_members} of {self.way_members} ways missing from the extract"
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"pieces": self.pieces, "piece_lengths_m": [round(x, 1) for x in self.piece_lengths_m],
                "gaps_m": [round(g.distance_m, 1) for g in self.gaps],
                "gap_ends": [[[round(c, 6) for c in g.from_coord], [round(c, 6) for c in g.to_coord]]
                             for g in self.gaps],
                "missing_members": self.missing_members, "way_members": self.way_members}


def _fmt_m(m: float) -> str:
    return f"{m:.0f} m" if m < 1000 else f"{m / 1000:.1f} km"


def read_relations(path: Path, *, relation_ids: Iterable[int] | None = None, route: str | None = None,
                   network: str | None = None) -> list[RouteRelation]:
    """Route relations of a file (by id, or all with ``route=…`` and optionally ``network=…``), with geometry."""
    import osmium

    from radweg.osm import josm

    wanted = set(relation_ids) if relation_ids is not None else None
    if not path.is_file():
        raise DataError(Problem(str(path), "no such file"))
    rels: list[RouteRelation] = []
    if josm.needs_reader(path):
        data = josm.read(path)
        for jrel in data.relations.values():
            if _selected(jrel.id, jrel.tags, wanted, route, network):
                rels.append(RouteRelation(jrel.id, dict(jrel.tags), [Member(jm.ref, jm.role) for jm in jrel.members
                                                                      if jm.type == "way"],
                                          [(jm.type, jm.ref, jm.role) for jm in jrel.members if jm.type != "way"]))
        for route_rel in rels:
            for member in route_rel.members:
                jway = data.ways.get(member.ref)
                if jway is not None:
                    jrefs, jcoords = data.way_coords(jway)
                    if len(jrefs) >= 2:
                        member.refs, member.coords, member.tags = jrefs, jcoords, dict(jway.tags)
        return _checked(path, rels, wanted)
    try:
        for rel in osmium.FileProcessor(str(path), osmium.osm.RELATION):
            if not isinstance(rel, osmium.osm.Relation):
                continue
            tags = {t.k: t.v for t in rel.tags}
            if not _selected(rel.id, tags, wanted, route, network):
                continue
            kinds = {"n": "node", "w": "way", "r": "relation"}
            members = [Member(m.ref, m.role) for m in rel.members if m.type == "w"]
            others = [(kinds.get(m.type, m.type), m.ref, m.role) for m in rel.members if m.type != "w"]
            rels.append(RouteRelation(rel.id, tags, members, others))
        needed = {m.ref for r in rels for m in r.members}
        ways: dict[int, tuple[tuple[int, ...], tuple[Coord, ...], dict[str, str]]] = {}
        if needed:
            fp = (osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
                  .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
                  .with_filter(osmium.filter.IdFilter(needed)))
            for way in fp:
                if not isinstance(way, osmium.osm.Way):
                    continue
                pts = [(n.ref, (n.location.lon, n.location.lat)) for n in way.nodes if n.location.valid()]
                if len(pts) >= 2:
                    ways[way.id] = (tuple(p[0] for p in pts), tuple(p[1] for p in pts),
                                    {t.k: t.v for t in way.tags})
    except osm_failures() as exc:
        raise osm_error(path, exc) from exc
    for r in rels:
        for m in r.members:
            if m.ref in ways:
                m.refs, m.coords, m.tags = ways[m.ref]
    return _checked(path, rels, wanted)


def _selected(rid: int, tags: dict[str, str], wanted: set[int] | None, route: str | None,
              network: str | None) -> bool:
    """Whether a relation is asked for: by id, else a ``type=route`` of ``route``/``network``."""
    if wanted is not None:
        return rid in wanted
    return tags.get("type") == "route" and not (route and tags.get("route") != route) and \
        not (network and tags.get("network") != network)


def _checked(path: Path, rels: list[RouteRelation], wanted: set[int] | None) -> list[RouteRelation]:
    """The relations sorted by id, after checking that every asked-for id is there and is a route."""
    if wanted is not None:
        found = {r.id for r in rels}
        missing = sorted(wanted - found)
        if missing:
            raise DataError(Problem(str(path), f"no relation {', '.join(map(str, missing))} in this file"))
        not_routes = [r for r in rels if r.tags.get("type") != "route"]
        if not_routes:
            bad = not_routes[0]
            raise DataError(Problem(str(path), f"relation {bad.id} is not a route (type={bad.tags.get('type')})",
                                    feature=str(bad.id), field="type"))
    return sorted(rels, key=lambda r: r.id)


@dataclass
class _Line:
    refs: list[int]
    coords: list[Coord]
    fixed: bool = False  # contains role members: may not be reversed
    members: list[int] = field(default_factory=list)
    branch: bool = False  # the other direction of a split section: never joined


def assemble(rel: RouteRelation) -> list[list[Coord]]:
    """The relation's lines, in member order (see the module docstring)."""
    lines: list[_Line] = []
    present = [m for m in rel.members if m.refs]
    cur: _Line | None = None
    split_start: int | None = None
    for i, m in enumerate(present):
        role = m.role
        refs, coords = list(m.refs), list(m.coords)
        if role == "backward":
            refs, coords = refs[::-1], coords[::-1]
        if cur is None:
            if not role and i + 1 < len(present):
                nxt = present[i + 1].refs
                if refs[0] in (nxt[0], nxt[-1]) and refs[-1] not in (nxt[0], nxt[-1]):
                    refs, coords = refs[::-1], coords[::-1]
            cur = _Line(refs, coords, bool(role), [m.ref])
            lines.append(cur)
            split_start = refs[0] if role else None
            continue
        end = cur.refs[-1]
        if len(refs) > 3 and refs[0] == refs[-1] and end in refs[:-1] and i + 1 < len(present):
            # a roundabout (closed way): ride it in its direction from the entry to the exit towards the next member
            nxt = present[i + 1].refs
            ring_nodes = set(refs[:-1])
            exits = [n for n in (nxt[0], nxt[-1], *nxt[1:-1]) if n in ring_nodes and n != end]
            if exits:
                ring, ring_c = list(m.refs[:-1]), list(m.coords[:-1])
                a, b = ring.index(end), ring.index(exits[0])
                steps = [(a + k) % len(ring) for k in range(1, (b - a) % len(ring) + 1)]
                cur.refs.extend(ring[j] for j in steps)
                cur.coords.extend(ring_c[j] for j in steps)
                cur.members.append(m.ref)
                continue
        if role and split_start is not None and refs[0] == end and refs[-1] == split_start:
            # the other direction of a split section
            lines.append(_Line(refs, coords, True, [m.ref], branch=True))
            continue
        if not role and refs[-1] == end:
            refs, coords = refs[::-1], coords[::-1]
        first_way_backwards = len(cur.members) == 1 and cur.refs[0] in (refs[0], refs[-1])
        if not role and refs[0] != end and not cur.fixed and first_way_backwards:
            cur.refs.reverse()
            cur.coords.reverse()
            end = cur.refs[-1]
            if refs[-1] == end:
                refs, coords = refs[::-1], coords[::-1]
        if refs[0] == end:
            if role and split_start is None:
                split_start = end
            elif not role:
                split_start = None
            cur.refs.extend(refs[1:])
            cur.coords.extend(coords[1:])
            cur.fixed = cur.fixed or bool(role)
            cur.members.append(m.ref)
        else:
            cur = _Line(refs, coords, bool(role), [m.ref])
            lines.append(cur)
            split_start = refs[0] if role else None
    return [ln.coords for ln in _join(lines)]


def _join(lines: list[_Line]) -> list[_Line]:
    """Join lines whose end is another's start (reversing free lines where that helps)."""
    changed = True
    while changed and len(lines) > 1:
        changed = False
        for a in lines:
            for b in lines:
                if a is b or a.branch or b.branch:
                    continue
                if a.refs[-1] == b.refs[0]:
                    pass
                elif not b.fixed and a.refs[-1] == b.refs[-1]:
                    b.refs.reverse()
                    b.coords.reverse()
                elif not a.fixed and a.refs[0] == b.refs[0]:
                    a.refs.reverse()
                    a.coords.reverse()
                else:
                    continue
                a.refs.extend(b.refs[1:])
                a.coords.extend(b.coords[1:])
                a.fixed = a.fixed or b.fixed
                a.members.extend(b.members)
                lines.remove(b)
                changed = True
                break
            if changed:
                break
    return lines


def continuity(rel: RouteRelation) -> Continuity:
    """Connected pieces of the member ways and the gaps between consecutive pieces."""
    from radweg.geometry import distance_m, line_length_m

    present = [m for m in rel.members if m.refs]
    parent = list(range(len(present)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[int, int] = {}
    for i, m in enumerate(present):
        for ref in m.refs:
            if ref in owner:
                parent[find(i)] = find(owner[ref])
            else:
                owner[ref] = i
    order: list[int] = []
    groups: dict[int, list[int]] = {}
    for i in range(len(present)):
        root = find(i)
        if root not in groups:
            groups[root] = []
            order.append(root)
        groups[root].append(i)
    pieces = [groups[r] for r in order]
    lengths = [sum(line_length_m(present[i].coords) for i in p) for p in pieces]

    def ends(piece: list[int]) -> list[Coord]:
        count: dict[int, int] = {}
        pos: dict[int, Coord] = {}
        for i in piece:
            m = present[i]
            for ref, c in ((m.refs[0], m.coords[0]), (m.refs[-1], m.coords[-1])):
                count[ref] = count.get(ref, 0) + 1
                pos[ref] = c
        odd = [pos[r] for r, n in count.items() if n == 1]
        return odd or [present[piece[0]].coords[0]]

    gaps = []
    for k in range(len(pieces) - 1):
        best: Gap | None = None
        for a in ends(pieces[k]):
            for b in ends(pieces[k + 1]):
                d = distance_m(a, b)
                if best is None or d < best.distance_m:
                    best = Gap(k + 1, a, b, d)
        assert best is not None
        gaps.append(best)
    return Continuity(len(pieces), lengths, gaps, sum(1 for m in rel.members if not m.refs), len(rel.members))


def clip(lines: list[list[Coord]], bbox: tuple[float, float, float, float]) -> list[list[Coord]]:
    """The parts of the lines inside a W,S,E,N box (a neighbour route only matters near the project area)."""
    from shapely import clip_by_rect
    from shapely.geometry import LineString

    out: list[list[Coord]] = []
    for line in lines:
        part = clip_by_rect(LineString(line), *bbox)
        geoms = getattr(part, "geoms", [part])
        for g in geoms:
            if g.geom_type == "LineString" and not g.is_empty and len(g.coords) >= 2:
                out.append([(float(x), float(y)) for x, y, *_ in g.coords])
    return out


def to_feature(rel: RouteRelation, source: str, used_ids: set[str],
               bbox: tuple[float, float, float, float] | None = None) -> tuple[dict[str, Any], Continuity] | None:
    """A neighbour feature (MultiLineString) and the continuity of a relation.

    With ``bbox``, the lines are clipped to it (the continuity still describes the
    whole relation as far as the extract has it). None when nothing is left.
    """
    from radweg.geometry import round_position
    from radweg.model import NETWORK_LEVELS, slugify

    lines = assemble(rel)
    full = len(lines)
    if bbox is not None and lines:
        before = sum(len(line) for line in lines)
        lines = clip(lines, bbox)
        clipped = full != len(lines) or before != sum(len(line) for line in lines)
    else:
        clipped = False
    if not lines:
        return None
    cont = continuity(rel)
    tags = rel.tags
    name = tags.get("name") or tags.get("ref") or f"OSM route {rel.id}"
    base = slugify(name, fallback=f"osm-{rel.id}")
    fid = base if base not in used_ids else f"{base}-{rel.id}"
    used_ids.add(fid)
    network = tags.get("network") if tags.get("network") in NETWORK_LEVELS else None
    props: dict[str, Any] = {
        "id": fid, "name": name, "network": network, "ref": tags.get("ref"),
        "website": tags.get("website") or tags.get("url") or tags.get("contact:website"),
        "operator": tags.get("operator"), "osm_id": rel.id, "source": source,
        "continuity": cont.as_dict(),
    }
    if clipped:
        props["clipped_to_project_area"] = True
    if tags.get("network") and network is None:
        props["osm_network"] = tags["network"]
    for key in ("route", "name:en", "state", "colour"):
        if key in tags:
            props["osm_" + key.replace(":", "_")] = tags[key]
    geom = {"type": "MultiLineString",
            "coordinates": [[list(round_position(c)) for c in line] for line in lines]}
    return {"type": "Feature", "properties": props, "geometry": geom}, cont
