"""Connectivity queries: district figures weighted by population into regions and the country.

Coverage is reported per coverage unit (58 districts plus Dushanbe city). A region's or the
country's coverage is the share of its *people* covered, so every aggregate is weighted by the
unit's modelled population (TJ.POP.MODEL) of the same year; "people without coverage" is
population x (100 - coverage) / 100. The weighting is done once, when a file is loaded
(``data_loaders.rollup``): these queries read ``observation_rollup``, so they cost what their
answer costs, however many observations there are. SQLAlchemy Core, SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, case, func, literal, select, union
from sqlalchemy.orm import aliased

from data_loaders import models as m
from data_loaders.queries.common import _lang, read_frame
from data_loaders.rollup import coverage_units
from metrics.kpis import COMPLETE_SHARE

COVERAGE_4G = "TJ.MOB.4G.POP.ZS"
TECHNOLOGIES = ("TJ.MOB.2G.POP.ZS", "TJ.MOB.3G.POP.ZS", "TJ.MOB.4G.POP.ZS", "TJ.MOB.5G.POP.ZS")
DUSHANBE = "TJ-DU"  # a region reported as a whole, shown beside the districts
R = m.ObservationRollup


def _rollup_statement(
    indicator_codes: Sequence[str],
    level: str,
    breakdown: str,
    geo_codes: Sequence[str] | None,
    first: str | None,
    last: str | None,
    complete_share: float,
):
    """The rollup rows of ``level`` with a weighted value; a region's or the country's only for
    complete periods (``metrics.kpis.is_complete`` in SQL: an unknown share is not complete)."""
    level = level if level in ("region", "unit") else "country"
    stmt = (
        select(R.indicator_code, R.geo_code, R.period, R.period_start, R.period_end, R.value, R.population)
        .where(R.indicator_code.in_(list(indicator_codes)), R.breakdown == breakdown, R.level == level)
        .where(R.value.is_not(None), R.population.is_not(None))
        .order_by(R.indicator_code, R.geo_code, R.period)
    )
    if level != "unit":
        stmt = stmt.where(func.coalesce(R.share, 0.0) >= complete_share - 1e-12)
    if geo_codes:
        stmt = stmt.where(R.geo_code.in_(list(geo_codes)))
    if first:
        stmt = stmt.where(R.period >= first)
    if last:
        stmt = stmt.where(R.period <= last)
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
    stmt = _rollup_statement([indicator_code], level, breakdown, geo_codes, first, last, complete_share)
    return read_frame(engine, stmt).drop(columns="indicator_code")


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
    return read_frame(engine, _rollup_statement(TECHNOLOGIES, level, breakdown, geo_codes, first, last, COMPLETE_SHARE))


def _unit_rows(indicator_code: str, period: str, lang: str):
    """The total rollup rows of one period for each coverage unit, with names and region."""
    g, r = m.Geo, aliased(m.Geo)
    name = f"name_{_lang(lang)}"
    region_code = case((g.level == "district", g.parent_code), else_=g.code)
    stmt = (
        select(R.geo_code, getattr(g, name).label("name"), region_code.label("region_code"))
        .add_columns(getattr(r, name).label("region_name"), R.value, R.population)
        .join(g, g.code == R.geo_code)
        .join(r, r.code == region_code)
        .where(R.indicator_code == indicator_code, R.level == "unit", R.breakdown == "total", R.period == period)
        .where((g.level == "district") | (g.code == DUSHANBE))
    )
    return stmt, region_code


def unit_values(engine: Engine, indicator_code: str, period: str, lang: str = "en") -> pd.DataFrame:
    """One indicator for every coverage unit in one period, with population and people not covered.

    ``uncovered`` is population x (100 - value) / 100, meaningful for coverage percentages.
    Columns: geo_code, name, region_code, region_name, value, population, uncovered.
    """
    stmt, _ = _unit_rows(indicator_code, period, lang)
    uncovered = R.population * (100 - R.value) / 100
    return read_frame(engine, stmt.add_columns(uncovered.label("uncovered")).order_by(R.geo_code))


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
    stmt, region_code = _unit_rows(indicator_code, period, lang)
    uncovered = R.population * (100 - R.value) / 100
    gap = case((R.value < target, R.population * (literal(float(target)) - R.value) / 100), else_=literal(0.0))
    stmt = (
        stmt.add_columns(uncovered.label("uncovered"), gap.label("gap_people"))
        .where(R.population.is_not(None))
        .order_by(uncovered.desc(), R.geo_code)
    )
    if region:
        stmt = stmt.where(region_code == region)
    frame = read_frame(engine, stmt)
    frame = frame[["geo_code", "name", "region_name", "population", "value", "uncovered", "gap_people"]]
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


def periods(engine: Engine, indicator_code: str = COVERAGE_4G) -> list[str]:
    """The periods that have current observations of an indicator, oldest first: those the
    coverage units reported (the rollup's country rows) and those of every other geo."""
    o, g, units = m.Observation, m.Geo, coverage_units()
    others = select(g.code).where(g.level != "district", g.code.not_in(select(units.c.code)))
    stmt = union(
        select(R.period).where(R.indicator_code == indicator_code, R.level == "country"),
        select(o.period).where(o.indicator_code == indicator_code, o.is_current, o.geo_code.in_(others)),
    ).order_by("period")
    with engine.connect() as connection:
        return [row[0] for row in connection.execute(stmt)]
