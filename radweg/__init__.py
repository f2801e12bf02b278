"""radweg: plan and publish a themed cycle route (the Kupferspuren-Radweg in Mansfeld-Südharz).

The public API (see ``docs/api.md``)::

    import radweg

    ds = radweg.load("path/to/data")
    report = radweg.find_gaps(ds, network="msh")
    radweg.export_gpx(ds, "output/gpx")
    radweg.publish(ds, "output/site")

The functions live in :mod:`radweg.api` and are imported on first use, so that
``import radweg`` (and the ``radweg`` command's start-up) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
# A plain attribute (read by setuptools for the package metadata): importlib.metadata would cost
# ~40 ms at every start of the CLI.

__all__ = ["build_map", "export_gpx", "find_gaps", "import_file", "load", "publish", "save", "tour_facts",
           "__version__"]

if TYPE_CHECKING:
    from radweg.api import build_map, export_gpx, find_gaps, import_file, load, publish, save, tour_facts


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "__version__":
        from radweg import api

        return getattr(api, name)
    raise AttributeError(f"module 'radweg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
