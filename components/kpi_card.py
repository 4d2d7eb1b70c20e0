"""KPI cards: the latest value with unit and period, the change on the previous period, the
target and the status against it (decided in ``metrics.status``), and a synthetic-data badge."""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import dcc, html

from i18n import N_, format_number, format_quarter, translator
from metrics.anticipated_progress import DETERIORATION, ESCAP, INSUFFICIENT, MODERATE
from metrics.status import AT_RISK, LINEAR, MET, MISSED, NO_DATA, OBSERVED, OFF_TRACK, ON_TRACK, Progress

STATUS_LABELS = {
    MET: (N_("Target met"), "success"),
    ON_TRACK: (N_("On track"), "success"),
    AT_RISK: (N_("At risk"), "warning"),
    OFF_TRACK: (N_("Off track"), "danger"),
    MODERATE: (N_("Moderate progress"), "warning"),
    INSUFFICIENT: (N_("Insufficient progress"), "danger"),
    DETERIORATION: (N_("Deterioration"), "danger"),
    MISSED: (N_("Target missed"), "danger"),
    NO_DATA: (N_("No target"), "secondary"),
}
METHOD_LABELS = {
    ESCAP: N_("ESCAP method"),
    LINEAR: N_("linear trend"),
    OBSERVED: N_("value observed by the target year"),
}


@dataclass(frozen=True)
class Kpi:
    """What one card shows. Labels and units arrive already in the UI language."""

    label: str
    value: float | None
    unit: str
    period: str
    decimals: int = 1
    previous: float | None = None
    progress: Progress | None = None
    synthetic: bool = False
    higher_is_better: bool = True
    href: str | None = None  # the view with the matching filters
    trend: tuple[float, ...] = ()  # recent values, oldest first, drawn as a sparkline
    target_note: str = ""  # e.g. "illustrative", shown beside the target
    stale_note: str = ""  # "latest available: 2022" when the value is older than two reporting periods
    provisional_notes: tuple[str, ...] = ()  # newer periods left out of totals, in words
    past_target_note: str = ""  # the latest target whose year is over: "Target 2025: 50.0 missed"


SPARK_COLOR = "#1f5fa8"


def sparkline(values: tuple[float, ...] | list[float], height: int = 36) -> dict:
    """A tiny line of recent values with no axes, for the corner of a KPI card.

    A plain figure dict with no template: six cards redraw on a filter change, and a validated
    ``go.Figure`` with the shared template cost about 9 ms and 7 KB each for eight points.

    Args:
        values: the values, oldest first; missing values (NaN) leave a gap.
        height: pixel height.

    Returns:
        A static plotly figure (no hover, no axes), the last point marked.
    """
    x = list(range(len(values)))
    y = [None if v != v else float(v) for v in values]  # NaN is no JSON: a gap
    data = [{"type": "scatter", "x": x, "y": y, "mode": "lines", "line": {"color": SPARK_COLOR, "width": 2}}]
    if values:
        data.append(
            {
                "type": "scatter",
                "x": x[-1:],
                "y": y[-1:],
                "mode": "markers",
                "marker": {"color": SPARK_COLOR, "size": 5},
            }
        )
    for trace in data:
        trace["hoverinfo"] = "skip"
    return {
        "data": data,
        "layout": {
            "template": {},
            "height": height,
            "margin": {"l": 2, "r": 4, "t": 2, "b": 2},
            "showlegend": False,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "xaxis": {"visible": False, "fixedrange": True},
            "yaxis": {"visible": False, "fixedrange": True},
        },
    }


def change_text(kpi: Kpi, lang: str | None = None) -> tuple[str, str]:
    """The change on the previous period and its colour (green when it moves the right way)."""
    t = translator(lang)
    if kpi.value is None or kpi.previous is None:
        return t("no earlier value"), "text-muted"
    delta = kpi.value - kpi.previous
    if delta == 0:
        return t("no change"), "text-muted"
    good = (delta > 0) == kpi.higher_is_better
    sign = "+" if delta > 0 else "−"
    text = f"{sign}{format_number(abs(delta), kpi.decimals, lang)} {t('on previous period')}"
    return text, "text-success" if good else "text-danger"


def status_badge(progress: Progress | None, lang: str | None = None) -> dbc.Badge:
    label, color = STATUS_LABELS[progress.status if progress else NO_DATA]
    return dbc.Badge(translator(lang)(label), color=color, className="status-badge me-1")


def kpi_record(kpi: Kpi, lang: str | None = None) -> dict[str, object]:
    """What a card says, as one table row for downloads (same words, the value as a number)."""
    t = translator(lang)
    progress = kpi.progress if kpi.progress is not None and kpi.progress.target is not None else None
    return {
        "label": kpi.label,
        "value": round(kpi.value, kpi.decimals) if kpi.value is not None else None,
        "unit": kpi.unit,
        "period": kpi.period,
        "target_year": progress.target_year if progress else None,
        "target": round(progress.target, kpi.decimals) if progress else None,
        "illustrative_target": bool(progress and kpi.target_note),
        "status": t(STATUS_LABELS[progress.status][0]) if progress else "",
        "method": t(METHOD_LABELS[progress.method]) if progress else "",
        "past_target": kpi.past_target_note,
        "stale": kpi.stale_note,
        "provisional": " | ".join(kpi.provisional_notes),
        "synthetic": kpi.synthetic,
    }


def kpi_card(kpi: Kpi, card_id: str, lang: str | None = None) -> dbc.Card:
    """One KPI as a card; the whole card links to its view when ``href`` is set."""
    t = translator(lang)
    change, change_class = change_text(kpi, lang)
    body = [
        html.Div(kpi.label, className="kpi-label small text-muted"),
        html.Div(
            [
                html.Span(format_number(kpi.value, kpi.decimals, lang), className="kpi-value"),
                html.Span(f" {kpi.unit}", className="kpi-unit"),
            ]
        ),
        html.Div(format_quarter(kpi.period, lang), className="small kpi-period"),
        html.Div(change, className=f"small {change_class}"),
    ]
    progress = kpi.progress
    if progress is not None and progress.target is not None:
        target = f"{t('Target')} {progress.target_year}: {format_number(progress.target, kpi.decimals, lang)}"
        if kpi.target_note:
            target += f" ({kpi.target_note})"
        method = html.Span(f" · {t(METHOD_LABELS[progress.method])}", className="small text-muted kpi-method")
        body.append(
            html.Div(
                [status_badge(progress, lang), html.Span(target, className="small kpi-target"), method],
                className="mt-1",
            )
        )
    if kpi.past_target_note:
        body.append(html.Div(kpi.past_target_note, className="small text-muted kpi-past-target"))
    if len(kpi.trend) >= 2:
        body.append(
            dcc.Graph(
                figure=sparkline(kpi.trend),
                config={"staticPlot": True, "displayModeBar": False},
                className="kpi-sparkline",
                style={"height": "36px"},
            )
        )
    if kpi.stale_note:
        body.append(dbc.Badge(kpi.stale_note, color="secondary", className="stale-badge mt-1 me-1"))
    body.extend(
        html.Div(note, className="small text-warning-emphasis kpi-provisional") for note in kpi.provisional_notes
    )
    if kpi.synthetic:
        body.append(
            dbc.Badge(t("synthetic demo data"), color="warning", text_color="dark", className="synthetic-badge mt-1")
        )
    content = dbc.CardBody(body)
    if kpi.href:
        content = html.A(content, href=kpi.href, className="stretched-link-card text-reset text-decoration-none")
    return dbc.Card(content, id=card_id, className="kpi-card h-100 shadow-sm")
