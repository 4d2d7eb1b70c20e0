"""Figures of the connectivity view: pure builders, a DataFrame in and a plotly figure out.

Kept apart from the page so each can be tested without a browser or a database: the profile of
a place against its region and the country, the technology mix, urban against rural, and the
neighbour benchmark with its known series breaks drawn on the chart rather than hidden.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.figures import (
    DASHES,
    LEGEND_BELOW,
    PALETTE,
    SYMBOLS,
    TEMPLATE,
    empty_figure,
    line_figure,
    series_style,
    wrap,
)
from i18n import translator

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


@dataclass(frozen=True)
class SeriesBreak:
    """A known break in a published series, annotated between two years on the chart."""

    indicator_code: str
    geo_code: str
    before: int  # last year of the old basis
    after: int  # first year of the new basis
    note: str  # already in the UI language


def comparison_figure(frame: pd.DataFrame, unit: str, decimals: int = 1, lang: str | None = None) -> go.Figure:
    """One line per place (a district, its region, the country) over time.

    Args:
        frame: columns ``label`` (the place's name), ``period``, ``period_start``, ``value``.
        unit: the unit on the y axis, in the UI language.
        decimals: decimals in the hover.
        lang: UI language (for the empty message).
    """
    if frame.empty:
        return empty_figure(translator(lang)("No data for this selection"))
    return line_figure(frame, "period_start", "value", color="label", unit=unit, decimals=decimals)


def technology_mix_figure(
    frame: pd.DataFrame, names: Mapping[str, str], unit: str, lang: str | None = None
) -> go.Figure:
    """Population covered by 2G/3G/4G/5G (each "or better") over time, one line per technology.

    Args:
        frame: columns ``indicator_code``, ``period``, ``period_start``, ``value``.
        names: display name of each indicator code (e.g. ``"4G"``), in legend order.
        unit: the unit on the y axis.
        lang: UI language.
    """
    if frame.empty:
        return empty_figure(translator(lang)("No data for this selection"))
    order = {code: i for i, code in enumerate(names)}
    data = frame.assign(technology=frame["indicator_code"].map(names), _order=frame["indicator_code"].map(order))
    data = data.sort_values(["_order", "period_start"])
    fig = line_figure(data, "period_start", "value", color="technology", unit=unit)
    return fig.update_yaxes(range=[0, 102])


def urban_rural_figure(frame: pd.DataFrame, unit: str, lang: str | None = None) -> go.Figure:
    """Urban against rural over time: colour and marker by area, dash by measure.

    Args:
        frame: columns ``measure`` (e.g. "4G coverage"), ``area`` ("Urban"/"Rural"), ``period``,
            ``period_start``, ``value``; labels already in the UI language.
        unit: the unit on the y axis.
        lang: UI language.
    """
    if frame.empty:
        return empty_figure(translator(lang)("No data for this selection"))
    fig = go.Figure()
    areas = list(dict.fromkeys(frame["area"]))
    measures = list(dict.fromkeys(frame["measure"]))
    for (measure, area), part in frame.sort_values("period_start").groupby(["measure", "area"], sort=False):
        fig.add_trace(
            go.Scatter(
                x=part["period_start"],
                y=part["value"],
                customdata=part[["period"]],
                mode="lines+markers",
                name=f"{measure}: {area}",
                line={
                    "color": PALETTE[areas.index(area) % len(PALETTE)],
                    "dash": DASHES[2 * measures.index(measure) % len(DASHES)],
                },
                marker={"size": 6, "symbol": SYMBOLS[areas.index(area) % len(SYMBOLS)]},
                hovertemplate=f"%{{customdata[0]}}: %{{y:,.1f}} {unit}<extra>%{{fullData.name}}</extra>",
            )
        )
    fig.update_layout(
        template=TEMPLATE,
        height=320,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={**LEGEND_BELOW},
        yaxis_title=wrap(unit),
        yaxis_range=[0, 102],
        hovermode="closest",
        font=FONT,
    )
    return fig


def benchmark_figure(
    frame: pd.DataFrame,
    titles: Mapping[str, str],
    breaks: Sequence[SeriesBreak] = (),
    highlight: str = "TJ",
    lang: str | None = None,
) -> go.Figure:
    """Tajikistan against its neighbours on several indicators, one panel each, breaks marked.

    Args:
        frame: columns ``indicator_code``, ``geo_code``, ``geo_name``, ``period``,
            ``period_start``, ``value``.
        titles: panel title (indicator name and unit) per indicator code, in panel order.
        breaks: known series breaks; each is shaded between its two years on its panel and
            labelled, so a jump is read as a change of basis, not of reality.
        highlight: the geo drawn thick (Tajikistan).
        lang: UI language.
    """
    if frame.empty:
        return empty_figure(translator(lang)("No data for this selection"))
    codes = [code for code in titles if code in set(frame["indicator_code"])]
    fig = make_subplots(
        rows=len(codes),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        subplot_titles=[wrap(titles[c], 40) for c in codes],
    )
    geos = list(dict.fromkeys(frame.sort_values("geo_code", key=lambda s: s != highlight)["geo_code"]))
    for row, code in enumerate(codes, start=1):
        part = frame[frame["indicator_code"] == code]
        for geo in geos:
            line = part[part["geo_code"] == geo].sort_values("period_start")
            if line.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=line["period_start"],
                    y=line["value"],
                    customdata=line[["period"]],
                    mode="lines",
                    name=line["geo_name"].iloc[0],
                    legendgroup=geo,
                    showlegend=row == 1,
                    line=series_style(geos.index(geo), 3.5 if geo == highlight else 1.6)["line"],
                    hovertemplate="%{customdata[0]}: %{y:,.2f}<extra>%{fullData.name}</extra>",
                ),
                row=row,
                col=1,
            )
        for item in breaks:
            if item.indicator_code != code:
                continue
            fig.add_vrect(
                x0=f"{item.before}-07-01",
                x1=f"{item.after}-07-01",
                fillcolor="#ffc107",
                opacity=0.25,
                line_width=0,
                row=row,
                col=1,
            )
            axis = "" if row == 1 else str(row)
            fig.add_annotation(  # to the left of the shading, so narrow screens do not clip it
                x=f"{item.before}-07-01",
                y=1,
                xref=f"x{axis}",
                yref=f"y{axis} domain",
                text=item.note,
                showarrow=False,
                xanchor="right",
                yanchor="top",
                font={"size": 11, "color": "#7a5a00"},
                bgcolor="rgba(255,255,255,0.8)",
            )
    fig.update_layout(
        template=TEMPLATE,
        height=240 * len(codes) + 60,
        # room above the first panel's title for the toolbar, which a phone shows at all times
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={**LEGEND_BELOW},
        hovermode="closest",
        font=FONT,
    )
    fig.update_annotations(font_size=12, selector={"showarrow": False, "xref": "paper"})
    return fig
