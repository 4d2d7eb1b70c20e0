"""The frame of every page: navbar built from the page registry, a language switch, a status banner
and a footer.

The frame is drawn once per page load, before the URL's language is known to the server, so its
texts are produced by pure builders (:func:`nav_links`, :func:`language_switch`,
:func:`footer_content`) that a callback re-runs whenever the URL changes. Every link keeps the
language in its query string, and the switch keeps every other query parameter, so a shared link
opens in the same language and the same view.
"""

from __future__ import annotations

from collections.abc import Iterable

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.account_menu import ACCOUNT_MENU
from i18n import LANGUAGES, N_, normalise, translator, with_language

BRAND = N_("Digital Tajikistan · KPI dashboard")

# IDs of the parts the language callback rewrites; named once here and used by pages._frame.
NAV_BRAND = "navbar-brand"
NAV_LINKS = "navbar-links"
LANGUAGE_SWITCH = "language-switch"
LANGUAGE_MEMORY = "language-memory"  # dcc.Store in localStorage: the last language chosen
LANGUAGE_DEFAULT = "language-default"  # dcc.Store: the app's default, for a URL without lang
PAGE_TITLES = "page-titles"  # dcc.Store: each page's browser-tab title in the UI language
NAV_TOGGLER, NAV_COLLAPSE = "navbar-toggler", "navbar-collapse"
FOOTER = "site-footer"
MAIN, SKIP_LINK = "main-content", "skip-link"
SKIP = N_("Skip to main content")


def language_link_id(lang: str) -> str:
    """The id of the switch's link to ``lang`` (``language-ru``)."""
    return f"language-{lang}"


def _pages_in_order(pages: Iterable[dict]) -> list[dict]:
    return [p for p in sorted(pages, key=lambda p: p.get("order") or 0) if p.get("order") is not None]


def nav_links(pages: Iterable[dict], pathname: str | None = None, lang: str | None = None) -> list:
    """Links to every registered page in ``order``, named in ``lang``, each keeping ``lang``.

    Args:
        pages: ``dash.page_registry.values()``; pages without an ``order`` are not listed.
        pathname: the current path, to mark the active link.
        lang: UI language.

    Returns:
        ``dbc.NavItem`` children for the navbar's ``dbc.Nav``.
    """
    lang = normalise(lang)
    t = translator(lang)
    items = []
    for page in _pages_in_order(pages):
        path, name = page["relative_path"], page["name"]  # the name is marked N_() in the page module
        items.append(
            dbc.NavItem(
                dbc.NavLink(
                    t(name),
                    href=path + with_language("", lang),
                    active=(pathname or "/") == path,
                )
            )
        )
    return items


def page_titles(pages: Iterable[dict], lang: str | None = None) -> dict[str, str]:
    """Each page's browser-tab title (as registered, in English) -> the title in ``lang``."""
    t = translator(lang)
    titles = {page.get("title") for page in pages}
    return {title: t(title) for title in titles if isinstance(title, str) and title}


def language_switch(pathname: str | None = None, search: str | None = None, lang: str | None = None) -> list:
    """Tajik / Russian / English links to the same view with every other query parameter kept.

    Args:
        pathname: the current path.
        search: the current query string (``?metric=4g&lang=tg``).
        lang: the language shown now (marked active).

    Returns:
        ``dbc.NavItem`` children for the switch's ``dbc.Nav``; each link has the id
        :func:`language_link_id` and its own ``lang`` attribute for screen readers.
    """
    lang = normalise(lang)
    return [
        dbc.NavItem(
            dbc.NavLink(
                html.Span(label, lang=code),
                id=language_link_id(code),
                href=(pathname or "/") + with_language(search, code),
                active=code == lang,
                class_name="language-link px-2",
            )
        )
        for code, label in LANGUAGES.items()
    ]


def skip_link(lang: str | None = None) -> html.A:
    """The first thing a keyboard reaches: "Skip to main content", shown only while focused."""
    text = translator(normalise(lang))(SKIP)
    return html.A(text, id=SKIP_LINK, href=f"#{MAIN}", className="visually-hidden-focusable skip-link")


def navbar(pages: Iterable[dict], lang: str | None = None) -> dbc.Navbar:
    """The top bar: brand, page links and the language switch (rewritten by ``pages._frame``)."""
    pages = list(pages)
    lang = normalise(lang)
    t = translator(lang)
    return dbc.Navbar(
        dbc.Container(
            [
                dcc.Store(id=LANGUAGE_MEMORY, storage_type="local"),
                dcc.Store(id=LANGUAGE_DEFAULT, data=normalise(None)),
                dcc.Store(id=PAGE_TITLES, data={}),
                dbc.NavbarBrand(t(BRAND), id=NAV_BRAND, href="/", className="fw-semibold"),
                dbc.NavbarToggler(id=NAV_TOGGLER),
                dbc.Collapse(
                    [
                        dbc.Nav(nav_links(pages, None, lang), id=NAV_LINKS, navbar=True, className="ms-auto"),
                        dbc.Nav([], id=ACCOUNT_MENU, navbar=True, className="ms-xl-2 account-menu"),
                        dbc.Nav(
                            language_switch(None, None, lang),
                            id=LANGUAGE_SWITCH,
                            navbar=True,
                            className="ms-xl-2 language-switch",
                        ),
                    ],
                    id=NAV_COLLAPSE,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        expand="xl",  # Tajik and Russian labels need the width; below it the menu folds
        className="mb-0",
    )


def status_banner(lang: str | None = None) -> html.Div:
    """What a page shows in place of its figures when the database cannot be reached: the trouble
    in words in the UI language; the technical reason goes to the server log, not to the reader."""
    t = translator(lang)
    return html.Div(
        dbc.Alert(
            [
                html.Strong(t("The database is not reachable.") + " "),
                t("Figures cannot be shown right now; please try again later or tell the system administrator."),
            ],
            color="danger",
        ),
        id="status-banner",
    )


def footer_content(lang: str | None = None) -> list:
    """The footer's text in ``lang``: the data sources with their licences."""
    t = translator(lang)
    return [
        html.P(
            [
                t(
                    "Sources: World Bank World Development Indicators and ITU (CC BY 4.0); "
                    "Agency on Statistics under the President of the Republic of Tajikistan (census and "
                    "estimates as published); boundaries: geoBoundaries / OpenStreetMap contributors (ODbL 1.0)."
                )
                + " ",
                html.Strong(t("Figures marked synthetic are demonstration data, not statistics.")),
            ],
            className="mb-1",
        ),
        html.P(
            html.A(
                t("Full list with licences: Data and sources page."), href="/data" + with_language("", normalise(lang))
            ),
            className="mb-0",
        ),
    ]


def footer(lang: str | None = None) -> html.Footer:
    """Names the data sources and their licences on every page."""
    return html.Footer(
        dbc.Container(footer_content(lang), id=FOOTER, fluid=True),
        className="site-footer small text-muted py-3 mt-4 border-top",
    )
