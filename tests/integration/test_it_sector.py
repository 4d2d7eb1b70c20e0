"""The IT-sector view in a browser: every filter and the switch drive the URL, the numbers shown
match a direct SQL count on the seeded database, the URL reproduces the view, and a filter change
redraws only the parts that read that filter (no page render)."""

from __future__ import annotations

from datetime import date

import pytest
from dash.testing.wait import until
from selenium.common.exceptions import WebDriverException
from sqlalchemy import create_engine, text

from components.it_sector_charts import MUTED, SELECTED
from tests.integration.conftest import click_when_clickable, foreign_requests, record_callbacks, recorded_outputs

RESIDENTS = """SELECT t.company_id FROM park_tenant t JOIN park_lease l ON l.tenant_code = t.tenant_code
WHERE l.kind = 'lease' AND l.start_date <= :day AND (l.end_date IS NULL OR l.end_date >= :day)
AND t.company_id IS NOT NULL"""


@pytest.fixture
def sql(seeded_sqlite_url):
    engine = create_engine(seeded_sqlite_url)

    def run(statement: str, **params):
        with engine.connect() as connection:
            return connection.execute(text(statement), params).scalar()

    yield run
    engine.dispose()


def last_year(sql) -> int:
    return sql("SELECT MAX(year) FROM it_company_year")


def active(sql, year: int, region: str | None = None, park: bool = False) -> int:
    """Companies founded by and not closed at the year end, counted directly in SQL."""
    day = date(year, 12, 31).isoformat()
    where = "founded <= :day AND (closed IS NULL OR closed > :day)"
    if region:
        where += " AND region_code = :region"
    if park:
        where += f" AND company_id IN ({RESIDENTS})"
    return sql(f"SELECT COUNT(*) FROM it_company WHERE {where}", day=day, region=region)


def active_in(sql, year: int, subsector: str) -> int:
    """Companies of one subsector active at the year end, counted directly in SQL."""
    day = date(year, 12, 31).isoformat()
    return sql(
        "SELECT COUNT(*) FROM it_company WHERE subsector = :s AND founded <= :day "
        "AND (closed IS NULL OR closed > :day)",
        s=subsector,
        day=day,
    )


def grouped(n: int) -> str:
    return f"{n:,}"


def choose(dash_duo, dropdown: str, label: str) -> None:
    """Pick an option of a dcc.Dropdown by its label, retrying while the page re-renders."""

    def attempt() -> bool:
        try:
            dash_duo.find_element(dropdown).click()
            options = dash_duo.find_elements(".dash-dropdown-options .dash-dropdown-option")
            match = [o for o in options if o.text == label]
            if match:
                match[0].click()
            return bool(match)
        except WebDriverException:
            return False

    until(attempt, 10)


def click(dash_duo, selector: str) -> None:
    """Click an input even when its styled label covers it."""
    dash_duo.driver.execute_script("arguments[0].click()", dash_duo.find_element(selector))


def kpi(dash_duo, index: int) -> str:
    return dash_duo.find_element(f"#it-kpi-{index} .kpi-value").text


def open_view(dash_duo, dashboard, query: str = "?lang=en"):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/it-sector" + query)
    dash_duo.wait_for_element("#it-growth .main-svg g.trace", timeout=20)


def test_it001_kpis_match_the_registry(dash_duo, dashboard, sql):
    open_view(dash_duo, dashboard)
    year = last_year(sql)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, year)), timeout=10)
    jobs = sql("SELECT SUM(employees) FROM it_company_year WHERE year = :y", y=year)
    assert kpi(dash_duo, 1) == grouped(jobs)
    residents = active(sql, year, park=True)
    assert kpi(dash_duo, 5) == f"{100 * residents / active(sql, year):.1f}"
    hightech = sql(
        "SELECT value FROM observation WHERE indicator_code = 'TX.VAL.TECH.CD' AND geo_code = 'TJ' "
        "AND is_current ORDER BY period DESC LIMIT 1"
    )
    assert kpi(dash_duo, 6) == f"{hightech / 1e6:.1f}"
    assert "1,652" in dash_duo.find_element("#it-benchmark").text  # published Uzbek figure, cited
    assert "Asia-Plus" in dash_duo.find_element("#it-benchmark").text
    assert foreign_requests(dash_duo) == []
    assert dash_duo.get_logs() == []


def test_it002_region_filter_and_back_button(dash_duo, dashboard, sql):
    open_view(dash_duo, dashboard)
    year = last_year(sql)
    choose(dash_duo, "#it-region", "Khatlon Region")
    until(lambda: "region=TJ-KT" in dash_duo.driver.current_url, 10)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, year, "TJ-KT")), timeout=10)
    assert "lang=en" in dash_duo.driver.current_url
    dash_duo.driver.back()
    until(lambda: "region=" not in dash_duo.driver.current_url, 10)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, year)), timeout=10)
    assert dash_duo.get_logs() == []


def test_it003_park_switch_counts_residents(dash_duo, dashboard, sql):
    open_view(dash_duo, dashboard)
    year = last_year(sql)
    click(dash_duo, "#it-park")
    until(lambda: "park=1" in dash_duo.driver.current_url, 10)
    expected = active(sql, year, park=True)
    assert 0 < expected < active(sql, year)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(expected), timeout=10)
    assert "IT Park residents on" in dash_duo.find_elements(".chart-subtitle")[0].text
    assert dash_duo.get_logs() == []


def test_it004_subsector_and_period_drive_table_and_cagr(dash_duo, dashboard, sql):
    open_view(dash_duo, dashboard)
    choose(dash_duo, "#it-subsector", "Software")
    until(lambda: "subsector=software" in dash_duo.driver.current_url, 10)
    until(lambda: len(dash_duo.find_elements("#it-segments tbody tr")) == 1, 10)
    choose(dash_duo, "#it-from", "2018")
    until(lambda: "from=2018" in dash_duo.driver.current_url, 10)
    choose(dash_duo, "#it-to", "2023")
    until(lambda: "to=2023" in dash_duo.driver.current_url, 10)

    def software(year: int) -> int:
        return active_in(sql, year, "software")

    rate = 100 * ((software(2023) / software(2018)) ** (1 / 5) - 1)
    expected = (
        f"Compound annual growth 2018–2023 (Active companies): {'+' if rate > 0 else '−'}{abs(rate):.1f} % a year"
    )
    dash_duo.wait_for_text_to_equal("#it-cagr", expected, timeout=10)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(software(2023)), timeout=10)
    assert dash_duo.get_logs() == []


def test_it005_view_switch_index_and_yoy(dash_duo, dashboard, sql):
    open_view(dash_duo, dashboard)
    script = """return Object.fromEntries(document.querySelector('#it-growth .js-plotly-plot')._fullData
        .map(t => [t.name, Array.from(t.y, v => (v === null || Number.isNaN(v) ? null : v))]))"""

    def software(year: int) -> int:
        return active_in(sql, year, "software")

    first, last = sql("SELECT MIN(year) FROM it_company_year"), last_year(sql)
    click(dash_duo, "#it-view input[value='index']")
    until(lambda: "view=index" in dash_duo.driver.current_url, 10)
    until(lambda: (dash_duo.driver.execute_script(script).get("Software") or [0])[0] == 100, 10)
    series = dash_duo.driver.execute_script(script)["Software"]
    assert series[-1] == pytest.approx(100 * software(last) / software(first))
    click(dash_duo, "#it-view input[value='yoy']")
    until(lambda: "view=yoy" in dash_duo.driver.current_url, 10)
    until(lambda: (dash_duo.driver.execute_script(script).get("Software") or [0])[0] is None, 10)
    series = dash_duo.driver.execute_script(script)["Software"]
    assert series[-1] == pytest.approx(100 * (software(last) / software(last - 1) - 1))
    assert dash_duo.get_logs() == []


def test_it006_url_round_trip(dash_duo, dashboard, sql):
    query = "?lang=en&from=2019&to=2025&region=TJ-DU&park=1&measure=jobs&view=index"
    open_view(dash_duo, dashboard, query)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, 2025, "TJ-DU", park=True)), timeout=10)
    assert "Dushanbe" in dash_duo.find_element("#it-region").text
    assert dash_duo.find_element("#it-park").is_selected()
    assert dash_duo.find_element("#it-view input[value='index']").is_selected()
    assert dash_duo.find_element("#it-measure input[value='jobs']").is_selected()
    assert dash_duo.driver.current_url.endswith("/it-sector" + query)  # rendering does not rewrite it
    assert dash_duo.get_logs() == []


def test_it007_malformed_query_falls_back(dash_duo, dashboard, sql):
    open_view(dash_duo, dashboard, "?lang=en&from=abc&to=1800&region=XX&subsector=nope&view=zzz&measure=1")
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, last_year(sql))), timeout=10)
    assert dash_duo.get_logs() == []


# The parts whose figure must stay untouched, tagged before a change and checked after it: the same
# element (not re-mounted) holding the same data array (Plotly.react replaces it for a new figure).
TAG = """for (const id of arguments[0]) {
    const el = document.querySelector('#' + id + ' .js-plotly-plot');
    el.dataset.stay = '1';
    (window.__stay = window.__stay || {})[id] = el.data;
}"""
UNTOUCHED = """return arguments[0].filter(id => {
    const el = document.querySelector('#' + id + ' .js-plotly-plot');
    return !el || el.dataset.stay !== '1' || el.data !== window.__stay[id];
})"""
BAR_COLOR = """const trace = document.querySelector('#it-regions .js-plotly-plot')._fullData[0];
return trace.marker.color[trace.ids.indexOf(arguments[0])]"""


def first_outputs(outputs: list[str]) -> set[str]:
    """The id of each recorded callback's first output: 'it-flows' for '..it-flows.figure...'."""
    return {output.strip(".").split("...")[0].rsplit(".", 1)[0] for output in outputs}


def test_it008_region_change_redraws_only_what_reads_the_region(dash_duo, dashboard, sql):
    open_view(dash_duo, dashboard)
    stay = ["it-regions", "it-hightech-exports"]
    dash_duo.driver.execute_script(TAG, stay)
    record_callbacks(dash_duo)
    choose(dash_duo, "#it-region", "Khatlon Region")
    until(lambda: "region=TJ-KT" in dash_duo.driver.current_url, 10)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, last_year(sql), "TJ-KT")), timeout=10)
    outputs = recorded_outputs(dash_duo)
    assert not [o for o in outputs if "_pages_content" in o]  # no page render
    called = first_outputs(outputs)
    assert "page-url" in called
    # the cards, the growth chart, sizes, flows and segments read the region; the region chart
    # only highlights it in the browser, the benchmark and the high-tech exports ignore it
    assert {c for c in called if c.startswith("it-")} == {
        "it-kpi-slot-0",
        "it-growth",
        "it-sizes",
        "it-flows",
        "it-segments-subtitle",
    }
    assert "Khatlon Region" in dash_duo.find_element("#it-sizes-subtitle").text
    # the region chart is recoloured in place: Khatlon stands out, the others are muted
    until(lambda: dash_duo.driver.execute_script(BAR_COLOR, "TJ-KT") == SELECTED, 10)
    assert dash_duo.driver.execute_script(BAR_COLOR, "TJ-DU") == MUTED
    regions = "return document.querySelector('#it-regions .js-plotly-plot').dataset.stay"
    assert dash_duo.driver.execute_script(regions) == "1"  # recoloured, not re-mounted
    assert dash_duo.driver.execute_script(UNTOUCHED, ["it-hightech-exports"]) == []
    assert dash_duo.get_logs() == []


def test_it009_view_switch_redraws_the_growth_chart_only(dash_duo, dashboard):
    open_view(dash_duo, dashboard)
    stay = ["it-sizes", "it-flows", "it-regions", "it-hightech-exports"]
    dash_duo.driver.execute_script(TAG, stay)
    cagr = dash_duo.find_element("#it-cagr").text
    record_callbacks(dash_duo)
    click(dash_duo, "#it-view input[value='yoy']")
    until(lambda: "view=yoy" in dash_duo.driver.current_url, 10)
    dash_duo.wait_for_contains_text("#it-growth-subtitle", "Year-on-year %", timeout=10)
    outputs = recorded_outputs(dash_duo)
    assert not [o for o in outputs if "_pages_content" in o]
    assert {c for c in first_outputs(outputs) if c.startswith("it-")} == {"it-growth"}
    assert dash_duo.driver.execute_script(UNTOUCHED, stay) == []
    assert dash_duo.find_element("#it-cagr").text == cagr  # the growth rate does not depend on the view
    assert dash_duo.get_logs() == []


def test_it010_back_and_forward_redraw_without_a_page_render(dash_duo, dashboard, sql):
    open_view(dash_duo, dashboard)
    year = last_year(sql)
    choose(dash_duo, "#it-to", str(year - 2))
    until(lambda: f"to={year - 2}" in dash_duo.driver.current_url, 10)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, year - 2)), timeout=10)
    dash_duo.wait_for_contains_text("#it-regions-subtitle", f"end of {year - 2}", timeout=10)
    stay = ["it-hightech-exports"]
    dash_duo.driver.execute_script(TAG, stay)
    record_callbacks(dash_duo)
    dash_duo.driver.back()
    until(lambda: "to=" not in dash_duo.driver.current_url, 10)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, year)), timeout=10)
    dash_duo.wait_for_contains_text("#it-regions-subtitle", f"end of {year}", timeout=10)
    assert dash_duo.find_element("#it-to").text == str(year)  # the control follows the URL
    dash_duo.driver.forward()
    until(lambda: f"to={year - 2}" in dash_duo.driver.current_url, 10)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, year - 2)), timeout=10)
    assert dash_duo.find_element("#it-to").text == str(year - 2)
    recorded_outputs(dash_duo)
    assert dash_duo.driver.execute_script(UNTOUCHED, stay) == []  # the page was not rendered again
    assert dash_duo.get_logs() == []


def test_it011_menu_link_to_the_shown_page_resets_the_view(dash_duo, dashboard, sql):
    open_view(dash_duo, dashboard, "?lang=en&region=TJ-KT&view=yoy")
    year = last_year(sql)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, year, "TJ-KT")), timeout=10)
    toggler = dash_duo.find_element("#navbar-toggler")
    if toggler.is_displayed():  # a narrow window folds the menu
        click_when_clickable(dash_duo, toggler)
    # the folded menu unfolds with an animation: its links have no visible text until it is open
    until(lambda: [a for a in dash_duo.find_elements(".navbar .nav-link") if a.text == "IT sector"], 10)
    link = [a for a in dash_duo.find_elements(".navbar .nav-link") if a.text == "IT sector"][0]
    click_when_clickable(dash_duo, link)
    until(lambda: "region=" not in dash_duo.driver.current_url, 10)
    dash_duo.wait_for_text_to_equal("#it-kpi-0 .kpi-value", grouped(active(sql, year)), timeout=10)
    assert "All regions" in dash_duo.find_element("#it-region").text
    assert dash_duo.find_element("#it-view input[value='absolute']").is_selected()
    assert "Absolute" in dash_duo.find_element("#it-growth-subtitle").text
    assert dash_duo.get_logs() == []
