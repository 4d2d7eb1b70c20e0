"""Targets page in the browser: theme filter through the URL, illustrative targets labelled."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from dash.testing.wait import until
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import create_engine, text


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar_one()
    engine.dispose()
    return value


PARK_TARGETS = "SELECT COUNT(*) FROM target t JOIN indicator i ON i.code = t.indicator_code WHERE i.theme = 'park'"


def test_tgt001_theme_filter_writes_url_and_filters(dash_duo, dashboard, seeded_sqlite_url):
    total = _count(seeded_sqlite_url, "SELECT COUNT(*) FROM target WHERE breakdown = 'total'")
    park = _count(seeded_sqlite_url, PARK_TARGETS)
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/targets?lang=en")
    dash_duo.wait_for_element(".tgt-table", timeout=15)
    dash_duo.wait_for_element("#tgt-charts .main-svg g.trace", timeout=15)
    assert len(dash_duo.find_elements(".tgt-row")) == total
    assert "illustrative target" in dash_duo.find_element(".tgt-table").text
    # every status names its method; a passed target is met or missed, never "at risk"
    table = dash_duo.find_element(".tgt-table").text
    assert "ESCAP method" in table and "Target missed" in table
    # the chart without observations says so in words
    assert "No data yet" in dash_duo.find_element("#tgt-chart-uz-itserv-exports-usd-uz").text
    # the longer method note puts the controls lower: bring the dropdown into view once the charts have drawn
    dropdown = dash_duo.find_element("#tgt-theme")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", dropdown)
    WebDriverWait(dash_duo.driver, 15).until(EC.element_to_be_clickable(dropdown))
    dash_duo.select_dcc_dropdown("#tgt-theme", value="IT Park")
    until(lambda: len(dash_duo.find_elements(".tgt-row")) == park, timeout=15)
    query = parse_qs(urlparse(dash_duo.driver.current_url).query)
    assert query == {"theme": ["park"], "lang": ["en"]}
    assert "IT Park occupancy" in dash_duo.find_element(".tgt-table").text
    # back restores the unfiltered view
    dash_duo.driver.back()
    until(lambda: len(dash_duo.find_elements(".tgt-row")) == total, timeout=15)
    assert dash_duo.get_logs() == []


def test_tgt002_url_filters_reproduce_view_and_bad_values_fall_back(dash_duo, dashboard, seeded_sqlite_url):
    park = _count(seeded_sqlite_url, PARK_TARGETS)
    total = _count(seeded_sqlite_url, "SELECT COUNT(*) FROM target WHERE breakdown = 'total'")
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/targets?theme=park&region=TJ-DU&lang=en")
    until(lambda: len(dash_duo.find_elements(".tgt-row")) == park, timeout=15)
    dash_duo.driver.get(dash_duo.server_url + "/targets?theme=nonsense&region=XX&lang=en")
    until(lambda: len(dash_duo.find_elements(".tgt-row")) == total, timeout=15)
    assert dash_duo.get_logs() == []
