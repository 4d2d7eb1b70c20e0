"""A district choropleth drawn on plain cartesian axes, so it works offline.

plotly's ``geo`` traces fetch a base map from a CDN and ``choroplethmap`` needs WebGL (tiles
too, unless its style is ``white-bg``), so each coverage unit is a ``scatter`` polygon
(``fill="toself"``) coloured from a colour scale, with the region outlines drawn over it. Trace
``i`` is ``shapes[i]``: a click's ``curveNumber`` names the unit (see :func:`clicked_code`).

The figure is a plain dict (no validation: 65 traces) in two parts: the geometry, sent once with
the page, and the :func:`map_paint` (colours, hover texts, colour bar, "no data" note), which is
all a metric or period change sends, as a :func:`paint_patch`. The selected unit's bold outline is
set in the browser (``assets/connectivity.js``), from the trace's ``meta``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import pandas as pd
from dash import Patch
from plotly.colors import sample_colorscale

from components.chart_summary import extremes_summary
from i18n import format_number, translator

# Dark = more of what the metric counts. Blues for coverage (good), oranges for people left out.
SCALE_GOOD = "Blues"
SCALE_BAD = "OrRd"
NO_DATA_FILL = "#e9ecef"
MID_LATITUDE = 38.7  # Tajikistan's middle latitude: one degree of longitude is cos(38.7°) as long
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}
STEPS = 200  # colours of a scale: finer than the eye tells apart on a map
LINE, SELECTED_LINE = {"color": "#ffffff", "width": 0.6}, {"color": "#212529", "width": 3}


@cache
def _steps(scale: str) -> tuple[str, ...]:
    """The scale sampled in :data:`STEPS` + 1 colours, its light end kept visible on white
    (sampling per value costs more than the rest of the map's paint)."""
    return tuple(sample_colorscale(scale, [0.15 + 0.85 * i / STEPS for i in range(STEPS + 1)]))


def _colours(values: list[float | None], low: float, high: float, scale: str) -> list[str]:
    """The scale's colour for each value, grey for none."""
    steps = _steps(scale)

    def share(v: float) -> float:
        return 0.5 if high <= low else min(max((v - low) / (high - low), 0.0), 1.0)

    return [NO_DATA_FILL if v is None else steps[round(share(v) * STEPS)] for v in values]


def map_paint(
    values: pd.DataFrame,
    shapes: Sequence,
    *,
    unit: str = "",
    period: str = "",
    source: str = "",
    decimals: int = 1,
    higher_is_better: bool = True,
    lang: str | None = None,
) -> dict:
    """What the map shows of ``values``: one fill colour and hover text per shape, the colour bar
    and the "no data" note (empty when any unit has a value).

    Args:
        values: one row per unit with columns ``geo_code``, ``name`` and ``value``.
        shapes: the unit outlines (objects with ``code``), in trace order.
        unit, period, source: the value's unit, the period and the source, in words (the hover).
        decimals: decimals of the value in the hover.
        higher_is_better: picks the colour scale (dark blue = good, dark red = bad).
        lang: UI language.

    Returns:
        ``{"fills", "texts", "names", "values", "colorbar", "note", "summary"}``: ``values`` the
        value of each shape (None for none), which the "Show as table" view lists, and
        ``summary`` the sentence under the map (highest and lowest unit).
    """
    t = translator(lang)
    rows = {} if values.empty else values.set_index("geo_code")[["name", "value"]].to_dict("index")
    shown = [rows.get(s.code, {}).get("value") for s in shapes]
    shown = [None if v is None or pd.isna(v) else float(v) for v in shown]
    known = [v for v in shown if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    scale = SCALE_GOOD if higher_is_better else SCALE_BAD
    names = [str(rows.get(s.code, {}).get("name", s.code)) for s in shapes]
    texts = [
        f"<b>{name}</b><br>"
        + (f"{format_number(v, decimals, lang)} {unit}" if v is not None else f"{t('not reported')} ")
        + f"<br>{period}<br>{t('Source')}: {source}"
        for name, v in zip(names, shown, strict=True)
    ]
    steps = _steps(scale)[:: STEPS // 10]
    colorbar = {
        "color": [low, high],
        "cmin": low,
        "cmax": high,
        "colorscale": [[i / 10, c] for i, c in enumerate(steps)],
        "showscale": bool(known),
        "colorbar": {
            "orientation": "h",
            "y": -0.02,
            "yanchor": "top",
            "thickness": 12,
            "len": 0.9,
            "title": {"text": unit, "side": "top"},
        },
    }
    note = "" if known else t("No data for this selection")
    return {
        "fills": _colours(shown, low, high, scale),
        "texts": texts,
        "names": names,
        "values": shown,
        "colorbar": colorbar,
        "note": note,
        "summary": extremes_summary(list(zip(names, shown, strict=True)), unit, decimals, lang),
    }


def _annotations(note: str) -> list[dict]:
    if not note:
        return []
    font = {"size": 15, "color": "#6c757d"}
    return [{"text": note, "showarrow": False, "font": font, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}]


def district_map(
    paint: dict, shapes: Sequence, outlines: Sequence = (), *, selected: str | None = None, height: int = 460
) -> dict:
    """The coverage units painted with ``paint`` (see :func:`map_paint`), region outlines on top.

    Args:
        paint: the colours, texts and colour bar of the view.
        shapes: the unit outlines (objects with ``code``, ``x``, ``y``, ``label_x``, ``label_y``),
            in trace order; at least one.
        outlines: region outlines drawn over the units (not clickable).
        selected: the code of the unit to outline in bold.
        height: figure height in pixels.

    Returns:
        The figure as a plain dict: ``len(shapes)`` units, the outlines, then the colour bar.
    """
    units = [
        {
            "type": "scatter",
            "x": list(shape.x),
            "y": list(shape.y),
            "mode": "lines",
            "fill": "toself",
            "fillcolor": fill,
            "line": SELECTED_LINE if shape.code == selected else LINE,
            "hoveron": "fills",
            "text": text,
            "name": name,
            "meta": shape.code,
            "customdata": [value],  # the unit's value, for the table view (assets/06_charts.js)
            "showlegend": False,
        }
        for shape, fill, text, name, value in zip(
            shapes, paint["fills"], paint["texts"], paint["names"], paint["values"], strict=True
        )
    ]
    borders = [
        {
            "type": "scatter",
            "x": list(outline.x),
            "y": list(outline.y),
            "mode": "lines",
            "line": {"color": "#495057", "width": 1.4},
            "hoverinfo": "skip",
            "showlegend": False,
            "meta": outline.code,
        }
        for outline in outlines
    ]
    # An invisible trace carries the colour bar (filled scatters have none of their own).
    first = shapes[0]
    bar = {
        "type": "scatter",
        "x": [first.label_x, first.label_x],
        "y": [first.label_y, first.label_y],
        "mode": "markers",
        "marker": {"size": 0.1, "opacity": 0, **paint["colorbar"]},
        "hoverinfo": "skip",
        "showlegend": False,
    }
    axis = {"visible": False, "fixedrange": True}
    layout = {
        "height": height,
        "margin": {"l": 4, "r": 4, "t": 4, "b": 60},
        "hovermode": "closest",
        "dragmode": False,
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": axis,
        "yaxis": {**axis, "scaleanchor": "x", "scaleratio": 1 / math.cos(math.radians(MID_LATITUDE))},
        "annotations": _annotations(paint["note"]),
    }
    return {"data": [*units, *borders, bar], "layout": layout}


def paint_patch(paint: dict, bar_index: int) -> Patch:
    """The change from one view's paint to another's, for the figure :func:`district_map` drew
    (``bar_index``: the colour bar trace, after the units and the outlines)."""
    patch = Patch()
    for i, (fill, text, value) in enumerate(zip(paint["fills"], paint["texts"], paint["values"], strict=True)):
        patch["data"][i]["fillcolor"] = fill
        patch["data"][i]["text"] = text
        patch["data"][i]["customdata"] = [value]
    patch["data"][bar_index]["marker"].update(paint["colorbar"])
    patch["layout"]["annotations"] = _annotations(paint["note"])
    return patch


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
