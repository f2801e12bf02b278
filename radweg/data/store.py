"""The data folder on disk: loading it whole, saving it safely, creating an empty one.

Where each file lives is :mod:`radweg.data.layout`'s business. Every save
validates the whole dataset first and writes nothing if a problem is found.

Saving is safe against other commands, editors and kills:

- the folder's lock (:mod:`radweg.data.lock`) is held shared while reading
  and exclusively while saving (CLI commands that write hold it from loading
  to saving);
- the SHA-256 of every file is recorded when it is loaded, and a save refuses
  (StaleDataError, naming the file) when a file changed on disk meanwhile;
- the files of one save change together (:mod:`radweg.io.journal`); a save
  interrupted by a kill is completed by the next command that opens the folder.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radweg.data.layout import DATA_FILES, SETTINGS_FILE, Layout
from radweg.data.lock import folder_lock
from radweg.data.validate import errors_only, validate
from radweg.errors import DataError, Problem, StaleDataError, StorageError, ValidationError
from radweg.io import journal
from radweg.io.atomic import check_writable
from radweg.io.files import JsonProblem, decode_json, file_kind, read_limited
from radweg.io.geojson import dump_collection, dumps, parse_collection
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
        """The settings of radweg.json over the defaults, and the problems found in them.

        A setting with a problem is left at its default, so no later step
        works with a value it cannot use.
        """
        path = self.layout.settings
        if not os.path.lexists(path):
            return dict(DEFAULT_PROJECT), []
        try:
            raw = read_limited(path, SETTINGS_FILE, 1024 * 1024)
            _fingerprints(self.root)[SETTINGS_FILE] = _digest(raw)
            obj = decode_json(raw)
        except StorageError as exc:
            return dict(DEFAULT_PROJECT), [Problem(SETTINGS_FILE, str(exc).removeprefix(f"{SETTINGS_FILE}: "))]
        except JsonProblem as exc:
            return dict(DEFAULT_PROJECT), [Problem(SETTINGS_FILE, str(exc))]
        if not isinstance(obj, dict):
            return dict(DEFAULT_PROJECT), [Problem(SETTINGS_FILE, "must be a JSON object")]
        return check_settings(obj)

    def _read_file(self, kind: str) -> tuple[Collection, list[Problem]]:
        path, name = self.path(kind), self.display(kind)
        folder = path.parent
        if os.path.lexists(folder) and not folder.is_dir():
            return Collection(), [Problem(name, f"cannot read: {folder.name}/ is {_kind(folder)}, not a folder")]
        if not os.path.lexists(path):
            _fingerprints(self.root)[name] = None
            return Collection(), []
        try:
            raw = read_limited(path, name)
        except StorageError as exc:
            return Collection(), [Problem(name, str(exc).removeprefix(f"{name}: "))]
        _fingerprints(self.root)[name] = _digest(raw)
        return parse_collection(raw, kind, name)

    def read(self) -> tuple[Dataset, list[Problem]]:
        """Load everything; return the dataset and every problem found while parsing.

        Reads under the folder's shared lock, after completing any save a
        killed command left (which needs the lock exclusively for a moment).
        """
        if not self.root.is_dir():
            if os.path.lexists(self.root):
                raise StorageError(f"{self.root}: is {_kind(self.root)}, not a data folder")
            raise StorageError(f"{self.root}: data folder does not exist")
        self.recover()
        with folder_lock(self.root).hold(exclusive=False):
            project, problems = self.read_project()
            ds = Dataset(project=project, root=self.root)
            for kind in DATA_FILES:
                coll, found = self._read_file(kind)
                setattr(ds, kind, coll)
                problems.extend(found)
        return ds, problems

    def _folders(self) -> list[Path]:
        folders = {self.path(k).parent for k in DATA_FILES}
        folders |= {journal.real_target(self.path(k)).parent for k in DATA_FILES if self.path(k).is_symlink()}
        return sorted(f for f in folders if f.is_dir())

    def recover(self) -> list[str]:
        """Complete a save that a killed command left, delete its temporary files; what was done, line by line."""
        if not journal.pending(self.root, self._folders()):
            return []
        with folder_lock(self.root).hold(exclusive=True):
            return journal.recover(self.root, self._folders())

    @contextmanager
    def locked(self, exclusive: bool = True) -> Iterator[None]:
        """Hold the folder's lock for the ``with`` block: exclusively for load → change → save.

        >>> with store.locked():           # doctest: +SKIP
        ...     ds = store.load()
        ...     store.save(edit(ds), ["segments"])
        """
        with folder_lock(self.root).hold(exclusive):
            yield

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
        """Validate the whole dataset, then write the given kinds as one transaction.

        Under the folder's exclusive lock; StaleDataError (nothing written) when
        a file loaded in this process changed on disk since.
        """
        self.ensure_valid(ds)
        items = [journal.Item(self.path(kind), dump_collection(getattr(ds, kind)).encode("utf-8"),
                              self.display(kind)) for kind in kinds]
        with folder_lock(self.root).hold(exclusive=True):
            self.recover()
            self._check_unchanged()
            modes = {}
            for item in items:
                check_writable(item.path, item.display)
                real = journal.real_target(item.path)
                if os.path.lexists(item.path) and not real.is_file():
                    raise StorageError(f"{item.display}: is {_kind(real)}, not a regular file; not replacing it")
                if real.exists():
                    modes[item.path] = real.stat().st_mode & 0o7777
            journal.commit(self.root, items, modes)
            for item in items:
                _fingerprints(self.root)[item.display] = _digest(item.data)

    def _check_unchanged(self) -> None:
        """StaleDataError naming the first file that changed on disk since this process loaded it."""
        for name, digest in _fingerprints(self.root).items():
            path = self.root / name
            try:
                now = _digest(read_limited(path, name)) if os.path.lexists(path) else None
            except StorageError:
                now = "unreadable"
            if now != digest:
                raise StaleDataError(f"{name}: changed on disk since it was loaded (by another program or "
                                     "command); nothing saved, so that change is not overwritten. Run the "
                                     "command again")

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
        with folder_lock(self.root).hold(exclusive=True) if self.root.is_dir() else _nothing():
            journal.commit(self.root, [journal.Item(p, t.encode("utf-8"), os.path.relpath(p, self.root))
                                       for p, t in items])
        return [p for p, _ in items]


@contextmanager
def _nothing() -> Iterator[None]:
    yield


_FINGERPRINTS: dict[Path, dict[str, str | None]] = {}


def _fingerprints(root: Path) -> dict[str, str | None]:
    """SHA-256 (None: missing) of each file as this process last loaded or saved it, by folder."""
    return _FINGERPRINTS.setdefault(Path(os.path.abspath(root)), {})


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _kind(path: Path) -> str:
    try:
        return file_kind(path.stat().st_mode) if path.exists() else "a broken symbolic link"
    except OSError:
        return "unreadable"


def _finite(value: Any) -> bool:
    """True for a JSON number (not a boolean) that is a finite float, however many digits it has."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def check_settings(obj: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """radweg.json's object over the defaults, each bad setting reported and left at its default."""
    problems: list[Problem] = []
    project = {**DEFAULT_PROJECT, **obj}
    if not _valid_bbox(obj.get("bbox")) and obj.get("bbox") is not None:
        problems.append(Problem(SETTINGS_FILE, "must be [west, south, east, north] in degrees", field="bbox"))
        project["bbox"] = None
    tol = obj.get("stage_tolerance_m")
    if tol is not None and not (_finite(tol) and 0 <= float(tol) <= 100_000):
        problems.append(Problem(SETTINGS_FILE, "must be a number of metres from 0 to 100000",
                                field="stage_tolerance_m"))
        project["stage_tolerance_m"] = DEFAULT_PROJECT["stage_tolerance_m"]
    name = obj.get("name")
    if name is not None and not isinstance(name, str):
        problems.append(Problem(SETTINGS_FILE, "must be text", field="name"))
        project["name"] = DEFAULT_PROJECT["name"]
    return project, problems


def _valid_bbox(bbox: Any) -> bool:
    if not isinstance(bbox, list) or len(bbox) != 4:
        return False
    if not all(_finite(v) for v in bbox):
        return False
    w, s, e, n = (float(v) for v in bbox)
    return bool(-180 <= w < e <= 180 and -90 <= s < n <= 90)
