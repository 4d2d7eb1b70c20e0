"""Builders of the park view as plain functions: geometry of the floor plan, month filling of the
expiry chart, KPI values and status, tenant search, and the edge cases (no rows, one period)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from components.kpi_card import kpi_card
from components.park_figures import (
    expiry_figure,
    floor_plan_figure,
    floor_rows,
    month_starts,
    occupancy_figure,
    tenant_mix_figure,
)
from components.park_panels import (
    filter_tenants,
    outline_changes,
    rent_kpi,
    tenant_table,
    unit_detail,
    unit_options,
    unit_outlines,
    unit_point,
)

NAMES = {"B1": "Building A", "B2": "Building B"}


def _units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_code": ["B1-1-02", "B1-1-01", "B1-2-01", "B2-1-01"],
            "building_code": ["B1", "B1", "B1", "B2"],
            "floor": [1, 1, 2, 1],
            "area_m2": [50.0, 100.0, 30.0, 200.0],
            "status": ["vacant", "ending", "reserved", "leased"],
            "tenant": [None, "Alpha Soft", "Gamma Labs", "Beta Pay"],
            "lease_end": [None, date(2025, 6, 30), None, None],
        }
    )


def test_park_floor_rows_stack_units_along_each_floor():
    rows = floor_rows(_units(), NAMES, "en").set_index("unit_code")
    # on B1 floor 1 the units follow their code order: 01 (100 m²) first, then 02 from 100 m²
    assert rows.loc["B1-1-01", "base"] == 0
    assert rows.loc["B1-1-02", "base"] == 100
    assert rows.loc["B1-2-01", "base"] == 0
    assert rows.loc["B2-1-01", "row"] == "Building B · floor 1"


def test_park_floor_plan_one_trace_per_status_with_hover_data():
    fig = floor_plan_figure(_units(), NAMES, "en")
    assert [trace.name for trace in fig.data] == ["Leased", "Lease ends within 90 days", "Reserved", "Vacant"]
    ending = fig.data[1]
    unit, tenant, area, end, status = ending.customdata[0]
    assert (unit, tenant, area, end, status) == (
        "B1-1-01",
        "Alpha Soft",
        "100.0",
        "June 30, 2025",
        "Lease ends within 90 days",
    )
    assert fig.data[2].customdata[0][3] == "open-ended"  # a reservation without end
    assert fig.data[3].customdata[0][1] == "no tenant"
    # top floor of the first building at the top: plotly lists categories bottom-up
    assert list(fig.layout.yaxis.categoryarray) == [
        "Building B · floor 1",
        "Building A · floor 1",
        "Building A · floor 2",
    ]
    assert fig.layout.height == 90 + 30 * 3


def test_park_floor_plan_without_units_says_so():
    fig = floor_plan_figure(_units().iloc[0:0], NAMES, "en")
    assert fig.layout.annotations[0].text == "No data for this selection"


def test_park_expiry_figure_fills_every_month_with_zero():
    frame = pd.DataFrame(
        {"year": [2026, 2027], "month": [12, 3], "area_m2": [61.0, 45.6], "tenants": [1, 2], "jobs": [7, 6]}
    )
    fig = expiry_figure(frame, date(2026, 11, 28), 24, "en")
    bars = fig.data[0]
    assert len(bars.x) == 25  # November 2026 to November 2028
    assert list(bars.y[:5]) == [0, 61.0, 0, 0, 45.6]
    assert list(bars.text[:5]) == ["", "1", "", "", "2"]
    assert "61 m² · 1 tenants · 7 jobs" in bars.customdata[1]


def test_park_expiry_figure_without_expiries():
    fig = expiry_figure(pd.DataFrame(columns=["year", "month", "area_m2", "tenants", "jobs"]), date(2026, 1, 31), 2)
    assert list(fig.data[0].y) == [0, 0, 0]
    assert month_starts(date(2026, 1, 31), 2) == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]


def test_park_occupancy_figure_lines_targets_and_empty():
    frame = pd.DataFrame(
        {
            "as_of": [date(2025, 4, 30), date(2025, 5, 31), date(2025, 4, 30)],
            "series": ["Whole park", "Whole park", "Building A"],
            "occupancy_pct": [20.0, 25.0, 30.0],
        }
    )
    targets = pd.DataFrame({"year": [2026], "value": [80.0]})
    fig = occupancy_figure(frame, date(2025, 5, 31), targets, "en")
    assert [trace.name for trace in fig.data] == ["Whole park", "Building A", "Target"]
    assert list(fig.data[0].y) == [20.0, 25.0]
    assert fig.data[2].x[0] == pd.Timestamp(2026, 12, 31)
    # one period only still draws a point
    assert len(occupancy_figure(frame.iloc[2:], date(2025, 4, 30), None, "en").data[0].x) == 1
    assert occupancy_figure(frame.iloc[0:0], date(2025, 4, 30)).layout.annotations[0].text


def test_park_tenant_mix_figure_stacks_size_bands_by_sector():
    frame = pd.DataFrame(
        {
            "sector": ["fintech", "software", "software"],
            "size_band": ["1-9", "1-9", "10-49"],
            "tenants": [1, 2, 3],
            "area_m2": [10.0, 20.0, 30.0],
            "jobs": [5, 10, 40],
        }
    )
    fig = tenant_mix_figure(frame, "en")
    assert [trace.name for trace in fig.data] == ["1–9 jobs", "10–49 jobs"]
    assert list(fig.data[0].y) == ["Fintech", "Software"]  # largest sector last: at the top
    assert list(fig.data[1].x) == [0, 3]
    assert tenant_mix_figure(frame.iloc[0:0], "en").layout.annotations[0].text == "No tenants at this date"


def _series(values: list[float]) -> pd.DataFrame:
    days = [date(2026, m, 28) for m in range(1, len(values) + 1)]
    return pd.DataFrame(
        {
            "as_of": days,
            "occupancy_pct": values,
            "tenants": [10 * v for v in values],
            "jobs": [100 * v for v in values],
            "rent_usd_m2": [12.0] * len(values),
        }
    )


def test_rent_card_value_change_and_flag_from_the_caller():
    rent = rent_kpi(_series([60.0, 70.0, 85.0]), date(2026, 3, 28), True, "en")
    assert (rent.value, rent.previous, rent.progress) == (12.0, 12.0, None)
    assert rent.synthetic and rent.period == "at March 28, 2026"
    assert not rent_kpi(_series([60.0]), date(2026, 1, 28), False, "en").synthetic
    assert kpi_card(rent, "k", "en") is not None


def test_rent_card_no_data_and_a_series_short_of_the_date():
    assert rent_kpi(_series([]), date(2026, 1, 28), True, "en").value is None
    # a series not reaching the date (before the opening) shows no value rather than an old one
    assert rent_kpi(_series([40.0]), date(2026, 2, 1), True, "en").value is None


RECORDS = [
    {"tenant_code": "T1", "name": "Alpha Soft", "sector": "software", "size_band": "1-9", "units": 1, "area_m2": 10.0,
     "jobs": 3, "rent_usd_m2": 12.0, "next_end": ""},
    {"tenant_code": "T2", "name": "Beta Pay", "sector": "fintech", "size_band": "10-49", "units": 2, "area_m2": 20.0,
     "jobs": 12, "rent_usd_m2": 10.5, "next_end": "2027-04-06"},
]  # fmt: skip


@pytest.mark.parametrize(("text", "codes"), [("", ["T1", "T2"]), ("beta", ["T2"]), ("SOFT", ["T1"]), ("zzz", [])])
def test_park_filter_tenants(text, codes):
    assert [r["tenant_code"] for r in filter_tenants(RECORDS, text)] == codes


def test_park_tenant_table_formats_and_empty():
    table = str(tenant_table(RECORDS, "en"))
    assert "Beta Pay" in table and "Fintech" in table and "April 6, 2027" in table and "open-ended" in table
    assert "No tenant matches." in str(tenant_table([], "en"))


def test_park_unit_detail_from_click():
    point = {"customdata": ["B1-1-01", "Alpha Soft", "100.0", "June 30, 2025", "Leased"]}
    text = str(unit_detail(point, "en"))
    assert "B1-1-01" in text and "Alpha Soft" in text and "June 30, 2025" in text
    assert "Click a unit" in str(unit_detail(None, "en"))


def test_park_unit_list_names_every_unit_of_the_plan_with_its_status_in_words():
    fig = floor_plan_figure(_units(), NAMES, "en")
    options = unit_options(fig, "en")
    assert [o["value"] for o in options] == ["B1-1-01", "B1-1-02", "B1-2-01", "B2-1-01"]
    assert options[0]["label"] == "B1-1-01 · Lease ends within 90 days · Alpha Soft"
    assert options[1]["label"] == "B1-1-02 · Vacant · no tenant"
    assert unit_options(fig.to_plotly_json(), "en") == options  # the figure as a callback's state gives it
    tajik = unit_options(floor_plan_figure(_units(), NAMES, "tg"), "tg")
    assert "Leased" not in tajik[-1]["label"] and tajik[-1]["label"].endswith("Beta Pay")
    assert unit_options(floor_plan_figure(_units().iloc[0:0], NAMES, "en"), "en")[0]["disabled"] is True


def test_park_a_unit_chosen_in_the_list_shows_what_its_click_shows():
    fig = floor_plan_figure(_units(), NAMES, "en").to_plotly_json()
    point = unit_point(fig, "B2-1-01")
    clicked = {"customdata": list(fig["data"][0]["customdata"][0])}  # what a click on B2-1-01 sends
    assert point == clicked and str(unit_detail(point, "en")) == str(unit_detail(clicked, "en"))
    assert "Beta Pay" in str(unit_detail(point, "en"))
    assert unit_point(fig, "NOPE") is None and unit_point(fig, None) is None


def test_park_the_chosen_unit_is_framed_on_the_plan():
    fig = floor_plan_figure(_units(), NAMES, "en").to_plotly_json()
    lines = unit_outlines(fig, "B1-1-02")  # traces: leased, ending, reserved, vacant
    assert len(lines) == len(fig["data"])
    assert lines[3] == {"color": ["#212529"], "width": [4]}  # the only vacant unit
    assert all(line == {"color": "white", "width": 2} for i, line in enumerate(lines) if i != 3)
    assert all(line == {"color": "white", "width": 2} for line in unit_outlines(fig, None))


def test_park_only_outlines_that_change_are_patched():
    fig = floor_plan_figure(_units(), NAMES, "en").to_plotly_json()
    assert outline_changes(fig, None) == {}  # a plan just drawn frames nothing: no patch at all
    assert outline_changes(None, "B1-1-02") == {}  # no plan (the page was left): nothing to patch
    changes = outline_changes(fig, "B1-1-02")
    assert changes == {3: {"color": ["#212529"], "width": [4]}}
    fig["data"][3]["marker"]["line"] = changes[3]  # what the browser holds after the patch
    assert outline_changes(fig, "B1-1-02") == {}
    assert outline_changes(fig, None) == {3: {"color": "white", "width": 2}}  # cleared: the frame goes
