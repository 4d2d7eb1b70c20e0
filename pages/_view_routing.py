"""A filter change redraws charts, not the page: the router re-renders only for a new page or language.

Dash pages re-run a page's ``layout(**query)`` whenever the shell's location changes. Pages whose
view is a function of the query string (metric, period, place...) instead keep their own
:func:`page_location` (``refresh=False``): a callback writing its ``search`` changes the URL with
``history.pushState`` and does not tell the router, and each chart's callback takes that ``search``
as its input. Back/forward and a link to the same page do reach the router; :func:`view_page` then
answers "no update" when the browser already shows that page in that language, and the page's own
callbacks redraw what changed. The URL stays the single source of the view: a copied link opens
the same view, drawn by ``layout`` in one response.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlencode

import dash
from dash import Dash, Input, Output, State, dcc
from dash.exceptions import MissingCallbackContextException, PreventUpdate

PAGE_URL = "page-url"  # every filterable page's own dcc.Location (one page is shown at a time)
SHOWN_VIEW = "shown-view"  # dcc.Store in the shell: {"path", "lang"} of the page the browser shows
ROUTER_LOCATION, ROUTER_CONTENT = "_pages_location", "_pages_content"  # Dash pages' own ids
# Passed by the router to every layout as keyword arguments (Dash's ``routing_callback_inputs``).
ROUTING_INPUTS = {"shown_view_": State(SHOWN_VIEW, "data")}


def shown_view_store() -> dcc.Store:
    return dcc.Store(id=SHOWN_VIEW)


def init_app(app: Dash) -> None:
    """Record which page and language the browser shows after every render of the router."""
    app.clientside_callback(
        """function (_content, pathname, search) {
            var lang = new URLSearchParams(search || "").get("lang") || "";
            return {path: (pathname || "/").replace(/\\/+$/, "") || "/", lang: lang};
        }""",
        Output(SHOWN_VIEW, "data"),
        Input(ROUTER_CONTENT, "children"),
        State(ROUTER_LOCATION, "pathname"),
        State(ROUTER_LOCATION, "search"),
    )


def rendered_search(params: dict) -> str:
    """The query string the router renders from (``?…``, or ""), for the page's own location."""
    try:
        search = dash.ctx.inputs.get(f"{ROUTER_LOCATION}.search")
    # Outside a callback (the PDF report); LookupError in a thread that never ran one (the route).
    except (LookupError, MissingCallbackContextException):
        search = None
    if search is None:
        pairs = {k: v for k, v in params.items() if isinstance(v, str) and v}
        search = "?" + urlencode(pairs) if pairs else ""
    return search


def page_location(params: dict) -> dcc.Location:
    """The page's own location: writing its ``search`` rewrites the URL without a page render.

    ``search`` is preset to the URL being rendered, so mounting it fires no callback (the layout
    already drew that view); ``pathname`` and ``href`` are filled in by the browser on mount.
    """
    return dcc.Location(id=PAGE_URL, refresh=False, search=rendered_search(params))


def view_page(path: str) -> Callable:
    """Decorate a page's ``layout`` so the router leaves a page that is already shown alone."""

    def decorate(layout: Callable) -> Callable:
        @functools.wraps(layout)
        def wrapper(shown_view_: dict | None = None, **params):
            lang = params.get("lang")
            lang = lang if isinstance(lang, str) else ""
            if shown_view_ and shown_view_.get("path") == path and (shown_view_.get("lang") or "") == lang:
                raise PreventUpdate  # only the query changed: the page's callbacks redraw its charts
            return layout(**params)

        return wrapper

    return decorate
