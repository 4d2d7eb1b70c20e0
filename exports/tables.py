"""CSV and XLSX files holding exactly the data a chart shows, with where it comes from.

CSV: a header block (title, filters, one line per source with licence and kind, the synthetic
flag, export time), a blank line, then the table. XLSX: the table on sheet "Data" and the same
header block on sheet "About". Text cells that a spreadsheet would run as a formula (starting
with ``= + - @``, tab or carriage return) get a leading apostrophe.
"""

from __future__ import annotations

import base64
import csv
import io
import re

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from exports.meta import ExportMeta
from i18n import translator

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_TAGS = re.compile(r"<[^>]+>")


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
    """Cell value for a file: missing -> empty, timestamps -> ISO date text, numpy -> Python."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def table_rows(data: pd.DataFrame) -> list[list[object]]:
    """Header row and data rows, neutralised and plain."""
    rows = [[neutralise(str(c)) for c in data.columns]]
    for record in data.itertuples(index=False, name=None):
        rows.append([neutralise(_plain(v)) for v in record])
    return rows


def header_rows(meta: ExportMeta) -> list[list[object]]:
    """The provenance block, labels in the UI language."""
    t = translator(meta.lang)
    rows: list[list[object]] = [[t("Title"), meta.title], [t("Filters"), meta.subtitle]]
    for source in meta.sources:
        rows.append([t("Source"), source.get("name", ""), source.get("licence", ""), source.get("kind", "")])
    if not meta.sources:
        rows.append([t("Source"), t("none")])
    if meta.synthetic:
        rows.append([t("Note"), t("synthetic demo data")])
    rows.append([t("Exported"), meta.exported_at.strftime("%Y-%m-%d %H:%M UTC")])
    return [[neutralise(v) for v in row] for row in rows]


def csv_bytes(data: pd.DataFrame, meta: ExportMeta) -> bytes:
    """UTF-8 CSV with a byte-order mark (so spreadsheet programs read Cyrillic right).

    Args:
        data: the table the chart shows.
        meta: its provenance.

    Returns:
        The file's bytes: header block, one empty line, the table.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(header_rows(meta))
    writer.writerow([])
    writer.writerows(table_rows(data))
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(data: pd.DataFrame, meta: ExportMeta) -> bytes:
    """An XLSX workbook: sheet "Data" with the table, sheet "About" with the provenance.

    Args:
        data: the table the chart shows.
        meta: its provenance.

    Returns:
        The workbook's bytes.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    for row in table_rows(data):
        sheet.append(row)
    for index, column in enumerate(data.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(str(column)) + 4))
    sheet.freeze_panes = "A2"
    about = workbook.create_sheet("About")
    for row in header_rows(meta):
        about.append(row)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 60
    for sheet_ in (sheet, about):  # text stays text even if it looks like a formula
        for cells in sheet_.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _values(value: object) -> list | None:
    """A trace array as a list: plain lists, numpy arrays, or plotly's base64 ``{dtype, bdata}``."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        return array.tolist()
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple) and value and not isinstance(value[0], list | dict):
        return list(value)
    return None


def _label(text: object) -> object:
    """Hover text without markup: ``<br>`` becomes `` · ``, other tags go."""
    if not isinstance(text, str):
        return text
    return _TAGS.sub("", text.replace("<br>", " · "))


def figure_table(figure: dict) -> pd.DataFrame:
    """The data drawn in a figure: series, x, y (and z/values/labels/text where present).

    Used when a chart card was given no table: what the traces hold is what the chart shows.
    Decoration (traces with ``hoverinfo="skip"`` and no legend entry) is left out; a filled
    shape (a map's district) gives one row with its name and hover text, not its outline.
    """
    frames = []
    for index, trace in enumerate(figure.get("data") or []):
        if not trace.get("showlegend", True) and trace.get("hoverinfo") == "skip":
            continue
        name = trace.get("name") or f"trace {index + 1}"
        if trace.get("fill") == "toself":
            frames.append(pd.DataFrame({"series": [name], "text": [_label(trace.get("text"))]}))
            continue
        columns = {}
        for key in ("x", "y", "z", "values", "labels", "text"):
            values = _values(trace.get(key))
            if values is not None:
                columns[key] = [_label(v) for v in values] if key == "text" else values
        if not columns:
            continue
        length = max(len(v) for v in columns.values())
        columns = {k: v + [None] * (length - len(v)) for k, v in columns.items()}
        frame = pd.DataFrame(columns)
        frame.insert(0, "series", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["series", "x", "y"])
