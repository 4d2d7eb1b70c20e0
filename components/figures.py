"""Pure figure builders (a DataFrame in, a plotly figure out) and the one small template they share.

Every figure carries its template inside its JSON; plotly's ``plotly_white`` is 7 KB, 86 % of a
small chart's bytes. :data:`TEMPLATE` (``"dashboard"``) keeps only what the app's bar and scatter
charts use, with plotly_white's values, so charts and their exports look the same; it is also
plotly's default here, so a figure that names no template (the KPI sparklines) gets it too.

The builders below make their figures from plain dicts with plotly's validation off: about ten
times faster than ``plotly.express`` on a callback's hot path. A figure built without validation
stays so: update it with full property paths (``yaxis={"title": {"text": ...}}``), not with
``yaxis_title=``, which it would store as a bare string that plotly.js 3 ignores.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# The Okabe–Ito colours, safe for colour-blind readers (issue 17), set here once: the template's
# colorway and every builder's categories. Ordered so the first ones differ most (blue, orange,
# green, vermillion) and thin lines stay visible on white (yellow, 1.2:1 on white, last).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
# A second cue for lines that share an axis: series i gets DASHES[i] and SYMBOLS[i] (cycled), so
# no two of the first six differ by colour alone.
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "triangle-down", "star", "cross"]
NO_DATA = "No data for this selection"
# Below the plot, at the foot of the whole figure (``yref="container"``): plotly then keeps the
# legend's height free of axis titles and tick labels. Placed at ``y=-0.15`` of the plot instead,
# it covered the x tick labels wherever they needed more room (turned years on a phone).
LEGEND_BELOW = {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0}
# Characters per line of a wrapped axis title: a y title runs along the plot's height, which on a
# phone can be under 200 px once the legend is placed; an x title along a narrow plot's width.
TITLE_CHARS = 18


def wrap(text: str, width: int = TITLE_CHARS) -> str:
    """``text`` in lines of at most ``width`` characters, joined with plotly's ``<br>``: plotly
    never wraps a title, a label or a note, so a long Tajik or Russian one was cut at a phone's
    edge. A single word longer than ``width`` stays whole."""
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(lines) if lines else text


TEMPLATE = "dashboard"
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}

_INK, _GRID = "#2a3f5f", "#EBF0F8"  # plotly_white's text and grid colours
_AXIS = {
    # plain grouped numbers: no SI suffixes ("5B", "50M", "10k") that tg and ru readers do not use;
    # the digit grouping and decimal sign come from the plotly.js locale of the UI language
    "exponentformat": "none",
    "gridcolor": _GRID,
    "linecolor": _GRID,
    "ticks": "",
    "title": {"standoff": 15},
    "zerolinecolor": _GRID,
    "zerolinewidth": 2,
    "automargin": True,
}
pio.templates[TEMPLATE] = go.layout.Template(
    layout={
        "autotypenumbers": "strict",
        "colorway": PALETTE,
        "font": {"color": _INK},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "shapedefaults": {"line": {"color": _INK}},
        "annotationdefaults": {"arrowcolor": _INK, "arrowhead": 0, "arrowwidth": 1},
        "title": {"x": 0.05},
    },
    data={
        "bar": [
            {
                "error_x": {"color": _INK},
                "error_y": {"color": _INK},
                "marker": {"line": {"color": "white", "width": 0.5}},
            }
        ]
    },
)
pio.templates.default = TEMPLATE
# The template as JSON, for figures built without validation (they do not resolve a name).
TEMPLATE_JSON = pio.templates[TEMPLATE].to_plotly_json()


def series_style(i: int, width: float | None = None) -> dict:
    """The look of categorical series ``i``: palette colour, dash and marker symbol (a line and a
    marker dict for a scatter trace; ``line.width`` only when given)."""
    line = {"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)]}
    if width is not None:
        line["width"] = width
    return {"line": line, "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "color": PALETTE[i % len(PALETTE)]}}


def _layout(unit: str, height: int) -> dict:
    """The look every chart shares: legend below, unit on the y axis, the app's font."""
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": {**LEGEND_BELOW},
        "yaxis": {"title": {"text": wrap(unit)}},
        "hovermode": "x unified",
        "font": FONT,
    }


def _style(fig: go.Figure, unit: str, height: int) -> go.Figure:
    """The shared template and look on a (validated) figure built elsewhere."""
    return fig.update_layout(template=TEMPLATE, **_layout(unit, height))


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts, unvalidated, with the shared template."""
    return go.Figure({"data": traces, "layout": {"template": TEMPLATE_JSON, **layout}}, _validate=False)


def _values(column: pd.Series):
    """A column as an array for a trace; dates as ``YYYY-MM-DD`` (a third of a timestamp's bytes)."""
    if column.dtype.kind == "M":
        return np.datetime_as_string(column.to_numpy(), unit="D")
    return column.to_numpy()


def _groups(frame: pd.DataFrame, color: str | None) -> list[tuple[str, pd.DataFrame]]:
    """One part per ``color`` value in order of first appearance (``plotly.express``'s order)."""
    if color is None:
        return [("", frame)]
    return [(str(name), part) for name, part in frame.groupby(color, sort=False)]


def empty_figure(message: str = NO_DATA, height: int = 320) -> go.Figure:
    """A figure that says there is nothing to show, instead of empty axes."""
    text = {"size": 15, "color": "#6c757d"}
    note = {
        "text": wrap(message, 36),
        "showarrow": False,
        "font": text,
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
    }
    layout = _layout("", height)
    layout.update(annotations=[note], xaxis={"visible": False}, yaxis={"visible": False, "title": {"text": ""}})
    return _figure([], layout)


def line_figure(
    frame: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    unit: str = "",
    height: int = 320,
    decimals: int = 1,
    label: str | None = "period",
) -> go.Figure:
    """Lines over time, one per ``color`` group; the unit on the y axis and in the hover.

    ``x`` should be a date column (``period_start``) so that gaps and uneven years are drawn to
    scale; ``label`` is the column shown in the hover (the period code, e.g. ``2024-Q3``).
    """
    if frame.empty:
        return empty_figure(height=height)
    custom = label if label and label in frame.columns else None
    when = "%{customdata[0]}" if custom else "%{x}"
    hover = f"{when}: %{{y:,.{decimals}f}} {unit}<extra>%{{fullData.name}}</extra>"
    traces = []
    for i, (name, part) in enumerate(_groups(frame, color)):
        trace = {
            "type": "scatter",
            "mode": "lines+markers",
            "x": _values(part[x]),
            "y": part[y].to_numpy(dtype=float, na_value=float("nan")),
            "name": name,
            "legendgroup": name,
            "showlegend": color is not None,
            **series_style(i),
            "hovertemplate": hover,
        }
        if custom:
            trace["customdata"] = part[[custom]].to_numpy()
        traces.append(trace)
    return _figure(traces, {**_layout(unit, height), "hovermode": "closest"})


def bar_figure(
    frame: pd.DataFrame,
    x: str,
    y: str,
    color: str | None = None,
    unit: str = "",
    height: int = 320,
    decimals: int = 0,
    stacked: bool = True,
) -> go.Figure:
    """Bars per ``x``, stacked by ``color`` group."""
    if frame.empty:
        return empty_figure(height=height)
    hover = f"%{{y:,.{decimals}f}} {unit}<extra>%{{fullData.name}}</extra>"
    traces = [
        {
            "type": "bar",
            "x": _values(part[x]),
            "y": part[y].to_numpy(dtype=float, na_value=float("nan")),
            "name": name,
            "legendgroup": name,
            "showlegend": color is not None,
            "marker": {"color": PALETTE[i % len(PALETTE)]},
            "hovertemplate": hover,
        }
        for i, (name, part) in enumerate(_groups(frame, color))
    ]
    return _figure(traces, {**_layout(unit, height), "barmode": "stack" if stacked else "group"})
