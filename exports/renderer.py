"""One headless Chromium, kept running, that turns figures into PNG/SVG and HTML into PDF.

Why one browser: starting Chromium costs about a second; a report with six charts would pay it
seven times. Kaleido 1.x drives the browser through choreographer; here a single ``Kaleido``
lives on a background event loop (like ``kaleido.start_sync_server``), and the same browser
prints the report's HTML to PDF with the DevTools ``Page.printToPDF`` command.

Offline: Debian's ``/usr/bin/chromium`` (``BROWSER_PATH`` overrides it), plotly.js from the
installed plotly package (kaleido's default), and MathJax switched off, because kaleido's
default MathJax is a CDN URL.

No network and no stray files: figures come from the browser (see ``exports.figure_guard``,
which strips URLs), and as a second wall the browser is started with every request sent to a
dead proxy, loopback included, every host name resolving to nothing, and the same-origin rules
for ``file://`` pages that choreographer switches off switched on again, so a rendered page
cannot read other local files into its output (:class:`OfflineChromium`).
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import kaleido
from choreographer.browsers.chromium import Chromium
from kaleido._page_generator import PageGenerator

# Seconds one render or print may take before it is abandoned.
TIMEOUT = 60
# The discard port on loopback: nothing listens, so proxied requests are refused.
NO_PROXY = "http://127.0.0.1:9"
# Chromium sends loopback around any proxy unless told otherwise ("<-loopback>"), so without this
# a figure could still fetch http://127.0.0.1:<port>/; and no host name resolves at all.
OFFLINE_FLAGS = ("--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND")
# Choreographer's flags that let a file:// page read any other file (plotly's SVG export then
# inlined file:///... images as data); kaleido's page and the report print work without them.
DROPPED_FLAGS = ("--disable-web-security", "--allow-file-access-from-files")
# The app's plotly.js locales (month names, decimal sign), loaded into the export page after plotly.js,
# so a figure with ``config.locale`` draws its axes as the dashboard does in the browser.
ASSETS = Path(__file__).resolve().parent.parent / "assets"
LOCALES = {"ru": ASSETS / "plotly-locale-ru.js", "tg": ASSETS / "plotly-locale-tg.js"}
# Kaleido hands plotly.js no config: this script turns the layout's ``tjLocale`` into ``config.locale``.
LOCALE_HOOK = Path(__file__).resolve().parent / "plotly_locale.js"


def browser_path() -> str | None:
    """The Chromium to drive: ``BROWSER_PATH`` if set, else Debian's chromium on PATH."""
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


class OfflineChromium(Chromium):
    """Choreographer's Chromium with :data:`OFFLINE_FLAGS` added and :data:`DROPPED_FLAGS` removed
    (it has no option for either)."""

    def get_cli(self) -> list[str]:
        return [*(flag for flag in super().get_cli() if flag not in DROPPED_FLAGS), *OFFLINE_FLAGS]


class Renderer:
    """A Kaleido browser on its own thread; methods are thread-safe and block until done."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: kaleido.Kaleido | None = None
        self._thread: threading.Thread | None = None

    def _start(self) -> None:
        loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="export-renderer", daemon=True)
        self._thread.start()

        async def open_browser() -> kaleido.Kaleido:
            # A proxy that does not exist (loopback too): any http(s) request from this browser fails
            # at once, so nothing is fetched even if a figure asks for a local or remote resource.
            # plotly.js from the installed plotly package, no MathJax (a CDN URL), the app's locales
            others = [(path.as_uri(), "utf-8") for path in (*LOCALES.values(), LOCALE_HOOK) if path.is_file()]
            options: dict[str, Any] = {
                "n": 1,
                "timeout": TIMEOUT,
                "page_generator": PageGenerator(mathjax=False, others=others),
                "proxy_server": NO_PROXY,
                "browser_cls": OfflineChromium,
            }
            if path := browser_path():
                options["path"] = path
            k = kaleido.Kaleido(**options)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(TIMEOUT)
        except BaseException:  # no browser: stop the loop thread instead of leaving it behind
            loop.call_soon_threadsafe(loop.stop)
            self._thread = None
            raise
        self._loop = loop

    def _alive(self) -> bool:
        return self._loop is not None and self._thread is not None and self._thread.is_alive()

    def _abandon(self) -> None:
        """Forget a browser whose thread died (killed by a test runner, say) and end its process."""
        process = getattr(self._kaleido, "subprocess", None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)  # choreographer starts it in its own session
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop = self._kaleido = self._thread = None

    def _run(self, coroutine_factory) -> Any:
        """Run a coroutine on the browser's loop; if that thread dies meanwhile, retry once on a new one."""
        for _attempt in range(2):
            with self._lock:
                if not self._alive():
                    self._abandon()
                    self._start()
                loop, browser, thread = self._loop, self._kaleido, self._thread
            future = asyncio.run_coroutine_threadsafe(coroutine_factory(browser), loop)
            deadline = time.monotonic() + TIMEOUT * 2
            while thread.is_alive():
                try:
                    return future.result(0.5)
                except TimeoutError:
                    if time.monotonic() > deadline:
                        break
            # The loop thread died, or the browser stopped answering (one of its helper threads
            # can be killed from outside, e.g. by dash.testing's thread killer): start afresh.
            future.cancel()
            with self._lock:
                self._abandon()
        raise RuntimeError("the export browser stopped twice")

    def figure(
        self, figure: Any, fmt: str, width: int, height: int, scale: float = 1, locale: str | None = None
    ) -> bytes:
        """The figure as ``png`` or ``svg`` bytes, at ``width`` x ``height`` CSS pixels times ``scale``;
        with ``locale`` (``ru``, ``tg``) month names and the decimal sign follow plotly.js's locale."""
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        if locale in LOCALES:
            as_dict = figure.to_dict() if hasattr(figure, "to_dict") else dict(figure)
            figure = {**as_dict, "layout": {**(as_dict.get("layout") or {}), "tjLocale": locale}}
        return self._run(lambda k: k.calc_fig(figure, opts=opts))

    def pdf(self, html: str, footer: str | None = None) -> bytes:
        """The HTML document printed to A4 PDF by the same browser (backgrounds kept); ``footer``
        is Chromium's footer template (its ``pageNumber``/``totalPages`` spans are filled in), drawn
        in the page's bottom margin."""
        return self._run(lambda k: _print_pdf(k, html, footer))

    def forget_after_fork(self) -> None:
        """In a forked process (a Celery pool process): the parent's browser and loop thread belong to
        the parent, so they are dropped untouched, never stopped, and the next call starts its own."""
        self._lock = threading.Lock()
        self._loop = self._kaleido = self._thread = None

    def close(self) -> None:
        """Stop the browser (tests and shutdown); the next call starts a new one."""
        with self._lock:
            if not self._alive():
                self._abandon()
                return
            loop, k = self._loop, self._kaleido
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(TIMEOUT)
            except (TimeoutError, RuntimeError, OSError):
                pass  # a browser that does not close in time is killed by _abandon below
            finally:
                loop.call_soon_threadsafe(loop.stop)
                self._abandon()


async def _print_pdf(browser: kaleido.Kaleido, html: str, footer: str | None = None) -> bytes:
    """Open the HTML in a new tab from a temporary file, wait for load, print, close the tab."""
    with tempfile.TemporaryDirectory(prefix="tj-report-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        tab = await browser.create_tab("")
        try:
            await tab.send_command("Page.enable")
            loaded = tab.subscribe_once("Page.loadEventFired")
            await tab.send_command("Page.navigate", params={"url": page.as_uri()})
            await asyncio.wait_for(loaded, TIMEOUT)
            params: dict[str, Any] = {
                "printBackground": True,
                "preferCSSPageSize": True,
                "paperWidth": 8.27,
                "paperHeight": 11.69,
            }
            if footer:
                params |= {"displayHeaderFooter": True, "headerTemplate": "<span></span>", "footerTemplate": footer}
            response = await tab.send_command("Page.printToPDF", params=params)
        finally:
            await browser.close_tab(tab.target_id)
    if "error" in response:
        raise RuntimeError(f"printToPDF failed: {response['error']}")
    return base64.b64decode(response["result"]["data"])


# The process-wide renderer: one browser for every export request.
RENDERER = Renderer()
atexit.register(RENDERER.close)
os.register_at_fork(after_in_child=RENDERER.forget_after_fork)
