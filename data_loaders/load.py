"""Load one CSV/XLSX file: validate every row, then write all rows in one transaction, or none.

The file is streamed in chunks of rows, so memory does not grow with its size. Observations take
the bulk path: each chunk is checked column-wise (``vector_checks``) and its valid rows are staged
in a temporary table as they pass (``bulk_write``: COPY on PostgreSQL, executemany on SQLite);
once every row is good, set-based statements write them and the rollup, in the same transaction.

Command line::

    python -m data_loaders.load FILE [--kind KIND] [--source CODE] [--dry-run] [--progress]

prints a summary, or every problem with file, row, column and reason and exits with code 1. On a
terminal (or with ``--progress``) it shows the rows validated, rows per second, the time left and
the rows written on stderr.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from data_loaders import import_preview, rollup
from data_loaders import models as m
from data_loaders.bulk_write import Staging
from data_loaders.cell_rules import control_character_problems, storage_problems
from data_loaders.checks import check_themes, kind_theme_problem
from data_loaders.completeness_warnings import incomplete_period_warnings
from data_loaders.datasets import DATASETS, Dataset, detect_kind
from data_loaders.db import make_engine, session_scope
from data_loaders.file_checks import DuplicateKeys
from data_loaders.file_reading import FileReadError, RawRow, TableFile, open_table
from data_loaders.import_preview import ImportPreview
from data_loaders.periods import Period
from data_loaders.problems import Problem
from data_loaders.reference import Reference
from data_loaders.schema import upgrade_database
from data_loaders.vector_checks import Block, KeyHashes, ObservationChecks
from data_loaders.writing import WriteStats

CHUNK_ROWS = 10_000  # rows validated (and written) at a time
KEEP_ROWS = 50_000  # a file up to this size is written from its validated rows, without a second read
MAX_PROBLEMS = 1_000  # problems listed; beyond that they are counted ("and N more")
ANOTHER_IMPORT = "another import of the same data is running; try again"
MAX_VALUE = 200  # characters of an offending cell kept in a problem
THEMED_KINDS = ("observations", "targets")  # kinds whose rows take their indicator's theme


class RejectedFile(Exception):
    """Raised inside the transaction so that nothing of a bad file is written."""


@dataclass
class LoadReport:
    file: str
    kind: str = ""
    rows: int = 0
    encoding: str = ""
    separator: str = ""
    dry_run: bool = False
    batch_id: int | None = None
    stats: WriteStats = field(default_factory=WriteStats)
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # found beyond MAX_PROBLEMS, not listed
    warnings: list[str] = field(default_factory=list)
    # observations: the main KPI's national series before and after the file (None: none changed)
    preview: ImportPreview | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def by_indicator(self) -> dict[str, dict[str, int]]:
        """Observations new, revised and unchanged per indicator code (``{}`` for other kinds)."""
        return self.stats.by_indicator

    def add_problems(self, problems: list[Problem]) -> None:
        room = MAX_PROBLEMS - len(self.problems)
        self.problems += problems[: max(room, 0)]
        self.more_problems += max(len(problems) - max(room, 0), 0)

    def summary(self) -> str:
        warnings = [f"  warning: {w}" for w in self.warnings]
        if not self.ok:
            total = len(self.problems) + self.more_problems
            lines = [f"{self.file}: rejected, {total} problem(s); nothing was written"]
            more = [f"  ... and {self.more_problems} more"] if self.more_problems else []
            return "\n".join(lines + [f"  {p}" for p in self.problems] + more + warnings)
        s = self.stats
        verb = "checked (dry run, nothing written)" if self.dry_run else f"loaded as import batch {self.batch_id}"
        sep = {",": "comma", ";": "semicolon", "\t": "tab", "": "-"}.get(self.separator, self.separator)
        return "\n".join(
            [
                f"{self.file}: {self.rows} {self.kind} rows {verb}",
                f"  new: {s.inserted}, new revisions: {s.revised}, updated: {s.updated}, unchanged: {s.unchanged}",
                *[
                    f"    {code}: new {c['inserted']}, new revisions {c['revised']}, unchanged {c['unchanged']}"
                    for code, c in sorted(s.by_indicator.items())
                ],
                f"  encoding: {self.encoding}, separator: {sep}",
                *warnings,
            ]
        )


Progress = Callable[[int, float], None]  # (rows validated so far, seconds since the start)


def _reason(error: dict) -> str:
    value = error.get("input")
    if value in ("", None):
        return "is empty"
    message = error["msg"].removeprefix("Value error, ")
    return message if f"'{value}'" in message else f"'{value}': {message}"


def _cell(value: object) -> str:
    """A value as a problem shows it: the text of the cell, at most MAX_VALUE characters."""
    if value is None or isinstance(value, dict | list):
        text = ""
    elif isinstance(value, Period):
        text = value.code
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _with_values(problems: list[Problem], rows: dict[int, object]) -> list[Problem]:
    """Fill the value of each problem from its row's validated cell, where it has none yet."""
    filled = []
    for p in problems:
        row = rows.get(p.row)
        if not p.value and p.column and row is not None and hasattr(row, p.column):
            p = replace(p, value=_cell(getattr(row, p.column)))
        filled.append(p)
    return filled


def _open(path: Path, kind: str | None, report: LoadReport) -> tuple[TableFile, Dataset] | None:
    """Open the file and check its header, before a single body row is read."""
    try:
        table = open_table(path)
    except FileReadError as exc:
        report.problems.append(Problem(exc.row, "", str(exc)))
        return None
    except OSError as exc:
        report.problems.append(Problem(0, "", str(exc)))
        return None
    report.encoding, report.separator = table.encoding, table.separator
    if kind is not None and kind not in DATASETS:
        report.problems.append(Problem(0, "", f"unknown kind '{kind}': use one of {', '.join(DATASETS)}"))
        return None
    dataset = DATASETS[kind or detect_kind(table.columns)]
    report.kind = dataset.kind
    report.warnings += table.warnings
    for position, name in enumerate(table.columns, start=1):
        if not name:
            report.warnings.append(f"column {position} has no name and was ignored")
        elif name not in dataset.columns:
            report.warnings.append(f"column '{name}' is not used in {dataset.kind} files and was ignored")
    for name, count in Counter(c for c in table.columns if c).items():
        if count > 1:
            positions = " and ".join(str(i) for i, c in enumerate(table.columns, start=1) if c == name)
            report.problems.append(
                Problem(1, name, f"the column appears {count} times (columns {positions}): keep one")
            )
    missing = [c for c in dataset.required if c not in table.columns]
    for column in missing:
        report.problems.append(
            Problem(
                1, column, f"required column is missing (a {dataset.kind} file needs {', '.join(dataset.required)})"
            )
        )
    return None if report.problems else (table, dataset)


def _chunks(rows: Iterator[RawRow]) -> Iterator[list[RawRow]]:
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield chunk


class _Validation:
    """One streaming pass: cell rules, row model, storage limits and checks, chunk by chunk."""

    def __init__(
        self,
        table: TableFile,
        dataset: Dataset,
        ref: Reference,
        report: LoadReport,
        themes: frozenset[str] | None = None,
    ) -> None:
        self.table, self.dataset, self.ref, self.report = table, dataset, ref, report
        self.themes = themes if dataset.kind in THEMED_KINDS else None
        self.context = {"separator": table.separator}
        self.columns = [c for c in dataset.columns if c in table.columns]

    def rows(self, raw_rows: list[RawRow]) -> list[tuple[int, object]]:
        """The chunk's valid rows; the problems of the others go to the report."""
        rows, problems = [], []
        for raw in raw_rows:
            if raw.problem:
                problems.append(Problem(raw.number, "", raw.problem))
                continue
            record = {c: raw.cells[c] for c in self.columns}
            found = [replace(p, value=_cell(record[p.column])) for p in control_character_problems(raw.number, record)]
            if not found:
                try:
                    row = self.dataset.model.model_validate(record, context=self.context)
                except ValidationError as exc:
                    found = [
                        Problem(
                            raw.number, str(e["loc"][0]) if e["loc"] else "", _reason(e), value=_cell(e.get("input"))
                        )
                        for e in exc.errors()
                    ]
                else:
                    found = _with_values(storage_problems(raw.number, row, self.dataset.table), {raw.number: row})
            if found:
                problems += found
            else:
                rows.append((raw.number, row))
        self.report.add_problems(problems)
        return rows

    def chunks(self, wanted: set[int] | None = None) -> Iterator[list[tuple[int, object]]]:
        """Validated chunks of the file (only rows numbered in ``wanted`` if given)."""
        try:
            for raw_rows in _chunks(self.table.rows()):
                if wanted is not None:
                    raw_rows = [raw for raw in raw_rows if raw.number in wanted]
                yield self.rows(raw_rows)
        except FileReadError as exc:
            self.report.add_problems([Problem(exc.row, "", str(exc))])

    def check_file(self, progress: Progress | None) -> list[list[tuple[int, object]]] | None:
        """Validate every row; the validated chunks if the file is small enough to keep, else None."""
        started = time.monotonic()
        duplicates = DuplicateKeys(self.dataset.key)
        file_wide = [make() for make in self.dataset.file_checks]
        kept: list[list[tuple[int, object]]] | None = []
        for raw_rows in _chunks(self._counted(self.table.rows())):
            rows = self.rows(raw_rows)
            checked = self.dataset.check(rows, self.ref) + check_themes(rows, self.ref, self.themes)
            self.report.add_problems(_with_values(checked, dict(rows)) if checked else [])
            duplicates.add(rows)
            for check in file_wide:
                check.add(rows)
            if kept is not None and self.report.rows <= KEEP_ROWS:
                kept.append(rows)
            else:
                kept = None
            if progress:
                progress(self.report.rows, time.monotonic() - started)
        candidates = duplicates.candidate_rows()
        if candidates:
            pool = kept if kept is not None else self.chunks(candidates)
            pairs = dict(pair for rows in pool for pair in rows if pair[0] in candidates)
            self.report.add_problems(_with_values(duplicates.problems(list(pairs.items())), pairs))
        wide = [p for check in file_wide for p in check.problems(self.ref)]
        if wide and kept is not None:  # a file too large to keep is not read again for the values
            numbers = {p.row for p in wide}
            wide = _with_values(wide, {n: row for rows in kept for n, row in rows if n in numbers})
        self.report.add_problems(wide)
        if not self.report.rows and not self.report.problems:
            self.report.problems.append(Problem(0, "", "the file has no data rows"))
        return kept

    def check_pairs(self, rows: list[tuple[int, object]]) -> None:
        """The checks of the dataset and the account's themes on rows the row model accepted."""
        checked = self.dataset.check(rows, self.ref) + check_themes(rows, self.ref, self.themes)
        self.report.add_problems(_with_values(checked, dict(rows)) if checked else [])

    def check_and_stage(self, stage: Callable, progress: Progress | None) -> None:
        """Observations: validate every row column-wise, chunk by chunk (``vector_checks``), and
        hand each chunk's valid rows to ``stage`` while the file has no problem yet; one pass."""
        started = time.monotonic()
        hashes = KeyHashes()
        checks = ObservationChecks(
            self.columns, self.table.columns, self.table.separator, self.ref, self.themes, self.rows, self.check_pairs
        )
        try:
            for numbers, records, odd in self.table.blocks(CHUNK_ROWS):
                frame, count = checks.block(Block(numbers, records, odd))
                self.report.rows += count
                hashes.add(frame)
                if not self.report.problems:
                    stage(frame)
                if progress:
                    progress(self.report.rows, time.monotonic() - started)
        except FileReadError as exc:
            self.report.add_problems([Problem(exc.row, "", str(exc))])
        candidates = hashes.candidate_rows()
        if candidates:
            pairs = dict(pair for rows in self.chunks(candidates) for pair in rows if pair[0] in candidates)
            duplicates = DuplicateKeys(self.dataset.key)
            self.report.add_problems(_with_values(duplicates.problems(list(pairs.items())), pairs))
        if not self.report.rows and not self.report.problems:
            self.report.problems.append(Problem(0, "", "the file has no data rows"))

    def _counted(self, rows: Iterator[RawRow]) -> Iterator[RawRow]:
        try:
            for raw in rows:
                self.report.rows += 1
                yield raw
        except FileReadError as exc:
            self.report.add_problems([Problem(exc.row, "", str(exc))])


def _is_unique_violation(exc: IntegrityError) -> bool:
    """A concurrent import of the same keys committed first: a retry sees its rows and succeeds."""
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc.orig)


def load_file(
    engine: Engine,
    path: Path | str,
    *,
    kind: str | None = None,
    source: str | None = None,
    dry_run: bool = False,
    loaded_by: str | None = None,
    progress: Progress | None = None,
    themes: frozenset[str] | None = None,
) -> LoadReport:
    """Validate ``path`` and, if every row is good and not ``dry_run``, write it as one import batch.

    The file is read as a stream twice at most: once to validate every row, once to write (in
    one transaction, chunk by chunk); a small file is written from the first pass.

    ``themes`` restricts what may be loaded (a staff account's themes, ``accounts.roles.THEMES``):
    observation and target rows of an indicator of another theme are problems on their rows, a
    file of another kind's theme is refused as a whole. None: every theme (admin, command line).
    """
    path = Path(path)
    themes = None if themes is None else frozenset(themes)
    report = LoadReport(file=path.name, dry_run=dry_run)
    opened = _open(path, kind, report)
    if opened is None:
        return _finish(report)
    table, dataset = opened
    refused = kind_theme_problem(dataset.kind, themes)
    if refused is not None:
        report.problems.append(refused)
        return _finish(report)
    for attempt in (1, 2):
        try:
            _validate_and_write(engine, table, dataset, report, source, dry_run, loaded_by, progress, themes)
            break
        except RejectedFile:
            break
        except IntegrityError as exc:
            if _is_unique_violation(exc) and attempt == 1:
                report = LoadReport(
                    file=report.file, kind=report.kind, encoding=report.encoding, separator=report.separator,
                    dry_run=dry_run, warnings=report.warnings,
                )  # fmt: skip
                continue
            reason = ANOTHER_IMPORT if _is_unique_violation(exc) else f"the database refused the file: {exc.orig}"
            report.problems.append(Problem(0, "", reason))
            break
    return _finish(report)


def _validate_and_write(
    engine: Engine,
    table: TableFile,
    dataset: Dataset,
    report: LoadReport,
    source: str | None,
    dry_run: bool,
    loaded_by: str | None,
    progress: Progress | None,
    themes: frozenset[str] | None = None,
) -> None:
    checksum = _checksum(table.path)
    with session_scope(engine) as session:
        ref = Reference(session, default_source=source)
        validation = _Validation(table, dataset, ref, report, themes)
        staging = None
        if dataset.kind == "observations":  # the bulk path: column-wise checks, rows staged as they pass
            for loaded in (ref.indicators, ref.geo_levels, ref.sources):  # read before the staging starts
                assert loaded is not None
            staging = Staging(session.connection())
            validation.check_and_stage(staging.append, progress)
            kept = None
            if not report.problems and _checksum(table.path) != checksum:
                report.problems.append(Problem(0, "", "the file changed while it was being loaded: load it again"))
        else:
            kept = validation.check_file(progress)
        if report.problems:
            raise RejectedFile
        batch = m.ImportBatch(
            kind=dataset.kind,
            file_name=table.path.name,
            checksum=checksum,
            rows=report.rows,
            loaded_by=loaded_by or getpass.getuser(),
            loaded_at=datetime.now(UTC).replace(tzinfo=None),
            status="checked" if dry_run else "loaded",
            warnings=list(report.warnings),  # a copy: the batch is updated if more are found
        )
        session.add(batch)
        session.flush()
        if staging is not None:
            started = time.monotonic()
            _tell(progress, "writing", staging.rows, 0.0)
            report.stats.add(staging.write(batch.id))
            staging.close()
            _tell(progress, "written", staging.rows, time.monotonic() - started)
        else:
            # A kept file is written in one call, as its key lookups then all run before any insert.
            for chunk in [[pair for rows in kept for pair in rows]] if kept is not None else validation.chunks():
                report.stats.add(dataset.write(session, [row for _, row in chunk], ref, batch.id))
            if kept is None and (report.problems or _checksum(table.path) != checksum):
                report.problems.append(Problem(0, "", "the file changed while it was being loaded: load it again"))
        observations = dataset.kind == "observations" and not report.problems
        # the main KPI as it stood: the rollup is not rebuilt yet, the retired revisions are kept
        before = import_preview.capture_before(session.connection(), report.stats, batch.id) if observations else None
        if not report.problems:  # before the warnings: they read the new rollup, uncommitted
            stats = report.stats
            rollup.rebuild_after_load(session.connection(), dataset.kind, stats.indicators, stats.breakdowns)
        if observations:
            report.preview = import_preview.finish(session.connection(), before)
            found = incomplete_period_warnings(session, batch.id)
            report.warnings += [w for w in found if w not in report.warnings]  # a retry finds them again
            batch.warnings = list(report.warnings)
        batch.counts = report.stats.as_counts()
        session.flush()
        if dry_run or report.problems:
            raise RejectedFile
        report.batch_id = batch.id


def _tell(progress: Progress | None, what: str, rows: int, seconds: float) -> None:
    """Tell a progress display that can show it (``writing`` or ``written``) how the write goes."""
    show = getattr(progress, what, None)
    if show is not None:
        show(rows, seconds)


def _checksum(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _finish(report: LoadReport) -> LoadReport:
    report.problems = sorted(set(report.problems), key=lambda p: (p.row, p.column, p.reason))
    report.problems = [Problem(p.row, p.column, p.reason, report.file, p.value) for p in report.problems]
    return report


class TerminalProgress:
    """Rows validated, rows per second and (given the file's rows) the time left on stderr, at most
    once a second, then the rows written, for a person watching."""

    def __init__(self, total: int = 0) -> None:
        self.shown_at = 0.0
        self.total = total  # about how many rows the file holds (0: unknown, no time left shown)

    def __call__(self, rows: int, seconds: float) -> None:
        if seconds - self.shown_at >= 1:
            self.shown_at = seconds
            rate = rows / seconds
            left = f", about {(self.total - rows) / rate:,.0f} s left" if self.total > rows and rate else ""
            print(f"\r  {rows:,} rows validated ({rate:,.0f} rows/s){left}", end="", file=sys.stderr, flush=True)

    def writing(self, rows: int, _seconds: float) -> None:
        self.done()
        print(f"  writing {rows:,} rows...", file=sys.stderr, flush=True)
        self.shown_at = 0.0

    def written(self, rows: int, seconds: float) -> None:
        rate = f" ({rows / seconds:,.0f} rows/s)" if seconds else ""
        print(f"  {rows:,} rows written in {seconds:,.1f} s{rate}", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.shown_at:
            print(file=sys.stderr)
            self.shown_at = 0.0


def main(argv: list[str] | None = None) -> int:
    from config import Config
    from data_loaders.staging import data_rows

    parser = argparse.ArgumentParser(prog="python -m data_loaders.load", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--kind", choices=sorted(DATASETS), help="kind of file (detected from its columns)")
    parser.add_argument("--source", help="source code for rows without a source_code column")
    parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    parser.add_argument("--database-url", help="default: DATABASE_URL or the SQLite file under instance/")
    parser.add_argument(
        "--progress", action="store_true", help="show progress on stderr even when it is not a terminal"
    )
    args = parser.parse_args(argv)
    config = Config.from_env()
    engine = make_engine(args.database_url or config.database_url)
    upgrade_database(engine)  # the seed data is the app's to load (SEED_ON_START): an empty database stays empty
    progress = TerminalProgress(data_rows(args.file)) if args.progress or sys.stderr.isatty() else None
    report = load_file(engine, args.file, kind=args.kind, source=args.source, dry_run=args.dry_run, progress=progress)
    if progress:
        progress.done()
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
