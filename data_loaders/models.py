"""SQLAlchemy models of the indicator-centric data model in DESIGN.md.

Observations are never overwritten: loading a key again adds a revision and marks the older one
as no longer current, so every number can be traced to the import batch that brought it.
Occupancy and sector counts are not stored: they are computed from the raw park and company
tables by the queries.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SOURCE_KINDS = ("official", "partner", "synthetic")
THEMES = ("connectivity", "it_sector", "park", "population")
GEO_LEVELS = ("country", "region", "district", "neighbour")
VALUE_TYPES = ("percent", "count", "rate", "currency", "speed")
PERIOD_TYPES = ("A", "Q", "M")
SUBSECTORS = ("software", "it_services", "telecom", "ecommerce", "fintech", "hardware_other")
UNIT_TYPES = ("office", "coworking", "lab", "datacentre")
LEASE_KINDS = ("lease", "reservation")
ROLES = ("viewer", "partner", "staff", "admin")
# loaded: written and current; rolled back: undone by a later "rollback" batch; checked: a dry run;
# rejected: an upload whose dry run found problems (nothing written but this audit entry)
BATCH_STATUSES = ("loaded", "checked", "rolled back", "rollback", "rejected")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    pass


class ImportBatch(Base):
    """One loaded file: the audit trail and the unit of roll-back."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(255))
    checksum: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    loaded_by: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="loaded")
    # What the loader noticed but did not refuse (an unknown column, an ignored sheet), as text lines.
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    # Rows new, revised, updated and unchanged, as the loader counted them ({} for older batches).
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    # A "rollback" batch names the batch it undid; nothing is deleted by a roll-back.
    reverts_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Account(Base):
    """A person who signs in. Anonymous visitors are viewers unless PUBLIC_READ=0 (accounts/roles.py)."""

    __tablename__ = "account"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="ck_account_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))  # werkzeug scrypt, never the password
    role: Mapped[str] = mapped_column(String(16))
    # The themes a staff member loads data for (indicator themes, "reference" for sources/geo).
    themes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class Source(Base):
    __tablename__ = "source"
    __table_args__ = (CheckConstraint(_in("kind", SOURCE_KINDS), name="ck_source_kind"),)

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(Text)  # English
    # Russian and Tajik names for captions; empty falls back to the English name.
    name_ru: Mapped[str] = mapped_column(Text, default="", server_default="")
    name_tg: Mapped[str] = mapped_column(Text, default="", server_default="")
    url: Mapped[str] = mapped_column(Text, default="")
    licence: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    retrieved: Mapped[date | None] = mapped_column(Date)
    citation: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Indicator(Base):
    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint(_in("theme", THEMES), name="ck_indicator_theme"),
        CheckConstraint(_in("value_type", VALUE_TYPES), name="ck_indicator_value_type"),
        CheckConstraint("direction IN ('higher', 'lower')", name="ck_indicator_direction"),
        CheckConstraint(_in("frequency", PERIOD_TYPES), name="ck_indicator_frequency"),
    )

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    theme: Mapped[str] = mapped_column(String(16))
    name_en: Mapped[str] = mapped_column(Text)
    name_ru: Mapped[str] = mapped_column(Text)
    name_tg: Mapped[str] = mapped_column(Text)
    unit_en: Mapped[str] = mapped_column(String(64))
    unit_ru: Mapped[str] = mapped_column(String(64))
    unit_tg: Mapped[str] = mapped_column(String(64))
    value_type: Mapped[str] = mapped_column(String(16))
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    direction: Mapped[str] = mapped_column(String(8), default="higher")
    frequency: Mapped[str] = mapped_column(String(1), default="A")
    # Derived indicators are computed from raw tables (registry, park) and have no observations.
    derived: Mapped[bool] = mapped_column(Boolean, default=False)
    source_code: Mapped[str] = mapped_column(ForeignKey("source.code"))
    definition: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Geo(Base):
    __tablename__ = "geo"
    __table_args__ = (CheckConstraint(_in("level", GEO_LEVELS), name="ck_geo_level"),)

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("geo.code"))
    name_en: Mapped[str] = mapped_column(Text)
    name_ru: Mapped[str] = mapped_column(Text)
    name_tg: Mapped[str] = mapped_column(Text)
    # Joins the geo to its feature in seed_data/boundaries (geoBoundaries shapeID or ISO code).
    boundary_id: Mapped[str] = mapped_column(String(32), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


class Observation(Base):
    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint(
            "indicator_code", "geo_code", "period", "breakdown", "revision", name="uq_observation_revision"
        ),
        # At most one current revision per key; the loader relies on this.
        Index(
            "ix_observation_current_key",
            "indicator_code",
            "geo_code",
            "period",
            "breakdown",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        Index("ix_observation_lookup", "indicator_code", "is_current", "geo_code", "period_start"),
        # Which sources an indicator's current rows come from, one probe per source (the KPI flags).
        Index("ix_observation_source", "indicator_code", "source_code", "is_current"),
        CheckConstraint(_in("period_type", PERIOD_TYPES), name="ck_observation_period_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    geo_code: Mapped[str] = mapped_column(ForeignKey("geo.code"))
    period: Mapped[str] = mapped_column(String(7))
    period_type: Mapped[str] = mapped_column(String(1))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    breakdown: Mapped[str] = mapped_column(String(32), default="total")
    value: Mapped[float] = mapped_column(Float)
    flags: Mapped[str] = mapped_column(String(16), default="")
    source_code: Mapped[str] = mapped_column(ForeignKey("source.code"))
    comment: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


ROLLUP_LEVELS = ("unit", "region", "country")


class ObservationRollup(Base):
    """Current values per indicator, breakdown, level, geo and period, kept by the loader in the
    import's own transaction (``data_loaders.rollup``), so that views read answers, not observations.

    ``unit`` rows are the district and region observations as loaded, with the unit's modelled
    population of the period's year; ``region`` and ``country`` rows hold the population-weighted
    value and how complete the period is (units and population reporting out of those expected).
    Derived data: rebuilt from ``observation``, never loaded, so it has no foreign keys to check.
    """

    __tablename__ = "observation_rollup"
    __table_args__ = (
        CheckConstraint(_in("level", ROLLUP_LEVELS), name="ck_rollup_level"),
        # one period for every geo (the map, the ranking, the completeness of a quarter)
        Index("ix_rollup_period", "indicator_code", "breakdown", "level", "period"),
    )

    # the key's order serves a series: one indicator, breakdown and level, a few geos, a period range
    indicator_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    breakdown: Mapped[str] = mapped_column(String(32), primary_key=True)
    level: Mapped[str] = mapped_column(String(8), primary_key=True)
    geo_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    # the unit's value, or the population-weighted mean of its units (None: none has a population)
    value: Mapped[float | None] = mapped_column(Float)
    population: Mapped[float | None] = mapped_column(Float)  # the weights behind ``value``
    # completeness of a region's or the country's period (None on unit rows)
    reported: Mapped[int | None] = mapped_column(Integer)
    expected: Mapped[int | None] = mapped_column(Integer)
    reported_population: Mapped[float | None] = mapped_column(Float)
    expected_population: Mapped[float | None] = mapped_column(Float)
    share: Mapped[float | None] = mapped_column(Float)  # reported / expected population; None without one


class Target(Base):
    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("indicator_code", "geo_code", "year", "breakdown", name="uq_target_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"))
    geo_code: Mapped[str] = mapped_column(ForeignKey("geo.code"))
    year: Mapped[int] = mapped_column(Integer)
    breakdown: Mapped[str] = mapped_column(String(32), default="total")
    value: Mapped[float] = mapped_column(Float)
    document: Mapped[str] = mapped_column(Text)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    source_code: Mapped[str] = mapped_column(ForeignKey("source.code"))
    comment: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class ItCompany(Base):
    """The IT company registry: counts and growth are computed from it."""

    __tablename__ = "it_company"
    __table_args__ = (
        CheckConstraint(_in("subsector", SUBSECTORS), name="ck_company_subsector"),
        CheckConstraint("closed IS NULL OR closed > founded", name="ck_company_dates"),
    )

    company_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    subsector: Mapped[str] = mapped_column(String(16))
    region_code: Mapped[str] = mapped_column(ForeignKey("geo.code"))
    founded: Mapped[date] = mapped_column(Date)
    closed: Mapped[date | None] = mapped_column(Date)
    source_code: Mapped[str] = mapped_column(ForeignKey("source.code"))
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class ItCompanyYear(Base):
    __tablename__ = "it_company_year"
    __table_args__ = (
        CheckConstraint("employees >= 0 AND revenue_usd >= 0 AND exports_usd >= 0", name="ck_company_year_nonneg"),
    )

    company_id: Mapped[str] = mapped_column(ForeignKey("it_company.company_id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    employees: Mapped[int] = mapped_column(Integer)
    revenue_usd: Mapped[float] = mapped_column(Float)
    exports_usd: Mapped[float] = mapped_column(Float)
    source_code: Mapped[str] = mapped_column(ForeignKey("source.code"))
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class ParkBuilding(Base):
    __tablename__ = "park_building"

    building_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name_en: Mapped[str] = mapped_column(Text)
    name_ru: Mapped[str] = mapped_column(Text)
    name_tg: Mapped[str] = mapped_column(Text)
    floors: Mapped[int] = mapped_column(Integer)
    opened: Mapped[date] = mapped_column(Date)
    source_code: Mapped[str] = mapped_column(ForeignKey("source.code"))
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class ParkUnit(Base):
    __tablename__ = "park_unit"
    __table_args__ = (
        CheckConstraint("area_m2 > 0", name="ck_unit_area"),
        CheckConstraint(_in("unit_type", UNIT_TYPES), name="ck_unit_type"),
    )

    unit_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    building_code: Mapped[str] = mapped_column(ForeignKey("park_building.building_code"))
    floor: Mapped[int] = mapped_column(Integer)
    area_m2: Mapped[float] = mapped_column(Float)
    unit_type: Mapped[str] = mapped_column(String(16))
    source_code: Mapped[str] = mapped_column(ForeignKey("source.code"))
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class ParkTenant(Base):
    __tablename__ = "park_tenant"
    __table_args__ = (CheckConstraint(_in("sector", SUBSECTORS), name="ck_tenant_sector"),)

    tenant_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    sector: Mapped[str] = mapped_column(String(16))
    company_id: Mapped[str | None] = mapped_column(ForeignKey("it_company.company_id"))
    source_code: Mapped[str] = mapped_column(ForeignKey("source.code"))
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class ParkLease(Base):
    __tablename__ = "park_lease"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_lease_dates"),
        CheckConstraint(_in("kind", LEASE_KINDS), name="ck_lease_kind"),
        Index("ix_lease_unit", "unit_code", "start_date"),
    )

    lease_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey("park_unit.unit_code"))
    tenant_code: Mapped[str] = mapped_column(ForeignKey("park_tenant.tenant_code"))
    kind: Mapped[str] = mapped_column(String(16), default="lease")
    start_date: Mapped[date] = mapped_column(Date)
    # The lease runs from start_date to end_date, both days included; empty end: open-ended.
    end_date: Mapped[date | None] = mapped_column(Date)
    rent_usd_m2_month: Mapped[float] = mapped_column(Float)
    jobs: Mapped[int] = mapped_column(Integer)
    source_code: Mapped[str] = mapped_column(ForeignKey("source.code"))
    import_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
