"""Accounts: an administrator adds accounts, disables and enables them, resets passwords and
changes roles and themes, without the server's shell (``python -m accounts`` does the same there).

Every check is on the server: the request guard refuses the page and each callback marked
``@requires(MANAGE_USERS)`` (401/403, CSRF on top) before it runs, and the layout itself draws
nothing but a refusal for anyone else, since in-app navigation reaches it through the router.
Every change runs in its own transaction and answers with the table read again from the
database. An admin cannot disable or demote their own account, so an admin always remains.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import dash
from dash import ALL, Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from accounts import store
from accounts.cli import keep_an_admin
from accounts.roles import MANAGE_USERS, ROLE_NAMES
from accounts.store import AccountError
from accounts.web import can, current_account, requires
from components import accounts_table as v
from data_loaders import cached
from i18n import N_, normalise, translator
from pages._guarded import guarded

log = logging.getLogger("dashboard")

dash.register_page(
    __name__,
    path=v.PAGE_PATH,
    name=N_("Accounts"),
    title=N_("Accounts"),
    order=7,
    permission=MANAGE_USERS,
    description="Administrators manage the accounts that sign in: roles, themes, passwords.",
)

UNREACHABLE = N_("The database is not reachable. Please try again later.")
DIFFERENT = N_("The two passwords differ. Type the same password twice.")
NOT_YOURSELF = N_("You cannot disable your own account or take away its admin role: another admin can.")


def _records(session: Session) -> list[dict]:
    return [{field: getattr(a, field) for field in v.FIELDS} for a in store.all_accounts(session)]


def _table(lang: str) -> object:
    account = current_account()
    with Session(cached.engine()) as session:
        records = _records(session)
    return v.accounts_table(records, account.username if account else None, store._now(), lang)


def _change(change: Callable[[Session], str], lang: str) -> tuple:
    """Run ``change`` in one transaction; (the table read again, an alert saying what happened).
    ``change`` returns the success message (translated), or raises AccountError."""
    t = translator(lang)
    try:
        with Session(cached.engine()) as session, session.begin():
            done = v.alert(change(session), "success")
    except AccountError as exc:
        done = v.alert(v.error_text(exc, lang))
    except (SQLAlchemyError, cached.DatabaseUnavailable) as exc:
        log.error("account change failed: %s", exc.__class__.__name__)
        return no_update, v.alert(t(UNREACHABLE))
    try:
        return _table(lang), done
    except (SQLAlchemyError, cached.DatabaseUnavailable):
        return no_update, done


def _me() -> str:
    account = current_account()
    return account.username if account else ""


def _clicked() -> dict | str:
    """The id of the button pressed; a button drawn anew (no click yet) is no press."""
    triggered = dash.ctx.triggered
    if not triggered or not triggered[0].get("value"):
        raise PreventUpdate
    return dash.ctx.triggered_id


@guarded
def layout(lang: str | None = None, **_params) -> html.Div:
    lang = normalise(lang)
    t = translator(lang)
    if not can(MANAGE_USERS):  # in-app navigation reaches here through the router, which the guard lets through
        return html.Div(v.refusal(current_account() is not None, lang), className="accounts-page")
    return html.Div(
        [
            dcc.Store(id=v.LANG, data=lang),
            dcc.Store(id=v.EDITING, data=""),
            html.H1(t("Accounts"), className="h3"),
            html.P(
                t(
                    "Who may sign in, and what they may do: viewers read the dashboard, partners also download "
                    "in bulk, staff load data for their themes, admins manage accounts and roll imports back."
                ),
                className="text-muted",
            ),
            html.Div(id=v.ALERT, role="status", **{"aria-live": "polite"}),
            html.Div(
                [
                    html.Div([v.editor(lang), html.Div(_table(lang), id=v.TABLE)], className="col-lg-8"),
                    html.Div(v.add_form(lang), className="col-lg-4"),
                ],
                className="row",
            ),
        ],
        className="accounts-page",
    )


@callback(Output(v.NEW_THEMES_BOX, "className"), Input(v.NEW_ROLE, "value"))
def show_new_themes(role: str | None) -> str:
    return v.themes_box_class(role)


@callback(Output(v.EDIT_THEMES_BOX, "className"), Input(v.EDIT_ROLE, "value"))
def show_edit_themes(role: str | None) -> str:
    return v.themes_box_class(role)


@callback(
    Output(v.TABLE, "children"),
    Output(v.ALERT, "children"),
    Output(v.NEW_PASSWORD, "value"),
    Output(v.NEW_REPEAT, "value"),
    Output(v.NEW_NAME, "value"),
    Output(v.NEW_THEMES, "value"),
    Input(v.ADD, "n_clicks"),
    State(v.NEW_NAME, "value"),
    State(v.NEW_ROLE, "value"),
    State(v.NEW_THEMES, "value"),
    State(v.NEW_PASSWORD, "value"),
    State(v.NEW_REPEAT, "value"),
    State(v.LANG, "data"),
    prevent_initial_call=True,
)
@requires(MANAGE_USERS)
def add_account(_clicks, name, role, themes, password, repeat, lang):
    """Add the account; the password fields are emptied in every answer, the name and themes after
    success (a refusal keeps them for a correction)."""
    lang = normalise(lang)
    t = translator(lang)
    name = (name or "").strip()
    if (password or "") != (repeat or ""):
        return no_update, v.alert(t(DIFFERENT)), "", "", no_update, no_update
    themes = list(themes or []) if role == "staff" else []

    def add(session: Session) -> str:
        store.add(session, name, password or "", role or "", themes)
        log.info("%s added the account %s (%s)", _me(), name, role)
        return t("Account {name} added with the role {role}.").format(name=name, role=t(ROLE_NAMES[role]))

    table, message = _change(add, lang)
    added = message.color == "success"
    return table, message, "", "", *(("", []) if added else (no_update, no_update))


@callback(
    Output(v.TABLE, "children", allow_duplicate=True),
    Output(v.ALERT, "children", allow_duplicate=True),
    Input({"type": v.TOGGLE, "name": ALL}, "n_clicks"),
    State(v.LANG, "data"),
    prevent_initial_call=True,
)
@requires(MANAGE_USERS)
def toggle_account(_clicks, lang):
    """Disable an enabled account, enable a disabled one; never one's own."""
    name = _clicked()["name"]
    lang = normalise(lang)
    t = translator(lang)
    if name == _me():
        return no_update, v.alert(t(NOT_YOURSELF))

    def toggle(session: Session) -> str:
        account = store.get(session, name)
        disable = account is not None and not account.disabled
        if disable:
            keep_an_admin(session, name)
        store.set_disabled(session, name, disable)
        log.info("%s %s the account %s", _me(), "disabled" if disable else "enabled", name)
        return (t("Account {name} disabled.") if disable else t("Account {name} enabled.")).format(name=name)

    return _change(toggle, lang)


@callback(
    Output(v.EDITING, "data"),
    Output(v.EDIT_TITLE, "children"),
    Output(v.EDIT_ROLE, "value"),
    Output(v.EDIT_THEMES, "value"),
    Output(v.EDIT_ROLE, "disabled"),
    Output(v.SAVE_ROLE, "disabled"),
    Output(v.EDIT_PASSWORD, "value"),
    Output(v.EDIT_REPEAT, "value"),
    Output(v.EDITOR, "className"),
    Input({"type": v.EDIT, "name": ALL}, "n_clicks"),
    State(v.LANG, "data"),
    prevent_initial_call=True,
)
@requires(MANAGE_USERS)
def open_editor(_clicks, lang):
    """The panel for the account whose "Change" was pressed, filled from the database."""
    name = _clicked()["name"]
    t = translator(normalise(lang))
    with Session(cached.engine()) as session:
        account = store.get(session, name)
        if account is None:
            raise PreventUpdate
        role, themes = account.role, list(account.themes or [])
    own = name == _me()  # one's own role stays admin
    title = t("Account {name}").format(name=name)
    return name, title, role, themes, own, own, "", "", "mb-3 accounts-editor"


@callback(
    Output(v.EDITING, "data", allow_duplicate=True),
    Output(v.EDIT_PASSWORD, "value", allow_duplicate=True),
    Output(v.EDIT_REPEAT, "value", allow_duplicate=True),
    Output(v.EDITOR, "className", allow_duplicate=True),
    Input(v.CLOSE_EDITOR, "n_clicks"),
    prevent_initial_call=True,
)
def close_editor(_clicks):
    return "", "", "", f"mb-3 accounts-editor {v.HIDDEN}"


@callback(
    Output(v.TABLE, "children", allow_duplicate=True),
    Output(v.ALERT, "children", allow_duplicate=True),
    Input(v.SAVE_ROLE, "n_clicks"),
    State(v.EDITING, "data"),
    State(v.EDIT_ROLE, "value"),
    State(v.EDIT_THEMES, "value"),
    State(v.LANG, "data"),
    prevent_initial_call=True,
)
@requires(MANAGE_USERS)
def save_role(_clicks, name, role, themes, lang):
    lang = normalise(lang)
    t = translator(lang)
    if not name:
        raise PreventUpdate
    if name == _me() and role != "admin":
        return no_update, v.alert(t(NOT_YOURSELF))
    themes = list(themes or []) if role == "staff" else []

    def change(session: Session) -> str:
        if role != "admin":
            keep_an_admin(session, name)
        store.set_role(session, name, role or "", themes)
        log.info("%s made the account %s %s", _me(), name, role)
        return t("Account {name} now has the role {role}.").format(name=name, role=t(ROLE_NAMES[role]))

    return _change(change, lang)


@callback(
    Output(v.TABLE, "children", allow_duplicate=True),
    Output(v.ALERT, "children", allow_duplicate=True),
    Output(v.EDIT_PASSWORD, "value", allow_duplicate=True),
    Output(v.EDIT_REPEAT, "value", allow_duplicate=True),
    Input(v.SET_PASSWORD, "n_clicks"),
    State(v.EDITING, "data"),
    State(v.EDIT_PASSWORD, "value"),
    State(v.EDIT_REPEAT, "value"),
    State(v.LANG, "data"),
    prevent_initial_call=True,
)
@requires(MANAGE_USERS)
def reset_password(_clicks, name, password, repeat, lang):
    """A new password for the account (and its lock lifted); the fields are emptied in every answer."""
    lang = normalise(lang)
    t = translator(lang)
    if not name:
        raise PreventUpdate
    if (password or "") != (repeat or ""):
        return no_update, v.alert(t(DIFFERENT)), "", ""

    def change(session: Session) -> str:
        store.set_password(session, name, password or "")
        log.info("%s set a new password for the account %s", _me(), name)
        return t("New password set for {name}.").format(name=name)

    return (*_change(change, lang), "", "")
