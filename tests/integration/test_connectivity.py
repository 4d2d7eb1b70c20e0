"""The connectivity view in a browser: the query string drives the view, map clicks and controls
rewrite it, back/forward and reset work, nothing is fetched from another host, and a filter change
redraws only the parts that read that filter (no page render)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from dash.testing.wait import until
from selenium.webdriver.common.actions.action_builder import ActionBuilder

from data_loaders import boundaries
from tests.integration.conftest import foreign_requests, record_callbacks, recorded_outputs

PLACE = "#conn-place"
FIRST_REGION_CELL = "#conn-priority tbody td:nth-child(3)"  # the region column
CHARTS = ("conn-map", "conn-profile", "conn-techmix", "conn-urban-rural", "conn-benchmark")
NAVIGATE = "page-url.search"  # the navigate callback's first output
ROUTER = "_pages_content"  # in the output of a page render


def query_of(dash_duo) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(dash_duo.driver.current_url).query).items()}


def open_view(dash_duo, dashboard, search: str) -> None:
    dash_duo.start_server(dashboard)
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.driver.get(f"{dash_duo.server_url}/connectivity{search}")
    dash_duo.wait_for_element("#conn-map .main-svg g.trace", timeout=20)


def region_cells(dash_duo) -> set[str]:
    return {cell.text for cell in dash_duo.find_elements(FIRST_REGION_CELL)}


def click_unit(dash_duo, code: str) -> None:
    """Click inside a coverage unit's polygon, at its label point, with the real mouse."""
    shape = next(s for s in boundaries.units() if s.code == code)
    graph = dash_duo.find_element("#conn-map .js-plotly-plot")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", graph)
    script = """
        const gd = arguments[0], box = gd.getBoundingClientRect();
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        return [box.left + xa._offset + xa.l2p(arguments[1]), box.top + ya._offset + ya.l2p(arguments[2])];
    """
    x, y = dash_duo.driver.execute_script(script, graph, shape.label_x, shape.label_y)
    # viewport coordinates; a short pause lets plotly register the hover before the click
    actions = ActionBuilder(dash_duo.driver)
    actions.pointer_action.move_to_location(int(x), int(y)).pause(0.3).click()
    actions.perform()


def choose(dash_duo, selector: str, label: str) -> None:
    """Pick an option of a dcc.Dropdown by typing into its search box (long lists scroll)."""
    dash_duo.find_element(selector).click()
    dash_duo.find_element(".dash-dropdown-search").send_keys(label)
    until(lambda: [o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text == label], timeout=10)
    next(o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text == label).click()


def test_conn001_query_string_sets_the_view(dash_duo, dashboard):
    open_view(dash_duo, dashboard, "?lang=en&metric=3g&from=2022-Q1&to=2025-Q4&region=TJ-GB")
    dash_duo.wait_for_text_to_equal(PLACE, "Gorno-Badakhshan Autonomous Region", timeout=10)
    assert "3G-or-better coverage" in dash_duo.find_element("#conn-metric").text
    assert "2025-Q4" in dash_duo.find_element("#conn-to").text
    assert "2022-Q1" in dash_duo.find_element("#conn-from").text
    # the ranking is of the region's districts only, at the end of the period
    assert region_cells(dash_duo) == {"Gorno-Badakhshan Autonomous Region"}
    card = dash_duo.find_element("#conn-map").find_element("xpath", "ancestor::div[contains(@class, 'card')]")
    assert "2025-Q4" in card.text
    assert foreign_requests(dash_duo) == []
    assert dash_duo.get_logs() == []


def test_conn002_malformed_query_falls_back(dash_duo, dashboard):
    open_view(dash_duo, dashboard, "?lang=en&metric=nope&from=1999-Q9&to=x&region=TJ-XX&district=TJ-KT-99")
    dash_duo.wait_for_text_to_equal(PLACE, "Tajikistan", timeout=10)
    assert "4G coverage" in dash_duo.find_element("#conn-metric").text
    assert dash_duo.get_logs() == []


def test_conn003_click_district_shows_profile_and_ranking(dash_duo, dashboard):
    open_view(dash_duo, dashboard, "?lang=en")
    dash_duo.wait_for_text_to_equal(PLACE, "Tajikistan", timeout=10)
    click_unit(dash_duo, "TJ-RA-05")  # Rasht, a large district
    dash_duo.wait_for_text_to_equal(PLACE, "Rasht", timeout=10)
    q = query_of(dash_duo)
    assert q["district"] == "TJ-RA-05" and q["region"] == "TJ-RA" and q["lang"] == "en"
    # the profile compares the district with its region and the country
    dash_duo.wait_for_contains_text("#conn-profile .legend", "Rasht", timeout=10)
    legend = dash_duo.find_element("#conn-profile .legend").text
    assert "Districts of Republican Subordination" in legend and "Tajikistan" in legend
    # the ranking now lists the region's districts only
    assert region_cells(dash_duo) == {"Districts of Republican Subordination"}
    assert dash_duo.find_element("#conn-district").text.startswith("Rasht")
    assert dash_duo.get_logs() == []


def test_conn004_metric_and_period_follow_the_url_and_history(dash_duo, dashboard):
    open_view(dash_duo, dashboard, "?lang=en")
    choose(dash_duo, "#conn-metric", "People without 4G")
    until_query(dash_duo, lang="en", metric="uncovered", **{"from": "2018-Q1", "to": "2026-Q3"})
    until(lambda: "People without 4G by district" in dash_duo.find_element("body").text, timeout=15)
    choose(dash_duo, "#conn-to", "2024-Q4")
    until_query(dash_duo, lang="en", metric="uncovered", **{"from": "2018-Q1", "to": "2024-Q4"})
    dash_duo.wait_for_contains_text("#conn-kpi-0", "2024-Q4", timeout=10)
    dash_duo.driver.back()
    until_query(dash_duo, lang="en", metric="uncovered", **{"from": "2018-Q1", "to": "2026-Q3"})
    dash_duo.wait_for_contains_text("#conn-kpi-0", "2026-Q3", timeout=10)
    dash_duo.driver.forward()
    dash_duo.wait_for_contains_text("#conn-kpi-0", "2024-Q4", timeout=10)
    assert dash_duo.get_logs() == []


def test_conn005_reset_clears_filters_and_keeps_language(dash_duo, dashboard):
    open_view(dash_duo, dashboard, "?lang=en&metric=speed&district=TJ-KT-05&to=2024-Q2")
    dash_duo.wait_for_text_to_equal(PLACE, "Farkhor", timeout=10)
    assert query_of(dash_duo)["district"] == "TJ-KT-05"
    assert "Khatlon Region" in region_cells(dash_duo)
    dash_duo.find_element("#conn-reset").click()
    until_query(dash_duo, lang="en")
    dash_duo.wait_for_text_to_equal(PLACE, "Tajikistan", timeout=10)
    assert "4G coverage" in dash_duo.find_element("#conn-metric").text
    assert len(region_cells(dash_duo)) > 1
    assert dash_duo.get_logs() == []


def until_query(dash_duo, **expected) -> None:
    """Wait until the browser's query string holds exactly ``expected``."""
    until(lambda: query_of(dash_duo) == expected, timeout=10, msg=f"query string {expected}")


def tag_charts(dash_duo) -> None:
    """Remember each chart's plot element and the data plotly drew in it: a new figure from the server
    replaces ``gd.data``; a resize (a scroll bar appearing on a busy machine) only re-lays it out."""
    dash_duo.driver.execute_script(
        """window.__charts = {};
        for (const id of arguments[0]) {
            const gd = document.querySelector(`#${id} .js-plotly-plot`);
            gd.dataset.stay = "1";
            window.__charts[id] = gd.data;
        }""",
        list(CHARTS),
    )


def redrawn(dash_duo) -> set[str]:
    """The charts drawn anew since :func:`tag_charts`; a re-mounted plot element counts too."""
    script = """return arguments[0].filter(id => {
        const gd = document.querySelector(`#${id} .js-plotly-plot`);
        return !gd || gd.dataset.stay !== "1" || gd.data !== window.__charts[id];
    })"""
    return set(dash_duo.driver.execute_script(script, list(CHARTS)))


def remounted(dash_duo) -> set[str]:
    script = """return arguments[0].filter(id => {
        const gd = document.querySelector(`#${id} .js-plotly-plot`);
        return !gd || gd.dataset.stay !== "1";
    })"""
    return set(dash_duo.driver.execute_script(script, list(CHARTS)))


def callbacks_of(outputs: list[str]) -> set[str]:
    """Each recorded request named by its first output (``conn-map.figure``, ``page-url.search``)."""
    return {output.strip(".").split("...")[0] for output in outputs}


def unit_lines(dash_duo, *codes: str) -> list[float]:
    script = """const gd = document.querySelector('#conn-map .js-plotly-plot');
        return arguments[0].map(code => gd.data.find(t => t.meta === code && t.fill === 'toself').line.width)"""
    return dash_duo.driver.execute_script(script, list(codes))


def test_conn006_metric_change_redraws_the_map_only(dash_duo, dashboard):
    open_view(dash_duo, dashboard, "?lang=en&region=TJ-RA")
    dash_duo.wait_for_text_to_equal(PLACE, "Districts of Republican Subordination", timeout=10)
    fill = "return document.querySelector('#conn-map .js-plotly-plot').data[0].fillcolor"
    before = dash_duo.driver.execute_script(fill)
    tag_charts(dash_duo)
    record_callbacks(dash_duo)
    choose(dash_duo, "#conn-metric", "People without 4G")
    until(lambda: "People without 4G by district" in dash_duo.find_element("#conn-map-title").text, timeout=15)
    outputs = recorded_outputs(dash_duo)
    assert not any(ROUTER in output for output in outputs)  # no page render
    assert callbacks_of(outputs) == {NAVIGATE, "conn-map.figure"}
    # the map's colours changed in its plot element; the profile (4G for both) and the rest stayed
    assert redrawn(dash_duo) == {"conn-map"} and remounted(dash_duo) == set()
    assert dash_duo.driver.execute_script(fill) != before
    assert query_of(dash_duo)["metric"] == "uncovered" and region_cells(dash_duo) == {
        "Districts of Republican Subordination"
    }
    assert dash_duo.get_logs() == []


def test_conn007_district_click_outlines_it_in_the_browser(dash_duo, dashboard):
    open_view(dash_duo, dashboard, "?lang=en&region=TJ-RA&district=TJ-RA-05")
    dash_duo.wait_for_text_to_equal(PLACE, "Rasht", timeout=10)
    assert unit_lines(dash_duo, "TJ-RA-05", "TJ-RA-07") == [3, 0.6]
    tag_charts(dash_duo)
    record_callbacks(dash_duo)
    click_unit(dash_duo, "TJ-RA-07")
    until(lambda: query_of(dash_duo).get("district") == "TJ-RA-07", timeout=10)
    outputs = recorded_outputs(dash_duo)
    assert not any(ROUTER in output for output in outputs)
    # the place's parts are redrawn; the map (outlined in the browser), the region's ranking and
    # the benchmark are not asked for
    assert callbacks_of(outputs) == {NAVIGATE, "conn-kpis.children", "conn-profile.figure"} | {
        "conn-techmix.figure",
        "conn-urban-rural.figure",
    }
    until(lambda: unit_lines(dash_duo, "TJ-RA-05", "TJ-RA-07") == [0.6, 3], timeout=10)
    assert redrawn(dash_duo) == {"conn-map", "conn-profile", "conn-techmix", "conn-urban-rural"}
    assert remounted(dash_duo) == set()
    assert dash_duo.get_logs() == []


def test_conn008_back_and_forward_redraw_without_a_page_render(dash_duo, dashboard):
    open_view(dash_duo, dashboard, "?lang=en")
    choose(dash_duo, "#conn-to", "2024-Q4")
    dash_duo.wait_for_contains_text("#conn-kpi-0", "2024-Q4", timeout=10)
    tag_charts(dash_duo)
    dash_duo.driver.back()
    dash_duo.wait_for_contains_text("#conn-kpi-0", "2026-Q3", timeout=10)
    until(lambda: "2026-Q3" in dash_duo.find_element("#conn-to").text, timeout=10)
    dash_duo.driver.forward()
    dash_duo.wait_for_contains_text("#conn-kpi-0", "2024-Q4", timeout=10)
    until(lambda: "2024-Q4" in dash_duo.find_element("#conn-map-subtitle").text, timeout=10)
    # the page stayed: every plot element is the one drawn first, the benchmark never redrawn
    assert remounted(dash_duo) == set() and "conn-benchmark" not in redrawn(dash_duo)
    assert dash_duo.get_logs() == []
