"""Targets builders as plain functions: baseline, chart and table with edge cases."""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.targets_chart import baseline_of, target_figure, targets_table
from metrics.anticipated_progress import anticipated_progress
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
    fig = target_figure(series([]), TARGETS.iloc[0:0], empty, "%", lang="en")
    assert fig.layout.annotations[0].text.startswith("No data yet")
    # targets but nothing observed yet: said in words, not empty axes
    no_data = target_figure(series([]), TARGETS, empty, "%", lang="en")
    assert not no_data.data and no_data.layout.annotations[0].text.startswith("No data yet")
    # a single point: no projection line
    one = assess([2023.0], [40.0], 75.0, 2030)
    names = [t.name for t in target_figure(series([40.0], first=2023), TARGETS, one, "%", lang="en").data]
    assert "Projection" not in names and "Observed" in names


def test_figure_years_on_the_axis_plain_numbers_and_shares_clipped():
    s = series([60, 80, 100])  # +20 a year: the trend would pass 100 %
    p = assess([2018.0, 2019.0, 2020.0], [60.0, 80.0, 100.0], 120.0, 2030)
    fig = target_figure(s, TARGETS, p, "%", lang="en", bounds=(0.0, 100.0))
    projection = next(t for t in fig.data if t.name == "Projection")
    assert max(projection.y) == 100.0
    assert fig.layout.xaxis.tickformat == "%Y" and fig.layout.yaxis.tickformat == ",~f"
    assert fig.layout.xaxis.range[0].startswith("2016") and fig.layout.xaxis.range[1].startswith("2031")


def row(progress, projection, **changes):
    return {
        "name": "Users",
        "unit": "%",
        "geo_name": "Tajikistan",
        "year": 2030,
        "target": 75.0,
        "decimals": 1,
        "baseline": 40.0,
        "latest_period": "2024",
        "progress": progress,
        "projection": projection,
        "clipped": False,
        "illustrative": True,
    } | changes


def test_table_rows_and_labels():
    linear = assess([2023.0, 2024.0], [40.0, 45.0], 75.0, 2030)
    escap = anticipated_progress([2023.0, 2024.0], [40.0, 45.0], 75.0, 2030)
    none = assess([], [], 75.0, 2030)
    rows = [row(escap, linear), row(none, none, illustrative=False), row(escap, linear, clipped=True)]
    text = str(targets_table(rows, "en"))
    assert text.count("tgt-row") == 3
    assert "illustrative target" in text and "No data" in text
    assert "ESCAP method" in text and "linear trend" in text and "(clipped)" in text
    assert "No target for this selection" in str(targets_table([], "en"))
