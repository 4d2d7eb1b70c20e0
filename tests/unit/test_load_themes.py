"""The loader as the import page calls it for a staff member: only the account's themes load
(every row checked, nothing written otherwise); problems carry the offending value; the batch
records its counts per indicator."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from data_loaders import models as m
from data_loaders.load import load_file
from data_loaders.problems import Problem
from data_loaders.seed import SEED_DIR, SYNTHETIC
from tests.unit.test_loader_observations import HEADER, current_values, table_counts, write

CONNECTIVITY = frozenset({"connectivity"})
MIXED = (
    HEADER
    + "IT.NET.USER.ZS,TJ,2023,40.5,,,,\n"
    + "UZ.ITPARK.RESIDENTS,UZ,2024,2100,,,,\n"
    + "TJ.MOB.4G.POP.ZS,TJ-GB-01,2025-Q1,61,total,,DEMO-SYNTHETIC,\n"
)


def test_connectivity_staff_cannot_load_park_leases_and_nothing_is_written(reference_engine):
    before = table_counts(reference_engine)
    report = load_file(reference_engine, SEED_DIR / "synthetic/park_leases.csv", source=SYNTHETIC, themes=CONNECTIVITY)
    assert not report.ok
    assert [(p.row, p.column, p.reason) for p in report.problems] == [
        (0, "", "park_leases files are park data; your account loads connectivity data only")
    ]
    assert report.rows == 0  # refused from its kind, before a body row is read
    assert table_counts(reference_engine) == before


def test_an_observation_row_of_another_theme_is_named_and_nothing_is_written(reference_engine, tmp_path):
    before = table_counts(reference_engine)
    report = load_file(reference_engine, write(tmp_path, MIXED), themes=CONNECTIVITY)
    assert not report.ok
    assert [(p.row, p.column, p.value, p.reason) for p in report.problems] == [
        (
            3,
            "indicator_code",
            "UZ.ITPARK.RESIDENTS",
            "'UZ.ITPARK.RESIDENTS' is an it_sector indicator; your account loads connectivity data only",
        )
    ]
    assert str(report.problems[0]).startswith("file.csv: row 3, column 'indicator_code': 'UZ.ITPARK.RESIDENTS' is")
    assert table_counts(reference_engine) == before


def test_a_dry_run_of_another_theme_is_refused_too(reference_engine, tmp_path):
    report = load_file(reference_engine, write(tmp_path, MIXED), themes=CONNECTIVITY, dry_run=True)
    assert [p.row for p in report.problems] == [3]


def test_admin_none_loads_every_theme_and_staff_of_both_themes_too(reference_engine, tmp_path):
    report = load_file(reference_engine, write(tmp_path, MIXED), themes=None)
    assert report.ok and report.stats.inserted == 3, report.summary()
    both = load_file(reference_engine, write(tmp_path, MIXED, "again.csv"), themes={"connectivity", "it_sector"})
    assert both.ok and both.stats.unchanged == 3, both.summary()
    assert current_values(reference_engine, "UZ.ITPARK.RESIDENTS") == {("UZ", "2024"): 2100.0}


def test_staff_of_the_right_theme_loads_and_the_batch_names_them(reference_engine, tmp_path):
    text = HEADER + "IT.NET.USER.ZS,TJ,2023,40.5,,,,\n"
    report = load_file(reference_engine, write(tmp_path, text), themes=CONNECTIVITY, loaded_by="nodira")
    assert report.ok, report.summary()
    with reference_engine.connect() as connection:
        loaded_by = connection.execute(
            select(m.ImportBatch.loaded_by).where(m.ImportBatch.id == report.batch_id)
        ).scalar_one()
    assert loaded_by == "nodira"


def test_targets_take_their_indicators_theme(reference_engine, tmp_path):
    text = (
        "indicator_code,geo_code,year,value,breakdown,document,illustrative,source_code,comment\n"
        "TJ.MOB.4G.POP.ZS,TJ,2030,95,total,Digital economy concept,1,DEMO-TARGETS,\n"
        "TJ.IT.JOBS,TJ,2030,20000,total,Digital economy concept,1,DEMO-TARGETS,\n"
    )
    report = load_file(reference_engine, write(tmp_path, text), themes=CONNECTIVITY)
    assert [(p.row, p.column, p.value) for p in report.problems] == [(3, "indicator_code", "TJ.IT.JOBS")]
    assert "'TJ.IT.JOBS' is an it_sector indicator" in report.problems[0].reason
    assert load_file(reference_engine, write(tmp_path, text, "t.csv"), themes={"connectivity", "it_sector"}).ok


@pytest.mark.parametrize(
    ("name", "kind", "themes", "refused"),
    [
        ("reference/sources.csv", "sources", {"connectivity"}, "sources files are reference data"),
        ("synthetic/it_companies.csv", "it_companies", {"park"}, "it_companies files are it_sector data"),
        ("synthetic/park_units.csv", "park_units", set(), "your account is assigned no theme"),
    ],
)
def test_kinds_of_one_theme_are_refused_as_a_file(reference_engine, name, kind, themes, refused):
    report = load_file(reference_engine, SEED_DIR / name, kind=kind, source=SYNTHETIC, themes=themes)
    assert len(report.problems) == 1 and report.problems[0].row == 0
    assert refused in report.problems[0].reason


def test_reference_staff_may_load_reference_files(reference_engine):
    report = load_file(reference_engine, SEED_DIR / "reference/sources.csv", kind="sources", themes={"reference"})
    assert report.ok, report.summary()


def test_an_unknown_indicator_is_one_problem_not_two(reference_engine, tmp_path):
    report = load_file(reference_engine, write(tmp_path, HEADER + "NO.SUCH,TJ,2023,4,,,,\n"), themes=CONNECTIVITY)
    assert [(p.column, p.value, p.reason) for p in report.problems] == [
        ("indicator_code", "NO.SUCH", "unknown indicator code 'NO.SUCH'")
    ]


# ---------------------------------------------------------------- the value of each problem


def test_problems_carry_the_offending_value(reference_engine, tmp_path):
    text = (
        HEADER
        + "IT.NET.USER.ZS,TJ,2023,forty,,,,\n"  # 2: not a number
        + "NO.SUCH.CODE,TJ,2023,4,,,,\n"  # 3: unknown indicator
        + "IT.NET.USER.ZS,TJ,2021,140,,,,\n"  # 4: percentage
        + "IT.NET.USER.ZS,XX,2023,4,,,,\n"  # 5: unknown geo
        + "IT.NET.USER.ZS,TJ,2023-13,4,,,,\n"  # 6: no such month
        + "IT.NET.USER.ZS,TJ,2022,4,,,,bad\x01note\n"  # 7: control character
        + "IT.NET.USER.ZS,TJ,2020,,,,,\n"  # 8: empty
        + "IT.NET.USER.ZS,TJ,2019,4,,,NOPE,\n"  # 9: unknown source
        + "IT.NET.USER.ZS,TJ,2021,4,total,,,\n"  # 10: duplicate of row 4
        + f"IT.NET.USER.ZS,{'G' * 17},2018,4,,,,\n"  # 11: too long to store
    )
    report = load_file(reference_engine, write(tmp_path, text))
    got = {(p.row, p.column): p.value for p in report.problems}
    assert got == {
        (2, "value"): "forty",
        (3, "indicator_code"): "NO.SUCH.CODE",
        (4, "value"): "140",
        (5, "geo_code"): "XX",
        (6, "period"): "2023-13",
        (7, "comment"): "bad\x01note",
        (8, "value"): "",
        (9, "source_code"): "NOPE",
        (10, "indicator_code"): "IT.NET.USER.ZS",
        (11, "geo_code"): "G" * 17,
    }, report.summary()
    assert all(p.file == "file.csv" for p in report.problems)


def test_a_problem_prints_as_before_and_positional_construction_still_works():
    problem = Problem(2, "value", "'forty' is not a number", "file.csv", "forty")
    assert str(problem) == "file.csv: row 2, column 'value': 'forty' is not a number"
    assert Problem(2, "value", "why", "f.csv") == Problem(2, "value", "why", file="f.csv", value="")
    assert str(Problem(0, "", "the file is empty")) == "file: the file is empty"


def test_a_long_cell_is_cut_in_the_problem(reference_engine, tmp_path):
    report = load_file(reference_engine, write(tmp_path, HEADER + f"IT.NET.USER.ZS,TJ,2023,{'9' * 500}x,,,,\n"))
    (problem,) = report.problems
    assert problem.column == "value" and len(problem.value) == 200 and problem.value.endswith("…")


# ---------------------------------------------------------------- counts per indicator


def batch_counts(engine, batch_id: int) -> dict:
    with engine.connect() as connection:
        return connection.execute(select(m.ImportBatch.counts).where(m.ImportBatch.id == batch_id)).scalar_one()


def test_counts_per_indicator_are_reported_and_stored_on_the_batch(reference_engine, tmp_path):
    first = HEADER + "IT.NET.USER.ZS,TJ,2022,36,,,,\nIT.NET.USER.ZS,TJ,2023,40,,,,\nSP.POP.TOTL,TJ,2023,10000000,,,,\n"
    report = load_file(reference_engine, write(tmp_path, first, "a.csv"))
    assert report.ok
    assert batch_counts(reference_engine, report.batch_id) == {
        "inserted": 3,
        "revised": 0,
        "updated": 0,
        "unchanged": 0,
        "by_indicator": {
            "IT.NET.USER.ZS": {"inserted": 2, "revised": 0, "unchanged": 0},
            "SP.POP.TOTL": {"inserted": 1, "revised": 0, "unchanged": 0},
        },
    }
    second = (
        HEADER
        + "IT.NET.USER.ZS,TJ,2022,36,,,,\nIT.NET.USER.ZS,TJ,2023,41,,,,\n"
        + "IT.NET.USER.ZS,TJ,2024,44,,,,\nSP.POP.TOTL,TJ,2023,10000000,,,,\n"
    )
    dry = load_file(reference_engine, write(tmp_path, second, "b.csv"), dry_run=True)
    expected = {
        "IT.NET.USER.ZS": {"inserted": 1, "revised": 1, "unchanged": 1},
        "SP.POP.TOTL": {"inserted": 0, "revised": 0, "unchanged": 1},
    }
    assert dry.ok and dry.by_indicator == expected
    report = load_file(reference_engine, write(tmp_path, second, "b.csv"))
    assert report.by_indicator == expected
    assert "    IT.NET.USER.ZS: new 1, new revisions 1, unchanged 1\n    SP.POP.TOTL: new 0," in report.summary()
    stored = batch_counts(reference_engine, report.batch_id)
    assert (stored["inserted"], stored["revised"], stored["unchanged"], stored["by_indicator"]) == (1, 1, 2, expected)


def test_counts_of_other_kinds_have_no_indicators(reference_engine):
    report = load_file(reference_engine, SEED_DIR / "reference/sources.csv", kind="sources")
    counts = batch_counts(reference_engine, report.batch_id)
    assert counts["updated"] == report.rows > 0 and counts["by_indicator"] == {}
