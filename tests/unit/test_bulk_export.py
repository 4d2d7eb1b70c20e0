"""The bulk ZIP: its CSVs reload through the loader into an empty database and give the same data."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import pytest
from sqlalchemy import text

from data_loaders.bulk_export import build_zip, zip_name
from data_loaders.load import load_file

OBSERVATION_KEY = "indicator_code, geo_code, period, breakdown, value, flags, source_code, comment"
RAW_TABLES = {
    "it_company": "company_id, name, subsector, region_code, founded, closed, source_code",
    "it_company_year": "company_id, year, employees, revenue_usd, exports_usd, source_code",
    "park_building": "building_code, name_en, floors, opened, source_code",
    "park_unit": "unit_code, building_code, floor, area_m2, unit_type, source_code",
    "park_tenant": "tenant_code, name, sector, company_id, source_code",
    "park_lease": "lease_id, unit_code, tenant_code, kind, start_date, end_date, rent_usd_m2_month, jobs, source_code",
    "target": "indicator_code, geo_code, year, breakdown, value, document, illustrative, source_code",
    "indicator": "code, theme, name_en, name_ru, name_tg, unit_en, decimals, direction, frequency, derived, "
    "source_code, definition, method",
    "geo": "code, level, parent_code, name_en, name_ru, name_tg, boundary_id, note",
    "source": "code, name, url, licence, kind, retrieved, citation",
}


def _rows(engine, table: str, columns: str, where: str = "") -> list[tuple]:
    with engine.connect() as connection:
        return sorted(connection.execute(text(f"SELECT {columns} FROM {table} {where}")).all(), key=repr)


def _reload(zip_bytes: bytes, engine, folder) -> list[str]:
    """Load every CSV of the ZIP in its stated order (headers-only files are skipped); return the files."""
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    archive.extractall(folder)
    meta = json.loads(archive.read("metadata.json"))
    for part in meta["load_order"]:
        if part["rows"] == 0:
            continue
        report = load_file(engine, folder / part["file"], kind=part["kind"], loaded_by="test")
        assert report.ok, report.summary()
        assert report.rows == part["rows"]
    return [part["file"] for part in meta["load_order"] if part["rows"]]


def test_whole_database_round_trips(seeded_engine, blank_engine, tmp_path):
    files = _reload(build_zip(seeded_engine), blank_engine, tmp_path)
    assert files[:3] == ["sources.csv", "indicators.csv", "geo.csv"]
    current = "WHERE is_current"
    assert _rows(blank_engine, "observation", OBSERVATION_KEY, current) == _rows(
        seeded_engine, "observation", OBSERVATION_KEY, current
    )
    for table, columns in RAW_TABLES.items():
        assert _rows(blank_engine, table, columns) == _rows(seeded_engine, table, columns), table


def test_theme_zip_holds_only_that_theme_and_still_loads(seeded_engine, blank_engine, tmp_path):
    data = build_zip(seeded_engine, "park")
    files = _reload(data, blank_engine, tmp_path)
    assert "park_leases.csv" in files and "it_company_years.csv" not in files
    assert _rows(blank_engine, "indicator", "theme") == [("park",)] * 3
    assert _rows(blank_engine, "park_lease", RAW_TABLES["park_lease"]) == _rows(
        seeded_engine, "park_lease", RAW_TABLES["park_lease"]
    )
    connectivity = zipfile.ZipFile(io.BytesIO(build_zip(seeded_engine, "connectivity")))
    assert "park_units.csv" not in connectivity.namelist()
    header = connectivity.read("observations.csv").decode().splitlines()[0]
    assert header == "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment"


def test_readme_and_metadata_name_sources_licences_and_synthetic(seeded_engine):
    archive = zipfile.ZipFile(io.BytesIO(build_zip(seeded_engine, generated=datetime(2026, 11, 28, 9, 0))))
    meta = json.loads(archive.read("metadata.json"))
    readme = archive.read("README.md").decode()
    assert meta["generated_at"] == "2026-11-28T09:00:00"
    assert meta["contains_synthetic"] is True
    assert {"WB-WDI", "DEMO-SYNTHETIC"} <= {s["code"] for s in meta["sources"]}
    assert "SYNTHETIC DEMO DATA" in readme
    assert "CC BY 4.0" in readme and "ODbL" in readme and "OpenStreetMap" in readme
    assert "The World Bank, World Development Indicators" in readme  # the source's citation text


def test_theme_with_only_official_data_has_no_synthetic_notice(seeded_engine):
    archive = zipfile.ZipFile(io.BytesIO(build_zip(seeded_engine, "it_sector")))
    meta = json.loads(archive.read("metadata.json"))
    # the IT sector's registry is synthetic, so the notice must be there
    assert meta["contains_synthetic"] is True
    assert "SYNTHETIC DEMO DATA" in archive.read("README.md").decode()


def test_empty_database_gives_a_zip_of_headers(blank_engine):
    archive = zipfile.ZipFile(io.BytesIO(build_zip(blank_engine)))
    meta = json.loads(archive.read("metadata.json"))
    assert meta["contains_synthetic"] is False and meta["sources"] == []
    assert all(part["rows"] == 0 for part in meta["load_order"])
    assert archive.read("targets.csv").decode().startswith("indicator_code,geo_code,year")


def test_unknown_theme_is_refused(seeded_engine):
    with pytest.raises(ValueError, match="unknown theme"):
        build_zip(seeded_engine, "weather")


def test_zip_name_says_what_and_when():
    assert zip_name("park", datetime(2026, 11, 28)) == "tj-digital-kpi_park_2026-11-28.zip"
    assert zip_name(None, datetime(2026, 11, 28)) == "tj-digital-kpi_all_2026-11-28.zip"
