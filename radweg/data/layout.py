"""Where everything lives in a data folder: every path in one place.

::

    radweg.json                project settings (name, area bbox, tolerances)
    routes/segments.geojson    the route network, LineStrings
    routes/tours.geojson       tours (ordered segment ids) and their stages
    routes/neighbours.geojson  neighbouring cycle routes
    routes/gaps-triage.json    planners' triage of the gaps
    pois/pois.geojson          points of interest
    output/                    everything generated (not kept in git)
    output/cache/networks/     cached street networks
    output/gpx/                the GPX set (default of ``export gpx``)
    output/map.html            the web map (default of ``export map``)
    output/site/               the static site (default of ``publish``)

Paths are relative to the data folder; :class:`Layout` joins them to one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = "radweg.json"
"""The project settings, relative to the data folder."""

DATA_FILES: dict[str, str] = {
    "segments": "routes/segments.geojson",
    "tours": "routes/tours.geojson",
    "neighbours": "routes/neighbours.geojson",
    "pois": "pois/pois.geojson",
}
"""Each kind of data and its GeoJSON file, relative to the data folder (also the names used in messages)."""

TRIAGE_FILE = "routes/gaps-triage.json"
OUTPUT_DIR = "output"
CACHE_DIR = f"{OUTPUT_DIR}/cache"
NETWORKS_DIR = f"{CACHE_DIR}/networks"
GPX_DIR = f"{OUTPUT_DIR}/gpx"
MAP_FILE = f"{OUTPUT_DIR}/map.html"
SITE_DIR = f"{OUTPUT_DIR}/site"


@dataclass(frozen=True)
class Layout:
    """The paths of one data folder."""

    root: Path

    @property
    def settings(self) -> Path:
        """``radweg.json``."""
        return self.root / SETTINGS_FILE

    @property
    def segments(self) -> Path:
        return self.data_file("segments")

    @property
    def tours(self) -> Path:
        return self.data_file("tours")

    @property
    def neighbours(self) -> Path:
        return self.data_file("neighbours")

    @property
    def pois(self) -> Path:
        return self.data_file("pois")

    @property
    def triage(self) -> Path:
        """The planners' triage of gaps."""
        return self.root / TRIAGE_FILE

    @property
    def output(self) -> Path:
        """The folder for everything generated."""
        return self.root / OUTPUT_DIR

    @property
    def cache(self) -> Path:
        return self.root / CACHE_DIR

    @property
    def networks(self) -> Path:
        """Cached street networks, one folder each."""
        return self.root / NETWORKS_DIR

    @property
    def gpx(self) -> Path:
        """Default folder of the GPX set."""
        return self.root / GPX_DIR

    @property
    def map(self) -> Path:
        """Default file of the web map."""
        return self.root / MAP_FILE

    @property
    def site(self) -> Path:
        """Default folder of the published site."""
        return self.root / SITE_DIR

    def data_file(self, kind: str) -> Path:
        """The GeoJSON file of one kind of data (``segments``, ``tours``, ``neighbours``, ``pois``)."""
        return self.root / DATA_FILES[kind]

    def holds_data(self) -> bool:
        """True when the folder has settings or any data file."""
        return self.settings.exists() or any(self.data_file(k).exists() for k in DATA_FILES)
