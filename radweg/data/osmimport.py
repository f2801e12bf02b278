"""OpenStreetMap extracts as import sources: route relations become neighbouring routes, tagged objects POIs.

Both importers look at the dataset they import into: a relation imported
before keeps its id (matched by ``osm_id``), and POIs are de-duplicated
against the existing ones (see :func:`radweg.osm.features.plan`). pyosmium is
only loaded when a file is read.
"""

from __future__ import annotations

from typing import Any

from radweg.data.incoming import FeatureLine, ImportRequest, Incoming
from radweg.errors import DataError, Problem
from radweg.model import NETWORK_LEVELS

RELATION_OPTIONS = frozenset({"relations", "all_relations", "route"})
"""``relations``: relation ids; ``all_relations``: every relation of ``route`` (default ``bicycle``)."""

POI_OPTIONS = frozenset({"radius_m", "types", "bbox"})
"""``radius_m``: de-duplication radius (default 100); ``types``: only these POI types; ``bbox``: only inside
[W, S, E, N] (default: the project area)."""


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
    ds = request.dataset
    by_osm = {nb.osm_id: nb.id for nb in ds.neighbours.items if nb.osm_id is not None}
    used = set(ds.neighbours.ids()) - set(by_osm.values())
    bbox = ds.project.get("bbox")
    out = Incoming(found=f"{len(rels)} route relation(s) found")
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


def tagged_pois(request: ImportRequest) -> Incoming:
    """Heritage and cyclist POIs of an extract: new ones added, matches merged into existing POIs, repeats skipped."""
    from radweg.osm.features import plan, read_candidates

    ds = request.dataset
    own_bbox = request.options.get("bbox")
    bbox = own_bbox or ds.project.get("bbox")
    candidates = read_candidates(request.path, types=request.options.get("types") or None,
                                 bbox=tuple(bbox) if bbox else None)
    radius = request.options.get("radius_m")
    actions = plan(ds.pois.items, candidates, source=_source(request),
                   radius_m=100.0 if radius is None else float(radius))
    out = Incoming(found=f"{len(candidates)} POIs found"
                   + (f" inside the project area {list(bbox)}" if bbox and not own_bbox else ""), merges=True)
    for a in actions:
        parts = [a.poi.type, a.candidate.osm]
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
