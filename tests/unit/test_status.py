"""The status rule on hand-made series: every case the KPI cards and the targets page can meet.

Expected values are worked out by hand in the comments (straight lines are used so that the
least-squares trend is exact).
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from metrics.status import (
    AT_RISK,
    MET,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    RULE,
    WINDOW,
    assess,
    decimal_year,
    from_decimal_year,
    trajectory,
)

YEARS = [2020.0, 2021.0, 2022.0, 2023.0, 2024.0]


def test_on_track_when_trend_reaches_target():
    # +5 a year from 10 (2020) to 30 (2024): at 2031.0 the line is at 65 >= 60
    p = assess(YEARS, [10, 15, 20, 25, 30], 60, 2030)
    assert p.status == ON_TRACK
    assert p.slope == pytest.approx(5)
    assert p.projected == pytest.approx(65)
    assert p.gap == pytest.approx(-5)
    assert p.latest == 30 and p.latest_time == 2024.0


def test_at_risk_when_trend_covers_three_quarters():
    # 30 now, +4 a year -> 58 at 2031; remaining distance 60-30=30, covered 28/30 = 93 % -> at risk
    p = assess(YEARS, [14, 18, 22, 26, 30], 60, 2030)
    assert p.status == AT_RISK
    assert p.projected == pytest.approx(58)
    assert p.gap == pytest.approx(2)


def test_at_risk_boundary_is_inclusive():
    # +3 a year from 30 at 2024: 51 at 2031... choose target so covered is exactly 75 %: 30 + 21/0.75 = 58
    p = assess(YEARS, [18, 21, 24, 27, 30], 58, 2030)
    assert p.projected == pytest.approx(51)
    assert p.status == AT_RISK


def test_off_track_when_trend_falls_short():
    # +1 a year: 37 at 2031, covered 7/30 = 23 % -> off track
    p = assess(YEARS, [26, 27, 28, 29, 30], 60, 2030)
    assert p.status == OFF_TRACK
    assert p.projected == pytest.approx(37)


def test_off_track_when_moving_away():
    p = assess(YEARS, [34, 33, 32, 31, 30], 60, 2030)
    assert p.status == OFF_TRACK
    assert p.slope == pytest.approx(-1)


def test_already_met():
    p = assess(YEARS, [50, 55, 58, 59, 61], 60, 2030)
    assert p.status == MET
    assert p.latest == 61


def test_met_exactly_at_target():
    assert assess([2024.0], [60], 60, 2030).status == MET


def test_target_year_passed_without_meeting_is_off_track():
    # the trend would reach 60 later, but the target was due at the end of 2022
    p = assess(YEARS, [10, 20, 30, 40, 50], 60, 2022)
    assert p.status == OFF_TRACK


@pytest.mark.parametrize(
    ("times", "values", "target", "year"),
    [
        ([], [], 60, 2030),  # no observation
        (YEARS, [10, 15, 20, 25, 30], None, 2030),  # no target
        (YEARS, [10, 15, 20, 25, 30], 60, None),  # no target year
        ([2023.0, 2024.0], [math.nan, math.nan], 60, 2030),  # only missing values
    ],
)
def test_no_data(times, values, target, year):
    p = assess(times, values, target, year)
    assert p.status == NO_DATA
    assert p.projected is None and p.gap is None and p.trend_line() == []


def test_missing_values_are_skipped():
    # the NaN in 2024 is ignored: latest is 25 at 2023, +5 a year -> 65 at 2031
    p = assess(YEARS, [10, 15, 20, 25, math.nan], 60, 2030)
    assert p.latest == 25 and p.latest_time == 2023.0
    assert p.status == ON_TRACK


def test_single_point_without_baseline_is_at_risk():
    p = assess([2024.0], [30], 60, 2030)
    assert p.status == AT_RISK
    assert p.projected is None and p.slope is None


def test_single_point_on_the_trajectory_is_at_risk():
    # baseline 0 at 2020 to 60 at 2031: needed at 2024 is 60*4/11 = 21.8; 30 is ahead of the path
    assert assess([2024.0], [30], 60, 2030, baseline=(2020.0, 0.0)).status == AT_RISK


def test_single_point_behind_the_trajectory_is_off_track():
    # baseline 20 at 2020: needed at 2024 is 20 + 40*4/11 = 34.5; 30 is behind
    assert assess([2024.0], [30], 60, 2030, baseline=(2020.0, 20.0)).status == OFF_TRACK


def test_single_point_already_met():
    assert assess([2024.0], [70], 60, 2030).status == MET


def test_lower_is_better_on_track():
    # people without coverage: 100 falling 10 a year to 60 at 2024 -> -10 at 2031 <= 20
    p = assess(YEARS, [100, 90, 80, 70, 60], 20, 2030, higher_is_better=False)
    assert p.status == ON_TRACK
    assert p.projected == pytest.approx(-10)


def test_lower_is_better_at_risk_and_off_track():
    # falling 5 a year from 60: 25 at 2031; distance 40, covered 35/40 = 87.5 % -> at risk
    assert assess(YEARS, [80, 75, 70, 65, 60], 20, 2030, higher_is_better=False).status == AT_RISK
    # falling 1 a year: 53 at 2031, covered 7/40 -> off track
    assert assess(YEARS, [64, 63, 62, 61, 60], 20, 2030, higher_is_better=False).status == OFF_TRACK
    # rising: moving away -> off track
    assert assess(YEARS, [50, 52, 54, 56, 60], 20, 2030, higher_is_better=False).status == OFF_TRACK


def test_lower_is_better_met():
    assert assess(YEARS, [40, 30, 25, 20, 15], 20, 2030, higher_is_better=False).status == MET
    # a higher value does not "meet" a lower-is-better target
    assert assess([2024.0], [25], 20, 2030, higher_is_better=False).status != MET


def test_lower_is_better_single_point_against_trajectory():
    # baseline 100 at 2020 to 20 at 2031: needed at 2024 is 100 - 80*4/11 = 70.9
    assert assess([2024.0], [60], 20, 2030, higher_is_better=False, baseline=(2020.0, 100.0)).status == AT_RISK
    assert assess([2024.0], [80], 20, 2030, higher_is_better=False, baseline=(2020.0, 100.0)).status == OFF_TRACK


def test_trend_uses_only_the_last_window_points():
    # an early collapse is outside the window: the last five rise by 5 a year
    times = [2015.0, 2016.0, 2017.0, *YEARS]
    p = assess(times, [90, 0, 5, 10, 15, 20, 25, 30], 60, 2030)
    assert WINDOW == 5
    assert p.slope == pytest.approx(5)
    assert p.status == ON_TRACK


def test_same_time_points_do_not_divide_by_zero():
    p = assess([2024.0, 2024.0], [30, 32], 60, 2030)
    assert p.slope == 0 and p.projected == pytest.approx(31)
    assert p.status == OFF_TRACK


def test_trend_line_runs_from_latest_to_due():
    p = assess(YEARS, [10, 15, 20, 25, 30], 60, 2030)
    (t0, v0), (t1, v1) = p.trend_line()
    assert (t0, t1) == (2024.0, 2031.0)
    assert v0 == pytest.approx(30) and v1 == pytest.approx(65)


def test_trajectory_goes_through_each_target_at_year_end():
    assert trajectory((2019.0, 20.0), [(2030, 75), (2025, 50)]) == [(2019.0, 20.0), (2026.0, 50), (2031.0, 75)]
    # a target due before the baseline is skipped
    assert trajectory((2027.0, 60.0), [(2025, 50), (2030, 75)]) == [(2027.0, 60.0), (2031.0, 75)]


def test_decimal_year_round_trip():
    for day in (date(2024, 1, 1), date(2024, 7, 1), date(2025, 12, 31)):
        assert from_decimal_year(decimal_year(day)) == day
    assert decimal_year(date(2024, 1, 1)) == 2024.0


def test_rule_states_every_status():
    for word in ("Met", "On track", "At risk", "Off track", "lower is better"):
        assert word in RULE


def test_projection_equal_to_target_is_on_track():
    # +0.1 a year from 0.1 (2020) to 0.2 (2021): the fitted line is at 1.1 at 2030.0, the target,
    # but the least-squares fit gives 1.099999999999909; "gap 0" must not read "at risk"
    p = assess([2020.0, 2021.0], [0.1, 0.2], 1.1, 2029)
    assert p.projected < 1.1 and p.status == ON_TRACK
    lower = assess([2020.0, 2021.0], [2.0, 1.9], 1.0, 2029, higher_is_better=False)
    assert lower.projected == pytest.approx(1.0) and lower.status == ON_TRACK
