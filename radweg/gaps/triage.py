"""Planners' triage of gaps, kept in ``routes/gaps-triage.json``, and comparing two gap reports.

The triage file maps gap ids to a status and a comment::

    {
      "gaps": {
        "ct-b3293df5": {"status": "accepted", "comment": "…", "updated": "2026-11-22"}
      }
    }

Because gap ids are stable (see :mod:`radweg.gaps.detect`), an entry follows its gap across
re-runs and edits. Entries whose gap has disappeared are kept (the gap may come back)
and reported as *stale*. The file is written deterministically (sorted keys) and atomically.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radweg.data.layout import TRIAGE_FILE
from radweg.errors import DataError, StorageError
from radweg.io.atomic import write_atomic

if TYPE_CHECKING:
    from radweg.gaps.model import Gap

TRIAGE_STATUSES = ("accepted", "in-planning", "deferred", "not-a-gap", "wont-fix")
"""accepted: a real gap to close; in-planning: a connector is being planned; deferred: later;
not-a-gap: intended or a data artefact; wont-fix: real, but it will not be closed."""
UNTRIAGED = "new"


@dataclass(frozen=True)
class TriageEntry:
    status: str
    comment: str = ""
    updated: str | None = None


def load_triage(root: Path) -> dict[str, TriageEntry]:
    """The triage entries of a data folder (none when the file does not exist)."""
    path = root / TRIAGE_FILE
    if not path.exists():
        return {}
    from radweg.io.files import JsonProblem, read_json

    try:
        obj = read_json(path, TRIAGE_FILE, 64 * 1024 * 1024)  # only a regular file; strict JSON
    except JsonProblem as exc:
        raise DataError(f"{TRIAGE_FILE}: {exc}") from None
    gaps = obj.get("gaps") if isinstance(obj, dict) else None
    if not isinstance(gaps, dict):
        raise DataError(f"{TRIAGE_FILE}: field 'gaps': must be an object mapping gap ids to entries")
    out = {}
    for gid, raw in gaps.items():
        if not isinstance(raw, dict):
            raise DataError(f"{TRIAGE_FILE}: gap '{gid}': must be an object")
        status = raw.get("status")
        if status not in TRIAGE_STATUSES:
            raise DataError(f"{TRIAGE_FILE}: gap '{gid}': field 'status': unknown value {status!r}; "
                            f"expected one of {', '.join(TRIAGE_STATUSES)}")
        comment = raw.get("comment") or ""
        if not isinstance(comment, str):
            raise DataError(f"{TRIAGE_FILE}: gap '{gid}': field 'comment': must be text")
        updated = raw.get("updated")
        if updated is not None and not isinstance(updated, str):
            raise DataError(f"{TRIAGE_FILE}: gap '{gid}': field 'updated': must be text")
        out[gid] = TriageEntry(status, comment, updated)
    return out


def dump_triage(entries: dict[str, TriageEntry]) -> str:
    """The file text: gaps sorted by id, fields in a fixed order."""
    body = {gid: {"status": e.status, "comment": e.comment, **({"updated": e.updated} if e.updated else {})}
            for gid, e in sorted(entries.items())}
    return json.dumps({"gaps": body}, ensure_ascii=False, indent=2) + "\n"


def set_triage(root: Path, gap_id: str, status: str | None, comment: str | None, today: str) -> TriageEntry:
    """Record (or update) the triage of one gap; returns the new entry."""
    entries = load_triage(root)
    old = entries.get(gap_id)
    if status is None and old is None:
        raise DataError(f"gap '{gap_id}' has no triage yet; give --status")
    if status is not None and status not in TRIAGE_STATUSES:
        raise DataError(f"unknown triage status '{status}'; expected one of {', '.join(TRIAGE_STATUSES)}")
    entry = TriageEntry(status or old.status,  # type: ignore[union-attr]
                        comment if comment is not None else (old.comment if old else ""), today)
    entries[gap_id] = entry
    write_atomic(root / TRIAGE_FILE, dump_triage(entries), TRIAGE_FILE)
    return entry


def clear_triage(root: Path, gap_id: str) -> bool:
    """Forget the triage of one gap; False when it had none."""
    entries = load_triage(root)
    if gap_id not in entries:
        return False
    del entries[gap_id]
    write_atomic(root / TRIAGE_FILE, dump_triage(entries), TRIAGE_FILE)
    return True


def untriaged(gaps: list[Gap], entries: dict[str, TriageEntry]) -> list[Gap]:
    return [g for g in gaps if g.id not in entries]


def stale(gaps: list[Gap], entries: dict[str, TriageEntry]) -> list[str]:
    """Triaged ids that no current gap has."""
    ids = {g.id for g in gaps}
    return sorted(gid for gid in entries if gid not in ids)


# ---------------------------------------------------------------- comparing with an earlier report


@dataclass(frozen=True)
class Change:
    gap_id: str
    kind: str
    what: str
    """opened, closed or changed."""
    details: str = ""


COMPARED = ("kind", "detail", "length_m", "a_ref", "b_ref", "status")


def read_report(path: Path) -> dict[str, dict[str, Any]]:
    """The gap features of an earlier ``radweg gaps --format geojson`` file, by id."""
    try:
        obj = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise StorageError(f"{path}: file does not exist") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: not a JSON gap report ({exc})") from None
    feats = obj.get("features") if isinstance(obj, dict) else None
    if not isinstance(feats, list):
        raise DataError(f"{path}: not a GeoJSON FeatureCollection")
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or meta.get("generator") != "radweg gaps":
        raise DataError(f"{path}: not a gap report (write one with 'radweg gaps --format geojson -o FILE')")
    out = {}
    for i, feat in enumerate(feats):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            raise DataError(f"{path}: feature #{i}: field 'properties': must be an object")
        if props.get("feature") != "gap":
            continue
        gid = props.get("id")
        if not isinstance(gid, str):
            raise DataError(f"{path}: feature #{i}: field 'id': missing")
        out[gid] = props
    return out


def compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]], *, length_tol_m: float = 1.0
            ) -> list[Change]:
    """Gaps opened (new ids), closed (ids gone) and changed (same id, other kind, ends, status or length)."""
    out = []
    for gid in sorted(set(new) - set(old)):
        out.append(Change(gid, str(new[gid].get("kind")), "opened"))
    for gid in sorted(set(old) - set(new)):
        out.append(Change(gid, str(old[gid].get("kind")), "closed"))
    for gid in sorted(set(old) & set(new)):
        diffs = []
        for key in COMPARED:
            a, b = old[gid].get(key), new[gid].get(key)
            if key == "length_m":
                moved = a is None or b is None or abs(float(a) - float(b)) > length_tol_m
                if moved and a != b:
                    diffs.append(f"length {a} → {b} m")
            elif a != b:
                diffs.append(f"{key} {a} → {b}")
        if diffs:
            out.append(Change(gid, str(new[gid].get("kind")), "changed", "; ".join(diffs)))
    order = {"opened": 0, "closed": 1, "changed": 2}
    return sorted(out, key=lambda c: (order[c.what], c.gap_id))
