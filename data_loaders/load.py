"""Load one CSV/XLSX file: validate every row, then write all rows in one transaction, or none.

Command line::

    python -m data_loaders.load FILE [--kind KIND] [--source CODE] [--dry-run]

prints a summary, or every problem with file, row, column and reason and exits with code 1.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from data_loaders import models as m
from data_loaders.datasets import DATASETS, Dataset, detect_kind
from data_loaders.db import session_scope
from data_loaders.file_reading import FileReadError, Table, read_table
from data_loaders.problems import Problem
from data_loaders.reference import Reference
from data_loaders.writing import WriteStats


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

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            lines = [f"{self.file}: rejected, {len(self.problems)} problem(s); nothing was written"]
            return "\n".join(lines + [f"  {p}" for p in self.problems])
        s = self.stats
        verb = "checked (dry run, nothing written)" if self.dry_run else f"loaded as import batch {self.batch_id}"
        sep = {",": "comma", ";": "semicolon", "\t": "tab", "": "-"}.get(self.separator, self.separator)
        return (
            f"{self.file}: {self.rows} {self.kind} rows {verb}\n"
            f"  new: {s.inserted}, new revisions: {s.revised}, updated: {s.updated}, unchanged: {s.unchanged}\n"
            f"  encoding: {self.encoding}, separator: {sep}"
        )


def _reason(error: dict) -> str:
    value = error.get("input")
    if value in ("", None):
        return "is empty"
    message = error["msg"].removeprefix("Value error, ")
    return message if f"'{value}'" in message else f"'{value}': {message}"


def _validate_rows(table: Table, dataset: Dataset) -> tuple[list[tuple[int, object]], list[Problem]]:
    rows, problems = [], []
    context = {"separator": table.separator}
    columns = [c for c in dataset.columns if c in table.frame.columns]
    for index, record in enumerate(table.frame[columns].to_dict("records")):
        n = index + 2  # spreadsheet row number: the header is row 1
        try:
            rows.append((n, dataset.model.model_validate(record, context=context)))
        except ValidationError as exc:
            problems += [Problem(n, str(e["loc"][0]) if e["loc"] else "", _reason(e)) for e in exc.errors()]
    return rows, problems


def _duplicates(rows: list[tuple[int, object]], dataset: Dataset) -> list[Problem]:
    def key(row: object) -> tuple:
        return tuple(getattr(getattr(row, c), "code", getattr(row, c)) for c in dataset.key)

    first_seen: dict[tuple, int] = {}
    counts = Counter(key(row) for _, row in rows)
    problems = []
    for n, row in rows:
        k = key(row)
        if counts[k] > 1:
            if k in first_seen:
                label = ", ".join(str(v) for v in k)
                problems.append(Problem(n, dataset.key[0], f"duplicate key ({label}), first at row {first_seen[k]}"))
            else:
                first_seen[k] = n
    return problems


def _read(path: Path, kind: str | None, report: LoadReport) -> tuple[Table, Dataset] | None:
    try:
        table = read_table(path)
    except (FileReadError, OSError) as exc:
        report.problems.append(Problem(0, "", str(exc)))
        return None
    report.encoding, report.separator = table.encoding, table.separator
    if kind is not None and kind not in DATASETS:
        report.problems.append(Problem(0, "", f"unknown kind '{kind}': use one of {', '.join(DATASETS)}"))
        return None
    dataset = DATASETS[kind or detect_kind(list(table.frame.columns))]
    report.kind = dataset.kind
    missing = [c for c in dataset.required if c not in table.frame.columns]
    if missing:
        for column in missing:
            report.problems.append(
                Problem(
                    1, column, f"required column is missing (a {dataset.kind} file needs {', '.join(dataset.required)})"
                )
            )
        return None
    if table.frame.empty:
        report.problems.append(Problem(0, "", "the file has no data rows"))
        return None
    return table, dataset


def load_file(
    engine: Engine,
    path: Path | str,
    *,
    kind: str | None = None,
    source: str | None = None,
    dry_run: bool = False,
    loaded_by: str | None = None,
) -> LoadReport:
    """Validate ``path`` and, if every row is good and not ``dry_run``, write it as one import batch."""
    path = Path(path)
    report = LoadReport(file=path.name, dry_run=dry_run)
    read = _read(path, kind, report)
    if read is None:
        return _finish(report)
    table, dataset = read
    rows, report.problems = _validate_rows(table, dataset)
    report.rows = len(table.frame)
    report.problems += _duplicates(rows, dataset)
    try:
        with session_scope(engine) as session:
            ref = Reference(session, default_source=source)
            report.problems += dataset.check(rows, ref)
            if report.problems:
                raise RejectedFile
            batch = m.ImportBatch(
                kind=dataset.kind,
                file_name=path.name,
                checksum=hashlib.sha256(path.read_bytes()).hexdigest(),
                rows=len(rows),
                loaded_by=loaded_by or getpass.getuser(),
                loaded_at=datetime.now(UTC).replace(tzinfo=None),
                status="checked" if dry_run else "loaded",
            )
            session.add(batch)
            session.flush()
            report.stats = dataset.write(session, [row for _, row in rows], ref, batch.id)
            if dry_run:
                raise RejectedFile
            report.batch_id = batch.id
    except RejectedFile:
        pass
    except IntegrityError as exc:  # a database rule the checks above did not foresee
        report.problems.append(Problem(0, "", f"the database refused the file: {exc.orig}"))
    return _finish(report)


def _finish(report: LoadReport) -> LoadReport:
    report.problems = sorted(set(report.problems), key=lambda p: (p.row, p.column, p.reason))
    report.problems = [Problem(p.row, p.column, p.reason, report.file) for p in report.problems]
    return report


def main(argv: list[str] | None = None) -> int:
    from config import Config
    from data_loaders.seed import prepare_database

    parser = argparse.ArgumentParser(prog="python -m data_loaders.load", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--kind", choices=sorted(DATASETS), help="kind of file (detected from its columns)")
    parser.add_argument("--source", help="source code for rows without a source_code column")
    parser.add_argument("--dry-run", action="store_true", help="check the file, write nothing")
    parser.add_argument("--database-url", help="default: DATABASE_URL or the SQLite file under instance/")
    args = parser.parse_args(argv)
    config = Config.from_env()
    engine = prepare_database(args.database_url or config.database_url, log=lambda msg: print(msg, file=sys.stderr))
    report = load_file(engine, args.file, kind=args.kind, source=args.source, dry_run=args.dry_run)
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
