"""The online path: download cycle-usable ways from Overpass through osmnx, as an OSM XML file.

The downloaded file then goes through the same filter, graph builder and cache
as a local extract. osmnx's own response cache is kept beside the networks
(``output/cache/overpass/``), so a repeated fetch does not download again.

Before asking osmnx, the endpoint is probed with a plain TCP connection: with
no connection the command fails at once with one line, instead of osmnx's
60-second retry pause and a traceback.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from radweg.errors import NetworkError

WAY_FILTER = ('["highway"]["area"!~"yes"]["highway"!~"motorway|motorway_link|construction|proposed|abandoned|'
              'platform|raceway|bus_guideway|elevator|escalator|corridor|steps"]["bicycle"!~"no"]')
"""Overpass way filter: a superset of :func:`radweg.osm.filter.cycle_usable`, which is applied afterwards."""


def probe(url: str, timeout: float = 5.0) -> None:
    """Raise NetworkError unless a TCP connection to the URL's host and port can be opened."""
    parsed = urlparse(url)
    host = parsed.hostname
    if not host or parsed.scheme not in ("http", "https"):
        raise NetworkError(f"'{url}' is not an http(s) URL")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise NetworkError(f"cannot reach {host}:{port} ({reason}); no internet connection? "
                           "Download an extract elsewhere and use 'radweg network import FILE.osm.pbf'") from exc


def _polygon(place: str | None, bbox: tuple[float, float, float, float] | None) -> Any:
    import osmnx as ox
    from shapely.geometry import box

    if bbox is not None:
        return box(*bbox)
    if not place:
        raise NetworkError("give a place name or a bbox")
    gdf = ox.geocode_to_gdf(place)
    geom = gdf.geometry.iloc[0]
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise NetworkError(f"Nominatim has no area for '{place}', only a {geom.geom_type}; use --bbox")
    return geom


def download(target: Path, *, place: str | None = None, bbox: tuple[float, float, float, float] | None = None,
             overpass_url: str | None = None, nominatim_url: str | None = None, timeout: int = 180) -> Path:
    """Fetch the ways (and their nodes) inside a place's boundary or a bbox; write them as OSM XML."""
    import osmnx as ox
    import requests

    saved = {k: getattr(ox.settings, k) for k in ("overpass_url", "nominatim_url", "requests_timeout",
                                                  "cache_folder", "use_cache", "log_console")}
    try:
        if overpass_url:
            ox.settings.overpass_url = overpass_url.rstrip("/")
        if nominatim_url:
            ox.settings.nominatim_url = nominatim_url.rstrip("/")
        ox.settings.requests_timeout = timeout
        ox.settings.cache_folder = str(target.parent.parent.parent / "overpass")
        ox.settings.use_cache = True
        ox.settings.log_console = False
        if place:
            probe(ox.settings.nominatim_url, min(timeout, 10))
        probe(ox.settings.overpass_url, min(timeout, 10))
        polygon = _polygon(place, bbox)
        responses = list(ox._overpass._download_overpass_network(polygon, "bike", WAY_FILTER))
    except NetworkError:
        raise
    except requests.RequestException as exc:
        raise NetworkError(f"Overpass/Nominatim request failed: {str(exc).splitlines()[0][:200]}") from exc
    except Exception as exc:  # osmnx raises ValueError, TypeError, InsufficientResponseError …
        raise NetworkError(f"download failed: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}") from exc
    finally:
        for k, v in saved.items():
            setattr(ox.settings, k, v)
    write_elements(responses, target)
    return target


def write_elements(responses: list[dict[str, Any]], target: Path) -> int:
    """Write the nodes and ways of Overpass JSON responses as an OSM XML file; return the number of ways."""
    import osmium

    nodes: dict[int, tuple[float, float]] = {}
    ways: dict[int, tuple[list[int], dict[str, str]]] = {}
    for resp in responses:
        for el in resp.get("elements", []):
            if el.get("type") == "node" and "lat" in el and "lon" in el:
                nodes[int(el["id"])] = (float(el["lon"]), float(el["lat"]))
            elif el.get("type") == "way" and el.get("nodes"):
                ways[int(el["id"])] = ([int(n) for n in el["nodes"]], {str(k): str(v) for k, v in
                                                                        (el.get("tags") or {}).items()})
    if not ways:
        raise NetworkError("Overpass returned no ways for this area")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part.osm")
    if tmp.exists():
        tmp.unlink()
    writer = osmium.SimpleWriter(str(tmp))
    try:
        for nid in sorted(nodes):
            writer.add_node(osmium.osm.mutable.Node(id=nid, location=nodes[nid], version=1))
        for wid in sorted(ways):
            refs, tags = ways[wid]
            writer.add_way(osmium.osm.mutable.Way(id=wid, nodes=refs, tags=tags, version=1))
    finally:
        writer.close()
    tmp.replace(target)
    return len(ways)
