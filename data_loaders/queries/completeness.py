"""How complete a period of a district indicator is: which coverage units reported, and what
share of the population they hold.

A region's or the country's figure for a period is only computed when the units that reported
hold enough of the population (``metrics.kpis.COMPLETE_SHARE``); otherwise a partial quarter
would replace the national headline by the mean of a few districts. The loader calls
:func:`period_completeness` at load time with its own session, so it takes an engine or a session.

Coverage units: the districts, plus each region reported as a whole (a region without districts,
Dushanbe), that report the indicator and breakdown in any period (Dushanbe has no rural
breakdown, so it is not missing from a rural quarter). Each unit's weight is its modelled
population (``TJ.POP.MODEL``) of the period's year.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from data_loaders import models as m

POPULATION = "TJ.POP.MODEL"
COLUMNS = ["period", "reported", "expected", "reported_population", "population", "share"]


def _read(bind: Engine | Session, stmt) -> pd.DataFrame:
    if isinstance(bind, Session):
        result = bind.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    with bind.connect() as connection:
        result = connection.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def population_of_its_year(population, observation):
    """Join condition: the unit's modelled population (the weight) in the observation's year."""
    return (
        (population.geo_code == observation.geo_code)
        & (population.indicator_code == POPULATION)
        & population.is_current
        & (population.breakdown == "total")
        & (population.period == func.substr(observation.period, 1, 4))
    )


def _units():
    g, child = m.Geo, aliased(m.Geo)
    has_districts = exists().where(child.parent_code == g.code, child.level == "district")
    stmt = select(g.code, case((g.level == "district", g.parent_code), else_=g.code).label("region")).where(
        or_(g.level == "district", and_(g.level == "region", ~has_districts))
    )
    return stmt.subquery("units")


def period_completeness(
    bind: Engine | Session,
    indicator_code: str,
    periods: Sequence[str] | None = None,
    breakdown: str = "total",
    by_region: bool = False,
) -> pd.DataFrame:
    """Per period of a district indicator: units reported out of those expected, and their share
    of the population, for the country or for each region.

    Args:
        bind: an engine, or the session of a load in progress (its uncommitted rows count).
        indicator_code: a district-level indicator (e.g. ``TJ.MOB.4G.POP.ZS``).
        periods: the periods to report (None: every period with a current observation).
        breakdown: ``total``, ``urban`` or ``rural``.
        by_region: one row per region and period (column ``geo_code``) instead of the country.

    Returns:
        Columns [geo_code,] period, reported, expected (units), reported_population, population,
        share (0-1; NaN when the period's year has no population), oldest first. A period given
        in ``periods`` without any observation comes back with ``reported`` = 0.
    """
    o, p, units = m.Observation, aliased(m.Observation), _units()
    ever = aliased(m.Observation)
    reporting = select(ever.geo_code).where(
        ever.indicator_code == indicator_code, ever.is_current, ever.breakdown == breakdown
    )
    population = (
        select(
            units.c.region.label("geo_code"),
            p.period.label("year"),
            func.count().label("expected"),
            func.sum(p.value).label("population"),
        )
        .join(units, units.c.code == p.geo_code)
        .where(p.indicator_code == POPULATION, p.is_current, p.breakdown == "total", p.geo_code.in_(reporting))
        .group_by(units.c.region, p.period)
    )
    reported = (
        select(
            units.c.region.label("geo_code"),
            o.period,
            func.count(func.distinct(o.geo_code)).label("reported"),
            func.sum(p.value).label("reported_population"),
        )
        .join(units, units.c.code == o.geo_code)
        .outerjoin(
            p,
            population_of_its_year(p, o),
        )
        .where(o.indicator_code == indicator_code, o.is_current, o.breakdown == breakdown)
        .group_by(units.c.region, o.period)
    )
    if periods is not None:
        reported = reported.where(o.period.in_(list(periods)))
    counts = _read(bind, reported)
    wanted = list(periods) if periods is not None else sorted(counts["period"].unique())
    weights = _read(bind, population)
    grid = weights[["geo_code"]].drop_duplicates().merge(pd.DataFrame({"period": wanted}), how="cross")
    grid["year"] = grid["period"].astype(str).str[:4]
    frame = grid.merge(weights, on=["geo_code", "year"], how="left").merge(
        counts, on=["geo_code", "period"], how="left"
    )
    numbers = ["reported", "expected", "reported_population", "population"]
    frame[numbers] = frame[numbers].fillna(0)
    keys = ["geo_code", "period"] if by_region else ["period"]
    frame = frame.groupby(keys, as_index=False)[numbers].sum()
    frame[["reported", "expected"]] = frame[["reported", "expected"]].astype(int)
    frame["share"] = (frame["reported_population"] / frame["population"]).where(frame["population"] > 0)
    return frame[keys + COLUMNS[1:]].sort_values(keys, ignore_index=True)
