"""The static site: files, relative links, path safety, stale files, determinism, languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import tree_digest
from test_webmap import HOSTILE, hostile_dataset

from radweg.data.store import Store
from radweg.errors import OutputPathError, StorageError
from radweg.site import MANIFEST, SiteOptions, inside, publish


def _links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', html)


def _pages(out: Path) -> list[Path]:
    return sorted(out.glob("*.html")) + sorted((out / "en").glob("*.html"))


def test_site_has_every_page_in_both_languages_and_only_relative_links(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    out = tmp_path / "site"
    report = publish(ds, out, SiteOptions())
    for name in ("index.html", "pois.html", "downloads.html", "licences.html", "imprint.html", "privacy.html",
                 "sitemap.xml", "assets/leaflet.js", "assets/radweg.css", "data/segments.geojson",
                 "data/pois.geojson", MANIFEST, "en/index.html", "en/pois.html", "en/licences.html"):
        assert (out / name).is_file(), name
    for tour in ds.tours.items:
        assert (out / f"tour-{tour.id}.html").is_file() and (out / "en" / f"tour-{tour.id}.html").is_file()
    for poi in ds.pois.items:
        assert (out / f"poi-{poi.id}.html").is_file() and (out / "en" / f"poi-{poi.id}.html").is_file()
    for page in _pages(out):
        html = page.read_text(encoding="utf-8")
        for ref in _links(html):
            if ref.startswith(("http://", "https://", "mailto:")):
                # only links to other web sites (POI websites, attribution), never a script or stylesheet
                assert not re.search(rf'<(script|link)[^>]+"{re.escape(ref)}"', html), ref
                continue
            if ref.startswith("#"):
                continue
            target = ref.split("#", 1)[0]
            assert not target.startswith("/"), ref
            assert (page.parent / target).exists(), f"{page.relative_to(out)}: broken link {ref}"
    assert report.counts["pois"] == len(ds.pois.items)
    for tour in ds.tours.items:
        assert (out / "gpx" / f"{tour.id}.gpx").is_file() and (out / "gpx" / f"{tour.id}.zip").is_file()
        assert f'href="gpx/{tour.id}.gpx"' in (out / f"tour-{tour.id}.html").read_text(encoding="utf-8")
        assert f'href="../gpx/{tour.id}.gpx"' in (out / "en" / f"tour-{tour.id}.html").read_text(encoding="utf-8")
        assert f'href="gpx/{tour.id}.route.gpx"' in (out / f"tour-{tour.id}.html").read_text(encoding="utf-8")
    assert (out / "gpx" / "alle-gpx-dateien.zip").is_file()
    assert report.skipped == []
    import zipfile
    with zipfile.ZipFile(out / "gpx" / "alle-gpx-dateien.zip") as zf:
        assert sorted(zf.namelist()) == sorted(p.name for p in (out / "gpx").glob("*.gpx"))
    assert "Illustrativer Entwurf" in (out / "pois.html").read_text(encoding="utf-8")
    assert "Illustrative draft" in (out / "en" / "pois.html").read_text(encoding="utf-8")


def test_public_build_has_no_gaps_and_the_planner_build_has_them(sample: Path, tmp_path: Path) -> None:
    from radweg.gaps.detect import find_gaps

    ds = Store(sample).load()
    gaps = find_gaps(ds)
    assert gaps
    publish(ds, tmp_path / "s", SiteOptions())
    public = "".join(p.read_text(encoding="utf-8") for p in _pages(tmp_path / "s"))
    assert not (tmp_path / "s" / "gaps.html").exists() and not (tmp_path / "s" / "en" / "gaps.html").exists()
    assert "gaps.html" not in public and "rw-gap" not in public
    assert not any(g.id in public for g in gaps)
    index = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    # no gap layer or report (the word itself may occur in a neighbour's description of its geometry)
    assert '"Lücken"' not in index and ">Lücken<" not in index and "Lückenbericht" not in index
    report = publish(ds, tmp_path / "p", SiteOptions(planner=True))
    assert (tmp_path / "p" / "gaps.html").is_file() and (tmp_path / "p" / "en" / "gaps.html").is_file()
    index = (tmp_path / "p" / "index.html").read_text(encoding="utf-8")
    assert "rw-gap" in index and 'href="gaps.html"' in index
    assert report.counts["gaps"] == len(gaps)
    page = (tmp_path / "p" / "en" / "gaps.html").read_text(encoding="utf-8")
    for g in gaps:
        assert g.id in page  # every gap, its id last on its card
    # names before ids: the card heading is the place, not the hash
    first = re.search(r'<article class="rw-card rw-gap-card"><h2 class="rw-h4">([^<]+)</h2>', page)
    assert first and not re.fullmatch(r"[a-z]{2}-[0-9a-f]+", first.group(1))


def test_every_page_has_title_h1_lang_viewport_counterpart_and_licence_link(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    out = tmp_path / "site"
    publish(ds, out, SiteOptions())
    for page in _pages(out):
        html = page.read_text(encoding="utf-8")
        lang = "en" if page.parent.name == "en" else "de"
        name = page.relative_to(out).as_posix()
        assert f'<html lang="{lang}">' in html, name
        assert re.search(r"<title>[^<]{5,}</title>", html), name
        assert len(re.findall(r"<h1[ >]", html)) == 1, name
        assert "user-scalable=no" not in html and "maximum-scale" not in html, name
        other = ("../" + page.name) if lang == "en" else ("en/" + page.name)
        assert f'hreflang="{"de" if lang == "en" else "en"}" href="{other}"' in html, name
        assert 'href="licences.html"' in html and 'href="imprint.html"' in html, name
        assert '<meta name="description"' in html and '<meta property="og:title"' in html, name


def test_german_pages_use_a_decimal_comma_and_english_ones_a_point(sample: Path, tmp_path: Path) -> None:
    """Every page: lengths as '61,0 km' in German and '61.0 km' in English, read from the visible text."""
    from html import unescape

    ds = Store(sample).load()
    out = tmp_path / "site"
    publish(ds, out, SiteOptions())
    number_km = re.compile(r"(\d+(?:[.,]\d+)?)\s?km\b")
    seen = {"de": 0, "en": 0}
    for page in _pages(out):
        html = page.read_text(encoding="utf-8")
        text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
        text = unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u00a0", " ")
        lang = "en" if page.parent.name == "en" else "de"
        for value in number_km.findall(text):
            if "," in value or "." in value:
                seen[lang] += 1
                assert ("," in value) == (lang == "de"), f"{page.relative_to(out)}: {value} km"
    assert seen["de"] > 50 and seen["en"] > 50
    from radweg.tours.facts import tour_facts

    tour = next(t for t in ds.tours.items if t.id == "nord-sued")
    length = tour_facts(ds, tour).figures().length_km
    assert f"{length:.1f}".replace(".", ",") + "\u00a0km" in (out / "tour-nord-sued.html").read_text(encoding="utf-8")
    assert f"{length:.1f}\u00a0km" in (out / "en" / "tour-nord-sued.html").read_text(encoding="utf-8")


def test_schema_org_sitemap_and_open_graph(sample: Path, tmp_path: Path) -> None:
    import json

    from lxml import etree

    ds = Store(sample).load()
    out = tmp_path / "site"
    publish(ds, out, SiteOptions())
    html = (out / "tour-nord-sued.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "TouristTrip" and data["itinerary"]["numberOfItems"] >= 1
    poi = ds.pois.items[0]
    html = (out / f"poi-{poi.id}.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["name"] == poi.name and data["geo"]["latitude"] == round(poi.lat, 6)
    tree = etree.fromstring((out / "sitemap.xml").read_bytes(), etree.XMLParser(resolve_entities=False))
    locs = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = sorted(p.relative_to(out).as_posix() for p in _pages(out))
    assert sorted(locs) == pages


def test_legal_pages_show_a_placeholder_until_the_settings_are_filled(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    publish(ds, tmp_path / "a", SiteOptions())
    assert "Platzhalter" in (tmp_path / "a" / "imprint.html").read_text(encoding="utf-8")
    assert "Placeholder" in (tmp_path / "a" / "en" / "imprint.html").read_text(encoding="utf-8")
    ds.project["publisher"] = {"name": "Landkreis <Mansfeld-Südharz>", "address": "Rudolf-Breitscheid-Str. 20, "
                               "06526 Sangerhausen", "email": "info@example.org"}
    publish(ds, tmp_path / "b", SiteOptions())
    page = (tmp_path / "b" / "imprint.html").read_text(encoding="utf-8")
    assert "Platzhalter" not in page and "Landkreis &lt;Mansfeld-Südharz&gt;" in page
    assert 'href="mailto:info@example.org"' in page
    lic = (tmp_path / "b" / "licences.html").read_text(encoding="utf-8")
    assert "ODbL" in lic and all(p.source is None or _esc(p.source) in lic for p in ds.pois.items)


def _esc(text: str) -> str:
    from html import escape

    return escape(text)


def test_site_is_byte_identical_on_rebuild(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    publish(ds, tmp_path / "a", SiteOptions())
    publish(ds, tmp_path / "b", SiteOptions())
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    before = tree_digest(tmp_path / "a")
    publish(ds, tmp_path / "a", SiteOptions())  # into its own earlier build
    assert tree_digest(tmp_path / "a") == before


def test_english_pages_fall_back_to_german_content_and_say_so(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    publish(ds, tmp_path / "s", SiteOptions())
    en = tmp_path / "s" / "en"
    pois = (en / "pois.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in pois and "Spoil heap" in pois
    poi = next(p for p in ds.pois.items if p.description and not p.description_en)
    from html import escape
    page = (en / f"poi-{poi.id}.html").read_text(encoding="utf-8")
    assert escape(poi.description) in page and "only available in German" in page
    assert '<p class="rw-lead" lang="de">' in page
    tour = next(t for t in ds.tours.items if t.name_en)
    assert tour.name_en in (en / f"tour-{tour.id}.html").read_text(encoding="utf-8")
    for word in ("Etappe", "Anstieg", "Sehenswürdigkeiten", "Höhenprofil"):
        assert word not in (en / f"tour-{tour.id}.html").read_text(encoding="utf-8"), word


def test_stale_pages_are_removed_and_foreign_folders_refused(sample: Path, tmp_path: Path) -> None:
    st = Store(sample)
    ds = st.load()
    out = tmp_path / "site"
    publish(ds, out, SiteOptions())
    gone = ds.tours.items[-1]
    ds.tours.items.remove(gone)
    report = publish(ds, out, SiteOptions())
    assert f"tour-{gone.id}.html" in report.removed and not (out / f"tour-{gone.id}.html").exists()
    foreign = tmp_path / "home"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("precious")
    with pytest.raises(StorageError, match="not empty"):
        publish(ds, foreign, SiteOptions())
    assert [p.name for p in foreign.iterdir()] == ["thesis.txt"]


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    assert inside(root, "gpx/a.gpx") == (root / "gpx/a.gpx").resolve()
    for bad in ("../x.html", "/etc/passwd", "gpx/../../x", "."):
        with pytest.raises(OutputPathError):
            inside(root, bad)


def test_hostile_names_are_escaped_on_every_page(sample: Path, tmp_path: Path) -> None:
    ds = hostile_dataset(sample)
    out = tmp_path / "site"
    publish(ds, out, SiteOptions())
    for page in _pages(out):
        html = page.read_text(encoding="utf-8")
        assert "<img src=x" not in html and "<script>alert(2)" not in html and "<img src=y" not in html, page.name
    assert "&lt;img src=x onerror=alert(1)&gt;" in (out / "pois.html").read_text(encoding="utf-8")
    assert HOSTILE not in (out / "pois.html").read_text(encoding="utf-8")


def test_without_gpx(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    report = publish(ds, tmp_path / "s", SiteOptions(gpx=False))
    assert not (tmp_path / "s" / "gpx").exists()
    assert len(report.skipped) == 1
    assert ".gpx" not in (tmp_path / "s" / "tour-nord-sued.html").read_text(encoding="utf-8")


def test_a_symlink_in_the_output_folder_cannot_lead_outside(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    out = tmp_path / "site"
    publish(ds, out, SiteOptions(gpx=False))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "gpx").symlink_to(elsewhere, target_is_directory=True)
    publish(ds, out, SiteOptions())  # built in a fresh staging folder: the planted link is never written through
    assert list(elsewhere.iterdir()) == []
    assert (out / "gpx").is_dir() and not (out / "gpx").is_symlink()


def test_a_tampered_manifest_cannot_delete_outside_files(sample: Path, tmp_path: Path) -> None:
    import json

    ds = Store(sample).load()
    out = tmp_path / "site"
    publish(ds, out, SiteOptions(gpx=False))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"] += ["../victim.txt", str(victim)]
    (out / MANIFEST).write_text(json.dumps(manifest))
    report = publish(ds, out, SiteOptions(gpx=False))
    assert victim.read_text() == "keep me" and report.removed == []
