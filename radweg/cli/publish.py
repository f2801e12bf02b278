"""``radweg publish``: the static site for the tourism office."""

from __future__ import annotations

from pathlib import Path

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt
from radweg.cli.webmap import tolerance_opt


@click.command(short_help="Build the static site (German and English): map, tours, POIs, downloads.")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="The folder to build the site in [default: <data folder>/output/site].")
@tolerance_opt
@click.option("--planner", is_flag=True, help="The planners' build: add the gap layer and the gap report.")
@click.option("--no-gpx", is_flag=True, help="Leave out the GPX files.")
@click.option("--force", is_flag=True, help="Build into a non-empty folder that radweg did not make.")
@json_opt
@click.pass_context
def publish(ctx: click.Context, output: Path | None, tolerance_m: float, planner: bool, no_gpx: bool,
            force: bool, as_json: bool) -> None:
    """Build a static site that works offline, from file:// or any web server, in
    German (at the root) and English (in en/): the map and the tours, a page per
    tour with its map, profile, stages and GPX files, a page per POI, the POI
    overview, downloads, licences, imprint and privacy pages, a sitemap.

    The public build has no gaps; --planner adds the gap layer and the gap report.

    \b
    Example:
        radweg publish
        radweg publish --planner -o output/site-planner
    """
    from radweg.site import SiteOptions, summary
    from radweg.site import publish as build

    ds = helpers.load(ctx)
    output = output if output is not None else Path(ctx.obj["data"]) / "output" / "site"
    report = build(ds, output, SiteOptions(tolerance_m=tolerance_m, gpx=not no_gpx, planner=planner, force=force),
                   progress=lambda msg: helpers.info(ctx, msg) if ctx.obj.get("verbosity", 0) > 0 else None)
    if as_json:
        helpers.echo_json(summary(report))
        return
    for note in report.skipped:
        helpers.info(ctx, f"Skipped {note}")
    helpers.info(ctx, f"Wrote {len(report.files)} files to {output}"
                      + (f", removed {len(report.removed)} stale" if report.removed else "")
                      + f"; open {output / 'index.html'}")
