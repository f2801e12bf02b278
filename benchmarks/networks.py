"""Seeded synthetic networks for the gap benchmarks and tests, in two different shapes.

* :func:`chains`: a square of random-walk chains of 10 segments with breaks, tours along the
  chains, neighbouring routes and POIs in proportion (constant density: the side grows as √n).
* :func:`corridor`: a long, thin corridor folded like a snake into a square: towns as clusters
  of star-shaped segments along it, joined by chains with breaks, and one trunk neighbour route
  (a MultiLineString of many parts, end to end) along the whole corridor, so one network part
  spans everything: the shape that punishes work per part or batches that are not local.

Both are synthetic test data, not a real alignment; coordinates are planar metres turned into
lon/lat on the UTM 32 central meridian (so the squares stay in one zone), rounded as stored.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from radweg.geometry import MetricFrame, round_position
from radweg.model import Collection, Dataset, Leg, Neighbour, Poi, Segment, Tour

ORIGIN = (9.0, 51.0)
STATUSES = ["existing"] * 8 + ["planned", "construction"]


def _to_lonlat(side: float) -> Callable[[float, float], tuple[float, float]]:
    frame = MetricFrame(*ORIGIN)
    (x0, y0), = frame.to_xy([ORIGIN])

    def ll(x: float, y: float) -> tuple[float, float]:
        lon, lat = frame.to_lonlat([(x0 + x - side / 2, y0 + y - side / 2)])[0]
        p = round_position((lon, lat))
        return (p[0], p[1])

    return ll


def chains(n: int, seed: int = 7) -> Dataset:
    """N segments in chains of 10 at constant density; ~10 % breaks; tours, neighbours, POIs in proportion."""
    rng = random.Random(seed)
    side = math.sqrt(n) * 1500.0
    ll = _to_lonlat(side)
    segs: list[Segment] = []
    tours: list[Tour] = []
    for c in range(n // 10):
        x, y = rng.uniform(0, side), rng.uniform(0, side)
        heading = rng.uniform(0, 2 * math.pi)
        legs = []
        for k in range(10):
            if k and rng.random() < 0.1:  # a break: the next segment starts 40–400 m away
                d, a = rng.uniform(40, 400), rng.uniform(0, 2 * math.pi)
                x, y = x + d * math.cos(a), y + d * math.sin(a)
            pts = [(x, y)]
            for _ in range(3):
                heading += rng.uniform(-0.6, 0.6)
                x, y = x + 400 * math.cos(heading), y + 400 * math.sin(heading)
                pts.append((x, y))
            sid = f"c{c:05d}-{k}"
            segs.append(Segment(sid, f"Segment {sid}", tuple(ll(*p) for p in pts), rng.choice(STATUSES)))
            legs.append(Leg(sid))
        tours.append(Tour(f"t{c:05d}", f"Tour {c}", tuple(legs)))
    nbs = []
    for r in range(max(1, n // 20)):
        x, y = rng.uniform(0, side), rng.uniform(0, side)
        pts = [(x, y)]
        heading = rng.uniform(0, 2 * math.pi)
        for _ in range(20):
            heading += rng.uniform(-0.4, 0.4)
            x, y = x + 2000 * math.cos(heading), y + 2000 * math.sin(heading)
            pts.append((x, y))
        nbs.append(Neighbour(f"r{r:05d}", f"Route {r}", (tuple(ll(*p) for p in pts),), network="rcn"))
    pois = [Poi(f"p{i:05d}", f"POI {i}", rng.choice(["bahnhof", "halde", "museum", "unterkunft"]),
                ll(rng.uniform(0, side), rng.uniform(0, side))) for i in range(n // 10)]
    return Dataset(Collection(segs), Collection(tours), Collection(pois), Collection(nbs),
                   {"name": f"synthetic chains {n}"})


CORRIDOR_WIDTH_M = 12_000.0
TOWN_SEGMENTS = 8
TOWN_SPACING_M = 6_000.0


def corridor(n: int, seed: int = 11) -> Dataset:
    """N segments along a snake-shaped corridor (constant density): towns, chains between them, a trunk route."""
    rng = random.Random(seed)
    towns = max(2, n // (2 * TOWN_SEGMENTS))
    length = towns * TOWN_SPACING_M
    lane = CORRIDOR_WIDTH_M * 1.5
    lanes = max(1, math.ceil(math.sqrt(length / lane)))
    run = length / lanes
    side = max(run, lanes * lane) + 2 * CORRIDOR_WIDTH_M
    ll = _to_lonlat(side)

    def at(s: float, off: float) -> tuple[float, float]:
        """A point s metres along the snake, ``off`` metres to its left."""
        k = min(int(s // run), lanes - 1)
        t = s - k * run
        x = CORRIDOR_WIDTH_M + (t if k % 2 == 0 else run - t)
        y = CORRIDOR_WIDTH_M + k * lane + off * (1 if k % 2 == 0 else -1)
        return (x, y)

    segs: list[Segment] = []
    tours: list[Tour] = []
    centres = []
    for t in range(towns):
        s = (t + 0.5) * TOWN_SPACING_M
        off = rng.uniform(-CORRIDOR_WIDTH_M / 3, CORRIDOR_WIDTH_M / 3)
        cx, cy = at(s, off)
        centres.append((cx, cy))
        for k in range(TOWN_SEGMENTS):  # a star of streets, some not reaching the centre
            a = 2 * math.pi * k / TOWN_SEGMENTS + rng.uniform(-0.2, 0.2)
            r0 = 0.0 if rng.random() < 0.85 else rng.uniform(60, 300)
            r1 = rng.uniform(900, 1600)
            pts = [(cx + r * math.cos(a + 0.1 * j), cy + r * math.sin(a + 0.1 * j))
                   for j, r in enumerate((r0, (r0 + r1) / 2, r1))]
            sid = f"k{t:05d}-{k}"
            segs.append(Segment(sid, f"Ort {t} Straße {k}", tuple(ll(*p) for p in pts), rng.choice(STATUSES)))
    for t in range(towns - 1):  # chains between neighbouring towns, with breaks
        (ax, ay), (bx, by) = centres[t], centres[t + 1]
        steps = TOWN_SEGMENTS
        legs = []
        for k in range(steps):
            f0, f1 = k / steps, (k + 1) / steps
            p0 = (ax + (bx - ax) * f0, ay + (by - ay) * f0)
            p1 = (ax + (bx - ax) * f1, ay + (by - ay) * f1)
            if k and rng.random() < 0.12:
                p0 = (p0[0] + rng.uniform(-300, 300), p0[1] + rng.uniform(-300, 300))
            mid = ((p0[0] + p1[0]) / 2 + rng.uniform(-150, 150), (p0[1] + p1[1]) / 2 + rng.uniform(-150, 150))
            sid = f"v{t:05d}-{k}"
            segs.append(Segment(sid, f"Verbindung {t}.{k}", tuple(ll(*p) for p in (p0, mid, p1)),
                                rng.choice(STATUSES)))
            legs.append(Leg(sid))
        tours.append(Tour(f"t{t:05d}", f"Etappe {t}", tuple(legs)))
    trunk = []
    step = 1500.0
    parts = []
    s = 0.0
    while s < length:
        trunk.append(at(s, CORRIDOR_WIDTH_M * 0.45))
        s += step
        if len(trunk) == 12:
            parts.append(tuple(ll(*p) for p in trunk))
            trunk = [trunk[-1]]
    if len(trunk) > 1:
        parts.append(tuple(ll(*p) for p in trunk))
    nbs = [Neighbour("trunk", "Fernradweg", tuple(parts), network="ncn")]
    for r in range(max(1, towns // 20)):  # short regional routes across the corridor
        s = rng.uniform(0, length)
        pts = [at(s, off) for off in (-CORRIDOR_WIDTH_M, -CORRIDOR_WIDTH_M / 3, CORRIDOR_WIDTH_M / 3,
                                      CORRIDOR_WIDTH_M)]
        nbs.append(Neighbour(f"q{r:05d}", f"Querroute {r}", (tuple(ll(*p) for p in pts),), network="rcn"))
    pois = [Poi(f"p{i:05d}", f"POI {i}", rng.choice(["bahnhof", "halde", "museum", "unterkunft"]),
                ll(*at(rng.uniform(0, length), rng.uniform(-CORRIDOR_WIDTH_M / 2, CORRIDOR_WIDTH_M / 2))))
            for i in range(n // 10)]
    return Dataset(Collection(segs), Collection(tours), Collection(pois), Collection(nbs),
                   {"name": f"synthetic corridor {n}"})


GENERATORS: dict[str, Callable[[int], Dataset]] = {"chains": chains, "corridor": corridor}
