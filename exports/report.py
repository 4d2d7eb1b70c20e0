"""The PDF report of a page: a title page, the page's KPI cards as a table (value, period,
target, status and the method that made it, notes), every chart of the page with its current
filters, title, subtitle and source line, and a list of the sources with their licences.

Generic by design: the page's registered ``layout(**query)`` is called with the URL's query
string and the component tree is walked for chart cards (``components.chart_card``), so a new
page or chart appears in its report without any change here. Charts are drawn to SVG and the HTML
is printed to PDF by the one shared browser (``exports.renderer``).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import plotly.graph_objects as go

from exports.meta import ExportMeta
from exports.report_tables import KPI_HEAD, KpiRow, ReportExtras, ReportTable, strip_hints
from i18n import LANGUAGES, N_, format_day, translator

CHART_WIDTH, CHART_HEIGHT = 1000, 480
KIND_LABELS = {
    "official": N_("official statistics"),
    "partner": N_("partner data"),
    "synthetic": N_("synthetic demo data"),
}
MAX_CHART_HEIGHT = 900  # a tall chart (stacked subplots) keeps its height, up to most of a page
# Fonts with full Cyrillic (Tajik ҳ ҷ ӣ ӯ қ ғ): Debian's fonts-dejavu-core, installed by the test setup.
FONT_STACK = "'DejaVu Sans', 'Liberation Sans', 'Noto Sans', sans-serif"


@dataclass(frozen=True)
class ChartPart:
    """One chart found on a page: its provenance and figure."""

    meta: ExportMeta
    figure: dict


def _children(node: object) -> Iterator[object]:
    children = getattr(node, "children", None)
    if children is None:
        return
    if isinstance(children, list | tuple):
        yield from children
    else:
        yield children


def _walk(node: object) -> Iterator[object]:
    if isinstance(node, list | tuple):
        for item in node:
            yield from _walk(item)
        return
    yield node
    for child in _children(node):
        yield from _walk(child)


def _is_chart_card(node: object) -> bool:
    return "chart-card" in (getattr(node, "className", None) or "").split()


def collect_charts(layout: object, exported_at: datetime | None = None) -> list[ChartPart]:
    """Every chart card in a component tree, in page order.

    Args:
        layout: a Dash component tree (what a page's ``layout`` returns).
        exported_at: the time stamped on each chart's provenance.

    Returns:
        One :class:`ChartPart` per card that holds a figure and its export metadata.
    """
    from components.chart_card import EXPORT_META

    parts = []
    for node in _walk(layout):
        if not _is_chart_card(node):
            continue
        figure, meta = None, None
        for inner in _walk(list(_children(node))):
            node_id = getattr(inner, "id", None)
            if figure is None and type(inner).__name__ == "Graph" and getattr(inner, "figure", None) is not None:
                figure = inner.figure
            if isinstance(node_id, dict) and node_id.get("type") == EXPORT_META:
                meta = inner.data
        if figure is not None and meta:
            as_dict = figure.to_plotly_json() if isinstance(figure, go.Figure) else dict(figure)
            parts.append(ChartPart(ExportMeta.from_json(meta, exported_at), as_dict))
    return parts


def _text(node: object) -> str:
    """All text inside a component, in order."""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(_text(child) for child in node)
    return _text(getattr(node, "children", None) or "")


def chart_height(figure: dict) -> int:
    """Print height: the figure's own height when it sets one (stacked subplots), else the default."""
    height = (figure.get("layout") or {}).get("height")
    return min(int(height), MAX_CHART_HEIGHT) if isinstance(height, int | float) and height > 0 else CHART_HEIGHT


def _report_figure(figure: dict) -> go.Figure:
    """The figure for print: white background, size set by the renderer, legend to the right."""
    fig = go.Figure(figure, skip_invalid=True)
    fig.update_layout(
        paper_bgcolor="white",
        width=None,
        height=None,
        autosize=True,
        legend={"orientation": "v", "x": 1.02, "y": 1, "xanchor": "left", "yanchor": "top"},
    )
    return fig


def _sources(parts: list[ChartPart], more: tuple[dict, ...] = ()) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for source in [s for part in parts for s in part.meta.sources] + list(more):
        seen.setdefault((source.get("name"), source.get("licence")), source)
    return list(seen.values())


CSS = f"""
@page {{ size: A4; margin: 14mm 14mm 18mm 14mm; }}
body {{ font-family: {FONT_STACK}; color: #222; font-size: 11pt; }}
.title-page {{ break-after: page; padding-top: 40mm; }}
.title-page h1 {{ font-size: 24pt; margin: 0 0 6mm; }}
.title-page .meta {{ color: #444; line-height: 1.6; }}
.title-page .meta .label {{ color: #666; }}
.title-page .link {{ font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt; word-break: break-all; }}
.notes {{ margin-top: 10mm; font-size: 9.5pt; color: #333; border-left: 3px solid #ffc107; padding-left: 3mm; }}
.chart {{ break-inside: avoid; margin-bottom: 8mm; }}
.chart h2 {{ font-size: 13pt; margin: 0 0 1mm; }}
.chart .subtitle, .table-block .subtitle {{ color: #555; font-size: 9.5pt; margin-bottom: 2mm; }}
.chart img {{ width: 100%; border: 1px solid #ddd; }}
.caption {{ font-size: 8.5pt; color: #444; margin-top: 1mm; }}
.badge {{ background: #ffc107; color: #222; border-radius: 3px; padding: 0 4px; font-size: 8pt; }}
.sources {{ break-before: page; }}
table.data {{ border-collapse: collapse; width: 100%; margin-bottom: 3mm; }}
table.data thead {{ display: table-header-group; }}
table.data tr {{ break-inside: avoid; }}
table.data th {{ background: #eef1f5; }}
table.data td, table.data th {{ text-align: left; vertical-align: top; padding: 2px 4px; border-bottom: 1px solid #ddd;
  font-size: 8.5pt; overflow-wrap: break-word; }}
table.data td.num, table.data th.num {{ text-align: right; }}
.kpis table.data {{ table-layout: fixed; }}
.kpis table.data td, .kpis table.data th {{ font-size: 8pt; padding: 2px 3px; }}
.kpis td.value {{ font-weight: bold; }}
.table-block {{ margin: 6mm 0 8mm; }}
.table-block h2, .kpis h2 {{ font-size: 13pt; margin: 0 0 1mm; }}
"""
# widths of the KPI table's columns: indicator, value, period, change, target, status, method, source
KPI_WIDTHS = (16, 13, 9, 13, 11, 11, 12, 15)


def _table(
    head: tuple[str, ...], rows: list[str], widths: tuple[int, ...] = (), numeric: frozenset = frozenset()
) -> str:
    """A table whose header repeats on every printed page and whose rows never split."""
    esc = html.escape
    cols = "<colgroup>" + "".join(f"<col style='width:{w}%'>" for w in widths) + "</colgroup>" if widths else ""
    cells = "".join(f"<th class='{'num' if i in numeric else ''}'>{esc(h)}</th>" for i, h in enumerate(head))
    return f"<table class='data'>{cols}<thead><tr>{cells}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _kpi_row(kpi: KpiRow) -> str:
    esc = html.escape
    notes = "".join(f"<br><small>{esc(note)}</small>" for note in kpi.notes)
    cells = (kpi.period, kpi.change, kpi.target, kpi.status, kpi.method, kpi.source)
    return (
        f"<tr class='kpi-row'><td>{esc(kpi.label)}{notes}</td><td class='value'>{esc(kpi.value)}</td>"
        + "".join(f"<td>{esc(c)}</td>" for c in cells)
        + "</tr>"
    )


def _table_block(table: ReportTable, lang: str) -> str:
    esc, t = html.escape, translator(lang)
    rows = [
        "<tr>"
        + "".join(f"<td class='{'num' if i in table.numeric else ''}'>{esc(c)}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in table.rows
    ]
    body = _table(table.head, rows, numeric=table.numeric) if rows else f"<p>{esc(t('No rows for these filters.'))}</p>"
    badge = f"<span class='badge'>{esc(t('synthetic demo data'))}</span> " if table.synthetic else ""
    caption = f"<div class='caption'>{badge}{esc(table.source)}</div>" if table.source or badge else ""
    subtitle = f"<div class='subtitle'>{esc(table.subtitle)}</div>" if table.subtitle else ""
    return f"<section class='table-block'><h2>{esc(table.title)}</h2>{subtitle}{body}{caption}</section>"


def _cover(page_title: str, filters, parts: list[ChartPart], extras: ReportExtras, lang: str, when: datetime) -> str:
    t, esc = translator(lang), html.escape

    def line(label: str, value: str, css: str = "") -> str:
        return f"<div><span class='label'>{esc(label)}:</span> <span class='{css}'>{esc(value)}</span></div>"

    lines = [
        f"<div>{esc(t('Report'))} · {esc(t('Digital Tajikistan · KPI dashboard'))}</div>",
        line(t("Date"), f"{format_day(when.date(), lang)} ({when:%Y-%m-%d %H:%M} UTC)"),
    ]
    lines += [line(name, value) for name, value in filters] or [line(t("Filters"), t("none"))]
    if extras.data_date:
        lines.append(line(t("Data loaded"), extras.data_date))
    if extras.latest_period:
        lines.append(line(t("Latest period"), extras.latest_period))
    lines.append(line(t("Language"), LANGUAGES[lang]))
    lines.append(line(t("Charts"), str(len(parts))))
    if extras.link:
        lines.append(line(t("Link to this view"), extras.link, "link"))
    notes = []
    if extras.synthetic or any(p.meta.synthetic for p in parts):
        notes.append(t("Figures marked synthetic are demonstration data, not statistics."))
    if extras.illustrative:
        notes.append(
            t("Targets marked illustrative were set by this project for demonstration; they are not official.")
        )
    note_block = "<div class='notes'>" + "".join(f"<p>{esc(n)}</p>" for n in notes) + "</div>" if notes else ""
    meta = f"<div class='meta'>{''.join(lines)}</div>"
    return f"<section class='title-page'><h1>{esc(page_title)}</h1>{meta}{note_block}</section>"


def report_html(
    page_title: str,
    filters: list[tuple[str, str]],
    parts: list[ChartPart],
    images: list[bytes],
    lang: str,
    generated_at: datetime,
    extras: ReportExtras | None = None,
) -> str:
    """The report as a standalone HTML document (images inlined, no outside requests).

    Args:
        page_title: the page's title in ``lang``.
        filters: the active filters in words, as (name, value) pairs.
        parts: the charts, in page order.
        images: one SVG per chart, same order.
        lang: report language.
        generated_at: when the report was made.
        extras: the page's KPI rows, tables, data date, link and notes (``exports.report_tables``).

    Returns:
        HTML text.
    """
    t = translator(lang)
    esc = html.escape
    extras = extras or ReportExtras()
    blocks = [_cover(page_title, filters, parts, extras, lang, generated_at)]
    if extras.kpis:
        head = tuple(t(h) for h in KPI_HEAD)
        table = _table(head, [_kpi_row(k) for k in extras.kpis], KPI_WIDTHS)
        blocks.append(f"<section class='kpis'><h2>{esc(t('Key indicators'))}</h2>{table}</section>")
    if not parts:
        blocks.append(f"<p>{esc(t('This page has no charts for these filters.'))}</p>")
    for part, image in zip(parts, images, strict=True):
        meta = part.meta
        badge = f"<span class='badge'>{esc(t('synthetic demo data'))}</span> " if meta.synthetic else ""
        data_uri = "data:image/svg+xml;base64," + base64.b64encode(image).decode("ascii")
        blocks.append(
            f"<section class='chart'><h2>{esc(meta.title)}</h2>"
            f"<div class='subtitle'>{esc(strip_hints(meta.subtitle, lang))}</div>"
            f"<img src='{data_uri}' alt='{esc(meta.title)}'>"
            f"<div class='caption'>{badge}{esc(meta.source_line())}</div></section>"
        )
    blocks += [_table_block(table, lang) for table in extras.tables]
    rows = [
        f"<tr><td>{esc(s.get('name', ''))}</td><td>{esc(s.get('licence', ''))}</td>"
        f"<td>{esc(t(KIND_LABELS.get(s.get('kind', ''), s.get('kind', ''))))}</td></tr>"
        for s in _sources(parts, extras.sources)
    ]
    blocks.append(
        f"<section class='sources'><h2>{esc(t('Sources'))}</h2>"
        f"{_table((t('Source'), t('Licence'), t('Kind')), rows)}</section>"
    )
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{esc(page_title)}</title>"
        f"<style>{CSS}</style></head><body>{''.join(blocks)}</body></html>"
    )


def page_footer(lang: str) -> str:
    """The printed page's footer: "page N of M" in the report's language (Chromium fills the spans)."""
    t = translator(lang)
    text = html.escape(t("Page {page} of {pages}"))
    text = text.replace("{page}", "<span class='pageNumber'></span>").replace(
        "{pages}", "<span class='totalPages'></span>"
    )
    style = f"font-size: 8pt; font-family: {FONT_STACK}; color: #555; width: 100%; text-align: center;"
    return f'<div style="{style}">{text}</div>'  # FONT_STACK quotes its names with single quotes


def report_pdf(
    page_title: str,
    filters: list[tuple[str, str]],
    layout: object,
    lang: str,
    progress: Callable[[int, int], None] | None = None,
    extras: ReportExtras | None = None,
) -> bytes:
    """Render a page's charts, add its KPI table and tables (``extras``) and print the report to
    PDF with the shared browser; ``progress(done, total)`` is told after each chart and after the
    print (a background job's bar)."""
    from exports.renderer import RENDERER

    generated_at = datetime.now(UTC)
    parts = collect_charts(layout, generated_at)
    tell = progress or (lambda _done, _total: None)
    total = len(parts) + 1
    tell(0, total)
    images = []
    for part in parts:
        figure = _report_figure(part.figure)
        images.append(RENDERER.figure(figure, "svg", CHART_WIDTH, chart_height(part.figure), locale=lang))
        tell(len(images), total)
    page = report_html(page_title, filters, parts, images, lang, generated_at, extras)
    pdf = RENDERER.pdf(page, footer=page_footer(lang))
    tell(total, total)
    return pdf
