"""Browser-test helpers: start the real app on the seeded SQLite database, offline."""

from __future__ import annotations

import time

import pytest
from selenium.common.exceptions import ElementClickInterceptedException, ElementNotInteractableException
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.wait import WebDriverWait

from app import create_app
from config import Config


@pytest.fixture(autouse=True)
def _export_browser_closed_before_the_server_stops(dash_duo):
    """Close the shared export browser at the end of each browser test, before dash.testing stops
    the test's server: it stops a server by raising SystemExit in every thread started during the
    test, which would kill the export browser's helper threads and leave the next test's report
    waiting on a browser that no longer answers. (Depends on dash_duo, so it is torn down first.)"""
    yield
    from exports.renderer import RENDERER

    RENDERER.close()


@pytest.fixture
def dashboard(seeded_sqlite_url):
    """A fresh app on the seeded database (no seeding on start); English unless ``?lang=`` says
    otherwise, so tests can assert English texts (the production default is Tajik)."""
    return create_app(
        Config(database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test", default_language="en")
    )


def foreign_requests(dash_duo) -> list[str]:
    """URLs the page asked for on any host other than the app's (the network may be offline)."""
    entries = dash_duo.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    base = dash_duo.server_url
    return [url for url in entries if not url.startswith(base) and not url.startswith("data:")]


def click_when_clickable(dash_duo, element: WebElement, timeout: float = 20) -> None:
    """Scroll ``element`` to the middle of the window, wait until it can take a click, and click it.

    On a busy machine a card can still be moving (charts resize after their first draw) or a
    dropdown can still cover it when the click arrives; such a click is retried, never faked
    with JavaScript, so a control that really cannot be clicked still fails the test.
    """
    driver = dash_duo.driver
    deadline = time.monotonic() + timeout
    while True:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        WebDriverWait(driver, max(deadline - time.monotonic(), 0.1)).until(EC.element_to_be_clickable(element))
        try:
            element.click()
            return
        except (ElementClickInterceptedException, ElementNotInteractableException):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def logs_besides_not_found(dash_duo, path: str) -> list[dict]:
    """The browser's error log less the 404 status of ``path``: a path that is no page answers 404
    (with the app's not-found page, on purpose) and Chrome logs that status as an error."""
    document = dash_duo.server_url + path + " "
    return [
        log for log in dash_duo.get_logs() if not (log["source"] == "network" and log["message"].startswith(document))
    ]


_RECORD_CALLBACKS = """
if (!window.__dashOutputs) {
    window.__dashOutputs = [];
    window.__dashPending = 0;
    const original = window.fetch;
    window.fetch = function (resource, init) {
        const url = typeof resource === 'string' ? resource : resource.url;
        if (!url.includes('/_dash-update-component') || !init || typeof init.body !== 'string') {
            return original.apply(this, arguments);
        }
        try { window.__dashOutputs.push(JSON.parse(init.body).output); } catch (e) {}
        window.__dashPending += 1;
        const done = () => { window.__dashPending -= 1; };
        const answer = original.apply(this, arguments);
        answer.then(done, done);
        return answer;
    };
}
window.__dashOutputs.length = 0;
"""


def record_callbacks(dash_duo) -> None:
    """From now on, record the ``output`` of every callback request the page sends (Dash 4 sends
    them with ``fetch``); call it again to start a new record. A full page load drops it."""
    dash_duo.driver.execute_script(_RECORD_CALLBACKS)


def recorded_outputs(dash_duo, settle: float = 1.0, timeout: float = 30) -> list[str]:
    """The outputs recorded since ``record_callbacks``, once no new request came for ``settle``
    seconds and none is pending (an answer can trigger the next request), e.g.
    ``['page-url.search', '..conn-map.figure...conn-map-title.children..']``."""
    driver = dash_duo.driver
    seen, quiet_since = None, time.monotonic()
    deadline = quiet_since + timeout
    while time.monotonic() - quiet_since < settle:
        assert time.monotonic() < deadline, f"callbacks still running after {timeout} s"
        state = driver.execute_script("return [window.__dashOutputs.length, window.__dashPending]")
        if state != seen or state[1]:
            seen, quiet_since = state, time.monotonic()
        time.sleep(0.1)
    return list(driver.execute_script("return window.__dashOutputs"))


def seeded_copy_with_accounts(seeded_sqlite_url: str, target, accounts) -> str:
    """A writable copy of the seeded SQLite database at ``target`` with ``accounts`` added, each
    ``(username, password, role, themes)``; returns the copy's URL."""
    import sqlite3

    from sqlalchemy.orm import Session

    from accounts import store
    from data_loaders.db import make_engine

    source, copy = sqlite3.connect(seeded_sqlite_url.removeprefix("sqlite:///")), sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        for username, password, role, themes in accounts:
            store.add(session, username, password, role, themes)
    engine.dispose()
    return url
