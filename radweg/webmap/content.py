"""What the map and the site show about tours and stages: lines, profiles, figures, links."""

from __future__ import annotations

from dataclasses import dataclass, field

from radweg.model import Dataset, Tour
from radweg.tours.facts import Figures, StageFacts, TourFacts, tours_facts
from radweg.webmap.i18n import pick


@dataclass(frozen=True)
class Links:
    """Relative links to files that sit beside the map (GPX files, pages); empty for a lone map file."""

    tour_gpx: dict[str, str] = field(default_factory=dict)
    stage_gpx: dict[tuple[str, str], str] = field(default_factory=dict)
    tour_page: dict[str, str] = field(default_factory=dict)
    zip: str | None = None
    tour_zip: dict[str, str] = field(default_factory=dict)
    poi_page: dict[str, str] = field(default_factory=dict)
    stage_route_gpx: dict[tuple[str, str], str] = field(default_factory=dict)
    tour_route_gpx: dict[str, str] = field(default_factory=dict)


SERVICE_TYPES = ("bahnhof", "unterkunft", "gastronomie", "trinkwasser", "radservice")
"""POI types that are services for cyclists (their own map layer and list), not sights."""


@dataclass(frozen=True)
class StageInfo:
    """A stage as the map and the site show it: its facts, its place in the tour, its profile's DOM id."""

    tour_id: str
    facts: StageFacts

    @property
    def id(self) -> str:
        return self.facts.id

    @property
    def index(self) -> int:
        return self.facts.number - 1

    @property
    def name(self) -> str:
        return self.facts.name

    @property
    def start(self) -> str:
        return self.facts.start.name

    @property
    def end(self) -> str:
        return self.facts.end.name

    @property
    def dom_id(self) -> str:
        return f"rw-profile-{self.tour_id}--{self.id}"

    def figures(self) -> Figures:
        return self.facts.figures()


@dataclass(frozen=True)
class TourInfo:
    """A tour as the map and the site show it: its facts, its colour index, names in a language."""

    facts: TourFacts
    index: int
    stages: list[StageInfo]

    @property
    def tour(self) -> Tour:
        return self.facts.tour

    @property
    def id(self) -> str:
        return self.tour.id

    @property
    def dom_id(self) -> str:
        return f"rw-profile-{self.tour.id}"

    def name(self, lang: str) -> str:
        return pick(lang, self.tour.name, self.tour.name_en) or self.tour.id

    def description(self, lang: str) -> str | None:
        return pick(lang, self.tour.description, self.tour.description_en)

    def figures(self) -> Figures:
        return self.facts.figures()


def tour_infos(ds: Dataset, corridor_m: float = 500.0) -> list[TourInfo]:
    """Every tour (sorted by id) with its facts (POIs within ``corridor_m``) and stages."""
    tours = sorted(ds.tours.items, key=lambda t: t.id)
    return [TourInfo(facts, index, [StageInfo(tour.id, st) for st in facts.stages])
            for index, (tour, facts) in enumerate(zip(tours, tours_facts(ds, tours, corridor_m=corridor_m),
                                                      strict=True))]


def disclaimer(ds: Dataset, lang: str) -> str | None:
    """The 'illustrative, not the official route' notice from radweg.json or the data files."""
    sources = [ds.project, ds.segments.metadata, ds.tours.metadata]
    for src in sources:
        text = pick(lang, src.get("disclaimer_de"), src.get("disclaimer_en"))
        if isinstance(text, str) and text:
            return text
    return None


def title(ds: Dataset, lang: str = "de") -> str:
    """The project's name (``name``, or ``name_en`` in English) from radweg.json."""
    de, en = ds.project.get("name"), ds.project.get("name_en")
    name = pick(lang, de if isinstance(de, str) else None, en if isinstance(en, str) else None)
    return name if isinstance(name, str) and name else "radweg"
