"""Sign-in, sign-out, and the server-side check of every request against ``accounts.roles``.

One ``before_request`` guard decides every request, so no route or callback can forget it:

* a Dash callback (``POST /_dash-update-component``) needs the permission its function was marked
  with by :func:`requires` (``view`` if unmarked); a write also needs the CSRF token, which Dash's
  renderer sends by itself: it copies the ``_csrf_token`` cookie into an ``X-CSRFToken`` header;
* ``/api/...`` needs ``download``; a page registered with ``permission=...`` needs that; everything
  else (pages, layout, the report) needs ``view``. With ``PUBLIC_READ`` on, ``view`` and
  ``download`` are everyone's.

A refusal is 401 for someone not signed in (a page answers with the sign-in form, so the browser
shows it at the URL asked for) and 403 for an account whose role does not allow it; nothing runs.
Assets, ``/health`` and the sign-in routes stay open.

Why a hand-written form and not Dash for ``/login``: it must work with ``PUBLIC_READ=0`` before
any Dash route is allowed, and a plain form with a CSRF field is what password managers expect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

import dash
from dash import Dash
from flask import Flask, Response, abort, current_app, has_request_context, redirect, render_template_string, request
from flask import session as flask_session
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf, validate_csrf
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from wtforms import ValidationError

from accounts import store
from accounts.roles import DOWNLOAD, ROLE_NAMES, UPLOAD, VIEW, WRITES, allowed
from data_loaders import cached
from i18n import N_, normalise, translator

log = logging.getLogger("dashboard")
__all__ = ["can", "csrf_token", "current_account", "init_app", "requires"]

LOGIN_PATH, LOGOUT_PATH = "/login", "/logout"
UPDATE_PATH = "/_dash-update-component"
OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico", "/health", "/static/")
CSRF_COOKIE = "_csrf_token"  # the cookie Dash's renderer reads (Dash(csrf_token_name=...) default)
CSRF_CHECKED = WRITES | {UPLOAD}  # a staged upload writes a file on the server
FAILED = N_("Wrong user name or password, or the account is locked after too many attempts. Try again later.")

csrf = CSRFProtect()
login_manager = LoginManager()


class _Account(UserMixin):
    """What Flask-Login keeps for a request: the account without its password hash."""

    def __init__(self, signed_in: store.SignedIn) -> None:
        self.signed_in = signed_in

    def get_id(self) -> str:
        return f"{self.signed_in.id}:{self.signed_in.stamp}"


@login_manager.user_loader
def _load_account(session_id: str) -> _Account | None:
    account_id, _, stamp = session_id.partition(":")
    try:
        with Session(cached.engine()) as session:
            found = store.find_active(session, int(account_id), stamp)
    except (SQLAlchemyError, cached.DatabaseUnavailable, ValueError) as exc:
        log.error("account lookup failed: %s", exc.__class__.__name__)
        return None
    if found is None:  # disabled, gone or a new password: the session ends for good
        flask_session.clear()
        return None
    return _Account(found)


def current_account() -> store.SignedIn | None:
    """The signed-in account of this request, or None (anonymous, or outside a request)."""
    if not has_request_context():
        return None
    user = current_user
    return user.signed_in if user is not None and user.is_authenticated else None


def can(permission: str) -> bool:
    """May this request's account (or the anonymous visitor) do ``permission``?"""
    account = current_account()
    return allowed(account.role if account else None, permission, current_app.config["PUBLIC_READ"])


def requires(permission: str) -> Callable:
    """Mark a callback function with the permission the guard demands before it runs.

    Place it between ``@callback(...)`` and ``def``: Dash wraps the function with ``functools.wraps``,
    which keeps the mark where the guard finds it."""

    def mark(function: Callable) -> Callable:
        function.required_permission = permission
        return function

    return mark


def csrf_token() -> str:
    """This session's CSRF token, for a hidden form field."""
    return generate_csrf()


def _callback_permission(app: Dash, body: dict) -> str:
    output = body.get("output") if isinstance(body, dict) else None
    entry = app.callback_map.get(output) if isinstance(output, str) else None
    function = entry.get("callback") if entry else None
    return getattr(function, "required_permission", VIEW)


def _page_permission(path: str) -> str:
    for page in dash.page_registry.values():
        if page.get("path") == path:
            return page.get("permission", VIEW)
    return VIEW


def safe_next(target: str | None) -> str:
    """A same-site path to return to after signing in; anything else (another host, a scheme,
    ``//host``, a backslash) becomes ``/``, so the form cannot be used to send people elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _lang() -> str:
    return normalise(request.values.get("lang"), default=current_app.config.get("DEFAULT_LANGUAGE"))


LOGIN_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title><link rel="stylesheet" href="/assets/00_bootstrap.min.css"></head>
<body class="bg-light"><main class="container py-5" style="max-width: 26rem">
<p class="h5 mb-1"><a class="text-decoration-none" href="/?lang={{ lang }}">{{ brand }}</a></p>
<h1 class="h3 mb-3">{{ title }}</h1>
{% if message %}<div class="alert alert-{{ tone }}" role="alert">{{ message }}</div>{% endif %}
{% if account %}
<p>{{ signed_in_as }}</p><p><a href="/?lang={{ lang }}">{{ home }}</a></p>
{% else %}
<form method="post" action="/login" class="card card-body">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="next" value="{{ next }}">
<input type="hidden" name="lang" value="{{ lang }}">
<label class="form-label" for="username">{{ username_label }}</label>
<input class="form-control mb-3" id="username" name="username" autocomplete="username" required autofocus>
<label class="form-label" for="password">{{ password_label }}</label>
<input class="form-control mb-3" id="password" name="password" type="password" autocomplete="current-password"
 required>
<button class="btn btn-primary" type="submit" id="login-submit">{{ submit }}</button>
</form>
{% endif %}
</main></body></html>"""


def _page(status: int, message: str = "", tone: str = "danger") -> Response:
    lang = _lang()
    t = translator(lang)
    account = current_account()
    next_path = safe_next(request.values.get("next") or (request.full_path if request.path != LOGIN_PATH else "/"))
    html = render_template_string(
        LOGIN_PAGE,
        lang=lang,
        title=t("Sign in") if account is None else t("Access refused"),
        brand=t("Digital Tajikistan · KPI dashboard"),
        message=message,
        tone=tone,
        account=account,
        signed_in_as=(
            t("You are signed in as {name} ({role}).").format(name=account.username, role=t(ROLE_NAMES[account.role]))
            if account
            else ""
        ),
        home=t("Back to the dashboard"),
        csrf=csrf_token(),
        next=next_path,
        username_label=t("User name"),
        password_label=t("Password"),
        submit=t("Sign in"),
    )
    return Response(html, status=status, mimetype="text/html")


def _refused(page: bool) -> Response:
    """401 (not signed in) or 403 (not allowed); a page shows the sign-in form or says why."""
    account = current_account()
    t = translator(_lang())
    if not page:
        abort(401 if account is None else 403)
    if account is None:
        return _page(401, t("Please sign in to continue."), tone="info")
    return _page(403, t("Your account may not open this page."))


def _guard(app: Dash) -> Callable[[], Response | None]:
    def check() -> Response | None:
        path = request.path
        if path.startswith(OPEN_PREFIXES) or path in (LOGIN_PATH, LOGOUT_PATH):
            return None
        if path == UPDATE_PATH:
            if can(UPLOAD):  # staff send files through a callback: a larger body is theirs alone
                request.max_content_length = current_app.config["UPLOAD_BODY_BYTES"]
            permission = _callback_permission(app, request.get_json(silent=True) or {})
            if not can(permission):
                return _refused(page=False)
            if permission in CSRF_CHECKED:
                csrf.protect()
            elif (request.content_length or 0) > current_app.config["MAX_CONTENT_LENGTH"]:
                abort(413)
            return None
        permission = DOWNLOAD if path.startswith("/api/") else _page_permission(path)
        if not can(permission):
            return _refused(page=request.method == "GET" and not path.startswith("/api/"))
        return None

    return check


def _login() -> Response:
    t = translator(_lang())
    if request.method == "GET":
        return _page(200)
    csrf.protect()
    username, password = request.form.get("username", "").strip(), request.form.get("password", "")
    try:
        with Session(cached.engine()) as session, session.begin():
            found = store.authenticate(session, username, password)
    except (SQLAlchemyError, cached.DatabaseUnavailable) as exc:
        log.error("sign-in failed: %s", exc.__class__.__name__)
        return _page(503, t("The database is not reachable. Please try again later."))
    if found is None:
        log.warning("failed sign-in for %r from %s", username[:64], request.remote_addr)
        return _page(401, t(FAILED))
    flask_session.clear()  # a new session (and CSRF token) for the signed-in account
    login_user(_Account(found))
    log.info("%s signed in", found.username)
    return redirect(safe_next(request.form.get("next")), code=303)


def _logout() -> Response:
    csrf.protect()
    logout_user()
    flask_session.clear()
    return redirect("/?lang=" + _lang(), code=303)


class _CookiesSecureOverHttps(SecureCookieSessionInterface):
    """The session cookie is ``Secure`` whenever the request came over HTTPS (behind a proxy too,
    with ``TRUSTED_PROXIES``), so plain-HTTP development still works."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure or super().get_cookie_secure(app)


def _csrf_cookie(response: Response) -> Response:
    """Give an HTML page the session's CSRF token as the cookie Dash's renderer sends back."""
    if response.mimetype != "text/html" or request.path.startswith(OPEN_PREFIXES):
        return response
    try:
        validate_csrf(request.cookies.get(CSRF_COOKIE))
    except (ValidationError, CSRFError):
        response.set_cookie(CSRF_COOKIE, generate_csrf(), samesite="Lax", secure=request.is_secure, httponly=False)
    return response


def init_app(app: Dash, config, login_rate: Callable[[Callable], Callable]) -> None:
    """Sessions, CSRF, the sign-in routes (rate limited by ``login_rate``) and the request guard."""
    server = app.server
    server.config.update(
        PUBLIC_READ=config.public_read,
        IMPORT_MAX_BYTES=config.import_max_bytes,
        UPLOADS_DIR=config.uploads_dir,
        UPLOAD_BODY_BYTES=config.import_max_bytes * 4 // 3 + 64 * 1024,  # base64 in JSON
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_CHECK_DEFAULT=False,  # checked by the guard and the forms, where writes happen
        WTF_CSRF_TIME_LIMIT=None,  # valid as long as the session: a page left open still works
    )
    server.session_interface = _CookiesSecureOverHttps()
    csrf.init_app(server)
    login_manager.init_app(server)
    server.add_url_rule(LOGIN_PATH, "login", login_rate(_login), methods=("GET", "POST"))
    server.add_url_rule(LOGOUT_PATH, "logout", _logout, methods=("POST",))
    server.before_request(_guard(app))
    server.after_request(_csrf_cookie)
