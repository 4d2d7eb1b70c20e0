"""CSV and XLSX files of a chart's data, built on the server (``exports.chart_data``).

CSV: a plain table (one header row in the UI language, then the rows), UTF-8 with a byte-order
mark so spreadsheet programs read Cyrillic right; every row names its source, licence and kind.
XLSX: the same table on sheet "Data" with real numbers (in the indicator's decimals) and dates, a
frozen header and a filter, and an "About" sheet: title, filters in words, sources, licences, the
synthetic notice, the data date and the link that reproduces the view. Text cells that a
spreadsheet would run as a formula (starting with ``= + - @``, tab or carriage return) get a
leading apostrophe, in both files.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that starts like a formula, prefixed with ``'``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells are neutralised, for every CSV a browser downloads (API, bulk ZIP)."""
    result = frame.copy()
    for column in result.columns:
        if result[column].dtype == object or pd.api.types.is_string_dtype(result[column]):
            result[column] = result[column].map(neutralise)
    return result


def _plain(value: object) -> object:
    """Cell value for a file: missing -> empty, numpy -> Python, timestamps -> dates."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _text_cell(value: object) -> object:
    """For CSV: dates as ISO text, the rest plain and neutralised."""
    value = _plain(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return neutralise(value)


def csv_bytes(table: pd.DataFrame, header: list[str]) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark.

    Args:
        table: the rows, columns in file order.
        header: the header row (in the UI language), one per column.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for record in table.itertuples(index=False, name=None):
        writer.writerow([_text_cell(v) for v in record])
    return buffer.getvalue().encode("utf-8-sig")


def _number_format(decimals: object) -> str:
    places = int(decimals) if isinstance(decimals, int | float) and decimals == decimals else 2
    return "#,##0" + ("." + "0" * places if places > 0 else "")


def xlsx_bytes(
    table: pd.DataFrame,
    header: list[str],
    about: list[tuple[str, object]],
    decimals: list[object] | None = None,
) -> bytes:
    """An XLSX workbook: sheet "Data" with the table, sheet "About" with what it is.

    Args:
        table: the rows, columns in file order.
        header: the header row (in the UI language), one per column.
        about: (label, value) rows of the About sheet; a value may be a date.
        decimals: per row, the decimals of its ``value`` column (its number format).

    Returns:
        The workbook's bytes.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append([neutralise(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    value_column = list(table.columns).index("value") + 1 if "value" in table.columns else None
    for index, record in enumerate(table.itertuples(index=False, name=None)):
        sheet.append([neutralise(_plain(v)) for v in record])
        row = index + 2
        for column in range(1, len(record) + 1):
            cell = sheet.cell(row=row, column=column)
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text even if it looks like a formula
            elif column == value_column and decimals is not None:
                cell.number_format = _number_format(decimals[index])
    for index, label in enumerate(header, start=1):
        width = max([len(str(label))] + [len(str(v)) for v in table.iloc[:200, index - 1]]) if len(table) else 10
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(50, width + 2))
    sheet.freeze_panes = "A2"
    if len(table.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table) + 1}"
    sheet_about = workbook.create_sheet("About")
    for label, value in about:
        sheet_about.append([neutralise(label), neutralise(_plain(value))])
        cell = sheet_about.cell(row=sheet_about.max_row, column=2)
        if isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(cell.value, datetime) else "yyyy-mm-dd"
        elif isinstance(cell.value, str):
            cell.data_type = "s"
        sheet_about.cell(row=sheet_about.max_row, column=1).data_type = "s"
        sheet_about.cell(row=sheet_about.max_row, column=1).font = Font(bold=True)
    sheet_about.column_dimensions["A"].width = 24
    sheet_about.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
