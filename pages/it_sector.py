"""IT-sector growth: is the sector growing, where, in which segments, and is the IT Park pulling it?

The view is a function of its query string (``from``, ``to``, ``region``, ``subsector``,
``park``, ``measure``, ``view``, ``lang``): the controls only rewrite the query string of a
page-local location, and Dash re-renders the layout from it, so a link reproduces the view and
back/forward work. Unknown or malformed values fall back to the defaults.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from components.chart_card import chart_card, source_caption
from components.it_sector_charts import (
    MEASURES,
    SUBSECTORS,
    VIEWS,
    benchmark_panel,
    cagr_text,
    flows_figure,
    growth_figure,
    hightech_figure,
    region_figure,
    segments_table,
    sizes_figure,
    subsector_label,
)
from components.kpi_card import Kpi, kpi_card
from components.registry_kpi import kpi_from_registry
from data_loaders.cached import query
from data_loaders.queries import common, it_sector, kpis
from i18n import N_, format_day, normalise, translator
from metrics import kpis as registry
from metrics.growth import cagr, segment_summary
from metrics.kpis import flags_from_sources
from pages._guarded import guarded

dash.register_page(
    __name__,
    path="/it-sector",
    name=N_("IT sector"),
    title="IT-sector growth",
    order=2,
    description="Companies, jobs, revenue and exports by subsector and region; growth rates; IT Park residents.",
)

PREFIX = "it"
URL = "it-url"
FROM, TO, REGION, SUBSECTOR, PARK, MEASURE, VIEW = (
    "it-from",
    "it-to",
    "it-region",
    "it-subsector",
    "it-park",
    "it-measure",
    "it-view",
)
GROWTH, FLOWS, SIZES, REGIONS, HIGHTECH = "it-growth", "it-flows", "it-sizes", "it-regions", "it-hightech-exports"
SEGMENTS, BENCHMARK, CAGR = "it-segments", "it-benchmark", "it-cagr"
SYNTHETIC = "DEMO-SYNTHETIC"
HIGHTECH_CODE = "TX.VAL.TECH.CD"
# the registry KPIs of the first cards, with the column of queries.it_sector.yearly a filtered card reads
REGISTRY_CARDS = (
    ("it_companies", "companies"),
    ("it_jobs", "employees"),
    ("it_revenue", "revenue_usd"),
    ("it_exports", "exports_usd"),
)
FALLBACK_YEARS = (2015, 2025)  # only used when the registry holds no yearly figures at all


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _year(value, default: int, first: int, last: int) -> int:
    text = _text(value)
    return int(text) if text and text.isdigit() and first <= int(text) <= last else default


def read_filters(params: dict, first: int, last: int, regions: list[str]) -> dict:
    """The view's filters from the query string; anything unknown or malformed -> the default.

    Args:
        params: the query-string parameters as Dash passes them to ``layout``.
        first: the first year the registry has figures for.
        last: the last such year.
        regions: the valid region codes.

    Returns:
        ``first``, ``last`` (years, ordered), ``region``, ``subsector`` (or None), ``park``
        (bool), ``measure``, ``view`` and ``lang``.
    """
    start = _year(params.get("from"), first, first, last)
    end = _year(params.get("to"), last, first, last)
    start, end = min(start, end), max(start, end)
    region, subsector = _text(params.get("region")), _text(params.get("subsector"))
    measure, view = _text(params.get("measure")), _text(params.get("view"))
    return {
        "first": start,
        "last": end,
        "region": region if region in regions else None,
        "subsector": subsector if subsector in SUBSECTORS else None,
        "park": _text(params.get("park")) == "1",
        "measure": measure if measure in MEASURES else "companies",
        "view": view if view in VIEWS else "absolute",
        "lang": normalise(_text(params.get("lang"))),
    }


def as_of(year: int, today: date | None = None) -> date:
    """The day IT Park residency is read at: the end of the period's last year, or today if earlier."""
    today = today or date.today()
    return min(date(year, 12, 31), today)


def search_string(current: str | None, **values) -> str:
    """The query string with ``values`` set (None/False/'' removed), other keys such as lang kept."""
    params = {k: v[0] for k, v in parse_qs((current or "").lstrip("?")).items()}
    for key, value in values.items():
        if value in (None, "", False):
            params.pop(key, None)
        else:
            params[key] = "1" if value is True else str(value)
    return "?" + urlencode(params) if params else ""


def _controls(f: dict, years: list[int], regions, t) -> dbc.Row:
    year_options = [{"label": str(y), "value": y} for y in years]
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("From"), html_for=FROM, className="small mb-0"),
                    dcc.Dropdown(id=FROM, options=year_options, value=f["first"], clearable=False),
                ],
                xs=6,
                md=2,
            ),
            dbc.Col(
                [
                    dbc.Label(t("To"), html_for=TO, className="small mb-0"),
                    dcc.Dropdown(id=TO, options=year_options, value=f["last"], clearable=False),
                ],
                xs=6,
                md=2,
            ),
            dbc.Col(
                [
                    dbc.Label(t("Region"), html_for=REGION, className="small mb-0"),
                    dcc.Dropdown(
                        id=REGION,
                        options=[{"label": r.name, "value": r.code} for r in regions.itertuples()],
                        value=f["region"],
                        placeholder=t("All regions"),
                    ),
                ],
                xs=12,
                md=3,
            ),
            dbc.Col(
                [
                    dbc.Label(t("Subsector"), html_for=SUBSECTOR, className="small mb-0"),
                    dcc.Dropdown(
                        id=SUBSECTOR,
                        options=[{"label": t(label), "value": code} for code, label in SUBSECTORS.items()],
                        value=f["subsector"],
                        placeholder=t("All subsectors"),
                    ),
                ],
                xs=12,
                md=3,
            ),
            dbc.Col(
                dbc.Switch(id=PARK, label=t("IT Park residents only"), value=f["park"], className="mt-md-4"),
                xs=12,
                md=2,
            ),
        ],
        className="g-2 mb-3 align-items-end it-filters",
    )


def _filters_text(f: dict, regions, t, lang: str) -> str:
    """The active filters in words, for every chart's subtitle."""
    parts = [f"{f['first']}–{f['last']}"]
    names = dict(zip(regions["code"], regions["name"], strict=True))
    parts.append(names[f["region"]] if f["region"] else t("all regions"))
    parts.append(subsector_label(f["subsector"], lang) if f["subsector"] else t("all subsectors"))
    if f["park"]:
        parts.append(f"{t('IT Park residents on')} {format_day(as_of(f['last']), lang)}")
    return " · ".join(parts)


def _cards(f: dict, frame, filters: dict, t, lang: str) -> list[Kpi]:
    """The headline cards for the last year of the period, previous year as the comparison.

    The registry's IT KPIs come first: their own series for the country (the same figures as the
    Overview, with the national targets); for a region, a subsector or the park's residents, the
    filtered registry figures without a target (targets are national). Then two figures of this
    view only (companies founded this year, the residents' share) and the real high-tech exports.
    """
    today = date.today()
    national = not (f["region"] or f["subsector"] or f["park"])
    totals = frame.groupby("year")[["companies", "employees", "revenue_usd", "exports_usd"]].sum()
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
    hightech = query(kpis.kpi_data, "hightech_exports", today, lang)
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
        kpi_from_registry(registry.get("hightech_exports"), hightech, today, lang),
    ]


@guarded
def layout(lang: str | None = None, **params) -> html.Div:
    """The IT-sector view for the filters in the query string."""
    bounds = query(it_sector.year_bounds)
    first, last = bounds["first"] or FALLBACK_YEARS[0], bounds["last"] or FALLBACK_YEARS[1]
    regions = query(common.geos, "region", normalise(lang))
    f = read_filters({**params, "lang": lang}, first, last, list(regions["code"]))
    lang = f["lang"]
    t = translator(lang)
    park_day = as_of(f["last"]) if f["park"] else None
    filters = {"region": f["region"], "subsector": f["subsector"], "park_as_of": park_day}
    frame = query(it_sector.yearly, f["first"], f["last"], **filters)
    synthetic = query(common.sources, [SYNTHETIC], lang=lang)
    where = _filters_text(f, regions, t, lang)
    column, measure_label, _unit, _div, _dec = MEASURES[f["measure"]]
    totals = frame.groupby("year")[column].sum()
    rate = cagr(totals.get(f["first"]), totals.get(f["last"]), f["last"] - f["first"])
    by_region = query(it_sector.by_region, f["last"], f["subsector"], park_day, lang)
    pop_years = sorted(by_region["population_year"].dropna().unique())
    population_note = (
        f"{t('population: latest published figure at or before')} {f['last']} ({', '.join(pop_years)})"
        if pop_years
        else t("no published population figure at or before this year")
    )
    bench = query(it_sector.benchmark, lang=lang)
    hightech = query(common.series, HIGHTECH_CODE, ["TJ"], lang=lang)

    growth_card = chart_card(
        GROWTH,
        f"{t('Growth by subsector')}: {t(measure_label)}",
        growth_figure(frame, f["measure"], f["view"], lang),
        synthetic,
        subtitle=f"{where} · {t(VIEWS[f['view']])}",
        lang=lang,
    )
    switches = dbc.Row(
        [
            dbc.Col(
                dbc.RadioItems(
                    id=MEASURE,
                    options=[{"label": t(m[1]), "value": k} for k, m in MEASURES.items()],
                    value=f["measure"],
                    inline=True,
                    className="small",
                ),
                xs=12,
                lg=6,
            ),
            dbc.Col(
                dbc.RadioItems(
                    id=VIEW,
                    options=[{"label": t(label), "value": k} for k, label in VIEWS.items()],
                    value=f["view"],
                    inline=True,
                    className="small",
                ),
                xs=12,
                lg=6,
            ),
        ],
        className="mb-2",
    )
    return html.Div(
        [
            dcc.Location(id=URL, refresh="callback-nav"),
            html.H1(t("IT-sector growth"), className="h3"),
            html.P(
                t("Is the IT sector growing, where, in which segments, and is the IT Park pulling it forward?"),
                className="text-muted",
            ),
            _controls(f, list(range(first, last + 1)), regions, t),
            dbc.Row(
                [
                    dbc.Col(kpi_card(k, f"it-kpi-{i}", lang), xs=12, sm=6, lg=3, className="mb-3")
                    for i, k in enumerate(_cards(f, frame, filters, t, lang))
                ]
            ),
            switches,
            html.Div(
                cagr_text(rate, f["first"], f["last"], t(measure_label), lang), id=CAGR, className="fw-semibold mb-2"
            ),
            dbc.Row(
                [
                    dbc.Col(growth_card, lg=8, className="mb-3"),
                    dbc.Col(
                        chart_card(
                            SIZES,
                            t("Company sizes"),
                            sizes_figure(query(it_sector.size_bands, f["last"], **filters), lang),
                            synthetic,
                            subtitle=f"{t('companies with figures for')} {f['last']} · {where}",
                            lang=lang,
                        ),
                        lg=4,
                        className="mb-3",
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card(
                            FLOWS,
                            t("Companies founded and closed"),
                            flows_figure(query(it_sector.flows, f["first"], f["last"], **filters), lang),
                            synthetic,
                            subtitle=where,
                            lang=lang,
                        ),
                        lg=6,
                        className="mb-3",
                    ),
                    dbc.Col(
                        chart_card(
                            REGIONS,
                            t("IT companies per 10,000 inhabitants, by region"),
                            region_figure(by_region, f["region"], lang),
                            query(
                                common.sources, sorted({SYNTHETIC, *by_region["population_source"].dropna()}), lang=lang
                            ),
                            subtitle=f"{t('end of')} {f['last']} · {population_note}",
                            lang=lang,
                        ),
                        lg=6,
                        className="mb-3",
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardHeader(
                                    [
                                        html.H2(t("Largest segments"), className="h6 mb-0"),
                                        html.Div(f"{f['last']} · {where}", className="small text-muted"),
                                    ]
                                ),
                                dbc.CardBody(
                                    segments_table(
                                        segment_summary(frame, f["first"], f["last"]),
                                        f["last"],
                                        f["first"],
                                        lang,
                                        SEGMENTS,
                                    )
                                ),
                                dbc.CardFooter(source_caption(synthetic, lang)),
                            ],
                            className="h-100 shadow-sm",
                        ),
                        lg=7,
                        className="mb-3",
                    ),
                    dbc.Col(
                        benchmark_panel(
                            bench,
                            query(common.sources, sorted(bench["source_code"].unique()), lang=lang),
                            lang,
                            BENCHMARK,
                        ),
                        lg=5,
                        className="mb-3",
                    ),
                ]
            ),
            chart_card(
                HIGHTECH,
                t("High-technology exports of Tajikistan (real proxy)"),
                hightech_figure(hightech, lang),
                query(common.sources, sorted(hightech["source_code"].unique()), lang=lang),
                subtitle=t(
                    "World Bank TX.VAL.TECH.CD, goods with high R&D intensity, current US$: not ICT services, "
                    "and not filtered by the selections above"
                ),
                lang=lang,
            ),
        ]
    )


@callback(
    Output(URL, "search"),
    Input(FROM, "value"),
    Input(TO, "value"),
    Input(REGION, "value"),
    Input(SUBSECTOR, "value"),
    Input(PARK, "value"),
    Input(MEASURE, "value"),
    Input(VIEW, "value"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def write_query_string(first, last, region, subsector, park, measure, view, search):
    """Controls -> query string; the page re-renders from it (defaults are left out of the URL)."""
    return search_string(
        search,
        **{
            "from": first,
            "to": last,
            "region": region,
            "subsector": subsector,
            "park": bool(park),
            "measure": None if measure == "companies" else measure,
            "view": None if view == "absolute" else view,
        },
    )
