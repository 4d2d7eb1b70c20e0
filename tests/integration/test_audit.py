"""The audit list and an admin's roll-back in a browser.

Staff's revision of one value is loaded through the loader, as the CLI and the import page do;
the admin signs in at /login, opens /data, rolls that batch back from its row, confirms, and sees
the message, the roll-back's own row in the audit list, and the earlier value current again.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from dash.testing.wait import until
from sqlalchemy import text
from sqlalchemy.orm import Session

from accounts import store
from app import create_app
from config import Config
from data_loaders.db import make_engine
from data_loaders.load import load_file
from tests.integration.conftest import click_when_clickable, foreign_requests

ADMIN, PASSWORD = "adam.admin", "admin-pass-0005"
VALUE_SQL = (
    "SELECT value FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND geo_code = 'TJ' "
    "AND period = '2022' AND breakdown = 'total' AND is_current"
)


@pytest.fixture
def revised(seeded_sqlite_url, tmp_path):
    """A writable copy of the seeded database with an admin and staff's revision of one value:
    (url, the revision's batch id, the value before it)."""
    target = tmp_path / "audit.sqlite3"
    source, copy = sqlite3.connect(seeded_sqlite_url.removeprefix("sqlite:///")), sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    with engine.connect() as connection:
        before = connection.execute(text(VALUE_SQL)).scalar_one()
    with Session(engine) as session, session.begin():
        store.add(session, ADMIN, PASSWORD, "admin")
    path = tmp_path / "internet_2022_revised.csv"
    path.write_text(
        "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment\n"
        f"IT.NET.USER.ZS,TJ,2022,{before + 1.5},total,P,OWID-ITU,revised\n",
        encoding="utf-8",
    )
    report = load_file(engine, path, loaded_by="staff")
    assert report.ok and report.stats.revised == 1, report.summary()
    engine.dispose()
    return url, report.batch_id, before


def _value(url: str) -> float:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(VALUE_SQL)).scalar_one()
    finally:
        engine.dispose()


def test_audit001_an_admin_rolls_back_a_batch_from_the_audit_list(dash_duo, revised):
    url, batch_id, before = revised
    app = create_app(Config(database_url=url, seed_on_start=False, secret_key="test", default_language="en"))
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/login?lang=en")
    dash_duo.wait_for_element("#username").send_keys(ADMIN)
    dash_duo.find_element("#password").send_keys(PASSWORD)
    click_when_clickable(dash_duo, dash_duo.find_element("#login-submit"))
    dash_duo.wait_for_element("#navbar-account", timeout=20)

    dash_duo.driver.get(dash_duo.server_url + "/data?lang=en")
    row = dash_duo.wait_for_element(f"#audit-table tr[data-batch='{batch_id}']", timeout=20)
    assert "staff" in row.text and "internet_2022_revised.csv" in row.text and "loaded" in row.text
    button_id = json.dumps({"index": batch_id, "type": "rollback-button"}, separators=(",", ":"))
    click_when_clickable(dash_duo, dash_duo.find_element(f"[id='{button_id}']"))
    dash_duo.wait_for_contains_text("#rollback-confirm-text", "internet_2022_revised.csv", timeout=20)
    assert "staff" in dash_duo.find_element("#rollback-confirm-text").text
    assert _value(url) == pytest.approx(before + 1.5)  # nothing happens before the confirmation

    click_when_clickable(dash_duo, dash_duo.find_element("#rollback-confirm"))
    dash_duo.wait_for_contains_text("#rollback-message", f"Batch {batch_id} rolled back", timeout=30)
    undo = dash_duo.wait_for_element("#audit-table tr[data-status='rollback']", timeout=20)
    assert f"roll-back of batch {batch_id}" in undo.text and ADMIN in undo.text
    rolled = dash_duo.find_element(f"#audit-table tr[data-batch='{batch_id}']")
    until(lambda: "rolled back" in rolled.text, timeout=10)
    assert not rolled.find_elements("css selector", "button")  # once rolled back, no button
    assert dash_duo.find_element("#rollback-confirmation").get_attribute("hidden") is not None
    assert _value(url) == pytest.approx(before)
    assert foreign_requests(dash_duo) == []
