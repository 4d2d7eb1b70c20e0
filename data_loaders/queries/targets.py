"""Targets with the series each one measures: the data behind the targets page and the KPI cards.

One function, :func:`indicator_series`, gives any indicator as ``(period, period_end, value)``
whether it is observed directly (national or neighbour series), weighted up from districts
(synthetic coverage), or derived from the raw registry and park tables.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine, select

from data_loaders import models as m
from data_loaders.queries.common import _lang, read_frame
from data_loaders.queries.connectivity import weighted_series
from data_loaders.queries.overview import company_series
from data_loaders.queries.park import stats

COMPANY_COLUMNS = {
    "TJ.IT.COMP.ACTIVE": "companies",
    "TJ.IT.JOBS": "jobs",
    "TJ.IT.REV.USD": "revenue_usd",
    "TJ.IT.EXP.USD": "exports_usd",
}
PARK_COLUMNS = {"TJ.PARK.OCC.ZS": "occupancy_pct", "TJ.PARK.TENANTS": "tenants", "TJ.PARK.JOBS": "jobs"}
PARK_REGION = "TJ-DU"  # IT Park Dushanbe: all its buildings are in the capital
FIRST_COMPANY_YEAR = 2015
SERIES_COLUMNS = ["period", "period_end", "value"]


def targets(engine: Engine, lang: str = "en") -> pd.DataFrame:
    """Every target with its indicator's name, unit, decimals, direction and theme, and its geo.

    Columns: indicator_code, name, unit, decimals, direction, value_type, theme, frequency, geo_code, geo_name,
    year, value, document, illustrative, source_code.
    """
    lang = _lang(lang)
    t, i, g = m.Target, m.Indicator, m.Geo
    stmt = (
        select(
            t.indicator_code,
            getattr(i, f"name_{lang}").label("name"),
            getattr(i, f"unit_{lang}").label("unit"),
            i.decimals,
            i.direction,
            i.value_type,
            i.theme,
            i.frequency,
            t.geo_code,
            getattr(g, f"name_{lang}").label("geo_name"),
            t.year,
            t.value,
            t.document,
            t.illustrative,
            t.source_code,
        )
        .join(i, i.code == t.indicator_code)
        .join(g, g.code == t.geo_code)
        .where(t.breakdown == "total")
        .order_by(i.theme, t.indicator_code, t.geo_code, t.year)
    )
    frame = read_frame(engine, stmt)
    frame["illustrative"] = frame["illustrative"].astype(bool)
    return frame


def month_ends(first: date, last: date) -> list[date]:
    """The last day of every month from ``first``'s month to the month before ``last``, then ``last``."""
    days, month = [], date(first.year, first.month, 1)
    while True:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = nxt - timedelta(days=1)
        if end >= last:
            break
        days.append(end)
        month = nxt
    return [*days, last]


def _park(engine: Engine, code: str, as_of: date) -> pd.DataFrame:
    b = m.ParkBuilding
    first = read_frame(engine, select(b.opened).order_by(b.opened).limit(1))
    if first.empty or first["opened"].iloc[0] > as_of:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    frame = stats(engine, month_ends(first["opened"].iloc[0], as_of))
    return pd.DataFrame(
        {
            "period": [d.isoformat() for d in frame["as_of"]],
            "period_end": frame["as_of"],
            "value": frame[PARK_COLUMNS[code]],
        }
    )


def _companies(engine: Engine, code: str, region: str | None, as_of: date) -> pd.DataFrame:
    frame = company_series(engine, FIRST_COMPANY_YEAR, as_of.year - 1, region)
    if code != "TJ.IT.COMP.ACTIVE":  # sums exist only for years the registry reports
        frame = frame[frame["jobs"] > 0]
    return pd.DataFrame(
        {
            "period": frame["year"].astype(str),
            "period_end": [date(int(y), 12, 31) for y in frame["year"]],
            "value": frame[COMPANY_COLUMNS[code]].astype(float),
        }
    )


def indicator_series(engine: Engine, code: str, geo_code: str = "TJ", as_of: date | None = None) -> pd.DataFrame:
    """The series of one indicator for one geo, oldest first, whatever its kind.

    Args:
        engine: the database.
        code: indicator code.
        geo_code: ``TJ``, a region code, or a neighbour's code.
        as_of: today, for derived series (the park at month ends up to this day; the registry
            up to the last complete year).

    Returns:
        Columns period (label), period_end (date), value; empty when there is nothing for the geo.
    """
    as_of = as_of or date.today()
    region = None if geo_code == "TJ" else geo_code
    if code in PARK_COLUMNS:
        return _park(engine, code, as_of) if geo_code in ("TJ", PARK_REGION) else pd.DataFrame(columns=SERIES_COLUMNS)
    if code in COMPANY_COLUMNS:
        return _companies(engine, code, region, as_of)
    direct = read_frame(
        engine,
        select(m.Observation.period, m.Observation.period_end, m.Observation.value)
        .where(
            m.Observation.indicator_code == code,
            m.Observation.geo_code == geo_code,
            m.Observation.is_current,
            m.Observation.breakdown == "total",
        )
        .order_by(m.Observation.period_start),
    )
    if not direct.empty:
        return direct
    # district-level indicators (synthetic coverage) are weighted up to the region or the country
    level, geo_codes = ("region", [region]) if region else ("country", None)
    return weighted_series(engine, code, level, geo_codes=geo_codes)[SERIES_COLUMNS]
