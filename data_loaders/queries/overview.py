"""Queries behind the overview's "what changed" panel, and the company registry's yearly series
that the derived IT-sector KPIs are computed from (never stored).

District KPIs are weighted by ``queries.connectivity.weighted_series`` and park KPIs computed by
``queries.park.stats``: one query each, shared by every page.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, func, literal, or_, select, union_all

from data_loaders import models as m
from data_loaders.queries.common import read_frame


def _years(first: int, last: int):
    rows = [
        select(literal(y).label("year"), literal(date(y, 12, 31)).label("year_end")) for y in range(first, last + 1)
    ]
    return union_all(*rows).subquery("years")


def company_series(engine: Engine, first: int, last: int, region: str | None = None) -> pd.DataFrame:
    """Per year: companies active at the year end, and the jobs, revenue and exports reported.

    Active: founded on or before 31 December, not closed by then. Jobs, revenue and exports are
    the sums over the registry's yearly rows.
    Columns: year, companies, jobs, revenue_usd, exports_usd (zero where nothing is reported).
    """
    c, cy, y = m.ItCompany, m.ItCompanyYear, _years(first, last)
    active = (
        select(y.c.year, func.count(c.company_id).label("companies"))
        .select_from(y)
        .outerjoin(
            c,
            and_(
                c.founded <= y.c.year_end,
                or_(c.closed.is_(None), c.closed > y.c.year_end),
                (c.region_code == region) if region else literal(True),
            ),
        )
        .group_by(y.c.year)
    )
    yearly = (
        select(
            cy.year,
            func.sum(cy.employees).label("jobs"),
            func.sum(cy.revenue_usd).label("revenue_usd"),
            func.sum(cy.exports_usd).label("exports_usd"),
        )
        .join(c, c.company_id == cy.company_id)
        .where(cy.year.between(first, last))
        .group_by(cy.year)
    )
    if region:
        yearly = yearly.where(c.region_code == region)
    counts, sums = read_frame(engine, active), read_frame(engine, yearly)
    frame = counts.merge(sums, on="year", how="left").fillna(0).sort_values("year", ignore_index=True)
    return frame.astype({"companies": int, "jobs": int})


def freshness(engine: Engine, today: date) -> pd.DataFrame:
    """How fresh each theme's data is: the last day its data covers and when it was last loaded.

    For the park, the newest lease that has started by ``today`` (signed future leases are not
    yet data about occupancy).

    Columns: theme, data_until (date), last_loaded (datetime).
    """
    o, i, batch = m.Observation, m.Indicator, m.ImportBatch
    observed = (
        select(i.theme, func.max(o.period_end).label("data_until"), func.max(batch.loaded_at).label("last_loaded"))
        .join(i, i.code == o.indicator_code)
        .join(batch, batch.id == o.import_batch_id)
        .where(o.is_current, i.theme.in_(("connectivity", "it_sector")))
        .group_by(i.theme)
    )
    cy, lease = m.ItCompanyYear, m.ParkLease
    registry = select(func.max(cy.year).label("year"), func.max(batch.loaded_at).label("last_loaded")).join(
        batch, batch.id == cy.import_batch_id
    )
    leases = (
        select(func.max(lease.start_date).label("data_until"), func.max(batch.loaded_at).label("last_loaded"))
        .join(batch, batch.id == lease.import_batch_id)
        .where(lease.start_date <= today)
    )
    rows = {r.theme: (r.data_until, r.last_loaded) for r in read_frame(engine, observed).itertuples()}
    reg = read_frame(engine, registry).iloc[0]
    if pd.notna(reg["year"]):
        # registry years run to 31 December; keep whichever is newer, observations or registry
        until = date(int(reg["year"]), 12, 31)
        old = rows.get("it_sector", (None, None))
        rows["it_sector"] = (
            max(x for x in (old[0], until) if x is not None),
            max(x for x in (old[1], reg["last_loaded"]) if x is not None),
        )
    park = read_frame(engine, leases).iloc[0]
    if pd.notna(park["data_until"]):
        rows["park"] = (park["data_until"], park["last_loaded"])
    frame = pd.DataFrame([(t, *v) for t, v in rows.items()], columns=["theme", "data_until", "last_loaded"])
    frame["data_until"] = pd.to_datetime(frame["data_until"]).dt.date
    return frame


def recent_loads(engine: Engine, limit: int = 5) -> pd.DataFrame:
    """The newest import batches: what was loaded, when and by whom.

    Columns: kind, file_name, rows, loaded_by, loaded_at, status.
    """
    batch = m.ImportBatch
    stmt = (
        select(batch.kind, batch.file_name, batch.rows, batch.loaded_by, batch.loaded_at, batch.status)
        .order_by(batch.loaded_at.desc(), batch.id.desc())
        .limit(limit)
    )
    return read_frame(engine, stmt)
