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
from i18n import LANGUAGES, N_, format_day, translator

CHART_WIDTH, CHART_HEIGHT = 1000, 480
KIND_LABELS = {
    "official": N_("official statistics"),
    "partner": N_("partner data"),
    "synthetic": N_("synthetic demo data"),
}
# widths of the KPI table's columns: indicator, value, period, target, status with its notes
KPI_COLUMNS = "<colgroup>" + "".join(f"<col style='width:{w}%'>" for w in (26, 19, 14, 20, 21)) + "</colgroup>"
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


@dataclass(frozen=True)
class KpiLine:
    """One KPI card's words, as the page shows them (the card is built from the registry)."""

    label: str
    value: str
    period: str
    target: str
    status: str
    method: str
    notes: tuple[str, ...]


# the card's parts, by class name (components.kpi_card.kpi_card)
_NOTE_CLASSES = ("kpi-past-target", "stale-badge", "kpi-provisional", "synthetic-badge")


def _text(node: object) -> str:
    """All text inside a component, in order."""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return "".join(_text(child) for child in node)
    return _text(getattr(node, "children", None) or "")


def _has_class(node: object, name: str) -> bool:
    return name in (getattr(node, "className", None) or "").split()


def collect_kpis(layout: object) -> list[KpiLine]:
    """Every KPI card in a component tree, in page order, as the words it shows."""
    lines = []
    for node in _walk(layout):
        if not _has_class(node, "kpi-card"):
            continue
        inner = list(_walk(list(_children(node))))

        def first(name: str, nodes: list = inner) -> str:
            return next((_text(n).strip() for n in nodes if _has_class(n, name)), "")

        value = " ".join(part for part in (first("kpi-value"), first("kpi-unit")) if part)
        notes = tuple(_text(n).strip() for n in inner if any(_has_class(n, c) for c in _NOTE_CLASSES))
        lines.append(
            KpiLine(
                first("kpi-label"),
                value,
                first("kpi-period"),
                first("kpi-target"),
                first("status-badge"),
                first("kpi-method").lstrip("· ").strip(),
                notes,
            )
        )
    return lines


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


def _sources(parts: list[ChartPart]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for part in parts:
        for source in part.meta.sources:
            seen.setdefault((source.get("name"), source.get("licence")), source)
    return list(seen.values())


CSS = f"""
@page {{ size: A4; margin: 14mm 14mm 16mm 14mm; }}
body {{ font-family: {FONT_STACK}; color: #222; font-size: 11pt; }}
.title-page {{ break-after: page; padding-top: 60mm; }}
.title-page h1 {{ font-size: 24pt; margin: 0 0 6mm; }}
.title-page .meta {{ color: #555; line-height: 1.6; }}
.chart {{ break-inside: avoid; margin-bottom: 8mm; }}
.chart h2 {{ font-size: 13pt; margin: 0 0 1mm; }}
.chart .subtitle {{ color: #555; font-size: 9.5pt; margin-bottom: 2mm; }}
.chart img {{ width: 100%; border: 1px solid #ddd; }}
.caption {{ font-size: 8.5pt; color: #444; margin-top: 1mm; }}
.badge {{ background: #ffc107; color: #222; border-radius: 3px; padding: 0 4px; font-size: 8pt; }}
.sources {{ break-before: page; }}
.kpis table {{ border-collapse: collapse; width: 100%; margin-bottom: 6mm; table-layout: fixed; }}
.kpis td, .kpis th {{ text-align: left; vertical-align: top; padding: 2px 6px; border-bottom: 1px solid #ddd;
  font-size: 9.5pt; }}
.kpis td.num {{ font-weight: bold; }}
.sources td, .sources th {{ text-align: left; padding: 2px 6px; border-bottom: 1px solid #ddd; font-size: 9.5pt; }}
"""


def _kpi_row(kpi: KpiLine) -> str:
    """A table row: the status cell also names its method and the card's notes."""
    esc = html.escape
    small = "".join(f"<br><small>{esc(text)}</small>" for text in (kpi.method, *kpi.notes) if text)
    return (
        f"<tr><td>{esc(kpi.label)}</td><td class='num'>{esc(kpi.value)}</td><td>{esc(kpi.period)}</td>"
        f"<td>{esc(kpi.target)}</td><td>{esc(kpi.status)}{small}</td></tr>"
    )


def report_html(
    page_title: str,
    filters: list[tuple[str, str]],
    parts: list[ChartPart],
    images: list[bytes],
    lang: str,
    generated_at: datetime,
    kpis: list[KpiLine] = (),
) -> str:
    """The report as a standalone HTML document (images inlined, no outside requests).

    Args:
        page_title: the page's title in ``lang``.
        filters: the active filters as (name, value) pairs.
        parts: the charts, in page order.
        images: one SVG per chart, same order.
        lang: report language.
        generated_at: when the report was made.
        kpis: the page's KPI cards, in page order.

    Returns:
        HTML text.
    """
    t = translator(lang)
    esc = html.escape
    filter_text = ", ".join(f"{esc(k)} = {esc(v)}" for k, v in filters) or esc(t("none"))
    blocks = [
        f"<section class='title-page'><h1>{esc(page_title)}</h1><div class='meta'>"
        f"<div>{esc(t('Report'))} · {esc(t('Digital Tajikistan · KPI dashboard'))}</div>"
        f"<div>{esc(t('Date'))}: {esc(format_day(generated_at.date(), lang))} "
        f"({generated_at:%Y-%m-%d %H:%M} UTC)</div>"
        f"<div>{esc(t('Filters'))}: {filter_text}</div>"
        f"<div>{esc(t('Language'))}: {esc(LANGUAGES[lang])}</div>"
        f"<div>{esc(t('Charts'))}: {len(parts)}</div></div></section>"
    ]
    if kpis:
        head = "".join(
            f"<th>{esc(t(h))}</th>" for h in (N_("Indicator"), N_("Value"), N_("Period"), N_("Target"), N_("Status"))
        )
        rows = "".join(_kpi_row(k) for k in kpis)
        blocks.append(
            f"<section class='kpis'><h2>{esc(t('Key indicators'))}</h2><table>{KPI_COLUMNS}<tr>{head}</tr>{rows}"
            "</table></section>"
        )
    if not parts:
        blocks.append(f"<p>{esc(t('This page has no charts for these filters.'))}</p>")
    for part, image in zip(parts, images, strict=True):
        meta = part.meta
        badge = f"<span class='badge'>{esc(t('synthetic demo data'))}</span> " if meta.synthetic else ""
        data_uri = "data:image/svg+xml;base64," + base64.b64encode(image).decode("ascii")
        blocks.append(
            f"<section class='chart'><h2>{esc(meta.title)}</h2>"
            f"<div class='subtitle'>{esc(meta.subtitle)}</div>"
            f"<img src='{data_uri}' alt='{esc(meta.title)}'>"
            f"<div class='caption'>{badge}{esc(meta.source_line())}</div></section>"
        )
    rows = "".join(
        f"<tr><td>{esc(s.get('name', ''))}</td><td>{esc(s.get('licence', ''))}</td>"
        f"<td>{esc(t(KIND_LABELS.get(s.get('kind', ''), s.get('kind', ''))))}</td></tr>"
        for s in _sources(parts)
    )
    blocks.append(
        f"<section class='sources'><h2>{esc(t('Sources'))}</h2><table><tr><th>{esc(t('Source'))}</th>"
        f"<th>{esc(t('Licence'))}</th><th>{esc(t('Kind'))}</th></tr>{rows}</table></section>"
    )
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{esc(page_title)}</title>"
        f"<style>{CSS}</style></head><body>{''.join(blocks)}</body></html>"
    )


def report_pdf(
    page_title: str,
    filters: list[tuple[str, str]],
    layout: object,
    lang: str,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Render a page's KPI table and charts and print the report to PDF with the shared browser;
    ``progress(done, total)`` is told after each chart and after the print (a background job's bar)."""
    from exports.renderer import RENDERER

    generated_at = datetime.now(UTC)
    parts = collect_charts(layout, generated_at)
    tell = progress or (lambda _done, _total: None)
    total = len(parts) + 1
    tell(0, total)
    images = []
    for part in parts:
        images.append(RENDERER.figure(_report_figure(part.figure), "svg", CHART_WIDTH, chart_height(part.figure)))
        tell(len(images), total)
    pdf = RENDERER.pdf(report_html(page_title, filters, parts, images, lang, generated_at, collect_kpis(layout)))
    tell(total, total)
    return pdf
