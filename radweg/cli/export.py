"""``radweg export``: files made from the data (GPX, web map)."""

from __future__ import annotations

import click


@click.group(short_help="Export GPX files or the web map.")
def export() -> None:
    """Make files from the data: GPX for devices, an HTML map for the web.

    \b
    Example:
        radweg export map -o output/map.html
    """
