"""One card for every chart: title, the chart, and a caption that names source and licence."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

SYNTHETIC_NOTE = "Synthetic demo data: not real statistics."

# No plotly logo link and no "edit in chart studio": the app must not point users off-site.
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": 2}}


def source_caption(sources: pd.DataFrame) -> html.Div:
    """Caption naming each source with its licence; a badge if any source is synthetic.

    Args:
        sources: rows with columns ``name``, ``licence`` and ``kind`` (one per source used).
    """
    items = [f"{row.name} ({row.licence})" for row in sources.itertuples()]
    synthetic = bool((sources["kind"] == "synthetic").any()) if len(sources) else False
    parts = [html.Span("Source: " + "; ".join(items) if items else "Source: none")]
    if synthetic:
        parts = [
            dbc.Badge("synthetic demo data", color="warning", text_color="dark", className="me-2 synthetic-badge"),
            *parts,
        ]
    return html.Div(parts, className="chart-caption small text-muted")


def chart_card(chart_id: str, title: str, figure: go.Figure, sources: pd.DataFrame, subtitle: str = "") -> dbc.Card:
    """A titled card holding one chart and its source caption."""
    header = [html.H2(title, className="h6 mb-0")]
    if subtitle:
        header.append(html.Div(subtitle, className="small text-muted"))
    return dbc.Card(
        [
            dbc.CardHeader(header),
            dbc.CardBody(dcc.Graph(id=chart_id, figure=figure, config=GRAPH_CONFIG, className="chart")),
            dbc.CardFooter(source_caption(sources)),
        ],
        className="h-100 shadow-sm",
    )
