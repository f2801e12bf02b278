"""Domain errors. None of them imports Click: the CLI turns them into messages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: where it is and what is wrong."""

    file: str
    message: str
    feature: str | None = None
    field: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        parts = ["warning: " + self.file if self.warning else self.file]
        if self.feature is not None:
            parts.append(f"feature {self.feature}")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        return ": ".join(parts) + f": {self.message}"


class RadwegError(Exception):
    """Root of all radweg errors."""


class DataError(RadwegError, ValueError):
    """Bad data in a file: malformed JSON, a wrong geometry, an unknown value."""

    def __init__(self, problem: Problem | str) -> None:
        self.problem = problem
        super().__init__(str(problem))


class ValidationError(DataError):
    """Raised once with every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        first = str(self.problems[0]) if self.problems else "invalid data"
        RadwegError.__init__(self, first)
        self.problem = self.problems[0] if self.problems else first

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class NotFoundError(RadwegError, LookupError):
    """An id that names nothing: a segment, tour, POI or neighbour route."""


class ConflictError(RadwegError):
    """The change would break the data: a duplicate id, a segment still used by a tour."""


class StorageError(RadwegError, OSError):
    """A file could not be read or written."""


class GpxError(RadwegError):
    """A GPX file that cannot be read or written."""


class NetworkError(RadwegError, OSError):
    """OpenStreetMap or Overpass failed, or no network is loaded."""


class OutputPathError(RadwegError):
    """A generated file would land outside the chosen output folder."""


class BusyError(StorageError):
    """Another radweg command holds the data folder's lock longer than the wait allows."""


class StaleDataError(ConflictError):
    """A file changed on disk after it was loaded; saving would overwrite that change."""
