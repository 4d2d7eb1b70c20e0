"""The catalogue view of the Data and sources page: controls, the indicator table, observations
by theme, bulk downloads, import history and sources (one indicator's view: catalogue_indicator).

The catalogue's table part (:func:`catalogue_parts`) is built apart: a filter change redraws only
it, the rest of the catalogue does not depend on the filters. The ids of the parts the page's
callbacks update are defined here, with the parts.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.catalogue_table import catalogue_table
from components.chart_card import ChartContent, chart_card_of
from components.figures import bar_figure
from components.provenance import KIND_LABELS, THEME_LABELS, named_sources, sources_table
from data_loaders.cached import query
from data_loaders.models import SOURCE_KINDS, THEMES
from data_loaders.queries import catalogue, common
from i18n import N_, dropdown_labels, translator

THEME, KIND, SEARCH, HISTORY = "data-theme", "data-kind", "data-search", "data-history"
COUNT, TABLE, ALERT = "data-count", "data-table", "data-alert"
CHART_THEMES, CHART_SERIES = "data-observations-by-theme", "data-indicator-series"
MAX_QUERY = 80  # longer search text is cut: it only filters a list of a few dozen indicators
SEARCH_DEBOUNCE_MS = 400  # the catalogue follows the typing once it pauses, one URL per pause
CHART_GEOS = 7  # lines on one indicator's chart (one colour each); the table and the CSV hold every geography
API_DOC = N_(
    "Machines can read the same data at stable URLs: /api/v1/indicators (JSON list), "
    "/api/v1/indicators/<code>.csv and .json with ?geo=TJ,KG&from=2015&to=2023, and "
    "/api/v1/bulk.zip?theme=. Unknown codes and bad filters get a JSON error with status 4xx."
)


def search_link(lang: str | None, **params: str | None) -> str:
    """A query string with ``lang`` first and the given non-empty parameters."""
    items = {"lang": lang} | params
    return "?" + urlencode({k: v for k, v in items.items() if v})


def _controls(theme: str | None, kind: str | None, q: str, t) -> dbc.Row:
    def options(labels: dict, values: tuple[str, ...]) -> list[dict]:
        return [{"label": t(labels[v][0] if isinstance(labels[v], tuple) else labels[v]), "value": v} for v in values]

    def column(label: str, control_id: str, control) -> dbc.Col:
        return dbc.Col([dbc.Label(label, html_for=control_id, className="small mb-0"), control], md=4)

    search = dbc.Input(
        id=SEARCH,
        type="search",
        value=q,
        debounce=SEARCH_DEBOUNCE_MS,
        placeholder=t("Code or name, e.g. 4G"),
        maxLength=MAX_QUERY,
    )
    themes = dcc.Dropdown(
        labels=dropdown_labels(t),
        id=THEME,
        options=options(THEME_LABELS, THEMES),
        value=theme,
        placeholder=t("All themes"),
    )
    kinds = dcc.Dropdown(
        labels=dropdown_labels(t),
        id=KIND,
        options=options(KIND_LABELS, SOURCE_KINDS),
        value=kind,
        placeholder=t("All kinds"),
    )
    return dbc.Row(
        [
            column(t("Search"), SEARCH, search),
            column(t("Theme"), THEME, themes),
            column(t("Kind of source"), KIND, kinds),
        ],
        className="g-2 mb-3 data-controls",
    )


def _downloads(t) -> dbc.Card:
    """Links to the bulk ZIPs (served by the API) and how machines read the data."""
    links = [
        html.A(
            t("Everything (ZIP)"),
            href="/api/v1/bulk.zip",
            download="",
            className="btn btn-primary btn-sm me-2 mb-2 bulk-link",
        )
    ]
    links += [
        html.A(
            t(THEME_LABELS[theme]),
            href=f"/api/v1/bulk.zip?theme={theme}",
            download="",
            className="btn btn-outline-primary btn-sm me-2 mb-2 bulk-link",
        )
        for theme in THEMES
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("Bulk downloads"), className="h6"),
                html.P(
                    t(
                        "A ZIP with one CSV per table in the loader's file template, metadata.json and a README "
                        "with every source, licence and citation. Rows from synthetic sources are marked by their "
                        "source_code and the README says so."
                    ),
                    className="small",
                ),
                html.Div(links),
                html.P(t(API_DOC), className="small text-muted mb-0 mt-2 api-doc"),
            ]
        ),
        className="shadow-sm mb-3 downloads-card",
    )


def catalogue_parts(lang: str, theme: str | None, kind: str | None, q: str, unknown: str | None) -> tuple:
    """What the catalogue's filters change: (the count and filters in words, the indicator table,
    the "unknown indicator" notice or nothing)."""
    t = translator(lang)
    frame = query(catalogue.catalogue, lang, theme, kind, q or None)
    active = [t(THEME_LABELS[theme]) if theme else None, t(KIND_LABELS[kind][0]) if kind else None, q or None]
    shown = ", ".join(a for a in active if a) or t("all indicators")
    alert = []
    if unknown:
        alert = [dbc.Alert(t("Unknown indicator; showing the catalogue instead."), color="warning", className="small")]
    return (
        f" · {len(frame)} · {shown}",
        catalogue_table(frame, lambda code: search_link(lang, indicator=code), lang),
        alert,
    )


def theme_counts(lang: str) -> pd.DataFrame:
    """Stored observations by theme and kind of source, codes kept and words in the UI language."""
    t = translator(lang)
    counts = query(catalogue.theme_counts)
    return counts.assign(
        theme_code=counts["theme"],
        kind_code=counts["kind"],
        theme=[t(THEME_LABELS.get(v, v)) for v in counts["theme"]],
        kind=[t(KIND_LABELS.get(v, (v,))[0]) for v in counts["kind"]],
    )


def themes_content(lang: str) -> ChartContent:
    t = translator(lang)
    counts = theme_counts(lang)
    figure = bar_figure(counts, "theme", "observations", color="kind", unit=t("observations"), stacked=False)
    return ChartContent(
        t("Stored observations by theme and kind of source"),
        figure.update_yaxes(type="log", dtick=1),
        named_sources(query(catalogue.observation_sources), lang),
        t("Current revisions only, log scale; derived indicators are computed, not stored"),
        lang,
    )


def catalogue_view(
    lang: str, theme: str | None, kind: str | None, q: str, unknown: str | None, search: str, audit=None
):
    """The catalogue, with its own location (``search``: the URL it is drawn for) for back/forward,
    and ``audit``: the import history (``components.audit_list.audit_section``), drawn by the page."""
    t = translator(lang)
    count, table, alert = catalogue_parts(lang, theme, kind, q, unknown)
    return html.Div(
        [
            dcc.Location(id=HISTORY, refresh=False, search=search),
            html.H1(t("Data and sources"), className="h3"),
            html.P(
                t(
                    "Every indicator on this dashboard, where its numbers come from, under which licence, and "
                    "when they were last loaded. Open an indicator for its series, revisions and breaks."
                ),
                className="text-muted",
            ),
            html.Div(alert, id=ALERT),
            _controls(theme, kind, q, t),
            html.H2([t("Indicators"), html.Span(count, id=COUNT, className="text-muted small")], className="h5"),
            html.Div(table, id=TABLE),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card_of(CHART_THEMES, themes_content(lang)),
                        lg=6,
                        className="mb-3",
                    ),
                    dbc.Col(_downloads(t), lg=6, className="mb-3"),
                ],
                className="mt-3",
            ),
            audit,
            html.H2(t("Sources and licences"), className="h5 mt-4"),
            sources_table(query(common.sources, None, lang=lang), lang),
        ],
        className="data-page",
    )
