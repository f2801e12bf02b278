"""What the tour pages say beyond the facts: difficulty, surface and way-type shares, stations, status notes.

Lengths and heights come from :func:`radweg.tours.facts.tour_facts`; the
shares here add up the lengths of the tour's legs (``TourFacts.legs``) by a
segment field, the same way ``TourFacts.by_status_m`` does.

**Difficulty** (documented on the site's licence page and in docs/publishing.md)
is rated per stage (per day's ride) from its length and its climbing per km,
ascent / length:

- *easy*: at most 40 km and less than 8 m of climbing per km;
- *challenging*: more than 70 km, or 15 m of climbing per km or more;
- *moderate*: everything between.

A tour is as difficult as its hardest stage; a tour without stages is rated
by the same rule as one stage. Without elevation data only the length counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from radweg.geometry import line_length_m
from radweg.model import Dataset, Poi
from radweg.tours.corridor import nearest_index
from radweg.tours.facts import Figures, TourFacts

LEVELS = ("easy", "medium", "hard")
EASY_KM, HARD_KM = 40.0, 70.0
EASY_RATE, HARD_RATE = 8.0, 15.0
"""Thresholds of the difficulty rule (km a day; metres of climbing per km)."""


def difficulty(figs: Figures) -> str:
    """'easy', 'medium' or 'hard' for one day's ride (see the module doc)."""
    length = figs.length_km
    rate = (figs.ascent_m or 0) / length if length > 0 and figs.ascent_m is not None else 0.0
    if length > HARD_KM or rate >= HARD_RATE:
        return "hard"
    if length <= EASY_KM and rate < EASY_RATE:
        return "easy"
    return "medium"


def tour_difficulty(facts: TourFacts) -> str:
    """The hardest stage's difficulty (the tour's own with no stages)."""
    if facts.stages:
        return max((difficulty(st.figures()) for st in facts.stages), key=LEVELS.index)
    return difficulty(facts.figures())


def shares_m(facts: TourFacts, field: str) -> list[tuple[str, float]]:
    """Length of the tour's legs by a segment field (``surface``, ``way_type``), longest first; None as 'unknown'."""
    out: dict[str, float] = {}
    for seg, line in facts.legs:
        value = getattr(seg, field, None) or "unknown"
        out[value] = out.get(value, 0.0) + line_length_m(line)
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class StatusNote:
    """Stretches of one status that is not 'existing': their names and total length."""

    status: str
    names: tuple[str, ...]
    length_m: float


def status_notes(facts: TourFacts) -> list[StatusNote]:
    """Planned, under-construction and closed stretches of a tour, in that order of the model's statuses."""
    found: dict[str, tuple[list[str], float]] = {}
    for seg, line in facts.legs:
        if seg.status == "existing":
            continue
        names, length = found.get(seg.status, ([], 0.0))
        if seg.name not in names:
            names.append(seg.name)
        found[seg.status] = (names, length + line_length_m(line))
    order = ("closed", "construction", "planned")
    return [StatusNote(s, tuple(found[s][0]), found[s][1]) for s in sorted(found, key=lambda s: (
        order.index(s) if s in order else len(order), s))]


def nearest(pois: Sequence[Poi], point: Sequence[float], poi_type: str = "bahnhof") -> tuple[Poi, float] | None:
    """The POI of ``poi_type`` nearest to ``point`` (geodesic), with the distance in metres (ties: the smaller id).

    Through a spatial index built once per set of POIs (:func:`radweg.tours.corridor.nearest_index`), so
    a site with a page per POI does not measure every station for each of them.
    """
    return nearest_index(pois, poi_type).nearest(point)


def stations(ds: Dataset, point: Sequence[float]) -> tuple[Poi, float] | None:
    """The nearest railway station of the data to a stage end."""
    return nearest(ds.pois.items, point)


def municipalities(facts: TourFacts, start_m: float, end_m: float) -> list[str]:
    """The municipalities (segment field) of the legs that a stretch from ``start_m`` to ``end_m`` rides on.

    Legs follow each other in riding order; a gap adds no ridden distance, so the
    legs' cumulative lengths are the ridden distances of their ends.
    """
    out: list[str] = []
    at = 0.0
    for seg, line in facts.legs:
        length = line_length_m(line)
        a, b = at, at + length
        at = b
        if b <= start_m or a >= end_m or length == 0:
            continue
        for name in (seg.municipality or "").split(" / "):
            name = name.strip()
            if name and name not in out:
                out.append(name)
    return out
