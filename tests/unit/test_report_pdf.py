"""The PDF report a partner can file: the text of the printed PDF (pdftotext) holds every KPI of
the page with the value and status its card shows, the rows of the page's tables, the filters in
words, the link of the view, the notes and page numbers, in Tajik and in English.

The expected words are computed here from the database directly (the registry's queries with a
plain engine, ``kpi_from_registry``), not read from the report's own code."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from components.kpi_card import STATUS_LABELS
from components.registry_kpi import kpi_from_registry
from data_loaders.db import make_engine
from data_loaders.queries import common, connectivity, park
from data_loaders.queries.kpis import kpi_data
from exports.renderer import browser_path
from exports.report_tables import strip_hints
from i18n import format_number, translator
from metrics import kpis as registry
from metrics.status import NO_DATA

pytestmark = [
    pytest.mark.skipif(browser_path() is None, reason="Chromium is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed"),
]
CONNECTIVITY_KEYS = (
    "coverage_4g",
    "coverage_4g_rural",
    "urban_rural_gap",
    "schools_broadband",
    "download_speed",
    "internet_users",
)
PARK_KEYS = ("park_occupancy", "park_tenants", "park_jobs")
SPAN = ("2024-Q1", "2026-Q3")
PARK_DAY = date(2026, 6, 30)


@pytest.fixture(scope="module")
def app(seeded_sqlite_url):
    from app import create_app
    from config import Config

    config = Config(
        database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test", report_rate_limit="100/minute"
    )
    return create_app(config)


@pytest.fixture(scope="module")
def engine(seeded_sqlite_url):
    engine = make_engine(seeded_sqlite_url)
    yield engine
    engine.dispose()


def words(text: str) -> str:
    """Text with every run of white space (line breaks of wrapped cells, no-break spaces) one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def pdf_text(app, query: str, tmp_path: Path) -> str:
    """The report of ``query`` as text, in the order the report was written (``pdftotext -raw``)."""
    answer = app.server.test_client().get(f"/_export/report.pdf?{query}")
    assert answer.status_code == 200, answer.data[:300]
    assert answer.mimetype == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(answer.data)
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True)
    return words(raw.stdout)


def expected_kpi(key: str, data, today: date, lang: str) -> tuple[str, str, str]:
    """(label, value with unit, status) as the KPI's card shows them."""
    t = translator(lang)
    kpi = kpi_from_registry(registry.get(key), data, today, lang)
    value = f"{format_number(kpi.value, kpi.decimals, lang)} {kpi.unit}"
    progress = kpi.progress if kpi.progress is not None and kpi.progress.target is not None else None
    status = t(STATUS_LABELS[progress.status if progress else NO_DATA][0])
    return words(kpi.label), words(value), words(status)


def assert_kpi_rows(text: str, expected: list[tuple[str, str, str]], lang: str) -> None:
    """Each KPI's label, then its value, then its status, in its own row of the KPI table."""
    table = text[text.index(translator(lang)("Key indicators")) :]
    for (label, value, status), after in zip(expected, [*expected[1:], None], strict=True):
        start = table.index(label)
        end = table.index(after[0], start + len(label)) if after else len(table)
        row = table[start:end]
        assert value in row, (label, value, row[:300])
        assert status in row[row.index(value) :], (label, status, row[:400])


@pytest.mark.parametrize("lang", ["tg", "en"])
def test_connectivity_report_has_every_kpi_and_the_priority_list(app, engine, tmp_path, lang):
    t = translator(lang)
    today = date.today()
    query = f"page=/connectivity&lang={lang}&region=TJ-KT&from={SPAN[0]}&to={SPAN[1]}"
    text = pdf_text(app, query, tmp_path)
    expected = [
        expected_kpi(key, kpi_data(engine, key, today, lang, "region", "TJ-KT", *SPAN), today, lang)
        for key in CONNECTIVITY_KEYS
    ]
    assert_kpi_rows(text, expected, lang)
    # the priority list: the first districts of Khatlon by people without 4G, in page order
    target = float(kpi_data(engine, "coverage_4g", today, lang).targets.query("year >= @today.year").iloc[0]["value"])
    ranking = connectivity.priorities(engine, SPAN[1], target, "TJ-KT", lang)
    assert len(ranking) > 3
    heading = text.index(t("Where to build next: people without 4G"))
    positions = [text.index(words(name), heading) for name in ranking["name"].head(4)]
    assert positions == sorted(positions)
    assert words(format_number(round(ranking["uncovered"].iloc[0], -2), 0, lang)) in text[heading:]
    # the cover: filters in words, the link of the view, the notes, page numbers
    names = common.geos(engine, "region", lang).set_index("code")["name"]
    assert words(f"{t('Region')}: {names['TJ-KT']}") in text and "region = TJ-KT" not in text
    assert f"/connectivity?region=TJ-KT&from={SPAN[0]}&to={SPAN[1]}&lang={lang}" in text
    assert words(t("Figures marked synthetic are demonstration data, not statistics.")) in text
    pages = re.findall(
        words(t("Page {page} of {pages}")).replace("{page}", r"(\d+)").replace("{pages}", r"(\d+)"), text
    )
    assert pages and pages[0] == ("1", pages[0][1]) and len(pages) == int(pages[0][1])
    # no UI hint in a caption
    assert words(t("click a district to select it")) not in text


@pytest.mark.parametrize("lang", ["tg", "en"])
def test_park_report_has_every_kpi_the_tenants_and_the_expiring_leases(app, engine, tmp_path, lang):
    t = translator(lang)
    text = pdf_text(app, f"page=/park&lang={lang}&as_of={PARK_DAY.isoformat()}", tmp_path)
    expected = [expected_kpi(key, kpi_data(engine, key, PARK_DAY, lang), PARK_DAY, lang) for key in PARK_KEYS]
    assert_kpi_rows(text, expected, lang)
    tenants = park.tenants(engine, PARK_DAY)
    assert len(tenants) > 3
    section = text[text.index(words(t("Tenants")), text.index(words(t("Tenant mix by sector and size")))) :]
    positions = [section.index(words(name)) for name in tenants["name"].head(4)]
    assert positions == sorted(positions)
    expiries = park.expiries(engine, PARK_DAY)
    assert len(expiries)
    first = expiries.iloc[0]
    leases = text[text.rindex(words(t("Leases ending in the next 24 months"))) :]
    assert f"{int(first['year'])}-{int(first['month']):02d} {words(format_number(first['area_m2'], 1, lang))}" in leases
    assert words(t("Whole park")) in text and words(t("As of")) in text
    assert words(t("each unit as wide as its floor area; hover or click a unit")) not in text


def test_hints_are_stripped_from_captions():
    for lang in ("en", "ru", "tg"):
        t = translator(lang)
        hinted = f"2026-Q3 · {t('click a district to select it')} · 2026-Q4: provisional"
        assert strip_hints(hinted, lang) == "2026-Q3 · 2026-Q4: provisional"
        plan = f"Whole park · {t('each unit as wide as its floor area; hover or click a unit')}"
        assert strip_hints(plan, lang) == f"Whole park · {t('each unit as wide as its floor area')}"


@pytest.mark.parametrize(
    ("lang", "month", "number"), [("tg", "Янв", "1,5"), ("ru", "Янв.", "1,5"), ("en", "Jan", "1.5")]
)
def test_chart_axes_follow_the_report_language(lang, month, number):
    """Month names and the decimal sign of a drawn chart come from the app's plotly.js locale."""
    from exports.renderer import RENDERER

    figure = {
        "data": [{"type": "scatter", "x": ["2025-01-01", "2025-04-01", "2025-07-01"], "y": [1, 1.5, 2]}],
        "layout": {"xaxis": {"tickformat": "%b %Y"}, "yaxis": {"dtick": 0.5}},
    }
    svg = RENDERER.figure(figure, "svg", 600, 300, locale=lang).decode("utf-8")
    assert f">{month}" in svg and f">{number}<" in svg


@pytest.mark.parametrize("lang", ["tg", "en"])
def test_targets_report_has_the_summary_row_of_every_target_of_the_theme(app, engine, tmp_path, lang):
    from data_loaders.queries.targets import targets

    t = translator(lang)
    text = pdf_text(app, f"page=/targets&lang={lang}&theme=park", tmp_path)
    rows = targets(engine, lang)
    rows = rows[(rows["theme"] == "park") & (rows["geo_code"] == "TJ-DU")]
    assert len(rows) >= 3
    summary = text[text.rindex(words(t("Summary"))) :]
    for row in rows.itertuples():  # each target: its indicator, then its year and target value
        start = summary.index(words(row.name))
        cells = summary[start : start + 300]
        assert f"{row.year} {words(format_number(row.value, int(row.decimals), lang))}" in cells, cells
        summary = summary[start + len(words(row.name)) :]
    assert words(f"{t('Theme')}: {t('IT Park')}") in text
