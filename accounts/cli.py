"""Manage accounts from the server's shell: ``python -m accounts add NAME --role staff --theme park``.

Commands: ``add``, ``list``, ``disable``, ``enable``, ``set-password``, ``set-role``. A password is
never an argument (it would stay in the shell history and in ``ps``): it is read as one line from
standard input when that is not a terminal (``printf '%s\\n' "$PW" | python -m accounts add ...``),
else prompted twice without echo. The schema is upgraded first, so the first admin can be created
on a new database before the app ever ran. A refusal (a taken name, a short password, the last
admin) prints why and exits with 1.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts import store
from accounts.roles import THEMES
from accounts.store import AccountError
from data_loaders import models as m
from i18n import N_

PROG = "python -m accounts"


def read_password(stdin: TextIO, prompt: Callable[[str], str] = getpass.getpass) -> str:
    """One line of ``stdin`` when it is a pipe or a file; else asked twice on the terminal."""
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    first = prompt("Password: ")
    if prompt("Repeat the password: ") != first:
        raise AccountError(N_("the two passwords differ"))
    return first


def other_active_admins(session: Session, username: str) -> int:
    """How many enabled admins there are besides ``username``."""
    return session.scalar(
        select(func.count())
        .select_from(m.Account)
        .where(m.Account.role == "admin", m.Account.disabled.is_(False), m.Account.username != username)
    )


def keep_an_admin(session: Session, username: str) -> None:
    """Refuse to disable or demote ``username`` when it is the only enabled admin left."""
    account = store.get(session, username)
    if account is not None and account.role == "admin" and not account.disabled:
        if other_active_admins(session, username) == 0:
            raise AccountError(N_('"{name}" is the last active admin: add another admin first'), name=username)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def _locked(account: m.Account, now: datetime) -> str:
    return _when(account.locked_until) if account.locked_until and account.locked_until > now else "-"


def list_rows(session: Session) -> list[tuple[str, ...]]:
    """One row per account: name, role, themes, disabled, locked until, last sign-in. Never the hash."""
    now = store._now()
    return [
        (
            a.username,
            a.role,
            ",".join(a.themes or ()) or "-",
            "yes" if a.disabled else "no",
            _locked(a, now),
            _when(a.last_login_at),
        )
        for a in store.all_accounts(session)
    ]


def _table(rows: list[tuple[str, ...]]) -> str:
    header = ("NAME", "ROLE", "THEMES", "DISABLED", "LOCKED UNTIL", "LAST SIGN-IN")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Manage the dashboard's accounts. Passwords are read from standard input or prompted, never "
        "given as arguments.",
    )
    url_help = "default: DATABASE_URL or the SQLite file under instance/"
    parser.add_argument("--database-url", help=url_help)
    common = argparse.ArgumentParser(add_help=False)  # --database-url after the command works too
    common.add_argument("--database-url", default=argparse.SUPPRESS, help=url_help)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    theme_help = f"a theme a staff member loads data for, repeatable ({', '.join(THEMES)})"

    add = commands.add_parser("add", help="create an account (password from stdin or prompted twice)", parents=[common])
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=m.ROLES)
    add.add_argument("--theme", action="append", default=[], dest="themes", choices=THEMES, help=theme_help)

    commands.add_parser("list", help="every account: role, themes, disabled, locked, last sign-in", parents=[common])

    for name, what in (("disable", "stop an account from signing in"), ("enable", "let a disabled account in again")):
        sub = commands.add_parser(name, help=what, parents=[common])
        sub.add_argument("name")

    password = commands.add_parser(
        "set-password", help="a new password (stdin or prompted); unlocks the account", parents=[common]
    )
    password.add_argument("name")

    role = commands.add_parser("set-role", help="change an account's role and themes", parents=[common])
    role.add_argument("name")
    role.add_argument("--role", required=True, choices=m.ROLES)
    role.add_argument("--theme", action="append", default=[], dest="themes", choices=THEMES, help=theme_help)
    return parser


def _run(args: argparse.Namespace, session: Session, stdin: TextIO, prompt: Callable[[str], str]) -> str:
    if args.command == "list":
        return _table(list_rows(session))
    if args.command == "add":
        store.add(session, args.name, read_password(stdin, prompt), args.role, args.themes)
        themes = f" for {', '.join(sorted(set(args.themes)))}" if args.themes else ""
        return f"added {args.name} ({args.role}{themes})"
    if args.command in ("disable", "enable"):
        if args.command == "disable":
            keep_an_admin(session, args.name)
        store.set_disabled(session, args.name, args.command == "disable")
        return f"{args.name} {args.command}d"
    if args.command == "set-password":
        if store.get(session, args.name) is None:  # say so before asking for a password
            raise AccountError(N_('no account named "{name}"'), name=args.name)
        store.set_password(session, args.name, read_password(stdin, prompt))
        return f"new password set for {args.name}"
    if args.role != "admin":
        keep_an_admin(session, args.name)
    store.set_role(session, args.name, args.role, args.themes)
    themes = f" for {', '.join(sorted(set(args.themes)))}" if args.themes else ""
    return f"{args.name} is now {args.role}{themes}"


def main(
    argv: list[str] | None = None,
    stdin: TextIO | None = None,
    prompt: Callable[[str], str] = getpass.getpass,
) -> int:
    """Run one command; 0 when done, 1 when the account rules refuse it (the reason on stderr)."""
    from config import Config
    from data_loaders.db import make_engine
    from data_loaders.schema import upgrade_database

    args = _parser().parse_args(argv)
    engine = make_engine(args.database_url or Config.from_env().database_url)
    try:
        upgrade_database(engine)
        with Session(engine) as session, session.begin():
            print(_run(args, session, stdin or sys.stdin, prompt))
    except AccountError as exc:
        print(f"{PROG} {args.command}: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0
