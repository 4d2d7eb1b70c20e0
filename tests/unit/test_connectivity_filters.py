"""The connectivity view's filters: the query string read and written, what a control or a map
click asks for, and which parts a change redraws (the slice of the filters each part reads)."""

from __future__ import annotations

from components.connectivity_filters import (
    MAP_SLICE,
    OUTLINE_SLICE,
    PLACE_SLICE,
    PROFILE_SLICE,
    RANKING_SLICE,
    asked_filters,
    parse_filters,
    slices_of,
)
from components.query_string import search_string

PERIODS = ["2024-Q1", "2024-Q2", "2024-Q3"]
DISTRICTS = {"TJ-KT-05": "TJ-KT", "TJ-RA-05": "TJ-RA"}


def parse(**params) -> dict:
    return parse_filters({"lang": "en", **params}, PERIODS, DISTRICTS)


def test_parse_filters_defaults_and_fallbacks():
    assert parse() == {
        "metric": "4g",
        "from": "2024-Q1",
        "to": "2024-Q3",
        "region": None,
        "district": None,
        "lang": "en",
    }
    bad = parse(metric="nope", **{"from": "1999-Q9"}, to="x", region="TJ-XX", district="TJ-KT-99")
    assert bad == parse()
    assert parse(**{"from": "2024-Q3", "to": "2024-Q1"})["from"] == "2024-Q1"  # swapped into order
    assert parse(district="TJ-KT-05", region="TJ-RA")["region"] == "TJ-KT"  # the district's region wins
    assert parse(metric=["3g", "4g"])["metric"] == "3g"  # a repeated key: the first value
    assert parse_filters({}, [], {})["from"] is None


def test_search_string_keeps_other_keys_and_drops_empty_values():
    assert search_string("?lang=ru&x=1&metric=3g", metric=None, region="TJ-KT") == "?lang=ru&x=1&region=TJ-KT"
    assert search_string("", metric=None) == ""
    assert search_string(None, to="2024-Q2") == "?to=2024-Q2"


def test_asked_filters_of_controls_and_map_clicks():
    values = {"metric": "4g", "from": "2024-Q1", "to": "2024-Q3", "region": "TJ-KT", "district": "TJ-KT-05"}
    assert asked_filters(values, "map", "TJ-RA-05") == {**values, "region": "TJ-RA", "district": "TJ-RA-05"}
    assert asked_filters(values, "map", "TJ-DU")["district"] is None  # Dushanbe is a region and a unit
    assert asked_filters({**values, "region": "TJ-RA"}, "region")["district"] is None  # not in the new region
    assert asked_filters({**values, "region": None, "district": "TJ-RA-05"}, "district")["region"] == "TJ-RA"
    assert asked_filters(values, "metric") == values
    assert set(asked_filters(values, "reset").values()) == {None}


def test_each_change_touches_only_the_slices_that_read_it():
    base = parse(region="TJ-KT", district="TJ-KT-05")

    def changed(**new) -> set[str]:
        before, after = slices_of(base), slices_of({**base, **new})
        return {store for store in before if before[store] != after[store]}

    assert changed(metric="3g") == {MAP_SLICE, PROFILE_SLICE}
    assert changed(metric="uncovered") == {MAP_SLICE}  # its profile is the 4G profile
    assert changed(to="2024-Q2") == {PLACE_SLICE, MAP_SLICE, PROFILE_SLICE, RANKING_SLICE}
    assert changed(**{"from": "2024-Q2"}) == {PLACE_SLICE, PROFILE_SLICE}
    assert changed(district="TJ-KT-06") == {PLACE_SLICE, PROFILE_SLICE, OUTLINE_SLICE}  # same region
    assert changed(region="TJ-RA", district=None) == {PLACE_SLICE, PROFILE_SLICE, OUTLINE_SLICE, RANKING_SLICE}
    assert slices_of({**base, "region": "TJ-DU", "district": None})[OUTLINE_SLICE] == {"selected": "TJ-DU"}
