"""Exports wired into every page, through ``dash.hooks`` so no page has to know about them.

* Chart menus (pattern-matching ids from ``components.chart_card``): a clientside callback reads
  the live figure from the browser (whatever the page's callbacks made of it) and one server
  callback turns it, with the card's stored provenance and data, into PNG, SVG, CSV or XLSX.
  What the browser sends is untrusted: ``exports.figure_guard`` strips anything the export
  browser could fetch and refuses oversized figures, and each client has a rate limit.
* "Download report (PDF)": a link above every page, kept in step with the URL, to the route
  ``/_export/report.pdf?page=<path>&<the page's query string>``, which renders the page's
  registered ``layout(**query)`` and prints its charts with the shared browser (rate-limited
  per client; 503 when the page's data cannot be read).

Imported once by ``app.py`` before the app is built (hooks apply to apps created afterwards).
"""

from __future__ import annotations

import inspect
import logging
import time
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote

import dash
import pandas as pd
from dash import ALL, MATCH, Input, Output, State, dcc, hooks, html
from dash.exceptions import PreventUpdate
from flask import Response, abort, current_app, request

from components.chart_card import EXPORT_DOWNLOAD, EXPORT_ITEM, EXPORT_META, EXPORT_REQUEST
from config import Config
from data_loaders.cached import DatabaseUnavailable
from exports.figure_guard import FigureRefused, safe_figure
from exports.meta import ExportMeta, file_name, safe_name, with_filters
from exports.report import report_pdf
from exports.snapshot import snapshot
from exports.tables import csv_bytes, figure_table, xlsx_bytes
from i18n import N_, normalise, translator
from security.rate_limits import RateLimitExceeded, export_limit, report_limit

log = logging.getLogger("dashboard")

REPORT_ROUTE = "_export/report.pdf"
REPORT_URL = "exp-report-url"  # dcc.Location that tells the link where we are
REPORT_LINK = "exp-report-link"
REPORT_BAR = "exp-report-bar"
# Bootstrap's d-flex is !important, so the bar is hidden by class, not by an inline style.
BAR_SHOWN = "d-flex justify-content-end mb-2 report-bar d-print-none"
BAR_HIDDEN = "d-none report-bar"
MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Runs in the browser on a menu click: hand the live figure, plain JSON (typed arrays as lists),
# with the chosen format to the server callback.
hooks.clientside_callback(
    """
    function (clicks) {
        const dc = window.dash_clientside;
        const trigger = dc.callback_context.triggered_id;
        if (!trigger || !clicks.some(Boolean)) { return dc.no_update; }
        const plain = (value) => {
            if (ArrayBuffer.isView(value)) { return Array.from(value); }
            if (Array.isArray(value)) { return value.map(plain); }
            if (value && typeof value === 'object') {
                const out = {};
                for (const [k, v] of Object.entries(value)) {
                    if (!k.startsWith('_') && typeof v !== 'function') { out[k] = plain(v); }
                }
                return out;
            }
            return value;
        };
        const selector = '[data-exp-chart="' + CSS.escape(trigger.chart) + '"] .js-plotly-plot';
        const gd = document.querySelector(selector);
        const figure = gd ? {data: plain(gd.data || []), layout: plain(gd.layout || {})} : null;
        return {fmt: trigger.fmt, figure: figure, search: window.location.search, at: Date.now()};
    }
    """,
    Output({"type": EXPORT_REQUEST, "chart": MATCH}, "data"),
    Input({"type": EXPORT_ITEM, "chart": MATCH, "fmt": ALL}, "n_clicks"),
    prevent_initial_call=True,
)


def export_file(
    request_data: dict,
    meta_data: dict,
    max_points: int = Config.export_max_points,
    max_traces: int = Config.export_max_traces,
) -> tuple[bytes, str]:
    """The bytes and file name for one chart export request.

    Args:
        request_data: ``{"fmt", "figure", "search"}`` from the browser (untrusted).
        meta_data: the card's stored provenance and data (from the browser too).
        max_points: most array items the figure may hold.
        max_traces: most traces the figure may hold.

    Returns:
        (file bytes, file name).

    Raises:
        FigureRefused: the figure is too large or not a chart this app draws.
    """
    fmt = request_data.get("fmt")
    if fmt not in MEDIA_TYPES:
        raise ValueError(f"unknown export format {fmt!r}")
    meta = ExportMeta.from_json(meta_data)
    if not meta_data.get("named"):
        meta = replace(meta, name=with_filters(meta.name, request_data.get("search")))
    figure = safe_figure(request_data.get("figure") or {"data": [], "layout": {}}, max_points, max_traces)
    if fmt in ("png", "svg"):
        return snapshot(figure, meta, fmt), file_name(meta, fmt)
    stored = meta_data.get("data")
    table = pd.DataFrame(stored["rows"], columns=stored["columns"]) if stored else figure_table(figure)
    build = csv_bytes if fmt == "csv" else xlsx_bytes
    return build(table, meta), file_name(meta, fmt)


@hooks.callback(
    Output({"type": EXPORT_DOWNLOAD, "chart": MATCH}, "data"),
    Input({"type": EXPORT_REQUEST, "chart": MATCH}, "data"),
    State({"type": EXPORT_META, "chart": MATCH}, "data"),
    prevent_initial_call=True,
)
def download_chart(request_data: dict | None, meta_data: dict | None) -> dict:
    """Send the file the menu asked for; nothing (the page keeps working) past the client's rate
    limit or for a figure the guard refuses."""
    if not request_data or not meta_data:
        raise PreventUpdate
    config = current_app.config
    try:
        with export_limit():
            content, name = export_file(
                request_data, meta_data, config["EXPORT_MAX_POINTS"], config["EXPORT_MAX_TRACES"]
            )
    except RateLimitExceeded as exc:
        log.warning("chart export refused for %s: rate limit %s", request.remote_addr, exc.description)
        raise PreventUpdate from None
    except FigureRefused as exc:
        log.warning("chart export refused for %s: %s", request.remote_addr, exc)
        raise PreventUpdate from None
    except Exception:  # rendering failed (no browser?): log it, keep the page working
        log.exception("chart export failed")
        raise PreventUpdate from None
    return dcc.send_bytes(content, name, type=MEDIA_TYPES[request_data["fmt"]])


def _report_bar() -> html.Div:
    return html.Div(
        [
            dcc.Location(id=REPORT_URL, refresh=False),
            html.A(
                "Download report (PDF)",
                id=REPORT_LINK,
                href="#",
                download="",
                className="btn btn-outline-secondary btn-sm",
            ),
        ],
        id=REPORT_BAR,
        className=BAR_SHOWN,
    )


def _insert_before_pages(node: object, bar: html.Div) -> bool:
    """Put the bar just above ``dash.page_container``; False when the container is not found."""
    children = getattr(node, "children", None)
    if isinstance(children, list):
        for index, child in enumerate(children):
            if child is dash.page_container:
                children.insert(index, bar)
                return True
        return any(_insert_before_pages(child, bar) for child in children)
    return children is not None and _insert_before_pages(children, bar)


@hooks.layout()
def add_report_bar(layout: object) -> object:
    """Every app layout gets the report link (above the page, or at the end of the frame)."""
    if not dash.page_registry:
        return layout
    bar = _report_bar()
    if not _insert_before_pages(layout, bar):
        return html.Div([bar, layout]) if not isinstance(layout, list) else [bar, *layout]
    return layout


def find_page(pathname: str | None) -> dict | None:
    """The registered page at ``pathname`` (with or without the app's path prefix)."""
    if not pathname:
        return None
    path = dash.strip_relative_path(pathname) or ""
    for page in dash.page_registry.values():
        if (dash.strip_relative_path(page["relative_path"]) or "") == path:
            return page
    return None


@hooks.callback(
    Output(REPORT_LINK, "href"),
    Output(REPORT_LINK, "children"),
    Output(REPORT_BAR, "className"),
    Input(REPORT_URL, "pathname"),
    Input(REPORT_URL, "search"),
)
def report_link(pathname: str | None, search: str | None) -> tuple[str, str, str]:
    """The link to this page's report with its filters and language; hidden off the pages."""
    params = dict(parse_qsl((search or "").lstrip("?")))
    t = translator(params.get("lang"))
    page = find_page(pathname)
    if page is None or page.get("order") is None:
        return "#", t("Download report (PDF)"), BAR_HIDDEN
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in [("page", page["path"]), *params.items()] if k)
    href = dash.get_relative_path("/" + REPORT_ROUTE) + "?" + query
    return href, t("Download report (PDF)"), BAR_SHOWN


def page_report(path: str, params: dict[str, str]) -> tuple[bytes, str]:
    """The PDF of the page at ``path`` with the given query parameters, and its file name.

    Args:
        path: the page's registered path, e.g. ``/connectivity``.
        params: the page's query string (``lang`` and filters).

    Returns:
        (PDF bytes, file name), or raises ``LookupError`` for an unknown page and
        ``DatabaseUnavailable`` when the page's data cannot be read.
    """
    page = find_page(path)
    if page is None or page.get("order") is None:
        raise LookupError(path)
    lang = normalise(params.get("lang"))
    t = translator(lang)
    # The page's own layout, not the ``guarded`` wrapper that would turn a database failure into
    # a banner and so into a report saying "no charts".
    layout = inspect.unwrap(page["layout"]) if callable(page["layout"]) else page["layout"]
    tree = layout(**{**params, "lang": lang}) if callable(layout) else layout
    filters = [(k, v) for k, v in params.items() if k != "lang"]
    title = t(page.get("title") or page.get("name") or path)
    stem = safe_name(f"report_{(page['path'].strip('/') or 'overview')}_{lang}_{datetime.now(UTC):%Y-%m-%d}")
    return report_pdf(title, filters, tree, lang), f"{stem}.pdf"


def _plain(status: int, message: str) -> Response:
    """A short text answer in the language the report was asked in."""
    return Response(translator(request.args.get("lang"))(message), status=status, mimetype="text/plain")


def _too_many_reports(_limit: object) -> Response:
    return _plain(429, N_("Too many reports asked for in a short time. Please try again in a minute."))


@hooks.route(name=REPORT_ROUTE, methods=("GET",))
def report_route() -> Response:
    """``GET /_export/report.pdf?page=/connectivity&lang=tg&...``: the page's report as PDF."""
    params = {k: v for k, v in request.args.items() if k != "page"}
    started = time.perf_counter()
    with report_limit(on_breach=_too_many_reports):  # 429 past this client's rate
        try:
            content, name = page_report(request.args.get("page", "/"), params)
        except LookupError:
            abort(404)
        except DatabaseUnavailable as exc:
            log.warning("report not made, the database is unavailable: %s", exc)
            return _plain(503, N_("The report could not be made now. Please try again later."))
        except Exception:  # no browser, a render that timed out: say so plainly, no traceback
            log.exception("report failed")
            return _plain(503, N_("The report could not be made now. Please try again later."))
    log.info("report %s generated in %.1f s", name, time.perf_counter() - started)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
