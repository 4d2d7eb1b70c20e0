"""Overview builders as plain functions: cards from series, moves, uncovered people."""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.kpi_card import Kpi, kpi_card, sparkline
from components.overview_cards import build_kpi, pick_target, uncovered
from components.overview_changes import freshness_table, largest_moves, loads_list, moves_list
from metrics.status import MET, OFF_TRACK, ON_TRACK

TODAY = date(2026, 11, 28)


def series(values, first=2020):
    return pd.DataFrame(
        {
            "period": [str(first + i) for i in range(len(values))],
            "period_end": [date(first + i, 12, 31) for i in range(len(values))],
            "value": values,
        }
    )


TARGETS = pd.DataFrame({"year": [2025, 2030], "value": [50.0, 100.0]})


def test_pick_target_prefers_the_next_deadline():
    assert pick_target(TARGETS, 2026)["year"] == 2030
    assert pick_target(TARGETS, 2024)["year"] == 2025
    assert pick_target(TARGETS, 2031)["year"] == 2030  # all passed: the last one
    assert pick_target(TARGETS.iloc[0:0], 2026) is None


def test_build_kpi_with_trend_and_target():
    kpi = build_kpi("Users", "%", series([10, 20, 30, 40, 50, 60]), TARGETS, TODAY, target_note="illustrative")
    assert (kpi.value, kpi.previous, kpi.period) == (60, 50, "2025")
    # +10 a year: 120 at the end of 2030 >= 100
    assert kpi.progress.status == ON_TRACK and kpi.progress.target_year == 2030
    assert kpi.trend == (10, 20, 30, 40, 50, 60)
    assert kpi.target_note == "illustrative"


def test_build_kpi_no_rows():
    kpi = build_kpi("Users", "%", series([]), TARGETS, TODAY, target_note="illustrative")
    assert kpi.value is None and kpi.previous is None and kpi.period == ""
    assert kpi.trend == ()
    card = kpi_card(kpi, "k")  # renders a dash, no crash
    assert "—" in str(card)


def test_build_kpi_one_period_and_no_target():
    kpi = build_kpi("Users", "%", series([42.0]), TARGETS.iloc[0:0], TODAY, target_note="illustrative")
    assert kpi.value == 42.0 and kpi.previous is None
    assert kpi.progress is None and kpi.target_note == ""


def test_build_kpi_lower_is_better():
    lower = pd.DataFrame({"year": [2030], "value": [10.0]})
    kpi = build_kpi("Uncovered", "people", series([50, 40, 30, 20, 12]), lower, TODAY, higher_is_better=False)
    assert kpi.progress.status == ON_TRACK
    met = build_kpi("Uncovered", "people", series([50, 9]), lower, TODAY, higher_is_better=False)
    assert met.progress.status == MET
    worse = build_kpi("Uncovered", "people", series([20, 30, 40]), lower, TODAY, higher_is_better=False)
    assert worse.progress.status == OFF_TRACK


def test_build_kpi_park_dates_are_formatted():
    frame = pd.DataFrame({"period": ["2026-11-28"], "period_end": [TODAY], "value": [80.0]})
    assert build_kpi("Occupancy", "%", frame, TARGETS, TODAY, lang="en").period == "November 28, 2026"


def test_uncovered_people():
    coverage = pd.DataFrame(
        {"period": ["2026-Q3"], "period_end": [date(2026, 9, 30)], "value": [90.0], "population": [1000.0]}
    )
    assert uncovered(coverage)["value"].tolist() == [100.0]


def test_largest_moves_ranked_by_relative_change():
    kpis = [
        Kpi("a", 110, "", "", previous=100),  # +10 %
        Kpi("b", 50, "", "", previous=100),  # -50 %
        Kpi("c", 5, "", "", previous=None),  # no earlier value: left out
        Kpi("d", 7, "", "", previous=7),  # no change: left out
        Kpi("e", 3, "", "", previous=0),  # no base: ranked last
    ]
    assert [m.kpi.label for m in largest_moves(kpis)] == ["b", "a", "e"]
    assert [m.kpi.label for m in largest_moves(kpis, limit=1)] == ["b"]
    assert "No change" in str(moves_list([], "en"))
    text = str(moves_list(largest_moves(kpis), "en"))
    assert "−50" in text and "text-danger" in text


def test_lower_is_better_move_is_good_news():
    [move] = largest_moves([Kpi("uncovered", 90, "people", "2026-Q3", previous=100, higher_is_better=False)])
    assert "text-success" in str(moves_list([move], "en"))


def test_freshness_and_loads_render():
    frame = pd.DataFrame(
        {"theme": ["it_sector"], "data_until": [date(2024, 12, 31)], "last_loaded": [pd.Timestamp("2026-11-01")]}
    )
    table = str(freshness_table(frame, {"it_sector": "IT sector"}, TODAY, "en"))
    assert "IT sector" in table and "stale" in table
    empty = pd.DataFrame(columns=["file_name", "rows", "loaded_at"])
    assert "Nothing loaded" in str(loads_list(empty, "en"))


def test_sparkline_has_no_axes():
    fig = sparkline([1, 2, 3])
    assert fig.layout.xaxis.visible is False and len(fig.data) == 2
    assert len(sparkline([]).data) == 1
