"""Rural internet coverage: where people lack mobile broadband, and how fast that changes."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.chart_card import chart_card
from components.figures import line_figure
from data_loaders.queries import common, connectivity
from pages._data import guarded, query

dash.register_page(
    __name__,
    path="/connectivity",
    name="Connectivity",
    title="Rural internet coverage",
    order=1,
    description="Mobile and fixed coverage by region and district, urban-rural gap, trend.",
)

NEIGHBOURS = ["TJ", "KG", "UZ", "KZ", "AF"]


@guarded
def layout(**_query) -> html.Div:
    regions = query(common.geos, "region")
    coverage = query(connectivity.weighted_series, "TJ.MOB.4G.POP.ZS", "region").merge(
        regions[["code", "name"]], left_on="geo_code", right_on="code"
    )
    internet = query(common.series, "IT.NET.USER.ZS", NEIGHBOURS)
    return html.Div(
        [
            html.H1("Rural internet coverage", className="h3"),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card(
                            "conn-4g-by-region",
                            "Population covered by 4G, by region",
                            line_figure(coverage, "period_start", "value", color="name", unit="% of population"),
                            query(common.sources, ["DEMO-SYNTHETIC"]),
                            subtitle="Population-weighted, quarterly",
                        ),
                        lg=6,
                        className="mb-3",
                    ),
                    dbc.Col(
                        chart_card(
                            "conn-neighbours",
                            "Internet users: Tajikistan and neighbours",
                            line_figure(internet, "period_start", "value", color="geo_name", unit="% of population"),
                            query(common.sources, sorted(internet["source_code"].unique())),
                            subtitle="% of population, annual",
                        ),
                        lg=6,
                        className="mb-3",
                    ),
                ]
            ),
        ]
    )
