"""KPI cards: the latest value with unit, period, change on the previous period and target."""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
from dash import html


@dataclass(frozen=True)
class Kpi:
    label: str
    value: float | None
    unit: str
    period: str
    decimals: int = 1
    previous: float | None = None
    target: float | None = None
    target_year: int | None = None
    synthetic: bool = False
    higher_is_better: bool = True


def _fmt(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", "\u202f")


def change_text(kpi: Kpi) -> tuple[str, str]:
    """The change on the previous period and its colour (green when it moves the right way)."""
    if kpi.value is None or kpi.previous is None:
        return "no earlier value", "text-muted"
    delta = kpi.value - kpi.previous
    if delta == 0:
        return "no change", "text-muted"
    good = (delta > 0) == kpi.higher_is_better
    sign = "+" if delta > 0 else "−"
    return f"{sign}{_fmt(abs(delta), kpi.decimals)} on previous period", "text-success" if good else "text-danger"


def kpi_card(kpi: Kpi, card_id: str) -> dbc.Card:
    value = "—" if kpi.value is None else _fmt(kpi.value, kpi.decimals)
    change, change_class = change_text(kpi)
    body = [
        html.Div(kpi.label, className="kpi-label small text-muted"),
        html.Div([html.Span(value, className="kpi-value"), html.Span(f" {kpi.unit}", className="kpi-unit")]),
        html.Div(kpi.period, className="small"),
        html.Div(change, className=f"small {change_class}"),
    ]
    if kpi.target is not None:
        body.append(
            html.Div(f"Target {kpi.target_year}: {_fmt(kpi.target, kpi.decimals)} {kpi.unit}", className="small")
        )
    if kpi.synthetic:
        body.append(dbc.Badge("synthetic demo data", color="warning", text_color="dark", className="synthetic-badge"))
    return dbc.Card(dbc.CardBody(body), id=card_id, className="kpi-card h-100 shadow-sm")
