"""Load test: simulated officials open a page and change its filters, as the browser would.

Each user opens a random page (the HTML, ``/_dash-layout``, ``/_dash-dependencies`` and the
callback requests of the page's first load), then makes one to three of that page's filter changes,
reading for 2 to 5 s between steps. The callback requests are the ones the real page sent,
recorded in headless Chromium by ``scripts/benchmark_interactions.py --save-bodies FILE
--record-only`` against the same version of the app; ``BODIES=FILE`` tells this file where they
are. Requests are named ``page: interaction`` in locust's table. Loopback only: locust is told the
host, and this file refuses any host but 127.0.0.1/localhost. Locust has a virtualenv of its own
(``requirements.txt`` beside this file; docs/performance.md says why):

    BODIES=/tmp/bodies.json /tmp/loadtest-venv/bin/locust -f scripts/loadtest/locustfile.py \\
        --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8050
"""

from __future__ import annotations

import json
import os
import random
from collections import defaultdict
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

HEADERS = {"Content-Type": "application/json", "Accept-Encoding": "gzip, br"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _steps() -> dict[str, list[dict]]:
    """Recorded interactions per page, the first load first."""
    pages = defaultdict(list)
    with open(os.environ.get("BODIES", "/tmp/bodies.json"), encoding="utf-8") as file:
        for step in json.load(file):
            pages[step["page"]].append(step)
    return dict(pages)


@events.init.add_listener
def _loopback_only(environment, **_kwargs) -> None:
    options = environment.parsed_options
    host = urlsplit(environment.host or (options.host if options else "") or "").hostname
    if host not in LOOPBACK:
        raise SystemExit(f"load tests run against this machine only (127.0.0.1), not {host!r}")


class Official(HttpUser):
    """Opens a page, changes a filter or three, reads in between."""

    wait_time = between(2, 5)
    pages = _steps()

    def _interaction(self, page: str, step: dict) -> None:
        for body in step["bodies"]:
            self.client.post("/_dash-update-component", data=body, headers=HEADERS, name=f"{page}: {step['name']}")

    @task
    def browse(self) -> None:
        page = random.choice(list(self.pages))
        first, *changes = self.pages[page]
        self.client.get(page + "?lang=en", headers=HEADERS, name=f"{page}: html")
        self.client.get("/_dash-layout", headers=HEADERS, name="/_dash-layout")
        self.client.get("/_dash-dependencies", headers=HEADERS, name="/_dash-dependencies")
        self._interaction(page, first)
        for step in random.sample(changes, k=min(len(changes), random.randint(1, 3))):
            self.wait()
            self._interaction(page, step)
