"""/admin/accounts over HTTP, as the browser calls it: the page and every callback that changes an
account are the admin's alone (401 anonymous, 403 other roles, 400 without the CSRF header, and
nothing written); an admin adds, disables, enables, re-roles and re-passwords accounts, the table
is read again after each change, passwords never come back, and an admin cannot lock themself out.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts import store
from accounts.store import AccountError
from components import accounts_table as v
from data_loaders import models as m
from data_loaders.db import make_engine
from data_loaders.schema import upgrade_database
from i18n import translator
from tests.conftest import _database_url
from tests.unit.access_clients import (
    ANONYMOUS,
    PEOPLE,
    Dependencies,
    add_people,
    call,
    client_as,
    counts,
    make_app,
    post_login,
)

ADMIN = PEOPLE["admin"]
NEW_PASSWORD = "Varzob-river-2026"


@pytest.fixture(scope="module")
def engine(backend, tmp_path_factory):
    """A schema with one account of each role and no data: the page needs nothing else."""
    engine = make_engine(_database_url(backend, tmp_path_factory.mktemp("admin_accounts"), "t_admin_accounts"))
    upgrade_database(engine)
    add_people(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def site(engine):
    app = make_app(engine.url.render_as_string(hide_password=False))
    return app, Dependencies(app)


@pytest.fixture
def admin(site):
    return client_as(site[0], "admin")


@pytest.fixture(autouse=True)
def _only_the_people(engine):
    """Each test starts with the five accounts as created, and leaves no other behind."""
    yield
    with Session(engine) as session, session.begin():
        for account in store.all_accounts(session):
            if account.username not in {p.username for p in PEOPLE.values()}:
                session.delete(account)
    for person in PEOPLE.values():
        with Session(engine) as session, session.begin():
            store.set_disabled(session, person.username, False)
            store.set_role(session, person.username, person.role, list(person.themes))
            store.set_password(session, person.username, person.password)


def _account(engine, name: str) -> m.Account | None:
    with Session(engine) as session:
        account = store.get(session, name)
        if account is not None:
            session.expunge(account)
        return account


def _outputs(response) -> dict:
    assert response.status_code == 200, (response.status_code, response.get_data(as_text=True)[:300])
    return response.get_json()["response"]


def _text(component) -> str:
    """Every string inside a component tree as Dash serialises it, joined by spaces."""
    if isinstance(component, str):
        return component
    if isinstance(component, list):
        return " ".join(_text(c) for c in component)
    if isinstance(component, dict) and "props" in component:
        return _text(component["props"].get("children") or [])
    return ""


def _add_body(deps, name, role="staff", themes=("park",), password=NEW_PASSWORD, repeat=None, lang="en") -> dict:
    return deps.body(
        "..accounts-table.children...accounts-alert.children...accounts-new-password",
        {
            f"{v.ADD}.n_clicks": 1,
            f"{v.NEW_NAME}.value": name,
            f"{v.NEW_ROLE}.value": role,
            f"{v.NEW_THEMES}.value": list(themes),
            f"{v.NEW_PASSWORD}.value": password,
            f"{v.NEW_REPEAT}.value": password if repeat is None else repeat,
            f"{v.LANG}.data": lang,
        },
    )


def _row_body(deps, kind: str, name: str, names=None, lang="en") -> dict:
    """A press of the row button ``kind`` (v.TOGGLE or v.EDIT) of ``name``, the table holding ``names``."""
    (spec,) = [c for c in deps.callbacks if any(kind in i["id"] and "ALL" in i["id"] for i in c["inputs"])]
    buttons = [
        {"id": {"name": other, "type": kind}, "property": "n_clicks", "value": 1 if other == name else None}
        for other in (names or [p.username for p in PEOPLE.values()])
    ]
    changed = json.dumps({"name": name, "type": kind}, separators=(",", ":"), sort_keys=True)
    outputs = [
        {
            "id": json.loads(o) if o.startswith("{") else o.rsplit(".", 1)[0],
            "property": o.rsplit(".", 1)[1].split("@")[0],
        }
        for o in (spec["output"][2:-2].split("...") if spec["output"].startswith("..") else [spec["output"]])
    ]
    return {
        "output": spec["output"],
        "outputs": outputs,
        "inputs": [buttons],
        "state": [{**s, "value": lang} for s in spec["state"]],
        "changedPropIds": [f"{changed}.n_clicks"],
    }


def _editor_body(deps, button: str, values: dict, lang="en") -> dict:
    """A press of a button of the editor (save the role, set the password)."""
    spec = next(c for c in deps.callbacks if any(i["id"] == button for i in c["inputs"]))
    prefix = spec["output"]
    return deps.body(prefix, {f"{button}.n_clicks": 1, f"{v.LANG}.data": lang, **values})


def _save_role(deps, name, role, themes=()) -> dict:
    return _editor_body(
        deps,
        v.SAVE_ROLE,
        {f"{v.EDITING}.data": name, f"{v.EDIT_ROLE}.value": role, f"{v.EDIT_THEMES}.value": list(themes)},
    )


def _set_password(deps, name, password, repeat=None) -> dict:
    values = {
        f"{v.EDITING}.data": name,
        f"{v.EDIT_PASSWORD}.value": password,
        f"{v.EDIT_REPEAT}.value": password if repeat is None else repeat,
    }
    return _editor_body(deps, v.SET_PASSWORD, values)


def _page_body(deps, lang="en") -> dict:
    """The router's render of /admin/accounts (in-app navigation: no page request reaches the guard)."""
    return deps.body(
        ".._pages_content.children",
        {"_pages_location.pathname": "/admin/accounts", "_pages_location.search": f"?lang={lang}"},
    )


# ------------------------------------------------------------------------------------ the page


@pytest.mark.parametrize(("key", "status"), [(ANONYMOUS, 401), ("viewer", 403), ("partner", 403), ("staff", 403)])
def test_only_an_admin_may_open_the_page(site, key, status):
    app, _deps = site
    assert client_as(app, key).get("/admin/accounts?lang=en").status_code == status
    assert client_as(app, "admin").get("/admin/accounts?lang=en").status_code == 200


@pytest.mark.parametrize("key", [ANONYMOUS, "viewer", "staff"])
def test_the_layout_itself_refuses_others_when_reached_through_the_router(site, key):
    app, deps = site
    page = json.dumps(_outputs(call(client_as(app, key), _page_body(deps))))
    assert v.REFUSED in page and v.TABLE not in page and "adam.admin" not in page
    assert ("Sign in as an administrator" in page) == (key == ANONYMOUS)


def test_the_admin_sees_every_account_with_its_role_themes_and_state(site, engine, admin):
    _app, deps = site
    for _ in range(store.LOCKOUT_FAILURES):
        with Session(engine) as session, session.begin():
            store.authenticate(session, PEOPLE["viewer"].username, "wrong-password")
    with Session(engine) as session, session.begin():
        store.set_disabled(session, PEOPLE["partner"].username)
    page = _outputs(call(admin, _page_body(deps)))
    rows = {}
    tables = [page]
    while tables:
        node = tables.pop()
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("className") == "account-row":
                rows[props["data-name"]] = _text(props["children"]).lower()
            tables.extend(node.values())
        elif isinstance(node, list):
            tables.extend(node)
    assert set(rows) == {p.username for p in PEOPLE.values()}
    assert rows["sara.connect"].startswith("sara.connect staff connectivity active")
    assert rows["otto.park"].startswith("otto.park staff it park active")
    assert rows["vera.viewer"].startswith("vera.viewer viewer — locked until ")
    assert rows["paul.partner"].startswith("paul.partner partner — disabled")
    assert "utc" in rows["adam.admin"]  # signed in: the last sign-in is shown
    assert "scrypt" not in json.dumps(page)


# ------------------------------------------------------------------------------- adding accounts


def test_admin_adds_a_staff_account_that_then_signs_in(site, engine, admin):
    app, deps = site
    answer = _outputs(call(admin, _add_body(deps, "malika.park", themes=("park", "connectivity"))))
    assert answer[v.NEW_PASSWORD]["value"] == "" and answer[v.NEW_REPEAT]["value"] == ""  # cleared
    assert answer[v.NEW_NAME]["value"] == "" and answer[v.NEW_THEMES]["value"] == []  # ready for the next one
    assert "Account malika.park added with the role Staff." in _text(answer[v.ALERT]["children"])
    assert "malika.park" in json.dumps(answer[v.TABLE]["children"])  # the table read again
    assert NEW_PASSWORD not in json.dumps(answer)
    account = _account(engine, "malika.park")
    assert (account.role, account.themes, account.disabled) == ("staff", ["connectivity", "park"], False)
    assert NEW_PASSWORD not in account.password_hash
    client = app.server.test_client()
    assert post_login(client, "malika.park", NEW_PASSWORD).status_code == 303


def test_themes_of_a_non_staff_role_are_dropped_not_refused(site, engine, admin):
    """The checklist is hidden for other roles but may still hold ticks from before."""
    _app, deps = site
    _outputs(call(admin, _add_body(deps, "zarina.partner", role="partner", themes=("park",))))
    account = _account(engine, "zarina.partner")
    assert (account.role, account.themes) == ("partner", [])


@pytest.mark.parametrize(
    ("name", "password", "repeat", "reason"),
    [
        ("malika", "short", None, "The password needs at least 10 characters"),
        ("malika", NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords differ."),
        ("sara.connect", NEW_PASSWORD, None, 'An account named "sara.connect" exists already'),
        ("has space", NEW_PASSWORD, None, "A user name is 2-64 letters"),
        ("", NEW_PASSWORD, None, "A user name is 2-64 letters"),
    ],
)
def test_a_refused_account_says_why_and_writes_nothing(site, engine, admin, name, password, repeat, reason):
    _app, deps = site
    before = counts(engine)
    answer = _outputs(call(admin, _add_body(deps, name, password=password, repeat=repeat)))
    assert reason in _text(answer[v.ALERT]["children"])
    assert answer[v.NEW_PASSWORD]["value"] == "" and answer[v.NEW_REPEAT]["value"] == ""  # cleared even so
    assert v.NEW_NAME not in answer and v.NEW_THEMES not in answer  # they stay for a correction
    assert counts(engine) == before


def test_a_refusal_is_said_in_the_ui_language(site, admin):
    _app, deps = site
    answer = _outputs(call(admin, _add_body(deps, "malika", password="short", lang="ru")))
    said = _text(answer[v.ALERT]["children"])
    expected = translator("ru")("the password needs at least {count} characters").format(count=10)
    assert said == expected[:1].upper() + expected[1:]
    error = AccountError("the password needs at least {count} characters", count=10)
    assert v.error_text(error, "ru") == said


# ------------------------------------------------------------------------- nobody else may write


def _every_write(deps) -> dict:
    return {
        "add": _add_body(deps, "intruder"),
        "disable": _row_body(deps, v.TOGGLE, "sara.connect"),
        "role": _save_role(deps, "sara.connect", "admin"),
        "password": _set_password(deps, "adam.admin", NEW_PASSWORD),
        "open": _row_body(deps, v.EDIT, "sara.connect"),
    }


@pytest.mark.parametrize("action", ["add", "disable", "role", "password", "open"])
@pytest.mark.parametrize(("key", "status"), [(ANONYMOUS, 401), ("viewer", 403), ("partner", 403), ("staff", 403)])
def test_no_other_role_may_change_or_read_accounts(site, engine, key, status, action):
    app, deps = site
    before = counts(engine)
    response = call(client_as(app, key), _every_write(deps)[action])
    assert response.status_code == status
    assert "sara.connect" not in response.get_data(as_text=True)
    assert counts(engine) == before
    assert _account(engine, "intruder") is None
    assert not _account(engine, "sara.connect").disabled and _account(engine, "sara.connect").role == "staff"
    assert post_login(app.server.test_client(), ADMIN.username, ADMIN.password).status_code == 303


@pytest.mark.parametrize("action", ["add", "disable", "role", "password"])
def test_an_admin_write_without_the_csrf_header_is_refused(site, engine, admin, action):
    _app, deps = site
    before = counts(engine)
    response = call(admin, _every_write(deps)[action], csrf=False)
    assert response.status_code == 400
    assert counts(engine) == before
    assert not _account(engine, "sara.connect").disabled and _account(engine, "sara.connect").role == "staff"


# ----------------------------------------------------------------------------------- row actions


def test_admin_disables_and_enables_an_account(site, engine, admin):
    app, deps = site
    staff = PEOPLE["staff"]
    answer = _outputs(call(admin, _row_body(deps, v.TOGGLE, staff.username)))
    assert f"Account {staff.username} disabled." in _text(answer[v.ALERT]["children"])
    assert _account(engine, staff.username).disabled
    assert post_login(app.server.test_client(), staff.username, staff.password).status_code == 401
    table = json.dumps(answer[v.TABLE]["children"])
    assert '"Enable"' in table  # the table read again: the row now offers to enable
    _outputs(call(admin, _row_body(deps, v.TOGGLE, staff.username)))
    assert not _account(engine, staff.username).disabled
    assert post_login(app.server.test_client(), staff.username, staff.password).status_code == 303


def test_a_button_drawn_anew_is_no_press(site, engine, admin):
    """A table redraw mounts new buttons (n_clicks None); that must not toggle anything."""
    _app, deps = site
    body = _row_body(deps, v.TOGGLE, "sara.connect")
    body["inputs"][0] = [{**b, "value": None} for b in body["inputs"][0]]
    assert call(admin, body).status_code == 204
    assert not _account(engine, "sara.connect").disabled


def test_an_admin_cannot_disable_or_demote_themself(site, engine, admin):
    _app, deps = site
    answer = _outputs(call(admin, _row_body(deps, v.TOGGLE, ADMIN.username)))
    assert "You cannot disable your own account" in _text(answer[v.ALERT]["children"])
    answer = _outputs(call(admin, _save_role(deps, ADMIN.username, "staff", ["park"])))
    assert "You cannot disable your own account" in _text(answer[v.ALERT]["children"])
    account = _account(engine, ADMIN.username)
    assert (account.role, account.disabled) == ("admin", False)


def test_the_editor_opens_with_the_account_s_role_and_themes(site, admin):
    _app, deps = site
    answer = _outputs(call(admin, _row_body(deps, v.EDIT, "otto.park")))
    assert answer[v.EDITING]["data"] == "otto.park"
    assert answer[v.EDIT_ROLE] == {"value": "staff", "disabled": False}
    assert answer[v.EDIT_THEMES]["value"] == ["park"]
    assert v.HIDDEN not in answer[v.EDITOR]["className"]
    own = _outputs(call(admin, _row_body(deps, v.EDIT, ADMIN.username)))
    assert own[v.EDIT_ROLE]["disabled"] is True and own[v.SAVE_ROLE]["disabled"] is True


def test_admin_changes_a_role_and_its_themes(site, engine, admin):
    _app, deps = site
    answer = _outputs(call(admin, _save_role(deps, "vera.viewer", "staff", ["it_sector", "park"])))
    assert "Account vera.viewer now has the role Staff." in _text(answer[v.ALERT]["children"])
    account = _account(engine, "vera.viewer")
    assert (account.role, account.themes) == ("staff", ["it_sector", "park"])
    _outputs(call(admin, _save_role(deps, "vera.viewer", "admin", ["park"])))  # themes dropped for an admin
    account = _account(engine, "vera.viewer")
    assert (account.role, account.themes) == ("admin", [])


def test_admin_resets_a_password_and_the_fields_are_cleared(site, engine, admin):
    app, deps = site
    staff = PEOPLE["staff"]
    mismatch = _outputs(call(admin, _set_password(deps, staff.username, NEW_PASSWORD, NEW_PASSWORD + "x")))
    assert "The two passwords differ." in _text(mismatch[v.ALERT]["children"])
    assert mismatch[v.EDIT_PASSWORD]["value"] == "" and mismatch[v.EDIT_REPEAT]["value"] == ""
    answer = _outputs(call(admin, _set_password(deps, staff.username, NEW_PASSWORD)))
    assert f"New password set for {staff.username}." in _text(answer[v.ALERT]["children"])
    assert answer[v.EDIT_PASSWORD]["value"] == "" and NEW_PASSWORD not in json.dumps(answer)
    assert post_login(app.server.test_client(), staff.username, staff.password).status_code == 401
    assert post_login(app.server.test_client(), staff.username, NEW_PASSWORD).status_code == 303
    with Session(engine) as session:
        assert all(NEW_PASSWORD not in h for h in session.scalars(select(m.Account.password_hash)))
