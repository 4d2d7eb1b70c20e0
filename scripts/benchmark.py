"""Measure what users wait for and print the figures (no assertions: numbers for the changelog).

* seeding an empty SQLite database through the loader (first start of the app);
* loading and validating a 20,000-row observation file (a quarter of district data);
* server-side rendering of each page, cold (empty cache) and warm, as the page callback does it;
* the same on PostgreSQL when BENCH_DATABASE_URL is set (e.g. postgresql+psycopg://postgres@127.0.0.1/test).

Usage: python scripts/benchmark.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dash  # noqa: E402
import pandas as pd  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from app import create_app  # noqa: E402
from config import Config  # noqa: E402
from data_loaders.cached import cache  # noqa: E402
from data_loaders.db import make_engine  # noqa: E402
from data_loaders.load import load_file  # noqa: E402
from data_loaders.schema import upgrade_database  # noqa: E402
from data_loaders.seed import load_seed  # noqa: E402

PAGES = ["/", "/connectivity", "/it-sector", "/park", "/targets", "/data"]


def timed(function, *args, **kwargs) -> float:
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def seed_time(url: str) -> float:
    engine = make_engine(url)
    upgrade_database(engine)
    seconds = timed(load_seed, engine, log=lambda _m: None)
    engine.dispose()
    return seconds


def bulk_load_time(url: str, folder: Path) -> tuple[int, float]:
    """A reload of one synthetic indicator with every value changed: 20,000-odd new revisions."""
    frame = pd.read_csv(ROOT / "seed_data/synthetic/connectivity_districts.csv", dtype=str, keep_default_na=False)
    frame["value"] = (frame["value"].astype(float) * 0.999).round(3).astype(str)
    path = folder / "reload.csv"
    frame.to_csv(path, index=False)
    engine = make_engine(url)
    start = time.perf_counter()
    report = load_file(engine, path, source="DEMO-SYNTHETIC")
    seconds = time.perf_counter() - start
    assert report.ok, report.summary()
    engine.dispose()
    return len(frame), seconds


def page_times(url: str, repeat: int) -> dict[str, tuple[float, float]]:
    """(cold, median warm) seconds to build each page's layout inside a request."""
    app = create_app(Config(database_url=url, seed_on_start=False, secret_key="bench"))
    layouts = {page["path"]: page["layout"] for page in dash.page_registry.values()}
    results = {}
    for path in PAGES:
        with app.server.test_request_context(path + "?lang=en"):
            cache.clear()
            cold = timed(layouts[path], lang="en")
            warm = statistics.median(timed(layouts[path], lang="en") for _ in range(repeat))
        results[path] = (cold, warm)
    return results


def report(label: str, url: str, folder: Path, repeat: int) -> None:
    print(f"\n== {label} ==")
    print(f"seed an empty database (14+ files through the loader): {seed_time(url):6.2f} s")
    rows, seconds = bulk_load_time(url, folder)
    print(
        f"validate + load {rows:,} observation rows as new revisions:  {seconds:6.2f} s ({rows / seconds:,.0f} rows/s)"
    )
    print("page layout, server side       cold (s)   warm (s)")
    for path, (cold, warm) in page_times(url, repeat).items():
        print(f"  {path:<28} {cold:8.3f}   {warm:8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        report("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}", folder, args.repeat)
        pg = os.environ.get("BENCH_DATABASE_URL")
        if pg:
            with create_engine(pg, isolation_level="AUTOCOMMIT").connect() as connection:
                connection.execute(text("DROP SCHEMA IF EXISTS bench CASCADE"))
                connection.execute(text("CREATE SCHEMA bench"))
            report("PostgreSQL", f"{pg}?options=-csearch_path%3Dbench", folder, args.repeat)


if __name__ == "__main__":
    main()
