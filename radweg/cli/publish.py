"""``radweg publish``: the static site for the tourism office (and, with --planner, for planners)."""

from __future__ import annotations

from pathlib import Path

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt
from radweg.cli.webmap import gap_network, tolerance_opt


@click.command(short_help="Build the static site (German and English): map, tours, POIs, downloads.")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to build the site in [default: <data folder>/output/site].")
@tolerance_opt
@click.option("--planner", is_flag=True, help="The planners' build: add the gap layer and the gap report.")
@click.option("--network", "network", default=None, metavar="NAME",
              help="Route the gaps on this cached street network and show the connectors; implies --planner "
                   "[default with --planner: radweg.json 'network'; without one the gaps are straight lines].")
@click.option("--no-gpx", is_flag=True, help="Leave out the GPX files.")
@click.option("--force", is_flag=True, help="Build into a non-empty folder that radweg did not make.")
@json_opt
@click.pass_context
def publish(ctx: click.Context, output: Path | None, tolerance_m: float, planner: bool, network: str | None,
            no_gpx: bool, force: bool, as_json: bool) -> None:
    """Build a static site that works offline, from file:// or any web server, in
    German (at the root) and English (in en/): the map and the tours, a page per
    tour with its map, profile, stages and GPX files, a page per POI, the POI
    overview, downloads, licences, imprint and privacy pages, a sitemap.

    The public build has no gaps; --planner adds the gap layer and the gap report,
    and --network routes the gaps on a street network (a planner build).

    \b
    Example:
        radweg publish
        radweg publish --planner -o output/site-planner
        radweg publish --network li -o output/site-planner   # gaps routed on a cached street network
    """
    from radweg.api import publish as build
    from radweg.data.layout import Layout
    from radweg.site import summary

    ds = helpers.load(ctx)
    output = output if output is not None else Layout(Path(ctx.obj["data"])).site
    planner = planner or network is not None
    graph, network = gap_network(ctx, ds, network) if planner else (None, None)
    report = build(ds, output, tolerance_m=tolerance_m, gpx=not no_gpx, planner=planner, force=force,
                   graph=graph, network=network,
                   progress=lambda msg: helpers.info(ctx, msg) if ctx.obj.get("verbosity", 0) > 0 else None)
    if as_json:
        helpers.echo_json(summary(report))
        return
    for note in report.skipped:
        helpers.info(ctx, f"Skipped {note}")
    for line in report.warnings:
        helpers.info(ctx, line)
    helpers.info(ctx, f"Wrote {len(report.files)} files to {output}"
                      + (f", removed {len(report.removed)} stale" if report.removed else "")
                      + f"; open {output / 'index.html'}")
