"""Importing a file into a dataset: the importer registry and read → merge → validate → save.

::

    from radweg.data.importers import import_file
    from radweg.data.store import Store

    report = import_file(Store(Path(".")), "neu.geojson", kind="segments", defaults={"status": "planned"})
    print(report.summary())

Importers are chosen by the file's suffix and the kind of data (see
:func:`register_importer`); GeoJSON is read when no importer matches, and
OpenStreetMap extracts (route relations as neighbouring routes, tagged objects
as POIs) are built in. Features without an id get one from their name; ids
that exist already are refused unless ``update=True``; the whole dataset is
validated before anything changes, in a dry run too.
"""

from __future__ import annotations

from collections.abc import Collection as Names
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.data import osmimport
from radweg.data.incoming import FeatureLine, Importer, ImportRequest, Incoming, Reader
from radweg.data.layout import DATA_FILES
from radweg.errors import DataError, ValidationError
from radweg.model import Collection, Dataset
from radweg.osm import GEOFABRIK_SUFFIXES, OSM_SUFFIXES

if TYPE_CHECKING:
    from radweg.data.edit import MergeResult
    from radweg.data.store import Store

__all__ = ["FeatureLine", "Format", "ImportReport", "ImportRequest", "Importer", "Incoming", "Reader",
           "format_for", "import_file", "register_importer", "register_reader"]


@dataclass(frozen=True)
class Format:
    """A registered file format: its name for messages, its importer and the options it takes."""

    name: str
    importer: Importer
    options: frozenset[str] | None = None
    """Option names the importer understands; None: it takes any."""

    def check_options(self, options: Iterable[str]) -> None:
        """Refuse options this format does not understand."""
        if self.options is None:
            return
        unknown = sorted(set(options) - self.options)
        if unknown:
            raise DataError(f"option {', '.join(unknown)} does not apply to {self.name} files")


_REGISTRY: dict[tuple[str, str | None], Format] = {}
"""(file suffix in lower case, kind or None for every kind) -> format."""


def register_importer(suffixes: Iterable[str], importer: Importer, *, kinds: Iterable[str] | None = None,
                      name: str | None = None, options: Names[str] | None = None) -> None:
    """Read files with these suffixes (``".gpx"``, ``".osm.pbf"``) with ``importer``, for ``kinds`` (default: all)."""
    fmt = Format(name or "/".join(suffixes), importer, None if options is None else frozenset(options))
    for suffix in suffixes:
        for kind in kinds if kinds is not None else [None]:
            _REGISTRY[(suffix.lower(), kind)] = fmt


def register_reader(suffixes: Iterable[str], reader: Reader, *, kinds: Iterable[str] | None = None,
                    name: str | None = None, options: Names[str] | None = None) -> None:
    """Like :func:`register_importer`, for a reader that turns a file into GeoJSON feature dicts."""

    def importer(request: ImportRequest) -> Incoming:
        return Incoming(features=reader(request.path, request.kind, request.defaults, request.options))

    register_importer(suffixes, importer, kinds=kinds, name=name, options=options)


def read_geojson(path: Path, kind: str, defaults: dict[str, Any], options: dict[str, Any]) -> list[dict[str, Any]]:
    """The features of a GeoJSON Feature or FeatureCollection, with ids and defaults filled in."""
    from radweg.data.edit import prepare_import
    from radweg.io.files import read_limited
    from radweg.io.geojson import decode

    file = str(path)
    raw = read_limited(path, file)
    obj, problems = decode(raw, file)
    if problems:
        raise ValidationError(problems)
    return prepare_import(obj, kind, file, defaults)


def geojson_pois(request: ImportRequest) -> Incoming:
    """A GeoJSON file of POIs: a Geofabrik export (features with ``osm_id`` and ``fclass``) or radweg's own."""
    import json

    from radweg.osm.geofabrik import is_geofabrik_geojson

    try:
        obj = json.loads(request.path.read_bytes())
    except (OSError, ValueError):
        obj = None  # read_geojson reports it properly
    if is_geofabrik_geojson(obj):
        return osmimport.geofabrik_pois(request)
    if request.options:
        raise DataError(f"{request.path}: option {', '.join(sorted(request.options))} does not apply to GeoJSON "
                        "files other than Geofabrik exports (features with osm_id and fclass)")
    return Incoming(features=read_geojson(request.path, request.kind, request.defaults, request.options))


GEOJSON = Format("GeoJSON", lambda r: Incoming(features=read_geojson(r.path, r.kind, r.defaults, r.options)),
                 frozenset())
"""What files are read as when no importer is registered for them."""


def format_for(path: Path, kind: str) -> Format:
    """The format a file is read as for ``kind``: by its last two suffixes, then its last one, else GeoJSON."""
    for suffix in ("".join(path.suffixes[-2:]).lower(), path.suffix.lower()):
        for key in ((suffix, kind), (suffix, None)):
            if suffix and key in _REGISTRY:
                return _REGISTRY[key]
    return GEOJSON


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run."""

    file: str
    kind: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Ids (or names, for features without one) left out by the importer."""
    lines: list[FeatureLine] = field(default_factory=list)
    """One line per imported feature (by id), then the skipped ones."""
    found: str = ""
    dry_run: bool = False
    applied: bool = False
    """True when the data changed: files written (store) or the dataset changed in place."""
    tours_added: list[str] = field(default_factory=list)
    """Tours the importer made along with the features (route relations with a tour id)."""
    tours_updated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people, e.g. 'neu.geojson: 2 new, 0 updated, 1 unchanged, 0 skipped segments'."""
        from radweg.data.edit import PLURAL

        counts = (f"{len(self.added)} new, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                  f"{len(self.skipped)} skipped {PLURAL.get(self.kind, self.kind)}")
        tours = [f"tour {t} added" for t in self.tours_added] + [f"tour {t} updated" for t in self.tours_updated]
        return (f"{self.file}: " + (f"{self.found}; " if self.found else "") + counts
                + ("; " + ", ".join(tours) if tours else "")
                + (" (dry run, nothing written)" if self.dry_run else ""))


def import_file(target: Dataset | Store, path: str | Path, *, kind: str, update: bool = False,
                dry_run: bool = False, defaults: Mapping[str, Any] | None = None, **options: Any) -> ImportReport:
    """Import the features of a file into a dataset, or into a data folder (a :class:`Store`, saved).

    ``defaults`` fill fields that features lack (``status``, ``source``, ``type``,
    ``network`` …); ``options`` go to the format's importer (for OpenStreetMap
    files: ``relations``, ``all_relations``, ``route`` for neighbours;
    ``relations``, ``tour`` for segments (a tour is made too);
    ``radius_m``, ``types``, ``bbox`` for POIs). With ``dry_run`` nothing
    changes, but everything is checked as in a real run. Raises
    ValidationError, ConflictError (existing ids without ``update``), DataError
    or StorageError.
    """
    from radweg.data.edit import merge
    from radweg.data.validate import errors_only, validate
    from radweg.io.files import check_regular

    if kind not in DATA_FILES:
        raise DataError(f"cannot import {kind!r}; one of {', '.join(DATA_FILES)}")
    path = Path(path)
    check_regular(path)  # before any reader opens it: a FIFO would block, /dev/zero never end
    store = None if isinstance(target, Dataset) else target
    dataset = target if isinstance(target, Dataset) else target.load()
    fmt = format_for(path, kind)
    fmt.check_options(options)
    incoming = fmt.importer(ImportRequest(path, kind, dataset, dict(defaults or {}), dict(options)))
    items = _items(incoming, kind, str(path))
    current: Collection = getattr(dataset, kind)
    work = Collection(list(current.items), dict(current.metadata))
    merged = merge(work, kind, items, update=update or incoming.merges)
    trial = replace(dataset)
    setattr(trial, kind, work)
    kinds = [kind]
    tours_merged = None
    if incoming.tours and kind != "tours":
        tour_work = Collection(list(dataset.tours.items), dict(dataset.tours.metadata))
        tours_merged = merge(tour_work, "tours", incoming.tours, update=update)
        trial.tours = tour_work
        kinds.append("tours")
    errors = errors_only(validate(trial))
    if errors:
        raise ValidationError(errors)
    report = ImportReport(str(path), kind, merged.added, merged.replaced, merged.unchanged,
                          [s.id or s.name or "?" for s in incoming.skipped], _lines(items, merged, incoming),
                          incoming.found, dry_run)
    if tours_merged is not None:
        report.tours_added, report.tours_updated = tours_merged.added, tours_merged.replaced
    changed = merged.added or merged.replaced or (tours_merged and (tours_merged.added or tours_merged.replaced))
    if not dry_run and changed:
        if store is not None:
            store.save(trial, kinds)
        else:
            for k in kinds:
                setattr(dataset, k, getattr(trial, k))
        report.applied = True
    return report


def _items(incoming: Incoming, kind: str, file: str) -> list[Any]:
    """The importer's features parsed, then its own items; one per id (the last one wins)."""
    from radweg.io.geojson import parse_features

    items: list[Any] = []
    if incoming.features:
        coll, problems = parse_features(incoming.features, kind, file)
        if problems:
            raise ValidationError(problems)
        items = list(coll.items)
    by_id = {it.id: it for it in items + list(incoming.items)}
    return list(by_id.values())


def _lines(items: list[Any], merged: MergeResult, incoming: Incoming) -> list[FeatureLine]:
    """One line per imported item (add / update / unchanged), then the skipped ones."""
    actions = {**{i: "add" for i in merged.added}, **{i: "update" for i in merged.replaced},
               **{i: "unchanged" for i in merged.unchanged}}
    lines = [FeatureLine(actions[it.id], it.id, getattr(it, "name", None), incoming.details.get(it.id, ""))
             for it in items]
    return lines + list(incoming.skipped)


register_importer(OSM_SUFFIXES, osmimport.route_relations, kinds=["neighbours"], name="OpenStreetMap",
                  options=osmimport.RELATION_OPTIONS)
register_importer(OSM_SUFFIXES, osmimport.route_segments, kinds=["segments"], name="OpenStreetMap",
                  options=osmimport.SEGMENT_OPTIONS)
register_importer(OSM_SUFFIXES, osmimport.tagged_pois, kinds=["pois"], name="OpenStreetMap",
                  options=osmimport.POI_OPTIONS)
register_importer(GEOFABRIK_SUFFIXES, osmimport.geofabrik_pois, kinds=["pois"], name="Geofabrik shapefile",
                  options=osmimport.POI_OPTIONS)
register_importer((".geojson", ".json"), geojson_pois, kinds=["pois"], name="GeoJSON",
                  options=osmimport.POI_OPTIONS)
