"""IT-sector queries on a small hand-built registry whose answers are worked out in the comments.

Companies (founded -> closed):
    A software    TJ-DU 2019-03-01 -> open         (IT Park lease 2023-03-01..2023-12-31)
    B software    TJ-DU 2020-12-31 -> 2022-06-30
    C fintech     TJ-SU 2021-01-01 -> 2021-12-31   (closes on a year end: not active at it)
    D it_services TJ-KT 2022-05-05 -> open         (IT Park lease from 2024-01-01, open-ended)
    E telecom     TJ-DU 2023-07-01 -> open         (only a reservation: never a resident)
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from data_loaders.load import load_file
from data_loaders.queries import it_sector as q

FILES = {
    "it_companies": """company_id,name,subsector,region_code,founded,closed
A,Alpha,software,TJ-DU,2019-03-01,
B,Beta,software,TJ-DU,2020-12-31,2022-06-30
C,Gamma,fintech,TJ-SU,2021-01-01,2021-12-31
D,Delta,it_services,TJ-KT,2022-05-05,
E,Epsilon,telecom,TJ-DU,2023-07-01,
""",
    "it_company_years": """company_id,year,employees,revenue_usd,exports_usd
A,2021,5,100000,10000
A,2022,12,150000,20000
A,2023,60,300000,50000
B,2021,10,50000,0
D,2022,3,20000,0
D,2023,9,40000,1000
E,2023,300,1000000,0
""",
    "park_buildings": "building_code,name_en,name_ru,name_tg,floors,opened\nB1,One,Один,Як,2,2023-01-01\n",
    "park_units": "unit_code,building_code,floor,area_m2,unit_type\nU1,B1,1,100,office\nU2,B1,1,50,office\n"
    "U3,B1,2,80,office\nU4,B1,2,20,office\n",
    "park_tenants": "tenant_code,name,sector,company_id\nT1,Alpha,software,A\nT2,Epsilon,telecom,E\n"
    "T3,Delta,it_services,D\nT4,Incubator,software,\n",
    "park_leases": """lease_id,unit_code,tenant_code,kind,start_date,end_date,rent_usd_m2_month,jobs
L1,U1,T1,lease,2023-03-01,2023-12-31,10,5
L2,U2,T2,reservation,2023-01-01,,10,0
L3,U3,T3,lease,2024-01-01,,10,4
L4,U4,T4,lease,2023-01-01,2023-06-30,10,2
""",
    "observations": """indicator_code,geo_code,period,value,breakdown,flags,source_code,comment
SP.POP.TOTL,TJ-DU,2020,800000,total,,WIKI-REGIONS,
SP.POP.TOTL,TJ-DU,2023,1000000,total,,WIKI-REGIONS,
SP.POP.TOTL,TJ-SU,2010,2000000,total,,WIKI-REGIONS,
SP.POP.TOTL,TJ-KT,2024,5000000,total,,WIKI-REGIONS,
""",
}


@pytest.fixture
def registry(reference_engine, tmp_path: Path):
    for kind, text in FILES.items():
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        report = load_file(reference_engine, path, kind=kind, source="DEMO-SYNTHETIC")
        assert report.ok, report.summary()
    return reference_engine


def as_dict(frame: pd.DataFrame, key: list[str], value: str) -> dict:
    return {tuple(row[k] for k in key): row[value] for _, row in frame.iterrows()}


def test_active_companies_at_year_ends_with_foundings_and_closings(registry):
    frame = q.active_companies(registry, 2019, 2023)
    assert as_dict(frame, ["year", "subsector"], "companies") == {
        (2019, "software"): 1,  # A
        (2020, "software"): 2,  # A, and B founded on the last day of the year
        (2021, "software"): 2,  # A, B; C closed on 31 Dec 2021, so not active at that year end
        (2022, "software"): 1,  # B closed mid-2022
        (2022, "it_services"): 1,
        (2023, "it_services"): 1,
        (2023, "software"): 1,
        (2023, "telecom"): 1,
    }


def test_yearly_totals_and_filters(registry):
    frame = q.yearly(registry, 2021, 2023)
    totals = frame.groupby("year")[["companies", "employees", "revenue_usd", "exports_usd"]].sum()
    assert totals.loc[2021].tolist() == [2, 15, 150000, 10000]  # A + B (C not active, no figures)
    assert totals.loc[2022].tolist() == [2, 15, 170000, 20000]
    assert totals.loc[2023].tolist() == [3, 369, 1340000, 51000]
    dushanbe = q.yearly(registry, 2023, 2023, region="TJ-DU")
    assert dushanbe[["companies", "employees"]].sum().tolist() == [2, 360]
    assert q.yearly(registry, 2023, 2023, subsector="telecom")[["companies", "employees"]].values.tolist() == [[1, 300]]


def test_park_filter_uses_leases_in_force_not_reservations(registry):
    at_year_end = q.yearly(registry, 2023, 2023, park_as_of=date(2023, 12, 31))  # A's lease ends that day
    assert at_year_end[["subsector", "companies", "employees"]].values.tolist() == [["software", 1, 60]]
    next_day = q.yearly(registry, 2023, 2023, park_as_of=date(2024, 1, 1))  # D's lease starts that day
    assert next_day[["subsector", "companies"]].values.tolist() == [["it_services", 1]]
    assert q.yearly(registry, 2023, 2023, park_as_of=date(2023, 2, 1)).empty  # nobody's lease yet


def test_resident_share(registry):
    assert q.resident_share(registry, date(2023, 6, 30)) == {"active": 2, "residents": 1}  # A, D; A resident
    assert q.resident_share(registry, date(2023, 12, 31)) == {"active": 3, "residents": 1}  # E now active
    assert q.resident_share(registry, date(2024, 1, 1)) == {"active": 3, "residents": 1}  # D instead of A
    assert q.resident_share(registry, date(2024, 1, 1), region="TJ-DU") == {"active": 2, "residents": 0}


def test_flows_founded_closed_net(registry):
    frame = q.flows(registry, 2019, 2024)
    assert frame.values.tolist() == [
        [2019, 1, 0, 1],
        [2020, 1, 0, 1],
        [2021, 1, 1, 0],
        [2022, 1, 1, 0],
        [2023, 1, 0, 1],
        [2024, 0, 0, 0],
    ]
    assert q.flows(registry, 2021, 2021, subsector="fintech").values.tolist() == [[2021, 1, 1, 0]]


def test_founded_between_includes_both_days(registry):
    assert q.founded_between(registry, date(2021, 1, 1), date(2022, 5, 5)) == 2  # C and D
    assert q.founded_between(registry, date(2021, 1, 2), date(2022, 5, 4)) == 0
    assert q.founded_between(registry, date(2021, 1, 1), date(2022, 5, 5), region="TJ-KT") == 1


def test_size_bands(registry):
    frame = q.size_bands(registry, 2023)
    assert frame.values.tolist() == [["1–9", 1, 9], ["10–49", 0, 0], ["50–249", 1, 60], ["250+", 1, 300]]
    assert q.size_bands(registry, 2030)["companies"].tolist() == [0, 0, 0, 0]  # no figures: all bands, zeros


def test_by_region_per_10000_with_the_latest_published_population(registry):
    frame = q.by_region(registry, 2023).set_index("region_code")
    # Dushanbe: A and E active, 60 + 300 jobs; population 1,000,000 (2023)
    assert frame.loc["TJ-DU", ["companies", "employees", "population_year"]].tolist() == [2, 360, "2023"]
    assert frame.loc["TJ-DU", "companies_per_10k"] == pytest.approx(0.02)
    assert frame.loc["TJ-DU", "jobs_per_10k"] == pytest.approx(3.6)
    # Sughd: no companies left, population from 2010 (the latest at or before 2023)
    assert frame.loc["TJ-SU", "population_year"] == "2010" and frame.loc["TJ-SU", "companies_per_10k"] == 0
    # Khatlon: D is active but the only figure is for 2024: no per-capita value, never interpolated
    assert frame.loc["TJ-KT", "companies"] == 1 and pd.isna(frame.loc["TJ-KT", "companies_per_10k"])
    earlier = q.by_region(registry, 2022).set_index("region_code")
    assert earlier.loc["TJ-DU", "population_year"] == "2020"
    assert earlier.loc["TJ-DU", "companies_per_10k"] == pytest.approx(1 * 10000 / 800000)


def test_empty_registry(reference_engine):
    assert q.yearly(reference_engine, 2020, 2021).empty
    assert q.flows(reference_engine, 2020, 2021)[["founded", "closed", "net"]].sum().tolist() == [0, 0, 0]
    assert q.resident_share(reference_engine, date(2024, 1, 1)) == {"active": 0, "residents": 0}
    assert q.year_bounds(reference_engine) == {"first": None, "last": None}
    assert q.benchmark(reference_engine).empty


def test_seeded_benchmark_is_the_published_uzbek_figures(seeded_engine):
    frame = q.benchmark(seeded_engine)
    got = {(r.code, r.year, r.kind): r.value for r in frame.itertuples()}
    assert got == {
        ("UZ.ITPARK.RESIDENTS", 2023, "actual"): 1652,
        ("UZ.ITPARK.JOBS", 2023, "actual"): 26000,
        ("UZ.ITPARK.SERVICES.USD", 2023, "actual"): 1e9,
        ("UZ.ITPARK.RESIDENTS", 2030, "target"): 10000,
        ("UZ.ITSERV.EXPORTS.USD", 2030, "target"): 5e9,
    }
    assert set(frame["source_code"]) == {"ASIAPLUS-UZ-ITPARK"}
