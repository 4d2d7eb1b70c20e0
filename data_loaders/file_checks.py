"""Checks across all the rows of one file, fed chunk by chunk and keeping only what they need.

A file is validated as a stream, so these keep compact state: 12 bytes per row for the duplicate
key check (a hash and a row number), the codes for geo parents, the intervals for leases.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from datetime import date

import numpy as np

from data_loaders.problems import Problem
from data_loaders.reference import Reference

Rows = list[tuple[int, object]]


def key_of(row: object, columns: tuple[str, ...]) -> tuple:
    return tuple(getattr(getattr(row, c), "code", getattr(row, c)) for c in columns)


class DuplicateKeys:
    """Rows sharing a key. Hashes find candidates in bounded memory; exact keys confirm them."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self._hashes = array("q")
        self._rows = array("i")  # row numbers fit in 32 bits

    def add(self, rows: Rows) -> None:
        self._hashes.extend(hash(key_of(row, self.columns)) for _, row in rows)
        self._rows.extend(n for n, _ in rows)

    def candidate_rows(self) -> set[int]:
        """Row numbers whose key hash is shared with another row (a superset of the duplicates)."""
        if not self._hashes:
            return set()
        hashes = np.frombuffer(self._hashes, dtype=np.int64)
        ordered = np.sort(hashes)
        shared = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        del ordered
        if not len(shared):
            return set()
        return set(np.frombuffer(self._rows, dtype=np.int32)[np.isin(hashes, shared)].tolist())

    def problems(self, candidates: Rows) -> list[Problem]:
        """The exact duplicates among the candidate rows, each naming the first row with its key."""
        first_seen: dict[tuple, int] = {}
        problems = []
        for n, row in sorted(candidates, key=lambda pair: pair[0]):
            k = key_of(row, self.columns)
            if k in first_seen:
                label = ", ".join(str(v) for v in k)
                problems.append(Problem(n, self.columns[0], f"duplicate key ({label}), first at row {first_seen[k]}"))
            else:
                first_seen[k] = n
        return problems


class GeoParents:
    """A parent geo code must exist in the database or anywhere in the file."""

    def __init__(self) -> None:
        self._codes: set[str] = set()
        self._parents: list[tuple[int, str]] = []

    def add(self, rows: Rows) -> None:
        self._codes |= {row.code for _, row in rows}
        self._parents += [(n, row.parent_code) for n, row in rows if row.parent_code]

    def problems(self, ref: Reference) -> list[Problem]:
        known = set(ref.geo_levels) | self._codes
        return [
            Problem(n, "parent_code", f"unknown parent geo code '{parent}'")
            for n, parent in self._parents
            if parent not in known
        ]


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


class LeaseOverlaps:
    """Two leases (or reservations) of one unit may not run on the same day."""

    def __init__(self) -> None:
        self._leases: list[tuple[int, str, str, date, date | None]] = []

    def add(self, rows: Rows) -> None:
        self._leases += [(n, row.lease_id, row.unit_code, row.start_date, row.end_date) for n, row in rows]

    def problems(self, ref: Reference) -> list[Problem]:
        in_file = {lease_id for _, lease_id, _, _, _ in self._leases}
        by_unit: dict[str, list[tuple[str, date, date | None, int]]] = defaultdict(list)
        for lease_id, unit, start, end in ref.leases_of_units({unit for _, _, unit, _, _ in self._leases}):
            if lease_id not in in_file:  # a lease in the file replaces its stored version
                by_unit[unit].append((lease_id, start, end, 0))
        problems = []
        for n, lease_id, unit, row_start, row_end in sorted(self._leases, key=lambda lease: (lease[2], lease[3])):
            for other_id, start, end, other_row in by_unit[unit]:
                if _overlaps(row_start, row_end, start, end):
                    where = f"row {other_row}" if other_row else "already loaded"
                    problems.append(
                        Problem(
                            n,
                            "start_date",
                            f"lease {lease_id} overlaps lease {other_id} ({where}) "
                            f"of unit {unit}: {start} to {end or 'open-ended'}",
                        )
                    )
            by_unit[unit].append((lease_id, row_start, row_end, n))
        return problems
