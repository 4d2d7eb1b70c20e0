"""What the KPI registry (``metrics.kpis``) needs from the database: each KPI's indicator, its
targets and the kinds of source of the rows it is computed from (the flags come from those).

Observed and district KPIs read ``observation`` rows; derived KPIs read the raw tables they
are computed from (the company registry; the park's buildings, units and leases).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine, exists, select, union

from data_loaders import models as m
from data_loaders.queries.common import indicator, read_frame
from data_loaders.queries.completeness import period_completeness
from data_loaders.queries.connectivity import weighted_series
from data_loaders.queries.targets import indicator_series
from metrics.kpis import (
    COMPLETE_SHARE,
    DERIVED,
    DIFFERENCE,
    OBSERVED,
    SUM,
    KpiDefinition,
    get,
    provisional_periods,
)

SERIES_COLUMNS = ["period", "period_end", "value"]

# the raw tables each derived indicator is computed from
_RAW_TABLES = {
    "it_sector": (m.ItCompany, m.ItCompanyYear),
    "park": (m.ParkBuilding, m.ParkUnit, m.ParkLease),
}


def kpi_indicator(engine: Engine, kpi: KpiDefinition, lang: str = "en") -> dict | None:
    """The KPI's indicator (name, unit, decimals, direction, frequency, source) in ``lang``."""
    return indicator(engine, kpi.indicator, lang)


def kpi_targets(engine: Engine, kpi: KpiDefinition) -> pd.DataFrame:
    """The targets of the KPI's indicator and geography, earliest first: those set for its
    breakdown, else the indicator's total targets (the rural 4G card is measured against the
    rural broadband programme's coverage target); none for a gap or a count of people.

    Columns: year, value, document, illustrative, source_code, source_kind.
    """
    t, s = m.Target, m.Source
    stmt = (
        select(t.breakdown, t.year, t.value, t.document, t.illustrative, t.source_code, s.kind.label("source_kind"))
        .join(s, s.code == t.source_code)
        .where(t.indicator_code == kpi.indicator, t.geo_code == kpi.geo, t.breakdown.in_((kpi.breakdown, "total")))
        .order_by(t.year)
    )
    frame = read_frame(engine, stmt)
    own = frame[frame["breakdown"] == kpi.breakdown]
    frame = (own if len(own) else frame[frame["breakdown"] == "total"]).drop(columns="breakdown")
    if not kpi.has_target:
        frame = frame.iloc[0:0]
    frame["illustrative"] = frame["illustrative"].astype(bool)
    return frame.reset_index(drop=True)


def kpi_source_kinds(engine: Engine, kpi: KpiDefinition) -> list[str]:
    """The distinct kinds of source (official, partner, synthetic) of the rows the KPI reads."""
    s = m.Source
    if kpi.aggregation == DERIVED:
        tables = _RAW_TABLES[kpi.theme]
        stmt = union(*[select(s.kind).join(tb, tb.source_code == s.code).distinct() for tb in tables])
    else:  # one index probe per source, however many rows the indicator has
        o = m.Observation
        used = exists().where(o.source_code == s.code, o.indicator_code == kpi.indicator, o.is_current)
        if kpi.aggregation == OBSERVED:
            used = used.where(o.geo_code == kpi.geo, o.breakdown == kpi.breakdown)
        stmt = select(s.kind).where(used).distinct()
    return sorted(read_frame(engine, stmt).iloc[:, 0].tolist())


@dataclass(frozen=True)
class KpiData:
    """Everything one KPI card needs, read in one go (cached by the pages as one result)."""

    series: pd.DataFrame  # period, period_end, value: complete periods only, oldest first
    provisional: pd.DataFrame  # newer periods left out of totals (rows of period_completeness)
    indicator: dict
    targets: pd.DataFrame
    source_kinds: tuple[str, ...]


def kpi_series(
    engine: Engine,
    kpi: KpiDefinition,
    as_of: date,
    level: str = "country",
    geo: str | None = None,
    first: str | None = None,
    last: str | None = None,
    complete_share: float = COMPLETE_SHARE,
) -> pd.DataFrame:
    """The KPI's values for the country (``level="country"``), a region or a coverage unit.

    District KPIs are aggregated from complete periods only (see ``queries.completeness``);
    ``first``/``last`` bound their periods (inclusive; ``last`` bounds the year of an observed
    KPI). An observed KPI is always its own geography's; a derived one ``geo``'s or its own.
    Columns: period, period_end, value, oldest first.
    """
    geo_codes = None if level == "country" else [geo]
    if kpi.aggregation == DERIVED:
        frame = indicator_series(engine, kpi.indicator, geo or kpi.geo, as_of)[SERIES_COLUMNS]
        return frame[frame["period"] <= last].reset_index(drop=True) if last else frame
    if kpi.aggregation == OBSERVED:
        o = m.Observation
        stmt = (
            select(o.period, o.period_end, o.value)
            .where(o.indicator_code == kpi.indicator, o.geo_code == kpi.geo, o.is_current)
            .where(o.breakdown == kpi.breakdown)
            .order_by(o.period_start)
        )
        frame = read_frame(engine, stmt)
        if last:
            frame = frame[frame["period"] <= last[:4]]
        return frame.reset_index(drop=True)

    def weighted(breakdown: str) -> pd.DataFrame:
        return weighted_series(engine, kpi.indicator, level, breakdown, geo_codes, first, last, complete_share)

    if kpi.aggregation == DIFFERENCE:
        urban, rural = weighted("urban"), weighted("rural")
        both = urban.merge(rural[["period", "value"]], on="period", suffixes=("_urban", "_rural"))
        both["value"] = both["value_urban"] - both["value_rural"]
        return both[SERIES_COLUMNS].reset_index(drop=True)
    frame = weighted(kpi.breakdown)
    if kpi.aggregation == SUM:  # people outside coverage: population x uncovered share
        frame["value"] = (frame["population"] * (100 - frame["value"]) / 100).round()
    return frame[SERIES_COLUMNS].reset_index(drop=True)


def kpi_provisional(
    engine: Engine,
    kpi: KpiDefinition,
    level: str = "country",
    geo: str | None = None,
    complete_share: float = COMPLETE_SHARE,
) -> pd.DataFrame:
    """The periods newer than the KPI's latest complete one, left out of its totals (a district
    KPI for the country or a region only; empty otherwise)."""
    if kpi.aggregation in (DERIVED, OBSERVED) or level == "unit":
        return pd.DataFrame(columns=["period", "reported", "expected", "reported_population", "population", "share"])
    breakdown = "rural" if kpi.aggregation == DIFFERENCE else kpi.breakdown
    frame = period_completeness(engine, kpi.indicator, None, breakdown, by_region=level == "region")
    if level == "region":
        frame = frame[frame["geo_code"] == geo].drop(columns="geo_code")
    return provisional_periods(frame, complete_share)


def kpi_data(
    engine: Engine,
    key: str,
    as_of: date,
    lang: str = "en",
    level: str = "country",
    geo: str | None = None,
    first: str | None = None,
    last: str | None = None,
) -> KpiData:
    """One KPI of the registry resolved for a place and period range: its series, provisional
    periods, indicator, targets and the kinds of source of its rows.

    Args:
        engine: the database.
        key: a key of ``metrics.kpis.REGISTRY``.
        as_of: today (derived KPIs are computed up to it; the park's at month ends).
        lang: language of the indicator's name and unit.
        level: ``country``, ``region`` or ``unit`` (district KPIs); others use their own geography.
        geo: the region or unit for those levels.
        first: first period of a district KPI (inclusive).
        last: last period (inclusive).
    """
    kpi = get(key)
    targets = kpi_targets(engine, kpi) if level == "country" or kpi.aggregation in (DERIVED, OBSERVED) else None
    return KpiData(
        kpi_series(engine, kpi, as_of, level, geo, first, last),
        kpi_provisional(engine, kpi, level, geo),
        kpi_indicator(engine, kpi, lang),
        targets if targets is not None else kpi_targets(engine, kpi).iloc[0:0],
        tuple(kpi_source_kinds(engine, kpi)),
    )
