"""Catalogue queries: what every indicator is, where its numbers come from, and when they were loaded.

Why a module of its own: the /data page, the machine API and the bulk ZIP all describe the same
provenance (source, licence, kind, import batch), so they read it through the same queries.
Every function filters and groups in SQL and returns a small DataFrame (or a dict for one record).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, case, func, or_, select

from data_loaders import models as m
from data_loaders.queries.common import _lang, read_frame

CATALOGUE_COLUMNS = [
    "code",
    "theme",
    "name",
    "unit",
    "definition",
    "method",
    "frequency",
    "derived",
    "source_code",
    "source",
    "source_url",
    "licence",
    "kind",
    "observations",
    "synthetic_observations",
    "geos",
    "first_period",
    "last_period",
    "last_batch",
    "last_loaded",
]


def _stats():
    """Counts of current observations per indicator, with the period range and the latest batch."""
    o, s, b = m.Observation, m.Source, m.ImportBatch
    return (
        select(
            o.indicator_code,
            func.count().label("observations"),
            func.sum(case((s.kind == "synthetic", 1), else_=0)).label("synthetic_observations"),
            func.count(func.distinct(o.geo_code)).label("geos"),
            func.min(o.period_start).label("first_start"),
            func.max(o.period_start).label("last_start"),
            func.max(o.import_batch_id).label("last_batch"),
            func.max(b.loaded_at).label("last_loaded"),
        )
        .join(s, s.code == o.source_code)
        .join(b, b.id == o.import_batch_id)
        .where(o.is_current)
        .group_by(o.indicator_code)
        .subquery("stats")
    )


def _period_at(start_column, indicator_code_column):
    """The period code of the current observation of an indicator starting at ``start_column``."""
    o = m.Observation
    return (
        select(func.min(o.period))
        .where(o.indicator_code == indicator_code_column, o.is_current, o.period_start == start_column)
        .scalar_subquery()
    )


def catalogue(
    engine: Engine,
    lang: str = "en",
    theme: str | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> pd.DataFrame:
    """Every indicator with its metadata, source, licence, kind, coverage and last load.

    Args:
        engine: the database.
        lang: language of names and units (en, ru, tg).
        theme: only this theme (connectivity, it_sector, park, population).
        kind: only indicators whose source is of this kind (official, partner, synthetic).
        q: only indicators whose code or name (in any language) contains this text, any case.

    Returns:
        One row per indicator, columns :data:`CATALOGUE_COLUMNS`; derived indicators (computed
        from the registry or the park tables) have 0 observations and empty periods.
    """
    lang = _lang(lang)
    i, s = m.Indicator, m.Source
    stats = _stats()
    stmt = (
        select(
            i.code,
            i.theme,
            getattr(i, f"name_{lang}").label("name"),
            getattr(i, f"unit_{lang}").label("unit"),
            i.definition,
            i.method,
            i.frequency,
            i.derived,
            s.code.label("source_code"),
            s.name.label("source"),
            s.url.label("source_url"),
            s.licence,
            s.kind,
            func.coalesce(stats.c.observations, 0).label("observations"),
            func.coalesce(stats.c.synthetic_observations, 0).label("synthetic_observations"),
            func.coalesce(stats.c.geos, 0).label("geos"),
            _period_at(stats.c.first_start, i.code).label("first_period"),
            _period_at(stats.c.last_start, i.code).label("last_period"),
            stats.c.last_batch,
            stats.c.last_loaded,
        )
        .join(s, s.code == i.source_code)
        .outerjoin(stats, stats.c.indicator_code == i.code)
        .order_by(i.theme, i.code)
    )
    if theme:
        stmt = stmt.where(i.theme == theme)
    if kind:
        stmt = stmt.where(s.kind == kind)
    if q and q.strip():
        needle = f"%{q.strip()}%"
        stmt = stmt.where(or_(*(col.ilike(needle) for col in (i.code, i.name_en, i.name_ru, i.name_tg))))
    frame = read_frame(engine, stmt)
    return frame.astype(
        {"observations": int, "synthetic_observations": int, "geos": int, "derived": bool, "last_batch": "Int64"}
    )


def observations(
    engine: Engine,
    indicator_code: str,
    geo_codes: list[str] | None = None,
    start: date | None = None,
    end: date | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Current observations of one indicator, every breakdown, with source and kind.

    Args:
        engine: the database.
        indicator_code: the indicator.
        geo_codes: only these geographies (all when None or empty).
        start: only periods starting on or after this day.
        end: only periods starting on or before this day.
        lang: language of the geo names.

    Returns:
        Columns indicator_code, geo_code, geo_name, period, period_start, breakdown, value, flags,
        source_code, source_kind, comment, revision, import_batch_id; by geo, breakdown and period.
    """
    o, g, s = m.Observation, m.Geo, m.Source
    stmt = (
        select(
            o.indicator_code,
            o.geo_code,
            getattr(g, f"name_{_lang(lang)}").label("geo_name"),
            o.period,
            o.period_start,
            o.breakdown,
            o.value,
            o.flags,
            o.source_code,
            s.kind.label("source_kind"),
            o.comment,
            o.revision,
            o.import_batch_id,
        )
        .join(g, g.code == o.geo_code)
        .join(s, s.code == o.source_code)
        .where(o.indicator_code == indicator_code, o.is_current)
        .order_by(o.geo_code, o.breakdown, o.period_start)
    )
    if geo_codes:
        stmt = stmt.where(o.geo_code.in_(geo_codes))
    if start is not None:
        stmt = stmt.where(o.period_start >= start)
    if end is not None:
        stmt = stmt.where(o.period_start <= end)
    return read_frame(engine, stmt)


def chart_series(engine: Engine, indicator_code: str, lang: str = "en", limit: int = 8) -> pd.DataFrame:
    """The total series of at most ``limit`` geographies, highest level first, for one readable chart.

    Country and neighbours come first, then regions, then districts (by code), so a district
    indicator draws a handful of lines rather than 58; the table and the CSV hold every geo.
    Columns: geo_code, geo_name, level, period, period_start, value, source_code, source_kind.
    """
    o, g, s = m.Observation, m.Geo, m.Source
    rank = case((g.level.in_(("country", "neighbour")), 0), (g.level == "region", 1), else_=2)
    chosen = (
        select(o.geo_code)
        .join(g, g.code == o.geo_code)
        .where(o.indicator_code == indicator_code, o.is_current, o.breakdown == "total")
        .group_by(o.geo_code, rank)
        .order_by(rank, o.geo_code)
        .limit(limit)
        .subquery("chosen")
    )
    stmt = (
        select(
            o.geo_code,
            getattr(g, f"name_{_lang(lang)}").label("geo_name"),
            g.level,
            o.period,
            o.period_start,
            o.value,
            o.source_code,
            s.kind.label("source_kind"),
        )
        .join(chosen, chosen.c.geo_code == o.geo_code)
        .join(g, g.code == o.geo_code)
        .join(s, s.code == o.source_code)
        .where(o.indicator_code == indicator_code, o.is_current, o.breakdown == "total")
        .order_by(o.geo_code, o.period_start)
    )
    return read_frame(engine, stmt)


def revisions(engine: Engine, indicator_code: str) -> pd.DataFrame:
    """Each import batch that brought values of one indicator, and what it changed.

    Columns: batch_id, file_name, checksum, loaded_by, loaded_at, status, values (rows of this
    indicator in the batch), new (first values of a key), revised (replaced an earlier value),
    still_current (not yet replaced by a later batch); newest batch first.
    """
    o, b = m.Observation, m.ImportBatch
    stmt = (
        select(
            b.id.label("batch_id"),
            b.file_name,
            b.checksum,
            b.loaded_by,
            b.loaded_at,
            b.status,
            func.count().label("values"),
            func.sum(case((o.revision == 1, 1), else_=0)).label("new"),
            func.sum(case((o.revision > 1, 1), else_=0)).label("revised"),
            func.sum(case((o.is_current, 1), else_=0)).label("still_current"),
        )
        .join(b, b.id == o.import_batch_id)
        .where(o.indicator_code == indicator_code)
        .group_by(b.id, b.file_name, b.checksum, b.loaded_by, b.loaded_at, b.status)
        .order_by(b.id.desc())
    )
    return read_frame(engine, stmt)


def breaks(engine: Engine, indicator_code: str, lang: str = "en") -> pd.DataFrame:
    """Current observations flagged ``B`` (break in series): the value is not comparable with before.

    Columns: geo_code, geo_name, period, breakdown, value, comment.
    """
    o, g = m.Observation, m.Geo
    stmt = (
        select(
            o.geo_code,
            getattr(g, f"name_{_lang(lang)}").label("geo_name"),
            o.period,
            o.breakdown,
            o.value,
            o.comment,
        )
        .join(g, g.code == o.geo_code)
        .where(o.indicator_code == indicator_code, o.is_current, o.flags.contains("B"))
        .order_by(o.geo_code, o.period_start)
    )
    return read_frame(engine, stmt)


def import_batches(engine: Engine, limit: int | None = None, batch_id: int | None = None) -> pd.DataFrame:
    """The audit trail: every import batch (or only ``batch_id``), newest first.

    Columns: id, kind, file_name, checksum, rows, loaded_by, loaded_at, status, counts (what the
    loader counted: inserted, revised, updated, unchanged; ``{"problems": n}`` for a rejected file;
    ``{}`` before migration 0005), warnings (text lines), reverts_batch_id (the batch a "rollback"
    undid, else None), total (batches in all, whatever ``limit`` cuts).
    """
    b = m.ImportBatch
    total = select(func.count()).select_from(b).scalar_subquery()
    stmt = select(
        b.id,
        b.kind,
        b.file_name,
        b.checksum,
        b.rows,
        b.loaded_by,
        b.loaded_at,
        b.status,
        b.counts,
        b.warnings,
        b.reverts_batch_id,
        total.label("total"),
    ).order_by(b.id.desc())
    if batch_id is not None:
        stmt = stmt.where(b.id == batch_id)
    if limit:
        stmt = stmt.limit(limit)
    frame = read_frame(engine, stmt)
    return frame.astype({"reverts_batch_id": "Int64"})


def indicator_sources(engine: Engine, indicator_code: str) -> pd.DataFrame:
    """The sources of one indicator: its own and those of its current observations.

    Columns: code, name, url, licence, kind, retrieved, citation.
    """
    i, o, s = m.Indicator, m.Observation, m.Source
    used = select(o.source_code).where(o.indicator_code == indicator_code, o.is_current).distinct()
    own = select(i.source_code).where(i.code == indicator_code)
    stmt = (
        select(s.code, s.name, s.url, s.licence, s.kind, s.retrieved, s.citation)
        .where(or_(s.code.in_(used), s.code.in_(own)))
        .order_by(s.kind, s.code)
    )
    return read_frame(engine, stmt)


def theme_counts(engine: Engine) -> pd.DataFrame:
    """Current observations by theme and kind of source. Columns: theme, kind, observations."""
    o, i, s = m.Observation, m.Indicator, m.Source
    stmt = (
        select(i.theme, s.kind, func.count().label("observations"))
        .select_from(o)
        .join(i, i.code == o.indicator_code)
        .join(s, s.code == o.source_code)
        .where(o.is_current)
        .group_by(i.theme, s.kind)
        .order_by(i.theme, s.kind)
    )
    return read_frame(engine, stmt)


def observation_sources(engine: Engine) -> pd.DataFrame:
    """The sources that current observations name. Columns: code, name, url, licence, kind."""
    o, s = m.Observation, m.Source
    used = select(o.source_code).where(o.is_current).distinct()
    stmt = select(s.code, s.name, s.url, s.licence, s.kind).where(s.code.in_(used)).order_by(s.kind, s.code)
    return read_frame(engine, stmt)
