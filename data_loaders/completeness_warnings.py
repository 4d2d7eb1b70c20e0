"""At load time, name each period a file leaves incomplete, in the words the dashboard uses.

A quarter for 2 of 59 districts is valid data, so it loads; but the dashboard keeps it out of
regional and national totals until enough of the population has reported
(``metrics.kpis.COMPLETE_SHARE``). Staff should learn that when they load the file, not from a
card later: the loader prints these warnings and stores them on the import batch.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_loaders import models as m
from data_loaders.queries.completeness import period_completeness
from metrics.kpis import is_complete, provisional_note

# Themes whose district values are summed or averaged into regions and the country; population
# figures are the weights, not an aggregate.
AGGREGATED_THEMES = ("connectivity",)


def incomplete_period_warnings(session: Session, batch_id: int) -> list[str]:
    """One warning per indicator, breakdown and period of this batch whose reporting districts
    hold less than the complete share of the population (the batch's rows count, uncommitted)."""
    o, g, i = m.Observation, m.Geo, m.Indicator
    stmt = (
        select(o.indicator_code, o.breakdown, o.period)
        .join(g, g.code == o.geo_code)
        .join(i, i.code == o.indicator_code)
        .where(o.import_batch_id == batch_id, g.level.in_(("district", "region")), i.theme.in_(AGGREGATED_THEMES))
        .distinct()
    )
    periods: dict[tuple[str, str], set[str]] = defaultdict(set)
    for indicator, breakdown, period in session.execute(stmt):
        periods[(indicator, breakdown)].add(period)
    warnings = []
    for (indicator, breakdown), wanted in sorted(periods.items()):
        frame = period_completeness(session, indicator, sorted(wanted), breakdown)
        for _, row in frame[~is_complete(frame["share"])].iterrows():
            warnings.append(f"{indicator} ({breakdown}) {provisional_note(row, 'en')}")
    return warnings
