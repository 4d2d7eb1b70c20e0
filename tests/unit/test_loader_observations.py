"""The loader on observation files: good files load, each bad case is rejected row by row and
nothing is written, Russian-locale Excel exports are read right, reloads create revisions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_loaders import models as m
from data_loaders.load import load_file

HEADER = "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment\n"


def table_counts(engine) -> dict[str, int]:
    """Rows in every table: the proof that a rejected file wrote nothing."""
    with engine.connect() as connection:
        return {
            t.name: connection.execute(select(func.count()).select_from(t)).scalar_one()
            for t in m.Base.metadata.sorted_tables
        }


def write(tmp_path: Path, text: str, name: str = "file.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def current_values(engine, indicator: str) -> dict[tuple[str, str], float]:
    o = m.Observation
    with engine.connect() as connection:
        rows = connection.execute(
            select(o.geo_code, o.period, o.value).where(o.indicator_code == indicator, o.is_current)
        )
        return {(g, p): v for g, p, v in rows}


def test_good_file_loads_every_row_in_one_batch(reference_engine, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "IT.NET.USER.ZS,TJ,2023,40.5,,,,\n"
        + "IT.NET.USER.ZS,TJ-SU,2024-Q3,41.25,total,E,,survey\n"
        + "SP.POP.TOTL,TJ-KT,2024-07,3700000,total,P,WB-WDI,\n",
    )
    report = load_file(reference_engine, path)
    assert report.ok, report.summary()
    assert (report.kind, report.rows, report.stats.inserted) == ("observations", 3, 3)
    assert current_values(reference_engine, "IT.NET.USER.ZS") == {("TJ", "2023"): 40.5, ("TJ-SU", "2024-Q3"): 41.25}
    with reference_engine.connect() as connection:
        batch = connection.execute(select(m.ImportBatch).where(m.ImportBatch.id == report.batch_id)).one()
        obs = connection.execute(select(m.Observation).where(m.Observation.period == "2024-07")).one()
    assert (batch.file_name, batch.rows, batch.status, len(batch.checksum)) == ("file.csv", 3, "loaded", 64)
    assert (obs.period_type, str(obs.period_start), str(obs.period_end)) == ("M", "2024-07-01", "2024-07-31")
    assert (obs.flags, obs.source_code, obs.revision) == ("P", "WB-WDI", 1)


BAD_CASES = {
    "missing column": ("indicator_code,geo_code,value\nIT.NET.USER.ZS,TJ,40\n", 1, "period", "required column"),
    "unknown indicator": (HEADER + "NO.SUCH.CODE,TJ,2023,4,,,,\n", 2, "indicator_code", "unknown indicator"),
    "unknown geo": (HEADER + "IT.NET.USER.ZS,XX,2023,4,,,,\n", 2, "geo_code", "unknown geo code 'XX'"),
    "bad period": (HEADER + "IT.NET.USER.ZS,TJ,2023-13,4,,,,\n", 2, "period", "month 13 does not exist"),
    "period text": (HEADER + "IT.NET.USER.ZS,TJ,last year,4,,,,\n", 2, "period", "is not a period"),
    "non-numeric": (HEADER + "IT.NET.USER.ZS,TJ,2023,forty,,,,\n", 2, "value", "'forty' is not a number"),
    "percent > 100": (HEADER + "IT.NET.USER.ZS,TJ,2023,140,,,,\n", 2, "value", "percentage outside 0-100"),
    "percent < 0": (HEADER + "IT.NET.USER.ZS,TJ,2023,-1,,,,\n", 2, "value", "percentage outside 0-100"),
    "negative count": (HEADER + "SP.POP.TOTL,TJ,2023,-5,,,,\n", 2, "value", "negative count"),
    "empty value": (HEADER + "IT.NET.USER.ZS,TJ,2023,,,,,\n", 2, "value", "is empty"),
    "unknown flag": (HEADER + "IT.NET.USER.ZS,TJ,2023,4,,X,,\n", 2, "flags", "unknown flag X"),
    "unknown source": (HEADER + "IT.NET.USER.ZS,TJ,2023,4,,,NOPE,\n", 2, "source_code", "unknown source"),
    "derived indicator": (HEADER + "TJ.IT.JOBS,TJ,2023,4,,,,\n", 2, "indicator_code", "computed from raw tables"),
    "empty file": ("", 0, "", "the file is empty"),
    "header only": (HEADER, 0, "", "no data rows"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_file_is_rejected_with_row_column_reason_and_writes_nothing(reference_engine, tmp_path, case):
    text, row, column, reason = BAD_CASES[case]
    before = table_counts(reference_engine)
    report = load_file(reference_engine, write(tmp_path, text))
    assert not report.ok
    assert any(p.row == row and p.column == column and reason in p.reason for p in report.problems), report.summary()
    assert table_counts(reference_engine) == before


def test_duplicate_keys_name_both_rows(reference_engine, tmp_path):
    text = HEADER + "IT.NET.USER.ZS,TJ,2023,4,,,,\nIT.NET.USER.ZS,TJ,2022,5,,,,\nIT.NET.USER.ZS,TJ,2023,6,total,,,\n"
    before = table_counts(reference_engine)
    report = load_file(reference_engine, write(tmp_path, text))
    assert [str(p) for p in report.problems] == [
        "file.csv: row 4, column 'indicator_code': duplicate key (IT.NET.USER.ZS, TJ, 2023, total), first at row 2"
    ]
    assert table_counts(reference_engine) == before


def test_one_bad_row_among_good_ones_rejects_the_whole_file(reference_engine, tmp_path):
    good = "".join(f"IT.NET.USER.ZS,TJ,{year},{year - 2000},,,,\n" for year in range(2001, 2021))
    before = table_counts(reference_engine)
    report = load_file(reference_engine, write(tmp_path, HEADER + good + "IT.NET.USER.ZS,TJ,2021,abc,,,,\n"))
    assert [(p.row, p.column) for p in report.problems] == [(22, "value")]
    assert table_counts(reference_engine) == before


def test_every_problem_is_reported_not_just_the_first(reference_engine, tmp_path):
    text = HEADER + "IT.NET.USER.ZS,XX,2023,4,,,,\nIT.NET.USER.ZS,TJ,20x3,4,,,,\nSP.POP.TOTL,TJ,2023,-1,,,,\n"
    report = load_file(reference_engine, write(tmp_path, text))
    assert [(p.row, p.column) for p in report.problems] == [(2, "geo_code"), (3, "period"), (4, "value")]


def test_reload_of_a_key_creates_a_revision_in_a_new_batch(reference_engine, tmp_path):
    first = load_file(reference_engine, write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,40,,,,\n", "a.csv"))
    second = load_file(
        reference_engine,
        write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,41.5,,P,,\nIT.NET.USER.ZS,TJ,2022,36,,,,\n", "b.csv"),
    )
    assert second.ok and (second.stats.revised, second.stats.inserted) == (1, 1)
    assert second.batch_id != first.batch_id
    o = m.Observation
    with reference_engine.connect() as connection:
        rows = connection.execute(
            select(o.revision, o.value, o.is_current, o.import_batch_id)
            .where(o.indicator_code == "IT.NET.USER.ZS", o.period == "2023")
            .order_by(o.revision)
        ).all()
    assert [tuple(r) for r in rows] == [(1, 40.0, False, first.batch_id), (2, 41.5, True, second.batch_id)]


def test_reload_of_identical_values_is_reported_unchanged(reference_engine, tmp_path):
    path = write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,40,,,,\n")
    load_file(reference_engine, path)
    again = load_file(reference_engine, path)
    assert (again.stats.unchanged, again.stats.inserted, again.stats.revised) == (1, 0, 0)
    assert "unchanged: 1" in again.summary()


def test_dry_run_checks_but_writes_nothing(reference_engine, tmp_path):
    before = table_counts(reference_engine)
    report = load_file(reference_engine, write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,40,,,,\n"), dry_run=True)
    assert report.ok and report.stats.inserted == 1 and report.batch_id is None
    assert "dry run, nothing written" in report.summary()
    assert table_counts(reference_engine) == before


# Files saved by Excel in a Russian locale: BOM or cp1251, ';' separator, decimal comma.
RU_TEXT = (
    "indicator_code;geo_code;period;value;breakdown;flags;source_code;comment\n"
    "IT.NET.USER.ZS;TJ;2023;40,5;;;;оценка министерства\n"
    "SP.POP.TOTL;TJ-SU;2023;2 889 400;;;;Согд\n"
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1251", "utf-8"])
def test_russian_excel_csv_is_read_exactly(reference_engine, tmp_path, encoding):
    report = load_file(reference_engine, write(tmp_path, RU_TEXT, encoding=encoding))
    assert report.ok, report.summary()
    assert report.separator == ";" and report.encoding == encoding
    assert current_values(reference_engine, "IT.NET.USER.ZS") == {("TJ", "2023"): 40.5}
    assert current_values(reference_engine, "SP.POP.TOTL") == {("TJ-SU", "2023"): 2889400.0}
    with reference_engine.connect() as connection:
        comment = connection.execute(select(m.Observation.comment).where(m.Observation.geo_code == "TJ")).scalar_one()
    assert comment == "оценка министерства"


def test_decimal_comma_in_a_comma_separated_file_is_refused_not_guessed(reference_engine, tmp_path):
    report = load_file(reference_engine, write(tmp_path, HEADER + 'IT.NET.USER.ZS,TJ,2023,"1,234",,,,\n'))
    assert [(p.row, p.column) for p in report.problems] == [(2, "value")]
    assert "ambiguous" in report.problems[0].reason


def test_xlsx_file_loads_and_bad_xlsx_rows_are_located(reference_engine, tmp_path):
    frame = pd.DataFrame(
        {
            "indicator_code": ["IT.NET.USER.ZS", "IT.NET.USER.ZS"],
            "geo_code": ["TJ", "TJ"],
            "period": ["2021", "2022-Q1"],
            "value": [28.34, 30.0],
        }
    )
    good = tmp_path / "good.xlsx"
    frame.to_excel(good, index=False)
    assert load_file(reference_engine, good).ok
    bad = tmp_path / "bad.xlsx"
    frame.assign(value=[28.34, 130.0]).to_excel(bad, index=False)
    report = load_file(reference_engine, bad)
    assert [(p.row, p.column) for p in report.problems] == [(3, "value")]


def test_unsupported_or_broken_files_are_rejected(reference_engine, tmp_path):
    assert "unsupported file type" in load_file(reference_engine, write(tmp_path, "x", "data.json")).problems[0].reason
    broken = write(tmp_path, "not a zip", "broken.xlsx")
    assert "cannot open as an Excel workbook" in load_file(reference_engine, broken).problems[0].reason
    missing = load_file(reference_engine, tmp_path / "absent.csv")
    assert not missing.ok


def test_a_load_that_loses_a_race_to_another_import_is_retried(reference_engine, tmp_path, backend):
    """Another transaction holds the same key uncommitted: the load waits, fails on commit of the
    other, retries once and records a new revision instead of 'the database refused the file'."""
    import threading
    import time
    from datetime import UTC, date, datetime

    from sqlalchemy import insert, text

    if backend != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: the race needs PostgreSQL")
    path = write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,40,,,,\n")
    result = {}
    with reference_engine.connect() as other:
        transaction = other.begin()
        batch = other.execute(
            insert(m.ImportBatch)
            .values(kind="observations", file_name="other.csv", checksum="0" * 64, rows=1, loaded_by="other",
                    loaded_at=datetime.now(UTC).replace(tzinfo=None), status="loaded")
            .returning(m.ImportBatch.id)
        ).scalar_one()  # fmt: skip
        other.execute(
            insert(m.Observation).values(
                indicator_code="IT.NET.USER.ZS", geo_code="TJ", period="2023", period_type="A",
                period_start=date(2023, 1, 1), period_end=date(2023, 12, 31), breakdown="total", value=39.0,
                flags="", source_code="WB-WDI", comment="", revision=1, is_current=True, import_batch_id=batch,
            )
        )  # fmt: skip
        thread = threading.Thread(target=lambda: result.update(report=load_file(reference_engine, path)))
        thread.start()
        with reference_engine.connect() as watcher:  # wait until the load is blocked on the key
            for _ in range(100):
                waiting = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                if watcher.execute(text(waiting)).scalar():
                    break
                time.sleep(0.1)
        transaction.commit()
        thread.join(60)
    report = result["report"]
    assert report.ok, report.summary()
    assert (report.stats.revised, report.stats.inserted) == (1, 0)
    assert current_values(reference_engine, "IT.NET.USER.ZS") == {("TJ", "2023"): 40.0}


def test_utf16_file_with_bom_loads_and_progress_is_reported(reference_engine, tmp_path):
    calls = []
    path = write(tmp_path, RU_TEXT, encoding="utf-16")
    report = load_file(reference_engine, path, progress=lambda rows, seconds: calls.append(rows))
    assert report.ok, report.summary()
    assert report.encoding == "utf-16" and calls == [2]
    assert current_values(reference_engine, "IT.NET.USER.ZS") == {("TJ", "2023"): 40.5}
