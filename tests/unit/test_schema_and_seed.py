"""Migrations build the schema the models describe; the seed loads every file; revisions are unique."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from data_loaders import models as m
from data_loaders.db import make_engine
from data_loaders.schema import is_up_to_date, upgrade_database
from data_loaders.seed import SEED_FILES


def test_migrations_create_every_model_table(blank_engine):
    assert is_up_to_date(blank_engine)
    tables = set(inspect(blank_engine).get_table_names())
    assert {t.name for t in m.Base.metadata.sorted_tables} <= tables


def test_upgrading_an_up_to_date_database_changes_nothing(seeded_engine):
    with seeded_engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(m.Observation)).scalar_one()
    upgrade_database(seeded_engine)
    with seeded_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(m.Observation)).scalar_one() == before


def test_seed_makes_one_import_batch_per_file_with_its_row_count(seeded_engine):
    with seeded_engine.connect() as connection:
        batches = connection.execute(
            select(m.ImportBatch.file_name, m.ImportBatch.rows, m.ImportBatch.loaded_by).order_by(m.ImportBatch.id)
        ).all()
    assert [b.file_name for b in batches] == [name.split("/")[-1] for name, _, _ in SEED_FILES]
    assert all(b.rows > 0 and b.loaded_by == "seed" for b in batches)


def test_seed_keeps_real_figures_exactly_as_published(seeded_engine):
    o = m.Observation
    with seeded_engine.connect() as connection:
        rows = dict(
            connection.execute(
                select(o.period, o.value).where(o.indicator_code == "IT.NET.USER.ZS", o.geo_code == "TJ", o.is_current)
            ).all()
        )
        census = connection.execute(
            select(o.value, o.source_code, o.flags).where(
                o.indicator_code == "SP.POP.TOTL", o.geo_code == "TJ-SU", o.period == "2020"
            )
        ).one()
    # values from shared/data/tajikistan_national_indicators.csv and tajikistan_regions.csv
    assert (rows["2020"], rows["2021"], rows["2022"]) == (27.5441, 28.34, 36.0872)
    assert "2018" not in rows and "2019" not in rows  # missing in the source: not filled in
    assert tuple(census) == (2770000.0, "STAT-CENSUS-2020", "P")


def test_synthetic_rows_are_marked_synthetic(seeded_engine):
    o, s = m.Observation, m.Source
    with seeded_engine.connect() as connection:
        kinds = connection.execute(
            select(o.indicator_code, func.min(s.kind), func.max(s.kind))
            .join(s, s.code == o.source_code)
            .where(o.indicator_code.like("TJ.%"))
            .group_by(o.indicator_code)
        ).all()
    assert kinds and all(low == high == "synthetic" for _, low, high in kinds)


def test_two_current_revisions_of_one_key_are_impossible(reference_engine):
    from datetime import date

    from data_loaders.db import session_scope

    def row(revision: int) -> m.Observation:
        return m.Observation(
            indicator_code="IT.NET.USER.ZS",
            geo_code="TJ",
            period="2023",
            period_type="A",
            period_start=date(2023, 1, 1),
            period_end=date(2023, 12, 31),
            breakdown="total",
            value=1.0,
            flags="",
            source_code="WB-WDI",
            comment="",
            revision=revision,
            is_current=True,
            import_batch_id=batch,
        )

    with session_scope(reference_engine) as session:
        batch = session.scalar(select(func.min(m.ImportBatch.id)))
    with pytest.raises(IntegrityError), session_scope(reference_engine) as session:
        session.add_all([row(1), row(2)])


def test_an_existing_database_upgrades_in_place_keeping_its_rows(backend, tmp_path):
    """A database made by the first migration, with data, gains the later columns and keeps its rows."""
    from alembic import command
    from sqlalchemy import text

    from data_loaders.schema import _alembic_config
    from tests.conftest import _database_url

    engine = make_engine(_database_url(backend, tmp_path, "t_upgrade"))
    cfg = _alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source (code, name, url, licence, kind, citation) "
                "VALUES ('OLD', 'Old', '', 'x', 'official', '')"
            )
        )
    assert not is_up_to_date(engine)
    upgrade_database(engine)
    assert is_up_to_date(engine)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT code, name, name_ru, name_tg FROM source")).one()
    assert tuple(row) == ("OLD", "Old", "", "")
    engine.dispose()


def test_a_database_with_import_batches_upgrades_from_0002(backend, tmp_path):
    """Observations reference import batches: adding the warnings column must keep both (SQLite
    must not re-create import_batch under foreign keys)."""
    from alembic import command
    from sqlalchemy import text

    from data_loaders.schema import _alembic_config
    from tests.conftest import _database_url

    engine = make_engine(_database_url(backend, tmp_path, "t_upgrade2"))
    cfg = _alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0002")
    for name, kind in (("reference/sources.csv", "sources"), ("reference/indicators.csv", "indicators")):
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO import_batch (kind, file_name, checksum, rows, loaded_by, loaded_at, status) "
                    "VALUES (:kind, :name, 'x', 1, 'test', CURRENT_TIMESTAMP, 'loaded')"
                ),
                {"kind": kind, "name": name},
            )
            connection.execute(
                text(
                    "INSERT INTO source (code, name, url, licence, kind, citation, import_batch_id) "
                    "VALUES (:code, 'Old', '', 'x', 'official', '', (SELECT MAX(id) FROM import_batch))"
                ),
                {"code": kind.upper()},
            )
    upgrade_database(engine)
    assert is_up_to_date(engine)
    with engine.connect() as connection:
        batches = connection.execute(text("SELECT file_name, warnings FROM import_batch ORDER BY id")).all()
        sources = connection.execute(text("SELECT COUNT(*) FROM source WHERE import_batch_id IS NOT NULL")).scalar()
    assert [b[0] for b in batches] == ["reference/sources.csv", "reference/indicators.csv"]
    assert all(b[1] in ([], "[]") for b in batches)
    assert sources == 2
    engine.dispose()
