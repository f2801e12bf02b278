"""``radweg relations check``: is a route relation rideable end to end, in both directions?"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from radweg.cli import helpers
from radweg.cli.options import json_opt

RULES_HELP = ("Rules (docs/relations.md): gap, not-ridden, unordered-members, missing-role, wrong-role, "
              "contradicting-members, role-on-two-way, extra-member, bicycle-forbidden, steps, proposed, "
              "member-missing, partial-way, duplicate-member, unknown-role, subrelation, empty, missing-name, "
              "missing-network, missing-ref, missing-cycle-network.")


@click.group(short_help="Check OpenStreetMap route relations.")
def relations() -> None:
    """Check OpenStreetMap route relations: continuity per travel direction, and lint rules."""


@relations.command("check", short_help="Direction-aware continuity and lint of route relations.", epilog=RULES_HELP)
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--relation", "relation_ids", type=int, multiple=True,
              help="Only this relation id (repeatable; negative ids of unsaved JOSM objects work).")
@click.option("--route", help="Only relations with this route=* (bicycle, mtb, hiking …); default: every route.")
@click.option("--severity", type=click.Choice(["error", "warning", "info"]), default="info", show_default=True,
              help="Only show problems at least this severe (text output).")
@click.option("--check", "strict", is_flag=True,
              help="Exit with status 3 when a relation is not continuous in both directions (for CI).")
@json_opt
@click.pass_context
def check_cmd(ctx: click.Context, path: Path, relation_ids: tuple[int, ...], route: str | None, severity: str,
              strict: bool, as_json: bool) -> None:
    """Check every route relation of an OSM FILE (.osm, .osm.pbf, .osm.gz, .osm.bz2, JOSM files).

    For each travel direction: is there a connected path through the member
    ways in member order, respecting oneway, oneway:bicycle, forward/backward
    roles and roundabouts? Then the pieces the members form, the gaps between
    them, and lint findings with stable rule ids.

    \b
    Example:
        radweg relations check extract.osm.pbf --route bicycle
        radweg relations check edited.osm --relation -1 --json
    """
    from radweg.io.text import printable
    from radweg.osm.relcheck import check_file

    if not path.is_file():
        raise click.BadParameter(f"{path}: no such file", param_hint="FILE")
    results = check_file(path, relation_ids=relation_ids or None, route=route)
    if as_json:
        helpers.echo_json([r.as_dict() for r in results])
        _exit(ctx, strict, results)
        return
    if not results:
        helpers.info(ctx, f"{path.name}: no route relations" + (f" with route={route}" if route else ""))
        return
    rank = {"error": 0, "warning": 1, "info": 2}
    for r in results:
        name = r.name or r.tags.get("ref") or "(no name)"
        click.echo(f"relation {r.id} {printable(name)}: {r.summary()}")
        for p in r.problems:
            if rank[p.severity] <= rank[severity]:
                where = f"way {p.member}" if p.member is not None else "relation"
                click.echo(f"  {p.severity:7} {p.rule:22} {where}: {p.message}")
    ok = sum(1 for r in results if r.continuous)
    helpers.info(ctx, f"{len(results)} relation(s), {ok} continuous in both directions")
    _exit(ctx, strict, results)


def _exit(ctx: click.Context, strict: bool, results: list[Any]) -> None:
    from radweg.cli.exits import ExitCode

    if strict and any(not r.continuous for r in results):
        ctx.exit(ExitCode.GAPS_FOUND)
