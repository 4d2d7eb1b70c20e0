"""Screenshots of every page as a reader sees it, to look at before a change lands: the whole page
and each chart card, at 1400×1000 and on an emulated 390×844 phone, in the languages asked for,
and a list of what is cut or spilling (``tests/integration/layout_fit.py``).

    python app.py &   # the app on http://127.0.0.1:8050
    python scripts/screenshot_pages.py --lang tg --out screenshots/

A narrow window is no phone: Chromium keeps a minimum window width and lays a "390 px" window
out at about 485 px, so the phone is emulated through the DevTools protocol instead.
"""

from __future__ import annotations

import argparse
import base64
import re
import sys
from pathlib import Path

from selenium import webdriver

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.layout_fit import emulate_phone, settled_findings  # noqa: E402

PAGES = ("/", "/connectivity", "/it-sector", "/park", "/targets", "/data")
CARDS = """return [...document.querySelectorAll('.chart-card')].map(card => {
  const r = card.getBoundingClientRect();
  const plot = card.querySelector('.js-plotly-plot');
  return {id: (plot && plot.closest('[id]') || card).id || 'card',
          x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height};
});"""


def _capture(driver, path: Path, clip: dict, scale: float) -> None:
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "clip": {**clip, "scale": scale}},
    )
    path.write_bytes(base64.b64decode(shot["data"]))


def shoot(base: str, lang: str, size: str, out: Path) -> list[str]:
    """Screenshots of every page at ``size`` ("desktop" or "phone"); the findings as lines."""
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options)
    scale = 0.5 if size == "phone" else 1.0  # the phone renders at 3 device pixels per CSS pixel
    lines = []
    try:
        if size == "phone":
            emulate_phone(driver)
        for page in PAGES:
            driver.get(f"{base}{page}?lang={lang}")
            found = settled_findings(driver)
            name = f"{page.strip('/') or 'overview'}-{lang}-{size}"
            # the window's width, scroll bar included: a capture of the whole height has none
            width, height = driver.execute_script(
                "const e = document.documentElement;return [Math.max(e.scrollWidth, window.innerWidth), e.scrollHeight]"
            )
            _capture(driver, out / f"{name}.png", {"x": 0, "y": 0, "width": width, "height": height}, scale)
            for i, card in enumerate(driver.execute_script(CARDS)):
                card_id = re.sub(r"[^\w-]", "_", card.pop("id"))
                _capture(driver, out / f"{name}-card{i:02d}-{card_id}.png", card, scale)
            lines += [f"{page} {lang} {size}: {f['kind']}: {f['where']}: {f['text']}" for f in found]
    finally:
        driver.quit()
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8050", help="the running app")
    parser.add_argument("--lang", action="append", choices=("tg", "ru", "en"), help="repeat for more (default tg)")
    parser.add_argument("--size", action="append", choices=("desktop", "phone"), help="default both")
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    lines = []
    for lang in args.lang or ["tg"]:
        for size in args.size or ["desktop", "phone"]:
            lines += shoot(args.base.rstrip("/"), lang, size, args.out)
    print("\n".join(lines) if lines else "nothing cut or spilling")
    print(f"screenshots in {args.out}/")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
