"""Charts for every reader (issue 17): one colour-blind-safe palette set once, a second cue for
lines sharing an axis, a one-sentence summary made from the figure's data in the UI language,
and the card markup that names the chart, describes it and offers its table."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import pandas as pd
import plotly.io as pio
import pytest

from components.chart_card import ChartContent, chart_card, chart_outputs, chart_values
from components.chart_summary import counts_summary, extremes_summary, figure_summary
from components.connectivity_figures import benchmark_figure, technology_mix_figure, urban_rural_figure
from components.figures import PALETTE, TEMPLATE, bar_figure, empty_figure, line_figure, wrap
from components.it_sector_charts import SUBSECTORS, flows_figure, growth_figure, hightech_figure, region_figure
from components.park_figures import STATUS_PATTERN, floor_plan_figure, occupancy_figure, tenant_mix_figure
from components.targets_chart import target_figure
from metrics.status import assess

OKABE_ITO = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}
SOURCES = pd.DataFrame({"name": ["A"], "licence": ["CC BY 4.0"], "kind": ["official"]})


def quarters(values: list[float], name: str, first: int = 2018) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": pd.to_datetime([f"{first + i}-01-01" for i in range(len(values))]),
            "period": [f"{first + i}-Q1" for i in range(len(values))],
            "value": values,
            "label": name,
        }
    )


RISING_FALLING = pd.concat([quarters([61.2, 70.4, 87.0], "4G"), quarters([50.0, 41.0, 30.5], "3G")])


# ---------------------------------------------------------------- summary


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "4G rose from 61.2 % in 2018-Q1 to 87.0 % in 2020-Q1; 3G fell from 50.0 % in 2018-Q1 to 30.5 % in 2020-Q1.",
        ),
        (
            "ru",
            "4G: рост с 61,2 % в 1 кв. 2018 до 87,0 % в 1 кв. 2020; "
            "3G: снижение с 50,0 % в 1 кв. 2018 до 30,5 % в 1 кв. 2020.",
        ),
        (
            "tg",
            "4G: афзоиш аз 61,2 % дар 1-ум семоҳаи 2018 то 87,0 % дар 1-ум семоҳаи 2020; "
            "3G: коҳиш аз 50,0 % дар 1-ум семоҳаи 2018 то 30,5 % дар 1-ум семоҳаи 2020.",
        ),
    ],
)
def test_a_line_summary_gives_first_and_last_value_of_each_series(lang, expected):
    fig = line_figure(RISING_FALLING, "period_start", "value", color="label", unit="%")
    assert figure_summary(fig, lang) == expected


def test_a_flat_series_and_a_single_point():
    flat = line_figure(quarters([5.0, 5.0], "Fixed"), "period_start", "value", color="label", unit="%")
    assert figure_summary(flat, "en") == "Fixed stayed at 5.0 % from 2018-Q1 to 2019-Q1."
    one = line_figure(quarters([7.25], "Fixed"), "period_start", "value", color="label", unit="%", decimals=2)
    assert figure_summary(one, "en") == "Fixed: 7.25 % in 2018-Q1."


def test_many_series_give_the_highest_and_lowest_last_value():
    frame = pd.concat([quarters([10.0, 10.0 * i], f"R{i}") for i in range(1, 6)])
    fig = line_figure(frame, "period_start", "value", color="label", unit="%")
    assert figure_summary(fig, "en") == "Of 5 series, R5 was highest at 50.0 % and R1 lowest at 10.0 % in 2019-Q1."
    shorter = pd.concat([frame, quarters([60.0, 70.0, 5.0], "R9")])  # R9 ends a year later
    assert figure_summary(line_figure(shorter, "period_start", "value", color="label", unit="%"), "en") == (
        "Of 6 series, R5 was highest at 50.0 % in 2019-Q1 and R9 lowest at 5.0 % in 2020-Q1."
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Highest: Sughd, 1,250 companies; lowest: Khatlon, 300 companies."),
        ("ru", "Максимум: Sughd, 1\u00a0250 companies; минимум: Khatlon, 300 companies."),
        ("tg", "Баландтарин: Sughd, 1\u00a0250 companies; пасттарин: Khatlon, 300 companies."),
    ],
)
def test_a_bar_summary_gives_the_highest_and_lowest_bar(lang, expected):
    frame = pd.DataFrame({"region": ["Sughd", "Khatlon", "Dushanbe"], "n": [1250, 300, 800]})
    fig = bar_figure(frame, "region", "n", unit="companies")
    assert figure_summary(fig, lang) == expected


def test_stacked_bars_are_summed_per_category():
    frame = pd.DataFrame({"x": ["a", "a", "b", "b"], "n": [1.0, 2.0, 5.0, 1.0], "kind": ["p", "q", "p", "q"]})
    assert figure_summary(bar_figure(frame, "x", "n", color="kind"), "en") == "Highest: b, 6; lowest: a, 3."


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "No data for this selection."),
        ("ru", "Нет данных для этого выбора."),
        ("tg", "Барои ин интихоб маълумот нест."),
    ],
)
def test_an_empty_figure_says_there_is_no_data(lang, expected):
    assert figure_summary(empty_figure(), lang) == expected
    assert figure_summary({}, lang) == expected
    assert extremes_summary([("a", None)], "%", 1, lang) == expected


def test_an_empty_figure_keeps_its_own_words():
    assert figure_summary(empty_figure("No tenants at this date"), "en") == "No tenants at this date."


def test_the_target_is_named_and_the_modelled_lines_are_not():
    s = pd.DataFrame(
        {
            "period": ["2019", "2020", "2021"],
            "period_end": [date(y, 12, 31) for y in (2019, 2020, 2021)],
            "value": [40.0, 50.0, 61.0],
        }
    )
    targets = pd.DataFrame({"year": [2030], "value": [95.0]})
    progress = assess([2019.0, 2020.0, 2021.0], list(s["value"]), 95.0, 2030)
    fig = target_figure(s, targets, progress, "%", lang="en")
    assert figure_summary(fig, "en") == "Observed rose from 40.0 % in 2019 to 61.0 % in 2021; target 95.0 % in 2030."
    assert figure_summary(fig, "ru").endswith("цель 95,0 % к 2030 г.")


def test_occupancy_summary_names_the_target_only_when_drawn():
    frame = pd.DataFrame(
        {"as_of": [date(2026, 1, 31), date(2026, 2, 28)], "series": ["Whole park"] * 2, "occupancy_pct": [70.0, 72.5]}
    )
    with_target = occupancy_figure(frame, date(2026, 2, 28), pd.DataFrame({"year": [2027], "value": [85.0]}), "en")
    summary = figure_summary(with_target, "en")
    assert summary.startswith("Whole park rose from 70.0 % of leasable area in January 31, 2026 to 72.5 %")
    assert summary.endswith("; target 85 % of leasable area in 2027.")
    assert "target" not in figure_summary(occupancy_figure(frame, date(2026, 2, 28), None, "en"), "en")


def test_counts_summary():
    assert counts_summary([("leased", 30), ("reserved", 5), ("vacant", 0)], "en") == "35 units: 30 leased, 5 reserved."
    assert counts_summary([("leased", 0)], "en") == "No data for this selection."


def test_days_and_months_in_a_summary_are_in_words():
    days = pd.DataFrame({"period_start": pd.to_datetime(["2025-04-17", "2025-05-09"]), "value": [1.0, 2.0]})
    fig = line_figure(days.assign(label="Park"), "period_start", "value", color="label", unit="%", label=None)
    # a day takes its own preposition: "на 17 апреля", "on April 17", never "в 17 апреля"
    assert figure_summary(fig, "ru") == "Park: рост с 1,0 % на 17 апреля 2025\u202fг. до 2,0 % на 9 мая 2025\u202fг."
    assert figure_summary(fig, "en") == "Park rose from 1.0 % on April 17, 2025 to 2.0 % on May 9, 2025."
    assert "2025-04-17" not in figure_summary(fig, "tg") and "17 April 2025" not in figure_summary(fig, "tg")


def test_a_day_the_hover_names_in_words_takes_a_days_preposition():
    frame = pd.DataFrame(
        {"as_of": [date(2026, 11, 30), date(2026, 12, 3)], "series": ["Park"] * 2, "occupancy_pct": [70.0, 72.0]}
    )
    fig = occupancy_figure(frame, date(2026, 12, 3), None, "ru")  # its hover dates are words already
    summary = figure_summary(fig, "ru")
    assert "до 72,0 % арендопригодной площади на 3 декабря 2026" in summary and " в 3 декабря" not in summary


def test_a_wrapped_unit_reads_as_one_line_in_the_summary():
    frame = pd.DataFrame({"as_of": [date(2026, 1, 31)], "series": ["Park"], "occupancy_pct": [70.0]})
    fig = occupancy_figure(frame, date(2026, 1, 31), None, "tg")
    assert "<br>" in fig.layout.yaxis.title.text  # "% масоҳати барои иҷора" is too long for a phone
    assert "<br>" not in figure_summary(fig, "tg") and "масоҳати барои иҷора" in figure_summary(fig, "tg")


# ---------------------------------------------------------------- palette and second cue


def test_the_palette_is_okabe_ito_and_set_once_in_the_template():
    assert set(PALETTE) == OKABE_ITO and len(PALETTE) == 8
    assert PALETTE[:2] == ["#0072B2", "#E69F00"] and PALETTE[-1] == "#F0E442"  # yellow, faint on white, last
    assert list(pio.templates[TEMPLATE].layout.colorway) == PALETTE


def _lines(fig) -> list[dict]:
    data = fig.to_plotly_json()["data"]
    return [t for t in data if "lines" in str(t.get("mode", "lines")) and t.get("type", "scatter") == "scatter"]


def _cue(trace: dict) -> tuple:
    return ((trace.get("line") or {}).get("dash") or "solid", (trace.get("marker") or {}).get("symbol") or "circle")


def _multi_line_figures():
    many = pd.concat([quarters([1.0 + i, 2.0 + i], f"S{i}") for i in range(6)])
    yearly = pd.DataFrame(
        [
            {
                "year": y,
                "subsector": code,
                "companies": 10 + i + y - 2020,
                "employees": 1,
                "revenue_usd": 1,
                "exports_usd": 1,
            }
            for i, code in enumerate(SUBSECTORS)
            for y in (2020, 2021)
        ]
    )
    mix = pd.concat(
        [quarters([50.0, 60.0], "x").assign(indicator_code=code) for code in ("2g", "3g", "4g", "5g")]
    ).drop(columns="label")
    urban = pd.concat(
        [quarters([1.0, 2.0], "x").assign(measure=m, area=a) for m in ("4G", "Internet") for a in ("Urban", "Rural")]
    )
    bench = pd.concat(
        [
            quarters([1.0, 2.0], "x").assign(indicator_code="I", geo_code=g, geo_name=g)
            for g in ("TJ", "KG", "UZ", "KZ", "AF")
        ]
    )
    occupancy = pd.DataFrame(
        {
            "as_of": [date(2026, 1, 31), date(2026, 2, 28)] * 3,
            "series": ["Park", "Park", "A", "A", "B", "B"],
            "occupancy_pct": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    return {
        "line_figure": line_figure(many, "period_start", "value", color="label"),
        "growth": growth_figure(yearly, "companies", "absolute", "en"),
        "technology mix": technology_mix_figure(mix, {"2g": "2G", "3g": "3G", "4g": "4G", "5g": "5G"}, "%", "en"),
        "urban and rural": urban_rural_figure(urban, "%", "en"),
        "benchmark": benchmark_figure(bench, {"I": "Internet"}, lang="en"),
        "occupancy": occupancy_figure(occupancy, date(2026, 2, 28), None, "en"),
    }


@pytest.mark.parametrize("name", list(_multi_line_figures()))
def test_lines_sharing_an_axis_differ_in_dash_or_marker(name):
    lines = _lines(_multi_line_figures()[name])
    assert len(lines) >= 3
    for a, b in combinations(lines, 2):
        assert _cue(a) != _cue(b), (name, a.get("name"), b.get("name"))
    colours = {(t.get("line") or {}).get("color") for t in lines}
    assert colours <= set(PALETTE), name  # no category colour outside the palette


def test_bars_of_categories_use_the_palette():
    flows = pd.DataFrame({"year": [2020, 2021], "founded": [5, 6], "closed": [1, 2], "net": [4, 4]})
    mix = pd.DataFrame(
        {
            "sector": ["software", "telecom"],
            "size_band": ["1-9", "10-49"],
            "tenants": [3, 2],
            "area_m2": [1, 2],
            "jobs": [1, 2],
        }
    )
    highs = pd.DataFrame({"period": ["2020", "2021"], "value": [1e6, 2e6]})
    for fig in (flows_figure(flows, "en"), tenant_mix_figure(mix, "en"), hightech_figure(highs, "en")):
        for trace in fig.to_plotly_json()["data"]:
            colour = (trace.get("marker") or {}).get("color") or (trace.get("line") or {}).get("color")
            assert colour in PALETTE, trace.get("name")


def test_the_floor_plan_marks_each_status_by_pattern_too():
    units = pd.DataFrame(
        {
            "unit_code": ["A-101", "A-102", "A-103", "A-104"],
            "building_code": ["A"] * 4,
            "floor": [1] * 4,
            "area_m2": [50.0, 60.0, 70.0, 80.0],
            "status": ["leased", "reserved", "vacant", "ending"],
            "tenant": ["T1", None, None, "T2"],
            "lease_end": [None, None, None, date(2026, 9, 1)],
        }
    )
    fig = floor_plan_figure(units, {"A": "Building A"}, "en")
    shapes = [t.marker.pattern.shape or "" for t in fig.data]
    assert len(set(shapes)) == len(fig.data) == 4  # each status its own pattern, kept in the legend
    assert set(STATUS_PATTERN) >= {"leased", "reserved", "vacant", "ending"}
    assert all(t.showlegend is not False for t in fig.data)


def test_axis_ticks_have_no_si_suffixes():
    layout = pio.templates[TEMPLATE].layout
    assert layout.xaxis.exponentformat == "none" and layout.yaxis.exponentformat == "none"


# ---------------------------------------------------------------- the card


def _find(component, predicate):
    if predicate(component):
        yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and hasattr(child, "_type"):
            yield from _find(child, predicate)


def test_the_card_names_describes_and_offers_a_table():
    fig = line_figure(RISING_FALLING, "period_start", "value", color="label", unit="%")
    card = chart_card("cov-chart", "4G coverage", fig, SOURCES, lang="en")
    wrapper = next(_find(card, lambda c: getattr(c, "role", None) == "figure"))
    attrs = wrapper.to_plotly_json()["props"]
    assert attrs["aria-labelledby"] == "cov-chart-title" and attrs["aria-describedby"] == "cov-chart-summary"
    assert attrs["tabIndex"] == "0"
    summary = next(_find(card, lambda c: getattr(c, "id", None) == "cov-chart-summary"))
    assert summary.children == figure_summary(fig, "en") and "87.0 %" in summary.children
    toggle = next(_find(card, lambda c: "chart-table-toggle" in (getattr(c, "className", "") or "")))
    props = toggle.to_plotly_json()["props"]
    assert props["aria-expanded"] == "false" and props["aria-controls"] == "cov-chart-table"
    assert toggle.children == "Show as table" and props["data-hide"] == "Hide table"
    table = next(_find(card, lambda c: getattr(c, "id", None) == "cov-chart-table"))
    assert table.hidden is True and not table.children  # built in the browser when asked for


def test_chart_values_send_the_summary_with_the_figure():
    fig = bar_figure(pd.DataFrame({"x": ["a", "b"], "y": [1.0, 2.0]}), "x", "y")
    outputs = chart_outputs("c")
    values = chart_values("c", ChartContent("T", fig, SOURCES, lang="en"))
    assert len(outputs) == len(values)
    assert (outputs[3].component_id, outputs[3].component_property) == ("c-summary", "children")
    assert values[3] == "Highest: b, 2; lowest: a, 1."
    given = chart_values("c", ChartContent("T", {}, SOURCES, lang="en", summary="Given."))
    assert given[3] == "Given."


# ---------------------------------------------------------------- fit on a phone


def test_wrap_breaks_between_words_with_plotly_line_breaks():
    assert wrap("Муштариёни интернети фарохмаҷрои собит (ба 100 нафар)", 40) == (
        "Муштариёни интернети фарохмаҷрои собит<br>(ба 100 нафар)"
    )
    assert wrap("m²", 22) == "m²" and wrap("", 22) == ""
    assert wrap("Телекоммуникатсияҳо ва", 10) == "Телекоммуникатсияҳо<br>ва"  # a long word stays whole
    assert all(len(line) <= 18 for line in wrap("масоҳат дар тӯли ошёна, м² " * 3).split("<br>"))


@pytest.mark.parametrize("name", list(_multi_line_figures()))
def test_a_legend_below_sits_at_the_foot_of_the_figure(name):
    """Plotly keeps a container-placed legend's height free of tick labels and axis titles; at
    y = -0.15 of the plot it covered the turned year labels of a phone's chart."""
    legend = _multi_line_figures()[name].layout.legend
    assert (legend.yref, legend.y, legend.yanchor) == ("container", 0, "bottom"), name


def test_long_region_names_are_wrapped_as_ticks_only():
    frame = pd.DataFrame(
        {
            "region_code": ["TJ-GB", "TJ-DU"],
            "name": ["Вилояти Мухтори Кӯҳистони Бадахшон", "Душанбе"],
            "companies": [10, 500],
            "population": [230_000, 1_200_000],
            "population_year": [2023, 2023],
            "companies_per_10k": [0.43, 4.17],
        }
    )
    fig = region_figure(frame, lang="tg")
    assert list(fig.data[0].y) == ["Вилояти Мухтори Кӯҳистони Бадахшон", "Душанбе"]  # hover and table whole
    assert list(fig.layout.yaxis.ticktext) == ["Вилояти Мухтори<br>Кӯҳистони Бадахшон", "Душанбе"]
    # a short bar's value beside it, the longest's inside, both level (not turned upright to fit)
    assert list(fig.data[0].textposition) == ["outside", "inside"] and fig.data[0].textangle == 0
