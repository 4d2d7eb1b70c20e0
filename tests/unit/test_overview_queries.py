"""The overview's and targets' queries against the seeded database, checked by direct SQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from data_loaders.queries.overview import company_series, freshness, recent_loads
from data_loaders.queries.targets import indicator_series, month_ends, targets

TODAY = date(2026, 11, 28)


def scalar(engine, sql: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def test_company_series_matches_registry(seeded_engine):
    frame = company_series(seeded_engine, 2015, 2025).set_index("year")
    active = scalar(
        seeded_engine,
        "SELECT COUNT(*) FROM it_company WHERE founded <= :d AND (closed IS NULL OR closed > :d)",
        d=date(2025, 12, 31),
    )
    jobs = scalar(seeded_engine, "SELECT SUM(employees) FROM it_company_year WHERE year = 2025")
    assert frame.loc[2025, "companies"] == active
    assert frame.loc[2025, "jobs"] == jobs
    assert list(frame.index) == list(range(2015, 2026))


def test_company_series_by_region_and_empty_years(seeded_engine):
    frame = company_series(seeded_engine, 2024, 2025, "TJ-GB").set_index("year")
    active = scalar(
        seeded_engine,
        "SELECT COUNT(*) FROM it_company WHERE region_code = 'TJ-GB' AND founded <= :d "
        "AND (closed IS NULL OR closed > :d)",
        d=date(2025, 12, 31),
    )
    assert frame.loc[2025, "companies"] == active
    # years before the registry starts: zero companies, not missing rows
    early = company_series(seeded_engine, 1990, 1990)
    assert early["companies"].tolist() == [0] and early["jobs"].tolist() == [0]


def test_freshness_and_recent_loads(seeded_engine):
    fresh = freshness(seeded_engine, TODAY).set_index("theme")
    assert set(fresh.index) >= {"connectivity", "it_sector", "park"}
    assert fresh.loc["it_sector", "data_until"] == date(2025, 12, 31)
    assert fresh.loc["park", "data_until"] <= TODAY  # signed future leases are not data yet
    loads = recent_loads(seeded_engine, 3)
    assert len(loads) == 3
    assert loads["loaded_at"].is_monotonic_decreasing


def test_indicator_series_dispatch(seeded_engine):
    internet = indicator_series(seeded_engine, "IT.NET.USER.ZS", "TJ", TODAY)
    latest = scalar(
        seeded_engine,
        "SELECT value FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND geo_code = 'TJ' AND is_current "
        "AND breakdown = 'total' ORDER BY period_start DESC LIMIT 1",
    )
    assert internet["value"].iloc[-1] == pytest.approx(latest)
    assert indicator_series(seeded_engine, "IT.NET.USER.ZS", "TJ-SU", TODAY).empty  # not published by region
    park = indicator_series(seeded_engine, "TJ.PARK.TENANTS", "TJ-DU", TODAY)
    assert park["period_end"].iloc[-1] == TODAY
    assert indicator_series(seeded_engine, "TJ.PARK.TENANTS", "TJ-SU", TODAY).empty
    companies = indicator_series(seeded_engine, "TJ.IT.COMP.ACTIVE", "TJ", TODAY)
    assert companies["period"].iloc[-1] == "2025"


def test_targets_carry_indicator_metadata(seeded_engine):
    frame = targets(seeded_engine, "ru")
    assert {"name", "unit", "direction", "illustrative", "geo_name"} <= set(frame.columns)
    demo = frame[frame["source_code"] == "DEMO-TARGETS"]
    assert len(demo) and demo["illustrative"].all()


def test_month_ends():
    assert month_ends(date(2025, 11, 7), date(2026, 2, 10)) == [
        date(2025, 11, 30),
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 10),
    ]
    assert month_ends(date(2026, 2, 1), date(2026, 2, 10)) == [date(2026, 2, 10)]
