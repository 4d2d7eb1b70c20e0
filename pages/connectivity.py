"""Rural internet coverage: where people still lack usable internet, how fast that changes, and
where the next tower or fibre line should go.

The view is a function of the query string (metric, from, to, region, district, lang), so a
copied link reproduces it and back/forward work. ``layout`` draws the first view; after that a
filter change redraws only what it touches: the navigate callback writes the URL (or, on
back/forward, sets the controls from it) and puts the slice of the filters each part reads in
that part's store, leaving unchanged slices alone, so only the callbacks of the parts whose
filters changed fire. Back/forward reach the navigate callback through the page's own location
(the shared page location also changes on other pages, where this page's controls do not exist).
The map keeps its geometry: a metric or period change patches its colours,
a new selection only its outline (in the browser). The neighbour benchmark reads no filter and
is never redrawn.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

import components.connectivity_data as data
import components.connectivity_views as views
from components.chart_card import chart_card_of, chart_outputs, chart_values
from components.connectivity_filters import (
    CONTROLLED,
    MAP_SLICE,
    OUTLINE_SLICE,
    PLACE_SLICE,
    PROFILE_SLICE,
    RANKING_SLICE,
    SLICES,
    asked_filters,
    parse_filters,
    slices_of,
)
from components.connectivity_layout import controls, district_options, kpi_columns, priority_card
from components.connectivity_table import DEFAULT_SORT, SORT, next_sort, priority_table
from components.district_map import clicked_code, paint_patch
from components.query_string import query_params, search_string
from data_loaders import boundaries
from data_loaders.cached import query
from data_loaders.queries import common, connectivity
from exports.chart_data import ChartData, stem_of
from exports.chart_data import register as register_data
from i18n import N_, normalise, translator
from pages._guarded import guarded, guarded_update
from pages._view_routing import PAGE_URL, page_location, rendered_search, view_page

PATH = "/connectivity"
dash.register_page(
    __name__,
    path=PATH,
    name=N_("Connectivity"),
    title="Rural internet coverage",
    order=1,
    description="Mobile and fixed coverage by region and district, urban-rural gap, trend.",
)

# Component ids, named once.
URL = PAGE_URL  # the language links follow it
HISTORY = "conn-history"  # the page's own location: only its changes reach the navigate callback
CONTROLS = {key: f"conn-{key}" for key in CONTROLLED}
REGION, DISTRICT = CONTROLS["region"], CONTROLS["district"]
RESET, MAP, PROFILE, TECHMIX = "conn-reset", "conn-map", "conn-profile", "conn-techmix"
URBAN_RURAL, BENCHMARK, PRIORITY, UNIT_CODES = "conn-urban-rural", "conn-benchmark", "conn-priority", "conn-unit-codes"
PLACE, SPAN, KPIS, PRIORITY_SUBTITLE = "conn-place", "conn-span", "conn-kpis", "conn-priority-subtitle"
CHANGED = {**{control: key for key, control in CONTROLS.items()}, MAP: "map", RESET: "reset"}  # trigger -> filter


def read_filters(params: dict) -> dict:
    """The filters of the query-string values, validated against the periods and districts held."""
    lang = params.get("lang")
    geos = query(common.geos, "district", normalise(lang if isinstance(lang, str) else None))
    return parse_filters(params, query(connectivity.periods), dict(zip(geos["code"], geos["parent_code"], strict=True)))


@view_page(PATH)
@guarded
def layout(lang=None, **params) -> html.Div:
    """The frame and the first view for the filters in the query string."""
    f = read_filters({**params, "lang": lang})
    t = translator(f["lang"])
    geos = query(common.geos, None, f["lang"])
    where, span = views.place_words(f)
    ranking, ranking_subtitle = views.build_ranking(f)
    synthetic = query(common.sources, views.SYNTHETIC, lang=f["lang"])

    def col(child, **width) -> dbc.Col:
        return dbc.Col(child, className="mb-3", **width)

    return html.Div(
        [
            page_location({**params, "lang": lang}),
            dcc.Location(id=HISTORY, refresh=False, search=rendered_search({**params, "lang": lang})),
            *[dcc.Store(id=store, data=data) for store, data in slices_of(f).items()],
            dcc.Store(id=UNIT_CODES, data=[s.code for s in boundaries.units()]),
            html.H1(t("Rural internet coverage"), className="h3"),
            html.P(
                t("Where people still have no usable internet, how fast that changes, and where to build next."),
                className="text-muted",
            ),
            controls({**CONTROLS, "reset": RESET}, f, views.METRICS, query(connectivity.periods), geos),
            html.Div(
                [html.Span(f"{t('Showing')}: "), html.Strong(where, id=PLACE), html.Span(f" · {span}", id=SPAN)],
                className="mb-2 small",
            ),
            dbc.Row(kpi_columns(views.build_kpis(f), f["lang"]), id=KPIS),
            dbc.Row(
                [
                    col(chart_card_of(MAP, views.build_map(f)), lg=7),
                    col(chart_card_of(PROFILE, views.build_profile(f)), lg=5),
                ]
            ),
            dbc.Row(
                [
                    col(chart_card_of(TECHMIX, views.build_techmix(f)), lg=6),
                    col(chart_card_of(URBAN_RURAL, views.build_urban_rural(f)), lg=6),
                ]
            ),
            priority_card(PRIORITY, PRIORITY_SUBTITLE, ranking, ranking_subtitle, synthetic, f["lang"]),
            chart_card_of(BENCHMARK, views.build_benchmark(f["lang"])),
        ]
    )


@callback(
    output={
        "search": [Output(URL, "search"), Output(HISTORY, "search")],
        "href": [Output(URL, "href"), Output(HISTORY, "href")],
        "controls": [Output(control, "value") for control in CONTROLS.values()],
        "districts": Output(DISTRICT, "options"),
        "slices": [Output(store, "data") for store in SLICES],
    },
    inputs={
        "values": [Input(control, "value") for control in CONTROLS.values()],
        "click": Input(MAP, "clickData"),
        "reset": Input(RESET, "n_clicks"),
        "search": Input(HISTORY, "search"),
        "href": State(HISTORY, "href"),
        "pathname": State(HISTORY, "pathname"),
        "codes": State(UNIT_CODES, "data"),
        "shown": [State(store, "data") for store in SLICES],
    },
    prevent_initial_call=True,
)
@guarded_update
def navigate(values, click, reset, search, href, pathname, codes, shown) -> dict:
    """A control or a map click: write the URL; back/forward changed the URL: set the controls.
    Either way the controls show the validated filters and each part's store gets its new slice."""
    current = dict(zip(CONTROLS, values, strict=True))
    params = query_params(search)
    if (pathname or "").rstrip("/") != PATH or normalise(params.get("lang")) != shown[0]["lang"]:
        raise PreventUpdate  # leaving the page or its language: the router draws the new one
    if ctx.triggered_id == HISTORY:
        f, new_search = read_filters(params), no_update
    else:
        changed = CHANGED.get(ctx.triggered_id)
        if changed == "map" and clicked_code(click, codes or []) is None:
            raise PreventUpdate  # a click on an outline or the colour bar
        asked = asked_filters(current, changed, clicked_code(click, codes or []))
        f = read_filters({**params, **asked})
        written = search_string(search, **(asked if changed == "reset" else {key: f[key] for key in CONTROLS}))
        new_search = no_update if written == (search or "") else written
    region_changed = f["region"] != current["region"] or ctx.triggered_id == REGION
    new_href = no_update if new_search is no_update else (href or "").split("?")[0].split("#")[0] + new_search
    return {
        "search": [new_search, new_search],
        "href": [new_href, new_href],
        "controls": [no_update if current[key] == f[key] else f[key] for key in CONTROLS],
        "districts": district_options(query(common.geos, "district", f["lang"]), f["region"])
        if region_changed
        else no_update,
        "slices": [no_update if data == old else data for data, old in zip(slices_of(f).values(), shown, strict=True)],
    }


@callback(
    Output(KPIS, "children"),
    Output(PLACE, "children"),
    Output(SPAN, "children"),
    Input(PLACE_SLICE, "data"),
    prevent_initial_call=True,
)
@guarded_update
def update_place(f: dict) -> tuple:
    where, span = views.place_words(f)
    return kpi_columns(views.build_kpis(f), f["lang"]), where, f" · {span}"


@callback(*chart_outputs(MAP), Input(MAP_SLICE, "data"), prevent_initial_call=True)
@guarded_update
def update_map(f: dict) -> tuple:
    """The map's colours and words; its geometry and outline stay as they are."""
    content, paint = views.build_map_paint(f)
    bar = len(boundaries.units()) + len(boundaries.regions())
    return (paint_patch(paint, bar), *chart_values(MAP, content)[1:])


clientside_callback(
    ClientsideFunction(namespace="connectivity", function_name="outline"),
    Output(MAP, "figure", allow_duplicate=True),
    Input(OUTLINE_SLICE, "data"),
    State(MAP, "figure"),
    prevent_initial_call=True,
)


@callback(*chart_outputs(PROFILE), Input(PROFILE_SLICE, "data"), prevent_initial_call=True)
@guarded_update
def update_profile(f: dict) -> tuple:
    return chart_values(PROFILE, views.build_profile(f))


@callback(*chart_outputs(TECHMIX), Input(PLACE_SLICE, "data"), prevent_initial_call=True)
@guarded_update
def update_techmix(f: dict) -> tuple:
    return chart_values(TECHMIX, views.build_techmix(f))


@callback(*chart_outputs(URBAN_RURAL), Input(PLACE_SLICE, "data"), prevent_initial_call=True)
@guarded_update
def update_urban_rural(f: dict) -> tuple:
    return chart_values(URBAN_RURAL, views.build_urban_rural(f))


@callback(
    Output(f"{PRIORITY}-body", "children"),
    Output(PRIORITY_SUBTITLE, "children"),
    Output(f"{PRIORITY}-sort", "data"),
    Input(RANKING_SLICE, "data"),
    Input({"type": SORT, "column": ALL}, "n_clicks"),
    State(f"{PRIORITY}-sort", "data"),
    prevent_initial_call=True,
)
@guarded_update
def update_ranking(f: dict, clicks: list, sort: list | None) -> tuple:
    """The table for the filters, or sorted again by the header just clicked."""
    clicked = ctx.triggered_id.get("column") if isinstance(ctx.triggered_id, dict) else None
    if clicked is not None and not any(clicks):  # new header buttons drawn, nothing clicked
        raise PreventUpdate
    sort = next_sort(sort, clicked) if clicked else tuple(sort or DEFAULT_SORT)
    ranking, subtitle = views.build_ranking(f)
    return priority_table(ranking, PRIORITY, "%", f["lang"], sort), subtitle, list(sort)


def filters_of(search: str | None) -> dict:
    """The filters of a query string (``?region=TJ-KT&…``), validated as ``layout`` does."""
    return read_filters(query_params(search))


def _data(chart: str, rows, content, stem) -> None:
    register_data(ChartData(chart, PATH, filters_of, rows, content, stem, CONTROLLED))


_data(MAP, data.map_rows, views.build_map, data.map_stem)
_data(PROFILE, data.profile_rows, views.build_profile, lambda f: data.place_stem(f"{f['metric']}-profile", f))
_data(TECHMIX, data.techmix_rows, views.build_techmix, lambda f: data.place_stem("technology-mix", f))
_data(URBAN_RURAL, data.urban_rural_rows, views.build_urban_rural, lambda f: data.place_stem("urban-rural", f))
register_data(
    ChartData(
        PRIORITY,
        PATH,
        filters_of,
        data.priority_rows,
        data.priority_content,
        lambda f: stem_of("people-without-4g-priority", f["region"] or "", f["to"]),
        CONTROLLED,
        tidy=False,
        columns=data.PRIORITY_COLUMNS,
    )
)
_data(BENCHMARK, data.benchmark_rows, lambda f: views.build_benchmark(f["lang"]), lambda f: "tajikistan-and-neighbours")
