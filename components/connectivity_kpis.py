"""KPI cards of the connectivity view, built from small series: latest value, change on the
previous period, the next target and its status (decided in ``metrics.status``).

Pure functions so the arithmetic (which value is "latest", which target applies, the urban-rural
gap) is tested without a database or a browser.
"""

from __future__ import annotations

import pandas as pd

from components.kpi_card import Kpi
from metrics.status import assess, decimal_year


def next_target(targets: pd.DataFrame, year: int) -> tuple[float, int] | None:
    """The target that applies after ``year``: the earliest due in or after it, else the last one.

    Args:
        targets: rows with ``year`` and ``value`` (one indicator, one geo, one breakdown).
        year: the year of the latest observation.

    Returns:
        ``(value, year)``, or None when there is no target.
    """
    if targets.empty:
        return None
    ordered = targets.sort_values("year")
    ahead = ordered[ordered["year"] >= year]
    row = (ahead if len(ahead) else ordered).iloc[0]
    return float(row["value"]), int(row["year"])


def series_kpi(
    label: str,
    frame: pd.DataFrame,
    unit: str,
    *,
    decimals: int = 1,
    targets: pd.DataFrame | None = None,
    higher_is_better: bool = True,
    synthetic: bool = False,
    href: str | None = None,
) -> Kpi:
    """A KPI from a series: the last value, the one before, and the status against the next target.

    Args:
        label: the card's label, in the UI language.
        frame: columns ``period``, ``period_start`` (date) and ``value``, any order.
        unit: the unit, in the UI language.
        decimals: decimals shown.
        targets: rows with ``year`` and ``value`` for this indicator and place (None: no target).
        higher_is_better: False where lower is better (the change colour and the status flip).
        synthetic: show the synthetic-data badge.
        href: the view the card links to.

    Returns:
        The :class:`Kpi`; value None (shown as a dash) when the series is empty.
    """
    data = frame.dropna(subset=["value"]).sort_values("period_start") if len(frame) else frame
    if data.empty:
        return Kpi(label, None, unit, "", decimals, synthetic=synthetic, higher_is_better=higher_is_better, href=href)
    values = [float(v) for v in data["value"]]
    times = [decimal_year(pd.Timestamp(d).date()) for d in data["period_start"]]
    progress = None
    target = next_target(targets, pd.Timestamp(data["period_start"].iloc[-1]).year) if targets is not None else None
    if target is not None:
        progress = assess(times, values, target[0], target[1], higher_is_better=higher_is_better)
    return Kpi(
        label,
        values[-1],
        unit,
        str(data["period"].iloc[-1]),
        decimals,
        previous=values[-2] if len(values) > 1 else None,
        progress=progress,
        synthetic=synthetic,
        higher_is_better=higher_is_better,
        href=href,
    )


def urban_rural_gap(urban: pd.DataFrame, rural: pd.DataFrame) -> pd.DataFrame:
    """Urban minus rural per period, in percentage points (periods present in both only).

    Args:
        urban: columns ``period``, ``period_start``, ``value``.
        rural: the same columns.

    Returns:
        Columns ``period``, ``period_start``, ``value``, oldest first.
    """
    columns = ["period", "period_start", "value"]
    if urban.empty or rural.empty:
        return pd.DataFrame(columns=columns)
    both = urban[columns].merge(rural[["period", "value"]], on="period", suffixes=("_urban", "_rural"))
    both["value"] = both["value_urban"] - both["value_rural"]
    return both[columns].sort_values("period_start").reset_index(drop=True)
