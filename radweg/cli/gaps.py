"""``radweg gaps``: gap detection, planner reports, triage and comparison with an earlier report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from radweg.cli import helpers
from radweg.gaps.model import GAP_KINDS, GapConfig
from radweg.gaps.triage import TRIAGE_STATUSES

FORMATS = ("table", "md", "html", "csv", "geojson", "gpkg")


def _config(ctx: click.Context, ds: Any, tolerance: float | None, radius: float | None,
            kinds: tuple[str, ...]) -> Any:
    return GapConfig.from_project(ds.project, tolerance_m=tolerance, radius_m=radius, kinds=kinds or None)


def _load_graph(ctx: click.Context, name: str | None, graph_file: str | None) -> Any:
    from radweg.osm.network import load

    if graph_file:
        return load(Path(graph_file), Path(ctx.obj["data"]))
    return None if name is None else load(name, Path(ctx.obj["data"]))


@click.group(invoke_without_command=True, short_help="Find gaps, report them, triage them.")
@click.option("--tolerance", type=click.FloatRange(min=0), default=None, metavar="M",
              help="Ends closer than this meet (default 25, or radweg.json gaps.tolerance_m).")
@click.option("--radius", type=click.FloatRange(min=0, min_open=True), default=None, metavar="M",
              help="Search radius for connections, parts and links (default 10000).")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(GAP_KINDS),
              help="Only these kinds (repeatable).")
@click.option("--network", "network", default=None, metavar="NAME",
              help="Route connectors on this cached street network (see radweg network import) "
                   "[default: radweg.json 'network'].")
@click.option("--graph", "graph_file", type=click.Path(exists=True, dir_okay=False), default=None,
              metavar="FILE", help="Route connectors on a street network in a GraphML file.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (required for gpkg; default: stdout).")
@click.option("--compare", "compare_with", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="OLD.geojson", help="Report gaps opened, closed and changed since an earlier GeoJSON report.")
@click.option("--check", is_flag=True,
              help="Exit with status 3 when a gap has no triage (for a data repository's CI).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Run the partner searches in tiles on N local processes (same report).")
@click.option("--dask", "use_dask", is_flag=True, help="Run the tiles on a local Dask cluster of --workers processes.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run the tiles on an existing Dask cluster, e.g. tcp://host:8786 (same report).")
@click.pass_context
def gaps(ctx: click.Context, tolerance: float | None, radius: float | None, kinds: tuple[str, ...],
         network: str | None, graph_file: str | None, fmt: str, output: Path | None, compare_with: Path | None,
         check: bool, workers: int, use_dask: bool, scheduler: str | None) -> None:
    """Find where the network breaks and where it misses its neighbouring routes.

    Kinds: continuity (tour legs that do not meet; dead ends), status (stretches that
    are planned, under construction or closed), connection (a neighbouring route's
    closest approach), component (separate parts of the combined network), link
    (two network ends that only a long detour joins). See docs/gaps.md.

    Without --network/--graph the gaps are straight lines; with one, each gap gets up to
    three routed connectors with their length, detour and road classes.

    \b
    Exit status: 0 ok; 1 error; 2 bad usage;
                 3 with --check when a gap has no triage yet.
    \b
    Examples:
        radweg gaps
        radweg gaps --format html -o output/gaps.html
        radweg gaps --format geojson -o output/gaps.geojson --compare old-gaps.geojson
        radweg gaps --workers 2 --format csv -o output/gaps.csv
        radweg gaps triage ct-b3293df5 --status accepted --comment "Anschluss 2027"
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj["gap_overrides"] = {"tolerance": tolerance, "radius": radius, "kinds": kinds}
        return
    from radweg.cli.exits import ExitCode
    from radweg.gaps.report import build_report
    from radweg.gaps.triage import load_triage

    if fmt == "gpkg" and output is None:
        raise click.UsageError("--format gpkg needs --output FILE")
    if use_dask and scheduler:
        raise click.UsageError("--dask starts a local Dask cluster; --scheduler uses an existing one: give one")
    ds = helpers.load(ctx)
    cfg = _config(ctx, ds, tolerance, radius, kinds)
    if network is None and graph_file is None and ds.project.get("network"):
        network = str(ds.project["network"])
    graph = _load_graph(ctx, network, graph_file)
    triage = load_triage(Path(ctx.obj["data"]))
    found = None
    if workers > 1 or use_dask or scheduler:
        from radweg.gaps.partition import find_gaps_partitioned

        found = find_gaps_partitioned(ds, cfg, workers=workers, scheduler=scheduler or ("local" if use_dask else None))
    report = build_report(ds, cfg, graph=graph, network_name=network or graph_file, triage=triage, gaps=found)
    if graph is None:
        helpers.info(ctx, "No street network loaded: gaps are straight lines (use --network NAME or --graph FILE).")
    else:
        from radweg.gaps.connectors import coverage_warnings

        for line in coverage_warnings(report.connectors or {}, network or graph_file):
            helpers.info(ctx, line)
    _emit(ctx, report, ds, fmt, output)
    if compare_with is not None:
        _compare(ctx, report, compare_with)
    if check:
        missing = [g.id for g in report.gaps if g.id not in triage]
        if missing:
            helpers.info(ctx, f"{len(missing)} gap(s) without triage: {', '.join(missing)}")
            ctx.exit(ExitCode.GAPS_FOUND)


def _emit(ctx: click.Context, report: Any, ds: Any, fmt: str, output: Path | None) -> None:
    from radweg.io.atomic import write_atomic

    if fmt == "table":
        text = None
        if output is None:
            _table(report)
            return
        from radweg.gaps.render import render_md

        text = render_md(report, ds)
    elif fmt == "gpkg":
        from radweg.gaps.render import write_gpkg

        assert output is not None
        _check_output(output)
        write_gpkg(report, output)
        helpers.info(ctx, f"Wrote {output} ({len(report.gaps)} gaps)")
        return
    else:
        from radweg.gaps.render import render

        text = render(report, fmt, ds)
    if output is None:
        click.echo(text, nl=False)
        return
    _check_output(output)
    write_atomic(output, text, str(output))
    helpers.info(ctx, f"Wrote {output} ({len(report.gaps)} gaps)")


def _check_output(output: Path) -> None:
    from radweg.errors import StorageError

    if not output.parent.exists():
        raise StorageError(f"{output}: folder {output.parent} does not exist")


def _table(report: Any) -> None:
    from radweg.gaps.report import gap_record

    rows = []
    for gap in report.gaps:
        r = gap_record(report, gap)
        ends = r["a_name"] + (f" → {r['b_name']}" if r["b_name"] and r["b_name"] != r["a_name"] else "")
        rows.append([r["rank"], r["id"], r["kind"], r["detail"], round(r["length_m"]), _short(ends, 70),
                     r["score"], r["triage"], r["connector_m"]])
    helpers.table(rows, ["#", "id", "kind", "detail", "m", "ends", "score", "triage", "connector m"])

    counts = {k: n for k in GAP_KINDS if (n := sum(1 for g in report.gaps if g.kind == k))}
    click.echo("")
    click.echo(f"{len(report.gaps)} gaps (" + ", ".join(f"{k} {n}" for k, n in counts.items()) + ")"
               + ("; straight lines, no street network" if report.straight_only else ""))
    if report.stale:
        click.echo(f"Triage entries without a current gap: {', '.join(report.stale)}")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _compare(ctx: click.Context, report: Any, old_path: Path) -> None:
    from radweg.gaps.report import gap_record
    from radweg.gaps.triage import compare, read_report

    old = read_report(old_path)
    new = {g.id: gap_record(report, g) for g in report.gaps}
    changes = compare(old, new)
    counts = {w: sum(1 for c in changes if c.what == w) for w in ("opened", "closed", "changed")}
    click.echo("", err=True)
    click.echo(f"Compared with {old_path}: opened {counts['opened']}, closed {counts['closed']}, "
               f"changed {counts['changed']}", err=True)
    for c in changes:
        click.echo(f"  {c.what:8} {c.gap_id}  {c.kind}" + (f"  ({c.details})" if c.details else ""), err=True)


@gaps.command(short_help="Record a planner's status and comment for a gap.")
@click.argument("gap_id")
@click.option("--status", type=click.Choice(TRIAGE_STATUSES), default=None,
              help=", ".join(TRIAGE_STATUSES[:-1]) + f" or {TRIAGE_STATUSES[-1]}.")
@click.option("--comment", default=None, help="Free text (replaces the old comment).")
@click.option("--clear", is_flag=True, help="Forget this gap's triage.")
@click.option("--force", is_flag=True, help="Record it even if no current gap has this id.")
@click.pass_context
def triage(ctx: click.Context, gap_id: str, status: str | None, comment: str | None, clear: bool,
           force: bool) -> None:
    """Record a status and comment for GAP_ID in routes/gaps-triage.json.

    The entry survives re-runs: gap ids stay the same while a gap stays between the same
    two features. `radweg gaps --check` exits 3 while any gap has no entry.

    \b
    Example:
        radweg gaps triage ct-b3293df5 --status in-planning --comment "Verbindung Röhrigschacht 2027"
    """
    import datetime

    from radweg.errors import NotFoundError
    from radweg.gaps.triage import clear_triage, set_triage

    root = helpers.store(ctx).root  # held for writing until the command ends
    if clear:
        if status or comment is not None:
            raise click.UsageError("--clear cannot be combined with --status or --comment")
        if not clear_triage(root, gap_id):
            raise NotFoundError(f"gap '{gap_id}' has no triage entry")
        helpers.info(ctx, f"Cleared triage of {gap_id}")
        return
    if status is None and comment is None:
        raise click.UsageError("give --status and/or --comment (or --clear)")
    if not force:
        from radweg.gaps.detect import find_gaps

        ds = helpers.load(ctx)
        over = ctx.obj.get("gap_overrides", {})
        ids = {g.id for g in find_gaps(ds, _config(ctx, ds, over.get("tolerance"), over.get("radius"),
                                                   over.get("kinds") or ()))}
        if gap_id not in ids:
            raise NotFoundError(f"no current gap has the id '{gap_id}' (see 'radweg gaps'; --force records it anyway)")
    entry = set_triage(root, gap_id, status, comment, datetime.date.today().isoformat())
    helpers.info(ctx, f"{gap_id}: {entry.status}" + (f" – {entry.comment}" if entry.comment else ""))
