"""One KPI, one answer: the same value, period, target and status on the Overview, on its view,
in the view's PDF report and in the KPI table download (/api/v1/kpis.csv); and a partial quarter
loaded while the app runs changes neither page's national figure, both saying at once that the
quarter is provisional (the cache follows the newest import batch)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import urllib.request

import pytest

from app import create_app
from config import Config
from data_loaders.db import make_engine
from data_loaders.load import load_file

# (Overview card, /connectivity card) of the same registry KPI; /connectivity lists its cards in
# pages.connectivity.CARDS order: coverage_4g, coverage_4g_rural, urban_rural_gap, ..., internet_users
PAIRS = [
    ("#ovw-kpi-coverage-4g", "#conn-kpi-0"),
    ("#ovw-kpi-coverage-4g-rural", "#conn-kpi-1"),
    ("#ovw-kpi-urban-rural-gap", "#conn-kpi-2"),
    ("#ovw-kpi-internet-users", "#conn-kpi-5"),
]
PARTIAL = (
    "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment\n"
    "TJ.MOB.4G.POP.ZS,TJ-GB-01,2026-Q4,10,total,,DEMO-SYNTHETIC,\n"
    "TJ.MOB.4G.POP.ZS,TJ-GB-02,2026-Q4,12,total,,DEMO-SYNTHETIC,\n"
)


@pytest.fixture
def own_database(seeded_sqlite_url, tmp_path) -> str:
    """A copy of the seeded database for a test that loads data into it."""
    copy = tmp_path / "dashboard.sqlite3"
    shutil.copy(seeded_sqlite_url.removeprefix("sqlite:///"), copy)
    return f"sqlite:///{copy}"


def _card(dash_duo, selector: str) -> dict:
    """What a card says: value, period, target line with status (the status badge and target text)."""
    dash_duo.wait_for_element(f"{selector} .kpi-value", timeout=20)
    card = dash_duo.find_element(selector)
    text = card.text
    return {
        "value": card.find_element("css selector", ".kpi-value").text,
        "period": card.find_element("css selector", ".kpi-period").text,
        "status": [b.text for b in card.find_elements("css selector", ".status-badge")],
        "target": [line for line in text.splitlines() if "Target" in line],
        "target_text": [e.text for e in card.find_elements("css selector", ".kpi-target")],
        "text": text,
    }


def _cards(dash_duo, url: str, selectors: list[str]) -> list[dict]:
    dash_duo.driver.get(url)
    return [_card(dash_duo, s) for s in selectors]


def test_kpi001_same_value_period_target_and_status_on_overview_and_view(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    overview = _cards(dash_duo, dash_duo.server_url + "/?lang=en", [o for o, _v in PAIRS])
    view = _cards(dash_duo, dash_duo.server_url + "/connectivity?lang=en", [v for _o, v in PAIRS])
    for (o_id, v_id), o, v in zip(PAIRS, overview, view, strict=True):
        assert o["value"] and o["value"] != "—", o_id
        assert (o["value"], o["period"], o["status"], o["target"]) == (
            v["value"],
            v["period"],
            v["status"],
            v["target"],
        ), f"{o_id} vs {v_id}"
    assert "Target 2030: 95.0" in overview[0]["text"]  # the rural card has the programme's target too
    assert "Target 2030: 95.0" in overview[1]["text"]
    assert dash_duo.get_logs() == []


def test_kpi002_partial_quarter_loaded_while_running_keeps_totals_and_says_provisional(
    dash_duo, own_database, tmp_path
):
    app = create_app(Config(database_url=own_database, seed_on_start=False, secret_key="test", default_language="en"))
    dash_duo.start_server(app)
    before_overview = _cards(dash_duo, dash_duo.server_url + "/?lang=en", ["#ovw-kpi-coverage-4g"])[0]
    before_view = _cards(dash_duo, dash_duo.server_url + "/connectivity?lang=en", ["#conn-kpi-0"])[0]
    assert before_overview["period"] == before_view["period"] == "2026-Q3"

    # a valid file with 2026-Q4 values for 2 of the 59 coverage units, loaded while the app runs
    path = tmp_path / "partial_q4.csv"
    path.write_text(PARTIAL, encoding="utf-8")
    engine = make_engine(own_database)
    report = load_file(engine, path, kind="observations")
    engine.dispose()
    assert report.ok, report.summary()

    # no cache wait: both pages at once keep the national figure and name the provisional quarter
    note = "2026-Q4: 2 of 59 districts reported"
    view = _cards(dash_duo, dash_duo.server_url + "/connectivity?lang=en", ["#conn-kpi-0"])[0]
    assert (view["value"], view["period"]) == (before_view["value"], "2026-Q3")
    assert note in view["text"] and "provisional, not shown in totals" in view["text"]
    # the map shows the new quarter, the districts that did not report as such
    dash_duo.wait_for_contains_text("#conn-to", "2026-Q4", timeout=20)
    assert f"2026-Q4 · click a district to select it · {note}" in dash_duo.find_element("body").text
    overview = _cards(dash_duo, dash_duo.server_url + "/?lang=en", ["#ovw-kpi-coverage-4g"])[0]
    assert (overview["value"], overview["period"]) == (before_overview["value"], "2026-Q3")
    assert note in overview["text"]
    assert dash_duo.get_logs() == []


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=180) as response:  # the app itself, on loopback
        return response.read()


def test_kpi003_same_kpi_in_the_pdf_report_and_the_kpi_csv(dash_duo, dashboard, tmp_path):
    dash_duo.start_server(dashboard)
    overview = _cards(dash_duo, dash_duo.server_url + "/?lang=en", ["#ovw-kpi-coverage-4g"])[0]
    view = _cards(dash_duo, dash_duo.server_url + "/connectivity?lang=en", ["#conn-kpi-0"])[0]
    (target,) = overview["target_text"]  # "Target 2030: 95.0 (illustrative)"
    (status,) = overview["status"]
    assert (view["value"], view["period"], view["status"]) == (overview["value"], overview["period"], [status])

    # the KPI table download: the same number, period, target and status
    rows = {
        r["key"]: r
        for r in csv.DictReader(io.StringIO(_fetch(dash_duo.server_url + "/api/v1/kpis.csv?lang=en").decode()))
    }
    row = rows["coverage_4g"]
    assert (row["value"], row["period"], row["status"]) == (overview["value"], overview["period"], status)
    assert target.startswith(f"Target {row['target_year']}: {row['target']}")

    # the PDF report of the view lists its KPI cards as a table with the same words
    pdf = tmp_path / "connectivity.pdf"
    pdf.write_bytes(_fetch(dash_duo.server_url + "/_export/report.pdf?page=/connectivity&lang=en"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # the first table row (4G coverage), up to the next KPI's label (cells may wrap onto several lines)
    table = text[text.index("Key indicators") :]
    row_text = " ".join(re.split(r"\n\s*Rural population", table)[0].split())
    assert row_text.split("previous period ", 1)[1].startswith(f"Population {overview['value']}")  # the 4G row
    for words in (overview["value"], overview["period"], status, *target.split()):
        assert words in row_text, (words, row_text)
    assert dash_duo.get_logs() == []
