"""The cycling cost of an edge: its length multiplied by factors for road class, speed limit and surface.

``cost = length_m × road × speed × surface × extra``, in metres-equivalent: an
edge with cost 1500 m is as unattractive as 1500 m of quiet asphalt cycleway.
All factors are ≥ 1, so cost ≥ length.

Road class (``highway``), for a cyclist on a touring bike:

=========================================  ======
cycleway, living_street, bicycle_road=yes    1.0
path or track with ``bicycle=designated``    1.0
residential                                  1.1
service, track                               1.2
unclassified, road                           1.25
path, footway/bridleway with bicycle=yes     1.3
tertiary(_link)                              1.4
pedestrian                                   1.5
secondary(_link)                             1.8
primary(_link)                               2.5
trunk(_link) (only with bicycle=yes)         3.5
=========================================  ======

A cycle lane or track along a road (``cycleway[:left|:right|:both]`` =
lane/track/opposite_lane/opposite_track, or ``cycleway=shared_lane``) cuts
the part above 1 by 60 % (track, lane) or 30 % (shared lane): a primary road
with a cycle track costs 1.6, not 2.5.

Speed limit (``maxspeed``, km/h), on motor roads without a cycle lane or
track; unknown limits count as the class default already in the road factor:

==============  ====
≤ 30              1.0
≤ 50              1.0
≤ 70              1.15
≤ 100             1.4
above 100         1.8
==============  ====

Surface (``surface``; when missing, ``tracktype`` on tracks, else 1.0 on
roads and 1.2 on paths and tracks):

==============================================================  ====
asphalt, paved, concrete, concrete:plates                          1.0
paving_stones, chipseal, metal, wood                               1.1
compacted, fine_gravel / tracktype=grade1 (1.0), grade2            1.15
gravel, pebblestone, unhewn_cobblestone, sett / grade3             1.4
ground, dirt, earth, unpaved, cobblestone / grade4                 1.6
grass, sand, mud, grass_paver, rock, woodchips / grade5            2.0
==============================================================  ====

Extra: ``smoothness`` bad 1.2, very_bad 1.5, worse 2.0; ``bicycle=dismount``
(pushing) 3.0; ``bicycle=use_sidepath`` 2.0 (a parallel path must be used).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

ROAD = {
    "cycleway": 1.0, "living_street": 1.0, "residential": 1.1, "service": 1.2, "track": 1.2,
    "unclassified": 1.25, "road": 1.25, "path": 1.3, "footway": 1.3, "bridleway": 1.3,
    "tertiary": 1.4, "tertiary_link": 1.4, "pedestrian": 1.5, "secondary": 1.8, "secondary_link": 1.8,
    "primary": 2.5, "primary_link": 2.5, "trunk": 3.5, "trunk_link": 3.5,
}
ROAD_DEFAULT = 1.3
MOTOR_ROADS = frozenset({
    "residential", "unclassified", "road", "tertiary", "tertiary_link", "secondary", "secondary_link",
    "primary", "primary_link", "trunk", "trunk_link", "service",
})
SURFACE = {
    "asphalt": 1.0, "paved": 1.0, "concrete": 1.0, "concrete:plates": 1.0, "concrete:lanes": 1.1,
    "paving_stones": 1.1, "chipseal": 1.1, "metal": 1.1, "wood": 1.1,
    "compacted": 1.15, "fine_gravel": 1.15,
    "gravel": 1.4, "pebblestone": 1.4, "unhewn_cobblestone": 1.4, "sett": 1.4,
    "ground": 1.6, "dirt": 1.6, "earth": 1.6, "unpaved": 1.6, "cobblestone": 1.6,
    "grass": 2.0, "sand": 2.0, "mud": 2.0, "grass_paver": 2.0, "rock": 2.0, "woodchips": 2.0,
}
TRACKTYPE = {"grade1": 1.0, "grade2": 1.15, "grade3": 1.4, "grade4": 1.6, "grade5": 2.0}
SMOOTHNESS = {"bad": 1.2, "very_bad": 1.5, "horrible": 2.0, "very_horrible": 2.0, "impassable": 2.0}
_SEPARATE = frozenset({"track", "lane", "opposite_lane", "opposite_track"})
_CYCLEWAY_KEYS = ("cycleway", "cycleway:left", "cycleway:right", "cycleway:both")

_ZONES = {"urban": 50, "rural": 100, "motorway": 130, "living_street": 7, "walk": 7, "trunk": 100,
          "bicycle_road": 30, "nsl_single": 97, "nsl_dual": 113}


@functools.lru_cache(maxsize=4096)  # a network has few distinct values, and ways repeat them
def parse_maxspeed(value: str | None) -> int | None:
    """``maxspeed`` to km/h: "50", "30 mph", "DE:urban", "DE:zone30", "walk"; None when unknown.

    >>> parse_maxspeed("30 mph"), parse_maxspeed("DE:zone:30"), parse_maxspeed("DE:rural"), parse_maxspeed("none")
    (48, 30, 100, None)
    """
    if not value:
        return None
    text = value.strip().lower().split(";")[0].strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?", text)
    if match:
        speed = float(match.group(1)) * (1.609344 if match.group(2) == "mph" else 1.0)
        return round(speed) if 0 < speed < 400 else None
    zone = re.search(r"zone:?(\d+)", text)
    if zone:
        return int(zone.group(1))
    key = text.split(":", 1)[-1]
    return _ZONES.get(key)


def _separate(tags: Mapping[str, str]) -> float:
    """How much of the road factor's excess a cycle lane/track removes: 0.6, 0.3 or 0."""
    values = {tags.get(k) for k in _CYCLEWAY_KEYS}
    if values & _SEPARATE:
        return 0.6
    if "shared_lane" in values or "share_busway" in values:
        return 0.3
    return 0.0


def factors(tags: Mapping[str, str], maxspeed: int | None = None) -> tuple[float, float, float, float]:
    """(road, speed, surface, extra) factors for a way's tags; see the module docstring."""
    highway = tags.get("highway", "")
    bicycle = tags.get("bicycle")
    designated_path = highway in ("path", "track", "footway", "bridleway") and bicycle == "designated"
    if tags.get("bicycle_road") == "yes" or tags.get("cyclestreet") == "yes" or designated_path:
        road = 1.0
    else:
        road = ROAD.get(highway, ROAD_DEFAULT)
    sep = _separate(tags)
    road = 1.0 + (road - 1.0) * (1.0 - sep)
    speed = 1.0
    if highway in MOTOR_ROADS and sep == 0.0 and maxspeed is not None:
        speed = 1.0 if maxspeed <= 50 else 1.15 if maxspeed <= 70 else 1.4 if maxspeed <= 100 else 1.8
    surface_tag = tags.get("surface", "").split(";")[0]
    if surface_tag in SURFACE:
        surface = SURFACE[surface_tag]
    elif tags.get("tracktype") in TRACKTYPE:
        surface = TRACKTYPE[tags["tracktype"]]
    else:
        surface = 1.2 if highway in ("track", "path", "bridleway") else 1.0
    extra = SMOOTHNESS.get(tags.get("smoothness", ""), 1.0)
    if bicycle == "dismount":
        extra *= 3.0
    elif bicycle == "use_sidepath":
        extra *= 2.0
    return road, speed, surface, extra


def edge_cost(length_m: float, tags: Mapping[str, str], maxspeed: int | None = None) -> float:
    """The cycling cost of ``length_m`` metres of a way with these tags."""
    road, speed, surface, extra = factors(tags, maxspeed)
    return length_m * road * speed * surface * extra
