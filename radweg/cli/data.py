"""``radweg init`` and ``radweg validate``."""

from __future__ import annotations

from pathlib import Path

import click

from radweg.cli import helpers
from radweg.cli.options import bbox_handler, json_opt


@click.command(short_help="Create an empty data folder for a new route.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", default="Neue Route", show_default=True, help="Name of the route project.")
@click.option("--bbox", callback=bbox_handler,
              help="Project area W,S,E,N in degrees; coordinates outside it are reported "
                   "(this catches swapped latitude and longitude).")
@click.pass_context
def init(ctx: click.Context, directory: Path, name: str, bbox: list[float] | None) -> None:
    """Create DIRECTORY with radweg.json, routes/ and pois/, all empty and valid.

    Refuses to touch a folder that already holds radweg data.

    \b
    Example:
        radweg init meine-route --name "Mein Radweg" --bbox 10.8,51.2,11.9,51.8
    """
    from radweg.data.store import Store

    store = Store(directory)
    created = store.init(name, bbox)
    for path in created:
        helpers.info(ctx, f"created {path}")


@click.command(short_help="Check all data and report every problem.")
@json_opt
@click.pass_context
def validate(ctx: click.Context, as_json: bool) -> None:
    """Check every file of the data folder: schema, geometry, coordinate ranges,
    duplicate ids, tours that name missing segments, stages that do not lie on
    their tour. Reports every problem, not just the first; exits 1 if any is an
    error (warnings alone exit 0).

    \b
    Example:
        radweg --data . validate
    """
    from radweg.data.validate import errors_only

    store = helpers.data_store(ctx)
    ds, problems = store.inspect()
    errors = errors_only(problems)
    if as_json:
        helpers.echo_json({
            "valid": not errors,
            "problems": [{"file": p.file, "feature": p.feature, "field": p.field, "message": p.message,
                          "severity": "warning" if p.warning else "error"} for p in problems],
            "counts": {k: len(getattr(ds, k).items) for k in ("segments", "tours", "pois", "neighbours")},
        })
    else:
        for p in problems:
            click.echo(str(p) if p.warning else f"error: {p}", err=True)
        counts = ", ".join(f"{len(getattr(ds, k).items)} {k}" for k in ("segments", "tours", "pois", "neighbours"))
        if errors:
            helpers.info(ctx, f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s) in {store.root}")
        else:
            helpers.info(ctx, f"valid: {counts}" + (f"; {len(problems)} warning(s)" if problems else ""))
    if errors:
        ctx.exit(1)
