"""The command group: help, versions, exit codes, lazy imports."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from radweg import __version__
from radweg.cli.main import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append(prefix + (name,))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, prefix + (name,))
    return out


@pytest.mark.parametrize("path", _commands(cli), ids=lambda p: " ".join(p))
def test_every_command_has_help(runner, path: tuple[str, ...]) -> None:
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.stdout
    cmd = cli
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    assert cmd.get_short_help_str() and "…" not in cmd.get_short_help_str()[:3]


def test_version(runner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.stdout.strip() == f"radweg, version {__version__}"
    versions = runner.invoke(cli, ["--show-versions"]).stdout
    assert "shapely " in versions and "gpxpy " in versions


def test_unknown_command_is_usage_error(runner) -> None:
    result = runner.invoke(cli, ["gibtsnicht"])
    assert result.exit_code == 2


def test_data_from_environment(runner, sample) -> None:
    result = runner.invoke(cli, ["stats", "--json"], env={"RADWEG_DATA": str(sample)})
    assert result.exit_code == 0 and '"network"' in result.stdout


def test_heavy_libraries_are_not_imported_at_startup() -> None:
    code = ("import sys; from radweg.cli.main import cli; "
            "heavy = [m for m in ('folium', 'osmnx', 'networkx', 'geopandas', 'pandas', 'gpxpy', 'lxml', 'shapely') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_python_dash_m(sample) -> None:
    out = subprocess.run([sys.executable, "-m", "radweg", "--data", str(sample), "stats", "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and '"length_km"' in out.stdout
