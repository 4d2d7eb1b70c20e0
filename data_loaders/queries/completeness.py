"""How complete a period of a district indicator is: which coverage units reported, and what
share of the population they hold.

A region's or the country's figure for a period is only computed when the units that reported
hold enough of the population (``metrics.kpis.COMPLETE_SHARE``); otherwise a partial quarter
would replace the national headline by the mean of a few districts. The counts are made when a
file is loaded and kept in ``observation_rollup`` (see ``data_loaders.rollup`` for the rules).
The loader calls :func:`period_completeness` at load time with its own session, after it rebuilt
the rollup in that transaction, so it takes an engine or a session.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, aliased

from data_loaders import models as m
from data_loaders.rollup import Scope, weights

COLUMNS = ["period", "reported", "expected", "reported_population", "population", "share"]
R = m.ObservationRollup


def _read(bind: Engine | Session, stmt) -> pd.DataFrame:
    if isinstance(bind, Session):
        result = bind.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    with bind.connect() as connection:
        result = connection.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


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
    keys = ["geo_code", "period"] if by_region else ["period"]
    stmt = (
        select(*[getattr(R, k) for k in keys], R.reported, R.expected, R.reported_population)
        .add_columns(R.expected_population.label("population"), R.share)
        .where(R.indicator_code == indicator_code, R.breakdown == breakdown)
        .where(R.level == ("region" if by_region else "country"))
    )
    if periods is not None:
        stmt = stmt.where(R.period.in_(list(periods)))
    frame = _read(bind, stmt)
    unreported = sorted(set(periods or ()) - set(frame["period"]))
    if unreported:
        nobody = _unreported(bind, indicator_code, unreported, breakdown, keys)
        frame = pd.concat([frame, nobody], ignore_index=True) if len(frame) else nobody
    frame[["reported", "expected"]] = frame[["reported", "expected"]].astype(int)
    numbers = ["reported_population", "population", "share"]
    frame[numbers] = frame[numbers].astype(float)
    return frame[keys + COLUMNS[1:]].sort_values(keys, ignore_index=True)


def _unreported(
    bind: Engine | Session, indicator_code: str, periods: list[str], breakdown: str, keys: list[str]
) -> pd.DataFrame:
    """Periods no unit reported: nobody of the units each region expects in the period's year."""
    expected = weights(aliased(R), Scope([indicator_code], [breakdown])).subquery()
    frame = _read(bind, select(expected)).rename(columns={"region": "geo_code"})
    grid = frame[["geo_code"]].drop_duplicates().merge(pd.DataFrame({"period": periods}), how="cross")
    grid["year"] = grid["period"].str[:4]
    grid = grid.merge(frame, on=["geo_code", "year"], how="left").fillna({"expected": 0, "population": 0.0})
    grid = grid.groupby(keys, as_index=False)[["expected", "population"]].sum()
    grid["reported"], grid["reported_population"] = 0, 0.0
    grid["share"] = (grid["reported_population"] / grid["population"]).where(grid["population"] > 0)
    return grid[keys + COLUMNS[1:]]
