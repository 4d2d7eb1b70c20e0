"""Growth arithmetic on small yearly series: compound annual growth, an index, year-on-year change.

Kept apart from queries and figures so that the one definition of each rate is shared by the
KPI cards, the growth chart and the segments table, and is tested on hand-computed numbers.
A rate that cannot be computed (a zero or missing base) is ``None``/NaN, never 0 or infinity.
"""

from __future__ import annotations

import math

import pandas as pd


def _usable(value: float | None) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def cagr(first: float | None, last: float | None, years: float) -> float | None:
    """Compound annual growth rate between two values ``years`` apart, as a fraction (0.1 = 10 %).

    Args:
        first: the value at the start of the period (must be positive).
        last: the value at the end of the period (zero or positive).
        years: the number of years between the two values (must be positive).

    Returns:
        ``(last / first) ** (1 / years) - 1``, or ``None`` when the base is zero, negative or
        missing, the end is negative or missing, or the period is empty.
    """
    if not (_usable(first) and _usable(last)) or years <= 0 or first <= 0 or last < 0:
        return None
    return (last / first) ** (1.0 / years) - 1.0


def index_series(values: pd.Series) -> pd.Series:
    """The series as an index with its first value = 100; NaN throughout when that value is 0 or NaN.

    Args:
        values: a series ordered by time.

    Returns:
        A float series of the same index.
    """
    values = values.astype(float)
    if values.empty:
        return values
    base = values.iloc[0]
    if not _usable(base) or base == 0:
        return values * float("nan")
    return 100.0 * values / base


def yoy_series(values: pd.Series) -> pd.Series:
    """Year-on-year change in per cent; NaN for the first year and after a zero.

    Args:
        values: a series ordered by consecutive years.

    Returns:
        A float series of the same index.
    """
    values = values.astype(float)
    previous = values.shift(1)
    change = 100.0 * (values - previous) / previous
    return change.where(previous != 0)


def transform(frame: pd.DataFrame, value: str, view: str, by: str | None = None, time: str = "year") -> pd.DataFrame:
    """Apply a view (``absolute``, ``index`` or ``yoy``) to ``value`` within each ``by`` group.

    Args:
        frame: one row per group and time.
        value: the column to transform.
        view: ``absolute`` leaves the values; ``index`` and ``yoy`` as above.
        by: the group column, or ``None`` for one series.
        time: the time column the series is ordered by.

    Returns:
        A copy sorted by group and time with ``value`` replaced.
    """
    out = frame.sort_values([by, time] if by else [time]).reset_index(drop=True)
    if view not in ("index", "yoy") or out.empty:
        return out
    function = index_series if view == "index" else yoy_series
    if by:
        out[value] = out.groupby(by, sort=False)[value].transform(function)
    else:
        out[value] = function(out[value])
    return out


def segment_summary(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """The segments (subsectors) in the last year, largest revenue first, with shares and growth.

    Args:
        frame: yearly figures by subsector (columns year, subsector, companies, employees,
            revenue_usd, exports_usd), as returned by ``data_loaders.queries.it_sector.yearly``.
        first: the first year of the period (the base of the growth rate).
        last: the year described.

    Returns:
        One row per subsector with figures in ``last``: subsector, companies, employees,
        revenue_usd, exports_usd, revenue_share (% of the total), revenue_cagr (fraction, NaN
        when there is no usable base; ``first`` to ``last``).
    """
    columns = ["subsector", "companies", "employees", "revenue_usd", "exports_usd", "revenue_share", "revenue_cagr"]
    latest = frame[frame["year"] == last].set_index("subsector")
    if latest.empty:
        return pd.DataFrame(columns=columns)
    base = frame[frame["year"] == first].set_index("subsector")["revenue_usd"]
    total = latest["revenue_usd"].sum()
    out = latest[["companies", "employees", "revenue_usd", "exports_usd"]].copy()
    out["revenue_share"] = 100.0 * out["revenue_usd"] / total if total else float("nan")
    out["revenue_cagr"] = [cagr(base.get(s), out.at[s, "revenue_usd"], last - first) for s in out.index]
    out = out.reset_index().sort_values(["revenue_usd", "subsector"], ascending=[False, True])
    return out.reset_index(drop=True)[columns]
