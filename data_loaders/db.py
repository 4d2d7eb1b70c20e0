"""Engine and session factory: the one place that knows how to reach the database."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker


def make_engine(database_url: str) -> Engine:
    """Create an engine; for SQLite, make the folder and turn on foreign keys and WAL."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if url.database and url.database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def session_scope(engine: Engine):
    """A session whose work is committed on success and rolled back on any error."""
    session = sessionmaker(bind=engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# Rows written in one statement above which PostgreSQL's planner is told about them at once.
FRESH_STATISTICS_ROWS = 50_000


def refresh_statistics(connection: Connection, table: str, rows_written: int) -> None:
    """``ANALYZE`` a table a statement just filled with many rows, inside the load's transaction.

    PostgreSQL's planner estimates from statistics that autovacuum gathers later, after commit;
    within the load, the next queries would plan for the table as it was (9 rows estimated where
    833,333 were, a nested loop that took 11 s in the completeness warnings of a 1 M-row load).
    SQLite plans from its indexes and needs nothing here."""
    if connection.dialect.name == "postgresql" and rows_written >= FRESH_STATISTICS_ROWS:
        connection.exec_driver_sql(f"ANALYZE {table}")
