"""Data and sources: the catalogue of indicators with source, licence and kind of every number."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.chart_card import chart_card
from components.figures import bar_figure
from data_loaders.queries import common
from pages._data import guarded, query

dash.register_page(
    __name__,
    path="/data",
    name="Data & sources",
    title="Data and sources",
    order=5,
    description="Catalogue of indicators, sources, licences and freshness.",
)


@guarded
def layout(**_query) -> html.Div:
    catalogue = query(common.catalogue)
    sources = query(common.sources)
    counts = catalogue.groupby(["theme", "kind"], as_index=False)["observations"].sum()
    shown = catalogue[
        ["code", "name", "theme", "unit", "kind", "source", "licence", "observations", "first_period", "last_period"]
    ]
    return html.Div(
        [
            html.H1("Data and sources", className="h3"),
            chart_card(
                "data-observations-by-theme",
                "Stored observations by theme and kind of source",
                bar_figure(counts, "theme", "observations", color="kind", unit="observations"),
                sources,
                subtitle="Current revisions only",
            ),
            html.H2("Indicators", className="h5 mt-4"),
            html.Div(
                dbc.Table.from_dataframe(shown, striped=True, size="sm", className="small", id="catalogue-table"),
                className="table-responsive",
            ),
            html.H2("Sources and licences", className="h5 mt-4"),
            html.Div(
                dbc.Table.from_dataframe(
                    sources[["code", "name", "licence", "kind", "retrieved"]],
                    striped=True,
                    size="sm",
                    className="small",
                ),
                className="table-responsive",
            ),
        ]
    )
