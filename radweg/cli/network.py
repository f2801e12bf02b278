"""``radweg network …``: the cycling street network from OpenStreetMap (import, fetch, list, info, remove)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from radweg.cli import helpers
from radweg.cli.options import bbox_handler, json_opt, lonlat_handler

CACHE_HELP = ("Built networks are cached in <data folder>/output/cache/networks/<NAME>/ (manifest.json + "
              "graph.npz, numpy arrays read without pickle), keyed by the source file's content hash, the filter "
              "version and the area.")


def _root(ctx: click.Context) -> Path:
    return Path(ctx.obj["data"])


def _report(ctx: click.Context, res: Any, as_json: bool) -> None:
    m = res.manifest
    if as_json:
        helpers.echo_json({"name": res.name, "from_cache": res.from_cache, "seconds": round(res.seconds, 3),
                           **{k: m.get(k) for k in ("source_name", "nodes", "edges", "ways", "length_km",
                                                    "components", "highway_ways_read", "ways_kept")}})
        return
    where = f"output/cache/networks/{res.name}"
    if res.from_cache:
        helpers.info(ctx, f"network '{res.name}' is up to date: reloaded from {where} in {res.seconds:.2f} s "
                          f"({m['nodes']} nodes, {m['edges']} edges, {m['length_km']} km); --force rebuilds it")
    else:
        if res.replaced:
            helpers.info(ctx, f"note: this replaces network '{res.name}' built from {res.replaced}")
        helpers.info(ctx, f"built network '{res.name}' from {m['source_name']} in {res.seconds:.2f} s: "
                          f"{m['nodes']} nodes, {m['edges']} edges, {m['length_km']} km of cycle-usable ways "
                          f"({m['ways_kept']} of {m['highway_ways_read']} highway ways kept, "
                          f"{m['components']} connected pieces); cached in {where}")


@click.group(short_help="The cycling street network from OpenStreetMap.", epilog=CACHE_HELP)
def network() -> None:
    """Build, cache and inspect the street network cyclists can use, from OpenStreetMap.

    The network is what `segments route` (and the gap tools) route on. Only ways a
    cyclist may use are kept: no motorways, no trunk roads or footways without
    bicycle=yes, nothing with access=no or bicycle=no.
    """


@network.command("import", short_help="Build the network from an OSM extract (.osm, .osm.pbf …).", epilog=CACHE_HELP)
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="Network name (default: from the file name).")
@click.option("--bbox", callback=bbox_handler, help="Only ways with a node inside W,S,E,N (degrees).")
@click.option("--polygon", "polygon_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Only ways with a node inside this GeoJSON (Multi)Polygon.")
@click.option("--force", is_flag=True, help="Build again even if the cache is current.")
@json_opt
@click.pass_context
def import_(ctx: click.Context, path: Path, name: str | None, bbox: list[float] | None, polygon_file: Path | None,
            force: bool, as_json: bool) -> None:
    """Build the cycling network of FILE (.osm, .osm.pbf, .osm.gz, .osm.bz2) and cache it.

    A second import of the same file reloads the cached graph instead of building it.

    \b
    Example:
        radweg network import mansfeld-suedharz.osm.pbf --name msh
        radweg network import sachsen-anhalt.osm.pbf --bbox 10.9,51.3,11.9,51.75
    """
    from radweg.model import slugify
    from radweg.osm.network import bbox_area, import_network, polygon_area

    if bbox and polygon_file:
        raise click.UsageError("give --bbox or --polygon, not both")
    area: Any = None
    area_key = None
    if bbox:
        area, area_key = bbox_area((bbox[0], bbox[1], bbox[2], bbox[3]))
    elif polygon_file:
        area, area_key = polygon_area(polygon_file)
    helpers.info(ctx, f"reading {path} …")
    res = import_network(_root(ctx), path, name=slugify(name) if name else None, area=area, area_key=area_key,
                         force=force)
    _report(ctx, res, as_json)


@network.command(short_help="Download the network from Overpass (needs internet).", epilog=CACHE_HELP)
@click.option("--place", help='A place name Nominatim knows, e.g. "Landkreis Mansfeld-Südharz".')
@click.option("--bbox", callback=bbox_handler, help="W,S,E,N in degrees.")
@click.option("--name", help="Network name (default: from the place, or 'bbox').")
@click.option("--overpass-url", envvar="RADWEG_OVERPASS_URL", show_envvar=True,
              help="Overpass API endpoint (default: osmnx's, overpass-api.de).")
@click.option("--nominatim-url", envvar="RADWEG_NOMINATIM_URL", show_envvar=True,
              help="Nominatim endpoint for --place (default: osmnx's).")
@click.option("--timeout", type=click.IntRange(min=1), default=180, show_default=True, help="Seconds per request.")
@json_opt
@click.pass_context
def fetch(ctx: click.Context, place: str | None, bbox: list[float] | None, name: str | None,
          overpass_url: str | None, nominatim_url: str | None, timeout: int, as_json: bool) -> None:
    """Download the cycle-usable ways of a place or bbox through Overpass (osmnx) and cache the network.

    The download is kept as an OSM XML file in the network's cache folder, so
    the same filter, graph and cache apply as for `network import`. Without a
    connection this fails with a message; use `network import` on an extract.

    \b
    Example:
        radweg network fetch --place "Landkreis Mansfeld-Südharz, Sachsen-Anhalt" --name msh
    """
    from radweg.model import slugify
    from radweg.osm import cache, overpass
    from radweg.osm.network import import_network

    if bool(place) == bool(bbox):
        raise click.UsageError("give exactly one of --place or --bbox")
    name = slugify(name or place or "bbox", fallback="network")
    target = cache.folder(_root(ctx), name) / "download.osm"
    helpers.info(ctx, f"downloading the cycle-usable ways of {place or bbox} from Overpass …")
    overpass.download(target, place=place, bbox=(bbox[0], bbox[1], bbox[2], bbox[3]) if bbox else None,
                      overpass_url=overpass_url,
                      nominatim_url=nominatim_url, timeout=timeout)
    res = import_network(_root(ctx), target, name=name)
    _report(ctx, res, as_json)


@network.command("route", short_help="Where a cyclist can ride between two points.", epilog=CACHE_HELP)
@click.argument("start", callback=lonlat_handler, metavar="LON,LAT")
@click.argument("end", callback=lonlat_handler, metavar="LON,LAT")
@click.option("--network", "network_name", help="Cached network (default: the only one).")
@click.option("--weight", type=click.Choice(["cost", "length"]), default="cost", show_default=True,
              help="Cheapest by cycling cost, or shortest.")
@click.option("--max-detour", type=click.FloatRange(min=1.0), default=8.0, show_default=True,
              help="Search no further than this many times the straight line + 2 km (of the weight).")
@click.option("--anywhere", is_flag=True, help="Search the whole network, however long the route.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the route as a GeoJSON Feature to this file.")
@json_opt
@click.pass_context
def route_(ctx: click.Context, start: tuple[float, float], end: tuple[float, float], network_name: str | None,
           weight: str, max_detour: float, anywhere: bool, output: Path | None, as_json: bool) -> None:
    """Route from START to END on the network: length, cycling cost and what kind of ways it uses.

    Exit status 1 when the two points are on separate pieces of the network, or
    joined only by a route longer than --max-detour allows.

    \b
    Example:
        radweg network route 11.5466,51.5275 11.5123,51.6258 --json
    """
    import json

    from radweg.errors import NetworkError
    from radweg.geometry import distance_m, round_position
    from radweg.io.atomic import write_atomic
    from radweg.osm.network import load_network
    from radweg.osm.router import route

    G = load_network(_root(ctx), network_name)
    r = route(G, start, end, weight=weight, max_detour=None if anywhere else max_detour)
    if r is None:
        why = "they lie on separate pieces of it" if anywhere else (
            f"they lie on separate pieces of it, or the route is longer than {max_detour:g}× the straight line "
            "+ 2 km: --max-detour or --anywhere searches further")
        raise NetworkError(f"no path between {start[0]},{start[1]} and {end[0]},{end[1]} on network "
                           f"'{G.graph.get('name')}' ({why})")
    straight = distance_m(start, end)
    report = {"network": G.graph.get("name"), "weight": weight, "length_m": round(r.length_m, 1),
              "cost": round(r.cost, 1), "straight_m": round(straight, 1),
              "detour": round(r.length_m / straight, 3) if straight > 0 else None,
              "off_network_m": [round(x, 1) for x in r.snap_m], "composition": r.composition}
    if output is not None:
        feat = {"type": "Feature", "properties": report,
                "geometry": {"type": "LineString", "coordinates": [list(round_position(c)) for c in r.coords]}}
        write_atomic(output, json.dumps(feat, ensure_ascii=False, indent=1) + "\n")
    if as_json:
        helpers.echo_json(report)
        return
    click.echo(f"{helpers.km(r.length_m)} km ({helpers.km(straight)} km straight), cost {helpers.km(r.cost)} km-eq.")
    click.echo("highway: " + ", ".join(f"{k} {v:.0%}" for k, v in r.composition["highway"].items()))
    click.echo("surface: " + ", ".join(f"{k} {v:.0%}" for k, v in r.composition["surface"].items()))
    if max(r.snap_m) > 50:
        helpers.info(ctx, f"warning: the points lie {r.snap_m[0]:.0f} m and {r.snap_m[1]:.0f} m from the nearest way")


@network.command("list", short_help="List the cached networks.", epilog=CACHE_HELP)
@json_opt
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """List the cached networks with their source and size."""
    from radweg.osm import cache

    rows = []
    for name in cache.names(_root(ctx)):
        m = cache.read_manifest(_root(ctx), name) or {}
        rows.append({"name": name, "source": m.get("source_name"), "nodes": m.get("nodes"), "edges": m.get("edges"),
                     "length_km": m.get("length_km"), "area": m.get("area")})
    if as_json:
        helpers.echo_json(rows)
    elif rows:
        helpers.table([list(r.values()) for r in rows], list(rows[0].keys()))
    else:
        helpers.info(ctx, f"no networks cached in {cache.root(_root(ctx))}; use 'radweg network import FILE'")


@network.command(short_help="Details of one cached network.", epilog=CACHE_HELP)
@click.argument("name", required=False)
@json_opt
@click.pass_context
def info(ctx: click.Context, name: str | None, as_json: bool) -> None:
    """Show a cached network: source, filter, counts and km per highway class and surface."""
    from radweg.errors import NetworkError
    from radweg.io.text import cell
    from radweg.osm import cache
    from radweg.osm.network import default_name

    name = name or default_name(_root(ctx))
    m = cache.read_manifest(_root(ctx), name)
    if m is None:
        raise NetworkError(f"no cached network '{name}'; see 'radweg network list'")
    if as_json:
        helpers.echo_json(m)
        return
    for key in ("name", "source", "source_sha256", "filter_version", "area", "nodes", "edges", "ways", "length_km",
                "components", "highway_ways_read", "ways_kept", "ways_cut_at_border", "graph_bytes"):
        click.echo(f"{key:<20} {cell(m.get(key))}")
    for key in ("km_by_highway", "km_by_surface"):
        click.echo(f"{key}:")
        for k, v in list((m.get(key) or {}).items())[:15]:
            click.echo(f"  {k:<18} {v:>9.2f}")
    click.echo(f"folder               {cache.folder(_root(ctx), name)}")


@network.command(short_help="Delete a cached network.", epilog=CACHE_HELP)
@click.argument("name")
@click.pass_context
def remove(ctx: click.Context, name: str) -> None:
    """Delete a cached network (its folder under output/cache/networks/)."""
    from radweg.osm import cache

    target = cache.remove(_root(ctx), name)
    helpers.info(ctx, f"removed network '{name}' ({target})")
