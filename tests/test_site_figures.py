"""Difficulty, surface and way-type shares, status notes and the nearest station of the tour pages."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from radweg.data.store import Store
from radweg.site import figures
from radweg.tours.facts import Figures, tour_facts


@pytest.mark.parametrize("length_km, ascent_m, expected", [
    (40.0, 319, "easy"),      # 7.98 m/km, 40 km: both at the easy side
    (40.0, 320, "medium"),    # 8 m/km is no longer easy
    (40.1, 0, "medium"),      # longer than 40 km
    (70.0, 0, "medium"),
    (70.1, 0, "hard"),        # longer than 70 km
    (20.0, 300, "hard"),      # 15 m/km
    (20.0, None, "easy"),     # no heights: the length alone
])
def test_difficulty_rule(length_km: float, ascent_m: int | None, expected: str) -> None:
    figs = Figures(length_km, ascent_m, ascent_m, None, None)
    assert figures.difficulty(figs) == expected


def test_a_tour_is_as_hard_as_its_hardest_stage(sample: Path) -> None:
    ds = Store(sample).load()
    for tour in ds.tours.items:
        facts = tour_facts(ds, tour)
        levels = [figures.difficulty(st.figures()) for st in facts.stages]
        assert figures.tour_difficulty(facts) == max(levels, key=figures.LEVELS.index)


def test_shares_and_status_notes_add_up_to_the_facts(sample: Path) -> None:
    ds = Store(sample).load()
    for tour in ds.tours.items:
        facts = tour_facts(ds, tour)
        total = sum(facts.by_status_m.values())  # summed by the facts themselves, by status
        for field in ("surface", "way_type"):
            shares = figures.shares_m(facts, field)
            assert math.isclose(sum(m for _, m in shares), total, rel_tol=1e-9)
            assert [m for _, m in shares] == sorted((m for _, m in shares), reverse=True)
        notes = {n.status: n.length_m for n in figures.status_notes(facts)}
        assert notes == pytest.approx({k: v for k, v in facts.by_status_m.items() if k != "existing"})


def test_nearest_station_matches_a_haversine_search(sample: Path) -> None:
    ds = Store(sample).load()
    stations = [p for p in ds.pois.items if p.type == "bahnhof"]
    lon = np.radians([p.lon for p in stations])
    lat = np.radians([p.lat for p in stations])
    for poi in ds.pois.items:
        found = figures.stations(ds, poi.coords)
        assert found is not None
        dlat, dlon = lat - math.radians(poi.lat), lon - math.radians(poi.lon)
        a = np.sin(dlat / 2) ** 2 + np.cos(lat) * math.cos(math.radians(poi.lat)) * np.sin(dlon / 2) ** 2
        metres = 2 * 6371008.8 * np.arcsin(np.sqrt(a))
        assert found[0].id == stations[int(np.argmin(metres))].id
        assert found[1] == pytest.approx(float(metres.min()), rel=5e-3, abs=1.0)


def test_stages_name_the_municipalities_of_the_legs_they_ride(sample: Path) -> None:
    ds = Store(sample).load()
    for tour in ds.tours.items:
        facts = tour_facts(ds, tour)
        every = {m.strip() for seg, _ in facts.legs for m in (seg.municipality or "").split(" / ") if m.strip()}
        assert figures.municipalities(facts, 0.0, facts.length_m + 1) == sorted(every, key=[
            m.strip() for seg, _ in facts.legs for m in (seg.municipality or "").split(" / ")].index)
        by_stages = {m for st in facts.stages for m in figures.municipalities(facts, st.start_m, st.end_m)}
        assert by_stages == every
        assert figures.municipalities(facts, facts.length_m + 10, facts.length_m + 20) == []
