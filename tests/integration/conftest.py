"""Browser-test helpers: start the real app on the seeded SQLite database, offline."""

from __future__ import annotations

import pytest

from app import create_app
from config import Config


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
