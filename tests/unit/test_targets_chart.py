"""Targets builders as plain functions: baseline, chart and table with edge cases."""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.targets_chart import baseline_of, target_figure, targets_table
from metrics.status import assess


def series(values, first=2017):
    return pd.DataFrame(
        {
            "period": [str(first + i) for i in range(len(values))],
            "period_end": [date(first + i, 12, 31) for i in range(len(values))],
            "value": values,
        }
    )


TARGETS = pd.DataFrame({"year": [2025, 2030], "value": [50.0, 75.0]})


def test_baseline_is_last_value_of_2019_or_first():
    assert baseline_of(series([10, 20, 30, 40]))[1] == 30  # 2017, 2018, 2019 -> 30
    assert baseline_of(series([10, 20], first=2022))[1] == 10
    assert baseline_of(series([])) is None


def test_figure_has_observed_needed_projection_and_targets():
    s = series([10, 20, 30, 40, 50, 60])
    p = assess([2018.0, 2019.0, 2020.0, 2021.0, 2022.0, 2023.0], list(s["value"]), 75.0, 2030)
    fig = target_figure(s, TARGETS, p, "%", lang="en")
    assert [t.name for t in fig.data] == ["Observed", "Needed", "Projection", "Target"]
    needed = fig.data[1]
    assert list(needed.y) == [30.0, 50.0, 75.0]  # baseline 2019, then each target


def test_figure_edge_cases():
    empty = assess([], [], 75.0, 2030)
    fig = target_figure(series([]), TARGETS.iloc[0:0], empty, "%")
    assert fig.layout.annotations[0].text.startswith("No data")
    # targets but no observation: the stars alone
    assert [t.name for t in target_figure(series([]), TARGETS, empty, "%", lang="en").data] == ["Target"]
    # a single point: no projection line
    one = assess([2023.0], [40.0], 75.0, 2030)
    names = [t.name for t in target_figure(series([40.0], first=2023), TARGETS, one, "%", lang="en").data]
    assert "Projection" not in names and "Observed" in names


def test_table_rows_and_labels():
    p = assess([2023.0, 2024.0], [40.0, 45.0], 75.0, 2030)
    row = {
        "name": "Users",
        "unit": "%",
        "geo_name": "Tajikistan",
        "year": 2030,
        "target": 75.0,
        "decimals": 1,
        "baseline": 40.0,
        "latest_period": "2024",
        "progress": p,
        "illustrative": True,
    }
    text = str(targets_table([row, {**row, "progress": assess([], [], 75.0, 2030), "illustrative": False}], "en"))
    assert text.count("tgt-row") == 2
    assert "illustrative target" in text and "No data" in text
    assert "No target for this selection" in str(targets_table([], "en"))
