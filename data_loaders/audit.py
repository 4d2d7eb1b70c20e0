"""The audit trail of browser imports beyond what the loader records itself.

The loader writes an import batch for every file it loads. A file whose dry run found problems
writes nothing, yet the attempt belongs in the audit trail ("rejected, 12 problems, by ada"):
:func:`record_rejected` writes it as a batch with status ``rejected`` that holds no rows.
:func:`report_record` turns a :class:`~data_loaders.load.LoadReport` into the JSON kept next to
an upload (``data_loaders.staging``), from which the import page draws, downloads and loads.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from sqlalchemy import Engine

from data_loaders import models as m
from data_loaders.db import session_scope

REJECTED = "rejected"


def problem_count(report) -> int:
    return len(report.problems) + int(getattr(report, "more_problems", 0) or 0)


def record_rejected(engine: Engine, report, by: str, checksum: str, file_name: str | None = None) -> int:
    """Write the rejected upload ``report`` as an import batch (status ``rejected``, no rows
    written); its id.

    Args:
        engine: the database.
        report: the dry run's ``LoadReport`` (with problems).
        by: the account's user name.
        checksum: sha256 of the file.
        file_name: the name shown in the audit list (default: the report's file).
    """
    with session_scope(engine) as session:
        batch = m.ImportBatch(
            kind=(report.kind or "unknown")[:32],
            file_name=(file_name or report.file)[:255],
            checksum=checksum,
            rows=report.rows,
            loaded_by=by[:64],
            loaded_at=datetime.now(UTC).replace(tzinfo=None),
            status=REJECTED,
            warnings=list(report.warnings),
            counts={"problems": problem_count(report)},
        )
        session.add(batch)
        session.flush()
        return batch.id


def _preview_record(preview) -> dict | None:
    if preview is None:
        return None
    record = asdict(preview)
    record["before"] = [[period, value] for period, value in preview.before]
    record["after"] = [[period, value] for period, value in preview.after]
    record["incomplete"] = list(getattr(preview, "incomplete", ()) or ())
    return record


def report_record(report) -> dict:
    """The report as JSON-safe data: what the page shows, downloads and checks before a load."""
    stats = report.stats
    return {
        "file": report.file,
        "ok": not report.problems,
        "kind": report.kind,
        "rows": report.rows,
        "encoding": report.encoding,
        "separator": report.separator,
        "stats": {name: getattr(stats, name, 0) for name in ("inserted", "revised", "updated", "unchanged")},
        "by_indicator": {code: dict(c) for code, c in sorted((getattr(stats, "by_indicator", None) or {}).items())},
        "problems": [[p.row, p.column, p.value, p.reason] for p in report.problems],
        "more_problems": int(getattr(report, "more_problems", 0) or 0),
        "warnings": list(report.warnings),
        "preview": _preview_record(getattr(report, "preview", None)),
        "batch_id": report.batch_id,
    }
