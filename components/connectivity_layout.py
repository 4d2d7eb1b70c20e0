"""The pieces of the connectivity page's frame: the filter controls, the KPI row, the priority
card. They only shape components; the page decides ids, filters and what goes in them."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.chart_card import source_caption, table_downloads
from components.connectivity_table import DEFAULT_SORT, priority_table
from components.kpi_card import Kpi, kpi_card
from i18n import N_, dropdown_labels, format_quarter, translator


def district_options(geos: pd.DataFrame, region: str | None) -> list[dict]:
    """The districts to choose from: those of ``region``, or all."""
    districts = geos[geos["level"] == "district"]
    if region:
        districts = districts[districts["parent_code"] == region]
    return [{"label": d.name, "value": d.code} for d in districts.itertuples()]


def controls(ids: dict[str, str], f: dict, metrics: dict, periods: list[str], geos: pd.DataFrame) -> dbc.Row:
    """The filter row: metric, period, region, district and reset, set to the filters ``f``.

    Args:
        ids: the component id of each control (``metric``, ``from``, ``to``, ``region``,
            ``district``, ``reset``).
        f: the view's filters.
        metrics: metric key -> (indicator, column, label, higher is better).
        periods: the quarters with data, oldest first.
        geos: the geographies (``code``, ``name``, ``level``, ``parent_code``) in the UI language.
    """
    t = translator(f["lang"])
    quarters = [{"label": format_quarter(p, f["lang"]), "value": p} for p in periods]
    regions = geos[geos["level"] == "region"]

    def field(label: str, control, **width) -> dbc.Col:
        return dbc.Col([dbc.Label(label, html_for=control.id, className="small mb-0"), control], **width)

    metric_options = [{"label": t(v[2]), "value": k} for k, v in metrics.items()]
    region_options = [{"label": r.name, "value": r.code} for r in regions.itertuples()]
    return dbc.Row(
        [
            field(
                t("Map metric"),
                dcc.Dropdown(
                    labels=dropdown_labels(t),
                    id=ids["metric"],
                    options=metric_options,
                    value=f["metric"],
                    clearable=False,
                ),
                xs=12,
                md=3,
            ),
            field(
                t("From"),
                dcc.Dropdown(
                    labels=dropdown_labels(t), id=ids["from"], options=quarters, value=f["from"], clearable=False
                ),
                xs=6,
                md=2,
            ),
            field(
                t("To"),
                dcc.Dropdown(labels=dropdown_labels(t), id=ids["to"], options=quarters, value=f["to"], clearable=False),
                xs=6,
                md=2,
            ),
            field(
                t("Region"),
                dcc.Dropdown(
                    labels=dropdown_labels(t),
                    id=ids["region"],
                    options=region_options,
                    value=f["region"],
                    placeholder=t("All regions"),
                ),
                xs=6,
                md=2,
            ),
            field(
                t("District"),
                dcc.Dropdown(
                    labels=dropdown_labels(t),
                    id=ids["district"],
                    options=district_options(geos, f["region"]),
                    value=f["district"],
                    placeholder=t("All districts"),
                ),
                xs=6,
                md=2,
            ),
            dbc.Col(
                dbc.Button(t("Reset"), id=ids["reset"], color="secondary", outline=True, className="w-100"),
                xs=12,
                md=1,
                className="d-flex align-items-end mt-2 mt-md-0",
            ),
        ],
        className="g-2 mb-3 conn-controls",
    )


def kpi_columns(cards: list[Kpi], lang: str) -> list[dbc.Col]:
    """The KPI cards as the columns of one row, ids ``conn-kpi-0`` … (the PDF report and tests
    find them by these ids and classes)."""
    return [
        dbc.Col(kpi_card(k, f"conn-kpi-{i}", lang), xs=12, sm=6, lg=4, xl=2, className="mb-3")
        for i, k in enumerate(cards)
    ]


PRIORITY_TITLE = N_("Where to build next: people without 4G")


def priority_card(table_id: str, subtitle_id: str, ranking: pd.DataFrame, subtitle: str, sources, lang: str):
    """The ranked list of districts with its heading (the subtitle names region, period, target)."""
    t = translator(lang)
    return dbc.Card(
        [
            dbc.CardHeader(
                html.Div(
                    [
                        html.Div(
                            [
                                html.H2(t(PRIORITY_TITLE), className="h6 mb-0"),
                                html.Div(subtitle, id=subtitle_id, className="small text-muted chart-subtitle"),
                            ],
                            className="me-2",
                        ),
                        *table_downloads(table_id, lang),
                    ],
                    className="d-flex",
                )
            ),
            dbc.CardBody(priority_table(ranking, table_id, "%", lang), id=f"{table_id}-body"),
            dcc.Store(id=f"{table_id}-sort", data=list(DEFAULT_SORT)),
            dbc.CardFooter(source_caption(sources, lang)),
        ],
        className="shadow-sm mb-3",
    )
