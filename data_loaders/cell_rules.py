"""What the database can store, checked before it sees a row, so SQLite and PostgreSQL answer alike.

PostgreSQL refuses a code longer than its ``String(n)`` column, an integer beyond 32 bits and a NUL
character (with a traceback), where SQLite stores them silently. The limits are read from the
SQLAlchemy models, so they never drift from the schema.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from sqlalchemy import Integer, String

from data_loaders import models as m
from data_loaders.problems import Problem

INT_RANGE = (-(2**31), 2**31 - 1)  # PostgreSQL INTEGER
# Control characters other than tab and line breaks: NUL, binary junk, C1 codes from a wrong decoding.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@cache
def column_limits(table: type[m.Base]) -> tuple[dict[str, int], frozenset[str]]:
    """(max length of each ``String(n)`` column, names of the ``Integer`` columns) of ``table``."""
    lengths, integers = {}, set()
    for column in table.__table__.columns:
        if isinstance(column.type, String) and column.type.length:
            lengths[column.name] = column.type.length
        elif isinstance(column.type, Integer):
            integers.add(column.name)
    return lengths, frozenset(integers)


def control_character_problems(number: int, cells: dict[str, str]) -> list[Problem]:
    """Cells holding characters no text should hold: the file is binary, damaged or mis-encoded."""
    if not _CONTROL.search("".join(cells.values())):
        return []
    problems = []
    for column, text in cells.items():
        found = _CONTROL.search(text)
        if found:
            char = found.group()
            name = unicodedata.name(char, "") or "control character"
            problems.append(
                Problem(
                    number, column, f"contains U+{ord(char):04X} ({name.lower()}): the file may be binary or damaged"
                )
            )
    return problems


def storage_problems(number: int, row: object, table: type[m.Base]) -> list[Problem]:
    """Validated values that the table's columns cannot hold."""
    lengths, integers = column_limits(table)
    problems = []
    for column, value in vars(row).items():
        if isinstance(value, str) and column in lengths and len(value) > lengths[column]:
            problems.append(
                Problem(
                    number, column, f"'{value[:40]}' is {len(value)} characters long; at most {lengths[column]} fit"
                )
            )
        elif isinstance(value, int) and not isinstance(value, bool) and column in integers:
            if not INT_RANGE[0] <= value <= INT_RANGE[1]:
                problems.append(Problem(number, column, f"{value} is too large to be stored"))
    return problems
