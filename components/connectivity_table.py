"""The priority list: coverage units ranked by people without coverage, as a sortable table.

People, not percentages: a district at 40 % with 20 000 people matters less to a budget than one
at 85 % with 90 000 people left out. The gap to target says how many people a programme must
reach there.
"""

from __future__ import annotations

import pandas as pd
from dash import dash_table
from dash.dash_table.Format import Format, Group, Scheme

from i18n import normalise, translator

# Digit grouping and decimal sign of the table per UI language (DataTable formats on the client).
LOCALE_FORMAT = {
    "en": {"group": ",", "decimal": "."},
    "ru": {"group": "\u00a0", "decimal": ","},
    "tg": {"group": "\u00a0", "decimal": ","},
}


COLUMNS = ("rank", "name", "region_name", "uncovered", "gap_people", "value", "population")


def priority_rows(frame: pd.DataFrame) -> list[dict]:
    """The table's rows: people rounded to hundreds (a ranking, not a census)."""
    if not len(frame):
        return []
    data = frame.copy()
    for column in ("uncovered", "gap_people", "population"):
        if column in data:
            data[column] = data[column].round(-2)
    return data[list(COLUMNS)].to_dict("records")


def priority_table(frame: pd.DataFrame, table_id: str, unit: str = "%", lang: str | None = None):
    """A sortable table of the ranking, people rounded to hundreds.

    Args:
        frame: columns ``rank``, ``geo_code``, ``name``, ``region_name``, ``population``, ``value``,
            ``uncovered``, ``gap_people`` (see ``queries.connectivity.priorities``).
        table_id: the component id.
        unit: the coverage unit shown in the coverage column header.
        lang: UI language.

    Returns:
        A ``dash_table.DataTable`` (sortable, 15 rows a page), or a note when there are no rows.
    """
    t = translator(lang)
    people = Format(precision=0, scheme=Scheme.fixed, group=Group.yes)
    columns = [
        {"id": "rank", "name": "#", "type": "numeric"},
        {"id": "name", "name": t("District"), "type": "text"},
        {"id": "region_name", "name": t("Region"), "type": "text"},
        {"id": "uncovered", "name": t("People without 4G"), "type": "numeric", "format": people},
        {"id": "gap_people", "name": t("People to cover to reach the target"), "type": "numeric", "format": people},
        {
            "id": "value",
            "name": f"{t('4G coverage')}, {unit}",
            "type": "numeric",
            "format": Format(precision=1, scheme=Scheme.fixed),
        },
        {"id": "population", "name": t("Population"), "type": "numeric", "format": people},
    ]
    return dash_table.DataTable(
        id=table_id,
        columns=columns,
        data=priority_rows(frame),
        sort_action="native",
        page_size=15,
        locale_format=LOCALE_FORMAT[normalise(lang)],
        style_table={"overflowX": "auto"},
        style_cell={"fontFamily": "inherit", "fontSize": "0.875rem", "padding": "4px 8px", "textAlign": "right"},
        style_cell_conditional=[{"if": {"column_id": c}, "textAlign": "left"} for c in ("name", "region_name")],
        style_header={"fontWeight": "600", "whiteSpace": "normal", "height": "auto"},
        style_data={"whiteSpace": "normal", "height": "auto"},
        style_as_list_view=True,
    )
