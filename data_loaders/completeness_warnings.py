"""At load time, name each period a file leaves incomplete, in the words the dashboard uses.

A quarter for 2 of 59 districts is valid data, so it loads; but the dashboard keeps it out of
regional and national totals until enough of the population has reported
(``metrics.kpis.COMPLETE_SHARE``). Staff should learn that when they load the file, not from a
card later: the loader prints these warnings and stores them on the import batch.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from data_loaders import models as m
from data_loaders.rollup import Scope, weights
from metrics.kpis import is_complete, provisional_note

# Themes whose district values are summed or averaged into regions and the country; population
# figures are the weights, not an aggregate.
AGGREGATED_THEMES = ("connectivity",)


def incomplete_period_warnings(session: Session, batch_id: int) -> list[str]:
    """One warning per indicator, breakdown and period of this batch whose reporting districts
    hold less than the complete share of the population (the batch's rows count, uncommitted).

    Set-based, whatever the number of breakdowns: one query joins the batch's periods to the
    country rows of the rollup (what ``period_completeness`` reads), one reads the units each
    region expects for the periods no unit reported (what its ``_unreported`` computes)."""
    o, g, i, r = m.Observation, m.Geo, m.Indicator, m.ObservationRollup
    wanted = (
        select(o.indicator_code, o.breakdown, o.period)
        .join(g, g.code == o.geo_code)
        .join(i, i.code == o.indicator_code)
        .where(o.import_batch_id == batch_id, g.level.in_(("district", "region")), i.theme.in_(AGGREGATED_THEMES))
        .distinct()
        .subquery("wanted")
    )
    country = (
        select(wanted, r.reported, r.expected, r.share)
        .select_from(wanted)
        .outerjoin(
            r,
            and_(
                r.indicator_code == wanted.c.indicator_code,
                r.breakdown == wanted.c.breakdown,
                r.period == wanted.c.period,
                r.level == "country",
            ),
        )
    )
    rows, unreported = [], []
    for indicator, breakdown, period, reported, expected, share in session.execute(country):
        if reported is None:
            unreported.append((indicator, breakdown, period))
        else:
            rows.append((indicator, breakdown, period, int(reported), int(expected), share))
    if unreported:
        rows += _unreported(session, unreported)
    if not rows:
        return []
    frame = pd.DataFrame(rows, columns=["indicator", "breakdown", "period", "reported", "expected", "share"])
    frame["share"] = frame["share"].astype(float)
    frame = frame[~is_complete(frame["share"])].sort_values(["indicator", "breakdown", "period"])
    return [
        f"{row['indicator']} ({row['breakdown']}) {provisional_note(row, 'en')}" for row in frame.to_dict("records")
    ]


def _unreported(session: Session, keys: list[tuple[str, str, str]]) -> list[tuple]:
    """Periods no unit reported: nobody of the units the regions expect in the period's year
    (none when no region expects any unit of the indicator and breakdown in any year)."""
    scope = Scope(sorted({k[0] for k in keys}), sorted({k[1] for k in keys}))
    expected: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0.0]))
    for indicator, breakdown, _region, year, units, population in session.execute(
        weights(aliased(m.ObservationRollup), scope)
    ):
        sums = expected[(indicator, breakdown)][year]
        sums[0] += units
        sums[1] += population or 0.0
    rows = []
    for indicator, breakdown, period in keys:
        if (indicator, breakdown) not in expected:
            continue
        units, population = expected[(indicator, breakdown)].get(period[:4], (0, 0.0))
        rows.append((indicator, breakdown, period, 0, int(units), 0.0 if population > 0 else float("nan")))
    return rows
