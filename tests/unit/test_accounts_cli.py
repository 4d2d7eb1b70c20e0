"""``python -m accounts`` as an operator runs it: passwords from stdin or a prompt (never an
argument), the list without hashes, refusals with a reason and exit 1, and no password in clear
in the output or the database file."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts import store
from accounts.cli import main
from data_loaders import models as m

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Kuhi-Pomir-7495"


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def cli(engine, *argv: str, stdin: str = "", prompt=None, tty: bool = False) -> tuple[int, str, str]:
    """Run the command in-process, its stdin a pipe holding ``stdin`` or a terminal (``tty``) whose
    password prompts ``prompt`` answers; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        kwargs = {"prompt": prompt} if prompt else {}
        source = _Terminal() if tty else io.StringIO(stdin)
        code = main(["--database-url", _url(engine), *argv], stdin=source, **kwargs)
    finally:
        sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def _sign_in(engine, name: str, password: str):
    with Session(engine) as session, session.begin():
        return store.authenticate(session, name, password)


def test_add_reads_the_password_from_stdin_and_the_account_signs_in(blank_engine):
    code, out, err = cli(blank_engine, "add", "farrukh", "--role", "staff", "--theme", "park", stdin=PASSWORD + "\n")
    assert (code, err) == (0, "")
    assert out.strip() == "added farrukh (staff for park)"
    assert _sign_in(blank_engine, "farrukh", PASSWORD).themes == ("park",)
    assert _sign_in(blank_engine, "farrukh", PASSWORD + "\n") is None  # the newline is not part of it


def test_add_on_a_terminal_asks_twice_and_refuses_two_different_answers(blank_engine):
    answers = iter([PASSWORD, PASSWORD + "x"])
    code, out, err = cli(blank_engine, "add", "boss", "--role", "admin", prompt=lambda _label: next(answers), tty=True)
    assert (code, out) == (1, "") and "the two passwords differ" in err
    assert _sign_in(blank_engine, "boss", PASSWORD) is None


def test_add_on_a_terminal_with_the_same_password_twice(blank_engine):
    labels = []
    code, _out, err = cli(
        blank_engine, "add", "boss", "--role", "admin", prompt=lambda x: labels.append(x) or PASSWORD, tty=True
    )
    assert (code, err) == (0, "")
    assert labels == ["Password: ", "Repeat the password: "]
    assert _sign_in(blank_engine, "boss", PASSWORD) is not None


def test_list_shows_role_themes_state_and_never_the_hash_or_password(blank_engine):
    cli(blank_engine, "add", "boss", "--role", "admin", stdin=PASSWORD)
    cli(blank_engine, "add", "nigora", "--role", "staff", "--theme", "connectivity", "--theme", "park", stdin=PASSWORD)
    cli(blank_engine, "add", "partner1", "--role", "partner", stdin=PASSWORD)
    cli(blank_engine, "disable", "partner1")
    for _ in range(store.LOCKOUT_FAILURES):
        _sign_in(blank_engine, "nigora", "wrong-password")
    _sign_in(blank_engine, "boss", PASSWORD)
    code, out, _err = cli(blank_engine, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "ROLE", "THEMES", "DISABLED", "LOCKED", "UNTIL", "LAST", "SIGN-IN"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"boss", "nigora", "partner1"}
    assert rows["boss"].split()[1:4] == ["admin", "-", "no"] and rows["boss"].endswith("UTC")
    assert rows["nigora"].split()[1:4] == ["staff", "connectivity,park", "no"] and "UTC" in rows["nigora"]
    assert rows["partner1"].split() == ["partner1", "partner", "-", "yes", "-", "-"]
    with Session(blank_engine) as session:
        hashes = session.scalars(select(m.Account.password_hash)).all()
    assert PASSWORD not in out and not any(h in out for h in hashes) and "scrypt" not in out


def test_disable_and_enable(blank_engine):
    cli(blank_engine, "add", "boss", "--role", "admin", stdin=PASSWORD)
    cli(blank_engine, "add", "nigora", "--role", "staff", stdin=PASSWORD)
    assert cli(blank_engine, "disable", "nigora")[:2] == (0, "nigora disabled\n")
    assert _sign_in(blank_engine, "nigora", PASSWORD) is None
    assert cli(blank_engine, "enable", "nigora")[:2] == (0, "nigora enabled\n")
    assert _sign_in(blank_engine, "nigora", PASSWORD) is not None


def test_set_password_replaces_the_old_one(blank_engine):
    cli(blank_engine, "add", "nigora", "--role", "viewer", stdin=PASSWORD)
    assert cli(blank_engine, "set-password", "nigora", stdin="Another-one-2026\n")[0] == 0
    assert _sign_in(blank_engine, "nigora", PASSWORD) is None
    assert _sign_in(blank_engine, "nigora", "Another-one-2026") is not None


def test_set_role_with_themes(blank_engine):
    cli(blank_engine, "add", "nigora", "--role", "viewer", stdin=PASSWORD)
    code, out, _err = cli(blank_engine, "set-role", "nigora", "--role", "staff", "--theme", "it_sector")
    assert (code, out) == (0, "nigora is now staff for it_sector\n")
    assert _sign_in(blank_engine, "nigora", PASSWORD).themes == ("it_sector",)


@pytest.mark.parametrize(
    ("argv", "stdin", "reason"),
    [
        (("add", "nigora", "--role", "staff"), "short", "the password needs at least 10 characters"),
        (("add", "taken", "--role", "staff"), PASSWORD, 'an account named "taken" exists already'),
        (("add", "bad name", "--role", "staff"), PASSWORD, "a user name is 2-64"),
        (("add", "boss2", "--role", "admin", "--theme", "park"), PASSWORD, "themes are for staff"),
        (("set-password", "ghost"), PASSWORD, 'no account named "ghost"'),
        (("set-password", "taken"), "short", "the password needs at least 10 characters"),
        (("disable", "ghost"), "", 'no account named "ghost"'),
        (("disable", "boss"), "", '"boss" is the last active admin'),
        (("set-role", "boss", "--role", "staff"), "", '"boss" is the last active admin'),
    ],
)
def test_refusals_say_why_exit_1_and_change_nothing(blank_engine, argv, stdin, reason):
    cli(blank_engine, "add", "boss", "--role", "admin", stdin=PASSWORD)
    cli(blank_engine, "add", "taken", "--role", "viewer", stdin=PASSWORD)
    before = cli(blank_engine, "list")[1]
    code, out, err = cli(blank_engine, *argv, stdin=stdin)
    assert (code, out) == (1, "")
    assert err.startswith(f"python -m accounts {argv[0]}: ") and reason in err
    assert cli(blank_engine, "list")[1] == before
    assert _sign_in(blank_engine, "taken", PASSWORD) is not None


def test_a_second_admin_may_be_demoted_and_disabled(blank_engine):
    cli(blank_engine, "add", "boss", "--role", "admin", stdin=PASSWORD)
    cli(blank_engine, "add", "deputy", "--role", "admin", stdin=PASSWORD)
    assert cli(blank_engine, "disable", "deputy")[0] == 0
    assert cli(blank_engine, "disable", "boss")[0] == 1  # deputy is disabled: boss is the last one
    assert cli(blank_engine, "enable", "deputy")[0] == 0
    assert cli(blank_engine, "set-role", "boss", "--role", "viewer")[0] == 0


def test_piped_into_the_real_command_the_password_is_nowhere_in_clear(tmp_path):
    """Through a subprocess as in a shell: the SQLite file's bytes and the output hold no password."""
    database = tmp_path / "accounts.sqlite3"
    url = f"sqlite:///{database}"

    def run(*argv: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "accounts", *argv, "--database-url", url],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    added = run("add", "boss", "--role", "admin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    changed = run("set-password", "boss", stdin="Second-Secret-88\n")
    assert changed.returncode == 0, changed.stderr
    listed = run("list")
    assert listed.returncode == 0 and "boss" in listed.stdout
    raw = database.read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("accounts.sqlite3-*")
    )  # and any journal
    for secret in (PASSWORD, "Second-Secret-88"):
        assert secret.encode() not in raw
        for result in (added, changed, listed):
            assert secret not in result.stdout + result.stderr
    assert b"scrypt:" in raw  # the hash is there, so the search looked at the right rows


def test_help_lists_every_command():
    result = subprocess.run(
        [sys.executable, "-m", "accounts", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for command in ("add", "list", "disable", "enable", "set-password", "set-role", "--database-url"):
        assert command in result.stdout
