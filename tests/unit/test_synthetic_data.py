"""Invariants of the synthetic demo data in seed_data/synthetic/ (and that it is reproducible)."""

from __future__ import annotations

import hashlib
import importlib.util
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SYN = ROOT / "seed_data" / "synthetic"
GENERATOR = ROOT / "scripts" / "generate_synthetic_data.py"
TODAY = "2026-11-28"
OBS_COLUMNS = "indicator_code geo_code period value breakdown flags source_code comment".split()
COLUMNS = {
    "population_model": OBS_COLUMNS,
    "connectivity_districts": OBS_COLUMNS,
    "it_companies": ["company_id", "name", "subsector", "region_code", "founded", "closed"],
    "it_company_years": ["company_id", "year", "employees", "revenue_usd", "exports_usd"],
    "park_buildings": ["building_code", "name_en", "name_ru", "name_tg", "floors", "opened"],
    "park_units": ["unit_code", "building_code", "floor", "area_m2", "unit_type"],
    "park_tenants": ["tenant_code", "name", "sector", "company_id"],
    "park_leases": "lease_id unit_code tenant_code kind start_date end_date rent_usd_m2_month jobs".split(),
}
MOBILE = ["TJ.MOB.2G.POP.ZS", "TJ.MOB.3G.POP.ZS", "TJ.MOB.4G.POP.ZS", "TJ.MOB.5G.POP.ZS"]
PERCENT = MOBILE + ["TJ.SETTL.MBB.ZS", "TJ.NET.USER.ZS", "TJ.SCH.FBB.ZS"]
REGIONS = ["TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA"]
EARLIER_SHA256 = "8b3b0ce6017f2987621e9ff89a8af0cad989ecc6e3c0d44f2e72471a9b7f6270"
SUBSECTORS = {"software", "it_services", "telecom", "ecommerce", "fintech", "hardware_other"}


def read(stem: str) -> pd.DataFrame:
    """A synthetic file with text columns kept as text (empty string, not NaN)."""
    return pd.read_csv(SYN / f"{stem}.csv", keep_default_na=False, dtype={"period": str})


@pytest.fixture(scope="module")
def gen():
    """The generator module, imported by file path."""
    spec = importlib.util.spec_from_file_location("generate_synthetic_data", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def geo() -> pd.DataFrame:
    return pd.read_csv(ROOT / "seed_data" / "reference" / "geo.csv", keep_default_na=False)


@pytest.fixture(scope="module")
def units(geo) -> list[str]:
    """Coverage units: 58 districts plus Dushanbe city."""
    return sorted(geo.loc[geo["level"] == "district", "code"].tolist() + ["TJ-DU"])


@pytest.fixture(scope="module")
def conn() -> pd.DataFrame:
    df = read("connectivity_districts")
    df["value"] = df["value"].astype(float)
    return df


@pytest.fixture(scope="module")
def pop() -> pd.DataFrame:
    return read("population_model")


@pytest.fixture(scope="module")
def wide(conn) -> pd.DataFrame:
    """Connectivity with one column per indicator/breakdown, indexed by unit and quarter."""
    key = conn["indicator_code"] + np.where(conn["breakdown"] == "total", "", ":" + conn["breakdown"])
    return conn.assign(key=key).pivot(index=["geo_code", "period"], columns="key", values="value")


@pytest.fixture(scope="module")
def leases() -> pd.DataFrame:
    return read("park_leases")


@pytest.fixture(scope="module")
def companies() -> pd.DataFrame:
    return read("it_companies")


def occupancy(day: str) -> float:
    """Leased area / area of buildings opened on ``day``."""
    units = read("park_units").merge(read("park_buildings")[["building_code", "opened"]])
    ls = read("park_leases")
    in_force = ls[
        (ls["kind"] == "lease") & (ls["start_date"] <= day) & ((ls["end_date"] == "") | (ls["end_date"] >= day))
    ]
    leased = units[units["unit_code"].isin(in_force["unit_code"])]["area_m2"].sum()
    return leased / units.loc[units["opened"] <= day, "area_m2"].sum()


# ---------------------------------------------------------------- format


@pytest.mark.parametrize("stem", sorted(COLUMNS))
def test_columns_exact(stem):
    assert list(read(stem).columns) == COLUMNS[stem]


@pytest.mark.parametrize("stem", ["population_model", "connectivity_districts"])
def test_observations_are_marked_synthetic(stem):
    df = read(stem)
    assert (df["source_code"] == "DEMO-SYNTHETIC").all()
    assert not df.duplicated(["indicator_code", "geo_code", "period", "breakdown"]).any()


@pytest.mark.parametrize("stem", ["population_model", "connectivity_districts"])
def test_geo_codes_exist(stem, geo):
    assert set(read(stem)["geo_code"]) <= set(geo["code"])


# ---------------------------------------------------------------- population


def test_population_complete_and_anchored(pop, units):
    assert set(pop["indicator_code"]) == {"TJ.POP.MODEL"} and (pop["flags"] == "E").all()
    assert len(pop) == len(units) * 9 and sorted(pop["geo_code"].unique()) == units
    census = pd.read_csv(ROOT / "seed_data" / "real" / "population_census.csv")
    regions = census[(census["period"] == 2020) & census["geo_code"].isin(REGIONS)]
    total_2020 = pop.loc[pop["period"] == "2020", "value"].sum()
    assert total_2020 == pytest.approx(regions["value"].sum(), rel=1e-3)
    by_year = pop.groupby("period")["value"].sum()
    assert (by_year.diff().dropna() > 0).all()


# ---------------------------------------------------------------- connectivity


def test_every_unit_and_quarter_present(conn, units):
    counts = conn.groupby(["indicator_code", "breakdown"])["geo_code"].agg(["size", "nunique"])
    for ind in MOBILE + ["TJ.SETTL.MBB.ZS", "TJ.SCH.FBB.ZS", "TJ.MOB.DLSPD.MED"]:
        assert tuple(counts.loc[(ind, "total")]) == (35 * 59, 59)
    assert tuple(counts.loc[("TJ.NET.USER.ZS", "total")]) == (35 * 59, 59)
    assert tuple(counts.loc[("TJ.NET.USER.ZS", "urban")]) == (35 * 59, 59)
    assert tuple(counts.loc[("TJ.NET.USER.ZS", "rural")]) == (35 * 58, 58)  # Dushanbe is all urban
    assert sorted(conn["geo_code"].unique()) == units
    periods = sorted(conn["period"].unique())
    assert len(periods) == 35 and periods[0] == "2018-Q1" and periods[-1] == "2026-Q3"


def test_percentages_in_range(conn):
    values = conn.loc[conn["indicator_code"].isin(PERCENT), "value"]
    assert values.between(0, 100).all()


def test_mobile_coverage_nested(wide):
    for higher, lower in pairwise(MOBILE):
        assert (wide[higher] >= wide[lower]).all(), (higher, lower)


def test_coverage_never_falls(wide):
    for ind in MOBILE + ["TJ.SETTL.MBB.ZS", "TJ.SCH.FBB.ZS"]:
        steps = wide[ind].groupby(level="geo_code").diff().dropna()
        assert (steps >= 0).all(), ind


def test_5g_starts_in_dushanbe(wide):
    g5 = wide["TJ.MOB.5G.POP.ZS"]
    period = g5.index.get_level_values("period")
    assert (g5[period < "2023-Q1"] == 0).all()
    early = g5[(period < "2025-Q1") & (g5 > 0)]
    assert set(early.index.get_level_values("geo_code")) == {"TJ-DU"}


def test_4g_lower_in_mountains(wide):
    last = wide.xs("2026-Q3", level="period")["TJ.MOB.4G.POP.ZS"]
    gbao = last[last.index.str.startswith("TJ-GB")]
    assert last["TJ-DU"] > 95 and gbao.mean() < last.drop(gbao.index).mean() - 20


def test_settlement_coverage_below_population_coverage(wide):
    assert (wide["TJ.SETTL.MBB.ZS"] <= wide["TJ.MOB.3G.POP.ZS"]).all()


def test_internet_urban_above_rural(wide, gen):
    rural = wide["TJ.NET.USER.ZS:rural"].dropna()
    urban = wide.loc[rural.index, "TJ.NET.USER.ZS:urban"]
    assert (urban > rural).all()
    share = gen.unit_profiles(gen.load_geo())["urban"]
    s = share.reindex(rural.index.get_level_values("geo_code")).to_numpy()
    total = wide.loc[rural.index, "TJ.NET.USER.ZS"].to_numpy()
    assert np.abs(total - (s * urban.to_numpy() + (1 - s) * rural.to_numpy())).max() <= 0.11


def test_weighted_internet_use_tracks_real_series(conn, pop):
    net = conn[(conn["indicator_code"] == "TJ.NET.USER.ZS") & (conn["breakdown"] == "total")]
    net = net[net["period"].str.endswith("Q4")].assign(year=lambda d: d["period"].str[:4])
    net = net.merge(pop[["geo_code", "period", "value"]].rename(columns={"period": "year", "value": "pop"}))
    national = (net["value"] * net["pop"]).groupby(net["year"]).sum() / net.groupby("year")["pop"].sum()
    wdi = pd.read_csv(ROOT / "seed_data" / "real" / "world_bank_wdi.csv")
    real = wdi[(wdi["indicator_code"] == "IT.NET.USER.ZS") & (wdi["geo_code"] == "TJ")]
    real = real.set_index(real["period"].astype(str))["value"]
    for year in ("2020", "2021", "2022"):
        assert abs(national[year] - real[year]) <= 1.5, year
    assert national.is_monotonic_increasing and national.max() < 60


def test_download_speed_plausible(wide):
    speed = wide["TJ.MOB.DLSPD.MED"]
    period = speed.index.get_level_values("period")
    assert speed[period == "2018-Q1"].between(2.5, 9).all()
    assert speed[period == "2026-Q3"].between(8, 40).all()
    assert (speed.groupby(level="geo_code").diff().dropna() >= 0).all()


# ---------------------------------------------------------------- IT companies


def test_companies(companies):
    assert companies["company_id"].is_unique and companies["name"].is_unique
    assert set(companies["subsector"]) <= SUBSECTORS
    assert set(companies["region_code"]) <= set(REGIONS)
    assert companies["founded"].between("2005-01-01", "2026-10-31").all()
    closed = companies[companies["closed"] != ""]
    assert len(closed) > 0
    assert (closed["closed"] > closed["founded"]).all() and (closed["closed"] <= "2026-11-27").all()
    end_2025 = (companies["founded"] <= "2025-12-31") & (
        (companies["closed"] == "") | (companies["closed"] > "2025-12-31")
    )
    assert 300 <= end_2025.sum() <= 700


def test_company_years(companies):
    cy = read("it_company_years")
    assert not cy.duplicated(["company_id", "year"]).any()
    assert set(cy["company_id"]) <= set(companies["company_id"])
    assert cy["year"].between(2015, 2025).all() and cy["employees"].between(1, 400).all()
    assert (cy["revenue_usd"] >= 0).all() and (cy["exports_usd"] >= 0).all()
    assert (cy["exports_usd"] <= cy["revenue_usd"]).all()
    merged = cy.merge(companies, on="company_id")
    assert (merged["founded"].str[:4].astype(int) <= merged["year"]).all()
    closed_year = pd.to_numeric(merged["closed"].str[:4], errors="coerce").fillna(9999)
    assert (closed_year >= merged["year"]).all()
    totals = cy.groupby("year")[["employees", "revenue_usd"]].sum()
    assert (totals.diff().dropna() > 0).all().all()


# ---------------------------------------------------------------- IT Park


def test_units_and_buildings():
    buildings, units = read("park_buildings"), read("park_units")
    assert 2 <= len(buildings) <= 3 and (buildings["opened"] >= "2025-04-07").all()
    assert units["unit_code"].is_unique and set(units["building_code"]) <= set(buildings["building_code"])
    assert units["area_m2"].between(20, 400).all()
    assert set(units["unit_type"]) <= {"office", "coworking", "lab", "datacentre"}
    per_floor = units.groupby(["building_code", "floor"]).size()
    assert per_floor.between(6, 12).all()


def test_leases_refer_to_existing_units_and_tenants(leases):
    assert leases["lease_id"].is_unique
    assert set(leases["unit_code"]) <= set(read("park_units")["unit_code"])
    assert set(leases["tenant_code"]) <= set(read("park_tenants")["tenant_code"])
    assert set(leases["kind"]) == {"lease", "reservation"}
    assert leases["rent_usd_m2_month"].between(8, 20).all() and (leases["jobs"] >= 1).all()


def test_leases_of_a_unit_never_overlap(leases):
    fixed = leases[leases["end_date"] != ""]
    assert (fixed["end_date"] > fixed["start_date"]).all()
    opened = read("park_units").merge(read("park_buildings"))[["unit_code", "opened"]]
    assert (leases.merge(opened)["start_date"] >= leases.merge(opened)["opened"]).all()
    for unit, group in leases.sort_values("start_date").groupby("unit_code"):
        rows = group.to_dict("records")
        for before, after in pairwise(rows):
            assert before["end_date"] != "" and after["start_date"] > before["end_date"], unit


def test_lease_timeline_mix(leases):
    ends = leases["end_date"]
    assert ((ends != "") & (ends < TODAY)).sum() >= 3  # ended
    assert ends.between(TODAY, "2027-02-26").sum() >= 1  # ending within 90 days
    assert ends.between(TODAY, "2028-11-28").sum() >= 10  # ending within 24 months
    assert (leases["start_date"] > TODAY).sum() >= 3
    reservations = leases[leases["kind"] == "reservation"]
    assert len(reservations) >= 1 and (reservations["start_date"] > TODAY).all()


def test_occupancy_rises():
    assert 0.25 <= occupancy("2025-06-30") <= 0.40
    assert occupancy("2025-06-30") < occupancy("2025-12-31") < occupancy(TODAY)
    assert 0.70 <= occupancy(TODAY) <= 0.85


def test_tenants_match_active_companies(leases, companies):
    tenants = read("park_tenants")
    assert tenants["tenant_code"].is_unique and set(tenants["sector"]) <= SUBSECTORS
    registry = tenants[tenants["company_id"] != ""]
    assert 0 < len(tenants) - len(registry) < len(registry)
    merged = registry.merge(companies, on="company_id", suffixes=("", "_co"), validate="one_to_one")
    assert len(merged) == len(registry)
    assert (merged["name"] == merged["name_co"]).all() and (merged["sector"] == merged["subsector"]).all()
    span = leases.groupby("tenant_code").agg(
        first=("start_date", "min"), last=("end_date", "max"), open=("end_date", lambda s: (s == "").any())
    )
    merged = merged.merge(span, left_on="tenant_code", right_index=True)
    assert (merged["founded"] <= merged["first"]).all()
    closed = merged[merged["closed"] != ""]
    assert (~closed["open"] & (closed["closed"] > closed["last"])).all()


# ---------------------------------------------------------------- reproducibility


def test_generator_is_deterministic(gen, tmp_path):
    first = gen.main(out_dir=tmp_path / "a")
    second = gen.main(out_dir=tmp_path / "b")
    assert sorted(first) == sorted(COLUMNS)
    for stem, path in first.items():
        data = path.read_bytes()
        assert data == second[stem].read_bytes(), stem
        assert data == (SYN / f"{stem}.csv").read_bytes(), f"{stem}: committed file is stale"


# ---------------------------------------------------------------- urban / rural mobile coverage


def test_mobile_urban_rural_rows_complete(conn):
    counts = conn.groupby(["indicator_code", "breakdown"])["geo_code"].agg(["size", "nunique"])
    for ind in MOBILE:
        assert tuple(counts.loc[(ind, "urban")]) == (35 * 59, 59)
        assert tuple(counts.loc[(ind, "rural")]) == (35 * 58, 58)  # Dushanbe is all urban


def test_mobile_urban_rural_consistent_with_total(wide, gen):
    share = gen.unit_profiles(gen.load_geo())["urban"]
    for ind in MOBILE:
        rural = wide[f"{ind}:rural"].dropna()
        urban = wide.loc[rural.index, f"{ind}:urban"]
        total = wide.loc[rural.index, ind].to_numpy()
        assert (rural <= urban).all(), ind
        s = share.reindex(rural.index.get_level_values("geo_code")).to_numpy()
        assert np.abs(total - (s * urban.to_numpy() + (1 - s) * rural.to_numpy())).max() <= 0.11, ind
    dushanbe = wide.xs("TJ-DU", level="geo_code")
    for ind in MOBILE:
        assert (dushanbe[f"{ind}:urban"] == dushanbe[ind]).all()


def test_mobile_urban_rural_nested_and_rising(wide):
    for part in ("urban", "rural"):
        for higher, lower in pairwise(MOBILE):
            both = wide[[f"{higher}:{part}", f"{lower}:{part}"]].dropna()
            assert (both.iloc[:, 0] >= both.iloc[:, 1] - 0.1).all(), (higher, lower, part)  # rounding
        for ind in MOBILE:
            steps = wide[f"{ind}:{part}"].dropna().groupby(level="geo_code").diff().dropna()
            assert (steps >= -0.1).all(), (ind, part)


def test_earlier_connectivity_rows_keep_their_bytes():
    """Adding the urban/rural mobile rows left every earlier row as it was, in the same order."""
    lines = (SYN / "connectivity_districts.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    is_added = [line.startswith("TJ.MOB.") and line.split(",")[4] in ("urban", "rural") for line in lines]
    added = [line for line, new in zip(lines, is_added, strict=True) if new]
    earlier = "".join(line for line, new in zip(lines, is_added, strict=True) if not new).encode("utf-8")
    assert len(added) == 4 * 35 * (59 + 58)
    # sha256 of connectivity_districts.csv before the urban/rural mobile rows were added
    assert hashlib.sha256(earlier).hexdigest() == EARLIER_SHA256
