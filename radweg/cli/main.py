"""The ``radweg`` command group.

Each command family lives in its own module in this package and is registered
here with ``cli.add_command``. Heavy libraries (folium, osmnx, networkx,
geopandas) are imported inside the commands that need them, so that
``radweg --help`` stays fast.

Domain errors (:mod:`radweg.errors`) become one-line messages here, at the
boundary: exit status 1 for bad data or a failed operation, 2 for bad usage
(Click's own), and a traceback only with ``--debug``. Any other exception is a
bug in radweg; it still ends with one line ("internal error", exit 1), never a
traceback unless ``--debug`` asks for it.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from radweg import __version__
from radweg.cli.exits import ExitCode
from radweg.errors import RadwegError, ValidationError


class RadwegGroup(click.Group):
    """A group that turns domain errors into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RadwegError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            lines = str(exc).splitlines() or [type(exc).__name__]
            if isinstance(exc, ValidationError) and len(exc.problems) > 1:
                lines.append(f"{len(exc.problems)} problems found")
            for line in lines:
                click.echo(f"Error: {_fit(line)}", err=True)
            ctx.exit(ExitCode.ERROR)
        except KeyboardInterrupt:
            click.echo("Interrupted", err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except click.exceptions.ClickException as exc:
            exc.message = _fit(exc.message)  # type: ignore[misc]  # a 100,000-character argument is cut
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # The reader of our output went away (``radweg segments list | head``): not an error of ours.
            sys.stderr.close()
            ctx.exit(ExitCode.ERROR)
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"Error: {_internal(exc)}", err=True)
            ctx.exit(ExitCode.ERROR)


MAX_LINE = 1000
"""Longer message lines are cut (they echo some input); the start names the file, feature and field."""


def _fit(line: str) -> str:
    from radweg.io.text import shorten

    return shorten(line, MAX_LINE)


def _internal(exc: BaseException) -> str:
    """One line for an exception radweg did not expect."""
    from radweg.io.text import shorten

    if isinstance(exc, MemoryError):
        return "out of memory; the input is too large for this machine"
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    text = " ".join(str(exc).split()) or "no details"
    return (f"internal error ({type(exc).__name__}: {shorten(text, 160)}); this is a bug in radweg: "
            "run again with --debug for the traceback and report it")


def _configure_logging(verbosity: int) -> None:
    level = max(10, 30 - 10 * verbosity)
    logging.basicConfig(stream=sys.stderr, level=level, format="%(levelname)s %(name)s: %(message)s")


def _show_versions(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import PackageNotFoundError, version

    click.echo(f"radweg {__version__}")
    click.echo(f"python {sys.version.split()[0]}")
    for pkg in ("click", "gpxpy", "shapely", "pyproj", "folium", "osmnx", "networkx", "osmium", "lxml"):
        try:
            click.echo(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            click.echo(f"{pkg} (not installed)")
    ctx.exit()


@click.group(cls=RadwegGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", type=click.Path(file_okay=False, path_type=str), default=".",
              envvar="RADWEG_DATA", show_default=True, show_envvar=True,
              help="The data folder (with radweg.json, routes/, pois/).")
@click.option("-v", "--verbose", count=True, help="More messages (repeatable).")
@click.option("-q", "--quiet", count=True, help="Fewer messages (repeatable).")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.version_option(__version__, "--version", prog_name="radweg")
@click.option("--show-versions", is_flag=True, expose_value=False, is_eager=True, callback=_show_versions,
              help="Print the versions of radweg and its libraries, for bug reports.")
@click.pass_context
def cli(ctx: click.Context, data: str, verbose: int, quiet: int, debug: bool) -> None:
    """Plan and publish a themed cycle route: the Kupferspuren-Radweg in Mansfeld-Südharz.

    Segments, tours and stages live in routes/, points of interest in pois/,
    as GeoJSON you can review in git. Generated files go to output/.

    \b
    Example:
        radweg --data . validate
        radweg stats --json
    """
    ctx.ensure_object(dict)
    ctx.obj.update(data=data, verbosity=verbose - quiet, debug=debug or bool(os.environ.get("RADWEG_DEBUG")))
    _configure_logging(verbose - quiet)


def _register() -> None:
    from radweg.cli import (
        audit,
        data,
        elevation,
        export,
        gaps,
        gpx_import,
        neighbours,
        network,
        pois,
        publish,
        relations,
        segments,
        stages,
        stats,
        tours,
        webmap,
    )

    cli.add_command(data.init)
    cli.add_command(data.validate)
    cli.add_command(segments.segments)
    cli.add_command(pois.pois)
    cli.add_command(neighbours.neighbours)
    cli.add_command(tours.tours)
    cli.add_command(stats.stats)
    export.export.add_command(webmap.map_cmd)
    cli.add_command(export.export)
    cli.add_command(stages.stages)
    gpx_import.register()
    cli.add_command(network.network)
    cli.add_command(gaps.gaps)
    cli.add_command(publish.publish)
    cli.add_command(elevation.elevation)
    cli.add_command(relations.relations)
    cli.add_command(audit.audit)


_register()
