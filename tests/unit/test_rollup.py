"""The observation rollup, on real databases: its region and country rows equal a plain pandas
computation from the observations and populations (the rules the views applied before), the
loader keeps it in the import's transaction, and a rejected file leaves it as it was."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import select, text

from data_loaders import models as m
from data_loaders.load import load_file
from data_loaders.queries import connectivity
from data_loaders.queries.completeness import period_completeness
from data_loaders.rollup import rebuild
from data_loaders.seed import SEED_DIR
from metrics.kpis import COMPLETE_SHARE
from tests.unit.test_loader_observations import HEADER, write

FOUR_G = "TJ.MOB.4G.POP.ZS"
KEY = ["indicator_code", "breakdown", "level", "geo_code", "period"]
NUMBERS = ["value", "population", "reported", "expected", "reported_population", "expected_population", "share"]


def rollup_table(engine) -> pd.DataFrame:
    """The whole rollup, in key order."""
    r = m.ObservationRollup
    with engine.connect() as connection:
        result = connection.execute(select(r).order_by(*[getattr(r, k) for k in KEY]))
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def rebuilt(engine) -> pd.DataFrame:
    """What a full rebuild from the current observations gives (rolled back afterwards)."""
    with engine.connect() as connection:
        transaction = connection.begin()
        rebuild(connection)
        r = m.ObservationRollup
        result = connection.execute(select(r).order_by(*[getattr(r, k) for k in KEY]))
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
        transaction.rollback()
    return frame


def oracle(engine) -> pd.DataFrame:
    """Region and country rows computed in pandas from observation, geo and TJ.POP.MODEL."""
    with engine.connect() as connection:
        geo = pd.read_sql(text("SELECT code AS geo_code, level, parent_code FROM geo"), connection)
        obs = pd.read_sql(
            text("SELECT indicator_code, breakdown, geo_code, period, value FROM observation WHERE is_current"),
            connection,
        )
        pop = pd.read_sql(
            text(
                "SELECT geo_code, period AS year, value AS pop FROM observation "
                "WHERE is_current AND indicator_code = 'TJ.POP.MODEL' AND breakdown = 'total'"
            ),
            connection,
        )
    geo["region"] = geo["parent_code"].where(geo["level"] == "district", geo["geo_code"])
    with_districts = set(geo.loc[geo["level"] == "district", "parent_code"])
    is_unit = (geo["level"] == "district") | ((geo["level"] == "region") & ~geo["geo_code"].isin(with_districts))
    units = set(geo.loc[is_unit, "geo_code"])
    obs = obs.merge(geo[["geo_code", "level", "region"]], on="geo_code")
    obs = obs[obs["level"].isin(["district", "region"])].assign(year=lambda f: f["period"].str[:4])
    obs = obs.merge(pop, on=["geo_code", "year"], how="left").assign(weighted=lambda f: f["value"] * f["pop"])
    pop = pop.merge(geo[["geo_code", "region"]], on="geo_code")
    out = []
    for (indicator, breakdown), rows in obs.groupby(["indicator_code", "breakdown"]):
        reporting = rows[rows["geo_code"].isin(units)]
        weights = pop[pop["geo_code"].isin(set(reporting["geo_code"]))]
        weights = weights.groupby(["region", "year"], as_index=False).agg(
            expected=("pop", "size"), expected_population=("pop", "sum")
        )
        grid = pd.MultiIndex.from_product(
            [sorted(weights["region"].unique()), sorted(reporting["period"].unique())], names=["region", "period"]
        ).to_frame(index=False)
        grid = grid.assign(year=grid["period"].str[:4]).merge(weights, on=["region", "year"], how="left")
        counts = reporting.groupby(["region", "period"], as_index=False).agg(
            reported=("geo_code", "size"), reported_population=("pop", "sum")
        )
        grid = grid.merge(counts, on=["region", "period"], how="left").fillna(
            {"expected": 0, "expected_population": 0.0, "reported": 0, "reported_population": 0.0}
        )
        with_pop = rows.dropna(subset=["pop"])
        for level, keys in (("region", ["region", "period"]), ("country", ["period"])):
            frame = grid.groupby(keys, as_index=False)[
                ["expected", "expected_population", "reported", "reported_population"]
            ].sum()
            sums = with_pop.groupby(keys, as_index=False).agg(weighted=("weighted", "sum"), population=("pop", "sum"))
            frame = frame.merge(sums, on=keys, how="left")
            frame["value"] = frame["weighted"] / frame["population"]
            frame["share"] = (frame["reported_population"] / frame["expected_population"]).where(
                frame["expected_population"] > 0
            )
            frame["geo_code"] = frame["region"] if level == "region" else "TJ"
            out.append(frame.assign(indicator_code=indicator, breakdown=breakdown, level=level))
    return pd.concat(out, ignore_index=True)[KEY + NUMBERS].sort_values(KEY, ignore_index=True)


def assert_same_rows(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    got = got[KEY + NUMBERS].sort_values(KEY, ignore_index=True)
    assert got[KEY].values.tolist() == expected[KEY].values.tolist()
    for column in NUMBERS:
        a, b = got[column].astype(float), expected[column].astype(float)
        assert (a.isna() == b.isna()).all(), column
        assert a[a.notna()].tolist() == pytest.approx(b[b.notna()].tolist(), rel=1e-12), column


# ---------------------------------------------------------------- the seed: every weighted indicator


def test_seeded_region_and_country_rows_equal_the_pandas_computation(seeded_engine):
    table = rollup_table(seeded_engine)
    expected = oracle(seeded_engine)
    assert set(expected["indicator_code"]) >= set(connectivity.TECHNOLOGIES) | {"TJ.SCH.FBB.ZS"}
    assert_same_rows(table[table["level"] != "unit"], expected)


def test_seeded_weighted_series_equal_the_complete_periods_of_the_computation(seeded_engine):
    expected = oracle(seeded_engine)
    expected = expected[expected["value"].notna() & (expected["share"].fillna(0) >= COMPLETE_SHARE - 1e-12)]
    for (indicator, breakdown, level), rows in expected.groupby(["indicator_code", "breakdown", "level"]):
        got = connectivity.weighted_series(seeded_engine, indicator, level, breakdown)
        assert got["geo_code"].tolist() == rows["geo_code"].tolist(), (indicator, breakdown, level)
        assert got["period"].tolist() == rows["period"].tolist()
        assert got["value"].tolist() == pytest.approx(rows["value"].tolist(), rel=1e-12)
        assert got["population"].tolist() == pytest.approx(rows["population"].tolist(), rel=1e-12)


def test_seeded_unit_rows_are_the_observations_with_their_population(seeded_engine):
    table = rollup_table(seeded_engine).set_index(KEY)
    with seeded_engine.connect() as connection:
        rows = pd.read_sql(
            text(
                "SELECT o.indicator_code, o.breakdown, o.geo_code, o.period, o.value, p.value AS population "
                "FROM observation o JOIN geo g ON g.code = o.geo_code "
                "LEFT JOIN observation p ON p.geo_code = o.geo_code AND p.indicator_code = 'TJ.POP.MODEL' "
                "AND p.is_current AND p.breakdown = 'total' AND p.period = substr(o.period, 1, 4) "
                "WHERE o.is_current AND g.level IN ('district', 'region')"
            ),
            connection,
        )
    units = table.xs("unit", level="level")
    assert len(units) == len(rows)
    got = units.loc[list(rows[["indicator_code", "breakdown", "geo_code", "period"]].itertuples(index=False))]
    assert got["value"].tolist() == rows["value"].tolist()
    assert got["population"].fillna(-1).tolist() == rows["population"].fillna(-1).tolist()


def test_the_seeded_rollup_is_what_a_rebuild_gives(seeded_engine):
    pd.testing.assert_frame_equal(rollup_table(seeded_engine), rebuilt(seeded_engine))


# ---------------------------------------------------------------- loads on a small private database


def units_of(engine) -> list[str]:
    with engine.connect() as connection:
        return [
            row[0]
            for row in connection.execute(
                text(
                    "SELECT code FROM geo g WHERE level = 'district' OR (level = 'region' AND code NOT IN "
                    "(SELECT parent_code FROM geo WHERE level = 'district')) ORDER BY code"
                )
            )
        ]


def quarter(units: list[str], period: str, offset: int = 0) -> str:
    """A 4G file of one quarter for these units (values differ per unit)."""
    return HEADER + "".join(
        f"{FOUR_G},{u},{period},{40 + (i * 7 + offset) % 55},total,,DEMO-SYNTHETIC,\n" for i, u in enumerate(units)
    )


@pytest.fixture
def districts(reference_engine, tmp_path):
    """The modelled population and two quarters of 4G coverage for all 59 coverage units."""
    report = load_file(reference_engine, SEED_DIR / "synthetic/population_model.csv", source="DEMO-SYNTHETIC")
    assert report.ok, report.summary()
    units = units_of(reference_engine)
    for period in ("2025-Q1", "2025-Q2"):
        report = load_file(reference_engine, write(tmp_path, quarter(units, period), f"{period}.csv"))
        assert report.ok, report.summary()
    return reference_engine


def test_a_load_adds_its_quarter_to_the_rollup_once_it_is_complete(districts, tmp_path):
    units = units_of(districts)
    assert "2025-Q3" not in set(rollup_table(districts)["period"])
    partial = [u for u in units if u not in ("TJ-DU", "TJ-GB-01", "TJ-GB-02")]  # without 1 in 6 people
    assert load_file(districts, write(tmp_path, quarter(partial, "2025-Q3", 3), "q3.csv")).ok
    table = rollup_table(districts)
    assert_same_rows(table[table["level"] != "unit"], oracle(districts))
    share = table.set_index(KEY).loc[(FOUR_G, "total", "country", "TJ", "2025-Q3"), "share"]
    assert 0.5 < share < COMPLETE_SHARE
    assert connectivity.weighted_series(districts, FOUR_G)["period"].tolist() == ["2025-Q1", "2025-Q2"]
    rest = quarter(["TJ-DU", "TJ-GB-01", "TJ-GB-02"], "2025-Q3", 5)
    assert load_file(districts, write(tmp_path, rest, "q3_rest.csv")).ok
    table = rollup_table(districts)
    assert_same_rows(table[table["level"] != "unit"], oracle(districts))
    assert connectivity.weighted_series(districts, FOUR_G)["period"].tolist() == ["2025-Q1", "2025-Q2", "2025-Q3"]
    pd.testing.assert_frame_equal(table, rebuilt(districts))


def test_the_rollup_is_written_in_the_import_transaction(districts, tmp_path, monkeypatch):
    """A failure after the rollup was rebuilt takes the observations and the rollup back together."""
    before = rollup_table(districts)

    def fail(*_args):
        raise RuntimeError("the import fails after the rollup was rebuilt")

    monkeypatch.setattr("data_loaders.load.incomplete_period_warnings", fail)
    with pytest.raises(RuntimeError):
        load_file(districts, write(tmp_path, quarter(units_of(districts), "2025-Q3"), "q3.csv"))
    pd.testing.assert_frame_equal(rollup_table(districts), before)
    assert connectivity.periods(districts) == ["2025-Q1", "2025-Q2"]


def test_the_dry_run_reads_its_own_rollup_and_leaves_the_stored_one(districts, tmp_path):
    before = rollup_table(districts)
    report = load_file(districts, write(tmp_path, quarter(["TJ-GB-01", "TJ-GB-02"], "2025-Q3")), dry_run=True)
    assert report.ok and len(report.warnings) == 1 and "2025-Q3: 2 of 59 districts reported" in report.warnings[0]
    pd.testing.assert_frame_equal(rollup_table(districts), before)


def test_rejected_files_leave_the_rollup_unchanged(districts, tmp_path):
    before = rollup_table(districts)
    units = [u for u in units_of(districts) if u.count("-") == 2]  # the 58 districts
    big = [
        f"{FOUR_G},{units[i % 58]},{2000 + i // 58 % 20}-Q{i // 1160 % 4 + 1},50,b{i // 4640},,DEMO-SYNTHETIC,\n"
        for i in range(60_000)
    ]  # past the rows the loader keeps in memory: written in a second pass, if it were good
    bad_last_row = write(tmp_path, HEADER + "".join(big) + f"{FOUR_G},TJ-GB-01,2025-Q3,1e999,total,,,\n", "big.csv")
    assert not load_file(districts, bad_last_row).ok
    small = HEADER + f"{FOUR_G},TJ-GB-01,2025-Q3,50,total,,,\n{FOUR_G},TJ-GB-02,2025-Q3,150,total,,,\n"
    assert not load_file(districts, write(tmp_path, small, "small.csv")).ok
    pd.testing.assert_frame_equal(rollup_table(districts), before)


def test_a_revised_district_moves_its_region_and_the_country(districts, tmp_path):
    before = rollup_table(districts).set_index(KEY)
    old = before.loc[(FOUR_G, "total", "unit", "TJ-GB-01", "2025-Q2")]
    revision = HEADER + f"{FOUR_G},TJ-GB-01,2025-Q2,{old['value'] + 10},total,,DEMO-SYNTHETIC,\n"
    report = load_file(districts, write(tmp_path, revision, "revision.csv"))
    assert report.ok and report.stats.revised == 1, report.summary()
    after = rollup_table(districts).set_index(KEY)
    for level, geo in (("region", "TJ-GB"), ("country", "TJ")):
        key = (FOUR_G, "total", level, geo, "2025-Q2")
        moved = 10 * old["population"] / before.loc[key, "population"]
        assert after.loc[key, "value"] == pytest.approx(before.loc[key, "value"] + moved, rel=1e-12)
    untouched = (FOUR_G, "total", "region", "TJ-SU", "2025-Q2")
    assert after.loc[untouched, "value"] == before.loc[untouched, "value"]
    assert after.loc[(FOUR_G, "total", "country", "TJ", "2025-Q1"), "value"] == pytest.approx(
        before.loc[(FOUR_G, "total", "country", "TJ", "2025-Q1"), "value"], rel=1e-15
    )
    pd.testing.assert_frame_equal(rollup_table(districts), rebuilt(districts))


def test_a_revised_population_reweighs_every_indicator(districts, tmp_path):
    rural = HEADER + f"{FOUR_G},TJ-GB-01,2025-Q2,20,rural,,DEMO-SYNTHETIC,\n"
    assert load_file(districts, write(tmp_path, rural, "rural.csv")).ok  # another breakdown: its own rows
    revision = HEADER + "TJ.POP.MODEL,TJ-GB-01,2025,250000,total,E,DEMO-SYNTHETIC,\n"
    assert load_file(districts, write(tmp_path, revision, "population.csv")).ok
    table = rollup_table(districts)
    assert_same_rows(table[table["level"] != "unit"], oracle(districts))
    gbao = period_completeness(districts, FOUR_G, ["2025-Q2"], by_region=True).set_index("geo_code")
    assert (
        gbao.at["TJ-GB", "population"]
        == table.set_index(KEY).loc[(FOUR_G, "total", "region", "TJ-GB", "2025-Q2"), "expected_population"]
    )


def test_an_existing_database_gets_its_rollup_when_it_upgrades(districts):
    """Migration 0004 builds the rollup of the observations already there."""
    from alembic import command

    from data_loaders.schema import _alembic_config, upgrade_database

    before = rollup_table(districts)
    cfg = _alembic_config()
    with districts.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0003")
    upgrade_database(districts)
    pd.testing.assert_frame_equal(rollup_table(districts), before)
