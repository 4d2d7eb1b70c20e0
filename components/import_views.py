"""The pieces of the import page (``pages/import_data.py``): pure functions, data in, components out.

The dry run's report arrives as the JSON record kept next to the upload
(``data_loaders.audit.report_record``): kind, encoding, separator, counts per indicator,
problems as ``[row, column, value, reason]``, warnings and the preview of the main KPI.
Problems and warnings are the loader's words (English); everything around them is translated.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from components.chart_card import chart_card
from components.figures import FONT, LEGEND_BELOW, PALETTE, TEMPLATE_JSON
from i18n import N_, format_number, translator

# Component ids, named once.
UPLOAD = "import-upload"
TOKEN = "import-token"  # dcc.Store: the staged upload's token
CHECKED = "import-checked"  # dcc.Store: the token whose dry run was clean ("" otherwise)
LOADED = "import-loaded"  # dcc.Store: {"token", "ok"} of the last load asked for
CHECKING, LOADING = "import-checking", "import-loading"  # dcc.Store: a job is running
UPLOAD_MESSAGE = "import-upload-message"
PROGRESS_BOX, PROGRESS = "import-progress-box", "import-progress"
PROGRESS_TEXT = "import-progress-text"  # rows per second and time left, under the bar
LOAD_PROGRESS_BOX, LOAD_PROGRESS = "import-load-progress-box", "import-load-progress"
LOAD_PROGRESS_TEXT = "import-load-progress-text"
RESULT = "import-result"
PROBLEMS_TABLE = "import-problems"
COUNTS_TABLE = "import-counts"
WARNINGS = "import-warnings"
PREVIEW = "import-preview"
PROBLEMS_BUTTON, PROBLEMS_DOWNLOAD = "import-problems-button", "import-problems-download"
LOAD_BUTTON = "import-load"
LOAD_RESULT = "import-load-result"
LOAD_MESSAGE = "import-load-message"
REFUSED = "import-refused"

MAX_SHOWN = 200  # problems listed on the page; all of them are in the CSV
HIDDEN, SHOWN = "d-none", "mt-3"

THEME_NAMES = {
    "connectivity": N_("connectivity"),
    "it_sector": N_("IT sector"),
    "park": N_("IT Park"),
    "population": N_("population"),
    "reference": N_("reference data (sources, indicators, places)"),
}
# The page a theme's data is shown on, with the name of its link.
THEME_PAGES = {
    "connectivity": ("/connectivity", N_("Connectivity")),
    "it_sector": ("/it-sector", N_("IT sector")),
    "park": ("/park", N_("IT Park")),
    "population": ("/data", N_("Data & sources")),
    "reference": ("/data", N_("Data & sources")),
}
KIND_NAMES = {
    "observations": N_("observations (indicator values)"),
    "targets": N_("targets"),
    "sources": N_("sources"),
    "indicators": N_("indicators"),
    "geo": N_("places (regions and districts)"),
    "it_companies": N_("IT companies"),
    "it_company_years": N_("IT companies by year"),
    "park_buildings": N_("IT Park buildings"),
    "park_units": N_("IT Park units"),
    "park_tenants": N_("IT Park tenants"),
    "park_leases": N_("IT Park leases"),
}
SEPARATOR_NAMES = {",": N_("comma"), ";": N_("semicolon"), "\t": N_("tab"), "|": N_("vertical bar")}
# The loader's completeness warning, in English, so the page can say it in the UI language.
COMPLETENESS = re.compile(
    r"(?P<indicator>\S+) \((?P<breakdown>[^)]*)\) (?P<period>\S+): (?P<reported>\d+) of (?P<expected>\d+) "
    r"districts reported \((?P<share>[^%]*) % of population\)"
)
PROVISIONAL = (
    "{period}: {reported} of {expected} districts reported ({share} % of population) — provisional, not shown in totals"
)


def theme_list(themes, lang: str | None) -> str:
    t = translator(lang)
    return ", ".join(t(THEME_NAMES.get(theme, theme)) for theme in themes)


def refusal(signed_in: bool, lang: str | None) -> html.Div:
    """What the page shows instead of its controls to someone who may not import."""
    t = translator(lang)
    if not signed_in:
        href = "/login?" + urlencode({"next": "/import", "lang": lang or ""})
        body = [
            t("Importing data is for ministry and park staff. Please sign in with a staff account."),
            " ",
            html.A(t("Sign in"), href=href, id="import-login-link", className="alert-link"),
        ]
    else:
        body = [t("Your account may not import data. Ask an administrator for a staff account.")]
    return html.Div(
        [html.H1(t("Import data"), className="h3"), dbc.Alert(body, color="info", id=REFUSED)],
    )


def how_to(lang: str | None) -> html.Ol:
    t = translator(lang)
    steps = [
        t("Choose a CSV or XLSX file: the columns and codes are those of the files on the Data & sources page."),
        t("The file is checked first; nothing is written. Every problem is listed with its row and column."),
        t("Fix the problems in your file and upload it again, until the check finds none."),
        t("Look at the preview of what the main indicator becomes, then press Load to write the file."),
    ]
    return html.Ol([html.Li(step) for step in steps], className="mb-3")


def upload_panel(lang: str | None, max_bytes: int, themes_text: str) -> list:
    """The how-to, the account's themes, the upload area and the places the results appear in."""
    t = translator(lang)
    limit = format_number(max_bytes / 1024 / 1024, 0 if max_bytes % (1024 * 1024) == 0 else 1, lang)
    return [
        html.H1(t("Import data"), className="h3"),
        html.P(t("Load the new month's or quarter's data from a CSV or XLSX file."), className="text-muted"),
        how_to(lang),
        html.P([html.Strong(t("You may load:") + " "), html.Span(themes_text, id="import-themes")]),
        dcc.Upload(
            html.Div(
                [
                    html.Strong(t("Drag a file here or click to choose one")),
                    html.Div(t("CSV or XLSX, at most {size} MB").format(size=limit), className="small text-muted"),
                ]
            ),
            id=UPLOAD,
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            max_size=max_bytes,
            multiple=False,
            className="border border-2 rounded p-4 text-center bg-light",
            className_active="border border-2 border-primary rounded p-4 text-center bg-white",
            className_reject="border border-2 border-danger rounded p-4 text-center bg-light",
            style={"borderStyle": "dashed", "cursor": "pointer"},
        ),
        html.Div(id=UPLOAD_MESSAGE, className="mt-2", role="status"),
        html.Div(
            [
                html.Div(t("Checking the file: rows validated"), className="small mb-1"),
                _progress_bar(PROGRESS, PROGRESS_TEXT),
            ],
            id=PROGRESS_BOX,
            className=HIDDEN,
        ),
        html.Div(id=RESULT, className="mt-3"),
        html.Div(
            [
                dbc.Button(t("Load"), id=LOAD_BUTTON, color="primary", disabled=True, n_clicks=0),
                html.Span(
                    " " + t("Enabled once the check found no problems."), className="small text-muted align-middle"
                ),
            ],
            className="mt-3",
        ),
        html.Div(
            [
                html.Div(t("Loading the file: rows validated, then written"), className="small mb-1"),
                _progress_bar(LOAD_PROGRESS, LOAD_PROGRESS_TEXT),
            ],
            id=LOAD_PROGRESS_BOX,
            className=HIDDEN,
        ),
        html.Div(html.Div(id=LOAD_MESSAGE), id=LOAD_RESULT, className=HIDDEN, role="status"),
        dcc.Store(id=TOKEN),
        dcc.Store(id=CHECKED, data=""),
        dcc.Store(id=LOADED),
        dcc.Store(id=CHECKING, data=False),
        dcc.Store(id=LOADING, data=False),
        dcc.Download(id=PROBLEMS_DOWNLOAD),
    ]


def _progress_bar(bar_id: str, text_id: str) -> html.Div:
    """A job's progress: the bar (rows of the file's rows) and, under it, its pace and time left."""
    return html.Div(
        [
            dbc.Progress(id=bar_id, value=0, label="", striped=True, animated=True, style={"height": "1.5rem"}),
            html.Div(id=text_id, className="small text-muted mt-1", **{"aria-live": "polite"}),
        ]
    )


def message(text: str, color: str = "danger") -> dbc.Alert:
    return dbc.Alert(text, color=color, className="mb-0")


def warning_text(warning: str, lang: str | None, names: dict[str, str] | None = None) -> str:
    """A loader warning in the UI language where it is a completeness warning (with the
    indicator's name from ``names``), else as it is."""
    found = COMPLETENESS.search(warning)
    if not found:
        return warning
    t = translator(lang)
    note = t(PROVISIONAL).format(
        period=found["period"], reported=found["reported"], expected=found["expected"], share=found["share"]
    )
    name = (names or {}).get(found["indicator"]) or found["indicator"]
    breakdown = "" if found["breakdown"] == "total" else f" ({found['breakdown']})"
    return f"{name}{breakdown}: {note}"


def _table(caption: str, head: list[str], rows: list[list], table_id: str) -> html.Table:
    return html.Table(
        [
            html.Caption(caption, className="caption-top"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
            html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
        ],
        id=table_id,
        className="table table-sm table-striped align-middle",
    )


def counts_table(by_indicator: dict, names: dict[str, str], lang: str | None) -> html.Table:
    """Rows new, revised and unchanged per indicator (the indicator's name in the UI language)."""
    t = translator(lang)
    rows = [
        [
            html.Span([names.get(code) or code, html.Br(), html.Small(code, className="text-muted")]),
            format_number(counts.get("inserted", 0), 0, lang),
            format_number(counts.get("revised", 0), 0, lang),
            format_number(counts.get("unchanged", 0), 0, lang),
        ]
        for code, counts in by_indicator.items()
    ]
    head = [t("Indicator"), t("New"), t("Revised"), t("Unchanged")]
    return _table(t("Rows per indicator"), head, rows, COUNTS_TABLE)


def problems_table(problems: list, more: int, lang: str | None, limit: int = MAX_SHOWN) -> html.Div:
    """Every problem as row, column, value, reason (at most ``limit`` shown, the rest counted)."""
    t = translator(lang)
    shown = problems[:limit]
    rows = [[row or t("file"), column or "—", value or "", reason] for row, column, value, reason in shown]
    hidden = len(problems) - len(shown) + more
    total = len(problems) + more
    caption = t("Problems found: {count}. Nothing was written.").format(count=format_number(total, 0, lang))
    parts = [_table(caption, [t("Row"), t("Column"), t("Value"), t("Reason")], rows, PROBLEMS_TABLE)]
    if hidden:
        parts.append(
            html.P(t("… and {count} more (all are in the CSV file).").format(count=format_number(hidden, 0, lang)))
        )
    parts.append(dbc.Button(t("Download problems (CSV)"), id=PROBLEMS_BUTTON, color="secondary", outline=True))
    return html.Div(parts, className="table-responsive")


def problems_csv(record: dict) -> str:
    """The problems of a report as CSV (UTF-8, one per line), the way staff fix a file: row,
    column, value, reason. Cells starting like a formula are quoted with ``'``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "column", "value", "reason"])
    for row in record.get("problems", []):
        writer.writerow([_no_formula(cell) for cell in row])
    if record.get("more_problems"):
        writer.writerow(["", "", "", f"... and {record['more_problems']} more not listed"])
    return out.getvalue()


def _no_formula(cell: object) -> object:
    text = "" if cell is None else cell
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def summary(record: dict, lang: str | None) -> html.Dl:
    """Kind detected, rows read, encoding and separator."""
    t = translator(lang)
    separator = record.get("separator") or ""
    items = [
        (t("File"), record.get("file") or ""),
        (t("Kind of data"), t(KIND_NAMES.get(record.get("kind") or "", record.get("kind") or "—"))),
        (t("Rows read"), format_number(record.get("rows", 0), 0, lang)),
        (t("Encoding"), record.get("encoding") or "—"),
        (t("Separator"), t(SEPARATOR_NAMES[separator]) if separator in SEPARATOR_NAMES else separator or "—"),
    ]
    children = []
    for term, value in items:
        children += [html.Dt(term, className="col-sm-3"), html.Dd(value, className="col-sm-9 mb-1")]
    return html.Dl(children, className="row mb-2", id="import-summary")


def preview_figure(preview: dict, unit: str, lang: str | None, height: int = 320) -> go.Figure:
    """The main KPI's national series before and after the file: two labelled lines."""
    t = translator(lang)
    periods = sorted({p for p, _ in preview["before"]} | {p for p, _ in preview["after"]})
    hover = "%{x}: %{y:,.1f} " + unit + "<extra>%{fullData.name}</extra>"
    incomplete = set(preview.get("incomplete") or ())
    after = [(p, value) for p, value in preview["after"] if p not in incomplete]
    provisional = [(p, value) for p, value in preview["after"] if p in incomplete]
    traces = []
    # the line before is wide and pale under the line after, so where they agree both are seen
    for name, points, color, width in (
        (t("Before this file"), preview["before"], "#b8c2cc", 6),
        (t("After loading this file"), after, PALETTE[0], 2),
    ):
        values = dict(points)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": periods,
                "y": [values.get(p) for p in periods],
                "name": name,
                "line": {"color": color, "width": width},
                "hovertemplate": hover,
                "connectgaps": False,
            }
        )
    if provisional:  # too few districts reported: the dashboard keeps these out of its totals
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [p for p, _ in provisional],
                "y": [value for _, value in provisional],
                "name": t("Provisional: too few districts, not in totals"),
                "marker": {"color": PALETTE[1], "symbol": "circle-open", "size": 10},
                "hovertemplate": hover,
            }
        )
    layout = {
        "template": TEMPLATE_JSON,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": {**LEGEND_BELOW},
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": periods},
        "yaxis": {"title": {"text": unit}},
        "hovermode": "x unified",
        "font": FONT,
    }
    return go.Figure({"data": traces, "layout": layout}, _validate=False)


def preview_card(preview: dict, name: str, unit: str, sources: pd.DataFrame, lang: str | None):
    """The preview chart in a chart card: the indicator's name as title, its source (with the
    synthetic badge) as caption."""
    t = translator(lang)
    changed = [p for p, v in preview["after"] if dict(preview["before"]).get(p) != v]
    subtitle = t("National value, as the dashboard shows it")
    if changed:
        subtitle += " · " + t("changed: {periods}").format(periods=", ".join(changed[:8]))
    if preview.get("incomplete"):
        subtitle += " · " + t("not yet in totals: {periods}").format(periods=", ".join(preview["incomplete"][:8]))
    title = t("Preview: {indicator}").format(indicator=name)
    return html.Div(
        chart_card(PREVIEW, title, preview_figure(preview, unit, lang), sources, subtitle, lang),
        className="mt-3",
    )


def report_view(record: dict, lang: str | None, names: dict[str, str], preview: object | None = None) -> html.Div:
    """The dry run: summary, problems (or the counts), warnings, preview."""
    t = translator(lang)
    parts: list = [html.H2(t("Check of the file"), className="h5"), summary(record, lang)]
    if record.get("ok"):
        parts.append(message(t("No problems found. Nothing is written until you press Load."), "success"))
    else:
        parts.append(problems_table(record.get("problems", []), record.get("more_problems", 0), lang))
    warnings = record.get("warnings") or []
    if warnings:
        parts.append(
            dbc.Alert(
                [html.Strong(t("Warnings")), html.Ul([html.Li(warning_text(w, lang, names)) for w in warnings])],
                color="warning",
                id=WARNINGS,
                className="mt-3",
            )
        )
    if record.get("ok") and record.get("by_indicator"):
        parts.append(counts_table(record["by_indicator"], names, lang))
    elif record.get("ok"):
        s = record.get("stats", {})
        parts.append(
            html.P(
                t("New: {new}, revised: {revised}, updated: {updated}, unchanged: {unchanged}").format(
                    new=s.get("inserted", 0),
                    revised=s.get("revised", 0),
                    updated=s.get("updated", 0),
                    unchanged=s.get("unchanged", 0),
                ),
                id=COUNTS_TABLE,
            )
        )
    if preview is not None:
        parts.append(preview)
    return html.Div(parts)


def loaded_view(batch_id: int, themes: list[str], lang: str | None, kind: str | None = None) -> dbc.Alert:
    """ "Loaded as import batch N" with links to the pages that show the data."""
    t = translator(lang)
    pages = [("/targets", N_("Targets"))] if kind == "targets" else []
    for theme in themes:
        page = THEME_PAGES.get(theme)
        if page and page not in pages:
            pages.append(page)
    links = []
    for path, label in pages or [THEME_PAGES["reference"]]:
        links += [" ", dcc.Link(t(label), href=f"{path}?{urlencode({'lang': lang or ''})}", className="alert-link")]
    return dbc.Alert(
        [
            html.Strong(t("Loaded as import batch {number}.").format(number=batch_id)),
            " ",
            t("See it on:"),
            *links,
        ],
        color="success",
        id="import-loaded-alert",
        className="mb-0",
    )
