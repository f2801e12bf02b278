"""Input and output: GeoJSON data files, GPX, OpenStreetMap, web maps."""
