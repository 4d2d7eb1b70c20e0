"""The frame of every page: navbar built from the page registry, a status banner, a footer."""

from __future__ import annotations

from collections.abc import Iterable

import dash_bootstrap_components as dbc
from dash import html

BRAND = "Digital Tajikistan · KPI dashboard"


def navbar(pages: Iterable[dict]) -> dbc.Navbar:
    """Links to every registered page in ``order``; relative paths keep a path prefix working."""
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in sorted(pages, key=lambda p: p.get("order") or 0)
        if page.get("order") is not None
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(BRAND, href="/", className="fw-semibold"),
                dbc.NavbarToggler(id="navbar-toggler"),
                dbc.Collapse(dbc.Nav(links, navbar=True, className="ms-auto"), id="navbar-collapse", navbar=True),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="mb-0",
    )


def status_banner(error: str | None) -> html.Div:
    """A visible, harmless message when the database cannot be reached."""
    if not error:
        return html.Div(id="status-banner")
    return html.Div(
        dbc.Alert(
            [
                html.Strong("The database is not reachable. "),
                "Figures cannot be shown right now; please try again later or tell the system administrator. ",
                html.Small(f"({error})", className="text-muted"),
            ],
            color="danger",
        ),
        id="status-banner",
    )


def footer() -> html.Footer:
    """Names the data sources and their licences on every page."""
    return html.Footer(
        dbc.Container(
            [
                html.P(
                    [
                        "Sources: World Bank World Development Indicators and ITU (CC BY 4.0); "
                        "Agency on Statistics under the President of the Republic of Tajikistan (census and "
                        "estimates as published); boundaries: geoBoundaries / OpenStreetMap contributors (ODbL 1.0). ",
                        html.Strong("Figures marked synthetic are demonstration data, not statistics."),
                    ],
                    className="mb-1",
                ),
                html.P("Full list with licences: Data and sources page.", className="mb-0"),
            ],
            fluid=True,
        ),
        className="site-footer small text-muted py-3 mt-4 border-top",
    )
