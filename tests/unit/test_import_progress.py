"""The import page's progress: the figures the command line prints, in the UI language, at a
pace the job store can take, fed by a real load of a file through ``load_file``."""

from __future__ import annotations

from components.import_progress import PageProgress
from data_loaders.load import load_file
from tests.unit.test_loader_bulk import _rows
from tests.unit.test_loader_observations import HEADER, write


def test_rows_validated_then_written_with_pace_and_time_left():
    shown: list[tuple] = []
    progress = PageProgress(shown.append, total=100_000, lang="en")
    progress(10_000, 0.5)
    progress(20_000, 0.7)  # within half a second of the last: not sent
    progress(40_000, 2.0)
    progress.writing(100_000, 0.0)
    progress.written(100_000, 4.0)
    assert shown == [
        (10, "10,000 / 100,000", "20,000 rows/s, about 4 s left"),
        (40, "40,000 / 100,000", "20,000 rows/s, about 3 s left"),
        (100, "100,000 / 100,000", "All 100,000 rows are valid: writing them…"),
        (100, "100,000 / 100,000", "100,000 rows written in 4.0 s (25,000 rows/s)"),
    ]


def test_the_last_rows_are_always_shown_and_the_words_follow_the_language():
    shown: list[tuple] = []
    progress = PageProgress(shown.append, total=50_000, lang="ru")
    progress(40_000, 1.0)
    progress(50_000, 1.1)  # the end of the file is shown however soon it comes
    progress.written(50_000, 2.0)
    assert [value for value, _, _ in shown] == [80, 100, 100]
    assert shown[0][1] == "40\xa0000 / 50\xa0000"
    assert "строк" in shown[0][2] and "rows" not in shown[0][2]
    assert "строк" in shown[-1][2] and "2,0" in shown[-1][2]


def test_a_real_load_reports_every_phase(reference_engine, tmp_path):
    shown: list[tuple] = []
    path = write(tmp_path, HEADER + _rows(25_000), "large.csv")
    report = load_file(reference_engine, path, progress=PageProgress(shown.append, 25_000, "en", every=0))
    assert report.ok, report.summary()
    assert [label for _, label, _ in shown][-1] == "25,000 / 25,000"
    texts = [text for _, _, text in shown]
    assert texts[-2] == "All 25,000 rows are valid: writing them…"
    assert texts[-1].startswith("25,000 rows written in ")
