"""The audit list on /data and its roll-back.

The list is drawn from a real (seeded) database; the roll-back is called over HTTP as the browser
calls it, signed in through the /login form: an admin's roll-back restores the earlier value (read
back with plain SQL) and is itself a batch in the list; staff, viewers and anonymous visitors get
403/401 and nothing is written.
"""

from __future__ import annotations

import json
import pickle
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from dash import html
from sqlalchemy import text
from sqlalchemy.orm import Session

from accounts import store
from components.audit_list import AUDIT_ROWS, AUDIT_TABLE, ROLLBACK_BUTTON, audit_body, audit_section, status_text
from config import Config
from data_loaders.load import load_file
from data_loaders.queries import catalogue
from i18n import translator
from tests.unit import dash_calls

HEADER = "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment\n"
PEOPLE = {
    "admin": ("adam.admin", "admin-pass-0005", "admin", []),
    "staff": ("sara.connect", "staff-pass-0004", "staff", ["connectivity"]),
    "viewer": ("vera.viewer", "viewer-pass-0001", "viewer", []),
}
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
CONFIRM_OUTPUT = "..rollback-message.children...audit-body.children.."
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."


def _walk(component):
    """Every component in a tree, depth first."""
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "_prop_names"):
            yield from _walk(child)


def _table(component) -> html.Table:
    (table,) = [c for c in _walk(component) if getattr(c, "id", None) == AUDIT_TABLE]
    return table


def _rows(component) -> list[html.Tr]:
    rows = [c for c in _walk(_table(component)) if isinstance(c, html.Tr)]
    return [r for r in rows if getattr(r, "className", None) == "audit-row"]


def _cell_texts(row: html.Tr) -> list[str]:
    return [" ".join(str(c.children) for c in _walk(td) if isinstance(c.children, str | int)) for td in row.children]


def _batch(**values) -> dict:
    row = {
        "id": 1,
        "kind": "observations",
        "file_name": "q4.csv",
        "checksum": "ab" * 32,
        "rows": 58,
        "loaded_by": "sara",
        "loaded_at": datetime(2026, 11, 28, 9, 5),
        "status": "loaded",
        "counts": {"inserted": 3, "revised": 50, "updated": 2, "unchanged": 3},
        "warnings": [],
        "reverts_batch_id": None,
        "total": 1,
    }
    return row | values


def test_the_list_shows_every_seeded_batch_newest_first(seeded_engine):
    frame = catalogue.import_batches(seeded_engine, AUDIT_ROWS)
    with seeded_engine.connect() as connection:
        expected = connection.execute(text("SELECT id, file_name, checksum, counts FROM import_batch ORDER BY id DESC"))
        expected = [tuple(r) for r in expected]
    section = audit_section(frame, "en")
    table = _table(section)
    assert isinstance(table, html.Table) and isinstance(table.children[0], html.Caption)
    rows = _rows(section)
    assert [int(getattr(r, "data-batch")) for r in rows] == [e[0] for e in expected]
    first = _cell_texts(rows[0])
    batch_id, file_name, checksum, counts = expected[0]
    counts = json.loads(counts) if isinstance(counts, str) else counts
    assert first[0] == str(batch_id) and first[3] == file_name and first[5] == "loaded"
    assert first[6] == str(counts["inserted"]) and first[8] == str(counts["unchanged"])
    code = [c for c in _walk(rows[0]) if isinstance(c, html.Code)][0]
    assert code.children == checksum[:12] and code.title == checksum
    # Not an admin: no roll-back column, no button, no confirmation.
    assert len(first) == 11 and "rollback" not in repr(section)


def test_an_admin_sees_a_button_or_the_reason_per_batch(seeded_engine):
    frame = catalogue.import_batches(seeded_engine, 3)
    ids = [int(i) for i in frame["id"]]
    refusals = {ids[0]: None, ids[1]: "A later batch revised the same values.", ids[2]: None}
    body = audit_body(frame, "en", refusals)
    buttons = [c.id for c in _walk(html.Div(body)) if isinstance(c, html.Button) and isinstance(c.id, dict)]
    assert buttons == [{"type": ROLLBACK_BUTTON, "index": ids[0]}, {"type": ROLLBACK_BUTTON, "index": ids[2]}]
    refused = _rows(html.Div(body))[1].children[-1]  # the reason behind "not possible", one click away
    (details,) = [c for c in _walk(refused) if isinstance(c, html.Details)]
    assert details.children[0].children == "not possible"
    assert details.children[1] == "A later batch revised the same values."
    assert any(getattr(c, "id", None) == "rollback-confirm" for c in _walk(html.Div(body)))


def test_statuses_counts_and_warnings_in_words():
    t = translator("en")
    frame = pd.DataFrame(
        [
            _batch(id=14, status="rollback", reverts_batch_id=12, counts={"restored": 58}),
            _batch(id=13, status="rejected", counts={"problems": 12}, warnings=["a", "b", "c", "d", "e"]),
            _batch(id=12, status="rolled back", warnings=["Column 'x' is not used."]),
            _batch(id=11, status="checked", counts={}),
        ]
    ).astype({"reverts_batch_id": "Int64"})
    rows = _rows(audit_section(frame, "en"))
    texts = [_cell_texts(r) for r in rows]
    assert [x[5] for x in texts] == [
        "roll-back of batch 12",
        "rejected: 12 problems",
        "rolled back by batch 14",
        "checked",
    ]
    assert texts[2][6:9] == ["3", "52", "3"]  # new, revised (revised + updated), unchanged
    assert texts[1][6:9] == ["—", "—", "—"] and texts[3][6:9] == ["—", "—", "—"]
    assert "Column 'x' is not used." in texts[2][9]
    assert "2 more" in texts[1][9] and "e" in texts[1][9]
    assert status_text(next(frame.iloc[[2]].itertuples()), t) == "rolled back"  # its roll-back not in view


def test_dates_follow_the_language_and_the_cap_is_said():
    frame = pd.DataFrame([_batch(total=120)]).astype({"reverts_batch_id": "Int64"})
    ru = _cell_texts(_rows(audit_section(frame, "ru"))[0])[1]
    assert "ноября 2026" in ru and "09:05" in ru
    assert "November 28, 2026" in _cell_texts(_rows(audit_section(frame, "en"))[0])[1]
    assert "The newest 1 of 120 batches are shown." in repr(audit_section(frame, "en"))


def test_the_user_text_stays_text():
    frame = pd.DataFrame(
        [_batch(file_name="{x}<script>.csv", loaded_by="{who}", warnings=["javascript:alert(1)"])]
    ).astype({"reverts_batch_id": "Int64"})
    texts = _cell_texts(_rows(audit_section(frame, "en"))[0])
    assert texts[3] == "{x}<script>.csv" and texts[2] == "{who}"
    assert "href" not in repr(audit_section(frame, "en"))


# --- the roll-back over HTTP -------------------------------------------------------------------


def _write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _value(engine) -> float:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT value FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND geo_code = 'TJ' "
                "AND period = '2023' AND breakdown = 'total' AND is_current"
            )
        ).scalar_one()


def _counts(engine) -> tuple:
    with engine.connect() as connection:
        return tuple(
            connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("observation", "import_batch")
        ) + tuple(connection.execute(text("SELECT id, status FROM import_batch ORDER BY id")).all())


@pytest.fixture
def revised(reference_engine, tmp_path):
    """A database with a first value and staff's revision of it, and an account of each role;
    (engine, the revision's batch id)."""
    first = load_file(reference_engine, _write(tmp_path, "first.csv", "IT.NET.USER.ZS,TJ,2023,40,,,,\n"))
    second = load_file(
        reference_engine,
        _write(tmp_path, "revision.csv", "IT.NET.USER.ZS,TJ,2023,41.5,,,,\nIT.NET.USER.ZS,TJ,2022,36,,,,\n"),
        loaded_by="sara.connect",
    )
    assert first.ok and second.ok and second.stats.revised == 1
    with Session(reference_engine) as session, session.begin():
        for username, password, role, themes in PEOPLE.values():
            store.add(session, username, password, role, themes)
    return reference_engine, second.batch_id


@pytest.fixture
def app(revised):
    from app import create_app  # late: importing app registers the pages

    engine, _ = revised
    url = engine.url.render_as_string(hide_password=False)
    config = Config(
        database_url=url,
        seed_on_start=False,
        secret_key="audit-test",
        default_language="en",
        login_rate_limit="10000/minute",
    )
    return create_app(config)


def _client(app, who: str | None):
    client = app.server.test_client()
    page = client.get("/login")
    if who is not None:
        username, password, _, _ = PEOPLE[who]
        (token,) = CSRF_FIELD.findall(page.get_data(as_text=True))
        answer = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert answer.status_code == 303
    client.get("/")  # an HTML page: the CSRF cookie of this session; the router registers its callback
    return client


def _post(client, payload: dict):
    cookie = client.get_cookie("_csrf_token")
    headers = {"X-CSRFToken": cookie.value} if cookie is not None else {}
    return client.post("/_dash-update-component", json=payload, headers=headers)


def _confirm(batch_id: int) -> dict:
    return dash_calls.body(
        CONFIRM_OUTPUT,
        [{"id": "rollback-message", "property": "children"}, {"id": "audit-body", "property": "children"}],
        [{"id": "rollback-confirm", "property": "n_clicks", "value": 1}],
        [
            {"id": "rollback-pending", "property": "data", "value": batch_id},
            {"id": "page-url", "property": "search", "value": "?lang=en"},
        ],
    )


def _ask(client, batch_id: int):
    output = dash_calls.output_key(client, "..rollback-confirmation.hidden", background=False)
    button = {"type": ROLLBACK_BUTTON, "index": batch_id}
    payload = dash_calls.body(
        output,
        [
            {"id": "rollback-confirmation", "property": "hidden"},
            {"id": "rollback-confirm-text", "property": "children"},
            {"id": "rollback-pending", "property": "data"},
        ],
        [
            {"id": button, "property": "n_clicks", "value": 1},
            {"id": "rollback-cancel", "property": "n_clicks", "value": None},
        ],
        [{"id": "page-url", "property": "search", "value": "?lang=en"}],
    )
    payload["inputs"][0] = [payload["inputs"][0]]  # an ALL pattern: a list of the buttons
    return _post(client, payload)


def _render_data(client) -> str:
    body = {
        "output": ROUTER_OUTPUT,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": "/data"},
            {"id": "_pages_location", "property": "search", "value": "?lang=en"},
        ],
        "state": [{"id": "shown-view", "property": "data", "value": None}],
        "changedPropIds": ["_pages_location.search"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return json.dumps(response.get_json()["response"]["_pages_content"]["children"])


def test_an_admin_rolls_a_batch_back_and_the_earlier_value_returns(app, revised):
    engine, batch_id = revised
    client = _client(app, "admin")
    assert ROLLBACK_BUTTON in _render_data(client)
    asked = _ask(client, batch_id)
    assert asked.status_code == 200
    answer = asked.get_json()["response"]
    assert answer["rollback-confirmation"]["hidden"] is False and answer["rollback-pending"]["data"] == batch_id
    assert "revision.csv" in answer["rollback-confirm-text"]["children"]
    assert "sara.connect" in answer["rollback-confirm-text"]["children"]
    assert _value(engine) == 41.5
    response = _post(client, _confirm(batch_id))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert _value(engine) == 40.0
    out = response.get_json()["response"]
    assert f"Batch {batch_id} rolled back" in json.dumps(out["rollback-message"]["children"])
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, status, loaded_by, reverts_batch_id FROM import_batch")).all()
    statuses = {r.id: (r.status, r.loaded_by, r.reverts_batch_id) for r in rows}
    assert statuses[batch_id][0] == "rolled back"
    (undo,) = [i for i, s in statuses.items() if s[2] == batch_id]
    assert statuses[undo][:2] == ("rollback", "adam.admin")
    redrawn = json.dumps(out["audit-body"]["children"])
    assert f"roll-back of batch {batch_id}" in redrawn and f"rolled back by batch {undo}" in redrawn
    # Rolled back once, it cannot be again: the callback says why and writes nothing.
    before = _counts(engine)
    again = _post(client, _confirm(batch_id))
    assert again.status_code == 200 and "rollback-refused" in json.dumps(again.get_json()["response"])
    assert _counts(engine) == before and _value(engine) == 40.0


@pytest.mark.parametrize(("who", "status"), [("staff", 403), ("viewer", 403), (None, 401)])
def test_no_one_else_may_roll_back(app, revised, who, status):
    engine, batch_id = revised
    client = _client(app, who)
    assert ROLLBACK_BUTTON not in _render_data(client)
    before = _counts(engine)
    assert _ask(client, batch_id).status_code == status
    assert _post(client, _confirm(batch_id)).status_code == status
    assert _counts(engine) == before and _value(engine) == 41.5


def test_an_admin_without_the_csrf_header_is_refused(app, revised):
    engine, batch_id = revised
    client = _client(app, "admin")
    before = _counts(engine)
    response = client.post("/_dash-update-component", json=_confirm(batch_id))
    assert response.status_code in (400, 403)
    assert _counts(engine) == before and _value(engine) == 41.5


def test_a_refusal_reads_in_the_ui_language():
    from data_loaders.reasons import Reason, in_language

    reason = Reason("import batch {batch_id} was a dry run: it wrote nothing", batch_id=7)
    assert reason == "import batch 7 was a dry run: it wrote nothing"  # the CLI's and the log's text
    assert pickle.loads(pickle.dumps(reason)).params == {"batch_id": 7}  # through the query cache
    russian = in_language(reason, translator("ru"))
    assert "7" in russian and russian != reason
