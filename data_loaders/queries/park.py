"""IT Park queries: occupancy is computed from units and leases at a date, never stored."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, case, func, literal, or_, select, union_all

from data_loaders import models as m
from data_loaders.queries.common import read_frame


def _dates(dates: list[date]):  # noqa: ANN202 - an SQL subquery of dates
    return union_all(*[select(literal(d).label("as_of")) for d in dates]).subquery("dates")


def occupancy(engine: Engine, dates: list[date]) -> pd.DataFrame:
    """Leasable and leased floor area of the opened buildings at each date.

    A unit counts as leasable once its building has opened; it counts as leased on a date when a
    lease (not a reservation) runs on that date (start and end days included).
    Columns: as_of, leasable_m2, leased_m2, occupancy_pct.
    """
    d, u, b, l = _dates(dates), m.ParkUnit, m.ParkBuilding, m.ParkLease  # noqa: E741
    leased_units = (
        select(d.c.as_of, l.unit_code)
        .join(l, and_(l.kind == "lease", l.start_date <= d.c.as_of, or_(l.end_date.is_(None), l.end_date >= d.c.as_of)))
        .distinct()
        .subquery("leased")
    )
    stmt = (
        select(
            d.c.as_of,
            func.sum(u.area_m2).label("leasable_m2"),
            func.coalesce(func.sum(case((leased_units.c.unit_code.is_not(None), u.area_m2), else_=0)), 0).label(
                "leased_m2"
            ),
        )
        .join(b, b.opened <= d.c.as_of)
        .join(u, u.building_code == b.building_code)
        .outerjoin(leased_units, and_(leased_units.c.as_of == d.c.as_of, leased_units.c.unit_code == u.unit_code))
        .group_by(d.c.as_of)
        .order_by(d.c.as_of)
    )
    frame = read_frame(engine, stmt)
    frame["occupancy_pct"] = 100 * frame["leased_m2"] / frame["leasable_m2"]
    return frame
