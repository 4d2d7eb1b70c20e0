"""The overview's "what changed" panel: the largest moves, the newest loads, each theme's freshness.

Pure builders: KPIs and small frames in, components out; the ranking is computed from the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.kpi_card import Kpi
from i18n import format_day, format_number, translator

STALE_DAYS = 400  # older than a year and a bit: an annual series that missed its update


@dataclass(frozen=True)
class Move:
    kpi: Kpi
    delta: float
    relative: float | None  # change as a share of the previous value; None if that was zero


def largest_moves(kpis: list[Kpi], limit: int = 5) -> list[Move]:
    """The KPIs that moved most since their previous period, by relative change (absolute if no base).

    KPIs without two values are left out; a zero previous value ranks by its absolute change last.
    """
    moves = []
    for kpi in kpis:
        if kpi.value is None or kpi.previous is None or kpi.value == kpi.previous:
            continue
        delta = kpi.value - kpi.previous
        moves.append(Move(kpi, delta, delta / abs(kpi.previous) if kpi.previous else None))
    moves.sort(key=lambda mv: (mv.relative is not None, abs(mv.relative or 0)), reverse=True)
    return moves[:limit]


def moves_list(moves: list[Move], lang: str | None = None) -> html.Ul | html.P:
    """The moves as a list: KPI, change with sign, percent, period; green when it is good news."""
    t = translator(lang)
    if not moves:
        return html.P(t("No change to report."), className="text-muted small")
    items = []
    for mv in moves:
        k = mv.kpi
        sign = "+" if mv.delta > 0 else "−"
        text = f"{sign}{format_number(abs(mv.delta), k.decimals, lang)} {k.unit}"
        if mv.relative is not None:
            text += f" ({sign}{format_number(abs(mv.relative) * 100, 1, lang)} %)"
        good = (mv.delta > 0) == k.higher_is_better
        items.append(
            html.Li(
                [
                    html.Strong(k.label),
                    ": ",
                    html.Span(text, className="text-success" if good else "text-danger"),
                    html.Span(f" · {t('latest period')} {k.period}", className="text-muted"),
                ],
                className="mb-1",
            )
        )
    return html.Ul(items, className="small mb-0 ovw-moves")


def freshness_table(
    frame: pd.DataFrame, theme_names: dict[str, str], today: date, lang: str | None = None
) -> dbc.Table:
    """One row per theme: the last day its data covers, how long ago that is, and the last load.

    Args:
        frame: columns theme, data_until (date), last_loaded (datetime).
        theme_names: theme code -> name in the UI language.
        today: reference day for the age.
        lang: UI language.
    """
    t = translator(lang)
    rows = []
    for row in frame.itertuples():
        age = (today - row.data_until).days
        badge = dbc.Badge(
            t("stale") if age > STALE_DAYS else t("current"), color="warning" if age > STALE_DAYS else "success"
        )
        rows.append(
            html.Tr(
                [
                    html.Td(theme_names.get(row.theme, row.theme)),
                    html.Td([format_day(row.data_until, lang), " ", badge]),
                    html.Td(format_number(age, 0, lang)),
                    html.Td(format_day(pd.Timestamp(row.last_loaded).date(), lang)),
                ]
            )
        )
    head = html.Thead(html.Tr([html.Th(t(h)) for h in ("Theme", "Data until", "Days ago", "Last loaded")]))
    return dbc.Table([head, html.Tbody(rows)], size="sm", className="small mb-0 ovw-freshness")


def loads_list(frame: pd.DataFrame, lang: str | None = None) -> html.Ul:
    """The newest import batches: file, rows, day loaded."""
    t = translator(lang)
    items = [
        html.Li(
            f"{row.file_name}: {format_number(row.rows, 0, lang)} {t('rows')}, "
            f"{format_day(pd.Timestamp(row.loaded_at).date(), lang)}"
        )
        for row in frame.itertuples()
    ]
    return html.Ul(items or [html.Li(t("Nothing loaded yet."))], className="small mb-0 ovw-loads")
