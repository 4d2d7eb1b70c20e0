"""Pure figure builders: a DataFrame in, a plotly figure out. No database, no global state."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

PALETTE = ["#1f5fa8", "#e07b00", "#2a9d8f", "#c2185b", "#6d4c9f", "#7f8c8d", "#b8860b"]
NO_DATA = "No data for this selection"


def _style(fig: go.Figure, unit: str, height: int) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0, "title": None},
        yaxis_title=unit,
        xaxis_title=None,
        hovermode="x unified",
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
    )
    return fig


def empty_figure(message: str = NO_DATA, height: int = 320) -> go.Figure:
    """A figure that says there is nothing to show, instead of empty axes."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, showarrow=False, font={"size": 15, "color": "#6c757d"}, x=0.5, y=0.5, xref="paper", yref="paper"
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, "", height)


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
    custom = [label] if label and label in frame.columns else None
    fig = px.line(frame, x=x, y=y, color=color, markers=True, color_discrete_sequence=PALETTE, custom_data=custom)
    when = "%{customdata[0]}" if custom else "%{x}"
    fig.update_traces(hovertemplate=f"{when}: %{{y:,.{decimals}f}} {unit}<extra>%{{fullData.name}}</extra>")
    return _style(fig, unit, height).update_layout(hovermode="closest")


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
    fig = px.bar(frame, x=x, y=y, color=color, barmode="stack" if stacked else "group", color_discrete_sequence=PALETTE)
    fig.update_traces(hovertemplate=f"%{{y:,.{decimals}f}} {unit}<extra>%{{fullData.name}}</extra>")
    return _style(fig, unit, height)
