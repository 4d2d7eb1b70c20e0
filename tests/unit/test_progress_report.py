"""The quarterly progress report ``GET /report/progress?period=2026-Q3&lang=tg&format=pdf|xlsx``:
who may have it (the download permission), what it refuses (a period that is not a quarter, an
unknown format, a client past the report rate), and what it holds: every KPI of the registry for
the last four quarters with the value and status its card showed at each quarter's end."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from components.kpi_card import STATUS_LABELS
from components.registry_kpi import kpi_from_registry
from data_loaders.db import make_engine
from data_loaders.queries.kpis import kpi_data
from exports.progress_report import current_quarter, ended_by, quarter_end, quarters_up_to, valid_period
from exports.renderer import browser_path
from i18n import format_number, translator
from metrics import kpis as registry
from metrics.status import NO_DATA
from tests.unit.access_clients import ANONYMOUS, add_people, client_as, make_app, seeded_copy

PERIOD = "2026-Q3"
QUARTERS = ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


@pytest.fixture(scope="module")
def engine(backend, seeded_engine, tmp_path_factory):
    url = seeded_copy(backend, seeded_engine, tmp_path_factory.mktemp("progress"), "t_progress")
    engine = make_engine(url)
    add_people(engine)
    yield engine
    engine.dispose()


def _app(engine, tmp_path_factory, **settings):
    url = engine.url.render_as_string(hide_password=False)
    return make_app(url, jobs_dir=str(tmp_path_factory.mktemp("jobs")), **settings)


@pytest.fixture(scope="module")
def closed(engine, tmp_path_factory):
    """PUBLIC_READ=0: downloads are for partners, staff and admins."""
    return _app(engine, tmp_path_factory, public_read=False, report_rate_limit="1000/minute")


def expected(engine, key: str, quarter: str, lang: str):
    """The KPI's card at the end of ``quarter``, from the registry's query on a plain engine."""
    day = quarter_end(quarter)
    data = ended_by(kpi_data(engine, key, day, lang, "country", None, None, quarter), day)
    return kpi_from_registry(registry.get(key), data, day, lang)


def status_of(kpi, lang: str) -> str:
    progress = kpi.progress if kpi.progress is not None and kpi.progress.target is not None else None
    return translator(lang)(STATUS_LABELS[progress.status if progress else NO_DATA][0])


def test_a_quarter_reports_only_values_of_periods_over_by_its_end(engine):
    """The real high-tech exports are annual: the 2026-Q1 report gives at most the 2025 figure."""
    data = ended_by(kpi_data(engine, "hightech_exports", date(2026, 3, 31), "en", last="2026-Q1"), date(2026, 3, 31))
    assert len(data.series) and all(str(p) <= "2025" for p in data.series["period"])
    assert valid_period("2020-Q1", date(2026, 12, 2)) and valid_period("2026-Q4", date(2026, 12, 2))
    assert not valid_period("2027-Q1", date(2026, 12, 2)) and not valid_period("2019-Q4", date(2026, 12, 2))


def test_the_quarters_are_the_four_up_to_the_period():
    assert quarters_up_to(2026, 3) == QUARTERS
    assert quarters_up_to(2026, 1) == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    assert quarter_end("2026-Q2") == date(2026, 6, 30) and quarter_end("2025-Q4") == date(2025, 12, 31)


@pytest.mark.parametrize(("key", "status"), [(ANONYMOUS, 401), ("viewer", 403)])
def test_without_the_download_permission_it_is_refused(closed, key, status):
    answer = client_as(closed, key).get(f"/report/progress?period={PERIOD}&format=xlsx")
    assert answer.status_code == status
    assert not answer.data.startswith(b"PK")


@pytest.mark.parametrize(
    "period",
    [
        "2026-Q5",
        "2026Q3",
        "26-Q3",
        "2026-q3",
        "2026-Q3 ",
        "2026-Q3\n",
        "2026-Q3'--",
        "",
        "2026-Q3&x",
        "1999-Q1",
        "2019-Q4",
    ]
    + [f"{date.today().year + 1}-Q1"],  # before the Concept, or a quarter not begun
)
def test_a_period_that_is_not_a_quarter_is_400_with_a_clear_message(closed, period):
    answer = client_as(closed, "partner").get("/report/progress", query_string={"period": period, "lang": "ru"})
    assert answer.status_code == 400
    message = translator("ru")("The period must be a quarter written like {example}, from {first} to {last}.")
    assert answer.get_data(as_text=True) == message.format(example="2026-Q3", first="2020-Q1", last=current_quarter())


def test_an_unknown_format_is_400(closed):
    answer = client_as(closed, "partner").get(f"/report/progress?period={PERIOD}&format=docx")
    assert answer.status_code == 400 and "pdf" in answer.get_data(as_text=True)


def test_past_the_report_rate_it_is_429(engine, tmp_path_factory):
    app = _app(engine, tmp_path_factory, report_rate_limit="1/minute")
    client = client_as(app, ANONYMOUS)
    assert client.get(f"/report/progress?period={PERIOD}&format=xlsx").status_code == 200
    refused = client.get(f"/report/progress?period={PERIOD}&format=xlsx&lang=en")
    assert refused.status_code == 429
    assert "Too many reports" in refused.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["en", "ru", "tg"])
def test_the_xlsx_holds_every_kpi_for_each_quarter_as_numbers(closed, engine, lang):
    answer = client_as(closed, "partner").get(f"/report/progress?period={PERIOD}&lang={lang}&format=xlsx")
    assert answer.status_code == 200
    assert f"progress-report_{PERIOD}_{lang}.xlsx" in answer.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.data))
    sheet = book["Progress"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(registry.REGISTRY) * len(QUARTERS)
    got = {(row[0], row[2]): row for row in rows}
    for definition in registry.REGISTRY:
        for quarter in QUARTERS:
            kpi = expected(engine, definition.key, quarter, lang)
            row = got[(definition.key, quarter)]
            assert row[1] == kpi.label and row[4] == kpi.unit and row[5] == kpi.period
            if kpi.value is None:
                assert row[3] is None
            else:
                assert isinstance(row[3], int | float) and row[3] == pytest.approx(round(kpi.value, kpi.decimals))
            assert row[6] == status_of(kpi, lang)
            assert row[7]  # the source and its licence
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert PERIOD in about[translator(lang)("Title")]


@pytest.mark.skipif(browser_path() is None or shutil.which("pdftotext") is None, reason="no Chromium or pdftotext")
@pytest.mark.parametrize("lang", ["tg", "en"])
def test_the_pdf_names_every_kpi_with_its_values_and_statuses(closed, engine, tmp_path, lang):
    answer = client_as(closed, "partner").get(f"/report/progress?period={PERIOD}&lang={lang}&format=pdf")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    pdf = tmp_path / "progress.pdf"
    pdf.write_bytes(answer.data)
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", " ", raw.replace("\u00a0", " "))

    def words(value: str) -> str:
        return re.sub(r"\s+", " ", value.replace("\u00a0", " ")).strip()

    labels = [words(expected(engine, d.key, PERIOD, lang).label) for d in registry.REGISTRY]
    start = text.index(words(translator(lang)("Key indicators")))
    for index, definition in enumerate(registry.REGISTRY):  # one row per KPI, in registry order
        start = text.index(labels[index], start)
        end = text.index(labels[index + 1], start + len(labels[index])) if index + 1 < len(labels) else len(text)
        row = text[start:end]
        position = 0
        for quarter in QUARTERS:  # each quarter's value, then its status, in order
            kpi = expected(engine, definition.key, quarter, lang)
            value = words(format_number(kpi.value, kpi.decimals, lang))
            position = row.index(value, position) + len(value)
            position = row.index(words(status_of(kpi, lang)), position)
    assert words(translator(lang)("Quarterly progress report")) in text
