"""Every role x every action, through the HTTP routes and the Dash callback endpoint.

Roles: anonymous, viewer, partner, staff of another theme (park), staff (connectivity), admin.
Actions: view, download, upload (the /import dry run), load (the /import load), roll back (the
/data roll-back) and manage users (the /admin/accounts "add account"). An allowed call answers
200 and its effect is in the database; a refused one answers 401 (anonymous) or 403 (signed in)
and writes nothing: the rows of ``observation``, ``import_batch`` and ``account`` are counted
with plain SQL before and after. Callback bodies come from ``/_dash-dependencies``, so the
matrix follows the callbacks the app really has.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import zipfile

import pytest
from sqlalchemy import text

from accounts.roles import LOAD, MANAGE_USERS, ROLLBACK, UPLOAD, VIEW
from data_loaders.db import make_engine
from data_loaders.load import load_file
from tests.unit.access_clients import (
    ANONYMOUS,
    PEOPLE,
    ROWS,
    Dependencies,
    add_people,
    call,
    client_as,
    counts,
    make_app,
    seeded_copy,
)

# Who may do what, as issue 15 says (PUBLIC_READ on unless the column says otherwise).
MAY_VIEW_CLOSED = {"viewer", "partner", "staff_other", "staff", "admin"}
MAY_DOWNLOAD_CLOSED = {"partner", "staff_other", "staff", "admin"}
MAY_UPLOAD = {"staff_other", "staff", "admin"}  # staff of another theme: allowed, but the file is refused
MAY_LOAD = {"staff", "admin"}
MAY_ROLL_BACK = {"admin"}
MAY_MANAGE_USERS = {"admin"}


def refusal(key: str) -> int:
    return 401 if key == ANONYMOUS else 403


@pytest.fixture(scope="module")
def engine(backend, seeded_engine, tmp_path_factory):
    url = seeded_copy(backend, seeded_engine, tmp_path_factory.mktemp("matrix"), "t_matrix")
    engine = make_engine(url)
    add_people(engine)
    yield engine
    engine.dispose()


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _folders(tmp_path_factory) -> dict[str, str]:
    return {"uploads_dir": str(tmp_path_factory.mktemp("uploads")), "jobs_dir": str(tmp_path_factory.mktemp("jobs"))}


@pytest.fixture(scope="module")
def public(engine, tmp_path_factory):
    """The app as shipped: PUBLIC_READ on."""
    app = make_app(_url(engine), **_folders(tmp_path_factory))
    return app, Dependencies(app)


@pytest.fixture(scope="module")
def closed(engine, tmp_path_factory):
    """The app with PUBLIC_READ=0: nothing but /login without an account."""
    app = make_app(_url(engine), public_read=False, **_folders(tmp_path_factory))
    return app, Dependencies(app)


# ---------------------------------------------------------------------------------------- view


def _catalogue_callback(deps: Dependencies) -> dict:
    """The /data catalogue's data callback: the indicator table of the URL's filters."""
    return deps.body("..data-count.children", {"page-url.search": "?lang=en&theme=connectivity"})


@pytest.mark.parametrize("key", ROWS)
def test_view_is_everyone_s_while_public(public, engine, key):
    app, deps = public
    client = client_as(app, key)
    before = counts(engine)
    assert client.get("/connectivity?lang=en").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    response = call(client, _catalogue_callback(deps))
    assert response.status_code == 200
    assert "TJ.MOB.4G.POP.ZS" in response.get_data(as_text=True)  # the table of connectivity indicators
    assert counts(engine) == before


@pytest.mark.parametrize("key", ROWS)
def test_view_needs_an_account_when_not_public(closed, engine, key):
    app, deps = closed
    client = client_as(app, key)
    allowed = key in MAY_VIEW_CLOSED
    page = client.get("/connectivity?lang=en")
    response = call(client, _catalogue_callback(deps))
    if allowed:
        assert page.status_code == response.status_code == 200
        assert "TJ.MOB.4G.POP.ZS" in response.get_data(as_text=True)
    else:
        assert page.status_code == response.status_code == 401
        assert "TJ.MOB.4G.POP.ZS" not in response.get_data(as_text=True)
        assert 'name="password"' in page.get_data(as_text=True)  # the page asked for shows the sign-in form


# ------------------------------------------------------------------------------------ download


def _downloads(client) -> tuple:
    bulk = client.get("/api/v1/bulk.zip?theme=park")
    indicators = client.get("/api/v1/indicators")
    return bulk, indicators


def _downloaded(bulk, indicators) -> None:
    assert bulk.status_code == indicators.status_code == 200
    assert any(name.endswith(".csv") for name in zipfile.ZipFile(io.BytesIO(bulk.data)).namelist())
    assert indicators.get_json()["count"] > 0


@pytest.mark.parametrize("key", ROWS)
def test_download_is_everyone_s_while_public(public, key):
    app, _deps = public
    _downloaded(*_downloads(client_as(app, key)))


@pytest.mark.parametrize("key", ROWS)
def test_download_needs_a_partner_when_not_public(closed, key):
    """A partner (and staff, admins) may download with PUBLIC_READ=0; a viewer may not (403)."""
    app, _deps = closed
    bulk, indicators = _downloads(client_as(app, key))
    if key in MAY_DOWNLOAD_CLOSED:
        _downloaded(bulk, indicators)
    else:
        assert bulk.status_code == indicators.status_code == refusal(key)
        assert not bulk.data.startswith(b"PK")  # no ZIP in the refusal
        assert b"indicators" not in indicators.data


# ------------------------------------------------------------------------- PUBLIC_READ=0 closes


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/connectivity",
        "/it-sector",
        "/park",
        "/targets",
        "/data",
        "/data?indicator=IT.NET.USER.ZS",
        "/no-such-page",
        "/_dash-layout",
        "/_dash-dependencies",
        "/_export/report.pdf?page=/connectivity&lang=en",
        "/api/v1/indicators",
        "/api/v1/indicators/IT.NET.USER.ZS.csv",
        "/api/v1/bulk.zip",
        "/api/v1/nothing-here",
    ],
)
def test_not_public_closes_everything_to_anonymous(closed, path):
    app, _deps = closed
    assert app.server.test_client().get(path).status_code == 401


@pytest.mark.parametrize("path", ["/login", "/login?next=/park&lang=ru", "/health", "/assets/00_bootstrap.min.css"])
def test_not_public_leaves_login_assets_and_health_open(closed, path):
    app, _deps = closed
    assert app.server.test_client().get(path).status_code == 200


def test_not_public_refuses_every_callback_to_anonymous(closed):
    """Every server callback the app has, called by someone not signed in: 401, nothing runs."""
    app, deps = closed
    client = client_as(app, ANONYMOUS)
    server_side = [c for c in deps.callbacks if not c.get("clientside_function")]
    assert len(server_side) > 20
    for spec in server_side:
        response = call(client, deps.body(spec["output"], {}, background=bool(spec.get("background"))))
        assert response.status_code == 401, spec["output"]


# ----------------------------------------------------------------------------------- roll back


def _count_where(engine, sql: str, **params) -> int:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


# A file of new values for two connectivity districts; each call gives values not loaded before.
_SERIAL = itertools.count(1)
HEADER = "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment\n"
COVERAGE_4G = "TJ.MOB.4G.POP.ZS"


def coverage_file(geos=("TJ-GB-01", "TJ-GB-02"), period: str = "2026-Q4") -> tuple[bytes, list[float]]:
    serial = next(_SERIAL)
    values = [round(20 + serial / 10 + i, 1) for i in range(len(geos))]
    rows = "".join(
        f"{COVERAGE_4G},{geo},{period},{value},total,,DEMO-SYNTHETIC,matrix\n"
        for geo, value in zip(geos, values, strict=True)
    )
    return (HEADER + rows).encode(), values


def current_value(engine, geo: str, period: str) -> float | None:
    sql = (
        "SELECT value FROM observation WHERE indicator_code = :code AND geo_code = :geo AND period = :period "
        "AND breakdown = 'total' AND is_current"
    )
    with engine.connect() as connection:
        return connection.execute(text(sql), {"code": COVERAGE_4G, "geo": geo, "period": period}).scalar()


def batch_status(engine, batch_id: int) -> str:
    with engine.connect() as connection:
        return connection.execute(text("SELECT status FROM import_batch WHERE id = :id"), {"id": batch_id}).scalar_one()


# ------------------------------------------------------------------------------ upload and load


def _stage(client, deps: Dependencies, content: bytes, name: str = "coverage.csv", csrf: bool | str = True):
    uri = "data:text/csv;base64," + base64.b64encode(content).decode()
    values = {"import-upload.contents": uri, "import-upload.filename": name, "import-lang.data": "en"}
    return call(client, deps.body("..import-token.data", values), csrf=csrf)


def _check(client, deps: Dependencies, token: str, csrf: bool | str = True):
    values = {"import-token.data": token, "import-lang.data": "en"}
    return call(client, deps.body("..import-result.children", values, background=True), csrf=csrf)


def _load(client, deps: Dependencies, token: str, csrf: bool | str = True):
    values = {"import-load.n_clicks": 1, "import-checked.data": token, "import-lang.data": "en"}
    return call(client, deps.body("..import-load-message.children", values, background=True), csrf=csrf)


def _answer(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def _checked_token(app, deps, key: str = "staff") -> str:
    """A clean dry run of a new coverage file by ``key``: its token."""
    client = client_as(app, key)
    token = _answer(_stage(client, deps, coverage_file()[0]))["import-token"]["data"]
    assert _answer(_check(client, deps, token))["import-checked"]["data"] == token
    return token


@pytest.mark.parametrize("key", ROWS)
def test_upload_is_a_dry_run_for_staff_and_admins_only(public, engine, key):
    app, deps = public
    client = client_as(app, key)
    page = client.get("/import?lang=en")
    before = counts(engine)
    content, _values = coverage_file()
    staged = _stage(client, deps, content)
    if key not in MAY_UPLOAD:
        assert page.status_code == staged.status_code == refusal(key)
        # nor may they check someone else's upload: refused before the job starts
        token = _checked_token(app, deps)
        before = counts(engine)
        assert _check(client, deps, token).status_code == refusal(key)
        assert counts(engine) == before
        return
    assert page.status_code == 200
    token = _answer(staged)["import-token"]["data"]
    answer = _answer(_check(client, deps, token))
    shown = json.dumps(answer["import-result"]["children"])
    if key == "staff_other":  # a park-only account: every connectivity row is a problem, nothing loads
        assert answer["import-checked"]["data"] == ""
        assert "connectivity indicator; your account loads park data only" in shown
        after = counts(engine)
        assert after["observation"] == before["observation"] and after["account"] == before["account"]
        assert after["import_batch"] == before["import_batch"] + 1  # the rejected upload, as an audit entry
    else:
        assert answer["import-checked"]["data"] == token  # clean: the Load button may be used
        assert COVERAGE_4G in shown
        assert counts(engine) == before  # a dry run writes nothing


@pytest.mark.parametrize("key", ROWS)
def test_load_writes_for_staff_of_the_theme_and_admins_only(public, engine, key):
    app, deps = public
    client = client_as(app, key)
    if key in MAY_LOAD:
        content, values = coverage_file()
        token = _answer(_stage(client, deps, content))["import-token"]["data"]
        assert _answer(_check(client, deps, token))["import-checked"]["data"] == token
        before = counts(engine)
        loaded = _answer(_load(client, deps, token))["import-loaded"]["data"]
        assert loaded["ok"] is True
        after = counts(engine)
        assert after["observation"] == before["observation"] + 2  # a new revision of each value
        assert after["import_batch"] == before["import_batch"] + 1 and after["account"] == before["account"]
        assert [current_value(engine, geo, "2026-Q4") for geo in ("TJ-GB-01", "TJ-GB-02")] == values
        with engine.connect() as connection:
            loaded_by = connection.execute(
                text("SELECT loaded_by FROM import_batch WHERE id = :id"), {"id": loaded["batch_id"]}
            ).scalar_one()
        assert loaded_by == PEOPLE[key].username
        return
    token = _checked_token(app, deps)  # a clean dry run, by staff of the theme
    before = counts(engine)
    answer = _load(client, deps, token)
    if key == "staff_other":  # may load, but not another account's upload (nor a file of another theme)
        assert answer.status_code == 200
        assert _answer(answer)["import-loaded"]["data"]["ok"] is False
    else:
        assert answer.status_code == refusal(key)
    assert counts(engine) == before


# ---------------------------------------------------------------------------------- roll back


def _cli_batch(engine, tmp_path) -> tuple[int, float | None]:
    """A batch loaded as the command line loads it, on keys of its own; (its id, the value before)."""
    geos, period = ("TJ-GB-03",), "2026-Q3"
    previous = current_value(engine, geos[0], period)
    content, _values = coverage_file(geos, period)
    path = tmp_path / f"rollback_{next(_SERIAL)}.csv"
    path.write_bytes(content)
    report = load_file(engine, path, kind="observations", loaded_by="matrix-cli")
    assert report.ok and report.batch_id, report.summary()
    return report.batch_id, previous


def _roll_back(client, deps: Dependencies, batch_id: int, csrf: bool | str = True):
    values = {"rollback-confirm.n_clicks": 1, "rollback-pending.data": batch_id, "page-url.search": "?lang=en"}
    return call(client, deps.body("..rollback-message.children", values), csrf=csrf)


@pytest.mark.parametrize("key", ROWS)
def test_roll_back_is_for_admins_only(public, engine, tmp_path, key):
    app, deps = public
    batch_id, previous = _cli_batch(engine, tmp_path)
    loaded_value = current_value(engine, "TJ-GB-03", "2026-Q3")
    client = client_as(app, key)
    before = counts(engine)
    response = _roll_back(client, deps, batch_id)
    after = counts(engine)
    if key in MAY_ROLL_BACK:
        assert "rolled back" in json.dumps(_answer(response)["rollback-message"]["children"])
        assert batch_status(engine, batch_id) == "rolled back"
        assert after["observation"] == before["observation"]  # nothing deleted
        assert after["import_batch"] == before["import_batch"] + 1  # the roll-back is an audit entry itself
        assert current_value(engine, "TJ-GB-03", "2026-Q3") == previous
    else:
        assert response.status_code == refusal(key)
        assert after == before
        assert batch_status(engine, batch_id) == "loaded"
        assert current_value(engine, "TJ-GB-03", "2026-Q3") == loaded_value
        _roll_back(client_as(app, "admin"), deps, batch_id)  # leave the keys as they were


# ------------------------------------------------------------------------------- manage users


def _add_account(client, deps: Dependencies, username: str, csrf: bool | str = True):
    values = {
        "accounts-add.n_clicks": 1,
        "accounts-new-name.value": username,
        "accounts-new-role.value": "staff",
        "accounts-new-themes.value": ["park"],
        "accounts-new-password.value": "a-new-password-77",
        "accounts-new-repeat.value": "a-new-password-77",
        "accounts-lang.data": "en",
    }
    return call(client, deps.body("..accounts-table.children...accounts-alert.children...", values), csrf=csrf)


def _account_role(engine, username: str) -> str | None:
    with engine.connect() as connection:
        sql = text("SELECT role FROM account WHERE username = :name")
        return connection.execute(sql, {"name": username}).scalar()


@pytest.mark.parametrize("key", ROWS)
def test_manage_users_is_for_admins_only(public, engine, key):
    app, deps = public
    client = client_as(app, key)
    username = f"new.{key.replace('_', '-')}"
    page = client.get("/admin/accounts?lang=en")
    before = counts(engine)
    response = _add_account(client, deps, username)
    after = counts(engine)
    if key in MAY_MANAGE_USERS:
        assert page.status_code == 200
        assert "added" in json.dumps(_answer(response)["accounts-alert"]["children"])
        assert after == {**before, "account": before["account"] + 1}
        assert _account_role(engine, username) == "staff"
    else:
        assert page.status_code == response.status_code == refusal(key)
        assert after == before and _account_role(engine, username) is None


# ------------------------------------------------------------------------ every restricted callback


def _restricted(app) -> dict[str, str]:
    """Output key -> permission of every callback marked with ``requires`` beyond view."""
    marked = {}
    for output, entry in app.callback_map.items():
        permission = getattr(entry.get("callback"), "required_permission", VIEW)
        if permission != VIEW:
            marked[output] = permission
    return marked


def test_the_matrix_covers_every_kind_of_restricted_callback(public):
    app, _deps = public
    assert set(_restricted(app).values()) == {UPLOAD, LOAD, ROLLBACK, MANAGE_USERS}


@pytest.mark.parametrize("key", [ANONYMOUS, "viewer", "partner"])
def test_every_restricted_callback_refuses_those_without_the_role(public, engine, key):
    """Each callback marked UPLOAD, LOAD, ROLLBACK or MANAGE_USERS, called with empty values by
    someone whose role does not have it: refused before it runs, nothing written."""
    app, deps = public
    client = client_as(app, key)
    before = counts(engine)
    restricted = _restricted(app)
    assert len(restricted) >= 8
    for output in restricted:
        spec = next(c for c in deps.callbacks if c["output"] == output)
        response = call(client, deps.body(output, {}, background=bool(spec.get("background"))))
        assert response.status_code == refusal(key), output
    assert counts(engine) == before


# ------------------------------------------------------------------------------------- CSRF


def test_write_callbacks_without_the_csrf_header_get_400_even_for_an_admin(public, engine, tmp_path):
    app, deps = public
    admin = client_as(app, "admin")
    batch_id, _previous = _cli_batch(engine, tmp_path)
    token = _checked_token(app, deps, "admin")
    content, _values = coverage_file()
    before = counts(engine)
    attempts = {
        "stage an upload": lambda csrf: _stage(admin, deps, content, csrf=csrf),
        "check an upload": lambda csrf: _check(admin, deps, token, csrf=csrf),
        "load": lambda csrf: _load(admin, deps, token, csrf=csrf),
        "roll back": lambda csrf: _roll_back(admin, deps, batch_id, csrf=csrf),
        "add an account": lambda csrf: _add_account(admin, deps, "never.added", csrf=csrf),
    }
    for name, attempt in attempts.items():
        assert attempt(False).status_code == 400, name
        assert attempt("forged-token").status_code == 400, name
    assert counts(engine) == before
    assert batch_status(engine, batch_id) == "loaded" and _account_role(engine, "never.added") is None
    # the same calls with the renderer's header work
    assert _answer(_load(admin, deps, token))["import-loaded"]["data"]["ok"] is True
    assert "added" in json.dumps(_answer(_add_account(admin, deps, "csrf.added"))["accounts-alert"]["children"])
    after = counts(engine)
    assert after["observation"] == before["observation"] + 2 and after["account"] == before["account"] + 1
