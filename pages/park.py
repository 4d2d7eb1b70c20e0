"""IT Park occupancy: how full the park is, who is in it, and what is about to empty.

Everything is computed at one "as of" date from units and leases (never a stored rate), for the
whole park or one building; both live in the URL (``?building=B2&as_of=2026-06-30``), so a link
reproduces the view. The layout draws the first view; a control only rewrites the query string,
and one callback per chart (and one for the KPI row, one for the tenants) redraws from it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from components import park_data as data
from components import park_layout
from components.chart_card import chart_card_of, chart_outputs, chart_values
from components.chart_summary import figure_summary
from components.park_contents import (
    View,
    expiries_content,
    floor_plan_content,
    kpi_cards,
    occupancy_content,
    occupancy_lines,
    occupancy_targets,
    tenant_mix_content,
    tenant_records,
)
from components.park_figures import occupancy_figure, target_trace
from components.park_panels import (
    filter_tenants,
    outline_changes,
    tenant_table,
    unit_detail,
    unit_options,
    unit_point,
)
from data_loaders.cached import query
from data_loaders.queries import park
from exports.chart_data import ChartData
from exports.chart_data import register as register_data
from i18n import N_, language_of, normalise, translator
from pages._guarded import guarded, guarded_update
from pages._view_routing import PAGE_URL, page_location, rendered_search, view_page

dash.register_page(
    __name__,
    path="/park",
    name=N_("IT Park"),
    title="IT Park occupancy",
    order=3,
    description="Occupancy, tenants, jobs and lease expiries of IT Park Dushanbe.",
)

URL, BUILDING, AS_OF, KPIS = PAGE_URL, "park-building", "park-as-of", "park-kpis"
HISTORY = "park-history"  # the page's own location: back/forward sets the controls from it
OCCUPANCY_CHART, OCCUPANCY_SHOWN = "park-occupancy", "park-occupancy-shown"
EXPIRIES, TENANT_MIX = "park-expiries", "park-tenant-mix"
FLOOR_PLAN, UNIT_DETAIL, UNIT = "park-floor-plan", "park-unit-detail", "park-unit"
SEARCH, TENANTS, TENANT_STORE, TENANTS_WHERE = "park-tenant-search", "park-tenants", "park-tenant-store", "park-where"
ALL = "all"  # the building dropdown's value for the whole park (no ``building`` in the URL)


def parse_day(text: str | None, default: date) -> date:
    """An ISO date from the URL; anything else (empty, malformed, absurd) gives ``default``."""
    try:
        day = date.fromisoformat(str(text))
    except ValueError:
        return default
    return day if 2000 <= day.year <= 2100 else default


def parse_view(params: dict) -> View | None:
    """The view of the query parameters (first values); None when no park data is loaded."""
    lang = normalise(params.get("lang"))
    buildings = query(park.buildings, lang)
    if buildings.empty:
        return None
    names = dict(zip(buildings["building_code"], buildings["name"], strict=True))
    building = params.get("building")
    building = building if building in names else None
    return View(lang, building, parse_day(params.get("as_of"), date.today()), names, buildings["opened"].min())


def view_of(search: str | None) -> View:
    """The view of a callback's query string; without park data there is nothing to redraw."""
    if (view := parse_view({k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()})) is None:
        raise PreventUpdate
    return view


def _occupancy_shown(v: View) -> dict:
    return {"day": v.day.isoformat(), "whole": v.building is None}


@view_page("/park")
@guarded
def layout(lang: str | None = None, **params) -> html.Div:
    """The frame and the first view: the park at one date, whole or one building, from the query."""
    v = parse_view({"lang": lang, **params})
    t = translator(normalise(lang))
    if v is None:
        return html.Div([html.H1(t("IT Park occupancy"), className="h3"), html.P(t("No park data loaded yet."))])
    records = tenant_records(v)
    options = [{"label": t("Whole park"), "value": ALL}] + [{"label": n, "value": c} for c, n in v.names.items()]
    head = [
        page_location({"lang": lang, **params}),
        dcc.Location(id=HISTORY, refresh=False, search=rendered_search({"lang": lang, **params})),
        dcc.Store(id=TENANT_STORE, data=records),
        dcc.Store(id=OCCUPANCY_SHOWN, data=_occupancy_shown(v)),
        html.H1(t("IT Park occupancy"), className="h3"),
        html.P(
            t("How full IT Park Dushanbe is, who is in it, and which leases end soon.")
            + " "
            + t("Computed from units and leases at the chosen date."),
            className="text-muted",
        ),
        park_layout.controls((BUILDING, AS_OF), options, v.building or ALL, v.day, v.opened, t),
    ]
    plan = floor_plan_content(v)
    cards = {
        "occupancy": chart_card_of(OCCUPANCY_CHART, occupancy_content(v)),
        "expiries": chart_card_of(EXPIRIES, expiries_content(v)),
        "floor_plan": chart_card_of(FLOOR_PLAN, plan),
        "tenant_mix": chart_card_of(TENANT_MIX, tenant_mix_content(v)),
    }
    detail = park_layout.unit_panel(
        (UNIT, UNIT_DETAIL), unit_options(plan.figure, v.lang), unit_detail(None, v.lang), t
    )
    tenants = park_layout.tenants_card((TENANTS_WHERE, SEARCH, TENANTS), v.where, tenant_table(records, v.lang), t)
    return html.Div(park_layout.frame(head, dbc.Row(kpi_cards(v), id=KPIS), cards, detail, tenants))


# Navigate (assets/40_filter_urls.js): a control writes the URL, back/forward sets the controls.
clientside_callback(
    ClientsideFunction(namespace="filter_urls", function_name="park"),
    Output(URL, "search"),
    Output(URL, "href"),
    Output(HISTORY, "search"),
    Output(HISTORY, "href"),
    Output(BUILDING, "value"),
    Output(AS_OF, "date"),
    Input(BUILDING, "value"),
    Input(AS_OF, "date"),
    Input(HISTORY, "search"),
    State(BUILDING, "options"),
    prevent_initial_call=True,
)


def _redraw(chart_id: str, build):
    """A callback redrawing one chart card from the URL's query string."""

    @callback(*chart_outputs(chart_id), Input(URL, "search"), prevent_initial_call=True)
    @guarded_update
    def redraw(search):
        v = view_of(search)
        return chart_values(chart_id, build(v))

    return redraw


for _chart, _build in ((EXPIRIES, expiries_content), (TENANT_MIX, tenant_mix_content)):
    _redraw(_chart, _build)


@callback(
    *chart_outputs(FLOOR_PLAN),
    Output(FLOOR_PLAN, "clickData"),
    Output(UNIT, "options"),
    Input(URL, "search"),
    prevent_initial_call=True,
)
@guarded_update
def redraw_floor_plan(search):
    """The floor plan of the new view and its unit list; the chosen unit is forgotten (it may not
    exist there: the cleared click clears the list's choice and the details)."""
    v = view_of(search)
    plan = floor_plan_content(v)
    return *chart_values(FLOOR_PLAN, plan), None, unit_options(plan.figure, v.lang)


@callback(
    *chart_outputs(OCCUPANCY_CHART),
    Output(OCCUPANCY_SHOWN, "data"),
    Input(URL, "search"),
    State(OCCUPANCY_SHOWN, "data"),
    prevent_initial_call=True,
)
@guarded_update
def redraw_occupancy(search, shown):
    """The lines follow the date only: a building change adds or removes the target markers."""
    v = view_of(search)
    if _occupancy_shown(v) == shown:
        raise PreventUpdate
    if shown and shown.get("day") == v.day.isoformat():
        lines = occupancy_lines(v)
        trace = target_trace(occupancy_targets(replace(v, building=None)), v.lang)
        if lines.empty or trace is None:
            return *(dash.no_update,) * len(chart_outputs(OCCUPANCY_CHART)), _occupancy_shown(v)
        patch = dash.Patch()
        if v.building is None:
            patch["data"].append(trace.to_plotly_json())
        else:
            del patch["data"][lines["series"].nunique()]  # the target trace comes after one line per series
        # the summary names the target only where the markers are drawn
        summary = figure_summary(occupancy_figure(lines, v.day, occupancy_targets(v), v.lang), v.lang)
        return patch, dash.no_update, dash.no_update, summary, dash.no_update, dash.no_update, _occupancy_shown(v)
    return *chart_values(OCCUPANCY_CHART, occupancy_content(v)), _occupancy_shown(v)


@callback(Output(KPIS, "children"), Input(URL, "search"), prevent_initial_call=True)
@guarded_update
def redraw_kpis(search):
    v = view_of(search)
    return kpi_cards(v)


@callback(
    Output(TENANT_STORE, "data"),
    Output(TENANTS, "children"),
    Output(TENANTS_WHERE, "children"),
    Input(URL, "search"),
    State(SEARCH, "value"),
    prevent_initial_call=True,
)
@guarded_update
def redraw_tenants(search, text):
    """The tenants of the new view, filtered by what the search box holds."""
    v = view_of(search)
    records = tenant_records(v)
    return records, tenant_table(filter_tenants(records, text), v.lang), v.where


@callback(
    Output(UNIT_DETAIL, "children"),
    Output(UNIT, "value"),
    Output(FLOOR_PLAN, "figure", allow_duplicate=True),
    Input(FLOOR_PLAN, "clickData"),
    Input(UNIT, "value"),
    State(FLOOR_PLAN, "figure"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def _show_unit(click, unit, figure, search):
    """One unit's details, from a click on the plan or a choice in the unit list (the keyboard's
    way): the list follows a click, and the plan frames the unit."""
    if ctx.triggered_id == FLOOR_PLAN:
        point = (click or {}).get("points", [None])[0] or {}
        unit = (point.get("customdata") or [None])[0]
    changes = outline_changes(figure, unit)
    patch = dash.Patch() if changes else dash.no_update
    for i, line in changes.items():
        patch["data"][i]["marker"]["line"] = line
    return unit_detail(unit_point(figure, unit), normalise(language_of(search))), unit, patch


@callback(
    Output(TENANTS, "children", allow_duplicate=True),
    Input(SEARCH, "value"),
    State(TENANT_STORE, "data"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def _search_tenants(text, records, search):
    return tenant_table(filter_tenants(records or [], text), normalise(language_of(search)))


def _data(chart: str, rows, content, what: str, columns: dict | None = None) -> None:
    register_data(
        ChartData(
            chart,
            "/park",
            view_of,
            rows,
            content,
            lambda v: data.stem(what, v),
            QUERY_KEYS,
            columns is None,
            columns or {},
        )
    )


QUERY_KEYS = ("building", "as_of")
_data(OCCUPANCY_CHART, data.occupancy_rows, occupancy_content, "it-park-occupancy")
_data(EXPIRIES, data.expiry_rows, expiries_content, "it-park-leases-ending", data.EXPIRY_COLUMNS)
_data(FLOOR_PLAN, data.unit_rows, floor_plan_content, "it-park-units", data.UNIT_COLUMNS)
_data(TENANT_MIX, data.mix_rows, tenant_mix_content, "it-park-tenant-mix", data.MIX_COLUMNS)
