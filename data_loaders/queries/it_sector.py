"""IT-sector queries: counts and totals computed from the company registry."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, func, literal, or_, select, union_all

from data_loaders import models as m
from data_loaders.queries.common import read_frame


def _years(first: int, last: int):  # noqa: ANN202 - an SQL subquery of year ends
    rows = [
        select(literal(y).label("year"), literal(date(y, 12, 31)).label("year_end")) for y in range(first, last + 1)
    ]
    return union_all(*rows).subquery("years")


def active_companies(engine: Engine, first: int, last: int) -> pd.DataFrame:
    """Companies active at each year end (founded on or before it, not closed by then), by subsector.

    Columns: year, subsector, companies.
    """
    c, y = m.ItCompany, _years(first, last)
    stmt = (
        select(y.c.year, c.subsector, func.count().label("companies"))
        .join(c, and_(c.founded <= y.c.year_end, or_(c.closed.is_(None), c.closed > y.c.year_end)))
        .group_by(y.c.year, c.subsector)
        .order_by(y.c.year, c.subsector)
    )
    return read_frame(engine, stmt)
