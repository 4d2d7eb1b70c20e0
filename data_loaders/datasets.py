"""The kinds of file the loader accepts: each names its row model, table, key, checks and writer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from data_loaders import checks, file_checks, writing
from data_loaders import models as m
from data_loaders import row_models as r


@dataclass(frozen=True)
class Dataset:
    kind: str
    model: type[r.Row]
    key: tuple[str, ...]  # columns that identify a row: no two rows of a file may share them
    check: Callable
    write: Callable
    signature: frozenset[str]  # columns that tell this kind of file apart from the others
    table: type[m.Base]  # where the rows go: its column types limit what a cell may hold
    file_checks: tuple[Callable, ...] = ()  # factories of checks across the whole file (file_checks.py)

    @property
    def required(self) -> list[str]:
        return [name for name, field in self.model.model_fields.items() if field.is_required()]

    @property
    def columns(self) -> list[str]:
        return list(self.model.model_fields)


def _dataset(kind, model, table, key, check, write, *signature, file_checks=()) -> Dataset:
    return Dataset(kind, model, key, check, write, frozenset(signature), table, file_checks)


DATASETS: dict[str, Dataset] = {
    d.kind: d
    for d in (
        _dataset(
            "observations",
            r.ObservationRow,
            m.Observation,
            ("indicator_code", "geo_code", "period", "breakdown"),
            checks.check_observations,
            writing.write_observations,
            "indicator_code",
            "geo_code",
            "period",
        ),
        _dataset(
            "targets",
            r.TargetRow,
            m.Target,
            ("indicator_code", "geo_code", "year", "breakdown"),
            checks.check_targets,
            writing.write_targets,
            "indicator_code",
            "geo_code",
            "year",
            "document",
        ),
        _dataset(
            "sources",
            r.SourceRow,
            m.Source,
            ("code",),
            checks.check_nothing,
            writing.upsert_writer(m.Source, "code", with_source=False),
            "code",
            "licence",
            "kind",
        ),
        _dataset(
            "indicators",
            r.IndicatorRow,
            m.Indicator,
            ("code",),
            checks.check_indicators,
            writing.upsert_writer(m.Indicator, "code", with_source=False),
            "code",
            "theme",
            "value_type",
        ),
        _dataset(
            "geo",
            r.GeoRow,
            m.Geo,
            ("code",),
            checks.check_nothing,
            writing.upsert_writer(m.Geo, "code", with_source=False),
            "code",
            "level",
            "parent_code",
            file_checks=(file_checks.GeoParents,),
        ),
        _dataset(
            "it_companies",
            r.CompanyRow,
            m.ItCompany,
            ("company_id",),
            checks.check_companies,
            writing.upsert_writer(m.ItCompany, "company_id"),
            "company_id",
            "subsector",
            "founded",
        ),
        _dataset(
            "it_company_years",
            r.CompanyYearRow,
            m.ItCompanyYear,
            ("company_id", "year"),
            checks.check_company_years,
            writing.write_company_years,
            "company_id",
            "year",
            "employees",
        ),
        _dataset(
            "park_buildings",
            r.BuildingRow,
            m.ParkBuilding,
            ("building_code",),
            checks.check_buildings,
            writing.upsert_writer(m.ParkBuilding, "building_code"),
            "building_code",
            "floors",
            "opened",
        ),
        _dataset(
            "park_units",
            r.UnitRow,
            m.ParkUnit,
            ("unit_code",),
            checks.check_units,
            writing.upsert_writer(m.ParkUnit, "unit_code"),
            "unit_code",
            "building_code",
            "area_m2",
        ),
        _dataset(
            "park_tenants",
            r.TenantRow,
            m.ParkTenant,
            ("tenant_code",),
            checks.check_tenants,
            writing.upsert_writer(m.ParkTenant, "tenant_code"),
            "tenant_code",
            "sector",
        ),
        _dataset(
            "park_leases",
            r.LeaseRow,
            m.ParkLease,
            ("lease_id",),
            checks.check_leases,
            writing.upsert_writer(m.ParkLease, "lease_id"),
            "lease_id",
            "unit_code",
            "tenant_code",
            file_checks=(file_checks.LeaseOverlaps,),
        ),
    )
}


def detect_kind(columns: list[str]) -> str:
    """The kind whose signature columns the file has; observations (the file template) otherwise."""
    present = set(columns)
    matches = [d.kind for d in DATASETS.values() if d.signature <= present]
    return matches[0] if len(matches) == 1 else "observations"
