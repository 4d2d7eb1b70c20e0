"""Create or upgrade the schema and load the seed data into an empty database.

The seed files go through the same loader as any user's file, in dependency order, so the
shipped data obeys the same rules and leaves the same audit trail (one import batch per file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select

from data_loaders import models as m
from data_loaders.db import make_engine
from data_loaders.load import load_file
from data_loaders.schema import upgrade_database

SEED_DIR = Path(__file__).resolve().parent.parent / "seed_data"
SYNTHETIC = "DEMO-SYNTHETIC"

# (file, kind, default source for rows without a source_code column), in dependency order.
SEED_FILES: tuple[tuple[str, str, str | None], ...] = (
    ("reference/sources.csv", "sources", None),
    ("reference/indicators.csv", "indicators", None),
    ("reference/geo.csv", "geo", None),
    ("real/world_bank_wdi.csv", "observations", None),
    ("real/population_census.csv", "observations", None),
    ("synthetic/population_model.csv", "observations", SYNTHETIC),
    ("synthetic/connectivity_districts.csv", "observations", SYNTHETIC),
    ("synthetic/it_companies.csv", "it_companies", SYNTHETIC),
    ("synthetic/it_company_years.csv", "it_company_years", SYNTHETIC),
    ("synthetic/park_buildings.csv", "park_buildings", SYNTHETIC),
    ("synthetic/park_units.csv", "park_units", SYNTHETIC),
    ("synthetic/park_tenants.csv", "park_tenants", SYNTHETIC),
    ("synthetic/park_leases.csv", "park_leases", SYNTHETIC),
    ("targets/illustrative_targets.csv", "targets", "DEMO-TARGETS"),
    ("real/uzbekistan_it_park.csv", "observations", None),
    ("real/uzbekistan_it_park_targets.csv", "targets", None),
)


class SeedError(RuntimeError):
    """A shipped seed file failed validation: a bug in the project, never in the user's data."""


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(m.Source)).scalar_one() == 0


def load_seed(engine: Engine, log: Callable[[str], None] = print, seed_dir: Path = SEED_DIR) -> None:
    for name, kind, source in SEED_FILES:
        report = load_file(engine, seed_dir / name, kind=kind, source=source, loaded_by="seed")
        if not report.ok:
            raise SeedError(report.summary())
        log(f"  seeded {name}: {report.rows} rows")


def prepare_database(database_url: str, log: Callable[[str], None] = print, seed: bool = True) -> Engine:
    """Upgrade the schema in place; on an empty database, load the seed data, saying so."""
    engine = make_engine(database_url)
    upgrade_database(engine)
    if seed and is_empty(engine):
        log(f"Empty database at {engine.url.render_as_string(hide_password=True)}: loading seed data...")
        load_seed(engine, log)
        log("Seed data loaded.")
    return engine
