"""Vectorised (numpy) versions of geometry helpers for long lines (100,000+ vertices).

Same results as :func:`radweg.geometry.line_length_m` and
:func:`radweg.corridor.along_line`, without building Python lists or shapely
geometries per call; used by the GPX export, where every file needs them.
"""

from __future__ import annotations

from collections.abc import Sequence

from radweg.corridor import NearPoi
from radweg.geometry import MetricFrame, _geod
from radweg.model import Poi


def _arrays(coords: Sequence[Sequence[float]]):  # type: ignore[no-untyped-def]
    import numpy as np

    arr = np.array([(c[0], c[1]) for c in coords], dtype=float).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def step_lengths_m(coords: Sequence[Sequence[float]]):  # type: ignore[no-untyped-def]
    """Geodesic length of every step of a lon/lat line, in metres (numpy array)."""
    import numpy as np

    if len(coords) < 2:
        return np.zeros(0)
    lons, lats = _arrays(coords)
    _, _, dist = _geod().inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
    return np.asarray(dist, dtype=float)


def length_m(coords: Sequence[Sequence[float]]) -> float:
    """Geodesic length of a lon/lat line in metres."""
    return float(step_lengths_m(coords).sum())


def pois_along(pois: Sequence[Poi], line: Sequence[Sequence[float]], corridor_m: float) -> list[NearPoi]:
    """POIs within ``corridor_m`` of a line, in order along it (ties by id), like ``corridor.along_line``.

    The offset is planar (UTM); the distance along is geodesic up to the foot point.
    """
    import numpy as np

    if not pois or len(line) < 2:
        return []
    frame = MetricFrame.for_coords([line[0], line[len(line) // 2], line[-1]])
    lons, lats = _arrays(line)
    xs, ys = frame._fwd.transform(lons, lats)
    xs, ys = np.asarray(xs), np.asarray(ys)
    ax, ay = xs[:-1], ys[:-1]
    dx, dy = xs[1:] - ax, ys[1:] - ay
    seg2 = dx * dx + dy * dy
    seg2[seg2 == 0] = np.inf  # zero-length steps: the foot is their start
    steps = step_lengths_m(line)
    cum = np.concatenate(([0.0], np.cumsum(steps)))
    plons, plats = _arrays([p.coords for p in pois])
    pxs, pys = frame._fwd.transform(plons, plats)
    lo_x, hi_x, lo_y, hi_y = xs.min(), xs.max(), ys.min(), ys.max()
    out = []
    for poi, px, py in zip(pois, pxs, pys):
        if px < lo_x - corridor_m or px > hi_x + corridor_m or py < lo_y - corridor_m or py > hi_y + corridor_m:
            continue
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / seg2, 0.0, 1.0)
        d2 = (ax + t * dx - px) ** 2 + (ay + t * dy - py) ** 2
        k = int(np.argmin(d2))
        offset = float(np.sqrt(d2[k]))
        if offset <= corridor_m:
            out.append(NearPoi(poi, offset, float(cum[k] + t[k] * steps[k])))
    return sorted(out, key=lambda n: (n.along_m, n.poi.id))
