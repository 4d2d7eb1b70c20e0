"""What each part of the IT-sector view shows for a set of filters: one builder per chart or card
group, the filters in, its content out (through the cached queries).

The page's layout draws the first view with these builders and each of its callbacks redraws one
part with the same builder, so the first view and every later one cannot differ. The filters are
the dict of ``pages.it_sector.read_filters`` (``first``, ``last``, ``region``, ``subsector``,
``park``, ``measure``, ``view``, ``lang``); a builder reads only the keys it names.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from components.chart_card import ChartContent
from components.it_sector_charts import (
    MEASURES,
    VIEWS,
    cagr_text,
    flows_figure,
    growth_figure,
    hightech_figure,
    region_figure,
    segments_table,
    sizes_figure,
    subsector_label,
)
from components.kpi_card import Kpi
from components.registry_kpi import kpi_from_registry
from data_loaders.cached import query
from data_loaders.queries import common, it_sector, kpis
from i18n import format_day, translator
from metrics import kpis as registry
from metrics.growth import cagr, segment_summary
from metrics.kpis import flags_from_sources

SYNTHETIC = "DEMO-SYNTHETIC"
HIGHTECH_CODE = "TX.VAL.TECH.CD"
# the registry KPIs of the first cards, with the column of queries.it_sector.yearly a filtered card reads
REGISTRY_CARDS = (
    ("it_companies", "companies"),
    ("it_jobs", "employees"),
    ("it_revenue", "revenue_usd"),
    ("it_exports", "exports_usd"),
)


def as_of(year: int, today: date | None = None) -> date:
    """The day IT Park residency is read at: the end of the period's last year, or today if earlier."""
    today = today or date.today()
    return min(date(year, 12, 31), today)


def query_filters(f: dict) -> dict:
    """The filters as the it_sector queries take them."""
    return {
        "region": f["region"],
        "subsector": f["subsector"],
        "park_as_of": as_of(f["last"]) if f["park"] else None,
    }


def _yearly(f: dict) -> pd.DataFrame:
    return query(it_sector.yearly, f["first"], f["last"], **query_filters(f))


def _synthetic(lang: str) -> pd.DataFrame:
    return query(common.sources, [SYNTHETIC], lang=lang)


def filters_text(f: dict, period: bool = True) -> str:
    """The active filters in words, for the subtitles (without the period for a one-year chart)."""
    lang = f["lang"]
    t = translator(lang)
    regions = query(common.geos, "region", lang)
    names = dict(zip(regions["code"], regions["name"], strict=True))
    parts = [f"{f['first']}–{f['last']}"] if period else []
    parts.append(names.get(f["region"], f["region"]) if f["region"] else t("all regions"))
    parts.append(subsector_label(f["subsector"], lang) if f["subsector"] else t("all subsectors"))
    if f["park"]:
        parts.append(f"{t('IT Park residents on')} {format_day(as_of(f['last']), lang)}")
    return " · ".join(parts)


def growth(f: dict) -> ChartContent:
    lang = f["lang"]
    t = translator(lang)
    title = f"{t('Growth by subsector')}: {t(MEASURES[f['measure']][1])}"
    figure = growth_figure(_yearly(f), f["measure"], f["view"], lang)
    return ChartContent(title, figure, _synthetic(lang), f"{filters_text(f)} · {t(VIEWS[f['view']])}", lang)


def cagr_line(f: dict) -> str:
    """The compound annual growth of the chosen measure over the period, in one sentence."""
    column, label, *_ = MEASURES[f["measure"]]
    totals = _yearly(f).groupby("year")[column].sum()
    rate = cagr(totals.get(f["first"]), totals.get(f["last"]), f["last"] - f["first"])
    return cagr_text(rate, f["first"], f["last"], translator(f["lang"])(label), f["lang"])


def sizes(f: dict) -> ChartContent:
    lang = f["lang"]
    t = translator(lang)
    frame = query(it_sector.size_bands, f["last"], **query_filters(f))
    subtitle = f"{t('companies with figures for')} {f['last']} · {filters_text(f, period=False)}"
    return ChartContent(t("Company sizes"), sizes_figure(frame, lang), _synthetic(lang), subtitle, lang)


def flows(f: dict) -> ChartContent:
    lang = f["lang"]
    frame = query(it_sector.flows, f["first"], f["last"], **query_filters(f))
    t = translator(lang)
    title = t("Companies founded and closed")
    return ChartContent(title, flows_figure(frame, lang), _synthetic(lang), filters_text(f), lang)


def regions(f: dict) -> ChartContent:
    """Companies per 10,000 inhabitants by region for the last year (the region only highlights)."""
    lang = f["lang"]
    t = translator(lang)
    park_day = as_of(f["last"]) if f["park"] else None
    frame = query(it_sector.by_region, f["last"], f["subsector"], park_day, lang)
    years = sorted(frame["population_year"].dropna().unique())
    note = (
        f"{t('population: latest published figure at or before')} {f['last']} ({', '.join(years)})"
        if years
        else t("no published population figure at or before this year")
    )
    sources = query(common.sources, sorted({SYNTHETIC, *frame["population_source"].dropna()}), lang=lang)
    return ChartContent(
        t("IT companies per 10,000 inhabitants, by region"),
        region_figure(frame, f["region"], lang),
        sources,
        f"{t('end of')} {f['last']} · {note}",
        lang,
    )


def hightech(lang: str) -> ChartContent:
    """The real World Bank series: no filter of the page applies to it."""
    t = translator(lang)
    frame = query(common.series, HIGHTECH_CODE, ["TJ"], lang=lang)
    return ChartContent(
        t("High-technology exports of Tajikistan (real proxy)"),
        hightech_figure(frame, lang),
        query(common.sources, sorted(frame["source_code"].unique()), lang=lang),
        t(
            "World Bank TX.VAL.TECH.CD, goods with high R&D intensity, current US$: not ICT services, "
            "and not filtered by the selections above"
        ),
        lang,
    )


def segments(f: dict):
    """The largest segments of the last year: (the card's subtitle, the table)."""
    summary = segment_summary(_yearly(f), f["first"], f["last"])
    return f"{f['last']} · {filters_text(f)}", segments_table(summary, f["last"], f["first"], f["lang"], "it-segments")


def filtered_cards(f: dict) -> list[Kpi]:
    """The cards that follow the filters, for the last year of the period, previous year compared.

    The registry's IT KPIs come first: their own series for the country (the same figures as the
    Overview, with the national targets); for a region, a subsector or the park's residents, the
    filtered registry figures without a target (targets are national). Then two figures of this
    view only: companies founded this year and the residents' share.
    """
    lang = f["lang"]
    t = translator(lang)
    today = date.today()
    filters = query_filters(f)
    national = not (f["region"] or f["subsector"] or f["park"])
    totals = _yearly(f).groupby("year")[[column for _key, column in REGISTRY_CARDS]].sum()
    totals = totals[totals.index <= f["last"]]
    cards, data = [], None
    for key, column in REGISTRY_CARDS:
        data = query(kpis.kpi_data, key, today, lang, last=str(f["last"]))
        if not national:
            own = pd.DataFrame(
                {
                    "period": [str(y) for y in totals.index],
                    "period_end": [date(int(y), 12, 31) for y in totals.index],
                    "value": totals[column].astype(float).to_numpy(),
                }
            )
            data = replace(data, series=own, targets=data.targets.iloc[0:0])
        cards.append(kpi_from_registry(registry.get(key), data, today, lang))
    synthetic = flags_from_sources(data.source_kinds).synthetic
    this_year = query(it_sector.founded_between, date(today.year, 1, 1), today, **filters)
    last_year_end = date(today.year - 1, today.month, min(today.day, 28 if today.month == 2 else today.day))
    last_year = query(it_sector.founded_between, date(today.year - 1, 1, 1), last_year_end, **filters)
    residency_day = as_of(f["last"])
    share = query(it_sector.resident_share, residency_day, f["region"], f["subsector"])
    return [
        *cards,
        Kpi(
            t("Companies founded this year"),
            float(this_year),
            t("companies"),
            f"{format_day(date(today.year, 1, 1), lang)} – {format_day(today, lang)}",
            decimals=0,
            previous=float(last_year),
            synthetic=synthetic,
        ),
        Kpi(
            t("Share of active companies that are IT Park residents"),
            100.0 * share["residents"] / share["active"] if share["active"] else None,
            "%",
            f"{share['residents']} / {share['active']}, {format_day(residency_day, lang)}",
            synthetic=synthetic,
        ),
    ]


def hightech_card(lang: str) -> Kpi:
    """The real high-tech exports KPI: no filter of the page applies to it."""
    today = date.today()
    return kpi_from_registry(
        registry.get("hightech_exports"), query(kpis.kpi_data, "hightech_exports", today, lang), today, lang
    )


def benchmark(lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Uzbek benchmark rows and their sources (no filter applies)."""
    frame = query(it_sector.benchmark, lang=lang)
    return frame, query(common.sources, sorted(frame["source_code"].unique()), lang=lang)
