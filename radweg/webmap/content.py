"""What the map and the site show about tours and stages: lines, profiles, figures, links."""

from __future__ import annotations

from dataclasses import dataclass, field

from radweg.model import Dataset, Line, Tour
from radweg.tours.line import locate_stages, stage_line, tour_length_m, tour_line
from radweg.webmap.i18n import pick
from radweg.webmap.profile import Profile, build_profile, figures


@dataclass(frozen=True)
class Links:
    """Relative links to files that sit beside the map (GPX files, pages); empty for a lone map file."""

    tour_gpx: dict[str, str] = field(default_factory=dict)
    stage_gpx: dict[tuple[str, str], str] = field(default_factory=dict)
    tour_page: dict[str, str] = field(default_factory=dict)
    zip: str | None = None
    tour_zip: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StageInfo:
    tour_id: str
    id: str
    index: int
    name: str
    start: str
    end: str
    start_m: float
    line: Line
    profile: Profile

    @property
    def dom_id(self) -> str:
        return f"rw-profile-{self.tour_id}--{self.id}"

    def figures(self) -> dict[str, float | None]:
        return figures(self.profile)


@dataclass(frozen=True)
class TourInfo:
    tour: Tour
    index: int
    line: Line
    length_m: float
    profile: Profile
    stages: list[StageInfo]

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

    def figures(self) -> dict[str, float | None]:
        figs = figures(self.profile)
        figs["length_km"] = round(self.length_m / 1000.0, 1)
        return figs


def tour_infos(ds: Dataset, corridor_m: float = 500.0) -> list[TourInfo]:
    """Every tour with its line, profile (POIs within ``corridor_m`` marked) and stages."""
    segs = ds.segment_map()
    pois = list(ds.pois.items)
    out: list[TourInfo] = []
    for index, tour in enumerate(sorted(ds.tours.items, key=lambda t: t.id)):
        line = tour_line(tour, segs)
        stages = []
        for i, pos in enumerate(locate_stages(tour, line)):
            sline = stage_line(line, pos)
            stages.append(StageInfo(tour.id, pos.stage.id, i, pos.stage.name, pos.stage.start.name,
                                    pos.stage.end.name, pos.start_m, sline, build_profile(sline, pois, corridor_m)))
        out.append(TourInfo(tour, index, line, tour_length_m(tour, segs), build_profile(line, pois, corridor_m),
                            stages))
    return out


def disclaimer(ds: Dataset, lang: str) -> str | None:
    """The 'illustrative, not the official route' notice from radweg.json or the data files."""
    sources = [ds.project, ds.segments.metadata, ds.tours.metadata]
    for src in sources:
        text = pick(lang, src.get("disclaimer_de"), src.get("disclaimer_en"))
        if isinstance(text, str) and text:
            return text
    return None


def title(ds: Dataset) -> str:
    name = ds.project.get("name")
    return name if isinstance(name, str) and name else "radweg"
