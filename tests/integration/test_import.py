"""The import page in a browser, the whole story of issue 15.

Staff sign in at /login, upload a file with errors and see the problem table (the Load button
stays off), upload the corrected file (a new quarter for two districts), see the preview and the
completeness warning, load it and see the new value on /connectivity; an admin then rolls the
batch back on /data, the previous value returns, and the audit list shows the three entries.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from dash.testing.wait import until
from sqlalchemy import text

from app import create_app
from config import ROOT, Config
from data_loaders.db import make_engine
from tests.integration.conftest import click_when_clickable, foreign_requests, seeded_copy_with_accounts

DATA = ROOT / "tests" / "data" / "import"
BAD, GOOD = "coverage_2026-Q4_with_errors.csv", "coverage_2026-Q4.csv"
STAFF, ADMIN, PASSWORD = "sara.staff", "adam.admin", "import-browser-0015"
VALUE_SQL = (
    "SELECT value FROM observation WHERE indicator_code = 'TJ.MOB.4G.POP.ZS' AND geo_code = 'TJ-GB-01' "
    "AND period = '2026-Q4' AND breakdown = 'total' AND is_current"
)
DISTRICT = "/connectivity?lang=en&district=TJ-GB-01"


@pytest.fixture
def database(seeded_sqlite_url, tmp_path) -> str:
    """A writable copy of the seeded database with a connectivity staff member and an admin."""
    accounts = [(STAFF, PASSWORD, "staff", ["connectivity"]), (ADMIN, PASSWORD, "admin", None)]
    return seeded_copy_with_accounts(seeded_sqlite_url, tmp_path / "import.sqlite3", accounts)


def _scalar(url: str, sql: str):
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def _sign_in(dash_duo, username: str, next_path: str) -> None:
    dash_duo.driver.get(f"{dash_duo.server_url}/login?{urlencode({'lang': 'en', 'next': next_path})}")
    dash_duo.wait_for_element("#username", timeout=20).send_keys(username)
    dash_duo.find_element("#password").send_keys(PASSWORD)
    click_when_clickable(dash_duo, dash_duo.find_element("#login-submit"))
    # the navbar may be collapsed in a narrow window: its text is read, not its rendering
    until(lambda: username in _text_content(dash_duo, "#account-name"), timeout=20)


def _text_content(dash_duo, selector: str) -> str:
    found = dash_duo.find_elements(selector)
    return (found[0].get_attribute("textContent") or "") if found else ""


def _upload(dash_duo, name: str) -> None:
    until(lambda: dash_duo.find_element("#import-upload input").is_enabled(), timeout=30)
    dash_duo.find_element("#import-upload input").send_keys(str(DATA / name))
    dash_duo.wait_for_contains_text("#import-upload-message", name, timeout=30)


def _kpi_values(dash_duo) -> list[str]:
    return [element.text for element in dash_duo.find_elements(".kpi-value")]


def test_import001_staff_check_fix_and_load_a_file_then_an_admin_rolls_it_back(dash_duo, database, tmp_path):
    app = create_app(
        Config(
            database_url=database,
            seed_on_start=False,
            secret_key="test",
            default_language="en",
            uploads_dir=str(tmp_path / "uploads"),
            jobs_dir=str(tmp_path / "jobs"),
        )
    )
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(1400, 1000)  # wide enough for the navbar not to fold
    dash_duo.driver.get(dash_duo.server_url + DISTRICT)
    until(lambda: "43.1" in _kpi_values(dash_duo), timeout=30)  # 2026-Q3, the latest quarter before the file

    _sign_in(dash_duo, STAFF, "/import?lang=en")
    dash_duo.wait_for_contains_text("#import-themes", "connectivity", timeout=20)
    assert not dash_duo.find_element("#import-load").is_enabled()

    # a file with errors: every problem in a table, nothing to load
    _upload(dash_duo, BAD)
    dash_duo.wait_for_contains_text("#import-problems", "TJ-GB-99", timeout=60)
    problems = dash_duo.find_element("#import-problems")
    assert "unknown geo code" in problems.text and "outside 0-100" in problems.text
    assert problems.find_element("css selector", "caption").text.startswith("Problems found: 2.")
    assert not dash_duo.find_element("#import-load").is_enabled()
    assert _scalar(database, VALUE_SQL) is None

    # the corrected file: counts, the completeness warning, the preview, then Load
    _upload(dash_duo, GOOD)
    dash_duo.wait_for_element("#import-preview .main-svg g.trace", timeout=60)
    assert "2026-Q4: 2 of 59 districts reported" in dash_duo.find_element("#import-warnings").text
    assert "Population covered by 4G" in dash_duo.find_element("#import-counts").text
    legend = dash_duo.find_element("#import-preview .legend").text
    assert "Before this file" in legend and "After loading this file" in legend
    load = dash_duo.find_element("#import-load")
    until(load.is_enabled, timeout=20)
    click_when_clickable(dash_duo, load)
    dash_duo.wait_for_contains_text("#import-loaded-alert", "Loaded as import batch", timeout=60)
    batch_id = int(dash_duo.find_element("#import-loaded-alert strong").text.split()[-1].rstrip("."))
    until(lambda: not dash_duo.find_element("#import-load").is_enabled(), timeout=10)  # no second load
    assert _scalar(database, VALUE_SQL) == 47.5

    # the link to the theme's page, then the district: the new quarter's value
    click_when_clickable(dash_duo, dash_duo.find_element("#import-loaded-alert a"))
    dash_duo.wait_for_element("#conn-kpis", timeout=30)
    assert "/connectivity" in dash_duo.driver.current_url
    dash_duo.driver.get(dash_duo.server_url + DISTRICT)
    until(lambda: "47.5" in _kpi_values(dash_duo), timeout=30)

    # sign out; the admin rolls the batch back on /data
    if not dash_duo.find_element("#logout-button").is_displayed():
        click_when_clickable(dash_duo, dash_duo.find_element("#navbar-toggler"))
    click_when_clickable(dash_duo, dash_duo.wait_for_element("#logout-button", timeout=20))
    dash_duo.wait_for_element("#login-link", timeout=20)
    _sign_in(dash_duo, ADMIN, "/data?lang=en")
    row = dash_duo.wait_for_element(f"#audit-table tr[data-batch='{batch_id}']", timeout=30)
    assert STAFF in row.text and GOOD in row.text and "loaded" in row.text
    button_id = json.dumps({"index": batch_id, "type": "rollback-button"}, separators=(",", ":"))
    click_when_clickable(dash_duo, dash_duo.find_element(f"[id='{button_id}']"))
    dash_duo.wait_for_contains_text("#rollback-confirm-text", GOOD, timeout=20)
    click_when_clickable(dash_duo, dash_duo.find_element("#rollback-confirm"))
    dash_duo.wait_for_contains_text("#rollback-message", f"Batch {batch_id} rolled back", timeout=30)
    assert _scalar(database, VALUE_SQL) is None

    # the audit list: rejected by staff, loaded by staff and now rolled back, the roll-back by the admin
    rejected = dash_duo.find_element("#audit-table tr[data-status='rejected']")
    assert BAD in rejected.text and STAFF in rejected.text and "2" in rejected.text
    rolled = dash_duo.find_element(f"#audit-table tr[data-batch='{batch_id}']")
    until(lambda: "rolled back" in rolled.text, timeout=10)
    assert STAFF in rolled.text
    undo = dash_duo.find_element("#audit-table tr[data-status='rollback']")
    assert ADMIN in undo.text and f"roll-back of batch {batch_id}" in undo.text

    # the previous value is back on the page: 2026-Q3 is the district's latest quarter again
    dash_duo.driver.get(dash_duo.server_url + DISTRICT)
    until(lambda: "43.1" in _kpi_values(dash_duo) and "47.5" not in _kpi_values(dash_duo), timeout=30)
    assert foreign_requests(dash_duo) == []
