"""The machine API: happy paths and clear JSON 4xx errors, against the seeded database."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import text

from app import create_app
from config import Config


@pytest.fixture(scope="module")
def client(seeded_engine):
    url = seeded_engine.url.render_as_string(hide_password=False)
    app = create_app(Config(database_url=url, seed_on_start=False, secret_key="test"))
    return app.server.test_client()


def _count(engine, sql: str) -> int:
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar_one()


def test_api001_indicator_list(client, seeded_engine):
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == len(body["indicators"]) == _count(seeded_engine, "SELECT COUNT(*) FROM indicator")
    internet = next(item for item in body["indicators"] if item["code"] == "IT.NET.USER.ZS")
    assert internet["source"]["licence"] == "CC BY 4.0" and internet["kind"] == "official"
    assert internet["links"]["csv"] == "/api/v1/indicators/IT.NET.USER.ZS.csv"
    assert internet["observations"] == _count(
        seeded_engine, "SELECT COUNT(*) FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND is_current"
    )


def test_api002_indicator_list_filters(client):
    park = client.get("/api/v1/indicators?theme=park&kind=synthetic").get_json()
    assert {i["code"] for i in park["indicators"]} == {"TJ.PARK.OCC.ZS", "TJ.PARK.TENANTS", "TJ.PARK.JOBS"}
    russian = client.get("/api/v1/indicators?q=IT.CEL&lang=ru").get_json()
    assert [i["name"] for i in russian["indicators"]] == ["Абоненты мобильной сотовой связи"]


def test_api003_indicator_csv_with_filters(client, seeded_engine):
    response = client.get("/api/v1/indicators/IT.NET.USER.ZS.csv?geo=TJ,kg&from=2015&to=2020")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["X-Contains-Synthetic"] == "false"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == [
        "indicator_code",
        "geo_code",
        "period",
        "value",
        "breakdown",
        "flags",
        "source_code",
        "comment",
        "source_kind",
    ]
    expected = _count(
        seeded_engine,
        "SELECT COUNT(*) FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND is_current "
        "AND geo_code IN ('TJ', 'KG') AND period BETWEEN '2015' AND '2020'",
    )
    assert len(rows) == expected > 0
    assert {r["geo_code"] for r in rows} == {"TJ", "KG"}


def test_api004_indicator_json_marks_synthetic(client, seeded_engine):
    response = client.get("/api/v1/indicators/TJ.MOB.4G.POP.ZS.json?geo=TJ-KT-05&from=2024-Q1&to=2024-Q4")
    assert response.status_code == 200
    body = response.get_json()
    assert body["contains_synthetic"] is True
    assert body["indicator"]["code"] == "TJ.MOB.4G.POP.ZS"
    total = [o for o in body["observations"] if o["breakdown"] == "total"]
    assert [o["period"] for o in total] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]
    assert {o["source_kind"] for o in body["observations"]} == {"synthetic"}
    assert {s["kind"] for s in body["sources"]} == {"synthetic"}
    value = _count(
        seeded_engine,
        "SELECT value FROM observation WHERE indicator_code = 'TJ.MOB.4G.POP.ZS' AND geo_code = 'TJ-KT-05' "
        "AND period = '2024-Q4' AND breakdown = 'total' AND is_current",
    )
    assert total[-1]["value"] == pytest.approx(value)


def test_api005_csv_marks_synthetic_rows(client):
    response = client.get("/api/v1/indicators/TJ.POP.MODEL.csv?geo=TJ-DU")
    assert response.headers["X-Contains-Synthetic"] == "true"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows and {r["source_kind"] for r in rows} == {"synthetic"}


def test_api006_empty_selection_is_not_an_error(client):
    response = client.get("/api/v1/indicators/TJ.PARK.OCC.ZS.json")
    assert response.status_code == 200
    assert response.get_json()["count"] == 0


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/v1/indicators/NO.SUCH.csv", 404, "unknown indicator 'NO.SUCH'"),
        ("/api/v1/indicators/IT.NET.USER.ZS", 404, ".csv"),
        ("/api/v1/indicators/IT.NET.USER.ZS.xlsx", 404, ".json"),
        ("/api/v1/indicators/IT.NET.USER.ZS.csv?geo=ZZ", 400, "unknown geo code(s) ZZ"),
        ("/api/v1/indicators/IT.NET.USER.ZS.json?from=last-year", 400, "bad 'from'"),
        ("/api/v1/indicators/IT.NET.USER.ZS.json?to=2024-13", 400, "month 13"),
        ("/api/v1/indicators/IT.NET.USER.ZS.csv?from=2023&to=2020", 400, "'from' is after 'to'"),
        ("/api/v1/indicators?theme=weather", 400, "unknown theme 'weather'"),
        ("/api/v1/indicators?kind=guess", 400, "unknown kind 'guess'"),
        ("/api/v1/bulk.zip?theme=weather", 400, "unknown theme"),
        ("/api/v1/no-such-endpoint", 404, "no such endpoint"),
    ],
)
def test_api007_errors_are_json_4xx(client, url, status, words):
    response = client.get(url)
    assert response.status_code == status
    assert response.is_json
    assert words in response.get_json()["error"]["message"]


def test_api008_bulk_zip(client):
    response = client.get("/api/v1/bulk.zip?theme=park")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "tj-digital-kpi_park_" in response.headers["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert {"README.md", "metadata.json", "park_leases.csv"} <= set(names)


def test_api009_database_down_is_503_json():
    app = create_app(Config(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", secret_key="t"))
    response = app.server.test_client().get("/api/v1/indicators")
    assert response.status_code == 503
    assert "not reachable" in response.get_json()["error"]["message"]


def test_api010_kpi_table_lists_every_registry_kpi_with_its_card_words(client):
    from metrics.kpis import REGISTRY

    response = client.get("/api/v1/kpis.csv?lang=ru")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = {row["key"]: row for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    assert list(rows) == [d.key for d in REGISTRY]
    coverage = rows["coverage_4g"]
    assert coverage["indicator_code"] == "TJ.MOB.4G.POP.ZS" and coverage["label"] == "Население, охваченное 4G"
    assert coverage["period"] == "2026-Q3" and coverage["target_year"] == "2030" and coverage["status"]
    assert rows["urban_rural_gap"]["target"] == "" and rows["urban_rural_gap"]["status"] == ""
    body = client.get("/api/v1/kpis.json").get_json()
    assert body["count"] == len(REGISTRY) and body["kpis"][0]["key"] == REGISTRY[0].key
    assert client.get("/api/v1/kpis.xlsx").status_code == 404
