"""The preview of the main KPI in a dry run: its national series before and after the file, read
in the load's transaction, with nothing written; from the rollup for district indicators, from
the national observations otherwise."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest
from sqlalchemy import text

from data_loaders.import_preview import OBSERVATIONS, ROLLUP, ImportPreview, main_series
from data_loaders.load import load_file
from data_loaders.rollback import rollback_batch
from data_loaders.writing import WriteStats
from tests.unit.test_loader_observations import HEADER, table_counts, write
from tests.unit.test_rollback import districts  # noqa: F401  (the fixture)
from tests.unit.test_rollup import FOUR_G, quarter, rollup_table, units_of

THREE_G = "TJ.MOB.3G.POP.ZS"


def country_series(engine, indicator: str = FOUR_G) -> list[tuple[str, float]]:
    """The country's rollup rows, by direct SQL."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT period, value FROM observation_rollup WHERE indicator_code = :i AND breakdown = 'total' "
                "AND level = 'country' AND geo_code = 'TJ' AND value IS NOT NULL ORDER BY period"
            ),
            {"i": indicator},
        )
        return [(p, v) for p, v in rows]


def test_a_dry_run_previews_the_main_kpi_before_and_after_and_writes_nothing(districts, tmp_path):  # noqa: F811
    units = units_of(districts)
    before_rollup, before_counts = rollup_table(districts), table_counts(districts)
    before_series = country_series(districts)
    assert [p for p, _ in before_series] == ["2025-Q1", "2025-Q2"]
    text_ = (
        quarter(units, "2025-Q2", 9)  # 59 revisions of the 4G quarter
        + "".join(quarter(units[:3], "2025-Q3").splitlines(keepends=True)[1:])  # 3 new 4G rows
        + f"{THREE_G},{units[0]},2025-Q2,90,total,,DEMO-SYNTHETIC,\n"  # fewer rows of another indicator
    )
    path = write(tmp_path, text_, "q2_revised.csv")

    report = load_file(districts, path, dry_run=True)

    assert report.ok, report.summary()
    preview = report.preview
    assert isinstance(preview, ImportPreview)
    assert (preview.indicator_code, preview.geo_code, preview.breakdown, preview.source) == (
        FOUR_G,
        "TJ",
        "total",
        ROLLUP,
    )
    assert_same_series(preview.before, before_series)
    assert [p for p, _ in preview.after] == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert preview.after[0] == before_series[0]
    assert preview.after[1][1] != pytest.approx(before_series[1][1])
    assert preview.incomplete == ("2025-Q3",)  # 3 of 59 units: the dashboard leaves it out of totals
    assert preview.changed == ["2025-Q2", "2025-Q3"]
    assert table_counts(districts) == before_counts
    pd.testing.assert_frame_equal(rollup_table(districts), before_rollup)

    loaded = load_file(districts, path)  # what the load then writes is what the preview showed
    assert loaded.ok and loaded.preview.changed == preview.changed
    assert_same_series(loaded.preview.before, preview.before)
    assert_same_series(country_series(districts), preview.after)


def assert_same_series(got: list[tuple[str, float]], expected: list[tuple[str, float]]) -> None:
    assert [p for p, _ in got] == [p for p, _ in expected]
    assert [v for _, v in got] == pytest.approx([v for _, v in expected], rel=1e-12)


def test_a_national_indicator_previews_its_national_observations(reference_engine, tmp_path):
    assert load_file(reference_engine, write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,40.5,,,,\n", "a.csv")).ok
    text_ = HEADER + "IT.NET.USER.ZS,TJ,2023,41,,,,\nIT.NET.USER.ZS,TJ,2024,43,,,,\nIT.NET.USER.ZS,TJ-SU,2024,30,,,,\n"
    report = load_file(reference_engine, write(tmp_path, text_, "b.csv"), dry_run=True)
    preview = report.preview
    assert (preview.indicator_code, preview.geo_code, preview.source) == ("IT.NET.USER.ZS", "TJ", OBSERVATIONS)
    assert preview.before == [("2023", 40.5)]
    assert preview.after == [("2023", 41.0), ("2024", 43.0)]
    assert preview.incomplete == ()


def test_the_before_series_skips_a_rolled_back_batch(reference_engine, tmp_path):
    assert load_file(reference_engine, write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,40.5,,,,\n", "a.csv")).ok
    wrong = load_file(reference_engine, write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,45,,,,\n", "b.csv"))
    assert rollback_batch(reference_engine, wrong.batch_id, by="admin1").ok
    report = load_file(reference_engine, write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,50,,,,\n", "c.csv"))
    assert report.ok and report.stats.revised == 1
    assert (report.preview.before, report.preview.after) == ([("2023", 40.5)], [("2023", 50.0)])


def test_a_file_that_changes_nothing_has_no_preview_and_other_kinds_none(reference_engine, tmp_path):
    path = write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,40.5,,,,\n")
    assert load_file(reference_engine, path).preview is not None
    assert load_file(reference_engine, path, dry_run=True).preview is None
    assert load_file(reference_engine, write(tmp_path, "x", "x.csv")).preview is None


def test_a_rejected_file_has_no_preview(reference_engine, tmp_path):
    report = load_file(reference_engine, write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,140,,,,\n"), dry_run=True)
    assert not report.ok and report.preview is None


def stats(by_indicator: dict[str, tuple[int, int, int]], changed: dict[tuple[str, str], int]) -> WriteStats:
    result = WriteStats(changed=Counter(changed))
    result.by_indicator = {
        code: dict(zip(("inserted", "revised", "unchanged"), counts, strict=True))
        for code, counts in by_indicator.items()
    }
    return result


def test_the_main_indicator_has_the_most_new_and_revised_rows():
    assert main_series(stats({"A": (1, 1, 50), "B": (3, 0, 0)}, {("A", "total"): 2, ("B", "total"): 3})) == (
        "B",
        "total",
    )
    assert main_series(stats({"B": (2, 0, 0), "A": (0, 2, 0)}, {("A", "total"): 2, ("B", "total"): 2})) == (
        "A",
        "total",
    )  # a tie: the first code
    assert main_series(stats({"A": (0, 0, 5)}, {})) is None
    assert main_series(stats({"A": (4, 0, 0)}, {("A", "rural"): 3, ("A", "urban"): 1})) == ("A", "rural")
    assert main_series(stats({"A": (4, 0, 0)}, {("A", "rural"): 3, ("A", "total"): 1})) == ("A", "total")


def test_a_district_count_previews_national_rows_not_a_weighted_mean(districts, tmp_path):  # noqa: F811
    """Population is no connectivity figure: a mean weighted by itself would be no national value."""
    text_ = HEADER + "TJ.POP.MODEL,TJ-GB-01,2025,250000,total,E,DEMO-SYNTHETIC,\n"
    preview = load_file(districts, write(tmp_path, text_, "pop.csv"), dry_run=True).preview
    assert (preview.indicator_code, preview.source, preview.before, preview.after) == (
        "TJ.POP.MODEL",
        OBSERVATIONS,
        [],
        [],
    )  # the model has no national row: nothing to draw
