"""Row models: what one row of each kind of file must hold (pydantic validates each cell).

Cells arrive as text. Empty optional cells become ``None``; numbers go through
:func:`data_loaders.file_reading.parse_number`, which needs the file's separator, passed in the
validation context. Checks that need other rows or the database live in ``checks.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from data_loaders.file_reading import parse_number
from data_loaders.models import GEO_LEVELS, LEASE_KINDS, SOURCE_KINDS, SUBSECTORS, THEMES, UNIT_TYPES, VALUE_TYPES
from data_loaders.periods import Period, parse_period

FLAG_CODES = {"E": "estimate", "P": "provisional", "B": "break in series"}


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


def _number(value: object, info: ValidationInfo) -> object:
    if isinstance(value, str):
        return parse_number(value, (info.context or {}).get("separator", ","))
    return value


def _whole(value: object, info: ValidationInfo) -> object:
    number = _number(value, info)
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError(f"'{value}' is not a whole number")
        return int(number)
    return number


def _period(value: object) -> Period:
    return value if isinstance(value, Period) else parse_period(str(value))


def _bool(value: object) -> object:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("1", "true", "yes", "y", "да", "ҳа"):
            return True
        if text in ("", "0", "false", "no", "n", "нет", "не"):
            return False
        raise ValueError(f"'{value}' is not yes/no")
    return value


def _literal(values: tuple[str, ...]):
    return Literal[values]  # type: ignore[valid-type]


Text = Annotated[str, Field(min_length=1)]
OptText = Annotated[str, BeforeValidator(lambda v: "" if v is None else v)]
Number = Annotated[float, BeforeValidator(_number)]
Whole = Annotated[int, BeforeValidator(_whole)]
OptDate = Annotated[date | None, BeforeValidator(_blank_to_none)]
OptCode = Annotated[str | None, BeforeValidator(_blank_to_none)]
PeriodCell = Annotated[Period, BeforeValidator(_period)]
Flag = Annotated[bool, BeforeValidator(_bool)]


class Row(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", arbitrary_types_allowed=True)


class SourceRow(Row):
    code: Text
    name: Text
    name_ru: OptText = ""
    name_tg: OptText = ""
    url: OptText = ""
    licence: Text
    kind: _literal(SOURCE_KINDS)
    retrieved: OptDate = None
    citation: OptText = ""


class IndicatorRow(Row):
    code: Text
    theme: _literal(THEMES)
    name_en: Text
    name_ru: Text
    name_tg: Text
    unit_en: Text
    unit_ru: Text
    unit_tg: Text
    value_type: _literal(VALUE_TYPES)
    decimals: Whole = 1
    direction: Literal["higher", "lower"] = "higher"
    frequency: Literal["A", "Q", "M"] = "A"
    derived: Flag = False
    source_code: Text
    definition: OptText = ""
    method: OptText = ""


class GeoRow(Row):
    code: Text
    level: _literal(GEO_LEVELS)
    parent_code: OptCode = None
    name_en: Text
    name_ru: Text
    name_tg: Text
    boundary_id: OptText = ""
    note: OptText = ""


class ObservationRow(Row):
    indicator_code: Text
    geo_code: Text
    period: PeriodCell
    value: Number
    breakdown: Annotated[str, BeforeValidator(lambda v: v or "total")] = "total"
    flags: OptText = ""
    source_code: OptCode = None
    comment: OptText = ""

    @field_validator("flags")
    @classmethod
    def _known_flags(cls, value: str) -> str:
        codes = sorted({c for c in value.replace(",", " ").upper().split()})
        unknown = [c for c in codes if c not in FLAG_CODES]
        if unknown:
            allowed = ", ".join(f"{k} ({v})" for k, v in FLAG_CODES.items())
            raise ValueError(f"unknown flag {', '.join(unknown)}: use {allowed}")
        return ",".join(codes)


class TargetRow(Row):
    indicator_code: Text
    geo_code: Text
    year: Whole
    value: Number
    breakdown: Annotated[str, BeforeValidator(lambda v: v or "total")] = "total"
    document: Text
    illustrative: Flag = False
    source_code: OptCode = None
    comment: OptText = ""


class CompanyRow(Row):
    company_id: Text
    name: Text
    subsector: _literal(SUBSECTORS)
    region_code: Text
    founded: date
    closed: OptDate = None
    source_code: OptCode = None


class CompanyYearRow(Row):
    company_id: Text
    year: Whole
    employees: Whole
    revenue_usd: Number
    exports_usd: Number
    source_code: OptCode = None


class BuildingRow(Row):
    building_code: Text
    name_en: Text
    name_ru: Text
    name_tg: Text
    floors: Whole
    opened: date
    source_code: OptCode = None


class UnitRow(Row):
    unit_code: Text
    building_code: Text
    floor: Whole
    area_m2: Number
    unit_type: _literal(UNIT_TYPES)
    source_code: OptCode = None


class TenantRow(Row):
    tenant_code: Text
    name: Text
    sector: _literal(SUBSECTORS)
    company_id: OptCode = None
    source_code: OptCode = None


class LeaseRow(Row):
    lease_id: Text
    unit_code: Text
    tenant_code: Text
    kind: _literal(LEASE_KINDS) = "lease"
    start_date: date
    end_date: OptDate = None
    rent_usd_m2_month: Number
    jobs: Whole
    source_code: OptCode = None
