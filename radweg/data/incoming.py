"""What an importer is given and what it hands back: the contract between file formats and the import pipeline.

An importer reads one file for one kind of data (``segments``, ``pois``,
``neighbours``, ``tours``) and returns :class:`Incoming`: GeoJSON features to
parse, or model objects it has built itself, plus a line for every feature it
left out. :mod:`radweg.data.importers` keeps the registry and does the rest
(merge, validate, save).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from radweg.model import Dataset


@dataclass(frozen=True)
class FeatureLine:
    """One feature of an import, for people: what happens to it and why."""

    action: str
    """``add``, ``update``, ``unchanged`` or ``skip``."""
    id: str | None
    name: str | None
    detail: str = ""


@dataclass(frozen=True)
class ImportRequest:
    """One file to import: what it is read as, the dataset it goes into, defaults and options."""

    path: Path
    kind: str
    dataset: Dataset
    defaults: dict[str, Any] = field(default_factory=dict)
    """Field values for features that have none (e.g. ``status``, ``source``)."""
    options: dict[str, Any] = field(default_factory=dict)
    """Options of the format (e.g. ``radius_m`` for OpenStreetMap POIs)."""


@dataclass
class Incoming:
    """What an importer read from a file."""

    features: list[dict[str, Any]] = field(default_factory=list)
    """GeoJSON feature dicts, with ids; parsed and checked like a data file."""
    items: list[Any] = field(default_factory=list)
    """Model objects built by the importer itself (already checked)."""
    skipped: list[FeatureLine] = field(default_factory=list)
    """Features of the file that are not imported, with the reason."""
    details: dict[str, str] = field(default_factory=dict)
    """Feature id -> what the importer has to say about it (e.g. a route relation's continuity)."""
    found: str = ""
    """What the file held, for the summary (e.g. '12 POIs found inside the project area')."""
    tours: list[Any] = field(default_factory=list)
    """Tours the importer built along with the features (e.g. from route relations); merged into the tours."""
    merges: bool = False
    """True when replacing existing features is the point (e.g. filling fields of existing POIs), so that
    it needs no ``update``."""


Importer = Callable[[ImportRequest], Incoming]
"""Reads a file for an import."""

Reader = Callable[[Path, str, dict[str, Any], dict[str, Any]], list[dict[str, Any]]]
"""The simple form of an importer: (path, kind, defaults, options) -> GeoJSON feature dicts with ids."""
