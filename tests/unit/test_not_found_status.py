"""A path that is no page answers 404 (with the app, which draws its not-found page); pages,
assets, the API, Dash's routes and /health keep their own status."""

from __future__ import annotations

import pytest

from app import create_app
from config import Config


@pytest.fixture(scope="module")
def client(seeded_sqlite_url):
    config = Config(database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test", default_language="en")
    return create_app(config).server.test_client()


@pytest.mark.parametrize("path", ["/no-such-page", "/park/no-such-unit", "/404", "/data.php?lang=ru", "/Park"])
def test_a_path_that_is_no_page_answers_404_with_the_app(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "DashRenderer" in response.get_data(as_text=True)  # the browser still draws "Page not found"
    assert client.head(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/", "/connectivity", "/it-sector", "/park", "/park/", "/targets?lang=tg", "/data?theme=connectivity"]
)
def test_every_page_answers_200(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/assets/10_dashboard.css", 200),
        ("/_dash-layout", 200),
        ("/_dash-dependencies", 200),
        ("/health", 200),
        ("/api/v1/indicators", 200),
        ("/api/v1/indicators/NO.SUCH.json", 404),
    ],
)
def test_other_routes_keep_their_status(client, path, status):
    assert client.get(path).status_code == status


def test_an_unknown_api_path_stays_a_json_error(client):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.is_json
