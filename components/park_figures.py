"""Figures of the IT Park view: occupancy over time, the floor plan, lease expiries, tenant mix.

Pure builders (DataFrames from ``data_loaders.queries.park`` in, plotly figures out), so the
floor plan's geometry and the month filling of the expiry chart are tested without a browser.
The floor plan is drawn as horizontal bars on cartesian axes (one row per floor, each unit as
wide as its floor area) rather than a map, so it works offline and scales to a phone screen.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from components.chart_summary import TARGET, counts_summary
from components.figures import LEGEND_BELOW, PALETTE, TEMPLATE, empty_figure, series_style, wrap
from i18n import N_, format_day, format_month, format_number, translator

# Status of a unit on the floor plan, in legend order, with its colour and, as a second cue for
# readers who cannot tell the colours apart, its fill pattern (plotly's ``marker.pattern.shape``;
# "" is a plain fill), drawn in the legend too.
STATUS_STYLE = {
    "leased": (N_("Leased"), PALETTE[0]),
    "ending": (N_("Lease ends within 90 days"), PALETTE[1]),
    "reserved": (N_("Reserved"), PALETTE[4]),
    "vacant": (N_("Vacant"), "#cfd4da"),
    "not_open": (N_("Building not yet open"), "#f1f3f5"),
}
STATUS_PATTERN = {"leased": "", "ending": "/", "reserved": "x", "vacant": ".", "not_open": "-"}
SECTOR_LABELS = {
    "software": N_("Software"),
    "it_services": N_("IT services"),
    "telecom": N_("Telecom"),
    "ecommerce": N_("E-commerce"),
    "fintech": N_("Fintech"),
    "hardware_other": N_("Hardware and other"),
}
SIZE_LABELS = {"1-9": N_("1–9 jobs"), "10-49": N_("10–49 jobs"), "50+": N_("50 jobs or more")}
ROW_HEIGHT = 30  # pixels per floor on the floor plan
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


def _style(fig: go.Figure, unit: str, height: int) -> go.Figure:
    """The look shared with ``components.figures``: white template, legend below, unit on the y axis."""
    return fig.update_layout(
        template=TEMPLATE,
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={**LEGEND_BELOW, "title": None},
        yaxis_title=wrap(unit),
        xaxis_title=None,
        font=FONT,
    )


def sector_label(code: str, lang: str | None = None) -> str:
    """A tenant sector code in words, in the UI language (unknown codes pass through)."""
    return translator(lang)(SECTOR_LABELS[code]) if code in SECTOR_LABELS else str(code)


def _when(day: date | None, lang: str | None, t) -> str:
    if day is None or pd.isna(day):
        return t("open-ended")
    return format_day(pd.Timestamp(day).date(), lang)


def occupancy_figure(
    frame: pd.DataFrame,
    as_of: date,
    targets: pd.DataFrame | None = None,
    lang: str | None = None,
    height: int = 340,
) -> go.Figure:
    """Occupancy month by month, one line per series (each building and the whole park).

    Args:
        frame: columns ``as_of`` (date), ``series`` (line name), ``occupancy_pct``.
        as_of: the date the view is computed at, marked with a vertical line.
        targets: optional columns ``year``, ``value``: drawn as markers at the end of each year.
        lang: UI language.
        height: figure height in pixels.

    Returns:
        The line chart, or an "no data" figure when ``frame`` is empty.
    """
    t = translator(lang)
    if frame.empty:
        return empty_figure(t("No data for this selection"), height)
    fig = go.Figure()
    for i, (name, rows) in enumerate(frame.groupby("series", sort=False)):
        labels = [format_day(d, lang) for d in rows["as_of"]]
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(rows["as_of"]),
                y=rows["occupancy_pct"],
                name=name,
                mode="lines+markers",
                line=series_style(i, 3 if i == 0 else 2)["line"],
                marker={**series_style(i)["marker"], "size": 6},
                customdata=labels,
                hovertemplate="%{customdata}: %{y:.1f} %<extra>%{fullData.name}</extra>",
            )
        )
    target = target_trace(targets, lang)
    if target is not None:
        fig.add_trace(target)
    fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line={"dash": "dot", "color": "#6c757d", "width": 1})
    fig = _style(fig, t("% of leasable area"), height).update_layout(hovermode="closest")
    return fig.update_yaxes(rangemode="tozero", ticksuffix=" %")


def target_trace(targets: pd.DataFrame | None, lang: str | None = None) -> go.Scatter | None:
    """The park's targets as markers at the end of each year, the last trace of the occupancy
    chart (None without targets); a building change adds or removes only this trace."""
    if targets is None or targets.empty:
        return None
    t = translator(lang)
    return go.Scatter(
        x=[pd.Timestamp(int(y), 12, 31) for y in targets["year"]],
        y=targets["value"],
        name=t("Target"),
        meta=TARGET,
        mode="markers",
        marker={"symbol": "star", "size": 12, "color": PALETTE[3]},
        customdata=[str(int(y)) for y in targets["year"]],
        hovertemplate=t("Target") + " %{customdata}: %{y:.0f} %<extra></extra>",
    )


def month_starts(as_of: date, months: int) -> list[date]:
    """The first days of the months from ``as_of``'s month to the one ``months`` later."""
    start = date(as_of.year, as_of.month, 1)
    return [d.date() for d in pd.date_range(start, periods=months + 1, freq="MS")]


def expiry_figure(frame: pd.DataFrame, as_of: date, months: int = 24, lang: str | None = None) -> go.Figure:
    """Floor area whose lease ends in each month ahead, with the tenants at risk in the hover.

    Args:
        frame: columns ``year``, ``month``, ``area_m2``, ``tenants``, ``jobs`` (months without
            expiries may be missing: they are drawn as zero).
        as_of: the date the view is computed at (the first month shown).
        months: how many months ahead.
        lang: UI language.

    Returns:
        A bar chart with one bar per month.
    """
    t = translator(lang)
    full = pd.DataFrame({"start": month_starts(as_of, months)})
    full["year"] = [d.year for d in full["start"]]
    full["month"] = [d.month for d in full["start"]]
    full = full.merge(frame, on=["year", "month"], how="left").fillna({"area_m2": 0, "tenants": 0, "jobs": 0})
    hover = [
        f"{format_month(d, lang)}<br>{format_number(a, 0, lang)} m² · {int(n)} {t('tenants')} · "
        f"{format_number(j, 0, lang)} {t('jobs')}"
        for d, a, n, j in zip(full["start"], full["area_m2"], full["tenants"], full["jobs"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=pd.to_datetime(full["start"]),
            y=full["area_m2"],
            marker_color=PALETTE[1],
            text=[str(int(n)) if n else "" for n in full["tenants"]],
            textposition="outside",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            name=t("Floor area whose lease ends"),
        )
    )
    fig = _style(fig, t("Floor area, m²"), 340).update_layout(hovermode="closest", showlegend=False)
    fig.update_xaxes(tickformat="%b %Y", dtick="M3")
    if full["area_m2"].sum() == 0:
        fig.add_annotation(
            text=t("No lease ends in this period"), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
        )
    return fig


def floor_rows(units: pd.DataFrame, building_names: dict[str, str], lang: str | None = None) -> pd.DataFrame:
    """Place each unit on its floor row: ``row`` label, ``base`` (m² before it on the floor).

    Units keep their code order along a floor; floors run top to bottom, buildings in code order.
    """
    t = translator(lang)
    frame = units.sort_values(["building_code", "floor", "unit_code"]).copy()
    frame["row"] = [
        f"{building_names.get(b, b)} · {t('floor')} {f}"
        for b, f in zip(frame["building_code"], frame["floor"], strict=True)
    ]
    frame["base"] = frame.groupby(["building_code", "floor"])["area_m2"].cumsum() - frame["area_m2"]
    return frame


def floor_plan_figure(units: pd.DataFrame, building_names: dict[str, str], lang: str | None = None) -> go.Figure:
    """Each building's floors as rows of units, coloured by status; hover names tenant, area, lease end.

    Args:
        units: rows of :func:`data_loaders.queries.park.units` (unit_code, building_code, floor,
            area_m2, status, tenant, lease_end).
        building_names: building code -> name in the UI language.
        lang: UI language.

    Returns:
        Horizontal stacked bars, one trace per status (so the legend explains the colours);
        each bar's ``customdata`` starts with the unit code, for click callbacks.
    """
    t = translator(lang)
    if units.empty:
        return empty_figure(t("No data for this selection"))
    frame = floor_rows(units, building_names, lang)
    # Rows top to bottom: first building first, top floor first. Plotly draws categories bottom-up.
    order = []
    for _, rows in frame.groupby("building_code", sort=True):
        order += list(dict.fromkeys(rows.sort_values("floor", ascending=False)["row"]))
    fig = go.Figure()
    for status, (label, colour) in STATUS_STYLE.items():
        rows = frame[frame["status"] == status]
        if rows.empty:
            continue
        custom = [
            [
                code,
                tenant if isinstance(tenant, str) else t("no tenant"),
                format_number(area, 1, lang),
                _when(end, lang, t) if isinstance(tenant, str) else "—",
                t(label),
            ]
            for code, tenant, area, end in zip(
                rows["unit_code"], rows["tenant"], rows["area_m2"], rows["lease_end"], strict=True
            )
        ]
        fig.add_trace(
            go.Bar(
                y=rows["row"],
                x=rows["area_m2"],
                base=rows["base"],
                orientation="h",
                name=t(label),
                marker={
                    "color": colour,
                    "line": {"color": "white", "width": 2},
                    "pattern": {  # drawn over the status colour, which stays the background
                        "shape": STATUS_PATTERN[status],
                        "fillmode": "overlay",
                        "fgcolor": "#343a40" if status in ("vacant", "not_open") else "white",
                        "fgopacity": 0.55,
                        "size": 7,
                        "solidity": 0.25,
                    },
                },
                text=[c.rsplit("-", 1)[-1] for c in rows["unit_code"]],
                textposition="inside",
                insidetextanchor="middle",
                customdata=custom,
                hovertemplate=(
                    "<b>%{customdata[0]}</b> · %{customdata[4]}<br>%{customdata[1]}<br>"
                    + "%{customdata[2]} m² · "
                    + t("lease ends")
                    + " %{customdata[3]}<extra></extra>"
                ),
            )
        )
    height = 90 + ROW_HEIGHT * len(order)
    fig = _style(fig, "", height).update_layout(
        barmode="overlay", hovermode="closest", uniformtext={"minsize": 9, "mode": "hide"}, bargap=0.15
    )
    # the key above the plan, where a reader looks first; "paper": of the plot, not the figure
    fig.update_layout(legend={"yref": "paper", "y": 1.02, "yanchor": "bottom", "orientation": "h"}, margin={"t": 40})
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], title=None, fixedrange=True)
    fig.update_xaxes(title=wrap(t("floor area along the floor, m²")), showgrid=False, fixedrange=True)
    return fig


def floor_plan_summary(units: pd.DataFrame, lang: str | None = None) -> str:
    """The floor plan in one sentence: how many units are in each state ("42 units: 30 leased, …")."""
    t = translator(lang)
    counts = units["status"].value_counts() if len(units) else pd.Series(dtype=int)
    return counts_summary([(t(label), int(counts.get(s, 0))) for s, (label, _c) in STATUS_STYLE.items()], lang)


def tenant_mix_figure(frame: pd.DataFrame, lang: str | None = None) -> go.Figure:
    """Residents by sector (bars), split by size class (colours), with floor area and jobs in the hover.

    Args:
        frame: columns ``sector``, ``size_band``, ``tenants``, ``area_m2``, ``jobs``.
        lang: UI language.

    Returns:
        Horizontal stacked bars, sectors largest first.
    """
    t = translator(lang)
    if frame.empty:
        return empty_figure(t("No tenants at this date"))
    totals = frame.groupby("sector")["tenants"].sum().sort_values()
    fig = go.Figure()
    for i, (band, label) in enumerate(SIZE_LABELS.items()):
        rows = frame[frame["size_band"] == band].set_index("sector").reindex(totals.index)
        if rows["tenants"].isna().all():
            continue
        custom = [
            [format_number(a, 0, lang), format_number(j, 0, lang)]
            for a, j in zip(rows["area_m2"], rows["jobs"], strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=[sector_label(s, lang) for s in totals.index],
                x=rows["tenants"].fillna(0),
                orientation="h",
                name=t(label),
                marker_color=PALETTE[i],
                customdata=custom,
                hovertemplate="%{x} "
                + t("tenants")
                + " · %{customdata[0]} m² · %{customdata[1]} "
                + t("jobs")
                + "<extra>%{fullData.name}</extra>",
            )
        )
    fig = _style(fig, "", 340).update_layout(
        barmode="stack", hovermode="closest", legend_traceorder="normal", margin={"t": 36}
    )
    return fig.update_xaxes(title=t("tenants"))
