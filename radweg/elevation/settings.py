"""The project's terrain model: the ``dem``, ``dem_crs`` and ``dem_source`` settings of ``radweg.json``.

``dem`` is a list of files (paths relative to the data folder) forming one
mosaic; ``dem_crs`` names the CRS of files without their own (an ESRI ASCII
grid without ``.prj``); ``dem_source`` says where the heights come from, as
``{"de": "...", "en": "..."}`` (or one string), and is shown wherever heights
are shown.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.errors import Problem

if TYPE_CHECKING:
    from radweg.elevation.dem import Dem
    from radweg.model import Dataset

SETTINGS = "radweg.json"


def dem_entries(project: dict[str, Any]) -> list[str]:
    """The ``dem`` setting as a list of paths as written (a single string counts as one)."""
    value = project.get("dem")
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def dem_paths(project: dict[str, Any], root: Path | None) -> list[Path]:
    """The configured terrain model files, resolved against the data folder."""
    base = Path(root) if root is not None else Path.cwd()
    return [base / p for p in dem_entries(project)]


def open_dem(paths: list[Path], crs: str | None = None, labels: list[str] | None = None) -> Dem:
    """Open files as one terrain model (a mosaic)."""
    from radweg.elevation.dem import Dem

    return Dem(paths, crs, labels)


def project_dem(ds: Dataset) -> AbstractContextManager[Dem | None]:
    """The dataset's configured terrain model, open (a context manager); a context giving None if there is none."""
    entries = dem_entries(ds.project)
    if not entries:
        return nullcontext()
    crs = ds.project.get("dem_crs")
    return open_dem(dem_paths(ds.project, ds.root), str(crs) if crs else None,
                    [f"{e} ({SETTINGS} dem)" for e in entries])


def heights_note(project: dict[str, Any], lang: str = "de") -> str | None:
    """Where the heights come from, for people: the ``dem_source`` setting, else the terrain model's files.

    None when no terrain model is configured.
    """
    src = project.get("dem_source")
    if isinstance(src, dict):
        text = src.get(lang) or src.get("de") or src.get("en")
        if text:
            return str(text)
    elif isinstance(src, str) and src:
        return src
    entries = dem_entries(project)
    if not entries:
        return None
    names = ", ".join(Path(e).name for e in entries)
    return f"Heights: terrain model {names}" if lang == "en" else f"Höhen: Geländemodell {names}"


def check_settings(project: dict[str, Any], root: Path | None = None) -> list[Problem]:
    """Problems with the ``dem``, ``dem_crs`` and ``dem_source`` settings (wrong types; a missing file warns)."""
    problems: list[Problem] = []
    dem = project.get("dem")
    if dem is not None and not (isinstance(dem, str) or (isinstance(dem, list)
                                                         and all(isinstance(p, str) and p for p in dem))):
        problems.append(Problem(SETTINGS, "must be a list of file paths relative to the data folder", field="dem"))
        return problems
    if root is not None:
        for entry, path in zip(dem_entries(project), dem_paths(project, root), strict=True):
            if not path.is_file():
                problems.append(Problem(SETTINGS, f"terrain model '{entry}' not found in the data folder",
                                        field="dem", warning=True))
    crs = project.get("dem_crs")
    if crs is not None:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            CRS.from_user_input(crs)
        except (CRSError, TypeError):
            problems.append(Problem(SETTINGS, f"'{crs}' is not a coordinate reference system (e.g. EPSG:31467)",
                                    field="dem_crs"))
    src = project.get("dem_source")
    if src is not None and not isinstance(src, str) and not (
            isinstance(src, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in src.items())):
        problems.append(Problem(SETTINGS, 'must be a text or {"de": "...", "en": "..."}', field="dem_source"))
    return problems
