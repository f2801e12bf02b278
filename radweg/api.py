"""radweg's public Python API: load a data folder, import, find gaps, export GPX, build the map, publish.

Every function here is what the ``radweg`` command runs, without Click::

    import radweg

    ds = radweg.load("path/to/data")
    report = radweg.find_gaps(ds)
    radweg.export_gpx(ds, "output/gpx")
    radweg.publish(ds, "output/site")

Errors are :class:`radweg.errors.RadwegError` subclasses with a one-line message
per problem. The heavy libraries are imported by the functions that need them.
See ``docs/api.md``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.errors import DataError

if TYPE_CHECKING:
    import networkx

    from radweg.data.importers import ImportReport
    from radweg.gaps.report import GapReport
    from radweg.gpx.export import ExportedFile
    from radweg.model import Dataset
    from radweg.site import SiteReport
    from radweg.tours.facts import TourFacts
    from radweg.webmap import RenderedMap

PathLike = str | os.PathLike[str]


def load(path: PathLike = ".") -> Dataset:
    """Load and validate the data folder at ``path``; ValidationError lists every problem."""
    from radweg.data.store import Store

    return Store(Path(path)).load()


def save(dataset: Dataset, kinds: Sequence[str] | None = None) -> None:
    """Validate ``dataset`` and write it back to the folder it was loaded from (all kinds by default)."""
    from radweg.data.layout import DATA_FILES
    from radweg.data.store import Store

    Store(_root(dataset)).save(dataset, list(kinds or DATA_FILES))


def import_file(dataset: Dataset, path: PathLike, *, kind: str, update: bool = False, dry_run: bool = False,
                **options: Any) -> ImportReport:
    """Merge the features of a file (GeoJSON, GPX, OpenStreetMap …) into ``dataset``, in memory.

    ``kind`` is ``segments``, ``pois``, ``neighbours`` or ``tours``; ``options`` are the
    format's own (for example ``relations=[…]`` for OpenStreetMap route relations).
    Nothing is written: call :func:`save` to keep the result.
    """
    from radweg.data.importers import import_file as run

    return run(dataset, Path(path), kind=kind, update=update, dry_run=dry_run, **options)


def find_gaps(dataset: Dataset, network: str | PathLike | networkx.MultiDiGraph | None = None,
              **config: Any) -> GapReport:
    """Find, score and rank the gaps of ``dataset``; route connectors when a street ``network`` is given.

    ``network`` is the name of a network cached in the data folder (``radweg network import``),
    a GraphML file, or a networkx graph. ``config`` sets fields of
    :class:`radweg.gaps.model.GapConfig` (``tolerance_m``, ``radius_m``, ``kinds`` …) over the
    project's settings.
    """
    from radweg.gaps.model import GapConfig
    from radweg.gaps.report import build_report
    from radweg.gaps.triage import load_triage

    known = {f.name for f in dataclasses.fields(GapConfig)}
    unknown = sorted(set(config) - known)
    if unknown:
        raise DataError(f"find_gaps: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    cfg = GapConfig.from_project(dataset.project, **config)
    graph, name = _graph(dataset, network)
    triage = load_triage(dataset.root) if dataset.root is not None else {}
    return build_report(dataset, cfg, graph=graph, network_name=name, triage=triage)


def export_gpx(dataset: Dataset, out_dir: PathLike, **options: Any) -> list[ExportedFile]:
    """Write GPX files (tracks, capped routes, ZIP) for the tours of ``dataset`` into ``out_dir``.

    ``options`` are those of :func:`radweg.gpx.export.export_gpx` (``tour_ids``, ``simplify_m``,
    ``max_points``, ``reverse``, ``corridor_m`` …).
    """
    from radweg.gpx.export import export_gpx as run

    return run(dataset, Path(out_dir), **options)


def build_map(dataset: Dataset, *, inline: bool = True, **options: Any) -> RenderedMap:
    """The interactive web map of ``dataset`` as HTML (``.html``) plus its offline assets (``.assets``).

    ``options`` set fields of :class:`radweg.webmap.MapOptions` (``lang``, ``tolerance_m`` …).
    """
    from radweg.webmap import MapOptions, render_map

    return render_map(dataset, MapOptions(**options), inline=inline)


def publish(dataset: Dataset, out_dir: PathLike, *, progress: Callable[[str], None] | None = None,
            **options: Any) -> SiteReport:
    """Build the static site of ``dataset`` in ``out_dir``; ``options`` set :class:`radweg.site.SiteOptions`
    (``planner=True`` for the planners' build with the gaps, ``graph`` and ``network`` to route them)."""
    from radweg.site import SiteOptions
    from radweg.site import publish as run

    return run(dataset, Path(out_dir), SiteOptions(**options), progress=progress)


def tour_facts(dataset: Dataset, tour_id: str, **options: Any) -> TourFacts:
    """A tour's and its stages' lines, lengths, ascent, descent, profile and POIs, computed once."""
    from radweg.errors import NotFoundError
    from radweg.tours.facts import tour_facts as facts

    tour = dataset.tours.get(tour_id)
    if tour is None:
        raise NotFoundError(f"no tour {tour_id!r} (tours: {', '.join(dataset.tours.ids()) or 'none'})")
    return facts(dataset, tour, **options)


def _root(dataset: Dataset) -> Path:
    if dataset.root is None:
        raise DataError("this dataset was not loaded from a data folder: load it with radweg.load(PATH)")
    return dataset.root


def _graph(dataset: Dataset, network: Any) -> tuple[Any, str | None]:
    """The street network ``network`` names, and its name for the report."""
    if network is None:
        return None, None
    if not isinstance(network, (str, os.PathLike)):
        return network, None
    from radweg.osm.network import load

    source: str | Path = network if isinstance(network, str) else Path(network)
    name = Path(network).stem if isinstance(source, Path) or str(network).lower().endswith(".graphml") else str(network)
    return load(source, _root(dataset)), name
