"""Data and sources: the catalogue of every indicator, one indicator's provenance, the import
history (the audit list, with an admin's roll-back) and the bulk downloads.

Why here: partners must be able to check where each number comes from and take the data into
their own tools; staff must see what is stale. The view is a function of the query string
(``?theme=&kind=&q=`` for the catalogue, ``?indicator=CODE`` for one indicator), so a link
reproduces it. The layout draws it; a catalogue filter only rewrites the query string and one
callback redraws the indicator table from it. Moving between the catalogue and an indicator
(back/forward, the navbar) draws the other view in the page.

Roll-back: an admin's audit list has a button per batch that can be rolled back (the role is
checked when the list is drawn and, by ``requires``, before each roll-back callback runs); the
confirmation names the batch, and confirming rolls it back through ``data_loaders.rollback`` and
redraws the list. Every cached query is keyed by the newest batch id, which the roll-back's own
batch changes, so the page's charts show the restored values on their next draw.
"""

from __future__ import annotations

from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate
from sqlalchemy import Engine

from accounts.roles import ROLLBACK
from accounts.web import can, current_account, requires
from components import audit_list as audit
from components.catalogue_indicator import indicator_view, series_content, series_rows
from components.catalogue_views import (
    ALERT,
    CHART_SERIES,
    CHART_THEMES,
    COUNT,
    HISTORY,
    KIND,
    MAX_QUERY,
    SEARCH,
    TABLE,
    THEME,
    catalogue_parts,
    catalogue_view,
    theme_counts,
    themes_content,
)
from data_loaders import cached
from data_loaders.cached import query
from data_loaders.models import SOURCE_KINDS, THEMES
from data_loaders.queries import catalogue, common
from data_loaders.reasons import in_language
from data_loaders.rollback import rollback_batch, rollback_refusals
from exports.chart_data import ChartData, stem_of
from exports.chart_data import register as register_data
from i18n import N_, language_of, normalise, translator
from pages._guarded import guarded, guarded_update
from pages._view_routing import PAGE_URL, page_location, rendered_search, view_page

dash.register_page(
    __name__,
    path="/data",
    name=N_("Data & sources"),
    title="Data and sources",
    order=5,
    description="Catalogue of indicators, sources, licences and freshness; bulk downloads and an API.",
)

URL, VIEW, SHOWN = PAGE_URL, "data-view", "data-shown"  # SHOWN: the indicator shown, "" for the catalogue


def parse_filters(params: dict) -> dict:
    """The view of the query parameters: ``lang``, the catalogue's filters with unknown values
    dropped (the view falls back to everything), ``indicator`` (a known code, else None) and
    ``unknown`` (the code asked for when no indicator has it)."""
    lang, code = normalise(params.get("lang")), params.get("indicator") or None
    meta = query(common.indicator, code, lang) if code else None
    theme, kind = params.get("theme"), params.get("kind")
    return {
        "lang": lang,
        "theme": theme if theme in THEMES else None,
        "kind": kind if kind in SOURCE_KINDS else None,
        "q": (params.get("q") or "").strip()[:MAX_QUERY],
        "indicator": meta,
        "unknown": code if code and meta is None else None,
    }


def filters_of(search: str | None) -> dict:
    return parse_filters({k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()})


def _shown(f: dict) -> str:
    return f["indicator"]["code"] if f["indicator"] else ""


def refusals(engine: Engine, batch_ids: tuple[int, ...]) -> dict[int, str | None]:
    """Batch id -> None if it may be rolled back, else the reason it may not."""
    with engine.connect() as connection:
        return rollback_refusals(connection, batch_ids)


def _audit() -> tuple:
    """The newest batches and, for an admin only, why each may or may not be rolled back."""
    frame = query(catalogue.import_batches, audit.AUDIT_ROWS)
    return frame, query(refusals, tuple(int(i) for i in frame["id"])) if can(ROLLBACK) else None


def _view(f: dict, search: str) -> html.Div:
    if f["indicator"]:
        return indicator_view(f["indicator"], f["lang"])
    frame, refused = _audit()
    history = audit.audit_section(frame, f["lang"], refused)
    return catalogue_view(f["lang"], f["theme"], f["kind"], f["q"], f["unknown"], search, history)


@view_page("/data")
@guarded
def layout(lang: str | None = None, **params) -> html.Div:
    f = parse_filters({"lang": lang, **params})
    search = rendered_search({"lang": lang, **params})
    return html.Div(
        [
            page_location({"lang": lang, **params}),
            dcc.Store(id=SHOWN, data=_shown(f)),
            html.Div(_view(f, search), id=VIEW),
        ]
    )


@callback(
    Output(VIEW, "children"),
    Output(SHOWN, "data"),
    Input(URL, "search"),
    State(SHOWN, "data"),
    prevent_initial_call=True,
)
@guarded_update
def switch_view(search: str | None, shown: str | None):
    """Back/forward or a link between the catalogue and an indicator: draw the other view."""
    f = filters_of(search)
    if _shown(f) == (shown or ""):
        raise PreventUpdate  # the same view: the catalogue's filters redraw its table
    return _view(f, search or ""), _shown(f)


@callback(
    Output(COUNT, "children"),
    Output(TABLE, "children"),
    Output(ALERT, "children"),
    Input(URL, "search"),
    prevent_initial_call=True,
)
@guarded_update
def redraw_catalogue(search: str | None):
    """The indicator table of the catalogue's filters; the rest of the catalogue stays."""
    f = filters_of(search)
    if f["indicator"]:
        raise PreventUpdate  # the indicator's view replaces the catalogue (switch_view)
    return catalogue_parts(f["lang"], f["theme"], f["kind"], f["q"], f["unknown"])


@callback(
    Output(audit.CONFIRMATION, "hidden"),
    Output(audit.CONFIRM_TEXT, "children"),
    Output(audit.PENDING, "data"),
    Input({"type": audit.ROLLBACK_BUTTON, "index": ALL}, "n_clicks"),
    Input(audit.CANCEL, "n_clicks"),
    State(URL, "search"),
    prevent_initial_call=True,
)
@requires(ROLLBACK)
@guarded_update
def ask_rollback(_clicks: list, _cancel: int | None, search: str | None):
    """A "Roll back" button opens the confirmation naming its batch; "Cancel" closes it."""
    trigger, clicked = dash.ctx.triggered_id, any(item["value"] for item in dash.ctx.triggered)
    if trigger == audit.CANCEL:
        return True, "", None
    if not isinstance(trigger, dict) or not clicked:
        raise PreventUpdate  # buttons drawn anew (after a roll-back) report n_clicks None
    batch = query(catalogue.import_batches, None, int(trigger["index"]))
    if batch.empty:
        raise PreventUpdate
    text = audit.confirmation_text(next(batch.itertuples()), normalise(language_of(search)))
    return False, text, int(trigger["index"])


@callback(
    Output(audit.MESSAGE, "children"),
    Output(audit.AUDIT_BODY, "children"),
    Input(audit.CONFIRM, "n_clicks"),
    State(audit.PENDING, "data"),
    State(URL, "search"),
    prevent_initial_call=True,
)
@requires(ROLLBACK)
@guarded_update
def confirm_rollback(clicks: int | None, batch_id: int | None, search: str | None):
    """Roll the confirmed batch back, say what happened, and redraw the audit list.

    No cached query may run before the roll-back here: the request's data version (the newest
    batch id) is read once, and the redrawn list must be read under the roll-back's own batch."""
    if not clicks or type(batch_id) is not int:
        raise PreventUpdate
    lang = normalise(language_of(search))
    t = translator(lang)
    report = rollback_batch(cached.engine(), batch_id, by=current_account().username)
    if report.ok:
        text = t("Batch {id} rolled back: {n} values restored.").format(id=batch_id, n=report.restored)
        message = dbc.Alert(text, color="success", className="small rollback-done")
    else:
        message = dbc.Alert(in_language(report.reason, t), color="warning", className="small rollback-refused")
    frame, refused = _audit()
    return message, audit.audit_body(frame, lang, refused)


# Navigate (assets/40_filter_urls.js): a filter writes the URL, back/forward sets the filters.
clientside_callback(
    ClientsideFunction(namespace="filter_urls", function_name="catalogue"),
    Output(URL, "search"),
    Output(URL, "href"),
    Output(HISTORY, "search"),
    Output(HISTORY, "href"),
    Output(THEME, "value"),
    Output(KIND, "value"),
    Output(SEARCH, "value"),
    Input(THEME, "value"),
    Input(KIND, "value"),
    Input(SEARCH, "value"),
    Input(HISTORY, "search"),
    State(THEME, "options"),
    State(KIND, "options"),
    State(SEARCH, "maxLength"),
    prevent_initial_call=True,
)


def _indicator(f: dict) -> dict:
    """The indicator a series download is for; ``KeyError`` on the catalogue (no indicator)."""
    if not f["indicator"]:
        raise KeyError("no indicator in the query string")
    return f["indicator"]


THEME_COLUMNS = {
    "theme_code": N_("Theme code"),
    "theme": N_("Theme"),
    "kind_code": N_("Kind code"),
    "kind": N_("Kind of source"),
    "observations": N_("Observations"),
}
register_data(
    ChartData(
        CHART_SERIES,
        "/data",
        filters_of,
        lambda f: series_rows(_indicator(f), f["lang"]),
        lambda f: series_content(_indicator(f), f["lang"]),
        lambda f: stem_of(_indicator(f)["code"].lower().replace(".", "-")),
        ("indicator",),
    )
)
register_data(
    ChartData(
        CHART_THEMES,
        "/data",
        filters_of,
        lambda f: theme_counts(f["lang"]),
        lambda f: themes_content(f["lang"]),
        lambda f: "stored-observations-by-theme",
        tidy=False,
        columns=THEME_COLUMNS,
        row_sources=False,
    )
)
