"""/admin/accounts in a browser: an admin signs in at /login, opens the page, adds a staff account
for one theme, and sees it in the table; the password fields are empty again and the new account
is in the database with its role and theme."""

from __future__ import annotations

import pytest
from dash.testing.wait import until
from sqlalchemy.orm import Session

from accounts import store
from app import create_app
from config import Config
from data_loaders.db import make_engine
from tests.integration.conftest import click_when_clickable, foreign_requests, seeded_copy_with_accounts

ADMIN, PASSWORD = "adam.admin", "accounts-browser-0015"
NEW, NEW_PASSWORD = "malika.park", "Iskanderkul-2026"


@pytest.fixture
def database(seeded_sqlite_url, tmp_path) -> str:
    """A writable copy of the seeded database with one admin."""
    return seeded_copy_with_accounts(
        seeded_sqlite_url, tmp_path / "accounts.sqlite3", [(ADMIN, PASSWORD, "admin", None)]
    )


def _account(url: str, name: str):
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            account = store.get(session, name)
            return None if account is None else (account.role, account.themes, account.disabled)
    finally:
        engine.dispose()


def test_accounts001_admin_adds_a_staff_account_and_sees_it_in_the_table(dash_duo, database):
    app = create_app(Config(database_url=database, seed_on_start=False, secret_key="test", default_language="en"))
    dash_duo.start_server(app)

    dash_duo.driver.get(f"{dash_duo.server_url}/login?lang=en&next=/admin/accounts?lang=en")
    dash_duo.wait_for_element("#username", timeout=20).send_keys(ADMIN)
    dash_duo.find_element("#password").send_keys(PASSWORD)
    click_when_clickable(dash_duo, dash_duo.find_element("#login-submit"))
    dash_duo.wait_for_contains_text("#accounts-table", ADMIN, timeout=30)
    # the navbar (folded on a narrow window, hence textContent) names the admin and links the page
    until(lambda: ADMIN in dash_duo.find_element("#account-name").get_attribute("textContent"), timeout=20)
    assert "Accounts" in dash_duo.find_element("#navbar-links").get_attribute("textContent")
    assert NEW not in dash_duo.find_element("#accounts-table").text

    dash_duo.find_element("#accounts-new-name").send_keys(NEW)
    assert dash_duo.find_element("#accounts-new-role").get_attribute("value") == "staff"
    dash_duo.wait_for_element("#accounts-new-themes-box:not(.d-none)", timeout=20)  # themes: shown for staff
    park = dash_duo.driver.find_element(
        "xpath", "//div[@id='accounts-new-themes-box']//label[normalize-space()='IT Park']"
    )
    click_when_clickable(dash_duo, park)
    for field in ("#accounts-new-password", "#accounts-new-repeat"):
        element = dash_duo.find_element(field)
        assert element.get_attribute("type") == "password"
        element.send_keys(NEW_PASSWORD)
    click_when_clickable(dash_duo, dash_duo.find_element("#accounts-add"))

    dash_duo.wait_for_contains_text("#accounts-alert", f"Account {NEW} added with the role Staff.", timeout=30)
    dash_duo.wait_for_contains_text("#accounts-table", NEW, timeout=30)
    row = dash_duo.find_element(f"#accounts-table tr[data-name='{NEW}']")
    assert row.find_element("css selector", ".account-role").text == "Staff"
    assert row.find_element("css selector", ".account-themes").text == "IT Park"
    assert row.find_element("css selector", ".account-state").text == "active"
    until(lambda: dash_duo.find_element("#accounts-new-password").get_attribute("value") == "", timeout=10)
    assert dash_duo.find_element("#accounts-new-repeat").get_attribute("value") == ""
    assert _account(database, NEW) == ("staff", ["park"], False)
    assert foreign_requests(dash_duo) == []
    # the plain /login page has no icon link, so the browser asked for /favicon.ico there: not this page's
    errors = [log for log in dash_duo.get_logs() if log["level"] == "SEVERE" and "/favicon.ico " not in log["message"]]
    assert errors == []
