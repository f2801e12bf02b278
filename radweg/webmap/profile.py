"""Elevation profiles of tours and stages, with POIs marked, drawn as inline SVG.

Ascent and descent count only changes of at least ``threshold_m`` from the last
turning point (hysteresis), so that small noise in the elevations does not add
up. Lines without elevations give a profile with no figures.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from radweg.elevation import THRESHOLD_M, hysteresis
from radweg.geometry import cumulative_m
from radweg.model import Line, Poi
from radweg.tours.corridor import along_line
from radweg.webmap.i18n import label, t
from radweg.webmap.styles import POI_COLORS

ASCENT_THRESHOLD_M = THRESHOLD_M
"""The smoothing of :mod:`radweg.elevation`, so map, site and GPX stage figures agree."""


@dataclass(frozen=True)
class ProfilePoi:
    """A POI placed on a profile: how far along, how far off the line."""

    poi: Poi
    along_m: float
    offset_m: float


@dataclass(frozen=True)
class Profile:
    """Distances and elevations along a line, with the key figures."""

    distances_m: list[float]
    elevations: list[float | None]
    pois: list[ProfilePoi] = field(default_factory=list)

    @property
    def length_m(self) -> float:
        return self.distances_m[-1] if self.distances_m else 0.0

    @property
    def has_elevation(self) -> bool:
        return sum(e is not None for e in self.elevations) >= 2

    def known(self) -> list[tuple[float, float]]:
        return [(d, e) for d, e in zip(self.distances_m, self.elevations, strict=False) if e is not None]

    @property
    def ascent_m(self) -> float | None:
        return ascent_descent([e for _, e in self.known()])[0] if self.has_elevation else None

    @property
    def descent_m(self) -> float | None:
        return ascent_descent([e for _, e in self.known()])[1] if self.has_elevation else None

    @property
    def min_ele(self) -> float | None:
        return min(e for _, e in self.known()) if self.has_elevation else None

    @property
    def max_ele(self) -> float | None:
        return max(e for _, e in self.known()) if self.has_elevation else None

    def elevation_at(self, along_m: float) -> float | None:
        """Elevation interpolated at a distance along the line."""
        pts = self.known()
        if not pts:
            return None
        if along_m <= pts[0][0]:
            return pts[0][1]
        for (d0, e0), (d1, e1) in zip(pts, pts[1:], strict=False):
            if d0 <= along_m <= d1:
                return e0 if d1 == d0 else e0 + (e1 - e0) * (along_m - d0) / (d1 - d0)
        return pts[-1][1]


def ascent_descent(elevations: Sequence[float], threshold_m: float = ASCENT_THRESHOLD_M) -> tuple[float, float]:
    """Total ascent and descent in metres, ignoring changes smaller than ``threshold_m``
    (:func:`radweg.elevation.hysteresis`, rounded to 0.1 m).

    >>> ascent_descent([100, 101, 100, 110, 105, 120])
    (25.0, 5.0)
    """
    up, down = hysteresis([float(e) for e in elevations], threshold_m)
    return round(up, 1), round(down, 1)


def build_profile(line: Line, pois: Sequence[Poi] = (), corridor_m: float = 500.0) -> Profile:
    """The profile of a lon/lat(/ele) line with the POIs within ``corridor_m`` of it."""
    dists = cumulative_m(line)
    eles = [float(c[2]) if len(c) > 2 and c[2] is not None else None for c in line]
    near = [ProfilePoi(n.poi, n.along_m, n.offset_m) for n in along_line(pois, line, corridor_m)]
    return Profile(dists, eles, near)


# ------------------------------------------------------------------ drawing

_W, _H = 640, 180
_LEFT, _RIGHT, _TOP, _BOTTOM = 46, 12, 22, 30


def _nice_step(span: float, target: int) -> float:
    raw = span / max(target, 1)
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * mag:
            return mult * mag
    return 10 * mag


def _thin(points: list[tuple[float, float]], bins: int = 320) -> list[tuple[float, float]]:
    """At most ~2 points per bin (the lowest and the highest), in order, to keep the SVG small."""
    if len(points) <= 2 * bins:
        return points
    total = points[-1][0] or 1.0
    out: list[tuple[float, float]] = [points[0]]
    bucket: list[tuple[float, float]] = []
    current = 0
    for p in points[1:-1]:
        b = min(bins - 1, int(p[0] / total * bins))
        if b != current and bucket:
            lo, hi = min(bucket, key=lambda q: q[1]), max(bucket, key=lambda q: q[1])
            out.extend(sorted({lo, hi}))
            bucket = []
        current = b
        bucket.append(p)
    if bucket:
        lo, hi = min(bucket, key=lambda q: q[1]), max(bucket, key=lambda q: q[1])
        out.extend(sorted({lo, hi}))
    out.append(points[-1])
    return out


def profile_svg(profile: Profile, lang: str, *, title: str, dom_id: str | None = None) -> str:
    """The profile as an accessible inline SVG; every text from the data is escaped."""
    id_attr = f' id="{escape(dom_id)}"' if dom_id else ""
    head = (f'<svg class="rw-profile"{id_attr} viewBox="0 0 {_W} {_H}" width="100%" role="img" '
            f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">'
            f'<title>{escape(t(lang, "profile_of"))} {escape(title)}</title>')
    if not profile.has_elevation or profile.length_m <= 0:
        return (head + f'<text x="{_W / 2:g}" y="{_H / 2:g}" text-anchor="middle" class="rw-profile-empty">'
                f'{escape(t(lang, "no_elevation"))}</text></svg>')
    pts = _thin(profile.known())
    lo, hi = float(profile.min_ele or 0), float(profile.max_ele or 0)
    ystep = _nice_step(max(hi - lo, 20.0), 4)
    y0 = math.floor(lo / ystep) * ystep
    y1 = max(math.ceil(hi / ystep) * ystep, y0 + ystep)
    length_km = profile.length_m / 1000.0
    xstep = _nice_step(length_km, 6)
    pw, ph = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(d_m: float) -> float:
        return _LEFT + pw * d_m / profile.length_m

    def y(e: float) -> float:
        return _TOP + ph * (1 - (e - y0) / (y1 - y0))

    parts = [head]
    # grid and axes
    v = y0
    while v <= y1 + 1e-9:
        parts.append(f'<line class="rw-grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
                     f'<text class="rw-tick" x="{_LEFT - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
        v += ystep
    k = 0.0
    while k <= length_km + 1e-9:
        parts.append(f'<text class="rw-tick" x="{x(k * 1000):.1f}" y="{_H - _BOTTOM + 14}" '
                     f'text-anchor="middle">{k:g}</text>')
        k += xstep
    parts.append(f'<text class="rw-axis" x="{_W - _RIGHT}" y="{_H - 2}" text-anchor="end">'
                 f'{escape(t(lang, "distance_axis"))}</text>'
                 f'<text class="rw-axis" x="4" y="10">'
                 f'{escape(t(lang, "elevation_axis"))}</text>')
    # one polyline from the base line up, along the profile and down again: filled (closed implicitly) and stroked
    line = " ".join(f"{x(d):.1f},{y(e):.1f}" for d, e in pts)
    parts.append(f'<polyline class="rw-profile-line" points="{x(pts[0][0]):.1f},{y(y0):.1f} {line} '
                 f'{x(pts[-1][0]):.1f},{y(y0):.1f}"/>')
    last_x, lift = -100.0, 0
    for n, pp in enumerate(profile.pois, 1):
        ele = profile.elevation_at(pp.along_m)
        if ele is None:
            continue
        px, py = x(min(pp.along_m, profile.length_m)), y(ele)
        lift = lift + 1 if px - last_x < 10 and lift < 2 else 0  # stagger the numbers of close POIs
        last_x = px
        color = POI_COLORS.get(pp.poi.type, POI_COLORS["other"])
        name = f"{pp.poi.name} ({label(lang, 'poi', pp.poi.type)}, km {pp.along_m / 1000:.1f})"
        parts.append(f'<g class="rw-profile-poi" data-poi="{escape(pp.poi.id)}">'
                     f'<title>{escape(name)}</title>'
                     f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{py:.1f}" y2="{y(y0):.1f}" stroke="{color}" '
                     f'stroke-dasharray="2 2"/>'
                     f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{color}" stroke="#fff" stroke-width="1.5"/>'
                     f'<text class="rw-profile-num" x="{px:.1f}" y="{max(py - 8 - 9 * lift, 8):.1f}" '
                     f'text-anchor="middle">{n}</text>'
                     f'</g>')
    parts.append("</svg>")
    return "".join(parts)


def figures(profile: Profile) -> dict[str, float | None]:
    """Key figures of a profile, rounded for people."""
    return {
        "length_km": round(profile.length_m / 1000.0, 1),
        "ascent_m": None if profile.ascent_m is None else round(profile.ascent_m),
        "descent_m": None if profile.descent_m is None else round(profile.descent_m),
        "min_ele_m": None if profile.min_ele is None else round(profile.min_ele),
        "max_ele_m": None if profile.max_ele is None else round(profile.max_ele),
    }
