"""IT-sector growth: companies by subsector from the registry, and the real high-tech exports proxy."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.chart_card import chart_card
from components.figures import bar_figure, line_figure
from data_loaders.queries import common, it_sector
from pages._data import guarded, query

dash.register_page(
    __name__,
    path="/it-sector",
    name="IT sector",
    title="IT-sector growth",
    order=2,
    description="Companies, jobs, revenue and exports by subsector and region.",
)


@guarded
def layout(**_query) -> html.Div:
    companies = query(it_sector.active_companies, 2015, date.today().year - 1)
    exports = query(common.series, "TX.VAL.TECH.CD", ["TJ"])
    return html.Div(
        [
            html.H1("IT-sector growth", className="h3"),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card(
                            "it-active-companies",
                            "Active IT companies by subsector",
                            bar_figure(companies, "year", "companies", color="subsector", unit="companies"),
                            query(common.sources, ["DEMO-SYNTHETIC"]),
                            subtitle="At each year end",
                        ),
                        lg=7,
                        className="mb-3",
                    ),
                    dbc.Col(
                        chart_card(
                            "it-hightech-exports",
                            "High-technology exports (proxy)",
                            line_figure(exports, "period_start", "value", unit="current US$", decimals=0),
                            query(common.sources, ["WB-WDI"]),
                            subtitle="Tajikistan, goods only",
                        ),
                        lg=5,
                        className="mb-3",
                    ),
                ]
            ),
        ]
    )
