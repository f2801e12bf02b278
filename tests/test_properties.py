"""Property tests: loading and saving is byte-stable for any valid data."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from radweg.io.geojson import dump_collection, parse_collection
from radweg.model import (
    NETWORK_LEVELS,
    POI_TYPES,
    STATUSES,
    SURFACES,
    Collection,
    Leg,
    Neighbour,
    Place,
    Poi,
    Segment,
    Stage,
    Tour,
)

ids = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
lon = st.floats(-180, 180, allow_nan=False)
lat = st.floats(-90, 90, allow_nan=False)
ele = st.floats(-400, 9000, allow_nan=False)
pos2 = st.tuples(lon, lat)
line2 = st.lists(pos2, min_size=2, max_size=6, unique_by=lambda p: (round(p[0], 6), round(p[1], 6)))
line3 = st.lists(st.tuples(lon, lat, ele), min_size=2, max_size=6,
                 unique_by=lambda p: (round(p[0], 6), round(p[1], 6)))

segments = st.builds(Segment, id=ids, name=text, coords=st.one_of(line2, line3).map(tuple),
                     status=st.sampled_from(STATUSES), surface=st.none() | st.sampled_from(SURFACES),
                     notes=st.none() | text, extra=st.dictionaries(st.from_regex(r"x_[a-z]{1,5}", fullmatch=True),
                                                                    st.none() | st.integers() | text, max_size=2))
pois = st.builds(Poi, id=ids, name=text, type=st.sampled_from(POI_TYPES), coords=pos2,
                 description=st.none() | text, height_m=st.none() | st.floats(0, 300, allow_nan=False),
                 approx=st.booleans())
neighbours = st.builds(Neighbour, id=ids, name=text,
                       lines=st.lists(line2.map(tuple), min_size=1, max_size=3).map(tuple),
                       network=st.none() | st.sampled_from(NETWORK_LEVELS), osm_id=st.none() | st.integers(1, 2**40))
places = st.builds(Place, name=text, coords=pos2)
tours = st.builds(Tour, id=ids, name=text, legs=st.lists(st.builds(Leg, segment=ids, reverse=st.booleans()),
                                                         min_size=1, max_size=5).map(tuple),
                  stages=st.lists(st.builds(Stage, id=ids, name=text, start=places, end=places), max_size=3,
                                  unique_by=lambda s: s.id).map(tuple))

STRATEGIES = {"segments": segments, "pois": pois, "neighbours": neighbours, "tours": tours}


def _check(kind: str, items: list) -> None:
    first = dump_collection(Collection(items, {"note": "x"}))
    coll, problems = parse_collection(first.encode(), kind, "f")
    assert problems == []
    second = dump_collection(coll)
    assert second == first
    third = dump_collection(parse_collection(second.encode(), kind, "f")[0])
    assert third == second


@settings(max_examples=60, deadline=None)
@given(st.lists(segments, max_size=5, unique_by=lambda s: s.id))
def test_segments_round_trip_byte_stable(items: list) -> None:
    _check("segments", items)


@settings(max_examples=60, deadline=None)
@given(st.lists(pois, max_size=5, unique_by=lambda s: s.id))
def test_pois_round_trip_byte_stable(items: list) -> None:
    _check("pois", items)


@settings(max_examples=40, deadline=None)
@given(st.lists(neighbours, max_size=4, unique_by=lambda s: s.id))
def test_neighbours_round_trip_byte_stable(items: list) -> None:
    _check("neighbours", items)


@settings(max_examples=40, deadline=None)
@given(st.lists(tours, max_size=4, unique_by=lambda s: s.id))
def test_tours_round_trip_byte_stable(items: list) -> None:
    _check("tours", items)


@settings(max_examples=40, deadline=None)
@given(st.lists(segments, min_size=1, max_size=5, unique_by=lambda s: s.id), st.randoms())
def test_feature_order_does_not_change_the_file(items: list, rnd) -> None:  # type: ignore[no-untyped-def]
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert dump_collection(Collection(items)) == dump_collection(Collection(shuffled))
