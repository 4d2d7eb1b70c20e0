"""The rows behind each IT-sector chart, for its CSV and XLSX (``exports.chart_data``).

Each function takes the filters of ``pages.it_sector.filters_of`` and reads the same cached
queries as the chart's builder in ``components.it_sector_views``. Growth is tidy (one derived
indicator per measure, by subsector); the company counts by size, the flows and the regional
table are plain tables of the registry's figures (they are not indicators); the high-technology
exports are the World Bank series as published.
"""

from __future__ import annotations

import pandas as pd

import components.it_sector_views as views
from components.it_sector_charts import MEASURES
from data_loaders.cached import query
from data_loaders.queries import common, it_sector
from exports.chart_data import stem_of
from i18n import N_

# measure key -> the derived indicator the registry's figures are published as
MEASURE_INDICATORS = {
    "companies": "TJ.IT.COMP.ACTIVE",
    "jobs": "TJ.IT.JOBS",
    "revenue": "TJ.IT.REV.USD",
    "exports": "TJ.IT.EXP.USD",
}
SIZE_COLUMNS = {"year": N_("Year"), "band": N_("Employees"), "companies": N_("Companies"), "employees": N_("Jobs")}
FLOW_COLUMNS = {"year": N_("Year"), "founded": N_("Founded"), "closed": N_("Closed"), "net": N_("Net change")}
REGION_COLUMNS = {
    "year": N_("Year"),
    "region_code": N_("Geography code"),
    "name": N_("Geography"),
    "companies": N_("Active companies"),
    "employees": N_("Jobs"),
    "population": N_("Population"),
    "population_year": N_("Population year"),
    "companies_per_10k": N_("Companies per 10,000 inhabitants"),
    "jobs_per_10k": N_("Jobs per 10,000 inhabitants"),
}


def filter_parts(f: dict) -> list[str]:
    """The filters for a file name: region, subsector, park residents."""
    return [f["region"] or "", f["subsector"] or "", "park-residents" if f["park"] else ""]


def growth_rows(f: dict) -> pd.DataFrame:
    """The chosen measure by subsector and year (absolute: the index and year-on-year views are
    computed from these)."""
    column = MEASURES[f["measure"]][0]
    frame = query(it_sector.yearly, f["first"], f["last"], **views.query_filters(f))
    return pd.DataFrame(
        {
            "indicator_code": MEASURE_INDICATORS[f["measure"]],
            "geo_code": f["region"] or "TJ",
            "period": frame["year"].astype(str),
            "breakdown": frame["subsector"],
            "value": frame[column].astype(float),
        }
    )


def growth_stem(f: dict) -> str:
    return stem_of(f"it-{f['measure']}-by-subsector", *filter_parts(f), f"{f['first']}--{f['last']}")


def sizes_rows(f: dict) -> pd.DataFrame:
    frame = query(it_sector.size_bands, f["last"], **views.query_filters(f))
    return frame.assign(year=f["last"])


def flows_rows(f: dict) -> pd.DataFrame:
    return query(it_sector.flows, f["first"], f["last"], **views.query_filters(f))


def regions_rows(f: dict) -> pd.DataFrame:
    park_day = views.as_of(f["last"]) if f["park"] else None
    return query(it_sector.by_region, f["last"], f["subsector"], park_day, f["lang"]).assign(year=f["last"])


def hightech_rows(f: dict) -> pd.DataFrame:
    frame = query(common.series, views.HIGHTECH_CODE, ["TJ"], lang=f["lang"])
    return frame.assign(indicator_code=views.HIGHTECH_CODE, breakdown="total")
