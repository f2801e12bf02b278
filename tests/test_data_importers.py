"""``radweg.data.importers``: importing into a dataset or a data folder, without Click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radweg.data.importers import format_for, import_file, register_importer
from radweg.data.incoming import FeatureLine, ImportRequest, Incoming
from radweg.data.store import Store
from radweg.errors import ConflictError, DataError, ValidationError
from tests.conftest import tree_digest

SMALL = Path(__file__).parent / "data" / "hettstedt_small.osm"


def _points(path: Path, *names: str) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name},
         "geometry": {"type": "Point", "coordinates": [11.3 + i / 1000, 51.47]}} for i, name in enumerate(names)]}))
    return path


def test_into_a_dataset_in_memory(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    before = tree_digest(sample)
    src = _points(tmp_path / "p.geojson", "Bank Eins", "Bank Zwei")
    dry = import_file(ds, src, kind="pois", defaults={"type": "other"}, dry_run=True)
    assert dry.added == ["bank-eins", "bank-zwei"] and not dry.applied and ds.pois.get("bank-eins") is None
    report = import_file(ds, src, kind="pois", defaults={"type": "other"})
    assert report.applied and ds.pois.get("bank-eins").type == "other"
    assert [(line.action, line.id) for line in report.lines] == [("add", "bank-eins"), ("add", "bank-zwei")]
    assert report.summary() == f"{src}: 2 new, 0 updated, 0 unchanged, 0 skipped POIs"
    again = import_file(ds, src, kind="pois", defaults={"type": "other"})
    assert again.unchanged == ["bank-eins", "bank-zwei"] and not again.applied
    assert tree_digest(sample) == before


def test_into_a_store_saves(sample: Path, tmp_path: Path) -> None:
    src = _points(tmp_path / "p.geojson", "Bank Eins")
    report = import_file(Store(sample), src, kind="pois", defaults={"type": "other", "source": "Test"})
    assert report.applied
    assert Store(sample).load().pois.get("bank-eins").source == "Test"


def test_clashes_need_update_and_bad_features_are_refused(sample: Path, tmp_path: Path) -> None:
    ds = Store(sample).load()
    src = tmp_path / "p.geojson"
    src.write_text(json.dumps({"type": "Feature", "properties": {"id": "halde-hohe-linde", "name": "X",
                                                                   "type": "halde"},
                               "geometry": {"type": "Point", "coordinates": [11.3, 51.47]}}))
    with pytest.raises(ConflictError):
        import_file(ds, src, kind="pois")
    assert import_file(ds, src, kind="pois", update=True).updated == ["halde-hohe-linde"]
    with pytest.raises(ValidationError):
        import_file(ds, _points(tmp_path / "q.geojson", "Ohne Typ"), kind="pois")
    with pytest.raises(DataError, match="does not apply to GeoJSON"):
        import_file(ds, src, kind="pois", radius_m=5)


def test_osm_relations_and_pois(sample: Path) -> None:
    ds = Store(sample).load()
    rel = import_file(ds, SMALL, kind="neighbours", all_relations=True)
    assert rel.added == ["kupferspur-testschleife", "wipper-radweg-luecke"]
    assert any("2 pieces" in line.detail for line in rel.lines)
    with pytest.raises(DataError, match="relation ids"):
        import_file(ds, SMALL, kind="neighbours")
    pois = import_file(ds, SMALL, kind="pois", dry_run=True)
    assert len(pois.added) == 9 and "mansfeld-museum-hettstedt" in pois.updated
    assert pois.found.startswith("11 POIs found")


def test_registered_importers_by_suffix_and_kind(sample: Path, tmp_path: Path) -> None:
    def csv(request: ImportRequest) -> Incoming:
        rows = [r.split(";") for r in request.path.read_text().splitlines()]
        return Incoming(
            features=[{"type": "Feature", "properties": {"id": r[0], "name": r[0], "type": "other"},
                       "geometry": {"type": "Point", "coordinates": [float(r[1]), float(r[2])]}}
                      for r in rows if r[1]],
            skipped=[FeatureLine("skip", r[0], r[0], "no position") for r in rows if not r[1]])

    register_importer([".testcsv"], csv, kinds=["pois"], name="CSV")
    src = tmp_path / "p.testcsv"
    src.write_text("bank;11.3;51.47\nnirgends;;\n")
    assert format_for(src, "pois").name == "CSV" and format_for(src, "segments").name == "GeoJSON"
    report = import_file(Store(sample).load(), src, kind="pois")
    assert (report.added, report.skipped) == (["bank"], ["nirgends"])
    assert report.lines[-1] == FeatureLine("skip", "nirgends", "nirgends", "no position")


def test_unknown_kind(sample: Path, tmp_path: Path) -> None:
    with pytest.raises(DataError):
        import_file(Store(sample).load(), tmp_path / "x.geojson", kind="stages")
