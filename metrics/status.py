"""The one place where "on track" is decided, for every KPI card and the targets page.

Rule (stated on the pages through :data:`RULE`):

* **met**: the latest value already reaches the target;
* **on track**: the projection of the recent trend reaches the target by the target year;
* **at risk**: the projection covers at least 75 % of the distance from the latest value to
  the target (or, with a single point, the latest value is on the straight trajectory from the
  baseline);
* **off track**: otherwise, and always when the target year has passed without the target met;
* **no data**: no observation, or no target.

The projection is a least-squares straight line through the last ``window`` points (default 5),
extended to the end of the target year. Lower-is-better indicators flip every comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

MET, ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "met", "on_track", "at_risk", "off_track", "no_data"
LINEAR = "linear"  # the method of :func:`assess`, named on every status it makes
MISSED = "missed"  # a target whose year is over, not reached by then
OBSERVED = "observed"  # the method of a passed target's status: the value observed by its year's end
AT_RISK_SHARE = 0.75
WINDOW = 5
RULE = (
    "Met: the latest value reaches the target. On track: a straight-line (least-squares) trend through the "
    f"last {WINDOW} values reaches the target by the end of the target year. At risk: the trend covers at "
    f"least {AT_RISK_SHARE:.0%} of the remaining distance (with a single value: it is on the straight path "
    "from the baseline). Off track: less than that, or the target year has passed. Where lower is better, "
    "every comparison is reversed."
)
METHOD = f"linear trend (least squares) through the last {WINDOW} values"


def decimal_year(day: date) -> float:
    """A date as a year with a fraction (1 July 2024 -> about 2024.5), for trends over time."""
    start = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


@dataclass(frozen=True)
class Progress:
    status: str
    latest: float | None = None
    latest_time: float | None = None
    projected: float | None = None  # the trend's value at the end of the target year
    target: float | None = None
    target_year: int | None = None
    slope: float | None = None  # change per year of the trend line
    method: str = LINEAR  # which method made the status: LINEAR or metrics.anticipated_progress.ESCAP
    ratio: float | None = None  # ESCAP: observed over required compound growth
    base_time: float | None = None  # ESCAP: the time of the base value (decimal year)

    @property
    def due(self) -> float | None:
        """The time (decimal year) by which the target is due: the end of the target year."""
        return None if self.target_year is None else self.target_year + 1.0

    @property
    def gap(self) -> float | None:
        """How far the projection falls short of the target (positive: short; negative: beyond).

        Lower-is-better indicators are not flipped here: the sign is target minus projection.
        """
        if self.target is None or self.projected is None:
            return None
        return self.target - self.projected

    def trend_line(self) -> list[tuple[float, float]]:
        """The fitted trend from the latest observation to the due date, as two (time, value) points."""
        if self.slope is None or self.projected is None or self.latest_time is None or self.due is None:
            return []
        end = max(self.due, self.latest_time)
        return [(self.latest_time, self.projected - self.slope * (end - self.latest_time)), (end, self.projected)]


def _better_or_equal(a: float, b: float, higher_is_better: bool) -> bool:
    """``a`` at least as good as ``b``, up to rounding (a projection equal to its target is on track)."""
    tolerance = 1e-9 * max(1.0, abs(b))
    return a >= b - tolerance if higher_is_better else a <= b + tolerance


def assess(
    times: Sequence[float],
    values: Sequence[float],
    target: float | None,
    target_year: int | None,
    *,
    higher_is_better: bool = True,
    baseline: tuple[float, float] | None = None,
    window: int = WINDOW,
) -> Progress:
    """Status of a series against a target.

    Args:
        times: observation times as decimal years, ascending (see :func:`decimal_year`).
        values: the observed values; NaN entries are ignored.
        target: the target value; ``None`` gives ``no_data``.
        target_year: the year by whose end the target is due.
        higher_is_better: ``False`` for indicators where lower is better.
        baseline: ``(time, value)`` the trajectory starts from, for a single observation;
            defaults to no baseline (a single point is then ``at_risk`` unless met).
        window: how many of the latest points the trend is fitted through.

    Returns:
        The :class:`Progress` with status, latest value, projection and trend slope.
    """
    pairs = [(t, v) for t, v in zip(times, values, strict=True) if v is not None and not np.isnan(v)]
    if target is None or target_year is None or not pairs:
        return Progress(NO_DATA, target=target, target_year=target_year)
    latest_time, latest = pairs[-1]
    base = Progress(NO_DATA, latest=latest, latest_time=latest_time, target=target, target_year=target_year)
    if _better_or_equal(latest, target, higher_is_better):
        return _with(base, MET)
    due = target_year + 1.0
    if due <= latest_time:  # the target year is over and the target was not reached
        return _with(base, OFF_TRACK)
    recent = pairs[-window:]
    if len(recent) < 2:
        if baseline is None or due <= baseline[0]:
            return _with(base, AT_RISK)
        needed_now = baseline[1] + (target - baseline[1]) * (latest_time - baseline[0]) / (due - baseline[0])
        return _with(base, AT_RISK if _better_or_equal(latest, needed_now, higher_is_better) else OFF_TRACK)
    t = np.array([p[0] for p in recent])
    v = np.array([p[1] for p in recent])
    slope, intercept = np.polyfit(t, v, 1) if np.ptp(t) > 0 else (0.0, float(v.mean()))
    projected = float(slope * due + intercept)
    progress = Progress(NO_DATA, latest, latest_time, projected, target, target_year, float(slope))
    if _better_or_equal(projected, target, higher_is_better):
        return _with(progress, ON_TRACK)
    covered = (projected - latest) / (target - latest)
    # a small tolerance: a trend that covers exactly 75 % must not fall to "off track" by rounding
    return _with(progress, AT_RISK if covered >= AT_RISK_SHARE - 1e-9 else OFF_TRACK)


def _with(progress: Progress, status: str) -> Progress:
    return Progress(status, *(getattr(progress, f) for f in list(Progress.__dataclass_fields__)[1:]))


def trajectory(baseline: tuple[float, float], targets: Sequence[tuple[int, float]]) -> list[tuple[float, float]]:
    """The path needed: straight lines from the baseline through each target at the end of its year.

    Args:
        baseline: ``(time, value)`` the path starts from.
        targets: ``(year, value)`` pairs; those due before the baseline are skipped.

    Returns:
        ``(time, value)`` points, the baseline first.
    """
    points = [baseline]
    for year, value in sorted(targets):
        if year + 1.0 > points[-1][0]:
            points.append((year + 1.0, value))
    return points


def from_decimal_year(time: float) -> date:
    """The day of a decimal year (the inverse of :func:`decimal_year`, to the day)."""
    year = int(time)
    start = date(year, 1, 1)
    length = (date(year + 1, 1, 1) - start).days
    return date.fromordinal(start.toordinal() + min(length - 1, round((time - year) * length)))
