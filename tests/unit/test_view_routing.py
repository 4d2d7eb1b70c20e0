"""The router re-renders a page only for a new page or language: a request for the page the browser
already shows (same path, same language) gets 204 and no layout; anything else gets the layout."""

from __future__ import annotations

import json

import pytest

from app import create_app
from config import Config
from pages._view_routing import PAGE_URL, SHOWN_VIEW, page_location

ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."


@pytest.fixture(scope="module")
def client(seeded_sqlite_url):
    config = Config(database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test", default_language="en")
    client = create_app(config).server.test_client()
    client.get("/")  # the pages router registers its callback on the first request
    return client


def _route(client, pathname: str, search: str, shown: dict | None):
    body = {
        "output": ROUTER_OUTPUT,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "state": [{"id": SHOWN_VIEW, "property": "data", "value": shown}],
        "changedPropIds": ["_pages_location.search"],
    }
    return client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")


def test_first_render_draws_the_page_with_its_own_location(client):
    response = _route(client, "/connectivity", "?lang=en&metric=3g", None)
    assert response.status_code == 200
    layout = json.dumps(response.get_json()["response"]["_pages_content"]["children"])
    # the page's own location carries the query it was drawn from, so mounting it fires nothing
    assert f'"id": "{PAGE_URL}"' in layout and '"search": "?lang=en&metric=3g"' in layout


@pytest.mark.parametrize("search", ["?lang=en&metric=3g", "?metric=uncovered&lang=en&region=TJ-KT"])
def test_a_query_change_on_the_page_shown_is_left_to_the_page(client, search):
    response = _route(client, "/connectivity", search, {"path": "/connectivity", "lang": "en"})
    assert response.status_code == 204 and not response.data


@pytest.mark.parametrize(
    "pathname,search,shown",
    [
        ("/connectivity", "?lang=ru", {"path": "/connectivity", "lang": "en"}),  # a new language
        ("/connectivity", "?lang=en", {"path": "/it-sector", "lang": "en"}),  # a new page
        ("/connectivity", "", {"path": "/connectivity", "lang": "en"}),  # the language left the URL
    ],
)
def test_a_new_page_or_language_is_rendered(client, pathname, search, shown):
    response = _route(client, pathname, search, shown)
    assert response.status_code == 200
    assert response.get_json()["response"]["_pages_content"]["children"]


def test_page_location_outside_a_callback_takes_the_parameters():
    location = page_location({"lang": "tg", "metric": "3g", "region": None, "junk": ["a", "b"]})
    assert (location.id, location.refresh, location.search) == (PAGE_URL, False, "?lang=tg&metric=3g")
