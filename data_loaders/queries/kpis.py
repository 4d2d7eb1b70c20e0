"""What the KPI registry (``metrics.kpis``) needs from the database: each KPI's indicator, its
targets and the kinds of source of the rows it is computed from (the flags come from those).

Observed and district KPIs read ``observation`` rows; derived KPIs read the raw tables they
are computed from (the company registry; the park's buildings, units and leases).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select, union

from data_loaders import models as m
from data_loaders.queries.common import indicator, read_frame
from metrics.kpis import DERIVED, OBSERVED, KpiDefinition

# the raw tables each derived indicator is computed from
_RAW_TABLES = {
    "it_sector": (m.ItCompany, m.ItCompanyYear),
    "park": (m.ParkBuilding, m.ParkUnit, m.ParkLease),
}


def kpi_indicator(engine: Engine, kpi: KpiDefinition, lang: str = "en") -> dict | None:
    """The KPI's indicator (name, unit, decimals, direction, frequency, source) in ``lang``."""
    return indicator(engine, kpi.indicator, lang)


def kpi_targets(engine: Engine, kpi: KpiDefinition) -> pd.DataFrame:
    """The targets set for the KPI's indicator, geography and breakdown, earliest first.

    Columns: year, value, document, illustrative, source_code, source_kind (empty when the KPI
    has no target of its own, e.g. a breakdown).
    """
    t, s = m.Target, m.Source
    stmt = (
        select(t.year, t.value, t.document, t.illustrative, t.source_code, s.kind.label("source_kind"))
        .join(s, s.code == t.source_code)
        .where(t.indicator_code == kpi.indicator, t.geo_code == kpi.geo, t.breakdown == kpi.breakdown)
        .order_by(t.year)
    )
    frame = read_frame(engine, stmt)
    if not kpi.has_target:
        frame = frame.iloc[0:0]
    frame["illustrative"] = frame["illustrative"].astype(bool)
    return frame


def kpi_source_kinds(engine: Engine, kpi: KpiDefinition) -> list[str]:
    """The distinct kinds of source (official, partner, synthetic) of the rows the KPI reads."""
    s = m.Source
    if kpi.aggregation == DERIVED:
        tables = _RAW_TABLES[kpi.theme]
        stmt = union(*[select(s.kind).join(tb, tb.source_code == s.code).distinct() for tb in tables])
    else:
        o = m.Observation
        stmt = (
            select(s.kind)
            .join(o, o.source_code == s.code)
            .where(o.indicator_code == kpi.indicator, o.is_current)
            .distinct()
        )
        if kpi.aggregation == OBSERVED:
            stmt = stmt.where(o.geo_code == kpi.geo, o.breakdown == kpi.breakdown)
    return sorted(read_frame(engine, stmt).iloc[:, 0].tolist())
