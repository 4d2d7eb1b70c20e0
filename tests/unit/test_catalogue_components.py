"""Builders of the Data and sources page as plain functions: edge cases and the synthetic badge."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from components.catalogue_table import breaks_table, catalogue_table, revisions_table, series_table
from components.provenance import kind_badge, metadata_list, safe_url, sources_table


def _classes(component) -> list[str]:
    """Every className in the tree, depth first."""
    found, stack = [], [component]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        found.append(getattr(node, "className", "") or "")
        children = getattr(node, "children", None)
        if children is not None and not isinstance(children, str):
            stack.append(children)
    return found


def _badges(component) -> int:
    return sum("synthetic-badge" in c for c in _classes(component))


def _catalogue_row(code: str, kind: str, synthetic_observations: int = 0, derived: bool = False) -> dict:
    return {
        "code": code,
        "theme": "connectivity",
        "name": code.lower(),
        "unit": "%",
        "definition": "",
        "kind": kind,
        "source": "A source",
        "source_url": "javascript:alert(1)",
        "licence": "CC BY 4.0",
        "synthetic_observations": synthetic_observations,
        "observations": 0 if derived else 10,
        "derived": derived,
        "geos": 1,
        "first_period": None if derived else "2020",
        "last_period": None if derived else "2024",
        "last_loaded": None if derived else datetime(2026, 11, 28, 7, 0),
    }


def test_safe_url_only_lets_http_links_through():
    assert safe_url("https://data.worldbank.org") == "https://data.worldbank.org"
    assert safe_url("javascript:alert(1)") is None
    assert safe_url(None) is None and safe_url("") is None


def test_catalogue_table_badges_synthetic_rows_only():
    frame = pd.DataFrame(
        [
            _catalogue_row("REAL", "official"),
            _catalogue_row("MIXED", "official", synthetic_observations=3),
            _catalogue_row("DEMO", "synthetic", derived=True),
        ]
    )
    table = catalogue_table(frame, lambda code: f"?indicator={code}", "en")
    assert _badges(table) == 2
    assert "href='javascript" not in repr(table) and "javascript:alert" not in repr(table)


def test_empty_frames_say_nothing_to_show():
    empty = pd.DataFrame()
    for component in (
        catalogue_table(pd.DataFrame(columns=list(_catalogue_row("X", "official"))), str, "en"),
        revisions_table(empty, "en"),
        breaks_table(empty, 1, "en"),
        series_table(pd.DataFrame(columns=["geo_name", "period", "period_start", "value", "source_kind"]), 1, "en"),
    ):
        assert "Nothing to show." in repr(component)


def test_series_table_one_row_per_period_and_a_badge_for_synthetic():
    frame = pd.DataFrame(
        {
            "geo_name": ["A", "A", "B"],
            "period": ["2023", "2024", "2024"],
            "period_start": [date(2023, 1, 1), date(2024, 1, 1), date(2024, 1, 1)],
            "value": [1.0, 2.0, 3.5],
            "source_kind": ["official", "official", "synthetic"],
        }
    )
    table = series_table(frame, 1, "en")
    text = repr(table)
    assert text.index("2024") < text.index("2023")  # newest first
    assert "'—'" in text  # B has no 2023 value
    assert _badges(table) == 1
    assert _badges(series_table(frame.assign(source_kind="official"), 1, "en")) == 0


def test_kind_badge_and_sources_table():
    assert "synthetic-badge" in kind_badge("synthetic", "en").className
    assert "synthetic-badge" not in kind_badge("official", "en").className
    sources = pd.DataFrame(
        [{"code": "S", "name": "S", "url": "", "licence": "CC0", "kind": "partner", "retrieved": None, "citation": ""}]
    )
    assert "CC0" in repr(sources_table(sources, "en"))


def test_metadata_list_of_a_derived_indicator_without_stats():
    meta = {
        "code": "TJ.PARK.OCC.ZS",
        "theme": "park",
        "name": "IT Park occupancy",
        "unit": "%",
        "frequency": "M",
        "direction": "higher",
        "definition": "",
        "method": "",
        "source_name": "Demo",
        "source_url": "",
        "licence": "CC0",
        "source_kind": "synthetic",
        "derived": True,
    }
    text = repr(metadata_list(meta, None, "en"))
    assert "none stored" in text and "from the raw registry or park tables" in text
