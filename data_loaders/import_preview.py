"""What the main KPI of an observations file would become: the national series before and after.

The import page shows it beside the dry run's counts. The "main" indicator is the one with the
most new and revised rows; its series is the country's (``TJ``) total, as the dashboard reads it:
the population-weighted rollup (``observation_rollup``) when the indicator is of a theme whose
district values make the national one (connectivity) and the rollup has the country's rows,
else the national observations as loaded (a weighted mean of counts would be no national figure).
One indicator, one geo: a few dozen rows, read inside the load's own transaction.

``capture_before`` runs after the rows are written and before the rollup is rebuilt: writing
observations leaves the rollup as it was, and the observations as they stood before the batch
are the latest revision of each key from another batch that was not rolled back (the loader and
the roll-back keep that revision current). ``finish`` runs after the rebuild.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from data_loaders import models as m
from data_loaders.completeness_warnings import AGGREGATED_THEMES
from data_loaders.rollup import COUNTRY
from data_loaders.writing import WriteStats
from metrics.kpis import COMPLETE_SHARE

ROLLUP, OBSERVATIONS = "rollup", "observations"
Series = list[tuple[str, float]]


@dataclass(frozen=True)
class ImportPreview:
    indicator_code: str
    geo_code: str
    breakdown: str
    before: Series  # (period, value), oldest first
    after: Series
    source: str = ROLLUP  # ROLLUP: weighted from the units; OBSERVATIONS: the national rows as loaded
    incomplete: tuple[str, ...] = ()  # periods of ``after`` too incomplete for the dashboard's totals

    @property
    def changed(self) -> list[str]:
        """The periods whose value is new or differs from before, oldest first."""
        before = dict(self.before)
        return [
            period
            for period, value in self.after
            if period not in before or not math.isclose(before[period], value, rel_tol=1e-9, abs_tol=1e-12)
        ]  # a weighted mean summed in another order may differ in its last bits


@dataclass
class Before:
    """The series as they stood before the batch, from both places the preview may take it."""

    indicator_code: str
    breakdown: str
    aggregated: bool = False  # of a theme whose district values are weighted into the country's
    rollup: Series = field(default_factory=list)
    observations: Series = field(default_factory=list)


def main_series(stats: WriteStats) -> tuple[str, str] | None:
    """(indicator, breakdown) of the main KPI: the indicator with the most new and revised rows
    (the first code on a tie), its total if the file changes it, else its most changed breakdown;
    None when the file changes nothing."""
    changed = {code: c["inserted"] + c["revised"] for code, c in stats.by_indicator.items()}
    changed = {code: n for code, n in changed.items() if n}
    if not changed:
        return None
    code = min(changed, key=lambda c: (-changed[c], c))
    breakdowns = {b: n for (i, b), n in stats.changed.items() if i == code and n}
    if "total" in breakdowns or not breakdowns:
        return code, "total"
    return code, min(breakdowns, key=lambda b: (-breakdowns[b], b))


def _rollup(connection: Connection, indicator_code: str, breakdown: str) -> list[tuple[str, float, float | None]]:
    r = m.ObservationRollup
    stmt = (
        select(r.period, r.value, r.share)
        .where(r.indicator_code == indicator_code, r.breakdown == breakdown, r.level == "country")
        .where(r.geo_code == COUNTRY, r.value.is_not(None))
        .order_by(r.period_start, r.period)
    )
    return [(period, value, share) for period, value, share in connection.execute(stmt)]


def _observations(connection: Connection, indicator_code: str, breakdown: str, before_batch: int | None) -> Series:
    """The national rows: the current ones, or those current before ``before_batch`` was written."""
    o, b = m.Observation, m.ImportBatch
    stmt = (
        select(o.period, o.value)
        .where(o.indicator_code == indicator_code, o.geo_code == COUNTRY, o.breakdown == breakdown)
        .order_by(o.period_start, o.period, o.revision)
    )
    if before_batch is None:
        return [(period, value) for period, value in connection.execute(stmt.where(o.is_current))]
    stmt = stmt.join(b, b.id == o.import_batch_id).where(o.import_batch_id != before_batch, b.status != "rolled back")
    latest: dict[str, float] = {}
    for period, value in connection.execute(stmt):  # by revision: the latest wins
        latest[period] = value
    return list(latest.items())


def capture_before(connection: Connection, stats: WriteStats, batch_id: int) -> Before | None:
    """The main series before the batch; call after writing the rows, before rebuilding the rollup."""
    main = main_series(stats)
    if main is None:
        return None
    code, breakdown = main
    theme = connection.execute(select(m.Indicator.theme).where(m.Indicator.code == code)).scalar()
    if theme not in AGGREGATED_THEMES:
        return Before(code, breakdown, False, [], _observations(connection, code, breakdown, batch_id))
    rollup = [(period, value) for period, value, _ in _rollup(connection, code, breakdown)]
    return Before(code, breakdown, True, rollup, _observations(connection, code, breakdown, batch_id))


def finish(connection: Connection, before: Before | None) -> ImportPreview | None:
    """The preview, once the rollup holds the batch; None when the file changes nothing."""
    if before is None:
        return None
    code, breakdown = before.indicator_code, before.breakdown
    after = _rollup(connection, code, breakdown) if before.aggregated else []
    if after:
        incomplete = tuple(period for period, _, share in after if (share or 0.0) < COMPLETE_SHARE - 1e-12)
        series = [(period, value) for period, value, _ in after]
        return ImportPreview(code, COUNTRY, breakdown, before.rollup, series, ROLLUP, incomplete)
    after_rows = _observations(connection, code, breakdown, None)
    return ImportPreview(code, COUNTRY, breakdown, before.observations, after_rows, OBSERVATIONS)
