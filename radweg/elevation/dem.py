"""Terrain models (DEMs) read through GDAL and sampled bilinearly; several files form one mosaic.

Formats: GeoTIFF, ESRI ASCII grid (``.asc``; its CRS from a ``.prj`` beside
it or given as ``crs``) and SRTM tiles (``.hgt`` or ``.hgt.zip``, read inside
the zip). Anything else GDAL opens works too.

**Sampling.** A height is the bilinear interpolation of the four cell centres
around the point, in the raster's own CRS (positions are transformed from
WGS84 with pyproj). Within half a cell outside the outermost centres the
edge value is held.

**Voids** (nodata cells, e.g. SRTM's -32768): where one of the four cells is
a void, the height is the inverse-distance-weighted mean (power 2) of the
valid cells within :data:`VOID_SEARCH_CELLS` cells of the point. A point with
no valid cell that close has no height (None), and callers report it; a void
never becomes 0.

**Mosaic.** With several files, a point takes its height from the first file
that gives one (SRTM tiles share their edge rows, so the order does not
matter there).

**SRTM georeferencing.** An ``.hgt`` tile named ``N50E011`` has the centre of
its top-left cell at 11°E, 51°N and its cells 1/1200° (SRTM3) or 1/3600°
(SRTM1) apart: cell centres lie on whole degrees. GDAL's georeferencing of
every tile is checked against its name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.errors import DataError, StorageError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

VOID_SEARCH_CELLS = 4
"""How far (in cells) a void is filled from valid neighbours."""

_HGT_NAME = re.compile(r"^([NS])(\d{2})([EW])(\d{3})\.hgt(\.zip)?$", re.IGNORECASE)


def hgt_origin(name: str) -> tuple[float, float] | None:
    """(lon, lat) of the south-west corner named by an SRTM tile file name (``N50E011.hgt.zip`` → (11, 50))."""
    m = _HGT_NAME.match(name.split(".", 1)[0] + ".hgt") if ".hgt" in name.lower() else None
    if not m:
        return None
    lat = int(m.group(2)) * (1 if m.group(1).upper() == "N" else -1)
    lon = int(m.group(4)) * (1 if m.group(3).upper() == "E" else -1)
    return float(lon), float(lat)


def _gdal_path(path: Path) -> str:
    """The path GDAL should open: SRTM ``.hgt.zip`` tiles are read from inside the zip."""
    name = path.name
    if name.lower().endswith(".hgt.zip"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as zf:
                members = [n for n in zf.namelist() if n.lower().endswith(".hgt")]
        except (OSError, zipfile.BadZipFile) as exc:
            raise StorageError(f"{path}: cannot read the zip: {exc}") from None
        if len(members) != 1:
            raise DataError(f"{path}: expected one .hgt tile inside the zip, found {len(members)}")
        return f"/vsizip/{path.resolve()}/{members[0]}"
    return str(path)


class DemFile:
    """One raster file of a terrain model, open for sampling."""

    def __init__(self, path: Path, crs: str | None = None, label: str | None = None) -> None:
        try:
            import rasterio
            from rasterio.crs import CRS
            from rasterio.errors import CRSError, RasterioError
        except ImportError as exc:  # pragma: no cover - rasterio is a dependency
            raise StorageError("reading a terrain model needs rasterio (pip install rasterio)") from exc
        self.path = Path(path)
        self.label = label or str(path)
        if not self.path.is_file():
            raise StorageError(f"{self.label}: terrain model not found")
        try:
            self._gdal = _gdal_path(self.path)
            self._ds = rasterio.open(self._gdal)
        except (RasterioError, OSError) as exc:
            raise StorageError(f"{self.label}: cannot open as a raster: {str(exc).splitlines()[0]}") from None
        try:
            own = self._ds.crs
            given: Any = None
            if crs:
                try:
                    given = CRS.from_user_input(crs)
                except (CRSError, ValueError):
                    raise DataError(f"{self.label}: '{crs}' is not a coordinate reference system") from None
            if own is None and given is None:
                raise DataError(f"{self.label}: the terrain model has no coordinate reference system; put a .prj "
                                f"beside it or name one (\"dem_crs\": \"EPSG:...\" in radweg.json; radweg "
                                f"elevation --dem-crs)")
            if own is not None and given is not None and not _same_crs(own, given):
                raise DataError(f"{self.label}: has its own CRS {own.to_string()}, not {crs}")
            self.crs: Any = own if own is not None else given
            self._check_hgt()
        except Exception:
            self._ds.close()
            raise
        self._to_raster = _from_wgs84(self.crs.to_wkt())
        self.width: int = self._ds.width
        self.height: int = self._ds.height
        self.nodata: float | None = self._ds.nodata

    def _check_hgt(self) -> None:
        origin = hgt_origin(self._gdal.rsplit("/", 1)[-1])  # the tile inside a zip names its position
        if origin is None:
            return
        t, w, h = self._ds.transform, self._ds.width, self._ds.height
        step = 1.0 / (w - 1) if w > 1 else 0.0
        want = (step, -step, origin[0], origin[1] + 1.0)
        got = (t.a, t.e, t.c + t.a / 2, t.f + t.e / 2)
        if w != h or w not in (1201, 3601) or any(abs(a - b) > 1e-9 for a, b in zip(got, want, strict=True)):
            raise DataError(f"{self.label}: the SRTM tile's georeferencing ({w}x{h} cells, top-left centre "
                            f"{got[2]:.6f}, {got[3]:.6f}) does not match its name (centre {want[2]:g}, {want[3]:g})")

    def close(self) -> None:
        self._ds.close()

    def bounds_wgs84(self) -> tuple[float, float, float, float]:
        """The raster's extent as (west, south, east, north) in degrees (approximate for projected rasters)."""
        from pyproj import Transformer

        b = self._ds.bounds
        back = Transformer.from_crs(self.crs.to_wkt(), "EPSG:4326", always_xy=True)
        w, s, e, n = back.transform_bounds(b.left, b.bottom, b.right, b.top)
        return float(w), float(s), float(e), float(n)

    def sample_xy(self, lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Heights at lon/lat positions; NaN where the file gives none (outside, or a void too large to fill)."""
        import numpy as np
        from rasterio.windows import Window

        out = np.full(len(lons), np.nan)
        if not len(lons):
            return out
        xs, ys = self._to_raster.transform(lons, lats)
        inv = ~self._ds.transform
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        cols = inv.a * xs + inv.b * ys + inv.c - 0.5  # cell centres at whole numbers
        rows = inv.d * xs + inv.e * ys + inv.f - 0.5
        w, h = self.width, self.height
        inside = (np.isfinite(cols) & np.isfinite(rows) & (cols >= -0.5) & (cols <= w - 0.5)
                  & (rows >= -0.5) & (rows <= h - 0.5))
        if not inside.any():
            return out
        cx = np.clip(cols[inside], 0.0, w - 1.0)
        cy = np.clip(rows[inside], 0.0, h - 1.0)
        x0 = np.clip(np.floor(cx).astype(int), 0, max(w - 2, 0))
        y0 = np.clip(np.floor(cy).astype(int), 0, max(h - 2, 0))
        x1, y1 = np.minimum(x0 + 1, w - 1), np.minimum(y0 + 1, h - 1)
        pad = VOID_SEARCH_CELLS
        c0, r0 = max(int(x0.min()) - pad, 0), max(int(y0.min()) - pad, 0)
        c1, r1 = min(int(x1.max()) + pad, w - 1), min(int(y1.max()) + pad, h - 1)
        band = self._ds.read(1, window=Window(c0, r0, c1 - c0 + 1, r1 - r0 + 1), masked=True)
        data = np.ma.filled(band.astype("float64"), np.nan)
        if self.nodata is not None and np.isfinite(self.nodata):
            data[data == self.nodata] = np.nan
        fx, fy = cx - x0, cy - y0
        lx0, lx1, ly0, ly1 = x0 - c0, x1 - c0, y0 - r0, y1 - r0
        values = (data[ly0, lx0] * (1 - fx) * (1 - fy) + data[ly0, lx1] * fx * (1 - fy)
                  + data[ly1, lx0] * (1 - fx) * fy + data[ly1, lx1] * fx * fy)
        for k in np.flatnonzero(~np.isfinite(values)):
            values[k] = _fill_void(data, cx[k] - c0, cy[k] - r0, pad)
        out[inside] = values
        return out


def _fill_void(data: npt.NDArray[np.float64], x: float, y: float, radius: int) -> float:
    """Inverse-distance-weighted mean of the valid cells within ``radius`` cells of (x, y); NaN if none."""
    import numpy as np

    h, w = data.shape
    xa, xb = max(int(np.ceil(x - radius)), 0), min(int(np.floor(x + radius)), w - 1)
    ya, yb = max(int(np.ceil(y - radius)), 0), min(int(np.floor(y + radius)), h - 1)
    block = data[ya:yb + 1, xa:xb + 1]
    gy, gx = np.mgrid[ya:yb + 1, xa:xb + 1]
    d2 = (gx - x) ** 2 + (gy - y) ** 2
    ok = np.isfinite(block) & (d2 <= radius * radius)
    if not ok.any():
        return float("nan")
    if (d2[ok] == 0).any():
        return float(block[ok][d2[ok] == 0][0])
    wts = 1.0 / d2[ok]
    return float((block[ok] * wts).sum() / wts.sum())


@lru_cache(maxsize=16)
def _from_wgs84(wkt: str) -> Any:
    """A pyproj transformer from WGS84 lon/lat to the CRS ``wkt`` (made once per CRS: making one takes ~50 ms)."""
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", wkt, always_xy=True)


def _same_crs(a: Any, b: Any) -> bool:
    ea, eb = a.to_epsg(), b.to_epsg()
    if ea is not None and eb is not None:
        return bool(ea == eb)
    return bool(a == b)


class Dem:
    """A terrain model of one or more files (a mosaic), sampled bilinearly; a context manager.

    ``paths`` is one path or several; ``crs`` (e.g. ``"EPSG:31467"``) is
    used for files that do not name their own (an ESRI ASCII grid without
    ``.prj``); ``labels`` are the names used in messages (default: the paths).
    """

    def __init__(self, paths: Path | str | Sequence[Path | str], crs: str | None = None,
                 labels: Sequence[str] | None = None) -> None:
        items = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
        if not items:
            raise DataError("no terrain model given")
        names = list(labels) if labels is not None else [str(p) for p in items]
        self.files: list[DemFile] = []
        try:
            for p, name in zip(items, names, strict=True):
                self.files.append(DemFile(p, crs, name))
        except Exception:
            self.close()
            raise
        self.path = items[0]

    @property
    def label(self) -> str:
        """The terrain model's name for messages: its files, comma-separated."""
        return ", ".join(f.label for f in self.files)

    def close(self) -> None:
        for f in self.files:
            f.close()

    def __enter__(self) -> Dem:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sample(self, coords: Sequence[Sequence[float]]) -> list[float | None]:
        """Height at each lon/lat position (0.1 m), None where no file gives one (see the module doc)."""
        import numpy as np

        if not coords:
            return []
        lons = np.array([float(c[0]) for c in coords])
        lats = np.array([float(c[1]) for c in coords])
        values = np.full(len(coords), np.nan)
        for f in self.files:
            todo = np.flatnonzero(~np.isfinite(values))
            if not len(todo):
                break
            values[todo] = f.sample_xy(lons[todo], lats[todo])
        # outside -1000 … 9000 m is an undeclared nodata value (-32768, 3.4e38), not a height
        return [round(float(v), 1) if np.isfinite(v) and -1000.0 <= v <= 9000.0 else None for v in values]
