"""Pure geometry helpers: geodesic lengths, a metric projection, positions along lines.

Input and output coordinates are lon/lat (EPSG:4326). Lengths are geodesic on
the WGS84 ellipsoid (pyproj ``Geod``), never degrees. Where planar work is
needed (distances to a line, cutting a line) coordinates go through the UTM
zone of the data, in metres; within a county that distorts by < 0.1 %.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from radweg.model import Line, Position

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from pyproj import Geod, Transformer
    from shapely.geometry import LineString

    FloatArray = NDArray[np.float64]

COORD_DECIMALS = 6
"""Decimals kept for longitude and latitude: 1e-6 degrees is about 0.11 m."""

ELE_DECIMALS = 1
"""Decimals kept for elevation in metres."""

WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
"""The WGS84 ellipsoid: semi-major axis in metres, and flattening."""


@lru_cache(maxsize=1)
def _geod() -> Geod:
    """The WGS84 ellipsoid for geodesic lengths (made once)."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


def round_position(pos: Sequence[float]) -> Position:
    """Round a position to the stored precision (and turn -0.0 into 0.0)."""
    out = [round(float(pos[0]), COORD_DECIMALS) + 0.0, round(float(pos[1]), COORD_DECIMALS) + 0.0]
    if len(pos) > 2 and pos[2] is not None:
        out.append(round(float(pos[2]), ELE_DECIMALS) + 0.0)
    return tuple(out)


def round_xy(coords: Iterable[Sequence[float]]) -> list[tuple[float, float]]:
    """Many (lon, lat) positions rounded exactly as :func:`round_position` rounds them, heights dropped.

    Vectorised and exact: Python's ``round(x, 6)`` is the double nearest to the integer
    nearest to the exact ``x * 10**6`` (ties to even), divided by ``10**6``. The product in
    doubles, ``p``, is off by at most half a unit in its last place; that error ``e`` is
    recovered exactly (Dekker's product, ``10**6`` needing no split), and only decides where
    ``p`` itself is a half: there ``p + e`` falls on one side, or is the tie.
    """
    import itertools

    import numpy as np

    if isinstance(coords, np.ndarray):
        xy = np.asarray(coords, dtype=np.float64).reshape(len(coords), -1)[:, :2]
    else:
        coords = coords if isinstance(coords, list) else list(coords)
        flat = np.fromiter(itertools.chain.from_iterable(coords), np.float64)
        if len(flat) != 2 * len(coords):  # some positions carry a height: take lon and lat only
            flat = np.fromiter(itertools.chain.from_iterable((c[0], c[1]) for c in coords), np.float64)
        xy = flat.reshape(-1, 2)
    scale = 10.0 ** COORD_DECIMALS
    p = xy * scale
    split = xy * 134217729.0  # 2**27 + 1: the high half of each value, then the low half
    high = split - (split - xy)
    error = (high * scale - p) + (xy - high) * scale  # p + error == xy * scale, exactly
    down = np.floor(p)
    half = (p - down) == 0.5
    whole = np.where(half & (error > 0), down + 1.0, np.where(half & (error < 0), down, np.rint(p)))
    out = whole / scale + 0.0
    return list(zip(out[:, 0].tolist(), out[:, 1].tolist(), strict=True))


def distance_m(a: Sequence[float], b: Sequence[float]) -> float:
    """Geodesic distance between two lon/lat positions in metres.

    >>> round(distance_m((11.0, 51.0), (11.0, 51.001)))
    111
    """
    _, _, dist = _geod().inv(a[0], a[1], b[0], b[1])
    return float(dist)


def line_length_m(coords: Sequence[Sequence[float]]) -> float:
    """Geodesic length of a lon/lat polyline in metres."""
    if len(coords) < 2:
        return 0.0
    lons = [c[0] for c in coords]
    lats = [c[1] for c in coords]
    return float(_geod().line_length(lons, lats))


def lonlat_arrays(coords: Sequence[Sequence[float]]) -> tuple[FloatArray, FloatArray]:
    """Longitudes and latitudes of a line as two numpy arrays."""
    import numpy as np

    arr = np.array([(c[0], c[1]) for c in coords], dtype=float).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def step_lengths_m(coords: Sequence[Sequence[float]]) -> FloatArray:
    """Geodesic length of every step of a lon/lat line, in metres (a numpy array, vectorised for long lines)."""
    import numpy as np

    if len(coords) < 2:
        return np.zeros(0)
    lons, lats = lonlat_arrays(coords)
    _, _, dist = _geod().inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
    return np.asarray(dist, dtype=float)


def cumulative_m(coords: Sequence[Sequence[float]]) -> list[float]:
    """Geodesic distance from the first vertex to every vertex, in metres."""
    if not coords:
        return []
    import numpy as np

    steps: list[float] = np.cumsum(step_lengths_m(coords)).tolist()
    return [0.0, *steps]


def utm_epsg(lon: float, lat: float) -> int:
    """EPSG code of the UTM zone (WGS84) that holds a lon/lat position.

    >>> utm_epsg(11.3, 51.5)
    32632
    """
    zone = min(60, max(1, int(math.floor((lon + 180.0) / 6.0)) + 1))
    return (32600 if lat >= 0 else 32700) + zone


@lru_cache(maxsize=8)
def _transformers(epsg: int) -> tuple[Transformer, Transformer]:
    from pyproj import Transformer

    fwd = Transformer.from_crs(4326, epsg, always_xy=True)
    inv = Transformer.from_crs(epsg, 4326, always_xy=True)
    return fwd, inv


class MetricFrame:
    """A planar frame in metres (UTM) for a set of lon/lat positions."""

    def __init__(self, lon: float, lat: float) -> None:
        self.epsg = utm_epsg(lon, lat)
        self._fwd, self._inv = _transformers(self.epsg)

    @classmethod
    def for_coords(cls, coords: Iterable[Sequence[float]]) -> MetricFrame:
        pts = list(coords)
        if not pts:
            return cls(0.0, 0.0)
        lon = sum(p[0] for p in pts) / len(pts)
        lat = sum(p[1] for p in pts) / len(pts)
        return cls(lon, lat)

    def to_xy(self, coords: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
        xs, ys = self._fwd.transform([c[0] for c in coords], [c[1] for c in coords])
        return list(zip(map(float, xs), map(float, ys), strict=False))

    def transform(self, lons: FloatArray, lats: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Longitude and latitude arrays to x and y arrays in metres (numpy)."""
        import numpy as np

        xs, ys = self._fwd.transform(lons, lats)
        return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)

    def to_lonlat(self, xy: Sequence[Sequence[float]]) -> list[tuple[float, float]]:
        lons, lats = self._inv.transform([c[0] for c in xy], [c[1] for c in xy])
        return list(zip(map(float, lons), map(float, lats), strict=False))

    def line(self, coords: Sequence[Sequence[float]]) -> LineString:
        from shapely.geometry import LineString

        return LineString(self.to_xy(coords))


def join_lines(lines: Sequence[Line]) -> Line:
    """Concatenate polylines end to start, dropping a repeated junction vertex."""
    out: list[Position] = []
    for line in lines:
        pts = list(line)
        if out and pts and tuple(out[-1][:2]) == tuple(pts[0][:2]):
            pts = pts[1:]
        out.extend(pts)
    return tuple(out)


def locate(coords: Line, point: Sequence[float]) -> tuple[float, float]:
    """Where a point falls on a line: (distance along the line, offset from it), in metres.

    The distance along is geodesic-scaled; the offset is the planar (UTM) distance.
    """
    from shapely.geometry import Point

    frame = MetricFrame.for_coords(coords)
    line = frame.line(coords)
    (px, py), = frame.to_xy([point])
    p = Point(px, py)
    along = float(line.project(p))
    offset = float(line.distance(p))
    planar = float(line.length) or 1.0
    return along * line_length_m(coords) / planar, offset


def cut(coords: Line, start_m: float, end_m: float) -> Line:
    """The part of a line between two distances along it (geodesic metres).

    Vertices strictly inside the interval are kept as they are (elevation too);
    the two cut points are interpolated, elevation included.
    """
    if end_m < start_m:
        start_m, end_m = end_m, start_m
    cum = cumulative_m(coords)
    total = cum[-1] if cum else 0.0
    start_m = max(0.0, min(start_m, total))
    end_m = max(0.0, min(end_m, total))
    out: list[Position] = [_interpolate(coords, cum, start_m)]
    for pos, d in zip(coords, cum, strict=False):
        if start_m < d < end_m:
            out.append(tuple(pos))
    out.append(_interpolate(coords, cum, end_m))
    return tuple(out)


def _interpolate(coords: Line, cum: list[float], at: float) -> Position:
    for i in range(1, len(coords)):
        if cum[i] >= at:
            span = cum[i] - cum[i - 1]
            t = 0.0 if span == 0 else (at - cum[i - 1]) / span
            a, b = coords[i - 1], coords[i]
            out = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
            if len(a) > 2 and len(b) > 2:
                out.append(a[2] + (b[2] - a[2]) * t)
            return tuple(out)
    return tuple(coords[-1])
