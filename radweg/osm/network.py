"""The cycling street network: build it from an OSM extract, cache it, load it.

    G = load_network(Path("."))            # the only (or radweg.json "network") cached network
    G = load("msh", Path("."))             # a cached network by name, or load(Path("streets.graphml"), ...)
    route(G, (11.30, 51.47), (11.35, 51.50))  # see radweg.osm.router
    G.to_networkx()                        # when you want networkx/osmnx

The network is a :class:`radweg.osm.streets.StreetGraph` in EPSG:4326: nodes,
edges and tags in numpy arrays. Edges have ``length`` (metres), ``cost``
(metres-equivalent cycling cost) and, in the tag table, ``highway``,
``surface``, ``maxspeed`` (int km/h or None), ``name`` and the other cyclist
tags (see :mod:`radweg.osm.graph`).

Cycling cost: ``cost = length × road × speed × surface × extra`` with

* road class: cycleway / living street / bicycle road 1.0, residential 1.1,
  service and track 1.2, unclassified 1.25, path 1.3, tertiary 1.4,
  pedestrian 1.5, secondary 1.8, primary 2.5, trunk 3.5; a cycle lane or track
  on the road removes 60 % of the excess above 1;
* speed limit on motor roads without a lane or track: ≤ 50 km/h 1.0,
  ≤ 70 1.15, ≤ 100 1.4, above 1.8;
* surface: asphalt/concrete 1.0, paving stones 1.1, compacted/fine gravel
  1.15, gravel/sett 1.4, ground/dirt/unpaved 1.6, grass/sand/mud 2.0
  (``tracktype`` grade1–5 when ``surface`` is missing);
* extra: bad smoothness 1.2–2.0, ``bicycle=dismount`` 3.0, ``use_sidepath`` 2.0.

The full tables are in :mod:`radweg.osm.cost`.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.errors import NetworkError
from radweg.osm import cache

if TYPE_CHECKING:
    import networkx as nx

    from radweg.osm.streets import StreetGraph

__all__ = ["ImportResult", "NetworkError", "bbox_area", "default_name", "import_network", "load", "load_graph_file",
           "load_network", "network_name", "polygon_area"]

GRAPHML_SUFFIXES = (".graphml", ".graphml.xml")
"""File name endings that :func:`load` reads as a GraphML file rather than a cached network's name."""


def network_name(path: Path) -> str:
    """A network name from a file name: ``liechtenstein.osm.pbf`` -> ``liechtenstein``."""
    from radweg.model import slugify

    name = path.name
    for suffix in (".pbf", ".gz", ".bz2", ".osm", ".xml", ".osm"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return slugify(name, fallback="network")


def default_name(data_root: Path) -> str:
    """The network used when none is named: radweg.json's ``network``, else the only cached one."""
    try:
        project = json.loads((data_root / "radweg.json").read_text(encoding="utf-8"))
        chosen = project.get("network") if isinstance(project, dict) else None
    except (OSError, ValueError):
        chosen = None
    if isinstance(chosen, str) and chosen:
        return chosen
    available = cache.names(data_root)
    if not available:
        raise NetworkError(f"no street network cached in {cache.root(data_root)}; "
                           "build one with 'radweg network import FILE.osm.pbf'")
    if len(available) > 1:
        raise NetworkError(f"several networks are cached ({', '.join(available)}); choose one with --network NAME "
                           "or set \"network\" in radweg.json")
    return available[0]


def load_network(data_root: Path, name: str | None = None) -> StreetGraph:
    """Load a cached network; ``name`` None means the default one. Raises NetworkError if none is cached."""
    graph: StreetGraph = cache.load(Path(data_root), name or default_name(Path(data_root)))
    return graph


def load_graph_file(path: Path) -> nx.MultiDiGraph:
    """A street network from a GraphML file (as osmnx writes them); NetworkError if unsafe or unreadable.

    The XML is checked first: entity declarations and external references are refused
    before networkx reads the file.
    """
    import osmnx
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, parse

    try:
        parse(str(path))
        graph: nx.MultiDiGraph = osmnx.load_graphml(path)
    except (DefusedXmlException, ParseError) as exc:
        raise NetworkError(f"{path}: not a safe, well-formed GraphML file: {exc}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NetworkError(f"{path}: cannot read the street network: {exc}") from None
    return graph


def load(source: str | Path | None, data_root: Path) -> StreetGraph:
    """A street network: a GraphML file (a ``Path``, or a name ending in .graphml), else a cached network's name.

    ``None`` means the default cached network (see :func:`default_name`).
    """
    from radweg.osm.streets import from_networkx

    if isinstance(source, Path) or (source is not None and source.lower().endswith(GRAPHML_SUFFIXES)):
        return from_networkx(load_graph_file(Path(source)))
    return load_network(Path(data_root), source)


def bbox_area(bbox: tuple[float, float, float, float]) -> tuple[tuple[float, float, float, float], str]:
    """A W,S,E,N box as an ``area`` for :func:`import_network`, with its cache key."""
    return bbox, "bbox:" + ",".join(f"{v:.6f}" for v in bbox)


def polygon_area(path: Path) -> tuple[Any, str]:
    """The (Multi)Polygon of a GeoJSON file as an ``area`` for :func:`import_network`, with its cache key.

    Every Polygon and MultiPolygon of a FeatureCollection, Feature or bare geometry is
    joined into one; anything else is a DataError naming the feature.
    """
    from shapely.ops import unary_union

    from radweg.errors import DataError, Problem

    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(Problem(str(path), f"cannot read as GeoJSON: {exc}")) from exc
    feats = obj.get("features") if isinstance(obj, dict) and obj.get("type") == "FeatureCollection" else [obj]
    geoms = [_polygon(path, i, feat) for i, feat in enumerate(feats or [])]
    if not geoms:
        raise DataError(Problem(str(path), "no Polygon found"))
    return unary_union(geoms), "polygon:" + cache.file_sha256(path)


def _polygon(path: Path, i: int, feat: Any) -> Any:
    """The Polygon or MultiPolygon of one GeoJSON feature (or bare geometry); DataError otherwise."""
    from shapely.geometry import shape

    from radweg.errors import DataError, Problem

    geom = feat.get("geometry") if isinstance(feat, dict) and feat.get("type") == "Feature" else feat
    try:
        g = shape(geom)
    except Exception as exc:  # shapely raises several types for bad geometries
        raise DataError(Problem(str(path), f"not a geometry: {exc}", feature=str(i), field="geometry")) from exc
    if g.geom_type not in ("Polygon", "MultiPolygon") or g.is_empty:
        raise DataError(Problem(str(path), f"{g.geom_type} is not a Polygon or MultiPolygon",
                                feature=str(i), field="geometry"))
    return g


@dataclass
class ImportResult:
    """What ``import_network`` did."""

    name: str
    graph: Any
    manifest: dict[str, Any]
    from_cache: bool
    seconds: float
    replaced: str | None = None
    """The source file of the network this import replaced (same name, other file, filter or area)."""


def import_network(data_root: Path, source: Path, *, name: str | None = None, area: Any = None,
                   area_key: str | None = None, force: bool = False) -> ImportResult:
    """Build the cycling network of an OSM file and cache it, or reload it when the cache is current.

    ``area`` is a W,S,E,N tuple or a shapely polygon (lon/lat); ``area_key``
    a stable text for it (part of the cache key).
    """
    from radweg.osm.filter import FILTER_VERSION, FilterStats, read_way_table
    from radweg.osm.graph import build_streets, summary

    started = time.perf_counter()
    name = name or network_name(source)
    key = cache.cache_key(cache.file_sha256(source), area_key)
    manifest = cache.read_manifest(data_root, name)
    if not force and cache.is_current(manifest, key):
        G = cache.load(data_root, name)
        assert manifest is not None
        return ImportResult(cache.folder(data_root, name).name, G, manifest, True, time.perf_counter() - started)
    replaced = None
    if manifest is not None and (manifest.get("source_sha256") != key["source_sha256"] or
                                 manifest.get("area") != key["area"]):
        replaced = f"{manifest.get('source_name')}" + (f" ({manifest['area']})" if manifest.get("area") else "")
    stats = FilterStats()
    G = build_streets(read_way_table(source, area=area, stats=stats), name=name, source=source.name)
    if G.number_of_edges() == 0:
        raise NetworkError(f"{source}: no cycle-usable ways" + (" in the chosen area" if area is not None else ""))
    info = summary(G)
    manifest = {**key, "source": str(source), "source_name": source.name, "filter_version": FILTER_VERSION,
                "highway_ways_read": stats.highway_ways, "ways_kept": stats.kept_ways,
                "ways_cut_at_border": stats.incomplete_ways, **info}
    target = cache.save(data_root, name, G, manifest)
    manifest = cache.read_manifest(data_root, target.name) or manifest
    return ImportResult(target.name, G, manifest, False, time.perf_counter() - started, replaced)


def add_geometry(graph: StreetGraph | nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The network as networkx with a shapely ``geometry`` on every edge (from its ``coords``), as osmnx
    functions expect. A networkx graph gets the attribute in place and is returned.

    Call it when you need ``osmnx.graph_to_gdfs`` and friends.
    """
    import numpy as np
    import shapely

    from radweg.osm.streets import as_networkx

    G = as_networkx(graph)

    edges = [d for _, _, d in G.edges(data=True)]
    if not edges:
        return G
    flat = np.array([c for d in edges for c in d["coords"]], dtype=float)
    index = np.repeat(np.arange(len(edges)), [len(d["coords"]) for d in edges])
    for d, line in zip(edges, shapely.linestrings(flat, indices=index), strict=True):
        d["geometry"] = line
    return G
