"""Figures and tables of the IT-sector view: pure builders, a DataFrame in, a figure or component out.

Kept in one module so the view's vocabulary (subsector names, measures, views) is defined once
and the unit tests can build every figure without a browser or a database.
"""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import html

from components.chart_card import source_caption
from components.figures import PALETTE, _style, empty_figure, series_style, wrap
from i18n import N_, format_number, translator
from metrics.growth import transform

SUBSECTORS = {
    "software": N_("Software"),
    "it_services": N_("IT services and outsourcing"),
    "telecom": N_("Telecom"),
    "ecommerce": N_("E-commerce"),
    "fintech": N_("Fintech"),
    "hardware_other": N_("Hardware and other"),
}
# measure code -> (column of the yearly frame, label, unit, divisor shown, decimals)
MEASURES = {
    "companies": ("companies", N_("Active companies"), N_("companies"), 1, 0),
    "jobs": ("employees", N_("Jobs"), N_("jobs"), 1, 0),
    "revenue": ("revenue_usd", N_("Revenue"), N_("million US$"), 1e6, 1),
    "exports": ("exports_usd", N_("Exports"), N_("million US$"), 1e6, 1),
}
VIEWS = {"absolute": N_("Absolute"), "index": N_("Index (first year = 100)"), "yoy": N_("Year-on-year %")}
FOUNDED, CLOSED, NET = PALETTE[2], PALETTE[3], PALETTE[6]  # green up, vermillion down, black line
# region bars: every region, or the selected one against the others (also recoloured in the browser)
BAR, SELECTED, MUTED = PALETTE[0], PALETTE[1], "#b9c3cf"


def subsector_label(code: str, lang: str | None = None) -> str:
    """The subsector's name in the UI language (the code itself when unknown)."""
    return translator(lang)(SUBSECTORS[code]) if code in SUBSECTORS else code


def _text_positions(values: pd.Series, share: float = 0.2) -> list[str]:
    """Each bar's value inside a bar at least ``share`` of the longest, beside a shorter one, and
    always level: plotly's "auto" turned it upright or shrank it to fit a short bar on a phone."""
    top = float(values.max()) if len(values) and pd.notna(values.max()) else 0.0
    return ["inside" if top and pd.notna(v) and v >= share * top else "outside" for v in values]


def _years_axis(fig: go.Figure) -> go.Figure:
    """Whole years on the x axis, from the first year: every year when there are up to six, every
    other one up to twelve, so the labels stay level and whole on a phone (eleven years a tick each
    were turned upright, and the legend below covered them)."""
    years = {int(x) for trace in fig.data if trace.x is not None for x in trace.x}
    step = 1 if len(years) <= 6 else 2 if len(years) <= 12 else None
    fig.update_xaxes(tickformat="d", dtick=step, tick0=min(years) if step and years else None)
    return fig


def growth_figure(
    frame: pd.DataFrame, measure: str = "companies", view: str = "absolute", lang: str | None = None
) -> go.Figure:
    """One line per subsector of a measure over the years, as values, an index or yearly change.

    Args:
        frame: yearly figures by subsector (``it_sector.yearly``).
        measure: a key of :data:`MEASURES`.
        view: a key of :data:`VIEWS`.
        lang: UI language.

    Returns:
        A line figure; a "no data" figure when the frame is empty.
    """
    t = translator(lang)
    if frame.empty:
        return empty_figure(t("No data for this selection"))
    column, _label, unit, divisor, decimals = MEASURES.get(measure, MEASURES["companies"])
    data = frame[["year", "subsector", column]].rename(columns={column: "value"})
    data["value"] = data["value"] / divisor
    data = transform(data, "value", view, by="subsector")
    if view == "index":
        unit, decimals = t("index, first year = 100"), 0
    elif view == "yoy":
        unit, decimals = t("% change on previous year"), 1
    else:
        unit = t(unit)
    fig = go.Figure()
    for i, (code, group) in enumerate(data.groupby("subsector", sort=False)):
        fig.add_trace(
            go.Scatter(
                x=group["year"],
                y=group["value"],
                name=subsector_label(code, lang),
                mode="lines+markers",
                **series_style(list(SUBSECTORS).index(code) if code in SUBSECTORS else len(SUBSECTORS) + i),
                hovertemplate=f"%{{x}}: %{{y:,.{decimals}f}} {unit}<extra>%{{fullData.name}}</extra>",
                connectgaps=False,
                legendrank=i,
            )
        )
    if view == "index":
        fig.add_hline(y=100, line={"color": "#6c757d", "dash": "dot", "width": 1})
    if view == "yoy":
        fig.add_hline(y=0, line={"color": "#6c757d", "width": 1})
    fig = _style(fig, unit, 340).update_layout(hovermode="closest")
    return _years_axis(fig)


def flows_figure(frame: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Companies founded (up) and closed (down) each year, with the net change as a line.

    Args:
        frame: columns year, founded, closed, net (``it_sector.flows``).
        lang: UI language.
    """
    t = translator(lang)
    if frame.empty or not (frame["founded"].sum() or frame["closed"].sum()):
        return empty_figure(t("No data for this selection"))
    unit = t("companies")
    fig = go.Figure(
        [
            go.Bar(
                x=frame["year"],
                y=frame["founded"],
                name=t("Founded"),
                marker_color=FOUNDED,
                hovertemplate=f"%{{x}}: %{{y:,}} {unit}<extra>%{{fullData.name}}</extra>",
            ),
            go.Bar(
                x=frame["year"],
                y=-frame["closed"],
                customdata=frame["closed"],
                name=t("Closed"),
                marker_color=CLOSED,
                hovertemplate=f"%{{x}}: %{{customdata:,}} {unit}<extra>%{{fullData.name}}</extra>",
            ),
            go.Scatter(
                x=frame["year"],
                y=frame["net"],
                name=t("Net change"),
                mode="lines+markers",
                line={"color": NET},
                hovertemplate=f"%{{x}}: %{{y:+,}} {unit}<extra>%{{fullData.name}}</extra>",
            ),
        ]
    )
    fig = _style(fig, unit, 320).update_layout(barmode="relative", hovermode="x unified")
    return _years_axis(fig)


def sizes_figure(frame: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Companies by employee band, as horizontal bars with the count and the jobs in the hover.

    Args:
        frame: columns band, companies, employees (``it_sector.size_bands``), smallest band first.
        lang: UI language.
    """
    t = translator(lang)
    if frame.empty or not frame["companies"].sum():
        return empty_figure(t("No data for this selection"))
    jobs = t("jobs")
    fig = go.Figure(
        go.Bar(
            y=[f"{band} {t('employees')}" for band in frame["band"]],
            x=frame["companies"],
            orientation="h",
            marker_color=PALETTE[0],
            text=[format_number(v, 0, lang) for v in frame["companies"]],
            textposition=_text_positions(frame["companies"]),
            textangle=0,
            customdata=frame["employees"],
            hovertemplate=f"%{{y}}: %{{x:,}} {t('companies')}, %{{customdata:,}} {jobs}<extra></extra>",
        )
    )
    fig = _style(fig, "", 320).update_layout(showlegend=False, hovermode="closest", xaxis_title=t("companies"))
    fig.update_yaxes(autorange="reversed", title=None)
    return fig


def region_figure(frame: pd.DataFrame, selected: str | None = None, lang: str | None = None) -> go.Figure:
    """Active companies per 10,000 inhabitants by region, the selected region highlighted.

    Args:
        frame: columns region_code, name, companies, population, population_year,
            companies_per_10k (``it_sector.by_region``).
        selected: a region code to highlight, or ``None``.
        lang: UI language.
    """
    t = translator(lang)
    if frame.empty or frame["companies_per_10k"].isna().all():
        return empty_figure(t("No population figure for this year"))
    data = frame.sort_values("companies_per_10k", ascending=True, na_position="first")
    colors = [SELECTED if code == selected else (MUTED if selected else BAR) for code in data["region_code"]]
    per = [format_number(v, 2, lang) for v in data["companies_per_10k"]]
    custom = list(
        zip(
            [format_number(v, 0, lang) for v in data["companies"]],
            [format_number(v, 0, lang) for v in data["population"]],
            data["population_year"].fillna("—"),
            strict=True,
        )
    )
    fig = go.Figure(
        go.Bar(
            y=data["name"],
            x=data["companies_per_10k"],
            ids=list(data["region_code"]),  # lets the browser highlight a region without a new figure
            orientation="h",
            marker_color=colors,
            text=per,
            textposition=_text_positions(data["companies_per_10k"]),
            textangle=0,
            customdata=custom,
            hovertemplate=(
                f"%{{y}}: %{{text}} {t('per 10,000 inhabitants')}<br>%{{customdata[0]}} {t('companies')}, "
                f"{t('population')} %{{customdata[1]}} (%{{customdata[2]}})<extra></extra>"
            ),
        )
    )
    # no axis titles: the card's title names the unit, and the region names leave a phone no room
    fig = _style(fig, "", 320).update_layout(showlegend=False, hovermode="closest")
    names = list(data["name"])  # wrapped as ticks only: the hover and the table keep each name whole
    fig.update_xaxes(title=None).update_yaxes(
        title=None, tickmode="array", tickvals=names, ticktext=[wrap(name, 18) for name in names]
    )
    return fig


def hightech_figure(frame: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """The real World Bank high-technology exports series (goods), in million US$.

    Args:
        frame: columns period, period_start, value (``common.series``).
        lang: UI language.
    """
    t = translator(lang)
    if frame.empty:
        return empty_figure(t("No data for this selection"))
    unit = t("million US$")
    fig = go.Figure(
        go.Bar(
            x=frame["period"].astype(int),
            y=frame["value"] / 1e6,
            marker_color=PALETTE[4],
            hovertemplate=f"%{{x}}: %{{y:,.1f}} {unit}<extra></extra>",
        )
    )
    fig = _style(fig, unit, 280).update_layout(showlegend=False, hovermode="closest")
    return _years_axis(fig)


def _money(value: float, lang: str | None) -> str:
    return format_number(value / 1e6, 1, lang)


def segments_table(
    summary: pd.DataFrame, year: int, first: int, lang: str | None = None, table_id: str = ""
) -> html.Div:
    """The segments of the last year, largest revenue first (``metrics.growth.segment_summary``).

    Args:
        summary: one row per subsector with companies, employees, revenue_usd, exports_usd,
            revenue_share and revenue_cagr.
        year: the year described.
        first: the first year of the period (base of the growth rate).
        lang: UI language.
        table_id: the table's id.
    """
    t = translator(lang)
    if summary.empty:
        return html.Div(t("No data for this selection"), id=table_id, className="text-muted")
    head = html.Thead(
        html.Tr(
            [
                html.Th(t("Segment")),
                html.Th(t("Companies"), className="text-end"),
                html.Th(t("Jobs"), className="text-end"),
                html.Th(f"{t('Revenue')}, {t('million US$')}", className="text-end"),
                html.Th(f"{t('Exports')}, {t('million US$')}", className="text-end"),
                html.Th(t("Share of revenue"), className="text-end"),
                html.Th(f"{t('Revenue growth a year')} {first}–{year}", className="text-end"),
            ]
        )
    )
    rows = []
    for row in summary.itertuples():
        growth = "—" if row.revenue_cagr is None or pd.isna(row.revenue_cagr) else _percent(row.revenue_cagr, lang)
        rows.append(
            html.Tr(
                [
                    html.Td(subsector_label(row.subsector, lang)),
                    html.Td(format_number(row.companies, 0, lang), className="text-end"),
                    html.Td(format_number(row.employees, 0, lang), className="text-end"),
                    html.Td(_money(row.revenue_usd, lang), className="text-end"),
                    html.Td(_money(row.exports_usd, lang), className="text-end"),
                    html.Td(f"{format_number(row.revenue_share, 1, lang)} %", className="text-end"),
                    html.Td(growth, className="text-end"),
                ],
                **{"data-subsector": row.subsector},
            )
        )
    table = dbc.Table([head, html.Tbody(rows)], striped=True, hover=True, size="sm", className="small mb-0")
    return html.Div(table, id=table_id, className="table-responsive")


def _percent(fraction: float, lang: str | None) -> str:
    sign = "+" if fraction > 0 else ("−" if fraction < 0 else "")
    return f"{sign}{format_number(abs(fraction) * 100, 1, lang)} %"


def cagr_text(rate: float | None, first: int, last: int, measure_label: str, lang: str | None = None) -> str:
    """One sentence for the compound annual growth rate over the period, or why there is none."""
    t = translator(lang)
    if rate is None:
        return f"{t('Compound annual growth')} {first}–{last}: — ({t('no base value')})"
    return f"{t('Compound annual growth')} {first}–{last} ({measure_label}): {_percent(rate, lang)} {t('a year')}"


def benchmark_panel(
    frame: pd.DataFrame, sources: pd.DataFrame, lang: str | None = None, panel_id: str = ""
) -> dbc.Card:
    """The published Uzbekistan IT Park figures and 2030 targets, with their source cited.

    Args:
        frame: rows of ``it_sector.benchmark`` (code, name, unit, decimals, year, value, kind).
        sources: the sources of those rows (for the caption).
        lang: UI language.
        panel_id: the card's id.
    """
    t = translator(lang)
    body: list = []
    if frame.empty:
        body.append(html.P(t("No data for this selection"), className="text-muted"))
    else:
        rows = []
        for code, group in frame.groupby("code", sort=False):
            actual = group[group["kind"] == "actual"].tail(1)
            target = group[group["kind"] == "target"].tail(1)
            first = group.iloc[0]
            rows.append(
                html.Tr(
                    [
                        html.Td(first["name"]),
                        html.Td(
                            _figure(actual, first, lang),
                            className="text-end",
                        ),
                        html.Td(_figure(target, first, lang), className="text-end"),
                    ],
                    **{"data-code": code},
                )
            )
        head = html.Thead(html.Tr([html.Th(""), html.Th(t("Reported"), className="text-end"), html.Th(t("Target"))]))
        body.append(dbc.Table([head, html.Tbody(rows)], size="sm", className="small mb-2"))
        body.append(
            html.P(
                t(
                    "Published figures for Uzbekistan, for comparison; the Tajik registry on this page is "
                    "synthetic demo data and is not compared number for number."
                ),
                className="small text-muted mb-0",
            )
        )
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2(t("Benchmark: IT Park Uzbekistan"), className="h6 mb-0"),
                    html.Div(t("End of 2023 and targets for 2030"), className="small text-muted chart-subtitle"),
                ]
            ),
            dbc.CardBody(body),
            dbc.CardFooter(source_caption(sources, lang)),
        ],
        id=panel_id,
        className="h-100 shadow-sm chart-card",
    )


def _figure(rows: pd.DataFrame, meta: pd.Series, lang: str | None) -> str:
    """A benchmark value with its unit and year ("26,000 jobs (2023)"), or a dash."""
    if rows.empty:
        return "—"
    row = rows.iloc[0]
    value, unit = row["value"], row["unit"]
    if unit == "US$" and value >= 1e9:
        text = f"{format_number(value / 1e9, 0, lang)} {translator(lang)('billion US$')}"
    else:
        text = f"{format_number(value, int(meta['decimals']), lang)} {unit}"
    return f"{text} ({int(row['year'])})"


# Clientside: a region change alone recolours the region chart's bars (their ids are the region codes).
REGION_HIGHLIGHT = """function (highlight, figure) {
    var trace = figure && figure.data && figure.data[0];
    if (!trace || !trace.ids) { return window.dash_clientside.no_update; }
    var region = highlight && highlight.region;
    var colors = trace.ids.map(function (code) {
        return code === region ? %s : (region ? %s : %s);
    });
    var marker = Object.assign({}, trace.marker, {color: colors});
    var data = [Object.assign({}, trace, {marker: marker})].concat(figure.data.slice(1));
    return Object.assign({}, figure, {data: data});
}""" % tuple(json.dumps(color) for color in (SELECTED, MUTED, BAR))
