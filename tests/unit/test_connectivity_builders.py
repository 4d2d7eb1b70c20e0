"""Builders of the connectivity view as plain functions: edge cases (no rows, one period,
lower-is-better, no target) and values worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from components.connectivity_figures import (
    SeriesBreak,
    benchmark_figure,
    comparison_figure,
    technology_mix_figure,
    urban_rural_figure,
)
from components.connectivity_table import next_sort, priority_table
from components.district_map import NO_DATA_FILL, clicked_code, district_map, map_paint, paint_patch
from data_loaders import boundaries


def quarters(values: list[float], first_year: int = 2025) -> pd.DataFrame:
    periods = [f"{first_year + i // 4}-Q{i % 4 + 1}" for i in range(len(values))]
    starts = [date(first_year + i // 4, 3 * (i % 4) + 1, 1) for i in range(len(values))]
    return pd.DataFrame({"period": periods, "period_start": starts, "value": values})


def is_empty_message(fig) -> bool:
    return not fig.data and len(fig.layout.annotations) == 1


# ---------------------------------------------------------------- map


def square(code: str, x0: float):
    return boundaries.Shape(code, (x0, x0 + 1, x0 + 1, x0, x0), (38, 38, 39, 39, 38), x0 + 0.5, 38.5)


def test_district_map_colours_hover_and_selection():
    shapes = [square("A", 70), square("B", 72), square("C", 74)]
    values = pd.DataFrame({"geo_code": ["A", "B"], "name": ["Alpha", "Beta"], "value": [40.0, 90.0]})
    colours = map_paint(values, shapes, unit="%", period="2026-Q3", source="demo", lang="en")
    fig = district_map(colours, shapes, [square("R", 70)], selected="B")
    units, outline, bar = fig["data"][:3], fig["data"][3], fig["data"][4]
    assert [t["meta"] for t in units] == ["A", "B", "C"]  # trace i is shapes[i]
    assert "Alpha" in units[0]["text"] and "40.0 %" in units[0]["text"] and "2026-Q3" in units[0]["text"]
    assert "demo" in units[0]["text"]
    assert units[2]["fillcolor"] == NO_DATA_FILL and "not reported" in units[2]["text"]
    assert units[0]["fillcolor"] != units[1]["fillcolor"]
    assert units[1]["line"]["width"] > units[0]["line"]["width"]  # the selected unit stands out
    assert outline["hoverinfo"] == "skip" and bar["marker"]["showscale"]
    assert fig["layout"]["yaxis"]["scaleanchor"] == "x" and fig["layout"]["annotations"] == []
    go.Figure(fig)  # a valid plotly figure, though built without validation


def test_district_map_lower_is_better_flips_scale_and_single_value():
    shapes = [square("A", 70)]
    values = pd.DataFrame({"geo_code": ["A"], "name": ["Alpha"], "value": [1234.0]})
    good = map_paint(values, shapes, unit="people", decimals=0)
    bad = map_paint(values, shapes, unit="people", decimals=0, higher_is_better=False, lang="en")
    assert good["fills"][0] != bad["fills"][0]  # one value: the middle of each scale
    assert "1,234 people" in bad["texts"][0]


def test_district_map_no_rows_keeps_the_geometry_and_says_so():
    shapes = [square("A", 70)]
    colours = map_paint(pd.DataFrame(columns=["geo_code", "name", "value"]), shapes, lang="en")
    fig = district_map(colours, shapes)
    assert fig["data"][0]["fillcolor"] == NO_DATA_FILL and len(fig["data"][0]["x"]) == 5
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["No data for this selection"]
    assert not fig["data"][-1]["marker"]["showscale"]


def test_paint_patch_changes_colours_and_words_only():
    shapes = [square("A", 70), square("B", 72)]
    first = map_paint(pd.DataFrame({"geo_code": ["A", "B"], "name": ["a", "b"], "value": [1.0, 2.0]}), shapes)
    second = map_paint(pd.DataFrame({"geo_code": ["A"], "name": ["a"], "value": [5.0]}), shapes, unit="people")
    fig = district_map(first, shapes, [square("R", 70)], selected="B")
    operations = paint_patch(second, bar_index=3).to_plotly_json()["operations"]
    changed = {tuple(op["location"]) for op in operations}
    assert ("data", 1, "fillcolor") in changed and ("data", 0, "text") in changed
    assert not any(place[-1] in ("x", "y", "line") for place in changed)  # geometry and outline stay
    applied = fig["data"][3]["marker"] | next(op["params"]["value"] for op in operations if op["operation"] == "Merge")
    assert applied["colorbar"]["title"]["text"] == "people" and applied["size"] == 0.1


def test_district_map_on_real_boundaries():
    shapes = boundaries.units()
    assert len(shapes) == 59 and shapes[0].code == "TJ-DU" and len(boundaries.regions()) == 5
    values = pd.DataFrame({"geo_code": [s.code for s in shapes], "name": "x", "value": range(59)})
    fig = district_map(map_paint(values, shapes), shapes, boundaries.regions())
    assert len(fig["data"]) == 59 + 5 + 1
    xs = [v for t in fig["data"][:59] for v in t["x"] if v is not None]
    assert 67 < min(xs) and max(xs) < 75.5  # Tajikistan's longitudes


def test_clicked_code():
    codes = ["TJ-DU", "TJ-GB-01"]
    assert clicked_code({"points": [{"curveNumber": 1}]}, codes) == "TJ-GB-01"
    assert clicked_code({"points": [{"curveNumber": 5}]}, codes) is None  # an outline
    assert clicked_code(None, codes) is None and clicked_code({"points": []}, codes) is None


# ---------------------------------------------------------------- figures


def test_comparison_and_technology_mix():
    frame = pd.concat([quarters([50, 60]).assign(label="Rasht"), quarters([70, 75]).assign(label="Tajikistan")])
    fig = comparison_figure(frame, "%")
    assert [t.name for t in fig.data] == ["Rasht", "Tajikistan"]
    assert is_empty_message(comparison_figure(frame.iloc[:0], "%"))
    mix = pd.concat(
        [
            quarters([90]).assign(indicator_code="TJ.MOB.2G.POP.ZS"),
            quarters([40]).assign(indicator_code="TJ.MOB.4G.POP.ZS"),
        ]
    )
    fig = technology_mix_figure(mix.iloc[::-1], {"TJ.MOB.2G.POP.ZS": "2G", "TJ.MOB.4G.POP.ZS": "4G"}, "%")
    assert [t.name for t in fig.data] == ["2G", "4G"] and list(fig.data[0].y) == [90]  # one period
    assert is_empty_message(technology_mix_figure(mix.iloc[:0], {}, "%"))


def test_urban_rural_figure():
    frame = pd.concat(
        [
            quarters([80, 85]).assign(measure="4G", area="Urban"),
            quarters([50, 60]).assign(measure="4G", area="Rural"),
            quarters([40, 45]).assign(measure="Internet", area="Urban"),
        ]
    )
    fig = urban_rural_figure(frame, "%")
    assert [t.name for t in fig.data] == ["4G: Urban", "4G: Rural", "Internet: Urban"]
    assert fig.data[0].line.color == fig.data[2].line.color  # same area, same colour
    assert fig.data[0].line.dash != fig.data[2].line.dash  # different measure, different dash
    assert is_empty_message(urban_rural_figure(frame.iloc[:0], "%"))


def test_benchmark_marks_breaks_on_their_panel():
    rows = []
    for geo, name in (("TJ", "Tajikistan"), ("KG", "Kyrgyzstan")):
        for code in ("IT.NET.USER.ZS", "IT.CEL.SETS.P2"):
            for year, value in ((2019, 115.0), (2020, 62.0)):
                rows.append(
                    {
                        "indicator_code": code,
                        "geo_code": geo,
                        "geo_name": name,
                        "period": str(year),
                        "period_start": date(year, 1, 1),
                        "value": value,
                    }
                )
    frame = pd.DataFrame(rows)
    titles = {"IT.NET.USER.ZS": "Internet users", "IT.CEL.SETS.P2": "Mobile subscriptions"}
    fig = benchmark_figure(frame, titles, [SeriesBreak("IT.CEL.SETS.P2", "TJ", 2019, 2020, "Series break")])
    assert fig.data[0].name == "Tajikistan" and fig.data[0].line.width > fig.data[1].line.width
    assert [t.showlegend for t in fig.data] == [True, True, False, False]  # one legend entry per country
    notes = [a for a in fig.layout.annotations if a.text == "Series break"]
    assert len(notes) == 1 and notes[0].xref == "x2"  # on the second panel
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].xref == "x2"
    assert is_empty_message(benchmark_figure(frame.iloc[:0], titles))


# ---------------------------------------------------------------- table


def _ranking() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": [1, 2],
            "geo_code": ["TJ-RA-05", "TJ-KT-03"],
            "name": ["Rasht", "Danghara"],
            "region_name": ["DRS", "Khatlon"],
            "population": [153_449.0, 211_300.0],
            "value": [37.8, 77.1],
            "uncovered": [95_443.3, 48_387.7],
            "gap_people": [87_771.0, 37_822.7],
        }
    )


def _part(region, kind: str):
    return next(c for c in region.children.children if type(c).__name__ == kind)


def _texts(region) -> list[list[str]]:
    """Every cell's text of the table, row by row."""
    return [[cell.children for cell in row.children] for row in _part(region, "Tbody").children]


def test_priority_table_is_a_semantic_table_rounded_in_the_locale():
    region = priority_table(_ranking(), "t", lang="ru")
    assert region.id == "t" and region.tabIndex == 0 and region.role == "region"
    rows = _texts(region)
    assert rows[0][:4] == ["1", "Rasht", "DRS", "95\u00a0400"]  # people to hundreds, Russian grouping
    assert rows[0][5] == "37,8"
    headers = _part(region, "Thead").children.children
    assert [th.scope for th in headers] == ["col"] * 7
    assert getattr(headers[0], "aria-sort") == "ascending"  # by rank at first
    assert type(priority_table(_ranking().iloc[:0], "t").children).__name__ == "P"  # a note, no table


def test_priority_table_sorts_by_the_clicked_header():
    assert next_sort(None, "uncovered") == ("uncovered", "descending")  # largest first
    assert next_sort(("uncovered", "descending"), "uncovered") == ("uncovered", "ascending")
    assert next_sort(("uncovered", "descending"), "name") == ("name", "ascending")
    assert next_sort(("rank", "ascending"), "nope") == ("rank", "ascending")
    rows = _texts(priority_table(_ranking(), "t", lang="en", sort=("name", "ascending")))
    assert [row[1] for row in rows] == ["Danghara", "Rasht"]
    rows = _texts(priority_table(_ranking(), "t", lang="en", sort=("value", "descending")))
    assert [row[5] for row in rows] == ["77.1", "37.8"]


@pytest.mark.parametrize("lang", ["en", "ru", "tg", None, "xx"])
def test_priority_table_any_language(lang):
    assert len(_texts(priority_table(_ranking(), "t", lang=lang))) == 2
