"""The bad-input corpus: every file in tests/data/bad is rejected with its row, column and reason,
and the database is byte for byte what it was (a checksum of every table's rows), on SQLite and
PostgreSQL alike. Warnings, formula round trips and the large cases are checked here too."""

from __future__ import annotations

import csv
import hashlib
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_loaders import models as m
from data_loaders.file_reading import NEUTRALISED_PREFIXES
from data_loaders.load import load_file
from tests.unit.test_loader_observations import HEADER, write

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
CASES = list(csv.DictReader((BAD / "cases.csv").open(encoding="utf-8")))


def database_checksum(engine) -> str:
    """A hash of every row of every table, in key order: equal means nothing was written."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in m.Base.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{len(rows)}:{[tuple(r) for r in rows]!r}".encode())
    return digest.hexdigest()


def test_the_corpus_holds_at_least_forty_files_and_cases_csv_names_each():
    files = {p.name for p in BAD.iterdir()} - {"cases.csv"}
    assert len(files) >= 40
    assert files == {case["file"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_bad_file_is_rejected_with_row_column_reason_and_the_database_is_unchanged(seeded_engine, case):
    before = database_checksum(seeded_engine)
    report = load_file(seeded_engine, BAD / case["file"], kind=case["kind"] or None, source=case["source"] or None)
    assert not report.ok
    assert any(
        p.row == int(case["row"]) and p.column == case["column"] and case["reason"] in p.reason for p in report.problems
    ), report.summary()
    assert "nothing was written" in report.summary()
    assert database_checksum(seeded_engine) == before


def test_an_unknown_column_and_an_extra_sheet_are_warned_about_and_recorded(reference_engine, tmp_path):
    import openpyxl

    path = tmp_path / "two_sheets.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["indicator_code", "geo_code", "period", "value", "note"])
    workbook.active.append(["IT.NET.USER.ZS", "TJ", "2021", 28.34, "checked"])
    workbook.create_sheet("2022").append(["IT.NET.USER.ZS", "TJ", "2022", 30])
    workbook.save(path)
    report = load_file(reference_engine, path)
    assert report.ok, report.summary()
    expected = [
        "sheet '2022' was ignored: only the first sheet ('Sheet') is read",
        "column 'note' is not used in observations files and was ignored",
    ]
    assert report.warnings == expected
    assert "  warning: column 'note' is not used in observations files and was ignored" in report.summary()
    with reference_engine.connect() as connection:
        stored = connection.execute(select(m.ImportBatch.warnings).where(m.ImportBatch.id == report.batch_id)).scalar()
    assert stored == expected


def test_a_download_neutralised_formula_is_read_back_to_the_same_text(reference_engine, tmp_path):
    from exports.tables import FORMULA_PREFIXES, neutralise

    assert NEUTRALISED_PREFIXES == FORMULA_PREFIXES  # the loader undoes exactly what the downloads do
    comments = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2 revised", "@SUM(A1)", "'quoted", "plain"]
    rows = [
        f'IT.NET.USER.ZS,TJ,{2000 + i},{i},,,,"{neutralise(c).replace(chr(34), chr(34) * 2)}"\n'
        for i, c in enumerate(comments)
    ]
    report = load_file(reference_engine, write(tmp_path, HEADER + "".join(rows)))
    assert report.ok, report.summary()
    with reference_engine.connect() as connection:
        stored = dict(connection.execute(select(m.Observation.period, m.Observation.comment)).all())
    assert [stored[str(2000 + i)] for i in range(len(comments))] == comments


def test_an_xlsx_bomb_is_refused_before_it_is_parsed(reference_engine, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 20_000_000)  # 120 MB of XML, ~120 kB packed
    report = load_file(reference_engine, path)
    assert [(p.row, p.column) for p in report.problems] == [(0, "")]
    assert "times its size" in report.problems[0].reason and "save it as CSV" in report.problems[0].reason


def test_a_large_file_with_one_bad_last_row_is_rejected_at_that_row(reference_engine, tmp_path):
    good = "".join(f"IT.NET.USER.ZS,TJ,{2000 + i % 20},{i % 100},b{i // 20},,,\n" for i in range(60_000))
    path = write(tmp_path, HEADER + good + "IT.NET.USER.ZS,TJ,2023,1e999,,,,\n")
    before = database_checksum(reference_engine)
    report = load_file(reference_engine, path)
    assert [(p.row, p.column) for p in report.problems] == [(60_002, "value")]
    assert report.rows == 60_001
    assert database_checksum(reference_engine) == before


def test_a_file_past_the_kept_size_is_written_in_a_second_pass_with_duplicates_found(
    reference_engine, tmp_path, monkeypatch
):
    monkeypatch.setattr("data_loaders.load.CHUNK_ROWS", 40)  # a big file in miniature: 15 chunks
    monkeypatch.setattr("data_loaders.load.KEEP_ROWS", 100)  # too many rows to keep: read twice
    rows = [f"IT.NET.USER.ZS,TJ,{2000 + i % 20},{i % 100},b{i // 20},,,\n" for i in range(600)]
    report = load_file(reference_engine, write(tmp_path, HEADER + "".join(rows)))
    assert report.ok and report.stats.inserted == 600, report.summary()
    with reference_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(m.Observation)).scalar() == 600
    before = database_checksum(reference_engine)
    report = load_file(reference_engine, write(tmp_path, HEADER + "".join(rows) + rows[10], "dup.csv"))
    assert [(p.row, p.column) for p in report.problems] == [(602, "indicator_code")]
    assert "first at row 12" in report.problems[0].reason
    assert database_checksum(reference_engine) == before


def test_problems_beyond_the_cap_are_counted_not_listed(reference_engine, tmp_path):
    path = write(tmp_path, HEADER + "IT.NET.USER.ZS,TJ,2023,x,,,,\n" * 1500)
    report = load_file(reference_engine, path)
    assert len(report.problems) == 1000 and report.more_problems > 0
    assert "rejected, 1500 problem(s)" in report.summary() and "... and 500 more" in report.summary()
