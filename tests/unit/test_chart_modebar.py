"""The plotly modebar offers no unlabelled image and no upload off-site (issue 16)."""

from components.chart_card import GRAPH_CONFIG


def test_modebar_has_no_camera_nor_cloud_button():
    removed = set(GRAPH_CONFIG["modeBarButtonsToRemove"])
    assert {"toImage", "sendDataToCloud", "editInChartStudio"} <= removed
    assert GRAPH_CONFIG["showSendToCloud"] is False
    assert GRAPH_CONFIG["showEditInChartStudio"] is False
    assert GRAPH_CONFIG["displaylogo"] is False
