"""The Data and sources page in a browser: catalogue, filters in the URL, an indicator's detail."""

from __future__ import annotations

from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys
from sqlalchemy import create_engine, text

from tests.integration.conftest import click_when_clickable, foreign_requests, record_callbacks, recorded_outputs


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def _rows(dash_duo) -> int:
    return len(dash_duo.find_elements(".catalogue-table tr.catalogue-row"))


def test_data001_catalogue_lists_every_indicator(dash_duo, dashboard, seeded_sqlite_url):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/data?lang=en")
    dash_duo.wait_for_element("#data-observations-by-theme .main-svg g.trace", timeout=15)
    expected = _count(seeded_sqlite_url, "SELECT COUNT(*) FROM indicator")
    dash_duo.wait_for_element(".catalogue-table")
    assert _rows(dash_duo) == expected
    row = dash_duo.find_element(".catalogue-row[data-code='IT.NET.USER.ZS']")
    observations = _count(
        seeded_sqlite_url,
        "SELECT COUNT(*) FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND is_current",
    )
    assert str(observations) in row.text and "CC BY 4.0" in row.text
    synthetic = dash_duo.find_element(".catalogue-row[data-code='TJ.MOB.4G.POP.ZS']")
    assert synthetic.find_elements("css selector", ".synthetic-badge")
    assert not row.find_elements("css selector", ".synthetic-badge")
    batches = _count(seeded_sqlite_url, "SELECT COUNT(*) FROM import_batch")
    assert len(dash_duo.find_elements(".batches-table tbody tr")) == batches
    assert foreign_requests(dash_duo) == []
    assert dash_duo.get_logs() == []


def test_data002_search_writes_the_url_and_back_restores(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/data?lang=en&theme=park")
    dash_duo.wait_for_element(".catalogue-table")
    dash_duo.wait_for_text_to_equal(".catalogue-row:first-child td:nth-child(3)", "IT Park")
    assert _rows(dash_duo) == 3
    box = dash_duo.find_element("#data-search")
    box.send_keys("occupancy", Keys.ENTER)
    dash_duo.wait_for_contains_text("h2.h5", "occupancy", timeout=10)
    assert "q=occupancy" in dash_duo.driver.current_url and "lang=en" in dash_duo.driver.current_url
    until(lambda: _rows(dash_duo) == 1, timeout=10)
    dash_duo.driver.back()
    until(lambda: _rows(dash_duo) == 3, timeout=10)
    assert "q=" not in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_data003_indicator_detail(dash_duo, dashboard, seeded_sqlite_url):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/data?lang=en")
    link = dash_duo.wait_for_element(".catalogue-row[data-code='IT.NET.USER.ZS'] a.indicator-link")
    click_when_clickable(dash_duo, link)
    dash_duo.wait_for_element("#data-indicator-series .main-svg g.trace", timeout=15)
    assert "indicator=IT.NET.USER.ZS" in dash_duo.driver.current_url
    dash_duo.wait_for_contains_text("h1", "Individuals using the Internet")
    metadata = dash_duo.find_element(".indicator-metadata").text
    assert "CC BY 4.0" in metadata and "2000 – 2023" in metadata
    periods = _count(
        seeded_sqlite_url,
        "SELECT COUNT(DISTINCT period) FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND is_current",
    )
    assert len(dash_duo.find_elements(".series-table tbody tr")) == periods
    assert dash_duo.find_elements(".revisions-table tbody tr")
    assert dash_duo.find_element("a.api-csv").get_attribute("href").endswith("/api/v1/indicators/IT.NET.USER.ZS.csv")
    assert not dash_duo.find_elements(".synthetic-badge")  # official data only on this view
    assert dash_duo.get_logs() == []


def test_data004_bad_values_fall_back(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/data?lang=xx&theme=weather&kind=guess&indicator=NOPE")
    dash_duo.wait_for_element(".catalogue-table")
    dash_duo.wait_for_element(".alert-warning")
    assert _rows(dash_duo) > 20
    assert dash_duo.get_logs() == []


_TAG = """var gd = document.querySelector('#data-observations-by-theme .js-plotly-plot');
gd.dataset.stay = '1'; window.__figure = [gd.data, gd.layout];
document.querySelector('.batches-table').dataset.stay = '1';"""
_KEPT = """var gd = document.querySelector('#data-observations-by-theme .js-plotly-plot');
return [gd.dataset.stay || null, gd.data === window.__figure[0] && gd.layout === window.__figure[1],
        document.querySelector('.batches-table').dataset.stay || null];"""


def test_data005_a_filter_redraws_only_the_indicator_table(dash_duo, dashboard):
    """A catalogue filter sends no page render: the table is redrawn, the chart and the import
    history stay the same elements; back restores the table and the filter."""
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/data?lang=en")
    dash_duo.wait_for_element("#data-observations-by-theme .main-svg g.trace", timeout=15)
    total = _rows(dash_duo)
    dash_duo.driver.execute_script(_TAG)
    record_callbacks(dash_duo)
    dash_duo.select_dcc_dropdown("#data-theme", value="IT Park")
    until(lambda: _rows(dash_duo) == 3, timeout=10)
    outputs = recorded_outputs(dash_duo)
    assert [o for o in outputs if "data-table.children" in o]
    assert not [o for o in outputs if "_pages_content" in o or "data-observations-by-theme" in o]
    assert dash_duo.driver.execute_script(_KEPT) == ["1", True, "1"]
    assert "theme=park" in dash_duo.driver.current_url
    dash_duo.driver.back()
    until(lambda: _rows(dash_duo) == total, timeout=10)
    assert "theme=" not in dash_duo.driver.current_url
    assert dash_duo.driver.execute_script(_KEPT) == ["1", True, "1"]
    assert dash_duo.get_logs() == []


def test_data006_back_from_the_catalogue_to_an_indicator(dash_duo, dashboard):
    """The navbar link leads from an indicator to the catalogue in the page; back shows the indicator again."""
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/data?lang=en&indicator=IT.NET.USER.ZS")
    dash_duo.wait_for_element("#data-indicator-series .main-svg g.trace", timeout=15)
    if dash_duo.find_element("#navbar-toggler").is_displayed():
        click_when_clickable(dash_duo, dash_duo.find_element("#navbar-toggler"))  # a narrow window folds the menu
    link = next(a for a in dash_duo.find_elements("#navbar-links a") if "/data" in a.get_attribute("href"))
    click_when_clickable(dash_duo, link)
    until(lambda: _rows(dash_duo) > 20, timeout=15)
    dash_duo.driver.back()
    dash_duo.wait_for_contains_text("h1", "Individuals using the Internet", timeout=15)
    dash_duo.wait_for_element("#data-indicator-series .main-svg g.trace", timeout=15)
    assert "indicator=IT.NET.USER.ZS" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []
