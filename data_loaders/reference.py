"""What the database already holds that a file may refer to (codes, units, leases).

Read once per load, so checking a file of 20,000 rows costs a handful of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_loaders import models as m


@dataclass
class Reference:
    session: Session
    default_source: str | None = None

    @cached_property
    def indicators(self) -> dict[str, m.Indicator]:
        return {i.code: i for i in self.session.scalars(select(m.Indicator))}

    @cached_property
    def geo_levels(self) -> dict[str, str]:
        return {code: level for code, level in self.session.execute(select(m.Geo.code, m.Geo.level))}

    @cached_property
    def sources(self) -> set[str]:
        return set(self.session.scalars(select(m.Source.code)))

    @cached_property
    def companies(self) -> set[str]:
        return set(self.session.scalars(select(m.ItCompany.company_id)))

    @cached_property
    def buildings(self) -> dict[str, int]:
        return {
            code: floors
            for code, floors in self.session.execute(select(m.ParkBuilding.building_code, m.ParkBuilding.floors))
        }

    @cached_property
    def units(self) -> set[str]:
        return set(self.session.scalars(select(m.ParkUnit.unit_code)))

    @cached_property
    def tenants(self) -> set[str]:
        return set(self.session.scalars(select(m.ParkTenant.tenant_code)))

    def leases_of_units(self, unit_codes: set[str]) -> list[tuple[str, str, date, date | None]]:
        """(lease_id, unit_code, start, end) of the stored leases of these units."""
        stmt = select(m.ParkLease.lease_id, m.ParkLease.unit_code, m.ParkLease.start_date, m.ParkLease.end_date)
        return [tuple(row) for row in self.session.execute(stmt.where(m.ParkLease.unit_code.in_(unit_codes)))]
