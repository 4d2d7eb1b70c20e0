"""Period codes: ``2024`` (year), ``2024-Q3`` (quarter), ``2024-07`` (month)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "A"),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE), "Q"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "M"),
)


@dataclass(frozen=True)
class Period:
    code: str
    type: str  # A, Q or M
    start: date
    end: date  # last day, included


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def parse_period(text: str) -> Period:
    """Parse a period code; raise ValueError with a reason a user can act on."""
    raw = str(text).strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(raw)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2100:
            raise ValueError(f"year {year} is out of range 1900-2100")
        if kind == "A":
            return Period(str(year), "A", date(year, 1, 1), date(year, 12, 31))
        if kind == "Q":
            quarter = int(match.group(2))
            first = 3 * quarter - 2
            return Period(f"{year}-Q{quarter}", "Q", date(year, first, 1), _month_end(year, first + 2))
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month {month:02d} does not exist")
        return Period(f"{year}-{month:02d}", "M", date(year, month, 1), _month_end(year, month))
    raise ValueError(f"'{raw}' is not a period: use 2024, 2024-Q3 or 2024-07")
