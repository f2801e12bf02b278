"""Every report format escapes what people and OpenStreetMap wrote: Markdown (rendered by GitHub's own cmark-gfm),
CSV (formula cells, also after leading whitespace), HTML (parsed by lxml) and GPX (parsed by defusedxml)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from radweg.data.store import Store
from radweg.gaps.detect import find_gaps
from radweg.gaps.render import md_text, render_csv, render_html, render_md
from radweg.gaps.report import build_report

HOSTILE = [
    "[klick](javascript:alert(1))",
    "![](https://evil.example/p.png)",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "https://evil.example/x www.evil.example mail@evil.example",
    "*fett* _kursiv_ `code` ~~weg~~ | Zelle | \\ # > - + 1.",
    "=1+1",
    " =HYPERLINK(\"http://evil.example\")",
    "\t@SUM(A1)",
    "\n-2+3",
]


# GitHub's autolink extension links e-mail addresses in the text after every escape has been applied (even
# '&#64;' becomes a link); a mailto: link is the one thing left, and it is harmless. Any other link, an image
# or a tag from the data is a failure.
_LIVE = "//a[not(starts-with(@href, 'mailto:'))] | //img | //script | //*[@onerror]"


def _hostile_folder(sample: Path) -> Path:
    """The sample with hostile segment and neighbour names, and stale triage ids full of markup."""
    for kind, n in (("segments", len(HOSTILE)), ("neighbours", 3)):
        path = sample / ("routes/segments.geojson" if kind == "segments" else "routes/neighbours.geojson")
        obj = json.loads(path.read_text(encoding="utf-8"))
        for feat, name in zip(obj["features"][:n], HOSTILE, strict=False):
            feat["properties"]["name"] = name
        path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    triage = {"gaps": {f"stale {h}": {"status": "accepted", "comment": h} for h in HOSTILE[:4]}}
    (sample / "routes/gaps-triage.json").write_text(json.dumps(triage), encoding="utf-8")
    return sample


@pytest.fixture
def report(sample: Path):  # type: ignore[no-untyped-def]
    from radweg.gaps.triage import load_triage

    root = _hostile_folder(sample)
    ds = Store(root).load()
    return build_report(ds, None, triage=load_triage(root)), ds


def test_markdown_renders_as_the_literal_text(report) -> None:  # type: ignore[no-untyped-def]
    """GitHub's renderer (cmark-gfm with its extensions) turns the report into HTML without a single link,
    image or tag from the data; every hostile name appears as its literal text."""
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options
    from lxml import html

    rep, ds = report
    text = render_md(rep, ds)
    rendered = cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)
    doc = html.fromstring(f"<div>{rendered}</div>")
    assert doc.xpath(_LIVE) == []
    shown = " ".join(doc.text_content().split())
    assert rep.stale and all(" ".join(f"stale {h}".split()) in shown for h in HOSTILE[:4])
    names = {g.a.name for g in rep.gaps} | {g.b.name for g in rep.gaps if g.b}
    assert any("javascript" in n or "onerror" in n or "evil" in n for n in names)  # the names reach the table
    for name in names:
        assert " ".join(name.split()) in shown, name


@pytest.mark.parametrize("value", HOSTILE)
def test_md_text_round_trips_through_cmark(value: str) -> None:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from lxml import html

    rendered = cmarkgfm.github_flavored_markdown_to_html(f"| a |\n|---|\n| {md_text(value)} |\n")
    doc = html.fromstring(rendered)
    assert doc.xpath(_LIVE + " | //em | //strong | //code | //del") == []
    assert " ".join(doc.xpath("string(//td)").split()) == " ".join(value.split())


def test_csv_cells_never_start_a_formula(report) -> None:  # type: ignore[no-untyped-def]
    rep, _ = report
    rows = list(csv.reader(io.StringIO(render_csv(rep))))
    for row in rows[1:]:
        for value in row:
            if value.lstrip()[:1] in ("=", "+", "-", "@") or value[:1] in ("\t", "\r", "\n"):
                try:
                    float(value)  # a negative number is a number, not a formula
                except ValueError:
                    raise AssertionError(f"formula cell {value!r}") from None
    joined = "\n".join(",".join(r) for r in rows)
    assert "' =HYPERLINK" in joined or "'=1+1" in joined


def test_html_report_holds_the_names_as_text_only(report) -> None:  # type: ignore[no-untyped-def]
    from lxml import html

    rep, ds = report
    page = render_html(find_gaps(ds), ds, report=rep)
    doc = html.fromstring(page)
    assert doc.xpath("//script | //img | //a[starts-with(@href, 'javascript')] | //*[@onerror]") == []
    assert "<img src=x onerror=alert(1)>" in doc.text_content()


def test_gpx_holds_the_names_as_text(sample: Path, tmp_path: Path) -> None:
    from defusedxml import ElementTree

    from radweg.gpx.export import export_gpx

    root = _hostile_folder(sample)
    ds = Store(root).load()
    tour = ds.tours.items[0]
    from dataclasses import replace

    ds.tours.items[0] = replace(tour, name="Tour <b>&amp; \"x\" ]]> <!-- -->")
    files = export_gpx(ds, tmp_path / "gpx", tour_ids=[tour.id])
    names = []
    for f in files:
        if f.path.suffix == ".gpx":
            tree = ElementTree.parse(f.path)
            names += [el.text for el in tree.iter() if el.tag.endswith("}name")]
    assert "Tour <b>&amp; \"x\" ]]> <!-- -->" in names
