"""German and English texts for the map and the site, with German as the fallback."""

from __future__ import annotations

LANGS = ("de", "en")

_TEXT: dict[str, dict[str, str]] = {
    "de": {
        "status.existing": "befahrbar", "status.planned": "geplant", "status.construction": "im Bau",
        "status.closed": "gesperrt",
        "poi.halde": "Halde", "poi.schacht": "Schacht", "poi.museum": "Museum", "poi.huette": "Hütte",
        "poi.stollen": "Stollen", "poi.denkmal": "Denkmal", "poi.bahnhof": "Bahnhof", "poi.aussicht": "Aussicht",
        "poi.unterkunft": "Unterkunft", "poi.gastronomie": "Gastronomie", "poi.trinkwasser": "Trinkwasser",
        "poi.radservice": "Radservice", "poi.touristinfo": "Tourist-Information", "poi.unterstand": "Schutzhütte",
        "poi.other": "Sonstiges",
        "layer.neighbours_approx": "Nachbarrouten (Verlauf angenähert)", "geometry": "Verlauf",
        "geometry.osm": "aus OpenStreetMap", "geometry.approximate": "angenähert durch bekannte Orte",
        "layer.segments": "Strecke", "layer.tours": "Tour", "layer.stages": "Etappen", "layer.neighbours":
        "Nachbarrouten", "layer.gaps": "Lücken", "layer.connectors": "Verbindungsvorschläge", "layer.pois": "Orte",
        "legend": "Legende", "profile": "Höhenprofil", "no_elevation": "Keine Höhendaten",
        "length": "Länge", "ascent": "Anstieg", "descent": "Abstieg", "start": "Start", "end": "Ziel",
        "height": "Haldenhöhe", "height_other": "Höhe", "website": "Website", "source": "Quelle",
        "approx": "Lage ungefähr",
        "type": "Art", "status": "Status", "surface": "Belag", "way_type": "Wegart", "municipality": "Gemeinde",
        "gpx_tour": "GPX der Tour", "gpx_stage": "GPX der Etappe", "gpx_all": "Alle GPX-Dateien (ZIP)",
        "gpx_tour_zip": "Tour mit Etappen (ZIP)", "tour_page": "Seite der Tour",
        "stage_page": "Etappe auf der Seite der Tour",
        "stage": "Etappe", "stages": "Etappen", "tour": "Tour", "tours": "Touren", "pois": "Sehenswürdigkeiten",
        "gaps": "Lückenbericht", "downloads": "Downloads", "map": "Karte", "km": "km", "m": "m",
        "from_km": "ab km", "network": "Netz", "operator": "Betreiber", "ref": "Nummer",
        "pois_on_route": "Orte an der Strecke", "distance_from_route": "Abstand zur Strecke",
        "none": "keine", "data": "Daten (GeoJSON)", "data_note": "Die Daten der Karte zum Herunterladen.",
        "simplified": "Linien für die Anzeige vereinfacht, Abweichung höchstens {err} m.",
        "profile_of": "Höhenprofil von", "back_to_map": "Zur Karte", "name": "Name", "description": "Beschreibung",
        "elevation_axis": "Höhe (m)", "distance_axis": "Entfernung (km)", "all_pois": "Alle Orte",
        "gap_none": "Kein Lückenbericht in dieser Ausgabe.", "gpx_none": "Keine GPX-Dateien in dieser Ausgabe.",
        "lang_other": "English", "show_on_map": "Auf der Karte zeigen", "tour_overview": "Touren im Überblick",
        "segments_count": "Abschnitte", "generated": "Erzeugt mit radweg aus den Daten im Repository.",
        "file": "Datei", "kind": "Inhalt", "choose_profile": "Profil wählen",
        "attr.contributors": "-Mitwirkende", "attr.map_data": "Kartendaten", "attr.map_style": "Kartendarstellung",
        "embed": "Karte einbetten", "embed_note": "Den Ordner auf einen Webserver laden und die Karte mit diesem "
        "Ausschnitt in eine Seite einbinden (Adresse anpassen):",
        "surface.asphalt": "Asphalt", "surface.concrete": "Beton", "surface.paving_stones": "Pflaster",
        "surface.sett": "Kopfsteinpflaster", "surface.compacted": "wassergebundene Decke",
        "surface.fine_gravel": "Feinsplitt", "surface.gravel": "Schotter", "surface.ground": "Naturweg",
        "surface.grass": "Gras", "surface.unpaved": "unbefestigt", "surface.paved": "befestigt",
        "surface.mixed": "gemischt", "surface.unknown": "unbekannt",
        "way.cycleway": "Radweg", "way.shared_path": "gemeinsamer Geh- und Radweg", "way.track": "Wirtschaftsweg",
        "way.quiet_road": "ruhige Straße", "way.road": "Straße", "way.path": "Pfad", "way.mixed": "gemischt",
        "way.unknown": "unbekannt",
        "difficulty.easy": "leicht", "difficulty.medium": "mittel", "difficulty.hard": "schwer",
        "difficulty": "Schwierigkeit", "highest": "Höchster Punkt", "lowest": "Tiefster Punkt",
        "services": "Service", "sights": "Sehenswürdigkeiten", "poi_page": "Mehr zu diesem Ort",
        "fullscreen": "Vollbild", "fullscreen_off": "Vollbild beenden", "locate": "Meinen Standort zeigen",
        "zoom_in": "Hineinzoomen", "zoom_out": "Herauszoomen", "layers": "Ebenen wählen", "close": "Schließen",
        "map_label": "Karte des Radwegs", "municipalities": "Gemeinden", "cluster": "{n} Orte: heranzoomen",
        "layer.neighbours_off": "Nachbarrouten (in „Ebenen“ einschaltbar)",
        "skip": "Zum Inhalt springen", "nav": "Hauptnavigation", "licences": "Lizenzen und Quellen",
        "imprint": "Impressum", "privacy": "Datenschutz", "other_lang_name": "English", "other_lang": "en",
        "switch_lang": "This page in English", "tours_intro": "Touren auf dem Radweg",
        "loop": "Rundtour", "start_end": "Start und Ziel", "surface_share": "Belag", "way_share": "Wegart",
        "know": "Gut zu wissen", "all_rideable": "Alle Abschnitte sind befahrbar.",
        "status_note": "{status}: {names} ({km})", "by_train": "Anreise mit der Bahn",
        "station_near": "{station}, {dist} vom {where}", "station_none": "kein Bahnhof in den Daten",
        "where.start": "Start", "where.end": "Ziel", "on_the_way": "Unterwegs",
        "gpx_route": "Route (für ältere Geräte)", "gpx_track": "Track", "map_of": "Karte: {name}",
        "overview": "Übersicht", "filter": "Orte filtern", "search": "Suche", "all_types": "Alle",
        "search_hint": "Name oder Ort", "count_shown": "Orte angezeigt", "on_tours": "An diesen Touren",
        "km_on_tour": "km {km} auf {tour}", "not_on_tour": "Liegt an keiner Tour (mehr als {dist} entfernt).",
        "coordinates": "Koordinaten", "opening": "Öffnungszeiten", "photo": "Foto", "note": "Hinweis",
        "text_de_only": "", "difficulty_rule": "Schwierigkeit nach der Regel auf der Seite „Lizenzen und Quellen“.",
        "planner_build": "Planungsausgabe", "gap_intro": "Lücken im Netz und zu Nachbarrouten, für Planer.",
        "gap_kind": "Art", "gap_where": "Wo", "gap_length": "Länge", "gap_triage": "Bearbeitung",
        "gap_tours": "Touren", "gap_id": "Kennung", "no_gaps": "Keine Lücken gefunden.",
        "illustrative": "Beispieldaten",
        "to_tour": "Zur Tour", "map_and_profile": "Karte und Höhenprofil",
        "km_from_start": "km ab Start", "stage_cards": "Etappen",
        "difficulty_how": "So bewerten wir die Schwierigkeit",
        "printed": "Gedruckt von", "description_site": "Touren, Etappen, Sehenswürdigkeiten und GPX-Dateien",
    },
    "en": {
        "status.existing": "rideable", "status.planned": "planned", "status.construction": "under construction",
        "status.closed": "closed",
        "poi.halde": "Spoil heap", "poi.schacht": "Shaft", "poi.museum": "Museum", "poi.huette": "Smelter",
        "poi.stollen": "Adit", "poi.denkmal": "Monument", "poi.bahnhof": "Station", "poi.aussicht": "Viewpoint",
        "poi.unterkunft": "Accommodation", "poi.gastronomie": "Food and drink", "poi.trinkwasser": "Drinking water",
        "poi.radservice": "Bike service", "poi.touristinfo": "Tourist information", "poi.unterstand": "Shelter",
        "poi.other": "Other",
        "layer.neighbours_approx": "Neighbouring routes (approximate course)", "geometry": "Course",
        "geometry.osm": "from OpenStreetMap", "geometry.approximate": "approximated through known towns",
        "layer.segments": "Route", "layer.tours": "Tour", "layer.stages": "Stages", "layer.neighbours":
        "Neighbouring routes", "layer.gaps": "Gaps", "layer.connectors": "Proposed connectors", "layer.pois": "Places",
        "legend": "Legend", "profile": "Elevation profile", "no_elevation": "No elevation data",
        "length": "Length", "ascent": "Ascent", "descent": "Descent", "start": "Start", "end": "Finish",
        "height": "Heap height", "height_other": "Height", "website": "Website", "source": "Source",
        "approx": "Approximate position",
        "type": "Type", "status": "Status", "surface": "Surface", "way_type": "Way type", "municipality":
        "Municipality",
        "gpx_tour": "GPX of the tour", "gpx_stage": "GPX of the stage", "gpx_all": "All GPX files (ZIP)",
        "gpx_tour_zip": "Tour with its stages (ZIP)", "tour_page": "Tour page",
        "stage_page": "Stage on the tour page",
        "stage": "Stage", "stages": "Stages", "tour": "Tour", "tours": "Tours", "pois": "Sights",
        "gaps": "Gap report", "downloads": "Downloads", "map": "Map", "km": "km", "m": "m",
        "from_km": "from km", "network": "Network", "operator": "Operator", "ref": "Ref",
        "pois_on_route": "Places along the route", "distance_from_route": "Distance from the route",
        "none": "none", "data": "Data (GeoJSON)", "data_note": "The map's data for download.",
        "simplified": "Lines simplified for display, deviation at most {err} m.",
        "profile_of": "Elevation profile of", "back_to_map": "Back to the map", "name": "Name",
        "description": "Description",
        "elevation_axis": "Elevation (m)", "distance_axis": "Distance (km)", "all_pois": "All places",
        "gap_none": "No gap report in this build.", "gpx_none": "No GPX files in this build.",
        "lang_other": "Deutsch", "show_on_map": "Show on the map", "tour_overview": "Tours at a glance",
        "segments_count": "Sections", "generated": "Generated by radweg from the data in the repository.",
        "file": "File", "kind": "Contents", "choose_profile": "Choose a profile",
        "attr.contributors": " contributors", "attr.map_data": "Map data", "attr.map_style": "Map style",
        "embed": "Embed the map", "embed_note": "Upload the folder to a web server and put the map into a page "
        "with this snippet (change the address):",

        "surface.asphalt": "asphalt", "surface.concrete": "concrete", "surface.paving_stones": "paving stones",
        "surface.sett": "cobbles", "surface.compacted": "compacted gravel", "surface.fine_gravel": "fine gravel",
        "surface.gravel": "gravel", "surface.ground": "dirt track", "surface.grass": "grass",
        "surface.unpaved": "unpaved", "surface.paved": "paved", "surface.mixed": "mixed",
        "surface.unknown": "unknown",
        "way.cycleway": "cycle path", "way.shared_path": "shared foot and cycle path", "way.track": "farm track",
        "way.quiet_road": "quiet road", "way.road": "road", "way.path": "path", "way.mixed": "mixed",
        "way.unknown": "unknown",
        "difficulty.easy": "easy", "difficulty.medium": "moderate", "difficulty.hard": "challenging",
        "difficulty": "Difficulty", "highest": "Highest point", "lowest": "Lowest point",
        "services": "Services", "sights": "Sights", "poi_page": "More about this place",
        "fullscreen": "Full screen", "fullscreen_off": "Leave full screen", "locate": "Show my location",
        "zoom_in": "Zoom in", "zoom_out": "Zoom out", "layers": "Choose layers", "close": "Close",
        "map_label": "Map of the cycle route",
        "layer.neighbours_off": "Neighbouring routes (switch on in 'Layers')",
        "skip": "Skip to content", "nav": "Main navigation", "licences": "Licences and sources",
        "imprint": "Imprint", "privacy": "Privacy", "other_lang_name": "Deutsch", "other_lang": "de",
        "switch_lang": "Diese Seite auf Deutsch", "tours_intro": "Tours on the route",
        "loop": "Loop", "start_end": "Start and finish", "surface_share": "Surface", "way_share": "Way type",
        "know": "Good to know", "all_rideable": "Every section is rideable.",
        "status_note": "{status}: {names} ({km})", "by_train": "Getting there by train",
        "station_near": "{station}, {dist} from the {where}", "station_none": "no station in the data",
        "where.start": "start", "where.end": "finish", "on_the_way": "On the way",
        "gpx_route": "Route (for older devices)", "gpx_track": "Track", "map_of": "Map: {name}",
        "overview": "Overview", "filter": "Filter places", "search": "Search", "all_types": "All",
        "search_hint": "Name or place", "count_shown": "places shown", "on_tours": "On these tours",
        "km_on_tour": "km {km} on {tour}", "not_on_tour": "Not on a tour (more than {dist} away).",
        "coordinates": "Coordinates", "opening": "Opening hours", "photo": "Photo", "note": "Note",
        "text_de_only": "This text is only available in German.",
        "cluster": "{n} places: zoom in", "municipalities": "Municipalities",
        "texts_de_only": "Where a place has no English description yet, its German text is shown.",
        "difficulty_rule": "Difficulty by the rule on the page 'Licences and sources'.",
        "planner_build": "Planner edition", "gap_intro": "Gaps in the network and towards neighbouring routes, "
        "for planners.",
        "gap_kind": "Kind", "gap_where": "Where", "gap_length": "Length", "gap_triage": "Triage",
        "gap_tours": "Tours", "gap_id": "Id", "no_gaps": "No gaps found.",
        "illustrative": "Sample data",
        "to_tour": "To the tour", "map_and_profile": "Map and elevation profile",
        "km_from_start": "km from start", "stage_cards": "Stages",
        "difficulty_how": "How we rate difficulty",
        "printed": "Printed from", "description_site": "Tours, stages, sights and GPX files",
    },
}


def check_lang(lang: str) -> str:
    """The language code, or ValueError for one we have no texts for."""
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}'; expected one of {', '.join(LANGS)}")
    return lang


def t(lang: str, key: str, **fmt: object) -> str:
    """The text for ``key`` in ``lang`` (German when the language lacks it)."""
    text = _TEXT.get(lang, {}).get(key) or _TEXT["de"].get(key) or key
    return text.format(**fmt) if fmt else text


def pick(lang: str, de: str | None, en: str | None) -> str | None:
    """Content in the chosen language, falling back to German where no English text exists."""
    if lang == "en" and en:
        return en
    return de if de else en


def label(lang: str, prefix: str, value: str | None) -> str:
    """A vocabulary value (status, POI type …) as a word in ``lang``; unknown values as they are."""
    if value is None:
        return ""
    key = f"{prefix}.{value}"
    text = t(lang, key)
    return value if text == key else text

