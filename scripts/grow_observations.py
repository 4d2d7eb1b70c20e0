"""Grow a PostgreSQL database to N million plausible observation rows, for benchmarks at scale.

Set-based SQL only (``INSERT ... SELECT`` over ``generate_series``), in one import batch named
``grow_observations`` (``DELETE FROM observation WHERE import_batch_id = ...`` undoes it):

1. **history**: every district series of the seed (indicator x district x breakdown, quarterly)
   gets the quarters from ``--since`` up to its first one, shrinking back in time from its first
   value (coverage was lower earlier);
2. **breakdowns**: as many extra breakdowns ``grow_NNN`` of the district indicators (sub-groups
   of the population: the views, which show total/urban/rural, never read them, but the table,
   its indexes and the rollup carry them) as it takes to reach N rows, every quarter from
   ``--since`` to the seed's last, each on a logistic curve of its own; one key in three was
   revised once (revision 1 no longer current, revision 2 current), as a re-reported quarter is.

Then the tables are analysed and the rollup rebuilt when ``data_loaders.rollup`` exists.
The database is created and seeded first when it is empty.

Usage: python scripts/grow_observations.py postgresql+psycopg://postgres@127.0.0.1:5432/bench1m --million 1
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Connection, Engine, text  # noqa: E402

from data_loaders.seed import prepare_database  # noqa: E402

BATCH_NAME = "grow_observations"
REVISED_ONE_IN = 3  # one key in three has a second revision
CHUNK = 10  # extra breakdowns per INSERT (about 0.3 M rows each on the seed)

# The district series of the seed and the first and last quarter each has.
KEYS = """
CREATE TEMP TABLE grow_keys AS
SELECT o.indicator_code, o.geo_code, o.breakdown, min(o.source_code) AS source_code,
       min(o.period_start) AS first_start, max(o.period_start) AS last_start,
       (array_agg(o.value ORDER BY o.period_start))[1] AS first_value,
       min(i.value_type) AS value_type
FROM observation o
JOIN geo g ON g.code = o.geo_code AND g.level = 'district'
JOIN indicator i ON i.code = o.indicator_code
WHERE o.is_current AND o.period_type = 'Q' AND o.breakdown IN ('total', 'urban', 'rural')
GROUP BY o.indicator_code, o.geo_code, o.breakdown
"""
# A quarter's columns from its first day ``q``.
QUARTER = """
    to_char(q, 'YYYY') || '-Q' || extract(quarter FROM q)::int, 'Q', q::date,
    (q + interval '3 months' - interval '1 day')::date
"""
COLUMNS = """
    indicator_code, geo_code, period, period_type, period_start, period_end, breakdown, value,
    flags, source_code, comment, revision, is_current, import_batch_id
"""
HISTORY = f"""
INSERT INTO observation ({COLUMNS})
SELECT k.indicator_code, k.geo_code, {QUARTER}, k.breakdown,
       CASE WHEN k.value_type IN ('count') THEN round(k.first_value * power(0.97, n))
            ELSE round((k.first_value * power(0.97, n))::numeric, 2)::float END,
       'E', k.source_code, '', 1, true, :batch
FROM grow_keys k
CROSS JOIN LATERAL generate_series(CAST(:since AS timestamp), k.first_start - interval '3 months',
                                   interval '3 months') AS q
CROSS JOIN LATERAL (SELECT (extract(year FROM age(k.first_start, q)) * 4
                            + extract(month FROM age(k.first_start, q)) / 3)::int AS n) AS back
"""
# Extra breakdowns :first..:last of the total series' keys: a logistic curve per key (its middle
# year and top from a hash of the key), a second revision on one key in three.
BREAKDOWNS = f"""
INSERT INTO observation ({COLUMNS})
SELECT k.indicator_code, k.geo_code, {QUARTER}, b.code,
       CASE WHEN k.value_type = 'count' THEN round(curve.value)
            ELSE round(curve.value::numeric, 2)::float END * CASE WHEN r.rev < r.last THEN 0.98 ELSE 1 END,
       CASE WHEN r.rev < r.last THEN 'P' ELSE '' END, k.source_code, '', r.rev, r.rev = r.last, :batch
FROM grow_keys k
CROSS JOIN LATERAL (SELECT n, 'grow_' || lpad(n::text, 3, '0') AS code
                    FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS n) AS b
CROSS JOIN LATERAL (SELECT abs(hashtext(k.indicator_code || k.geo_code || b.code)) AS h) AS key_hash
CROSS JOIN LATERAL generate_series(CAST(:since AS timestamp), k.last_start, interval '3 months') AS q
CROSS JOIN LATERAL (
    SELECT CASE k.value_type WHEN 'percent' THEN 60 + key_hash.h % 40 WHEN 'speed' THEN 20 + key_hash.h % 20
                             WHEN 'count' THEN 100 + key_hash.h % 900 ELSE 10 + key_hash.h % 10 END
           / (1 + exp(-(extract(epoch FROM q) / 31557600 + 1970 - 2010 - key_hash.h % 14)
                      / (1.5 + key_hash.h % 7 / 3.0))) AS value
) AS curve
CROSS JOIN LATERAL (SELECT rev, CASE WHEN key_hash.h % {REVISED_ONE_IN} = 0 THEN 2 ELSE 1 END AS last
                    FROM generate_series(1, 2) AS rev) AS r
WHERE k.breakdown = 'total' AND r.rev <= r.last
"""


GROWN = "SELECT coalesce(max(substr(breakdown, 6)::int), 0) FROM observation WHERE breakdown LIKE 'grow\\_%'"


def count(connection: Connection) -> int:
    return connection.execute(text("SELECT count(*) FROM observation")).scalar_one()


def new_batch(connection: Connection) -> int:
    return connection.execute(
        text(
            "INSERT INTO import_batch (kind, file_name, checksum, rows, loaded_by, loaded_at, status, warnings)"
            " VALUES ('observations', :name, 'generated', 0, :name, now(), 'loaded', '[]') RETURNING id"
        ),
        {"name": BATCH_NAME},
    ).scalar_one()


def timed(label: str, connection: Connection, statement: str, **params) -> int:
    start = time.perf_counter()
    rows = connection.execute(text(statement), params).rowcount
    seconds = time.perf_counter() - start
    print(f"{label}: {rows:,} rows in {seconds:.1f} s ({rows / max(seconds, 1e-9):,.0f} rows/s)", flush=True)
    return rows


def grow(url: str, target: int, since: str) -> None:
    engine = prepare_database(url, log=print, seed=True)
    if engine.dialect.name != "postgresql":
        raise SystemExit("grow_observations needs PostgreSQL (generate_series, hashtext)")
    started, written = time.perf_counter(), 0
    with engine.begin() as connection:
        before = count(connection)
        batch = new_batch(connection)
        connection.execute(text(KEYS))
        if before < target:
            written += timed("history", connection, HISTORY, batch=batch, since=since)
        per_breakdown = connection.execute(
            text(
                "SELECT sum(((extract(year FROM age(last_start, CAST(:since AS timestamp))) * 4"
                " + extract(month FROM age(last_start, CAST(:since AS timestamp))) / 3) + 1)"
                f" * (1 + 1.0 / {REVISED_ONE_IN})) FROM grow_keys WHERE breakdown = 'total'"
            ),
            {"since": since},
        ).scalar_one()
        needed = math.ceil(max(target - before - written, 0) / float(per_breakdown or 1))
        grown = connection.execute(text(GROWN)).scalar_one()  # a second run adds breakdowns after these
        for first in range(grown + 1, grown + needed + 1, CHUNK):
            last = min(first + CHUNK - 1, grown + needed)
            label = f"breakdowns grow_{first:03d}..grow_{last:03d}"
            written += timed(label, connection, BREAKDOWNS, batch=batch, since=since, first=first, last=last)
        connection.execute(text("UPDATE import_batch SET rows = :rows WHERE id = :id"), {"rows": written, "id": batch})
        seconds = time.perf_counter() - started
        print(
            f"observation: {before:,} -> {before + written:,} rows; {written / max(seconds, 1e-9):,.0f} rows/s overall"
        )
    # Fresh statistics first: planned on an empty-looking table, the rollup's joins run for hours.
    analyse(engine)
    if importlib.util.find_spec("data_loaders.rollup"):  # written by the rollup's own change
        from data_loaders import rollup

        start = time.perf_counter()
        with engine.begin() as connection:
            rollup.rebuild(connection)
            rows = connection.execute(text("SELECT count(*) FROM observation_rollup")).scalar_one()
        print(f"rollup rebuilt: {rows:,} rows in {time.perf_counter() - start:.1f} s", flush=True)
        analyse(engine)
    print(f"total {time.perf_counter() - started:.1f} s")
    engine.dispose()


def analyse(engine: Engine) -> None:
    start = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE observation"))
        connection.execute(text("ANALYZE observation_rollup"))
    print(f"analysed in {time.perf_counter() - start:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", help="postgresql+psycopg://user@host:5432/db (seeded first if empty)")
    parser.add_argument("--million", type=float, default=1.0, help="observation rows to reach, in millions")
    parser.add_argument("--since", default="2000-01-01", help="first quarter of the grown history (default 2000)")
    args = parser.parse_args()
    grow(args.database_url, int(args.million * 1_000_000), args.since)


if __name__ == "__main__":
    main()
