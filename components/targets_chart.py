"""Pure builders of the targets page: one small chart per target, and the summary table.

Each chart shows the observed series, the path needed from the baseline to each target, the
linear projection of the recent trend (``metrics.status``) and the targets as stars; the table
gives each target's status (ESCAP method, ``metrics.anticipated_progress``) beside the projection.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html

from components.chart_summary import MODEL, TARGET
from components.figures import LEGEND_BELOW, PALETTE, _style, empty_figure
from components.kpi_card import METHOD_LABELS, status_badge
from i18n import format_number, format_quarter, translator
from metrics.kpis import clip
from metrics.status import NO_DATA, Progress, decimal_year, from_decimal_year, trajectory

BASELINE_YEAR = 2019  # the Digital Economy Concept was adopted on 30.12.2019
# observed solid blue, needed dashed grey, projection dotted orange, targets vermillion stars
TARGET_COLOR, PATH_COLOR, TREND_COLOR = PALETTE[3], "#6c757d", PALETTE[1]


def baseline_of(series: pd.DataFrame) -> tuple[float, float] | None:
    """The last value of :data:`BASELINE_YEAR` or before; the first value when the series starts later."""
    series = series.dropna(subset=["value"])
    if series.empty:
        return None
    before = series[[d.year <= BASELINE_YEAR for d in series["period_end"]]]
    row = (before if len(before) else series).iloc[-1 if len(before) else 0]
    return decimal_year(row["period_end"]), float(row["value"])


def target_figure(
    series: pd.DataFrame,
    targets: pd.DataFrame,
    progress: Progress,
    unit: str,
    decimals: int = 1,
    lang: str | None = None,
    height: int = 300,  # room for the four-line legend a phone gives it
    bounds: tuple[float | None, float | None] = (None, None),
) -> go.Figure:
    """Observed values, the trajectory needed, the trend projection (kept within ``bounds``: a
    share is never drawn above 100 %) and the targets; years on the time axis.

    Args:
        series: columns period, period_end, value, oldest first.
        targets: rows with year and value (this indicator and geo).
        progress: the assessment of the target the projection runs to.
        unit: the y-axis unit.
        decimals: decimals in the hover.
        lang: UI language (trace names).
        height: pixel height.
        bounds: the values the indicator can take (low, high); None for no bound.

    Returns:
        The figure; a figure saying "No data yet" when nothing has been observed.
    """
    t = translator(lang)
    series = series.dropna(subset=["value"])
    if series.empty:
        return empty_figure(t("No data yet: the target is listed in the table."), height=height)
    fmt = f"%{{y:,.{decimals}f}} {unit}"
    fig = go.Figure()
    if len(series):
        fig.add_trace(
            go.Scatter(
                x=list(series["period_end"]),
                y=list(series["value"]),
                mode="lines+markers",
                name=t("Observed"),
                line={"color": PALETTE[0]},
                marker={"size": 4},
                hovertemplate=f"%{{x|%Y-%m-%d}}: {fmt}<extra></extra>",
            )
        )
    base = baseline_of(series)
    if base is not None and len(targets):
        path = trajectory(base, list(zip(targets["year"].astype(int), targets["value"].astype(float), strict=True)))
        fig.add_trace(
            go.Scatter(
                x=[from_decimal_year(p[0]) for p in path],
                y=[p[1] for p in path],
                mode="lines",
                name=t("Needed"),
                meta=MODEL,
                line={"color": PATH_COLOR, "dash": "dash"},
                hovertemplate=f"{fmt}<extra>{t('Needed')}</extra>",
            )
        )
    trend = [(time, clip(value, bounds)[0]) for time, value in progress.trend_line()]
    if trend:
        fig.add_trace(
            go.Scatter(
                x=[from_decimal_year(p[0]) for p in trend],
                y=[p[1] for p in trend],
                mode="lines",
                name=t("Projection"),
                meta=MODEL,
                line={"color": TREND_COLOR, "dash": "dot", "width": 2},
                hovertemplate=f"{fmt}<extra>{t('Projection')}</extra>",
            )
        )
    if len(targets):
        fig.add_trace(
            go.Scatter(
                x=[from_decimal_year(y + 1.0 - 1e-3) for y in targets["year"].astype(int)],
                y=list(targets["value"]),
                mode="markers",
                name=t("Target"),
                meta=TARGET,
                marker={"symbol": "star", "size": 13, "color": TARGET_COLOR},
                hovertemplate=f"{fmt}<extra>{t('Target')}</extra>",
            )
        )
    fig = _style(fig, unit, height)
    fig.update_layout(hovermode="closest", legend={**LEGEND_BELOW}, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    # whole years on the time axis and plain grouped numbers on the value axis: plotly's own
    # choice gives "23:59:59.999" on a short range and "5,000000001B" on large values
    first = pd.Timestamp(series["period_end"].iloc[0]).year
    last = max([pd.Timestamp(series["period_end"].iloc[-1]).year, *targets["year"].astype(int)]) + 1
    fig.update_xaxes(tickformat="%Y", range=[f"{first - 1}-07-01", f"{last}-06-30"])
    fig.update_yaxes(tickformat=",~f")
    return fig


def targets_table(rows: list[dict], lang: str | None = None) -> dbc.Table | html.P:
    """The summary: one row per target with baseline, latest, projection, gap and status.

    Args:
        rows: dicts with name, geo_name, year, target, decimals, unit, baseline, latest_period,
            progress (the status, a :class:`Progress` naming its method), projection (the linear
            projection, within the indicator's bounds), clipped (the projection was cut at a
            bound), illustrative.
        lang: UI language.
    """
    t = translator(lang)
    if not rows:
        return html.P(t("No target for this selection."), className="text-muted")

    def num(value: float | None, decimals: int) -> str:
        return format_number(value, decimals, lang)

    head = ("Indicator", "Where", "Target year", "Target", "Baseline", "Latest", "Projected", "Gap", "Status")
    body = []
    for r in rows:
        p, projection, d = r["progress"], r["projection"], r["decimals"]
        label = [html.Div(r["name"]), html.Div(r["unit"], className="text-muted")]
        if r["illustrative"]:
            label.append(dbc.Badge(t("illustrative target"), color="warning", text_color="dark", className="me-1"))
        latest = num(p.latest, d) + (f" ({format_quarter(r['latest_period'], lang)})" if r["latest_period"] else "")
        body.append(
            html.Tr(
                [
                    html.Td(label),
                    html.Td(r["geo_name"]),
                    html.Td(r["year"]),
                    html.Td(num(r["target"], d)),
                    html.Td(num(r["baseline"], d)),
                    html.Td(latest),
                    html.Td(num(projection.projected, d) + (f" ({t('clipped')})" if r["clipped"] else "")),
                    html.Td(num(projection.gap, d)),
                    html.Td(
                        [
                            status_badge(p, lang)
                            if p.status != NO_DATA
                            else dbc.Badge(t("No data"), color="secondary", className="status-badge"),
                            html.Div(t(METHOD_LABELS[p.method]), className="text-muted tgt-method"),
                        ]
                    ),
                ],
                className="tgt-row",
            )
        )
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(t(h)) for h in head])), html.Tbody(body)],
        size="sm",
        striped=True,
        responsive=True,
        className="small tgt-table",
    )
