"""Security headers on every kind of response, the CSP covering every inline script, and servers
that do not announce their versions (checked over a real socket)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import create_app
from config import Config
from security.headers import content_security_policy

ROOT = Path(__file__).resolve().parents[2]
# One of each kind: pages, an unknown page, assets, Dash's own routes, the API (data and error),
# the health check.
PATHS = (
    "/",
    "/park?lang=ru",
    "/no-such-page",
    "/assets/10_dashboard.css",
    "/assets/no-such-file.css",
    "/_dash-layout",
    "/_dash-dependencies",
    "/api/v1/indicators",
    "/api/v1/indicators/NO.SUCH.csv",
    "/health",
)


def _config(url: str, **overrides) -> Config:
    return Config(database_url=url, seed_on_start=False, secret_key="test", default_language="en", **overrides)


@pytest.fixture(scope="module")
def client(seeded_sqlite_url):
    return create_app(_config(seeded_sqlite_url)).server.test_client()


def _directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code < 500, response.status_code
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and all(s.startswith("'sha256-") for s in policy["script-src"][1:])
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: HSTS would be ignored


def test_a_server_error_carries_the_headers_too(seeded_sqlite_url):
    app = create_app(_config(seeded_sqlite_url))

    @app.server.route("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.server.test_client().get("/boom")
    assert response.status_code == 500
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://dashboard.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def _inline_scripts(html: str) -> list[str]:
    """Scripts the browser would run from the page itself (not src=, not JSON data blocks, not the
    Internet Explorer warning inside an HTML comment)."""
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    found = re.findall(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", html, flags=re.S)
    return [body for attrs, body in found if "src=" not in attrs and "application/json" not in attrs]


def test_policy_holds_the_hash_of_every_inline_script_of_the_page(client):
    response = client.get("/connectivity")
    scripts = _inline_scripts(response.get_data(as_text=True))
    # the renderer, the export menu's clientside callback, the pages router's title callback
    assert len(scripts) >= 3, scripts
    allowed = _directives(response.headers["Content-Security-Policy"])["script-src"]
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, script[:80]


def test_embed_origins_widen_frame_ancestors_and_drop_x_frame_options(seeded_sqlite_url):
    app = create_app(_config(seeded_sqlite_url, embed_origins=("https://partner.example", "https://*.un.example")))
    response = app.server.test_client().get("/")
    policy = _directives(response.headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'", "https://partner.example", "https://*.un.example"]
    assert "X-Frame-Options" not in response.headers


def test_embed_origins_from_the_environment():
    env = {"EMBED_ORIGINS": "https://partner.example, https://portal.gov.example:8443"}
    assert Config.from_env(env).embed_origins == ("https://partner.example", "https://portal.gov.example:8443")
    assert Config.from_env({}).embed_origins == ()


@pytest.mark.parametrize("value", ["*", "partner.example", "https://a.example; script-src *", "'unsafe-inline'"])
def test_an_embed_origin_that_would_bend_the_policy_is_refused(value):
    with pytest.raises(ValueError, match="EMBED_ORIGINS"):
        Config.from_env({"EMBED_ORIGINS": value})


def test_policy_text():
    assert content_security_policy(["'sha256-x'"], ("https://p.example",)) == (
        "default-src 'self'; script-src 'self' 'sha256-x'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'self' https://p.example"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _headers_from(command: list[str], env: dict[str, str], port: int) -> http.client.HTTPResponse:
    """Start a server process, GET / over a real socket once it listens, stop the process."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/health")
                response = connection.getresponse()
                response.read()
                return response
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stderr.read().decode()[-2000:]) from None
                time.sleep(0.3)
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def server_env(seeded_sqlite_url):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": seeded_sqlite_url, "SEED_ON_START": "0", "PORT": str(port)}
    env.pop("CACHE_REDIS_URL", None)
    return env, port


def test_development_server_names_no_versions(server_env):
    env, port = server_env
    response = _headers_from([sys.executable, "app.py"], env, port)
    assert response.status == 200
    assert response.getheader("Server") == "dashboard"
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_gunicorn_names_no_version(server_env):
    env, port = server_env
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "app:server"]
    response = _headers_from(command, env, port)
    assert response.status == 200
    assert response.getheader("Server") == "gunicorn"
    assert "Content-Security-Policy" in dict(response.getheaders())
