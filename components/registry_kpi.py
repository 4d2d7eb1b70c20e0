"""The one KPI card builder: a registry definition and its data in, the card's content out.

Every page lists registry keys and calls :func:`kpi_from_registry`, so a KPI shows the same
value, period, target and status wherever it appears. The rules are the registry's
(``metrics.kpis``): the next target not yet passed, flags from the sources of the rows, the
stale badge after two reporting periods, provisional periods in words; the status is decided by
``metrics.anticipated_progress.assess_kpi`` and names its method.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.kpi_card import Kpi
from data_loaders.queries.kpis import KpiData
from i18n import format_day, format_number, translator
from metrics.anticipated_progress import assess_kpi
from metrics.kpis import (
    KpiDefinition,
    applicable_target,
    flags_from_sources,
    is_stale,
    past_targets,
    provisional_note,
)
from metrics.status import decimal_year

SPARK_POINTS = 12


def period_label(period: str, lang: str | None = None) -> str:
    """A period code as shown on a card: years and quarters as they are, days in the locale's form."""
    if len(period) == 10:
        return format_day(date.fromisoformat(period), lang)
    return period


def higher_is_better(definition: KpiDefinition, indicator: dict) -> bool:
    """The KPI's direction: its own where declared, else its indicator's."""
    if definition.lower_is_better is not None:
        return not definition.lower_is_better
    return indicator["direction"] != "lower"


def kpi_from_registry(
    definition: KpiDefinition, data: KpiData, today: date, lang: str | None = None, href: str | None = None
) -> Kpi:
    """One KPI card's content.

    Args:
        definition: the registry entry.
        data: its data (``data_loaders.queries.kpis.kpi_data``).
        today: the day the card speaks about (picks the target, decides staleness).
        lang: UI language.
        href: the view the card links to, with its filters.

    Returns:
        The :class:`~components.kpi_card.Kpi`; value None (a dash) when there is no complete period.
    """
    t = translator(lang)
    meta = data.indicator
    series = data.series.dropna(subset=["value"])
    values = [float(v) / definition.scale for v in series["value"]]
    higher = higher_is_better(definition, meta)
    target = applicable_target(data.targets, today)
    progress = None
    if target is not None:
        times = [decimal_year(pd.Timestamp(d).date()) for d in series["period_end"]]
        goal = float(target["value"]) / definition.scale
        progress = assess_kpi(times, values, goal, int(target["year"]), higher_is_better=higher)
    passed = past_targets(data.targets, series, today, lower_is_better=not higher)
    last_passed = passed[-1] if passed and passed[-1][2] is not None else None
    flags = flags_from_sources(data.source_kinds, [bool(target["illustrative"])] if target is not None else [])
    period = str(series["period"].iloc[-1]) if values else ""
    decimals = definition.decimals if definition.decimals is not None else int(meta["decimals"])
    stale = bool(values) and is_stale(pd.Timestamp(series["period_end"].iloc[-1]).date(), meta["frequency"], today)
    return Kpi(
        t(definition.label) if definition.label else meta["name"],
        values[-1] if values else None,
        t(definition.unit) if definition.unit else meta["unit"],
        period_label(period, lang),
        decimals=decimals,
        previous=values[-2] if len(values) > 1 else None,
        progress=progress,
        synthetic=flags.synthetic,
        higher_is_better=higher,
        href=href,
        trend=tuple(values[-SPARK_POINTS:]),
        target_note=t("illustrative") if flags.illustrative_target else "",
        stale_note=t("latest available: {period}").format(period=period_label(period, lang)) if stale else "",
        provisional_notes=tuple(provisional_note(row, lang) for _i, row in data.provisional.iterrows()),
        past_target_note=_past_note(last_passed, definition.scale, decimals, lang) if last_passed else "",
    )


def _past_note(passed: tuple[int, float, bool], scale: float, decimals: int, lang: str | None) -> str:
    year, value, met = passed
    t = translator(lang)
    text = t("Target {year}: {value} met") if met else t("Target {year}: {value} missed")
    return text.format(year=year, value=format_number(value / scale, decimals, lang))
