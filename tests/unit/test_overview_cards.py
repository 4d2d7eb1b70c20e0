"""Overview builders as plain functions: the one KPI card builder fed by the registry, moves."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pandas as pd

from components.kpi_card import Kpi, kpi_card, sparkline
from components.overview_changes import freshness_table, largest_moves, loads_list, moves_list
from components.registry_kpi import kpi_from_registry
from data_loaders.queries.kpis import KpiData
from metrics import kpis as registry
from metrics.anticipated_progress import DETERIORATION, ESCAP
from metrics.status import MET, ON_TRACK

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


def data(values, targets=TARGETS, kinds=("synthetic",), provisional=None, frequency="A", direction="higher"):
    return KpiData(
        series(values),
        provisional if provisional is not None else pd.DataFrame(columns=["period", "reported", "expected", "share"]),
        {"name": "Users", "unit": "%", "decimals": 1, "direction": direction, "frequency": frequency},
        targets.assign(illustrative=True),
        kinds,
    )


USERS = registry.get("internet_users")


def test_card_from_registry_with_trend_target_and_method():
    kpi = kpi_from_registry(USERS, data([10, 20, 30, 40, 50, 60]), TODAY, "en", href="/x")
    assert (kpi.label, kpi.unit, kpi.value, kpi.previous, kpi.period) == ("Users", "%", 60, 50, "2025")
    # ESCAP: base 2020 = 10 (first value from 2015 on); 60 in 2025 grows far faster than needed to reach 100
    assert kpi.progress.status == ON_TRACK and kpi.progress.target_year == 2030
    assert kpi.progress.method == ESCAP
    assert kpi.trend == (10, 20, 30, 40, 50, 60)
    assert kpi.target_note == "illustrative" and kpi.synthetic and kpi.href == "/x"
    assert kpi.stale_note == ""


def test_card_flags_come_from_the_sources():
    assert not kpi_from_registry(USERS, data([10, 20], kinds=("official",)), TODAY, "en").synthetic
    untargeted = kpi_from_registry(USERS, data([10, 20], targets=TARGETS.iloc[0:0]), TODAY, "en")
    assert untargeted.progress is None and untargeted.target_note == ""


def test_card_passed_targets_are_not_the_cards_target_but_met_or_missed():
    only_past = TARGETS[TARGETS["year"] < 2026]
    card = kpi_from_registry(USERS, data([10, 20, 30, 40, 45, 48]), TODAY, "en")
    assert card.progress.target_year == 2030
    # 48 at the end of 2025 < the 2025 target of 50
    assert card.past_target_note == "Target 2025: 50.0 missed"
    assert kpi_from_registry(USERS, data([10, 20, 30], targets=only_past), TODAY, "en").progress is None
    met = kpi_from_registry(USERS, data([10, 20, 30, 40, 50, 60]), TODAY, "en")
    assert met.past_target_note == "Target 2025: 50.0 met"
    assert "Target 2025: 50.0 met" in str(kpi_card(met, "k", "en"))


def test_card_without_rows():
    kpi = kpi_from_registry(USERS, data([]), TODAY, "en")
    assert kpi.value is None and kpi.previous is None and kpi.period == "" and kpi.trend == ()
    assert "—" in str(kpi_card(kpi, "k"))  # renders a dash, no crash


def test_card_lower_is_better_and_met():
    lower = pd.DataFrame({"year": [2030], "value": [10.0]})
    gap = registry.get("urban_rural_gap")  # declared lower-is-better
    assert kpi_from_registry(gap, data([50, 9], targets=lower), TODAY, "en").progress.status == MET
    worse = kpi_from_registry(gap, data([20, 30, 40], targets=lower), TODAY, "en")
    assert worse.progress.status == DETERIORATION


def test_card_stale_and_provisional_notes():
    old = kpi_from_registry(USERS, replace(data([10, 20]), series=series([10, 20], first=2021)), TODAY, "en")
    assert old.stale_note == "latest available: 2022"
    pending = pd.DataFrame({"period": ["2026-Q4"], "reported": [2], "expected": [59], "share": [0.03]})
    kpi = kpi_from_registry(USERS, data([10, 20], provisional=pending), TODAY, "en")
    assert kpi.provisional_notes == (
        "2026-Q4: 2 of 59 districts reported (3 % of population) — provisional, not shown in totals",
    )
    card = str(kpi_card(kpi, "k", "en"))
    assert "provisional" in card and "ESCAP method" in card


def test_card_park_dates_are_formatted():
    frame = pd.DataFrame({"period": ["2026-11-28"], "period_end": [TODAY], "value": [80.0]})
    kpi = kpi_from_registry(registry.get("park_occupancy"), replace(data([1]), series=frame), TODAY, "en")
    assert kpi.period == "November 28, 2026"


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
    fig = sparkline([1, 2, float("nan")])
    assert fig["layout"]["xaxis"]["visible"] is False and len(fig["data"]) == 2
    assert fig["data"][0]["y"] == [1.0, 2.0, None]  # a missing value is a gap, and valid JSON
    assert len(sparkline([])["data"]) == 1
    assert len(json.dumps(sparkline([1.5] * 8))) < 1200  # no template copied into each card
