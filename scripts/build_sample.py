"""Build the sample data (radweg.json, routes/, pois/) from the researched facts and real open data.

    python scripts/build_sample.py [SHARED_DIR]      # default: $RADWEG_SHARED, else ../shared

Reads ``SHARED_DIR/data/msh_facts.json`` and ``SHARED_DIR/realdata/msh/`` (see its MANIFEST.md); nothing
of it is copied, only what is derived here is written.

The Kupferspuren alignment is NOT public. The segments below are an
illustrative draft: each is a chain of straight lines between real, sourced
points (towns and heritage sites from the facts file), chosen to pass the
sights the press names. Heights come from the 1 km terrain model clipped
into terrain/ by scripts/clip_dem.py (BKG DGM1000, © GeoBasis-DE / BKG,
dl-de/by-2-0): :func:`set_heights_from_dem` samples them into every
segment, neighbour and POI position, as ``radweg elevation`` does.

From OpenStreetMap (Geofabrik's free shapefiles of Sachsen-Anhalt, Oct 2022,
© OpenStreetMap contributors, ODbL): the railway stations and halts near the
network (their positions replace the facts' ones), the summits of the heaps
that have a named OSM peak (position and osm_id), and places to stay, to eat
and drink, bike shops, drinking water, shelters and tourist offices near the
tours, imported with radweg's own Geofabrik importer. Three neighbouring
routes (Salzstraßen-Radweg, Radweg Saale-Harz, Himmelsscheibenradweg) follow
OSM-derived lines; the others are approximate polylines through the real
towns they are known to pass. ``routes/municipalities.geojson`` is a
simplified copy of the district's 22 municipalities from LVermGeo's official
boundaries (© GeoBasis-DE / LVermGeo ST, dl-de/by-2-0); each segment's
``municipality`` comes from it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shapely.geometry import shape  # noqa: E402

from radweg.data.layout import Layout  # noqa: E402
from radweg.geometry import cumulative_m, round_position  # noqa: E402
from radweg.io.atomic import write_many_atomic  # noqa: E402
from radweg.io.geojson import dump_collection, dumps  # noqa: E402
from radweg.model import (  # noqa: E402
    Collection,
    Dataset,
    Leg,
    Line,
    Neighbour,
    Place,
    Poi,
    Segment,
    Stage,
    Tour,
)
from radweg.osm.features import Candidate  # noqa: E402

SHARED_DEFAULT = Path(os.environ.get("RADWEG_SHARED") or ROOT.parent / "shared")
UPDATED = "2026-11-22"

DISCLAIMER_DE = ("Illustrativer Entwurf, NICHT die offizielle Trasse: Der Verlauf des Kupferspuren-Radwegs ist nicht "
                 "öffentlich. Die Linien verbinden belegte Orte und Sehenswürdigkeiten geradlinig.")
DISCLAIMER_EN = ("Illustrative draft, NOT the official alignment: the Kupferspuren-Radweg's course is not public. "
                 "Lines join sourced towns and sights with straight lines.")
DEM_FILES = ["terrain/dgm1000-msh.asc"]
DEM_SOURCE = {"de": "Höhen: 1-km-Geländemodell (BKG DGM1000, © GeoBasis-DE / BKG, dl-de/by-2-0); kleine Anstiege "
                    "fehlen.",
              "en": "Heights: 1 km terrain model (BKG DGM1000, © GeoBasis-DE / BKG, dl-de/by-2-0); small climbs are "
                    "missing."}
FACTS_SOURCE = ("Koordinaten: msh_facts.json (Wikipedia-Infoboxen, kupferspuren.eu-Objektdaten u. a.; "
                "Quelle je Punkt dort)")

# Short, stable ids for the POIs of the facts file (by name).
POI_IDS = {
    "Thomas-Müntzer-Schacht": "thomas-muentzer-schacht",
    "Spitzkegelhalde Hohe Linde": "halde-hohe-linde",
    "Röhrigschacht Wettelrode (Erlebniszentrum Bergbau)": "roehrigschacht-wettelrode",
    "Bergbaulehrpfad Wettelrode (Stempelstelle HWN 222)": "bergbaulehrpfad-wettelrode",
    "Kunstteich Wettelrode": "kunstteich-wettelrode",
    "Spitzkegelhalde Ernst-Thälmann-Schacht (Vitzthumschacht)": "halde-thaelmann-schacht",
    "Spitzkegelhalde Fortschrittschacht (Wolfschacht)": "halde-fortschrittschacht",
    "Spitzkegelhalde Otto-Brosowski-Schacht (Paulschacht)": "halde-brosowski-schacht",
    "Schmid-Schacht Helbra": "schmid-schacht-helbra",
    "Malakowturm Ernst-/Walter-Schneider-Schächte Helbra": "malakowturm-helbra",
    "Lapidarium Helbra": "lapidarium-helbra",
    "Bergbaudenkmal Helbra": "bergbaudenkmal-helbra",
    "Südhalde Max-Lademann-Schacht (Clotildeschacht)": "halde-max-lademann-schacht",
    "Haldenweg Otto-Schächte – Hüneburg": "haldenweg-otto-schaechte",
    "Denkmal Krughütte": "denkmal-krughuette",
    "Ehemalige Bergschule Eisleben (Traditionsmuseum)": "bergschule-eisleben",
    "Leuschner-Denkmal Eisleben": "leuschner-denkmal-eisleben",
    "Ehemalige Betriebsberufsschule des Mansfeld-Kombinats": "betriebsberufsschule-eisleben",
    "Tourist-Information Lutherstädte Eisleben & Mansfeld": "tourist-information-eisleben",
    "Schloss Mansfeld": "schloss-mansfeld",
    "St. Georg Mansfeld (Lutherkirche)": "st-georg-mansfeld",
    "Talsperre Wippra": "talsperre-wippra",
    "Mansfeld-Museum im Humboldt-Schloss Hettstedt": "mansfeld-museum-hettstedt",
    "Maschinendenkmal Hettstedt (König-Friedrich-Schacht)": "maschinendenkmal-hettstedt",
    "Haldenlandschaft Burgörner-Welfesholz": "haldenlandschaft-burgoerner",
    "Kupfer-Silber-Hütte (Gottesbelohnungshütte)": "gottesbelohnungshuette",
    "Halde Eduardschacht": "halde-eduardschacht",
    "Mundloch Schlüsselstollen": "schluesselstollen",
    "Bahnhof Sangerhausen": "bahnhof-sangerhausen",
    "Bahnhof Berga-Kelbra": "bahnhof-berga-kelbra",
    "Bahnhof Sandersleben (Anh)": "bahnhof-sandersleben",
}

# Town short names -> the facts file's place names.
TOWNS = {
    "Kelbra": "Kelbra (Kyffhäuser)", "Berga": "Berga (Kyffhäuser)", "Roßla": "Roßla", "Bennungen": "Bennungen",
    "Tilleda": "Tilleda (Kyffhäuser)", "Sangerhausen": "Sangerhausen", "Wettelrode": "Wettelrode (Sangerhausen)",
    "Stolberg": "Stolberg (Harz)", "Wippra": "Wippra", "Allstedt": "Allstedt", "Mansfeld": "Mansfeld (Lutherstadt)",
    "Möllendorf": "Möllendorf (Mansfeld)", "Klostermansfeld": "Klostermansfeld", "Benndorf": "Benndorf",
    "Helbra": "Helbra", "Wimmelburg": "Wimmelburg", "Eisleben": "Lutherstadt Eisleben",
    "Volkstedt": "Volkstedt (Eisleben)", "Siersleben": "Siersleben (Gerbstedt)", "Arnstein": "Arnstein (Stadt)",
    "Gerbstedt": "Gerbstedt", "Friedeburg": "Friedeburg (Saale)", "Süßer See": "Süßer See (Seeburg/Aseleben)",
    "Röblingen": "Röblingen am See", "Artern": "Artern", "Bad Frankenhausen": "Bad Frankenhausen/Kyffhäuser",
    "Querfurt": "Querfurt", "Nebra": "Nebra (Unstrut)", "Aschersleben": "Aschersleben", "Bernburg": "Bernburg (Saale)",
}

# id, name, waypoints (town short names or POI ids), status, surface, way_type, municipality, notes
SEGMENTS = [
    ("kelbra-rossla", "Goldene Aue: Kelbra – Berga – Roßla",
     ["Kelbra", "bahnhof-berga-kelbra", "Berga", "Roßla"], "existing", "asphalt", "cycleway", "Kelbra (Kyffhäuser)",
     None),
    ("rossla-sangerhausen", "Goldene Aue: Roßla – Bennungen – Sangerhausen",
     ["Roßla", "Bennungen", "Sangerhausen"], "existing", "asphalt", "quiet_road", "Südharz", None),
    ("stolberg-berga", "Thyratal: Stolberg – Berga",
     ["Stolberg", "Berga"], "planned", "compacted", "track", "Südharz",
     "Entlang der stillgelegten Bahnstrecke Berga–Stolberg (Beispiel)."),
    ("stolberg-wippra", "Westast: Stolberg – Talsperre Wippra – Wippra",
     ["Stolberg", "talsperre-wippra", "Wippra"], "planned", "gravel", "track", "Südharz", None),
    ("wippra-wettelrode", "Westast: Wippra – Kunstteich – Wettelrode",
     ["Wippra", "kunstteich-wettelrode", "bergbaulehrpfad-wettelrode", "roehrigschacht-wettelrode", "Wettelrode"],
     "existing", "fine_gravel", "track", "Sangerhausen", None),
    ("wettelrode-sangerhausen", "Sangerhäuser Revier: Wettelrode – Hohe Linde – Sangerhausen",
     ["Wettelrode", "halde-hohe-linde", "thomas-muentzer-schacht", "bahnhof-sangerhausen", "Sangerhausen"],
     "existing", "asphalt", "shared_path", "Sangerhausen", None),
    ("wettelrode-moellendorf", "Querverbindung: Röhrigschacht – Möllendorf",
     ["roehrigschacht-wettelrode", "Möllendorf"], "planned", "unknown", "track", "Mansfeld",
     "Entwurf beginnt am Röhrigschacht statt am Knoten Wettelrode (rund 130 m Versatz; Beispiel für eine Lücke)."),
    ("moellendorf-klostermansfeld", "Mansfeld: Möllendorf – Schloss Mansfeld – Klostermansfeld",
     ["Möllendorf", "st-georg-mansfeld", "Mansfeld", "schloss-mansfeld", "Klostermansfeld"],
     "existing", "asphalt", "quiet_road", "Mansfeld", None),
    ("klostermansfeld-arnstein", "Nordast (neu geplant): Klostermansfeld – Gottesbelohnungshütte – Arnstein",
     ["Klostermansfeld", "gottesbelohnungshuette", "Arnstein"], "planned", "unknown", "unknown", "Arnstein",
     "Nach dem Ausstieg Hettstedts (Jan. 2025) Richtung Arnstein umgeplant; Verlauf frei skizziert."),
    ("klostermansfeld-helbra", "Mansfelder Mulde: Klostermansfeld – Benndorf – Helbra",
     ["Klostermansfeld", "Benndorf", "bergbaudenkmal-helbra", "lapidarium-helbra", "Helbra"],
     "existing", "asphalt", "quiet_road", "Helbra", None),
    ("helbra-eisleben", "Haldenweg: Helbra – Wimmelburg – Lutherstadt Eisleben",
     ["Helbra", "schmid-schacht-helbra", "malakowturm-helbra", "haldenweg-otto-schaechte", "denkmal-krughuette",
      "Wimmelburg", "halde-max-lademann-schacht", "Eisleben"],
     "construction", "fine_gravel", "track", "Wimmelburg", None),
    ("eisleben-roeblingen", "Ostast: Lutherstadt Eisleben – Süßer See – Röblingen am See",
     ["Eisleben", "tourist-information-eisleben", "leuschner-denkmal-eisleben", "betriebsberufsschule-eisleben",
      "bergschule-eisleben", "Süßer See", "Röblingen"],
     "existing", "asphalt", "cycleway", "Seegebiet Mansfelder Land", None),
    ("eisleben-fortschritt", "Pyramidenrunde: Eisleben – Volkstedt – Fortschrittschacht",
     ["Eisleben", "Volkstedt", "halde-fortschrittschacht"], "existing", "compacted", "track", "Lutherstadt Eisleben",
     None),
    ("fortschritt-siersleben", "Pyramidenrunde: Fortschrittschacht – Thälmann-Schacht – Siersleben",
     ["halde-fortschrittschacht", "halde-thaelmann-schacht", "Siersleben"], "planned", "unknown", "track", "Gerbstedt",
     None),
    ("siersleben-klostermansfeld", "Pyramidenrunde: Siersleben – Klostermansfeld",
     ["Siersleben", "Klostermansfeld"], "closed", "asphalt", "road", "Klostermansfeld",
     "Beispiel: gesperrt wegen Bauarbeiten."),
    ("siersleben-gerbstedt", "Brosowski-Schacht: Siersleben – Gerbstedt",
     ["Siersleben", "halde-brosowski-schacht", "Gerbstedt"], "existing", "concrete", "track", "Gerbstedt", None),
    ("gerbstedt-friedeburg", "Schlüsselstollen: Gerbstedt – Friedeburg (Saale)",
     ["Gerbstedt", "schluesselstollen", "Friedeburg"], "planned", "unknown", "quiet_road", "Gerbstedt", None),
    ("sandersleben-friedeburg", "Nordostast: Bahnhof Sandersleben – Friedeburg (Saale)",
     ["bahnhof-sandersleben", "Friedeburg"], "planned", "unknown", "unknown", "Arnstein / Gerbstedt",
     "Anschluss an den Wipper-Radweg; zwischen Arnstein und Sandersleben fehlt noch ein Segment (Beispiel)."),
    ("sangerhausen-allstedt", "Südast: Sangerhausen – Allstedt",
     ["Sangerhausen", "Allstedt"], "existing", "asphalt", "cycleway", "Allstedt", None),
    ("allstedt-roeblingen", "Südast: Allstedt – Röblingen am See",
     ["Allstedt", "Röblingen"], "construction", "asphalt", "quiet_road", "Allstedt", None),
]

TOURS = [
    ("nord-sued", "Nord–Süd: Arnstein – Kelbra", "North–South: Arnstein – Kelbra",
     "Vom Nordast über Mansfeld und das Sangerhäuser Revier in die Goldene Aue.",
     "From the northern branch via Mansfeld and the Sangerhausen mining district into the Goldene Aue.",
     ["klostermansfeld-arnstein:r", "moellendorf-klostermansfeld:r", "wettelrode-moellendorf:r",
      "wettelrode-sangerhausen", "rossla-sangerhausen:r", "kelbra-rossla:r"],
     [("Arnstein – Wettelrode", "start", "roehrigschacht-wettelrode"),
      ("Wettelrode – Kelbra", "roehrigschacht-wettelrode", "end")]),
    ("west-ost", "West–Ost: Stolberg – Röblingen am See", "West–East: Stolberg – Röblingen am See",
     "Aus dem Harz über Wettelrode, Mansfeld und die Mansfelder Mulde an den Süßen See.",
     "From the Harz via Wettelrode, Mansfeld and the Mansfeld basin to the Süßer See.",
     ["stolberg-wippra", "wippra-wettelrode", "wettelrode-moellendorf", "moellendorf-klostermansfeld",
      "klostermansfeld-helbra", "helbra-eisleben", "eisleben-roeblingen"],
     [("Stolberg – Wettelrode", "start", "roehrigschacht-wettelrode"),
      ("Wettelrode – Klostermansfeld", "roehrigschacht-wettelrode", "Klostermansfeld"),
      ("Klostermansfeld – Röblingen am See", "Klostermansfeld", "end")]),
    ("pyramidenrunde", "Runde der Spitzkegelhalden", "Round of the conical spoil heaps",
     "Rundtour zu den Spitzkegelhalden der Mansfelder Mulde.",
     "Round tour to the conical spoil heaps of the Mansfeld basin.",
     ["klostermansfeld-helbra", "helbra-eisleben", "eisleben-fortschritt", "fortschritt-siersleben",
      "siersleben-klostermansfeld"],
     [("Pyramidenrunde", "start", "end")]),
]

# id, facts name (prefix match), network, waypoints, notes
NEIGHBOURS = [
    ("harzrundweg", "Harzrundweg", "rcn", [["Arnstein", "Wippra"]],
     "Stark vereinfacht: Arnsteiner Ortsteile (Ulzigerode … Stangerode, ohne Koordinaten) durch den Nominalpunkt "
     "Arnstein ersetzt."),
    ("saale-harz", "Radweg Saale-Harz", "rcn",
     [["Süßer See", "Eisleben", "Helbra", "Klostermansfeld", "Mansfeld", "Möllendorf", "Wippra"]],
     "Führung zwischen Eisleben und Mansfeld nicht eindeutig belegt."),
    ("wipper-radweg", "Wipper-Radweg", "rcn", [["bahnhof-sandersleben", "Bernburg"]],
     "Sandersleben durch den Bahnhof Sandersleben (Anh) vertreten."),
    ("himmelsscheibenradweg", "Himmelsscheibenradweg", "rcn", [["Süßer See", "Röblingen", "Querfurt", "Nebra"]], None),
    ("salzstrasse", "Salzstraße", "rcn", [["Nebra", "Allstedt"]], None),
    ("kyffhaeuser-radweg", "Kyffhäuser-Radweg", "rcn",
     [["Bad Frankenhausen", "Kelbra", "Tilleda"], ["Berga", "Kelbra", "Tilleda", "Artern"]],
     "Zwei Teile: Rundkurs-Abschnitt und Bahntrassenradweg Berga–Kelbra–Tilleda–Artern."),
    ("unstrut-radweg", "Unstrut-Radweg", "rcn", [["Artern", "Nebra"]], None),
    ("r1-europaradweg", "Europaradweg R1", "ncn", [["Aschersleben", "Bernburg"]], None),
    ("saale-radweg", "Saale-Radweg", "rcn", [["Friedeburg", "Bernburg"]],
     "Rothenburg (gegenüber Friedeburg) durch Friedeburg vertreten."),
]


MSH = "realdata/msh"
GEOFABRIK = f"{MSH}/geofabrik-sachsen-anhalt-2022"
LVERMGEO = f"{MSH}/lvermgeo-boundaries-2022"
ROUTES_OSM = f"{MSH}/osm-routes-derived/msh_cycle_routes_osm_subsampled.geojson"
BBOX = (10.7, 51.2, 12.0, 51.9)
STATION_CORRIDOR_M = 1500.0
"""Stations this close to any segment are in the sample."""
SERVICE_CORRIDOR_M = 300.0
"""Services (stay, food, bike, water, shelter, tourist office) this close to a tour are in the sample."""
SERVICE_TYPES = ["unterkunft", "gastronomie", "radservice", "trinkwasser", "unterstand", "touristinfo"]
OFFICE = re.compile(r"touris|information|\binfo\b", re.IGNORECASE)
"""Geofabrik's tourist_info holds every information board too; only named offices go into the sample."""
JUMP_M = 5000.0
"""A step this long in an OSM-derived route line is a jump between pieces, not a subsampled stretch."""
MUNICIPALITIES = "routes/municipalities.geojson"
LVERMGEO_ATTRIBUTION = "© GeoBasis-DE / LVermGeo ST, dl-de/by-2-0"
OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"
SIMPLIFY_M = 25.0
"""Tolerance of the municipalities' simplified copy (metres, in UTM 32N)."""

# The facts' neighbour id -> the OSM-derived line's name.
OSM_ROUTES = {"salzstrasse": "Salzstraßen-Radweg", "saale-harz": "Radweg Saale-Harz",
              "himmelsscheibenradweg": "Himmelsscheibenradweg"}
# Facts POIs whose type the facts file gives as 'other' but radweg now has a type for.
TYPE_OVERRIDES = {"tourist-information-eisleben": "touristinfo"}
# Facts POIs matched to an OSM node by hand, with the reason. The importer's rule (similar name within 300 m)
# would take the nearer "Tourist Information" node by Luther's birth house; the facts give the address Markt 22,
# and the node "Touristeninformation" is the one on the Markt.
OSM_MATCHES = {"tourist-information-eisleben": ("node/8878085697", "pois.zip",
                                                "Adresse laut Quelle Markt 22; OSM-Knoten am Markt")}


def main(shared: Path) -> None:
    facts = json.loads((shared / "data" / "msh_facts.json").read_text(encoding="utf-8"))
    places = {p["name"]: p for p in facts["places"] if p.get("lat") is not None}
    pois = []
    for p in facts["pois"]:
        pid = POI_IDS[p["name"]]
        pois.append(Poi(
            pid, p["name"], TYPE_OVERRIDES.get(pid, p["type"]), round_position((p["lon"], p["lat"])),
            description=p.get("description_de"), height_m=p.get("height_m"), source=p.get("source"),
            approx=bool(p.get("approx")),
            extra={k: v for k, v in (("near_place", p.get("near_place")), ("note", p.get("note"))) if v}))
    pois, heap_report = _osm_heaps(pois, shared / GEOFABRIK)
    stations = _stations(shared / GEOFABRIK)
    pois = _osm_positions(pois, stations)
    pois = _osm_by_hand(pois, shared / GEOFABRIK)
    poi_by_id = {p.id: p for p in pois}

    def point(ref: str) -> tuple[tuple[float, float], float | None]:
        if ref in poi_by_id:
            return poi_by_id[ref].coords, None
        town = places[TOWNS[ref]]
        return (town["lon"], town["lat"]), town.get("elevation_m")

    def chain(refs: list[str]) -> tuple[tuple[float, ...], ...]:
        pts = [point(r) for r in refs]
        coords = [c for c, _ in pts]
        cum = cumulative_m(coords)
        known = [(d, e) for d, (_, e) in zip(cum, pts, strict=False) if e is not None]
        out = []
        for (lon, lat), d in zip(coords, cum, strict=False):
            out.append(round_position((lon, lat, _interp(known, d))) if known else round_position((lon, lat)))
        return tuple(out)

    munis = _municipalities(shared / LVERMGEO)
    from radweg.boundaries import Area, municipality_of, split_segments

    areas = [Area(m["properties"]["name"], MUNICIPALITIES, shape(m["geometry"])) for m in munis]
    segments = [Segment(sid, name, chain(refs), status, surface, way, None, SEGMENT_SOURCE, notes, UPDATED,
                        extra={"waypoints": [TOWNS.get(r, r) for r in refs]})
                for sid, name, refs, status, surface, way, _muni, notes in SEGMENTS]
    split = split_segments(segments, areas)
    segments = [replace(s, municipality=municipality_of(split.per_segment[s.id])) for s in segments]
    seg_map = {s.id: s for s in segments}

    from radweg.tours.line import resolve_place, tour_line

    tours = []
    for tid, name, name_en, desc, desc_en, legs_text, stage_specs in TOURS:
        legs = tuple(Leg.parse(t) for t in legs_text)
        line = tour_line(Tour("_", "_", legs), seg_map)
        stages = []
        for i, (sname, start, end) in enumerate(stage_specs, 1):
            def place(spec: str, line: Line = line) -> Place:
                if spec in TOWNS:
                    c, _ = point(spec)
                    return Place(TOWNS[spec], round_position(c))
                return resolve_place(spec, line, poi_by_id)
            s_place, e_place = place(start), place(end)
            if start == "start":
                s_place = Place(sname.split(" – ")[0], s_place.coords)
            if end == "end":
                e_place = Place(sname.split(" – ")[-1], e_place.coords)
            stages.append(Stage(f"etappe-{i}", sname, s_place, e_place))
        tours.append(Tour(tid, name, legs, tuple(stages), name_en, desc, desc_en))

    ds = Dataset(Collection(segments), Collection(tours), Collection(pois), Collection(),
                 {"bbox": list(BBOX), "stage_tolerance_m": 100.0})
    near_network = _near_network(stations, segments)
    ds.pois = Collection(_plan_into(pois, near_network, stations_source(shared / GEOFABRIK)))
    ds.pois = Collection(_services(ds, shared / GEOFABRIK))

    facts_routes = {r["name"]: r for r in facts["neighbour_routes"]}
    osm_lines = _osm_routes(shared / ROUTES_OSM)
    neighbours = []
    for nid, prefix, network, parts, notes in NEIGHBOURS:
        route = next(r for n, r in facts_routes.items() if n.startswith(prefix))
        extra = {"kind": route.get("kind"), "length_km": route.get("length_km")}
        facts_source = "; ".join(route.get("sources", []))
        if nid in OSM_ROUTES:
            props, lines, how = osm_lines[OSM_ROUTES[nid]]
            neighbours.append(Neighbour(
                nid, route["name"], lines, network, osm_id=int(props["osm_relation"]),
                source=(f"Linie: OpenStreetMap-Relation {props['osm_relation']}, ausgedünnt ({props['source']}), "
                        f"{OSM_ATTRIBUTION}; Angaben: {facts_source}"),
                notes=how, geometry="osm", extra=extra))
            continue
        lines = tuple(tuple(round_position(point(ref)[0]) for ref in part) for part in parts)
        neighbours.append(Neighbour(nid, route["name"], lines, network, source=facts_source, notes=notes,
                                    geometry="approximate", extra=extra))

    meta_common = {
        "illustrative": True,
        "disclaimer_de": DISCLAIMER_DE,
        "disclaimer_en": DISCLAIMER_EN,
        "generated_by": "scripts/build_sample.py from msh_facts.json and ../shared/realdata/msh",
    }
    n_osm = sum(1 for p in ds.pois.items if p.osm_id)
    files = {
        "segments": Collection(segments, {**meta_common, "title": "Kupferspuren-Radweg: Segmente (Entwurf)",
                                          "sources": facts["kupferspuren"]["sources"],
                                          "municipalities": f"{MUNICIPALITIES}, {LVERMGEO_ATTRIBUTION}"}),
        "tours": Collection(tours, {**meta_common, "title": "Kupferspuren-Radweg: Touren und Etappen (Beispiel)"}),
        "pois": Collection(ds.pois.items, {
            "title": "Kupferspuren-Radweg: Sehenswürdigkeiten und Service",
            "note_de": ("Sehenswürdigkeiten aus msh_facts.json (Quelle je Punkt im Feld source; approx=true: nur "
                        "ungefähre Lage). Bahnhöfe, Haldengipfel und Service (Unterkunft, Gastronomie, Radservice, "
                        "Trinkwasser, Schutzhütten, Tourist-Information) aus OpenStreetMap (Geofabrik-Auszug "
                        f"Sachsen-Anhalt, Okt. 2022), {OSM_ATTRIBUTION}; Feld osm_id."),
            "attribution": OSM_ATTRIBUTION,
            "generated_by": meta_common["generated_by"]}),
        "neighbours": Collection(neighbours, {
            "title": "Benachbarte Radrouten",
            "disclaimer_de": ("geometry=osm: Linie aus OpenStreetMap (ausgedünnt); geometry=approximate: angenäherte "
                              "Linie durch die belegten Orte der Route, keine vermessene Führung."),
            "disclaimer_en": ("geometry=osm: line from OpenStreetMap (thinned out); geometry=approximate: a polyline "
                              "through the route's known towns, not its surveyed course."),
            "attribution": OSM_ATTRIBUTION,
            "generated_by": meta_common["generated_by"]}),
    }
    project = {"name": "Kupferspuren-Radweg (Beispieldaten)", "name_en": "Kupferspuren-Radweg (sample data)",
               "bbox": list(BBOX),
               "stage_tolerance_m": 100.0, "illustrative": True,
               "disclaimer_de": DISCLAIMER_DE, "disclaimer_en": DISCLAIMER_EN,
               "boundaries": [{"path": MUNICIPALITIES, "name_field": "name"}],
               "dem": DEM_FILES, "dem_source": DEM_SOURCE}
    layout = Layout(ROOT)
    for key, value in _read_settings(layout.settings).items():  # settings this script does not make (dem …) stay
        project.setdefault(key, value)
    municipalities = {"type": "FeatureCollection", "name": "Gemeinden des Landkreises Mansfeld-Südharz",
                      "attribution": LVERMGEO_ATTRIBUTION,
                      "source": ("LVermGeo Sachsen-Anhalt, Verwaltungsgrenzen 13.10.2022 (Einheitsgemeinde.zip, "
                                 f"Gemeinde.zip), Schlüssel VSN_KLAR 15087…, vereinfacht auf {SIMPLIFY_M:g} m"),
                      "features": munis}
    items = [(layout.settings, dumps(project))]
    items += [(layout.data_file(kind), dump_collection(coll)) for kind, coll in files.items()]
    items.append((ROOT / MUNICIPALITIES, _dump_areas(municipalities)))
    write_many_atomic(items)
    kinds = sorted({p.type for p in ds.pois.items if p.osm_id})
    print(f"wrote {len(segments)} segments, {len(tours)} tours, {len(ds.pois.items)} POIs ({n_osm} from "
          f"OpenStreetMap: {', '.join(kinds)}), {len(neighbours)} neighbours, {len(munis)} municipalities")
    for line in heap_report:
        print(line)
    set_heights_from_dem(ROOT)


SEGMENT_SOURCE = (FACTS_SOURCE + "; Lage der Bahnhöfe und Haldengipfel: OpenStreetMap (Geofabrik-Auszug "
                  f"Okt. 2022), {OSM_ATTRIBUTION}")


def _read_settings(path: Path) -> dict[str, Any]:
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return obj if isinstance(obj, dict) else {}


def _layer(folder: Path, name: str) -> list[Candidate]:
    from radweg.osm.geofabrik import read_layers

    return [c for lay in read_layers(folder / name, bbox=BBOX) for c in lay.candidates]


def stations_source(folder: Path) -> str:
    from radweg.osm.geofabrik import read_layers, source_text

    return source_text(folder / "transport_stations.zip", read_layers(folder / "transport_stations.zip", bbox=BBOX))


def _stations(folder: Path) -> list[Candidate]:
    """Railway stations and halts (fclass railway_station / railway_halt) of the OSM layer."""
    return [c for c in _layer(folder, "transport_stations.zip") if c.type == "bahnhof"]


def _osm_heaps(pois: list[Poi], folder: Path) -> tuple[list[Poi], list[str]]:
    """The facts' heaps matched to named OSM peaks: the peak's position (the summit) and osm_id replace the facts'.

    The facts' coordinates are those of the articles (often the shaft beside the heap); the OSM peak is the
    mapped summit, where a marker for the heap belongs. Heaps without a named peak keep the facts' position.
    """
    from radweg.osm.geofabrik import match_heaps, source_text
    from radweg.osm.geofabrik import read_layers as layers

    natural = layers(folder / "gis_osm_natural_free_1.zip", bbox=BBOX)
    peaks = [c for lay in natural for c in lay.candidates if c.type == "halde"]
    src = source_text(folder / "gis_osm_natural_free_1.zip", natural)
    heaps = [p for p in pois if p.type == "halde"]
    matches = {m.poi_id: m for m in match_heaps(heaps, peaks)}
    out, report = [], []
    for p in pois:
        m = matches.get(p.id)
        if m is None:
            out.append(p)
        elif m.candidate is None:
            report.append(f"heap {p.id}: no named OSM peak within 1000 m; the facts' position is kept")
            out.append(p)
        else:
            c = m.candidate
            report.append(f"heap {p.id}: OSM {c.osm} '{c.name}', {m.distance_m:.0f} m from the facts' position")
            out.append(replace(p, coords=round_position(c.coords), osm_id=c.osm,
                               source=f"Lage: {c.osm} '{c.name}' ({src}); Angaben: {p.source}",
                               extra={**p.extra, "facts_position": list(p.coords)}))
    return out, report


def _osm_positions(pois: list[Poi], stations: list[Candidate]) -> list[Poi]:
    """The facts' stations at the position of their OSM station (matched by name and distance), with osm_id."""
    from radweg.osm.features import plan

    out = []
    facts = [p for p in pois if p.type == "bahnhof"]
    merged = {a.match: a for a in plan(facts, stations, source="", radius_m=300.0) if a.match}
    for p in pois:
        a = merged.get(p.id)
        if p.type != "bahnhof" or a is None:
            out.append(p)
            continue
        out.append(replace(p, coords=round_position(a.candidate.coords), osm_id=a.candidate.osm,
                           source=f"Lage: {a.candidate.osm} ({OSM_ATTRIBUTION}); Angaben: {p.source}",
                           extra={**p.extra, "facts_position": list(p.coords)}))
    return out


def _osm_by_hand(pois: list[Poi], folder: Path) -> list[Poi]:
    """The matches of OSM_MATCHES: the OSM node's position and id, the facts' texts."""
    out = []
    for p in pois:
        if p.id not in OSM_MATCHES:
            out.append(p)
            continue
        ref, layer, why = OSM_MATCHES[p.id]
        c = next(c for c in _layer(folder, layer) if c.osm == ref)
        out.append(replace(p, coords=round_position(c.coords), osm_id=c.osm,
                           source=f"Lage: {c.osm} '{c.name}' ({OSM_ATTRIBUTION}; {why}); Angaben: {p.source}",
                           extra={**p.extra, "facts_position": list(p.coords)}))
    return out


def _near_network(cands: list[Candidate], segments: list[Segment]) -> list[Candidate]:
    from radweg.tours.corridor import along_line

    probes = [Poi(str(i), c.name or "", c.type, c.coords) for i, c in enumerate(cands)]
    keep: set[int] = set()
    for seg in segments:
        keep |= {int(n.poi.id) for n in along_line(probes, seg.coords, STATION_CORRIDOR_M)}
    return [c for i, c in enumerate(cands) if i in keep]


def _plan_into(pois: list[Poi], cands: list[Candidate], source: str) -> list[Poi]:
    from radweg.osm.features import plan

    by_id = {p.id: p for p in pois}
    for a in plan(pois, cands, source=source, radius_m=300.0):
        if a.action == "add":
            by_id[a.poi.id] = a.poi
    return sorted(by_id.values(), key=lambda p: p.id)


def _services(ds: Dataset, folder: Path) -> list[Poi]:
    """Services near the tours, imported with radweg's Geofabrik importer (points, then areas)."""
    from radweg.data.importers import import_file

    for layer in ("pois.zip", "gis_osm_pois_a_free_1.zip"):
        for tour in ds.tours.items:
            import_file(ds, folder / layer, kind="pois", types=SERVICE_TYPES, tour=tour.id,
                        corridor_m=SERVICE_CORRIDOR_M)
    from radweg.osm.features import LABELS

    return [p for p in ds.pois.items
            if not (p.osm_id and p.type == "touristinfo" and (p.name == LABELS["touristinfo"]
                                                              or not OFFICE.search(p.name)))]


def _split_jumps(coords: list[list[float]]) -> list[list[tuple[float, ...]]]:
    from radweg.geometry import distance_m

    parts: list[list[tuple[float, ...]]] = [[]]
    for c in coords:
        pos = round_position(c)
        if parts[-1] and distance_m(parts[-1][-1], pos) > JUMP_M:
            parts.append([])
        parts[-1].append(pos)
    return [p for p in parts if len(p) >= 2]


def _osm_routes(path: Path) -> dict[str, tuple[dict[str, Any], tuple[Line, ...], str]]:
    """The OSM-derived lines by name: split at jumps between pieces, clipped to the project area."""
    from shapely.geometry import box

    from radweg.geometry import step_lengths_m

    obj = json.loads(path.read_text(encoding="utf-8"))
    area = box(*BBOX)
    out = {}
    for f in obj["features"]:
        coords = f["geometry"]["coordinates"]
        steps = step_lengths_m(coords)
        longest = max((s for s in steps if s <= JUMP_M), default=0.0)
        parts = _split_jumps(coords)
        lines: list[Line] = [run for part in parts for run in _clip(part, area)]
        notes = [f"Linie aus OpenStreetMap (Relation {f['properties']['osm_relation']}), von der Quelle auf "
                 f"{len(coords)} Punkte ausgedünnt; Lücken bis {_de(longest / 1000)} km zwischen ausgelassenen "
                 "Punkten sind geradlinig verbunden"]
        if len(parts) > 1:
            kinds = ["Variante (beide Enden an der Hauptlinie)" if _is_variant(part, parts[0]) else "Lücke"
                     for part in parts[1:]]
            notes.append(f"bei Sprüngen über {JUMP_M / 1000:.0f} km in {len(parts)} Teile getrennt; weitere Teile: "
                         + ", ".join(kinds))
        if sum(len(line) for line in lines) < sum(len(p) for p in parts):
            notes.append(f"auf das Projektgebiet {list(BBOX)} zugeschnitten")
        out[f["properties"]["name"]] = (f["properties"], tuple(lines), "; ".join(notes) + ".")
    return out


def _clip(part: list[tuple[float, ...]], area: Any) -> list[Line]:
    """The runs of a line inside a box, step by step, cut where it leaves and enters.

    Clipping the whole line at once (shapely's intersection) would also cut it wherever it crosses itself.
    """
    from shapely.geometry import LineString

    from radweg.geometry import distance_m

    runs: list[list[tuple[float, ...]]] = []
    cur: list[tuple[float, ...]] = []
    for a, b in zip(part, part[1:], strict=False):
        inside = LineString([a, b]).intersection(area)
        if inside.is_empty or inside.geom_type != "LineString":
            if len(cur) >= 2:
                runs.append(cur)
            cur = []
            continue
        s0, s1 = (round_position(c) for c in inside.coords)
        if distance_m(s0, a) > distance_m(s1, a):
            s0, s1 = s1, s0
        if cur and cur[-1] != s0:
            runs.append(cur)
            cur = []
        if not cur:
            cur = [s0]
        cur.append(s1)
        if s1 != round_position(b):  # left the box
            runs.append(cur)
            cur = []
    if len(cur) >= 2:
        runs.append(cur)
    return [tuple(r) for r in runs if len(r) >= 2]


def _de(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def _is_variant(part: list[tuple[float, ...]], main: list[tuple[float, ...]], within_m: float = 500.0) -> bool:
    """True when both ends of a piece lie near the main line: a variant beside it, not the missing rest."""
    from radweg.geometry import distance_m

    return all(min(distance_m(end, p) for p in main) <= within_m for end in (part[0], part[-1]))


def _municipalities(folder: Path) -> list[dict[str, Any]]:
    """The district's 22 municipalities (key VSN_KLAR 15087…), simplified in UTM 32N, as GeoJSON features."""
    import pyogrio
    from shapely.geometry import mapping

    feats = []
    for name in ("Einheitsgemeinde.zip", "Gemeinde.zip"):
        frame = pyogrio.read_dataframe(folder / name, columns=["GN_KLAR", "VSN_KLAR"])
        frame = frame[frame["VSN_KLAR"].astype(str).str.startswith("15087")]
        frame["geometry"] = frame.geometry.simplify(SIMPLIFY_M, preserve_topology=True)
        frame = frame.to_crs(4326)
        for row in frame.itertuples(index=False):
            geom = mapping(row.geometry)
            feats.append({"type": "Feature",
                          "properties": {"name": str(row.GN_KLAR), "key": str(row.VSN_KLAR), "layer": name},
                          "geometry": _round_geometry(geom)})
    return sorted(feats, key=lambda f: f["properties"]["key"])


def _round_geometry(geom: Any) -> dict[str, Any]:
    def walk(x: Any) -> Any:
        if isinstance(x, (list, tuple)) and x and isinstance(x[0], (int, float)):
            return [round(float(x[0]), 5), round(float(x[1]), 5)]
        return [walk(y) for y in x]

    return {"type": geom["type"], "coordinates": walk(geom["coordinates"])}


def _dump_areas(obj: dict[str, Any]) -> str:
    """One feature per line: small diffs, deterministic."""
    head = {k: v for k, v in obj.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in obj["features"]]
    body = ",\n".join(lines)
    return json.dumps(head, ensure_ascii=False)[:-1] + ', "features": [\n' + body + "\n]}\n"


def set_heights_from_dem(root: Path) -> None:
    """Heights of every segment, neighbour and POI position from the project's terrain model (``dem``).

    The same as ``radweg --data ROOT elevation``: bilinear samples of the
    clipped DGM1000, saved through the store (validated, atomic).
    """
    from radweg.data.store import Store
    from radweg.elevation.assign import set_heights
    from radweg.elevation.settings import project_dem

    store = Store(root)
    ds = store.load()
    with project_dem(ds) as dem:
        if dem is None:
            raise SystemExit(f"{root}/radweg.json names no terrain model (dem)")
        new, report = set_heights(ds, dem)
    store.save(new, report.changed)
    print(f"heights from {report.dem}: " + ", ".join(f"{r.positions} {k} positions" for k, r in report.kinds.items()))


def _interp(known: list[tuple[float, float]], d: float) -> float:
    if d <= known[0][0]:
        return float(known[0][1])
    for (d0, e0), (d1, e1) in zip(known, known[1:], strict=False):
        if d0 <= d <= d1:
            return e0 + (e1 - e0) * ((d - d0) / (d1 - d0) if d1 > d0 else 0.0)
    return float(known[-1][1])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED_DEFAULT)
