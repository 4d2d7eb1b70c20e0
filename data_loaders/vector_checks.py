"""Observation rows validated a chunk at a time, column by column, instead of one pydantic model per row.

Each column of a chunk is factorised (pandas), so every distinct cell is cleaned, parsed and
checked once, and the verdicts are spread back to the rows with numpy. A row every one of whose
cells passes and whose codes, bounds, source and theme check out is *certainly* valid: it goes
to the writer as a column of a frame, never as an object. Every other row (a bad cell, an
unknown code, a value out of bounds, a cell with a line break, a short row, an XLSX row) is
validated the old way, by the row model and the checks of ``checks.py``, so its problems carry
the same row, column, reason and value as they always did: the fast path only decides which
rows need no words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from data_loaders.cell_rules import _CONTROL, column_limits
from data_loaders.file_reading import RawRow, clean_cell, parse_number
from data_loaders.models import Observation
from data_loaders.periods import Period, parse_period
from data_loaders.problems import Problem
from data_loaders.reference import Reference
from data_loaders.row_models import FLAG_CODES

KEY = ("indicator_code", "geo_code", "period", "breakdown")
# the columns of a chunk's frame, as the staging table holds them (dates as ISO text)
FRAME = (
    "n",
    "indicator_code",
    "geo_code",
    "period",
    "period_type",
    "period_start",
    "period_end",
    "breakdown",
    "value",
    "flags",
    "source_code",
    "comment",
)
DEFAULTS = {"breakdown": "", "flags": "", "source_code": "", "comment": ""}  # cells of absent optional columns


@dataclass
class Block:
    """A chunk of body rows as the reader gives them: plain records (one string per header column)
    and the rows that need the row model (a problem, line breaks in a cell, a short row, XLSX)."""

    numbers: list[int] = field(default_factory=list)
    records: list[list[str]] = field(default_factory=list)
    odd: list[RawRow] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.numbers) + len(self.odd)


def _flags(text: str) -> str | None:
    """The normalised flags (``E,P``), or None when the row model would refuse them."""
    codes = sorted({c for c in text.replace(",", " ").upper().split()})
    return None if any(c not in FLAG_CODES for c in codes) else ",".join(codes)


def _period(text: str) -> Period | None:
    try:
        return parse_period(text)
    except ValueError:
        return None


class ObservationChecks:
    """Validate blocks of an observation file; the valid rows come back as a frame (``FRAME``)."""

    def __init__(
        self,
        columns: list[str],
        header: list[str],
        separator: str,
        ref: Reference,
        themes: frozenset[str] | None,
        slow: Callable[[list[RawRow]], list[tuple[int, object]]],
        check: Callable[[list[tuple[int, object]]], list[Problem]],
    ) -> None:
        """``columns``: the observation columns the file has; ``header``: the file's columns in
        order; ``slow``: the row model path (valid pairs, problems to the report); ``check``: the
        checks of valid pairs (problems with values)."""
        self.columns, self.separator, self.ref, self.themes = columns, separator, ref, themes
        self.position = {name: header.index(name) for name in columns}
        self.slow, self.check = slow, check
        self.lengths = column_limits(Observation)[0]
        self.sources = ref.sources
        self.geo = ref.geo_levels
        self.indicators = ref.indicators

    # -- one column at a time: (cleaned cell per distinct value, verdict, normalised value)

    def _column(self, name: str, cells: np.ndarray, rows: int):
        if name not in self.position:
            cleaned = [DEFAULTS[name]]
            codes = np.zeros(rows, dtype=np.intp)
        else:
            codes, uniques = pd.factorize(cells, use_na_sentinel=False)
            cleaned = [clean_cell(u) for u in uniques]
        ok = np.ones(len(cleaned), dtype=bool)
        if _CONTROL.search("".join(cleaned)):
            ok &= [not _CONTROL.search(c) for c in cleaned]
        ok &= [c == c.strip() for c in cleaned]  # a neutralised "'\t..." the row model would strip again
        return codes, cleaned, ok

    def block(self, block: Block) -> tuple[pd.DataFrame, int]:
        """The block's valid rows (every row the row model accepts) and how many rows it held."""
        slow_rows = list(block.odd)
        fast = self._fast(block, slow_rows) if block.records else None
        pairs = self.slow(slow_rows) if slow_rows else []
        if pairs:
            self.check(pairs)
        frames = [f for f in (fast, self._frame_of_pairs(pairs)) if f is not None and len(f)]
        frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else (frames[0] if frames else _empty())
        return frame, len(block)

    def _fast(self, block: Block, slow_rows: list[RawRow]) -> pd.DataFrame | None:
        rows = len(block.records)
        transposed = list(zip(*block.records, strict=True))
        col = {}
        for name in ("indicator_code", "geo_code", "period", "value", "breakdown", "flags", "source_code", "comment"):
            cells = np.array(transposed[self.position[name]], dtype=object) if name in self.position else None
            col[name] = self._column(name, cells, rows)
        good = np.ones(rows, dtype=bool)
        norm = {}

        # indicator: known, loadable, of an allowed theme; its value type and default source per row
        codes, cleaned, ok = col["indicator_code"]
        found = [self.indicators.get(c) for c in cleaned]
        ok &= [i is not None and not i.derived and (self.themes is None or i.theme in self.themes) for i in found]
        good &= ok[codes]
        norm["indicator_code"] = np.array(cleaned, dtype=object)[codes]
        value_type = np.array([i.value_type if i is not None else "" for i in found], dtype=object)[codes]
        fallback = self.ref.default_source
        default_source = np.array([fallback or (i.source_code if i else None) for i in found], dtype=object)[codes]

        codes, cleaned, ok = col["geo_code"]
        ok &= [c in self.geo for c in cleaned]
        good &= ok[codes]
        norm["geo_code"] = np.array(cleaned, dtype=object)[codes]

        codes, cleaned, ok = col["period"]
        periods = [_period(c) for c in cleaned]
        ok &= [p is not None for p in periods]
        good &= ok[codes]
        for part, attr in (("period", "code"), ("period_type", "type")):
            norm[part] = np.array([getattr(p, attr, "") for p in periods], dtype=object)[codes]
        for part, attr in (("period_start", "start"), ("period_end", "end")):
            norm[part] = np.array([p.__getattribute__(attr).isoformat() if p else "" for p in periods], dtype=object)[
                codes
            ]

        codes, cleaned, ok = col["value"]
        numbers = np.zeros(len(cleaned), dtype=np.float64)
        for i, c in enumerate(cleaned):
            try:
                numbers[i] = parse_number(c, self.separator)
            except ValueError:
                ok[i] = False
        good &= ok[codes]
        value = numbers[codes]
        percent, count = value_type == "percent", value_type == "count"
        in_bounds = np.where(
            percent, (value >= 0) & (value <= 100), (value >= 0) & (~count | (value == np.floor(value)))
        )
        good &= in_bounds

        codes, cleaned, ok = col["breakdown"]
        breakdowns = [c or "total" for c in cleaned]
        ok &= [len(b) <= self.lengths["breakdown"] for b in breakdowns]
        good &= ok[codes]
        norm["breakdown"] = np.array(breakdowns, dtype=object)[codes]

        codes, cleaned, ok = col["flags"]
        flags = [_flags(c) for c in cleaned]
        ok &= [f is not None and len(f) <= self.lengths["flags"] for f in flags]
        good &= ok[codes]
        norm["flags"] = np.array([f or "" for f in flags], dtype=object)[codes]

        codes, cleaned, ok = col["source_code"]
        ok &= [len(c) <= self.lengths["source_code"] for c in cleaned]
        good &= ok[codes]
        given = np.array(cleaned, dtype=object)[codes]
        source = np.where(given == "", default_source, given)
        good &= pd.Series(source, dtype=object).isin(self.sources).to_numpy()
        norm["source_code"] = source

        codes, cleaned, ok = col["comment"]
        good &= ok[codes]
        norm["comment"] = np.array(cleaned, dtype=object)[codes]

        for i in np.flatnonzero(~good).tolist():  # the row model names what is wrong with these
            cells = {name: col[name][1][col[name][0][i]] for name in self.columns}
            slow_rows.append(RawRow(block.numbers[i], cells))
        frame = pd.DataFrame({"n": np.asarray(block.numbers, dtype=np.int64)} | norm | {"value": value})
        return frame[good][list(FRAME)]

    def _frame_of_pairs(self, pairs: list[tuple[int, object]]) -> pd.DataFrame | None:
        """The rows the row model accepted, as frame rows (their file is rejected if a check failed)."""
        if not pairs:
            return None
        records = []
        for n, row in pairs:
            indicator = self.indicators.get(row.indicator_code)
            source = row.source_code or self.ref.default_source or (indicator.source_code if indicator else None)
            p = row.period
            records.append(
                (n, row.indicator_code, row.geo_code, p.code, p.type, p.start.isoformat(), p.end.isoformat())
                + (row.breakdown, row.value, row.flags, source, row.comment)
            )
        return pd.DataFrame.from_records(records, columns=list(FRAME))


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=object) for name in FRAME})


class KeyHashes:
    """64-bit hashes of each valid row's key with its row number: duplicates in bounded memory
    (16 bytes a row); exact keys are compared for the candidates only."""

    def __init__(self) -> None:
        self._hashes: list[np.ndarray] = []
        self._rows: list[np.ndarray] = []

    def add(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self._hashes.append(pd.util.hash_pandas_object(frame[list(KEY)], index=False).to_numpy())
            self._rows.append(frame["n"].to_numpy(dtype=np.int64))

    def candidate_rows(self) -> set[int]:
        """Row numbers whose key hash another row shares (a superset of the duplicates)."""
        if not self._hashes:
            return set()
        hashes = np.concatenate(self._hashes)
        ordered = np.sort(hashes)
        shared = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        if not len(shared):
            return set()
        return set(np.concatenate(self._rows)[np.isin(hashes, shared)].tolist())
