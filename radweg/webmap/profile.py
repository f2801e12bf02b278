"""Elevation profiles of tours and stages drawn as inline SVG, with POIs marked.

The profile's data (ridden distance and elevation, parts split at gaps) and
the POIs along come from :mod:`radweg.tours.facts`; this module only draws.
A part after a gap is drawn as a line of its own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from radweg.i18n import number
from radweg.tours.corridor import NearPoi
from radweg.tours.facts import Profile
from radweg.webmap.i18n import label, t
from radweg.webmap.styles import POI_COLORS

# ------------------------------------------------------------------ drawing

_W, _H = 640, 180
_LEFT, _RIGHT, _TOP, _BOTTOM = 46, 12, 22, 30


def _nice_step(span: float, target: int) -> float:
    raw = span / max(target, 1)
    if raw <= 0:
        return 1.0
    mag = 10.0 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * mag:
            return mult * mag
    return 10 * mag


def _thin(points: list[tuple[float, float]], bins: int = 320) -> list[tuple[float, float]]:
    """At most ~2 points per bin (the lowest and the highest), in order, to keep the SVG small."""
    if len(points) <= 2 * bins:
        return points
    start = points[0][0]
    total = (points[-1][0] - start) or 1.0
    out: list[tuple[float, float]] = [points[0]]
    bucket: list[tuple[float, float]] = []
    current = 0
    for p in points[1:-1]:
        b = min(bins - 1, int((p[0] - start) / total * bins))
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


def profile_svg(profile: Profile, pois: Sequence[NearPoi], lang: str, *, title: str,
                dom_id: str | None = None) -> str:
    """The profile as an accessible inline SVG with the POIs numbered; every text from the data is escaped."""
    id_attr = f' id="{escape(dom_id)}"' if dom_id else ""
    label_text = f'{t(lang, "profile_of")} {title}'
    if not profile.has_elevation or profile.length_m <= 0:
        head = (f'<svg class="rw-profile"{id_attr} viewBox="0 0 {_W} {_H}" width="100%" role="img" '
                f'aria-label="{escape(label_text)}" xmlns="http://www.w3.org/2000/svg" '
                f'preserveAspectRatio="xMidYMid meet"><title>{escape(label_text)}</title>')
        return (head + f'<text x="{_W / 2:g}" y="{_H / 2:g}" text-anchor="middle" class="rw-profile-empty">'
                f'{escape(t(lang, "no_elevation"))}</text></svg>')
    known = profile.known()
    lo, hi = min(e for _, e in known), max(e for _, e in known)
    ystep = _nice_step(max(hi - lo, 20.0), 4)
    y0 = math.floor(lo / ystep) * ystep
    y1 = max(math.ceil(hi / ystep) * ystep, y0 + ystep)
    length_km = profile.length_m / 1000.0
    xstep = _nice_step(length_km, 6)
    pw, ph = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    scale = (f' data-x0="{_LEFT}" data-pw="{pw}" data-top="{_TOP}" data-ph="{ph}" data-e0="{y0:g}" '
             f'data-e1="{y1:g}" data-len="{profile.length_m:.1f}"')
    head = (f'<svg class="rw-profile"{id_attr} viewBox="0 0 {_W} {_H}" width="100%" role="img" '
            f'aria-label="{escape(label_text)}" xmlns="http://www.w3.org/2000/svg" '
            f'preserveAspectRatio="xMidYMid meet"{scale}><title>{escape(label_text)}</title>')
    ydec = 0 if ystep >= 1 else 1
    xdec = 0 if xstep >= 1 else (1 if xstep * 10 == round(xstep * 10) else 2)

    def x(d_m: float) -> float:
        return _LEFT + pw * d_m / profile.length_m

    def y(e: float) -> float:
        return _TOP + ph * (1 - (e - y0) / (y1 - y0))

    parts = [head]
    # grid and axes
    v = y0
    while v <= y1 + 1e-9:
        parts.append(f'<line class="rw-grid" x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}"/>'
                     f'<text class="rw-tick" x="{_LEFT - 4}" y="{y(v) + 4:.1f}" text-anchor="end">'
                     f'{number(lang, v, ydec)}</text>')
        v += ystep
    k = 0.0
    while k <= length_km + 1e-9:
        parts.append(f'<text class="rw-tick" x="{x(k * 1000):.1f}" y="{_H - _BOTTOM + 14}" '
                     f'text-anchor="middle">{number(lang, k, xdec)}</text>')
        k += xstep
    parts.append(f'<text class="rw-axis" x="{_W - _RIGHT}" y="{_H - 2}" text-anchor="end">'
                 f'{escape(t(lang, "distance_axis"))}</text>'
                 f'<text class="rw-axis" x="4" y="10">'
                 f'{escape(t(lang, "elevation_axis"))}</text>')
    # per part, one polyline from the base line up, along the profile and down again: filled and stroked
    for part in profile.known_parts():
        pts = _thin(part)
        line = " ".join(f"{x(d):.1f},{y(e):.1f}" for d, e in pts)
        parts.append(f'<polyline class="rw-profile-line" points="{x(pts[0][0]):.1f},{y(y0):.1f} {line} '
                     f'{x(pts[-1][0]):.1f},{y(y0):.1f}"/>')
    last_x, lift = -100.0, 0
    for n, pp in enumerate(pois, 1):
        ele = profile.elevation_at(pp.along_m)
        if ele is None:
            continue
        px, py = x(min(pp.along_m, profile.length_m)), y(ele)
        lift = lift + 1 if px - last_x < 10 and lift < 2 else 0  # stagger the numbers of close POIs
        last_x = px
        color = POI_COLORS.get(pp.poi.type, POI_COLORS["other"])
        name = f"{pp.poi.name} ({label(lang, 'poi', pp.poi.type)}, km {number(lang, pp.along_m / 1000, 1)})"
        parts.append(f'<g class="rw-profile-poi" data-poi="{escape(pp.poi.id)}">'
                     f'<title>{escape(name)}</title>'
                     f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{py:.1f}" y2="{y(y0):.1f}" stroke="{color}" '
                     f'stroke-dasharray="2 2"/>'
                     f'<circle cx="{px:.1f}" cy="{py:.1f}" r="5" fill="{color}" stroke="#fff" stroke-width="1.5"/>'
                     f'<text class="rw-profile-num" x="{px:.1f}" y="{max(py - 8 - 9 * lift, 8):.1f}" '
                     f'text-anchor="middle">{n}</text>'
                     f'</g>')
    parts.append(f'<g class="rw-profile-cursor" visibility="hidden"><line x1="0" x2="0" y1="{_TOP}" '
                 f'y2="{_TOP + ph}"/><circle cx="0" cy="0" r="5"/></g>')
    parts.append("</svg>")
    return "".join(parts)
