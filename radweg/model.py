"""The data model: segments, tours with stages, POIs and neighbouring routes.

Coordinates are WGS84 longitude/latitude (EPSG:4326) with an optional
elevation in metres, as in RFC 7946. All classes are frozen dataclasses;
change them with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Position = tuple[float, ...]  # (lon, lat) or (lon, lat, ele)
Line = tuple[Position, ...]

STATUSES = ("existing", "planned", "construction", "closed")
"""Segment status. Only ``existing`` is rideable today."""

RIDEABLE_STATUSES = frozenset({"existing"})

POI_TYPES = (
    "halde", "schacht", "museum", "huette", "stollen", "denkmal", "bahnhof",
    "aussicht", "unterkunft", "gastronomie", "trinkwasser", "radservice", "touristinfo", "unterstand", "other",
)
"""POI types: mining heritage first, then what cyclists need (``touristinfo``: tourist information;
``unterstand``: a shelter against rain)."""

SERVICE_TYPES = frozenset({"bahnhof", "unterkunft", "gastronomie", "trinkwasser", "radservice", "touristinfo",
                           "unterstand"})
"""POI types of the services a cycle tourist needs on the way."""

OSM_ID_PATTERN = re.compile(r"^(node|way|relation|area)/[1-9][0-9]{0,18}$")
"""A POI's ``osm_id``: ``node/123``, ``way/45``, ``relation/6``; ``area/7`` for an area of a Geofabrik layer,
which does not say whether it was a closed way or a multipolygon relation."""

GEOMETRY_QUALITIES = ("osm", "approximate")
"""How good a neighbouring route's line is: traced from OpenStreetMap, or drawn through its known towns."""

SURFACES = (
    "asphalt", "concrete", "paving_stones", "sett", "compacted", "fine_gravel",
    "gravel", "ground", "grass", "unpaved", "paved", "mixed", "unknown",
)
"""Surface values, a subset of OpenStreetMap's ``surface=*`` plus ``mixed``."""

WAY_TYPES = (
    "cycleway", "shared_path", "track", "quiet_road", "road", "path", "mixed", "unknown",
)
"""Kind of way: separate cycleway, shared foot/cycle path, farm or forest track,
quiet road with little traffic, road with traffic, path, mixed, unknown."""

NETWORK_LEVELS = ("icn", "ncn", "rcn", "lcn")
"""OpenStreetMap cycle network levels: international, national, regional, local."""

ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$")


def is_valid_id(value: str) -> bool:
    """True for a slug id: lowercase letters, digits, '-' and '_', at most 80 characters."""
    return bool(ID_PATTERN.match(value))


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slugify(text: str, *, fallback: str = "item") -> str:
    """A safe slug for ids and file names: German umlauts spelt out, nothing but [a-z0-9-].

    >>> slugify("Röblingen am See – Süßer See")
    'roeblingen-am-see-suesser-see'
    >>> slugify("../../evil")
    'evil'
    """
    import unicodedata

    text = text.translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].strip("-") or fallback


@dataclass(frozen=True)
class Segment:
    """A piece of the route between two junctions or changes of status."""

    id: str
    name: str
    coords: Line
    status: str = "planned"
    surface: str | None = None
    way_type: str | None = None
    municipality: str | None = None
    source: str | None = None
    notes: str | None = None
    updated: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=True)

    FIELDS = ("id", "name", "status", "surface", "way_type", "municipality", "source", "notes", "updated")


@dataclass(frozen=True)
class Poi:
    """A point of interest: a heap, shaft, museum, station, place to stay …"""

    id: str
    name: str
    type: str
    coords: Position
    description: str | None = None
    description_en: str | None = None
    height_m: float | None = None
    website: str | None = None
    source: str | None = None
    approx: bool = False
    osm_id: str | None = None
    """The OpenStreetMap object: ``node/123``, ``way/45``, ``relation/6`` or ``area/7`` (see OSM_ID_PATTERN)."""
    extra: dict[str, Any] = field(default_factory=dict)

    FIELDS = ("id", "name", "type", "description", "description_en", "height_m", "website", "source", "approx",
              "osm_id")

    @property
    def lon(self) -> float:
        return self.coords[0]

    @property
    def lat(self) -> float:
        return self.coords[1]


@dataclass(frozen=True)
class Neighbour:
    """A neighbouring cycle route that the network should join."""

    id: str
    name: str
    lines: tuple[Line, ...]
    network: str | None = None
    ref: str | None = None
    website: str | None = None
    operator: str | None = None
    osm_id: int | None = None
    source: str | None = None
    notes: str | None = None
    geometry: str | None = None
    """``osm`` (traced from OpenStreetMap) or ``approximate`` (drawn through known towns); None: not said."""
    extra: dict[str, Any] = field(default_factory=dict)

    FIELDS = ("id", "name", "network", "ref", "website", "operator", "osm_id", "source", "notes", "geometry")


@dataclass(frozen=True)
class Leg:
    """One segment of a tour, ridden forwards or reversed."""

    segment: str
    reverse: bool = False

    def __str__(self) -> str:
        return f"{self.segment}:r" if self.reverse else self.segment

    @classmethod
    def parse(cls, text: str) -> Leg:
        """Parse ``ID`` or ``ID:r`` (reversed)."""
        text = text.strip()
        if text.endswith(":r"):
            return cls(text[:-2], True)
        return cls(text, False)


@dataclass(frozen=True)
class Place:
    """A named point where a stage starts or ends."""

    name: str
    coords: Position


@dataclass(frozen=True)
class Stage:
    """A day stage of a tour, from one place on the tour to a later one."""

    id: str
    name: str
    start: Place
    end: Place


@dataclass(frozen=True)
class Tour:
    """What a cyclist rides: an ordered list of segments, cut into stages."""

    id: str
    name: str
    legs: tuple[Leg, ...]
    stages: tuple[Stage, ...] = ()
    name_en: str | None = None
    description: str | None = None
    description_en: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    FIELDS = ("id", "name", "name_en", "description", "description_en", "segments", "stages")


@dataclass
class Collection:
    """The features of one data file together with its file-level metadata."""

    items: list[Any] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [item.id for item in self.items]

    def get(self, item_id: str) -> Any | None:
        for item in self.items:
            if item.id == item_id:
                return item
        return None


@dataclass
class Dataset:
    """Everything in a data folder."""

    segments: Collection = field(default_factory=Collection)
    tours: Collection = field(default_factory=Collection)
    pois: Collection = field(default_factory=Collection)
    neighbours: Collection = field(default_factory=Collection)
    project: dict[str, Any] = field(default_factory=dict)
    root: Path | None = field(default=None, compare=False, repr=False)
    """The data folder this dataset was loaded from (None when built in memory)."""

    def segment_map(self) -> dict[str, Segment]:
        return {s.id: s for s in self.segments.items}
