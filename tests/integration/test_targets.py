"""Targets page in the browser: theme filter through the URL, illustrative targets labelled."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from dash.testing.wait import until
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import create_engine, text

from tests.integration.conftest import record_callbacks, recorded_outputs


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


_VISIBLE_CHARTS = (
    "Array.from(document.querySelectorAll('#tgt-charts .js-plotly-plot')).filter(e => e.offsetParent).length"
)
_TAG_PARK_BLOCK = f"""var gd = document.querySelector('#tgt-chart-tj-park-occ-zs-tj-du .js-plotly-plot');
gd.dataset.stay = '1'; window.__figure = [gd.data, gd.layout];
return {_VISIBLE_CHARTS};"""
_PARK_BLOCK_KEPT = f"""var gd = document.querySelector('#tgt-chart-tj-park-occ-zs-tj-du .js-plotly-plot');
return [gd.dataset.stay || null, gd.data === window.__figure[0] && gd.layout === window.__figure[1],
        {_VISIBLE_CHARTS}];"""


def test_tgt003_a_theme_change_keeps_the_blocks_still_shown(dash_duo, dashboard, seeded_sqlite_url):
    """The theme filter sends the table-and-blocks callback only (no page render); an IT Park block,
    shown before and after, stays the same element with the same figure; back shows the others again."""
    park = _count(seeded_sqlite_url, PARK_TARGETS)
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/targets?lang=en")
    dash_duo.wait_for_element("#tgt-charts .main-svg g.trace", timeout=15)
    blocks = dash_duo.driver.execute_script(_TAG_PARK_BLOCK)
    record_callbacks(dash_duo)
    dropdown = dash_duo.find_element("#tgt-theme")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", dropdown)
    WebDriverWait(dash_duo.driver, 15).until(EC.element_to_be_clickable(dropdown))
    dash_duo.select_dcc_dropdown("#tgt-theme", value="IT Park")
    until(lambda: len(dash_duo.find_elements(".tgt-row")) == park, timeout=15)
    outputs = recorded_outputs(dash_duo)
    assert outputs and not [o for o in outputs if "_pages_content" in o]
    assert [o for o in outputs if "tgt-charts.children" in o and "tgt-table.children" in o]
    kept = dash_duo.driver.execute_script(_PARK_BLOCK_KEPT)
    assert kept[:2] == ["1", True] and 0 < kept[2] < blocks
    dash_duo.driver.back()
    until(lambda: dash_duo.driver.execute_script(_PARK_BLOCK_KEPT) == ["1", True, blocks], timeout=15)
    assert "theme=" not in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
