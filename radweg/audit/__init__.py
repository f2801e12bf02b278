"""An ADFC-style pre-audit of every stage of a tour, from open data.

Per stage (or per 50 km where a tour has no stages), indicators under the
ADFC-Qualitätsradroute headings: Befahrbarkeit, Oberfläche, Kfz-Verkehr,
Routenführung, Wegweisung, Touristische Infrastruktur, ÖPNV. It is a
preparation aid, not the ADFC's rating.

* :mod:`radweg.audit.sources`: the data counted (project POIs, OSM extracts, Geofabrik layers);
* :mod:`radweg.audit.match`: distances and km along the line, the street under every 10 m;
* :mod:`radweg.audit.indicators`: the indicators and their thresholds;
* :mod:`radweg.audit.report`: one tour's stages through every indicator;
* :mod:`radweg.audit.render`: Markdown, printable HTML, CSV, JSON.
"""
