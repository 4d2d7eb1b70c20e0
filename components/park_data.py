"""The rows behind each IT Park chart, for its CSV and XLSX (``exports.chart_data``).

Each function takes the :class:`~components.park_contents.View` of ``pages.park.view_of`` and
reads the same cached queries as the chart's builder in ``components.park_contents``.
Occupancy is tidy (the derived indicator ``TJ.PARK.OCC.ZS`` for the park, as Dushanbe, and per
building); units, leases ending and the tenant mix are plain tables of the park's records, with
codes kept and words in the UI language beside them.
"""

from __future__ import annotations

import pandas as pd

from components.park_contents import PARK_GEO, View
from components.park_figures import SECTOR_LABELS, SIZE_LABELS, STATUS_STYLE
from components.park_panels import OCCUPANCY
from data_loaders.cached import query
from data_loaders.queries import park
from data_loaders.queries.targets import month_ends
from exports.chart_data import stem_of
from i18n import N_, translator

UNIT_COLUMNS = {
    "as_of": N_("As of"),
    "unit_code": N_("Unit"),
    "building_code": N_("Building code"),
    "building": N_("Building"),
    "floor": N_("Floor"),
    "area_m2": N_("Floor area, m²"),
    "unit_type": N_("Type"),
    "status_code": N_("Status code"),
    "status": N_("Status"),
    "tenant": N_("Tenant"),
    "lease_start": N_("Lease start"),
    "lease_end": N_("Lease end"),
    "rent_usd_m2": N_("Rent, US$ per m² and month"),
    "jobs": N_("Jobs"),
}
EXPIRY_COLUMNS = {
    "month": N_("Month"),
    "area_m2": N_("Floor area, m²"),
    "tenants": N_("Tenants"),
    "leases": N_("Leases"),
    "jobs": N_("Jobs"),
}
MIX_COLUMNS = {
    "as_of": N_("As of"),
    "sector_code": N_("Sector code"),
    "sector": N_("Sector"),
    "size_band": N_("Size"),
    "tenants": N_("Tenants"),
    "area_m2": N_("Floor area, m²"),
    "jobs": N_("Jobs"),
}


def stem(what: str, v: View) -> str:
    return stem_of(what, v.building or "", v.day.isoformat())


def occupancy_rows(v: View) -> pd.DataFrame:
    """The park (as Dushanbe, where its targets are set) and each building, month by month."""
    days = month_ends(v.opened, max(v.day, v.opened))
    total = query(park.stats, days, None, False).assign(breakdown="total")
    each = query(park.stats, days, None, True)
    each = each.assign(breakdown=[f"building:{code}" for code in each["building_code"]])
    frame = pd.concat([total, each], ignore_index=True)
    return pd.DataFrame(
        {
            "indicator_code": OCCUPANCY,
            "geo_code": PARK_GEO,
            "period": [f"{d:%Y-%m}" for d in frame["as_of"]],
            "breakdown": frame["breakdown"],
            "value": frame["occupancy_pct"].astype(float),
        }
    )


def unit_rows(v: View) -> pd.DataFrame:
    t = translator(v.lang)
    frame = query(park.units, v.day, v.building)
    return frame.assign(
        as_of=v.day,
        building=[v.names.get(code, code) for code in frame["building_code"]],
        status_code=frame["status"],
        status=[t(STATUS_STYLE[s][0]) if s in STATUS_STYLE else s for s in frame["status"]],
    )


def expiry_rows(v: View) -> pd.DataFrame:
    frame = query(park.expiries, v.day, v.building)
    return frame.assign(month=[f"{int(y)}-{int(mo):02d}" for y, mo in zip(frame["year"], frame["month"], strict=True)])


def mix_rows(v: View) -> pd.DataFrame:
    t = translator(v.lang)
    frame = query(park.tenant_mix, v.day, v.building)
    return frame.assign(
        as_of=v.day,
        sector_code=frame["sector"],
        sector=[t(SECTOR_LABELS[s]) if s in SECTOR_LABELS else s for s in frame["sector"]],
        size_band=[t(SIZE_LABELS[s]) if s in SIZE_LABELS else s for s in frame["size_band"]],
    )
