"""A tour's facts are computed once: stats, GPX, ``radweg stages`` and the site show the same figures."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from radweg.data.store import Store
from radweg.tours.facts import round_km, round_m, tour_facts

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
    climb = re.search(r"Anstieg (\d+) m, Abstieg (\d+) m", desc)
    assert km and climb, desc
    return float(km.group(1).replace(",", ".")), int(climb.group(1)), int(climb.group(2))


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


def test_every_output_shows_the_same_figures(run: Callable[..., Result], sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
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


def test_a_gap_is_neither_ridden_nor_counted(sample: Path) -> None:
    ds = Store(sample).load()
    facts = tour_facts(ds, ds.tours.get("nord-sued"))
    assert len(facts.parts) == 2  # the gap at the Röhrigschacht
    assert facts.length_m == sum(s.length_m for s in facts.stages) == facts.profile.length_m
    # the 130 m drop across the gap is in neither figure: the parts' climbs add up
    assert facts.ascent_m is not None and round(facts.ascent_m) == 21
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
    assert [n.poi.id for n in back.pois] == [n.poi.id for n in reversed(fwd.pois)]
