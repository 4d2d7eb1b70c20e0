"""Nothing cut or spilling, as a reader sees each page: on a 390×844 phone in Tajik and Russian
(the longest words) and on a 1400-pixel screen in Tajik, every chart text lies inside its chart,
no legend or toolbar covers an axis text, no text is cut with an ellipsis and no page is wider
than its window (``layout_fit.FINDINGS_JS`` says what is looked for)."""

from __future__ import annotations

import json

import pytest

from tests.integration.layout_fit import emulate_phone, settled_findings, stop_emulating
from tests.integration.test_accessibility import PAGES, open_page


def _check_pages(dash_duo, lang: str) -> dict[str, list[dict]]:
    report = {}
    for path in PAGES:
        open_page(dash_duo, f"{path}?lang={lang}")
        report[path] = settled_findings(dash_duo.driver)
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
