"""The rows behind each connectivity chart, for its CSV and XLSX (``exports.chart_data``).

Each function takes the filters of ``pages.connectivity.read_filters`` and reads the same cached
queries as the chart's builder in ``components.connectivity_views``, so the file holds exactly
the numbers drawn: tidy rows (indicator, geography, period, breakdown, value). Regions and the
country are the population-weighted rollups the charts show; districts are their own values.
"""

from __future__ import annotations

import pandas as pd

import components.connectivity_views as views
from components.chart_card import ChartContent
from components.connectivity_layout import PRIORITY_TITLE
from data_loaders.cached import query
from data_loaders.queries import common, connectivity
from exports.chart_data import stem_of
from i18n import N_, translator

POPULATION = "TJ.POP.MODEL"  # the weights: a district's modelled population of the year
TIDY = ["indicator_code", "geo_code", "period", "breakdown", "value"]


def _tidy(frame: pd.DataFrame, indicator: str | None = None, breakdown: str = "total") -> pd.DataFrame:
    frame = frame.copy()
    if indicator is not None:
        frame["indicator_code"] = indicator
    if "breakdown" not in frame.columns:
        frame["breakdown"] = breakdown
    return frame[[c for c in (*TIDY, "flags", "source_code") if c in frame.columns]]


def map_rows(f: dict) -> pd.DataFrame:
    """Every coverage unit's value of the map's metric at ``to``; for people without 4G, the 4G
    coverage and the population it is computed from (people = population x (100 - %) / 100)."""
    indicator, column, _label, _higher = views.METRICS[f["metric"]]
    values = query(connectivity.unit_values, indicator, f["to"], f["lang"])
    rows = [_tidy(values.assign(period=f["to"]), indicator)]
    if column == "uncovered":
        people = values[["geo_code", "population"]].rename(columns={"population": "value"})
        rows.append(_tidy(people.assign(period=(f["to"] or "")[:4]), POPULATION))
    return pd.concat(rows, ignore_index=True)


def map_stem(f: dict) -> str:
    key = "people-without-4g" if f["metric"] == "uncovered" else f"{f['metric']}-coverage"
    key = {"speed": "mobile-download-speed", "schools": "schools-fixed-broadband"}.get(f["metric"], key)
    return stem_of(f"{key}-by-district", f["to"])


def profile_rows(f: dict) -> pd.DataFrame:
    """The place, its region and the country (or every region), period by period."""
    indicator = views.METRICS[views.profile_metric(f["metric"])][0]
    return _tidy(views.comparison(f, indicator), indicator)


def place_stem(what: str, f: dict) -> str:
    _level, code = views.place_of(f)
    return stem_of(what, code, f"{f['from']}--{f['to']}")


def techmix_rows(f: dict) -> pd.DataFrame:
    """People covered by 2G/3G/4G/5G or better, one indicator each."""
    level, code = views.place_of(f)
    return _tidy(query(connectivity.technology_mix, level, code, f["from"], f["to"]))


def urban_rural_rows(f: dict) -> pd.DataFrame:
    """4G coverage and internet use, urban and rural."""
    level, code = views.place_of(f)
    parts = [
        _tidy(views.weighted(indicator, level, code, f, breakdown).assign(breakdown=breakdown), indicator)
        for indicator in (connectivity.COVERAGE_4G, views.DISTRICT_INTERNET)
        for breakdown in ("urban", "rural")
    ]
    return pd.concat(parts, ignore_index=True)


def benchmark_rows(f: dict) -> pd.DataFrame:
    """The three World Bank series of Tajikistan and its neighbours, as published (with flags)."""
    frames = [
        query(common.series, code, views.NEIGHBOURS, "total", f["lang"]).assign(indicator_code=code)
        for code in views.BENCHMARK_CODES
    ]
    return _tidy(pd.concat(frames, ignore_index=True))


PRIORITY_COLUMNS = {
    "rank": N_("Rank"),
    "geo_code": N_("Geography code"),
    "name": N_("District"),
    "region_name": N_("Region"),
    "period": N_("Period"),
    "uncovered": N_("People without 4G"),
    "target": N_("4G target, %"),
    "gap_people": N_("People to cover to reach the target"),
    "value": N_("4G coverage, %"),
    "population": N_("Population"),
}


def priority_rows(f: dict) -> pd.DataFrame:
    """The districts ranked by people without 4G at ``to``, with the gap to the target that
    applies today (people as computed, population x (100 - coverage) / 100, to whole people)."""
    ranking, _subtitle = views.build_ranking(f)
    people = {c: ranking[c].round(0) for c in ("uncovered", "gap_people")}
    return ranking.assign(period=f["to"], target=views.ranking_target(f["lang"]), **people)


def priority_content(f: dict) -> ChartContent:
    t = translator(f["lang"])
    _ranking, subtitle = views.build_ranking(f)
    sources = query(common.sources, views.SYNTHETIC, lang=f["lang"])
    return ChartContent(t(PRIORITY_TITLE), {}, sources, subtitle, f["lang"])
