"""Provenance on every page: a "synthetic demo data" badge exactly where synthetic data is shown.

Written generically over the DOM, so it holds for charts and cards added later:

* every ``.chart-card`` whose source caption names a synthetic source (``source.kind``) carries a
  ``.synthetic-badge``; every card whose caption names none carries no badge;
* every ``.kpi-card`` whose label is an indicator's name carries the badge exactly when that
  indicator's source is synthetic (cards whose label is not an indicator's name are skipped).
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

PAGES = [
    "/",
    "/connectivity",
    "/it-sector",
    "/park",
    "/targets",
    "/data",
    "/data?indicator=TJ.MOB.4G.POP.ZS",
    "/data?indicator=IT.NET.USER.ZS",
]


@pytest.fixture(scope="module")
def provenance(seeded_sqlite_url) -> dict:
    """Synthetic source names, and each indicator's English name -> whether its data is synthetic."""
    engine = create_engine(seeded_sqlite_url)
    with engine.connect() as connection:
        names = [r[0] for r in connection.execute(text("SELECT name FROM source WHERE kind = 'synthetic'"))]
        indicators = dict(
            connection.execute(
                text("SELECT i.name_en, s.kind = 'synthetic' FROM indicator i JOIN source s ON s.code = i.source_code")
            ).all()
        )
    engine.dispose()
    return {"synthetic_sources": names, "indicators": indicators}


@pytest.mark.parametrize("path", PAGES)
def test_prov001_synthetic_badge_exactly_where_synthetic_data_is_shown(dash_duo, dashboard, provenance, path):
    dash_duo.start_server(dashboard)
    separator = "&" if "?" in path else "?"
    dash_duo.driver.get(f"{dash_duo.server_url}{path}{separator}lang=en")
    # captions and badges are rendered with the card; one drawn chart means the page's data is in
    dash_duo.wait_for_element(".chart-card .main-svg", timeout=30)
    checked = 0
    for card in dash_duo.find_elements(".chart-card"):
        caption = card.find_element("css selector", ".chart-caption").text
        title = card.find_element("css selector", ".card-header").text.splitlines()[0]
        names_synthetic = any(name in caption for name in provenance["synthetic_sources"])
        has_badge = bool(card.find_elements("css selector", ".synthetic-badge"))
        assert has_badge == names_synthetic, f"{path}: chart '{title}' badge={has_badge}, caption: {caption}"
        checked += 1
    for card in dash_duo.find_elements(".kpi-card"):
        label = card.find_element("css selector", ".kpi-label").text
        if label not in provenance["indicators"]:
            continue
        has_badge = bool(card.find_elements("css selector", ".synthetic-badge"))
        assert has_badge == provenance["indicators"][label], f"{path}: KPI '{label}' badge={has_badge}"
        checked += 1
    assert checked > 0
    assert dash_duo.get_logs() == []
