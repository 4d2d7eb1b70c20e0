"""The quarterly progress report (``GET /report/progress?period=2026-Q3&lang=tg&format=pdf|xlsx``):
every KPI of the registry at the end of each of the last four quarters up to ``period``, with its
value, the period that value is of, its status against the target that applied then, and its
source and licence; as PDF (printed by the export browser) and as XLSX (real numbers, a frozen
header and an "About" sheet).

Each quarter is read as the dashboard read it at that quarter's end: the registry's own queries
(``data_loaders.queries.kpis.kpi_data``) with that day as "today" and the quarter as the last
period, and the card builder ``components.registry_kpi.kpi_from_registry``, so the status is the
one a card would have shown then. A KPI with no value by a quarter's end says so (a dash).
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from urllib.parse import urlencode

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from components.kpi_card import STATUS_LABELS
from components.registry_kpi import kpi_from_registry
from data_loaders.cached import query
from data_loaders.queries import common, kpis
from exports.report_tables import _source_text
from exports.tables import neutralise
from i18n import LANGUAGES, N_, format_day, format_number, translator
from metrics import kpis as registry
from metrics.status import NO_DATA

QUARTER = re.compile(r"^(?P<year>20\d{2})-Q(?P<quarter>[1-4])$")
QUARTERS = 4  # the quarters one report covers, the asked one last
BAD_PERIOD = N_("The period must be a quarter written like {example}, from {first} to {last}.")
# Progress is measured from the Digital Economy Concept (adopted 30.12.2019) up to the current quarter.
FIRST_PERIOD = "2020-Q1"
BAD_FORMAT = N_("The format must be pdf or xlsx.")
TITLE = N_("Quarterly progress report")
HEAD = (N_("Indicator"), N_("Quarter"), N_("Value"), N_("Unit"), N_("Period"), N_("Status"), N_("Source"))


def parse_quarter(text: str | None) -> tuple[int, int] | None:
    """(year, quarter) of ``2026-Q3``; None for anything else."""
    match = QUARTER.fullmatch(text or "")
    return (int(match["year"]), int(match["quarter"])) if match else None


def current_quarter(today: date | None = None) -> str:
    today = today or date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def valid_period(text: str | None, today: date | None = None) -> bool:
    """A quarter written ``YYYY-Qn`` from :data:`FIRST_PERIOD` to the current quarter."""
    parsed = parse_quarter(text)
    if parsed is None:
        return False
    latest = parse_quarter(current_quarter(today))
    return parse_quarter(FIRST_PERIOD) <= parsed <= latest


def bad_period_message(lang: str | None, today: date | None = None) -> str:
    t = translator(lang)
    return t(BAD_PERIOD).format(example="2026-Q3", first=FIRST_PERIOD, last=current_quarter(today))


def quarters_up_to(year: int, quarter: int, count: int = QUARTERS) -> list[str]:
    """The ``count`` quarters ending with ``year``-Q``quarter``, oldest first."""
    index = year * 4 + quarter - 1
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


def quarter_end(period: str) -> date:
    year, quarter = parse_quarter(period)
    month = quarter * 3
    return date(year, month, 30 if month in (6, 9) else 31)


@dataclass(frozen=True)
class ProgressCell:
    """One KPI at the end of one quarter."""

    key: str
    label: str
    unit: str
    quarter: str
    value: float | None  # in the KPI's unit (already divided by its scale)
    decimals: int
    period: str  # the period the value is of ("2026-Q3", "2024", a day)
    status: str
    source: str
    synthetic: bool
    illustrative: bool


def ended_by(data: kpis.KpiData, day: date) -> kpis.KpiData:
    """The KPI's data without values of periods not over by ``day``: a yearly figure is no part of
    the report of a quarter inside its year (the registry bounds an annual KPI by its year only)."""
    series = data.series
    ended = series[pd.to_datetime(series["period_end"]).dt.date <= day] if len(series) else series
    return replace(data, series=ended.reset_index(drop=True))


def progress_cells(period: str, lang: str) -> list[ProgressCell]:
    """Every registry KPI × the last four quarters up to ``period`` (registry order, oldest quarter first)."""
    t = translator(lang)
    cells = []
    quarters = quarters_up_to(*parse_quarter(period))
    for definition in registry.REGISTRY:
        for q in quarters:
            day = quarter_end(q)
            data = query(kpis.kpi_data, definition.key, day, lang, "country", None, None, q)
            data = ended_by(data, day)
            kpi = kpi_from_registry(definition, data, day, lang)
            progress = kpi.progress if kpi.progress is not None and kpi.progress.target is not None else None
            source, _record = _source_text(data, lang)
            cells.append(
                ProgressCell(
                    definition.key,
                    kpi.label,
                    kpi.unit,
                    q,
                    kpi.value,
                    kpi.decimals,
                    kpi.period,
                    t(STATUS_LABELS[progress.status if progress else NO_DATA][0]),
                    source,
                    kpi.synthetic,
                    bool(kpi.target_note),
                )
            )
    return cells


def _link(period: str, lang: str, fmt: str) -> str:
    return "/report/progress?" + urlencode({"period": period, "lang": lang, "format": fmt})


def _notes(cells: list[ProgressCell], lang: str) -> list[str]:
    t = translator(lang)
    notes = []
    if any(c.synthetic for c in cells):
        notes.append(t("Figures marked synthetic are demonstration data, not statistics."))
    if any(c.illustrative for c in cells):
        notes.append(
            t("Targets marked illustrative were set by this project for demonstration; they are not official.")
        )
    return notes


def progress_html(period: str, lang: str, cells: list[ProgressCell], generated_at: datetime) -> str:
    """The report as a standalone HTML page: a short cover, then one table row per KPI and quarter."""
    from exports.report import CSS, _table

    t, esc = translator(lang), html.escape
    quarters = quarters_up_to(*parse_quarter(period))
    loaded = query(common.last_loaded)
    lines = [
        (t("Period"), f"{quarters[0]} – {quarters[-1]}"),
        (t("Date"), f"{format_day(generated_at.date(), lang)} ({generated_at:%Y-%m-%d %H:%M} UTC)"),
        (t("Data loaded"), format_day(loaded, lang) if loaded else t("none")),
        (t("Language"), LANGUAGES[lang]),
        (t("Link to this view"), _link(period, lang, "pdf")),
    ]
    meta = "".join(f"<div><span class='label'>{esc(k)}:</span> {esc(v)}</div>" for k, v in lines)
    notes = "".join(f"<p>{esc(n)}</p>" for n in _notes(cells, lang))
    rows = []
    for key in dict.fromkeys(c.key for c in cells):  # one row per KPI, one column per quarter
        own = [c for c in cells if c.key == key]
        first = own[0]
        badge = f"<br><small>{esc(t('synthetic demo data'))}</small>" if first.synthetic else ""
        quarter_cells = "".join(
            f"<td class='quarter'><b>{esc(format_number(c.value, c.decimals, lang))}</b>"
            + (f" <small>({esc(c.period)})</small>" if c.value is not None and c.period != c.quarter else "")
            + f"<br>{esc(c.status)}</td>"
            for c in own
        )
        rows.append(
            f"<tr><td>{esc(first.label)}{badge}</td><td>{esc(first.unit)}</td>{quarter_cells}"
            f"<td><small>{esc(first.source)}</small></td></tr>"
        )
    head = (t("Indicator"), t("Unit"), *quarters, t("Source"))
    table = _table(head, rows, (20, 10, 13, 13, 13, 13, 18))
    title = f"{t(TITLE)} · {period}"
    body = (
        f"<section class='progress-cover'><h1>{esc(title)}</h1>"
        f"<div class='meta'>{esc(t('Digital Tajikistan · KPI dashboard'))}{meta}</div>"
        f"{f'<div class=notes>{notes}</div>' if notes else ''}</section>"
        f"<section class='kpis'><h2>{esc(t('Key indicators'))}</h2>{table}</section>"
    )
    extra = ".progress-cover h1 { font-size: 18pt; } .progress-cover .meta { color: #444; line-height: 1.5; }"
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{esc(title)}</title>"
        f"<style>{CSS}{extra} .kpis table.data {{ table-layout: fixed; }}</style></head><body>{body}</body></html>"
    )


def progress_pdf(period: str, lang: str) -> bytes:
    from exports.renderer import RENDERER
    from exports.report import page_footer

    cells = progress_cells(period, lang)
    return RENDERER.pdf(progress_html(period, lang, cells, datetime.now(UTC)), footer=page_footer(lang))


def progress_xlsx(period: str, lang: str) -> bytes:
    """Sheet "Progress": one row per KPI and quarter, values as numbers in the KPI's decimals, a
    frozen header and a filter; sheet "About": title, period, data date, link, notes."""
    t = translator(lang)
    cells = progress_cells(period, lang)
    book = Workbook()
    sheet = book.active
    sheet.title = "Progress"
    head = [t("KPI code"), *[t(h) for h in HEAD[:5]], t("Status"), t("Source")]
    sheet.append(head)
    for cell in cells:
        value = round(cell.value, cell.decimals) if cell.value is not None else None
        sheet.append(
            [cell.key, neutralise(cell.label), cell.quarter, value, neutralise(cell.unit), cell.period, cell.status]
            + [neutralise(cell.source)]
        )
        number = sheet.cell(row=sheet.max_row, column=4)
        number.number_format = "0" if cell.decimals == 0 else "0." + "0" * cell.decimals
    for column, width in enumerate((18, 44, 10, 12, 22, 14, 22, 60), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    about = book.create_sheet("About")
    loaded = query(common.last_loaded)
    quarters = quarters_up_to(*parse_quarter(period))
    for row in (
        (t("Title"), f"{t(TITLE)} · {period}"),
        (t("Period"), f"{quarters[0]} – {quarters[-1]}"),
        (t("Data loaded"), loaded),
        (t("Link to this view"), _link(period, lang, "xlsx")),
        *[(t("Note"), note) for note in _notes(cells, lang)],
    ):
        about.append([row[0], neutralise(row[1]) if isinstance(row[1], str) else row[1]])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
