"""Rural internet coverage: where people still lack usable internet, how fast that changes, and
where the next tower or fibre line should go.

The view is a function of the query string (metric, from, to, region, district, lang): controls
and map clicks only rewrite the page-local location's ``search``, Dash re-renders the layout
from it, so a copied link reproduces the view and back/forward work.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from components.chart_card import chart_card, source_caption
from components.connectivity_figures import (
    SeriesBreak,
    benchmark_figure,
    comparison_figure,
    technology_mix_figure,
    urban_rural_figure,
)
from components.connectivity_table import priority_table
from components.district_map import clicked_code, district_map
from components.kpi_card import kpi_card
from components.registry_kpi import kpi_from_registry
from data_loaders import boundaries
from data_loaders.cached import query
from data_loaders.queries import common, completeness, connectivity, kpis
from i18n import N_, normalise, translator
from metrics import kpis as registry
from metrics.kpis import applicable_target, is_complete, provisional_note
from pages._guarded import guarded

dash.register_page(
    __name__,
    path="/connectivity",
    name=N_("Connectivity"),
    title="Rural internet coverage",
    order=1,
    description="Mobile and fixed coverage by region and district, urban-rural gap, trend.",
)

# Component ids, named once.
URL = "conn-url"
METRIC, FROM, TO, REGION, DISTRICT, RESET = (
    "conn-metric",
    "conn-from",
    "conn-to",
    "conn-region",
    "conn-district",
    "conn-reset",
)
MAP, PROFILE, TECHMIX, URBAN_RURAL, BENCHMARK = (
    "conn-map",
    "conn-profile",
    "conn-techmix",
    "conn-urban-rural",
    "conn-benchmark",
)
PRIORITY, UNIT_CODES, PLACE = "conn-priority", "conn-unit-codes", "conn-place"

NEIGHBOURS = ["TJ", "KG", "UZ", "KZ", "AF"]
REGIONS = ["TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA"]
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


def _text(value) -> str | None:
    """A query-string value as text (Dash may pass a list when a key repeats)."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) and value else None


def parse_filters(params: dict, periods: list[str], districts: dict[str, str]) -> dict:
    """The view's filters from the query string; anything unknown or malformed falls back to the default.

    Args:
        params: the query-string values.
        periods: the quarters with data, oldest first.
        districts: district code -> region code.
    """
    metric = _text(params.get("metric"))
    first, last = _text(params.get("from")), _text(params.get("to"))
    first = first if first in periods else (periods[0] if periods else None)
    last = last if last in periods else (periods[-1] if periods else None)
    if first and last and first > last:
        first, last = last, first
    region, district = _text(params.get("region")), _text(params.get("district"))
    district = district if district in districts else None
    region = districts[district] if district else (region if region in REGIONS else None)
    return {
        "metric": metric if metric in METRICS else "4g",
        "from": first,
        "to": last,
        "region": region,
        "district": district,
        "lang": normalise(_text(params.get("lang"))),
    }


def place_of(filters: dict) -> tuple[str, str]:
    """The selected place as (level for the weighted queries, geo code)."""
    if filters["district"]:
        return "unit", filters["district"]
    if filters["region"]:
        return "region", filters["region"]
    return "country", "TJ"


def search_string(current: str | None, **values) -> str:
    """The query string with ``values`` set (None/'' removed); other keys such as lang kept."""
    params = {k: v[0] for k, v in parse_qs((current or "").lstrip("?")).items()}
    for key, value in values.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else ""


def _weighted(indicator: str, level: str, code: str, f: dict, breakdown: str = "total") -> pd.DataFrame:
    geo_codes = None if level == "country" else [code]
    return query(connectivity.weighted_series, indicator, level, breakdown, geo_codes, f["from"], f["to"])


def _map_note(indicator: str, f: dict) -> str:
    """For a quarter too few districts reported: the provisional note (the map still shows it)."""
    if not f["to"]:
        return ""
    row = query(completeness.period_completeness, indicator, (f["to"],)).iloc[0]
    return "" if is_complete(pd.Series([row["share"]])).iloc[0] else f" · {provisional_note(row, f['lang'])}"


def _kpis(f: dict, level: str, code: str) -> list:
    """The KPI cards for the selected place, from the registry (internet users is national and real)."""
    today = date.today()
    return [
        kpi_from_registry(
            registry.get(key),
            query(kpis.kpi_data, key, today, f["lang"], level, code, f["from"], f["to"]),
            today,
            f["lang"],
        )
        for key in CARDS
    ]


def _controls(f: dict, periods: list[str], geos: pd.DataFrame, t) -> dbc.Row:
    quarters = [{"label": p, "value": p} for p in periods]
    regions = geos[geos["level"] == "region"]
    districts = geos[geos["level"] == "district"]
    if f["region"]:
        districts = districts[districts["parent_code"] == f["region"]]

    def field(label: str, control, **width) -> dbc.Col:
        return dbc.Col([dbc.Label(label, html_for=control.id, className="small mb-0"), control], **width)

    return dbc.Row(
        [
            field(
                t("Map metric"),
                dcc.Dropdown(
                    id=METRIC,
                    options=[{"label": t(v[2]), "value": k} for k, v in METRICS.items()],
                    value=f["metric"],
                    clearable=False,
                ),
                xs=12,
                md=3,
            ),
            field(t("From"), dcc.Dropdown(id=FROM, options=quarters, value=f["from"], clearable=False), xs=6, md=2),
            field(t("To"), dcc.Dropdown(id=TO, options=quarters, value=f["to"], clearable=False), xs=6, md=2),
            field(
                t("Region"),
                dcc.Dropdown(
                    id=REGION,
                    options=[{"label": r.name, "value": r.code} for r in regions.itertuples()],
                    value=f["region"],
                    placeholder=t("All regions"),
                ),
                xs=6,
                md=2,
            ),
            field(
                t("District"),
                dcc.Dropdown(
                    id=DISTRICT,
                    options=[{"label": d.name, "value": d.code} for d in districts.itertuples()],
                    value=f["district"],
                    placeholder=t("All districts"),
                ),
                xs=6,
                md=2,
            ),
            dbc.Col(
                dbc.Button(t("Reset"), id=RESET, color="secondary", outline=True, className="w-100"),
                xs=12,
                md=1,
                className="d-flex align-items-end mt-2 mt-md-0",
            ),
        ],
        className="g-2 mb-3 conn-controls",
    )


def _comparison(f: dict, level: str, code: str, names: dict[str, str], indicator: str) -> pd.DataFrame:
    """The metric for the place, its region and the country (or every region when nothing is chosen)."""
    country = _weighted(indicator, "country", "TJ", f).assign(geo_code="TJ")
    parts = [country]
    if level == "country":
        parts.append(query(connectivity.weighted_series, indicator, "region", "total", None, f["from"], f["to"]))
    else:
        region = f["region"]
        parts.append(_weighted(indicator, "region", region, f))
        if level == "unit" and code != region:
            parts.append(_weighted(indicator, "unit", code, f))
    frame = pd.concat(parts, ignore_index=True)
    return frame.assign(label=frame["geo_code"].map(names))


def _urban_rural(f: dict, level: str, code: str, t) -> pd.DataFrame:
    parts = []
    for indicator, measure in ((connectivity.COVERAGE_4G, t("4G coverage")), (DISTRICT_INTERNET, t("Internet use"))):
        for breakdown, area in (("urban", t("Urban")), ("rural", t("Rural"))):
            part = _weighted(indicator, level, code, f, breakdown)
            parts.append(part.assign(measure=measure, area=area))
    return pd.concat(parts, ignore_index=True)


def _benchmark(lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    frames, titles = [], {}
    for code in BENCHMARK_CODES:
        meta = query(common.indicator, code, lang)
        titles[code] = f"{meta['name']} ({meta['unit']})"
        frames.append(query(common.series, code, NEIGHBOURS, "total", lang).assign(indicator_code=code))
    return pd.concat(frames, ignore_index=True), titles


@guarded
def layout(lang=None, metric=None, to=None, region=None, district=None, **params) -> html.Div:
    periods = query(connectivity.periods)
    lang_code = normalise(_text(lang))
    geos = query(common.geos, None, lang_code)
    district_region = dict(
        zip(
            geos.loc[geos["level"] == "district", "code"],
            geos.loc[geos["level"] == "district", "parent_code"],
            strict=True,
        )
    )
    f = parse_filters(
        {"lang": lang, "metric": metric, "from": params.get("from"), "to": to, "region": region, "district": district},
        periods,
        district_region,
    )
    t = translator(f["lang"])
    names = dict(zip(geos["code"], geos["name"], strict=True))
    level, code = place_of(f)
    place = names.get(code, code)
    span = f"{f['from']} – {f['to']}"
    synthetic = query(common.sources, SYNTHETIC, lang=lang)

    indicator, column, metric_label, higher = METRICS[f["metric"]]
    meta = query(common.indicator, indicator, f["lang"])
    values = query(connectivity.unit_values, indicator, f["to"], f["lang"])
    values = values.assign(value=values[column]) if len(values) else values
    unit = t("people") if column == "uncovered" else meta["unit"]
    shapes = boundaries.units()
    map_figure = district_map(
        values,
        shapes,
        boundaries.regions(),
        unit=unit,
        period=f["to"] or "",
        source=t("synthetic demo data"),
        decimals=0 if column == "uncovered" else meta["decimals"],
        higher_is_better=higher,
        selected=f["district"] or (f["region"] if f["region"] == "TJ-DU" else None),
        lang=f["lang"],
    )
    profile_indicator = connectivity.COVERAGE_4G if column == "uncovered" else indicator
    profile_meta = query(common.indicator, profile_indicator, f["lang"])
    four_g = query(common.indicator, connectivity.COVERAGE_4G, f["lang"])
    goal = applicable_target(query(kpis.kpi_data, "coverage_4g", date.today(), f["lang"]).targets, date.today())
    target_value = float(goal["value"]) if goal is not None else 100.0
    ranking = query(connectivity.priorities, f["to"], target_value, f["region"], f["lang"])
    bench, titles = _benchmark(f["lang"])
    breaks = [SeriesBreak(b.indicator_code, b.geo_code, b.before, b.after, t(b.note)) for b in SERIES_BREAKS]
    bench_sources = query(common.sources, sorted(bench["source_code"].unique()), lang=lang)
    where = place if level != "country" else t("Tajikistan")

    return html.Div(
        [
            dcc.Location(id=URL, refresh="callback-nav"),
            dcc.Store(id=UNIT_CODES, data=[s.code for s in shapes]),
            html.H1(t("Rural internet coverage"), className="h3"),
            html.P(
                t("Where people still have no usable internet, how fast that changes, and where to build next."),
                className="text-muted",
            ),
            _controls(f, periods, geos, t),
            html.Div(
                [html.Span(f"{t('Showing')}: "), html.Strong(where, id=PLACE), html.Span(f" · {span}")],
                className="mb-2 small",
            ),
            dbc.Row(
                [
                    dbc.Col(kpi_card(k, f"conn-kpi-{i}", f["lang"]), xs=12, sm=6, lg=4, xl=2, className="mb-3")
                    for i, k in enumerate(_kpis(f, level, code))
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card(
                            MAP,
                            f"{t(metric_label)} {t('by district')}",
                            map_figure,
                            synthetic,
                            subtitle=f"{f['to']} · {t('click a district to select it')}{_map_note(indicator, f)}",
                            lang=f["lang"],
                        ),
                        lg=7,
                        className="mb-3",
                    ),
                    dbc.Col(
                        chart_card(
                            PROFILE,
                            f"{profile_meta['name']}: {where}",
                            comparison_figure(
                                _comparison(f, level, code, names, profile_indicator),
                                profile_meta["unit"],
                                profile_meta["decimals"],
                                f["lang"],
                            ),
                            synthetic,
                            subtitle=f"{t('compared with its region and the country')} · {span}",
                            lang=f["lang"],
                        ),
                        lg=5,
                        className="mb-3",
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card(
                            TECHMIX,
                            f"{t('Technology mix')}: {where}",
                            technology_mix_figure(
                                query(connectivity.technology_mix, level, code, f["from"], f["to"]),
                                TECH_NAMES,
                                four_g["unit"],
                                f["lang"],
                            ),
                            synthetic,
                            subtitle=f"{t('people covered by 2G/3G/4G/5G or better, population-weighted')} · {span}",
                            lang=f["lang"],
                        ),
                        lg=6,
                        className="mb-3",
                    ),
                    dbc.Col(
                        chart_card(
                            URBAN_RURAL,
                            f"{t('Urban and rural')}: {where}",
                            urban_rural_figure(_urban_rural(f, level, code, t), four_g["unit"], f["lang"]),
                            synthetic,
                            subtitle=f"{t('4G coverage and internet use')} · {span}",
                            lang=f["lang"],
                        ),
                        lg=6,
                        className="mb-3",
                    ),
                ]
            ),
            dbc.Card(
                [
                    dbc.CardHeader(
                        [
                            html.H2(t("Where to build next: people without 4G"), className="h6 mb-0"),
                            html.Div(
                                f"{names.get(f['region'], t('All regions'))} · {f['to']} · "
                                f"{t('gap to the target of')} {target_value:g} %",
                                className="small text-muted chart-subtitle",
                            ),
                        ]
                    ),
                    dbc.CardBody(priority_table(ranking, PRIORITY, "%", f["lang"])),
                    dbc.CardFooter(source_caption(synthetic, f["lang"])),
                ],
                className="shadow-sm mb-3",
            ),
            chart_card(
                BENCHMARK,
                t("Tajikistan and its neighbours"),
                benchmark_figure(bench, titles, breaks, lang=f["lang"]),
                bench_sources,
                subtitle=t("Annual, as published; shaded: known series breaks"),
                lang=f["lang"],
            ),
        ]
    )


@callback(
    Output(URL, "search"),
    Input(METRIC, "value"),
    Input(FROM, "value"),
    Input(TO, "value"),
    Input(REGION, "value"),
    Input(DISTRICT, "value"),
    Input(MAP, "clickData"),
    Input(RESET, "n_clicks"),
    State(URL, "search"),
    State(UNIT_CODES, "data"),
    prevent_initial_call=True,
)
def write_query_string(metric, first, last, region, district, click, _reset, search, codes):
    """Controls and map clicks -> query string; the page re-renders from it."""
    trigger = ctx.triggered_id
    if trigger == RESET:
        return search_string(search, metric=None, **{"from": None, "to": None}, region=None, district=None)
    if trigger == MAP:
        chosen = clicked_code(click, codes or [])
        if chosen is None:
            return dash.no_update
        region, district = (chosen, None) if chosen in REGIONS else (chosen[:5], chosen)
    elif trigger == REGION and district and not district.startswith(f"{region}-"):
        district = None
    elif trigger == DISTRICT and district:
        region = district[:5]
    return search_string(search, metric=metric, **{"from": first, "to": last}, region=region, district=district)
