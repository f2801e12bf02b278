"""A tour's facts are computed once: stats, GPX, ``radweg stages`` and the site show the same figures."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from radweg.data.store import Store
from radweg.tours.facts import round_km, round_m, tour_facts, tours_facts

Figures = tuple[float, int | None, int | None]  # length km, ascent m, descent m


def _from_stats(run: Callable[..., Result]) -> dict[tuple[str, str | None], Figures]:
    out: dict[tuple[str, str | None], Figures] = {}
    for t in json.loads(run("stats", "--json").stdout)["tours"]:
        out[(t["id"], None)] = (t["length_km"], t["ascent_m"], t["descent_m"])
        for s in t["stages"]:
            out[(t["id"], s["id"])] = (s["length_km"], s["ascent_m"], s["descent_m"])
    return out


def _gpx_desc(path: Path) -> Figures:
    meta = re.search(r"<metadata>.*?<desc>(.*?)</desc>", path.read_text(encoding="utf-8"), re.S)
    assert meta, path
    desc = meta.group(1)
    km = re.search(r"(?:Länge|: ) ?(\d+,\d) km", desc)
    climb = re.search(r"Anstieg ([\d.]+) m, Abstieg ([\d.]+) m", desc)  # German thousands: 1.102
    assert km and climb, desc
    up, down = (int(climb.group(k).replace(".", "")) for k in (1, 2))
    return float(km.group(1).replace(",", ".")), up, down


def _from_gpx(run: Callable[..., Result], out: Path) -> dict[tuple[str, str | None], Figures]:
    files = json.loads(run("export", "gpx", "-o", str(out), "--json").stdout)
    return {(f["tour"], f["stage"]): _gpx_desc(Path(f["file"])) for f in files if f["kind"] in ("tour", "stage")}


def _from_stages(run: Callable[..., Result], tour_ids: list[str]) -> dict[tuple[str, str | None], Figures]:
    out: dict[tuple[str, str | None], Figures] = {}
    for tour_id in tour_ids:
        for r in json.loads(run("stages", tour_id, "--json").stdout):
            out[(tour_id, r["id"])] = (r["km"], r["ascent_m"], r["descent_m"])
    return out


def _facts_table(html: str) -> Figures:
    """The key figures of a site page's figure list, in German number format ('61,0\u00a0km', '1.234\u00a0m')."""
    rows = dict(re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", html))

    def num(text: str, unit: str) -> str:
        return text.removesuffix("\u00a0" + unit).replace(".", "").replace(",", ".")

    return (float(num(rows["Länge"], "km")), int(num(rows["Anstieg"], "m")), int(num(rows["Abstieg"], "m")))


def _from_site(run: Callable[..., Result], out: Path, tours: list[Any]) -> dict[tuple[str, str | None], Figures]:
    assert run("publish", "-o", str(out)).exit_code == 0
    found: dict[tuple[str, str | None], Figures] = {}
    for tour in tours:
        page = (out / f"tour-{tour.id}.html").read_text(encoding="utf-8")
        found[(tour.id, None)] = _facts_table(page.split('<dl class="rw-keyfigs">', 1)[1].split("</dl>", 1)[0])
        for stage in tour.stages:
            section = page.split(f'id="stage-{stage.id}"', 1)[1].split("</dl>", 1)[0]
            found[(tour.id, stage.id)] = _facts_table(section)
    return found


def _without_dem(sample: Path) -> None:
    """The sample with heights from its segments' vertices only (no terrain model configured)."""
    settings = sample / "radweg.json"
    project = json.loads(settings.read_text(encoding="utf-8"))
    del project["dem"], project["dem_source"]
    settings.write_text(json.dumps(project, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("heights", ["dem", "vertices"])
def test_every_output_shows_the_same_figures(run: Callable[..., Result], sample: Path, tmp_path: Path,
                                             heights: str) -> None:
    if heights == "vertices":
        _without_dem(sample)
    ds = Store(sample).load()
    assert bool(ds.project.get("dem")) == (heights == "dem")
    tours = sorted(ds.tours.items, key=lambda t: t.id)
    want: dict[tuple[str, str | None], Figures] = {}
    for tour in tours:
        facts = tour_facts(ds, tour)
        want[(tour.id, None)] = (round_km(facts.length_m), round_m(facts.ascent_m), round_m(facts.descent_m))
        for st in facts.stages:
            want[(tour.id, st.id)] = (round_km(st.length_m), round_m(st.ascent_m), round_m(st.descent_m))
    assert len(want) == len(tours) + sum(len(t.stages) for t in tours)
    stages_only = {k: v for k, v in want.items() if k[1] is not None}
    assert _from_stats(run) == want
    assert _from_gpx(run, tmp_path / "gpx") == want
    assert _from_stages(run, [t.id for t in tours]) == stages_only
    assert _from_site(run, tmp_path / "site", tours) == want


def test_with_a_dem_the_figures_come_from_it_every_20_m(sample: Path) -> None:
    from radweg.elevation import DEM_STEP_M, Dem, hysteresis
    from radweg.geometry import distance_m

    ds = Store(sample).load()
    facts = tour_facts(ds, ds.tours.get("west-ost"))
    with Dem(sample / ds.project["dem"][0]) as dem:
        for part in facts.parts:
            assert [c[2] for c in part] == dem.sample(part)
    steps = [distance_m(a, b) for part in facts.parts for a, b in zip(part, part[1:], strict=False)]
    assert max(steps) <= DEM_STEP_M + 0.01
    up = sum(hysteresis([c[2] for c in part])[0] for part in facts.parts)
    assert facts.ascent_m == pytest.approx(up)
    _without_dem(sample)
    plain = tour_facts(Store(sample).load(), ds.tours.get("west-ost"))
    assert plain.length_m == pytest.approx(facts.length_m, rel=1e-6)  # the same line (to 1 cm per 10 km)
    assert sum(len(p) for p in plain.parts) < sum(len(p) for p in facts.parts) / 100


def test_a_gap_is_neither_ridden_nor_counted(sample: Path) -> None:
    from radweg.elevation import hysteresis

    ds = Store(sample).load()
    facts = tour_facts(ds, ds.tours.get("nord-sued"))
    assert len(facts.parts) == 2  # the gap at the Röhrigschacht
    assert facts.length_m == sum(s.length_m for s in facts.stages) == facts.profile.length_m
    # the drop across the gap is in neither figure: the parts' climbs add up
    per_part = [hysteresis([c[2] for c in part]) for part in facts.parts]
    assert facts.ascent_m == pytest.approx(sum(u for u, _ in per_part))
    assert facts.descent_m == pytest.approx(sum(d for _, d in per_part))
    second = facts.stages[1]
    assert second.start_m == facts.stages[0].end_m
    assert len(second.parts) == 1 and round_km(second.length_m) == 29.4


def test_reverse_swaps_stage_order_and_ends(sample: Path) -> None:
    ds = Store(sample).load()
    tour = ds.tours.get("west-ost")
    fwd, back = tour_facts(ds, tour), tour_facts(ds, tour, reverse=True)
    assert [s.id for s in back.stages] == [s.id for s in reversed(fwd.stages)]
    assert back.stages[0].start == fwd.stages[-1].end
    assert back.length_m == pytest.approx(fwd.length_m)
    assert back.parts[0][0] == fwd.parts[-1][-1]
    # the same POIs, each as far from the start as it was from the end (ties, e.g. beyond an end or at the
    # gap inside the tour, keep their order by id, so the lists are not simply reversed)
    assert sorted(n.poi.id for n in back.pois) == sorted(n.poi.id for n in fwd.pois)
    ahead = {n.poi.id: n.along_m for n in fwd.pois}
    # (within 1 m; the Röhrigschacht lies on both pieces at the gap, 130 m before the Wettelrode node, and is
    # placed on the earlier piece in either direction)
    off = {n.poi.id: abs(n.along_m - (fwd.length_m - ahead[n.poi.id])) for n in back.pois}
    assert all(d < 1.0 for pid, d in off.items() if pid != "roehrigschacht-wettelrode")
    assert off["roehrigschacht-wettelrode"] < 135.0
    assert [n.along_m for n in back.pois] == sorted(n.along_m for n in back.pois)


def test_every_output_that_shows_heights_names_their_source(run: Callable[..., Result], sample: Path,
                                                            tmp_path: Path) -> None:
    from radweg.tours.facts import GAP_RULE

    project = json.loads((sample / "radweg.json").read_text(encoding="utf-8"))
    de, en = project["dem_source"]["de"], project["dem_source"]["en"]
    assert "1-km-Geländemodell" in de and "kleine Anstiege fehlen" in de
    stats = run("stats")
    assert stats.exit_code == 0 and en in stats.stdout
    assert json.loads(run("stats", "--json").stdout)["heights_source"] == en
    assert en in run("stages", "nord-sued").output
    files = json.loads(run("export", "gpx", "-o", str(tmp_path / "gpx"), "--json").stdout)
    for f in files:
        if f["kind"] in ("tour", "stage"):
            text = Path(f["file"]).read_text(encoding="utf-8")
            assert de in text and en in text, f["file"]
    nord_sued = (tmp_path / "gpx" / "nord-sued.gpx").read_text(encoding="utf-8")
    assert GAP_RULE["de"] in nord_sued  # the tour with the gap at the Röhrigschacht says how it is counted
    assert run("publish", "-o", str(tmp_path / "site")).exit_code == 0
    for page in (tmp_path / "site").glob("tour-*.html"):
        html = page.read_text(encoding="utf-8")
        assert escape(de) in html and escape(GAP_RULE["de"]) in html, page.name
    assert escape(de) in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")  # the map's legend
    english = tmp_path / "site" / "en" / "tour-nord-sued.html"
    if not english.exists():  # a site of one language per build: build the English one
        assert run("publish", "-o", str(tmp_path / "en"), "--lang", "en").exit_code == 0
        english = tmp_path / "en" / "tour-nord-sued.html"
    assert escape(en) in english.read_text(encoding="utf-8")


@pytest.mark.parametrize("reverse", [False, True])
def test_facts_of_many_tours_are_those_of_each_tour(sample: Path, reverse: bool) -> None:
    ds = Store(sample).load()
    tours = sorted(ds.tours.items, key=lambda t: t.id)
    assert tours_facts(ds, tours, reverse=reverse) == [tour_facts(ds, t, reverse=reverse) for t in tours]
