"""The loader's bulk path (issue 18): column-wise checks that say what the row model says, the
staged set-based write, the progress a person sees, and a load killed midway that leaves the
database (rows and rollup) exactly as it was, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from data_loaders import models as m
from data_loaders.datasets import DATASETS
from data_loaders.file_reading import open_table
from data_loaders.load import LoadReport, TerminalProgress, _Validation, load_file
from data_loaders.reference import Reference
from data_loaders.vector_checks import FRAME
from tests.unit.test_bad_inputs import database_checksum
from tests.unit.test_loader_observations import HEADER, write

ROOT = Path(__file__).resolve().parents[2]

# Rows the column-wise checks must judge exactly as the row model does: good ones written in
# their normalised form, bad ones with the same row, column, reason and value.
TRICKY = [
    "IT.NET.USER.ZS,TJ,2023,40.5,,,,",  # good, defaults
    "IT.NET.USER.ZS,TJ-SU, 2024q3 ,41.25,urban,p e,,'=survey",  # spaces, lower q, flags, neutralised
    "SP.POP.TOTL,TJ-KT,2024-07,3 700 000,total,E,WB-WDI,",  # spaced thousands
    "SP.POP.TOTL,TJ-KT,2024-08,3700000.5,total,,,",  # count not whole
    "SP.POP.TOTL,TJ-KT,2024-09,-1,total,,,",  # negative count
    "IT.NET.USER.ZS,TJ,2022,100.01,,,,",  # percent > 100
    "IT.NET.USER.ZS,TJ,2021,1e999,,,,",  # too large
    'IT.NET.USER.ZS,TJ,2020,"1,5",,,,',  # ambiguous decimal comma
    "IT.NET.USER.ZS,TJ,2019,+.5e1,,,,",  # plain, odd
    "IT.NET.USER.ZS,TJ,2018,4,,X,,",  # unknown flag
    "IT.NET.USER.ZS,TJ,2017,4,,,NOPE,",  # unknown source
    "IT.NET.USER.ZS,XX,2016,4,,,,",  # unknown geo
    "NO.SUCH,TJ,2015,4,,,,",  # unknown indicator
    "TJ.IT.JOBS,TJ,2015,4,,,,",  # derived indicator
    ",TJ,2014,4,,,,",  # empty indicator
    "IT.NET.USER.ZS,TJ,2013-13,4,,,,",  # month 13
    "IT.NET.USER.ZS,TJ,1899,4,,,,",  # year out of range
    "IT.NET.USER.ZS,TJ,2012,,,,,",  # empty value
    f"IT.NET.USER.ZS,TJ,2011,4,{'b' * 33},,,",  # breakdown too long
    "IT.NET.USER.ZS,TJ,2010,4,,E P B E,,",  # flags repeated
    "IT.NET.USER.ZS,TJ,2009,4,,,,bell \x07 in a comment",  # control character
    "IT.NET.USER.ZS,TJ,2008,4,,,,'\tindented",  # neutralised tab, stripped by the row model
    'IT.NET.USER.ZS,TJ,2007,4,,,,"two\nlines"',  # a line break in a cell
    "IT.NET.USER.ZS,TJ,2006,4",  # short row
    "IT.NET.USER.ZS,TJ,2005,4,,,,,extra",  # extra field
    ",,,,,,,",  # blank row: skipped, still numbered
    "IT.NET.USER.ZS,TJ,2023,41,total,,,",  # duplicate of row 2
    "IT.NET.USER.ZS,TJ,2004,-0.0,,,,",  # minus zero is a percentage
]


def _validate(engine, path: Path, bulk: bool, source: str | None = None):
    """Problems and valid rows of ``path`` by the bulk path or by the row model (the old path)."""
    from sqlalchemy.orm import Session

    table, dataset = open_table(path), DATASETS["observations"]
    report = LoadReport(file=path.name)
    with Session(engine) as session:
        ref = Reference(session, default_source=source)
        validation = _Validation(table, dataset, ref, report)
        if bulk:
            frames = []
            validation.check_and_stage(frames.append, None)
            rows = {r["n"]: tuple(r[c] for c in FRAME[1:]) for frame in frames for r in frame.to_dict("records")}
        else:
            kept = validation.check_file(None)
            rows = {
                n: (
                    row.indicator_code,
                    row.geo_code,
                    row.period.code,
                    row.period.type,
                    row.period.start.isoformat(),
                    row.period.end.isoformat(),
                    row.breakdown,
                    row.value,
                    row.flags,
                    row.source_code or source or getattr(ref.indicators.get(row.indicator_code), "source_code", None),
                    row.comment,
                )  # fmt: skip
                for chunk in kept
                for n, row in chunk
            }
    return sorted(set(report.problems)), rows, report.rows


@pytest.mark.parametrize("separator", [",", ";"])
def test_column_wise_checks_say_what_the_row_model_says(reference_engine, tmp_path, separator):
    lines = TRICKY if separator == "," else [line.replace(",", ";").replace('"1;5"', "1,5") for line in TRICKY]
    header = HEADER if separator == "," else HEADER.replace(",", ";")
    path = write(tmp_path, header + "\n".join(lines) + "\n")
    bulk_problems, bulk_rows, bulk_count = _validate(reference_engine, path, bulk=True)
    old_problems, old_rows, old_count = _validate(reference_engine, path, bulk=False)
    assert bulk_problems == old_problems and bulk_count == old_count
    assert len(bulk_problems) >= 15
    # the rows the row model accepts, alone in a file: the bulk path stages each in the same form
    good = sorted(set(old_rows) - {p.row for p in old_problems})
    assert len(good) >= 5
    path = write(tmp_path, header + "\n".join(lines[n - 2] for n in good) + "\n", "good.csv")
    bulk_problems, bulk_rows, _ = _validate(reference_engine, path, bulk=True)
    old_problems, old_rows, _ = _validate(reference_engine, path, bulk=False)
    assert bulk_problems == old_problems == [] and bulk_rows == old_rows and len(bulk_rows) == len(good)


def test_the_bulk_path_writes_new_revised_and_unchanged_rows_set_based(reference_engine, tmp_path):
    first = "".join(f"IT.NET.USER.ZS,TJ-DU,{2000 + i},{i},b{i % 3},,,\n" for i in range(30))
    assert load_file(reference_engine, write(tmp_path, HEADER + first, "a.csv")).ok
    second = "".join(
        f"IT.NET.USER.ZS,TJ-DU,{2000 + i},{i + (i % 2)},b{i % 3},,,\n" for i in range(40)
    )  # 15 revised (odd i < 30), 15 unchanged, 10 new
    report = load_file(reference_engine, write(tmp_path, HEADER + second, "b.csv"))
    assert report.ok, report.summary()
    s = report.stats
    assert (s.inserted, s.revised, s.unchanged) == (10, 15, 15)
    assert s.by_indicator == {"IT.NET.USER.ZS": {"inserted": 10, "revised": 15, "unchanged": 15}}
    assert s.breakdowns == {"b0", "b1", "b2"} and sum(s.changed.values()) == 25
    o = m.Observation
    with reference_engine.connect() as connection:
        rows = connection.execute(select(o.period, o.revision, o.is_current, o.value).order_by(o.period, o.revision))
        by_period: dict[str, list] = {}
        for period, revision, current, value in rows:
            by_period.setdefault(period, []).append((revision, bool(current), value))
        stages = connection.execute(select(func.count()).select_from(m.Observation)).scalar()
    assert stages == 30 + 25
    assert by_period["2001"] == [(1, False, 1.0), (2, True, 2.0)]  # revised
    assert by_period["2002"] == [(1, True, 2.0)]  # unchanged
    assert by_period["2035"] == [(1, True, 36.0)]  # new


def test_the_terminal_shows_the_time_left_and_the_rows_written(capsys):
    progress = TerminalProgress(total=100_000)
    progress(40_000, 2.0)
    progress.writing(100_000, 0.0)
    progress.written(100_000, 4.0)
    assert capsys.readouterr().err == (
        "\r  40,000 rows validated (20,000 rows/s), about 3 s left\n"
        "  writing 100,000 rows...\n"
        "  100,000 rows written in 4.0 s (25,000 rows/s)\n"
    )


def _rows(count: int, offset: int = 0, first: int = 0) -> str:
    """Rows ``first`` to ``first + count`` of a large file of distinct keys; ``offset`` changes the values."""
    geos = ("TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA", "TJ")
    return "".join(
        f"IT.NET.USER.ZS,{geos[i % 6]},{2000 + i // 24 % 24}-Q{i // 6 % 4 + 1},{(i + offset) % 1000 / 10:.1f},"
        f"b{i // 576},E,,row {i} of a large file\n"
        for i in range(first, first + count)
    )


class _Stderr:
    """What a child process prints on stderr so far, read by a thread (the pipe never blocks it)."""

    def __init__(self, child: subprocess.Popen) -> None:
        self.text = ""
        self._thread = threading.Thread(target=self._read, args=(child.stderr,), daemon=True)
        self._thread.start()

    def _read(self, pipe) -> None:
        while chunk := os.read(pipe.fileno(), 4096):
            self.text += chunk.decode("utf-8", "replace")

    def wait_for(self, words: str, child: subprocess.Popen, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and child.poll() is None:
            if words in self.text:
                return True
            time.sleep(0.02)
        return words in self.text


@pytest.fixture(scope="module")
def million_rows(tmp_path_factory) -> Path:
    """A valid file of 1,000,000 observations (about 60 MB), written once for the kill tests."""
    path = tmp_path_factory.mktemp("bulk") / "million.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        for start in range(0, 1_000_000, 50_000):
            handle.write(_rows(50_000, offset=1, first=start))
    return path


@pytest.mark.parametrize("moment", ["rows validated", "writing"])
def test_a_million_row_load_killed_midway_writes_nothing_and_leaves_the_rollup(
    reference_engine, tmp_path, million_rows, moment
):
    """SIGKILL while the million rows are being checked and staged, or once the set-based write
    into observation began: the rows, the rollup and the import batches are what they were, and
    the next load finds nothing left locked or half-staged."""
    small = load_file(reference_engine, write(tmp_path, HEADER + _rows(600), "small.csv"))
    assert small.ok, small.summary()
    with reference_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(m.ObservationRollup)).scalar() > 0
    before = database_checksum(reference_engine)
    url = reference_engine.url.render_as_string(hide_password=False)
    command = [sys.executable, "-m", "data_loaders.load", str(million_rows), "--database-url", url, "--progress"]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stderr = _Stderr(child)
    try:
        assert stderr.wait_for(moment, child, timeout=240), stderr.text
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL, stderr.text
    assert database_checksum(reference_engine) == before
    revised = load_file(reference_engine, write(tmp_path, HEADER + _rows(600, offset=1), "revised.csv"))
    assert revised.ok and revised.stats.revised == 600, revised.summary()
