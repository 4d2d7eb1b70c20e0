"""A district choropleth drawn on plain cartesian axes, so it works offline.

plotly's ``geo`` traces fetch a base map from a CDN and ``choroplethmap`` needs tiles, so each
coverage unit is a ``go.Scatter(fill="toself")`` polygon coloured from a colour scale, with the
region outlines drawn over it. Trace ``i`` is ``shapes[i]``: a click's ``curveNumber`` names the
unit (see :func:`clicked_code`). Hover on a filled area shows the trace's single ``text``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from components.figures import empty_figure
from i18n import format_number, translator

# Dark = more of what the metric counts. Blues for coverage (good), oranges for people left out.
SCALE_GOOD = "Blues"
SCALE_BAD = "OrRd"
NO_DATA_FILL = "#e9ecef"
MID_LATITUDE = 38.7  # Tajikistan's middle latitude: one degree of longitude is cos(38.7°) as long


def _colour(value: float, low: float, high: float, scale: str) -> str:
    """The scale's colour for ``value`` (the light end kept visible on white)."""
    share = 0.5 if high <= low else (value - low) / (high - low)
    return sample_colorscale(scale, [0.15 + 0.85 * min(max(share, 0.0), 1.0)])[0]


def district_map(
    values: pd.DataFrame,
    shapes: Sequence,
    outlines: Sequence = (),
    *,
    unit: str = "",
    period: str = "",
    source: str = "",
    decimals: int = 1,
    higher_is_better: bool = True,
    selected: str | None = None,
    height: int = 460,
    lang: str | None = None,
) -> go.Figure:
    """The coverage units coloured by ``value``, region outlines on top, hover in the UI language.

    Args:
        values: one row per unit with columns ``geo_code``, ``name`` and ``value``.
        shapes: the unit outlines (objects with ``code``, ``x``, ``y``), in trace order.
        outlines: region outlines drawn over the units (not clickable).
        unit: the value's unit, in the UI language.
        period: the period shown, in words.
        source: the source named in the hover.
        decimals: decimals of the value in the hover.
        higher_is_better: picks the colour scale (dark blue = good, dark red = bad).
        selected: the code of the unit to outline in bold.
        height: figure height in pixels.
        lang: UI language.

    Returns:
        The figure; ``empty_figure`` when there are no values or no shapes.
    """
    t = translator(lang)
    if values.empty or not shapes:
        return empty_figure(t("No data for this selection"), height=height)
    by_code = values.set_index("geo_code")
    known = by_code["value"].dropna()
    low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
    scale = SCALE_GOOD if higher_is_better else SCALE_BAD
    fig = go.Figure()
    for shape in shapes:
        has = shape.code in by_code.index and pd.notna(by_code.at[shape.code, "value"])
        name = by_code.at[shape.code, "name"] if shape.code in by_code.index else shape.code
        shown = format_number(by_code.at[shape.code, "value"], decimals, lang) if has else t("not reported")
        text = f"<b>{name}</b><br>{shown} {unit if has else ''}<br>{period}<br>{t('Source')}: {source}"
        chosen = shape.code == selected
        fig.add_trace(
            go.Scatter(
                x=list(shape.x),
                y=list(shape.y),
                mode="lines",
                fill="toself",
                fillcolor=_colour(by_code.at[shape.code, "value"], low, high, scale) if has else NO_DATA_FILL,
                line={"color": "#212529" if chosen else "#ffffff", "width": 3 if chosen else 0.6},
                hoveron="fills",
                text=text,
                name=str(name),
                meta=shape.code,
                showlegend=False,
            )
        )
    for outline in outlines:
        fig.add_trace(
            go.Scatter(
                x=list(outline.x),
                y=list(outline.y),
                mode="lines",
                line={"color": "#495057", "width": 1.4},
                hoverinfo="skip",
                showlegend=False,
                meta=outline.code,
            )
        )
    # An invisible trace carries the colour bar (filled scatters have none of their own).
    first = shapes[0]
    fig.add_trace(
        go.Scatter(
            x=[first.label_x, first.label_x],
            y=[first.label_y, first.label_y],
            mode="markers",
            marker={
                "size": 0.1,
                "opacity": 0,
                "color": [low, high],
                "cmin": low,
                "cmax": high,
                "colorscale": [
                    [i / 10, c] for i, c in enumerate(sample_colorscale(scale, [0.15 + 0.085 * i for i in range(11)]))
                ],
                "showscale": True,
                "colorbar": {
                    "orientation": "h",
                    "y": -0.02,
                    "yanchor": "top",
                    "thickness": 12,
                    "len": 0.9,
                    "title": {"text": unit, "side": "top"},
                },
            },
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_xaxes(visible=False, fixedrange=True)
    fig.update_yaxes(
        visible=False, fixedrange=True, scaleanchor="x", scaleratio=1 / math.cos(math.radians(MID_LATITUDE))
    )
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 4, "r": 4, "t": 4, "b": 60},
        hovermode="closest",
        dragmode=False,
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13},
    )
    return fig


def clicked_code(click: dict | None, codes: Sequence[str]) -> str | None:
    """The unit a map click landed on: its ``curveNumber`` indexes ``codes`` (the trace order).

    Returns None for no click or a click on anything but a unit (outlines, colour bar).
    """
    if not click or not click.get("points"):
        return None
    curve = click["points"][0].get("curveNumber")
    if not isinstance(curve, int) or not 0 <= curve < len(codes):
        return None
    return codes[curve]
