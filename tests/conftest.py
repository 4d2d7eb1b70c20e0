"""Shared fixtures: real databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set).

* ``seeded_engine``: the full seed data, loaded once per backend and session. Read only.
* ``reference_engine``: a fresh database per test with sources, indicators and geo loaded, for
  loader tests that write.
* ``blank_engine``: a fresh, empty schema per test.
* ``seeded_sqlite_url``: the seeded SQLite file, for browser tests that start the app.

On PostgreSQL each fixture gets its own schema (``search_path``) named after the fixture and the
process, dropped and re-created, so tests never see each other's rows.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from data_loaders.db import make_engine
from data_loaders.load import load_file
from data_loaders.schema import upgrade_database
from data_loaders.seed import SEED_DIR, load_seed

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
REFERENCE_FILES = (
    ("reference/sources.csv", "sources"),
    ("reference/indicators.csv", "indicators"),
    ("reference/geo.csv", "geo"),
)


def _pg_schema_url(name: str) -> str:
    schema = f"{name}_{os.getpid()}"  # one schema per test process: parallel runs never collide
    with create_engine(PG_URL, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"


def _database_url(backend: str, tmp: Path, name: str) -> str:
    if backend == "postgresql":
        return _pg_schema_url(name)
    return f"sqlite:///{tmp / (name + '.sqlite3')}"


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def seeded_engine(backend, tmp_path_factory):
    engine = make_engine(_database_url(backend, tmp_path_factory.mktemp("seeded"), "t_seeded"))
    upgrade_database(engine)
    load_seed(engine, log=lambda _msg: None)
    yield engine
    engine.dispose()


@pytest.fixture
def blank_engine(backend, tmp_path):
    engine = make_engine(_database_url(backend, tmp_path, "t_scratch"))
    upgrade_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def reference_engine(blank_engine):
    for name, kind in REFERENCE_FILES:
        report = load_file(blank_engine, SEED_DIR / name, kind=kind)
        assert report.ok, report.summary()
    return blank_engine


@pytest.fixture(scope="session")
def seeded_sqlite_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.sqlite3'}"
    engine = make_engine(url)
    upgrade_database(engine)
    load_seed(engine, log=lambda _msg: None)
    engine.dispose()
    return url
