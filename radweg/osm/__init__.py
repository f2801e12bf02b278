"""OpenStreetMap: the cycling street network, route relations and POIs, from local extracts or Overpass.

Every reader here uses pyosmium, so ``.osm``, ``.osm.pbf``, ``.osm.gz`` and
``.osm.bz2`` all work, offline. Nothing in this package imports Click.
"""

OSM_SUFFIXES = (".osm", ".osm.pbf", ".pbf", ".osm.gz", ".osm.bz2", ".osm.xml")
"""File name endings read as OpenStreetMap data."""


GEOFABRIK_SUFFIXES = (".zip", ".shp")
"""File name endings read as Geofabrik shapefile layers (for POIs; see :mod:`radweg.osm.geofabrik`)."""


def is_osm_file(name: str) -> bool:
    """True when a file name looks like an OpenStreetMap extract."""
    return name.lower().endswith(OSM_SUFFIXES)
