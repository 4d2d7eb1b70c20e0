"""The plotly modebar offers no unlabelled image and no upload off-site (issue 16)."""

import pandas as pd
import plotly.graph_objects as go

from components.chart_card import GRAPH_CONFIG, MODEBAR_KEPT, chart_card


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


# plotly.js's buttons for a 2D cartesian chart (src/components/modebar/manage.js) and its camera
CARTESIAN = {
    *("toImage", "zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"),
    *("resetScale2d", "hoverClosestCartesian", "hoverCompareCartesian", "toggleSpikelines"),
}


def test_modebar_keeps_zoom_pan_and_reset_only():
    """Every other button was one more Tab stop on every chart (issue 17)."""
    removed = set(GRAPH_CONFIG["modeBarButtonsToRemove"])
    assert CARTESIAN - removed == set(MODEBAR_KEPT) == {"zoom2d", "pan2d", "resetScale2d"}
    assert not removed & set(MODEBAR_KEPT)


def test_the_graph_sits_in_a_focusable_named_figure():
    sources = pd.DataFrame({"name": ["A"], "licence": ["CC BY 4.0"], "kind": ["official"]})
    card = chart_card("some-chart", "Title", go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), sources, lang="en")
    body = card.children[1].children
    wrapper = body[0]
    assert wrapper.children._type == "Graph"
    props = wrapper.to_plotly_json()["props"]
    assert props["role"] == "figure" and props["tabIndex"] == "0" and props["className"] == "chart-figure"
    assert props["aria-labelledby"] == "some-chart-title" and props["data-exp-chart"] == "some-chart"
