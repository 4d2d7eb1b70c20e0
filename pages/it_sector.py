"""IT-sector growth: is the sector growing, where, in which segments, and is the IT Park pulling it?

The view is a function of its query string (``from``, ``to``, ``region``, ``subsector``,
``park``, ``measure``, ``view``, ``lang``), so a link reproduces it and back/forward work.
Unknown or malformed values fall back to the defaults. ``layout`` draws the first view; after
that a filter change redraws only what it touches: the navigate callback writes the URL (or, on
back/forward, the controls) and the slice of the filters each part reads into that part's store,
leaving unchanged slices alone, so only the callbacks of the parts whose filters changed fire
(the benchmark, the high-tech exports and their card read no filter and are never redrawn).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update

import components.it_sector_data as data
import components.it_sector_layout as frame
import components.it_sector_views as views
from components.chart_card import chart_card_of, chart_outputs, chart_values
from components.it_sector_charts import REGION_HIGHLIGHT, benchmark_panel
from components.it_sector_filters import SLICES, query_values, read_filters, slice_of
from components.kpi_card import kpi_card
from components.query_string import query_params, search_string
from data_loaders.cached import query
from data_loaders.queries import common, it_sector
from exports.chart_data import ChartData, stem_of
from exports.chart_data import register as register_data
from i18n import N_, normalise, translator
from pages._guarded import guarded, guarded_update
from pages._view_routing import PAGE_URL, page_location, rendered_search, view_page

dash.register_page(
    __name__,
    path="/it-sector",
    name=N_("IT sector"),
    title="IT-sector growth",
    order=2,
    description="Companies, jobs, revenue and exports by subsector and region; growth rates; IT Park residents.",
)

URL = PAGE_URL
HISTORY = "it-history"  # the page's own location: only its changes (back/forward) reach the navigate callback
FALLBACK_YEARS = (2015, 2025)  # only used when the registry holds no yearly figures at all
# the control of each filter, in the order of the navigate callback's inputs
CONTROLS = {
    "first": frame.FROM,
    "last": frame.TO,
    "region": frame.REGION,
    "subsector": frame.SUBSECTOR,
    "park": frame.PARK,
}
CONTROLS |= {"measure": frame.MEASURE, "view": frame.VIEW}
FILTERED_CARDS = 6  # the first cards follow the filters; the last (real high-tech exports) does not


def _years() -> tuple[int, int]:
    bounds = query(it_sector.year_bounds)
    return bounds["first"] or FALLBACK_YEARS[0], bounds["last"] or FALLBACK_YEARS[1]


def filters_of(search: str | None) -> dict:
    """The filters of a query string (``?from=2018&…``), validated as ``layout`` does."""
    params = query_params(search)
    regions = query(common.geos, "region", normalise(params.get("lang")))
    return read_filters(params, *_years(), list(regions["code"]))


@view_page("/it-sector")
@guarded
def layout(lang: str | None = None, **params) -> html.Div:
    """The frame and the first view for the filters in the query string."""
    first, last = _years()
    regions = query(common.geos, "region", normalise(lang))
    f = read_filters({**params, "lang": lang}, first, last, list(regions["code"]))
    lang = f["lang"]
    t = translator(lang)
    synthetic = query(common.sources, [views.SYNTHETIC], lang=lang)
    cards = [*views.filtered_cards(f), views.hightech_card(lang)]

    def col(child, lg: int) -> dbc.Col:
        return dbc.Col(child, lg=lg, className="mb-3")

    return html.Div(
        [
            page_location({**params, "lang": lang}),
            dcc.Location(id=HISTORY, refresh=False, search=rendered_search({**params, "lang": lang})),
            *[dcc.Store(id=store, data=slice_of(f, store)) for store in SLICES],
            html.H1(t("IT-sector growth"), className="h3"),
            html.P(
                t("Is the IT sector growing, where, in which segments, and is the IT Park pulling it forward?"),
                className="text-muted",
            ),
            frame.controls(f, list(range(first, last + 1)), regions, t),
            frame.kpi_row(cards, lang),
            frame.switches(f, t),
            html.Div(views.cagr_line(f), id=frame.CAGR, className="fw-semibold mb-2"),
            dbc.Row(
                [
                    col(chart_card_of(frame.GROWTH, views.growth(f)), lg=8),
                    col(chart_card_of(frame.SIZES, views.sizes(f)), lg=4),
                ],
            ),
            dbc.Row(
                [
                    col(chart_card_of(frame.FLOWS, views.flows(f)), lg=6),
                    col(chart_card_of(frame.REGIONS, views.regions(f)), lg=6),
                ],
            ),
            dbc.Row(
                [
                    col(frame.segments_card(*views.segments(f), synthetic, t, lang), lg=7),
                    col(benchmark_panel(*views.benchmark(lang), lang, frame.BENCHMARK), lg=5),
                ],
            ),
            chart_card_of(frame.HIGHTECH, views.hightech(lang)),
        ]
    )


@callback(
    output={
        "search": [Output(URL, "search"), Output(HISTORY, "search")],
        "href": [Output(URL, "href"), Output(HISTORY, "href")],
        "controls": [Output(control, "value") for control in CONTROLS.values()],
        "slices": [Output(store, "data") for store in SLICES],
    },
    inputs={
        "values": [Input(control, "value") for control in CONTROLS.values()],
        "search": Input(HISTORY, "search"),
        "href": State(HISTORY, "href"),
        "shown": [State(store, "data") for store in SLICES],
    },
    prevent_initial_call=True,
)
@guarded_update
def navigate(values: list, search: str | None, href: str | None, shown: list) -> dict:
    """A control changed: write the URL; back/forward changed the URL: set the controls. Either
    way the controls show the validated filters and each part's store gets its new slice."""
    if f"{HISTORY}.search" in dash.ctx.triggered_prop_ids:
        f, new_search = filters_of(search), no_update
    else:
        chosen = dict(zip(CONTROLS, values, strict=True))
        asked = {**chosen, "park": bool(chosen["park"])}
        f = filters_of(search_string(search, **query_values(asked)))
        written = search_string(search, **query_values(f))
        new_search = no_update if written == (search or "") else written
    current = dict(zip(CONTROLS, values, strict=True))
    current["park"] = bool(current["park"])
    new_href = no_update if new_search is no_update else (href or "").split("?")[0].split("#")[0] + new_search
    return {
        "search": [new_search, new_search],
        "href": [new_href, new_href],
        "controls": [no_update if current[key] == f[key] else f[key] for key in CONTROLS],
        "slices": [
            no_update if slice_of(f, store) == old else slice_of(f, store)
            for store, old in zip(SLICES, shown, strict=True)
        ],
    }


@callback(
    [Output(frame.kpi_slot(i), "children") for i in range(FILTERED_CARDS)],
    Input("it-f-place", "data"),
    prevent_initial_call=True,
)
@guarded_update
def update_cards(f: dict) -> list:
    return [kpi_card(k, f"it-kpi-{i}", f["lang"]) for i, k in enumerate(views.filtered_cards(f))]


@callback(
    *chart_outputs(frame.GROWTH),
    Output(frame.CAGR, "children"),
    Input("it-f-growth", "data"),
    Input("it-f-cagr", "data"),
    prevent_initial_call=True,
)
@guarded_update
def update_growth(growth: dict, cagr: dict) -> tuple:
    """The growth chart; the growth-rate sentence only when its filters (not the view) changed."""
    line = views.cagr_line(cagr) if "it-f-cagr.data" in dash.ctx.triggered_prop_ids else no_update
    return (*chart_values(frame.GROWTH, views.growth(growth)), line)


@callback(*chart_outputs(frame.SIZES), Input("it-f-sizes", "data"), prevent_initial_call=True)
@guarded_update
def update_sizes(f: dict) -> tuple:
    return chart_values(frame.SIZES, views.sizes(f))


@callback(*chart_outputs(frame.FLOWS), Input("it-f-place", "data"), prevent_initial_call=True)
@guarded_update
def update_flows(f: dict) -> tuple:
    return chart_values(frame.FLOWS, views.flows(f))


@callback(
    *chart_outputs(frame.REGIONS),
    Input("it-f-regions", "data"),
    State("it-f-highlight", "data"),
    prevent_initial_call=True,
)
@guarded_update
def update_regions(f: dict, highlight: dict) -> tuple:
    return chart_values(frame.REGIONS, views.regions({**f, **highlight}))


@callback(
    Output(frame.SEGMENTS_SUBTITLE, "children"),
    Output(frame.SEGMENTS_BODY, "children"),
    Input("it-f-place", "data"),
    prevent_initial_call=True,
)
@guarded_update
def update_segments(f: dict) -> tuple:
    return views.segments(f)


clientside_callback(
    REGION_HIGHLIGHT,
    Output(frame.REGIONS, "figure", allow_duplicate=True),
    Input("it-f-highlight", "data"),
    State(frame.REGIONS, "figure"),
    prevent_initial_call=True,
)


def _data(chart: str, rows, content, stem, columns: dict | None = None) -> None:
    entry = ChartData(chart, "/it-sector", filters_of, rows, content, stem, QUERY_KEYS, columns is None, columns or {})
    register_data(entry)


QUERY_KEYS = ("from", "to", "region", "subsector", "park", "measure", "view")
_data(frame.GROWTH, data.growth_rows, views.growth, data.growth_stem)
_data(
    frame.SIZES,
    data.sizes_rows,
    views.sizes,
    lambda f: stem_of("it-company-sizes", *data.filter_parts(f), f["last"]),
    data.SIZE_COLUMNS,
)
_data(
    frame.FLOWS,
    data.flows_rows,
    views.flows,
    lambda f: stem_of("it-companies-founded-closed", *data.filter_parts(f), f"{f['first']}--{f['last']}"),
    data.FLOW_COLUMNS,
)
_data(
    frame.REGIONS,
    data.regions_rows,
    views.regions,
    lambda f: stem_of("it-companies-per-10000-by-region", f["subsector"] or "", f["last"]),
    data.REGION_COLUMNS,
)
_data(frame.HIGHTECH, data.hightech_rows, lambda f: views.hightech(f["lang"]), lambda f: "high-technology-exports")
