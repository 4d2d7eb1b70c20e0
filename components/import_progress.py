"""The loader's progress as the import page shows it, with the figures the command line prints:
rows validated of the file's rows, rows per second and the time left, then the rows written.

An instance is the ``progress`` argument of ``data_loaders.load.load_file`` inside a background
job: the loader calls it with (rows validated, seconds) after each chunk, then ``writing`` and
``written`` around the set-based write. Each call hands the page's progress outputs, (bar value,
bar label, text under the bar), to the job's ``set_progress``, at most every ``every`` seconds
while rows are validated (each update is a write to the job store and a poll's worth of bytes).
"""

from __future__ import annotations

from collections.abc import Callable

from i18n import N_, format_number, translator

CHECKED = N_("{rate} rows/s, about {left} s left")
WRITING = N_("All {rows} rows are valid: writing them…")
WRITTEN = N_("{rows} rows written in {seconds} s ({rate} rows/s)")


class PageProgress:
    """``load_file``'s progress, sent to a background callback's progress outputs."""

    def __init__(self, set_progress: Callable, total: int, lang: str | None, every: float = 0.5) -> None:
        self.set_progress = set_progress
        self.total = total  # the file's data rows (0: unknown)
        self.lang = lang
        self.every = every
        self.shown_at: float | None = None
        self.t = translator(lang)

    def _number(self, value: float, digits: int = 0) -> str:
        return format_number(value, digits, self.lang)

    def _bar(self, rows: int) -> tuple[int, str]:
        done = min(rows, self.total) if self.total else rows
        percent = round(100 * done / self.total) if self.total else 100
        return percent, f"{self._number(done)} / {self._number(self.total)}"

    def __call__(self, rows: int, seconds: float) -> None:
        finished = bool(self.total) and rows >= self.total
        if self.shown_at is not None and seconds - self.shown_at < self.every and not finished:
            return
        self.shown_at = seconds
        rate = rows / seconds if seconds > 0 else 0.0
        text = ""
        if rate and self.total > rows:
            left = self._number((self.total - rows) / rate)
            text = self.t(CHECKED).format(rate=self._number(rate), left=left)
        self.set_progress((*self._bar(rows), text))

    def writing(self, rows: int, _seconds: float) -> None:
        self.set_progress((*self._bar(self.total or rows), self.t(WRITING).format(rows=self._number(rows))))

    def written(self, rows: int, seconds: float) -> None:
        rate = self._number(rows / seconds) if seconds > 0 else "–"
        text = self.t(WRITTEN).format(rows=self._number(rows), seconds=self._number(seconds, 1), rate=rate)
        self.set_progress((*self._bar(self.total or rows), text))
