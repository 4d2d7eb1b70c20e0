"""Read a CSV or XLSX file as a stream of rows of text cells, without ever guessing a value wrong.

Files saved by Excel in a Russian locale are common: UTF-8 with a BOM or Windows-1251, ``;``
between fields and a decimal comma. The reader detects the encoding (``encodings.py``) and the
separator; numbers stay text here and are parsed by :func:`parse_number`, which accepts a decimal
comma only where it cannot be a thousands separator.

:func:`open_table` reads and checks the header only; :meth:`TableFile.rows` streams the body
and can be called again for a second pass, so a file of any size is read in bounded memory.
"""

from __future__ import annotations

import csv
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path

import openpyxl

from data_loaders.encodings import EncodingRefused, detect_encoding

SEPARATORS = (",", ";", "\t")
# The prefixes the public downloads neutralise with a leading "'" (exports/tables.py: neutralise).
NEUTRALISED_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# An XLSX is a ZIP: refuse one that would expand to more than this, or by more than this ratio.
MAX_WORKBOOK_BYTES = 256 * 1024 * 1024
MAX_WORKBOOK_RATIO = 100  # real sheets compress 5-20 times; checked above RATIO_FROM bytes only
RATIO_FROM = 16 * 1024 * 1024
CSV_FIELD_LIMIT = 1024 * 1024  # characters in one cell: far above any real cell, far below memory


class FileReadError(ValueError):
    """The file cannot be read as a table at all; ``row`` says where, when known."""

    def __init__(self, message: str, row: int = 0) -> None:
        super().__init__(message)
        self.row = row


@dataclass
class RawRow:
    """One body row: its spreadsheet number and cells by column, or why it cannot be read."""

    number: int  # the header is row 1
    cells: dict[str, str]
    problem: str = ""


@dataclass
class TableFile:
    path: Path
    columns: list[str]  # normalised header names, in file order
    encoding: str
    separator: str  # "" for XLSX
    warnings: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[RawRow]:
        """Stream the body rows (blank rows skipped); each call reads the file again."""
        yield from (_xlsx_rows(self) if self.separator == "" else _csv_rows(self))

    def blocks(self, size: int) -> Iterator[tuple[list[int], list[list[str]], list[RawRow]]]:
        """The body in chunks of ``size`` rows, for a reader that cleans cells a column at a time:
        (row numbers, records of exactly one uncleaned string per header column, other rows).
        The other rows are those :meth:`rows` gives as they are: a problem, a cell holding line
        breaks, a row shorter than the header, every XLSX row."""
        if self.separator == "":
            rows = _xlsx_rows(self)
            while chunk := list(islice(rows, size)):
                yield [], [], chunk
            return
        numbers: list[int] = []
        records: list[list[str]] = []
        odd: list[RawRow] = []
        width = len(self.columns)
        try:
            for number, record in _csv_records(self):
                if len(record) == width and "\n" not in "".join(record):
                    numbers.append(number)
                    records.append(record)
                else:
                    odd.append(_row(number, record, self.columns, width, self.separator))
                if len(numbers) + len(odd) >= size:
                    yield numbers, records, odd
                    numbers, records, odd = [], [], []
        except FileReadError:
            if numbers or odd:  # the rows before the unreadable line are checked too
                yield numbers, records, odd
            raise
        if numbers or odd:
            yield numbers, records, odd


def clean_cell(value: object) -> str:
    """A cell as text: stripped, and a download's neutralised formula (``'=x``) read back as ``=x``."""
    text = value.strip() if isinstance(value, str) else _cell_text(value)
    if text[:1] == "'" and text[1:2] in NEUTRALISED_PREFIXES and len(text) > 1:
        return text[1:]
    return text


def _cell_text(value: object) -> str:
    if value is None:
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


def _header(cells: list[object]) -> list[str]:
    names = [_cell_text(c).lower().lstrip("\ufeff").strip() for c in cells]
    while names and not names[-1]:
        names.pop()  # trailing empty header cells: an Excel artefact, not a column
    return names


def open_table(path: Path) -> TableFile:
    """Open ``path`` (``.csv``, ``.txt`` or ``.xlsx``) and read its header; the body is read by ``rows()``."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _open_csv(path)
    raise FileReadError(f"unsupported file type '{suffix}': use .csv or .xlsx")


def _open_csv(path: Path) -> TableFile:
    try:
        encoding = detect_encoding(path)
    except EncodingRefused as exc:
        raise FileReadError(str(exc), exc.line) from None
    with path.open(encoding=encoding, newline="") as handle:
        first_line = handle.readline()
    if not first_line:
        raise FileReadError("the file is empty")
    if not first_line.strip():
        raise FileReadError("line 1 is empty: the first line must hold the column names", 1)
    counts = {sep: first_line.count(sep) for sep in SEPARATORS}
    separator = max(counts, key=counts.get) if max(counts.values()) else ","
    table = TableFile(path, [], encoding, separator)
    with path.open(encoding=encoding, newline="") as handle:
        reader = _csv_reader(handle, separator)
        table.columns = _header(next(reader, []))
    return table


def _csv_reader(handle, separator: str):
    csv.field_size_limit(CSV_FIELD_LIMIT)
    return csv.reader(handle, delimiter=separator, strict=True)


def _csv_rows(table: TableFile) -> Iterator[RawRow]:
    width = len(table.columns)
    for number, record in _csv_records(table):
        yield _row(number, record, table.columns, width, table.separator)


def _csv_records(table: TableFile) -> Iterator[tuple[int, list[str]]]:
    """(row number, fields) of each body record that is not blank, as the CSV reader splits it."""
    with table.path.open(encoding=table.encoding, newline="") as handle:
        reader = _csv_reader(handle, table.separator)
        number, last_line = 1, 1
        try:
            next(reader)
            last_line = reader.line_num
            for number, record in enumerate(reader, start=2):  # noqa: B007 - used by the errors below
                last_line = reader.line_num
                if any(c.strip() for c in record):
                    yield number, record
        except csv.Error as exc:
            reason = f"line {last_line + 1} cannot be read as CSV ({exc})"
            if "end of data" in str(exc):
                reason = (
                    f"a quote opened on line {last_line + 1} is never closed: the rest of the file would be one cell"
                )
            raise FileReadError(reason, number + 1) from None
        except UnicodeDecodeError as exc:
            raise FileReadError(
                f"byte 0x{exc.object[exc.start]:02X} after line {last_line} is not a character in {table.encoding}:"
                " the file may be damaged or binary",
                number + 1,
            ) from None


def _row(number: int, record: list[str], columns: list[str], width: int, separator: str) -> RawRow:
    extra = [c for c in record[width:] if c.strip()]
    if extra:
        return RawRow(number, {}, f"{width + len(extra)} fields but the header has {width}")
    cells = {name: clean_cell(value) for name, value in zip(columns, record, strict=False) if name}
    for name in columns[len(record) :]:
        cells.setdefault(name, "")
    for name, value in cells.items() if "\n" in "".join(record) else ():
        if "\n" in value and any(line.count(separator) >= width - 1 for line in value.splitlines()[1:]):
            return RawRow(
                number,
                {},
                f"column '{name}' holds several lines that look like rows: a closing quote is probably missing",
            )
    return RawRow(number, cells)


def _check_workbook_size(path: Path) -> None:
    """Refuse a ZIP bomb before any XML is parsed: openpyxl would take minutes and gigabytes."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileReadError(f"cannot open as an Excel workbook: {exc}") from None
    expanded = sum(e.file_size for e in entries)
    packed = max(sum(e.compress_size for e in entries), 1)
    if expanded > MAX_WORKBOOK_BYTES or (expanded > RATIO_FROM and expanded / packed > MAX_WORKBOOK_RATIO):
        raise FileReadError(
            f"the workbook expands to {expanded / 1e6:,.0f} MB ({expanded / packed:,.0f} times its size);"
            f" the limit is {MAX_WORKBOOK_BYTES / 1e6:,.0f} MB: save it as CSV or split it"
        )


def _open_workbook(path: Path):
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise FileReadError(f"cannot open as an Excel workbook: {exc}") from exc


def _open_xlsx(path: Path) -> TableFile:
    _check_workbook_size(path)
    workbook = _open_workbook(path)
    try:
        sheets = workbook.worksheets
        header = next(sheets[0].iter_rows(max_row=1, values_only=True), ())
        warnings = [
            f"sheet '{s.title}' was ignored: only the first sheet ('{sheets[0].title}') is read" for s in sheets[1:]
        ]
    finally:
        workbook.close()
    columns = _header(list(header))
    if not columns:
        raise FileReadError("the file is empty")
    return TableFile(path, columns, "xlsx", "", warnings)


def _xlsx_rows(table: TableFile) -> Iterator[RawRow]:
    workbook = _open_workbook(table.path)
    width = len(table.columns)
    try:
        rows = workbook.worksheets[0].iter_rows(min_row=2, values_only=True)
        for number, values in enumerate(rows, start=2):
            if all(v is None or _cell_text(v) == "" for v in values):
                continue
            yield _row(number, [_cell_text(v) for v in values], table.columns, width, "")
    finally:
        workbook.close()


_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})*,\d+$|^[+-]?\d+,\d+$")
_SPACED_INT = re.compile(r"^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+$")


def parse_number(text: str, separator: str) -> float:
    """Parse a number cell; raise ValueError rather than guess.

    ``12,5`` is a decimal comma only in a ``;``-separated or Excel file, where a comma cannot
    separate fields; elsewhere ``1,234`` could be one thousand or one point two, so it is refused.
    A number too large for a float (``1e999``) is refused, not stored as infinity.
    """
    raw = text.strip()
    if not raw:
        raise ValueError("is empty")
    if _PLAIN.match(raw):
        number = float(raw)
    elif _SPACED_INT.match(raw):
        number = float(re.sub(r"[ \u00a0\u202f]", "", raw))
    elif _DECIMAL_COMMA.match(raw):
        if separator == ",":
            raise ValueError(f"'{raw}' is ambiguous in a comma-separated file: write it with a decimal point")
        number = float(re.sub(r"[ \u00a0\u202f]", "", raw).replace(",", "."))
    else:
        raise ValueError(f"'{raw}' is not a number")
    if not math.isfinite(number):
        raise ValueError(f"'{raw}' is too large to be stored as a number")
    return number
