"""The park page's URL parsing and its occupancy callback on the seeded SQLite database: unknown
values fall back, and a building change answers a small patch of the target markers, not a figure."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app import create_app
from config import Config


@pytest.fixture(scope="module")
def app(seeded_sqlite_url):
    app = create_app(Config(database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test"))
    app.server.test_client().get("/")  # the pages router registers its callback on the first request
    return app


def test_unknown_building_and_bad_dates_fall_back(app):
    from pages.park import parse_view

    with app.server.test_request_context():
        view = parse_view({"lang": "en", "building": "B2", "as_of": "2026-06-30"})
        assert (view.building, view.day, view.names["B2"]) == ("B2", date(2026, 6, 30), "Building B")
        for asked in ({"building": "NOPE", "as_of": "2026-13-45"}, {"as_of": "1850-01-01"}, {"as_of": ""}):
            fallback = parse_view({"lang": "en", **asked})
            assert (fallback.building, fallback.day) == (None, date.today())


def _occupancy(app, search: str, shown: dict) -> tuple[int, dict | None]:
    """Ask the occupancy callback, as the browser does, for ``search`` while the chart shows ``shown``."""
    key = next(k for k in app.callback_map if "park-occupancy-shown.data" in k)
    outputs = []
    for part in key.strip(".").split("..."):
        component, prop = part.rsplit(".", 1)
        outputs.append({"id": json.loads(component) if component.startswith("{") else component, "property": prop})
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": [{"id": "page-url", "property": "search", "value": search}],
        "state": [{"id": "park-occupancy-shown", "property": "data", "value": shown}],
        "changedPropIds": ["page-url.search"],
    }
    response = app.server.test_client().post("/_dash-update-component", json=body)
    return response.status_code, response.get_json(silent=True)


def test_a_building_change_patches_only_the_target_markers(app):
    status, answer = _occupancy(app, "?lang=en&as_of=2026-06-30&building=B2", {"day": "2026-06-30", "whole": True})
    assert status == 200
    parts = answer["response"]
    figure = parts["park-occupancy"]["figure"]
    assert figure["__dash_patch_update"] == "__dash_patch_update"  # a patch, not a figure
    assert [op["operation"] for op in figure["operations"]] == ["Delete"]
    # title, caption, export: unchanged; the summary drops the target with the markers
    assert set(parts) == {"park-occupancy", "park-occupancy-summary", "park-occupancy-shown"}
    assert "target" not in parts["park-occupancy-summary"]["children"]
    assert parts["park-occupancy-shown"]["data"] == {"day": "2026-06-30", "whole": False}


def test_a_date_change_redraws_the_chart_and_the_same_view_none(app):
    status, answer = _occupancy(app, "?lang=en&as_of=2025-09-30", {"day": "2026-06-30", "whole": True})
    assert status == 200 and "data" in answer["response"]["park-occupancy"]["figure"]
    status, _ = _occupancy(app, "?lang=en&as_of=2025-09-30", {"day": "2025-09-30", "whole": True})
    assert status == 204
