"""Charts for keyboard and screen-reader users, in a browser (issue 17): each chart is a figure
named by its card's title and described by a sentence made from its data; "Show as table" shows
the chart's numbers and follows a filter change; the modebar's buttons stay out of the Tab order
until the chart has focus."""

from __future__ import annotations

from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys

from tests.integration.conftest import click_when_clickable
from tests.integration.test_connectivity import open_view, query_of

CHART = "conn-techmix"
WRAPPER = f'[data-exp-chart="{CHART}"]'

# The drawn figure's series, as the browser has them: name, last value (1 decimal, as the hover
# shows it, in the page's separators) and last period label.
SERIES = """
    const gd = document.querySelector(arguments[0] + ' .js-plotly-plot');
    if (!gd || !gd._fullData) { return null; }
    return gd._fullData.filter(t => t.visible === true).map(function (t) {
        let i = t.y.length - 1;
        while (i >= 0 && (t.y[i] === null || !isFinite(t.y[i]))) { i--; }
        const custom = t.customdata[i];
        return [t.name, Number(t.y[i]).toFixed(1), Array.isArray(custom) ? custom[0] : custom];
    });
"""


def choose(dash_duo, selector: str, label: str) -> None:
    """Pick an option of a dcc.Dropdown by typing into its search box, scrolled into view first."""
    click_when_clickable(dash_duo, dash_duo.find_element(selector))
    dash_duo.find_element(".dash-dropdown-search").send_keys(label)
    until(lambda: [o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text == label], timeout=10)
    click_when_clickable(dash_duo, next(o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text == label))


def series(dash_duo) -> list[list[str]]:
    until(lambda: dash_duo.driver.execute_script(SERIES, WRAPPER), timeout=20, msg="the chart's data")
    return dash_duo.driver.execute_script(SERIES, WRAPPER)


def text_of(dash_duo, element_id: str) -> str:
    return dash_duo.driver.execute_script("return document.getElementById(arguments[0]).textContent", element_id)


def test_chart001_name_summary_table_and_modebar(dash_duo, dashboard):
    open_view(dash_duo, dashboard, "?lang=en")
    dash_duo.wait_for_element(f"{WRAPPER} .js-plotly-plot .main-svg", timeout=20)
    wrapper = dash_duo.find_element(WRAPPER)

    # a figure, named by the card's title and described by the summary under the chart
    assert wrapper.get_attribute("role") == "figure" and wrapper.get_attribute("tabindex") == "0"
    title = text_of(dash_duo, wrapper.get_attribute("aria-labelledby"))
    assert title.startswith("Technology mix")
    summary_id = wrapper.get_attribute("aria-describedby")
    drawn = series(dash_duo)
    name, value, period = max(drawn, key=lambda s: float(s[1]))  # the highest last value
    summary = text_of(dash_duo, summary_id)
    assert name in summary and value in summary and period in summary

    # no modebar button is a Tab stop until the chart has focus; then Tab reaches its buttons
    buttons = dash_duo.find_elements(".modebar-btn")
    assert buttons
    until(
        lambda: all(b.get_attribute("tabindex") == "-1" for b in dash_duo.find_elements(".modebar-btn")),
        timeout=10,
        msg="modebar buttons out of the Tab order",
    )
    dash_duo.driver.execute_script("arguments[0].focus()", wrapper)
    wrapper.send_keys(Keys.TAB)
    active = dash_duo.driver.switch_to.active_element
    assert "modebar-btn" in active.get_attribute("class")
    assert dash_duo.driver.execute_script("return arguments[0].contains(arguments[1])", wrapper, active)

    # "Show as table": a table of the chart's numbers, one row per period, one column per series
    toggle = dash_duo.find_element(f".chart-table-toggle[aria-controls='{CHART}-table']")
    assert toggle.get_attribute("aria-expanded") == "false" and toggle.text == "Show as table"
    click_when_clickable(dash_duo, toggle)
    dash_duo.wait_for_element(f"#{CHART}-table table tbody tr", timeout=10)
    assert toggle.get_attribute("aria-expanded") == "true" and toggle.text == "Hide table"
    table = dash_duo.find_element(f"#{CHART}-table table")
    assert table.find_element("css selector", "caption").text.startswith(title)
    heads = [th.text for th in table.find_elements("css selector", "thead th")]
    assert heads[0] == "Period" and set(heads[1:]) == {s[0] for s in drawn}
    last = table.find_elements("css selector", "tbody tr")[-1]
    assert last.find_element("css selector", "th").text == period
    cells = dict(zip(heads[1:], [td.text for td in last.find_elements("css selector", "td")], strict=True))
    assert cells == {s[0]: s[1] for s in drawn}  # the chart's last values, with its decimals

    # a filter change redraws the chart: the summary and the open table follow it
    choose(dash_duo, "#conn-to", "2024-Q4")
    until(lambda: query_of(dash_duo).get("to") == "2024-Q4", timeout=10, msg="the period in the query string")
    until(lambda: series(dash_duo)[0][2] != period, timeout=15, msg="the chart redrawn for 2024-Q4")
    drawn = series(dash_duo)
    _name, value, later = max(drawn, key=lambda s: float(s[1]))
    until(lambda: later in text_of(dash_duo, summary_id), timeout=15, msg="summary follows the filter")
    assert value in text_of(dash_duo, summary_id)
    until(
        lambda: dash_duo.find_elements(f"#{CHART}-table tbody tr")[-1].find_element("css selector", "th").text == later,
        timeout=15,
        msg="table follows the filter",
    )
    last = dash_duo.find_elements(f"#{CHART}-table tbody tr")[-1]
    assert [td.text for td in last.find_elements("css selector", "td")] == [
        next(s[1] for s in drawn if s[0] == head) for head in heads[1:]
    ]

    # closing the table empties and hides it
    click_when_clickable(dash_duo, toggle)
    until(lambda: not dash_duo.find_elements(f"#{CHART}-table table"), timeout=10)
    assert toggle.get_attribute("aria-expanded") == "false"
    assert dash_duo.get_logs() == []
