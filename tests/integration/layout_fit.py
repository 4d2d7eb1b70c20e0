"""What a reader would see as cut or spilling on a page as drawn: chart texts that lie outside
their chart (clipped by the SVG), the toolbar or a legend drawn over a chart text, text cut off
with an ellipsis, and a page wider than the window. Shared by the layout browser test and
``scripts/screenshot_pages.py``."""

from __future__ import annotations

import time

# Runs in the page; returns a list of {"kind", "where", "text"} findings.
FINDINGS_JS = r"""
const out = [];
const name = el => {
  const withId = el.closest('[id]');
  return withId ? '#' + withId.id : el.tagName.toLowerCase();
};
const visible = r => r.width > 0.5 && r.height > 0.5;
const inside = (r, box) =>
  r.left >= box.left - 1.5 && r.right <= box.right + 1.5 && r.top >= box.top - 1.5 && r.bottom <= box.bottom + 1.5;
const overlap = (a, b) =>
  Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 &&
  Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
for (const plot of document.querySelectorAll('.js-plotly-plot')) {
  const box = plot.getBoundingClientRect();
  if (!visible(box)) continue;
  const where = name(plot);
  for (const t of plot.querySelectorAll('svg text')) {
    const text = t.textContent.trim();
    const r = t.getBoundingClientRect();
    if (!text || !visible(r) || t.closest('.hoverlayer')) continue;
    if (!inside(r, box)) out.push({kind: 'chart text outside its chart', where, text});
  }
  const bar = plot.querySelector('.modebar');
  if (bar && visible(bar.getBoundingClientRect())) {
    const br = bar.getBoundingClientRect();
    for (const t of plot.querySelectorAll('svg text')) {
      const r = t.getBoundingClientRect();
      if (t.textContent.trim() && visible(r) && !t.closest('.hoverlayer') && overlap(br, r))
        out.push({kind: 'toolbar over a chart text', where, text: t.textContent.trim()});
    }
  }
  const legend = plot.querySelector('.legend');
  if (legend) {
    const lr = legend.getBoundingClientRect();
    for (const t of plot.querySelectorAll('.g-xtitle text, .g-ytitle text, .xtick text, .ytick text')) {
      const r = t.getBoundingClientRect();
      if (t.textContent.trim() && visible(r) && overlap(lr, r))
        out.push({kind: 'legend over an axis text', where, text: t.textContent.trim()});
    }
  }
}
for (const el of document.querySelectorAll('#_pages_content *, nav *, footer *')) {
  if (el.closest('.js-plotly-plot')) continue;
  const style = getComputedStyle(el);
  if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim())
    out.push({kind: 'text cut with an ellipsis', where: name(el), text: el.textContent.trim().slice(0, 60)});
}
const page = document.documentElement;
if (page.scrollWidth > window.innerWidth + 1)
  out.push({kind: 'page wider than the window', where: 'html',
            text: page.scrollWidth + ' px > ' + window.innerWidth + ' px'});
return out;
"""

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}


def emulate_phone(driver) -> None:
    """Lay the page out as a 390×844 phone does (a narrow window is not the same: Chromium keeps a
    minimum window width and lays out wider than asked)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)


def stop_emulating(driver) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def findings(driver) -> list[dict]:
    return driver.execute_script(FINDINGS_JS)


# The page is drawn: its heading is there, no callback is loading and every chart card's graph has
# drawn once (then charts resize to their card, which settled_findings waits out).
DRAWN_JS = """
if (!document.querySelector('#_pages_content h1') || document.querySelector('._dash-loading')) return false;
return [...document.querySelectorAll('.chart-card .js-plotly-plot')]
  .every(p => p.querySelector('.main-svg') && p._fullLayout);
"""


def settled_findings(driver, timeout: float = 40) -> list[dict]:
    """The findings once the page has drawn and two looks half a second apart agree."""
    deadline = time.monotonic() + timeout
    while not driver.execute_script(DRAWN_JS):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{driver.current_url} did not finish drawing in {timeout:.0f} s")
        time.sleep(0.3)
    last, deadline = None, time.monotonic() + 15
    while True:
        now = findings(driver)
        if now == last or time.monotonic() > deadline:
            return now
        last = now
        time.sleep(0.5)
