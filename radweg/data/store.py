"""The data folder: where each kind of data lives, loading it whole, saving it safely.

Layout of a data folder (``radweg init`` creates it)::

    radweg.json              project settings (name, area bbox, tolerances)
    routes/segments.geojson  the route network, LineStrings
    routes/tours.geojson     tours (ordered segment ids) and their stages
    routes/neighbours.geojson  neighbouring cycle routes
    pois/pois.geojson        points of interest

Every save validates the whole dataset first and writes nothing if a problem
is found; files are replaced atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radweg.errors import DataError, Problem, StorageError, ValidationError
from radweg.io.atomic import write_many_atomic
from radweg.io.geojson import dump_collection, dumps, read_collection
from radweg.model import Collection, Dataset

PROJECT_FILE = "radweg.json"

PATHS: dict[str, str] = {
    "segments": "routes/segments.geojson",
    "tours": "routes/tours.geojson",
    "neighbours": "routes/neighbours.geojson",
    "pois": "pois/pois.geojson",
}

DEFAULT_PROJECT: dict[str, Any] = {
    "name": "Neue Route",
    "bbox": None,
    "stage_tolerance_m": 100.0,
}


@dataclass
class Store:
    """A data folder on disk."""

    root: Path

    def path(self, kind: str) -> Path:
        return self.root / PATHS[kind]

    def display(self, kind: str) -> str:
        """The file name used in messages: relative to the data folder."""
        return PATHS[kind] if kind in PATHS else kind

    def exists(self) -> bool:
        return (self.root / PROJECT_FILE).exists() or any(self.path(k).exists() for k in PATHS)

    def read_project(self) -> tuple[dict[str, Any], list[Problem]]:
        path = self.root / PROJECT_FILE
        if not path.exists():
            return dict(DEFAULT_PROJECT), []
        try:
            obj = json.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            return dict(DEFAULT_PROJECT), [Problem(PROJECT_FILE, "not UTF-8 text")]
        except json.JSONDecodeError as exc:
            return dict(DEFAULT_PROJECT), [Problem(PROJECT_FILE, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")]
        if not isinstance(obj, dict):
            return dict(DEFAULT_PROJECT), [Problem(PROJECT_FILE, "must be a JSON object")]
        problems: list[Problem] = []
        bbox = obj.get("bbox")
        if bbox is not None and not _valid_bbox(bbox):
            problems.append(Problem(PROJECT_FILE, "must be [west, south, east, north] in degrees", field="bbox"))
        return {**DEFAULT_PROJECT, **obj}, problems

    def read(self) -> tuple[Dataset, list[Problem]]:
        """Load everything; return the dataset and every problem found while parsing."""
        if not self.root.is_dir():
            raise StorageError(f"{self.root}: data folder does not exist")
        project, problems = self.read_project()
        ds = Dataset(project=project)
        for kind in PATHS:
            coll, found = read_collection(self.path(kind), kind, self.display(kind))
            setattr(ds, kind, coll)
            problems.extend(found)
        return ds, problems

    def load(self) -> Dataset:
        """Load and validate; raise ValidationError listing every error."""
        from radweg.data.validate import errors_only, validate

        ds, problems = self.read()
        problems += validate(ds, self, parsed_cleanly=not errors_only(problems))
        errors = errors_only(problems)
        if errors:
            raise ValidationError(errors)
        return ds

    def save(self, ds: Dataset, kinds: list[str]) -> None:
        """Validate the whole dataset, then write the given kinds atomically."""
        from radweg.data.validate import errors_only, validate

        problems = errors_only(validate(ds, self))
        if problems:
            raise ValidationError(problems)
        items = [(self.path(kind), dump_collection(getattr(ds, kind))) for kind in kinds]
        write_many_atomic(items, {self.path(k): self.display(k) for k in kinds})

    def init(self, name: str, bbox: list[float] | None, metadata: dict[str, dict[str, Any]] | None = None) -> list[Path]:
        """Create an empty data folder. Refuses to overwrite existing data."""
        if self.exists():
            raise DataError(f"{self.root}: already holds radweg data; not touching it")
        project = {**DEFAULT_PROJECT, "name": name, "bbox": bbox}
        items: list[tuple[Path, str]] = [(self.root / PROJECT_FILE, dumps(project))]
        for kind in PATHS:
            coll = Collection(metadata=(metadata or {}).get(kind, {}))
            items.append((self.path(kind), dump_collection(coll)))
        write_many_atomic(items)
        return [p for p, _ in items]


def _valid_bbox(bbox: Any) -> bool:
    if not isinstance(bbox, list) or len(bbox) != 4:
        return False
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in bbox):
        return False
    w, s, e, n = bbox
    return -180 <= w < e <= 180 and -90 <= s < n <= 90
