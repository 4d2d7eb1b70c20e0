"""Pure builders for the overview's headline cards: a series and its targets in, a ``Kpi`` out.

The status comes from ``metrics.status.assess`` (the one rule); the target chosen for a card is
the next one still to come, so a card always speaks about the deadline that matters now.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.kpi_card import Kpi
from i18n import format_day
from metrics.status import Progress, assess, decimal_year

SPARK_POINTS = 12


def pick_target(targets: pd.DataFrame, year: int) -> pd.Series | None:
    """The first target due in ``year`` or later; the last one if all have passed; None if none."""
    if targets.empty:
        return None
    ordered = targets.sort_values("year")
    upcoming = ordered[ordered["year"] >= year]
    return (upcoming if len(upcoming) else ordered).iloc[0 if len(upcoming) else -1]


def progress_of(series: pd.DataFrame, target: pd.Series | None, higher_is_better: bool = True) -> Progress:
    """Status of a ``(period_end, value)`` series against one target row (``year``, ``value``).

    The first observation is the baseline, used when only one value exists.
    """
    times = [decimal_year(d) for d in series["period_end"]]
    values = [float(v) for v in series["value"]]
    if target is None:
        return assess(times, values, None, None)
    baseline = (times[0], values[0]) if times else None
    return assess(
        times, values, float(target["value"]), int(target["year"]), higher_is_better=higher_is_better, baseline=baseline
    )


def period_label(period: str, lang: str | None = None) -> str:
    """A period code as shown on a card: years and quarters as they are, days in the locale's form."""
    if len(period) == 10:
        return format_day(date.fromisoformat(period), lang)
    return period


def build_kpi(
    label: str,
    unit: str,
    series: pd.DataFrame,
    targets: pd.DataFrame,
    today: date,
    *,
    decimals: int = 1,
    higher_is_better: bool = True,
    synthetic: bool = False,
    href: str | None = None,
    target_note: str = "",
    lang: str | None = None,
) -> Kpi:
    """One headline card's content from its series.

    Args:
        label: the KPI name in the UI language.
        unit: its unit in the UI language.
        series: columns period, period_end, value, oldest first (may be empty).
        targets: the indicator's target rows (columns year, value), possibly empty.
        today: the date the card speaks about (picks the next target).
        decimals: decimals shown.
        higher_is_better: direction of the indicator.
        synthetic: the data is synthetic demo data.
        href: the view the card links to.
        target_note: shown beside the target (e.g. "illustrative").
        lang: UI language.

    Returns:
        The :class:`Kpi`; value None (shown as a dash) when the series is empty.
    """
    series = series.dropna(subset=["value"])
    values = [float(v) for v in series["value"]]
    progress = progress_of(series, pick_target(targets, today.year), higher_is_better)
    return Kpi(
        label,
        values[-1] if values else None,
        unit,
        period_label(str(series["period"].iloc[-1]), lang) if values else "",
        decimals=decimals,
        previous=values[-2] if len(values) > 1 else None,
        progress=progress if progress.target is not None else None,
        synthetic=synthetic,
        higher_is_better=higher_is_better,
        href=href,
        trend=tuple(values[-SPARK_POINTS:]),
        target_note=target_note if progress.target is not None else "",
    )


def uncovered(coverage: pd.DataFrame) -> pd.DataFrame:
    """People outside coverage per period: population times the uncovered share.

    Args:
        coverage: columns period, period_end, value (% covered), population.

    Returns:
        Columns period, period_end, value (people).
    """
    people = coverage["population"] * (100 - coverage["value"]) / 100
    return pd.DataFrame({"period": coverage["period"], "period_end": coverage["period_end"], "value": people.round()})
