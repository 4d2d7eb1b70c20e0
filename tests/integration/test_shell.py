"""Every page renders its charts from the database, with no console errors and no foreign hosts."""

from __future__ import annotations

import socket

import pytest

from app import create_app
from config import Config
from tests.integration.conftest import foreign_requests, logs_besides_not_found

PAGES = {
    "/": ["overview-internet-users"],
    "/connectivity": ["conn-map", "conn-profile", "conn-techmix", "conn-urban-rural", "conn-benchmark"],
    "/it-sector": ["it-growth", "it-flows", "it-sizes", "it-regions", "it-hightech-exports"],
    "/park": ["park-occupancy", "park-expiries", "park-floor-plan", "park-tenant-mix"],
    "/targets": ["tgt-chart-it-net-user-zs-tj"],
    "/data": ["data-observations-by-theme"],
}


@pytest.mark.parametrize("path", list(PAGES))
def test_shell001_page_renders_charts(dash_duo, dashboard, path):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + path)
    for chart_id in PAGES[path]:
        # a drawn plotly chart has at least one trace group in its SVG
        dash_duo.wait_for_element(f"#{chart_id} .main-svg g.trace", timeout=15)
    hrefs = [a.get_attribute("href") for a in dash_duo.find_elements(".navbar a.nav-link")]
    for page in ("/connectivity", "/it-sector", "/park", "/targets", "/data"):
        assert any(page + "?" in href or href.endswith(page) for href in hrefs), (page, hrefs)
    assert foreign_requests(dash_duo) == []
    assert dash_duo.get_logs() == []


def test_shell002_unknown_path_shows_404(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/no-such-page")
    dash_duo.wait_for_contains_text("h1", "Page not found", timeout=10)
    assert logs_besides_not_found(dash_duo, "/no-such-page") == []


def test_shell003_navbar_follows_page_registry(dash_duo, dashboard):
    dash_duo.driver.set_window_size(1400, 1000)  # wide enough for the navbar not to fold
    dash_duo.start_server(dashboard)
    dash_duo.wait_for_element("#overview-internet-users .main-svg", timeout=15)
    dash_duo.find_element("a.nav-link[href^='/park']").click()  # the link keeps ?lang=
    dash_duo.wait_for_contains_text("h1", "IT Park occupancy", timeout=10)
    assert dash_duo.driver.current_url.split("?")[0].endswith("/park")
    assert dash_duo.get_logs() == []


def _banners(dash_duo) -> list[str]:
    return [alert.text for alert in dash_duo.find_elements(".alert-danger")]


def test_shell004_database_down_shows_one_banner_in_words(dash_duo):
    down = create_app(
        Config(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", secret_key="test", default_language="en")
    )
    dash_duo.start_server(down)
    dash_duo.wait_for_contains_text("#status-banner", "The database is not reachable", timeout=15)
    for path in ("/connectivity", "/data"):
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_contains_text("#_pages_content", "The database is not reachable", timeout=15)
        assert _banners(dash_duo) == [
            "The database is not reachable. Figures cannot be shown right now; please try again later "
            "or tell the system administrator."
        ]
        assert "Traceback" not in dash_duo.driver.page_source
        assert "Error" not in dash_duo.find_element("#_pages_content").text  # no exception class names
    dash_duo.driver.get(dash_duo.server_url + "/park?lang=ru")
    dash_duo.wait_for_contains_text("#status-banner", "База данных недоступна", timeout=15)
    assert len(_banners(dash_duo)) == 1
    assert dash_duo.get_logs() == []


def test_shell005_redis_down_every_page_still_draws(dash_duo, seeded_sqlite_url):
    with socket.socket() as sock:  # a loopback port where nothing listens
        sock.bind(("127.0.0.1", 0))
        dead_redis = f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    app = create_app(
        Config(
            database_url=seeded_sqlite_url,
            seed_on_start=False,
            secret_key="test",
            default_language="en",
            cache_type="RedisCache",
            cache_redis_url=dead_redis,
        )
    )
    dash_duo.start_server(app)
    for path, charts in PAGES.items():
        dash_duo.driver.get(dash_duo.server_url + path)
        for chart_id in charts:
            dash_duo.wait_for_element(f"#{chart_id} .main-svg g.trace", timeout=20)
        assert _banners(dash_duo) == [], path
    assert dash_duo.get_logs() == []
