"""The figure guard: what a browser sends is cut down to a chart this app draws, with nothing the
export browser could fetch, or refused with a reason."""

from __future__ import annotations

import base64
import copy
import json
import logging

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.utils import PlotlyJSONEncoder

from exports.figure_guard import MAX_DEPTH, FigureRefused, safe_figure
from exports.meta import MAX_SOURCES, MAX_TEXT, ExportMeta

LIMITS = {"max_points": 1000, "max_traces": 10}
IMAGE = {"source": "http://127.0.0.1:8050/x.png", "xref": "paper", "yref": "paper", "x": 0, "y": 1}


def bar(**extra) -> dict:
    return {"type": "bar", "x": ["a", "b"], "y": [1, 2], **extra}


def as_browser_sends(figure: dict) -> dict:
    """The figure as the chart menu's clientside callback sends it: JSON, arrays as plain lists."""

    def lists(value: object) -> object:
        if isinstance(value, np.ndarray):
            return value.tolist()
        if isinstance(value, dict):
            return {k: lists(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [lists(v) for v in value]
        return value

    return json.loads(json.dumps(lists(figure), cls=PlotlyJSONEncoder))


def guarded(figure: dict, **limits) -> dict:
    return safe_figure(figure, **{**LIMITS, **limits})


def test_an_ordinary_chart_keeps_its_data_and_texts():
    figure = go.Figure(
        go.Scatter(
            x=["2024-Q3", "2024-Q4"], y=[50.5, 52.0], name="Хатлон", hovertemplate="<b>%{x}</b>: %{y}<extra></extra>"
        )
    )
    figure.update_layout(yaxis_title="% of population", legend_title="Region<br>(2024)")
    result = guarded(as_browser_sends(figure.to_plotly_json()), max_points=5000)
    trace = result["data"][0]
    assert list(trace["x"]) == ["2024-Q3", "2024-Q4"] and list(trace["y"]) == [50.5, 52.0]
    assert trace["name"] == "Хатлон" and trace["hovertemplate"] == "<b>%{x}</b>: %{y}<extra></extra>"
    assert result["layout"]["yaxis"]["title"]["text"] == "% of population"
    assert result["layout"]["legend"]["title"]["text"] == "Region<br>(2024)"
    assert result["layout"]["template"]["data"]["bar"]  # the template's styling survives


def test_images_everywhere_and_animation_frames_are_dropped():
    figure = {
        "data": [bar()],
        "layout": {"images": [IMAGE], "template": {"layout": {"images": [IMAGE]}, "data": {"image": [{"z": [[1]]}]}}},
        "frames": [{"data": [bar()], "layout": {"images": [IMAGE]}}],
    }
    result = guarded(figure)
    assert "images" not in result["layout"] and "frames" not in result
    assert "images" not in result["layout"]["template"]["layout"]
    assert "image" not in result["layout"]["template"].get("data", {})


@pytest.mark.parametrize(
    "text",
    [
        "http://127.0.0.1:8050/x",
        "see HTTPS://example.org",
        "file:///etc/passwd",
        "//evil.example/x.png",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "<span style='fill:url(#x)'>t</span>",
        "javascript:alert(1)",
        "blob:null/1234",
    ],
)
def test_a_string_with_a_url_is_dropped_wherever_it_is(text, caplog):
    caplog.set_level(logging.WARNING, "dashboard")
    figure = {
        "data": [bar(name=text, hovertext=["fine", text])],
        "layout": {"title": {"text": text}, "xaxis": {"ticktext": [text, "b"], "tickvals": ["a", "b"]}},
    }
    result = guarded(figure)
    trace = result["data"][0]
    assert "name" not in trace and list(trace["hovertext"]) == ["fine", ""]  # other points keep their place
    assert "text" not in result["layout"].get("title", {})
    assert list(result["layout"]["xaxis"]["ticktext"]) == ["", "b"]
    assert "removed 4 unsafe values" in caplog.text


def test_texts_keep_plain_tags_only():
    figure = {
        "data": [bar(name="<a href='x.png'>link</a> <img src=x.png> <b>bold</b><br><i>it</i>")],
        "layout": {"title": {"text": "<span style='color:red'>red</span> <sup>2</sup>"}},
    }
    result = guarded(figure)
    assert result["data"][0]["name"] == "link  <b>bold</b><br><i>it</i>"
    assert result["layout"]["title"]["text"] == "red</span> <sup>2</sup>"  # a lone closing tag is harmless


@pytest.mark.parametrize("key", ["source", "src", "href", "geojson", "xsrc"])
def test_url_bearing_keys_are_dropped_whatever_their_value(key):
    result = guarded({"data": [bar(**{key: "x.png"})], "layout": {"mapbox": {"style": "x"}, "geo": {}}})
    assert key not in result["data"][0]
    assert "mapbox" not in result["layout"] and "geo" not in result["layout"]


def test_unknown_attributes_are_dropped_by_plotlys_schema():
    result = guarded({"data": [bar(onload="x")], "layout": {"whatever": {"a": 1}}})
    assert "onload" not in result["data"][0] and "whatever" not in result["layout"]


@pytest.mark.parametrize("kind", ["image", "choroplethmap", "scattergeo", "densitymap", "scattermapbox"])
def test_trace_types_off_the_list_are_refused(kind):
    with pytest.raises(FigureRefused, match=f"trace type '{kind}' is not exported"):
        guarded({"data": [bar(), {"type": kind}], "layout": {}})


def test_too_many_points_are_refused_counting_every_array():
    per_trace = {"x": list(range(300)), "y": list(range(300)), "customdata": [[i, i] for i in range(100)]}
    # 300 + 300 + 100 rows of 2 = 900 items per trace: one fits, two do not.
    guarded({"data": [bar(**per_trace)], "layout": {}})
    with pytest.raises(FigureRefused, match="more than 1000 array items"):
        guarded({"data": [bar(**per_trace), bar(**per_trace)], "layout": {}})
    with pytest.raises(FigureRefused, match="more than 1000 array items"):
        guarded({"data": [bar()], "layout": {"annotations": [{"text": "x"}] * 1001}})


def test_encoded_arrays_count_by_their_decoded_size():
    encoded = {"dtype": "f8", "bdata": base64.b64encode(bytes(8 * 2000)).decode()}
    with pytest.raises(FigureRefused, match="more than 1000 array items"):
        guarded({"data": [{"type": "scatter", "y": encoded}], "layout": {}})
    with pytest.raises(FigureRefused, match="unreadable encoded array"):
        guarded({"data": [{"type": "scatter", "y": {"dtype": "f8", "bdata": "not base64!"}}], "layout": {}})


def test_too_many_traces_and_broken_shapes_are_refused():
    with pytest.raises(FigureRefused, match="11 traces, more than 10"):
        guarded({"data": [bar()] * 11, "layout": {}})
    with pytest.raises(FigureRefused, match="not a list of traces"):
        guarded({"data": {"type": "bar"}, "layout": {}})
    with pytest.raises(FigureRefused, match="not an object"):
        guarded(["data"])
    deep: list = []
    for _ in range(MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(FigureRefused, match="nested deeper"):
        guarded({"data": [bar(customdata=deep)], "layout": {}})


def test_the_input_is_left_untouched():
    figure = {"data": [bar(name="http://x")], "layout": {"images": [IMAGE]}}
    before = copy.deepcopy(figure)
    guarded(figure)
    assert figure == before


def test_every_chart_the_app_builds_passes_unchanged(seeded_sqlite_url):
    """The app's own figures are far inside the limits and lose nothing but the template's geo."""
    import dash

    from app import create_app
    from config import Config
    from exports.report import collect_charts

    app = create_app(Config(database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test"))

    with app.server.test_request_context("/"):
        largest = 0
        for page in (p for p in dash.page_registry.values() if p.get("order") is not None):
            for part in collect_charts(page["layout"](lang="en")):
                figure = as_browser_sends(go.Figure(part.figure).to_plotly_json())
                result = safe_figure(figure, max_points=Config.export_max_points, max_traces=Config.export_max_traces)
                assert [t.get("type") for t in result["data"]] == [t.get("type") for t in figure["data"]]
                assert [len(t.get("x") or []) for t in result["data"]] == [
                    len(t.get("x") or []) for t in figure["data"]
                ]
                largest = max(largest, sum(len(t.get("x") or []) for t in figure["data"]))
    assert largest < Config.export_max_points / 4


def test_provenance_from_the_browser_is_cut_to_size():
    meta = ExportMeta.from_json(
        {"title": "x" * 10_000, "subtitle": "y" * 10_000, "sources": [{"name": "n" * 10_000, "licence": 1}] * 100}
    )
    assert len(meta.title) == len(meta.subtitle) == MAX_TEXT
    assert len(meta.sources) == MAX_SOURCES and meta.sources[0] == {"name": "n" * MAX_TEXT, "licence": "1"}
