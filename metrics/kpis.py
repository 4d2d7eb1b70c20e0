"""The KPI registry: every headline figure declared once, so every page and export agrees on it.

A :class:`KpiDefinition` says which indicator it reads, for which breakdown and geography, how districts
or raw tables add up to it, its bounds and where it is drawn. Unit, decimals, direction and
reporting frequency are the indicator's own (read from the ``indicator`` table when the KPI is
resolved), so they are never typed twice. Pure declarations and rules: no database, no Dash.

Rules that apply to every KPI:

* **target**: the next target whose year has not yet passed (:func:`applicable_target`); targets
  whose year is over are shown as met or missed (:func:`past_targets`);
* **flags**: synthetic or illustrative only when a source of the rows used says so
  (:func:`flags_from_sources`), never by hand;
* **bounds**: a share never leaves 0-100 %; a projection beyond is clipped and says so (:func:`clip`);
* **freshness**: a value older than two reporting periods is stale (:func:`is_stale`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from i18n import N_, format_number, translator

# how a KPI is computed from the database
OBSERVED = "observed"  # the national figure as published (one observation per period)
WEIGHTED_MEAN = "weighted_mean"  # population-weighted mean of the districts' values
SUM = "sum"  # a count summed over districts (people without coverage)
DIFFERENCE = "difference"  # urban minus rural, each a population-weighted mean of districts
DERIVED = "derived"  # computed from the raw tables (company registry, park units and leases)
AGGREGATIONS = (OBSERVED, WEIGHTED_MEAN, SUM, DIFFERENCE, DERIVED)

SHARE = (0.0, 100.0)  # the bounds of a percentage
# periods a value may lag before its card says "latest available": two reporting periods
STALE_AFTER_PERIODS = 2
FREQUENCY_MONTHS = {"A": 12, "Q": 3, "M": 1}
# the share of the population whose districts must have reported before a period counts in totals
COMPLETE_SHARE = float(os.environ.get("COMPLETE_PERIOD_SHARE", "0.95"))


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI's definition. ``label`` overrides the indicator's name where the KPI is not the
    indicator itself (a breakdown, a gap); ``unit`` likewise."""

    key: str
    indicator: str
    theme: str
    aggregation: str
    page: str
    filters: tuple[tuple[str, str], ...] = ()
    breakdown: str = "total"
    geo: str = "TJ"
    bounds: tuple[float | None, float | None] = (None, None)
    label: str | None = None
    unit: str | None = None
    lower_is_better: bool | None = None  # None: the indicator's direction
    decimals: int | None = None  # None: the indicator's decimals
    scale: float = 1.0  # values and targets are shown divided by this, in ``unit`` (1e6: million US$)

    def __post_init__(self) -> None:
        if self.aggregation not in AGGREGATIONS:
            raise ValueError(f"KPI {self.key!r}: unknown aggregation {self.aggregation!r}")

    @property
    def has_target(self) -> bool:
        """A gap or a count of people has no target of its own; every other KPI takes its indicator's."""
        return self.aggregation not in (SUM, DIFFERENCE)

    @property
    def query_string(self) -> dict[str, str]:
        """The filters of the view the KPI is drawn on."""
        return dict(self.filters)


REGISTRY: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        "coverage_4g_rural",
        "TJ.MOB.4G.POP.ZS",
        "connectivity",
        WEIGHTED_MEAN,
        "/connectivity",
        (("metric", "4g"),),
        breakdown="rural",
        bounds=SHARE,
        label=N_("Rural population covered by 4G"),
    ),
    KpiDefinition(
        "urban_rural_gap",
        "TJ.NET.USER.ZS",
        "connectivity",
        DIFFERENCE,
        "/connectivity",
        (("metric", "4g"),),
        label=N_("Urban–rural gap in internet use"),
        unit=N_("points"),
        lower_is_better=True,
    ),
    KpiDefinition(
        "coverage_4g",
        "TJ.MOB.4G.POP.ZS",
        "connectivity",
        WEIGHTED_MEAN,
        "/connectivity",
        (("metric", "4g"),),
        bounds=SHARE,
    ),
    KpiDefinition(
        "uncovered_3g",
        "TJ.MOB.3G.POP.ZS",
        "connectivity",
        SUM,
        "/connectivity",
        (("metric", "3g"),),
        label=N_("People without 3G or better coverage"),
        unit=N_("people"),
        lower_is_better=True,
        decimals=0,
        bounds=(0.0, None),
    ),
    KpiDefinition(
        "schools_broadband",
        "TJ.SCH.FBB.ZS",
        "connectivity",
        WEIGHTED_MEAN,
        "/connectivity",
        (("metric", "schools"),),
        bounds=SHARE,
    ),
    KpiDefinition(
        "download_speed",
        "TJ.MOB.DLSPD.MED",
        "connectivity",
        WEIGHTED_MEAN,
        "/connectivity",
        (("metric", "speed"),),
        bounds=(0.0, None),
    ),
    KpiDefinition(
        "internet_users",
        "IT.NET.USER.ZS",
        "connectivity",
        OBSERVED,
        "/data",
        (("indicator", "IT.NET.USER.ZS"),),
        bounds=SHARE,
    ),
    KpiDefinition(
        "it_companies",
        "TJ.IT.COMP.ACTIVE",
        "it_sector",
        DERIVED,
        "/it-sector",
        (("view", "absolute"),),
        bounds=(0.0, None),
    ),
    KpiDefinition(
        "it_jobs", "TJ.IT.JOBS", "it_sector", DERIVED, "/it-sector", (("view", "absolute"),), bounds=(0.0, None)
    ),
    KpiDefinition(
        "it_revenue",
        "TJ.IT.REV.USD",
        "it_sector",
        DERIVED,
        "/it-sector",
        (("view", "absolute"),),
        bounds=(0.0, None),
        label=N_("IT revenue"),
        unit=N_("million US$"),
        decimals=1,
        scale=1e6,
    ),
    KpiDefinition(
        "it_exports",
        "TJ.IT.EXP.USD",
        "it_sector",
        DERIVED,
        "/it-sector",
        (("view", "absolute"),),
        bounds=(0.0, None),
        label=N_("IT exports"),
        unit=N_("million US$"),
        decimals=1,
        scale=1e6,
    ),
    KpiDefinition(
        "hightech_exports",
        "TX.VAL.TECH.CD",
        "it_sector",
        OBSERVED,
        "/it-sector",
        (("view", "absolute"),),
        bounds=(0.0, None),
        label=N_("High-technology exports (real, goods only: a proxy)"),
        unit=N_("million US$"),
        decimals=1,
        scale=1e6,
    ),
    KpiDefinition("park_occupancy", "TJ.PARK.OCC.ZS", "park", DERIVED, "/park", geo="TJ-DU", bounds=SHARE),
    KpiDefinition("park_tenants", "TJ.PARK.TENANTS", "park", DERIVED, "/park", geo="TJ-DU", bounds=(0.0, None)),
    KpiDefinition("park_jobs", "TJ.PARK.JOBS", "park", DERIVED, "/park", geo="TJ-DU", bounds=(0.0, None)),
)
KPIS: dict[str, KpiDefinition] = {k.key: k for k in REGISTRY}
THEMES = {"connectivity": N_("Connectivity"), "it_sector": N_("IT sector"), "park": N_("IT Park")}


def get(key: str) -> KpiDefinition:
    """The KPI of ``key``; a clear error for a key nobody declared."""
    try:
        return KPIS[key]
    except KeyError:
        raise KeyError(f"unknown KPI {key!r}; declared: {', '.join(KPIS)}") from None


@dataclass(frozen=True)
class Flags:
    """What the rows behind a value are: synthetic demo data, an illustrative target."""

    synthetic: bool = False
    illustrative_target: bool = False
    source_kinds: frozenset[str] = field(default_factory=frozenset)


def flags_from_sources(source_kinds: Iterable[str], target_illustrative: Iterable[bool] = ()) -> Flags:
    """Flags from the kinds of source of the rows used (``official``, ``partner``, ``synthetic``)
    and the ``illustrative`` column of the target applied."""
    kinds = frozenset(str(k) for k in source_kinds if k is not None)
    return Flags("synthetic" in kinds, any(bool(x) for x in target_illustrative), kinds)


def applicable_target(targets: pd.DataFrame, today: date) -> pd.Series | None:
    """The next target not yet passed: the earliest whose year is this year or later.

    Args:
        targets: one KPI's target rows (columns ``year``, ``value``; others kept).
        today: the day the card speaks about.

    Returns:
        The target row, or None when there is none or every target year is over (those are
        reported by :func:`past_targets` as met or missed, never as the card's target).
    """
    if targets.empty:
        return None
    ahead = targets[targets["year"] >= today.year].sort_values("year")
    return ahead.iloc[0] if len(ahead) else None


def past_targets(
    targets: pd.DataFrame, series: pd.DataFrame, today: date, *, lower_is_better: bool = False
) -> list[tuple[int, float, bool | None]]:
    """Each target whose year is over, with whether it was met by the end of its year.

    Args:
        targets: the KPI's target rows (``year``, ``value``).
        series: the KPI's values (``period_end`` as dates, ``value``), oldest first.
        today: the day the page speaks about.
        lower_is_better: the KPI's direction.

    Returns:
        ``(year, target, met)`` oldest first; ``met`` is None when no value exists by that year's end.
    """
    out = []
    for row in targets[targets["year"] < today.year].sort_values("year").itertuples():
        upto = series[pd.to_datetime(series["period_end"]).dt.date <= date(int(row.year), 12, 31)].dropna(
            subset=["value"]
        )
        if upto.empty:
            out.append((int(row.year), float(row.value), None))
            continue
        last = float(upto["value"].iloc[-1])
        met = last <= row.value if lower_is_better else last >= row.value
        out.append((int(row.year), float(row.value), met))
    return out


def clip(value: float | None, bounds: tuple[float | None, float | None]) -> tuple[float | None, bool]:
    """``value`` kept within ``bounds``; the flag says whether it had to be clipped (say so on the page)."""
    if value is None or pd.isna(value):
        return value, False
    low, high = bounds
    if high is not None and value > high:
        return high, True
    if low is not None and value < low:
        return low, True
    return value, False


def is_stale(period_end: date, frequency: str, today: date) -> bool:
    """Whether a value is older than two reporting periods: more than 2 x 12 months for a yearly
    indicator, 2 x 3 for a quarterly one, 2 x 1 for a monthly one, after the end of its period."""
    months = (today.year - period_end.year) * 12 + today.month - period_end.month
    return months > STALE_AFTER_PERIODS * FREQUENCY_MONTHS.get(frequency, 12)


def is_complete(share: pd.Series, threshold: float = COMPLETE_SHARE) -> pd.Series:
    """Whether each period's reporting units hold at least ``threshold`` of the population
    (an unknown share, no population for the year, is not complete)."""
    return share.fillna(0) >= threshold - 1e-12


def provisional_periods(completeness: pd.DataFrame, threshold: float = COMPLETE_SHARE) -> pd.DataFrame:
    """The incomplete periods newer than the latest complete one: what a card notes as provisional.

    Args:
        completeness: rows of ``data_loaders.queries.completeness.period_completeness`` for one geo.
        threshold: the share of the population that makes a period complete.

    Returns:
        Those rows, oldest first (empty when the newest period is complete).
    """
    ordered = completeness.sort_values("period", ignore_index=True)
    complete = is_complete(ordered["share"], threshold)
    last = complete[complete].index.max() if complete.any() else -1
    return ordered.iloc[last + 1 :][~complete.iloc[last + 1 :]].reset_index(drop=True)


def provisional_note(row: pd.Series, lang: str | None = None) -> str:
    """The words for a period left out of totals: "2026-Q4: 2 of 59 districts reported (3 % of
    population) — provisional, not shown in totals".

    Args:
        row: a row of ``queries.completeness.period_completeness`` (period, reported, expected, share).
        lang: UI language.
    """
    t = translator(lang)
    text = t(
        "{period}: {reported} of {expected} districts reported ({share} % of population) — provisional, "
        "not shown in totals"
    )
    share = format_number(100 * float(row["share"]) if pd.notna(row["share"]) else None, 0, lang)
    return text.format(period=row["period"], reported=int(row["reported"]), expected=int(row["expected"]), share=share)
