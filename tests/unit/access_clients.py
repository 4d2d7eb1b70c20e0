"""Shared helpers of the access tests: an app on a writable copy of the seeded database with one
account of each role, test clients signed in as them, and Dash callback bodies built from the
app's own ``/_dash-dependencies`` (so the tests follow the real callbacks, not a copy of them).

Why a copy: the matrix loads files, rolls batches back and adds accounts, and the session's
``seeded_engine`` is read only. SQLite is copied with the backup API (a second); PostgreSQL gets
a schema of its own seeded through the loader, as ``seeded_engine`` is.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from accounts import store
from config import Config
from data_loaders.db import make_engine
from data_loaders.schema import upgrade_database
from data_loaders.seed import load_seed
from tests.conftest import _pg_schema_url
from tests.unit import dash_calls

UPDATE = "/_dash-update-component"
ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class Person:
    """An account of the matrix: ``key`` names it in test ids."""

    key: str
    username: str
    role: str
    themes: tuple[str, ...] = ()
    password: str = field(default="", repr=False)


# The matrix's rows besides "anonymous". Staff of another theme loads park data only.
PEOPLE = {
    p.key: p
    for p in (
        Person("viewer", "vera.viewer", "viewer", password="viewer-pass-0001"),
        Person("partner", "paul.partner", "partner", password="partner-pass-0002"),
        Person("staff_other", "otto.park", "staff", ("park",), password="other-pass-0003"),
        Person("staff", "sara.connect", "staff", ("connectivity",), password="staff-pass-0004"),
        Person("admin", "adam.admin", "admin", password="admin-pass-0005"),
    )
}
ROWS = (ANONYMOUS, *PEOPLE)  # every role of the matrix, anonymous first
COUNTED = ("observation", "import_batch", "account")


def seeded_copy(backend: str, seeded_engine: Engine, folder: Path, name: str) -> str:
    """The URL of a new, writable database holding the seed data."""
    if backend == "sqlite":
        target = folder / f"{name}.sqlite3"
        source = sqlite3.connect(seeded_engine.url.database)
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
        return f"sqlite:///{target}"
    url = _pg_schema_url(name)
    engine = make_engine(url)
    upgrade_database(engine)
    load_seed(engine, log=lambda _msg: None)
    engine.dispose()
    return url


def add_people(engine: Engine, people: tuple[Person, ...] | None = None) -> None:
    """Create the accounts (those missing) through the account store, as the CLI does."""
    with Session(engine) as session, session.begin():
        for person in people or tuple(PEOPLE.values()):
            if store.get(session, person.username) is None:
                store.add(session, person.username, person.password, person.role, list(person.themes))


def make_app(url: str, **settings):
    """An app on ``url`` in English; sign-in is not rate limited unless ``settings`` say so."""
    from app import create_app  # late: importing app registers the pages of the process

    options = {
        "database_url": url,
        "seed_on_start": False,
        "secret_key": "access-test-secret",
        "default_language": "en",
        "login_rate_limit": "10000/minute",
        **settings,
    }
    return create_app(Config(**options))


def counts(engine: Engine) -> dict[str, int]:
    """Rows in the tables a write would change, read with plain SQL."""
    with engine.connect() as connection:
        return {table: connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one() for table in COUNTED}


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def login_form_token(client, address: str = "127.0.0.1") -> str:
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    assert page.status_code == 200, page.status_code
    (token,) = CSRF_FIELD.findall(page.get_data(as_text=True))
    return token


def post_login(client, username: str, password: str, next_path: str = "/", address: str = "127.0.0.1", token=None):
    """POST the sign-in form (with the form's CSRF token unless ``token`` is given); the response."""
    form = {
        "username": username,
        "password": password,
        "next": next_path,
        "csrf_token": login_form_token(client, address) if token is None else token,
    }
    return client.post("/login", data=form, environ_base={"REMOTE_ADDR": address})


def client_as(app, key: str):
    """A test client: anonymous, or signed in as ``PEOPLE[key]`` (asserted)."""
    client = app.server.test_client()
    if key != ANONYMOUS:
        person = PEOPLE[key]
        response = post_login(client, person.username, person.password)
        assert response.status_code == 303, (key, response.status_code)
    else:
        client.get("/login")  # an anonymous session of its own, with a CSRF cookie
    return client


def csrf_header(client) -> dict[str, str]:
    """The header Dash's renderer sends: the ``_csrf_token`` cookie's value as ``X-CSRFToken``."""
    cookie = client.get_cookie("_csrf_token")
    assert cookie is not None, "no _csrf_token cookie: the client has not loaded an HTML page"
    return {"X-CSRFToken": cookie.value}


def _parts(output: str) -> list[dict]:
    """``outputs`` of a request from a callback's ``output`` key (one or several, ``@hash`` dropped)."""
    names = output[2:-2].split("...") if output.startswith("..") else [output]
    outputs = []
    for name in names:
        ident, prop = name.rsplit(".", 1)
        ident = json.loads(ident) if ident.startswith("{") else ident.replace("\\.", ".")
        outputs.append({"id": ident, "property": prop.split("@")[0]})
    return outputs


class Dependencies:
    """The callbacks of an app, as ``/_dash-dependencies`` lists them (to an admin if the app is
    not public)."""

    def __init__(self, app, callbacks: list[dict] | None = None) -> None:
        if callbacks is None:
            response = app.server.test_client().get("/_dash-dependencies")
            if response.status_code == 401:
                response = client_as(app, "admin").get("/_dash-dependencies")
            assert response.status_code == 200
            callbacks = response.get_json()
        self.callbacks = callbacks

    def find(self, prefix: str, background: bool = False) -> dict:
        """The callback whose output is ``prefix``, or the only one whose output starts with it."""
        same = [c for c in self.callbacks if bool(c.get("background")) == background]
        exact = [c for c in same if c["output"] == prefix]
        (found,) = exact or [c for c in same if c["output"].startswith(prefix)]
        return found

    def body(self, prefix: str, values: dict[str, object], changed: str | None = None, background=False) -> dict:
        """A request for the callback whose output starts with ``prefix``.

        Args:
            values: ``"id.property" -> value`` for its inputs and states (missing ones are None).
            changed: the input that changed (its ``id.property``); the first input by default.
        """
        spec = self.find(prefix, background)

        def filled(items):
            return [{**item, "value": values.get(f"{item['id']}.{item['property']}")} for item in items]

        inputs = filled(spec["inputs"])
        if changed is not None:
            inputs.sort(key=lambda item: f"{item['id']}.{item['property']}" != changed)
        return dash_calls.body(spec["output"], _parts(spec["output"]), inputs, filled(spec["state"]))


def call(client, payload: dict, csrf: bool | str = True, address: str = "127.0.0.1"):
    """POST one callback (polled to the end if it is a background one), with the CSRF header the
    renderer adds (the ``_csrf_token`` cookie's value) unless ``csrf`` is False; a string is sent
    as the header's value instead."""
    saved = dict(client.environ_base)
    cookie = client.get_cookie("_csrf_token")
    if isinstance(csrf, str):
        client.environ_base["HTTP_X_CSRFTOKEN"] = csrf
    elif csrf and cookie is not None:
        client.environ_base["HTTP_X_CSRFTOKEN"] = cookie.value
    try:
        return dash_calls.call(client, payload, address=address)
    finally:
        client.environ_base = saved
