"""Signing in and out at /login and /logout: the form, its CSRF token, the lock-out, disabled
accounts, where the form may send people afterwards, the session cookie's flags, the /login rate
limit and the account corner of the navbar. The app runs with PUBLIC_READ=0, so whether a client
is signed in shows in whether it may open a page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from accounts import store
from accounts.roles import ROLE_NAMES
from i18n import translator
from tests.unit.access_clients import PEOPLE, Dependencies, add_people, make_app, post_login, seeded_copy

STAFF = PEOPLE["staff"]
PAGE = "/connectivity"


@pytest.fixture(scope="module")
def site(backend, seeded_engine, tmp_path_factory):
    url = seeded_copy(backend, seeded_engine, tmp_path_factory.mktemp("login"), "t_login")
    from data_loaders.db import make_engine

    engine = make_engine(url)
    add_people(engine)
    app = make_app(url, public_read=False)
    yield app, engine
    engine.dispose()


def _account(engine, username: str, password: str, role: str = "viewer") -> None:
    with Session(engine) as session, session.begin():
        store.add(session, username, password, role)


def _signed_in(client) -> bool:
    status = client.get(PAGE).status_code
    assert status in (200, 401), status
    return status == 200


def _session_cookie(response) -> str:
    (cookie,) = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    return cookie


def test_sign_in_then_out(site):
    app, _engine = site
    client = app.server.test_client()
    assert not _signed_in(client)
    response = post_login(client, STAFF.username, STAFF.password, next_path=PAGE + "?lang=ru")
    assert response.status_code == 303
    assert response.headers["Location"] == PAGE + "?lang=ru"  # a local next is kept, query and all
    assert _signed_in(client)
    token = client.get_cookie("_csrf_token").value
    assert client.post("/logout").status_code == 400  # no CSRF token: a foreign page cannot sign you out
    assert _signed_in(client)
    response = client.post("/logout", data={"csrf_token": token, "lang": "en"})
    assert response.status_code == 303 and response.headers["Location"] == "/?lang=en"
    assert not _signed_in(client)


def test_the_sign_in_form_needs_its_csrf_token(site):
    app, _engine = site
    client = app.server.test_client()
    assert post_login(client, STAFF.username, STAFF.password, token="").status_code == 400
    assert post_login(client, STAFF.username, STAFF.password, token="forged.token").status_code == 400
    assert not _signed_in(client)


def test_signing_in_starts_a_new_session(site):
    """No session fixation: the session (and its CSRF token) of before the sign-in is not kept."""
    app, _engine = site
    client = app.server.test_client()
    client.get("/login")
    before = client.get_cookie("_csrf_token").value
    post_login(client, STAFF.username, STAFF.password)
    assert client.get_cookie("_csrf_token").value != before


def test_wrong_password_or_name_is_401_and_signs_nobody_in(site):
    app, _engine = site
    client = app.server.test_client()
    for username, password in ((STAFF.username, "not-the-password"), ("nobody.here", STAFF.password), ("", "")):
        response = post_login(client, username, password)
        assert response.status_code == 401
        assert "Wrong user name or password" in response.get_data(as_text=True)
        assert not _signed_in(client)


def test_five_failures_lock_the_account_even_for_the_right_password(site):
    app, engine = site
    _account(engine, "lock.me", "right-password-1")
    client = app.server.test_client()
    for _ in range(store.LOCKOUT_FAILURES - 1):
        assert post_login(client, "lock.me", "wrong-password-1").status_code == 401
    with Session(engine) as session:
        assert not store.is_locked(session, "lock.me")
    assert post_login(client, "lock.me", "wrong-password-1").status_code == 401
    with Session(engine) as session:
        assert store.is_locked(session, "lock.me")
    response = post_login(client, "lock.me", "right-password-1")
    assert response.status_code == 401  # the same answer as a wrong password: no hint it is locked
    assert not _signed_in(client)
    with Session(engine) as session, session.begin():
        store.set_password(session, "lock.me", "new-password-12")  # an admin's reset opens it again
    assert post_login(client, "lock.me", "new-password-12").status_code == 303


def test_a_right_password_resets_the_failure_count(site):
    app, engine = site
    _account(engine, "forgetful", "right-password-2")
    client = app.server.test_client()
    for _ in range(store.LOCKOUT_FAILURES - 1):
        post_login(client, "forgetful", "wrong-password-2")
    assert post_login(client, "forgetful", "right-password-2").status_code == 303
    client.post("/logout", data={"csrf_token": client.get_cookie("_csrf_token").value})
    post_login(client, "forgetful", "wrong-password-2")
    assert post_login(client, "forgetful", "right-password-2").status_code == 303


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(site):
    app, engine = site
    _account(engine, "leaver", "leaver-password-3")
    client = app.server.test_client()
    assert post_login(client, "leaver", "leaver-password-3").status_code == 303
    assert _signed_in(client)
    with Session(engine) as session, session.begin():
        store.set_disabled(session, "leaver")
    assert not _signed_in(client)  # the open session stops working at the next request
    assert post_login(client, "leaver", "leaver-password-3").status_code == 401
    with Session(engine) as session, session.begin():
        store.set_disabled(session, "leaver", False)
    assert not _signed_in(client)  # enabled again, the old session does not come back
    assert post_login(client, "leaver", "leaver-password-3").status_code == 303
    assert _signed_in(client)


def test_a_new_password_ends_the_sessions_opened_before(site):
    app, engine = site
    _account(engine, "mover", "mover-password-3")
    elsewhere, here = app.server.test_client(), app.server.test_client()
    assert post_login(elsewhere, "mover", "mover-password-3").status_code == 303
    assert _signed_in(elsewhere)
    with Session(engine) as session, session.begin():
        store.set_password(session, "mover", "mover-password-4")
    assert not _signed_in(elsewhere)  # a session of the old password stops at its next request
    assert post_login(here, "mover", "mover-password-4").status_code == 303
    assert _signed_in(here)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/connectivity",
        "https://evil.example",
        "http://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
    ],
)
def test_next_never_leaves_the_site(site, target):
    app, _engine = site
    client = app.server.test_client()
    response = post_login(client, STAFF.username, STAFF.password, next_path=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_a_page_asked_for_while_signed_out_is_where_the_form_returns(site):
    app, _engine = site
    client = app.server.test_client()
    page = client.get(PAGE + "?lang=en")
    assert page.status_code == 401 and 'name="next" value="/connectivity?lang=en"' in page.get_data(as_text=True)


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(site):
    app, _engine = site
    plain = post_login(app.server.test_client(), STAFF.username, STAFF.password)
    cookie = _session_cookie(plain)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie

    client = app.server.test_client()
    https = "https://localhost"
    page = client.get("/login", base_url=https)
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    form = {"username": STAFF.username, "password": STAFF.password, "next": "/", "csrf_token": token}
    foreign = client.post("/login", data=form, base_url=https, headers={"Referer": "https://evil.example/"})
    assert foreign.status_code == 400  # over HTTPS the form must come from this site's own page
    secure = client.post("/login", data=form, base_url=https, headers={"Referer": https + "/login"})
    assert secure.status_code == 303
    cookie = _session_cookie(secure)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    csrf_cookie = [h for h in secure.headers.getlist("Set-Cookie") if h.startswith("_csrf_token=")]
    assert csrf_cookie and all("Secure" in h and "SameSite=Lax" in h for h in csrf_cookie)


def test_login_attempts_are_rate_limited_per_client(seeded_sqlite_url):
    app = make_app(seeded_sqlite_url, login_rate_limit="3/minute")
    client = app.server.test_client()
    address = "10.0.0.7"
    for _ in range(3):
        assert post_login(client, "nobody.here", "wrong-password-4", address=address).status_code == 401
    assert post_login(client, "nobody.here", "wrong-password-4", address=address).status_code == 429
    assert post_login(client, STAFF.username, STAFF.password, address=address).status_code == 429
    assert client.get("/login", environ_base={"REMOTE_ADDR": address}).status_code == 200  # the form still shows
    assert post_login(client, "nobody.here", "wrong-password-4", address="10.0.0.8").status_code == 401


def _role(role: str, lang: str) -> str:
    t = translator(lang)
    return t(ROLE_NAMES[role])


def _frame_account_corner(app, client, lang: str = "en") -> str:
    body = Dependencies(app).body("..navbar-links.", {"url.pathname": "/", "url.search": f"?lang={lang}"})
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return str(response.get_json()["response"]["navbar-account"]["children"])


def test_the_navbar_shows_name_and_role_once_signed_in(site):
    app, _engine = site
    client = app.server.test_client()
    post_login(client, STAFF.username, STAFF.password)
    corner = _frame_account_corner(app, client)
    assert f"{STAFF.username} · {_role('staff', 'en')}" in corner and "/logout" in corner and "Sign out" in corner
    assert "Sign in" not in corner and "csrf_token" in corner
    admin = app.server.test_client()
    post_login(admin, PEOPLE["admin"].username, PEOPLE["admin"].password)
    assert f"{PEOPLE['admin'].username} · {_role('admin', 'en')}" in _frame_account_corner(app, admin)
    russian = _frame_account_corner(app, admin, "ru")
    assert f"{PEOPLE['admin'].username} · {_role('admin', 'ru')}" in russian and _role("admin", "ru") != "admin"


def test_the_navbar_offers_sign_in_to_anonymous_visitors(seeded_sqlite_url):
    app = make_app(seeded_sqlite_url)  # public: the frame answers anonymous visitors
    corner = _frame_account_corner(app, app.server.test_client())
    assert "Sign in" in corner and "/login?next=" in corner and "/logout" not in corner
