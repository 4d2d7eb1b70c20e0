"""Rolling an import batch back: the previous revisions become current again (nothing deleted),
the rollup follows in the same transaction, the roll-back is an audit entry, and every refusal
says why and writes nothing. On real databases, and through ``python -m data_loaders.rollback``."""

from __future__ import annotations

import getpass
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select, text

from data_loaders import models as m
from data_loaders.load import load_file
from data_loaders.rollback import rollback_batch, rollback_refusal, rollback_refusals
from data_loaders.seed import SEED_DIR, SYNTHETIC
from tests.unit.test_loader_observations import HEADER, table_counts, write
from tests.unit.test_rollup import FOUR_G, KEY, quarter, rebuilt, rollup_table, units_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def districts(reference_engine, tmp_path):
    """The modelled population and two quarters of 4G coverage for all 59 coverage units."""
    report = load_file(reference_engine, SEED_DIR / "synthetic/population_model.csv", source=SYNTHETIC)
    assert report.ok, report.summary()
    units = units_of(reference_engine)
    for period in ("2025-Q1", "2025-Q2"):
        report = load_file(reference_engine, write(tmp_path, quarter(units, period), f"{period}.csv"))
        assert report.ok, report.summary()
    return reference_engine


def observation(engine, geo: str, period: str, indicator: str = FOUR_G) -> list[tuple]:
    """Every revision of one key, by direct SQL: (revision, value, is_current, import_batch_id)."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT revision, value, is_current, import_batch_id FROM observation "
                "WHERE indicator_code = :i AND geo_code = :g AND period = :p AND breakdown = 'total' "
                "ORDER BY revision"
            ),
            {"i": indicator, "g": geo, "p": period},
        )
        return [(r, v, bool(c), b) for r, v, c, b in rows]


def rollup_value(engine, level: str, geo: str, period: str) -> float | None:
    with engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT value FROM observation_rollup WHERE indicator_code = :i AND breakdown = 'total' "
                "AND level = :l AND geo_code = :g AND period = :p"
            ),
            {"i": FOUR_G, "l": level, "g": geo, "p": period},
        ).scalar()


def batch(engine, batch_id: int):
    with engine.connect() as connection:
        return connection.execute(select(m.ImportBatch.__table__).where(m.ImportBatch.id == batch_id)).one()


def load(engine, tmp_path, rows: str, name: str) -> int:
    report = load_file(engine, write(tmp_path, HEADER + rows, name), loaded_by="staff1")
    assert report.ok, report.summary()
    return report.batch_id


def test_a_roll_back_restores_the_previous_values_and_the_rollup(districts, tmp_path):
    rollup_before = rollup_table(districts)
    old = observation(districts, "TJ-GB-01", "2025-Q2")
    assert len(old) == 1 and old[0][2]
    country_q2 = rollup_value(districts, "country", "TJ", "2025-Q2")
    rows = f"{FOUR_G},TJ-GB-01,2025-Q2,{old[0][1] + 10},total,,{SYNTHETIC},\n{FOUR_G},TJ-GB-01,2025-Q3,50,total,,,\n"
    loaded = load(districts, tmp_path, rows, "wrong.csv")
    assert rollup_value(districts, "country", "TJ", "2025-Q2") != country_q2
    assert rollup_value(districts, "unit", "TJ-GB-01", "2025-Q3") == 50
    observations_before = table_counts(districts)["observation"]

    report = rollback_batch(districts, loaded, by="admin1")

    assert report.ok, report.summary()
    assert (report.reverted, report.restored, report.indicators) == (2, 1, [FOUR_G])
    assert observation(districts, "TJ-GB-01", "2025-Q2") == [
        (1, old[0][1], True, old[0][3]),
        (2, old[0][1] + 10, False, loaded),
    ]
    assert observation(districts, "TJ-GB-01", "2025-Q3") == [(1, 50.0, False, loaded)]  # new in the batch: none current
    assert table_counts(districts)["observation"] == observations_before  # nothing deleted
    assert rollup_value(districts, "unit", "TJ-GB-01", "2025-Q2") == old[0][1]
    assert rollup_value(districts, "country", "TJ", "2025-Q2") == pytest.approx(country_q2, rel=1e-12)
    assert rollup_value(districts, "unit", "TJ-GB-01", "2025-Q3") is None
    pd.testing.assert_frame_equal(rollup_table(districts), rollup_before)
    pd.testing.assert_frame_equal(rollup_table(districts), rebuilt(districts))


def test_the_roll_back_is_an_audit_entry_and_marks_the_batch(districts, tmp_path):
    loaded = load(districts, tmp_path, f"{FOUR_G},TJ-GB-01,2025-Q2,12,total,,,\n", "wrong.csv")
    last_id = batch(districts, loaded).id
    report = rollback_batch(districts, loaded, by="admin1")
    assert report.ok and report.rollback_batch_id > last_id  # a new max(id): the query cache is renewed
    undone, entry = batch(districts, loaded), batch(districts, report.rollback_batch_id)
    assert undone.status == "rolled back"
    assert (entry.kind, entry.status, entry.file_name, entry.checksum) == (
        "observations",
        "rollback",
        "wrong.csv",
        undone.checksum,
    )
    assert (entry.rows, entry.loaded_by, entry.reverts_batch_id) == (1, "admin1", loaded)
    assert entry.counts == {"reverted": 1, "restored": 1}
    assert entry.loaded_at >= undone.loaded_at
    assert report.summary().startswith(f"import batch {loaded} rolled back as import batch {entry.id}: 1 value(s)")


def test_a_second_roll_back_and_a_roll_back_of_the_entry_are_refused(districts, tmp_path):
    loaded = load(districts, tmp_path, f"{FOUR_G},TJ-GB-01,2025-Q2,12,total,,,\n", "wrong.csv")
    first = rollback_batch(districts, loaded, by="admin1")
    assert first.ok
    before = table_counts(districts)
    again = rollback_batch(districts, loaded, by="admin1")
    assert not again.ok
    assert again.reason == f"import batch {loaded} is already rolled back (by import batch {first.rollback_batch_id})"
    entry = rollback_batch(districts, first.rollback_batch_id, by="admin1")
    assert entry.reason == (
        f"import batch {first.rollback_batch_id} is itself the roll-back of import batch {loaded}; "
        "load that file again instead"
    )
    assert table_counts(districts) == before
    assert "was not rolled back: import batch" in again.summary()


def test_a_batch_whose_values_a_later_batch_revised_is_refused_until_that_one_is_rolled_back(districts, tmp_path):
    (original,) = observation(districts, "TJ-GB-01", "2025-Q2")
    a = load(
        districts, tmp_path, f"{FOUR_G},TJ-GB-01,2025-Q2,12,total,,,\n{FOUR_G},TJ-GB-02,2025-Q2,13,total,,,\n", "a.csv"
    )
    b = load(districts, tmp_path, f"{FOUR_G},TJ-GB-01,2025-Q2,14,total,,,\n", "b.csv")
    before = table_counts(districts)
    refused = rollback_batch(districts, a, by="admin1")
    assert refused.reason == f"import batch {b} revised 1 of its values later; roll back import batch {b} first"
    assert table_counts(districts) == before
    assert observation(districts, "TJ-GB-01", "2025-Q2")[-1] == (3, 14.0, True, b)
    with districts.connect() as connection:  # the audit list asks for all its batches at once
        assert rollback_refusals(connection, [b, a, 9999, 1]) == {
            1: "sources files replace rows in place and keep no earlier version; load the previous file again instead",
            a: refused.reason,
            b: None,
            9999: "there is no import batch 9999",
        }

    assert rollback_batch(districts, b, by="admin1").ok
    assert [r[1:3] for r in observation(districts, "TJ-GB-01", "2025-Q2")] == [
        (original[1], False),
        (12.0, True),
        (14.0, False),
    ]
    with districts.connect() as connection:
        assert rollback_refusal(connection, a) is None  # the later batch no longer counts
    assert rollback_batch(districts, a, by="admin1").ok
    assert [r[2] for r in observation(districts, "TJ-GB-01", "2025-Q2")] == [True, False, False]
    pd.testing.assert_frame_equal(rollup_table(districts), rebuilt(districts))

    # a load after the roll-backs takes the next free revision, and its own roll-back restores the original
    c = load(districts, tmp_path, f"{FOUR_G},TJ-GB-01,2025-Q2,15,total,,,\n", "c.csv")
    assert observation(districts, "TJ-GB-01", "2025-Q2")[-1] == (4, 15.0, True, c)
    assert rollback_batch(districts, c, by="admin1").restored == 1
    assert [r[2] for r in observation(districts, "TJ-GB-01", "2025-Q2")] == [True, False, False, False]


def test_the_key_new_in_a_rolled_back_batch_loads_again(reference_engine, tmp_path):
    first = load(reference_engine, tmp_path, "IT.NET.USER.ZS,TJ,2025,44,,,,\n", "a.csv")
    assert rollback_batch(reference_engine, first, by="admin1").ok
    again = load(reference_engine, tmp_path, "IT.NET.USER.ZS,TJ,2025,44,,,,\n", "b.csv")
    assert observation(reference_engine, "TJ", "2025", "IT.NET.USER.ZS") == [
        (1, 44.0, False, first),
        (2, 44.0, True, again),
    ]


@pytest.mark.parametrize("kind", ["sources", "indicators", "geo"])
def test_kinds_without_revisions_are_refused(reference_engine, kind):
    with reference_engine.connect() as connection:
        batch_id = connection.execute(select(func.max(m.ImportBatch.id)).where(m.ImportBatch.kind == kind)).scalar()
    before = table_counts(reference_engine)
    report = rollback_batch(reference_engine, batch_id, by="admin1")
    assert report.reason == (
        f"{kind} files replace rows in place and keep no earlier version; load the previous file again instead"
    )
    assert table_counts(reference_engine) == before


def test_park_files_are_refused(reference_engine):
    assert load_file(reference_engine, SEED_DIR / "synthetic/park_buildings.csv", source=SYNTHETIC).ok
    report = load_file(reference_engine, SEED_DIR / "synthetic/park_units.csv", source=SYNTHETIC)
    assert report.ok, report.summary()
    with reference_engine.connect() as connection:
        assert rollback_refusal(connection, report.batch_id).startswith("park_units files replace rows in place")


def test_a_missing_batch_and_a_dry_run_are_refused(reference_engine, tmp_path):
    assert rollback_batch(reference_engine, 9999, by="admin1").reason == "there is no import batch 9999"
    with reference_engine.begin() as connection:  # dry runs leave no row; an older database may hold one
        batch_id = connection.execute(
            m.ImportBatch.__table__.insert().values(
                kind="observations",
                file_name="x.csv",
                checksum="0" * 64,
                rows=1,
                loaded_by="staff1",
                loaded_at=datetime(2026, 1, 1),
                status="checked",
            )
        ).inserted_primary_key[0]
    assert rollback_batch(reference_engine, batch_id, by="admin1").reason == (
        f"import batch {batch_id} was a dry run: it wrote nothing"
    )
    with reference_engine.begin() as connection:  # an upload refused for its problems (data_loaders.audit)
        connection.execute(
            m.ImportBatch.__table__.update().where(m.ImportBatch.id == batch_id).values(status="rejected")
        )
    assert rollback_batch(reference_engine, batch_id, by="admin1").reason == (
        f"import batch {batch_id} was not loaded (rejected): it wrote nothing to roll back"
    )


def test_refusal_reads_through_a_session_or_a_connection(reference_engine, tmp_path):
    from sqlalchemy.orm import Session

    loaded = load(reference_engine, tmp_path, "IT.NET.USER.ZS,TJ,2025,44,,,,\n", "a.csv")
    with Session(reference_engine) as session:
        assert rollback_refusal(session, loaded) is None
    with reference_engine.connect() as connection:
        assert rollback_refusal(connection, loaded) is None
        assert rollback_refusal(connection, loaded + 1) == f"there is no import batch {loaded + 1}"


def test_a_rolled_back_population_reweighs_the_rollup(districts, tmp_path):
    loaded = load(districts, tmp_path, "TJ.POP.MODEL,TJ-GB-01,2025,250000,total,E,DEMO-SYNTHETIC,\n", "pop.csv")
    before = rollup_table(districts)
    assert rollback_batch(districts, loaded, by="admin1").ok
    after = rollup_table(districts).set_index(KEY)
    assert not before.set_index(KEY)["value"].equals(after["value"])
    pd.testing.assert_frame_equal(rollup_table(districts), rebuilt(districts))


# ---------------------------------------------------------------- the command line


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "data_loaders.rollback", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_rolls_back_and_exits_1_on_refusal(reference_engine, tmp_path):
    url = reference_engine.url.render_as_string(hide_password=False)
    loaded = load(reference_engine, tmp_path, "IT.NET.USER.ZS,TJ,2025,44,,,,\n", "a.csv")
    result = run(str(loaded), "--database-url", url)
    assert result.returncode == 0, result.stderr
    assert f"import batch {loaded} rolled back as import batch" in result.stdout
    with reference_engine.connect() as connection:
        by = connection.execute(select(m.ImportBatch.loaded_by).where(m.ImportBatch.reverts_batch_id == loaded))
        assert by.scalar_one() == getpass.getuser()
    again = run(str(loaded), "--database-url", url, "--by", "ops")
    assert again.returncode == 1
    assert f"import batch {loaded} was not rolled back: import batch {loaded} is already rolled back" in again.stdout
    other = load(reference_engine, tmp_path, "IT.NET.USER.ZS,TJ,2024,40,,,,\n", "b.csv")
    assert run(str(other), "--database-url", url, "--by", "ops").returncode == 0
    with reference_engine.connect() as connection:
        by = connection.execute(select(m.ImportBatch.loaded_by).where(m.ImportBatch.reverts_batch_id == other))
        assert by.scalar_one() == "ops"
    assert run("9999", "--database-url", url).returncode == 1
