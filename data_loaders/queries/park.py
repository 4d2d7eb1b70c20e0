"""IT Park queries: occupancy is computed from units and leases at a date, never stored.

Rules every query here shares, so the numbers of the KPI cards, the charts, the floor plan and
the tenant table always agree:

* a lease is in force on day ``d`` when ``start_date <= d`` and (``end_date`` is empty or
  ``end_date >= d``): both days included, an empty end is open-ended;
* only ``kind = 'lease'`` counts as leased area; a reservation never does;
* a unit is leasable from its building's ``opened`` date, and only leases of opened buildings count.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Engine, and_, case, func, literal, or_, select, union, union_all

from data_loaders import models as m
from data_loaders.queries.common import LANGS, read_frame

ENDING_SOON_DAYS = 90  # a lease ending within this many days marks its unit "ending" on the floor plan
EXPIRY_MONTHS = 24  # how far ahead the lease-expiry chart looks
LEASED, ENDING, RESERVED, VACANT, NOT_OPEN = "leased", "ending", "reserved", "vacant", "not_open"
# Size classes of a tenant by the jobs it has in the park (EU enterprise size classes).
SIZE_BANDS = ((10, "1-9"), (50, "10-49"), (None, "50+"))


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "en"


def _dates(dates: list[date]):
    return union_all(*[select(literal(d).label("as_of")) for d in dates]).subquery("dates")


def _in_force(lease, day, kind: str = "lease"):
    """A lease (or reservation) of ``kind`` runs on ``day``, both ends included."""
    return and_(lease.kind == kind, lease.start_date <= day, or_(lease.end_date.is_(None), lease.end_date >= day))


def _filter_building(stmt, building: str | None):
    return stmt if not building else stmt.where(m.ParkBuilding.building_code == building)


def buildings(engine: Engine, lang: str = "en") -> pd.DataFrame:
    """The park's buildings. Columns: building_code, name, floors, opened."""
    b = m.ParkBuilding
    stmt = select(b.building_code, getattr(b, f"name_{_lang(lang)}").label("name"), b.floors, b.opened).order_by(
        b.building_code
    )
    return read_frame(engine, stmt)


def source_codes(engine: Engine) -> list[str]:
    """The sources of every park row, for the captions (never a hard-coded list)."""
    tables = (m.ParkBuilding, m.ParkUnit, m.ParkTenant, m.ParkLease)
    stmt = union(*[select(t.source_code) for t in tables])
    with engine.connect() as connection:
        return sorted(row[0] for row in connection.execute(stmt))


def stats(engine: Engine, dates: list[date], building: str | None = None, by_building: bool = False) -> pd.DataFrame:
    """Leasable and leased area, tenants, jobs and rent of the opened buildings at each date.

    Args:
        engine: the database.
        dates: the days to compute at.
        building: only this building (``None``: the whole park).
        by_building: one row per date and building instead of one per date.

    Returns:
        Columns as_of, [building_code,] leasable_m2, leased_m2, occupancy_pct, tenants, jobs,
        rent_usd_m2 (area-weighted mean rent of the leases in force, USD per m² and month).
        A date before any building opened has no row.
    """
    if not dates:
        columns = ["as_of", "leasable_m2", "leased_m2", "occupancy_pct", "tenants", "jobs", "rent_usd_m2"]
        return pd.DataFrame(columns=columns[:1] + ["building_code"] * by_building + columns[1:])
    d, u, b, lease = _dates(dates), m.ParkUnit, m.ParkBuilding, m.ParkLease
    keys = [d.c.as_of] + ([b.building_code] if by_building else [])
    area = _filter_building(
        select(*keys, func.sum(u.area_m2).label("leasable_m2"))
        .select_from(d)
        .join(b, b.opened <= d.c.as_of)
        .join(u, u.building_code == b.building_code),
        building,
    ).group_by(*keys)
    area = area.subquery("area")
    leased = _filter_building(
        select(
            *keys,
            func.sum(u.area_m2).label("leased_m2"),
            func.count(func.distinct(lease.tenant_code)).label("tenants"),
            func.sum(lease.jobs).label("jobs"),
            func.sum(lease.rent_usd_m2_month * u.area_m2).label("rent_total"),
        )
        .select_from(d)
        .join(lease, _in_force(lease, d.c.as_of))
        .join(u, u.unit_code == lease.unit_code)
        .join(b, and_(b.building_code == u.building_code, b.opened <= d.c.as_of)),
        building,
    ).group_by(*keys)
    leased = leased.subquery("leased")
    on = [leased.c.as_of == area.c.as_of] + ([leased.c.building_code == area.c.building_code] if by_building else [])
    stmt = (
        select(
            *[area.c[k.key] for k in keys],
            area.c.leasable_m2,
            func.coalesce(leased.c.leased_m2, 0).label("leased_m2"),
            func.coalesce(leased.c.tenants, 0).label("tenants"),
            func.coalesce(leased.c.jobs, 0).label("jobs"),
            leased.c.rent_total,
        )
        .outerjoin(leased, and_(*on))
        .order_by(*[area.c[k.key] for k in keys])
    )
    frame = read_frame(engine, stmt)
    for column in ("leasable_m2", "leased_m2", "rent_total"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    for column in ("tenants", "jobs"):
        frame[column] = pd.to_numeric(frame[column]).astype(int)
    frame["as_of"] = pd.to_datetime(frame["as_of"]).dt.date
    frame["occupancy_pct"] = 100 * frame["leased_m2"] / frame["leasable_m2"]
    frame["rent_usd_m2"] = frame["rent_total"] / frame["leased_m2"].where(frame["leased_m2"] > 0)
    return frame.drop(columns="rent_total")


def units(engine: Engine, as_of: date, building: str | None = None) -> pd.DataFrame:
    """Every unit with its status at ``as_of``, for the floor plan.

    Status: ``ending`` (a lease in force ends within :data:`ENDING_SOON_DAYS`), ``leased``,
    ``reserved`` (no lease, a reservation in force or starting later), ``vacant``, or
    ``not_open`` (its building opens later).
    Columns: unit_code, building_code, floor, area_m2, unit_type, status, tenant, lease_start,
    lease_end (the lease in force, or the reservation), rent_usd_m2, jobs.
    """
    u, b, lease = m.ParkUnit, m.ParkBuilding, m.ParkLease
    current = select(lease).where(_in_force(lease, as_of)).subquery("current_lease")
    # The first reservation of each unit that is in force or still to come.
    first = (
        select(lease.unit_code, func.min(lease.start_date).label("start_date"))
        .where(lease.kind == "reservation", or_(lease.end_date.is_(None), lease.end_date >= as_of))
        .group_by(lease.unit_code)
        .subquery("first_reservation")
    )
    reservation = (
        select(lease)
        .join(first, and_(first.c.unit_code == lease.unit_code, first.c.start_date == lease.start_date))
        .where(lease.kind == "reservation")
        .subquery("reservation")
    )
    held = func.coalesce(current.c.tenant_code, reservation.c.tenant_code)
    tenant = m.ParkTenant
    status = case(
        (b.opened > as_of, literal(NOT_OPEN)),
        (current.c.end_date <= as_of + timedelta(days=ENDING_SOON_DAYS), literal(ENDING)),
        (current.c.lease_id.is_not(None), literal(LEASED)),
        (reservation.c.lease_id.is_not(None), literal(RESERVED)),
        else_=literal(VACANT),
    )
    stmt = _filter_building(
        select(
            u.unit_code,
            u.building_code,
            u.floor,
            u.area_m2,
            u.unit_type,
            status.label("status"),
            tenant.name.label("tenant"),
            func.coalesce(current.c.start_date, reservation.c.start_date).label("lease_start"),
            case((current.c.lease_id.is_not(None), current.c.end_date), else_=reservation.c.end_date).label(
                "lease_end"
            ),
            current.c.rent_usd_m2_month.label("rent_usd_m2"),
            current.c.jobs,
        )
        .join(b, b.building_code == u.building_code)
        .outerjoin(current, current.c.unit_code == u.unit_code)
        .outerjoin(reservation, reservation.c.unit_code == u.unit_code)
        .outerjoin(tenant, tenant.tenant_code == held),
        building,
    ).order_by(u.building_code, u.floor, u.unit_code)
    return read_frame(engine, stmt)


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` later (clamped to the month's last day)."""
    return (pd.Timestamp(day) + pd.DateOffset(months=months)).date()


def expiries(engine: Engine, as_of: date, building: str | None = None, months: int = EXPIRY_MONTHS) -> pd.DataFrame:
    """Leases in force at ``as_of`` that end within ``months``, by month of their last day.

    Columns: year, month, area_m2, tenants, leases, jobs (the floor area, tenants and jobs at risk).
    """
    u, b, lease = m.ParkUnit, m.ParkBuilding, m.ParkLease
    year, month = func.extract("year", lease.end_date), func.extract("month", lease.end_date)
    stmt = _filter_building(
        select(
            year.label("year"),
            month.label("month"),
            func.sum(u.area_m2).label("area_m2"),
            func.count(func.distinct(lease.tenant_code)).label("tenants"),
            func.count().label("leases"),
            func.sum(lease.jobs).label("jobs"),
        )
        .join(u, u.unit_code == lease.unit_code)
        .join(b, and_(b.building_code == u.building_code, b.opened <= as_of))
        .where(_in_force(lease, as_of), lease.end_date < _add_months(as_of, months)),
        building,
    ).group_by(year, month)
    frame = read_frame(engine, stmt.order_by(year, month))
    for column in ("year", "month", "tenants", "leases", "jobs"):
        frame[column] = pd.to_numeric(frame[column]).astype(int)
    frame["area_m2"] = pd.to_numeric(frame["area_m2"]).astype(float)
    return frame


def tenants(engine: Engine, as_of: date, building: str | None = None) -> pd.DataFrame:
    """Tenants with a lease in force at ``as_of``, largest first.

    Columns: tenant_code, name, sector, units, area_m2, jobs, rent_usd_m2 (area-weighted),
    next_end (the earliest end of its leases; empty when all are open-ended), size_band.
    """
    u, b, lease, t = m.ParkUnit, m.ParkBuilding, m.ParkLease, m.ParkTenant
    jobs = func.sum(lease.jobs)
    band = case(*[(jobs < limit, literal(label)) for limit, label in SIZE_BANDS if limit], else_=SIZE_BANDS[-1][1])
    stmt = _filter_building(
        select(
            t.tenant_code,
            t.name,
            t.sector,
            func.count().label("units"),
            func.sum(u.area_m2).label("area_m2"),
            jobs.label("jobs"),
            (func.sum(lease.rent_usd_m2_month * u.area_m2) / func.sum(u.area_m2)).label("rent_usd_m2"),
            func.min(lease.end_date).label("next_end"),
            band.label("size_band"),
        )
        .join(lease, lease.tenant_code == t.tenant_code)
        .join(u, u.unit_code == lease.unit_code)
        .join(b, and_(b.building_code == u.building_code, b.opened <= as_of))
        .where(_in_force(lease, as_of)),
        building,
    ).group_by(t.tenant_code, t.name, t.sector)
    return read_frame(engine, stmt.order_by(func.sum(u.area_m2).desc(), t.tenant_code))


def tenant_mix(engine: Engine, as_of: date, building: str | None = None) -> pd.DataFrame:
    """Residents by sector and size class at ``as_of``. Columns: sector, size_band, tenants, area_m2, jobs."""
    u, b, lease, t = m.ParkUnit, m.ParkBuilding, m.ParkLease, m.ParkTenant
    jobs = func.sum(lease.jobs)
    band = case(*[(jobs < limit, literal(label)) for limit, label in SIZE_BANDS if limit], else_=SIZE_BANDS[-1][1])
    per_tenant = _filter_building(
        select(
            t.tenant_code, t.sector, band.label("size_band"), func.sum(u.area_m2).label("area_m2"), jobs.label("jobs")
        )
        .join(lease, lease.tenant_code == t.tenant_code)
        .join(u, u.unit_code == lease.unit_code)
        .join(b, and_(b.building_code == u.building_code, b.opened <= as_of))
        .where(_in_force(lease, as_of)),
        building,
    ).group_by(t.tenant_code, t.sector)
    per_tenant = per_tenant.subquery("per_tenant")
    c = per_tenant.c
    stmt = (
        select(
            c.sector,
            c.size_band,
            func.count().label("tenants"),
            func.sum(c.area_m2).label("area_m2"),
            func.sum(c.jobs).label("jobs"),
        )
        .group_by(c.sector, c.size_band)
        .order_by(c.sector, c.size_band)
    )
    return read_frame(engine, stmt)
