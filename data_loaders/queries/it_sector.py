"""IT-sector queries: counts and totals computed from the company registry, never stored.

Every query takes the same filters (``region``, ``subsector``, ``park_as_of``) so the whole
view answers the same question. IT Park residency is not a column of the registry: a company is
a resident on a day when it is the ``company_id`` of a park tenant holding a lease (not a
reservation) in force that day, start and end days included.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, Float, and_, case, cast, func, literal, or_, select, union_all

from data_loaders import models as m
from data_loaders.queries.common import _lang, read_frame

POPULATION = "SP.POP.TOTL"  # real census figures and official estimates
# Employee bands of the registry's size distribution: (label, lowest, highest or None).
SIZE_BANDS = (("1–9", 1, 9), ("10–49", 10, 49), ("50–249", 50, 249), ("250+", 250, None))
BENCHMARK_CODES = ("UZ.ITPARK.RESIDENTS", "UZ.ITPARK.JOBS", "UZ.ITPARK.SERVICES.USD", "UZ.ITSERV.EXPORTS.USD")


def _years(first: int, last: int):
    rows = [
        select(
            literal(y).label("year"),
            literal(date(y, 1, 1)).label("year_start"),
            literal(date(y, 12, 31)).label("year_end"),
        )
        for y in range(first, max(first, last) + 1)
    ]
    return union_all(*rows).subquery("years")


def residents(as_of: date):
    """Registry ids of the companies holding an IT Park lease in force on ``as_of``."""
    t, lease = m.ParkTenant, m.ParkLease
    return (
        select(t.company_id)
        .join(lease, lease.tenant_code == t.tenant_code)
        .where(
            t.company_id.is_not(None),
            lease.kind == "lease",
            lease.start_date <= as_of,
            or_(lease.end_date.is_(None), lease.end_date >= as_of),
        )
    )


def _filter(stmt, region: str | None, subsector: str | None, park_as_of: date | None):
    """Restrict a select over ``it_company`` to a region, a subsector and IT Park residents."""
    c = m.ItCompany
    if region:
        stmt = stmt.where(c.region_code == region)
    if subsector:
        stmt = stmt.where(c.subsector == subsector)
    if park_as_of is not None:
        stmt = stmt.where(c.company_id.in_(residents(park_as_of)))
    return stmt


def _active_at(day):
    c = m.ItCompany
    return and_(c.founded <= day, or_(c.closed.is_(None), c.closed > day))


def year_bounds(engine: Engine) -> dict:
    """First and last year with company figures (employees, revenue) in the registry.

    Returns:
        ``{"first": int | None, "last": int | None}``.
    """
    cy = m.ItCompanyYear
    with engine.connect() as connection:
        first, last = connection.execute(select(func.min(cy.year), func.max(cy.year))).one()
    return {"first": first, "last": last}


def active_companies(
    engine: Engine,
    first: int,
    last: int,
    region: str | None = None,
    subsector: str | None = None,
    park_as_of: date | None = None,
) -> pd.DataFrame:
    """Companies active at each year end (founded on or before it, not closed by then), by subsector.

    Columns: year, subsector, companies.
    """
    c, y = m.ItCompany, _years(first, last)
    stmt = (
        select(y.c.year, c.subsector, func.count().label("companies"))
        .join(c, _active_at(y.c.year_end))
        .group_by(y.c.year, c.subsector)
        .order_by(y.c.year, c.subsector)
    )
    return read_frame(engine, _filter(stmt, region, subsector, park_as_of))


def yearly(
    engine: Engine,
    first: int,
    last: int,
    region: str | None = None,
    subsector: str | None = None,
    park_as_of: date | None = None,
) -> pd.DataFrame:
    """Active companies at each year end and the year's jobs, revenue and exports, by subsector.

    Jobs, revenue and exports are the sums of the registry's yearly company figures.
    Columns: year, subsector, companies, employees, revenue_usd, exports_usd (zeros where none).
    """
    c, cy = m.ItCompany, m.ItCompanyYear
    active = active_companies(engine, first, last, region, subsector, park_as_of)
    money = (
        select(
            cy.year,
            c.subsector,
            func.sum(cy.employees).label("employees"),
            func.sum(cy.revenue_usd).label("revenue_usd"),
            func.sum(cy.exports_usd).label("exports_usd"),
        )
        .join(c, c.company_id == cy.company_id)
        .where(cy.year >= first, cy.year <= last)
        .group_by(cy.year, c.subsector)
    )
    totals = read_frame(engine, _filter(money, region, subsector, park_as_of))
    frame = active.merge(totals, on=["year", "subsector"], how="outer")
    columns = ["companies", "employees", "revenue_usd", "exports_usd"]
    frame[columns] = frame[columns].fillna(0)
    frame = frame.astype({"year": int, "companies": int, "employees": int, "revenue_usd": float, "exports_usd": float})
    return frame.sort_values(["year", "subsector"]).reset_index(drop=True)[["year", "subsector", *columns]]


def flows(
    engine: Engine,
    first: int,
    last: int,
    region: str | None = None,
    subsector: str | None = None,
    park_as_of: date | None = None,
) -> pd.DataFrame:
    """Companies founded and closed in each calendar year, and the net change.

    Columns: year, founded, closed, net (one row per year, zeros included).
    """
    c, y = m.ItCompany, _years(first, last)
    counts = {}
    for column in ("founded", "closed"):
        day = getattr(c, column)
        stmt = (
            select(y.c.year, func.count(c.company_id).label(column))
            .select_from(y)
            .join(c, and_(day >= y.c.year_start, day <= y.c.year_end))
            .group_by(y.c.year)
        )
        counts[column] = read_frame(engine, _filter(stmt, region, subsector, park_as_of)).set_index("year")[column]
    frame = pd.DataFrame({"year": range(first, last + 1)}).set_index("year")
    frame["founded"] = counts["founded"].reindex(frame.index).fillna(0).astype(int)
    frame["closed"] = counts["closed"].reindex(frame.index).fillna(0).astype(int)
    frame["net"] = frame["founded"] - frame["closed"]
    return frame.reset_index()


def founded_between(
    engine: Engine,
    start: date,
    end: date,
    region: str | None = None,
    subsector: str | None = None,
    park_as_of: date | None = None,
) -> int:
    """How many companies were founded from ``start`` to ``end``, both days included."""
    c = m.ItCompany
    stmt = _filter(
        select(func.count()).select_from(c).where(c.founded >= start, c.founded <= end), region, subsector, park_as_of
    )
    with engine.connect() as connection:
        return int(connection.execute(stmt).scalar_one())


def size_bands(
    engine: Engine,
    year: int,
    region: str | None = None,
    subsector: str | None = None,
    park_as_of: date | None = None,
) -> pd.DataFrame:
    """Companies with figures for ``year`` by employee band (all bands, zeros included).

    Columns: band, companies, employees.
    """
    c, cy = m.ItCompany, m.ItCompanyYear
    band = case(
        *[(cy.employees <= high, label) for label, _low, high in SIZE_BANDS if high is not None],
        else_=SIZE_BANDS[-1][0],
    ).label("band")
    stmt = (
        select(band, func.count().label("companies"), func.sum(cy.employees).label("employees"))
        .join(c, c.company_id == cy.company_id)
        .where(cy.year == year)
        .group_by(band)
    )
    found = read_frame(engine, _filter(stmt, region, subsector, park_as_of)).set_index("band")
    labels = [label for label, _low, _high in SIZE_BANDS]
    frame = found.reindex(labels).fillna(0).astype(int).rename_axis("band").reset_index()
    return frame[["band", "companies", "employees"]]


def by_region(
    engine: Engine,
    year: int,
    subsector: str | None = None,
    park_as_of: date | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Each region's active companies (at the year end) and jobs, also per 10,000 inhabitants.

    The population is the latest published figure (census or official estimate) for a period at
    or before ``year``; its year is returned so the chart can say which one was used. Regions
    without such a figure get no per-capita value (never an interpolated one).
    Columns: region_code, name, companies, employees, population, population_year,
    population_source, companies_per_10k, jobs_per_10k.
    """
    c, cy, g, o = m.ItCompany, m.ItCompanyYear, m.Geo, m.Observation
    year_end = date(year, 12, 31)
    companies = _filter(
        select(c.region_code, func.count().label("companies")).where(_active_at(year_end)).group_by(c.region_code),
        None,
        subsector,
        park_as_of,
    ).subquery("companies")
    jobs = _filter(
        select(c.region_code, func.sum(cy.employees).label("employees"))
        .join(c, c.company_id == cy.company_id)
        .where(cy.year == year)
        .group_by(c.region_code),
        None,
        subsector,
        park_as_of,
    ).subquery("jobs")
    published = and_(o.indicator_code == POPULATION, o.is_current, o.breakdown == "total", o.period_type == "A")
    latest = (
        select(o.geo_code, func.max(o.period_start).label("period_start"))
        .where(published, o.period_start <= date(year, 1, 1))
        .group_by(o.geo_code)
        .subquery("latest")
    )
    population = (
        select(
            o.geo_code,
            o.value.label("population"),
            o.period.label("population_year"),
            o.source_code.label("population_source"),
        )
        .join(latest, and_(latest.c.geo_code == o.geo_code, latest.c.period_start == o.period_start))
        .where(published)
        .subquery("population")
    )
    n_companies = func.coalesce(companies.c.companies, 0)
    n_jobs = func.coalesce(jobs.c.employees, 0)
    stmt = (
        select(
            g.code.label("region_code"),
            getattr(g, f"name_{_lang(lang)}").label("name"),
            n_companies.label("companies"),
            n_jobs.label("employees"),
            population.c.population,
            population.c.population_year,
            population.c.population_source,
            (cast(n_companies, Float) * 10000 / population.c.population).label("companies_per_10k"),
            (cast(n_jobs, Float) * 10000 / population.c.population).label("jobs_per_10k"),
        )
        .outerjoin(companies, companies.c.region_code == g.code)
        .outerjoin(jobs, jobs.c.region_code == g.code)
        .outerjoin(population, population.c.geo_code == g.code)
        .where(g.level == "region")
        .order_by(g.code)
    )
    frame = read_frame(engine, stmt)
    return frame.astype({"companies": int, "employees": int})


def resident_share(engine: Engine, as_of: date, region: str | None = None, subsector: str | None = None) -> dict:
    """Active companies on ``as_of`` and how many of them are IT Park residents that day.

    Returns:
        ``{"active": int, "residents": int}``.
    """
    c = m.ItCompany
    is_resident = case((c.company_id.in_(residents(as_of)), 1), else_=0)
    stmt = _filter(
        select(func.count().label("active"), func.coalesce(func.sum(is_resident), 0).label("residents")).where(
            _active_at(as_of)
        ),
        region,
        subsector,
        None,
    )
    with engine.connect() as connection:
        active, resident_count = connection.execute(stmt).one()
    return {"active": int(active), "residents": int(resident_count)}


def benchmark(engine: Engine, codes: tuple[str, ...] = BENCHMARK_CODES, lang: str = "en") -> pd.DataFrame:
    """Published benchmark figures and targets (Uzbekistan IT Park) with names, units and sources.

    Columns: code, name, unit, decimals, geo_code, year, value, kind ("actual" or "target"),
    source_code. Ordered by indicator and year.
    """
    lang = _lang(lang)
    i, o, t = m.Indicator, m.Observation, m.Target
    meta = (i.code, getattr(i, f"name_{lang}").label("name"), getattr(i, f"unit_{lang}").label("unit"), i.decimals)
    actual = (
        select(*meta, o.geo_code, o.period.label("year"), o.value, literal("actual").label("kind"), o.source_code)
        .join(i, i.code == o.indicator_code)
        .where(o.indicator_code.in_(codes), o.is_current, o.breakdown == "total", o.period_type == "A")
    )
    target = (
        select(*meta, t.geo_code, t.year, t.value, literal("target").label("kind"), t.source_code)
        .join(i, i.code == t.indicator_code)
        .where(t.indicator_code.in_(codes), t.breakdown == "total")
    )
    frames = [read_frame(engine, actual), read_frame(engine, target)]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(
            columns=["code", "name", "unit", "decimals", "geo_code", "year", "value", "kind", "source_code"]
        )
    frame = pd.concat(frames, ignore_index=True)
    frame["year"] = frame["year"].astype(int)
    return frame.sort_values(["code", "year", "kind"]).reset_index(drop=True)
