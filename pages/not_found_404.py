"""Shown for any path that is not a page, in the language of the URL (``?lang=``)."""

import dash
from dash import html

from i18n import N_, normalise, translator, with_language

dash.register_page(__name__, path="/404", name=N_("Not found"), title="Page not found")


def layout(lang: str | None = None, **_) -> html.Div:
    """A short message and a way back, keeping the language."""
    lang = normalise(lang)
    t = translator(lang)
    return html.Div(
        [
            html.H1(t("Page not found"), className="h3"),
            html.P(t("There is no page at this address.")),
            html.A(t("Back to the overview"), href="/" + with_language("", lang)),
        ]
    )
