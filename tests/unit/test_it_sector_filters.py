"""The IT-sector view's query string: what a link says is what the view shows, and each part of
the view is told only about the filters it reads."""

from __future__ import annotations

from components.it_sector_filters import SLICES, query_values, read_filters, slice_of
from components.query_string import query_params, search_string

REGIONS = ["TJ-DU", "TJ-KT"]


def filters(search: str) -> dict:
    return read_filters(query_params(search), 2015, 2025, REGIONS)


def test_defaults_and_malformed_values_fall_back():
    f = filters("?from=abc&to=1800&region=XX&subsector=nope&view=zzz&measure=1&park=yes&lang=xx")
    assert f.pop("lang") == filters("")["lang"]  # an unknown language is the default one
    assert f == {
        "first": 2015,
        "last": 2025,
        "region": None,
        "subsector": None,
        "park": False,
        "measure": "companies",
        "view": "absolute",
    }


def test_period_is_ordered_and_valid_values_are_kept():
    f = filters("?from=2023&to=2018&region=TJ-KT&subsector=software&park=1&measure=jobs&view=yoy&lang=ru")
    assert (f["first"], f["last"]) == (2018, 2023)
    assert (f["region"], f["subsector"], f["park"], f["measure"], f["view"], f["lang"]) == (
        "TJ-KT",
        "software",
        True,
        "jobs",
        "yoy",
        "ru",
    )


def test_written_query_keeps_lang_and_unknown_keys_and_leaves_defaults_out():
    f = filters("?from=2023&to=2018&lang=tg&utm=x&view=absolute")
    written = search_string("?lang=tg&utm=x&view=absolute", **query_values(f))
    assert query_params(written) == {"lang": "tg", "utm": "x", "from": "2018", "to": "2023"}
    # read back, the written query gives the same view
    assert filters(written) == f


def test_a_round_trip_keeps_every_filter():
    f = filters("?from=2019&to=2024&region=TJ-DU&subsector=fintech&park=1&measure=exports&view=index&lang=en")
    assert filters(search_string("?lang=en", **query_values(f))) == f


def test_slices_hold_only_what_each_part_reads():
    before = filters("?lang=en")
    after = filters("?lang=en&region=TJ-KT")
    changed = {store for store in SLICES if slice_of(before, store) != slice_of(after, store)}
    # the region chart shows every region for the year: the region only moves its highlight
    assert changed == {"it-f-place", "it-f-cagr", "it-f-growth", "it-f-sizes", "it-f-highlight"}
    view = filters("?lang=en&view=yoy")
    assert {store for store in SLICES if slice_of(before, store) != slice_of(view, store)} == {"it-f-growth"}
    start = filters("?lang=en&from=2018")
    assert "it-f-sizes" not in {store for store in SLICES if slice_of(before, store) != slice_of(start, store)}
