"""Queries shared by every view: series of one indicator, metadata, sources, names."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, select

from data_loaders import models as m

LANGS = ("en", "ru", "tg")


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def read_frame(engine: Engine, stmt) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def series(
    engine: Engine,
    indicator_code: str,
    geo_codes: list[str] | None = None,
    breakdown: str = "total",
    lang: str = "en",
) -> pd.DataFrame:
    """Current values of one indicator, one row per geo and period, oldest first.

    Columns: geo_code, geo_name, period, period_start, value, flags, source_code, source_kind.
    """
    o, g, s = m.Observation, m.Geo, m.Source
    stmt = (
        select(
            o.geo_code,
            getattr(g, f"name_{_lang(lang)}").label("geo_name"),
            o.period,
            o.period_start,
            o.value,
            o.flags,
            o.source_code,
            s.kind.label("source_kind"),
        )
        .join(g, g.code == o.geo_code)
        .join(s, s.code == o.source_code)
        .where(o.indicator_code == indicator_code, o.is_current, o.breakdown == breakdown)
        .order_by(o.geo_code, o.period_start)
    )
    if geo_codes:
        stmt = stmt.where(o.geo_code.in_(geo_codes))
    return read_frame(engine, stmt)


def indicator(engine: Engine, code: str, lang: str = "en") -> dict | None:
    """Metadata of one indicator in the UI language, with its source; None if unknown."""
    lang = _lang(lang)
    i, s = m.Indicator, m.Source
    stmt = (
        select(
            i.code,
            i.theme,
            getattr(i, f"name_{lang}").label("name"),
            getattr(i, f"unit_{lang}").label("unit"),
            i.value_type,
            i.decimals,
            i.direction,
            i.frequency,
            i.derived,
            i.definition,
            i.method,
            s.code.label("source_code"),
            s.name.label("source_name"),
            s.url.label("source_url"),
            s.licence,
            s.kind.label("source_kind"),
        )
        .join(s, s.code == i.source_code)
        .where(i.code == code)
    )
    with engine.connect() as connection:
        row = connection.execute(stmt).mappings().first()
    return dict(row) if row else None


def indicators(engine: Engine, lang: str = "en") -> pd.DataFrame:
    """Every indicator's name and unit in the UI language, its decimals and its own source.
    Columns: code, name, unit, decimals, source_code."""
    lang = _lang(lang)
    i = m.Indicator
    stmt = select(
        i.code,
        getattr(i, f"name_{lang}").label("name"),
        getattr(i, f"unit_{lang}").label("unit"),
        i.decimals,
        i.source_code,
    ).order_by(i.code)
    return read_frame(engine, stmt)


def last_loaded(engine: Engine) -> date | None:
    """The day the newest batch still loaded was loaded (None before any load): the data date
    of reports, images and data files."""
    stmt = select(func.max(m.ImportBatch.loaded_at)).where(m.ImportBatch.status == "loaded")
    with engine.connect() as connection:
        value = connection.execute(stmt).scalar()
    return pd.Timestamp(value).date() if value is not None else None


def sources(engine: Engine, codes: list[str] | None = None, lang: str = "en") -> pd.DataFrame:
    """Sources with their licence and kind, for captions and the catalogue; ``name`` in the UI
    language where a translation is stored, in English otherwise."""
    s = m.Source
    lang = _lang(lang)
    name = s.name if lang == "en" else func.coalesce(func.nullif(getattr(s, f"name_{lang}"), ""), s.name)
    stmt = select(s.code, name.label("name"), s.url, s.licence, s.kind, s.retrieved, s.citation).order_by(
        s.kind, s.code
    )
    if codes is not None:
        stmt = stmt.where(s.code.in_(codes))
    return read_frame(engine, stmt)


def geos(engine: Engine, level: str | None = None, lang: str = "en") -> pd.DataFrame:
    """Geographies with their name in the UI language. Columns: code, level, parent_code, name."""
    g = m.Geo
    stmt = select(g.code, g.level, g.parent_code, getattr(g, f"name_{_lang(lang)}").label("name")).order_by(g.code)
    if level:
        stmt = stmt.where(g.level == level)
    return read_frame(engine, stmt)


def targets(engine: Engine, indicator_code: str | None = None) -> pd.DataFrame:
    """Targets with the document that set them. Columns: indicator_code, geo_code, year, value,
    breakdown, document, illustrative, source_code."""
    t = m.Target
    stmt = select(
        t.indicator_code, t.geo_code, t.year, t.value, t.breakdown, t.document, t.illustrative, t.source_code
    ).order_by(t.indicator_code, t.geo_code, t.year)
    if indicator_code:
        stmt = stmt.where(t.indicator_code == indicator_code)
    return read_frame(engine, stmt)
