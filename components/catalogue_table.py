"""Tables of the Data and sources page: the catalogue, import history, revisions, breaks, a series.

Pure functions (DataFrame in, component out). Each table that shows or counts synthetic values
carries the ``synthetic-badge``, on its rows or above it, so no synthetic number passes as real.
"""

from __future__ import annotations

from collections.abc import Callable

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.chart_card import synthetic_badge
from components.provenance import THEME_LABELS, day_text, kind_badge, loaded_by_text, source_link
from exports.meta import licence_text
from i18n import format_number, format_periods, format_quarter, reference_text, translator


def _table(headers: list[str], rows: list[html.Tr], class_name: str, lang: str | None) -> html.Div:
    """A table of records that a phone shows one record a block, each cell under its header's name
    (``data-label``, assets/10_dashboard.css): the catalogue's ten columns, scrolled sideways on a
    phone, cut every name at the screen's edge and stood 150–450 px a row."""
    t = translator(lang)
    if not rows:
        return html.P(t("Nothing to show."), className=f"text-muted small {class_name}")
    labels = [t(h) for h in headers]
    for row in rows:
        for cell, label in zip(row.children, labels, strict=True):
            setattr(cell, "data-label", label)
    head = html.Thead(html.Tr([html.Th(label) for label in labels]))
    table = dbc.Table(
        [head, html.Tbody(rows)], size="sm", striped=True, hover=True, className=f"small records-table {class_name}"
    )
    return html.Div(table, className="table-responsive")


def _periods(row: object, lang: str | None) -> str:
    first, last = getattr(row, "first_period", None), getattr(row, "last_period", None)
    periods = f"{first} – {last}" if isinstance(first, str) and isinstance(last, str) else "—"
    return format_periods(periods, lang)


def catalogue_table(frame: pd.DataFrame, href_for: Callable[[str], str], lang: str | None = None) -> html.Div:
    """The catalogue: one row per indicator, its code linking to the indicator's page.

    Args:
        frame: from ``queries.catalogue.catalogue``.
        href_for: the link to an indicator's page, given its code (keeps ``lang`` in the URL).
        lang: UI language.

    Returns:
        A responsive table (class ``catalogue-table``), or a "nothing to show" line.
    """
    t = translator(lang)
    rows = []
    for row in frame.itertuples():
        synthetic = row.kind == "synthetic" or row.synthetic_observations > 0
        rows.append(
            html.Tr(
                [
                    html.Td(html.A(row.code, href=href_for(row.code), className="indicator-link text-nowrap")),
                    html.Td(row.name, title=reference_text(row.definition, lang) or None, style={"minWidth": "14rem"}),
                    html.Td(t(THEME_LABELS.get(row.theme, row.theme))),
                    html.Td(row.unit),
                    html.Td(synthetic_badge(lang) if synthetic else kind_badge(row.kind, lang)),
                    html.Td(
                        [
                            source_link(reference_text(row.source, lang), row.source_url),
                            html.Div(licence_text(row.licence, lang), className="text-muted"),
                        ]
                    ),
                    html.Td(_periods(row, lang), className="text-nowrap"),
                    html.Td(format_number(row.geos, 0, lang), className="text-end"),
                    html.Td(
                        format_number(row.observations, 0, lang) if not row.derived else t("computed"),
                        className="text-end",
                    ),
                    html.Td(day_text(row.last_loaded, lang)),
                ],
                className="catalogue-row",
                **{"data-code": row.code},
            )
        )
    headers = ["Code", "Indicator", "Theme", "Unit", "Kind", "Source", "Periods", "Geos", "Observations", "Last loaded"]
    return _table(headers, rows, "catalogue-table", lang)


def revisions_table(frame: pd.DataFrame, lang: str | None = None) -> html.Div:
    """Each import batch that brought values of one indicator: new keys, revised values, still current."""
    rows = [
        html.Tr(
            [
                html.Td(str(row.batch_id)),
                html.Td(row.file_name),
                html.Td(
                    f"{day_text(row.loaded_at, lang)} {pd.Timestamp(row.loaded_at):%H:%M}", className="text-nowrap"
                ),
                html.Td(loaded_by_text(row.loaded_by, lang)),
                html.Td(format_number(row.values, 0, lang), className="text-end"),
                html.Td(format_number(row.new, 0, lang), className="text-end"),
                html.Td(format_number(row.revised, 0, lang), className="text-end"),
                html.Td(format_number(row.still_current, 0, lang), className="text-end"),
            ]
        )
        for row in frame.itertuples()
    ]
    headers = ["Batch", "File", "Loaded at (UTC)", "Loaded by", "Values", "New", "Revised", "Still current"]
    return _table(headers, rows, "revisions-table", lang)


def breaks_table(frame: pd.DataFrame, decimals: int = 1, lang: str | None = None) -> html.Div:
    """Observations flagged as a break in series: not comparable with the values before them."""
    rows = [
        html.Tr(
            [
                html.Td(row.geo_name),
                html.Td(format_quarter(row.period, lang)),
                html.Td(row.breakdown),
                html.Td(format_number(row.value, decimals, lang), className="text-end"),
                html.Td(row.comment or ""),
            ]
        )
        for row in frame.itertuples()
    ]
    return _table(["Geography", "Period", "Breakdown", "Value", "Comment"], rows, "breaks-table", lang)


def series_table(frame: pd.DataFrame, decimals: int = 1, lang: str | None = None) -> html.Div:
    """The charted series as a table: one row per period, one column per geography.

    Args:
        frame: from ``queries.catalogue.chart_series`` (geo_name, period, period_start, value,
            source_kind).
        decimals: the indicator's decimals.
        lang: UI language.

    Returns:
        A table (class ``series-table``) with a synthetic badge above it when any value is synthetic.
    """
    t = translator(lang)
    if frame.empty:
        return _table([], [], "series-table", lang)
    wide = frame.pivot_table(index=["period_start", "period"], columns="geo_name", values="value", aggfunc="first")
    wide = wide.sort_index(ascending=False)
    geos = list(wide.columns)
    rows = [
        html.Tr(
            [html.Td(format_quarter(period, lang), className="text-nowrap")]
            + [html.Td(format_number(values[g], decimals, lang), className="text-end") for g in geos]
        )
        for (_, period), values in wide.iterrows()
    ]
    head = html.Thead(html.Tr([html.Th(t("Period"))] + [html.Th(g, className="text-end") for g in geos]))
    table = dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, className="small mb-0")
    badge = [synthetic_badge(lang)] if (frame["source_kind"] == "synthetic").any() else []
    return html.Div(
        [*badge, html.Div(table, className="table-responsive", style={"maxHeight": "26rem", "overflowY": "auto"})],
        className="series-table data-table",
    )
