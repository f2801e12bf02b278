"""``radweg stats``: lengths of the network, of tours and of stages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt


def _km_dict(d: dict[str, float]) -> dict[str, float]:
    return {k: helpers.km(v) for k, v in d.items()}


def _tour_record(t: dict[str, Any]) -> dict[str, Any]:
    """A tour's statistics for --json: figures rounded like every output (km to 0.1, heights to 1 m)."""
    from radweg.tours.facts import round_km, round_m

    return {"id": t["id"], "name": t["name"], "segments": t["segments"], "length_km": round_km(t["length_m"]),
            "ascent_m": round_m(t["ascent_m"]), "descent_m": round_m(t["descent_m"]),
            "by_status": {k: round_km(v) for k, v in t["by_status"].items()},
            "stages": [{"id": s["id"], "name": s["name"], "start": s["start"], "end": s["end"],
                        "start_km": round_km(s["start_m"]), "length_km": round_km(s["length_m"]),
                        "ascent_m": round_m(s["ascent_m"]), "descent_m": round_m(s["descent_m"])}
                       for s in t["stages"]]}


def _km_or_blank(m: float | None) -> float | str:
    return "" if m is None else helpers.km(m)


def _network_record(net: dict[str, Any]) -> dict[str, Any]:
    out = {"segments": net["segments"], "length_km": helpers.km(net["length_m"]),
           **{k: _km_dict(v) for k, v in net.items() if k.startswith("by_") and k != "by_municipality_status"}}
    if "by_municipality_status" in net:
        out["by_municipality_status"] = {k: _km_dict(v) for k, v in net["by_municipality_status"].items()}
    if "boundaries" in net:
        out["boundaries"] = net["boundaries"]
    return out


def _echo_network(net: dict[str, Any]) -> None:
    click.echo(f"Network: {net['segments']} segments, {helpers.km(net['length_m']):.1f} km")
    for key, title in (("by_status", "status"), ("by_surface", "surface"), ("by_way_type", "way type")):
        click.echo("")
        helpers.table([[k, helpers.km(v)] for k, v in net[key].items()], [title, "km"])
    click.echo("")
    if "by_municipality_status" not in net:
        helpers.table([[k, helpers.km(v)] for k, v in net["by_municipality"].items()], ["municipality", "km"])
        return
    statuses = sorted({st for row in net["by_municipality_status"].values() for st in row})
    helpers.table([[k, helpers.km(v), *(_km_or_blank(net["by_municipality_status"][k].get(st))
                                        for st in statuses)]
                   for k, v in net["by_municipality"].items()], ["municipality", "km", *statuses])
    click.echo(f"(municipalities from {', '.join(net['boundaries'])})")


def _echo_tour(t: dict[str, Any]) -> None:
    r = _tour_record(t)
    status = ", ".join(f"{k} {v:.1f}" for k, v in r["by_status"].items())
    heights = (f"; ascent {r['ascent_m']} m, descent {r['descent_m']} m" if r["ascent_m"] is not None else "")
    click.echo(f"Tour {r['id']}: {r['name']}: {r['length_km']:.1f} km ({status}){heights}")
    if r["stages"]:
        helpers.table([[s["id"], s["name"], s["start_km"], s["length_km"], s["ascent_m"], s["descent_m"]]
                       for s in r["stages"]], ["stage", "name", "from km", "km", "ascent m", "descent m"])


@click.command(short_help="Lengths by status, surface, municipality, tour and stage.")
@click.argument("tour_id", required=False, metavar="[TOUR]")
@click.option("--boundaries", "boundary_files", multiple=True, type=click.Path(dir_okay=False),
              help="Polygon layer (Shapefile, .zip, GeoPackage, GeoJSON; any CRS) to split km by municipality "
                   "(repeatable; default: the 'boundaries' of radweg.json).")
@click.option("--name-field", help="Field with the municipality names (default: name, NAME, GN_KLAR or GEN).")
@click.option("--filter", "filter_", metavar="FIELD=VALUE",
              help="Only polygons whose FIELD is VALUE (VALUE* for a prefix), e.g. VSN_KLAR=15087*.")
@click.option("--no-boundaries", is_flag=True, help="Ignore the boundaries of radweg.json: sum the segments' "
                                                      "municipality field.")
@json_opt
@click.pass_context
def stats(ctx: click.Context, tour_id: str | None, boundary_files: tuple[str, ...], name_field: str | None,
          filter_: str | None, no_boundaries: bool, as_json: bool) -> None:
    """Geodesic lengths of the network: total and by status, surface, way type and
    municipality; then per tour and per stage with ascent and descent. With TOUR,
    only that tour. A gap inside a tour is neither ridden nor counted.

    With boundaries (--boundaries or the 'boundaries' setting), every segment is
    cut at the polygon edges, so a segment through three municipalities counts in
    all three; what lies in no polygon is listed as outside. Without them, km per
    municipality come from the segments' municipality field.

    \b
    Example:
        radweg stats
        radweg stats nord-sued --json
        radweg stats --boundaries Einheitsgemeinde.zip --boundaries Gemeinde.zip --name-field GN_KLAR
    """
    from radweg.data.edit import find
    from radweg.elevation.settings import heights_note
    from radweg.tours.stats import tour_stats

    if no_boundaries and (boundary_files or name_field or filter_):
        raise click.UsageError("--no-boundaries goes with none of --boundaries, --name-field, --filter")
    if (name_field or filter_) and not boundary_files:
        raise click.UsageError("--name-field and --filter need --boundaries")
    st = helpers.data_store(ctx)
    ds = st.load()
    tours = [find(ds.tours, "tours", tour_id)] if tour_id else ds.tours.items
    per_tour = [tour_stats(ds, t) for t in tours]
    net = None if tour_id else _network(ds, st.root, boundary_files, name_field, filter_, no_boundaries)
    if as_json:
        out: dict[str, Any] = {}
        if net is not None:
            out["network"] = _network_record(net)
        out["tours"] = [_tour_record(t) for t in per_tour]
        out["heights_source"] = heights_note(ds.project, "en")
        helpers.echo_json(out)
        return
    if net is not None:
        _echo_network(net)
    for t in per_tour:
        click.echo("")
        _echo_tour(t)
    note = heights_note(ds.project, "en")
    if note and per_tour:
        click.echo(f"\n{note}")


def _network(ds: Any, root: Path, files: tuple[str, ...], name_field: str | None, filter_: str | None,
             no_boundaries: bool) -> dict[str, Any]:
    """The network's statistics, split by the boundaries given or configured."""
    from radweg.boundaries import BoundarySource, parse_sources, read_areas
    from radweg.tours.stats import network_stats

    if files:
        sources = [BoundarySource(Path(f), name_field, filter_) for f in files]
    elif no_boundaries:
        sources = []
    else:
        sources = parse_sources(ds.project.get("boundaries"), root)
    if not sources:
        return network_stats(ds)
    net = network_stats(ds, read_areas(sources))
    net["boundaries"] = [s.path.name for s in sources]
    return net
