"""Honest HTTP status for addresses that are no page: 404, with the app's not-found page.

Dash pages answer every GET path with the same index HTML (its catch-all route) and pick the
page in the browser, so an unknown path answers 200 and crawlers, link checkers and monitoring
take it for a page. This hook sets 404 on catch-all responses whose path resolves to no
registered page; the body stays the index, so the browser still draws the not-found page.
Assets, the API, Dash's own routes, exports and ``/health`` have their own routes and are
never touched.
"""

from __future__ import annotations

import dash
from dash import Dash
from flask import Response, request

NOT_FOUND_MODULE = "not_found_404"  # Dash's name for the page shown for unknown paths


def is_page_path(app: Dash, path: str) -> bool:
    """Whether ``path`` (as requested, slashes as Dash strips them) is a page other than not-found."""
    page_path = "/" + (app.strip_relative_path(path) or "")
    return any(
        page["path"] == page_path and page["module"].split(".")[-1] != NOT_FOUND_MODULE
        for page in dash.page_registry.values()
    )


def init_app(app: Dash) -> None:
    """Answer 404 for a GET (or HEAD) of a path that Dash's catch-all serves but no page owns."""
    catch_all = app.config.routes_pathname_prefix + "<path:path>"

    @app.server.after_request
    def _not_found_status(response: Response) -> Response:
        if request.url_rule is not None and request.url_rule.rule == catch_all and response.status_code == 200:
            if not is_page_path(app, request.path):
                response.status_code = 404
        return response
