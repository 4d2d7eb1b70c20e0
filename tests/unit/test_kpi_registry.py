"""The KPI registry: every KPI resolves in the seeded database, and the rules every KPI shares
(the target that applies, past targets met or missed, flags from sources, bounds, freshness)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from data_loaders.queries.kpis import kpi_indicator, kpi_source_kinds, kpi_targets
from metrics import kpis
from metrics.kpis import (
    REGISTRY,
    SHARE,
    applicable_target,
    clip,
    flags_from_sources,
    get,
    is_stale,
    past_targets,
)

TODAY = date(2026, 12, 1)
TARGETS = pd.DataFrame({"year": [2025, 2030, 2035], "value": [50.0, 75.0, 90.0]})


@pytest.mark.parametrize("kpi", REGISTRY, ids=lambda k: k.key)
def test_every_kpi_resolves_to_an_indicator_targets_and_flags(seeded_engine, kpi):
    meta = kpi_indicator(seeded_engine, kpi)
    assert meta is not None, f"{kpi.key}: indicator {kpi.indicator} is not in the database"
    assert meta["theme"] == kpi.theme
    assert meta["frequency"] in kpis.FREQUENCY_MONTHS
    targets = kpi_targets(seeded_engine, kpi)
    # the one target rule gives a target (this year or later) or none, never a passed one
    chosen = applicable_target(targets, TODAY)
    assert chosen is None or chosen["year"] >= TODAY.year
    kinds = kpi_source_kinds(seeded_engine, kpi)
    assert kinds, f"{kpi.key}: no rows with a source"
    flags = flags_from_sources(kinds, targets["illustrative"])
    assert flags.synthetic == ("synthetic" in kinds)
    if kpi.bounds == SHARE:
        assert meta["value_type"] == "percent"


def test_flags_follow_the_sources_of_the_rows(seeded_engine):
    # internet users are real ITU figures; 4G coverage is synthetic; park occupancy is derived
    # from synthetic leases; every seeded target is illustrative
    assert not flags_from_sources(kpi_source_kinds(seeded_engine, get("internet_users"))).synthetic
    assert flags_from_sources(kpi_source_kinds(seeded_engine, get("coverage_4g"))).synthetic
    assert flags_from_sources(kpi_source_kinds(seeded_engine, get("park_occupancy"))).synthetic
    users = kpi_targets(seeded_engine, get("internet_users"))
    assert list(users["year"]) == [2025, 2030] and users["illustrative"].all()
    # a breakdown without targets of its own is measured against its indicator's; a gap has none
    assert list(kpi_targets(seeded_engine, get("coverage_4g_rural"))["year"]) == [2025, 2030]
    assert kpi_targets(seeded_engine, get("urban_rural_gap")).empty


def test_keys_are_unique():
    assert len({k.key for k in REGISTRY}) == len(REGISTRY)


def test_unknown_key_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown KPI 'nope'"):
        get("nope")


def test_unknown_aggregation_is_refused():
    with pytest.raises(ValueError, match="unknown aggregation"):
        kpis.KpiDefinition("x", "IT.NET.USER.ZS", "connectivity", "median", "/")


def test_applicable_target_is_the_next_not_yet_passed():
    assert applicable_target(TARGETS, date(2024, 6, 1))["year"] == 2025
    assert applicable_target(TARGETS, date(2025, 12, 31))["year"] == 2025  # due at the end of 2025
    assert applicable_target(TARGETS, TODAY)["year"] == 2030
    assert applicable_target(TARGETS[TARGETS["year"] < 2030], TODAY) is None  # all passed: none
    assert applicable_target(TARGETS.iloc[0:0], TODAY) is None


def test_past_targets_are_met_or_missed():
    series = pd.DataFrame(
        {"period_end": [date(2024, 12, 31), date(2025, 12, 31), date(2026, 6, 30)], "value": [40.0, 48.0, 60.0]}
    )
    # 2025: 48 by the end of 2025 < 50, missed (the later 60 does not count)
    assert past_targets(TARGETS, series, TODAY) == [(2025, 50.0, False)]
    early = pd.DataFrame({"year": [2020], "value": [10.0]})
    assert past_targets(early, series, TODAY) == [(2020, 10.0, None)]  # no value by then
    lower = pd.DataFrame({"year": [2025], "value": [50.0]})
    assert past_targets(lower, series, TODAY, lower_is_better=True) == [(2025, 50.0, True)]


def test_clip_keeps_a_share_within_100_and_says_so():
    assert clip(134.1, SHARE) == (100.0, True)
    assert clip(-3.0, SHARE) == (0.0, True)
    assert clip(87.0, SHARE) == (87.0, False)
    assert clip(5e9, (0.0, None)) == (5e9, False)
    assert clip(None, SHARE) == (None, False)


def test_stale_after_two_reporting_periods():
    assert is_stale(date(2022, 12, 31), "A", TODAY)  # 47 months, yearly: stale
    assert not is_stale(date(2025, 12, 31), "A", TODAY)
    assert not is_stale(date(2024, 12, 31), "A", TODAY)  # 23 months: not yet
    assert is_stale(date(2026, 3, 31), "Q", TODAY)  # 8 months > 2 quarters
    assert not is_stale(date(2026, 9, 30), "Q", TODAY)
    assert is_stale(date(2026, 9, 30), "M", TODAY) and not is_stale(date(2026, 10, 31), "M", TODAY)
