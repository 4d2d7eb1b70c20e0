"""``python -m data_loaders.load`` as staff run it: summary and exit 0, or every problem and exit 1."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.unit.test_loader_observations import HEADER, table_counts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(seeded_sqlite_url, tmp_path) -> str:
    """A private copy of the seeded SQLite database."""
    copy = tmp_path / "cli.sqlite3"
    shutil.copy(seeded_sqlite_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data_loaders.load", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_loads_a_good_file(database, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text(HEADER + "IT.NET.USER.ZS,TJ,2025,44.1,,P,,\n", encoding="utf-8")
    result = run(str(path), "--database-url", database)
    assert result.returncode == 0, result.stderr
    assert "new.csv: 1 observations rows loaded as import batch" in result.stdout


def test_cli_rejects_a_bad_file_with_every_problem_and_exit_1(database, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "IT.NET.USER.ZS,TJ,2025,144,,,,\nIT.NET.USER.ZS,TJ,2025-Q9,4,,,,\nNO.CODE,TJ,2025,1,,,,\n",
        encoding="utf-8",
    )
    engine = create_engine(database)
    before = table_counts(engine)
    result = run(str(path), "--database-url", database)
    assert result.returncode == 1
    assert "bad.csv: rejected, 3 problem(s); nothing was written" in result.stdout
    assert "bad.csv: row 2, column 'value': 144 is a percentage outside 0-100" in result.stdout
    assert "bad.csv: row 3, column 'period'" in result.stdout
    assert "bad.csv: row 4, column 'indicator_code': unknown indicator code 'NO.CODE'" in result.stdout
    assert table_counts(engine) == before


def test_cli_dry_run_writes_nothing(database, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text(HEADER + "IT.NET.USER.ZS,TJ,2025,44.1,,,,\n", encoding="utf-8")
    engine = create_engine(database)
    before = table_counts(engine)
    result = run(str(path), "--dry-run", "--database-url", database)
    assert result.returncode == 0 and "dry run, nothing written" in result.stdout
    assert table_counts(engine) == before


def test_terminal_progress_shows_rows_and_rate_at_most_once_a_second(capsys):
    from data_loaders.load import TerminalProgress

    progress = TerminalProgress()
    progress(10_000, 0.5)
    assert capsys.readouterr().err == ""
    progress(40_000, 2.0)
    progress(45_000, 2.5)
    progress.done()
    assert capsys.readouterr().err == "\r  40,000 rows validated (20,000 rows/s)\n"
