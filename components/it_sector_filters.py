"""The IT-sector view's filters and its query string: parsing, writing, and the slice of the
filters each part of the view reads (pure functions, no database, so unit tests need no app)."""

from __future__ import annotations

from components.it_sector_charts import MEASURES, SUBSECTORS, VIEWS
from i18n import normalise

PLACE = ("first", "last", "region", "subsector", "park", "lang")
# store id -> the filters one part of the view reads; a part is redrawn only when its slice changes
SLICES = {
    "it-f-place": PLACE,  # KPI cards, flows, segments
    "it-f-cagr": (*PLACE, "measure"),
    "it-f-growth": (*PLACE, "measure", "view"),
    "it-f-sizes": ("last", "region", "subsector", "park", "lang"),  # one year
    "it-f-regions": ("last", "subsector", "park", "lang"),  # every region: the region only highlights
    "it-f-highlight": ("region",),
}


def slice_of(f: dict, store: str) -> dict:
    """The filters the parts behind ``store`` read."""
    return {key: f[key] for key in SLICES[store]}


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _year(value, default: int, first: int, last: int) -> int:
    text = _text(value)
    return int(text) if text and text.isdigit() and first <= int(text) <= last else default


def read_filters(params: dict, first: int, last: int, regions: list[str]) -> dict:
    """The view's filters from the query string; anything unknown or malformed -> the default.

    Args:
        params: the query-string parameters as Dash passes them to ``layout``.
        first: the first year the registry has figures for.
        last: the last such year.
        regions: the valid region codes.

    Returns:
        ``first``, ``last`` (years, ordered), ``region``, ``subsector`` (or None), ``park``
        (bool), ``measure``, ``view`` and ``lang``.
    """
    start = _year(params.get("from"), first, first, last)
    end = _year(params.get("to"), last, first, last)
    start, end = min(start, end), max(start, end)
    region, subsector = _text(params.get("region")), _text(params.get("subsector"))
    measure, view = _text(params.get("measure")), _text(params.get("view"))
    return {
        "first": start,
        "last": end,
        "region": region if region in regions else None,
        "subsector": subsector if subsector in SUBSECTORS else None,
        "park": _text(params.get("park")) == "1",
        "measure": measure if measure in MEASURES else "companies",
        "view": view if view in VIEWS else "absolute",
        "lang": normalise(_text(params.get("lang"))),
    }


def query_values(f: dict) -> dict:
    """The filters as query-string values (the measure and view defaults are left out)."""
    return {
        "from": f["first"],
        "to": f["last"],
        "region": f["region"],
        "subsector": f["subsector"],
        "park": f["park"],
        "measure": None if f["measure"] == "companies" else f["measure"],
        "view": None if f["view"] == "absolute" else f["view"],
    }
