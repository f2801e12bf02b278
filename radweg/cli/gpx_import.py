"""Registers GPX as an import format for ``segments import`` and ``pois import``.

Kept tiny on purpose: lxml is only imported when a GPX file is actually read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from radweg.cli import crud


def _import_gpx(path: Path, kind: str, defaults: dict[str, Any], options: dict[str, Any]) -> list[dict[str, Any]]:
    from radweg.gpx.importer import importer

    return importer(path, kind, defaults, options)


def register() -> None:
    """Make ``.gpx`` files importable."""
    crud.register_importer((".gpx",), _import_gpx)
