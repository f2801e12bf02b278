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
        "poi.radservice": "Radservice", "poi.other": "Sonstiges",
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
    },
    "en": {
        "status.existing": "rideable", "status.planned": "planned", "status.construction": "under construction",
        "status.closed": "closed",
        "poi.halde": "Spoil heap", "poi.schacht": "Shaft", "poi.museum": "Museum", "poi.huette": "Smelter",
        "poi.stollen": "Adit", "poi.denkmal": "Monument", "poi.bahnhof": "Station", "poi.aussicht": "Viewpoint",
        "poi.unterkunft": "Accommodation", "poi.gastronomie": "Food and drink", "poi.trinkwasser": "Drinking water",
        "poi.radservice": "Bike service", "poi.other": "Other",
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

