"""Command factories shared by the data families (segments, pois, neighbours, tours).

Each family gets the same ``list``, ``show``, ``remove``, ``set`` and ``import``
behaviour; the family module adds what is particular to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from radweg.cli import helpers
from radweg.cli.options import assignments_arg, dry_run_opt, json_opt, update_opt

if TYPE_CHECKING:
    from radweg.data.importers import ImportReport
    from radweg.data.incoming import Reader

Row = Callable[[Any, Any], dict[str, Any]]
"""Builds the table row / JSON record of one item (item, dataset) -> ordered dict."""

Columns = Mapping[str, Callable[[Any], str]]
"""Column name -> how a table shows its values (default :func:`radweg.io.text.cell`)."""


def register_importer(suffixes: tuple[str, ...], reader: Reader) -> None:
    """Let ``import`` read another format by file suffix; see :func:`radweg.data.importers.register_reader`."""
    from radweg.data.importers import register_reader

    register_reader(suffixes, reader, name=suffixes[0].lstrip(".").upper())


def list_command(kind: str, row: Row, filters: list[tuple[str, str]] | None = None, *,
                 columns: Columns | None = None) -> click.Command:
    """``KIND list``: a table (values shown as ``columns`` says), or JSON records."""

    @click.command("list", short_help=f"List {kind}.")
    @json_opt
    @click.pass_context
    def cmd(ctx: click.Context, /, as_json: bool, **where: str | None) -> None:
        ds = helpers.load(ctx)
        items = getattr(ds, kind).items
        for name, value in where.items():
            if value is not None:
                items = [it for it in items if getattr(it, name) == value]
        helpers.records(ctx, [row(it, ds) for it in items], as_json, f"no {kind}", columns=columns)

    for name, help_text in filters or []:
        cmd = click.option(f"--{name.replace('_', '-')}", name, help=help_text)(cmd)
    cmd.help = cmd.__doc__ = f"List the {kind} of the data folder, sorted by id."
    return cmd


def show_command(kind: str, row: Row, *, columns: Columns | None = None) -> click.Command:
    """``KIND show ID``: every field (values shown as ``columns`` says), or the GeoJSON feature with --json."""

    @click.command("show", short_help=f"Show one of the {kind}.")
    @click.argument("item_id", metavar="ID")
    @json_opt
    @click.pass_context
    def cmd(ctx: click.Context, /, item_id: str, as_json: bool) -> None:
        from radweg.data.edit import find
        from radweg.io.geojson import feature
        from radweg.io.text import cell

        ds = helpers.load(ctx)
        item = find(getattr(ds, kind), kind, item_id)
        feat = feature(item)
        summary = row(item, ds)
        if as_json:
            feat["properties"] = {**feat["properties"], **{k: v for k, v in summary.items()
                                                           if k not in feat["properties"]}}
            helpers.echo_json(feat)
            return
        props = feat["properties"]
        merged = {**props, **{k: v for k, v in summary.items() if k not in props}}
        width = max(len(k) for k in merged)
        for key, value in merged.items():
            if isinstance(value, list):
                value = ", ".join(_describe(v) if isinstance(v, dict) else str(v) for v in value) or "-"
            show = (columns or {}).get(key, cell) if value is not None else cell
            click.echo(f"{key.ljust(width)}  {show(value)}")

    cmd.help = cmd.__doc__ = f"Show every field of one of the {kind}."
    return cmd


def _describe(value: dict[str, Any]) -> str:
    """A stage (or other object) in one short phrase."""
    if "start" in value and "end" in value:
        return f"{value.get('name')} ({value['start'].get('name') or '?'} → {value['end'].get('name') or '?'})"
    return str(value.get("name", value))


def remove_command(kind: str) -> click.Command:
    """``KIND remove ID``."""

    @click.command("remove", short_help=f"Remove one of the {kind}.")
    @click.argument("item_id", metavar="ID")
    @click.option("--force", is_flag=True, help="Also drop a removed segment from the tours that use it.")
    @click.pass_context
    def cmd(ctx: click.Context, /, item_id: str, force: bool) -> None:
        from radweg.data import edit

        st = helpers.store(ctx)
        ds = helpers.load(ctx)
        notes: list[str] = []
        changed = edit.remove(ds, kind, item_id, force=force, notes=notes)
        st.save(ds, [kind] + (["tours"] if changed else []))
        for note in notes:
            helpers.info(ctx, note)
        helpers.info(ctx, f"removed {edit.SINGULAR[kind]} '{item_id}'"
                     + (f"; dropped it from tour(s) {', '.join(changed)}" if changed else ""))

    cmd.help = cmd.__doc__ = f"Remove one of the {kind} by id. Segments used by a tour need --force."
    return cmd


def set_command(kind: str) -> click.Command:
    """``KIND set ID FIELD=VALUE…``."""
    from radweg.data.edit import settable_fields

    @click.command("set", short_help=f"Change fields of one of the {kind}.")
    @click.argument("item_id", metavar="ID")
    @assignments_arg
    @click.pass_context
    def cmd(ctx: click.Context, /, item_id: str, assignments: dict[str, str]) -> None:
        from radweg.data import edit

        allowed = edit.settable_fields(kind)
        unknown = [k for k in assignments if k not in allowed]
        if unknown:
            raise click.UsageError(f"cannot set {', '.join(unknown)}; settable fields: {', '.join(allowed)}")
        st = helpers.store(ctx)
        ds = helpers.load(ctx)
        coll = getattr(ds, kind)
        item = edit.set_fields(kind, edit.find(coll, kind, item_id), assignments)
        edit.replace_item(coll, item)
        st.save(ds, [kind])
        helpers.info(ctx, f"updated {edit.SINGULAR[kind]} '{item_id}': {', '.join(assignments)}")

    cmd.help = cmd.__doc__ = (f"Change fields of one of the {kind}: FIELD=VALUE, an empty VALUE clears the "
                              f"field.\n\nSettable fields: {', '.join(settable_fields(kind))}.")
    return cmd


def import_command(kind: str, defaults: list[tuple[str, str, str | None]], formats: str, *,
                   extra_options: list[tuple[str, Callable[[Any], Any]]] | None = None,
                   check: Callable[[Path, dict[str, Any], dict[str, Any]], None] | None = None) -> click.Command:
    """``KIND import FILE``; ``defaults`` are (field, help, default) for features that lack the field.

    ``extra_options`` are (parameter name, click.option decorator): options of
    a format, passed to its importer when given (see
    :func:`radweg.data.importers.import_file`). ``check(path, defaults, options)``
    may refuse combinations with a click.UsageError before anything is read.
    """
    extra_names = {name for name, _ in extra_options or []}

    @click.command("import", short_help=f"Import {kind} from a file.")
    @click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @update_opt
    @dry_run_opt
    @click.pass_context
    def cmd(ctx: click.Context, /, path: Path, update: bool, dry_run: bool, **fill: Any) -> None:
        from click.core import ParameterSource

        from radweg.data.importers import format_for, import_file

        options = {name: fill.pop(name) for name in list(fill) if name in extra_names}
        given = {name: value for name, value in options.items()
                 if ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None)}
        fmt = format_for(path, kind)
        wrong = [name for name in given if fmt.options is not None and name not in fmt.options]
        if wrong:
            flag = next(p.opts[0] for p in ctx.command.params if p.name == wrong[0])
            raise click.UsageError(f"{flag} does not apply to {fmt.name} files")
        if check is not None:
            check(path, fill, given)
        report = import_file(helpers.data_store(ctx, write=not dry_run), path, kind=kind, update=update,
                             dry_run=dry_run, defaults=fill, **given)
        show_import(ctx, report)

    for name, help_text, default in defaults:
        cmd = click.option(f"--{name.replace('_', '-')}", name, default=default, show_default=default is not None,
                           help=help_text)(cmd)
    for _, decorator in reversed(extra_options or []):
        cmd = decorator(cmd)
    cmd.help = cmd.__doc__ = (f"Import {kind} from FILE ({formats}).\n\n"
                              "Features without an id get one made from their name. Existing ids are refused "
                              "unless --update is given. Everything is validated before anything is written. "
                              "Prints one summary line; with -v (radweg -v KIND import …) also a line per feature.")
    return cmd


def show_import(ctx: click.Context, report: ImportReport) -> None:
    """The summary of an import on stderr; with -v first a table of every feature on stdout."""
    if helpers.verbose(ctx) and report.lines:
        helpers.table([[line.action, line.id or "-", line.name, line.detail] for line in report.lines],
                      ["action", "id", "name", "detail"])
    helpers.info(ctx, report.summary())
