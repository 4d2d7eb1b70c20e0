"""Exports wired into every page, through ``dash.hooks`` so no page has to know about them.

Chart menus (pattern-matching ids from ``components.chart_card``): a clientside callback sends
the chart's key, the page's query string and, for an image, the live figure from the browser
(whatever the page's callbacks made of it). PNG and SVG are the figure with the card's stored
provenance drawn in; CSV and XLSX are built on the server from the query (``exports.chart_data``:
the page's own parser reads the query string, the chart's registered builder reads the data), so
no number in a data file comes from the browser. CSV is made at once in the callback; PNG, SVG
(the export browser) and XLSX, which can take seconds, in a background job (``background_jobs``)
while a "Preparing download…" note shows. What the browser sends is untrusted:
``exports.figure_guard`` strips anything the export browser could fetch and refuses oversized
figures, an unknown chart key is refused, and each client has a rate limit; all are checked in
the web worker before a job starts.

The report bar and the PDF report are in ``pages._report``, imported here.
Imported once by ``app.py`` before the app is built (hooks apply to apps created afterwards).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from dash import ALL, MATCH, Input, Output, State, dcc, hooks, no_update
from dash.exceptions import PreventUpdate
from flask import current_app, request

import background_jobs
from components.chart_card import EXPORT_DOWNLOAD, EXPORT_ITEM, EXPORT_META, EXPORT_REQUEST
from components.report_bar import BUSY_HIDDEN, BUSY_SHOWN, EXPORT_BUSY
from config import Config
from data_loaders.cached import query
from data_loaders.queries import common
from exports import chart_data
from exports.figure_guard import FigureRefused, safe_figure
from exports.meta import ExportMeta, file_name, with_filters
from exports.snapshot import snapshot
from i18n import format_day
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
DATA_FORMATS = ("csv", "xlsx")  # built on the server from the query; the others from the live figure

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
        const image = trigger.fmt === 'png' || trigger.fmt === 'svg';
        const figure = gd && image ? {data: plain(gd.data || []), layout: plain(gd.layout || {})} : null;
        return {
            fmt: trigger.fmt, chart: trigger.chart, figure: figure, search: window.location.search, at: Date.now()
        };
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
        request_data: ``{"fmt", "chart", "figure", "search"}`` from the browser (untrusted).
        meta_data: the card's stored provenance (from the browser too): images only.
        max_points: most array items the figure may hold.
        max_traces: most traces the figure may hold.

    Returns:
        (file bytes, file name).

    Raises:
        FigureRefused: the figure is too large or not a chart this app draws.
        KeyError: data asked for a chart that offers none.
    """
    fmt = request_data.get("fmt")
    if fmt not in MEDIA_TYPES:
        raise ValueError(f"unknown export format {fmt!r}")
    search = request_data.get("search")
    if fmt in DATA_FORMATS:
        return chart_data.data_file(request_data.get("chart"), search if isinstance(search, str) else None, fmt)
    meta = ExportMeta.from_json(meta_data)
    figure = safe_figure(request_data.get("figure") or {"data": [], "layout": {}}, max_points, max_traces)
    loaded = query(common.last_loaded)
    data_date = format_day(loaded, meta.lang) if loaded else ""
    if chart_data.has_data(meta.name):  # the registry's name: what and which filters, as the data files
        entry = chart_data.get(meta.name)
        search = search if isinstance(search, str) else None
        meta = replace(meta, name=entry.stem(entry.parse(search)))
        return snapshot(figure, meta, fmt, data_date, entry.link(search)), f"{meta.name}.{fmt}"
    meta = replace(meta, name=with_filters(meta.name, search))
    return snapshot(figure, meta, fmt, data_date), file_name(meta, fmt)


def _admitted(request_data: dict, meta_data: dict) -> dict:
    """The request counted against the client's export rate, its figure through the guard (an
    image) or its chart checked for a data download (CSV, XLSX: no figure is kept);
    ``PreventUpdate`` (nothing is sent, the page goes on) past the rate or when refused."""
    config = current_app.config
    for_data = request_data.get("fmt") in DATA_FORMATS
    try:
        if for_data and not chart_data.has_data(request_data.get("chart")):
            raise FigureRefused("no data download for this chart")
        with export_limit():
            if for_data:
                return {**request_data, "figure": None}
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
