"""Command factories shared by the data families (segments, pois, neighbours, tours).

Each family gets the same ``list``, ``show``, ``remove``, ``set`` and ``import``
behaviour; the family module adds what is particular to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from radweg.cli import helpers
from radweg.cli.options import assignments_arg, dry_run_opt, json_opt, update_opt

Row = Callable[[Any, Any], dict[str, Any]]
"""Builds the table row / JSON record of one item (item, dataset) -> ordered dict."""

Importer = Callable[[Path, str, dict[str, Any], dict[str, Any]], list[dict[str, Any]]]
"""Reads a file into GeoJSON feature dicts: (path, kind, defaults, options) -> features."""

IMPORTERS: dict[str, Importer] = {}
"""File suffix (lower case, with dot) -> importer for formats other than GeoJSON."""


def register_importer(suffixes: tuple[str, ...], importer: Importer) -> None:
    """Let ``import`` read other formats (GPX, OSM …) by file suffix."""
    for s in suffixes:
        IMPORTERS[s] = importer


def list_command(kind: str, row: Row, filters: list[tuple[str, str]] | None = None) -> click.Command:
    """``KIND list``: a table, or JSON records."""

    @click.command("list", short_help=f"List {kind}.")
    @json_opt
    @click.pass_context
    def cmd(ctx: click.Context, as_json: bool, **where: str | None) -> None:
        ds = helpers.load(ctx)
        items = getattr(ds, kind).items
        for name, value in where.items():
            if value is not None:
                items = [it for it in items if getattr(it, name) == value]
        helpers.records(ctx, [row(it, ds) for it in items], as_json, f"no {kind}")

    for name, help_text in filters or []:
        cmd = click.option(f"--{name.replace('_', '-')}", name, help=help_text)(cmd)
    cmd.help = cmd.__doc__ = f"List the {kind} of the data folder, sorted by id."
    return cmd


def show_command(kind: str, row: Row) -> click.Command:
    """``KIND show ID``: every field, or the GeoJSON feature with --json."""

    @click.command("show", short_help=f"Show one of the {kind}.")
    @click.argument("item_id", metavar="ID")
    @json_opt
    @click.pass_context
    def cmd(ctx: click.Context, item_id: str, as_json: bool) -> None:
        from radweg.data.edit import find
        from radweg.io.geojson import feature

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
                value = ", ".join(v if isinstance(v, str) else _describe(v) for v in value) or "-"
            click.echo(f"{key.ljust(width)}  {helpers.fmt(value)}")

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
    def cmd(ctx: click.Context, item_id: str, force: bool) -> None:
        from radweg.data import edit

        st = helpers.store(ctx)
        ds = helpers.load(ctx)
        changed = edit.remove(ds, kind, item_id, force=force)
        st.save(ds, [kind] + (["tours"] if changed else []))
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
    def cmd(ctx: click.Context, item_id: str, assignments: dict[str, str]) -> None:
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


def run_import(ctx: click.Context, kind: str, path: Path, *, update: bool, dry_run: bool,
               defaults: dict[str, Any], options: dict[str, Any] | None = None) -> None:
    """Read features from a file, merge them into the data, save unless ``dry_run``."""
    import json

    from radweg.data import edit
    from radweg.errors import StorageError, ValidationError
    from radweg.io.geojson import decode, parse_collection

    file = str(path)
    importer = IMPORTERS.get(path.suffix.lower()) or IMPORTERS.get("".join(path.suffixes[-2:]).lower())
    if importer is not None:
        feats = importer(path, kind, defaults, options or {})
    else:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise StorageError(f"{file}: cannot read: {exc.strerror or exc}") from exc
        obj, problems = decode(raw, file)
        if problems:
            raise ValidationError(problems)
        feats = edit.prepare_import(obj, kind, file, defaults)
    coll, problems = parse_collection(
        json.dumps({"type": "FeatureCollection", "features": feats}).encode(), kind, file)
    if problems:
        raise ValidationError(problems)
    st = helpers.store(ctx)
    ds = helpers.load(ctx)
    result = edit.merge(getattr(ds, kind), kind, coll.items, update=update)
    verb = "would add" if dry_run else "added"
    for fid in result.added:
        helpers.info(ctx, f"{verb} {fid}")
    for fid in result.replaced:
        helpers.info(ctx, f"{'would replace' if dry_run else 'replaced'} {fid}")
    helpers.info(ctx, f"{file}: {len(result.added)} new, {len(result.replaced)} replaced, "
                      f"{len(result.unchanged)} unchanged {kind}" + (" (dry run, nothing written)" if dry_run else ""))
    if not dry_run and (result.added or result.replaced):
        st.save(ds, [kind])


Handler = Callable[..., None]
"""Imports a file its own way: (ctx, path, *, update, dry_run, defaults, options) -> None."""


def import_command(kind: str, defaults: list[tuple[str, str, str | None]], formats: str, *,
                   extra_options: list[tuple[str, Callable[[Any], Any]]] | None = None,
                   handler: tuple[Callable[[Path], bool], Handler] | None = None) -> click.Command:
    """``KIND import FILE``; ``defaults`` are (field, help, default) for features that lack the field.

    ``extra_options`` are (parameter name, click.option decorator) passed to the
    importer as options; ``handler`` is (matches(path), run) for files that are
    imported their own way (e.g. OSM extracts) instead of through :func:`run_import`.
    """
    extra_options = extra_options or []
    extra_names = {name for name, _ in extra_options}

    @click.command("import", short_help=f"Import {kind} from a file.")
    @click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @update_opt
    @dry_run_opt
    @click.pass_context
    def cmd(ctx: click.Context, path: Path, update: bool, dry_run: bool, **fill: Any) -> None:
        options = {name: fill.pop(name) for name in list(fill) if name in extra_names}
        if handler is not None and handler[0](path):
            handler[1](ctx, path, update=update, dry_run=dry_run, defaults=fill, options=options)
            return
        from click.core import ParameterSource

        given = [n for n in options if ctx.get_parameter_source(n) not in (ParameterSource.DEFAULT, None)]
        if given:
            raise click.UsageError(f"--{given[0].replace('_', '-')} only applies to OpenStreetMap files")
        run_import(ctx, kind, path, update=update, dry_run=dry_run, defaults=fill, options=options)

    for name, help_text, default in defaults:
        cmd = click.option(f"--{name.replace('_', '-')}", name, default=default, show_default=default is not None,
                           help=help_text)(cmd)
    for _, decorator in reversed(extra_options):
        cmd = decorator(cmd)
    cmd.help = cmd.__doc__ = (f"Import {kind} from FILE ({formats}).\n\n"
                              "Features without an id get one made from their name. Existing ids are refused "
                              "unless --update is given. Everything is validated before anything is written.")
    return cmd
