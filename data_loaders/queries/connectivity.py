"""Connectivity queries: district figures weighted by population into regions and the country."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, func, literal, select
from sqlalchemy.orm import aliased

from data_loaders import models as m
from data_loaders.queries.common import read_frame

POPULATION = "TJ.POP.MODEL"  # modelled district population used as weights


def weighted_series(
    engine: Engine, indicator_code: str, level: str = "country", breakdown: str = "total"
) -> pd.DataFrame:
    """Population-weighted mean of a district indicator per period, for the country or each region.

    Each coverage unit's value is weighted by its modelled population of the same year, so a
    region's 4G coverage is the share of its people covered, not the mean of its districts.
    Columns: geo_code, period, period_start, value, population.
    """
    o, p, g = m.Observation, aliased(m.Observation), m.Geo
    by_region = level == "region"
    geo = case((g.level == "district", g.parent_code), else_=g.code) if by_region else literal("TJ")
    groups = (geo, o.period, o.period_start) if by_region else (o.period, o.period_start)
    stmt = (
        select(
            geo.label("geo_code"),
            o.period,
            o.period_start,
            (func.sum(o.value * p.value) / func.sum(p.value)).label("value"),
            func.sum(p.value).label("population"),
        )
        .join(g, g.code == o.geo_code)
        .join(
            p,
            (p.geo_code == o.geo_code)
            & (p.indicator_code == POPULATION)
            & p.is_current
            & (p.period == func.substr(o.period, 1, 4)),
        )
        .where(o.indicator_code == indicator_code, o.is_current, o.breakdown == breakdown)
        .where(g.level.in_(("district", "region")))
        .group_by(*groups)
        .order_by(*groups)
    )
    return read_frame(engine, stmt)
