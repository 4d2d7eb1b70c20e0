"""The PDF report of a page: from the button, made in a background job (``background_jobs``) so the
web worker stays free; from the route, in the request, for machines and links.

* "Download report (PDF)": a button above every page. A click starts a job that renders the page's
  registered ``layout(**query)`` for the URL's path and query and prints its KPI cards and charts
  with the export browser; meanwhile the button is disabled and a progress bar counts the charts,
  with a cancel button; the PDF arrives through ``dcc.Download``. Starting a job is rate limited
  per client (``REPORT_RATE_LIMIT``), checked in the web worker however the request was sent.
* ``GET /_export/report.pdf?page=<path>&<the page's query string>``: the same PDF for machines and
  links, under the same rate limit (429 past it; 503 when the page's data cannot be read).

Imported by ``pages._exports`` before the app is built (hooks apply to apps created afterwards).
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import dash
from dash import Input, Output, State, dcc, hooks, html, no_update
from dash.exceptions import PreventUpdate
from flask import Response, abort, request

import background_jobs
from components.report_bar import (
    BAR_HIDDEN,
    BAR_SHOWN,
    EXPORT_BUSY_TEXT,
    MESSAGE_HIDDEN,
    MESSAGE_SHOWN,
    PROGRESS_HIDDEN,
    PROGRESS_SHOWN,
    REPORT_BAR,
    REPORT_BUTTON,
    REPORT_CANCEL,
    REPORT_DOWNLOAD,
    REPORT_MESSAGE,
    REPORT_PROGRESS,
    REPORT_PROGRESS_BAR,
    REPORT_STATUS,
    REPORT_URL,
    report_bar,
)
from data_loaders.cached import DatabaseUnavailable
from exports.meta import safe_name
from exports.report import report_pdf
from exports.report_tables import page_extras
from i18n import N_, language_of, normalise, translator
from pages._view_routing import PAGE_URL
from security.rate_limits import RateLimitExceeded, report_limit

log = logging.getLogger("dashboard")

REPORT_ROUTE = "_export/report.pdf"
TOO_MANY = N_("Too many reports asked for in a short time. Please try again in a minute.")
NOT_NOW = N_("The report could not be made now. Please try again later.")
BUSY = N_("Other reports are being made. Please try again in a minute.")
TIMED_OUT = N_("The report took too long and was stopped. Please try again.")


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
    """Every app layout gets the report bar: above the page, or first in the frame."""
    if not dash.page_registry:
        return layout
    bar = report_bar()
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


def _reported(page: dict | None) -> bool:
    # a page of its own permission (/import, /admin/accounts) is a tool, not a view to report on
    return page is not None and page.get("order") is not None and "permission" not in page


@hooks.callback(
    Output(REPORT_BUTTON, "children"),
    Output(REPORT_STATUS, "children"),
    Output(REPORT_CANCEL, "children"),
    Output(EXPORT_BUSY_TEXT, "children"),
    Output(REPORT_BAR, "className"),
    Input(REPORT_URL, "pathname"),
    Input(REPORT_URL, "search"),
)
def report_bar_texts(pathname: str | None, search: str | None) -> tuple[str, str, str, str, str]:
    """The bar's words in the URL's language; the bar is hidden off the pages."""
    t = translator(language_of(search))
    shown = BAR_SHOWN if _reported(find_page(pathname)) else BAR_HIDDEN
    return t("Download report (PDF)"), t("Preparing report…"), t("Cancel"), t("Preparing download…"), shown


def page_report(
    path: str, params: dict[str, str], progress: Callable[[int, int], None] | None = None
) -> tuple[bytes, str]:
    """The PDF of the page at ``path`` with the given query parameters, and its file name.

    Args:
        path: the page's registered path, e.g. ``/connectivity``.
        params: the page's query string (``lang`` and filters).
        progress: told ``(steps done, steps in all)`` as the charts are drawn.

    Returns:
        (PDF bytes, file name), or raises ``LookupError`` for an unknown page and
        ``DatabaseUnavailable`` when the page's data cannot be read.
    """
    page = find_page(path)
    if not _reported(page):
        raise LookupError(path)
    lang = normalise(params.get("lang"))
    t = translator(lang)
    # The page's own layout, not the ``guarded`` wrapper that would turn a database failure into
    # a banner and so into a report saying "no charts".
    layout = inspect.unwrap(page["layout"]) if callable(page["layout"]) else page["layout"]
    tree = layout(**{**params, "lang": lang}) if callable(layout) else layout
    extras = page_extras(page["path"], params, lang)
    title = t(page.get("title") or page.get("name") or path)
    stem = safe_name(f"report_{(page['path'].strip('/') or 'overview')}_{lang}_{datetime.now(UTC):%Y-%m-%d}")
    return report_pdf(title, list(extras.filters), tree, lang, progress, extras), f"{stem}.pdf"


def _search_of(href: str | None) -> str:
    query = urlsplit(href or "").query
    return f"?{query}" if query else ""


# A filter change rewrites the page's own location (pages/_view_routing.py), which the bar's location
# does not hear: its href follows, so the report is of the view on the screen, not the one first drawn.
hooks.clientside_callback(
    "function (_search) { return window.location.href; }",
    Output(REPORT_URL, "href"),
    Input(PAGE_URL, "search"),
    prevent_initial_call=True,
)


def count_report() -> None:
    """One report counted against the client's rate, the route's and the job's alike (or 429)."""
    with report_limit(on_breach=_too_many_reports):
        pass


@background_jobs.admission(REPORT_DOWNLOAD)
def admit_report(args: list) -> list:
    """In the web worker, before a report job starts: the client's rate limit, a known page."""
    clicks, pathname, href = args
    search = _search_of(href)
    try:
        count_report()
    except RateLimitExceeded as exc:
        log.warning("report refused for %s: rate limit %s", request.remote_addr, exc.description)
        raise background_jobs.JobRefused(translator(language_of(search))(TOO_MANY)) from None
    page = find_page(pathname)
    if not _reported(page):
        raise PreventUpdate
    return [clicks, page["path"], search]


def _in_view_language(message: str) -> str:
    """``message`` in the language of the view the report was asked for (the request's state)."""
    return translator(language_of(_search_of(dash.ctx.states.get(f"{REPORT_URL}.href"))))(message)


def _report_failed(error: Exception) -> tuple:
    """``on_error`` of the report job: why it was refused, or that no report could be made."""
    if isinstance(error, background_jobs.JobRefused):
        return no_update, str(error)
    if isinstance(error, background_jobs.JobsBusy):  # refused as it started: the URL is at hand
        log.warning("report refused: %s", error)
        return no_update, _in_view_language(BUSY)
    if background_jobs.timed_out(error):  # stopped at its limit by the poll that brought this
        log.warning("report job stopped: %s", error)
        return no_update, _in_view_language(TIMED_OUT)
    log.error("report job failed: %s", error)
    return no_update, translator(None)(NOT_NOW)


@hooks.callback(
    Output(REPORT_DOWNLOAD, "data"),
    Output(REPORT_MESSAGE, "children"),
    Input(REPORT_BUTTON, "n_clicks"),
    State(REPORT_URL, "pathname"),
    State(REPORT_URL, "href"),  # follows the page's own location (below): the view shown now
    background=True,
    running=[
        (Output(REPORT_BUTTON, "disabled"), True, False),
        (Output(REPORT_PROGRESS, "className"), PROGRESS_SHOWN, PROGRESS_HIDDEN),
        (Output(REPORT_MESSAGE, "className"), MESSAGE_HIDDEN, MESSAGE_SHOWN),
    ],
    progress=[Output(REPORT_PROGRESS_BAR, "value"), Output(REPORT_PROGRESS_BAR, "label")],
    progress_default=[0, ""],
    cancel=[Input(REPORT_CANCEL, "n_clicks")],
    interval=500,
    on_error=_report_failed,
    prevent_initial_call=True,
)
@background_jobs.in_app_context
def make_report(set_progress: Callable, _clicks: int, path: str, search: str | None) -> tuple:
    """The background job: the page's PDF, with the charts drawn counted on the progress bar."""
    params = dict(parse_qsl((search or "").lstrip("?")))
    t = translator(params.get("lang"))
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        set_progress((round(100 * done / max(total, 1)), f"{done}/{total}"))

    try:
        content, name = page_report(path, params, progress)
    except DatabaseUnavailable as exc:
        log.warning("report not made, the database is unavailable: %s", exc)
        return no_update, t(NOT_NOW)
    except Exception:  # no browser, a render that timed out: say so plainly
        log.exception("report failed")
        return no_update, t(NOT_NOW)
    log.info("report %s generated in %.1f s (background job)", name, time.perf_counter() - started)
    return dcc.send_bytes(content, name, type="application/pdf"), ""


def _plain(status: int, message: str) -> Response:
    """A short text answer in the language the report was asked in."""
    return Response(translator(request.args.get("lang"))(message), status=status, mimetype="text/plain")


def _too_many_reports(_limit: object) -> Response:
    return _plain(429, TOO_MANY)


@hooks.route(name=REPORT_ROUTE, methods=("GET",))
def report_route() -> Response:
    """``GET /_export/report.pdf?page=/connectivity&lang=tg&...``: the page's report as PDF."""
    params = {k: v for k, v in request.args.items() if k != "page"}
    started = time.perf_counter()
    count_report()  # 429 past this client's rate
    path = request.args.get("page", "/")
    if not _reported(find_page(path)):
        abort(404)
    try:
        content, name = page_report(path, params)
    except DatabaseUnavailable as exc:
        log.warning("report not made, the database is unavailable: %s", exc)
        return _plain(503, NOT_NOW)
    except Exception:  # no browser, a render that timed out: say so plainly, no traceback
        log.exception("report failed")
        return _plain(503, NOT_NOW)
    log.info("report %s generated in %.1f s", name, time.perf_counter() - started)
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


PROGRESS_ROUTE = "report/progress"
PROGRESS_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@hooks.route(name=PROGRESS_ROUTE, methods=("GET",))
def progress_route() -> Response:
    """``GET /report/progress?period=2026-Q3&lang=tg&format=pdf|xlsx``: every KPI of the registry over
    the last four quarters up to ``period`` (2020-Q1 to the current quarter). Needs the download
    permission (a partner's with ``PUBLIC_READ=0``), counts against the report rate limit, and says
    plainly what is wrong with a period or format it cannot read (400)."""
    from accounts.roles import DOWNLOAD
    from accounts.web import can, current_account
    from exports.progress_report import BAD_FORMAT, bad_period_message, progress_pdf, progress_xlsx, valid_period

    if not can(DOWNLOAD):
        abort(401 if current_account() is None else 403)
    period, fmt = request.args.get("period", ""), request.args.get("format", "pdf")
    if not valid_period(period):
        return Response(bad_period_message(request.args.get("lang")), status=400, mimetype="text/plain")
    if fmt not in PROGRESS_TYPES:
        return _plain(400, BAD_FORMAT)
    count_report()  # 429 past this client's rate, one count with the page reports
    lang = normalise(request.args.get("lang"))
    started = time.perf_counter()
    try:
        content = (progress_pdf if fmt == "pdf" else progress_xlsx)(period, lang)
    except DatabaseUnavailable as exc:
        log.warning("progress report not made, the database is unavailable: %s", exc)
        return _plain(503, NOT_NOW)
    except Exception:  # no browser, a render that timed out: say so plainly, no traceback
        log.exception("progress report failed")
        return _plain(503, NOT_NOW)
    name = safe_name(f"progress-report_{period}_{lang}") + f".{fmt}"
    log.info("progress report %s generated in %.1f s", name, time.perf_counter() - started)
    return Response(
        content,
        mimetype=PROGRESS_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
