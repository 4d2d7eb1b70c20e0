"""The PDF report from the button, as a partner files it: made in a background job for the view
on the screen, in Tajik, with the KPI table, the page's tables, page numbers and Tajik axes."""

from __future__ import annotations

import re

from dash.testing.wait import until

from i18n import translator
from tests.integration.conftest import click_when_clickable, foreign_requests
from tests.integration.test_exports import downloaded, pdf_words


def test_rep001_park_report_in_tajik_has_kpis_tables_page_numbers_and_tajik_axes(dash_duo, dashboard):
    t = translator("tg")
    dash_duo.start_server(dashboard)
    dash_duo.driver.get(dash_duo.server_url + "/park?lang=tg&as_of=2026-06-30")
    button = dash_duo.wait_for_element("#exp-report-button", timeout=20)
    until(lambda: button.text == t("Download report (PDF)"), timeout=10)
    click_when_clickable(dash_duo, button)
    # a job that draws every chart of the page: slow on a busy 2-core machine
    path = until(lambda: downloaded(dash_duo.download_path, "pdf"), timeout=300)
    words = pdf_words(path)
    assert f"{t('Building')}: {t('Whole park')}" in words  # the filters in words
    assert t("Key indicators") in words and t("Status") in words
    assert t("Tenants") in words and t("Leases ending in the next 24 months") in words
    pages = re.findall(r"Саҳифаи (\d+) аз (\d+)", words)
    assert pages and len(pages) == int(pages[0][1])
    assert re.search(r"\b(Янв|Июл) 20\d\d\b", words)  # month ticks from the Tajik plotly locale
    assert not re.search(r"\b(Jan|Jul) 20\d\d\b", words)
    assert "/park?as_of=2026-06-30&lang=tg" in words  # the link that reproduces the view
    assert foreign_requests(dash_duo) == []
