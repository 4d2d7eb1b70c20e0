"""Overview in the browser: the cards show what the database holds, a card opens its view, and a
link to the Overview while it is shown does not draw it again."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from sqlalchemy import create_engine, text

from tests.integration.conftest import click_when_clickable, foreign_requests, record_callbacks, recorded_outputs


def _scalar(url: str, sql: str) -> float:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar_one()
    engine.dispose()
    return value


def test_ovw001_cards_show_database_values(dash_duo, dashboard, seeded_sqlite_url):
    # expected values straight from SQL, not from the query layer under test
    companies = _scalar(
        seeded_sqlite_url,
        "SELECT COUNT(*) FROM it_company WHERE founded <= '2025-12-31' AND (closed IS NULL OR closed > '2025-12-31')",
    )
    jobs = _scalar(seeded_sqlite_url, "SELECT SUM(employees) FROM it_company_year WHERE year = 2025")
    internet = _scalar(
        seeded_sqlite_url,
        "SELECT value FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND geo_code = 'TJ' "
        "AND is_current AND breakdown = 'total' ORDER BY period_start DESC LIMIT 1",
    )
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/?lang=en")
    dash_duo.wait_for_text_to_equal("#ovw-kpi-it-companies .kpi-value", f"{companies:,}", timeout=15)
    dash_duo.wait_for_text_to_equal("#ovw-kpi-it-jobs .kpi-value", f"{jobs:,}")
    dash_duo.wait_for_text_to_equal("#ovw-kpi-internet-users .kpi-value", f"{internet:,.1f}")
    # every registry card of the overview is there, rural coverage and the rural-urban gap included;
    # each status names its method, and the method is stated on the page
    assert len(dash_duo.find_elements(".kpi-card")) == 13
    assert dash_duo.find_element("#ovw-kpi-coverage-4g-rural .kpi-value").text
    assert dash_duo.find_element("#ovw-kpi-urban-rural-gap .kpi-value").text
    assert "How the status is decided" in dash_duo.find_element(".ovw-rule").text
    assert "ESCAP" in dash_duo.find_element(".ovw-rule").text
    companies_card = dash_duo.find_element("#ovw-kpi-it-companies").text
    assert "Target 2030" in companies_card and "ESCAP method" in companies_card and "illustrative" in companies_card
    # the 2022 internet-use value says it is old; a roll-up line per theme answers "on track?"
    assert "latest available: 2022" in dash_duo.find_element("#ovw-kpi-internet-users").text
    rollup = dash_duo.find_element(".ovw-rollup-connectivity").text
    assert rollup.startswith("Connectivity: ") and "on track" in rollup and "off track" in rollup
    dash_duo.wait_for_element("#ovw-changes .ovw-moves li")
    assert foreign_requests(dash_duo) == []
    assert dash_duo.get_logs() == []


def test_ovw002_card_link_opens_view_with_filters(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/?lang=en")
    link = dash_duo.wait_for_element("#ovw-kpi-coverage-4g a", timeout=15)
    click_when_clickable(dash_duo, link.find_element("css selector", ".kpi-value"))
    dash_duo.wait_for_contains_text("h1", "coverage", timeout=15)
    url = urlparse(dash_duo.driver.current_url)
    assert url.path == "/connectivity"
    assert parse_qs(url.query) == {"metric": ["4g"], "lang": ["en"]}
    assert dash_duo.get_logs() == []


def test_ovw003_park_card_links_with_date(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/?lang=en")
    href = dash_duo.wait_for_element("#ovw-kpi-park-occupancy a", timeout=15).get_attribute("href")
    url = urlparse(href)
    assert url.path == "/park"
    assert set(parse_qs(url.query)) == {"as_of", "lang"}
    assert dash_duo.get_logs() == []


def test_ovw004_same_page_link_and_back_keep_the_page(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/?lang=en")
    dash_duo.wait_for_element("#overview-internet-users .main-svg", timeout=30)
    tag = """const el = document.querySelector('#overview-internet-users .js-plotly-plot');
        el.dataset.stay = '1'; window.__stayData = el.data;"""
    still = """const el = document.querySelector('#overview-internet-users .js-plotly-plot');
        return !!el && el.dataset.stay === '1' && el.data === window.__stayData;"""
    dash_duo.driver.execute_script(tag)
    # what an in-app link does (dcc.Link): push the URL and tell the app's locations
    link = """window.history.pushState({}, '', '/?lang=en&from=partner');
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));"""
    for step in (lambda: dash_duo.driver.execute_script(link), dash_duo.driver.back):
        record_callbacks(dash_duo)
        step()
        outputs = recorded_outputs(dash_duo)
        assert [o for o in outputs if "_pages_content" in o]  # the router was asked...
        assert dash_duo.driver.execute_script(still)  # ...and left the page as it was
    assert urlparse(dash_duo.driver.current_url).query == "lang=en"
    assert dash_duo.get_logs() == []
