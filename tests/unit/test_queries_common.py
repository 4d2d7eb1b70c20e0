"""Shared queries return the current values, in the UI language, with their source kind."""

from __future__ import annotations

from datetime import date

from data_loaders.queries import common


def test_series_returns_current_values_oldest_first_with_names_and_kind(seeded_engine):
    frame = common.series(seeded_engine, "IT.NET.USER.ZS", ["TJ", "KG"], lang="ru")
    tj = frame[frame["geo_code"] == "TJ"]
    assert list(tj["period"].iloc[-3:]) == ["2020", "2021", "2022"]
    assert list(tj["value"].iloc[-3:]) == [27.5441, 28.34, 36.0872]
    assert set(frame["geo_name"]) == {"Таджикистан", "Киргизия"}
    assert set(frame["source_kind"]) == {"official"}
    assert tj["period_start"].iloc[-1] == date(2022, 1, 1)


def test_series_of_unknown_code_or_geo_is_empty_not_an_error(seeded_engine):
    assert common.series(seeded_engine, "NO.SUCH").empty
    assert common.series(seeded_engine, "IT.NET.USER.ZS", ["XX"]).empty


def test_indicator_metadata_in_each_language(seeded_engine):
    en = common.indicator(seeded_engine, "TJ.MOB.4G.POP.ZS", "en")
    tg = common.indicator(seeded_engine, "TJ.MOB.4G.POP.ZS", "tg")
    assert (en["unit"], en["source_kind"], en["value_type"]) == ("% of population", "synthetic", "percent")
    assert tg["name"] == "Аҳолии фарогирифта бо 4G"
    assert common.indicator(seeded_engine, "NO.SUCH") is None


def test_geos_by_level(seeded_engine):
    regions = common.geos(seeded_engine, "region", "tg")
    assert set(regions["code"]) == {"TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA"}
    assert len(common.geos(seeded_engine, "district")) == 58


def test_targets_are_marked_illustrative(seeded_engine):
    frame = common.targets(seeded_engine, "IT.NET.USER.ZS")
    assert list(frame["year"]) == [2025, 2030] and frame["illustrative"].all()


def test_source_names_in_the_ui_language_fall_back_to_english(seeded_engine):
    ru = common.sources(seeded_engine, ["WB-WDI"], lang="ru")
    tg = common.sources(seeded_engine, ["WB-WDI"], lang="tg")
    en = common.sources(seeded_engine, ["WB-WDI"])
    assert (en["name"][0], ru["name"][0], tg["name"][0]) == (
        "World Bank, World Development Indicators",
        "Всемирный банк, Показатели мирового развития",
        "Бонки ҷаҳонӣ, Нишондиҳандаҳои рушди ҷаҳонӣ",
    )
