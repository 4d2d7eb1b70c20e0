"""Shown for any path that is not a page."""

import dash
from dash import html

dash.register_page(__name__, path="/404", name="Not found", title="Page not found")

layout = html.Div(
    [
        html.H1("Page not found", className="h3"),
        html.P("There is no page at this address."),
        html.A("Back to the overview", href="/"),
    ]
)
