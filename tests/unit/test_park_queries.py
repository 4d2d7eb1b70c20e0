"""Park queries against a small, hand-computed park, and the loader's refusal of bad leases.

The park (loaded through the real loader into ``reference_engine``, SQLite and PostgreSQL):

=====  ========  ======  ==========================================================
unit   building  m²      leases
=====  ========  ======  ==========================================================
X1-1   X1        100     L1 TA lease 2025-01-01..2025-06-30; L2 TB lease 2025-07-01..open
X1-2   X1        50      L3 TA lease 2025-03-01..2025-12-31 (overlaps L1 in time, other unit)
X1-3   X1        30      L4 TC reservation 2025-02-01..2025-08-31; L6 TB lease 2026-01-01..open
X2-1   X2        200     L5 TC lease 2025-09-01..open
=====  ========  ======  ==========================================================

X1 opened on 2025-01-01, X2 on 2025-07-01. Every expected number below is worked out by hand
in the comment next to it.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from data_loaders import models as m
from data_loaders.load import load_file
from data_loaders.queries import park

BUILDINGS = """building_code,name_en,name_ru,name_tg,floors,opened,source_code
X1,Test A,Тест A,Тест A,2,2025-01-01,DEMO-SYNTHETIC
X2,Test B,Тест B,Тест B,1,2025-07-01,DEMO-SYNTHETIC
"""
UNITS = """unit_code,building_code,floor,area_m2,unit_type,source_code
X1-1,X1,1,100,office,DEMO-SYNTHETIC
X1-2,X1,1,50,office,DEMO-SYNTHETIC
X1-3,X1,2,30,lab,DEMO-SYNTHETIC
X2-1,X2,1,200,coworking,DEMO-SYNTHETIC
"""
TENANTS = """tenant_code,name,sector,company_id,source_code
TA,Alpha Soft,software,,DEMO-SYNTHETIC
TB,Beta Pay,fintech,,DEMO-SYNTHETIC
TC,Gamma Labs,software,,DEMO-SYNTHETIC
"""
HEADER = "lease_id,unit_code,tenant_code,kind,start_date,end_date,rent_usd_m2_month,jobs,source_code\n"
LEASES = HEADER + (
    "L1,X1-1,TA,lease,2025-01-01,2025-06-30,10,5,DEMO-SYNTHETIC\n"
    "L2,X1-1,TB,lease,2025-07-01,,12,8,DEMO-SYNTHETIC\n"
    "L3,X1-2,TA,lease,2025-03-01,2025-12-31,20,3,DEMO-SYNTHETIC\n"
    "L4,X1-3,TC,reservation,2025-02-01,2025-08-31,0,0,DEMO-SYNTHETIC\n"
    "L5,X2-1,TC,lease,2025-09-01,,8,10,DEMO-SYNTHETIC\n"
    "L6,X1-3,TB,lease,2026-01-01,,9,4,DEMO-SYNTHETIC\n"
)


def _load(engine, tmp_path, name: str, text: str, kind: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_file(engine, path, kind=kind)


@pytest.fixture
def small_park(reference_engine, tmp_path):
    for name, text, kind in (
        ("buildings.csv", BUILDINGS, "park_buildings"),
        ("units.csv", UNITS, "park_units"),
        ("tenants.csv", TENANTS, "park_tenants"),
        ("leases.csv", LEASES, "park_leases"),
    ):
        report = _load(reference_engine, tmp_path, name, text, kind)
        assert report.ok, report.summary()
    return reference_engine


def _row(frame, **where):
    for column, value in where.items():
        frame = frame[frame[column] == value]
    assert len(frame) == 1, frame
    return frame.iloc[0]


def test_park_stats_at_dates_match_hand_computation(small_park):
    days = [date(2024, 12, 31), date(2025, 6, 30), date(2025, 7, 1), date(2025, 9, 1), date(2026, 1, 1)]
    frame = park.stats(small_park, days)
    # 2024-12-31: no building open yet, so no row at all.
    assert list(frame["as_of"]) == days[1:]
    # 2025-06-30: X1 only (180 m²); L1 ends that very day (included) + L3: 150 m²; TA alone; 5+3 jobs;
    # rent (10*100 + 20*50) / 150. The reservation L4 is not leased area.
    r = _row(frame, as_of=date(2025, 6, 30))
    assert (r.leasable_m2, r.leased_m2, r.tenants, r.jobs) == (180, 150, 1, 8)
    assert r.occupancy_pct == pytest.approx(100 * 150 / 180)
    assert r.rent_usd_m2 == pytest.approx(2000 / 150)
    # 2025-07-01: X2 opens (380 m²); L2 (TB, 100) follows L1 on X1-1, L3 runs on: 150 m²; TA, TB; 8+3.
    r = _row(frame, as_of=date(2025, 7, 1))
    assert (r.leasable_m2, r.leased_m2, r.tenants, r.jobs) == (380, 150, 2, 11)
    assert r.occupancy_pct == pytest.approx(100 * 150 / 380)
    # 2025-09-01: the future lease L5 has started: 100 + 50 + 200 = 350 m²; TA, TB, TC; 8+3+10.
    r = _row(frame, as_of=date(2025, 9, 1))
    assert (r.leased_m2, r.tenants, r.jobs) == (350, 3, 21)
    assert r.rent_usd_m2 == pytest.approx((12 * 100 + 20 * 50 + 8 * 200) / 350)
    # 2026-01-01: L3 ended on 2025-12-31; L6 (TB, 30 m²) starts: 100 + 30 + 200 = 330 m²; TB, TC; 8+4+10.
    r = _row(frame, as_of=date(2026, 1, 1))
    assert (r.leased_m2, r.tenants, r.jobs) == (330, 2, 22)
    assert r.occupancy_pct == pytest.approx(100 * 330 / 380)


def test_park_stats_by_building_and_for_one_building(small_park):
    each = park.stats(small_park, [date(2025, 9, 1)], by_building=True)
    # X1: L2 100 + L3 50 of 180 m²; X2: L5 200 of 200 m².
    assert _row(each, building_code="X1").leased_m2 == 150
    assert _row(each, building_code="X2").occupancy_pct == pytest.approx(100)
    # X2 on its opening day: leasable, nothing leased yet, no tenant, no rent.
    only = park.stats(small_park, [date(2025, 7, 1)], "X2")
    r = only.iloc[0]
    assert (len(only), r.leasable_m2, r.leased_m2, r.tenants, r.jobs) == (1, 200, 0, 0, 0)
    assert r.occupancy_pct == 0 and r.rent_usd_m2 != r.rent_usd_m2  # NaN: no leased area to average over
    # before X2 opens there is nothing to compute
    assert park.stats(small_park, [date(2025, 6, 30)], "X2").empty
    assert park.stats(small_park, []).empty


def test_park_units_status_for_the_floor_plan(small_park):
    early = park.units(small_park, date(2025, 6, 15)).set_index("unit_code")
    # L1 ends 2025-06-30, within 90 days; L3 ends 2025-12-31, beyond; L4 is a reservation in force;
    # X2 opens only on 2025-07-01.
    assert early["status"].to_dict() == {"X1-1": "ending", "X1-2": "leased", "X1-3": "reserved", "X2-1": "not_open"}
    assert early.loc["X1-1", "tenant"] == "Alpha Soft"
    assert early.loc["X1-3", "tenant"] == "Gamma Labs"
    assert str(early.loc["X1-1", "lease_end"])[:10] == "2025-06-30"
    late = park.units(small_park, date(2025, 10, 15)).set_index("unit_code")
    # L2 open-ended; L3 ends 2025-12-31 within 90 days; X1-3: reservation over, L6 not started: vacant.
    assert late["status"].to_dict() == {"X1-1": "leased", "X1-2": "ending", "X1-3": "vacant", "X2-1": "leased"}
    assert late.loc["X1-1", "lease_end"] is None
    assert list(park.units(small_park, date(2025, 10, 15), "X2")["unit_code"]) == ["X2-1"]


def test_park_unit_with_reservation_starting_later_is_reserved(small_park):
    # On 2025-01-15 L4 has not started yet, but it is the unit's next commitment.
    units = park.units(small_park, date(2025, 1, 15)).set_index("unit_code")
    assert units.loc["X1-3", "status"] == "reserved"
    assert units.loc["X1-2", "status"] == "vacant"  # L3 is a lease starting later: not a reservation


def test_park_expiries_by_month(small_park):
    frame = park.expiries(small_park, date(2025, 6, 15))
    # leases in force on 2025-06-15 ending before 2027-06-15: L1 (June 2025, 100 m²), L3 (Dec 2025, 50 m²)
    rows = frame[["year", "month", "area_m2", "tenants", "jobs"]].values.tolist()
    assert rows == [[2025, 6, 100, 1, 5], [2025, 12, 50, 1, 3]]
    assert park.expiries(small_park, date(2025, 6, 15), months=3)[["month"]].values.tolist() == [[6]]
    assert park.expiries(small_park, date(2026, 1, 1)).empty  # only open-ended leases left


def test_park_tenants_and_mix(small_park):
    tenants = park.tenants(small_park, date(2025, 6, 15)).set_index("tenant_code")
    # TA holds L1 (100 m², 5 jobs, 10 USD) and L3 (50 m², 3 jobs, 20 USD)
    ta = tenants.loc["TA"]
    assert (ta.units, ta.area_m2, ta.jobs, ta.size_band) == (2, 150, 8, "1-9")
    assert ta.rent_usd_m2 == pytest.approx(2000 / 150)
    assert str(ta.next_end)[:10] == "2025-06-30"
    assert list(tenants.index) == ["TA"]  # TC's reservation does not make it a resident
    mix = park.tenant_mix(small_park, date(2025, 9, 1))
    # TA (3 jobs) and TB (8) are 1-9, TC (10) is 10-49
    assert mix[["sector", "size_band", "tenants"]].values.tolist() == [
        ["fintech", "1-9", 1],
        ["software", "1-9", 1],
        ["software", "10-49", 1],
    ]
    assert park.tenants(small_park, date(2024, 6, 1)).empty


def test_park_buildings_and_sources(small_park):
    assert park.buildings(small_park, "ru")["name"].tolist() == ["Тест A", "Тест B"]
    assert park.source_codes(small_park) == ["DEMO-SYNTHETIC"]


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        leases = connection.execute(select(func.count()).select_from(m.ParkLease)).scalar_one()
        batches = connection.execute(select(func.count()).select_from(m.ImportBatch)).scalar_one()
    return leases, batches


@pytest.mark.parametrize(
    ("rows", "row", "words"),
    [
        # overlaps L1 and L2, both already loaded
        ("L7,X1-1,TC,lease,2025-06-01,2025-08-01,10,1,DEMO-SYNTHETIC\n", 2, ["L7", "overlaps", "L1", "already loaded"]),
        # a reservation may not overlap a lease either
        ("L7,X2-1,TA,reservation,2030-01-01,,0,0,DEMO-SYNTHETIC\n", 2, ["L7", "overlaps", "L5", "X2-1"]),
        # two leases of one new unit in the same file: the second is rejected, naming the first's row
        (
            "L7,X1-3,TA,lease,2024-01-01,2024-06-30,10,1,DEMO-SYNTHETIC\n"
            "L8,X1-3,TC,lease,2024-06-30,2024-12-31,10,1,DEMO-SYNTHETIC\n",
            3,
            ["L8", "overlaps", "L7", "row 2"],
        ),
        # ends before it starts
        ("L7,X1-3,TA,lease,2024-05-01,2024-04-30,10,1,DEMO-SYNTHETIC\n", 2, ["ends", "before it starts"]),
    ],
)
def test_park_loader_rejects_bad_leases(small_park, tmp_path, rows, row, words):
    before = _counts(small_park)
    report = _load(small_park, tmp_path, "bad_leases.csv", HEADER + rows, "park_leases")
    assert not report.ok
    problem = next(p for p in report.problems if p.row == row and all(w in p.reason for w in words))
    assert problem.column in ("start_date", "end_date")
    assert "nothing was written" in report.summary()
    assert _counts(small_park) == before


def test_park_loader_accepts_a_lease_starting_the_day_after_another_ends(small_park, tmp_path):
    report = _load(
        small_park, tmp_path, "next.csv", HEADER + "L7,X1-2,TC,lease,2026-01-01,,10,2,DEMO-SYNTHETIC\n", "park_leases"
    )
    assert report.ok, report.summary()
    assert park.stats(small_park, [date(2026, 1, 1)]).iloc[0].leased_m2 == 100 + 50 + 30 + 200
