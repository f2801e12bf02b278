"""A direction-aware check of route relations, with lint findings under stable rule ids.

For each travel direction the check looks for a path through the way members
**in member order** (forward: first to last member; backward: last to first),
each way ridden only where a cyclist may ride it:

* role ``forward``: along the way only; role ``backward``: against it only;
* no role: both ways, unless the way is one-way for bicycles
  (``oneway``, ``oneway:bicycle``, ``cycleway=opposite*``, and
  ``junction=roundabout|circular``, which implies ``oneway=yes``; see
  :func:`radweg.osm.graph.oneway`);
* a closed way (a roundabout) is ridden from where the path enters it to where
  the next member leaves it, in its allowed direction;
* members with a role (``forward``/``backward``, and the side branches
  ``alternative``, ``excursion``, ``approach``, ``connection``) may be passed
  over: they belong to the other direction or to a branch; a member without a
  role may not.

The path is found by dynamic programming over (member, node) states, the
cheapest by (breaks + role-less members passed over, total gap length in
metres, joins in the middle of a way), so the verdict does not depend on any
tuning parameter. A direction is *continuous* when its path has no break and
passes over no role-less member except an extra one that hangs off the path
(see ``extra-member``). The relation is continuous only when both directions
are and no member is missing from the file.

The order-independent pieces and gaps (member ways that share a node) come
from :func:`radweg.osm.relations.continuity`. Every rule is described with a
drawing in ``docs/relations.md``; :data:`RULES` lists their ids and severities.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from radweg.osm.relations import Continuity, Coord, Member, RouteRelation, continuity, read_relations

RULES: dict[str, str] = {
    "gap": "error",
    "not-ridden": "error",
    "unordered-members": "warning",
    "missing-role": "warning",
    "wrong-role": "error",
    "contradicting-members": "error",
    "role-on-two-way": "warning",
    "extra-member": "warning",
    "bicycle-forbidden": "error",
    "steps": "warning",
    "proposed": "warning",
    "member-missing": "warning",
    "partial-way": "info",
    "duplicate-member": "info",
    "unknown-role": "warning",
    "subrelation": "info",
    "empty": "error",
    "missing-name": "warning",
    "missing-network": "warning",
    "missing-ref": "info",
    "missing-cycle-network": "info",
}
"""Rule id → severity (error, warning, info). The ids are stable: scripts may filter on them."""

DIRECTION_ROLES = frozenset({"forward", "backward"})
BRANCH_ROLES = frozenset({"alternative", "excursion", "approach", "connection"})
KNOWN_ROLES = DIRECTION_ROLES | BRANCH_ROLES | {"", "main", "route"}
CYCLE_ROUTES = frozenset({"bicycle", "mtb"})
_ALLOWED = frozenset({"yes", "designated", "permissive", "official", "dismount"})
_NO_ACCESS = frozenset({"no", "private", "military"})


@dataclass(frozen=True)
class Finding:
    """One lint finding: rule id, the way member it is about (None: the relation), a message."""

    rule: str
    member: int | None
    message: str

    @property
    def severity(self) -> str:
        return RULES[self.rule]

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "member": self.member, "message": self.message}


@dataclass(frozen=True)
class Break:
    """Where a direction's path is interrupted: after one member, before another, and how far apart."""

    before: int | None
    after: int
    distance_m: float
    from_coord: Coord | None
    to_coord: Coord

    def as_dict(self) -> dict[str, Any]:
        return {"from_member": self.before, "to_member": self.after, "distance_m": round(self.distance_m, 1),
                "from": None if self.from_coord is None else [round(c, 6) for c in self.from_coord],
                "to": [round(c, 6) for c in self.to_coord]}


@dataclass
class Direction:
    """The verdict for one travel direction."""

    name: str
    continuous: bool
    members: list[int]
    breaks: list[Break]
    passed_over: list[int]
    length_m: float
    start: Coord | None = None
    end: Coord | None = None

    def summary(self) -> str:
        if self.continuous:
            return f"{self.name} continuous"
        if not self.members:
            return f"{self.name}: no way can be ridden"
        parts = []
        if self.breaks:
            parts.append(f"{len(self.breaks)} break{'s' if len(self.breaks) != 1 else ''} ("
                         + ", ".join(_fmt_m(b.distance_m) for b in self.breaks) + ")")
        if self.passed_over:
            parts.append(f"{len(self.passed_over)} member{'s' if len(self.passed_over) != 1 else ''} not ridden")
        return f"{self.name}: " + ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {"continuous": self.continuous, "length_m": round(self.length_m, 1),
                "start": None if self.start is None else [round(c, 6) for c in self.start],
                "end": None if self.end is None else [round(c, 6) for c in self.end], "members": self.members,
                "breaks": [b.as_dict() for b in self.breaks], "members_not_ridden": self.passed_over}


@dataclass
class RelationCheck:
    """The result of checking one relation."""

    id: int
    tags: dict[str, str]
    forward: Direction
    backward: Direction
    geometry: Continuity
    problems: list[Finding] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        return self.tags.get("name")

    @property
    def complete(self) -> bool:
        return self.geometry.missing_members == 0

    @property
    def continuous(self) -> bool:
        return self.forward.continuous and self.backward.continuous and self.complete

    def summary(self) -> str:
        """One line: both directions, pieces and the count of problems by rule."""
        if self.continuous:
            text = "continuous in both directions"
        else:
            text = f"{self.forward.summary()}; {self.backward.summary()}"
        if self.geometry.pieces != 1:
            text += f"; {self.geometry.pieces} pieces"
        if self.geometry.missing_members:
            text += f"; {self.geometry.missing_members} of {self.geometry.way_members} ways missing from the file"
        counts: dict[str, int] = {}
        for p in self.problems:
            counts[p.rule] = counts.get(p.rule, 0) + 1
        if counts:
            text += "; " + ", ".join(f"{r} ×{n}" if n > 1 else r for r, n in sorted(counts.items()))
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "route": self.tags.get("route"), "network": self.tags.get("network"),
            "ref": self.tags.get("ref"), "continuous": self.continuous,
            "forward_continuous": self.forward.continuous, "backward_continuous": self.backward.continuous,
            "complete": self.complete, "pieces": self.geometry.pieces,
            "gaps": [{"after_piece": g.after_piece, "distance_m": round(g.distance_m, 1),
                      "from": [round(c, 6) for c in g.from_coord], "to": [round(c, 6) for c in g.to_coord]}
                     for g in self.geometry.gaps],
            "way_members": self.geometry.way_members, "missing_members": self.geometry.missing_members,
            "forward": self.forward.as_dict(), "backward": self.backward.as_dict(),
            "problems": [p.as_dict() for p in self.problems],
        }


def _fmt_m(m: float) -> str:
    return f"{m:.0f} m" if m < 1000 else f"{m / 1000:.1f} km"


# ------------------------------------------------------------------ traversal


def allowed_directions(member: Member) -> tuple[int, ...]:
    """Directions a cyclist may ride a member along the route: +1 along the way, -1 against it."""
    from radweg.osm.graph import oneway

    one = oneway(member.tags)
    physical = {0: (1, -1), 1: (1,), -1: (-1,)}[one]
    if member.role == "forward":
        return tuple(d for d in physical if d == 1)
    if member.role == "backward":
        return tuple(d for d in physical if d == -1)
    return physical


def _roundabout(m: Member) -> bool:
    return m.tags.get("junction") in ("roundabout", "circular")


def _closed(m: Member) -> bool:
    return len(m.refs) >= 4 and m.refs[0] == m.refs[-1]


def _exits(m: Member, entry_index: int, dirs: tuple[int, ...]) -> list[tuple[int, int]]:
    """(exit index, direction) pairs reachable from an entry index."""
    n = len(m.refs)
    out: list[tuple[int, int]] = []
    if _closed(m):
        ring = n - 1
        for d in dirs:
            for k in range(1, ring):
                out.append(((entry_index + d * k) % ring, d))
        return out
    for d in dirs:
        rng = range(entry_index + 1, n) if d == 1 else range(entry_index - 1, -1, -1)
        out.extend((j, d) for j in rng)
    return out


def _entries(m: Member, dirs: tuple[int, ...]) -> list[int]:
    """Where a path may begin on a member: its start (along) or end (against); any node of a ring."""
    if _closed(m):
        return list(range(len(m.refs) - 1))
    out = []
    if 1 in dirs:
        out.append(0)
    if -1 in dirs:
        out.append(len(m.refs) - 1)
    return out


Key = tuple[int, float, int, int]
"""(breaks + role-less members passed over, metres of gaps, joins in the middle of a way, −members ridden)."""


@dataclass
class _State:
    key: Key
    node: int | None
    parent: _State | None
    member: int | None = None  # index of the member ridden to reach this state
    entry: int | None = None  # node index where it was entered
    exit: int | None = None
    direction: int = 0
    broke: float | None = None  # gap length when reached by a break
    broke_from: int | None = None  # node before the break
    skipped: bool = False  # a member without a role passed over (no entry/exit)
    near: float = 0.0  # for a passed-over member: how far it was from the path's end then


def _walk(members: Sequence[Member], order: Sequence[int], *, any_direction: bool = False) -> _State:
    """The cheapest path through the members in ``order`` (indices into ``members``).

    With ``any_direction``, every way may be ridden both ways (to tell an order
    problem from a direction problem).
    """
    start = _State((0, 0.0, 0, 0), None, None)
    states: dict[int | None, _State] = {None: start}
    coords: dict[int, Coord] = {}
    for m in members:
        coords.update(zip(m.refs, m.coords, strict=True))
    for i in order:
        m = members[i]
        if not m.refs:
            continue
        dirs = (1, -1) if any_direction else allowed_directions(m)
        skippable = m.role in DIRECTION_ROLES or m.role in BRANCH_ROLES or not dirs or \
            (_roundabout(m) and not _closed(m))
        new: dict[int | None, _State] = {}
        for node in sorted(states, key=lambda n: (n is not None, n or 0)):
            s = states[node]
            if skippable:
                _offer(new, s)
            elif s.node is not None:  # passing over a member without a role costs a break, plus the way to it
                near = 0.0 if s.node in m.refs else \
                    min(_dist(coords[s.node], m.coords[0]), _dist(coords[s.node], m.coords[-1]))
                _offer(new, _State((s.key[0] + 1, s.key[1] + near + 1.0, s.key[2], s.key[3]), s.node, s, i,
                                   skipped=True, near=near))
        index_of: dict[int, list[int]] = {}
        for k, ref in enumerate(m.refs[:-1] if _closed(m) else m.refs):
            index_of.setdefault(ref, []).append(k)
        for node in sorted(n for n in states if n is not None):
            s = states[node]
            for entry in index_of.get(node, ()):
                _ride(new, m, i, dirs, s, entry, s.key)
        if None in states:
            for entry in _entries(m, dirs):
                _ride(new, m, i, dirs, states[None], entry, states[None].key)
        low = min(s.key[0] for s in states.values())  # a break from a dearer state could never win
        placed = [s for n, s in states.items() if n is not None and s.key[0] == low]
        if placed:
            for entry in _entries(m, dirs):
                to = coords[m.refs[entry]]
                best: tuple[Key, _State, float] | None = None
                for s in sorted(placed, key=lambda s: s.node or 0):
                    assert s.node is not None
                    gap = _dist(coords[s.node], to)
                    key = (s.key[0] + 1, s.key[1] + gap, s.key[2], s.key[3])
                    if best is None or key < best[0]:
                        best = (key, s, gap)
                if best is not None:
                    _ride(new, m, i, dirs, best[1], entry, best[0], best[2], best[1].node)
        # A state two breaks dearer than the cheapest can never win: the cheapest can break into any later
        # member's entry for one, so dropping it keeps the result exact and the states few.
        floor = min(s.key[0] for s in new.values())
        states = {n: s for n, s in new.items() if s.key[0] <= floor + 1}
    return min(states.values(), key=lambda s: (s.key, s.node is None, s.node or 0))


def _offer(states: dict[int | None, _State], s: _State) -> None:
    """Keep ``s`` if it is the cheapest way found so far to its node."""
    old = states.get(s.node)
    if old is None or s.key < old.key:
        states[s.node] = s


def _ride(states: dict[int | None, _State], m: Member, i: int, dirs: tuple[int, ...], s: _State, entry: int,
          cost: Key, broke: float | None = None, broke_from: int | None = None) -> None:
    """Offer every exit of member ``m`` (index ``i``) reached from node index ``entry``."""
    last = len(m.refs) - 1
    for ex, d in _exits(m, entry, dirs):
        partial = 0 if _closed(m) else int(entry not in (0, last)) + int(ex not in (0, last))
        _offer(states, _State((cost[0], cost[1], cost[2] + partial, cost[3] - 1), m.refs[ex], s, i, entry, ex, d,
                              broke, broke_from))


def _dist(a: Coord, b: Coord) -> float:
    """Metres between two lon/lat points on a sphere (for ranking paths; reported gaps are geodesic)."""
    if a == b:
        return 0.0
    lat1, lat2 = math.radians(a[1]), math.radians(b[1])
    dlon = math.radians(b[0] - a[0])
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h)))


def _steps(end: _State) -> list[_State]:
    out: list[_State] = []
    s: _State | None = end
    while s is not None:
        if s.member is not None:
            out.append(s)
        s = s.parent
    return out[::-1]


def _ridden_coords(m: Member, step: _State) -> list[Coord]:
    assert step.entry is not None and step.exit is not None
    if _closed(m):
        ring = len(m.refs) - 1
        k = (step.exit - step.entry) * step.direction % ring
        return [m.coords[(step.entry + step.direction * j) % ring] for j in range(k + 1)]
    if step.direction == 1:
        return list(m.coords[step.entry:step.exit + 1])
    return list(m.coords[step.exit:step.entry + 1])[::-1]


@dataclass
class _Path:
    steps: list[_State]  # ridden members, in travel order
    skips: list[_State]  # members without a role passed over
    nodes: set[int]
    first: int | None
    last: int | None


def _direction(name: str, members: Sequence[Member], order: Sequence[int]) -> tuple[Direction, _Path]:
    from radweg.geometry import distance_m, line_length_m

    end = _walk(members, order)
    chain = _steps(end)
    steps = [st for st in chain if not st.skipped]
    breaks: list[Break] = []
    coords: dict[int, Coord] = {}
    for m in members:
        coords.update(zip(m.refs, m.coords, strict=True))
    prev: _State | None = None
    length = 0.0
    nodes: set[int] = set()
    for st in steps:
        assert st.member is not None and st.entry is not None
        m = members[st.member]
        if st.broke is not None:
            frm = None if st.broke_from is None else coords[st.broke_from]
            gap = st.broke if frm is None else distance_m(frm, m.coords[st.entry])
            breaks.append(Break(None if prev is None else members[prev.member or 0].ref, m.ref, gap, frm,
                                m.coords[st.entry]))
        length += line_length_m(_ridden_coords(m, st))
        nodes.update(m.refs)
        prev = st
    path = _Path(steps, [st for st in chain if st.skipped], nodes,
                 None if not steps else members[steps[0].member or 0].refs[steps[0].entry or 0],
                 None if not steps else end.node)
    return Direction(name, False, [members[st.member or 0].ref for st in steps], breaks, [], length,
                     None if path.first is None else coords[path.first],
                     None if path.last is None else coords[path.last]), path


# ------------------------------------------------------------------ the check


def check(rel: RouteRelation) -> RelationCheck:
    """Check one relation: both directions, geometric pieces and every lint rule."""
    members = rel.members
    present = [i for i, m in enumerate(members) if m.refs]
    fwd, fpath = _direction("forward", members, present)
    bwd, bpath = _direction("backward", members, present[::-1])
    geometry = continuity(rel)
    problems: list[Finding] = []
    used = {d.name: {st.member for st in p.steps} for d, p in ((fwd, fpath), (bwd, bpath))}
    misplaced: set[int] = set()
    extra: dict[str, set[int]] = {"forward": set(), "backward": set()}
    for d, p in ((fwd, fpath), (bwd, bpath)):
        for st in p.skips:
            i = st.member
            assert i is not None
            m = members[i]
            if st.near == 0.0 and len(allowed_directions(m)) == 2:
                extra[d.name].add(i)  # hangs off the path where it stands: a spur or an alternative
                continue
            d.passed_over.append(m.ref)
            if set(m.refs) & p.nodes and len(allowed_directions(m)) == 2:
                misplaced.add(i)
        for i in present:
            m = members[i]
            if i in used[d.name] or not allowed_directions(m):
                continue
            if (m.role in DIRECTION_ROLES or (_roundabout(m) and not _closed(m))) and \
                    not {m.refs[0], m.refs[-1]} <= p.nodes:
                d.passed_over.append(m.ref)  # not the other direction's branch: nothing here covers it
        d.continuous = bool(d.members) and not d.breaks and not d.passed_over
    unordered = False
    if (fwd.breaks or bwd.breaks) and not misplaced and geometry.pieces == 1:
        loose = [_walk(members, o, any_direction=True) for o in (present, present[::-1])]
        unordered = any(s.key[0] > 0 for s in loose)
    _direction_findings(rel, (fwd, fpath), (bwd, bpath), used, misplaced, extra, unordered, problems)
    _member_findings(rel, problems)
    _tag_findings(rel, problems)
    problems = list(dict.fromkeys(problems))
    order = {r: k for k, r in enumerate(RULES)}
    index = {m.ref: k for k, m in enumerate(members)}
    problems.sort(key=lambda f: (-1 if f.member is None else index.get(f.member, len(members)), order[f.rule]))
    return RelationCheck(rel.id, dict(rel.tags), fwd, bwd, geometry, problems)


def _way_label(m: Member) -> str:
    from radweg.io.text import printable

    name = m.tags.get("name") or m.tags.get("ref")
    return f"way {m.ref}" + (f" ({printable(name)})" if name else "")


def _direction_findings(rel: RouteRelation, forward: tuple[Direction, _Path], backward: tuple[Direction, _Path],
                        used: dict[str, set[int | None]], misplaced: set[int], extra: dict[str, set[int]],
                        unordered: bool, out: list[Finding]) -> None:
    from radweg.osm.graph import oneway

    fwd, bwd = forward[0], backward[0]
    members = rel.members
    by_ref = {m.ref: m for m in members}
    for d in (fwd, bwd):
        for b in d.breaks:
            after = by_ref[b.after]
            where = f"from way {b.before} " if b.before is not None else ""
            out.append(Finding("gap", b.after, f"{d.name}: no connection {where}to {_way_label(after)} "
                                               f"({_fmt_m(b.distance_m)} apart)"))
    if unordered:
        ref = (fwd.breaks or bwd.breaks)[0].after
        out.append(Finding("unordered-members", ref, "the member ways all touch but the route breaks in member "
                                                     f"order (first at way {ref}); sort the members"))
    for i, m in enumerate(members):
        if not m.refs:
            continue
        dirs = allowed_directions(m)
        ridden = [name for name in ("forward", "backward") if i in used[name]]
        phys = oneway(m.tags)
        tag = m.tags.get("oneway:bicycle") and "oneway:bicycle=" + m.tags["oneway:bicycle"] or \
            (f"oneway={m.tags['oneway']}" if "oneway" in m.tags else
             (f"junction={m.tags['junction']}" if "junction" in m.tags else "a contraflow rule"))
        if m.role not in DIRECTION_ROLES | BRANCH_ROLES and phys != 0 and m.tags.get("junction") not in (
                "roundabout", "circular") and not _closed(m):
            out.append(Finding("missing-role", m.ref,
                               f"{_way_label(m)} is one-way for bicycles ({tag}) but has no role; give it role "
                               f"{'forward' if phys == 1 else 'backward'} and add the other direction's way"))
        if m.role in DIRECTION_ROLES and not dirs:
            out.append(Finding("contradicting-members", m.ref,
                               f"{_way_label(m)} has role {m.role} but is one-way the other way ({tag}): "
                               "no one can ride it"))
        elif m.role in DIRECTION_ROLES and not ridden:
            other = "backward" if m.role == "forward" else "forward"
            out.append(Finding("wrong-role", m.ref,
                               f"{_way_label(m)} has role {m.role} but neither direction can ride it in "
                               f"member order; role {other}, or a different place in the member list?"))
        elif m.role in DIRECTION_ROLES and phys == 0:
            missing = bwd if ridden == ["forward"] else fwd if ridden == ["backward"] else None
            if missing is not None and not missing.continuous:
                out.append(Finding("role-on-two-way", m.ref,
                                   f"{_way_label(m)} can be ridden both ways but has role {m.role}, so the "
                                   f"{missing.name} direction may not use it and is broken; drop the role "
                                   "unless the road is split into two one-way carriageways"))
        if not ridden and i in extra["forward"] and i in extra["backward"]:
            out.append(Finding("extra-member", m.ref,
                               f"{_way_label(m)} touches the route but neither direction rides it "
                               "(a spur, a parallel way or an alternative without a role)"))
        if i in misplaced:
            out.append(Finding("unordered-members", m.ref, f"{_way_label(m)} is not ridden where it stands in the "
                                                           "member list: it belongs elsewhere in the order"))
        for d in (fwd, bwd):
            if m.ref in d.passed_over and i not in misplaced:
                why = f"role {m.role}" if m.role else ("one-way" if len(dirs) == 1 else "no role")
                out.append(Finding("not-ridden", m.ref, f"{d.name}: {_way_label(m)} ({why}) cannot be ridden in "
                                                        "this direction in member order, and no other member "
                                                        "covers it"))
    for d, path in (forward, backward):
        for st in path.steps:
            m = members[st.member or 0]
            last = len(m.refs) - 1
            if not _closed(m) and (st.entry not in (0, last) or st.exit not in (0, last)):
                msg = f"{d.name}: the route joins or leaves {_way_label(m)} in its middle; split the way there"
                if Finding("partial-way", m.ref, msg) not in out:
                    out.append(Finding("partial-way", m.ref, msg))


def _member_findings(rel: RouteRelation, out: list[Finding]) -> None:
    seen: dict[int, list[str]] = {}
    for m in rel.members:
        seen.setdefault(m.ref, []).append(m.role)
    for ref, roles in seen.items():
        if len(roles) > 1:
            if "forward" in roles and "backward" in roles:
                out.append(Finding("contradicting-members", ref,
                                   f"way {ref} is a member twice, with roles forward and backward: a way ridden "
                                   "both ways needs one member without a role"))
            else:
                out.append(Finding("duplicate-member", ref, f"way {ref} is a member {len(roles)} times "
                                                            "(fine for an out-and-back, else remove one)"))
    for m in rel.members:
        if not m.refs:
            out.append(Finding("member-missing", m.ref, f"way {m.ref} is not in the file (cut at the extract's "
                                                        "border?): this part cannot be checked"))
            continue
        t = m.tags
        if m.role not in KNOWN_ROLES:
            out.append(Finding("unknown-role", m.ref, f"{_way_label(m)} has role '{m.role}', which route "
                                                      "relations do not use; treated as no role"))
        hw = t.get("highway", "")
        allowed = t.get("bicycle") in _ALLOWED
        why = None
        if t.get("bicycle") == "no":
            why = "bicycle=no"
        elif hw in ("motorway", "motorway_link"):
            why = f"highway={hw}"
        elif hw in ("trunk", "trunk_link") and not allowed:
            why = f"highway={hw} without bicycle=yes"
        elif (t.get("access") in _NO_ACCESS or t.get("vehicle") in _NO_ACCESS) and not allowed:
            why = f"access={t.get('access') or t.get('vehicle')} without bicycle=yes"
        if why:
            out.append(Finding("bicycle-forbidden", m.ref, f"{_way_label(m)}: cyclists may not use it ({why})"))
        if hw == "steps":
            out.append(Finding("steps", m.ref, f"{_way_label(m)} is a flight of steps (highway=steps)"
                               + ("; it has a bicycle ramp" if t.get("ramp:bicycle") == "yes" else "")))
        if hw in ("proposed", "construction") or t.get("state") == "proposed" or "proposed" in t:
            what = f"highway={hw}" if hw in ("proposed", "construction") else "state=proposed"
            out.append(Finding("proposed", m.ref, f"{_way_label(m)} is not built yet ({what})"))
    for kind, ref, _role in rel.others:
        if kind == "relation":
            out.append(Finding("subrelation", None, f"member relation {ref} is not checked (check it on its own)"))


def _tag_findings(rel: RouteRelation, out: list[Finding]) -> None:
    t = rel.tags
    if not rel.members:
        subs = sum(1 for kind, _, _ in rel.others if kind == "relation")
        out.append(Finding("empty", None, "the relation has no way members" + (
            f"; it is made of {subs} member relations (a super-route): check those" if subs else "")))
    if t.get("state") == "proposed":
        out.append(Finding("proposed", None, "the whole route is only proposed (state=proposed)"))
    if not t.get("name"):
        out.append(Finding("missing-name", None, "no name=*"))
    if t.get("route") in CYCLE_ROUTES or not t.get("route"):
        if t.get("network") not in ("lcn", "rcn", "ncn", "icn"):
            got = f" (network={t['network']})" if t.get("network") else ""
            out.append(Finding("missing-network", None, f"no network=lcn|rcn|ncn|icn{got}"))
        if not t.get("ref"):
            out.append(Finding("missing-ref", None, "no ref=* (the number or code on the signs)"))
        if not t.get("cycle_network"):
            out.append(Finding("missing-cycle-network", None, "no cycle_network=* (e.g. DE:Sachsen-Anhalt)"))


def check_file(path: Path, *, relation_ids: Iterable[int] | None = None,
               route: str | None = None) -> list[RelationCheck]:
    """Check every route relation of an OSM file (by id, or all with ``route=…``), sorted by id."""
    ids = list(relation_ids) if relation_ids else None
    return [check(r) for r in read_relations(path, relation_ids=ids, route=None if ids else route)]


def verdict(rel: RouteRelation) -> str:
    """The travel-direction verdict of :func:`check` in a few words, for an import's report.

    E.g. ``continuous in both directions`` or ``forward continuous; backward: 1 break (347 m);
    2 errors (gap, missing-role)``.
    """
    res = check(rel)
    text = "continuous in both directions" if res.forward.continuous and res.backward.continuous else \
        f"{res.forward.summary()}; {res.backward.summary()}"
    errors = sorted({p.rule for p in res.problems if p.severity == "error"})
    warnings = sorted({p.rule for p in res.problems if p.severity == "warning"})
    if errors or warnings:
        text += "; " + ", ".join(errors + warnings)
    return text
