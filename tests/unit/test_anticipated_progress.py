"""The ESCAP anticipated-progress method on worked examples (numbers worked out in the comments).

Every example has its base in 2015 and a target due at the end of 2029 (time 2030.0), so the
required growth runs over 15 years and the observed growth over 5 (2015.0 to 2020.0).
"""

from __future__ import annotations

import math

import pytest

from metrics.anticipated_progress import (
    BASE_YEAR,
    DETERIORATION,
    ESCAP,
    INSUFFICIENT,
    MODERATE,
    MODERATE_RATIO,
    ON_TRACK_RATIO,
    RULE,
    anticipated_progress,
    category,
)
from metrics.status import MET, NO_DATA, ON_TRACK

TIMES = [2015.0, 2020.0]


def test_on_track_worked_example():
    # observed (50/40)**(1/5) - 1 = 0.045640; required (80/40)**(1/15) - 1 = 0.047294; R = 0.9650
    p = anticipated_progress(TIMES, [40, 50], 80, 2029)
    assert p.status == ON_TRACK and p.method == ESCAP
    assert p.ratio == pytest.approx(0.045640 / 0.047294, abs=1e-4)
    assert p.base_time == 2015.0 and p.latest == 50
    # the observed growth carried on to 2030.0: 40 * 1.25 ** 3 = 78.125
    assert p.projected == pytest.approx(78.125)


@pytest.mark.parametrize(
    ("latest", "status", "ratio"),
    [
        (47, MODERATE, 0.032781 / 0.047294),  # (47/40)**0.2 - 1 = 0.032781: R = 0.693
        (42, INSUFFICIENT, 0.009806 / 0.047294),  # (42/40)**0.2 - 1 = 0.009806: R = 0.207
        (38, DETERIORATION, -0.010206 / 0.047294),  # (38/40)**0.2 - 1 = -0.010206: R < 0
    ],
)
def test_moderate_insufficient_and_deterioration(latest, status, ratio):
    p = anticipated_progress(TIMES, [40, latest], 80, 2029)
    assert p.status == status
    assert p.ratio == pytest.approx(ratio, abs=1e-4)


def test_lower_is_better():
    # observed 0.75**0.2 - 1 = -0.055912; required 0.5**(1/15) - 1 = -0.045158; R = +1.238
    falling = anticipated_progress(TIMES, [20, 15], 10, 2029, higher_is_better=False)
    assert falling.status == ON_TRACK
    assert falling.ratio == pytest.approx(0.055912 / 0.045158, abs=1e-4)
    # rising while lower is better: R = -(1.1**0.2 - 1) / 0.045158 < 0
    rising = anticipated_progress(TIMES, [20, 22], 10, 2029, higher_is_better=False)
    assert rising.status == DETERIORATION


def test_target_already_met():
    assert anticipated_progress(TIMES, [40, 80], 80, 2029).status == MET
    assert anticipated_progress(TIMES, [20, 9], 10, 2029, higher_is_better=False).status == MET
    assert anticipated_progress([2015.0], [85.0], 80, 2029).status == MET  # met needs no growth rate


def test_base_already_past_target_then_moving_away_is_deterioration():
    # base 90 beyond the target 80, now 70: required growth is negative, observed too; d = +1
    p = anticipated_progress(TIMES, [90, 70], 80, 2029)
    assert p.status == DETERIORATION and p.ratio < 0


def test_zero_target_is_taken_as_a_thousandth():
    # observed 0.5**0.2 - 1 = -0.129449; required (0.001/10)**(1/15) - 1 = -0.458830; R = 0.2821
    p = anticipated_progress(TIMES, [10, 5], 0, 2029, higher_is_better=False)
    assert p.status == INSUFFICIENT
    assert p.ratio == pytest.approx(0.129449 / 0.458830, abs=1e-4)


def test_base_is_the_first_value_from_the_base_year():
    # the 2010 value is ignored: base 40 in 2015, as in the on-track example
    p = anticipated_progress([2010.0, 2015.0, 2017.0, 2020.0], [5, 40, 1, 50], 80, 2029)
    assert p.base_time == 2015.0 and p.status == ON_TRACK
    later = anticipated_progress([2018.0, 2020.0], [40, 50], 80, 2029)  # starts after 2015: its first value
    assert later.base_time == 2018.0


@pytest.mark.parametrize(
    ("times", "values", "target"),
    [
        (TIMES, [40, 50], None),  # no target
        ([2010.0, 2014.0], [40, 50], 80),  # nothing since the base year
        ([2020.0], [50], 80),  # a single value: no growth yet
        (TIMES, [0, 50], 80),  # a zero base: no compound growth rate
        (TIMES, [math.nan, math.nan], 80),
    ],
)
def test_no_data(times, values, target):
    p = anticipated_progress(times, values, target, 2029)
    assert p.status == NO_DATA and p.method == ESCAP


def test_thresholds_are_inclusive_at_the_lower_bound():
    assert category(0.95) == ON_TRACK
    assert category(0.9499) == MODERATE and category(0.6) == MODERATE
    assert category(0.5999) == INSUFFICIENT and category(0.0) == INSUFFICIENT
    assert category(-0.0001) == DETERIORATION


def test_rule_states_the_method_thresholds_and_base_year():
    for text in (
        "ESCAP",
        f"({BASE_YEAR},",
        f"at least {ON_TRACK_RATIO * 100:.0f} %",
        f"{MODERATE_RATIO * 100:.0f} % to",
    ):
        assert text in RULE
    for status in ("Target achieved", "On track", "Moderate progress", "Insufficient progress", "Deterioration"):
        assert status in RULE
