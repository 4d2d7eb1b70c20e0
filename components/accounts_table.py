"""The pieces of the account admin page (``pages/admin_accounts.py``): pure functions, data in,
components out.

An account arrives as a plain dict (:data:`FIELDS`, never the password hash), so nothing here can
show what it was not given. Password inputs are ``type="password"`` and the page's callbacks clear
them in every answer.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
from babel.dates import format_datetime
from dash import html

from accounts.roles import ROLE_NAMES, THEMES
from accounts.store import MIN_PASSWORD, AccountError
from components.provenance import THEME_LABELS
from data_loaders.models import ROLES
from i18n import N_, normalise, translator

# Component ids, named once.
PAGE_PATH = "/admin/accounts"
LANG = "accounts-lang"  # dcc.Store: the page's language
TABLE = "accounts-table"  # the Div around the table, redrawn after every change
ALERT = "accounts-alert"
NEW_NAME, NEW_ROLE = "accounts-new-name", "accounts-new-role"
NEW_THEMES, NEW_THEMES_BOX = "accounts-new-themes", "accounts-new-themes-box"
NEW_PASSWORD, NEW_REPEAT = "accounts-new-password", "accounts-new-repeat"
ADD = "accounts-add"
TOGGLE, EDIT = "accounts-toggle", "accounts-edit"  # per-row buttons: {"type": TOGGLE, "name": username}
EDITOR, EDITING, EDIT_TITLE = "accounts-editor", "accounts-editing", "accounts-edit-title"  # EDITING: a Store
EDIT_ROLE, EDIT_THEMES, EDIT_THEMES_BOX = "accounts-edit-role", "accounts-edit-themes", "accounts-edit-themes-box"
SAVE_ROLE = "accounts-save-role"
EDIT_PASSWORD, EDIT_REPEAT, SET_PASSWORD = "accounts-edit-password", "accounts-edit-repeat", "accounts-set-password"
CLOSE_EDITOR = "accounts-close-editor"
REFUSED = "accounts-refused"

FIELDS = ("username", "role", "themes", "disabled", "locked_until", "last_login_at", "created_at")
THEME_NAMES = {**THEME_LABELS, "reference": N_("Reference data")}
HIDDEN = "d-none"


def theme_options(lang: str | None) -> list[dict]:
    t = translator(lang)
    return [{"label": t(THEME_NAMES[theme]), "value": theme} for theme in THEMES]


def role_options(lang: str | None) -> list[dict]:
    t = translator(lang)
    return [{"label": t(ROLE_NAMES[role]), "value": role} for role in ROLES]


def themes_box_class(role: str | None) -> str:
    """The themes checklist is shown only for staff: an admin loads every theme, others none."""
    return "mb-3" if role == "staff" else HIDDEN


def moment_text(moment: datetime | None, lang: str | None) -> str:
    """A UTC time in the locale's words (2 дек. 2026 г., 04:20 UTC); an em dash for none."""
    if moment is None:
        return "—"
    return format_datetime(moment, "d MMM y, HH:mm", locale=normalise(lang)) + " UTC"


def state_text(account: dict, now: datetime, lang: str | None) -> str:
    t = translator(lang)
    if account["disabled"]:
        return t("disabled")
    if account["locked_until"] is not None and account["locked_until"] > now:
        return t("locked until {time}").format(time=moment_text(account["locked_until"], lang))
    return t("active")


def error_text(error: AccountError, lang: str | None) -> str:
    """A refusal of the account rules as a sentence in ``lang``."""
    text = translator(lang)(error.message).format(**error.params)
    return text[:1].upper() + text[1:]


def alert(message: str, color: str = "danger") -> dbc.Alert:
    return dbc.Alert(message, color=color, dismissable=True, className="accounts-message")


def _row(account: dict, me: str | None, now: datetime, lang: str | None) -> html.Tr:
    t = translator(lang)
    name = account["username"]
    own = name == me
    themes = ", ".join(t(THEME_NAMES.get(theme, theme)) for theme in account["themes"] or ()) or "—"
    toggle = t("Enable") if account["disabled"] else t("Disable")
    return html.Tr(
        [
            html.Th(name, scope="row", className="account-name"),
            html.Td(t(ROLE_NAMES.get(account["role"], account["role"])), className="account-role"),
            html.Td(themes, className="account-themes"),
            html.Td(state_text(account, now, lang), className="account-state"),
            html.Td(moment_text(account["last_login_at"], lang), className="text-nowrap"),
            html.Td(moment_text(account["created_at"], lang), className="text-nowrap"),
            html.Td(
                [
                    html.Button(
                        toggle,
                        id={"type": TOGGLE, "name": name},
                        type="button",
                        className="btn btn-outline-secondary btn-sm me-1",
                        disabled=own,
                        title=t("You cannot disable your own account.") if own else None,
                    ),
                    html.Button(
                        t("Change"),
                        id={"type": EDIT, "name": name},
                        type="button",
                        className="btn btn-outline-primary btn-sm",
                        **{"aria-label": t("Change the account {name}").format(name=name)},
                    ),
                ],
                className="text-nowrap",
            ),
        ],
        className="account-row",
        **{"data-name": name},
    )


def accounts_table(accounts: list[dict], me: str | None, now: datetime, lang: str | None = None) -> html.Div:
    """Every account: name, role, themes, state (active / disabled / locked until …), last sign-in,
    created, and the row's actions. ``me`` (the signed-in admin) cannot disable themself."""
    t = translator(lang)
    if not accounts:
        return html.P(t("No accounts yet."), className="text-muted")
    headers = [t("Name"), t("Role"), t("Themes"), t("State"), t("Last sign-in"), t("Created"), t("Actions")]
    return html.Div(
        html.Table(
            [
                html.Caption(t("Accounts: {count}").format(count=len(accounts)), className="caption-top"),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                html.Tbody([_row(a, me, now, lang) for a in accounts]),
            ],
            className="table table-sm table-striped align-middle small accounts-table",
        ),
        className="table-responsive",
    )


def _password_fields(first: str, repeat: str, lang: str | None) -> list:
    t = translator(lang)
    return [
        dbc.Label(t("Password"), html_for=first),
        dbc.Input(id=first, type="password", autocomplete="new-password", className="mb-2"),
        dbc.Label(t("Repeat the password"), html_for=repeat),
        dbc.Input(id=repeat, type="password", autocomplete="new-password", className="mb-1"),
        dbc.FormText(t("At least {count} characters.").format(count=MIN_PASSWORD), className="d-block mb-3"),
    ]


def add_form(lang: str | None = None) -> dbc.Card:
    """Name, role, themes (shown for staff), password twice; the button adds the account."""
    t = translator(lang)
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("Add an account"), className="h5"),
                dbc.Label(t("User name"), html_for=NEW_NAME),
                dbc.Input(id=NEW_NAME, type="text", autocomplete="off", maxLength=64, className="mb-3"),
                dbc.Label(t("Role"), html_for=NEW_ROLE),
                dbc.Select(id=NEW_ROLE, options=role_options(lang), value="staff", className="mb-3"),
                html.Div(
                    [
                        dbc.Label(t("Themes this account loads data for"), html_for=NEW_THEMES),
                        dbc.Checklist(id=NEW_THEMES, options=theme_options(lang), value=[]),
                    ],
                    id=NEW_THEMES_BOX,
                    className=themes_box_class("staff"),
                ),
                *_password_fields(NEW_PASSWORD, NEW_REPEAT, lang),
                html.Button(t("Add the account"), id=ADD, type="button", className="btn btn-primary"),
            ]
        ),
        className="mb-3 accounts-add",
    )


def editor(lang: str | None = None) -> dbc.Card:
    """The panel for one account (hidden until a row's "Change" is pressed): role and themes, a
    new password."""
    t = translator(lang)
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.H2("", id=EDIT_TITLE, className="h5 mb-0"),
                        html.Button(t("Close"), id=CLOSE_EDITOR, type="button", className="btn btn-link btn-sm"),
                    ],
                    className="d-flex justify-content-between align-items-center mb-2",
                ),
                dbc.Label(t("Role"), html_for=EDIT_ROLE),
                dbc.Select(id=EDIT_ROLE, options=role_options(lang), className="mb-3"),
                html.Div(
                    [
                        dbc.Label(t("Themes this account loads data for"), html_for=EDIT_THEMES),
                        dbc.Checklist(id=EDIT_THEMES, options=theme_options(lang), value=[]),
                    ],
                    id=EDIT_THEMES_BOX,
                    className=HIDDEN,
                ),
                html.Button(t("Save the role"), id=SAVE_ROLE, type="button", className="btn btn-primary mb-4"),
                html.H3(t("Reset the password"), className="h6"),
                *_password_fields(EDIT_PASSWORD, EDIT_REPEAT, lang),
                html.Button(t("Set the password"), id=SET_PASSWORD, type="button", className="btn btn-primary"),
            ]
        ),
        id=EDITOR,
        className=f"mb-3 accounts-editor {HIDDEN}",
    )


def refusal(signed_in: bool, lang: str | None = None) -> html.Div:
    """What the page shows instead of its controls to someone who may not manage accounts."""
    t = translator(lang)
    if signed_in:
        body = [t("Your account may not manage accounts. This page is for administrators.")]
    else:
        href = "/login?" + urlencode({"next": PAGE_PATH, "lang": normalise(lang)})
        body = [
            t("Managing accounts is for administrators."),
            " ",
            html.A(t("Sign in as an administrator"), href=href, id="accounts-login-link", className="alert-link"),
        ]
    return html.Div([html.H1(t("Accounts"), className="h3"), dbc.Alert(body, color="info", id=REFUSED)])
