"""Small responses: callbacks answered compressed when the client accepts it, and figures carrying
the small shared template instead of a full copy of plotly_white."""

from __future__ import annotations

import gzip
import json

import brotli
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from app import create_app
from components.figures import PALETTE, TEMPLATE, bar_figure, empty_figure, line_figure
from config import Config

ROUTER = "_pages_content"  # Dash's page router: a real callback whatever the pages look like
TEMPLATE_BYTES = 1_200  # the shared template's JSON; plotly_white's is about 7,100


@pytest.fixture(scope="module")
def client(seeded_sqlite_url):
    app = create_app(Config(database_url=seeded_sqlite_url, seed_on_start=False, secret_key="t", default_language="en"))
    return app.server.test_client()


def _router_request(client, path: str) -> dict:
    """The body the browser sends to render ``path``, built from /_dash-dependencies."""
    dependency = next(d for d in client.get("/_dash-dependencies").get_json() if ROUTER in d["output"])
    outputs = [
        dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
        for part in dependency["output"].strip(".").split("...")
    ]
    values = {"pathname": path, "search": "?lang=en"}
    inputs = [{**spec, "value": values.get(spec["property"])} for spec in dependency["inputs"]]
    return {
        "output": dependency["output"],
        "outputs": outputs,
        "inputs": inputs,
        "state": [{**spec, "value": None} for spec in dependency["state"]],
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }


@pytest.mark.parametrize(("encoding", "decompress"), [("gzip", gzip.decompress), ("br", brotli.decompress)])
def test_a_callback_answer_is_compressed_when_the_client_accepts_it(client, encoding, decompress):
    body = _router_request(client, "/data")
    plain = client.post("/_dash-update-component", json=body)
    packed = client.post("/_dash-update-component", json=body, headers={"Accept-Encoding": encoding})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert json.loads(decompress(packed.data)) == plain.get_json()
    assert len(packed.data) * 4 < len(plain.data)  # JSON of a page shrinks far more than 4x
    assert "Content-Security-Policy" in packed.headers and packed.headers["X-Content-Type-Options"] == "nosniff"


def test_a_figure_carries_the_small_template_not_plotly_white():
    frame = pd.DataFrame(
        {
            "period_start": pd.date_range("2021-01-01", periods=13, freq="QS"),
            "period": [f"P{i}" for i in range(13)],
            "value": [float(i) for i in range(13)],
        }
    )
    white = len(json.dumps(pio.templates["plotly_white"].to_plotly_json()))
    for fig in (
        line_figure(frame, "period_start", "value", unit="%"),
        bar_figure(frame, "period", "value"),
        empty_figure(),
    ):
        layout = json.loads(pio.to_json(fig))["layout"]
        assert len(json.dumps(layout["template"])) < TEMPLATE_BYTES < white / 5
    # 13 points: the whole figure is smaller than plotly_white's template alone was
    assert len(pio.to_json(line_figure(frame, "period_start", "value", unit="%"))) < white / 2


def test_figures_built_elsewhere_get_the_small_template_by_default():
    """A figure that names no template (e.g. a KPI sparkline) gets the shared one, not plotly's 8 KB."""
    assert pio.templates.default == TEMPLATE
    assert len(json.dumps(go.Figure(go.Scatter(y=[1, 2])).to_plotly_json()["layout"]["template"])) < TEMPLATE_BYTES


def test_the_small_template_keeps_plotly_whites_look():
    """Every value the shared template sets is plotly_white's, so charts and exports look the same,
    but for the colour-blind-safe colorway and the plain axis numbers (issue 17)."""
    white = pio.templates["plotly_white"].to_plotly_json()
    small = pio.templates[TEMPLATE].to_plotly_json()
    for key, value in small["layout"].items():
        if key == "colorway":
            assert value == PALETTE
        elif key in ("xaxis", "yaxis"):
            assert value == {**white["layout"][key], "exponentformat": "none"}, key
        else:
            assert white["layout"][key] == value, key
    assert small["data"]["bar"][0]["marker"]["line"] == white["data"]["bar"][0]["marker"]["line"]


def test_unvalidated_figures_keep_their_titles_in_plotly_js_form():
    """Built without validation, the builders still write titles as ``{"text": ...}`` (plotly.js 3
    ignores a bare string) and the template as JSON, not as a name the browser cannot resolve."""
    frame = pd.DataFrame({"x": ["a", "b"], "y": [1.0, 2.0], "g": ["one", "two"]})
    layout = json.loads(pio.to_json(bar_figure(frame, "x", "y", color="g", unit="companies")))["layout"]
    assert layout["yaxis"]["title"] == {"text": "companies"}
    assert isinstance(layout["template"], dict) and layout["template"]["layout"]["plot_bgcolor"] == "white"
