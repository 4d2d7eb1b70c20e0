"""Accounts in the database: create, sign in (with a lock-out), disable, change password or role.

Passwords are hashed with werkzeug's scrypt (salted, slow by design); the clear text is never
stored, logged or returned. Every function takes the caller's session, so a command and a web
request write in their own transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.roles import THEMES
from data_loaders import models as m
from i18n import N_

MIN_PASSWORD = 10
LOCKOUT_FAILURES = 5  # wrong passwords in a row before the account is locked
LOCKOUT = timedelta(minutes=15)
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,63}")
# Compared against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0")


class AccountError(ValueError):
    """A request the account rules refuse; the message says why, for the person who asked.

    ``message`` is an ``N_`` text with ``{placeholders}`` filled from ``params``: ``str(error)`` is
    the English sentence, a page shows ``t(error.message).format(**error.params)``."""

    def __init__(self, message: str, **params: object) -> None:
        self.message, self.params = message, params
        super().__init__(message.format(**params))


@dataclass(frozen=True)
class SignedIn:
    """The part of an account a session needs: no hash."""

    id: int
    username: str
    role: str
    themes: tuple[str, ...]
    # Changes with the password: a session keeps it, so a new password ends the sessions opened before.
    stamp: str = ""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(N_("the password needs at least {count} characters"), count=MIN_PASSWORD)


def _check_themes(role: str, themes: list[str]) -> list[str]:
    unknown = [t for t in themes if t not in THEMES]
    if unknown:
        raise AccountError(
            N_("unknown theme(s) {themes}: use {known}"), themes=", ".join(unknown), known=", ".join(THEMES)
        )
    if themes and role != "staff":
        raise AccountError(N_("themes are for staff accounts; an admin loads every theme"))
    return sorted(set(themes))


def get(session: Session, username: str) -> m.Account | None:
    return session.scalar(select(m.Account).where(m.Account.username == username))


def _stamp(password_hash: str) -> str:
    """A short digest of the (salted) hash: it names the password in force without revealing it."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def signed_in(account: m.Account) -> SignedIn:
    return SignedIn(
        account.id, account.username, account.role, tuple(account.themes or ()), _stamp(account.password_hash)
    )


def find_active(session: Session, account_id: int, stamp: str) -> SignedIn | None:
    """The account behind a session, unless it was disabled or its password changed since."""
    account = session.get(m.Account, account_id)
    if account is None or account.disabled or not hmac.compare_digest(_stamp(account.password_hash), stamp):
        return None
    return signed_in(account)


def add(session: Session, username: str, password: str, role: str, themes: list[str] | None = None) -> m.Account:
    if not USERNAME.fullmatch(username or ""):
        raise AccountError(N_("a user name is 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit"))
    if role not in m.ROLES:
        raise AccountError(N_('unknown role "{role}": use {known}'), role=role, known=", ".join(m.ROLES))
    if get(session, username) is not None:
        raise AccountError(N_('an account named "{name}" exists already'), name=username)
    _check_password(password)
    account = m.Account(
        username=username,
        password_hash=generate_password_hash(password),
        role=role,
        themes=_check_themes(role, list(themes or [])),
        disabled=False,
        failed_logins=0,
        created_at=_now(),
    )
    session.add(account)
    session.flush()
    return account


def _existing(session: Session, username: str) -> m.Account:
    account = get(session, username)
    if account is None:
        raise AccountError(N_('no account named "{name}"'), name=username)
    return account


def set_password(session: Session, username: str, password: str) -> None:
    _check_password(password)
    account = _existing(session, username)
    account.password_hash = generate_password_hash(password)
    account.failed_logins, account.locked_until = 0, None


def set_role(session: Session, username: str, role: str, themes: list[str] | None = None) -> None:
    if role not in m.ROLES:
        raise AccountError(N_('unknown role "{role}": use {known}'), role=role, known=", ".join(m.ROLES))
    account = _existing(session, username)
    account.role, account.themes = role, _check_themes(role, list(themes or []))


def set_disabled(session: Session, username: str, disabled: bool = True) -> None:
    _existing(session, username).disabled = disabled


def all_accounts(session: Session) -> list[m.Account]:
    return list(session.scalars(select(m.Account).order_by(m.Account.username)))


def authenticate(session: Session, username: str, password: str) -> SignedIn | None:
    """The account if the password is right and the account is open; counts failures and locks
    the account for LOCKOUT after LOCKOUT_FAILURES wrong passwords in a row."""
    account = get(session, username or "")
    if account is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    now = _now()
    if account.disabled or (account.locked_until is not None and account.locked_until > now):
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(account.password_hash, password or ""):
        account.failed_logins = (account.failed_logins or 0) + 1
        if account.failed_logins >= LOCKOUT_FAILURES:
            account.locked_until, account.failed_logins = now + LOCKOUT, 0
        return None
    account.failed_logins, account.locked_until, account.last_login_at = 0, None, now
    return signed_in(account)


def is_locked(session: Session, username: str) -> bool:
    account = get(session, username or "")
    return account is not None and account.locked_until is not None and account.locked_until > _now()
