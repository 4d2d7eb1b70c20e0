"""What each part of the IT Park view shows for one :class:`View`: queried and shaped.

One builder per chart card (a :class:`ChartContent`), the KPI row and the tenant rows: the page's
layout draws the first view with them and each of its callbacks redraws one part with the same
builder, so the first view and a filter change cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from components import park_layout
from components.chart_card import ChartContent
from components.park_figures import (
    expiry_figure,
    floor_plan_figure,
    floor_plan_summary,
    occupancy_figure,
    tenant_mix_figure,
)
from components.park_panels import OCCUPANCY, rent_kpi
from components.registry_kpi import kpi_from_registry
from data_loaders.cached import query
from data_loaders.queries import common, kpis, park
from data_loaders.queries.targets import month_ends
from i18n import format_day, translator
from metrics import kpis as registry
from metrics.kpis import flags_from_sources

PARK_GEO = "TJ-DU"  # the park's targets are set for Dushanbe
# the registry KPIs of the cards, with the column of queries.park.stats a building's own figures come from
REGISTRY_CARDS = (("park_occupancy", "occupancy_pct"), ("park_tenants", "tenants"), ("park_jobs", "jobs"))


@dataclass(frozen=True)
class View:
    """What the URL asks for, checked against the park's buildings (unknown values fall back)."""

    lang: str
    building: str | None
    day: date
    names: dict  # building code -> name in the UI language
    opened: date  # the first building's opening

    @property
    def where(self) -> str:
        t = translator(self.lang)
        scope = self.names[self.building] if self.building else t("Whole park")
        return f"{scope} · {t('as of')} {format_day(self.day, self.lang)}"


def _sources(v: View) -> pd.DataFrame:
    return query(common.sources, query(park.source_codes), lang=v.lang)


def _series(v: View) -> pd.DataFrame:
    """The park's (or building's) figures month by month from the first opening up to the date."""
    days = month_ends(v.opened, v.day) if v.day >= v.opened else [v.day]
    return query(park.stats, days, v.building, False)


def kpi_data(v: View) -> tuple[pd.DataFrame, list[tuple[str, object]]]:
    """The park's (or building's) monthly figures and each registry KPI's data for the view: for
    one building its own figures and no target (the targets are set for the whole park). The
    cards and the PDF report read the same."""
    series, items = _series(v), []
    for key, column in REGISTRY_CARDS:
        data = query(kpis.kpi_data, key, v.day, v.lang)
        if v.building:
            own = pd.DataFrame(
                {
                    "period": [d.isoformat() for d in series["as_of"]],
                    "period_end": series["as_of"],
                    "value": series[column],
                }
            )
            data = replace(data, series=own, targets=data.targets.iloc[0:0])
        items.append((key, data))
    return series, items


def kpi_cards(v: View) -> list:
    """Occupancy, tenants and jobs from the registry, then the average rent."""
    series, items = kpi_data(v)
    cards = [kpi_from_registry(registry.get(key), data, v.day, v.lang) for key, data in items]
    cards.append(rent_kpi(series, v.day, flags_from_sources(items[-1][1].source_kinds).synthetic, v.lang))
    return park_layout.kpi_columns(cards, v.lang)


def occupancy_lines(v: View) -> pd.DataFrame:
    """Whole park and each building, month by month since the opening, as one long frame (the
    same for every building: only the target markers follow the building)."""
    t = translator(v.lang)
    days = month_ends(v.opened, max(v.day, v.opened))
    total = query(park.stats, days, None, False).assign(series=t("Whole park"))
    each = query(park.stats, days, None, True)
    each = each.assign(series=[v.names.get(c, c) for c in each["building_code"]])
    return pd.concat([total, each], ignore_index=True)[["as_of", "series", "occupancy_pct"]]


def occupancy_targets(v: View) -> pd.DataFrame | None:
    if v.building:
        return None
    frame = query(common.targets)
    return frame[(frame["geo_code"] == PARK_GEO) & (frame["indicator_code"] == OCCUPANCY)]


def occupancy_content(v: View) -> ChartContent:
    t = translator(v.lang)
    figure = occupancy_figure(occupancy_lines(v), v.day, occupancy_targets(v), v.lang)
    subtitle = t("Leased / leasable floor area at each month end, whole park and each building")
    subtitle += "; " + t("dotted line:") + f" {format_day(v.day, v.lang)}"
    return ChartContent(t("Occupancy over time"), figure, _sources(v), subtitle, v.lang)


def expiries_content(v: View) -> ChartContent:
    t = translator(v.lang)
    figure = expiry_figure(query(park.expiries, v.day, v.building), v.day, park.EXPIRY_MONTHS, v.lang)
    subtitle = f"{v.where} · " + t("floor area per month; the number above a bar is the tenants at risk")
    return ChartContent(t("Leases ending in the next 24 months"), figure, _sources(v), subtitle, v.lang)


def floor_plan_content(v: View) -> ChartContent:
    t = translator(v.lang)
    units = query(park.units, v.day, v.building)
    figure = floor_plan_figure(units, v.names, v.lang)
    subtitle = f"{v.where} · " + t("each unit as wide as its floor area; hover or click a unit")
    return ChartContent(t("Floor plan"), figure, _sources(v), subtitle, v.lang, floor_plan_summary(units, v.lang))


def tenant_mix_content(v: View) -> ChartContent:
    t = translator(v.lang)
    figure = tenant_mix_figure(query(park.tenant_mix, v.day, v.building), v.lang)
    subtitle = f"{v.where} · " + t("tenants with a lease in force, by jobs in the park")
    return ChartContent(t("Tenant mix by sector and size"), figure, _sources(v), subtitle, v.lang)


def tenant_records(v: View) -> list[dict]:
    tenants = query(park.tenants, v.day, v.building)
    return tenants.assign(next_end=tenants["next_end"].astype(str).replace({"None": ""})).to_dict("records")
