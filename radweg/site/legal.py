"""Licences and sources, Impressum and Datenschutz, filled from radweg.json; a clear placeholder where missing.

Settings (all optional) in ``radweg.json``:

- ``publisher``: ``{"name", "address", "email", "phone", "representative"}`` for the Impressum;
- ``privacy_de`` / ``privacy_en``: the privacy statement (paragraphs separated by blank lines);
- ``attribution``: further sources (text or list) named on the licence page;
- ``dem_source`` (the terrain-model setting): where the heights come from;
- ``site_url``: the site's address, for canonical links and the sitemap.
"""

from __future__ import annotations

from html import escape
from typing import Any

from radweg.elevation.settings import heights_note
from radweg.model import Dataset
from radweg.site import figures
from radweg.site.html import Ctx
from radweg.site.pages import poi_page_name
from radweg.webmap.content import disclaimer
from radweg.webmap.i18n import pick

PUBLISHER_FIELDS = ("name", "address", "email", "phone", "representative")

_T: dict[str, dict[str, Any]] = {
    "de": {
        "placeholder": "Platzhalter – noch nicht ausgefüllt.",
        "placeholder_how": "Vor der Veröffentlichung in radweg.json unter „publisher“ Name, Anschrift, E-Mail und "
                           "Telefon des Anbieters eintragen (§ 5 DDG).",
        "publisher": "Anbieter", "address": "Anschrift", "email": "E-Mail", "phone": "Telefon",
        "representative": "Vertreten durch", "contact": "Kontakt",
        "privacy_default": [
            "Diese Website ist eine statische Seite: Sie setzt keine Cookies, verwendet keine Analyse- oder "
            "Werbedienste und speichert nichts in Ihrem Browser.",
            "Die Hintergrundkarten werden von den Kachelservern von OpenStreetMap (und auf Wunsch CyclOSM und "
            "OpenTopoMap) geladen; dabei erhalten diese Server Ihre IP-Adresse und die Adresse dieser Seite. "
            "Ohne Internetverbindung bleibt der Kartenhintergrund leer, alles andere funktioniert.",
            "Die Funktion „Meinen Standort zeigen“ fragt Ihren Standort nur auf Ihren Wunsch ab; er verlässt "
            "Ihr Gerät nicht.",
            "Der Webserver, auf dem diese Seite liegt, kann Zugriffe protokollieren; Auskunft gibt der Anbieter.",
        ],
        "controller": "Verantwortlich", "licences": "Lizenzen und Quellen", "imprint": "Impressum",
        "privacy": "Datenschutz", "map_data": "Kartendaten und Hintergrundkarten",
        "map_text": "Hintergrundkarten © OpenStreetMap-Mitwirkende, Daten unter der Open Database License (ODbL); "
                    "CyclOSM; OpenTopoMap (CC BY-SA 3.0, Höhen SRTM).",
        "texts": "Texte und Orte", "texts_intro": "Jeder Ort nennt seine Quelle. Texte nach Wikipedia-Artikeln "
        "stehen unter CC BY-SA 4.0 (Autorinnen und Autoren: siehe die Versionsgeschichte des jeweiligen Artikels).",
        "heights": "Höhen", "heights_default": "Höhen aus den Höhen der Orte linear interpoliert (illustrativ).",
        "software": "Software", "software_text": "Karte mit Leaflet (BSD-2-Clause) und den Erweiterungen "
        "Leaflet.markercluster, Leaflet.FeatureGroup.SubGroup, leaflet.fullscreen, leaflet-locatecontrol und "
        "leaflet-measure (MIT); erstellt mit radweg (MIT).",
        "more": "Weitere Quellen", "notice": "Hinweis zu den Daten",
        "difficulty": "So bewerten wir die Schwierigkeit",
        "difficulty_text": "Bewertet wird jede Etappe (eine Tagesetappe) nach Länge und Anstieg je km: leicht bis "
        "{easy_km} km und unter {easy_rate} m Anstieg je km; schwer über {hard_km} km oder ab {hard_rate} m "
        "Anstieg je km; dazwischen mittel. Eine Tour ist so schwer wie ihre schwerste Etappe.",
        "source": "Quelle",
    },
    "en": {
        "placeholder": "Placeholder – not filled in yet.",
        "placeholder_how": "Before publishing, enter the publisher's name, address, e-mail and phone under "
                           "'publisher' in radweg.json (German law requires an imprint, § 5 DDG).",
        "publisher": "Publisher", "address": "Address", "email": "E-mail", "phone": "Phone",
        "representative": "Represented by", "contact": "Contact",
        "privacy_default": [
            "This website is a static site: it sets no cookies, uses no analytics or advertising services and "
            "stores nothing in your browser.",
            "The background maps are loaded from the tile servers of OpenStreetMap (and, if chosen, CyclOSM and "
            "OpenTopoMap); these servers receive your IP address and the address of this page. Offline the "
            "background stays blank and everything else works.",
            "'Show my location' asks for your position only when you use it; it does not leave your device.",
            "The web server hosting this site may log requests; the publisher can tell you more.",
        ],
        "controller": "Controller", "licences": "Licences and sources", "imprint": "Imprint",
        "privacy": "Privacy", "map_data": "Map data and background maps",
        "map_text": "Background maps © OpenStreetMap contributors, data under the Open Database License (ODbL); "
                    "CyclOSM; OpenTopoMap (CC BY-SA 3.0, elevation SRTM).",
        "texts": "Texts and places", "texts_intro": "Every place names its source. Texts after Wikipedia articles "
        "are under CC BY-SA 4.0 (authors: see the history of each article).",
        "heights": "Heights", "heights_default": "Heights interpolated linearly between the towns' heights "
        "(illustrative).",
        "software": "Software", "software_text": "Map made with Leaflet (BSD-2-Clause) and the plugins "
        "Leaflet.markercluster, Leaflet.FeatureGroup.SubGroup, leaflet.fullscreen, leaflet-locatecontrol and "
        "leaflet-measure (MIT); built with radweg (MIT).",
        "more": "Further sources", "notice": "About the data",
        "difficulty": "How we rate difficulty",
        "difficulty_text": "Each stage (one day's ride) is rated by its length and its climbing per km: easy up "
        "to {easy_km} km and less than {easy_rate} m of climbing per km; challenging over {hard_km} km or from "
        "{hard_rate} m per km; moderate in between. A tour is as hard as its hardest stage.",
        "source": "Source",
    },
}


def _text(proj: dict[str, Any], key: str) -> str | None:
    value = proj.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def publisher(ds: Dataset) -> dict[str, str]:
    """The ``publisher`` settings that are filled in (text values only)."""
    value = ds.project.get("publisher")
    if not isinstance(value, dict):
        return {}
    out = {}
    for key in PUBLISHER_FIELDS:
        v = value.get(key)
        if isinstance(v, list):
            v = ", ".join(str(x) for x in v)
        if isinstance(v, str) and v.strip():
            out[key] = v.strip()
    return out


def _placeholder(lang: str) -> str:
    w = _T[lang]
    return (f'<div class="rw-placeholder" role="note"><strong>{escape(w["placeholder"])}</strong> '
            f'{escape(w["placeholder_how"])}</div>')


def _publisher_block(lang: str, pub: dict[str, str]) -> str:
    w = _T[lang]
    rows = []
    for key in PUBLISHER_FIELDS:
        if key in pub:
            value = escape(pub[key])
            if key == "email":
                value = f'<a href="mailto:{escape(pub[key], quote=True)}">{value}</a>'
            rows.append(f"<div><dt>{escape(w[key if key != 'name' else 'publisher'])}</dt><dd>{value}</dd></div>")
    return f'<dl class="rw-poifacts">{"".join(rows)}</dl>'


def imprint_body(ds: Dataset, ctx: Ctx) -> str:
    w = _T[ctx.lang]
    pub = publisher(ds)
    body = [f"<h1>{escape(w['imprint'])}</h1>"]
    if not {"name", "address"} <= set(pub) or not ({"email", "phone"} & set(pub)):
        body.append(_placeholder(ctx.lang))
    if pub:
        body.append(_publisher_block(ctx.lang, pub))
    return "\n".join(body)


def privacy_body(ds: Dataset, ctx: Ctx) -> str:
    w = _T[ctx.lang]
    proj = ds.project
    own = pick(ctx.lang, _text(proj, "privacy_de"), _text(proj, "privacy_en"))
    paras = [p.strip() for p in own.split("\n\n")] if own else list(w["privacy_default"])
    body = [f"<h1>{escape(w['privacy'])}</h1>"]
    lang_attr = ' lang="de"' if ctx.lang == "en" and own and not _text(proj, "privacy_en") else ""
    body += [f"<p{lang_attr}>{escape(p)}</p>" for p in paras if p]
    body.append(f"<h2>{escape(w['controller'])}</h2>")
    pub = publisher(ds)
    body.append(_publisher_block(ctx.lang, pub) if pub else _placeholder(ctx.lang))
    return "\n".join(body)


def licences_body(ds: Dataset, ctx: Ctx) -> str:
    lang = ctx.lang
    w = _T[lang]
    proj = ds.project
    body = [f"<h1>{escape(w['licences'])}</h1>"]
    note = disclaimer(ds, lang)
    if note:
        body.append(f"<h2>{escape(w['notice'])}</h2><p>{escape(note)}</p>")
    body.append(f"<h2>{escape(w['map_data'])}</h2><p>{escape(w['map_text'])}</p>")
    body.append(f"<h2>{escape(w['heights'])}</h2><p>{escape(heights_note(proj, lang) or w['heights_default'])}"
                "</p>")
    body.append(f"<h2>{escape(w['difficulty'])}</h2><p id=\"difficulty\">"
                + escape(w["difficulty_text"].format(
                    easy_km=f"{figures.EASY_KM:g}", easy_rate=f"{figures.EASY_RATE:g}",
                    hard_km=f"{figures.HARD_KM:g}", hard_rate=f"{figures.HARD_RATE:g}"))
                + "</p>")
    extra = proj.get("attribution")
    more = [str(a) for a in extra] if isinstance(extra, list) else ([str(extra)] if extra else [])
    if more:
        body.append(f"<h2>{escape(w['more'])}</h2><ul>" + "".join(f"<li>{escape(a)}</li>" for a in more) + "</ul>")
    body.append(f"<h2>{escape(w['texts'])}</h2><p>{escape(w['texts_intro'])}</p>")
    rows = "".join(f'<li><a href="{poi_page_name(p.id)}">{escape(p.name)}</a>: {escape(p.source)}</li>'
                   for p in sorted(ds.pois.items, key=lambda p: (p.name.casefold(), p.id)) if p.source)
    if rows:
        body.append(f'<ul class="rw-sources">{rows}</ul>')
    seg_sources = sorted({s.source for s in ds.segments.items if s.source})
    if seg_sources:
        body.append("<ul class=\"rw-sources\">" + "".join(f"<li>{escape(s)}</li>" for s in seg_sources) + "</ul>")
    body.append(f"<h2>{escape(w['software'])}</h2><p>{escape(w['software_text'])}</p>")
    return "\n".join(body)
