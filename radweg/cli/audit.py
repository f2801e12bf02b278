"""``radweg audit``: an ADFC-style pre-audit of every stage from open data."""

from __future__ import annotations

from pathlib import Path

import click

from radweg.cli import helpers


@click.command(short_help="ADFC-style pre-audit of every stage from open data.")
@click.argument("tour_id", required=False, metavar="[TOUR]")
@click.option("--network", "network_name", help="Cached street network for the street-based indicators "
                                                "(surface, traffic, crossings; see 'radweg network list').")
@click.option("--osm", "files", type=click.Path(dir_okay=False, path_type=Path), multiple=True,
              help="OSM extract (.osm, .osm.pbf, .osm.gz/.bz2) or Geofabrik shapefile layer (.zip) to count "
                   "stations, barriers, guideposts, places to stay … (repeatable).")
@click.option("--dem", "dem_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Terrain model for the climb indicators (GeoTIFF, or an SRTM .hgt.zip).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "csv", "json"]), default="md", show_default=True,
              help="Report format; html is printable (A4, one stage per page).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (default: stdout).")
@click.pass_context
def audit(ctx: click.Context, tour_id: str | None, network_name: str | None, files: tuple[Path, ...],
          dem_file: Path | None, fmt: str, as_json: bool, output: Path | None) -> None:
    """Pre-audit TOUR (default: every tour) per stage under the ADFC-Qualitätsradroute headings.

    Per stage (per 50 km for a tour without stages): Befahrbarkeit, Oberfläche,
    Kfz-Verkehr, Routenführung, Wegweisung, Touristische Infrastruktur and
    ÖPNV, each with figures, the data it came from and the threshold that flags
    it; every flag names km and coordinates. A preparation aid from open data,
    not the ADFC's rating (docs/audit.md).

    \b
    Example:
        radweg audit nord-sued --osm geofabrik/transport_stations.zip --json
        radweg audit --network msh --osm extract.osm.pbf --format html -o audit.html
    """
    from radweg.audit.render import render
    from radweg.audit.report import run
    from radweg.errors import NotFoundError, StorageError
    from radweg.io.atomic import write_atomic

    for f in files:
        if not f.is_file():
            raise click.BadParameter(f"{f}: no such file", param_hint="--osm")
    if dem_file is not None and not dem_file.is_file():
        raise click.BadParameter(f"{dem_file}: no such file", param_hint="--dem")
    ds = helpers.load(ctx)
    if tour_id is not None:
        tour = ds.tours.get(tour_id)
        if tour is None:
            raise NotFoundError(f"no tour '{tour_id}' (see 'radweg tours list')")
        tours = [tour]
    else:
        tours = list(ds.tours.items)
        if not tours:
            raise NotFoundError("no tours to audit (add one with 'radweg tours add')")
    graph = None
    if network_name is not None:
        from radweg.osm.network import load_network

        graph = load_network(Path(ctx.obj["data"]), network_name)
    result = run(ds, tours, list(files), graph=graph, network_name=network_name, dem_file=dem_file)
    text = render(result, "json" if as_json else fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    if not output.parent.exists():
        raise StorageError(f"{output}: folder {output.parent} does not exist")
    write_atomic(output, text, str(output))
    flags = sum(u.as_dict()["flags"] for t in result.tours for u in t.units)
    helpers.info(ctx, f"Wrote {output} ({sum(len(t.units) for t in result.tours)} stages, {flags} flags)")
