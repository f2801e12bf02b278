"""Stage proposals end at places to stay, stations and towns; figures per stage add up."""

from __future__ import annotations

from pathlib import Path

import pytest
from gpxdata import dense_dataset

from radweg.data.store import Store
from radweg.tours import stageplan
from radweg.tours.parts import tour_geometry

ROOT = Path(__file__).resolve().parent.parent


def test_proposal_ends_at_the_hotel_and_the_station() -> None:
    ds = dense_dataset(15000)
    tour = ds.tours.items[0]
    total = tour_geometry(tour, ds.segment_map()).length_m
    reports = stageplan.propose(ds, tour, target_km=total / 3000.0)
    assert [r.end.kind for r in reports] == ["unterkunft", "bahnhof", "ziel"]
    assert [r.end.name for r in reports] == ["Hotel Zur Halde", "Bahnhof X", "Ende"]
    assert reports[0].start.name == "Anfang" and reports[1].start.name == "Hotel Zur Halde"
    assert sum(r.length_m for r in reports) == pytest.approx(total, rel=1e-6)
    assert all(r.ascent_m is not None and r.ascent_m > 0 for r in reports)
    assert [p.poi.id for p in reports[1].pois] == ["hotel", "halde-x", "bahnhof-x"]  # ends included


def test_one_stage_when_the_tour_is_short() -> None:
    ds = dense_dataset(3000)
    reports = stageplan.propose(ds, ds.tours.items[0], target_km=50)
    assert len(reports) == 1 and reports[0].end.kind == "ziel"


def test_plan_is_optimal_on_a_known_case() -> None:
    e = stageplan.StageEnd
    cands = [e("A", "ort", 20_000, 0, (0, 0)), e("B", "unterkunft", 48_000, 0, (0, 0)),
             e("C", "ort", 52_000, 0, (0, 0)), e("D", "bahnhof", 101_000, 200, (0, 0))]
    chosen = stageplan.plan(150_000, cands, 50_000)
    assert [cands[i].name for i in chosen] == ["B", "D"]


def test_sample_west_ost_in_50_km_stages() -> None:
    ds = Store(ROOT).load()
    tour = ds.tours.get("west-ost")
    reports = stageplan.propose(ds, tour, 50)
    assert len(reports) == 2
    assert reports[0].start.name == "Stolberg" and reports[-1].end.name == "Röblingen am See"
    assert all(25_000 < r.length_m < 55_000 for r in reports)
    current = stageplan.current(ds, tour)
    assert [r.stage_id for r in current] == ["etappe-1", "etappe-2", "etappe-3"]
    assert sum(r.length_m for r in current) == pytest.approx(sum(r.length_m for r in reports), rel=0.01)
