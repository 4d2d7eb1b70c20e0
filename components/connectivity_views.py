"""What each part of the connectivity view shows for a set of filters: one builder per chart or
card group, the filters in, its content out (through the cached queries).

The page's layout draws the first view with these builders and each of its callbacks redraws one
part with the same builder, so the first view and every later one cannot differ. The filters are
the dict of ``pages.connectivity.parse_filters`` (``metric``, ``from``, ``to``, ``region``,
``district``, ``lang``); a builder reads only the keys it names.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.chart_card import ChartContent
from components.connectivity_figures import (
    SeriesBreak,
    benchmark_figure,
    comparison_figure,
    technology_mix_figure,
    urban_rural_figure,
)
from components.district_map import district_map, map_paint
from components.kpi_card import Kpi
from components.registry_kpi import kpi_from_registry
from data_loaders import boundaries
from data_loaders.cached import query
from data_loaders.queries import common, completeness, connectivity, kpis
from i18n import N_, format_quarter, translator
from metrics import kpis as registry
from metrics.kpis import applicable_target, is_complete, provisional_note

NEIGHBOURS = ["TJ", "KG", "UZ", "KZ", "AF"]
SYNTHETIC = ["DEMO-SYNTHETIC"]
DISTRICT_INTERNET = "TJ.NET.USER.ZS"  # synthetic district estimate with urban/rural breakdowns
SCHOOLS, SPEED = "TJ.SCH.FBB.ZS", "TJ.MOB.DLSPD.MED"
# the registry keys of the KPI cards, in the order shown
CARDS = ("coverage_4g", "coverage_4g_rural", "urban_rural_gap", "schools_broadband", "download_speed", "internet_users")
BENCHMARK_CODES = ["IT.NET.USER.ZS", "IT.CEL.SETS.P2", "IT.NET.BBND.P2"]
# Known breaks, as documented in each indicator's method text and SOURCES.md (Caveats).
SERIES_BREAKS = [
    SeriesBreak("IT.CEL.SETS.P2", "TJ", 2019, 2020, N_("Series break 2019→2020")),
    SeriesBreak("IT.NET.BBND.P2", "TJ", 2019, 2020, N_("Jump 2019→2020")),
]
# metric key -> (indicator, column of unit_values, label, higher is better)
METRICS = {
    "4g": (connectivity.COVERAGE_4G, "value", N_("4G coverage"), True),
    "3g": ("TJ.MOB.3G.POP.ZS", "value", N_("3G-or-better coverage"), True),
    "uncovered": (connectivity.COVERAGE_4G, "uncovered", N_("People without 4G"), False),
    "speed": (SPEED, "value", N_("Median mobile download speed"), True),
    "schools": (SCHOOLS, "value", N_("Schools with fixed broadband"), True),
}
TECH_NAMES = {code: code.split(".")[2] for code in connectivity.TECHNOLOGIES}  # TJ.MOB.4G.POP.ZS -> 4G


def place_of(f: dict) -> tuple[str, str]:
    """The selected place as (level for the weighted queries, geo code)."""
    if f["district"]:
        return "unit", f["district"]
    if f["region"]:
        return "region", f["region"]
    return "country", "TJ"


def names_of(lang: str) -> dict[str, str]:
    geos = query(common.geos, None, lang)
    return dict(zip(geos["code"], geos["name"], strict=True))


def place_words(f: dict) -> tuple[str, str]:
    """The place and the period in words, for "Showing: …" and the chart titles."""
    level, code = place_of(f)
    t = translator(f["lang"])
    where = names_of(f["lang"]).get(code, code) if level != "country" else t("Tajikistan")
    return where, f"{format_quarter(f['from'], f['lang'])} – {format_quarter(f['to'], f['lang'])}"


def _synthetic(lang: str) -> pd.DataFrame:
    return query(common.sources, SYNTHETIC, lang=lang)


def weighted(indicator: str, level: str, code: str, f: dict, breakdown: str = "total") -> pd.DataFrame:
    geo_codes = None if level == "country" else [code]
    return query(connectivity.weighted_series, indicator, level, breakdown, geo_codes, f["from"], f["to"])


def build_kpis(f: dict) -> list[Kpi]:
    """The KPI cards for the selected place and period, from the registry."""
    today = date.today()
    level, code = place_of(f)
    return [
        kpi_from_registry(
            registry.get(key),
            query(kpis.kpi_data, key, today, f["lang"], level, code, f["from"], f["to"]),
            today,
            f["lang"],
        )
        for key in CARDS
    ]


def _map_note(indicator: str, f: dict) -> str:
    """For a quarter too few districts reported: the provisional note (the map still shows it)."""
    if not f["to"]:
        return ""
    row = query(completeness.period_completeness, indicator, (f["to"],)).iloc[0]
    return "" if is_complete(pd.Series([row["share"]])).iloc[0] else f" · {provisional_note(row, f['lang'])}"


def build_map_paint(f: dict) -> tuple[ChartContent, dict]:
    """The map card's words (its figure left empty) and the paint of the metric at ``to``."""
    t = translator(f["lang"])
    indicator, column, label, higher = METRICS[f["metric"]]
    meta = query(common.indicator, indicator, f["lang"])
    values = query(connectivity.unit_values, indicator, f["to"], f["lang"])
    values = values.assign(value=values[column]) if len(values) else values
    paint = map_paint(
        values,
        boundaries.units(),
        unit=t("people") if column == "uncovered" else meta["unit"],
        period=format_quarter(f["to"] or "", f["lang"]),
        source=t("synthetic demo data"),
        decimals=0 if column == "uncovered" else meta["decimals"],
        higher_is_better=higher,
        lang=f["lang"],
    )
    subtitle = f"{format_quarter(f['to'], f['lang'])} · {t('click a district to select it')}{_map_note(indicator, f)}"
    title = f"{t(label)} {t('by district')}"
    content = ChartContent(title, {}, _synthetic(f["lang"]), subtitle, f["lang"], paint["summary"])
    return content, paint


def selected_unit(f: dict) -> str | None:
    """The unit outlined on the map: the district, or Dushanbe (a region that is one unit)."""
    return f["district"] or (f["region"] if f["region"] in boundaries.CITY_UNITS else None)


def build_map(f: dict) -> ChartContent:
    content, paint = build_map_paint(f)
    figure = district_map(paint, boundaries.units(), boundaries.regions(), selected=selected_unit(f))
    return ChartContent(content.title, figure, content.sources, content.subtitle, content.lang, content.summary)


def profile_metric(metric: str) -> str:
    """The metric of the profile chart: people without 4G are profiled by 4G coverage."""
    return "4g" if metric == "uncovered" else metric


def comparison(f: dict, indicator: str) -> pd.DataFrame:
    """The metric for the place, its region and the country (or every region when nothing is chosen)."""
    level, code = place_of(f)
    parts = [weighted(indicator, "country", "TJ", f).assign(geo_code="TJ")]
    if level == "country":
        parts.append(query(connectivity.weighted_series, indicator, "region", "total", None, f["from"], f["to"]))
    else:
        parts.append(weighted(indicator, "region", f["region"], f))
        if level == "unit" and code != f["region"]:
            parts.append(weighted(indicator, "unit", code, f))
    frame = pd.concat(parts, ignore_index=True)
    return frame.assign(label=frame["geo_code"].map(names_of(f["lang"])))


def build_profile(f: dict) -> ChartContent:
    t = translator(f["lang"])
    indicator = METRICS[profile_metric(f["metric"])][0]
    meta = query(common.indicator, indicator, f["lang"])
    where, span = place_words(f)
    figure = comparison_figure(comparison(f, indicator), meta["unit"], meta["decimals"], f["lang"])
    subtitle = f"{t('compared with its region and the country')} · {span}"
    return ChartContent(f"{meta['name']}: {where}", figure, _synthetic(f["lang"]), subtitle, f["lang"])


def build_techmix(f: dict) -> ChartContent:
    t = translator(f["lang"])
    level, code = place_of(f)
    where, span = place_words(f)
    unit = query(common.indicator, connectivity.COVERAGE_4G, f["lang"])["unit"]
    mix = query(connectivity.technology_mix, level, code, f["from"], f["to"])
    subtitle = f"{t('people covered by 2G/3G/4G/5G or better, population-weighted')} · {span}"
    figure = technology_mix_figure(mix, TECH_NAMES, unit, f["lang"])
    return ChartContent(f"{t('Technology mix')}: {where}", figure, _synthetic(f["lang"]), subtitle, f["lang"])


def build_urban_rural(f: dict) -> ChartContent:
    t = translator(f["lang"])
    level, code = place_of(f)
    where, span = place_words(f)
    parts = []
    for indicator, measure in ((connectivity.COVERAGE_4G, t("4G coverage")), (DISTRICT_INTERNET, t("Internet use"))):
        for breakdown, area in (("urban", t("Urban")), ("rural", t("Rural"))):
            parts.append(weighted(indicator, level, code, f, breakdown).assign(measure=measure, area=area))
    unit = query(common.indicator, connectivity.COVERAGE_4G, f["lang"])["unit"]
    figure = urban_rural_figure(pd.concat(parts, ignore_index=True), unit, f["lang"])
    subtitle = f"{t('4G coverage and internet use')} · {span}"
    return ChartContent(f"{t('Urban and rural')}: {where}", figure, _synthetic(f["lang"]), subtitle, f["lang"])


def ranking_target(lang: str) -> float:
    """The 4G target that applies today (100 % when none does): the ranking's gap is to it."""
    today = date.today()
    goal = applicable_target(query(kpis.kpi_data, "coverage_4g", today, lang).targets, today)
    return float(goal["value"]) if goal is not None else 100.0


def build_ranking(f: dict) -> tuple[pd.DataFrame, str]:
    """The districts of the region (or all) ranked by people without 4G at ``to``, and the
    table's subtitle (the gap is to the 4G target that applies today)."""
    t = translator(f["lang"])
    target = ranking_target(f["lang"])
    ranking = query(connectivity.priorities, f["to"], target, f["region"], f["lang"])
    region = names_of(f["lang"]).get(f["region"], t("All regions"))
    return ranking, f"{region} · {format_quarter(f['to'], f['lang'])} · {t('gap to the target of')} {target:g} %"


def build_benchmark(lang: str) -> ChartContent:
    """Tajikistan and its neighbours, annual: the same for every filter (only the language)."""
    t = translator(lang)
    frames, titles = [], {}
    for code in BENCHMARK_CODES:
        meta = query(common.indicator, code, lang)
        titles[code] = f"{meta['name']} ({meta['unit']})"
        frames.append(query(common.series, code, NEIGHBOURS, "total", lang).assign(indicator_code=code))
    bench = pd.concat(frames, ignore_index=True)
    breaks = [SeriesBreak(b.indicator_code, b.geo_code, b.before, b.after, t(b.note)) for b in SERIES_BREAKS]
    sources = query(common.sources, sorted(bench["source_code"].unique()), lang=lang)
    figure = benchmark_figure(bench, titles, breaks, lang=lang)
    subtitle = t("Annual, as published; shaded: known series breaks")
    return ChartContent(t("Tajikistan and its neighbours"), figure, sources, subtitle, lang)
