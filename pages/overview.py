"""Overview: the headline KPIs of the three themes, and internet use against the neighbours."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.chart_card import chart_card
from components.figures import line_figure
from components.kpi_card import Kpi, kpi_card
from data_loaders.queries import common, connectivity, it_sector, park
from pages._data import guarded, query

dash.register_page(
    __name__,
    path="/",
    name="Overview",
    title="Overview",
    order=0,
    description="Headline KPIs of connectivity, the IT sector and the IT Park.",
)

NEIGHBOURS = ["TJ", "KG", "UZ", "KZ", "AF"]


def _last_two(frame, column="value"):  # noqa: ANN001, ANN202
    values = frame[column].tolist()
    return (values[-1] if values else None), (values[-2] if len(values) > 1 else None)


def _kpis() -> list[Kpi]:
    internet = query(common.series, "IT.NET.USER.ZS", ["TJ"])
    coverage = query(connectivity.weighted_series, "TJ.MOB.4G.POP.ZS")
    companies = query(it_sector.active_companies, 2015, date.today().year - 1).groupby("year")["companies"].sum()
    occupancy = query(park.occupancy, [date.today()])
    last, prev = _last_two(internet)
    cov, cov_prev = _last_two(coverage)
    return [
        Kpi(
            "Individuals using the Internet",
            last,
            "% of population",
            internet["period"].iloc[-1] if len(internet) else "",
            previous=prev,
        ),
        Kpi(
            "Population covered by 4G",
            cov,
            "% of population",
            coverage["period"].iloc[-1] if len(coverage) else "",
            previous=cov_prev,
            synthetic=True,
        ),
        Kpi(
            "Active IT companies",
            float(companies.iloc[-1]) if len(companies) else None,
            "companies",
            f"end of {companies.index[-1]}" if len(companies) else "",
            decimals=0,
            previous=float(companies.iloc[-2]) if len(companies) > 1 else None,
            synthetic=True,
        ),
        Kpi(
            "IT Park occupancy",
            occupancy["occupancy_pct"].iloc[0] if len(occupancy) else None,
            "% of area",
            f"at {date.today().isoformat()}",
            synthetic=True,
        ),
    ]


@guarded
def layout(**_query) -> html.Div:
    kpis = _kpis()
    internet = query(common.series, "IT.NET.USER.ZS", NEIGHBOURS)
    return html.Div(
        [
            html.H1("Overview", className="h3"),
            html.P("Where Tajikistan's digitalization stands today.", className="text-muted"),
            dbc.Row(
                [dbc.Col(kpi_card(k, f"kpi-{i}"), xs=12, sm=6, lg=3, className="mb-3") for i, k in enumerate(kpis)]
            ),
            chart_card(
                "overview-internet-users",
                "Individuals using the Internet, Tajikistan and neighbours",
                line_figure(internet, "period_start", "value", color="geo_name", unit="% of population"),
                query(common.sources, sorted(internet["source_code"].unique())),
                subtitle="% of population, 2000 to latest year",
            ),
        ]
    )
