"""Accessibility in the browser: axe-core's WCAG 2.1 A/AA rules (vendored in ``vendor/axe-core``)
on every page in every language after the charts have drawn, with a district selected, a dropdown
open and the date picker open: no serious or critical violation. And the keyboard alone goes
from the top of /connectivity to the footer through every control, with no trap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.integration.conftest import click_when_clickable

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PAGES = ("/", "/connectivity", "/it-sector", "/park", "/targets", "/data")
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => done(JSON.stringify(r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => ({target: n.target, summary: n.failureSummary}))})))))
  .catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));
"""


def violations(dash_duo) -> list[dict]:
    """axe-core's serious and critical violations of the page as it is now."""
    driver = dash_duo.driver
    driver.set_script_timeout(60)
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(AXE)
    found = json.loads(driver.execute_async_script(RUN))
    return [v for v in found if v["impact"] in ("serious", "critical")]


def open_page(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#_pages_content h1", timeout=40)
    until(lambda: not dash_duo.driver.find_elements(By.CSS_SELECTOR, "._dash-loading"), timeout=30)
    if dash_duo.driver.find_elements(By.CSS_SELECTOR, ".chart-card"):
        dash_duo.wait_for_element(".chart-card .main-svg", timeout=40)


@pytest.mark.parametrize("lang", ["tg", "ru", "en"])
def test_a11y001_no_serious_violation_on_any_page_or_state(dash_duo, dashboard, lang):
    dash_duo.start_server(dashboard)
    report = {}
    for path in PAGES:
        open_page(dash_duo, f"{path}?lang={lang}")
        report[path] = violations(dash_duo)
    open_page(dash_duo, f"/connectivity?lang={lang}&district=TJ-KT-03")
    report["district selected"] = violations(dash_duo)
    click_when_clickable(dash_duo, dash_duo.find_element("#conn-region"))
    until(lambda: dash_duo.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"), timeout=10)
    report["dropdown open"] = violations(dash_duo)
    open_page(dash_duo, f"/park?lang={lang}")
    click_when_clickable(dash_duo, dash_duo.find_element("#park-as-of-wrapper"))
    until(lambda: dash_duo.driver.find_elements(By.CSS_SELECTOR, "[role=dialog]"), timeout=10)
    report["date picker open"] = violations(dash_duo)
    report = {state: found for state, found in report.items() if found}
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=1)


def test_a11y002_the_keyboard_reaches_every_control_of_connectivity_without_a_trap(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    open_page(dash_duo, "/connectivity?lang=tg")
    dash_duo.driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
    seen: list[str] = []
    keys = ActionChains(dash_duo.driver)
    for _ in range(400):
        keys.send_keys(Keys.TAB).perform()
        seen.append(
            dash_duo.driver.execute_script(
                "const e = document.activeElement;"
                "const at = Array.prototype.indexOf.call(document.querySelectorAll('*'), e);"
                "return [e.id, e.className, e.closest('footer') ? 'footer' : '', e.tagName, at].join('|');"
            )
        )
        if seen[-1].split("|")[2] == "footer" or seen[-1].split("|")[3] == "BODY":
            break
    joined = "\n".join(seen)
    assert seen[0].startswith("skip-link"), seen[:3]  # the first stop skips to the content
    for control in ("conn-metric", "conn-from", "conn-to", "conn-region", "conn-district", "conn-reset"):
        assert any(s.startswith(f"{control}|") for s in seen), (control, joined)
    assert any("sort-button" in s for s in seen)  # the priority table's sort headers
    assert any(s.startswith("conn-priority|") for s in seen)  # its scrolling region
    assert any("export-menu-toggle" in s for s in seen)  # the charts' download menus
    assert seen[-1].split("|")[2] == "footer" or seen[-1].split("|")[3] == "BODY", seen[-5:]  # out, no trap
    assert len(set(seen)) == len(seen), joined  # each element once: nothing holds the focus
