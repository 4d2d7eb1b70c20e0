"""Complete periods only, on a hand-made set: a quarter reported by units holding 98 % of the
population is shown in totals; one reported by 3 % is left out, the previous quarter stands
and the card says why. Real databases; the rows go in through the loader."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from data_loaders.load import load_file
from data_loaders.queries import connectivity
from data_loaders.queries.completeness import period_completeness
from metrics.kpis import provisional_note, provisional_periods

FOUR_G = "TJ.MOB.4G.POP.ZS"
HEADER = "indicator_code,geo_code,period,value,breakdown,flags,source_code,comment\n"
A, B, C = "TJ-GB-01", "TJ-GB-02", "TJ-DU"  # A + B hold 3 % of the 200 000 people, C 2 %


@pytest.fixture
def partial(reference_engine, tmp_path):
    """59 coverage units, 200 000 people in 2026; 2026-Q2 all report, 2026-Q3 all but Dushanbe
    (98 %), 2026-Q4 only A and B (3 %)."""
    with reference_engine.connect() as connection:
        units = [
            r[0]
            for r in connection.execute(
                text(
                    "SELECT code FROM geo g WHERE level = 'district' OR (level = 'region' AND NOT EXISTS "
                    "(SELECT 1 FROM geo c WHERE c.parent_code = g.code AND c.level = 'district')) ORDER BY code"
                )
            )
        ]
    assert len(units) == 59
    others = [u for u in units if u not in (A, B, C)]
    population = {A: 3000, B: 3000, C: 4000} | {u: 3400 for u in others[:-1]} | {others[-1]: 3000}
    assert sum(population.values()) == 200_000
    rows = [("TJ.POP.MODEL", u, "2026", p) for u, p in population.items()]
    rows += [(FOUR_G, u, "2026-Q2", 80) for u in units]
    rows += [(FOUR_G, u, "2026-Q3", 90) for u in units if u != C]
    rows += [(FOUR_G, u, "2026-Q4", 10) for u in (A, B)]
    path = tmp_path / "partial.csv"
    path.write_text(HEADER + "".join(f"{i},{g},{p},{v},total,,DEMO-SYNTHETIC,\n" for i, g, p, v in rows), "utf-8")
    report = load_file(reference_engine, path, kind="observations")
    assert report.ok, report.summary()
    return reference_engine


def test_completeness_counts_units_and_population(partial):
    frame = period_completeness(partial, FOUR_G).set_index("period")
    assert frame["reported"].to_dict() == {"2026-Q2": 59, "2026-Q3": 58, "2026-Q4": 2}
    assert (frame["expected"] == 59).all()
    assert frame["share"].to_dict() == pytest.approx({"2026-Q2": 1.0, "2026-Q3": 0.98, "2026-Q4": 0.03})
    # asked for a period nobody reported: zero of 59
    empty = period_completeness(partial, FOUR_G, ["2026-Q1"]).iloc[0]
    assert empty["reported"] == 0 and empty["share"] == 0


def test_completeness_by_region_and_through_a_session(partial):
    regions = period_completeness(partial, FOUR_G, ["2026-Q4"], by_region=True).set_index("geo_code")
    # GBAO: A and B (6000 people) of its 7 districts (23 000 people)
    assert regions.at["TJ-GB", "reported"] == 2 and regions.at["TJ-GB", "expected"] == 7
    assert regions.at["TJ-GB", "share"] == pytest.approx(6000 / 23_000)
    assert regions.at["TJ-DU", "reported"] == 0
    with Session(partial) as session:  # the loader calls it inside its own transaction
        assert period_completeness(session, FOUR_G, ["2026-Q3"]).iloc[0]["share"] == pytest.approx(0.98)


def test_98_percent_is_shown_3_percent_is_left_out_of_totals(partial):
    country = connectivity.weighted_series(partial, FOUR_G)
    # 2026-Q3: every reporting unit at 90 -> 90; 2026-Q4 (3 %) is not a national figure
    assert country["period"].tolist() == ["2026-Q2", "2026-Q3"]
    assert country["value"].tolist() == pytest.approx([80.0, 90.0])
    region = connectivity.weighted_series(partial, FOUR_G, "region", geo_codes=["TJ-GB"])
    assert region["period"].tolist() == ["2026-Q2", "2026-Q3"]
    # the map still shows the new quarter for the units that reported it
    units = connectivity.weighted_series(partial, FOUR_G, "unit", first="2026-Q4")
    assert sorted(units["geo_code"]) == [A, B]
    # the threshold is a setting
    assert connectivity.weighted_series(partial, FOUR_G, complete_share=0.99)["period"].tolist() == ["2026-Q2"]


def test_the_card_notes_the_provisional_period(partial):
    pending = provisional_periods(period_completeness(partial, FOUR_G))
    assert pending["period"].tolist() == ["2026-Q4"]
    assert provisional_note(pending.iloc[0], "en") == (
        "2026-Q4: 2 of 59 districts reported (3 % of population) — provisional, not shown in totals"
    )
    complete = provisional_periods(period_completeness(partial, FOUR_G, ["2026-Q2", "2026-Q3"]))
    assert complete.empty


def test_the_loader_names_a_partial_quarter_in_the_dry_run_and_on_the_batch(partial, tmp_path):
    path = tmp_path / "q1.csv"
    path.write_text(HEADER + "".join(f"{FOUR_G},{g},2026-Q1,20,total,,DEMO-SYNTHETIC,\n" for g in (A, B)), "utf-8")
    note = (
        "TJ.MOB.4G.POP.ZS (total) 2026-Q1: 2 of 59 districts reported (3 % of population) — provisional, "
        "not shown in totals"
    )
    checked = load_file(partial, path, dry_run=True)
    assert checked.ok and checked.warnings == [note]
    assert note in checked.summary()
    loaded = load_file(partial, path)
    assert loaded.ok and loaded.warnings == [note]
    with partial.connect() as connection:
        stored = connection.execute(text("SELECT warnings FROM import_batch WHERE id = :id"), {"id": loaded.batch_id})
        warnings = stored.scalar_one()
    assert (json.loads(warnings) if isinstance(warnings, str) else warnings) == [note]


def test_a_complete_quarter_loads_without_a_warning(partial, tmp_path):
    with partial.connect() as connection:
        units = [
            r[0]
            for r in connection.execute(
                text(f"SELECT geo_code FROM observation WHERE period = '2026-Q2' AND indicator_code = '{FOUR_G}'")
            )
        ]
    path = tmp_path / "q1_full.csv"
    path.write_text(HEADER + "".join(f"{FOUR_G},{g},2026-Q1,70,total,,DEMO-SYNTHETIC,\n" for g in units), "utf-8")
    report = load_file(partial, path)
    assert report.ok and report.warnings == []
