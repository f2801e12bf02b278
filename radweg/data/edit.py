"""Changing a dataset: set fields, add or replace features, remove them.

Every change goes through the same parser as loading, so a value that would
not load cannot be saved either.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from radweg.errors import ConflictError, DataError, NotFoundError, Problem, ValidationError
from radweg.io.geojson import feature, parse_features
from radweg.io.text import shorten
from radweg.model import Collection, Dataset, Neighbour, Poi, Segment, Tour, slugify

MODEL: dict[str, type[Segment] | type[Poi] | type[Neighbour] | type[Tour]] = {
    "segments": Segment, "pois": Poi, "neighbours": Neighbour, "tours": Tour}
SINGULAR = {"segments": "segment", "pois": "POI", "neighbours": "neighbour route", "tours": "tour"}
PLURAL = {"segments": "segments", "pois": "POIs", "neighbours": "neighbour routes", "tours": "tours"}

_TYPED: dict[str, type] = {"height_m": float, "approx": bool, "osm_id": int}
_NOT_SETTABLE = {"id", "segments", "stages"}


def settable_fields(kind: str) -> list[str]:
    """Fields that ``set FIELD=VALUE`` may change."""
    return [f for f in MODEL[kind].FIELDS if f not in _NOT_SETTABLE]


def parse_one(kind: str, feat: dict[str, Any], file: str) -> Any:
    """One feature dict to a model object, or ValidationError with every problem."""
    coll, problems = parse_features([feat], kind, file)
    if problems:
        raise ValidationError(problems)
    return coll.items[0]


def _convert(name: str, text: str) -> Any:
    """A command-line value as the field's type (empty clears the field)."""
    if text == "":
        return None
    kind = _TYPED.get(name)
    if kind is None:
        return text
    try:
        if kind is float:
            return float(text)
        if kind is int:
            return int(text)
        if kind is bool:
            low = text.lower()
            if low in ("true", "yes", "1"):
                return True
            if low in ("false", "no", "0"):
                return False
            raise ValueError(text)
    except ValueError:
        expected = {float: "a number", int: "an integer", bool: "true or false"}[kind]
        raise DataError(Problem("command line", f"'{text}' is not {expected}", field=name)) from None
    return text


def set_fields(kind: str, item: Any, assignments: dict[str, str], *, today: str | None = None) -> Any:
    """A copy of ``item`` with the given fields changed (empty value clears a field).

    A segment whose fields change gets ``updated`` set to ``today`` (default: today's date), unless
    ``updated`` is one of the assignments.
    """
    import datetime

    allowed = settable_fields(kind)
    unknown = [k for k in assignments if k not in allowed]
    if unknown:
        raise DataError(Problem("command line", f"cannot set {', '.join(unknown)}; settable fields: "
                                f"{', '.join(allowed)}", f"'{item.id}'", unknown[0]))
    feat = feature(item)
    for key, text in assignments.items():
        feat["properties"][key] = _convert(key, text)
    changed = parse_one(kind, feat, "command line")
    if "updated" in Segment.FIELDS and kind == "segments" and "updated" not in assignments and changed != item:
        feat["properties"]["updated"] = today or datetime.date.today().isoformat()
        changed = parse_one(kind, feat, "command line")
    return changed


def find(coll: Collection, kind: str, item_id: str) -> Any:
    """The item with this id, or NotFoundError."""
    item = coll.get(item_id)
    if item is None:
        hint = ""
        close = [i for i in coll.ids() if item_id in i or i in item_id] if len(item_id) <= 200 else []
        if close:
            hint = f"; did you mean {', '.join(close[:3])}?"
        raise NotFoundError(f"no {SINGULAR[kind]} with id '{shorten(item_id)}'{hint}")
    return item


def replace_item(coll: Collection, item: Any) -> None:
    """Put ``item`` in place of the one with the same id."""
    coll.items = [item if it.id == item.id else it for it in coll.items]


@dataclass
class MergeResult:
    """What merging items into a collection did: ids added, replaced, and already there unchanged."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def merge(coll: Collection, kind: str, items: list[Any], *, update: bool) -> MergeResult:
    """Add new items to ``coll``; replace existing ids only with ``update``."""
    result = MergeResult()
    existing = {it.id: it for it in coll.items}
    clashes = [it.id for it in items if it.id in existing and existing[it.id] != it]
    if clashes and not update:
        raise ConflictError(f"{len(clashes)} {SINGULAR[kind]} id(s) already exist: {', '.join(clashes[:5])}"
                            + (" …" if len(clashes) > 5 else "") + "; use --update to replace them")
    for it in items:
        if it.id not in existing:
            result.added.append(it.id)
            existing[it.id] = it
        elif existing[it.id] == it:
            result.unchanged.append(it.id)
        else:
            result.replaced.append(it.id)
            existing[it.id] = it
    coll.items = sorted(existing.values(), key=lambda it: it.id)
    return result


def prepare_import(obj: Any, kind: str, file: str, defaults: dict[str, Any]) -> list[dict[str, Any]]:
    """Features from a GeoJSON object (FeatureCollection or Feature), with missing ids and defaults filled.

    A feature without an ``id`` gets one made from its name; fields given in
    ``defaults`` fill in where a feature has none.
    """
    feats: list[Any]
    if isinstance(obj, dict) and obj.get("type") == "Feature":
        feats = [obj]
    elif isinstance(obj, dict) and obj.get("type") == "FeatureCollection" and isinstance(obj.get("features"), list):
        feats = obj["features"]
    else:
        raise DataError(Problem(file, "not a GeoJSON Feature or FeatureCollection"))
    out = []
    used: set[str] = set()
    for index, feat in enumerate(feats):
        if not isinstance(feat, dict):
            out.append(feat)
            continue
        if not isinstance(feat.get("properties") or {}, dict):
            out.append(feat)  # the parser reports it: field 'properties' must be an object
            continue
        props = dict(feat.get("properties") or {})
        for key, value in defaults.items():
            if props.get(key) in (None, "") and value is not None:
                props[key] = value
        if not props.get("id"):
            base = slugify(str(props.get("name") or ""), fallback=f"{SINGULAR[kind].split()[0].lower()}-{index + 1}")
            fid, n = base, 2
            while fid in used:
                fid, n = f"{base}-{n}", n + 1
            props["id"] = fid
        used.add(str(props["id"]))
        out.append({**feat, "properties": props})
    return out


def remove(ds: Dataset, kind: str, item_id: str, *, force: bool = False, notes: list[str] | None = None) -> list[str]:
    """Remove an item; a segment still used by tours only with ``force`` (which also drops it from them).

    With ``force``, a stage end that lay on the removed segment moves to where that segment joined the
    tour (named 'Touranfang'/'Tourende' at the tour's ends, else '<name> (verlegt)'); a stage that lay
    wholly on it is dropped. ``notes`` collects a line for each
    stage moved or dropped. Returns the ids of tours that were changed.
    """
    coll: Collection = getattr(ds, kind)
    find(coll, kind, item_id)
    changed: list[str] = []
    if kind == "segments":
        users = [t for t in ds.tours.items if any(leg.segment == item_id for leg in t.legs)]
        if users and not force:
            raise ConflictError(f"segment '{item_id}' is used by tour(s) {', '.join(t.id for t in users)}; "
                                "change those tours first, or use --force to drop it from them")
        segments = {s.id: s for s in ds.segments.items}
        tol = float(ds.project.get("stage_tolerance_m") or 100.0)
        for tour in users:
            legs = tuple(leg for leg in tour.legs if leg.segment != item_id)
            if not legs:
                raise ConflictError(f"removing '{item_id}' would leave tour '{tour.id}' empty; remove the tour first")
            replace_item(ds.tours, fit_stages(tour, replace(tour, legs=legs), segments, tol, notes))
            changed.append(tour.id)
    coll.items = [it for it in coll.items if it.id != item_id]
    return changed


def fit_stages(old: Any, new: Any, segments: dict[str, Any], tolerance_m: float,
               notes: list[str] | None = None) -> Any:
    """``new`` (``old`` with legs dropped) with the stages moved to where they were (see :func:`remove`).

    ``segments`` must still hold the dropped segments. A stage end that lay on a dropped leg
    goes to the junction where that leg began; ends elsewhere keep their place. A stage that
    no longer covers any of the tour is dropped.
    """
    from radweg.geometry import cut, distance_m, line_length_m
    from radweg.model import Place
    from radweg.tours.line import leg_lines, locate_stages, tour_line

    kept_legs = set(range(len(old.legs)))
    j = 0
    for i, leg in enumerate(old.legs):
        if j < len(new.legs) and new.legs[j] == leg:
            j += 1
        else:
            kept_legs.discard(i)
    old_lines = leg_lines(old, segments)

    def spans(lines: list[Any]) -> list[tuple[float, float]]:
        """Where each leg lies along the joined tour line (straight steps between legs included)."""
        out, at = [], 0.0
        for k, ln in enumerate(lines):
            if k:
                at += distance_m(lines[k - 1][-1], ln[0])
            n = line_length_m(ln)
            out.append((at, at + n))
            at += n
        return out

    # each leg with the straight step after it, so that every position of the old line falls in a leg
    old_spans = [(s0, (nxt[0] if nxt else s1 + 1.0))
                 for (s0, s1), nxt in zip(spans(old_lines), [*spans(old_lines)[1:], None], strict=True)]
    new_spans = dict(zip(sorted(kept_legs), spans([old_lines[i] for i in sorted(kept_legs)]), strict=True))

    def new_along(x: float, is_end: bool) -> tuple[float, bool]:
        """Position on the new tour of old position ``x``; True when it lay on a dropped leg."""
        for i, (s0, s1) in enumerate(old_spans):
            if not s0 <= x <= s1:
                continue
            if i in kept_legs:
                return new_spans[i][0] + (x - s0), False
            before = [new_spans[k][1] for k in sorted(kept_legs) if k < i]
            after = [new_spans[k][0] for k in sorted(kept_legs) if k > i]
            if is_end:
                return (before[-1] if before else 0.0), True
            return (after[0] if after else (before[-1] if before else 0.0)), True
        return x, False

    line = tour_line(new, segments)
    total = line_length_m(line)
    say = notes if notes is not None else []
    kept = []
    now = locate_stages(new, line)
    for pos, cur in zip(locate_stages(old, tour_line(old, segments)), now, strict=True):
        stage = pos.stage
        (a, on_a), (b, on_b) = new_along(pos.start_m, False), new_along(pos.end_m, True)
        moved_a = on_a and cur.start_offset_m > tolerance_m
        moved_b = on_b and cur.end_offset_m > tolerance_m
        a = a if moved_a else cur.start_m
        b = b if moved_b else cur.end_m
        if not moved_a and not moved_b and cur.end_m > cur.start_m:
            kept.append(stage)
            continue
        if b - a < 1.0:
            say.append(f"tour '{new.id}': dropped stage '{stage.id}' (it lay on the removed segment)")
            continue

        def place(old_place: Any, along: float) -> Any:
            along = min(max(along, 0.0), total)
            at = cut(line, along, min(total, along + 1.0))[0] if total > 0 else line[0]
            name = ("Touranfang" if along < tolerance_m else "Tourende" if total - along < tolerance_m
                    else f"{old_place.name} (verlegt)")
            return Place(name, (at[0], at[1]))

        start = place(stage.start, a) if moved_a else stage.start
        end = place(stage.end, b) if moved_b else stage.end
        which = " and ".join(w for w, m in (("start", moved_a), ("end", moved_b)) if m)
        say.append(f"tour '{new.id}': moved the {which} of stage '{stage.id}' to where the removed segment "
                   "joined the tour")
        kept.append(replace(stage, start=start, end=end))
    return replace(new, stages=tuple(kept))
