"""Exports wired into every page, through ``dash.hooks`` so no page has to know about them.

Chart menus (pattern-matching ids from ``components.chart_card``): a clientside callback reads
the live figure from the browser (whatever the page's callbacks made of it) and the server turns
it, with the card's stored provenance and data, into a file. CSV is made at once in the callback;
PNG, SVG (the export browser) and XLSX, which can take seconds, in a background job
(``background_jobs``) while a "Preparing download…" note shows. What the browser sends is
untrusted: ``exports.figure_guard`` strips anything the export browser could fetch and refuses
oversized figures, and each client has a rate limit; both are checked in the web worker before
a job starts.

The report bar and the PDF report are in ``pages._report``, imported here.
Imported once by ``app.py`` before the app is built (hooks apply to apps created afterwards).
"""

from __future__ import annotations

import logging
from dataclasses import replace

import pandas as pd
from dash import ALL, MATCH, Input, Output, State, dcc, hooks, no_update
from dash.exceptions import PreventUpdate
from flask import current_app, request

import background_jobs
from components.chart_card import EXPORT_DOWNLOAD, EXPORT_ITEM, EXPORT_META, EXPORT_REQUEST
from components.report_bar import BUSY_HIDDEN, BUSY_SHOWN, EXPORT_BUSY
from config import Config
from exports.figure_guard import FigureRefused, safe_figure
from exports.meta import ExportMeta, file_name, with_filters
from exports.snapshot import snapshot
from exports.tables import csv_bytes, figure_table, xlsx_bytes
from pages import _report  # noqa: F401 - registers the report bar, its job and the report route
from security.rate_limits import RateLimitExceeded, export_limit

log = logging.getLogger("dashboard")

MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
AT_ONCE = ("csv",)  # made in the callback; the other formats in a background job

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


def _admitted(request_data: dict, meta_data: dict) -> dict:
    """The request with its figure through the guard, counted against the client's export rate;
    ``PreventUpdate`` (nothing is sent, the page goes on) past the rate or for a refused figure."""
    config = current_app.config
    try:
        with export_limit():
            figure = request_data.get("figure") or {"data": [], "layout": {}}
            guarded = safe_figure(figure, config["EXPORT_MAX_POINTS"], config["EXPORT_MAX_TRACES"])
    except RateLimitExceeded as exc:
        log.warning("chart export refused for %s: rate limit %s", request.remote_addr, exc.description)
        raise PreventUpdate from None
    except FigureRefused as exc:
        log.warning("chart export refused for %s: %s", request.remote_addr, exc)
        raise PreventUpdate from None
    return {**request_data, "figure": guarded}


def _sent(request_data: dict, meta_data: dict) -> dict:
    """The file as a ``dcc.Download`` value; nothing sent (logged) when making it fails."""
    config = current_app.config
    try:
        content, name = export_file(request_data, meta_data, config["EXPORT_MAX_POINTS"], config["EXPORT_MAX_TRACES"])
    except Exception:  # rendering failed (no browser?): log it, keep the page working
        log.exception("chart export failed")
        raise PreventUpdate from None
    return dcc.send_bytes(content, name, type=MEDIA_TYPES[request_data["fmt"]])


@hooks.callback(
    Output({"type": EXPORT_DOWNLOAD, "chart": MATCH}, "data"),
    Input({"type": EXPORT_REQUEST, "chart": MATCH}, "data"),
    State({"type": EXPORT_META, "chart": MATCH}, "data"),
    prevent_initial_call=True,
)
def download_at_once(request_data: dict | None, meta_data: dict | None) -> dict:
    """CSV, made in the request: it takes milliseconds."""
    if not request_data or not meta_data or request_data.get("fmt") not in AT_ONCE:
        raise PreventUpdate
    return _sent(_admitted(request_data, meta_data), meta_data)


@background_jobs.admission(EXPORT_DOWNLOAD)
def admit_chart_job(args: list) -> list:
    """In the web worker, before a snapshot or XLSX job starts: its format, rate and figure guard."""
    request_data, meta_data = args
    if not request_data or not meta_data or request_data.get("fmt") not in MEDIA_TYPES.keys() - AT_ONCE:
        raise PreventUpdate
    return [_admitted(request_data, meta_data), meta_data]


def _job_failed(error: Exception) -> object:
    """``on_error`` of the export job: logged, nothing sent, the page goes on."""
    log.warning("chart export not made: %s", error)
    return no_update


@hooks.callback(
    Output({"type": EXPORT_DOWNLOAD, "chart": MATCH}, "data", allow_duplicate=True),
    Input({"type": EXPORT_REQUEST, "chart": MATCH}, "data"),
    State({"type": EXPORT_META, "chart": MATCH}, "data"),
    background=True,
    running=[(Output(EXPORT_BUSY, "className"), BUSY_SHOWN, BUSY_HIDDEN)],
    interval=300,
    on_error=_job_failed,
    prevent_initial_call=True,
)
@background_jobs.in_app_context
def download_in_background(request_data: dict, meta_data: dict) -> dict:
    """PNG, SVG and XLSX, made in a background job from the admitted request."""
    return _sent(request_data, meta_data)
