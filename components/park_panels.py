"""The rent card, the tenant table and the unit detail of the IT Park view.

Pure builders: the monthly park figures come in as DataFrames; cards, tables and panels come out.
Occupancy, tenants and jobs are registry KPIs, built by ``components.registry_kpi``.
"""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.kpi_card import Kpi
from components.park_figures import SIZE_LABELS, STATUS_STYLE, sector_label
from i18n import N_, format_day, format_number, translator

OCCUPANCY = "TJ.PARK.OCC.ZS"
TABLE_COLUMNS = (
    N_("Tenant"),
    N_("Sector"),
    N_("Size"),
    N_("Units"),
    N_("Area, m²"),
    N_("Jobs"),
    N_("Rent, USD/m² a month"),
    N_("Next lease end"),
)


def rent_kpi(series: pd.DataFrame, as_of: date, synthetic: bool, lang: str | None = None) -> Kpi:
    """The average rent at ``as_of`` with the change on the month before. Rent is a figure of the
    park view only (no indicator, no target), so it is not a registry KPI.

    Args:
        series: rows of ``queries.park.stats`` at month ends, the last row at ``as_of``.
        as_of: the date of the view.
        synthetic: whether the leases come from a synthetic source.
        lang: UI language.
    """
    t = translator(lang)
    last = series.iloc[-1] if len(series) and series["as_of"].iloc[-1] == as_of else None
    prev = series.iloc[-2] if last is not None and len(series) > 1 else None

    def value(row) -> float | None:
        return None if row is None or pd.isna(row["rent_usd_m2"]) else float(row["rent_usd_m2"])

    return Kpi(
        t("Average rent"),
        value(last),
        t("USD per m² a month"),
        f"{t('at')} {format_day(as_of, lang)}",
        decimals=2,
        previous=value(prev),
        synthetic=synthetic,
    )


def filter_tenants(records: list[dict], text: str | None) -> list[dict]:
    """The tenants whose name, sector or code contains ``text`` (any case); all for no text."""
    needle = (text or "").strip().casefold()
    if not needle:
        return records
    return [r for r in records if needle in f"{r['name']} {r['sector']} {r['tenant_code']}".casefold()]


def tenant_table(records: list[dict], lang: str | None = None, table_id: str = "park-tenant-table") -> html.Div:
    """A table of tenants (rows of ``queries.park.tenants`` as records), numbers in the locale.

    Args:
        records: tenant rows (name, sector, size_band, units, area_m2, jobs, rent_usd_m2, next_end).
        lang: UI language.
        table_id: id of the wrapping element.

    Returns:
        A scrollable table, or a message when no tenant matches.
    """
    t = translator(lang)
    if not records:
        return html.Div(t("No tenant matches."), id=table_id, className="text-muted small p-2")
    head = html.Thead(html.Tr([html.Th(t(c)) for c in TABLE_COLUMNS]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(r["name"]),
                    html.Td(sector_label(r["sector"], lang)),
                    html.Td(t(SIZE_LABELS.get(r["size_band"], r["size_band"]))),
                    html.Td(format_number(r["units"], 0, lang), className="text-end"),
                    html.Td(format_number(r["area_m2"], 1, lang), className="text-end"),
                    html.Td(format_number(r["jobs"], 0, lang), className="text-end"),
                    html.Td(format_number(r["rent_usd_m2"], 2, lang), className="text-end"),
                    html.Td(_end(r["next_end"], lang)),
                ]
            )
            for r in records
        ]
    )
    table = dbc.Table([head, body], size="sm", striped=True, hover=True, className="mb-0 small")
    return html.Div(table, id=table_id, className="table-responsive park-tenant-table")


def _end(day, lang: str | None) -> str:
    if day is None or (isinstance(day, float) and pd.isna(day)) or day == "":
        return translator(lang)("open-ended")
    return format_day(pd.Timestamp(day).date(), lang)


def unit_options(figure: dict | None, lang: str | None = None) -> list[dict]:
    """The floor plan's units as options of the keyboard's unit list, in the plan's order (building,
    floor, unit), each named with its status and tenant as text: "B1-1-01 · Leased · Alpha Soft".

    Args:
        figure: the floor plan (a figure or its JSON): each bar's ``customdata`` is
            [unit, tenant, area, lease end, status].
        lang: UI language.
    """
    t = translator(lang)
    units = sorted(
        (row for trace in _traces(figure) for row in trace.get("customdata") or () if len(row) >= 5),
        key=lambda row: row[0],
    )
    return [{"label": f"{unit} · {status} · {tenant}", "value": unit} for unit, tenant, _, _, status in units] or [
        {"label": t("No data for this selection"), "value": "", "disabled": True}
    ]


def _traces(figure) -> list[dict]:
    if figure is None:
        return []
    data = figure.get("data") if isinstance(figure, dict) else figure.to_plotly_json().get("data")
    return [trace if isinstance(trace, dict) else trace.to_plotly_json() for trace in data or ()]


def unit_point(figure: dict | None, unit: str | None) -> dict | None:
    """The floor plan's point of ``unit`` as a click would give it (``customdata``), or None."""
    for trace in _traces(figure):
        for row in trace.get("customdata") or ():
            if unit and len(row) >= 5 and row[0] == unit:
                return {"customdata": list(row)}
    return None


OUTLINE, SELECTED_OUTLINE = ("white", 2), ("#212529", 4)


def unit_outlines(figure: dict | None, unit: str | None) -> list[dict]:
    """Each floor-plan trace's bar outlines with ``unit`` drawn in a dark, thick frame (the
    others white as drawn): the plan shows which unit the details are about."""
    lines = []
    for trace in _traces(figure):
        chosen = [bool(unit) and len(row) >= 1 and row[0] == unit for row in trace.get("customdata") or ()]
        if not any(chosen):
            lines.append({"color": OUTLINE[0], "width": OUTLINE[1]})
            continue
        lines.append(
            {
                "color": [SELECTED_OUTLINE[0] if c else OUTLINE[0] for c in chosen],
                "width": [SELECTED_OUTLINE[1] if c else OUTLINE[1] for c in chosen],
            }
        )
    return lines


def outline_changes(figure: dict | None, unit: str | None) -> dict[int, dict]:
    """The traces whose outlines must change for ``unit`` to be framed, by index, with their new
    outline: none when the plan already shows it (a plan just redrawn frames nothing), so that no
    patch is sent for nothing (and none reaches a plan the user has just navigated away from)."""
    return {
        i: line
        for i, (trace, line) in enumerate(zip(_traces(figure), unit_outlines(figure, unit), strict=True))
        if (trace.get("marker") or {}).get("line") != line
    }


def unit_detail(point: dict | None, lang: str | None = None) -> html.Div:
    """What the floor plan knows about one unit, clicked on the plan or chosen in the unit list.

    Args:
        point: a ``clickData`` point (or :func:`unit_point`) whose ``customdata`` is [unit,
            tenant, area, lease end, status].
        lang: UI language.
    """
    t = translator(lang)
    if not point or len(point.get("customdata") or []) < 5:
        return html.Div(
            t("Click a unit on the plan or choose it in the list to see its tenant, area and lease end."),
            className="text-muted small",
        )
    unit, tenant, area, end, status = point["customdata"][:5]
    colours = {t(label): colour for label, colour in STATUS_STYLE.values()}
    return html.Div(
        [
            html.Span("■ ", style={"color": colours.get(status, "#6c757d")}, **{"aria-hidden": "true"}),
            html.Strong(unit, className="park-unit-code"),
            html.Span(f" · {status} · "),
            html.Span(tenant, className="park-unit-tenant fw-semibold"),
            html.Span(f" · {area} m² · {t('lease ends')} {end}"),
        ],
        className="small",
    )
