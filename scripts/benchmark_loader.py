"""Loader speed and memory on generated observation files of N rows.

For each size it writes a valid file and the same file with an error in its last row, then runs
``python -m data_loaders.load`` on each database: a dry run of the valid file (validate only),
the bad file (validated to its last row, then rejected) and a real load of the valid file. Each
run is a child process, so its peak resident memory is measured alone (``os.wait4``).

    python scripts/benchmark_loader.py --rows 10000 100000 [--postgresql URL] [--cases validate reject]

``--rows 10000000`` makes a file of about 1 GB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_loaders.db import make_engine  # noqa: E402
from data_loaders.load import load_file  # noqa: E402
from data_loaders.schema import upgrade_database  # noqa: E402
from data_loaders.seed import SEED_DIR  # noqa: E402

HEADER = "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment\n"
GEOS = ("TJ", "TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA")
REFERENCE = (
    ("reference/sources.csv", "sources"),
    ("reference/indicators.csv", "indicators"),
    ("reference/geo.csv", "geo"),
)
CASES = ("validate", "reject", "load")


@dataclass
class Run:
    backend: str
    rows: int
    megabytes: float
    case: str
    seconds: float
    peak_mb: float
    exit_code: int

    def line(self) -> str:
        rate = self.rows / self.seconds if self.seconds else 0
        return (
            f"{self.backend:<10} {self.rows:>11,} {self.megabytes:>8,.0f} {self.case:<9} {self.seconds:>8.1f}"
            f" {rate:>10,.0f} {self.peak_mb:>8,.0f} {self.exit_code:>4}"
        )


def generate(path: Path, rows: int, bad_last_row: bool) -> None:
    """Distinct keys (the breakdown numbers them), realistic widths (about 100 bytes a row)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        block = []
        for i in range(rows):
            value = "1e999" if bad_last_row and i == rows - 1 else f"{(i * 7) % 1000 / 10:.1f}"
            block.append(
                f"IT.NET.USER.ZS,{GEOS[i % 6]},{2000 + i // 24 % 24}-Q{i // 6 % 4 + 1},{value},b{i // 576},E,WB-WDI,"
                f"generated row {i} of a loader benchmark file\n"
            )
            if len(block) == 10_000:
                handle.write("".join(block))
                block = []
        handle.write("".join(block))


def prepare(backend: str, url: str, folder: Path) -> str:
    """A fresh database with the reference tables (sources, indicators, geo), as its URL."""
    if backend == "postgresql":
        with create_engine(url, isolation_level="AUTOCOMMIT").connect() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS benchmark_loader CASCADE"))
            connection.execute(text("CREATE SCHEMA benchmark_loader"))
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3Dbenchmark_loader"
    else:
        url = f"sqlite:///{folder / 'benchmark.sqlite3'}"
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    engine = make_engine(url)
    upgrade_database(engine)
    for name, kind in REFERENCE:
        assert load_file(engine, SEED_DIR / name, kind=kind).ok
    engine.dispose()
    return url


def measure(backend: str, url: str, path: Path, rows: int, case: str) -> Run:
    """Run the loader's command line on ``path`` as a child process: seconds and peak RSS."""
    command = [sys.executable, "-m", "data_loaders.load", str(path), "--database-url", url]
    if case == "validate":
        command.append("--dry-run")
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    return Run(backend, rows, path.stat().st_size / 1e6, case, seconds, usage.ru_maxrss / 1024, child.returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--postgresql", default=os.environ.get("TEST_DATABASE_URL", ""), help="PostgreSQL URL")
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES))
    parser.add_argument("--folder", type=Path, help="where the files go (default: a temporary folder)")
    args = parser.parse_args(argv)
    backends = {"sqlite": ""} | ({"postgresql": args.postgresql} if args.postgresql else {})
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{'database':<10} {'rows':>11} {'MB':>8} {'case':<9} {'seconds':>8} {'rows/s':>10} {'peak MB':>8} exit")
        for rows in args.rows:
            valid, bad = folder / f"valid_{rows}.csv", folder / f"bad_last_row_{rows}.csv"
            generate(valid, rows, bad_last_row=False)
            if "reject" in args.cases:
                generate(bad, rows, bad_last_row=True)
            for backend, url in backends.items():
                database = prepare(backend, url, folder)
                for case in args.cases:
                    print(measure(backend, database, bad if case == "reject" else valid, rows, case).line(), flush=True)
            valid.unlink()
            bad.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
