"""The park view in the browser: the "as of" date and the building change the numbers (checked
against direct SQL on the seeded database), a clicked unit shows its tenant (and the unit list
follows the click), the URL reproduces
the view and back/forward work, bad query strings fall back to the defaults."""

from __future__ import annotations

import socket
from datetime import date

from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from sqlalchemy import create_engine, text

from tests.integration.conftest import click_when_clickable, foreign_requests, record_callbacks, recorded_outputs

OCCUPANCY_KPI = "#park-kpi-0 .kpi-value"
TENANTS_KPI = "#park-kpi-1 .kpi-value"
SCOPE = ".chart-card:has(#park-expiries) .chart-subtitle"  # names the building and the date


def _sql_figures(url: str, day: date, building: str | None = None) -> tuple[float, int]:
    """Occupancy (%) and tenants at ``day`` straight from the tables, independent of the queries module."""
    only = "AND b.building_code = :b" if building else ""
    params = {"d": day.isoformat(), "b": building}
    engine = create_engine(url)
    with engine.connect() as connection:
        leasable = connection.execute(
            text(
                "SELECT SUM(u.area_m2) FROM park_unit u JOIN park_building b ON b.building_code = u.building_code "
                f"WHERE b.opened <= :d {only}"
            ),
            params,
        ).scalar_one()
        leased, tenants = connection.execute(
            text(
                "SELECT SUM(u.area_m2), COUNT(DISTINCT l.tenant_code) FROM park_lease l "
                "JOIN park_unit u ON u.unit_code = l.unit_code "
                "JOIN park_building b ON b.building_code = u.building_code "
                "WHERE l.kind = 'lease' AND l.start_date <= :d AND (l.end_date IS NULL OR l.end_date >= :d) "
                f"AND b.opened <= :d {only}"
            ),
            params,
        ).one()
    engine.dispose()
    return round(100 * (leased or 0) / leasable, 1), tenants


def _free_port() -> int:
    """A port nobody listens on: parallel test runs on one machine would collide on dash_duo's default."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(dash_duo, dashboard, query: str) -> None:
    dash_duo.start_server(dashboard, port=_free_port())
    dash_duo.driver.get(f"{dash_duo.server_url}/park?{query}")
    dash_duo.wait_for_element("#park-floor-plan .main-svg g.trace", timeout=40)  # a busy CI machine is slow


def _set_date(dash_duo, day: str) -> None:
    dash_duo.clear_input("#park-as-of")
    dash_duo.find_element("#park-as-of").send_keys(day, Keys.ENTER)


def test_park001_date_and_building_change_the_numbers(dash_duo, dashboard, seeded_sqlite_url):
    _start(dash_duo, dashboard, "lang=en&as_of=2026-06-30")
    occupancy, tenants = _sql_figures(seeded_sqlite_url, date(2026, 6, 30))
    dash_duo.wait_for_text_to_equal(OCCUPANCY_KPI, f"{occupancy:.1f}", timeout=10)
    dash_duo.wait_for_text_to_equal(TENANTS_KPI, str(tenants), timeout=10)

    dash_duo.select_dcc_dropdown("#park-building", value="Building B")
    occupancy, tenants = _sql_figures(seeded_sqlite_url, date(2026, 6, 30), "B2")
    dash_duo.wait_for_text_to_equal(OCCUPANCY_KPI, f"{occupancy:.1f}", timeout=10)
    dash_duo.wait_for_text_to_equal(TENANTS_KPI, str(tenants), timeout=10)
    assert "building=B2" in dash_duo.driver.current_url and "lang=en" in dash_duo.driver.current_url

    _set_date(dash_duo, "2025-09-30")
    occupancy, tenants = _sql_figures(seeded_sqlite_url, date(2025, 9, 30), "B2")
    dash_duo.wait_for_text_to_equal(OCCUPANCY_KPI, f"{occupancy:.1f}", timeout=10)
    dash_duo.wait_for_text_to_equal(TENANTS_KPI, str(tenants), timeout=10)
    assert "as_of=2025-09-30" in dash_duo.driver.current_url
    assert "September 30, 2025" in dash_duo.find_element("#park-kpi-0").text
    assert foreign_requests(dash_duo) == []
    assert dash_duo.get_logs() == []


def test_park002_clicking_a_unit_shows_its_tenant(dash_duo, dashboard, seeded_sqlite_url):
    _start(dash_duo, dashboard, "lang=en&building=B1&as_of=2026-06-30")
    engine = create_engine(seeded_sqlite_url)
    with engine.connect() as connection:
        unit, tenant = connection.execute(
            text(
                "SELECT l.unit_code, t.name FROM park_lease l JOIN park_tenant t ON t.tenant_code = l.tenant_code "
                "WHERE l.kind = 'lease' AND l.unit_code = 'B1-1-01' AND l.start_date <= '2026-06-30' "
                "AND (l.end_date IS NULL OR l.end_date >= '2026-06-30')"
            )
        ).one()
    engine.dispose()

    # the first bar of the "Leased" trace is B1-1-01 (units in code order); click its middle. The chart may
    # still be settling (responsive resize) right after the first draw, so retry the click until it lands.
    def click_first_leased_unit() -> bool:
        bar = dash_duo.find_elements("#park-floor-plan g.barlayer g.trace")[0].find_elements("css selector", "path")[0]
        dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", bar)
        ActionChains(dash_duo.driver).move_to_element(bar).pause(0.3).click().perform()
        return tenant in dash_duo.find_element("#park-unit-detail").text

    until(click_first_leased_unit, timeout=20, poll=1)
    # the unit list (the keyboard's way to a unit) follows the click
    dash_duo.wait_for_contains_text("#park-unit-value", "B1-1-01", timeout=20)

    # hovering the unit names the tenant too
    def hover_first_leased_unit() -> bool:
        bar = dash_duo.find_elements("#park-floor-plan g.barlayer g.trace")[0].find_elements("css selector", "path")[0]
        ActionChains(dash_duo.driver).move_by_offset(0, 0).move_to_element(bar).pause(0.3).perform()
        return tenant in dash_duo.find_element("#park-floor-plan .hoverlayer").text

    until(hover_first_leased_unit, timeout=20, poll=1)

    # another building: the unit may not be there, so the list and the details forget it
    ActionChains(dash_duo.driver).move_to_element(dash_duo.find_element("h1")).perform()  # no hover box over it
    click_when_clickable(dash_duo, dash_duo.find_element("#park-building"))
    until(lambda: dash_duo.find_elements(".dash-dropdown-option"), timeout=15)
    option = next(o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text == "Building B")
    click_when_clickable(dash_duo, option)
    dash_duo.wait_for_contains_text("#park-unit-detail", "Click a unit", timeout=20)
    until(lambda: "B1-1-01" not in dash_duo.find_element("#park-unit-value").text, timeout=20)
    click_when_clickable(dash_duo, dash_duo.find_element("#park-unit"))
    until(lambda: dash_duo.find_elements(".dash-dropdown-option"), timeout=15)
    options = [o.text for o in dash_duo.find_elements(".dash-dropdown-option")]
    assert options and all(o.startswith("B2-") for o in options), options
    assert dash_duo.get_logs() == []


def test_park003_url_round_trip_and_back(dash_duo, dashboard):
    _start(dash_duo, dashboard, "lang=en&building=B3&as_of=2026-03-31")
    dash_duo.wait_for_text_to_equal("#park-building-value", "Building C", timeout=10)
    assert dash_duo.find_element("#park-as-of").get_attribute("value") == "2026-03-31"
    assert (
        "Building C · as of March 31, 2026"
        in dash_duo.find_element("#park-floor-plan")
        .find_element("xpath", "ancestor::div[contains(@class, 'card')]")
        .text
    )
    dash_duo.select_dcc_dropdown("#park-building", value="Whole park")
    dash_duo.wait_for_text_to_equal("#park-building-value", "Whole park", timeout=10)
    dash_duo.wait_for_contains_text(SCOPE, "Whole park", timeout=10)
    assert "building=" not in dash_duo.driver.current_url and "as_of=2026-03-31" in dash_duo.driver.current_url
    dash_duo.driver.back()
    dash_duo.wait_for_text_to_equal("#park-building-value", "Building C", timeout=10)
    dash_duo.wait_for_contains_text(SCOPE, "Building C", timeout=10)
    assert dash_duo.get_logs() == []


def test_park004_bad_query_string_falls_back(dash_duo, dashboard):
    _start(dash_duo, dashboard, "lang=en&building=NOPE&as_of=2026-13-45")
    dash_duo.wait_for_text_to_equal("#park-building-value", "Whole park", timeout=10)
    assert dash_duo.find_element("#park-as-of").get_attribute("value") == date.today().isoformat()
    assert dash_duo.find_element(OCCUPANCY_KPI).text not in ("", "—")
    assert dash_duo.get_logs() == []


def test_park005_tenant_search(dash_duo, dashboard, seeded_sqlite_url):
    _start(dash_duo, dashboard, "lang=en&as_of=2026-06-30")
    dash_duo.wait_for_element("#park-tenant-table tbody tr", timeout=10)
    _, tenants = _sql_figures(seeded_sqlite_url, date(2026, 6, 30))
    assert len(dash_duo.find_elements("#park-tenant-table tbody tr")) == tenants

    def sectors() -> set[str]:
        cells = dash_duo.find_elements("#park-tenant-table tbody td:nth-child(2)")
        return {cell.text for cell in cells}

    assert len(sectors()) > 1
    dash_duo.find_element("#park-tenant-search").send_keys("fintech")
    until(lambda: sectors() == {"Fintech"}, timeout=10)
    dash_duo.find_element("#park-tenant-search").send_keys("zzzz")
    dash_duo.wait_for_contains_text("#park-tenants", "No tenant matches.", timeout=10)
    assert dash_duo.get_logs() == []


def test_park006_a_filter_change_redraws_the_charts_not_the_page(dash_duo, dashboard):
    """A building change sends the chart callbacks only (no page render): the occupancy chart stays
    the same element with the same lines and only loses the park's target markers."""
    _start(dash_duo, dashboard, "lang=en&as_of=2026-06-30")
    dash_duo.wait_for_contains_text(SCOPE, "Whole park", timeout=10)
    lines = dash_duo.driver.execute_script(
        """var gd = document.querySelector('#park-occupancy .js-plotly-plot');
        gd.dataset.stay = '1'; window.__line = gd.data[0]; return gd.data.length;"""
    )
    record_callbacks(dash_duo)
    dash_duo.select_dcc_dropdown("#park-building", value="Building B")
    dash_duo.wait_for_contains_text(SCOPE, "Building B", timeout=10)
    outputs = recorded_outputs(dash_duo)
    assert not [o for o in outputs if "_pages_content" in o]
    for part in ("park-kpis.children", "park-expiries.figure", "park-floor-plan.figure", "park-tenant-mix.figure"):
        assert [o for o in outputs if part in o], (part, outputs)
    assert [o for o in outputs if "park-tenants.children" in o and "park-where.children" in o]
    kept = dash_duo.driver.execute_script(
        """var gd = document.querySelector('#park-occupancy .js-plotly-plot');
        return [gd.dataset.stay, gd.data[0] === window.__line, gd.data.length,
                gd.data.some(function (t) { return t.name === 'Target'; })];"""
    )
    assert kept == ["1", True, lines - 1, False]

    dash_duo.driver.back()
    dash_duo.wait_for_contains_text(SCOPE, "Whole park", timeout=10)
    dash_duo.wait_for_text_to_equal("#park-building-value", "Whole park", timeout=10)
    until(
        lambda: (
            dash_duo.driver.execute_script(
                "var gd = document.querySelector('#park-occupancy .js-plotly-plot');"
                "return [gd.dataset.stay, gd.data[0] === window.__line, gd.data.length];"
            )
            == ["1", True, lines]
        ),
        timeout=10,
    )
    assert dash_duo.get_logs() == []
