"""One indicator's view on the Data and sources page: its metadata, chart, the values charted,
revisions, breaks in series and sources, with links to the full series in the API."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.catalogue_table import breaks_table, revisions_table, series_table
from components.catalogue_views import CHART_GEOS, CHART_SERIES, search_link
from components.chart_card import ChartContent, chart_card_of, is_synthetic, synthetic_badge
from components.figures import empty_figure, line_figure
from components.provenance import kind_badge, metadata_list, named_sources, sources_table
from data_loaders.cached import query
from data_loaders.queries import catalogue, common
from i18n import translator


def series_content(meta: dict, lang: str) -> ChartContent:
    """The indicator's chart: the total series of a few geographies, highest level first."""
    t = translator(lang)
    code = meta["code"]
    series = query(catalogue.chart_series, code, lang, CHART_GEOS)
    sources = query(catalogue.indicator_sources, code)
    shown_sources = sources[sources["code"].isin(series["source_code"])] if len(series) else sources
    if series.empty:
        message = t("Computed from the raw tables; see its theme's page") if meta["derived"] else t("No data stored")
        figure = empty_figure(message)
    else:
        figure = line_figure(
            series, "period_start", "value", color="geo_name", unit=meta["unit"], decimals=meta["decimals"]
        )
    geos = series["geo_code"].nunique() if len(series) else 0
    subtitle = t("Total; {n} geographies shown, highest level first").format(n=geos)
    return ChartContent(meta["name"], figure, named_sources(shown_sources, lang), subtitle, lang)


def series_rows(meta: dict, lang: str) -> pd.DataFrame:
    """The values the chart draws, with their flags and sources, as stored."""
    code = meta["code"]
    shown = query(catalogue.chart_series, code, lang, CHART_GEOS)
    geos = sorted(shown["geo_code"].unique()) if len(shown) else ["-"]
    return query(common.series, code, geos, "total", lang).assign(indicator_code=code, breakdown="total")


def indicator_view(meta: dict, lang: str) -> html.Div:
    """One indicator: its metadata, chart, values, revisions, breaks and sources."""
    t = translator(lang)
    code = meta["code"]
    stats_frame = query(catalogue.catalogue, lang, None, None, code)
    stats = next((r for r in stats_frame.to_dict("records") if r["code"] == code), None)
    series = query(catalogue.chart_series, code, lang, CHART_GEOS)
    sources = query(catalogue.indicator_sources, code)
    revisions = query(catalogue.revisions, code)
    breaks = query(catalogue.breaks, code, lang)
    back = search_link(lang)
    title = [
        html.Span(meta["name"], className="me-2"),
        html.Span(kind_badge(meta["source_kind"], lang), className="fs-6"),
    ]
    return html.Div(
        [
            html.A(["← ", t("All indicators")], href=f"/data{back}", className="small back-link"),
            html.H1(title, className="h3 mt-2"),
            html.P(code, className="text-muted"),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            dbc.CardBody(
                                [html.H2(t("About this indicator"), className="h6"), metadata_list(meta, stats, lang)]
                            ),
                            className="shadow-sm h-100 metadata-card",
                        ),
                        lg=5,
                        className="mb-3",
                    ),
                    dbc.Col(
                        chart_card_of(CHART_SERIES, series_content(meta, lang)),
                        lg=7,
                        className="mb-3",
                    ),
                ]
            ),
            html.Div(
                [
                    html.Span(t("Full series (every geography and breakdown):"), className="me-2"),
                    html.A("CSV", href=f"/api/v1/indicators/{code}.csv", download="", className="me-2 api-csv"),
                    html.A("JSON", href=f"/api/v1/indicators/{code}.json", className="api-json"),
                    *([html.Span(synthetic_badge(lang), className="ms-2")] if is_synthetic(sources) else []),
                ],
                className="small mb-3",
            ),
            html.H2(t("Values shown in the chart"), className="h5"),
            series_table(series, meta["decimals"], lang),
            html.H2(t("Revisions"), className="h5 mt-4"),
            html.P(
                t("Each import batch that brought values of this indicator, and what it changed."),
                className="small text-muted",
            ),
            revisions_table(revisions, lang),
            html.H2(t("Breaks in series"), className="h5 mt-4"),
            html.P(
                t("Values flagged B: not comparable with the values before them. The method above notes known ones."),
                className="small text-muted",
            ),
            breaks_table(breaks, meta["decimals"], lang),
            html.H2(t("Sources"), className="h5 mt-4"),
            sources_table(sources, lang),
        ],
        className="data-page indicator-page",
    )
