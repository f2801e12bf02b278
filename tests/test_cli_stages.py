"""``radweg stages TOUR``: figures, proposals, --apply, --dem."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import tree_digest


def test_current_stages_table(run) -> None:  # type: ignore[no-untyped-def]
    res = run("stages", "nord-sued")
    assert res.exit_code == 0, res.output
    assert "Arnstein – Wettelrode" in res.output and "ascent m" in res.output


def test_proposal_json_and_apply(run, sample: Path) -> None:  # type: ignore[no-untyped-def]
    before = tree_digest(sample)
    res = run("stages", "west-ost", "--target-km", "25", "--json")
    assert res.exit_code == 0, res.output
    records = json.loads(res.stdout)
    assert len(records) == 3 and records[-1]["end"] == "Röblingen am See"
    assert all(r["ascent_m"] is not None for r in records)
    assert tree_digest(sample) == before  # a proposal writes nothing
    res = run("stages", "west-ost", "--target-km", "25", "--apply")
    assert res.exit_code == 0 and "saved 3 stages" in res.output
    shown = json.loads(run("stages", "west-ost", "--json").output)
    assert [s["name"] for s in shown] == [r["name"] for r in records]
    assert [s["km"] for s in shown] == [r["km"] for r in records]


def test_usage_errors(run) -> None:  # type: ignore[no-untyped-def]
    assert run("stages", "west-ost", "--apply").exit_code == 2
    res = run("stages", "nope")
    assert res.exit_code == 1 and "no tour with id 'nope'" in res.output


def test_dem_gives_ascent_consistent_with_the_raster(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import numpy as np
    import rasterio
    from affine import Affine

    res_deg = 0.001
    width, height = 1000, 600  # 10.8–11.8 E, 51.2–51.8 N
    x = 10.8 + (np.arange(width) + 0.5) * res_deg
    data = np.tile(100.0 + (x - 10.8) * 200.0, (height, 1)).astype("float32")  # +200 m per degree east
    tif = tmp_path / "dem.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
                       crs="EPSG:4326", transform=Affine(res_deg, 0.0, 10.8, 0.0, -res_deg, 51.8)) as ds:
        ds.write(data, 1)
    res = run("stages", "west-ost", "--dem", str(tmp_path / "dem.tif"), "--json")
    assert res.exit_code == 0, res.output
    records = json.loads(res.stdout)
    plain = json.loads(run("stages", "west-ost", "--json").output)
    assert [r["ascent_m"] for r in records] != [r["ascent_m"] for r in plain]
    # Stolberg (~10.96 E) to Röblingen (~11.68 E): the plane rises ~145 m west to east
    net = sum(r["ascent_m"] - r["descent_m"] for r in records)
    assert 120 <= net <= 170
    bad = tmp_path / "bad.tif"
    bad.write_text("no")
    res = run("stages", "west-ost", "--dem", str(bad))
    assert res.exit_code == 1 and "cannot open as a raster" in res.output
