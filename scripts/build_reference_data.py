"""Rebuild the real seed files in ``seed_data/`` from a folder of compiled public data.

Why a script: the shipped seed files must be traceable to the published figures. This script
only renames codes (ISO3 -> ISO2, geoBoundaries shape IDs -> the project's district codes) and
reshapes to the loader's file template; it never changes a value.

Usage: python scripts/build_reference_data.py SOURCE_DIR

SOURCE_DIR holds ``tajikistan_regions.csv``, ``tajikistan_districts.csv``,
``tajikistan_national_indicators.csv``, the ADM1/ADM2 GeoJSON files and ``SOURCES.md`` (the
project's compiled public data, e.g. ``../shared/data`` beside a checkout).
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seed_data"

# World Bank files use ISO 3166-1 alpha-3; the project uses alpha-2 / ISO 3166-2 codes.
ISO3_TO_GEO = {"TJK": "TJ", "KGZ": "KG", "UZB": "UZ", "KAZ": "KZ", "AFG": "AF"}
WDI_SOURCE = {"IT.NET.USER.ZS": "OWID-ITU"}  # every other series is straight from WDI

# District populations: the compiled file names its source per row; map them to source codes.
DISTRICT_POP_SOURCES = {
    "Embassy of Tajikistan in Russia": "TJEMB-CENSUS-2010",
    "Wikipedia 'Districts of Tajikistan'": "WIKI-DISTRICTS",
    "Wikipedia 'Baljuvon District'": "WIKI-DISTRICT-PAGES",
    "Wikipedia 'Khuroson District'": "WIKI-DISTRICT-PAGES",
    "Wikipedia 'Shahrtuz District'": "WIKI-DISTRICT-PAGES",
    "Wikipedia 'Vakhsh District'": "WIKI-DISTRICT-PAGES",
}

# Regional population columns of tajikistan_regions.csv: (period, source code, flags).
REGION_POP_COLUMNS = {
    "pop_2000_census": ("2000", "WIKI-REGIONS", ""),
    "pop_2010_census": ("2010", "WIKI-REGIONS", ""),
    "pop_2019_estimate": ("2019", "WIKI-REGIONS", "E"),
    "pop_2020_census_prelim": ("2020", "STAT-CENSUS-2020", "P"),
    "pop_2023_07_01_estimate": ("2023", "STAT-EST-2023", "E"),
}
POP_CODE = "SP.POP.TOTL"


def district_codes(districts: pd.DataFrame) -> pd.Series:
    """Stable district codes: region code + two-digit rank of the English name in the region."""
    ranked = districts.sort_values(["region_iso", "name_en"]).copy()
    ranked["n"] = ranked.groupby("region_iso").cumcount() + 1
    codes = ranked["region_iso"] + "-" + ranked["n"].map("{:02d}".format)
    return codes.reindex(districts.index)


def build_geo(shared: Path) -> pd.DataFrame:
    regions = pd.read_csv(shared / "tajikistan_regions.csv")
    districts = pd.read_csv(shared / "tajikistan_districts.csv")
    districts["code"] = district_codes(districts)
    rows = [
        {
            "code": "TJ",
            "level": "country",
            "parent_code": "",
            "name_en": "Tajikistan",
            "name_ru": "Таджикистан",
            "name_tg": "Тоҷикистон",
            "boundary_id": "",
            "note": "",
        }
    ]
    for r in regions[regions.iso_3166_2 != "TJ"].itertuples():
        rows.append(
            {
                "code": r.iso_3166_2,
                "level": "region",
                "parent_code": "TJ",
                "name_en": r.name_en,
                "name_ru": r.name_ru,
                "name_tg": r.name_tg,
                "boundary_id": r.iso_3166_2,
                "note": r.unit_type,
            }
        )
    for d in districts.sort_values("code").itertuples():
        rows.append(
            {
                "code": d.code,
                "level": "district",
                "parent_code": d.region_iso,
                "name_en": d.name_en,
                "name_ru": d.name_ru_2025,
                "name_tg": d.name_tg_2025,
                "boundary_id": d.district_id,
                "note": f"{d.status_2025}; ru/tg name: {d.mapping_basis}",
            }
        )
    neighbours = [
        ("KG", "Kyrgyzstan", "Киргизия", "Қирғизистон"),
        ("UZ", "Uzbekistan", "Узбекистан", "Ӯзбекистон"),
        ("KZ", "Kazakhstan", "Казахстан", "Қазоқистон"),
        ("AF", "Afghanistan", "Афганистан", "Афғонистон"),
    ]
    for code, en, ru, tg in neighbours:
        rows.append(
            {
                "code": code,
                "level": "neighbour",
                "parent_code": "",
                "name_en": en,
                "name_ru": ru,
                "name_tg": tg,
                "boundary_id": "",
                "note": "benchmark country",
            }
        )
    return pd.DataFrame(rows), districts


def build_wdi(shared: Path) -> pd.DataFrame:
    wdi = pd.read_csv(shared / "tajikistan_national_indicators.csv")
    out = pd.DataFrame(
        {
            "indicator_code": wdi["indicator_code"],
            "geo_code": wdi["geo_code"].map(ISO3_TO_GEO),
            "period": wdi["year"].astype(int).astype(str),
            # repr of the float keeps every published digit
            "value": wdi["value"].map(repr),
            "breakdown": "total",
            "flags": "",
            "source_code": wdi["indicator_code"].map(WDI_SOURCE).fillna("WB-WDI"),
            "comment": "",
        }
    )
    assert out["geo_code"].notna().all()
    return out


def build_population(shared: Path, districts: pd.DataFrame) -> pd.DataFrame:
    regions = pd.read_csv(shared / "tajikistan_regions.csv")
    rows = []
    for r in regions[regions.iso_3166_2 != "TJ"].itertuples():
        for column, (period, source, flags) in REGION_POP_COLUMNS.items():
            value = getattr(r, column)
            if pd.notna(value):
                rows.append((POP_CODE, r.iso_3166_2, period, int(value), flags, source, column))
    for d in districts[districts.population.notna()].itertuples():
        source = next(c for k, c in DISTRICT_POP_SOURCES.items() if d.population_source.startswith(k))
        flags = "E" if "estimate" in d.population_type else ""
        rows.append(
            (POP_CODE, d.code, str(int(d.population_year)), int(d.population), flags, source, d.population_type)
        )
    return pd.DataFrame(
        rows, columns=["indicator_code", "geo_code", "period", "value", "flags", "source_code", "comment"]
    ).assign(breakdown="total")[
        ["indicator_code", "geo_code", "period", "value", "breakdown", "flags", "source_code", "comment"]
    ]


def build_boundaries(shared: Path, districts: pd.DataFrame) -> None:
    code_by_shape = dict(zip(districts["district_id"], districts["code"], strict=True))
    adm2 = json.loads((shared / "tajikistan_adm2.geojson").read_text(encoding="utf-8"))
    for feature in adm2["features"]:
        feature["properties"]["geo_code"] = code_by_shape[feature["properties"]["district_id"]]
    adm1 = json.loads((shared / "tajikistan_adm1.geojson").read_text(encoding="utf-8"))
    for feature in adm1["features"]:
        feature["properties"]["geo_code"] = feature["properties"]["iso_3166_2"]
    for name, data in (("tajikistan_adm1.geojson", adm1), ("tajikistan_adm2.geojson", adm2)):
        (SEED / "boundaries" / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


REQUIRED_FILES = (
    "tajikistan_regions.csv",
    "tajikistan_districts.csv",
    "tajikistan_national_indicators.csv",
    "tajikistan_adm1.geojson",
    "tajikistan_adm2.geojson",
    "SOURCES.md",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source_dir", type=Path, help="folder of the compiled public data (see the docstring)")
    args = parser.parse_args()
    source = args.source_dir
    missing = [name for name in REQUIRED_FILES if not (source / name).is_file()]
    if missing:
        parser.error(f"{source} lacks {', '.join(missing)}")
    geo, districts = build_geo(source)
    geo.to_csv(SEED / "reference" / "geo.csv", index=False)
    build_wdi(source).to_csv(SEED / "real" / "world_bank_wdi.csv", index=False)
    build_population(source, districts).to_csv(SEED / "real" / "population_census.csv", index=False)
    build_boundaries(source, districts)
    shutil.copy(source / "SOURCES.md", SEED / "SOURCES_shared_data.md")
    print(f"geo: {len(geo)} rows; boundaries and real observations written to {SEED}")


if __name__ == "__main__":
    main()
