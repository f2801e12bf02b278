"""Shared CLI helpers: the store from the context, output of tables and JSON, messages."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from radweg.io.text import cell

if TYPE_CHECKING:
    from radweg.data.store import Store
    from radweg.model import Dataset


def _store(ctx: click.Context) -> Store:
    from radweg.data.store import Store

    return Store(Path(ctx.obj["data"]))


def store(ctx: click.Context) -> Store:
    """The data folder chosen with --data / RADWEG_DATA, for a command that writes to it.

    The folder's lock is held exclusively from here to the end of the
    command, so that no other command changes the files between this
    command's load and its save (another writer waits, at most
    RADWEG_LOCK_TIMEOUT seconds, then ends with a "busy" error).
    """
    st = _store(ctx)
    if st.root.is_dir():
        ctx.with_resource(st.locked(exclusive=True))
    return st


def data_store(ctx: click.Context, *, write: bool = False) -> Store:
    """The data folder (locked as by :func:`store` with ``write``), or StorageError (exit 1) when it holds no
    radweg data."""
    st = store(ctx) if write else _store(ctx)
    if not st.exists():
        from radweg.errors import StorageError

        raise StorageError(f"{st.root}: not a radweg data folder (no radweg.json, routes/ or pois/); "
                           "use --data DIR or run 'radweg init DIR'")
    return st


def load(ctx: click.Context) -> Dataset:
    """Load and validate the data folder (errors end the command with exit 1); read under the shared lock."""
    return data_store(ctx).load()


def info(ctx: click.Context, message: str) -> None:
    """A message for people, on stderr; silenced by -q."""
    if ctx.obj.get("verbosity", 0) >= 0:
        click.echo(message, err=True)


def verbose(ctx: click.Context) -> bool:
    """True with -v: details such as a line per imported feature."""
    return bool(ctx.obj.get("verbosity", 0) >= 1)


def echo_json(obj: Any) -> None:
    """JSON on stdout, keys in a stable order."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False))


def records(ctx: click.Context, items: Sequence[dict[str, Any]], as_json: bool, empty: str, *,
            columns: Mapping[str, Callable[[Any], str]] | None = None) -> None:
    """Records as a JSON list or, for people, a table (``empty`` on stderr when there are none).

    ``columns`` says how the table shows the values of some columns (e.g.
    coordinates with 6 decimals); the JSON keeps the values as they are.
    """
    if as_json:
        echo_json(list(items))
    elif items:
        table([list(r.values()) for r in items], list(items[0].keys()), columns=columns)
    else:
        info(ctx, empty)


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str], *,
          columns: Mapping[str, Callable[[Any], str]] | None = None) -> None:
    """A plain text table on stdout; values as :func:`radweg.io.text.cell`, or as ``columns`` says by header."""
    shows = [(columns or {}).get(h, cell) for h in headers]
    cells = [[cell(v) if v is None else show(v) for v, show in zip(row, shows, strict=False)] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=False)]
    numeric = [all(isinstance(r[i], (int, float)) and not isinstance(r[i], bool) for r in rows if r[i] is not None)
               for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric, strict=False)).rstrip()

    click.echo(line(list(headers)))
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo(line(row))


def km(metres: float) -> float:
    """Metres to kilometres, rounded to 0.01 km for reports."""
    return round(metres / 1000.0, 2)
