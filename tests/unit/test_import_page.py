"""The import page through the HTTP callback endpoint, as the browser calls it: upload, dry run,
problems (listed and downloaded), preview, load; the roles and themes that may not; the audit."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import pytest
from plotly.utils import PlotlyJSONEncoder
from sqlalchemy import func, select

from accounts import store
from config import ROOT, Config
from data_loaders import models as m
from data_loaders.db import make_engine, session_scope
from data_loaders.schema import upgrade_database
from data_loaders.seed import load_seed
from tests.conftest import _pg_schema_url
from tests.unit import dash_calls

DATA = ROOT / "tests" / "data" / "import"
PASSWORD = "import-tests-password"
BAD, GOOD, LEASES = "coverage_2026-Q4_with_errors.csv", "coverage_2026-Q4.csv", "park_leases_one.csv"
COVERAGE_4G = "TJ.MOB.4G.POP.ZS"
MAX_BYTES = 1024 * 1024  # the app's IMPORT_MAX_BYTES here
FRAME_OUTPUTS = [
    ("navbar-links", "children"),
    ("language-switch", "children"),
    ("navbar-account", "children"),
    ("navbar-brand", "children"),
    ("navbar-brand", "href"),
    ("site-footer", "children"),
    ("page-titles", "data"),
    ("skip-link", "children"),
]
ADDRESSES = iter(f"10.9.{i // 200}.{i % 200 + 1}" for i in range(10_000))  # one per sign-in: no login rate limit


@pytest.fixture(scope="module")
def database_url(backend, seeded_sqlite_url, tmp_path_factory) -> str:
    """A seeded database of this module's own, which its tests write to."""
    if backend == "sqlite":
        target = tmp_path_factory.mktemp("import") / "import.sqlite3"
        shutil.copy(seeded_sqlite_url.removeprefix("sqlite:///"), target)
        url = f"sqlite:///{target}"
    else:
        url = _pg_schema_url("t_import")
        engine = make_engine(url)
        upgrade_database(engine)
        load_seed(engine, log=lambda _msg: None)
        engine.dispose()
    engine = make_engine(url)
    with session_scope(engine) as session:
        store.add(session, "conn", PASSWORD, "staff", ["connectivity"])
        store.add(session, "conn2", PASSWORD, "staff", ["connectivity"])
        store.add(session, "vic", PASSWORD, "viewer")
        store.add(session, "adm", PASSWORD, "admin")
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def uploads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="module")
def app(database_url, uploads, tmp_path_factory):
    from app import create_app

    jobs = tmp_path_factory.mktemp("jobs")
    config = Config(
        database_url=database_url,
        seed_on_start=False,
        secret_key="test",
        default_language="en",
        jobs_dir=str(jobs),
        uploads_dir=str(uploads),
        import_max_bytes=MAX_BYTES,
    )
    return create_app(config)


def sign_in(app, username: str | None):
    """A test client signed in as ``username`` (None: anonymous) that sends the CSRF header."""
    client = app.server.test_client()
    address = next(ADDRESSES)
    client.environ_base["REMOTE_ADDR"] = address
    if username is not None:
        form = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        data = {"username": username, "password": PASSWORD, "csrf_token": token, "next": "/import"}
        assert client.post("/login", data=data).status_code == 303
    client.get("/import?lang=en")  # an HTML page: the session's CSRF cookie
    cookie = client.get_cookie("_csrf_token")
    if cookie is not None:
        client.environ_base["HTTP_X_CSRFTOKEN"] = cookie.value
    return client


def _call(client, payload):
    return dash_calls.call(client, payload, timeout=120, address=client.environ_base["REMOTE_ADDR"])


def upload(client, name: str, content: bytes | None = None, lang: str = "en"):
    content = (DATA / name).read_bytes() if content is None else content
    uri = "data:text/csv;base64," + base64.b64encode(content).decode()
    payload = dash_calls.body(
        dash_calls.output_key(client, "..import-token.data", background=False),
        [{"id": "import-token", "property": "data"}, {"id": "import-upload-message", "property": "children"}],
        [{"id": "import-upload", "property": "contents", "value": uri}],
        [
            {"id": "import-upload", "property": "filename", "value": name},
            {"id": "import-lang", "property": "data", "value": lang},
        ],
    )
    return client.post("/_dash-update-component", json=payload)


def check(client, token: str, lang: str = "en"):
    payload = dash_calls.body(
        dash_calls.output_key(client, "..import-result.children", background=True),
        [{"id": "import-result", "property": "children"}, {"id": "import-checked", "property": "data"}],
        [{"id": "import-token", "property": "data", "value": token}],
        [{"id": "import-lang", "property": "data", "value": lang}],
    )
    return _call(client, payload)


def download(client, token: str):
    payload = dash_calls.body(
        dash_calls.output_key(client, "import-problems-download.data", background=False),
        {"id": "import-problems-download", "property": "data"},
        [{"id": "import-problems-button", "property": "n_clicks", "value": 1}],
        [{"id": "import-token", "property": "data", "value": token}],
    )
    return client.post("/_dash-update-component", json=payload)


def load(client, token: str, lang: str = "en"):
    payload = dash_calls.body(
        dash_calls.output_key(client, "..import-load-message.children", background=True),
        [{"id": "import-load-message", "property": "children"}, {"id": "import-loaded", "property": "data"}],
        [{"id": "import-load", "property": "n_clicks", "value": 1}],
        [
            {"id": "import-checked", "property": "data", "value": token},
            {"id": "import-lang", "property": "data", "value": lang},
        ],
    )
    return _call(client, payload)


def staged_token(client, name: str) -> str:
    answer = upload(client, name)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    token = answer.get_json()["response"]["import-token"]["data"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,64}", token)
    return token


def response(answer) -> dict:
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer.get_json()["response"]


def texts(node) -> str:
    """Every string in a serialised component tree, joined."""
    if isinstance(node, dict):
        return " ".join(texts(v) for k, v in node.items() if k not in ("type", "namespace", "id"))
    if isinstance(node, list):
        return " ".join(texts(v) for v in node)
    return node if isinstance(node, str) else ""


def find(node, component_id: str):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        return next((f for v in node.values() if (f := find(v, component_id)) is not None), None)
    if isinstance(node, list):
        return next((f for v in node if (f := find(v, component_id)) is not None), None)
    return None


def counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        observations = connection.execute(select(func.count()).select_from(m.Observation)).scalar_one()
        leases = connection.execute(select(func.count()).select_from(m.ParkLease)).scalar_one()
    return {"observations": observations, "leases": leases}


def batches(engine, status: str | None = None) -> list[m.ImportBatch]:
    with session_scope(engine) as session:
        stmt = select(m.ImportBatch).order_by(m.ImportBatch.id)
        if status:
            stmt = stmt.where(m.ImportBatch.status == status)
        found = list(session.scalars(stmt))
        session.expunge_all()
        return found


def q4_value(engine, geo: str) -> float | None:
    o = m.Observation
    stmt = select(o.value).where(
        o.indicator_code == COVERAGE_4G, o.geo_code == geo, o.period == "2026-Q4", o.breakdown == "total", o.is_current
    )
    with engine.connect() as connection:
        return connection.execute(stmt).scalar()


def test_bad_file_lists_every_problem_writes_nothing_and_is_audited(app, engine):
    client = sign_in(app, "conn")
    before, rejected_before = counts(engine), len(batches(engine, "rejected"))
    value_before = q4_value(engine, "TJ-GB-01")  # None unless the clean file's test ran first
    token = staged_token(client, BAD)
    answer = response(check(client, token))
    assert answer["import-checked"]["data"] == ""  # the Load button stays disabled
    table = find(answer["import-result"]["children"], "import-problems")
    shown = texts(table)
    assert "TJ-GB-99" in shown and "unknown geo code" in shown
    assert "140" in shown and "geo_code" in shown and "value" in shown
    assert counts(engine) == before  # nothing written
    assert q4_value(engine, "TJ-GB-01") == value_before
    (rejected,) = batches(engine, "rejected")[rejected_before:]
    assert (rejected.loaded_by, rejected.file_name, rejected.counts) == ("conn", BAD, {"problems": 2})
    assert rejected.kind == "observations" and len(rejected.checksum) == 64
    # the problems as CSV, built on the server from the stored report
    data = response(download(client, token))["import-problems-download"]["data"]
    assert data["filename"] == "coverage_2026-Q4_with_errors_problems.csv"
    lines = data["content"].splitlines()
    assert lines[0] == "row,column,value,reason" and lines[1].startswith("3,geo_code,TJ-GB-99,")
    assert len(lines) == 3
    # a rejected file cannot be loaded, whatever the browser sends
    message = texts(response(load(client, token))["import-load-message"]["children"])
    assert "Check the file first" in message
    assert counts(engine) == before


def test_clean_file_shows_counts_warning_and_preview_then_loads_once(app, engine, uploads):
    client = sign_in(app, "conn")
    token = staged_token(client, GOOD)
    answer = response(check(client, token))
    assert answer["import-checked"]["data"] == token
    result = answer["import-result"]["children"]
    assert "comma" in texts(find(result, "import-summary")) and "utf-8" in texts(find(result, "import-summary"))
    assert "observations (indicator values)" in texts(find(result, "import-summary"))
    counts_table = texts(find(result, "import-counts"))
    assert "4G" in counts_table and COVERAGE_4G in counts_table  # the indicator's name and code
    assert "2026-Q4: 2 of 59 districts reported" in texts(find(result, "import-warnings"))
    figure = find(result, "import-preview")["props"]["figure"]
    names = [trace["name"] for trace in figure["data"]]
    assert names[:2] == ["Before this file", "After loading this file"] and "not in totals" in names[2]
    assert figure["data"][2]["x"] == ["2026-Q4"]
    assert "Preview:" in texts(result) and "synthetic demo data" in texts(result)
    assert q4_value(engine, "TJ-GB-01") is None  # a dry run writes nothing

    loaded = response(load(client, token))
    assert loaded["import-loaded"]["data"]["ok"] is True
    batch_id = loaded["import-loaded"]["data"]["batch_id"]
    message = texts(loaded["import-load-message"]["children"])
    assert f"Loaded as import batch {batch_id}." in message and "Connectivity" in message
    assert q4_value(engine, "TJ-GB-01") == 47.5 and q4_value(engine, "TJ-GB-02") == 51.0
    (batch,) = [b for b in batches(engine) if b.id == batch_id]
    assert (batch.status, batch.loaded_by, batch.file_name, batch.rows) == ("loaded", "conn", GOOD, 2)
    assert not (uploads / token).exists()  # the staged file is removed
    # the same token a second time: refused, nothing more written
    again = response(load(client, token))
    assert again["import-loaded"]["data"]["ok"] is False
    assert "no longer available" in texts(again["import-load-message"]["children"])
    assert [b.id for b in batches(engine, "loaded")][-1] == batch_id


def test_staff_of_another_theme_gets_the_theme_problem(app, engine):
    client = sign_in(app, "conn")
    before = counts(engine)
    answer = response(check(client, staged_token(client, LEASES)))
    assert answer["import-checked"]["data"] == ""
    assert "park_leases files are park data; your account loads connectivity data only" in texts(
        answer["import-result"]["children"]
    )
    assert counts(engine) == before


def test_an_admin_loads_every_theme_dry_run(app):
    client = sign_in(app, "adm")
    answer = response(check(client, staged_token(client, LEASES)))
    # not refused for its theme (L9001 is a new lease of an existing unit and tenant)
    assert "park data" not in texts(answer["import-result"]["children"])


def test_a_token_is_its_owners_alone(app, engine):
    owner, other = sign_in(app, "conn"), sign_in(app, "conn2")
    token = staged_token(owner, GOOD)
    answer = check(other, token)
    assert "belongs to another account" in texts(response(answer)["import-result"]["children"])
    assert download(other, token).status_code == 204  # no update: nothing sent
    loaded = response(load(other, token))
    assert "belongs to another account" in texts(loaded["import-load-message"]["children"])
    assert q4_value(engine, "TJ-GB-01") in (None, 47.5)  # unchanged by the other account


def test_an_upload_that_is_not_csv_or_xlsx_or_too_big_is_refused(app, uploads):
    client = sign_in(app, "conn")
    before = set(uploads.iterdir())
    answer = response(upload(client, "../../evil.sh", b"echo 1\n"))
    assert answer["import-token"]["data"] == ""
    assert "Only CSV and XLSX" in texts(answer["import-upload-message"]["children"])
    answer = response(upload(client, "big.csv", b"x" * (MAX_BYTES + 1)))
    assert "larger than" in texts(answer["import-upload-message"]["children"])
    assert set(uploads.iterdir()) == before


@pytest.mark.parametrize("who, status", [(None, 401), ("vic", 403)])
def test_anonymous_and_viewers_are_refused_every_callback(app, engine, uploads, who, status):
    owner = sign_in(app, "conn")
    token = staged_token(owner, GOOD)
    client = sign_in(app, who)
    before, staged_before = counts(engine), set(uploads.iterdir())
    assert upload(client, GOOD).status_code == status
    assert check(client, token).status_code == status
    assert download(client, token).status_code == status
    assert load(client, token).status_code == status
    assert counts(engine) == before and set(uploads.iterdir()) == staged_before
    assert client.get("/import?lang=en").status_code == status  # the page itself


def test_a_write_without_the_csrf_header_is_refused(app):
    client = sign_in(app, "conn")
    del client.environ_base["HTTP_X_CSRFTOKEN"]
    assert upload(client, GOOD).status_code == 400


def _layout_as(app, account: store.SignedIn | None) -> dict:
    """The page's layout as the router draws it for ``account`` (in-app navigation)."""
    from flask_login import login_user

    from accounts.web import _Account
    from pages import import_data

    with app.server.test_request_context("/_dash-update-component", method="POST"):
        if account is not None:
            login_user(_Account(account))
        return json.loads(json.dumps(import_data.layout(lang="en"), cls=PlotlyJSONEncoder))


def test_layout_says_why_instead_of_the_controls(app):
    anonymous = _layout_as(app, None)
    assert find(anonymous, "import-upload") is None
    assert find(anonymous, "import-login-link")["props"]["href"] == "/login?next=%2Fimport&lang=en"
    viewer = _layout_as(app, store.SignedIn(0, "vic", "viewer", ()))
    assert find(viewer, "import-upload") is None and "may not import data" in texts(viewer)
    staff = _layout_as(app, store.SignedIn(0, "conn", "staff", ("connectivity",)))
    assert find(staff, "import-upload")["props"]["max_size"] == MAX_BYTES
    assert texts(find(staff, "import-themes")) == "connectivity"
    assert texts(find(_layout_as(app, store.SignedIn(0, "adm", "admin", ())), "import-themes")) == "every theme"


@pytest.mark.parametrize("who, linked", [(None, False), ("vic", False), ("conn", True), ("adm", True)])
def test_the_page_is_in_the_navbar_for_staff_and_admins(app, who, linked):
    client = sign_in(app, who)
    payload = dash_calls.body(
        dash_calls.output_key(client, "..navbar-links.children", background=False),
        [{"id": i, "property": p} for i, p in FRAME_OUTPUTS],
        [
            {"id": "url", "property": "pathname", "value": "/"},
            {"id": "url", "property": "search", "value": "?lang=en"},
        ],
    )
    links = client.post("/_dash-update-component", json=payload).get_json()["response"]["navbar-links"]["children"]
    assert ("/import" in str(links)) is linked


def test_the_import_page_has_no_pdf_report(app):
    from pages._report import _reported, find_page

    assert find_page("/import")["order"] == 6 and not _reported(find_page("/import"))
    assert _reported(find_page("/connectivity"))
    assert sign_in(app, None).get("/_export/report.pdf?page=/import").status_code == 404


def test_a_large_file_reports_rows_validated_of_the_total(app, tmp_path):
    import csv

    with open(ROOT / "seed_data" / "reference" / "geo.csv", encoding="utf-8") as handle:
        districts = [row["code"] for row in csv.DictReader(handle) if row["level"] == "district"]
    lines = ["indicator_code,geo_code,period,value,breakdown"]
    for year in range(2027, 2044):
        for quarter in range(1, 5):
            for geo in districts:
                for breakdown in ("total", "urban", "rural"):
                    lines.append(f"{COVERAGE_4G},{geo},{year}-Q{quarter},50.5,{breakdown}")
    total = len(lines) - 1
    assert total > 10_000  # more than one chunk of the loader: progress comes before the end
    client = sign_in(app, "conn")
    answer = upload(client, "many.csv", ("\n".join(lines) + "\n").encode())
    token = response(answer)["import-token"]["data"]
    progress: list = []
    payload = dash_calls.body(
        dash_calls.output_key(client, "..import-result.children", background=True),
        [{"id": "import-result", "property": "children"}, {"id": "import-checked", "property": "data"}],
        [{"id": "import-token", "property": "data", "value": token}],
        [{"id": "import-lang", "property": "data", "value": "en"}],
    )
    done = response(
        dash_calls.call(client, payload, timeout=300, address=client.environ_base["REMOTE_ADDR"], progress=progress)
    )
    assert done["import-checked"]["data"] == token
    labels = [p["import-progress.label"] for p in progress if p.get("import-progress.label")]
    assert labels and all(label.endswith(f" / {total:,}") for label in labels), progress
    assert labels[-1] in (f"{10_000:,} / {total:,}", f"{total:,} / {total:,}")


def test_an_xlsx_file_is_checked_like_a_csv_one_in_the_ui_language(app, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    # other districts than GOOD's, which another test may have loaded (its rows would be unchanged)
    text = (DATA / GOOD).read_text(encoding="utf-8").replace("TJ-GB-01", "TJ-GB-03").replace("TJ-GB-02", "TJ-GB-04")
    for line in text.splitlines():
        book.active.append([float(cell) if cell.replace(".", "").isdigit() else cell for cell in line.split(",")])
    book.save(tmp_path / "coverage.xlsx")
    client = sign_in(app, "conn")
    answer = response(upload(client, "coverage.xlsx", (tmp_path / "coverage.xlsx").read_bytes(), lang="ru"))
    token = answer["import-token"]["data"]
    result = response(check(client, token, lang="ru"))
    assert result["import-checked"]["data"] == token
    summary = texts(find(result["import-result"]["children"], "import-summary"))
    assert "coverage.xlsx" in summary and "2" in summary
    assert find(result["import-result"]["children"], "import-preview") is not None


def test_a_completeness_warning_is_said_in_the_ui_language_with_the_indicators_name():
    from components.import_views import warning_text

    warning = (
        "TJ.MOB.4G.POP.ZS (total) 2026-Q4: 2 of 59 districts reported (1 % of population) — provisional, "
        "not shown in totals"
    )
    names = {COVERAGE_4G: "Охват 4G"}
    assert warning_text(warning, "ru", names).startswith("Охват 4G: 2026-Q4: данные представили 2 из 59 районов")
    assert warning_text(warning.replace("(total)", "(rural)"), "en", {}).startswith(f"{COVERAGE_4G} (rural): 2026-Q4")
    assert warning_text("column 'x' is not used", "ru") == "column 'x' is not used"  # any other: as it is
