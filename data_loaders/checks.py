"""Checks that need more than one cell: codes that must exist and bounds set by the indicator's
unit. Each takes one chunk of validated rows as ``(row_number, row)`` pairs and returns the
problems found; checks across the whole file (duplicates, geo parents, lease overlaps) are in
``file_checks.py``.
"""

from __future__ import annotations

from collections.abc import Iterable

from data_loaders import row_models as r
from data_loaders.problems import Problem
from data_loaders.reference import Reference

Rows = list[tuple[int, r.Row]]


def _source(n: int, row: r.Row, ref: Reference, fallback: str | None = None) -> Iterable[Problem]:
    code = getattr(row, "source_code", None) or ref.default_source or fallback
    if code is None:
        yield Problem(n, "source_code", "no source: add a source_code column or pass --source CODE")
    elif code not in ref.sources:
        yield Problem(n, "source_code", f"unknown source code '{code}'")


def _value_bounds(n: int, value: float, value_type: str) -> Iterable[Problem]:
    if value_type == "percent" and not 0 <= value <= 100:
        yield Problem(n, "value", f"{value:g} is a percentage outside 0-100")
    elif value_type == "count" and value < 0:
        yield Problem(n, "value", f"{value:g} is a negative count")
    elif value_type == "count" and not float(value).is_integer():
        yield Problem(n, "value", f"{value:g} is a count but not a whole number")
    elif value < 0:
        yield Problem(n, "value", f"{value:g} cannot be negative for a {value_type}")


def _indicator_and_geo(n: int, row: r.ObservationRow | r.TargetRow, ref: Reference) -> Iterable[Problem]:
    indicator = ref.indicators.get(row.indicator_code)
    if indicator is None:
        yield Problem(n, "indicator_code", f"unknown indicator code '{row.indicator_code}'")
    elif indicator.derived and isinstance(row, r.ObservationRow):
        yield Problem(n, "indicator_code", f"'{row.indicator_code}' is computed from raw tables, not loaded")
    if row.geo_code not in ref.geo_levels:
        yield Problem(n, "geo_code", f"unknown geo code '{row.geo_code}'")
    if indicator is not None:
        yield from _value_bounds(n, row.value, indicator.value_type)
        yield from _source(n, row, ref, indicator.source_code)


def check_observations(rows: Rows, ref: Reference) -> list[Problem]:
    return [p for n, row in rows for p in _indicator_and_geo(n, row, ref)]


def check_targets(rows: Rows, ref: Reference) -> list[Problem]:
    problems = [p for n, row in rows for p in _indicator_and_geo(n, row, ref)]
    problems += [
        Problem(n, "year", f"{row.year} is not a target year (2000-2100)")
        for n, row in rows
        if not 2000 <= row.year <= 2100
    ]
    return problems


def check_nothing(rows: Rows, ref: Reference) -> list[Problem]:
    """For kinds whose only rules are cell rules and file-wide checks (sources, geo)."""
    return []


def check_indicators(rows: Rows, ref: Reference) -> list[Problem]:
    known = ref.sources
    return [
        Problem(n, "source_code", f"unknown source code '{row.source_code}'")
        for n, row in rows
        if row.source_code not in known
    ]


def check_companies(rows: Rows, ref: Reference) -> list[Problem]:
    problems = []
    for n, row in rows:
        if ref.geo_levels.get(row.region_code) != "region":
            problems.append(Problem(n, "region_code", f"'{row.region_code}' is not a region code"))
        if row.closed is not None and row.closed <= row.founded:
            problems.append(Problem(n, "closed", f"closed {row.closed} is not after founded {row.founded}"))
        problems += _source(n, row, ref)
    return problems


def check_company_years(rows: Rows, ref: Reference) -> list[Problem]:
    problems = []
    for n, row in rows:
        if row.company_id not in ref.companies:
            problems.append(Problem(n, "company_id", f"unknown company '{row.company_id}'"))
        for column in ("employees", "revenue_usd", "exports_usd"):
            if getattr(row, column) < 0:
                problems.append(Problem(n, column, f"{getattr(row, column):g} cannot be negative"))
        if row.exports_usd > row.revenue_usd:
            problems.append(Problem(n, "exports_usd", "exports are larger than revenue"))
        problems += _source(n, row, ref)
    return problems


def check_buildings(rows: Rows, ref: Reference) -> list[Problem]:
    problems = [Problem(n, "floors", "a building needs at least one floor") for n, row in rows if row.floors < 1]
    return problems + [p for n, row in rows for p in _source(n, row, ref)]


def check_units(rows: Rows, ref: Reference) -> list[Problem]:
    problems = []
    for n, row in rows:
        floors = ref.buildings.get(row.building_code)
        if floors is None:
            problems.append(Problem(n, "building_code", f"unknown building '{row.building_code}'"))
        elif not 0 <= row.floor <= floors:
            problems.append(Problem(n, "floor", f"floor {row.floor} is not in building of {floors} floors"))
        if row.area_m2 <= 0:
            problems.append(Problem(n, "area_m2", "floor area must be positive"))
        problems += _source(n, row, ref)
    return problems


def check_tenants(rows: Rows, ref: Reference) -> list[Problem]:
    problems = [
        Problem(n, "company_id", f"unknown company '{row.company_id}'")
        for n, row in rows
        if row.company_id and row.company_id not in ref.companies
    ]
    return problems + [p for n, row in rows for p in _source(n, row, ref)]


def check_leases(rows: Rows, ref: Reference) -> list[Problem]:
    problems = []
    for n, row in rows:
        if row.unit_code not in ref.units:
            problems.append(Problem(n, "unit_code", f"unknown unit '{row.unit_code}'"))
        if row.tenant_code not in ref.tenants:
            problems.append(Problem(n, "tenant_code", f"unknown tenant '{row.tenant_code}'"))
        if row.end_date is not None and row.end_date < row.start_date:
            problems.append(Problem(n, "end_date", f"lease ends {row.end_date} before it starts {row.start_date}"))
        if row.rent_usd_m2_month < 0 or row.jobs < 0:
            problems.append(Problem(n, "rent_usd_m2_month", "rent and jobs cannot be negative"))
        problems += _source(n, row, ref)
    return problems


def _themes_text(themes: frozenset[str]) -> str:
    if not themes:
        return "your account is assigned no theme to load data for"
    return f"your account loads {' and '.join(sorted(themes))} data only"


def kind_theme_problem(kind: str, themes: frozenset[str] | None) -> Problem | None:
    """For a kind whose rows all have one theme (``THEME_OF_KIND``): one file-level problem when
    an account restricted to ``themes`` may not load it (None: every theme, or the kind is allowed)."""
    from accounts.roles import THEME_OF_KIND

    theme = THEME_OF_KIND.get(kind)
    if themes is None or theme is None or theme in themes:
        return None
    return Problem(0, "", f"{kind} files are {theme} data; {_themes_text(themes)}", value=kind)


def check_themes(rows: Rows, ref: Reference, themes: frozenset[str] | None) -> list[Problem]:
    """Observation and target rows whose indicator's theme an account restricted to ``themes``
    may not load, one problem per row (unknown indicators are reported by the other checks)."""
    if themes is None:
        return []
    problems = []
    for n, row in rows:
        indicator = ref.indicators.get(row.indicator_code)
        if indicator is not None and indicator.theme not in themes:
            article = "an" if indicator.theme[:1] in "aeiou" else "a"
            reason = f"'{row.indicator_code}' is {article} {indicator.theme} indicator; {_themes_text(themes)}"
            problems.append(Problem(n, "indicator_code", reason, value=row.indicator_code))
    return problems
