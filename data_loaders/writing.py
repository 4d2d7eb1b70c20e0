"""Write validated rows. Observations get revisions; every other table is keyed by its code.

All writes of one file happen in the caller's transaction, in bulk statements.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.orm import Session

from data_loaders import models as m
from data_loaders import row_models as r
from data_loaders.reference import Reference

CHUNK = 500  # keys per IN (...) lookup: well under SQLite's and PostgreSQL's parameter limits
INDICATOR_COUNTS = ("inserted", "revised", "unchanged")


@dataclass
class WriteStats:
    inserted: int = 0
    revised: int = 0
    updated: int = 0
    unchanged: int = 0
    # the indicators and breakdowns of the observations written (new or revised): the rollup's to rebuild
    indicators: set[str] = field(default_factory=set)
    breakdowns: set[str] = field(default_factory=set)
    # observations per indicator code: {"inserted": n, "revised": n, "unchanged": n}
    by_indicator: dict[str, dict[str, int]] = field(default_factory=dict)
    # observations written (new or revised) per (indicator, breakdown): which series a preview shows
    changed: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, more: WriteStats) -> None:
        """Add the stats of another chunk of the same file."""
        for name in ("inserted", "revised", "updated", "unchanged"):
            setattr(self, name, getattr(self, name) + getattr(more, name))
        self.indicators |= more.indicators
        self.breakdowns |= more.breakdowns
        for code, counts in more.by_indicator.items():
            mine = self.by_indicator.setdefault(code, dict.fromkeys(INDICATOR_COUNTS, 0))
            for name, count in counts.items():
                mine[name] += count
        self.changed.update(more.changed)

    def count(self, indicator_code: str, name: str) -> None:
        """One more observation of ``indicator_code`` that is ``name`` (inserted, revised, unchanged)."""
        setattr(self, name, getattr(self, name) + 1)
        self.by_indicator.setdefault(indicator_code, dict.fromkeys(INDICATOR_COUNTS, 0))[name] += 1

    def as_counts(self) -> dict:
        """What the import batch records in its ``counts`` column (JSON)."""
        counts: dict = {name: getattr(self, name) for name in ("inserted", "revised", "updated", "unchanged")}
        counts["by_indicator"] = {code: dict(self.by_indicator[code]) for code in sorted(self.by_indicator)}
        return counts


def _source_code(row: r.Row, ref: Reference, fallback: str | None = None) -> str:
    return getattr(row, "source_code", None) or ref.default_source or fallback


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def write_observations(session: Session, rows: list[r.ObservationRow], ref: Reference, batch_id: int) -> WriteStats:
    O_ = m.Observation
    keys = [(x.indicator_code, x.geo_code, x.period.code, x.breakdown) for x in rows]
    current, latest = {}, {}
    key_cols = tuple_(O_.indicator_code, O_.geo_code, O_.period, O_.breakdown)
    for chunk in _chunks(keys):
        # every revision, not only the current one: a key whose batch was rolled back has none
        # current, and its next revision must still come after the ones kept
        stmt = select(O_.indicator_code, O_.geo_code, O_.period, O_.breakdown, O_.id, O_.value, O_.flags, O_.revision)
        for row in session.execute(stmt.add_columns(O_.is_current).where(key_cols.in_(chunk))):
            key = tuple(row[:4])
            latest[key] = max(latest.get(key, 0), row.revision)
            if row.is_current:
                current[key] = row[4:7]
    stats, retire, new = WriteStats(), [], []
    for key, row in zip(keys, rows, strict=True):
        previous = current.get(key)
        if previous is not None and previous[1] == row.value and previous[2] == row.flags:
            stats.count(row.indicator_code, "unchanged")
            continue
        if previous is not None:
            retire.append(previous[0])
            stats.count(row.indicator_code, "revised")
        else:
            stats.count(row.indicator_code, "inserted")
        stats.indicators.add(row.indicator_code)
        stats.breakdowns.add(row.breakdown)
        stats.changed[(row.indicator_code, row.breakdown)] += 1
        new.append(
            {
                "indicator_code": row.indicator_code,
                "geo_code": row.geo_code,
                "period": row.period.code,
                "period_type": row.period.type,
                "period_start": row.period.start,
                "period_end": row.period.end,
                "breakdown": row.breakdown,
                "value": row.value,
                "flags": row.flags,
                "source_code": _source_code(row, ref, ref.indicators[row.indicator_code].source_code),
                "comment": row.comment,
                "revision": latest.get(key, 0) + 1,
                "is_current": True,
                "import_batch_id": batch_id,
            }
        )
    for chunk in _chunks(retire):
        session.execute(update(O_).where(O_.id.in_(chunk)).values(is_current=False))
    if new:
        session.execute(insert(O_), new)
    return stats


def write_targets(session: Session, rows: list[r.TargetRow], ref: Reference, batch_id: int) -> WriteStats:
    T = m.Target
    existing = {
        (t.indicator_code, t.geo_code, t.year, t.breakdown): t.id
        for t in session.execute(select(T.indicator_code, T.geo_code, T.year, T.breakdown, T.id))
    }
    records = []
    for row in rows:
        record = row.model_dump() | {
            "source_code": _source_code(row, ref, ref.indicators[row.indicator_code].source_code),
            "import_batch_id": batch_id,
        }
        target_id = existing.get((row.indicator_code, row.geo_code, row.year, row.breakdown))
        records.append(record | ({"id": target_id} if target_id else {}))
    return _upsert(session, T, records, "id")


def _upsert(session: Session, model: type[m.Base], records: list[dict], pk: str) -> WriteStats:
    """Insert new keys and update existing ones, in two bulk statements."""
    column = getattr(model, pk)
    wanted = [rec[pk] for rec in records if rec.get(pk) is not None]
    present = set()
    for chunk in _chunks(wanted):
        present |= set(session.scalars(select(column).where(column.in_(chunk))))
    to_update = [rec for rec in records if rec.get(pk) in present]
    to_insert = [rec for rec in records if rec.get(pk) not in present]
    if to_insert:
        session.execute(insert(model), to_insert)
    if to_update:
        session.execute(update(model), to_update)
    return WriteStats(inserted=len(to_insert), updated=len(to_update))


def upsert_writer(model: type[m.Base], pk: str, with_source: bool = True):
    """A writer for a table keyed by one code column (sources, geo, registry, park)."""

    def write(session: Session, rows: list[r.Row], ref: Reference, batch_id: int) -> WriteStats:
        records = []
        for row in rows:
            record = row.model_dump() | {"import_batch_id": batch_id}
            if with_source:
                record["source_code"] = _source_code(row, ref)
            records.append(record)
        return _upsert(session, model, records, pk)

    return write


def write_company_years(session: Session, rows: list[r.CompanyYearRow], ref: Reference, batch_id: int) -> WriteStats:
    """Company-years are keyed by (company, year): replace the stored years of these companies."""
    Y = m.ItCompanyYear
    keys = [(row.company_id, row.year) for row in rows]
    present = set()
    for chunk in _chunks(keys):
        present |= set(session.execute(select(Y.company_id, Y.year).where(tuple_(Y.company_id, Y.year).in_(chunk))))
    records = [row.model_dump() | {"source_code": _source_code(row, ref), "import_batch_id": batch_id} for row in rows]
    to_update = [rec for rec, key in zip(records, keys, strict=True) if key in present]
    to_insert = [rec for rec, key in zip(records, keys, strict=True) if key not in present]
    if to_insert:
        session.execute(insert(Y), to_insert)
    if to_update:
        session.execute(update(Y), to_update)
    return WriteStats(inserted=len(to_insert), updated=len(to_update))
