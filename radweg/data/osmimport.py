"""OpenStreetMap extracts as import sources: route relations become neighbouring routes, tagged objects POIs.

Both importers look at the dataset they import into: a relation imported
before keeps its id (matched by ``osm_id``), and POIs are de-duplicated
against the existing ones (see :func:`radweg.osm.features.plan`). pyosmium is
only loaded when a file is read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.data.incoming import FeatureLine, ImportRequest, Incoming
from radweg.errors import DataError, Problem
from radweg.model import NETWORK_LEVELS

if TYPE_CHECKING:
    from radweg.osm.features import Candidate

RELATION_OPTIONS = frozenset({"relations", "all_relations", "route"})
"""``relations``: relation ids; ``all_relations``: every relation of ``route`` (default ``bicycle``)."""

SEGMENT_OPTIONS = frozenset({"relations", "tour", "tour_name"})
"""``relations``: route relation ids, their ways become segments; ``tour``: also a tour with this id through
them in member order (``tour_name``: its name, default the relation's)."""

POI_OPTIONS = frozenset({"radius_m", "types", "bbox", "tour", "corridor_m", "within"})
"""``radius_m``: de-duplication radius (default 100); ``types``: only these POI types; ``bbox``: only inside
[W, S, E, N] (default: the project area); ``tour`` and ``corridor_m``: only within so many metres of a tour
(default 1000 with a tour); ``within``: only inside the polygons of a file (GeoJSON, Shapefile, .zip; any CRS)."""


def _source(request: ImportRequest) -> str:
    """The ``source`` default, else the extract named with its licence."""
    return str(request.defaults.get("source") or f"OpenStreetMap (ODbL), {request.path.name}")


def _network_level(request: ImportRequest) -> str | None:
    """The ``network`` default, checked: it also selects relations with ``all_relations``."""
    level = request.defaults.get("network")
    if level is not None and level not in NETWORK_LEVELS:
        raise DataError(Problem(str(request.path), f"'{level}' is not one of {', '.join(NETWORK_LEVELS)}",
                                field="network"))
    return level


def route_relations(request: ImportRequest) -> Incoming:
    """Route relations (by id, or all of one ``route=*``) as neighbour MultiLineStrings, with their continuity."""
    from radweg.osm.relations import read_relations, to_feature
    from radweg.osm.relcheck import verdict

    ids = tuple(request.options.get("relations") or ())
    every = bool(request.options.get("all_relations"))
    route = str(request.options.get("route") or "bicycle")
    if bool(ids) == every:
        raise DataError(f"{request.path}: give relation ids (relations=[…]) or all_relations=True")
    level = _network_level(request)
    rels = read_relations(request.path, relation_ids=ids or None, route=None if ids else route,
                          network=None if ids else level)
    if not rels:
        return Incoming(found=f"no route relations with route={route}" + (f" and network={level}" if level else ""))
    skipped: list[FeatureLine] = []
    found = len(rels)
    ds = request.dataset
    as_segments = _imported_as_segments(ds)
    if every and as_segments:
        for rel in [r for r in rels if r.id in as_segments]:
            ids_text = ", ".join(as_segments[rel.id][:3]) + (" …" if len(as_segments[rel.id]) > 3 else "")
            skipped.append(FeatureLine("skip", None, rel.tags.get("name", ""),
                                       f"relation {rel.id}: already imported as segments ({ids_text})"))
        rels = [r for r in rels if r.id not in as_segments]
    by_osm = {nb.osm_id: nb.id for nb in ds.neighbours.items if nb.osm_id is not None}
    used = set(ds.neighbours.ids()) - set(by_osm.values())
    bbox = ds.project.get("bbox")
    out = Incoming(found=f"{found} route relation(s) found"
                   + (f", {len(skipped)} already imported as segments" if skipped else ""), skipped=skipped)
    for rel in rels:
        made = to_feature(rel, _source(request), used, tuple(bbox) if bbox else None)
        if made is None:
            why = "outside the project area" if any(m.refs for m in rel.members) else "no member ways in this file"
            out.skipped.append(FeatureLine("skip", None, rel.tags.get("name", ""), f"relation {rel.id}: {why}"))
            continue
        feat, cont = made
        props: dict[str, Any] = feat["properties"]
        if rel.id in by_osm:
            used.discard(props["id"])
            props["id"] = by_osm[rel.id]
        if props.get("network") is None and level:
            props["network"] = level
        out.features.append(feat)
        out.details[props["id"]] = (f"relation {rel.id}: {cont.summary()}; by direction: {verdict(rel)}"
                                    + ("; clipped to the project area" if props.get("clipped_to_project_area")
                                       else ""))
    return out


def _imported_as_segments(ds: Any) -> dict[int, list[str]]:
    """Relation id -> ids of the segments imported from it (their ``osm_id``)."""
    out: dict[int, list[str]] = {}
    for seg in ds.segments.items:
        rel = seg.extra.get("osm_id")
        if isinstance(rel, int) and not isinstance(rel, bool):
            out.setdefault(rel, []).append(seg.id)
    return out


def route_segments(request: ImportRequest) -> Incoming:
    """Route relations as the route's own segments (real geometry, cut at junctions), optionally with a tour."""
    from radweg.osm.routeimport import build

    ids = tuple(request.options.get("relations") or ())
    if not ids:
        raise DataError(Problem(str(request.path), "an OpenStreetMap file gives segments from route relations: "
                                "give --relation ID (relations=[…])", field="relation"))
    tour_id = request.options.get("tour")
    made = build(request.path, ids, request.dataset, tour_id=tour_id, source=request.defaults.get("source"),
                 tour_name=request.options.get("tour_name"))
    out = Incoming(items=list(made.segments), details=dict(made.details), found=made.found)
    if made.tour is not None:
        out.tours.append(made.tour)
    return out


def tagged_pois(request: ImportRequest) -> Incoming:
    """Heritage and cyclist POIs of an extract: new ones added, matches merged into existing POIs, repeats skipped."""
    from radweg.osm.features import read_candidates

    bbox, where = _bbox(request)
    candidates = read_candidates(request.path, types=request.options.get("types") or None, bbox=bbox)
    return _planned(request, candidates, _source(request), where)


def geofabrik_pois(request: ImportRequest) -> Incoming:
    """POIs of Geofabrik's free shapefiles (or GeoJSON exports of them), typed by ``fclass``, de-duplicated."""
    from radweg.osm.geofabrik import read_layers, source_text

    bbox, where = _bbox(request)
    layers = read_layers(request.path, bbox=bbox)
    types = set(request.options.get("types") or ())
    candidates = [c for lay in layers for c in lay.candidates if not types or c.type in types]
    source = str(request.defaults.get("source") or source_text(request.path, layers))
    return _planned(request, candidates, source, where, details=lambda c: f"fclass {c.tags.get('fclass')}")


def _bbox(request: ImportRequest) -> tuple[tuple[float, float, float, float] | None, str]:
    own = request.options.get("bbox")
    bbox = own or request.dataset.project.get("bbox")
    return (tuple(bbox) if bbox else None), (f" inside the project area {list(bbox)}" if bbox and not own else "")


def _near(request: ImportRequest, candidates: list[Candidate]) -> tuple[list[Candidate], str]:
    """The candidates within the corridor of ``tour`` and inside ``within``, and what that kept."""
    from radweg.model import Poi

    tour_id = request.options.get("tour")
    corridor = request.options.get("corridor_m")
    within = request.options.get("within")
    if corridor is not None and tour_id is None:
        raise DataError("a corridor needs a tour (tour=ID)")
    said = []
    if tour_id is not None:
        from radweg.data.edit import find
        from radweg.tours.corridor import along_line
        from radweg.tours.line import tour_line

        ds = request.dataset
        width = 1000.0 if corridor is None else float(corridor)
        line = tour_line(find(ds.tours, "tours", str(tour_id)), ds.segment_map())
        probes = [Poi(str(i), c.name or "", c.type, c.coords) for i, c in enumerate(candidates)]
        keep = {int(n.poi.id) for n in along_line(probes, line, width)}
        candidates = [c for i, c in enumerate(candidates) if i in keep]
        said.append(f"within {width:g} m of tour {tour_id}")
    if within is not None:
        from shapely import points

        from radweg.boundaries import read_polygon

        area = read_polygon(Path(within))
        inside = area.contains(points([c.coords for c in candidates])) if candidates else []
        candidates = [c for c, ok in zip(candidates, inside, strict=True) if ok]
        said.append(f"inside {Path(within).name}")
    return candidates, " and ".join(said)


def _planned(request: ImportRequest, candidates: list[Candidate], source: str, where: str, *,
             details: Callable[[Candidate], str] | None = None) -> Incoming:
    """De-duplicate the candidates against the dataset's POIs: add, merge or skip each."""
    from radweg.osm.features import plan

    ds = request.dataset
    found = len(candidates)
    candidates, near = _near(request, candidates)
    radius = request.options.get("radius_m")
    actions = plan(ds.pois.items, candidates, source=source, radius_m=100.0 if radius is None else float(radius))
    out = Incoming(found=f"{found} POIs found{where}" + (f", {len(candidates)} {near}" if near else ""),
                   merges=True)
    for a in actions:
        parts = [a.poi.type, a.candidate.osm] + ([details(a.candidate)] if details else [])
        if a.distance_m is not None:
            parts.append(f"{round(a.distance_m)} m from the existing POI")
        if a.filled:
            parts.append("fills " + ", ".join(a.filled))
        if a.action == "skip":
            out.skipped.append(FeatureLine("skip", a.poi.id, a.poi.name, ", ".join([*parts, "already there"])))
        else:
            out.items.append(a.poi)
            out.details[a.poi.id] = ", ".join(parts)
    return out
