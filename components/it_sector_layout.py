"""The frame of the IT-sector view: the filter controls, the measure and view switches, the KPI row
and the segments card, with the DOM ids the page's callbacks write to (kept here, beside the
components that carry them, so the page imports them and nothing imports the page)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components.chart_card import source_caption
from components.it_sector_charts import MEASURES, SUBSECTORS, VIEWS
from components.kpi_card import Kpi, kpi_card
from i18n import dropdown_labels

FROM, TO, REGION, SUBSECTOR, PARK, MEASURE, VIEW = (
    "it-from",
    "it-to",
    "it-region",
    "it-subsector",
    "it-park",
    "it-measure",
    "it-view",
)
GROWTH, FLOWS, SIZES, REGIONS, HIGHTECH = "it-growth", "it-flows", "it-sizes", "it-regions", "it-hightech-exports"
SEGMENTS_SUBTITLE, SEGMENTS_BODY = "it-segments-subtitle", "it-segments-body"
BENCHMARK, CAGR = "it-benchmark", "it-cagr"


def kpi_slot(index: int) -> str:
    """The id of the column holding the index-th KPI card (a callback replaces its card)."""
    return f"it-kpi-slot-{index}"


def _labelled(label: str, control_id: str, control, **width) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=control_id, className="small mb-0"), control], **width)


def controls(f: dict, years: list[int], regions: pd.DataFrame, t) -> dbc.Row:
    """Period, region, subsector and the IT Park switch, set to the filters ``f``."""
    year_options = [{"label": str(y), "value": y} for y in years]
    region_options = [{"label": r.name, "value": r.code} for r in regions.itertuples()]
    subsector_options = [{"label": t(label), "value": code} for code, label in SUBSECTORS.items()]
    return dbc.Row(
        [
            _labelled(
                t("From"),
                FROM,
                dcc.Dropdown(
                    labels=dropdown_labels(t), id=FROM, options=year_options, value=f["first"], clearable=False
                ),
                xs=6,
                md=2,
            ),
            _labelled(
                t("To"),
                TO,
                dcc.Dropdown(labels=dropdown_labels(t), id=TO, options=year_options, value=f["last"], clearable=False),
                xs=6,
                md=2,
            ),
            _labelled(
                t("Region"),
                REGION,
                dcc.Dropdown(
                    labels=dropdown_labels(t),
                    id=REGION,
                    options=region_options,
                    value=f["region"],
                    placeholder=t("All regions"),
                ),
                xs=12,
                md=3,
            ),
            _labelled(
                t("Subsector"),
                SUBSECTOR,
                dcc.Dropdown(
                    labels=dropdown_labels(t),
                    id=SUBSECTOR,
                    options=subsector_options,
                    value=f["subsector"],
                    placeholder=t("All subsectors"),
                ),
                xs=12,
                md=3,
            ),
            dbc.Col(
                dbc.Switch(id=PARK, label=t("IT Park residents only"), value=f["park"], className="mt-md-4"),
                xs=12,
                md=2,
            ),
        ],
        className="g-2 mb-3 align-items-end it-filters",
    )


def switches(f: dict, t) -> dbc.Row:
    """The growth chart's measure and view (absolute, index, year-on-year)."""

    def radio(control_id: str, options: dict, value: str) -> dbc.Col:
        items = [{"label": t(label), "value": key} for key, label in options.items()]
        return dbc.Col(
            dbc.RadioItems(id=control_id, options=items, value=value, inline=True, className="small"), xs=12, lg=6
        )

    return dbc.Row(
        [radio(MEASURE, {k: m[1] for k, m in MEASURES.items()}, f["measure"]), radio(VIEW, VIEWS, f["view"])],
        className="mb-2",
    )


def kpi_row(cards: list[Kpi], lang: str) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(kpi_card(k, f"it-kpi-{i}", lang), id=kpi_slot(i), xs=12, sm=6, lg=3, className="mb-3")
            for i, k in enumerate(cards)
        ]
    )


def segments_card(subtitle: str, table: html.Div, sources: pd.DataFrame, t, lang: str) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.H2(t("Largest segments"), className="h6 mb-0"),
                    html.Div(subtitle, id=SEGMENTS_SUBTITLE, className="small text-muted"),
                ]
            ),
            dbc.CardBody(table, id=SEGMENTS_BODY),
            dbc.CardFooter(source_caption(sources, lang)),
        ],
        className="h-100 shadow-sm",
    )
