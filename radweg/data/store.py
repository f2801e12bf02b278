"""The data folder on disk: loading it whole, saving it safely, creating an empty one.

Where each file lives is :mod:`radweg.data.layout`'s business. Every save
validates the whole dataset first and writes nothing if a problem is found;
files are replaced atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radweg.data.layout import DATA_FILES, SETTINGS_FILE, Layout
from radweg.data.validate import errors_only, validate
from radweg.errors import DataError, Problem, StorageError, ValidationError
from radweg.io.atomic import write_many_atomic
from radweg.io.geojson import dump_collection, dumps, read_collection
from radweg.model import Collection, Dataset

DEFAULT_PROJECT: dict[str, Any] = {
    "name": "Neue Route",
    "bbox": None,
    "stage_tolerance_m": 100.0,
}


@dataclass
class Store:
    """A data folder on disk."""

    root: Path

    @property
    def layout(self) -> Layout:
        """Every path of this data folder."""
        return Layout(self.root)

    def path(self, kind: str) -> Path:
        """The file of one kind of data."""
        return self.layout.data_file(kind)

    def display(self, kind: str) -> str:
        """The file name used in messages: relative to the data folder."""
        return DATA_FILES.get(kind, kind)

    def exists(self) -> bool:
        """True when the folder holds radweg data (settings or any data file)."""
        return self.layout.holds_data()

    def read_project(self) -> tuple[dict[str, Any], list[Problem]]:
        """The settings of radweg.json over the defaults, and the problems found in them."""
        path = self.layout.settings
        if not path.exists():
            return dict(DEFAULT_PROJECT), []
        try:
            obj = json.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            return dict(DEFAULT_PROJECT), [Problem(SETTINGS_FILE, "not UTF-8 text")]
        except json.JSONDecodeError as exc:
            return dict(DEFAULT_PROJECT), [Problem(SETTINGS_FILE, f"invalid JSON at line {exc.lineno} column "
                                                                  f"{exc.colno}: {exc.msg}")]
        if not isinstance(obj, dict):
            return dict(DEFAULT_PROJECT), [Problem(SETTINGS_FILE, "must be a JSON object")]
        problems: list[Problem] = []
        bbox = obj.get("bbox")
        if bbox is not None and not _valid_bbox(bbox):
            problems.append(Problem(SETTINGS_FILE, "must be [west, south, east, north] in degrees", field="bbox"))
        return {**DEFAULT_PROJECT, **obj}, problems

    def read(self) -> tuple[Dataset, list[Problem]]:
        """Load everything; return the dataset and every problem found while parsing."""
        if not self.root.is_dir():
            raise StorageError(f"{self.root}: data folder does not exist")
        project, problems = self.read_project()
        ds = Dataset(project=project, root=self.root)
        for kind in DATA_FILES:
            coll, found = read_collection(self.path(kind), kind, self.display(kind))
            setattr(ds, kind, coll)
            problems.extend(found)
        return ds, problems

    def check(self, ds: Dataset, *, parsed_cleanly: bool = True) -> list[Problem]:
        """Every cross-feature problem of ``ds`` (errors and warnings), named by this folder's files."""
        return validate(ds, files={k: self.display(k) for k in DATA_FILES}, parsed_cleanly=parsed_cleanly)

    def inspect(self) -> tuple[Dataset, list[Problem]]:
        """Load everything and check it: the dataset and every problem, from parsing and across features."""
        ds, problems = self.read()
        problems += self.check(ds, parsed_cleanly=not errors_only(problems))
        return ds, problems

    def load(self) -> Dataset:
        """Load and validate; raise ValidationError listing every error."""
        ds, problems = self.inspect()
        errors = errors_only(problems)
        if errors:
            raise ValidationError(errors)
        return ds

    def ensure_valid(self, ds: Dataset) -> None:
        """Raise ValidationError listing every error of ``ds`` (what :meth:`save` would refuse)."""
        errors = errors_only(self.check(ds))
        if errors:
            raise ValidationError(errors)

    def save(self, ds: Dataset, kinds: list[str]) -> None:
        """Validate the whole dataset, then write the given kinds atomically."""
        self.ensure_valid(ds)
        items = [(self.path(kind), dump_collection(getattr(ds, kind))) for kind in kinds]
        write_many_atomic(items, {self.path(k): self.display(k) for k in kinds})

    def init(self, name: str, bbox: list[float] | None,
             metadata: dict[str, dict[str, Any]] | None = None) -> list[Path]:
        """Create an empty data folder. Refuses to overwrite existing data."""
        if self.exists():
            raise DataError(f"{self.root}: already holds radweg data; not touching it")
        project = {**DEFAULT_PROJECT, "name": name, "bbox": bbox}
        items: list[tuple[Path, str]] = [(self.layout.settings, dumps(project))]
        for kind in DATA_FILES:
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
    return bool(-180 <= w < e <= 180 and -90 <= s < n <= 90)
