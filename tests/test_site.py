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


def test_site_has_every_page_and_only_relative_links(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    out = tmp_path / "site"
    report = publish(ds, out, SiteOptions())
    for name in ("index.html", "pois.html", "downloads.html", "assets/leaflet.js", "assets/radweg.css",
                 "data/segments.geojson", "data/pois.geojson", MANIFEST):
        assert (out / name).is_file(), name
    for tour in ds.tours.items:
        assert (out / f"tour-{tour.id}.html").is_file()
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for ref in _links(html):
            if ref.startswith(("http://", "https://")):
                # only links to other web sites (POI websites, attribution), never a script or stylesheet
                assert not re.search(rf'<(script|link)[^>]+"{re.escape(ref)}"', html), ref
                continue
            if ref.startswith("#"):
                continue
            target = ref.split("#", 1)[0]
            assert not target.startswith("/"), ref
            assert (out / target).exists(), f"{page.name}: broken link {ref}"
    assert report.counts["pois"] == len(ds.pois.items)
    # GPX files (issue 3) and the gap report (issue 5) are part of the site
    for tour in ds.tours.items:
        assert (out / "gpx" / f"{tour.id}.gpx").is_file() and (out / "gpx" / f"{tour.id}.zip").is_file()
        assert f'href="gpx/{tour.id}.gpx"' in (out / f"tour-{tour.id}.html").read_text(encoding="utf-8")
    assert (out / "gpx" / "alle-gpx-dateien.zip").is_file() and (out / "gaps.html").is_file()
    assert report.skipped == [] and report.counts["gaps"] >= 1
    import zipfile
    with zipfile.ZipFile(out / "gpx" / "alle-gpx-dateien.zip") as zf:
        assert sorted(zf.namelist()) == sorted(p.name for p in (out / "gpx").glob("*.gpx"))
    assert "Illustrativer Entwurf" in (out / "pois.html").read_text(encoding="utf-8")


def test_site_is_byte_identical_on_rebuild(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    publish(ds, tmp_path / "a", SiteOptions())
    publish(ds, tmp_path / "b", SiteOptions())
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    before = tree_digest(tmp_path / "a")
    publish(ds, tmp_path / "a", SiteOptions())  # into its own earlier build
    assert tree_digest(tmp_path / "a") == before


def test_english_site_falls_back_to_german_content(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    publish(ds, tmp_path / "en", SiteOptions(lang="en"))
    pois = (tmp_path / "en" / "pois.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in pois and "Spoil heap" in pois
    poi = next(p for p in ds.pois.items if p.description and not p.description_en)
    from html import escape
    assert escape(poi.description) in pois  # no English text: the German one
    tour = next(t for t in ds.tours.items if t.name_en)
    assert tour.name_en in (tmp_path / "en" / f"tour-{tour.id}.html").read_text(encoding="utf-8")


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
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<img src=x" not in html and "<script>alert(2)" not in html and "<img src=y" not in html, page.name
    assert "&lt;img src=x onerror=alert(1)&gt;" in (out / "pois.html").read_text(encoding="utf-8")
    assert HOSTILE not in (out / "pois.html").read_text(encoding="utf-8")


def test_without_gpx_and_gaps(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    report = publish(ds, tmp_path / "s", SiteOptions(gpx=False, gaps=False))
    assert not (tmp_path / "s" / "gpx").exists() and not (tmp_path / "s" / "gaps.html").exists()
    assert len(report.skipped) == 2
    assert "gaps.html" not in (tmp_path / "s" / "index.html").read_text(encoding="utf-8")


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
    publish(ds, out, SiteOptions(gpx=False, gaps=False))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["files"] += ["../victim.txt", str(victim)]
    (out / MANIFEST).write_text(json.dumps(manifest))
    report = publish(ds, out, SiteOptions(gpx=False, gaps=False))
    assert victim.read_text() == "keep me" and report.removed == []
