"""What a click costs: replay each page's own callback requests over HTTP and time them in a browser.

Prints figures, asserts nothing. One run:

1. starts the app (``python app.py`` from ``--app-dir``) twice on a free loopback port each: *warm*
   (the configured in-process cache) and *cold* (``CACHE_TYPE=NullCache``: every query misses),
   on a fresh seeded SQLite file or on ``--database-url``; and a trivial Dash app (one dropdown, one
   ``html.Div`` callback), whose callback p50/p95 is the yardstick;
2. drives headless Chromium through every page: the first load, then each filter change made the
   way a link or back/forward makes it (the URL changes in place, no reload), and records every
   ``/_dash-update-component`` request the page sends (a ``fetch`` wrapper installed before the
   app's scripts) and when the page is *settled*: no callback in flight, no loading marker, every
   graph drawn;
3. replays each interaction's recorded request bodies ``--repeat`` times against both servers,
   concurrently as the browser sends them, with ``Accept-Encoding: gzip, br``, each time followed by
   one trivial callback (so the yardstick sees the same machine load), and prints p50/p95 of the
   interaction, its slowest request, the bytes as sent (on the wire) and uncompressed, and
   p95 / trivial p95.

The recorded bodies do not depend on ids, so the same run works on any version of the pages.

Usage: python scripts/benchmark_interactions.py [--app-dir DIR] [--database-url URL] [--repeat 30]
       [--save-bodies FILE [--record-only]]  (the recorded requests, for scripts/loadtest/locustfile.py)
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import brotli
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent
UPDATE = "/_dash-update-component"
# path -> (first view, [(name, query of the changed view)]); English so every version shows the same
PAGES = {
    "/": ("?lang=en", [("language ru", "?lang=ru")]),
    "/connectivity": (
        "?lang=en",
        [
            ("metric 3g", "?lang=en&metric=3g"),
            ("region", "?lang=en&region=TJ-KT"),
            ("district", "?lang=en&region=TJ-KT&district=TJ-KT-05"),
        ],
    ),
    "/it-sector": (
        "?lang=en",
        [
            ("measure jobs", "?lang=en&measure=jobs"),
            ("region", "?lang=en&region=TJ-SU"),
            ("view index", "?lang=en&view=index"),
        ],
    ),
    "/park": ("?lang=en", [("building B2", "?lang=en&building=B2"), ("as of", "?lang=en&as_of=2025-12-31")]),
    "/targets": ("?lang=en", [("theme", "?lang=en&theme=connectivity"), ("region", "?lang=en&region=TJ-KT")]),
    "/data": ("?lang=en", [("theme", "?lang=en&theme=connectivity"), ("search", "?lang=en&q=internet")]),
}
TRIVIAL_APP = textwrap.dedent(
    """
    import sys
    from dash import Dash, Input, Output, dcc, html
    app = Dash(__name__)
    app.layout = html.Div([dcc.Dropdown(["a", "b"], "a", id="dd"), html.Div(id="out")])
    @app.callback(Output("out", "children"), Input("dd", "value"))
    def echo(value):
        return f"chose {value}"
    app.run(host="127.0.0.1", port=int(sys.argv[1]), debug=False)
    """
)
TRIVIAL_BODY = {
    "output": "out.children",
    "outputs": {"id": "out", "property": "children"},
    "inputs": [{"id": "dd", "property": "value", "value": "b"}],
    "changedPropIds": ["dd.value"],
    "state": [],
}
# Installed before the app's scripts: counts the Dash requests in flight, records the callback
# bodies and tracks when the page last stopped being busy (a request, a loading marker, an undrawn graph).
PROBE = """
(() => {
  const S = window.__bench = {pending: 0, calls: [], layouts: 0, idleSince: null, t0: 0};
  const original = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.includes('/_dash-')) return original.apply(this, arguments);
    S.pending++;
    if (url.includes('_dash-update-component')) S.calls.push(init && init.body);
    const done = () => { S.pending--; if (url.includes('_dash-layout')) S.layouts++; };
    return original.apply(this, arguments).then(r => { done(); return r; }, e => { done(); throw e; });
  };
  const drawn = g => { const p = g.classList.contains('js-plotly-plot') ? g : g.querySelector('.js-plotly-plot');
                       return p && p._fullLayout && p.querySelector('.main-svg'); };
  const busy = () => S.pending > 0 || S.layouts === 0 || document.readyState !== 'complete'
      || document.querySelector('._dash-loading, [data-dash-is-loading="true"]')
      || [...document.querySelectorAll('.dash-graph')].some(g => !drawn(g));
  setInterval(() => {
    if (busy()) S.idleSince = null;
    else if (S.idleSince === null) S.idleSince = performance.now();
  }, 10);
})();
"""
QUIET_MS = 500  # a page counts as settled once it has been idle this long


@dataclass
class Interaction:
    page: str
    name: str
    bodies: list[str]
    settled_ms: list[float] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {timeout} s")


def start(command: list[str], cwd: Path, env: dict[str, str], log: Path, ready: str) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_for(ready)
    except RuntimeError:
        process.kill()
        raise RuntimeError(f"{' '.join(command)} did not start; see {log}") from None
    return process


def start_dashboard(app_dir: Path, database_url: str, cache_type: str, folder: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SECRET_KEY": "benchmark",
        "DEFAULT_LANGUAGE": "en",
        "CACHE_TYPE": cache_type,
        "CACHE_REDIS_URL": "",
        "REPORT_RATE_LIMIT": "10000/minute",
        "EXPORT_RATE_LIMIT": "10000/minute",
    }
    log = folder / f"app-{cache_type}.log"
    return start([sys.executable, "app.py"], app_dir, env, log, f"http://127.0.0.1:{port}/health"), port


def post(port: int, body: bytes) -> tuple[float, int, int, int]:
    """One callback request: (seconds, status, bytes on the wire, bytes uncompressed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip, br"}
    start_time = time.perf_counter()
    connection.request("POST", UPDATE, body=body, headers=headers)
    response = connection.getresponse()
    wire = response.read()
    seconds = time.perf_counter() - start_time
    encoding = response.getheader("Content-Encoding", "")
    connection.close()
    raw = brotli.decompress(wire) if encoding == "br" else gzip.decompress(wire) if encoding == "gzip" else wire
    return seconds, response.status, len(wire), len(raw)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
    return driver


def settle(driver: webdriver.Chrome, timeout: float = 60) -> float:
    """Wait until the page has been idle for QUIET_MS; milliseconds from ``__bench.t0`` to idle."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = driver.execute_script("const S = window.__bench; return S && [S.idleSince, performance.now(), S.t0]")
        if state and state[0] is not None and state[1] - state[0] >= QUIET_MS:
            return state[0] - state[2]
        time.sleep(0.05)
    raise TimeoutError("the page did not settle")


def change(driver: webdriver.Chrome, url: str) -> None:
    """Move to ``url`` the way dcc.Link and back/forward do: history changes, dcc.Location reports it."""
    driver.execute_script(
        "const S = window.__bench; S.calls = []; S.idleSince = null; S.t0 = performance.now();"
        "history.pushState({}, '', arguments[0]); window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));",
        url,
    )


def record(port: int, pages: dict, visits: int) -> tuple[list[Interaction], dict[str, list[float]]]:
    """Each page's first load and filter changes: the callback bodies and the times to settle."""
    base = f"http://127.0.0.1:{port}"
    driver = browser()
    interactions, drawn = [], {}
    try:
        for path, (first, changes) in pages.items():
            times, load = [], None
            for _ in range(visits):  # the first visit also fills the server's cache and the browser's
                driver.get(base + path + first)
                times.append(settle(driver))
                bodies = driver.execute_script("return window.__bench.calls")
                load = load or Interaction(path, "first load", bodies)
            drawn[path] = times
            interactions.append(load)
            for name, query in changes:
                step = Interaction(path, name, [])
                for _ in range(visits):
                    change(driver, path + query)
                    step.settled_ms.append(settle(driver))
                    step.bodies = step.bodies or driver.execute_script("return window.__bench.calls")
                    change(driver, path + first)
                    settle(driver)
                interactions.append(step)
    finally:
        driver.quit()
    return interactions, drawn


def replay(port: int, bodies: list[str], repeat: int, trivial_port: int) -> dict:
    """The interaction ``repeat`` times, its requests concurrently (at most 6, like a browser),
    each time followed by one trivial callback, so that both are measured under the same load."""
    encoded, yardstick = [body.encode() for body in bodies], json.dumps(TRIVIAL_BODY).encode()
    walls, slowest, statuses, sizes, trivial = [], [], set(), [], []
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(repeat):
            start_time = time.perf_counter()
            results = list(pool.map(lambda body: post(port, body), encoded))
            walls.append(time.perf_counter() - start_time)
            slowest.append(max(r[0] for r in results))
            statuses.update(r[1] for r in results)
            sizes = [(r[2], r[3]) for r in results]
            trivial.append(post(trivial_port, yardstick)[0])
    return {
        "p50": statistics.median(walls) * 1000,
        "p95": percentile(walls, 0.95) * 1000,
        "slowest_p95": percentile(slowest, 0.95) * 1000,
        "wire": sum(s[0] for s in sizes),
        "raw": sum(s[1] for s in sizes),
        "largest_wire": max((s[0] for s in sizes), default=0),
        "statuses": sorted(statuses),
        "trivial": trivial,
    }


def start_trivial(folder: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-c", TRIVIAL_APP, str(port)]
    process = start(command, folder, dict(os.environ), folder / "trivial.log", f"http://127.0.0.1:{port}/")
    for _ in range(5):
        post(port, json.dumps(TRIVIAL_BODY).encode())
    return process, port


def describe(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-dependencies") as response:
        callbacks = len(json.loads(response.read()))
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_dash-layout") as response:
        layout = len(response.read())
    return f"{callbacks} callbacks in /_dash-dependencies, /_dash-layout {layout / 1024:.1f} KB"


def row(step: Interaction, r: dict, trivial_p95: float) -> str:
    return (
        f"{step.page:<14}{step.name:<14}{len(step.bodies):>5}{r['p50']:>9.1f}{r['p95']:>9.1f}"
        f"{r['p95'] / trivial_p95:>8.1f}{r['slowest_p95']:>12.1f}{r['raw'] / 1024:>9.1f}{r['wire'] / 1024:>9.1f}"
        f"{r['largest_wire'] / 1024:>12.1f}  {r['statuses']}"
    )


HEADER = (
    f"{'page':<14}{'interaction':<14}{'reqs':>5}{'p50 ms':>9}{'p95 ms':>9}{'x triv':>8}"
    f"{'slowest p95':>12}{'raw KB':>9}{'wire KB':>9}{'max wire KB':>12}  status"
)


def load() -> str:
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout to run (default: this one)")
    parser.add_argument("--database-url", help="an already loaded database (default: a fresh seeded SQLite file)")
    parser.add_argument("--repeat", type=int, default=30, help="replays of each interaction (default 30)")
    parser.add_argument("--visits", type=int, default=3, help="browser visits of each view (default 3)")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), help="paths to measure (default: all)")
    parser.add_argument("--save-bodies", type=Path, help="write the recorded requests to this JSON file (for locust)")
    parser.add_argument("--record-only", action="store_true", help="record (and save) the requests, replay nothing")
    args = parser.parse_args()
    pages = {path: PAGES[path] for path in args.pages}
    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        folder = Path(name)
        url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
        print(f"app: {args.app_dir.resolve()}  database: {url.split('@')[-1]}  repeat: {args.repeat}", flush=True)
        started = time.perf_counter()
        warm, warm_port = start_dashboard(args.app_dir, url, "SimpleCache", folder)
        print(f"app started (seeded if new) in {time.perf_counter() - started:.1f} s", flush=True)
        cold, cold_port = start_dashboard(args.app_dir, url, "NullCache", folder)
        yardstick, trivial_port = start_trivial(folder)
        try:
            print(describe(warm_port), flush=True)
            interactions, drawn = record(warm_port, pages, args.visits)
            if args.save_bodies:
                steps = [{"page": step.page, "name": step.name, "bodies": step.bodies} for step in interactions]
                args.save_bodies.write_text(json.dumps(steps))
                print(f"recorded requests saved to {args.save_bodies}")
            print(f"\nbrowser (headless Chromium, warm server; first visit, then median of the rest); {load()}:")
            for path, times in drawn.items():
                rest = statistics.median(times[1:]) if len(times) > 1 else times[0]
                print(f"  {path:<14} fully drawn {times[0]:7.0f} ms, again {rest:7.0f} ms")
            for step in interactions:
                if step.settled_ms:
                    rest = statistics.median(step.settled_ms[1:]) if len(step.settled_ms) > 1 else step.settled_ms[0]
                    print(
                        f"  {step.page:<14} {step.name:<14} settled {step.settled_ms[0]:6.0f} ms, again {rest:6.0f} ms"
                    )
            for label, port in (
                ("warm (cache filled)", warm_port),
                ("cold (NullCache: every query misses)", cold_port),
            )[: 0 if args.record_only else 2]:
                results = {}
                for step in interactions:
                    if label.startswith("warm"):
                        replay(port, step.bodies, 1, trivial_port)  # fill the cache
                    results[id(step)] = replay(port, step.bodies, args.repeat, trivial_port)
                trivial = [t for r in results.values() for t in r["trivial"]]
                triv50, triv95 = statistics.median(trivial) * 1000, percentile(trivial, 0.95) * 1000
                print(f"\nHTTP replay, {label}; {load()}")
                print(f"trivial Dash callback, one after each replay: p50 {triv50:.1f} ms, p95 {triv95:.1f} ms")
                print(f"x triv = p95 / trivial p95\n{HEADER}")
                print("\n".join(row(step, results[id(step)], triv95) for step in interactions), flush=True)
        finally:
            for process in (warm, cold, yardstick):
                process.terminate()
                process.wait()


if __name__ == "__main__":
    main()
