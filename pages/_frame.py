"""The frame around every page: its language (``?lang=``, remembered in localStorage, switched in
the navbar) and the texts that follow it.

Why callbacks here and not in the pages: the frame (navbar, footer) is drawn once per page load,
before the server knows the URL, so a callback re-draws it from the URL whenever the URL changes.
Pages read ``lang`` from their own query string, so nothing else has to be told.

The remembered language: a ``dcc.Store`` (localStorage) keeps the last ``lang`` seen in a URL. A
URL without ``lang`` gets the remembered one added *in place* (``history.replaceState``, so the
back button is not trapped): ``assets/00_language_memory.js`` does it before Dash starts, so the
first render is already in the right language, and the clientside callback below does it for
in-app navigation to a link without ``lang``.
"""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Dash, Input, Output, State

from accounts.roles import VIEW
from accounts.web import can, csrf_token, current_account
from components.account_menu import ACCOUNT_MENU, account_menu
from components.layout import (
    BRAND,
    FOOTER,
    LANGUAGE_DEFAULT,
    LANGUAGE_MEMORY,
    LANGUAGE_SWITCH,
    NAV_BRAND,
    NAV_COLLAPSE,
    NAV_LINKS,
    NAV_TOGGLER,
    PAGE_TITLES,
    SKIP,
    SKIP_LINK,
    footer_content,
    language_link_id,
    language_switch,
    nav_links,
    page_titles,
)
from i18n import CONFIG_KEY, LANGUAGES, language_of, normalise, translator, with_language
from pages._view_routing import PAGE_URL

# The Dash Location in the app shell whose pathname/search every page follows.
URL = "url"


def frame_texts(pages, pathname: str | None, search: str | None) -> tuple:
    """Everything in the frame that depends on the language of ``search``.

    Returns:
        (page links, language switch, account corner, brand text, brand href, footer content, tab titles).
        Pages registered with a ``permission`` are linked only for accounts that have it.
    """
    pages = [page for page in pages if can(page.get("permission", VIEW))]
    lang = normalise(language_of(search))
    return (
        nav_links(pages, pathname, lang),
        language_switch(pathname, search, lang),
        account_menu(current_account(), csrf_token(), (pathname or "/") + (search or ""), lang),
        translator(lang)(BRAND),
        "/" + with_language("", lang),
        footer_content(lang),
        page_titles(pages, lang),
    )


def init_app(app: Dash, default_language: str) -> None:
    """Store the default language in the server config and register the frame's callbacks."""
    app.server.config[CONFIG_KEY] = normalise(default_language, default="tg")

    @app.callback(
        Output(NAV_LINKS, "children"),
        Output(LANGUAGE_SWITCH, "children"),
        Output(ACCOUNT_MENU, "children"),
        Output(NAV_BRAND, "children"),
        Output(NAV_BRAND, "href"),
        Output(FOOTER, "children"),
        Output(PAGE_TITLES, "data"),
        Output(SKIP_LINK, "children"),
        Input(URL, "pathname"),
        Input(URL, "search"),
    )
    def _frame(pathname, search):
        skip = translator(normalise(language_of(search)))(SKIP)
        return *frame_texts(dash.page_registry.values(), pathname, search), skip

    app.clientside_callback(
        ClientsideFunction(namespace="i18n", function_name="remember"),
        Output(LANGUAGE_MEMORY, "data"),
        Input(URL, "search"),
        State(LANGUAGE_MEMORY, "data"),
        State(LANGUAGE_DEFAULT, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="i18n", function_name="titles"),
        Output(PAGE_TITLES, "id"),  # nothing to write back: the callback sets document.title
        Input(PAGE_TITLES, "data"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="i18n", function_name="followPage"),
        [Output(language_link_id(code), "href") for code in LANGUAGES],
        Input(PAGE_URL, "search"),
        State(URL, "pathname"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction(namespace="i18n", function_name="toggle"),
        Output(NAV_COLLAPSE, "is_open"),
        Input(NAV_TOGGLER, "n_clicks"),
        State(NAV_COLLAPSE, "is_open"),
        prevent_initial_call=True,
    )
