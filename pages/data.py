"""Data and sources: the catalogue of every indicator, one indicator's provenance, the import
history and the bulk downloads.

Why here: partners must be able to check where each number comes from and take the data into
their own tools; staff must see what is stale. The view is a function of the query string
(``?theme=&kind=&q=`` for the catalogue, ``?indicator=CODE`` for one indicator), so a link
reproduces it; the controls only rewrite the query string.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from components.catalogue_table import batches_table, breaks_table, catalogue_table, revisions_table, series_table
from components.chart_card import chart_card, is_synthetic, synthetic_badge
from components.figures import bar_figure, empty_figure, line_figure
from components.provenance import KIND_LABELS, THEME_LABELS, kind_badge, metadata_list, sources_table
from data_loaders.cached import query
from data_loaders.models import SOURCE_KINDS, THEMES
from data_loaders.queries import catalogue, common
from i18n import N_, normalise, translator
from pages._guarded import guarded

dash.register_page(
    __name__,
    path="/data",
    name=N_("Data & sources"),
    title="Data and sources",
    order=5,
    description="Catalogue of indicators, sources, licences and freshness; bulk downloads and an API.",
)

URL, THEME, KIND, SEARCH = "data-url", "data-theme", "data-kind", "data-search"
CHART_THEMES, CHART_SERIES = "data-observations-by-theme", "data-indicator-series"
FILTER_KEYS = ("theme", "kind", "q", "indicator")
MAX_QUERY = 80  # longer search text is cut: it only filters a list of a few dozen indicators
CHART_GEOS = (
    7  # one colour each in the palette; lines on one indicator's chart; the table and the CSV hold every geography
)
HISTORY_ROWS = 50
API_DOC = N_(
    "Machines can read the same data at stable URLs: /api/v1/indicators (JSON list), "
    "/api/v1/indicators/<code>.csv and .json with ?geo=TJ,KG&from=2015&to=2023, and "
    "/api/v1/bulk.zip?theme=. Unknown codes and bad filters get a JSON error with status 4xx."
)


def _search(lang: str | None, **params: str | None) -> str:
    """A query string with ``lang`` first and the given non-empty parameters."""
    items = {"lang": lang} | params
    return "?" + urlencode({k: v for k, v in items.items() if v})


def _clean(theme: str | None, kind: str | None, q: str | None) -> tuple[str | None, str | None, str]:
    """Filters from the URL, with unknown values dropped (the view falls back to everything)."""
    return (
        theme if theme in THEMES else None,
        kind if kind in SOURCE_KINDS else None,
        (q or "").strip()[:MAX_QUERY],
    )


@guarded
def layout(
    lang: str | None = None,
    theme: str | None = None,
    kind: str | None = None,
    q: str | None = None,
    indicator: str | None = None,
    **_,
) -> html.Div:
    lang = normalise(lang)
    if indicator:
        meta = query(common.indicator, indicator, lang)
        if meta is not None:
            return html.Div([dcc.Location(id=URL, refresh="callback-nav"), _indicator_view(meta, lang)])
    theme, kind, q = _clean(theme, kind, q)
    unknown = indicator if indicator else None
    return html.Div([dcc.Location(id=URL, refresh="callback-nav"), _catalogue_view(lang, theme, kind, q, unknown)])


def _controls(theme: str | None, kind: str | None, q: str, t) -> dbc.Row:
    def options(labels: dict, values: tuple[str, ...]) -> list[dict]:
        return [{"label": t(labels[v][0] if isinstance(labels[v], tuple) else labels[v]), "value": v} for v in values]

    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("Search"), html_for=SEARCH, className="small mb-0"),
                    dbc.Input(
                        id=SEARCH,
                        type="search",
                        value=q,
                        debounce=True,
                        placeholder=t("Code or name, e.g. 4G"),
                        maxLength=MAX_QUERY,
                    ),
                ],
                md=4,
            ),
            dbc.Col(
                [
                    dbc.Label(t("Theme"), html_for=THEME, className="small mb-0"),
                    dcc.Dropdown(
                        id=THEME, options=options(THEME_LABELS, THEMES), value=theme, placeholder=t("All themes")
                    ),
                ],
                md=4,
            ),
            dbc.Col(
                [
                    dbc.Label(t("Kind of source"), html_for=KIND, className="small mb-0"),
                    dcc.Dropdown(
                        id=KIND, options=options(KIND_LABELS, SOURCE_KINDS), value=kind, placeholder=t("All kinds")
                    ),
                ],
                md=4,
            ),
        ],
        className="g-2 mb-3 data-controls",
    )


def _downloads(lang: str, t) -> dbc.Card:
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


def _catalogue_view(lang: str, theme: str | None, kind: str | None, q: str, unknown: str | None) -> html.Div:
    t = translator(lang)
    frame = query(catalogue.catalogue, lang, theme, kind, q or None)
    counts = query(catalogue.theme_counts)
    counts = counts.assign(
        theme=[t(THEME_LABELS.get(v, v)) for v in counts["theme"]],
        kind=[t(KIND_LABELS.get(v, (v,))[0]) for v in counts["kind"]],
    )
    sources = query(common.sources, None, lang=lang)
    active = [t(THEME_LABELS[theme]) if theme else None, t(KIND_LABELS[kind][0]) if kind else None, q or None]
    shown = ", ".join(a for a in active if a) or t("all indicators")
    alert = []
    if unknown:
        alert = [dbc.Alert(t("Unknown indicator; showing the catalogue instead."), color="warning", className="small")]
    return html.Div(
        [
            html.H1(t("Data and sources"), className="h3"),
            html.P(
                t(
                    "Every indicator on this dashboard, where its numbers come from, under which licence, and "
                    "when they were last loaded. Open an indicator for its series, revisions and breaks."
                ),
                className="text-muted",
            ),
            *alert,
            _controls(theme, kind, q, t),
            html.H2(
                [t("Indicators"), html.Span(f" · {len(frame)} · {shown}", className="text-muted small")],
                className="h5",
            ),
            catalogue_table(frame, lambda code: _search(lang, indicator=code), lang),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card(
                            CHART_THEMES,
                            t("Stored observations by theme and kind of source"),
                            bar_figure(
                                counts, "theme", "observations", color="kind", unit=t("observations"), stacked=False
                            ).update_yaxes(type="log", dtick=1),
                            query(catalogue.observation_sources),
                            subtitle=t(
                                "Current revisions only, log scale; derived indicators are computed, not stored"
                            ),
                            lang=lang,
                        ),
                        lg=6,
                        className="mb-3",
                    ),
                    dbc.Col(_downloads(lang, t), lg=6, className="mb-3"),
                ],
                className="mt-3",
            ),
            html.H2(t("Import history"), className="h5 mt-2"),
            html.P(
                t("Every loaded file, newest first: the audit trail and the unit of roll-back."),
                className="small text-muted",
            ),
            batches_table(query(catalogue.import_batches, HISTORY_ROWS), lang),
            html.H2(t("Sources and licences"), className="h5 mt-4"),
            sources_table(sources, lang),
        ],
        className="data-page",
    )


def _indicator_view(meta: dict, lang: str) -> html.Div:
    t = translator(lang)
    code = meta["code"]
    stats_frame = query(catalogue.catalogue, lang, None, None, code)
    stats = next((r for r in stats_frame.to_dict("records") if r["code"] == code), None)
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
    revisions = query(catalogue.revisions, code)
    breaks = query(catalogue.breaks, code, lang)
    back = _search(lang)
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
                        chart_card(
                            CHART_SERIES,
                            meta["name"],
                            figure,
                            shown_sources,
                            subtitle=subtitle,
                            lang=lang,
                        ),
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


def rewrite_search(search: str | None, theme: str | None, kind: str | None, q: str | None) -> str:
    """The query string with the catalogue's filters replaced; ``lang`` and others are kept."""
    params = {k: v for k, v in parse_qsl((search or "").lstrip("?")) if k not in FILTER_KEYS}
    params |= {k: v for k, v in (("theme", theme), ("kind", kind), ("q", (q or "").strip())) if v}
    return f"?{urlencode(params)}" if params else ""


@callback(
    Output(URL, "search"),
    Input(THEME, "value"),
    Input(KIND, "value"),
    Input(SEARCH, "value"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def _filters_to_url(theme, kind, q, search):
    """Controls write the query string; the layout renders from it (back/forward work)."""
    new = rewrite_search(search, theme, kind, q)
    return dash.no_update if new == (search or "") else new
