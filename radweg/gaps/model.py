"""The vocabulary of gap detection: the kinds, their settings, a gap and its ends, and gap ids.

Light to import (no numpy, shapely or scipy), so the command line can offer the kinds and
check the settings without loading the detection itself (:mod:`radweg.gaps.detect`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from radweg.errors import DataError
from radweg.geometry import round_position
from radweg.model import Line

GAP_KINDS = ("continuity", "status", "connection", "component", "link")
PREFIX = {"continuity": "ct", "status": "st", "connection": "cn", "component": "cp", "link": "lk"}
KIND_LABELS_DE = {"continuity": "Unterbrechung", "status": "nicht befahrbar", "connection": "Anschluss fehlt",
                  "component": "getrennter Netzteil", "link": "fehlende Verbindung"}


@dataclass(frozen=True)
class GapConfig:
    """The definitions' parameters (radweg.json ``"gaps": {...}`` sets project defaults)."""

    tolerance_m: float = 25.0
    """Ends (or an end and a line) closer than this meet."""
    radius_m: float = 10_000.0
    """Search radius for connection, component, link and dead-end partners."""
    detour_min: float = 3.0
    """A link or dead-end partner counts only if the network's way round is at least this many times longer."""
    kinds: tuple[str, ...] = GAP_KINDS
    termini_at_tour_ends: bool = True
    """A tour's first and last position are designated termini (no dead-end gap there)."""
    terminus_poi_types: tuple[str, ...] = ("bahnhof",)
    """An end within ``terminus_poi_radius_m`` of a POI of these types is a designated terminus."""
    terminus_poi_radius_m: float = 150.0
    component_pairs: str = "mst"
    """``mst`` (minimum spanning forest of the parts) or ``all`` (every pair within the radius)."""

    @classmethod
    def from_project(cls, project: dict[str, Any], **overrides: Any) -> GapConfig:
        """Defaults from radweg.json's ``gaps`` object, then overrides that are not None."""
        raw = project.get("gaps") or {}
        if not isinstance(raw, dict):
            raise DataError("radweg.json: field 'gaps': must be an object")
        known = {f for f in cls.__dataclass_fields__}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known:
                raise DataError(f"radweg.json: field 'gaps.{key}': unknown setting; known: {', '.join(sorted(known))}")
            values[key] = tuple(value) if isinstance(value, list) else value
        values.update({k: v for k, v in overrides.items() if v is not None})
        cfg = cls(**values)
        cfg.check()
        return cfg

    def check(self) -> None:
        """Raise DataError for nonsensical values."""
        for name in ("tolerance_m", "radius_m", "terminus_poi_radius_m"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                raise DataError(f"gap setting '{name}' must be a number >= 0, not {value!r}")
        if not self.radius_m > self.tolerance_m:
            raise DataError(f"gap setting 'radius_m' ({self.radius_m}) must exceed 'tolerance_m' ({self.tolerance_m})")
        if not isinstance(self.detour_min, (int, float)) or self.detour_min < 1:
            raise DataError(f"gap setting 'detour_min' must be >= 1, not {self.detour_min!r}")
        unknown = [k for k in self.kinds if k not in GAP_KINDS]
        if unknown:
            raise DataError(f"unknown gap kind(s) {', '.join(unknown)}; expected {', '.join(GAP_KINDS)}")
        if self.component_pairs not in ("mst", "all"):
            raise DataError(f"gap setting 'component_pairs' must be 'mst' or 'all', not {self.component_pairs!r}")


@dataclass(frozen=True)
class GapEnd:
    """One end of a gap: a reference, a display name and a lon/lat position."""

    ref: str
    """``segment:ID:start``, ``segment:ID:end``, ``segment:ID`` (a point along it) or ``neighbour:ID``."""
    name: str
    coords: tuple[float, float]


@dataclass(frozen=True)
class Gap:
    """A gap found in the data."""

    id: str
    kind: str
    detail: str
    a: GapEnd
    b: GapEnd | None
    length_m: float
    """Geodesic length: the straight step between the ends, or the stretch's length (status)."""
    line: Line
    tours: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    neighbours: tuple[str, ...] = ()
    status: str | None = None
    network_m: float | None = None
    """The way round the network between the ends (link, dead end) when the detour search found it;
    None when it is longer than that search (detour_min × the straight line) or there is none."""
    joined_via: bool = False
    """connection: the route is already reachable through other neighbouring routes."""

    @property
    def refs(self) -> tuple[str, ...]:
        return (self.a.ref,) + ((self.b.ref,) if self.b else ())


def gap_id(kind: str, keys: list[str] | tuple[str, ...]) -> str:
    """A short stable id from the kind and the (sorted) references: ``ct-1a2b3c4d``."""
    text = kind + "|" + "|".join(sorted(keys))
    return f"{PREFIX[kind]}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def lonlat(pos: Any) -> tuple[float, float]:
    """A gap end's position: the first two coordinates of ``pos``, rounded as stored."""
    p = round_position((float(pos[0]), float(pos[1])))
    return (p[0], p[1])
