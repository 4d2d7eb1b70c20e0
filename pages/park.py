"""IT Park occupancy: how full the park is, who is in it, and what is about to empty.

Everything is computed at one "as of" date from units and leases (never a stored rate), for the
whole park or one building; both live in the URL (``?building=B2&as_of=2026-06-30``), so a link
reproduces the view. Controls only rewrite the query string; the layout renders from it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from components.chart_card import chart_card
from components.kpi_card import Kpi, kpi_card
from components.park_figures import expiry_figure, floor_plan_figure, occupancy_figure, tenant_mix_figure
from components.park_panels import OCCUPANCY, filter_tenants, rent_kpi, tenant_table, unit_detail
from components.registry_kpi import kpi_from_registry
from data_loaders.cached import query
from data_loaders.queries import common, kpis, park
from i18n import N_, format_day, normalise, translator
from metrics import kpis as registry
from metrics.kpis import flags_from_sources
from pages._guarded import guarded

dash.register_page(
    __name__,
    path="/park",
    name=N_("IT Park"),
    title="IT Park occupancy",
    order=3,
    description="Occupancy, tenants, jobs and lease expiries of IT Park Dushanbe.",
)

URL, BUILDING, AS_OF = "park-url", "park-building", "park-as-of"
FLOOR_PLAN, UNIT_DETAIL = "park-floor-plan", "park-unit-detail"
SEARCH, TENANTS, TENANT_STORE = "park-tenant-search", "park-tenants", "park-tenant-store"
ALL = "all"  # the building dropdown's value for the whole park (no ``building`` in the URL)
PARK_GEO = "TJ-DU"  # the park's targets are set for Dushanbe
# the registry KPIs of the cards, with the column of queries.park.stats a building's own figures come from
REGISTRY_CARDS = (("park_occupancy", "occupancy_pct"), ("park_tenants", "tenants"), ("park_jobs", "jobs"))


def parse_day(text: str | None, default: date) -> date:
    """An ISO date from the URL; anything else (empty, malformed, absurd) gives ``default``."""
    try:
        day = date.fromisoformat(str(text))
    except ValueError:
        return default
    return day if 2000 <= day.year <= 2100 else default


def month_ends(start: date, end: date) -> list[date]:
    """Each month end from ``start`` up to ``end``, then ``end`` itself (no duplicates)."""
    days = [d.date() for d in pd.date_range(start, end, freq="ME")]
    return [d for d in days if d < end] + [end]


def _series(as_of: date, building: str | None, opened: date) -> pd.DataFrame:
    """The park's figures month by month from the first opening up to ``as_of``."""
    return query(park.stats, month_ends(opened, as_of) if as_of >= opened else [as_of], building, False)


def _occupancy_lines(as_of: date, buildings: pd.DataFrame, t) -> pd.DataFrame:
    """Whole park and each building, month by month since the opening, as one long frame."""
    days = month_ends(buildings["opened"].min(), max(as_of, buildings["opened"].min()))
    total = query(park.stats, days, None, False).assign(series=t("Whole park"))  # same cache key as _series
    names = dict(zip(buildings["building_code"], buildings["name"], strict=True))
    each = query(park.stats, days, None, True)
    each = each.assign(series=[names.get(c, c) for c in each["building_code"]])
    return pd.concat([total, each], ignore_index=True)[["as_of", "series", "occupancy_pct"]]


def _controls(buildings: pd.DataFrame, building: str | None, as_of: date, t) -> dbc.Row:
    options = [{"label": t("Whole park"), "value": ALL}] + [
        {"label": name, "value": code} for code, name in zip(buildings["building_code"], buildings["name"], strict=True)
    ]
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("Building"), html_for=BUILDING, className="small mb-1"),
                    dcc.Dropdown(id=BUILDING, options=options, value=building or ALL, clearable=False),
                ],
                xs=12,
                sm=6,
                md=4,
                lg=3,
            ),
            dbc.Col(
                [
                    dbc.Label(t("As of"), html_for=AS_OF, className="small mb-1 d-block"),
                    dcc.DatePickerSingle(
                        id=AS_OF,
                        date=as_of.isoformat(),
                        display_format="YYYY-MM-DD",
                        first_day_of_week=1,
                        min_date_allowed=buildings["opened"].min().isoformat(),
                        max_date_allowed=date(date.today().year + 5, 12, 31).isoformat(),
                    ),
                ],
                xs=12,
                sm=6,
                md=4,
                lg=3,
            ),
        ],
        className="g-3 mb-3 park-controls",
    )


def _kpis(series: pd.DataFrame, building: str | None, day: date, lang: str) -> list[Kpi]:
    """Occupancy, tenants and jobs from the registry, then the average rent. For one building the
    cards show its own figures and no target (the targets are set for the whole park)."""
    cards, data = [], None
    for key, column in REGISTRY_CARDS:
        data = query(kpis.kpi_data, key, day, lang)
        if building:
            own = pd.DataFrame(
                {
                    "period": [d.isoformat() for d in series["as_of"]],
                    "period_end": series["as_of"],
                    "value": series[column],
                }
            )
            data = replace(data, series=own, targets=data.targets.iloc[0:0])
        cards.append(kpi_from_registry(registry.get(key), data, day, lang))
    return [*cards, rent_kpi(series, day, flags_from_sources(data.source_kinds).synthetic, lang)]


@guarded
def layout(lang: str | None = None, building: str | None = None, as_of: str | None = None, **_) -> html.Div:
    """The park at one date, for the whole park or one building, from the query string."""
    lang = normalise(lang)
    t = translator(lang)
    buildings = query(park.buildings, lang)
    if buildings.empty:
        return html.Div([html.H1(t("IT Park occupancy"), className="h3"), html.P(t("No park data loaded yet."))])
    building = building if building in set(buildings["building_code"]) else None
    day = parse_day(as_of, date.today())
    names = dict(zip(buildings["building_code"], buildings["name"], strict=True))
    scope = names[building] if building else t("Whole park")
    where = f"{scope} · {t('as of')} {format_day(day, lang)}"
    sources = query(common.sources, query(park.source_codes), lang=lang)

    series = _series(day, building, buildings["opened"].min())
    targets = None if building else query(common.targets)
    if targets is not None:
        targets = targets[targets["geo_code"] == PARK_GEO]
    cards = _kpis(series, building, day, lang)
    tenants = query(park.tenants, day, building)
    records = tenants.assign(next_end=tenants["next_end"].astype(str).replace({"None": ""})).to_dict("records")
    occupancy_targets = None if targets is None else targets[targets["indicator_code"] == OCCUPANCY]

    def card(chart_id: str, title: str, figure, subtitle: str) -> dbc.Card:
        return chart_card(chart_id, title, figure, sources, subtitle=subtitle, lang=lang)

    return html.Div(
        [
            dcc.Location(id=URL, refresh="callback-nav"),
            dcc.Store(id=TENANT_STORE, data=records),
            html.H1(t("IT Park occupancy"), className="h3"),
            html.P(
                t("How full IT Park Dushanbe is, who is in it, and which leases end soon.")
                + " "
                + t("Computed from units and leases at the chosen date."),
                className="text-muted",
            ),
            _controls(buildings, building, day, t),
            dbc.Row(
                [
                    dbc.Col(kpi_card(k, f"park-kpi-{i}", lang), xs=12, sm=6, lg=3, className="mb-3")
                    for i, k in enumerate(cards)
                ],
                id="park-kpis",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        card(
                            "park-occupancy",
                            t("Occupancy over time"),
                            occupancy_figure(_occupancy_lines(day, buildings, t), day, occupancy_targets, lang),
                            t("Leased / leasable floor area at each month end, whole park and each building")
                            + "; "
                            + t("dotted line:")
                            + f" {format_day(day, lang)}",
                        ),
                        lg=7,
                        className="mb-3",
                    ),
                    dbc.Col(
                        card(
                            "park-expiries",
                            t("Leases ending in the next 24 months"),
                            expiry_figure(query(park.expiries, day, building), day, park.EXPIRY_MONTHS, lang),
                            f"{where} · " + t("floor area per month; the number above a bar is the tenants at risk"),
                        ),
                        lg=5,
                        className="mb-3",
                    ),
                ]
            ),
            html.Div(
                [
                    card(
                        FLOOR_PLAN,
                        t("Floor plan"),
                        floor_plan_figure(query(park.units, day, building), names, lang),
                        f"{where} · " + t("each unit as wide as its floor area; hover or click a unit"),
                    ),
                    html.Div(unit_detail(None, lang), id=UNIT_DETAIL, className="border rounded p-2 mt-2 bg-light"),
                ],
                className="mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        card(
                            "park-tenant-mix",
                            t("Tenant mix by sector and size"),
                            tenant_mix_figure(query(park.tenant_mix, day, building), lang),
                            f"{where} · " + t("tenants with a lease in force, by jobs in the park"),
                        ),
                        lg=5,
                        className="mb-3",
                    ),
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardHeader(
                                    [
                                        html.H2(t("Tenants"), className="h6 mb-0"),
                                        html.Div(where, className="small text-muted"),
                                    ]
                                ),
                                dbc.CardBody(
                                    [
                                        dbc.Input(
                                            id=SEARCH,
                                            type="search",
                                            placeholder=t("Search by name or sector"),
                                            debounce=False,
                                            className="mb-2",
                                        ),
                                        html.Div(
                                            tenant_table(records, lang),
                                            id=TENANTS,
                                            style={"maxHeight": "420px", "overflowY": "auto"},
                                        ),
                                    ]
                                ),
                            ],
                            className="h-100 shadow-sm",
                        ),
                        lg=7,
                        className="mb-3",
                    ),
                ]
            ),
        ]
    )


def _lang_of(search: str | None) -> str:
    return normalise(dict(parse_qsl((search or "").lstrip("?"))).get("lang"))


def rewrite_search(search: str | None, building: str | None, as_of: str | None) -> str:
    """The query string with ``building`` and ``as_of`` set (or dropped), every other key kept."""
    params = {k: v for k, v in parse_qsl((search or "").lstrip("?")) if k not in ("building", "as_of")}
    if building and building != ALL:
        params["building"] = building
    if as_of:
        params["as_of"] = str(as_of)[:10]
    return f"?{urlencode(params)}" if params else ""


@callback(
    Output(URL, "search"),
    Input(BUILDING, "value"),
    Input(AS_OF, "date"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def _filters_to_url(building, as_of, search):
    """Controls only write the URL; the page re-renders from it (back and forward work)."""
    new = rewrite_search(search, building, as_of)
    return dash.no_update if new == (search or "") else new


@callback(Output(UNIT_DETAIL, "children"), Input(FLOOR_PLAN, "clickData"), State(URL, "search"))
def _show_unit(click, search):
    point = (click or {}).get("points", [None])[0]
    return unit_detail(point, _lang_of(search))


@callback(
    Output(TENANTS, "children"),
    Input(SEARCH, "value"),
    State(TENANT_STORE, "data"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def _search_tenants(text, records, search):
    return tenant_table(filter_tenants(records or [], text), _lang_of(search))
