"""Behind a reverse proxy: forwarded headers count only when TRUSTED_PROXIES says the proxy is ours."""

from __future__ import annotations

from app import create_app
from config import Config


def _client(url: str, **settings):
    config = Config(database_url=url, seed_on_start=False, secret_key="test", report_rate_limit="1/minute", **settings)
    return create_app(config).server.test_client()


def _report(client, forwarded_for: str) -> int:
    return client.get(
        "/_export/report.pdf?page=/no-such-page",
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},  # every request arrives from the proxy
    ).status_code


def test_behind_a_trusted_proxy_each_client_has_its_own_rate(seeded_sqlite_url):
    client = _client(seeded_sqlite_url, trusted_proxies=1)
    assert [_report(client, "203.0.113.5"), _report(client, "203.0.113.5")] == [404, 429]
    assert _report(client, "198.51.100.9") == 404  # another user behind the same proxy


def test_without_trusted_proxies_a_forged_header_does_not_dodge_the_limit(seeded_sqlite_url):
    client = _client(seeded_sqlite_url)
    assert [_report(client, "203.0.113.5"), _report(client, "198.51.100.9")] == [404, 429]


def test_hsts_follows_the_scheme_the_trusted_proxy_reports(seeded_sqlite_url):
    https = {"X-Forwarded-Proto": "https"}
    trusted = _client(seeded_sqlite_url, trusted_proxies=1).get("/health", headers=https)
    assert trusted.headers["Strict-Transport-Security"].startswith("max-age=")
    untrusted = _client(seeded_sqlite_url).get("/health", headers=https)
    assert "Strict-Transport-Security" not in untrusted.headers
