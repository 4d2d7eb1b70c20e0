"""The catalogue lists every indicator with the counts the database holds (checked with plain SQL)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import text

from data_loaders.queries import catalogue


def _scalar(engine, sql: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def test_catalogue_lists_every_indicator_with_its_counts(seeded_engine):
    frame = catalogue.catalogue(seeded_engine)
    with seeded_engine.connect() as connection:
        codes = {row[0] for row in connection.execute(text("SELECT code FROM indicator"))}
        counts = dict(
            connection.execute(
                text("SELECT indicator_code, COUNT(*) FROM observation WHERE is_current GROUP BY indicator_code")
            ).all()
        )
    assert set(frame["code"]) == codes
    assert list(frame.columns) == catalogue.CATALOGUE_COLUMNS
    for row in frame.itertuples():
        assert row.observations == counts.get(row.code, 0), row.code
    assert frame["observations"].sum() == _scalar(seeded_engine, "SELECT COUNT(*) FROM observation WHERE is_current")


def test_catalogue_row_for_a_real_and_a_synthetic_indicator(seeded_engine):
    frame = catalogue.catalogue(seeded_engine).set_index("code")
    internet = frame.loc["IT.NET.USER.ZS"]
    assert internet["kind"] == "official" and internet["synthetic_observations"] == 0
    assert internet["licence"] == "CC BY 4.0"
    first = _scalar(
        seeded_engine,
        "SELECT period FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND is_current "
        "ORDER BY period_start LIMIT 1",
    )
    assert internet["first_period"] == first
    coverage = frame.loc["TJ.MOB.4G.POP.ZS"]
    assert coverage["kind"] == "synthetic"
    assert coverage["synthetic_observations"] == coverage["observations"] > 0
    assert coverage["first_period"] == "2018-Q1"
    geos = _scalar(
        seeded_engine,
        "SELECT COUNT(DISTINCT geo_code) FROM observation WHERE indicator_code = 'TJ.MOB.4G.POP.ZS' AND is_current",
    )
    assert coverage["geos"] == geos
    derived = frame.loc["TJ.PARK.OCC.ZS"]
    assert derived["derived"] and derived["observations"] == 0 and pd.isna(derived["first_period"])


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"theme": "park"}, {"TJ.PARK.OCC.ZS", "TJ.PARK.TENANTS", "TJ.PARK.JOBS"}),
        ({"q": "internet", "kind": "official"}, {"IT.NET.USER.ZS", "IT.NET.SECR.P6"}),
        ({"q": "no such thing"}, set()),
    ],
)
def test_catalogue_filters(seeded_engine, filters, expected):
    frame = catalogue.catalogue(seeded_engine, **filters)
    assert set(frame["code"]) == expected


def test_catalogue_search_matches_russian_and_tajik_names(seeded_engine):
    with seeded_engine.connect() as connection:
        rows = connection.execute(text("SELECT code, name_ru, name_tg FROM indicator")).all()
    expected = {code for code, ru, tg in rows if "Интернет" in ru or "Интернет" in tg}
    assert expected  # the seed names several internet indicators in Russian
    assert set(catalogue.catalogue(seeded_engine, q="Интернет")["code"]) >= expected


def test_catalogue_names_follow_the_language(seeded_engine):
    frame = catalogue.catalogue(seeded_engine, lang="ru").set_index("code")
    assert frame.loc["IT.CEL.SETS.P2", "name"] == "Абоненты мобильной сотовой связи"
    assert catalogue.catalogue(seeded_engine, lang="xx").set_index("code").loc["IT.CEL.SETS.P2", "unit"] == (
        "per 100 people"
    )


def test_observations_filters_by_geo_and_period(seeded_engine):
    frame = catalogue.observations(seeded_engine, "IT.NET.USER.ZS", ["TJ"], date(2020, 1, 1), date(2021, 12, 31))
    assert list(frame["period"]) == ["2020", "2021"]
    expected = _scalar(
        seeded_engine,
        "SELECT value FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND geo_code = 'TJ' "
        "AND period = '2021' AND is_current",
    )
    assert frame["value"].iloc[-1] == pytest.approx(expected)
    assert catalogue.observations(seeded_engine, "NO.SUCH.CODE").empty


def test_chart_series_keeps_a_district_indicator_readable(seeded_engine):
    frame = catalogue.chart_series(seeded_engine, "TJ.MOB.4G.POP.ZS", limit=8)
    assert frame["geo_code"].nunique() == 8
    assert set(frame["source_kind"]) == {"synthetic"}
    national = catalogue.chart_series(seeded_engine, "IT.NET.USER.ZS")
    assert set(national["geo_code"]) == {"TJ", "KG", "UZ", "KZ", "AF"}
    assert catalogue.chart_series(seeded_engine, "TJ.PARK.OCC.ZS").empty


def test_revisions_count_each_batch(reference_engine, tmp_path):
    from data_loaders.load import load_file

    first = tmp_path / "first.csv"
    first.write_text(
        "indicator_code,geo_code,period,value\nIT.NET.USER.ZS,TJ,2020,20\nIT.NET.USER.ZS,TJ,2021,25\n", "utf-8"
    )
    second = tmp_path / "second.csv"
    second.write_text(
        "indicator_code,geo_code,period,value,flags\nIT.NET.USER.ZS,TJ,2021,26,B\nIT.NET.USER.ZS,TJ,2022,30,\n",
        "utf-8",
    )
    assert load_file(reference_engine, first).ok and load_file(reference_engine, second).ok
    revisions = catalogue.revisions(reference_engine, "IT.NET.USER.ZS")
    assert list(revisions["file_name"]) == ["second.csv", "first.csv"]  # newest first
    assert revisions[["values", "new", "revised", "still_current"]].values.tolist() == [[2, 1, 1, 2], [2, 2, 0, 1]]
    breaks = catalogue.breaks(reference_engine, "IT.NET.USER.ZS")
    assert breaks[["geo_code", "period", "value"]].values.tolist() == [["TJ", "2021", 26.0]]
    assert catalogue.revisions(reference_engine, "SP.POP.TOTL").empty


def test_import_batches_and_theme_counts(seeded_engine):
    batches = catalogue.import_batches(seeded_engine)
    assert len(batches) == _scalar(seeded_engine, "SELECT COUNT(*) FROM import_batch")
    assert batches["id"].is_monotonic_decreasing
    assert set(batches["status"]) == {"loaded"}
    assert len(catalogue.import_batches(seeded_engine, limit=3)) == 3
    counts = catalogue.theme_counts(seeded_engine)
    assert counts["observations"].sum() == _scalar(seeded_engine, "SELECT COUNT(*) FROM observation WHERE is_current")


def test_indicator_sources_include_every_observation_source(seeded_engine):
    sources = catalogue.indicator_sources(seeded_engine, "SP.POP.TOTL")
    with seeded_engine.connect() as connection:
        used = {
            r[0]
            for r in connection.execute(
                text("SELECT DISTINCT source_code FROM observation WHERE indicator_code = 'SP.POP.TOTL' AND is_current")
            )
        }
    assert used | {"WB-WDI"} == set(sources["code"])
