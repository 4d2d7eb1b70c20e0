"""Progress against targets: each target beside the series it measures."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import html

from components.chart_card import chart_card
from components.figures import line_figure
from data_loaders.queries import common
from pages._data import guarded, query

dash.register_page(
    __name__,
    path="/targets",
    name="Targets",
    title="Progress against targets",
    order=4,
    description="Each target, the trajectory needed, the projection and the status.",
)

INDICATOR = "IT.NET.USER.ZS"


@guarded
def layout(**_query) -> html.Div:
    actual = query(common.series, INDICATOR, ["TJ"])
    targets = query(common.targets)
    mine = targets[(targets["indicator_code"] == INDICATOR) & (targets["geo_code"] == "TJ")]
    fig = line_figure(actual, "period_start", "value", unit="% of population")
    fig.add_trace(
        go.Scatter(
            x=[date(int(y), 1, 1) for y in mine["year"]],
            y=mine["value"],
            mode="markers",
            name="Target (illustrative)",
            marker={"symbol": "star", "size": 14, "color": "#c2185b"},
        )
    )
    table = dbc.Table.from_dataframe(
        targets[["indicator_code", "geo_code", "year", "value", "document"]], striped=True, size="sm", className="small"
    )
    return html.Div(
        [
            html.H1("Progress against targets", className="h3"),
            dbc.Alert(
                "All targets shown are illustrative: the numeric targets of the Digital Economy Concept "
                "are not published in machine-readable form.",
                color="warning",
            ),
            chart_card(
                "targets-internet-users",
                "Individuals using the Internet against target",
                fig,
                query(common.sources, ["OWID-ITU", "DEMO-TARGETS"]),
                subtitle="Tajikistan, % of population",
            ),
            html.H2("All targets", className="h5 mt-4"),
            table,
        ]
    )
