"""One card for every chart: title, subtitle with the active filters, the chart, a caption that
names source and licence (with a badge when any of the data is synthetic), and an export menu.

Every chart of every page goes through :func:`chart_card`, so exports and provenance are added
in one place: the card carries its provenance in a small ``dcc.Store``, and one set of global
callbacks (``pages/_exports.py``) turns the live figure into PNG and SVG files and, for a chart
registered in ``exports.chart_data``, builds its CSV and XLSX data on the server from the query.
"""

from __future__ import annotations

from dataclasses import dataclass

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import Output, dcc, html

from components.chart_summary import figure_summary
from exports.chart_data import has_data
from exports.meta import ExportMeta, licence_text, safe_name, sources_records
from i18n import N_, format_quarter, normalise, translator

# No plotly logo link: the app must not point users off-site. The modebar keeps zoom, pan and
# reset only (issue 17: every extra button was one more Tab stop, 34 a page; the browser keeps
# them out of the Tab order until focus is inside the chart, assets/06_charts.js). Its camera
# saved an unlabelled "plot-image.png" (no title, source or synthetic label), so images come from
# the card's labelled Download menu alone; nothing offers an upload to a cloud service, since the
# app never sends data off-site.
MODEBAR_KEPT = ("zoom2d", "pan2d", "resetScale2d")
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": [
        *("toImage", "sendDataToCloud", "editInChartStudio"),
        *("select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"),
        *("hoverClosestCartesian", "hoverCompareCartesian", "toggleSpikelines", "toggleHover"),
        *("zoomInGeo", "zoomOutGeo", "resetGeo", "hoverClosestGeo", "resetViews", "resetViewMapbox"),
    ],
}

# Pattern-matching id types: one callback serves every chart's menu (see pages/_exports.py).
EXPORT_ITEM = "exp-item"  # {"type", "chart", "fmt"}: a menu entry
EXPORT_META = "exp-meta"  # {"type", "chart"}: dcc.Store with provenance
EXPORT_REQUEST = "exp-request"  # {"type", "chart"}: dcc.Store the browser fills with the live figure
EXPORT_DOWNLOAD = "exp-download"  # {"type", "chart"}: dcc.Download
CHART_ATTRIBUTE = "data-exp-chart"  # on the div around the graph, so the browser can find the figure

# The fixed list of formats, in menu order.
FORMATS = (
    ("png", N_("PNG image (2x)")),
    ("svg", N_("SVG image")),
    ("csv", N_("CSV data")),
    ("xlsx", N_("Excel data (XLSX)")),
)
IMAGE_FORMATS, DATA_FORMATS = ("png", "svg"), ("csv", "xlsx")


def chart_key(chart_id: str | dict) -> str:
    """A string naming the chart in export ids: the id itself, or a dict id's values joined."""
    if isinstance(chart_id, dict):
        return safe_name("-".join(str(chart_id[k]) for k in sorted(chart_id)))
    return safe_name(str(chart_id))


def is_synthetic(sources: pd.DataFrame) -> bool:
    return bool(len(sources)) and bool((sources["kind"] == "synthetic").any())


def synthetic_badge(lang: str | None = None) -> dbc.Badge:
    return dbc.Badge(
        translator(lang)("synthetic demo data"), color="warning", text_color="dark", className="me-2 synthetic-badge"
    )


def source_caption(sources: pd.DataFrame, lang: str | None = None) -> html.Div:
    """Caption naming each source with its licence; a badge if any source is synthetic.

    Args:
        sources: rows with columns ``name``, ``licence`` and ``kind`` (one per source used).
        lang: UI language.
    """
    t = translator(lang)
    items = [f"{row.name} ({licence_text(row.licence, lang)})" for row in sources.itertuples()]
    parts = [html.Span(f"{t('Source')}: " + ("; ".join(items) if items else t("none")))]
    if is_synthetic(sources):
        parts.insert(0, synthetic_badge(lang))
    return html.Div(parts, className="chart-caption small text-muted")


def table_downloads(key: str, lang: str | None = None) -> list:
    """A table card's download menu (CSV and XLSX of its registered data, no images) and the
    stores the export callbacks read: the same callbacks as a chart's menu."""
    return [
        export_menu(key, lang, formats=DATA_FORMATS),
        dcc.Store(id={"type": EXPORT_META, "chart": key}, data={"name": key, "lang": normalise(lang)}),
        dcc.Store(id={"type": EXPORT_REQUEST, "chart": key}),
        dcc.Download(id={"type": EXPORT_DOWNLOAD, "chart": key}),
    ]


def export_menu(key: str, lang: str | None = None, formats: tuple[str, ...] | None = None) -> dbc.DropdownMenu:
    """The chart's download menu: one entry per format in :data:`FORMATS`; CSV and XLSX only
    for a chart whose data the server builds (``exports.chart_data``)."""
    t = translator(lang)
    items = [
        dbc.DropdownMenuItem(t(label), id={"type": EXPORT_ITEM, "chart": key, "fmt": fmt}, n_clicks=0)
        for fmt, label in FORMATS
        if (formats is None or fmt in formats) and (fmt in IMAGE_FORMATS or has_data(key))
    ]
    return dbc.DropdownMenu(
        items,
        label=t("Download"),
        size="sm",
        color="light",
        align_end=True,
        className="export-menu ms-auto",
        toggle_class_name="export-menu-toggle",
    )


@dataclass(frozen=True)
class ChartContent:
    """What a chart card shows for one view: built once, drawn by :func:`chart_card` in the first
    view and sent by a callback as :func:`chart_values` for every later filter change."""

    title: str
    figure: go.Figure | dict
    sources: pd.DataFrame
    subtitle: str = ""
    lang: str | None = None
    summary: str | None = None  # the one-sentence summary, when the figure's traces cannot give it

    def summary_text(self) -> str:
        """The sentence under the chart: :attr:`summary`, or one made from the figure's data."""
        return self.summary if self.summary is not None else figure_summary(self.figure, self.lang)


def _part_id(chart_id: str | dict, part: str) -> str:
    return f"{chart_key(chart_id)}-{part}"


def chart_outputs(chart_id: str | dict) -> list[Output]:
    """The outputs a callback updates for one chart card, in the order of :func:`chart_values`:
    the figure, title, subtitle, summary, source caption and export metadata (the card itself
    stays)."""
    return [
        Output(chart_id, "figure"),
        Output(_part_id(chart_id, "title"), "children"),
        Output(_part_id(chart_id, "subtitle"), "children"),
        Output(_part_id(chart_id, "summary"), "children"),
        Output(_part_id(chart_id, "caption"), "children"),
        Output({"type": EXPORT_META, "chart": chart_key(chart_id)}, "data"),
    ]


def _export_meta(key: str, content: ChartContent) -> dict:
    meta = ExportMeta(
        title=content.title,
        subtitle=content.subtitle,
        sources=sources_records(content.sources),
        lang=normalise(content.lang),
        name=safe_name(key),
    ).to_json()
    meta.pop("exported_at")  # stamped when the file is made
    return meta


def chart_values(chart_id: str | dict, content: ChartContent) -> tuple:
    """The values for :func:`chart_outputs`: a filter change redraws the chart in its card."""
    return (
        content.figure,
        content.title,
        content.subtitle,
        content.summary_text(),
        source_caption(content.sources, content.lang),
        _export_meta(chart_key(chart_id), content),
    )


def chart_card_of(chart_id: str | dict, content: ChartContent) -> dbc.Card:
    """:func:`chart_card` from a :class:`ChartContent`."""
    return chart_card(
        chart_id,
        content.title,
        content.figure,
        content.sources,
        subtitle=content.subtitle,
        lang=content.lang,
        summary=content.summary,
    )


def chart_card(
    chart_id: str | dict,
    title: str,
    figure: go.Figure,
    sources: pd.DataFrame,
    subtitle: str = "",
    lang: str | None = None,
    summary: str | None = None,
) -> dbc.Card:
    """A titled card holding one chart, its summary in words, a "Show as table" toggle, its
    source caption and its export menu.

    The chart is a figure for assistive technology: named by the card's title, described by the
    summary (a sentence made from the figure's data, :mod:`components.chart_summary`), and
    focusable, so its modebar joins the Tab order only while focus is inside it. The toggle
    shows the chart's numbers as a table, built in the browser from the live figure
    (``assets/06_charts.js``), so it costs the first page load nothing and follows every filter.

    Args:
        chart_id: the ``dcc.Graph`` id (a string or a pattern-matching dict).
        title: chart title in the UI language.
        figure: the plotly figure.
        sources: the sources of the data shown (see :func:`source_caption`).
        subtitle: the active filters, in words.
        lang: UI language.
        summary: the summary sentence, when the figure's traces cannot give it (a map).

    Returns:
        A ``dbc.Card`` with class ``chart-card``.
    """
    t = translator(lang)
    key = chart_key(chart_id)
    content = ChartContent(title, figure, sources, subtitle, lang, summary)
    title_id, summary_id, table_id = (_part_id(chart_id, p) for p in ("title", "summary", "table"))
    header_text = [
        html.H2(title, id=title_id, className="h6 mb-0"),
        html.Div(subtitle, id=_part_id(chart_id, "subtitle"), className="small text-muted chart-subtitle"),
    ]
    header = html.Div([html.Div(header_text, className="me-2"), export_menu(key, lang)], className="d-flex")
    return dbc.Card(
        [
            dbc.CardHeader(header),
            dbc.CardBody(
                [
                    html.Div(
                        dcc.Graph(id=chart_id, figure=figure, config=GRAPH_CONFIG, className="chart"),
                        role="figure",
                        tabIndex="0",
                        className="chart-figure",
                        **{CHART_ATTRIBUTE: key, "aria-labelledby": title_id, "aria-describedby": summary_id},
                    ),
                    html.P(content.summary_text(), id=summary_id, className="small text-muted chart-summary mb-1"),
                    html.Button(
                        t("Show as table"),
                        type="button",
                        className="btn btn-link btn-sm p-0 chart-table-toggle",
                        **{
                            "aria-expanded": "false",
                            "aria-controls": table_id,
                            "data-show": t("Show as table"),
                            "data-hide": t("Hide table"),
                            "data-period": t("Period"),
                            "data-category": t("Category"),
                            "data-value": t("Value"),
                            # the table names quarters as the page does: "{year}" stands for the year
                            "data-quarters": "|".join(
                                format_quarter(f"1000-Q{q}", lang).replace("1000", "{year}") for q in range(1, 5)
                            ),
                        },
                    ),
                    html.Div(id=table_id, hidden=True, className="chart-table table-responsive mt-2"),
                ]
            ),
            dbc.CardFooter(source_caption(sources, lang), id=_part_id(chart_id, "caption")),
            dcc.Store(id={"type": EXPORT_META, "chart": key}, data=_export_meta(key, content)),
            dcc.Store(id={"type": EXPORT_REQUEST, "chart": key}),
            dcc.Download(id={"type": EXPORT_DOWNLOAD, "chart": key}),
        ],
        className="h-100 shadow-sm chart-card",
    )
