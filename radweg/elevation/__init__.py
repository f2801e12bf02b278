"""Heights: terrain models (DEMs), sampling along lines, ascent and descent.

- :mod:`radweg.elevation.climb`: ascent/descent with the documented hysteresis;
- :mod:`radweg.elevation.dem`: reading GeoTIFF, ESRI ASCII grids and SRTM tiles as one mosaic, bilinear sampling,
  voids;
- :mod:`radweg.elevation.along`: sampling along a line every :data:`DEM_STEP_M` metres;
- :mod:`radweg.elevation.settings`: the ``dem``, ``dem_crs`` and ``dem_source`` settings;
- :mod:`radweg.elevation.assign`: heights written into a dataset's coordinates (``radweg elevation``).

See docs/elevation.md.
"""

from __future__ import annotations

from radweg.elevation.along import DEM_STEP_M, densify, drape
from radweg.elevation.climb import THRESHOLD_M, Climb, climb, climb_parts, filled_elevations, hysteresis
from radweg.elevation.dem import Dem, DemFile
from radweg.elevation.settings import heights_note, project_dem

__all__ = ["DEM_STEP_M", "THRESHOLD_M", "Climb", "Dem", "DemFile", "climb", "climb_parts", "densify", "drape",
           "filled_elevations", "heights_note", "hysteresis", "project_dem"]
