"""Heights from a terrain model written into a dataset's coordinates (what ``radweg elevation`` saves).

Every vertex of the chosen segments and neighbouring routes and every
chosen POI gets the terrain model's bilinear height at its position; the
geometry is not changed otherwise (reported heights are sampled along the
line anyway, see :mod:`radweg.elevation.along`). A position the terrain model
gives no height for is an error naming the file and the feature, and nothing
is changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from radweg.data.layout import DATA_FILES
from radweg.elevation.along import coverage_message
from radweg.errors import DataError, Problem
from radweg.model import Collection, Dataset, Line, Position

if TYPE_CHECKING:
    from radweg.elevation.dem import Dem

KINDS = ("segments", "neighbours", "pois")


@dataclass
class KindReport:
    """What setting heights did to one kind of feature."""

    features: int = 0
    positions: int = 0
    changed: int = 0
    """Positions whose height is new or differs (at 0.1 m) from the one they had."""
    added: int = 0
    """Of those, positions that had no height."""
    max_change_m: float = 0.0
    """The largest change of a height that was there before."""
    ids: list[str] = field(default_factory=list)


@dataclass
class HeightsReport:
    """What :func:`set_heights` changed, per kind."""

    dem: str
    kinds: dict[str, KindReport]

    @property
    def changed(self) -> list[str]:
        """The kinds with a changed position (the files to save)."""
        return [k for k, r in self.kinds.items() if r.changed]


def _lines_of(kind: str, item: Any) -> list[Line]:
    if kind == "segments":
        return [item.coords]
    if kind == "neighbours":
        return list(item.lines)
    return [(item.coords,)]


def _with_lines(kind: str, item: Any, lines: list[Line]) -> Any:
    if kind == "segments":
        return replace(item, coords=lines[0])
    if kind == "neighbours":
        return replace(item, lines=tuple(lines))
    return replace(item, coords=lines[0][0])


def set_heights(ds: Dataset, dem: Dem, ids: Sequence[str] | None = None, *,
                kinds: Sequence[str] = KINDS) -> tuple[Dataset, HeightsReport]:
    """A copy of ``ds`` whose positions (of the features with ``ids``, default all) carry the DEM's heights.

    Raises :class:`DataError` for an id that is no segment, neighbour or POI,
    and for a position outside the terrain model (naming file, feature, DEM).
    """
    wanted: set[str] | None = set(ids) if ids else None
    if wanted is not None:
        known = {i for k in kinds for i in getattr(ds, k).ids()}
        unknown = sorted(wanted - known)
        if unknown:
            raise DataError(f"no segment, neighbouring route or POI with id '{unknown[0]}'"
                            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""))
    report = HeightsReport(dem.label, {})
    out = replace(ds)
    for kind in kinds:
        coll: Collection = getattr(ds, kind)
        rep = KindReport()
        items = []
        for item in coll.items:
            if wanted is not None and item.id not in wanted:
                items.append(item)
                continue
            lines = _lines_of(kind, item)
            flat = [p for line in lines for p in line]
            values = dem.sample(flat)
            if any(v is None for v in values):
                raise DataError(Problem(DATA_FILES[kind], coverage_message(dem, flat, values),
                                        feature=f"'{item.id}'", field="geometry"))
            it = iter(values)
            new_lines: list[Line] = []
            for line in lines:
                new: list[Position] = []
                for p in line:
                    v = float(next(it))  # type: ignore[arg-type]
                    old = p[2] if len(p) > 2 else None
                    if old is None:
                        rep.changed += 1
                        rep.added += 1
                    elif round(old, 1) != round(v, 1):
                        rep.changed += 1
                        rep.max_change_m = max(rep.max_change_m, abs(old - v))
                    new.append((p[0], p[1], v))
                new_lines.append(tuple(new))
            rep.features += 1
            rep.positions += len(flat)
            rep.ids.append(item.id)
            items.append(_with_lines(kind, item, new_lines))
        setattr(out, kind, Collection(items, coll.metadata))
        report.kinds[kind] = rep
    return out, report
