"""A problem found in an input file, located by row and column so staff can fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    row: int  # row number as a spreadsheet shows it: the header is row 1
    column: str
    reason: str
    file: str = ""
    value: str = ""  # the offending cell (or code) as the file holds it; "" when no one cell is to blame

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        column = f", column '{self.column}'" if self.column else ""
        prefix = f"{self.file}: " if self.file else ""
        return f"{prefix}{where}{column}: {self.reason}"
