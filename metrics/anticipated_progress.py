"""Status against a target by the UN ESCAP "anticipated progress" method, as Open SDG computes it.

Partners read SDG dashboards built on Open SDG, so a KPI's status here is decided the same way:

* the observed compound annual growth rate since the base year,
  ``CAGR_o = (y_t / y_0) ** (1 / (t - t_0)) - 1``;
* the growth rate that would reach the target on time,
  ``CAGR_r = (y_T / y_0) ** (1 / (T - t_0)) - 1``;
* their ratio ``R = d * CAGR_o / |CAGR_r|`` with ``d = +1`` where higher is better and ``-1``
  where lower is better (the sign convention of Statistics Canada's Open SDG method, so that a
  base value already past the target that then moves the wrong way is "deterioration");
* **target achieved** when the latest value already meets the target; otherwise
  **on track** for ``R >= 0.95``, **moderate progress** for ``0.6 <= R < 0.95``,
  **insufficient progress** for ``0 <= R < 0.6`` and **deterioration** for ``R < 0``.

The base year is 2015 (the SDG baseline, Open SDG's default); when a series starts later, its
first value is the base, as Open SDG does. Times are decimal years: a value is dated at the end
of its period and a target is due at the end of its year, so quarterly and monthly series work
the same as yearly ones. A target of 0 is taken as 0.001, as in Open SDG, so the growth rate exists.

Sources:
* UN ESCAP, *Asia and the Pacific SDG Progress Report*, technical note "Progress assessment
  methodology" (https://data.unescap.org/resource-guides/progress-assessment-methodology),
  and ESCAP Statistics Division working paper SD/WP/05 (May 2017), "Tracking progress towards
  the SDGs: measuring the otherwise ambiguous progress" (A. Bidarbakht Nia).
* Open SDG, "Progress Measurement Methodology" (open-sdg/open-sdg, docs/progress-methodology.md)
  and its implementation in sdg-build (``methodology_2``: thresholds 0.95 / 0.6 / 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from i18n import N_
from metrics.status import AT_RISK, MET, MISSED, NO_DATA, OFF_TRACK, ON_TRACK, Progress, assess

ESCAP = "escap"  # the method name carried by each status this module makes
MODERATE, INSUFFICIENT, DETERIORATION = "moderate", "insufficient", "deterioration"
BASE_YEAR = 2015
ON_TRACK_RATIO = 0.95
MODERATE_RATIO = 0.6
ZERO_TARGET = 0.001
# the numbers are written out so the sentence can be translated; a test checks they match the constants
RULE = N_(
    "Status is assessed with the UN ESCAP anticipated-progress method used by Open SDG platforms: the compound "
    "annual growth since the base year (2015, or the first value after it) is divided by the growth needed to "
    "reach the target by the end of the target year. Target achieved: the latest value meets the target. On "
    "track: the ratio is at least 95 %. Moderate progress: 60 % to 95 %. Insufficient progress: 0 to 60 %. "
    "Deterioration: the value moves away from the target."
)


def _cagr(first: float, last: float, years: float) -> float | None:
    if first <= 0 or last < 0 or years <= 0:
        return None
    return (last / first) ** (1.0 / years) - 1.0


def category(ratio: float) -> str:
    """The ESCAP category of a growth ratio (observed over required), the target not yet met."""
    if ratio >= ON_TRACK_RATIO:
        return ON_TRACK
    if ratio >= MODERATE_RATIO:
        return MODERATE
    if ratio >= 0:
        return INSUFFICIENT
    return DETERIORATION


def anticipated_progress(
    times: Sequence[float],
    values: Sequence[float],
    target: float | None,
    target_year: int | None,
    *,
    higher_is_better: bool = True,
    base_year: int = BASE_YEAR,
) -> Progress:
    """Status of a series against a target by the ESCAP anticipated-progress method.

    Args:
        times: observation times as decimal years, ascending (``metrics.status.decimal_year``).
        values: the observed values; NaN entries are ignored.
        target: the target value; ``None`` gives ``no_data``.
        target_year: the year by whose end the target is due.
        higher_is_better: ``False`` where lower is better.
        base_year: the base year (the first value from its start on is the base).

    Returns:
        A :class:`~metrics.status.Progress` with ``method="escap"``, the ratio, the base time and
        the value the observed growth would reach by the due date (``projected``). ``no_data``
        when there is no target, no value since the base year, a single value (no growth yet),
        or a base value of zero or below (no compound growth rate exists).
    """
    pairs = [(t, v) for t, v in zip(times, values, strict=True) if v is not None and not np.isnan(v)]
    since = [(t, v) for t, v in pairs if t >= base_year]
    if target is None or target_year is None or not since:
        return Progress(NO_DATA, target=target, target_year=target_year, method=ESCAP)
    (t0, y0), (t, y) = since[0], since[-1]
    due = target_year + 1.0
    base = Progress(NO_DATA, y, t, target=target, target_year=target_year, method=ESCAP, base_time=t0)
    if (y >= target) if higher_is_better else (y <= target):
        return replace(base, status=MET)
    observed = _cagr(y0, y, t - t0)
    required = _cagr(y0, target if target != 0 else ZERO_TARGET, due - t0)
    if observed is None or required is None:
        return base
    projected = y0 * (1.0 + observed) ** (due - t0)
    direction = 1.0 if higher_is_better else -1.0
    if required == 0:  # the base was exactly on target and the value has left it
        return replace(base, status=category(-1.0), projected=projected)
    ratio = direction * observed / abs(required)
    return replace(base, status=category(ratio), projected=projected, ratio=ratio)


def assess_kpi(
    times: Sequence[float],
    values: Sequence[float],
    target: float | None,
    target_year: int | None,
    *,
    higher_is_better: bool = True,
) -> Progress:
    """The status a KPI card shows: by the ESCAP method; by the linear projection
    (``metrics.status.assess``) only where ESCAP cannot decide (one value since the base year,
    a base of zero). The status's ``method`` says which one made it."""
    escap = anticipated_progress(times, values, target, target_year, higher_is_better=higher_is_better)
    if escap.status != NO_DATA or target is None:
        return escap
    return assess(times, values, target, target_year, higher_is_better=higher_is_better)


ON_TRACK_GROUP, AT_RISK_GROUP, OFF_TRACK_GROUP, NO_TARGET_GROUP = "on_track", "at_risk", "off_track", "no_target"
GROUP_OF = {
    MET: ON_TRACK_GROUP,
    ON_TRACK: ON_TRACK_GROUP,
    MODERATE: AT_RISK_GROUP,
    AT_RISK: AT_RISK_GROUP,
    INSUFFICIENT: OFF_TRACK_GROUP,
    DETERIORATION: OFF_TRACK_GROUP,
    OFF_TRACK: OFF_TRACK_GROUP,
    MISSED: OFF_TRACK_GROUP,
    NO_DATA: NO_TARGET_GROUP,
}
# worst first: the order of cards within a theme
SEVERITY = (MISSED, DETERIORATION, OFF_TRACK, INSUFFICIENT, AT_RISK, MODERATE, NO_DATA, ON_TRACK, MET)


def rollup(statuses: Sequence[str]) -> dict[str, int]:
    """How many KPIs are on track (met included), at risk, off track and without a target."""
    counts = dict.fromkeys((ON_TRACK_GROUP, AT_RISK_GROUP, OFF_TRACK_GROUP, NO_TARGET_GROUP), 0)
    for status in statuses:
        counts[GROUP_OF[status]] += 1
    return counts
