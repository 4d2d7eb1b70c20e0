"""The frame of the IT Park view: controls, KPI row, chart cards and the tenant card, placed.

Pure builders: the page module gives the ids, the first view's contents and the texts; the
callbacks later update the parts by id, so the frame itself is drawn once per page load.
"""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.kpi_card import Kpi, kpi_card
from i18n import calendar_labels, dropdown_labels


def controls(ids: tuple[str, str], options: list[dict], building: str, day: date, first: date, t) -> dbc.Row:
    """The building dropdown and the "as of" date picker (ids ``(building, as_of)``)."""
    building_id, as_of_id = ids
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("Building"), html_for=building_id, className="small mb-1"),
                    dcc.Dropdown(
                        labels=dropdown_labels(t), id=building_id, options=options, value=building, clearable=False
                    ),
                ],
                xs=12,
                sm=6,
                md=4,
                lg=3,
            ),
            dbc.Col(
                html.Div(
                    [
                        dbc.Label(t("As of"), html_for=as_of_id, className="small mb-1 d-block"),
                        dcc.DatePickerSingle(
                            id=as_of_id,
                            date=day.isoformat(),
                            display_format="YYYY-MM-DD",
                            placeholder=t("Select a date"),
                            first_day_of_week=1,
                            min_date_allowed=first.isoformat(),
                            max_date_allowed=date(date.today().year + 5, 12, 31).isoformat(),
                        ),
                    ],
                    **calendar_labels(t),
                ),
                xs=12,
                sm=6,
                md=4,
                lg=3,
            ),
        ],
        className="g-3 mb-3 park-controls",
    )


def kpi_columns(cards: list[Kpi], lang: str) -> list[dbc.Col]:
    """The KPI row's children (replaced whole by a filter change: every card reads both filters)."""
    return [
        dbc.Col(kpi_card(k, f"park-kpi-{i}", lang), xs=12, sm=6, lg=3, className="mb-3") for i, k in enumerate(cards)
    ]


def tenants_card(ids: tuple[str, str, str], where: str, table: html.Div, t) -> dbc.Card:
    """The tenant list with its search box (ids ``(scope text, search box, table holder)``)."""
    where_id, search_id, table_id = ids
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.H2(t("Tenants"), className="h6 mb-0"), html.Div(where, id=where_id, className="small text-muted")]
            ),
            dbc.CardBody(
                [
                    dbc.Input(
                        id=search_id,
                        type="search",
                        placeholder=t("Search by name or sector"),
                        debounce=False,
                        className="mb-2",
                    ),
                    html.Div(table, id=table_id, style={"maxHeight": "420px", "overflowY": "auto"}),
                ]
            ),
        ],
        className="h-100 shadow-sm",
    )


def unit_panel(ids: tuple[str, str], options: list[dict], detail, t) -> dbc.Row:
    """Under the floor plan: the keyboard's way to a unit (a labelled list of every unit with its
    status in words) and the details of the unit chosen there or clicked on the plan, announced
    to screen readers when they change (ids ``(unit list, details)``)."""
    unit_id, detail_id = ids
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("Unit on the plan"), html_for=unit_id, className="small mb-1"),
                    dcc.Dropdown(
                        labels=dropdown_labels(t),
                        id=unit_id,
                        options=options,
                        value=None,
                        placeholder=t("Choose a unit"),
                    ),
                ],
                xs=12,
                md=5,
                lg=4,
            ),
            dbc.Col(
                html.Div(
                    detail,
                    id=detail_id,
                    role="status",
                    className="border rounded p-2 bg-light h-100 park-unit-detail",
                    **{"aria-live": "polite", "aria-atomic": "true"},
                ),
                xs=12,
                md=7,
                lg=8,
            ),
        ],
        className="g-2 mt-1 park-unit-panel",
    )


def frame(head: list, kpis: dbc.Row, cards: dict, unit_detail: dbc.Row, tenants: dbc.Card) -> list:
    """The page below its header: KPI row, occupancy and expiries, floor plan, tenant mix and tenants.

    Args:
        head: location, stores, heading, intro and controls.
        kpis: the KPI row.
        cards: chart cards by name: ``occupancy``, ``expiries``, ``floor_plan``, ``tenant_mix``.
        unit_detail: the unit list and the chosen unit's details (:func:`unit_panel`), under the plan.
        tenants: the tenant card.
    """
    return [
        *head,
        kpis,
        dbc.Row(
            [
                dbc.Col(cards["occupancy"], lg=7, className="mb-3"),
                dbc.Col(cards["expiries"], lg=5, className="mb-3"),
            ]
        ),
        html.Div([cards["floor_plan"], unit_detail], className="mb-3"),
        dbc.Row(
            [
                dbc.Col(cards["tenant_mix"], lg=5, className="mb-3"),
                dbc.Col(tenants, lg=7, className="mb-3"),
            ]
        ),
    ]
