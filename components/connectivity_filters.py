"""The connectivity view's filters and its query string: parsing, writing, and the slice of the
filters each part of the view reads (pure functions, no database, so unit tests need no app)."""

from __future__ import annotations

from components.connectivity_views import METRICS, profile_metric, selected_unit
from i18n import normalise

REGIONS = ["TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA"]
CONTROLLED = ("metric", "from", "to", "region", "district")  # the filters the page's controls set
PLACE = ("from", "to", "region", "district", "lang")
# Each part's store holds the filters it reads; its callback fires only when they change.
PLACE_SLICE, MAP_SLICE, OUTLINE_SLICE = "conn-f-place", "conn-f-map", "conn-f-outline"
PROFILE_SLICE, RANKING_SLICE = "conn-f-profile", "conn-f-ranking"
SLICES = (PLACE_SLICE, MAP_SLICE, OUTLINE_SLICE, PROFILE_SLICE, RANKING_SLICE)


def _text(value) -> str | None:
    """A query-string value as text (Dash may pass a list when a key repeats)."""
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) and value else None


def parse_filters(params: dict, periods: list[str], districts: dict[str, str]) -> dict:
    """The view's filters from the query string; anything unknown or malformed falls back to the default.

    Args:
        params: the query-string values.
        periods: the quarters with data, oldest first.
        districts: district code -> region code.
    """
    metric = _text(params.get("metric"))
    first, last = _text(params.get("from")), _text(params.get("to"))
    first = first if first in periods else (periods[0] if periods else None)
    last = last if last in periods else (periods[-1] if periods else None)
    if first and last and first > last:
        first, last = last, first
    region, district = _text(params.get("region")), _text(params.get("district"))
    district = district if district in districts else None
    region = districts[district] if district else (region if region in REGIONS else None)
    return {
        "metric": metric if metric in METRICS else "4g",
        "from": first,
        "to": last,
        "region": region,
        "district": district,
        "lang": normalise(_text(params.get("lang"))),
    }


def asked_filters(values: dict, changed: str | None, clicked: str | None = None) -> dict:
    """The filters a control or a map click asks for, before validation.

    Args:
        values: the controls' values (keys of :data:`CONTROLLED`).
        changed: the filter whose control changed, ``"reset"`` or ``"map"``.
        clicked: the unit a map click landed on.
    """
    if changed == "reset":
        return dict.fromkeys(CONTROLLED)
    asked = dict(values)
    if changed == "map" and clicked:
        asked["region"], asked["district"] = (clicked, None) if clicked in REGIONS else (clicked[:5], clicked)
    elif changed == "region" and asked["district"] and not asked["district"].startswith(f"{asked['region']}-"):
        asked["district"] = None
    elif changed == "district" and asked["district"]:
        asked["region"] = asked["district"][:5]
    return asked


def slices_of(f: dict) -> dict[str, dict]:
    """The filters each part reads, by its store: what must change for the part to be redrawn."""
    place = {key: f[key] for key in PLACE}
    return {
        PLACE_SLICE: place,  # KPI cards, "Showing", technology mix, urban and rural
        MAP_SLICE: {key: f[key] for key in ("metric", "to", "lang")},
        OUTLINE_SLICE: {"selected": selected_unit(f)},
        PROFILE_SLICE: {**place, "metric": profile_metric(f["metric"])},
        RANKING_SLICE: {key: f[key] for key in ("to", "region", "lang")},
    }
