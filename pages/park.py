"""IT Park occupancy: leased against leasable floor area, computed from units and leases."""

from __future__ import annotations

from datetime import date

import dash
import pandas as pd
from dash import html

from components.chart_card import chart_card
from components.figures import line_figure
from data_loaders.queries import common, park
from pages._data import guarded, query

dash.register_page(
    __name__,
    path="/park",
    name="IT Park",
    title="IT Park occupancy",
    order=3,
    description="Occupancy, tenants, jobs and lease expiries of IT Park Dushanbe.",
)

OPENING = date(2025, 4, 7)  # IT Park Dushanbe opened on 7 April 2025 (Asia-Plus, 16.04.2025)


def month_ends(start: date, end: date) -> list[date]:
    return [d.date() for d in pd.date_range(start, end, freq="ME")] + [end]


@guarded
def layout(**_query) -> html.Div:
    occupancy = query(park.occupancy, month_ends(OPENING, date.today()))
    return html.Div(
        [
            html.H1("IT Park occupancy", className="h3"),
            chart_card(
                "park-occupancy",
                "Occupancy of IT Park Dushanbe",
                line_figure(occupancy, "as_of", "occupancy_pct", unit="% of leasable area"),
                query(common.sources, ["DEMO-SYNTHETIC"]),
                subtitle="Leased / leasable floor area, month ends since the opening on 7 April 2025",
            ),
        ]
    )
