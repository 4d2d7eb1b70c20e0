"""The priority list: coverage units ranked by people without coverage, as a sortable table.

People, not percentages: a district at 40 % with 20 000 people matters less to a budget than one
at 85 % with 90 000 people left out. The gap to target says how many people a programme must
reach there.

A semantic ``<table>`` (at most 59 rows, all shown in a scrolling region): each column header is
a button that sorts by it (``aria-sort`` says how the table is sorted), so the table is read by a
screen reader as a table and used from the keyboard with Tab and Enter alone, with no pager
and no keyboard trap.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from i18n import N_, format_number, normalise, translator

SORT = "conn-priority-sort"  # pattern-matching id type of a header's sort button: {"type", "column"}
COLUMNS = ("rank", "name", "region_name", "uncovered", "gap_people", "value", "population")
PEOPLE = ("uncovered", "gap_people", "population")
TEXT = ("name", "region_name")
HEADERS = {
    "rank": "#",
    "name": N_("District"),
    "region_name": N_("Region"),
    "uncovered": N_("People without 4G"),
    "gap_people": N_("People to cover to reach the target"),
    "value": N_("4G coverage"),
    "population": N_("Population"),
}
DEFAULT_SORT = ("rank", "ascending")


def priority_rows(frame: pd.DataFrame) -> list[dict]:
    """The table's rows: people rounded to hundreds (a ranking, not a census)."""
    if not len(frame):
        return []
    data = frame.copy()
    for column in PEOPLE:
        if column in data:
            data[column] = data[column].round(-2)
    keep = [*COLUMNS, *(["geo_code"] if "geo_code" in data else [])]
    return data[keep].to_dict("records")


def next_sort(current: tuple[str, str] | list | None, clicked: str | None) -> tuple[str, str]:
    """The sort after a click on ``clicked``'s header: the same column flips direction, another
    column starts descending for numbers (largest first) and ascending for names."""
    column, direction = tuple(current) if current else DEFAULT_SORT
    if clicked not in COLUMNS:
        return column, direction
    if clicked == column:
        return column, "descending" if direction == "ascending" else "ascending"
    return clicked, "ascending" if clicked in (*TEXT, "rank") else "descending"


def _cell(row: dict, column: str, lang: str) -> html.Td:
    value = row[column]
    if column in TEXT:
        return html.Td(value)
    decimals = 1 if column == "value" else 0
    return html.Td(format_number(value, decimals, lang), className="text-end")


def _header(column: str, sort: tuple[str, str], unit: str, lang: str) -> html.Th:
    t = translator(lang)
    label = HEADERS[column] if column == "rank" else t(HEADERS[column])
    label = f"{label}, {unit}" if column == "value" else label
    sorted_here = sort[0] == column
    arrow = ("▲" if sort[1] == "ascending" else "▼") if sorted_here else ""
    button = html.Button(
        [label, html.Span(f" {arrow}", **{"aria-hidden": "true"}) if arrow else None],
        id={"type": SORT, "column": column},
        n_clicks=0,
        className="btn btn-link p-0 text-reset fw-semibold text-start sort-button",
        title=t("Sort by this column"),
        **({"aria-label": t("Rank")} if column == "rank" else {}),
    )
    return html.Th(
        button,
        scope="col",
        className="text-start" if column in TEXT else "text-end",
        **({"aria-sort": sort[1]} if sorted_here else {}),
    )


def priority_table(
    frame: pd.DataFrame,
    table_id: str,
    unit: str = "%",
    lang: str | None = None,
    sort: tuple[str, str] | list | None = None,
) -> html.Div:
    """The ranking as a sortable table, people rounded to hundreds.

    Args:
        frame: columns ``rank``, ``geo_code``, ``name``, ``region_name``, ``population``, ``value``,
            ``uncovered``, ``gap_people`` (see ``queries.connectivity.priorities``).
        table_id: the id of the scrolling region that holds the table.
        unit: the coverage unit shown in the coverage column header.
        lang: UI language.
        sort: (column, ``ascending`` | ``descending``); by rank by default.

    Returns:
        A focusable, labelled scrolling region with the table, or a note when there are no rows.
    """
    lang = normalise(lang)
    t = translator(lang)
    column, direction = tuple(sort) if sort else DEFAULT_SORT
    rows = priority_rows(frame)
    if not rows:
        return html.Div(html.P(t("No districts for these filters."), className="text-muted mb-0"), id=table_id)
    rows.sort(key=lambda r: (r[column] is None, r[column]), reverse=direction == "descending")
    caption = t("Districts by people without 4G")
    table = html.Table(
        [
            html.Caption(caption, className="visually-hidden"),
            html.Thead(html.Tr([_header(c, (column, direction), unit, lang) for c in COLUMNS])),
            html.Tbody(
                [
                    html.Tr([_cell(row, c, lang) for c in COLUMNS], **{"data-code": row.get("geo_code", "")})
                    for row in rows
                ]
            ),
        ],
        className="table table-sm table-hover mb-0 priority-table",
    )
    return html.Div(
        table,
        id=table_id,
        className="table-responsive priority-table-region",
        tabIndex=0,
        role="region",
        style={"maxHeight": "30rem", "overflowY": "auto"},
        **{"aria-label": caption},
    )
