"""Connectivity queries against real databases: a tiny hand-made data set whose answers are worked
out by hand, and the seeded data checked against plain SQL rows weighted in the test."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import text

from data_loaders.load import load_file
from data_loaders.queries import connectivity as q

FOUR_G = "TJ.MOB.4G.POP.ZS"
HEADER = "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment\n"
# Two GBAO districts and Dushanbe; population and 4G coverage chosen for easy sums.
ROWS = [
    ("TJ.POP.MODEL", "TJ-GB-01", "2025", 1000, "total"),
    ("TJ.POP.MODEL", "TJ-GB-02", "2025", 3000, "total"),
    ("TJ.POP.MODEL", "TJ-DU", "2025", 6000, "total"),
    (FOUR_G, "TJ-GB-01", "2025-Q1", 50, "total"),
    (FOUR_G, "TJ-GB-02", "2025-Q1", 90, "total"),
    (FOUR_G, "TJ-DU", "2025-Q1", 99, "total"),
    (FOUR_G, "TJ-GB-01", "2025-Q2", 60, "total"),
    (FOUR_G, "TJ-GB-02", "2025-Q2", 90, "total"),
    (FOUR_G, "TJ-DU", "2025-Q2", 100, "total"),
    (FOUR_G, "TJ-GB-01", "2025-Q2", 40, "rural"),
    (FOUR_G, "TJ-GB-02", "2025-Q2", 80, "rural"),
    ("TJ.MOB.2G.POP.ZS", "TJ-GB-01", "2025-Q2", 95, "total"),
]


@pytest.fixture
def small(reference_engine, tmp_path):
    path = tmp_path / "small.csv"
    lines = [f"{i},{g},{p},{v},{b},,DEMO-SYNTHETIC,\n" for i, g, p, v, b in ROWS]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    report = load_file(reference_engine, path, kind="observations")
    assert report.ok, report.summary()
    return reference_engine


def test_weighted_country_region_and_unit_by_hand(small):
    country = q.weighted_series(small, FOUR_G)
    # 2025-Q1: (1000*50 + 3000*90 + 6000*99) / 10000 = (50000 + 270000 + 594000) / 10000 = 91.4
    assert country["period"].tolist() == ["2025-Q1", "2025-Q2"]
    assert country["value"].tolist() == pytest.approx([91.4, 93.0])  # Q2: (60000 + 270000 + 600000) / 10000
    assert country["population"].tolist() == [10000, 10000]
    region = q.weighted_series(small, FOUR_G, "region", first="2025-Q2")
    by_geo = region.set_index("geo_code")["value"]
    assert by_geo["TJ-GB"] == pytest.approx((60_000 + 270_000) / 4000)  # 82.5
    assert by_geo["TJ-DU"] == pytest.approx(100)
    unit = q.weighted_series(small, FOUR_G, "unit", geo_codes=["TJ-GB-01"])
    assert unit["value"].tolist() == [50, 60]


def test_weighted_rural_and_filters(small):
    rural = q.weighted_series(small, FOUR_G, "country", "rural")
    assert rural["value"].tolist() == pytest.approx([(40_000 + 240_000) / 4000])  # 70.0, no rural Dushanbe
    assert q.weighted_series(small, FOUR_G, last="2024-Q4").empty
    assert q.weighted_series(small, "NO.SUCH.CODE").empty


def test_technology_mix_by_hand(small):
    mix = q.technology_mix(small, "unit", "TJ-GB-01", first="2025-Q2")
    assert dict(zip(mix["indicator_code"], mix["value"], strict=True)) == {"TJ.MOB.2G.POP.ZS": 95, FOUR_G: 60}


def test_unit_values_and_people_without_coverage_by_hand(small):
    values = q.unit_values(small, FOUR_G, "2025-Q1", "ru").set_index("geo_code")
    assert values.index.tolist() == ["TJ-DU", "TJ-GB-01", "TJ-GB-02"]
    assert values.at["TJ-GB-01", "uncovered"] == pytest.approx(500)  # 1000 * (100 - 50) / 100
    assert values.at["TJ-GB-02", "uncovered"] == pytest.approx(300)
    assert values.at["TJ-DU", "uncovered"] == pytest.approx(60)
    assert values.at["TJ-DU", "region_code"] == "TJ-DU" and values.at["TJ-GB-01", "region_code"] == "TJ-GB"
    assert values.at["TJ-DU", "name"] == "Душанбе"
    assert q.unit_values(small, FOUR_G, "2030-Q1").empty


def test_priorities_rank_people_and_gap_by_hand(small):
    ranking = q.priorities(small, "2025-Q1", 95)
    assert ranking["geo_code"].tolist() == ["TJ-GB-01", "TJ-GB-02", "TJ-DU"]  # 500, 300, 60 people
    assert ranking["rank"].tolist() == [1, 2, 3]
    # gap to 95 %: 1000 * 45 / 100 = 450; 3000 * 5 / 100 = 150; Dushanbe at 99 % is past it
    assert ranking["gap_people"].tolist() == pytest.approx([450, 150, 0])
    only_gbao = q.priorities(small, "2025-Q1", 95, region="TJ-GB")
    assert only_gbao["geo_code"].tolist() == ["TJ-GB-01", "TJ-GB-02"]
    assert q.priorities(small, "2025-Q1", 95, region="TJ-SU").empty


def test_periods(small):
    assert q.periods(small) == ["2025-Q1", "2025-Q2"]
    assert q.periods(small, "NO.SUCH.CODE") == []


# ---------------------------------------------------------------- the seeded data, against plain SQL


def raw(engine, sql: str, **params) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql(text(sql), connection, params=params)


def raw_weighted(engine, indicator: str, period: str, breakdown: str = "total") -> pd.DataFrame:
    """Unit rows with their population, fetched with plain SQL; weighting is done by the test."""
    return raw(
        engine,
        "SELECT o.geo_code, g.level, g.parent_code, o.value, p.value AS pop FROM observation o "
        "JOIN geo g ON g.code = o.geo_code "
        "JOIN observation p ON p.geo_code = o.geo_code AND p.indicator_code = 'TJ.POP.MODEL' "
        "AND p.is_current AND p.period = :year "
        "WHERE o.indicator_code = :ind AND o.period = :period AND o.breakdown = :b AND o.is_current",
        ind=indicator,
        period=period,
        year=period[:4],
        b=breakdown,
    )


def test_seeded_weighted_matches_plain_sql(seeded_engine):
    rows = raw_weighted(seeded_engine, FOUR_G, "2026-Q3")
    assert len(rows) == 59
    expected = (rows["value"] * rows["pop"]).sum() / rows["pop"].sum()
    got = q.weighted_series(seeded_engine, FOUR_G, first="2026-Q3")
    assert got["value"].tolist() == pytest.approx([expected])
    gbao = rows[rows["parent_code"] == "TJ-GB"]
    region = q.weighted_series(seeded_engine, FOUR_G, "region", geo_codes=["TJ-GB"], first="2026-Q3")
    assert region["value"].iloc[0] == pytest.approx((gbao["value"] * gbao["pop"]).sum() / gbao["pop"].sum())


def test_seeded_rural_below_total_and_priorities_sorted(seeded_engine):
    total = q.weighted_series(seeded_engine, FOUR_G).set_index("period")["value"]
    rural = q.weighted_series(seeded_engine, FOUR_G, breakdown="rural").set_index("period")["value"]
    assert len(rural) == 35 and (rural <= total.loc[rural.index] + 1e-9).all()
    ranking = q.priorities(seeded_engine, "2026-Q3", 95)
    assert len(ranking) == 59 and ranking["uncovered"].is_monotonic_decreasing
    rows = raw_weighted(seeded_engine, FOUR_G, "2026-Q3").set_index("geo_code")
    top = ranking.iloc[0]
    assert top["uncovered"] == pytest.approx(rows.at[top["geo_code"], "pop"] * (100 - top["value"]) / 100)
    assert len(q.periods(seeded_engine)) == 35
