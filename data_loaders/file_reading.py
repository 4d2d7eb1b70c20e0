"""Read a CSV or XLSX file into a table of text cells, without ever guessing a number wrong.

Files saved by Excel in a Russian locale are common: UTF-8 with a BOM or Windows-1251, ``;``
between fields and a decimal comma. The reader detects the encoding and the separator; numbers
stay text here and are parsed by :func:`parse_number`, which accepts a decimal comma only where
it cannot be a thousands separator.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd

SEPARATORS = (",", ";", "\t")


class FileReadError(ValueError):
    """The file cannot be read as a table at all."""


@dataclass
class Table:
    frame: pd.DataFrame  # every cell is a str ("" where empty)
    encoding: str
    separator: str  # "" for XLSX


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Not UTF-8: the only other encoding Excel uses for Cyrillic text here is Windows-1251.
        return data.decode("cp1251"), "cp1251"


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_table(path: Path) -> Table:
    """Read ``path`` (``.csv``, ``.txt`` or ``.xlsx``) into text cells with normalised headers."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            raw = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise FileReadError(f"cannot open as an Excel workbook: {exc}") from exc
        frame = raw.map(_cell_text) if len(raw) else raw.astype(str)
        table = Table(frame, "xlsx", "")
    elif suffix in (".csv", ".txt"):
        text, encoding = _decode(path.read_bytes())
        first_line = text.splitlines()[0] if text.strip() else ""
        separator = _separator(first_line)
        rows = list(csv.reader(io.StringIO(text), delimiter=separator))
        if not rows:
            raise FileReadError("the file is empty")
        header, body = rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]
        width = len(header)
        for i, r in enumerate(body):
            if len(r) > width:
                raise FileReadError(f"row {i + 2}: {len(r)} fields but the header has {width}")
        body = [r + [""] * (width - len(r)) for r in body]
        frame = pd.DataFrame(body, columns=header, dtype=object).map(lambda c: str(c).strip())
        table = Table(frame, encoding, separator)
    else:
        raise FileReadError(f"unsupported file type '{suffix}': use .csv or .xlsx")
    table.frame.columns = [str(c).strip().lower().lstrip("\ufeff") for c in table.frame.columns]
    table.frame = table.frame.dropna(how="all")
    return table


_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})*,\d+$|^[+-]?\d+,\d+$")
_SPACED_INT = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+$")


def parse_number(text: str, separator: str) -> float:
    """Parse a number cell; raise ValueError rather than guess.

    ``12,5`` is a decimal comma only in a ``;``-separated or Excel file, where a comma cannot
    separate fields; elsewhere ``1,234`` could be one thousand or one point two, so it is refused.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("is empty")
    if _PLAIN.match(raw):
        return float(raw)
    if _SPACED_INT.match(raw):
        return float(re.sub(r"[ \u00a0\u202f]", "", raw))
    if _DECIMAL_COMMA.match(raw):
        if separator == ",":
            raise ValueError(f"'{raw}' is ambiguous in a comma-separated file: write it with a decimal point")
        return float(re.sub(r"[ \u00a0\u202f]", "", raw).replace(",", "."))
    raise ValueError(f"'{raw}' is not a number")
