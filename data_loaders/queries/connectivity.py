"""Connectivity queries: district figures weighted by population into regions and the country.

Coverage is reported per coverage unit (58 districts plus Dushanbe city). A region's or the
country's coverage is the share of its *people* covered, so every aggregate is weighted by the
unit's modelled population (TJ.POP.MODEL) of the same year; "people without coverage" is
population x (100 - coverage) / 100. All of it is computed in SQL and runs on SQLite and
PostgreSQL alike (SQLAlchemy Core, no dialect-specific SQL).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, case, func, literal, select
from sqlalchemy.orm import aliased

from data_loaders import models as m
from data_loaders.queries.common import _lang, read_frame
from data_loaders.queries.completeness import period_completeness, population_of_its_year
from metrics.kpis import COMPLETE_SHARE, is_complete

COVERAGE_4G = "TJ.MOB.4G.POP.ZS"
TECHNOLOGIES = ("TJ.MOB.2G.POP.ZS", "TJ.MOB.3G.POP.ZS", "TJ.MOB.4G.POP.ZS", "TJ.MOB.5G.POP.ZS")
LEVELS = ("country", "region", "unit")


def _weighted_statement(
    indicator_codes: Sequence[str],
    level: str,
    breakdown: str,
    geo_codes: Sequence[str] | None,
    first: str | None,
    last: str | None,
):
    """The population-weighted mean per indicator, geo of ``level`` and period (see weighted_series)."""
    o, p, g = m.Observation, aliased(m.Observation), m.Geo
    if level == "region":
        geo = case((g.level == "district", g.parent_code), else_=g.code)
    elif level == "unit":
        geo = o.geo_code
    else:
        geo = literal("TJ")
    groups = (o.indicator_code, geo, o.period, o.period_start, o.period_end)
    stmt = (
        select(
            o.indicator_code,
            geo.label("geo_code"),
            o.period,
            o.period_start,
            o.period_end,
            (func.sum(o.value * p.value) / func.sum(p.value)).label("value"),
            func.sum(p.value).label("population"),
        )
        .join(g, g.code == o.geo_code)
        .join(
            p,
            population_of_its_year(p, o),
        )
        .where(o.indicator_code.in_(list(indicator_codes)), o.is_current, o.breakdown == breakdown)
        .where(g.level.in_(("district", "region")))
        .group_by(*groups)
        .order_by(*groups)
    )
    if geo_codes:
        stmt = stmt.where(geo.in_(list(geo_codes)))
    if first:
        stmt = stmt.where(o.period >= first)
    if last:
        stmt = stmt.where(o.period <= last)
    return stmt


def weighted_series(
    engine: Engine,
    indicator_code: str,
    level: str = "country",
    breakdown: str = "total",
    geo_codes: Sequence[str] | None = None,
    first: str | None = None,
    last: str | None = None,
    complete_share: float = COMPLETE_SHARE,
) -> pd.DataFrame:
    """Population-weighted mean of a district indicator per period, for the country, each region
    or each coverage unit; a region's or the country's incomplete periods are left out.

    Each coverage unit's value is weighted by its modelled population of the same year, so a
    region's 4G coverage is the share of its people covered, not the mean of its districts. For
    ``level="unit"`` the weight cancels out and the unit's own value comes back. Urban and rural
    breakdowns are weighted by the unit's total population (no urban/rural split of the modelled
    population exists).

    Args:
        engine: the database.
        indicator_code: a district-level indicator (e.g. ``TJ.MOB.4G.POP.ZS``).
        level: ``country``, ``region`` or ``unit``.
        breakdown: ``total``, ``urban`` or ``rural``.
        geo_codes: keep only these geos of ``level`` (None: all).
        first: first period to keep (``2020-Q1``), inclusive.
        last: last period to keep, inclusive.
        complete_share: the share of the population whose units must have reported for a
            region's or the country's period to be computed.

    Returns:
        Columns geo_code, period, period_start, period_end, value, population; oldest first per geo.
    """
    stmt = _weighted_statement([indicator_code], level, breakdown, geo_codes, first, last)
    frame = read_frame(engine, stmt)
    return _complete_only(engine, frame, level, breakdown, complete_share).drop(columns="indicator_code")


def _complete_only(engine: Engine, frame: pd.DataFrame, level: str, breakdown: str, share: float) -> pd.DataFrame:
    """The rows of complete periods only: a region's or the country's value for a period stands
    only when its reporting units hold at least ``share`` of its population (see
    ``queries.completeness``); a unit's own value always stands."""
    if level == "unit" or frame.empty:
        return frame
    keep = []
    for code, rows in frame.groupby("indicator_code", sort=False):
        done = period_completeness(
            engine, code, sorted(rows["period"].unique()), breakdown, by_region=level == "region"
        )
        done = done[is_complete(done["share"], share)]
        on = ["geo_code", "period"] if level == "region" else ["period"]
        keep.append(rows.merge(done[on], on=on))
    return pd.concat(keep, ignore_index=True)[frame.columns]


def technology_mix(
    engine: Engine,
    level: str = "country",
    geo_code: str = "TJ",
    first: str | None = None,
    last: str | None = None,
    breakdown: str = "total",
) -> pd.DataFrame:
    """Population covered by 2G, 3G, 4G and 5G (each "or better") for one geo over time, complete
    periods only for a region or the country.

    Columns: indicator_code, geo_code, period, period_start, period_end, value, population.
    """
    geo_codes = None if level == "country" else [geo_code]
    frame = read_frame(engine, _weighted_statement(TECHNOLOGIES, level, breakdown, geo_codes, first, last))
    return _complete_only(engine, frame, level, breakdown, COMPLETE_SHARE)


def unit_values(engine: Engine, indicator_code: str, period: str, lang: str = "en") -> pd.DataFrame:
    """One indicator for every coverage unit in one period, with population and people not covered.

    ``uncovered`` is population x (100 - value) / 100, meaningful for coverage percentages.
    Columns: geo_code, name, region_code, region_name, value, population, uncovered.
    """
    o, p, g, r = m.Observation, aliased(m.Observation), m.Geo, aliased(m.Geo)
    name = f"name_{_lang(lang)}"
    region_code = case((g.level == "district", g.parent_code), else_=g.code)
    stmt = (
        select(
            o.geo_code,
            getattr(g, name).label("name"),
            region_code.label("region_code"),
            getattr(r, name).label("region_name"),
            o.value,
            p.value.label("population"),
            (p.value * (100 - o.value) / 100).label("uncovered"),
        )
        .join(g, g.code == o.geo_code)
        .join(r, r.code == region_code)
        .outerjoin(
            p,
            population_of_its_year(p, o),
        )
        .where(o.indicator_code == indicator_code, o.is_current, o.breakdown == "total", o.period == period)
        .where((g.level == "district") | ((g.level == "region") & (g.code == "TJ-DU")))
        .order_by(o.geo_code)
    )
    return read_frame(engine, stmt)


def priorities(
    engine: Engine,
    period: str,
    target: float,
    region: str | None = None,
    lang: str = "en",
    indicator_code: str = COVERAGE_4G,
) -> pd.DataFrame:
    """Coverage units ranked by people without coverage (people, not %), with the gap to target.

    ``gap_people`` is the people still to cover for the unit to reach ``target`` % (0 when it
    already does): population x max(target - coverage, 0) / 100.

    Columns: rank, geo_code, name, region_name, population, value, uncovered, gap_people.
    """
    o, p, g, r = m.Observation, aliased(m.Observation), m.Geo, aliased(m.Geo)
    name = f"name_{_lang(lang)}"
    region_code = case((g.level == "district", g.parent_code), else_=g.code)
    uncovered = p.value * (100 - o.value) / 100
    gap = case((o.value < target, p.value * (literal(float(target)) - o.value) / 100), else_=literal(0.0))
    stmt = (
        select(
            o.geo_code,
            getattr(g, name).label("name"),
            getattr(r, name).label("region_name"),
            p.value.label("population"),
            o.value,
            uncovered.label("uncovered"),
            gap.label("gap_people"),
        )
        .join(g, g.code == o.geo_code)
        .join(r, r.code == region_code)
        .join(
            p,
            population_of_its_year(p, o),
        )
        .where(o.indicator_code == indicator_code, o.is_current, o.breakdown == "total", o.period == period)
        .where((g.level == "district") | ((g.level == "region") & (g.code == "TJ-DU")))
        .order_by(uncovered.desc(), o.geo_code)
    )
    if region:
        stmt = stmt.where(region_code == region)
    frame = read_frame(engine, stmt)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


def periods(engine: Engine, indicator_code: str = COVERAGE_4G) -> list[str]:
    """The periods that have current observations of an indicator, oldest first."""
    o = m.Observation
    stmt = select(o.period).where(o.indicator_code == indicator_code, o.is_current).distinct().order_by(o.period)
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(stmt)]
