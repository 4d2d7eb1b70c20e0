"""Passwords never appear in clear text: not in logs, URLs, the database, responses or cookies.

One run per backend, with passwords no other test uses: accounts are created through the store,
the command line (``python -m accounts add`` / ``set-password``, password on stdin) and the admin
page's callback; they sign in with right and wrong passwords through a real werkzeug server, so
its request log is written. Every logger is captured at DEBUG (SQLAlchemy's statements and their
parameters included). Then each password is looked for in: the captured log records, the CLI's
output, every URL requested or redirected to, every response body and Set-Cookie header (the
signed session cookie decoded too), the SQLite file and its WAL (bytes, so deleted rows count)
and, on PostgreSQL, every row of every table cast to text.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import secrets
import subprocess
import sys
import threading

import pytest
import requests
from sqlalchemy import text
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from accounts import store
from config import ROOT
from security.headers import QuietRequestHandler
from tests.unit.access_clients import Dependencies, make_app

# The CLI exactly as ``python -m accounts``, with every logger at DEBUG on stderr (SQLAlchemy's
# own root logger starts at WARN, so it is set too: its statements and parameters are logged).
CLI = (
    "import logging, runpy, sys; logging.basicConfig(level=logging.DEBUG, stream=sys.stderr); "
    "logging.getLogger('sqlalchemy').setLevel(logging.DEBUG); "
    "sys.argv = ['accounts', *sys.argv[1:]]; runpy.run_module('accounts', run_name='__main__', alter_sys=True)"
)
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def _secret(label: str) -> str:
    return f"{label}-{secrets.token_urlsafe(12)}"  # unique to this run: a hit can only be a leak


def _debug_everywhere(caplog) -> None:
    caplog.set_level(logging.DEBUG)
    for name in [*logging.root.manager.loggerDict, "werkzeug", "sqlalchemy.engine", "dashboard"]:
        caplog.set_level(logging.DEBUG, logger=name)


class Seen:
    """Everything a password must not be found in, gathered as the test goes."""

    def __init__(self, app) -> None:
        self.serializer = app.server.session_interface.get_signing_serializer(app.server)
        self.urls: list[str] = []
        self.bodies: list[bytes] = []
        self.cookies: list[str] = []
        self.sessions: list[str] = []
        self.outputs: list[str] = []

    def response(self, response: requests.Response) -> requests.Response:
        for step in [*response.history, response]:
            self.urls.append(step.request.url)
            self.urls.append(step.headers.get("Location", ""))
            self.bodies.append(step.content)
            for header in step.raw.headers.getlist("Set-Cookie"):
                self.cookies.append(header)
                value = header.split(";", 1)[0].split("=", 1)[1]
                if header.startswith("session=") and value:
                    self.sessions.append(repr(self.serializer.loads(value)))
        return response

    def find(self, secret: str) -> list[str]:
        """Where ``secret`` was seen (empty: nowhere)."""
        encoded = secret.encode()
        hits = [f"url {u}" for u in self.urls if secret in u or encoded.hex() in u]
        hits += [f"body {b[:80]!r}" for b in self.bodies if encoded in b or base64.b64encode(encoded) in b]
        hits += [f"cookie {c}" for c in self.cookies if secret in c]
        hits += [f"session {s}" for s in self.sessions if secret in s]
        hits += [f"CLI output {o!r}" for o in self.outputs if secret in o]
        return hits


@pytest.fixture
def server(blank_engine, tmp_path):
    """The app on a blank database, served by werkzeug (with its request log) on a free port."""
    url = blank_engine.url.render_as_string(hide_password=False)
    app = make_app(url, public_read=False, uploads_dir=str(tmp_path / "uploads"), jobs_dir=str(tmp_path / "jobs"))
    httpd = make_server("127.0.0.1", 0, app.server, threaded=True, request_handler=QuietRequestHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{httpd.server_port}", url
    httpd.shutdown()
    thread.join(10)


def _sign_in(seen: Seen, base: str, username: str, password: str) -> requests.Session:
    browser = requests.Session()
    form = seen.response(browser.get(f"{base}/login"))
    assert form.status_code == 200
    (token,) = CSRF_FIELD.findall(form.text)
    assert '<form method="post" action="/login"' in form.text and 'type="password"' in form.text
    data = {"username": username, "password": password, "csrf_token": token, "next": "/"}
    browser.last = seen.response(browser.post(f"{base}/login", data=data, allow_redirects=False))
    return browser


def _cli(seen: Seen, url: str, password: str, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args, "--database-url", url],
        input=password + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    seen.outputs += [done.stdout, done.stderr]
    assert done.returncode == 0, done.stderr[-2000:]


def _add_through_the_admin_page(seen: Seen, app, base: str, admin: requests.Session, username: str, password: str):
    page = seen.response(admin.get(f"{base}/admin/accounts?lang=en"))
    assert page.status_code == 200
    values = {
        "accounts-add.n_clicks": 1,
        "accounts-new-name.value": username,
        "accounts-new-role.value": "partner",
        "accounts-new-themes.value": [],
        "accounts-new-password.value": password,
        "accounts-new-repeat.value": password,
        "accounts-lang.data": "en",
    }
    callbacks = seen.response(admin.get(f"{base}/_dash-dependencies")).json()
    body = Dependencies(app, callbacks).body("..accounts-table.children...accounts-alert.children...", values)
    headers = {"X-CSRFToken": admin.cookies.get("_csrf_token")}
    answer = seen.response(admin.post(f"{base}/_dash-update-component", json=body, headers=headers))
    assert answer.status_code == 200, answer.text[:300]
    reply = answer.json()["response"]
    assert "added" in str(reply["accounts-alert"]["children"])
    assert reply["accounts-new-password"]["value"] == reply["accounts-new-repeat"]["value"] == ""


def _database_hits(engine, secret: str) -> list[str]:
    """Where ``secret`` is in the database: file bytes (SQLite, with its WAL) or every row as text."""
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        hits = []
        for name in (path, path + "-wal", path + "-journal"):
            if os.path.exists(name):
                with open(name, "rb") as handle:
                    if secret.encode() in handle.read():
                        hits.append(name)
        return hits
    with engine.connect() as connection:
        tables = connection.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        ).scalars()
        hits = []
        for table in list(tables):
            sql = text(f'SELECT COUNT(*) FROM "{table}" AS r WHERE r::text LIKE :pattern')
            if connection.execute(sql, {"pattern": f"%{secret}%"}).scalar_one():
                hits.append(table)
        return hits


def test_passwords_appear_nowhere(server, blank_engine, caplog):
    app, base, url = server
    _debug_everywhere(caplog)
    seen = Seen(app)
    secrets_ = {
        "store": _secret("store"),
        "admin": _secret("admin"),
        "cli": _secret("cli"),
        "cli reset": _secret("reset"),
        "admin page": _secret("page"),
        "wrong": _secret("wrong"),
    }
    with Session(blank_engine) as session, session.begin():
        store.add(session, "hyg.store", secrets_["store"], "viewer")
        store.add(session, "hyg.admin", secrets_["admin"], "admin")
    _cli(seen, url, secrets_["cli"], "add", "hyg.cli", "--role", "staff", "--theme", "connectivity")
    _cli(seen, url, secrets_["cli reset"], "set-password", "hyg.cli")
    admin = _sign_in(seen, base, "hyg.admin", secrets_["admin"])
    assert admin.last.status_code == 303
    _add_through_the_admin_page(seen, app, base, admin, "hyg.page", secrets_["admin page"])

    for username, password in (
        ("hyg.store", secrets_["store"]),
        ("hyg.cli", secrets_["cli reset"]),
        ("hyg.page", secrets_["admin page"]),
    ):
        assert _sign_in(seen, base, username, secrets_["wrong"]).last.status_code == 401
        browser = _sign_in(seen, base, username, password)
        assert browser.last.status_code == 303, username
        assert seen.response(browser.get(f"{base}/connectivity")).status_code == 200
    assert _sign_in(seen, base, "hyg.cli", secrets_["cli"]).last.status_code == 401  # the old password is gone
    assert _sign_in(seen, base, "nobody.here", secrets_["wrong"]).last.status_code == 401

    records = [f"{r.name}: {r.getMessage()} {r.args!r}" for r in caplog.records]
    logged = "\n".join(records)
    # the capture works: werkzeug's request log, SQLAlchemy's statements and the sign-in log are in it
    assert re.search(r'"POST /login HTTP/1\.1" 303', logged) and re.search(r'"POST /login HTTP/1\.1" 401', logged)
    assert "INSERT INTO account" in logged and "UPDATE account" in logged
    assert "failed sign-in for 'hyg.store'" in logged and "hyg.page signed in" in logged
    cli = "\n".join(seen.outputs)  # the CLI's DEBUG logging was on, with SQL parameters
    assert "DEBUG:sqlalchemy" in cli and "INSERT INTO account" in cli and "UPDATE account SET password_hash" in cli
    assert seen.sessions and seen.urls

    for what, secret in secrets_.items():
        assert secret not in logged, f"the {what} password is in the logs"
        assert not seen.find(secret), f"the {what} password was seen: {seen.find(secret)}"
        assert not _database_hits(blank_engine, secret), f"the {what} password is in the database"
    # the searches themselves find what is there: a name shown in a response, a name in the database
    assert seen.find("hyg.page") and seen.find("hyg.admin")
    canary = _secret("canary")
    with Session(blank_engine) as session, session.begin():
        store.add(session, canary, _secret("canary-password"), "viewer")
    assert _database_hits(blank_engine, canary)
    # the hashes are there, salted and slow: scrypt, never the password
    with blank_engine.connect() as connection:
        hashes = connection.execute(text("SELECT password_hash FROM account")).scalars().all()
    assert len(hashes) == 5 and all(h.startswith("scrypt:") for h in hashes) and len(set(hashes)) == 5
