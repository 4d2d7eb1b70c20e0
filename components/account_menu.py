"""The navbar's account corner: "Sign in", or the account's name and role with "Sign out".

Signing out is a POST with the session's CSRF token (a link would let any page sign people out).
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from dash import dcc, html

from accounts.roles import ROLE_NAMES
from accounts.store import SignedIn
from i18n import normalise, translator

ACCOUNT_MENU = "navbar-account"
LOGIN_LINK = "login-link"
ACCOUNT_NAME = "account-name"
LOGOUT_BUTTON = "logout-button"


def account_menu(account: SignedIn | None, csrf_token: str, back_to: str = "/", lang: str | None = None) -> list:
    """``dbc.NavItem`` children for the account corner.

    Args:
        account: the signed-in account, or None.
        csrf_token: the session's token, sent with "Sign out".
        back_to: the path (and query) to return to after signing in; the server checks it is local.
        lang: UI language.
    """
    lang = normalise(lang)
    t = translator(lang)
    if account is None:
        href = "/login?" + urlencode({"next": back_to or "/", "lang": lang})
        return [dbc.NavItem(dbc.NavLink(t("Sign in"), href=href, id=LOGIN_LINK, external_link=True))]
    role = t(ROLE_NAMES[account.role])
    return [
        dbc.NavItem(html.Span(f"{account.username} · {role}", id=ACCOUNT_NAME, className="navbar-text px-2")),
        dbc.NavItem(
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf_token", value=csrf_token),
                    dcc.Input(type="hidden", name="lang", value=lang),
                    html.Button(t("Sign out"), id=LOGOUT_BUTTON, type="submit", className="btn btn-link nav-link"),
                ],
                method="post",
                action="/logout",
                className="d-inline",
            )
        ),
    ]
