"""Compact queries behind the overview's headline KPIs and its "what changed" panel.

The theme views have their own, richer queries; these return only the national (or one
region's) series each headline card and target needs, so the overview does not depend on how
the theme pages slice their data. Derived KPIs are computed here from the raw tables (company
registry, park units and leases), never stored.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from data_loaders import models as m
from data_loaders.queries.common import read_frame

POPULATION = "TJ.POP.MODEL"  # modelled district population, the weights of coverage


def coverage_series(engine: Engine, indicator_code: str, region: str | None = None) -> pd.DataFrame:
    """Population-weighted value of a district indicator per period, for the country or one region.

    Each district's value is weighted by its modelled population of the same year, so the result
    is the share of people covered, not the mean of districts.
    Columns: period, period_start, period_end, value, population.
    """
    o, p, g = m.Observation, aliased(m.Observation), m.Geo
    stmt = (
        select(
            o.period,
            o.period_start,
            o.period_end,
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
        .where(o.indicator_code == indicator_code, o.is_current, o.breakdown == "total")
        .group_by(o.period, o.period_start, o.period_end)
        .order_by(o.period_start)
    )
    if region:
        # a region reported as a whole (Dushanbe) or through its districts
        stmt = stmt.where(
            or_(and_(g.level == "district", g.parent_code == region), and_(g.level == "region", g.code == region))
        )
    else:
        stmt = stmt.where(g.level.in_(("district", "region")))
    return read_frame(engine, stmt)


def _years(first: int, last: int):  # noqa: ANN202 - an SQL subquery of years and their last day
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


def _dates(dates: list[date]):  # noqa: ANN202 - an SQL subquery of dates
    return union_all(*[select(literal(d).label("as_of")) for d in dates]).subquery("dates")


def park_series(engine: Engine, dates: list[date]) -> pd.DataFrame:
    """IT Park occupancy, tenants and jobs at each date, from units and leases in force.

    A unit is leasable once its building has opened; it is leased on a date when a lease (not a
    reservation) runs that day (start and end included). Tenants: distinct tenants with such a
    lease; jobs: the jobs those leases declare.
    Columns: as_of, leasable_m2, leased_m2, occupancy_pct, tenants, jobs.
    """
    d, u, b, lease = _dates(dates), m.ParkUnit, m.ParkBuilding, m.ParkLease
    in_force = and_(
        lease.kind == "lease",
        lease.start_date <= d.c.as_of,
        or_(lease.end_date.is_(None), lease.end_date >= d.c.as_of),
    )
    leased_units = select(d.c.as_of, lease.unit_code).join(lease, in_force).distinct().subquery("leased")
    area = (
        select(
            d.c.as_of,
            func.sum(u.area_m2).label("leasable_m2"),
            func.sum(case((leased_units.c.unit_code.is_not(None), u.area_m2), else_=0)).label("leased_m2"),
        )
        .join(b, b.opened <= d.c.as_of)
        .join(u, u.building_code == b.building_code)
        .outerjoin(leased_units, and_(leased_units.c.as_of == d.c.as_of, leased_units.c.unit_code == u.unit_code))
        .group_by(d.c.as_of)
    )
    people = (
        select(
            d.c.as_of,
            func.count(func.distinct(lease.tenant_code)).label("tenants"),
            func.sum(lease.jobs).label("jobs"),
        )
        .join(lease, in_force)
        .group_by(d.c.as_of)
    )
    frame = read_frame(engine, area).merge(read_frame(engine, people), on="as_of", how="left").fillna(0)
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    frame["occupancy_pct"] = 100 * frame["leased_m2"] / frame["leasable_m2"]
    return frame.astype({"tenants": int, "jobs": int}).sort_values("as_of", ignore_index=True)


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
