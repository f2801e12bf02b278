"""Ascent and descent of a line, and elevations sampled from a local DEM (GeoTIFF).

Smoothing (documented, so that figures can be compared with other tools):
a hysteresis threshold of :data:`THRESHOLD_M` metres. A climb or drop is
counted only once the elevation has moved that far from the last counted
level. This removes GPS/DEM noise of a few metres on flat ground (the "ascent
on a flat route" complaint) while keeping every real climb; the total
under-counts by at most one threshold per change of direction. Elevations
from a DEM (``--dem``) are sampled every :data:`DEM_STEP_M` metres along the
line (bilinear interpolation between the raster's cell centres), so the result
does not depend on how densely the line was drawn.

Missing elevations (None) are interpolated along the line from their
neighbours; a line without any elevation has no ascent/descent (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from radweg.errors import DataError, StorageError
from radweg.geometry import cumulative_m
from radweg.model import Line, Position

DEM_STEP_M = 20.0
THRESHOLD_M = 3.0


@dataclass(frozen=True)
class Climb:
    """Total ascent and descent in metres, and the lowest and highest point."""

    ascent_m: float
    descent_m: float
    min_m: float
    max_m: float


def filled_elevations(line: Sequence[Sequence[float]]) -> list[float] | None:
    """Elevations with gaps interpolated by vertex index (held at the ends); None if there are none."""
    import numpy as np

    eles = [c[2] if len(c) > 2 and c[2] is not None else None for c in line]
    known = [i for i, e in enumerate(eles) if e is not None]
    if not known:
        return None
    values = [float(eles[i]) for i in known]  # type: ignore[arg-type]
    return np.interp(np.arange(len(eles)), known, values).tolist()


def hysteresis(eles: Sequence[float], threshold_m: float = THRESHOLD_M) -> tuple[float, float]:
    """Ascent and descent counting only moves of at least ``threshold_m`` from the last counted level."""
    up = down = 0.0
    if not eles:
        return 0.0, 0.0
    ref = eles[0]
    for e in eles[1:]:
        if e - ref >= threshold_m:
            up += e - ref
            ref = e
        elif ref - e >= threshold_m:
            down += ref - e
            ref = e
    return up, down


def climb(line: Sequence[Sequence[float]], *, threshold_m: float = THRESHOLD_M) -> Climb | None:
    """Ascent/descent of a lon/lat/ele line after the documented smoothing; None without elevations."""
    eles = filled_elevations(line)
    if eles is None or len(line) < 2:
        return None
    up, down = hysteresis(eles, threshold_m)
    return Climb(up, down, min(eles), max(eles))


def climb_parts(parts: Sequence[Sequence[Sequence[float]]], **kwargs: float) -> Climb | None:
    """Ascent/descent summed over several lines (a tour with gaps)."""
    found = [c for c in (climb(p, **kwargs) for p in parts if len(p) >= 2) if c is not None]
    if not found:
        return None
    return Climb(sum(c.ascent_m for c in found), sum(c.descent_m for c in found),
                 min(c.min_m for c in found), max(c.max_m for c in found))


# ---------------------------------------------------------------- DEM sampling


class Dem:
    """A local elevation raster (GeoTIFF or anything GDAL reads), sampled bilinearly."""

    def __init__(self, path: Path) -> None:
        try:
            import rasterio
        except ImportError as exc:  # pragma: no cover - rasterio is a dependency
            raise StorageError("reading a DEM needs rasterio (pip install rasterio)") from exc
        self.path = path
        from rasterio.errors import RasterioError

        try:
            self._ds = rasterio.open(path)
        except (RasterioError, OSError) as exc:
            raise StorageError(f"{path}: cannot open as a raster: {str(exc).splitlines()[0]}") from None
        if self._ds.crs is None:
            raise DataError(f"{path}: the raster has no coordinate reference system")
        self._nodata = self._ds.nodata
        from pyproj import Transformer

        self._to_raster = Transformer.from_crs(4326, self._ds.crs.to_wkt(), always_xy=True)

    def close(self) -> None:
        self._ds.close()

    def __enter__(self) -> Dem:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sample(self, coords: Sequence[Sequence[float]]) -> list[float | None]:
        """Bilinear elevation at each lon/lat position; None outside the raster or on nodata."""
        import numpy as np
        from rasterio.windows import Window

        if not coords:
            return []
        xs, ys = self._to_raster.transform([c[0] for c in coords], [c[1] for c in coords])
        inv = ~self._ds.transform
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        cols = inv.a * xs + inv.b * ys + inv.c
        rows = inv.d * xs + inv.e * ys + inv.f
        # pixel centres are at +0.5
        cols = np.asarray(cols) - 0.5
        rows = np.asarray(rows) - 0.5
        c0 = int(max(0, np.floor(np.nanmin(cols))))
        r0 = int(max(0, np.floor(np.nanmin(rows))))
        c1 = int(min(self._ds.width - 1, np.floor(np.nanmax(cols)) + 1))
        r1 = int(min(self._ds.height - 1, np.floor(np.nanmax(rows)) + 1))
        out: list[float | None] = [None] * len(coords)
        if c1 < c0 or r1 < r0:
            return out
        band = self._ds.read(1, window=Window(c0, r0, c1 - c0 + 1, r1 - r0 + 1), masked=True).astype(float)
        data = np.ma.filled(band, np.nan)
        if self._nodata is not None:
            data[data == self._nodata] = np.nan
        h, w = data.shape
        for n, (cc, rr) in enumerate(zip(cols, rows, strict=False)):
            if not (-0.5 <= cc <= self._ds.width - 0.5 and -0.5 <= rr <= self._ds.height - 0.5):
                continue
            x = min(max(cc - c0, 0.0), w - 1.0)
            y = min(max(rr - r0, 0.0), h - 1.0)
            x0, y0 = int(np.floor(x)), int(np.floor(y))
            x1, y1 = min(x0 + 1, w - 1), min(y0 + 1, h - 1)
            fx, fy = x - x0, y - y0
            v = (data[y0, x0] * (1 - fx) * (1 - fy) + data[y0, x1] * fx * (1 - fy)
                 + data[y1, x0] * (1 - fx) * fy + data[y1, x1] * fx * fy)
            if np.isfinite(v) and -1000.0 <= v <= 9000.0:  # else an undeclared nodata value (-32768, 3.4e38)
                out[n] = round(float(v), 1)
        return out


def densify(line: Sequence[Sequence[float]], step_m: float) -> Line:
    """Insert vertices so that no step is longer than ``step_m``; elevation is interpolated where both ends have one."""
    if len(line) < 2:
        return tuple(tuple(c) for c in line)
    dist = cumulative_m(line)
    out: list[Position] = [tuple(line[0])]
    for i in range(1, len(line)):
        span = dist[i] - dist[i - 1]
        n = int(span // step_m)
        a, b = line[i - 1], line[i]
        both = len(a) > 2 and len(b) > 2 and a[2] is not None and b[2] is not None
        for k in range(1, n + 1):
            t = k * step_m / span
            if t >= 1.0:
                break
            pos: Position = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            if both:
                pos += (a[2] + (b[2] - a[2]) * t,)
            out.append(pos)
        out.append(tuple(b))
    return tuple(out)


def drape(line: Sequence[Sequence[float]], dem: Dem, step_m: float = DEM_STEP_M) -> Line:
    """The line densified to ``step_m`` with every vertex's elevation from the DEM.

    Where the DEM has no value (outside it, nodata) the line's own elevation is
    kept if it has one (interpolated between its vertices), else the point has none.
    """
    dense = densify(line, step_m)
    values = dem.sample(dense)
    out: list[Position] = []
    for c, v in zip(dense, values, strict=False):
        if v is not None:
            out.append((c[0], c[1], v))
        else:
            out.append(tuple(c))
    return tuple(out)
