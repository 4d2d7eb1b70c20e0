"""A cache that fails is no cache, never an error: pages and the API show their data, one warning
is logged, a dead Redis costs milliseconds, and /health says what works. The Redis backend itself
is exercised against the real server named by TEST_REDIS_URL (CI starts one)."""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
import uuid

import dash
import pytest
from dash.development.base_component import Component

from app import create_app
from config import Config
from data_loaders import cached as _data

PAGE_CHARTS = {
    "/": ["overview-internet-users"],
    "/connectivity": ["conn-map", "conn-profile", "conn-techmix", "conn-urban-rural", "conn-benchmark"],
    "/it-sector": ["it-growth", "it-flows", "it-sizes", "it-regions", "it-hightech-exports"],
    "/park": ["park-occupancy", "park-expiries", "park-floor-plan", "park-tenant-mix"],
    "/targets": ["tgt-chart-it-net-user-zs-tj"],
    "/data": ["data-observations-by-theme"],
}
API_PATHS = (
    "/api/v1/indicators",
    "/api/v1/indicators/IT.NET.USER.ZS.csv?geo=TJ",
    "/api/v1/indicators/IT.NET.USER.ZS.json?geo=TJ,KG&from=2015",
    "/api/v1/bulk.zip?theme=connectivity",
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


def _dead_redis_url() -> str:
    """A Redis URL on a loopback port where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def _app(url: str, **cache):
    config = Config(database_url=url, seed_on_start=False, secret_key="test", default_language="en", **cache)
    return create_app(config)


def _figures(component) -> dict[str, dict]:
    """Every component id that carries a figure -> its figure, walking the whole layout tree."""
    found = {}
    if isinstance(component, (list, tuple)):
        for child in component:
            found.update(_figures(child))
    elif isinstance(component, Component):
        figure = getattr(component, "figure", None)
        if figure is not None and isinstance(getattr(component, "id", None), str):
            found[component.id] = figure if isinstance(figure, dict) else figure.to_plotly_json()
        found.update(_figures(getattr(component, "children", None)))
    return found


def _render(app, path: str):
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    with app.server.test_request_context(path):
        return page["layout"](lang="en")


def _assert_page_shows_data(app, path: str) -> None:
    layout = _render(app, path)
    assert "status-banner" not in str(layout), path
    figures = _figures(layout)
    for chart_id in PAGE_CHARTS[path]:
        assert figures.get(chart_id, {}).get("data"), (path, chart_id, sorted(figures))


@pytest.fixture(scope="module")
def dead_redis_app(seeded_sqlite_url):
    return _app(seeded_sqlite_url, cache_type="RedisCache", cache_redis_url=_dead_redis_url())


@pytest.mark.parametrize("path", list(PAGE_CHARTS))
def test_every_page_shows_its_data_with_redis_down(dead_redis_app, path):
    _assert_page_shows_data(dead_redis_app, path)
    response = dead_redis_app.server.test_client().get(path)
    assert response.status_code == 200


@pytest.mark.parametrize("path", API_PATHS)
def test_every_api_endpoint_answers_with_redis_down(dead_redis_app, path):
    response = dead_redis_app.server.test_client().get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_data()


def test_health_says_the_cache_is_down_and_the_database_up(dead_redis_app):
    response = dead_redis_app.server.test_client().get("/health")
    assert response.status_code == 200
    report = response.get_json()
    assert report["status"] == "ok"
    assert report["database"] == {"status": "ok"}
    assert report["cache"]["status"] == "down"
    assert report["cache"]["backend"] == "RedisCache"
    assert report["cache"]["reason"] == "ConnectionError"


def test_each_database_with_redis_down(seeded_engine):
    """The same on PostgreSQL (with TEST_DATABASE_URL): data from the database, /health says why."""
    url = seeded_engine.url.render_as_string(hide_password=False)
    app = _app(url, cache_type="RedisCache", cache_redis_url=_dead_redis_url())
    _assert_page_shows_data(app, "/connectivity")
    report = app.server.test_client().get("/health").get_json()
    assert report["database"] == {"status": "ok"}
    assert report["cache"]["status"] == "down"


def test_a_failing_cache_logs_one_warning_and_costs_milliseconds(seeded_sqlite_url, caplog):
    app = _app(seeded_sqlite_url, cache_type="RedisCache", cache_redis_url=_dead_redis_url())
    caplog.set_level(logging.WARNING, logger="dashboard")
    started = time.monotonic()
    for path in PAGE_CHARTS:
        _render(app, path)
    elapsed = time.monotonic() - started
    warnings = [r for r in caplog.records if r.name == "dashboard" and "cache unavailable" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "ConnectionError" in warnings[0].getMessage()
    # the first failure costs one refused connection; later queries skip the cache
    state = app.server.extensions[_data._EXTENSION]["cache"]
    assert state.skipping()
    assert elapsed < 30, elapsed  # six pages from SQLite; a 5 s socket timeout per query would not fit


def test_a_blackholed_redis_times_out_quickly(seeded_sqlite_url):
    """A Redis address that accepts connections but never answers (a listening socket nobody
    reads) costs the short socket timeout, not redis-py's default 5 s with retries."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        app = _app(seeded_sqlite_url, cache_type="RedisCache", cache_redis_url=url)
        with app.server.test_request_context("/"):
            started = time.monotonic()
            assert _data._through_cache(_data.cache.get, "any-key") is None
            elapsed = time.monotonic() - started
    assert elapsed < 1.0, elapsed
    assert app.server.extensions[_data._EXTENSION]["cache"].failure.startswith("TimeoutError")


def test_without_the_redis_module_the_app_starts_and_serves_without_cache(seeded_sqlite_url, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "redis", None)  # what `import redis` meets when it is not installed
    caplog.set_level(logging.WARNING, logger="dashboard")
    app = _app(seeded_sqlite_url, cache_type="RedisCache", cache_redis_url="redis://127.0.0.1:6379/15")
    assert any("RedisCache cannot be used" in r.getMessage() for r in caplog.records)
    _assert_page_shows_data(app, "/park")
    report = app.server.test_client().get("/health").get_json()
    assert report["status"] == "ok"
    assert report["cache"]["status"] == "down"
    assert "RedisCache cannot be used" in report["cache"]["reason"] and "redis" in report["cache"]["reason"]


def test_health_answers_503_when_the_database_is_down():
    app = _app("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = app.server.test_client().get("/health")
    assert response.status_code == 503
    report = response.get_json()
    assert report["status"] == "down"
    assert report["database"]["status"] == "down"
    assert "OperationalError" in report["database"]["reason"]
    assert report["cache"] == {"status": "ok", "backend": "SimpleCache"}


@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set (CI sets it and starts Redis)")
def test_query_results_are_kept_in_the_real_redis(seeded_sqlite_url):
    import redis

    app = _app(seeded_sqlite_url, cache_type="RedisCache", cache_redis_url=REDIS_URL)
    client = redis.from_url(REDIS_URL)
    calls = []

    def indicator_count(engine, marker):
        calls.append(marker)
        with engine.connect() as connection:
            return connection.exec_driver_sql("SELECT count(*) FROM indicator").scalar()

    marker = uuid.uuid4().hex  # a key no other test process uses
    with app.server.test_request_context("/"):
        first = _data.query(indicator_count, marker)
        second = _data.query(indicator_count, marker)
    keys = client.keys(f"tjdash:*{marker}*")
    try:
        assert first == second and first > 0
        assert calls == [marker]  # the second answer came from Redis
        assert len(keys) == 1
    finally:
        client.delete(*keys) if keys else None
    report = app.server.test_client().get("/health").get_json()
    assert report["cache"] == {"status": "ok", "backend": "RedisCache"}
