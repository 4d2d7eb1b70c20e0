"""The frame of the targets page: the illustrative-targets notice, how the status is decided, and
the theme and region controls. Pure builders; the blocks and the table come from the page."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from i18n import dropdown_labels
from metrics.anticipated_progress import BASE_YEAR
from metrics.anticipated_progress import RULE as ESCAP_RULE
from metrics.status import RULE


def intro(t) -> list:
    """The page's heading, the notice that some targets are illustrative, and the method."""
    return [
        html.H1(t("Progress against targets"), className="h3"),
        dbc.Alert(
            [
                html.Strong(t("Illustrative targets")),
                ": ",
                t(
                    "targets marked illustrative were set by this project for demonstration; the numeric targets "
                    "of the Digital Economy Concept are not published in machine-readable form."
                ),
            ],
            color="warning",
            className="small",
        ),
        html.Div(
            [
                html.P([html.Strong(t("How the status is decided. ")), t(ESCAP_RULE)], className="mb-1"),
                html.P(
                    t(
                        "A target whose year is over is shown as met or missed by the value observed by the end "
                        "of that year. Base year of the ESCAP method: {year}."
                    ).format(year=BASE_YEAR),
                    className="mb-1",
                ),
                html.P(
                    [
                        html.Strong(t("The projection in the charts and the table. ")),
                        t(RULE),
                        " ",
                        t(
                            "Baseline of the path needed: the last value of 2019 (the Digital Economy Concept was "
                            "adopted on 30.12.2019), or the first value when the series starts later. A share is "
                            "never projected above 100 %."
                        ),
                    ],
                    className="mb-0",
                ),
            ],
            className="small text-muted tgt-rule mb-3",
        ),
    ]


def controls(ids: tuple[str, str], themes: list[dict], regions: list[dict], values: tuple, t) -> dbc.Row:
    """The theme and region dropdowns (ids ``(theme, region)``, values ``(theme, region)``)."""
    (theme_id, region_id), (theme, region) = ids, values
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("Theme"), html_for=theme_id),
                    dcc.Dropdown(
                        labels=dropdown_labels(t), id=theme_id, options=themes, value=theme, placeholder=t("All themes")
                    ),
                ],
                md=4,
            ),
            dbc.Col(
                [
                    dbc.Label(t("Region"), html_for=region_id),
                    dcc.Dropdown(
                        labels=dropdown_labels(t),
                        id=region_id,
                        options=regions,
                        value=region,
                        placeholder=t("Tajikistan (targets as set)"),
                    ),
                ],
                md=4,
            ),
        ],
        className="mb-3",
    )
