"""The account rules in the database (accounts/store.py): names, passwords, themes, the lock-out
after repeated wrong passwords and its end, disabled accounts, and no password kept in clear."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts import store
from accounts.store import LOCKOUT_FAILURES, AccountError
from data_loaders import models as m

PASSWORD = "correct-horse-7"


def _add(engine, name: str = "dilnoza", role: str = "staff", themes=("park",), password: str = PASSWORD):
    with Session(engine) as session, session.begin():
        store.add(session, name, password, role, list(themes))


def _sign_in(engine, name: str, password: str):
    with Session(engine) as session, session.begin():
        return store.authenticate(session, name, password)


def _account(engine, name: str) -> m.Account:
    with Session(engine) as session:
        account = store.get(session, name)
        session.expunge(account)
        return account


def test_an_added_account_signs_in_with_its_password_only(blank_engine):
    _add(blank_engine)
    signed_in = _sign_in(blank_engine, "dilnoza", PASSWORD)
    assert signed_in == store.SignedIn(signed_in.id, "dilnoza", "staff", ("park",), signed_in.stamp)
    assert len(signed_in.stamp) == 16
    assert _sign_in(blank_engine, "dilnoza", PASSWORD + "x") is None
    assert _sign_in(blank_engine, "nobody", PASSWORD) is None
    assert _account(blank_engine, "dilnoza").last_login_at is not None


def test_the_password_is_stored_as_a_salted_hash(blank_engine):
    _add(blank_engine, "a1", password=PASSWORD)
    _add(blank_engine, "a2", password=PASSWORD)
    with Session(blank_engine) as session:
        hashes = session.scalars(select(m.Account.password_hash)).all()
    assert all(h.startswith("scrypt:") and PASSWORD not in h for h in hashes)
    assert hashes[0] != hashes[1]  # salted: the same password, two hashes


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(blank_engine):
    _add(blank_engine)
    for _ in range(LOCKOUT_FAILURES - 1):
        assert _sign_in(blank_engine, "dilnoza", "wrong-password") is None
    assert _account(blank_engine, "dilnoza").failed_logins == LOCKOUT_FAILURES - 1
    assert _sign_in(blank_engine, "dilnoza", "wrong-password") is None
    with Session(blank_engine) as session:
        assert store.is_locked(session, "dilnoza")
    assert _sign_in(blank_engine, "dilnoza", PASSWORD) is None  # locked: the right password is refused too


def test_four_wrong_passwords_then_the_right_one_start_the_count_again(blank_engine):
    _add(blank_engine)
    for _ in range(LOCKOUT_FAILURES - 1):
        _sign_in(blank_engine, "dilnoza", "wrong-password")
    assert _sign_in(blank_engine, "dilnoza", PASSWORD) is not None
    assert _account(blank_engine, "dilnoza").failed_logins == 0
    _sign_in(blank_engine, "dilnoza", "wrong-password")
    assert _sign_in(blank_engine, "dilnoza", PASSWORD) is not None  # one failure does not lock


def test_the_lock_ends_after_its_time(blank_engine):
    _add(blank_engine)
    for _ in range(LOCKOUT_FAILURES):
        _sign_in(blank_engine, "dilnoza", "wrong-password")
    with Session(blank_engine) as session, session.begin():  # the lock-out time has passed
        account = store.get(session, "dilnoza")
        assert account.locked_until > store._now() + store.LOCKOUT - timedelta(minutes=1)
        account.locked_until = store._now() - timedelta(seconds=1)
    with Session(blank_engine) as session:
        assert not store.is_locked(session, "dilnoza")
    assert _sign_in(blank_engine, "dilnoza", PASSWORD) is not None
    assert _account(blank_engine, "dilnoza").locked_until is None


def test_a_new_password_unlocks_the_account(blank_engine):
    _add(blank_engine)
    for _ in range(LOCKOUT_FAILURES):
        _sign_in(blank_engine, "dilnoza", "wrong-password")
    with Session(blank_engine) as session, session.begin():
        store.set_password(session, "dilnoza", "a-new-password-2")
    assert _sign_in(blank_engine, "dilnoza", PASSWORD) is None
    assert _sign_in(blank_engine, "dilnoza", "a-new-password-2") is not None


def test_a_disabled_account_cannot_sign_in_until_enabled(blank_engine):
    _add(blank_engine)
    with Session(blank_engine) as session, session.begin():
        store.set_disabled(session, "dilnoza")
    assert _sign_in(blank_engine, "dilnoza", PASSWORD) is None
    with Session(blank_engine) as session:
        account = _account(blank_engine, "dilnoza")
        assert store.find_active(session, account.id, store.signed_in(account).stamp) is None  # its session ends too
    with Session(blank_engine) as session, session.begin():
        store.set_disabled(session, "dilnoza", False)
    assert _sign_in(blank_engine, "dilnoza", PASSWORD) is not None


def test_a_short_password_is_refused_on_add_and_on_change(blank_engine):
    with pytest.raises(AccountError, match="at least 10 characters") as refused:
        _add(blank_engine, password="9-letters")
    assert refused.value.message == "the password needs at least {count} characters"
    assert refused.value.params == {"count": 10}
    _add(blank_engine)
    with Session(blank_engine) as session, session.begin(), pytest.raises(AccountError):
        store.set_password(session, "dilnoza", "short")
    assert _sign_in(blank_engine, "dilnoza", PASSWORD) is not None


@pytest.mark.parametrize("role", ["admin", "partner", "viewer"])
def test_themes_are_only_for_staff(blank_engine, role):
    with pytest.raises(AccountError, match="themes are for staff"):
        _add(blank_engine, "someone", role=role, themes=("park",))
    _add(blank_engine, "someone", role=role, themes=())
    with Session(blank_engine) as session, session.begin(), pytest.raises(AccountError, match="themes are for staff"):
        store.set_role(session, "someone", role, ["park"])


def test_unknown_themes_and_roles_are_refused(blank_engine):
    with pytest.raises(AccountError, match="unknown theme"):
        _add(blank_engine, themes=("weather",))
    with pytest.raises(AccountError, match='unknown role "owner"'):
        _add(blank_engine, role="owner", themes=())
    with Session(blank_engine) as session:
        assert store.all_accounts(session) == []


def test_staff_themes_are_kept_sorted_without_repeats_and_change_with_the_role(blank_engine):
    _add(blank_engine, themes=("park", "connectivity", "park"))
    assert _account(blank_engine, "dilnoza").themes == ["connectivity", "park"]
    with Session(blank_engine) as session, session.begin():
        store.set_role(session, "dilnoza", "admin")
    account = _account(blank_engine, "dilnoza")
    assert (account.role, account.themes) == ("admin", [])


def test_a_name_is_taken_once(blank_engine):
    _add(blank_engine)
    with pytest.raises(AccountError, match='an account named "dilnoza" exists already'):
        _add(blank_engine, role="admin", themes=())
    with Session(blank_engine) as session:
        assert [(a.username, a.role) for a in store.all_accounts(session)] == [("dilnoza", "staff")]


@pytest.mark.parametrize("name", ["", "x", "has space", "-dash-first", "a" * 65, "<script>"])
def test_bad_user_names_are_refused(blank_engine, name):
    with pytest.raises(AccountError, match="a user name is 2-64"):
        _add(blank_engine, name=name)


def test_changes_to_an_unknown_account_are_refused(blank_engine):
    with Session(blank_engine) as session, session.begin():
        for change in (
            lambda: store.set_password(session, "ghost", PASSWORD),
            lambda: store.set_role(session, "ghost", "viewer"),
            lambda: store.set_disabled(session, "ghost"),
        ):
            with pytest.raises(AccountError, match='no account named "ghost"'):
                change()


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(blank_engine):
    _add(blank_engine)
    before = _sign_in(blank_engine, "dilnoza", PASSWORD)
    with Session(blank_engine) as session:
        assert store.find_active(session, before.id, before.stamp) == before
    with Session(blank_engine) as session, session.begin():
        store.set_password(session, "dilnoza", "a-new-password-2")
    with Session(blank_engine) as session:
        assert store.find_active(session, before.id, before.stamp) is None
        assert store.find_active(session, before.id, "") is None
    after = _sign_in(blank_engine, "dilnoza", "a-new-password-2")
    assert after.stamp != before.stamp and PASSWORD not in after.stamp
