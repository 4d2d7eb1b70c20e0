"""The same loader for targets, reference tables and the raw registry tables."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data_loaders import models as m
from data_loaders.datasets import detect_kind
from data_loaders.load import load_file
from tests.unit.test_loader_observations import table_counts, write


def test_kind_is_detected_from_the_columns():
    assert detect_kind(["indicator_code", "geo_code", "period", "value"]) == "observations"
    assert detect_kind(["indicator_code", "geo_code", "year", "value", "document"]) == "targets"
    assert detect_kind(["lease_id", "unit_code", "tenant_code", "start_date"]) == "park_leases"
    assert detect_kind(["company_id", "year", "employees", "revenue_usd"]) == "it_company_years"
    assert detect_kind(["something", "else"]) == "observations"


def test_targets_load_and_a_target_outside_bounds_is_rejected(reference_engine, tmp_path):
    text = (
        "indicator_code,geo_code,year,value,document,illustrative\n"
        "IT.NET.USER.ZS,TJ,2030,75,Illustrative,yes\n"
        "TJ.IT.JOBS,TJ,2030,20000,Illustrative,yes\n"
    )
    report = load_file(reference_engine, write(tmp_path, text), source="DEMO-TARGETS")
    assert report.ok, report.summary()
    with reference_engine.connect() as connection:
        rows = connection.execute(select(m.Target.indicator_code, m.Target.value, m.Target.illustrative)).all()
    assert sorted(tuple(r) for r in rows) == [("IT.NET.USER.ZS", 75.0, True), ("TJ.IT.JOBS", 20000.0, True)]
    bad = load_file(reference_engine, write(tmp_path, text.replace(",75,", ",175,"), "bad.csv"))
    assert [(p.row, p.column) for p in bad.problems] == [(2, "value")]


def test_geo_parent_must_exist_in_the_database_or_the_file(reference_engine, tmp_path):
    text = "code,level,parent_code,name_en,name_ru,name_tg\nTJ-SU-99,district,TJ-XX,New,Новый,Нав\n"
    before = table_counts(reference_engine)
    report = load_file(reference_engine, write(tmp_path, text))
    assert [(p.row, p.column) for p in report.problems] == [(2, "parent_code")]
    assert table_counts(reference_engine) == before


def test_indicator_with_unknown_theme_or_value_type_is_rejected(reference_engine, tmp_path):
    text = (
        "code,theme,name_en,name_ru,name_tg,unit_en,unit_ru,unit_tg,value_type,source_code\n"
        "X.ONE,weather,a,b,c,u,u,u,percent,WB-WDI\n"
        "X.TWO,connectivity,a,b,c,u,u,u,ratio,WB-WDI\n"
    )
    report = load_file(reference_engine, write(tmp_path, text))
    assert [(p.row, p.column) for p in report.problems] == [(2, "theme"), (3, "value_type")]


COMPANIES = "company_id,name,subsector,region_code,founded,closed\n"


def test_company_registry_rows_are_checked(reference_engine, tmp_path):
    text = (
        COMPANIES
        + "C1,Alpha Soft,software,TJ-DU,2020-01-15,\n"
        + "C2,Beta,robots,TJ-DU,2020-01-15,\n"
        + "C3,Gamma,fintech,TJ-SU-01,2020-01-15,\n"
        + "C4,Delta,telecom,TJ-SU,2021-05-01,2020-01-01\n"
        + "C5,Epsilon,telecom,TJ-SU,2021-02-30,\n"
    )
    report = load_file(reference_engine, write(tmp_path, text), source="DEMO-SYNTHETIC")
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "subsector"),
        (4, "region_code"),
        (5, "closed"),
        (6, "founded"),
    ]


def test_raw_table_without_any_source_is_rejected(reference_engine, tmp_path):
    report = load_file(reference_engine, write(tmp_path, COMPANIES + "C1,Alpha,software,TJ-DU,2020-01-15,\n"))
    assert report.problems[0].column == "source_code" and "--source" in report.problems[0].reason


def test_company_years_need_a_known_company_and_exports_within_revenue(reference_engine, tmp_path):
    assert load_file(
        reference_engine, write(tmp_path, COMPANIES + "C1,Alpha,software,TJ-DU,2020-01-15,\n"), source="DEMO-SYNTHETIC"
    ).ok
    text = (
        "company_id,year,employees,revenue_usd,exports_usd\n"
        "C1,2021,10,100000,20000\n"
        "C9,2021,10,100000,20000\n"
        "C1,2022,10,100000,200000\n"
        "C1,2023,-3,100000,0\n"
    )
    report = load_file(reference_engine, write(tmp_path, text, "years.csv"), source="DEMO-SYNTHETIC")
    assert [(p.row, p.column) for p in report.problems] == [(3, "company_id"), (4, "exports_usd"), (5, "employees")]


@pytest.mark.parametrize("kind", ["sources", "indicators", "geo"])
def test_reloading_reference_data_updates_in_place(reference_engine, kind):
    from data_loaders.seed import SEED_DIR

    report = load_file(reference_engine, SEED_DIR / "reference" / f"{'geo' if kind == 'geo' else kind}.csv", kind=kind)
    assert report.ok and report.stats.inserted == 0 and report.stats.updated > 0
