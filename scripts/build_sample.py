"""Build the sample data (radweg.json, routes/, pois/) from the researched facts.

    python scripts/build_sample.py [../shared/data/msh_facts.json]

The Kupferspuren alignment is NOT public. The segments below are an
illustrative draft: each is a chain of straight lines between real, sourced
points (towns and heritage sites from the facts file), chosen to pass the
sights the press names. Elevations at towns come from the facts file
(Wikipedia infoboxes) and are interpolated linearly in between, so the
profiles are illustrative too. Neighbouring routes are approximate
polylines through the real towns they are known to pass.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from radweg.data.layout import Layout  # noqa: E402
from radweg.geometry import cumulative_m, round_position  # noqa: E402
from radweg.io.atomic import write_many_atomic  # noqa: E402
from radweg.io.geojson import dump_collection, dumps  # noqa: E402
from radweg.model import Collection, Leg, Line, Neighbour, Place, Poi, Segment, Stage, Tour  # noqa: E402

FACTS_DEFAULT = ROOT.parent / "shared" / "data" / "msh_facts.json"
UPDATED = "2026-11-22"

DISCLAIMER_DE = ("Illustrativer Entwurf, NICHT die offizielle Trasse: Der Verlauf des Kupferspuren-Radwegs ist nicht "
                 "öffentlich. Die Linien verbinden belegte Orte und Sehenswürdigkeiten geradlinig; Höhen sind aus "
                 "Ortshöhen linear interpoliert.")
DISCLAIMER_EN = ("Illustrative draft, NOT the official alignment: the Kupferspuren-Radweg's course is not public. "
                 "Lines join sourced towns and sights with straight lines; elevations are interpolated linearly "
                 "between town elevations.")
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


def main(facts_path: Path) -> None:
    facts = json.loads(facts_path.read_text(encoding="utf-8"))
    places = {p["name"]: p for p in facts["places"] if p.get("lat") is not None}
    pois = []
    for p in facts["pois"]:
        pois.append(Poi(
            POI_IDS[p["name"]], p["name"], p["type"], round_position((p["lon"], p["lat"])),
            description=p.get("description_de"), height_m=p.get("height_m"), source=p.get("source"),
            approx=bool(p.get("approx")),
            extra={k: v for k, v in (("near_place", p.get("near_place")), ("note", p.get("note"))) if v}))
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

    segments = [Segment(sid, name, chain(refs), status, surface, way, muni, FACTS_SOURCE, notes, UPDATED,
                        extra={"waypoints": [TOWNS.get(r, r) for r in refs]})
                for sid, name, refs, status, surface, way, muni, notes in SEGMENTS]
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

    facts_routes = {r["name"]: r for r in facts["neighbour_routes"]}
    neighbours = []
    for nid, prefix, network, parts, notes in NEIGHBOURS:
        route = next(r for n, r in facts_routes.items() if n.startswith(prefix))
        lines = tuple(tuple(round_position(point(ref)[0]) for ref in part) for part in parts)
        neighbours.append(Neighbour(
            nid, route["name"], lines, network, website=None, source="; ".join(route.get("sources", [])),
            notes=notes, extra={"approximate": True, "kind": route.get("kind"), "length_km": route.get("length_km")}))

    meta_common = {
        "illustrative": True,
        "disclaimer_de": DISCLAIMER_DE,
        "disclaimer_en": DISCLAIMER_EN,
        "generated_by": "scripts/build_sample.py from msh_facts.json",
    }
    files = {
        "segments": Collection(segments, {**meta_common, "title": "Kupferspuren-Radweg: Segmente (Entwurf)",
                                          "sources": facts["kupferspuren"]["sources"]}),
        "tours": Collection(tours, {**meta_common, "title": "Kupferspuren-Radweg: Touren und Etappen (Beispiel)"}),
        "pois": Collection(pois, {"title": "Kupferspuren-Radweg: Sehenswürdigkeiten",
                                  "note_de": "Koordinaten und Beschreibungen aus msh_facts.json; Quelle je Punkt "
                                             "im Feld source. approx=true: nur ungefähre Lage.",
                                  "generated_by": meta_common["generated_by"]}),
        "neighbours": Collection(neighbours, {
            "title": "Benachbarte Radrouten (angenähert)",
            "disclaimer_de": "Angenäherte Linien durch die belegten Orte der Routen, keine vermessene Führung.",
            "disclaimer_en": "Approximate polylines through the routes' known towns, not their surveyed course.",
            "generated_by": meta_common["generated_by"]}),
    }
    project = {"name": "Kupferspuren-Radweg (Beispieldaten)", "name_en": "Kupferspuren-Radweg (sample data)",
               "bbox": [10.7, 51.2, 12.0, 51.9],
               "stage_tolerance_m": 100.0, "illustrative": True,
               "disclaimer_de": DISCLAIMER_DE, "disclaimer_en": DISCLAIMER_EN}
    layout = Layout(ROOT)
    items = [(layout.settings, dumps(project))]
    items += [(layout.data_file(kind), dump_collection(coll)) for kind, coll in files.items()]
    write_many_atomic(items)
    print(f"wrote {len(segments)} segments, {len(tours)} tours, {len(pois)} POIs, {len(neighbours)} neighbours")


def _interp(known: list[tuple[float, float]], d: float) -> float:
    if d <= known[0][0]:
        return float(known[0][1])
    for (d0, e0), (d1, e1) in zip(known, known[1:], strict=False):
        if d0 <= d <= d1:
            return e0 + (e1 - e0) * ((d - d0) / (d1 - d0) if d1 > d0 else 0.0)
    return float(known[-1][1])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else FACTS_DEFAULT)
