"""The observation rollup: current values per indicator, breakdown, level, geo and period, with the
population-weighted region and country values and how complete each of their periods is.

The loader rebuilds the indicators a file touched inside the import's own transaction, so the
rollup always agrees with the committed observations (a rejected file changes neither). Views
read it (``queries.connectivity``, ``queries.completeness``) and so cost what their answer costs.
Everything is set-based SQL through SQLAlchemy Core and runs on SQLite and PostgreSQL alike.

The rules, as the views computed them before the rollup existed:

* **weights**: a unit's value is weighted by its modelled population (``TJ.POP.MODEL``) of the
  period's year; a region's or the country's value is ``sum(value x population) / sum(population)``
  over the district and region observations that have a population;
* **coverage units**: the districts, plus each region reported as a whole (one without districts,
  Dushanbe); a unit is *expected* in a period when it reports the indicator and breakdown in any
  period and has a population for the period's year; a period's *share* is the population of the
  units that reported it over that of those expected (``metrics.kpis.is_complete`` decides).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Float, and_, case, delete, func, insert, literal, or_, select, text, true
from sqlalchemy.orm import aliased

from data_loaders import models as m
from data_loaders.db import refresh_statistics

POPULATION = "TJ.POP.MODEL"
COUNTRY = "TJ"
R = m.ObservationRollup
_UNIT = [
    "indicator_code",
    "breakdown",
    "level",
    "geo_code",
    "period",
    "period_start",
    "period_end",
    "value",
    "population",
]
_AGGREGATE = _UNIT + ["reported", "expected", "reported_population", "expected_population", "share"]


@dataclass(frozen=True)
class Scope:
    """The series a rebuild replaces: these indicators and breakdowns (None: every one)."""

    indicators: list[str] | None = None
    breakdowns: list[str] | None = None

    def of(self, table):
        """The condition on ``table``'s indicator_code and breakdown columns."""
        indicators = true() if self.indicators is None else table.indicator_code.in_(self.indicators)
        return and_(indicators, true() if self.breakdowns is None else table.breakdown.in_(self.breakdowns))


def rebuild(
    connection: Connection, indicator_codes: Iterable[str] | None = None, breakdowns: Iterable[str] | None = None
) -> None:
    """Replace the rollup rows of these indicators and breakdowns (None: all) from the current
    observations, in the caller's transaction: unit rows first, regions from them, the country
    from the regions. A breakdown's rows depend on its own observations only."""
    scope = Scope(*[None if given is None else sorted(set(given)) for given in (indicator_codes, breakdowns)])
    if scope.indicators == [] or scope.breakdowns == []:
        return
    with _hash_joins(connection):
        connection.execute(delete(R).where(scope.of(R)))
        units = connection.execute(insert(R).from_select(_UNIT, _unit_rows(scope)))
        refresh_statistics(connection, R.__tablename__, units.rowcount)  # the next two read them
        connection.execute(insert(R).from_select(_AGGREGATE, _region_rows(scope)))
        connection.execute(insert(R).from_select(_AGGREGATE, _country_rows(scope)))


@contextmanager
def _hash_joins(connection: Connection) -> Iterator[None]:
    """On PostgreSQL, no nested loops while rebuilding: the rows just imported are in no planner
    statistics yet, so it guesses one row per join and loops over thousands (minutes, not a
    second). The setting is the transaction's, and is put back for the rest of the import."""
    if connection.dialect.name != "postgresql":
        yield
        return
    previous = connection.execute(text("SELECT current_setting('enable_nestloop')")).scalar_one()
    connection.execute(text("SET LOCAL enable_nestloop = off"))
    yield  # on an error the transaction is rolled back, and the setting with it
    connection.execute(text("SELECT set_config('enable_nestloop', :previous, true)"), {"previous": previous})


def rebuild_after_load(connection: Connection, kind: str, indicators: set[str], breakdowns: set[str]) -> None:
    """Rebuild what a load changed: the indicators and breakdowns it wrote, or everything when it
    wrote the weights (population) or the geography (which districts make a region)."""
    if kind == "geo" or POPULATION in indicators:
        rebuild(connection)
    elif indicators:
        rebuild(connection, indicators, breakdowns)


def population_of_its_year(population, observation):
    """Join condition: the unit's modelled population (the weight) in the observation's year."""
    return (
        (population.geo_code == observation.geo_code)
        & (population.indicator_code == POPULATION)
        & population.is_current
        & (population.breakdown == "total")
        & (population.period == func.substr(observation.period, 1, 4))
    )


def coverage_units():
    """Subquery (code, region) of the coverage units: districts and regions without districts."""
    g, child = m.Geo, aliased(m.Geo)
    # not correlated: the regions with districts are looked up once, not once per row
    with_districts = select(child.parent_code).where(child.level == "district", child.parent_code.is_not(None))
    stmt = select(g.code, case((g.level == "district", g.parent_code), else_=g.code).label("region")).where(
        or_(g.level == "district", and_(g.level == "region", g.code.not_in(with_districts)))
    )
    return stmt.subquery("units")


def _unit_rows(scope: Scope):
    """Every current district and region observation, with its unit's population (or None)."""
    o, p, g = m.Observation, aliased(m.Observation), m.Geo
    return (
        select(
            o.indicator_code,
            o.breakdown,
            literal("unit"),
            o.geo_code,
            o.period,
            o.period_start,
            o.period_end,
            o.value,
            p.value,
        )
        .join(g, g.code == o.geo_code)
        .outerjoin(p, population_of_its_year(p, o))
        .where(o.is_current, g.level.in_(("district", "region")), scope.of(o))
        .order_by(o.indicator_code, o.breakdown, o.geo_code, o.period)  # the rollup's key: 21 s -> 3 s at 1 M rows
    )


def _weighted(unit, *keys):
    """``sum(value x population) / sum(population)`` and the population, of the unit rows with one."""
    weights = func.sum(unit.population)
    return (
        select(*keys, (func.sum(unit.value * unit.population) / func.nullif(weights, 0.0, type_=Float)).label("value"))
        .add_columns(weights.label("population"))
        .where(unit.level == "unit", unit.population.is_not(None))
        .group_by(*keys)
    )


def weights(unit, scope: Scope):
    """Select of the expected units per indicator, breakdown, region and year: how many units
    report the indicator and breakdown in any period and have a population that year, and its sum."""
    units, p = coverage_units(), aliased(m.Observation)
    reporting = (
        select(unit.indicator_code, unit.breakdown, unit.geo_code)
        .where(unit.level == "unit", scope.of(unit))
        .distinct()
        .subquery("reporting")
    )
    return (
        select(
            reporting.c.indicator_code,
            reporting.c.breakdown,
            units.c.region,
            p.period.label("year"),
            func.count().label("expected"),
            func.sum(p.value).label("population"),
        )
        .select_from(reporting)
        .join(units, units.c.code == reporting.c.geo_code)
        .join(
            p,
            (p.geo_code == reporting.c.geo_code)
            & (p.indicator_code == POPULATION)
            & p.is_current
            & (p.breakdown == "total"),
        )
        .group_by(reporting.c.indicator_code, reporting.c.breakdown, units.c.region, p.period)
    )


def _region_rows(scope: Scope):
    """One row per region that expects units and per period any unit reported, with the
    region's weighted value (None when none of its units reported it)."""
    u, g, units = aliased(R), m.Geo, coverage_units()
    region_of = case((g.level == "district", g.parent_code), else_=g.code)
    by_region = (u.indicator_code, u.breakdown, region_of, u.period)
    weights_sum = func.sum(u.population)
    # one pass over the unit rows: what each region's units reported, and its weighted value
    reported = (
        select(u.indicator_code, u.breakdown, region_of.label("region"), u.period)
        .add_columns(
            func.min(u.period_start).label("period_start"),
            func.min(u.period_end).label("period_end"),
            func.count(units.c.code).label("reported"),
            func.sum(case((units.c.code.is_not(None), u.population))).label("reported_population"),
            (func.sum(u.value * u.population) / func.nullif(weights_sum, 0.0, type_=Float)).label("value"),
            weights_sum.label("population"),
        )
        .join(g, g.code == u.geo_code)
        .outerjoin(units, units.c.code == u.geo_code)
        .where(u.level == "unit", scope.of(u))
        .group_by(*by_region)
        .cte("reported")
    )
    periods = (
        select(reported.c.indicator_code, reported.c.breakdown, reported.c.period)
        .add_columns(func.min(reported.c.period_start).label("period_start"))
        .add_columns(func.min(reported.c.period_end).label("period_end"))
        .where(reported.c.reported > 0)
        .group_by(reported.c.indicator_code, reported.c.breakdown, reported.c.period)
        .subquery("periods")
    )
    expected = weights(u, scope).cte("expected")
    regions = select(expected.c.indicator_code, expected.c.breakdown, expected.c.region).distinct().subquery()

    def same(sub, *extra):
        return and_(sub.c.indicator_code == regions.c.indicator_code, sub.c.breakdown == regions.c.breakdown, *extra)

    reported_population = func.coalesce(reported.c.reported_population, 0.0)
    return (
        select(
            regions.c.indicator_code,
            regions.c.breakdown,
            literal("region"),
            regions.c.region,
            periods.c.period,
            periods.c.period_start,
            periods.c.period_end,
            reported.c.value,
            reported.c.population,
            func.coalesce(reported.c.reported, 0),
            func.coalesce(expected.c.expected, 0),
            reported_population,
            func.coalesce(expected.c.population, 0.0),
            case((expected.c.population > 0, reported_population / expected.c.population)),
        )
        .select_from(regions)
        .join(periods, same(periods))
        .outerjoin(
            expected,
            same(
                expected, expected.c.region == regions.c.region, expected.c.year == func.substr(periods.c.period, 1, 4)
            ),
        )
        .outerjoin(
            reported, same(reported, reported.c.region == regions.c.region, reported.c.period == periods.c.period)
        )
    )


def _country_rows(scope: Scope):
    """The regions' periods summed into the country's, with the country's weighted value."""
    u, r = aliased(R), aliased(R)
    keys = (r.indicator_code, r.breakdown, r.period)
    sums = (
        select(*keys)
        .add_columns(
            func.min(r.period_start).label("period_start"),
            func.min(r.period_end).label("period_end"),
            func.sum(r.reported).label("reported"),
            func.sum(r.expected).label("expected"),
            func.sum(r.reported_population).label("reported_population"),
            func.sum(r.expected_population).label("expected_population"),
        )
        .where(r.level == "region", scope.of(r))
        .group_by(*keys)
        .subquery("sums")
    )
    values = _weighted(u, u.indicator_code, u.breakdown, u.period).where(scope.of(u)).subquery("values")
    return (
        select(
            sums.c.indicator_code,
            sums.c.breakdown,
            literal("country"),
            literal(COUNTRY),
            sums.c.period,
            sums.c.period_start,
            sums.c.period_end,
            values.c.value,
            values.c.population,
            sums.c.reported,
            sums.c.expected,
            sums.c.reported_population,
            sums.c.expected_population,
            case((sums.c.expected_population > 0, sums.c.reported_population / sums.c.expected_population)),
        )
        .select_from(sums)
        .outerjoin(
            values,
            and_(
                values.c.indicator_code == sums.c.indicator_code,
                values.c.breakdown == sums.c.breakdown,
                values.c.period == sums.c.period,
            ),
        )
    )
