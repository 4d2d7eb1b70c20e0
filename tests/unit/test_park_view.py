"""The park page's URL parsing and its occupancy callback on the seeded SQLite database: unknown
values fall back, a building change answers a small patch of the target markers, not a figure, and
the unit callback shows the same unit for a click on the plan and a choice in the unit list."""

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


def _show_unit(app, trigger: str, click: dict | None, unit: str | None) -> dict:
    """Ask the unit callback, as the browser does, after a click on the plan or a choice in the list."""
    from components.park_contents import floor_plan_content
    from pages.park import parse_view

    key = next(k for k in app.callback_map if "park-unit-detail.children" in k)
    outputs = []
    for part in key.strip(".").split("..."):
        component, prop = part.rsplit(".", 1)
        outputs.append({"id": component, "property": prop.split("@")[0]})
    with app.server.test_request_context():
        figure = json.loads(floor_plan_content(parse_view({"lang": "en", "as_of": "2026-06-30"})).figure.to_json())
    body = {
        "output": key,
        "outputs": outputs,
        "inputs": [
            {"id": "park-floor-plan", "property": "clickData", "value": click},
            {"id": "park-unit", "property": "value", "value": unit},
        ],
        "state": [
            {"id": "park-floor-plan", "property": "figure", "value": figure},
            {"id": "page-url", "property": "search", "value": "?lang=en&as_of=2026-06-30"},
        ],
        "changedPropIds": [trigger],
    }
    response = app.server.test_client().post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return {"figure": figure, **response.get_json()["response"]}


def test_the_unit_list_and_a_click_show_the_same_unit(app):
    chosen = _show_unit(app, "park-unit.value", None, "B1-1-01")
    detail = json.dumps(chosen["park-unit-detail"]["children"])
    row = next(c for t in chosen["figure"]["data"] for c in t["customdata"] if c[0] == "B1-1-01")
    assert "B1-1-01" in detail and row[1] in detail  # the unit and its tenant
    assert chosen["park-unit"]["value"] == "B1-1-01"
    patch = chosen["park-floor-plan"]["figure"]
    assert patch["__dash_patch_update"] == "__dash_patch_update"  # the plan is patched, not redrawn
    framed = [op for op in patch["operations"] if isinstance(op["params"]["value"]["width"], list)]
    assert len(framed) == 1 and max(framed[0]["params"]["value"]["width"]) > 2  # one trace frames the unit

    clicked = _show_unit(app, "park-floor-plan.clickData", {"points": [{"customdata": row}]}, None)
    assert clicked["park-unit"]["value"] == "B1-1-01"  # the list follows the click
    assert clicked["park-unit-detail"] == chosen["park-unit-detail"]

    cleared = _show_unit(app, "park-floor-plan.clickData", None, "B1-1-01")  # a view change clears the click
    assert cleared["park-unit"]["value"] is None and "Click a unit" in json.dumps(cleared["park-unit-detail"])
