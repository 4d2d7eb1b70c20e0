"""Time the PDF report of every page, as a user would get it (``GET /_export/report.pdf``).

Usage: ``DATABASE_URL=sqlite:////tmp/bench.sqlite3 python scripts/benchmark_reports.py [lang]``
(a fresh database is seeded on first use). The first line is the one-off start of the shared
browser; every report after it reuses that browser. Query caching is cleared before each page, so
the times include the database queries.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import dash  # noqa: E402

from app import create_app  # noqa: E402
from config import Config  # noqa: E402
from data_loaders.cached import cache  # noqa: E402
from exports.renderer import RENDERER  # noqa: E402


def main(lang: str = "tg") -> None:
    app = create_app(Config.from_env())
    client = app.server.test_client()
    started = time.perf_counter()
    RENDERER.figure({"data": [], "layout": {}}, "svg", 100, 100)
    print(f"{'browser start (once)':<24}{time.perf_counter() - started:8.1f} s")
    pages = sorted((p for p in dash.page_registry.values() if p.get("order") is not None), key=lambda p: p["order"])
    for page in pages:
        with app.server.app_context():
            cache.clear()
        started = time.perf_counter()
        response = client.get(f"/_export/report.pdf?page={page['path']}&lang={lang}")
        elapsed = time.perf_counter() - started
        size = len(response.data) // 1024
        print(f"{page['path']:<24}{elapsed:8.1f} s  {response.status_code}  {size} KiB")
    RENDERER.close()


if __name__ == "__main__":
    main(*sys.argv[1:2])
