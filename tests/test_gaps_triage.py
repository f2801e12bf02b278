"""Triage entries on disk, and comparing two gap reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from radweg.errors import DataError
from radweg.gaps.triage import (
    TRIAGE_FILE,
    TriageEntry,
    clear_triage,
    compare,
    dump_triage,
    load_triage,
    read_report,
    set_triage,
)


def test_set_load_update_clear(tmp_path: Path):
    assert load_triage(tmp_path) == {}
    set_triage(tmp_path, "ct-1", "accepted", "Brücke fehlt", "2026-11-22")
    set_triage(tmp_path, "lk-2", "not-a-gap", None, "2026-11-22")
    entries = load_triage(tmp_path)
    assert entries["ct-1"] == TriageEntry("accepted", "Brücke fehlt", "2026-11-22")
    assert entries["lk-2"].comment == ""
    set_triage(tmp_path, "ct-1", None, "neu", "2026-11-23")  # comment only keeps the status
    assert load_triage(tmp_path)["ct-1"] == TriageEntry("accepted", "neu", "2026-11-23")
    assert clear_triage(tmp_path, "lk-2") and not clear_triage(tmp_path, "lk-2")
    assert set(load_triage(tmp_path)) == {"ct-1"}


def test_file_is_deterministic_and_sorted(tmp_path: Path):
    set_triage(tmp_path, "st-b", "deferred", "x", "2026-01-01")
    set_triage(tmp_path, "ct-a", "accepted", "ü <b>", "2026-01-01")
    text = (tmp_path / TRIAGE_FILE).read_text(encoding="utf-8")
    assert text == dump_triage(load_triage(tmp_path))
    assert list(json.loads(text)["gaps"]) == ["ct-a", "st-b"]
    assert "ü <b>" in text


@pytest.mark.parametrize("content, message", [
    ("{", "invalid JSON at line 1"),
    ('{"gaps": []}', "field 'gaps'"),
    ('{"gaps": {"x": {"status": "maybe"}}}', "gap 'x': field 'status': unknown value 'maybe'"),
    ('{"gaps": {"x": {"status": "accepted", "comment": 3}}}', "field 'comment'"),
])
def test_bad_triage_files_name_the_place(tmp_path: Path, content: str, message: str):
    (tmp_path / "routes").mkdir()
    (tmp_path / TRIAGE_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message.replace("(", r"\(")) as exc:
        load_triage(tmp_path)
    assert TRIAGE_FILE in str(exc.value)


def test_unknown_status_is_refused_and_nothing_written(tmp_path: Path):
    with pytest.raises(DataError, match="unknown triage status"):
        set_triage(tmp_path, "ct-1", "maybe", None, "2026-01-01")
    assert not (tmp_path / TRIAGE_FILE).exists()


def test_compare_opened_closed_changed():
    old = {"a": {"kind": "link", "length_m": 100.0, "a_ref": "x"}, "b": {"kind": "continuity", "length_m": 5.0},
           "c": {"kind": "status", "length_m": 50.0}}
    new = {"a": {"kind": "link", "length_m": 100.4, "a_ref": "x"}, "c": {"kind": "status", "length_m": 80.0},
           "d": {"kind": "component", "length_m": 1.0}}
    changes = compare(old, new)
    assert [(c.what, c.gap_id) for c in changes] == [("opened", "d"), ("closed", "b"), ("changed", "c")]
    assert "length 50.0 → 80.0" in changes[-1].details


def test_read_report_errors(tmp_path: Path):
    with pytest.raises(Exception, match="does not exist"):
        read_report(tmp_path / "none.geojson")
    bad = tmp_path / "bad.geojson"
    bad.write_text("[1]", encoding="utf-8")
    with pytest.raises(DataError, match="not a GeoJSON FeatureCollection"):
        read_report(bad)
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(DataError, match="not a gap report"):
        read_report(bad)
