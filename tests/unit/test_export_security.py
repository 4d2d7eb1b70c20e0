"""Chart exports and the PDF report cannot be turned against the server: a crafted request makes
the export browser fetch nothing (a real HTTP listener on loopback counts every request), an
oversized figure or body is refused, each client has a rate limit, and a report without its
database is a 503, not an empty PDF."""

from __future__ import annotations

import base64
import http.server
import logging
import socket
import threading
import time
import xml.etree.ElementTree as ET

import pytest

from config import Config
from exports.renderer import RENDERER, browser_path
from tests.unit import dash_calls

needs_browser = pytest.mark.skipif(browser_path() is None, reason="Chromium is not installed")
DOWNLOAD_OUTPUT = '{"chart":["MATCH"],"type":"exp-download"}.data'
CHART = "conn-profile"  # a chart whose data the server builds (CSV, XLSX)
META = {
    "title": "Rural coverage",
    "subtitle": "Khatlon",
    "sources": [{"name": "Demo generator", "licence": "CC0", "kind": "synthetic"}],
    "lang": "en",
    "name": "conn-rural",
    "data": None,
}


@pytest.fixture(scope="module", autouse=True)
def _stop_browser():
    yield
    RENDERER.close()


class Listener:
    """An HTTP server on loopback that records every request it gets."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server convention
                listener.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(base64.b64decode(PIXEL))

            def log_message(self, *_args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/{path}"


PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.server.shutdown()
    server.server.server_close()


def fetching_figure(listener: Listener) -> dict:
    """A figure that asks for loopback resources every way plotly allows."""
    image = {"xref": "paper", "yref": "paper", "x": 0, "y": 1, "sizex": 0.5, "sizey": 0.5}
    return {
        "data": [
            {"type": "bar", "x": ["a", "b"], "y": [1, 2], "name": f"<a href='{listener.url('a')}'>x</a>"},
        ],
        "layout": {
            "images": [
                {**image, "source": listener.url("ip.png")},
                {**image, "source": listener.url("n.png", "localhost")},
            ],
            "template": {"layout": {"images": [{**image, "source": listener.url("template.png")}]}},
            "title": {"text": f"<span style=\"background:url('{listener.url('css.png')}')\">t</span>"},
            "annotations": [{"text": f"<img src='{listener.url('img.png')}'>", "x": 0, "y": 0}],
        },
        "frames": [{"layout": {"images": [{**image, "source": listener.url("frame.png")}]}}],
    }


def make_app(database_url: str, **settings):
    from app import create_app

    return create_app(Config(database_url=database_url, seed_on_start=False, secret_key="test", **settings))


@pytest.fixture
def client(seeded_sqlite_url):
    return make_app(seeded_sqlite_url).server.test_client()


def export_payload(client, fmt: str, figure: dict | None, meta: dict | None = None) -> dict:
    """The export callback's request after a menu click: CSV's own callback, else the job's."""
    chart = {"type": "exp-download", "chart": CHART}
    output = DOWNLOAD_OUTPUT if fmt == "csv" else dash_calls.output_key(client, DOWNLOAD_OUTPUT, background=True)
    return dash_calls.body(
        output,
        {"id": chart, "property": "data"},
        [
            {
                "id": {"type": "exp-request", "chart": CHART},
                "property": "data",
                "value": {"fmt": fmt, "chart": CHART, "figure": figure, "search": "?lang=en", "at": time.time()},
            }
        ],
        [{"id": {"type": "exp-meta", "chart": CHART}, "property": "data", "value": meta or META}],
    )


def export_request(client, fmt: str, figure: dict | None, meta: dict | None = None, address: str = "127.0.0.1"):
    """Call the export callback exactly as Dash's renderer does after a menu click: CSV at once,
    the other formats as a background job, polled until it is done."""
    return dash_calls.call(client, export_payload(client, fmt, figure, meta), address=address)


def downloaded(response) -> bytes:
    """The file bytes of a callback answer carrying a ``dcc.send_bytes`` download."""
    assert response.status_code == 200, response.data[:300]
    (download,) = [value["data"] for value in response.get_json()["response"].values()]
    return base64.b64decode(download["content"]) if download["base64"] else download["content"].encode()


@needs_browser
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_export_browser_fetches_nothing_even_for_an_unguarded_figure(listener, fmt):
    images = fetching_figure(listener)["layout"]["images"]  # by address and by name
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"images": images}}
    RENDERER.figure(figure, fmt, 400, 300)  # straight to the browser, no guard: the second wall
    time.sleep(0.5)
    assert listener.paths == []


@needs_browser
def test_export_browser_reads_no_local_file_even_for_an_unguarded_figure(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(base64.b64decode(PIXEL))
    image = {"source": secret.as_uri(), "xref": "paper", "yref": "paper", "x": 0, "y": 1, "sizex": 0.5, "sizey": 0.5}
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"images": [image]}}
    svg = RENDERER.figure(figure, "svg", 400, 300).decode()
    assert "<image" not in svg and PIXEL[:40] not in svg  # choreographer's defaults inlined it as data


@needs_browser
@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_crafted_export_request_fetches_nothing_and_still_gives_the_chart(client, listener, fmt, caplog):
    caplog.set_level(logging.WARNING, "dashboard")
    content = downloaded(export_request(client, fmt, fetching_figure(listener)))
    time.sleep(0.5)
    assert listener.paths == []
    assert "removed" in caplog.text  # the stripped values are logged
    if fmt == "svg":
        root = ET.fromstring(content)
        assert str(listener.port) not in content.decode()
        assert "Rural coverage" in " ".join(root.itertext())  # the chart itself is still drawn
    else:
        assert content[:8] == b"\x89PNG\r\n\x1a\n"


@needs_browser
def test_provenance_text_cannot_make_the_browser_fetch(client, listener):
    meta = {
        **META,
        "title": f"<img src='{listener.url('title.png')}'>",
        "subtitle": f"<a href='{listener.url('sub')}'>filters</a>",
        "sources": [{"name": f"<image href='{listener.url('source.png')}'/>", "licence": "CC0", "kind": "official"}],
    }
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}
    content = downloaded(export_request(client, "svg", figure, meta))
    time.sleep(0.5)
    assert listener.paths == []
    words = " ".join(ET.fromstring(content).itertext())
    assert "<img src=" in words  # drawn as the literal text it is, never as an element


@needs_browser
def test_report_with_urls_in_its_filters_fetches_nothing(client, listener):
    url = listener.url("filter.png")
    response = client.get(f"/_export/report.pdf?page=/connectivity&lang=en&region={url}&district=<img src='{url}'>")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    time.sleep(0.5)
    assert listener.paths == []


def test_oversized_figure_is_refused_quickly_with_a_logged_reason(client, caplog):
    caplog.set_level(logging.WARNING, "dashboard")
    RENDERER.close()
    points = list(range(Config.export_max_points))  # 2x the limit: 120,000 points, about 1.5 MB
    figure = {"data": [{"type": "scatter", "x": points, "y": points}], "layout": {}}
    started = time.perf_counter()
    response = export_request(client, "png", figure)
    assert response.status_code == 204  # nothing rendered, the page goes on
    assert time.perf_counter() - started < 5
    assert "chart export refused" in caplog.text and f"more than {Config.export_max_points} array items" in caplog.text
    assert not RENDERER._alive()  # the browser was never asked


@pytest.mark.parametrize(
    ("kind", "url_property"), [("image", "source"), ("choroplethmap", "geojson"), ("scattermap", "text")]
)
def test_a_trace_that_is_not_a_chart_of_this_app_is_refused(client, listener, caplog, kind, url_property):
    caplog.set_level(logging.WARNING, "dashboard")
    figure = {"data": [{"type": kind, url_property: listener.url(kind)}], "layout": {}}
    assert export_request(client, "svg", figure).status_code == 204
    assert f"trace type {kind!r} is not exported" in caplog.text
    assert listener.paths == []


def test_body_over_the_cap_gets_413_before_any_callback(seeded_sqlite_url, caplog):
    client = make_app(seeded_sqlite_url, max_request_bytes=64 * 1024).server.test_client()
    figure = {"data": [{"type": "bar", "x": ["a"] * 20_000, "y": [1] * 20_000}], "layout": {}}
    caplog.set_level(logging.INFO)
    response = export_request(client, "csv", figure)
    assert response.status_code == 413
    assert "chart export" not in caplog.text  # the callback never ran
    small = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}
    assert downloaded(export_request(client, "csv", small)).startswith(b"\xef\xbb\xbf")  # UTF-8 BOM CSV


def test_report_answers_429_past_its_rate_per_client(seeded_sqlite_url):
    client = make_app(seeded_sqlite_url, report_rate_limit="2/minute").server.test_client()
    answers = [client.get("/_export/report.pdf?page=/no-such-page&lang=ru").status_code for _ in range(3)]
    assert answers == [404, 404, 429]
    refused = client.get("/_export/report.pdf?page=/no-such-page&lang=ru")
    assert refused.status_code == 429 and refused.mimetype == "text/plain"
    assert int(refused.headers["Retry-After"]) > 0
    from i18n import translator

    assert refused.get_data(as_text=True) == translator("ru")(
        "Too many reports asked for in a short time. Please try again in a minute."
    )
    other = client.get("/_export/report.pdf?page=/no-such-page", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other.status_code == 404  # another client has its own count


def test_export_callback_answers_nothing_past_its_rate_and_other_callbacks_go_on(seeded_sqlite_url, caplog):
    app = make_app(seeded_sqlite_url, export_rate_limit="2/minute")
    client = app.server.test_client()
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}
    caplog.set_level(logging.WARNING, "dashboard")
    answers = [export_request(client, "csv", figure).status_code for _ in range(3)]
    assert answers == [200, 200, 204]
    assert "rate limit 2 per 1 minute" in caplog.text
    assert export_request(client, "csv", figure, address="10.0.0.8").status_code == 200
    # The report bar's callback shares /_dash-update-component and is not limited.
    texts = dash_calls.output_key(client, "..exp-report-button.children", background=False)
    for _ in range(4):
        payload = dash_calls.body(
            texts,
            [
                *({"id": part, "property": "children"} for part in ("exp-report-button", "exp-report-status")),
                *({"id": part, "property": "children"} for part in ("exp-report-cancel", "exp-export-busy-text")),
                {"id": "exp-report-bar", "property": "className"},
            ],
            [
                {"id": "exp-report-url", "property": "pathname", "value": "/data"},
                {"id": "exp-report-url", "property": "search", "value": "?lang=en"},
            ],
        )
        assert client.post("/_dash-update-component", json=payload).status_code == 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_rate_limits_count_in_memory_when_redis_is_down(seeded_sqlite_url):
    pytest.importorskip("redis")
    dead = f"redis://127.0.0.1:{_free_port()}/0"
    client = make_app(seeded_sqlite_url, cache_redis_url=dead, report_rate_limit="2/minute").server.test_client()
    answers = [client.get("/_export/report.pdf?page=/no-such-page").status_code for _ in range(3)]
    assert answers == [404, 404, 429]


def test_rate_limits_are_counted_in_redis_when_configured(seeded_sqlite_url):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        store = redis.from_url(url, socket_connect_timeout=0.5)
        store.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    for key in store.scan_iter("*tjdash-limits*"):
        store.delete(key)
    client = make_app(seeded_sqlite_url, cache_redis_url=url, report_rate_limit="2/minute").server.test_client()
    answers = [client.get("/_export/report.pdf?page=/no-such-page").status_code for _ in range(3)]
    assert answers == [404, 404, 429]
    (key,) = store.scan_iter("*tjdash-limits*")
    assert int(store.get(key)) >= 2  # counted where every worker sees it
    store.delete(key)
    # A second app (another worker) on the same Redis shares the count.
    other = make_app(seeded_sqlite_url, cache_redis_url=url, report_rate_limit="2/minute").server.test_client()
    assert [
        client.get("/_export/report.pdf?page=/x").status_code,
        other.get("/_export/report.pdf?page=/x").status_code,
    ] == [404, 404]
    assert other.get("/_export/report.pdf?page=/x").status_code == 429
    for key in store.scan_iter("*tjdash-limits*"):
        store.delete(key)


def test_report_is_503_when_the_database_is_down(caplog):
    caplog.set_level(logging.WARNING, "dashboard")
    app = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/none")
    response = app.server.test_client().get("/_export/report.pdf?page=/connectivity&lang=tg")
    assert response.status_code == 503 and response.mimetype == "text/plain"
    from i18n import translator

    assert response.get_data(as_text=True) == translator("tg")(
        "The report could not be made now. Please try again later."
    )
    assert "database is unavailable" in caplog.text
