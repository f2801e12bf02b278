"""``radweg publish``: the static site for the tourism office."""

from __future__ import annotations

from pathlib import Path

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt
from radweg.cli.webmap import gap_network, lang_opt, network_opt, tolerance_opt


@click.command(short_help="Build the static site: map, tours, POIs, gap report, downloads.")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to build the site in [default: <data folder>/output/site].")
@lang_opt
@tolerance_opt
@click.option("--no-gpx", is_flag=True, help="Leave out the GPX files.")
@click.option("--no-gaps", is_flag=True, help="Leave out the gap report.")
@click.option("--force", is_flag=True, help="Build into a non-empty folder that radweg did not make.")
@network_opt
@json_opt
@click.pass_context
def publish(ctx: click.Context, output: Path | None, lang: str, tolerance_m: float, no_gpx: bool, no_gaps: bool,
            force: bool, network: str | None, as_json: bool) -> None:
    """Build a static site that works offline, from file:// or any web server:
    index.html (the map), a page per tour with its stages, profiles and GPX links,
    the POI list, the gap report, downloads (GPX, ZIP, GeoJSON).

    \b
    Example:
        radweg publish
        radweg publish --lang en -o output/site-en
        radweg publish --network li     # gaps routed on a cached street network
    """
    from radweg.site import SiteOptions, summary
    from radweg.site import publish as build

    ds = helpers.load(ctx)
    output = output if output is not None else Path(ctx.obj["data"]) / "output" / "site"
    graph, network = gap_network(ctx, ds, network) if not no_gaps else (None, None)
    report = build(ds, output, SiteOptions(lang=lang, tolerance_m=tolerance_m, gpx=not no_gpx, gaps=not no_gaps,
                                           force=force, graph=graph, network=network),
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
