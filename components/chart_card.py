"""One card for every chart: title, subtitle with the active filters, the chart, and a caption
that names source and licence, with a badge when any of the data is synthetic.

Every chart of every page goes through :func:`chart_card`, so exports and provenance are added
in one place.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from i18n import translator

# No plotly logo link: the app must not point users off-site. Snapshots at 2x scale.
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "toImageButtonOptions": {"scale": 2}}


def is_synthetic(sources: pd.DataFrame) -> bool:
    return bool(len(sources)) and bool((sources["kind"] == "synthetic").any())


def synthetic_badge(lang: str | None = None) -> dbc.Badge:
    return dbc.Badge(
        translator(lang)("synthetic demo data"), color="warning", text_color="dark", className="me-2 synthetic-badge"
    )


def source_caption(sources: pd.DataFrame, lang: str | None = None) -> html.Div:
    """Caption naming each source with its licence; a badge if any source is synthetic.

    Args:
        sources: rows with columns ``name``, ``licence`` and ``kind`` (one per source used).
        lang: UI language.
    """
    t = translator(lang)
    items = [f"{row.name} ({row.licence})" for row in sources.itertuples()]
    parts = [html.Span(f"{t('Source')}: " + ("; ".join(items) if items else t("none")))]
    if is_synthetic(sources):
        parts.insert(0, synthetic_badge(lang))
    return html.Div(parts, className="chart-caption small text-muted")


def chart_card(
    chart_id: str,
    title: str,
    figure: go.Figure,
    sources: pd.DataFrame,
    subtitle: str = "",
    lang: str | None = None,
) -> dbc.Card:
    """A titled card holding one chart and its source caption.

    Args:
        chart_id: the ``dcc.Graph`` id (a string or a pattern-matching dict).
        title: chart title in the UI language.
        figure: the plotly figure.
        sources: the sources of the data shown (see :func:`source_caption`).
        subtitle: the active filters, in words.
        lang: UI language.
    """
    header = [html.H2(title, className="h6 mb-0")]
    if subtitle:
        header.append(html.Div(subtitle, className="small text-muted chart-subtitle"))
    return dbc.Card(
        [
            dbc.CardHeader(header),
            dbc.CardBody(dcc.Graph(id=chart_id, figure=figure, config=GRAPH_CONFIG, className="chart")),
            dbc.CardFooter(source_caption(sources, lang)),
        ],
        className="h-100 shadow-sm chart-card",
    )
