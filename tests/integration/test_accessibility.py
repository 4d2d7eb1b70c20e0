"""Accessibility in the browser: axe-core's WCAG 2.1 A/AA rules (vendored in ``vendor/axe-core``)
on every page in every language after the charts have drawn, by default, with a filter set (a
district on /connectivity), a dropdown open, the date picker open and a park unit chosen: no
serious or critical violation. And the keyboard alone goes from the top of /connectivity and of
/park to the footer through every control, with no trap, and picks a unit of the floor plan."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.integration.conftest import click_when_clickable

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
PAGES = ("/", "/connectivity", "/it-sector", "/park", "/targets", "/data")
# Each page with filters, with some set, and the dropdown that must then show a value (the
# Overview has no filter). /connectivity gets a district: the "district selected".
FILTERED = {
    "/connectivity": ("district=TJ-KT-03", "#conn-district"),
    "/it-sector": ("region=TJ-SU", "#it-region"),
    "/park": ("building=B2", "#park-building"),
    "/targets": ("theme=connectivity&region=TJ-SU", "#tgt-theme"),
    "/data": ("theme=park", "#data-theme"),
}
# A dropdown to open on each page that has one (its list is checked while open).
DROPDOWNS = {
    "/connectivity": "#conn-region",
    "/it-sector": "#it-region",
    "/park": "#park-unit",
    "/targets": "#tgt-theme",
    "/data": "#data-theme",
}
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


def open_dropdown(dash_duo, selector: str) -> None:
    """Open a dropdown and wait for its list, as assets/05_accessibility.js leaves it a frame
    after it appears (a named group of native radios or checkboxes)."""
    click_when_clickable(dash_duo, dash_duo.find_element(selector))
    until(lambda: dash_duo.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"), timeout=15)
    until(
        lambda: dash_duo.driver.find_elements(
            By.CSS_SELECTOR,
            ".dash-options-list[role=radiogroup][aria-label], .dash-options-list[role=group][aria-label]",
        ),
        timeout=10,
    )


def close_dropdown(dash_duo) -> None:
    ActionChains(dash_duo.driver).send_keys(Keys.ESCAPE).perform()
    until(lambda: not dash_duo.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"), timeout=10)


@pytest.mark.parametrize("lang", ["tg", "ru", "en"])
def test_a11y001_no_serious_violation_on_any_page_or_state(dash_duo, dashboard, lang):
    dash_duo.start_server(dashboard)
    report, checked = {}, []

    def check(state: str) -> None:
        checked.append(state)
        report[state] = violations(dash_duo)

    for path in PAGES:
        open_page(dash_duo, f"{path}?lang={lang}")
        check(f"{path} default")
        if path in DROPDOWNS:
            open_dropdown(dash_duo, DROPDOWNS[path])
            check(f"{path} dropdown {DROPDOWNS[path]} open")
            close_dropdown(dash_duo)
        if path in FILTERED:
            query, shown = FILTERED[path]
            open_page(dash_duo, f"{path}?lang={lang}&{query}")
            value = dash_duo.find_element(f"{shown}-value")
            assert "dash-dropdown-placeholder" not in value.get_attribute("class"), (path, query)  # the filter is set
            check(f"{path} {query}")
        if path == "/park":
            click_when_clickable(dash_duo, dash_duo.find_element("#park-as-of-wrapper"))
            until(lambda: dash_duo.driver.find_elements(By.CSS_SELECTOR, "[role=dialog]"), timeout=15)
            check("/park date picker open")
            ActionChains(dash_duo.driver).send_keys(Keys.ESCAPE).perform()
            open_dropdown(dash_duo, "#park-unit")
            click_when_clickable(dash_duo, dash_duo.find_element(".dash-dropdown-option"))
            dash_duo.wait_for_element("#park-unit-detail .park-unit-code", timeout=15)
            check("/park unit chosen")
    assert len(checked) == len(PAGES) + len(DROPDOWNS) + len(FILTERED) + 2
    report = {state: found for state, found in report.items() if found}
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=1)


# What identifies the focused element: its id, class, name (none with an id: a dropdown's text is
# its value), the heading of its card (a card's "Download" and "Show as table" are alike but for
# the card), inside the footer or not, its tag.
STOP = """
const e = arguments[0] || document.activeElement;
const card = e.closest('.card');
const heading = card && card.querySelector('h2, h3');
return [e.id, e.className && e.className.baseVal === undefined ? e.className : '',
        e.id ? '' : (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 60),
        heading ? heading.textContent.trim().slice(0, 60) : '',
        e.closest('footer') ? 'footer' : '', e.tagName].join('|');
"""
# Every element the keyboard should reach: tabbable and shown (not in a closed menu or list).
TABBABLE = """
const stop = new Function(arguments[0]);
const all = document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]');
return Array.from(all).filter(e => !e.disabled && e.tabIndex >= 0 && e.getAttribute('tabindex') !== '-1'
    && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'
    && !e.closest('[aria-hidden="true"], [inert], .dropdown-menu:not(.show)'))
  .map(e => stop.call(null, e));
"""


def focused(dash_duo) -> str:
    return dash_duo.driver.execute_script(STOP)


def press(dash_duo, key: str, shift: bool = False) -> str:
    """Press ``key`` (with Shift held) and give the stop the focus moved to (a stop that still
    changes, as a dropdown rendering its list, is read once it holds still)."""
    keys = ActionChains(dash_duo.driver)
    if shift:
        keys.key_down(Keys.SHIFT).send_keys(key).key_up(Keys.SHIFT).perform()
    else:
        keys.send_keys(key).perform()
    before = None
    for _ in range(20):
        now = focused(dash_duo)
        if now == before:
            return now
        before = now
        time.sleep(0.05)
    return before


def out_of_page(stop: str) -> bool:
    return stop.split("|")[4] == "footer" or stop.split("|")[5] == "BODY"


def tab_walk(dash_duo, path: str, at_stop=None) -> list[str]:
    """Tab from the top of ``path`` to the footer; ``at_stop(stop)`` may act at a stop (the
    keyboard only) and return the stop focus is at afterwards. Then Shift+Tab all the way back:
    each key moves the focus (nothing holds it) and backwards retraces the stops forwards."""
    dash_duo.driver.set_window_size(1400, 1000)  # the navbar's links shown, not folded
    open_page(dash_duo, path)
    dash_duo.driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
    expected = dash_duo.driver.execute_script(TABBABLE, STOP)
    seen: list[str] = []
    for _ in range(500):
        seen.append(press(dash_duo, Keys.TAB))
        assert len(seen) == 1 or seen[-1] != seen[-2], seen[-3:]  # Tab moved the focus
        if out_of_page(seen[-1]):
            break
        if at_stop is not None:
            after = at_stop(seen[-1])
            assert after in (None, seen[-1]), (seen[-1], after)  # focus back where it was
    joined = "\n".join(seen)
    assert seen[0].startswith("skip-link|"), seen[:3]  # the first stop skips to the content
    assert seen[-1].split("|")[4] == "footer", seen[-5:]  # out at the footer's link: no trap
    assert len(set(seen)) == len(seen), joined  # each element once: nothing holds the focus
    missed = [stop for stop in expected if stop not in seen]
    assert missed == [], (missed, joined)  # every control on the page
    back = [seen[-1]]
    while not back[-1].startswith("skip-link|") and len(back) <= len(seen):
        back.append(press(dash_duo, Keys.TAB, shift=True))
        assert back[-1] != back[-2], back[-3:]  # Shift+Tab moved the focus
    # Shift+Tab goes back the same way; a chart's toolbar joins the Tab order only once its chart
    # has the focus (forwards), so backwards it is passed over.
    forwards = [stop for stop in seen if "modebar-btn" not in stop]
    assert back == forwards[::-1], "\n".join(back)
    return seen


def test_a11y002_the_keyboard_reaches_every_control_of_connectivity_without_a_trap(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    seen = tab_walk(dash_duo, "/connectivity?lang=tg")
    joined = "\n".join(seen)
    for control in ("conn-metric", "conn-from", "conn-to", "conn-region", "conn-district", "conn-reset"):
        assert any(s.startswith(f"{control}|") for s in seen), (control, joined)
    assert any("sort-button" in s for s in seen)  # the priority table's sort headers
    assert any(s.startswith("conn-priority|") for s in seen)  # its scrolling region
    assert any("export-menu-toggle" in s for s in seen)  # the charts' download menus
    assert any("|A" in s and "nav-link" in s for s in seen)  # the navbar's links


def test_a11y003_the_keyboard_reaches_every_control_of_park_and_picks_a_unit(dash_duo, dashboard):
    """From the top of /park to the footer by Tab alone; on the floor plan's unit list, Enter
    opens it, the arrow keys move to a unit and Enter picks it: its details appear, the plan
    frames it, and the focus is back on the list to tab on."""
    dash_duo.start_server(dashboard)
    picked = []

    def pick_unit(stop: str) -> str | None:
        if not stop.startswith("park-unit|") or picked:
            return None
        press(dash_duo, Keys.ENTER)
        until(lambda: dash_duo.driver.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option"), timeout=15)
        first = press(dash_duo, Keys.ARROW_DOWN)
        second = press(dash_duo, Keys.ARROW_DOWN)
        assert first != second and second.split("|")[5] == "INPUT", (first, second)  # the arrows move in the list
        unit = dash_duo.driver.execute_script("return document.activeElement.value")
        after = press(dash_duo, Keys.ENTER)
        dash_duo.wait_for_contains_text("#park-unit-detail .park-unit-code", unit, timeout=20)
        assert dash_duo.find_element("#park-unit-value").text.startswith(unit)
        until(
            lambda: dash_duo.driver.execute_script(
                "const gd = document.querySelector('#park-floor-plan .js-plotly-plot');"
                "return gd.data.some(t => Array.isArray(t.marker.line.width) &&"
                " t.customdata.some((c, i) => c[0] === arguments[0] && t.marker.line.width[i] > 2));",
                unit,
            ),
            timeout=20,
        )
        picked.append(unit)
        return after

    seen = tab_walk(dash_duo, "/park?lang=tg&as_of=2026-06-30", pick_unit)
    joined = "\n".join(seen)
    assert picked, joined  # the unit list was reached and a unit picked by keyboard
    assert dash_duo.find_element("#park-unit-detail").get_attribute("aria-live") == "polite"
    for control in ("park-building", "park-as-of", "park-unit", "park-tenant-search", "park-tenant-table"):
        assert any(s.startswith(f"{control}|") for s in seen), (control, joined)
    assert sum("export-menu-toggle" in s for s in seen) == 4  # each chart's download menu
    assert any("|A" in s and "nav-link" in s for s in seen)  # the navbar's links
