"""Nothing cut or spilling, as a reader sees each page: on a 390×844 phone in Tajik and Russian
(the longest words) and on a 1400-pixel screen in Tajik, every chart text lies inside its chart,
no legend or toolbar covers an axis text, no text is cut with an ellipsis and no page is wider
than its window (``layout_fit.FINDINGS_JS`` says what is looked for)."""

from __future__ import annotations

import json
import time

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By

from tests.integration.layout_fit import emulate_phone, findings, stop_emulating
from tests.integration.test_accessibility import PAGES, open_page

ALL_DRAWN = """
const plots = [...document.querySelectorAll('.chart-card .js-plotly-plot')];
return plots.length > 0 && plots.every(p => p.querySelector('.main-svg') && p._fullLayout);
"""


def settled_findings(dash_duo) -> list[dict]:
    """The findings once every chart has drawn and two looks half a second apart agree (charts
    are resized to their card after the first draw)."""
    driver = dash_duo.driver
    if driver.find_elements(By.CSS_SELECTOR, ".chart-card"):
        until(lambda: driver.execute_script(ALL_DRAWN), timeout=40)
    last, deadline = None, time.monotonic() + 15
    while True:
        now = findings(driver)
        if now == last or time.monotonic() > deadline:
            return now
        last = now
        time.sleep(0.5)


def _check_pages(dash_duo, lang: str) -> dict[str, list[dict]]:
    report = {}
    for path in PAGES:
        open_page(dash_duo, f"{path}?lang={lang}")
        report[path] = settled_findings(dash_duo)
    return {path: found for path, found in report.items() if found}


@pytest.mark.parametrize("lang", ["tg", "ru"])
def test_fit001_nothing_cut_on_a_phone(dash_duo, dashboard, lang):
    dash_duo.start_server(dashboard)
    emulate_phone(dash_duo.driver)
    try:
        assert dash_duo.driver.execute_script("return window.innerWidth") == 390
        report = _check_pages(dash_duo, lang)
    finally:
        stop_emulating(dash_duo.driver)
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=1)


def test_fit002_nothing_cut_on_a_wide_screen(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.set_window_size(1400, 1000)
    report = _check_pages(dash_duo, "tg")
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=1)
