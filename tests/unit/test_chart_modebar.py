"""The plotly modebar offers no unlabelled image and no upload off-site (issue 16)."""

import pandas as pd
import plotly.graph_objects as go

from components.chart_card import GRAPH_CONFIG, chart_card


def test_modebar_has_no_camera_nor_cloud_button():
    removed = set(GRAPH_CONFIG["modeBarButtonsToRemove"])
    assert {"toImage", "sendDataToCloud", "editInChartStudio"} <= removed
    assert GRAPH_CONFIG["showSendToCloud"] is False
    assert GRAPH_CONFIG["showEditInChartStudio"] is False
    assert GRAPH_CONFIG["displaylogo"] is False


def _graphs(component):
    """Every ``dcc.Graph`` in a Dash component tree."""
    if getattr(component, "_type", None) == "Graph":
        yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and hasattr(child, "_type"):
            yield from _graphs(child)


def test_every_chart_card_uses_the_config():
    sources = pd.DataFrame({"name": ["A"], "licence": ["CC BY 4.0"], "kind": ["official"]})
    card = chart_card("some-chart", "Title", go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), sources, lang="en")
    graphs = list(_graphs(card))
    assert len(graphs) == 1
    assert "toImage" in graphs[0].config["modeBarButtonsToRemove"]
