"""Growth arithmetic checked against numbers worked out by hand, with the awkward bases."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from metrics.growth import cagr, index_series, segment_summary, transform, yoy_series


def test_cagr_hand_computed():
    assert cagr(100, 121, 2) == pytest.approx(0.10)  # 100 * 1.1 * 1.1 = 121
    assert cagr(200, 100, 1) == pytest.approx(-0.5)
    assert cagr(100, 0, 2) == pytest.approx(-1.0)
    assert cagr(111, 536, 10) == pytest.approx((536 / 111) ** 0.1 - 1)


@pytest.mark.parametrize(
    ("first", "last", "years"), [(0, 5, 3), (-1, 5, 3), (100, 120, 0), (None, 5, 2), (5, None, 2), (float("nan"), 1, 2)]
)
def test_cagr_without_a_usable_base_is_none(first, last, years):
    assert cagr(first, last, years) is None


def test_index_first_year_is_100():
    assert index_series(pd.Series([50, 75, 100])).tolist() == [100.0, 150.0, 200.0]
    assert index_series(pd.Series([7])).tolist() == [100.0]  # one period
    assert index_series(pd.Series([], dtype=float)).empty


def test_index_with_a_zero_base_is_all_nan():
    assert index_series(pd.Series([0, 3, 4])).isna().all()


def test_yoy_percent_and_gaps():
    out = yoy_series(pd.Series([100, 110, 0, 50]))
    assert math.isnan(out[0]) and out[1] == pytest.approx(10.0) and out[2] == pytest.approx(-100.0)
    assert math.isnan(out[3])  # after a zero there is no rate


def test_transform_per_group():
    frame = pd.DataFrame(
        {"year": [2021, 2020, 2020, 2021], "subsector": ["a", "a", "b", "b"], "value": [30.0, 20.0, 4.0, 5.0]}
    )
    index = transform(frame, "value", "index", by="subsector")
    assert index["value"].tolist() == [100.0, 150.0, 100.0, 125.0]
    yoy = transform(frame, "value", "yoy", by="subsector")
    assert yoy["value"].tolist()[1] == pytest.approx(50.0) and yoy["value"].tolist()[3] == pytest.approx(25.0)
    assert transform(frame, "value", "absolute", by="subsector")["value"].tolist() == [20.0, 30.0, 4.0, 5.0]
    assert transform(frame.iloc[0:0], "value", "index", by="subsector").empty


def test_segment_summary_shares_and_growth():
    frame = pd.DataFrame(
        {
            "year": [2020, 2020, 2022, 2022],
            "subsector": ["software", "telecom", "software", "telecom"],
            "companies": [1, 1, 3, 1],
            "employees": [5, 50, 9, 40],
            "revenue_usd": [100.0, 0.0, 144.0, 600.0],
            "exports_usd": [0.0, 0.0, 10.0, 0.0],
        }
    )
    out = segment_summary(frame, 2020, 2022)
    assert out["subsector"].tolist() == ["telecom", "software"]  # largest revenue first
    assert out["revenue_share"].tolist() == pytest.approx([600 / 744 * 100, 144 / 744 * 100])
    assert out.loc[1, "revenue_cagr"] == pytest.approx(0.2)  # 100 -> 144 in two years
    assert pd.isna(out.loc[0, "revenue_cagr"])  # telecom started from zero: no rate
    assert segment_summary(frame, 2020, 2030).empty
