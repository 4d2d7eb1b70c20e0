"""Roll an import batch back: its observation revisions stop being current and, per key, the
previous revision becomes current again. Nothing is deleted; the roll-back is itself an import
batch (status ``rollback``, naming the batch it undid), and the batch undone is marked
``rolled back``. One transaction, with the rollup of the indicators touched rebuilt in it.

Per key, the current revision is always the latest one whose batch was not rolled back: the
loader adds a revision after every kept one, and a batch can only be rolled back while it holds
the latest revision of each of its keys (else a later batch revised them: that one goes first).

Command line::

    python -m data_loaders.rollback BATCH_ID [--database-url URL] [--by NAME]

prints what it did, or why it refused (exit code 1).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, and_, func, select, tuple_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, aliased

from data_loaders import models as m
from data_loaders import rollup
from data_loaders.db import make_engine, session_scope
from data_loaders.reasons import Reason
from i18n import N_

ROLLED_BACK, ROLLBACK = "rolled back", "rollback"
KEY = ("indicator_code", "geo_code", "period", "breakdown")
CONCURRENT = Reason(N_("another import or roll-back of the same data is running; try again"))


class Refused(Exception):
    """Raised inside the transaction so that a refused roll-back writes nothing."""


@dataclass
class RollbackReport:
    batch_id: int
    reason: str | None = None  # why it was refused; None when it was rolled back
    rollback_batch_id: int | None = None  # the audit entry
    reverted: int = 0  # the batch's revisions that stopped being current
    restored: int = 0  # earlier revisions that became current again (keys new in the batch have none)
    indicators: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.reason is None

    def summary(self) -> str:
        if not self.ok:
            return f"import batch {self.batch_id} was not rolled back: {self.reason}"
        return (
            f"import batch {self.batch_id} rolled back as import batch {self.rollback_batch_id}: "
            f"{self.reverted} value(s) no longer current, {self.restored} earlier value(s) current again "
            f"({', '.join(self.indicators) or 'no indicator'})"
        )


def _key(table) -> tuple:
    return tuple(getattr(table, name) for name in KEY)


def _same_key(a, b):
    return and_(*[x == y for x, y in zip(_key(a), _key(b), strict=True)])


def rollback_refusal(bind: Session | Connection, batch_id: int) -> str | None:
    """Why import batch ``batch_id`` cannot be rolled back, or None when it can."""
    return rollback_refusals(bind, [batch_id])[batch_id]


def rollback_refusals(bind: Session | Connection, batch_ids: Iterable[int]) -> dict[int, str | None]:
    """``rollback_refusal`` of each of these batches (an audit list), in a few queries for all."""
    wanted = sorted(set(batch_ids))
    b, o = m.ImportBatch, m.Observation
    batches = {
        row.id: row for row in bind.execute(select(b.id, b.kind, b.status, b.reverts_batch_id).where(b.id.in_(wanted)))
    }
    undone_by = {
        reverted: by
        for reverted, by in bind.execute(
            select(b.reverts_batch_id, func.min(b.id))
            .where(b.reverts_batch_id.in_(wanted))
            .group_by(b.reverts_batch_id)
        )
    }
    refusals: dict[int, str | None] = {}
    live = []
    for batch_id in wanted:
        refusals[batch_id] = _refusal(batch_id, batches.get(batch_id), undone_by.get(batch_id))
        if refusals[batch_id] is None:
            live.append(batch_id)
    if live:
        # a live batch's revisions stop being current only when a later live batch revises them
        stale = bind.execute(
            select(o.import_batch_id).where(o.import_batch_id.in_(live), o.is_current.is_(False)).distinct()
        )
        for (batch_id,) in stale.all():
            refusals[batch_id] = _revised_later(bind, batch_id)
    return refusals


def _refusal(batch_id: int, batch, undone_by: int | None) -> str | None:
    """What the batch row alone refuses."""
    if batch is None:
        return Reason(N_("there is no import batch {batch_id}"), batch_id=batch_id)
    if batch.status == ROLLED_BACK:
        if undone_by is not None:
            return Reason(
                N_("import batch {batch_id} is already rolled back (by import batch {by})"),
                batch_id=batch_id,
                by=undone_by,
            )
        return Reason(N_("import batch {batch_id} is already rolled back"), batch_id=batch_id)
    if batch.status == "checked":
        return Reason(N_("import batch {batch_id} was a dry run: it wrote nothing"), batch_id=batch_id)
    if batch.status == ROLLBACK:
        return Reason(
            N_(
                "import batch {batch_id} is itself the roll-back of import batch {undone}; load that file again instead"
            ),
            batch_id=batch_id,
            undone=batch.reverts_batch_id,
        )
    if batch.status != "loaded":  # e.g. "rejected": an upload whose problems kept it from being written
        return Reason(
            N_("import batch {batch_id} was not loaded ({status}): it wrote nothing to roll back"),
            batch_id=batch_id,
            status=batch.status,
        )
    if batch.kind != "observations":
        return Reason(
            N_("{kind} files replace rows in place and keep no earlier version; load the previous file again instead"),
            kind=batch.kind,
        )
    return None


def _revised_later(bind: Session | Connection, batch_id: int) -> str | None:
    """The first later batch, not rolled back, that revised values of this one, named."""
    mine, later, later_batch = m.Observation, aliased(m.Observation), aliased(m.ImportBatch)
    first, keys = bind.execute(
        select(func.min(later.import_batch_id), func.count(func.distinct(mine.id)))
        .select_from(mine)
        .join(later, and_(_same_key(later, mine), later.revision > mine.revision))
        .join(later_batch, later_batch.id == later.import_batch_id)
        .where(mine.import_batch_id == batch_id, later_batch.status != ROLLED_BACK)
    ).one()
    if first is None:
        return None
    return Reason(
        N_("import batch {later} revised {keys} of its values later; roll back import batch {later} first"),
        later=first,
        keys=keys,
    )


def _revert(session: Session, batch_id: int) -> tuple[int, int, set[str], set[str]]:
    """Retire the batch's revisions and make each key's previous kept revision current again:
    (reverted, restored, indicators, breakdowns)."""
    o = m.Observation
    series = session.execute(select(o.indicator_code, o.breakdown).where(o.import_batch_id == batch_id).distinct())
    indicators, breakdowns = set(), set()
    for indicator, breakdown in series:
        indicators.add(indicator)
        breakdowns.add(breakdown)
    reverted = session.execute(
        update(o)
        .where(o.import_batch_id == batch_id, o.is_current)
        .values(is_current=False)
        .execution_options(synchronize_session=False)
    ).rowcount
    # per key of the batch, the latest earlier revision of a batch not rolled back
    mine, earlier, batch = aliased(m.Observation), aliased(m.Observation), m.ImportBatch
    previous = (
        select(*_key(earlier), func.max(earlier.revision))
        .select_from(mine)
        .join(earlier, and_(_same_key(earlier, mine), earlier.revision < mine.revision))
        .join(batch, batch.id == earlier.import_batch_id)
        .where(mine.import_batch_id == batch_id, batch.status != ROLLED_BACK, batch.id != batch_id)
        .group_by(*_key(earlier))
    )
    restored = session.execute(
        update(o)
        .where(tuple_(*_key(o), o.revision).in_(previous), o.is_current.is_(False))
        .values(is_current=True)
        .execution_options(synchronize_session=False)
    ).rowcount
    return reverted, restored, indicators, breakdowns


def rollback_batch(engine: Engine, batch_id: int, by: str) -> RollbackReport:
    """Roll back import batch ``batch_id`` in one transaction, as ``by`` (an account or OS user);
    refused, with the reason and nothing written, where ``rollback_refusal`` says why."""
    report = RollbackReport(batch_id)
    try:
        with session_scope(engine) as session:
            b = m.ImportBatch
            # on PostgreSQL, a second roll-back of the same batch waits here and then sees it done
            batch = session.execute(select(b).where(b.id == batch_id).with_for_update()).scalar_one_or_none()
            report.reason = rollback_refusal(session, batch_id)
            if report.reason is not None:
                raise Refused
            reverted, restored, indicators, breakdowns = _revert(session, batch_id)
            batch.status = ROLLED_BACK
            entry = m.ImportBatch(
                kind=batch.kind,
                file_name=batch.file_name,
                checksum=batch.checksum,
                rows=reverted,
                loaded_by=by,
                loaded_at=datetime.now(UTC).replace(tzinfo=None),
                status=ROLLBACK,
                warnings=[],
                counts={"reverted": reverted, "restored": restored},
                reverts_batch_id=batch_id,
            )
            session.add(entry)
            session.flush()
            rollup.rebuild_after_load(session.connection(), "observations", indicators, breakdowns)
            report.reverted, report.restored, report.indicators = reverted, restored, sorted(indicators)
            report.rollback_batch_id = entry.id
    except Refused:
        pass
    except (IntegrityError, OperationalError) as exc:
        if not _concurrent(exc):
            raise
        report = RollbackReport(batch_id, reason=CONCURRENT)
    return report


def _concurrent(exc: IntegrityError | OperationalError) -> bool:
    """A load of the same keys committed meanwhile (two current revisions), or a lock was not had."""
    if isinstance(exc, IntegrityError):
        return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc.orig)
    return getattr(exc.orig, "sqlstate", None) in ("40001", "40P01", "55P03") or "database is locked" in str(exc.orig)


def main(argv: list[str] | None = None) -> int:
    from config import Config
    from data_loaders.schema import upgrade_database

    parser = argparse.ArgumentParser(prog="python -m data_loaders.rollback", description=__doc__.splitlines()[0])
    parser.add_argument("batch_id", type=int, help="the import batch to roll back (see the audit list on /data)")
    parser.add_argument("--database-url", help="default: DATABASE_URL or the SQLite file under instance/")
    parser.add_argument("--by", help="who rolls it back, for the audit trail (default: the OS user)")
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url or Config.from_env().database_url)
    upgrade_database(engine)
    report = rollback_batch(engine, args.batch_id, args.by or getpass.getuser())
    print(report.summary())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
