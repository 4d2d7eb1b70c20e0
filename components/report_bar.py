"""The report bar above every page: the "Download report (PDF)" button, the progress of a report
job (status, bar, cancel), the message when no report came, its download, and the note shown
while a chart export job runs. Ids and classes are shared with ``pages._report`` and
``pages._exports``, which fill the texts and show or hide the parts."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

REPORT_URL = "exp-report-url"  # dcc.Location that tells the bar where we are
REPORT_BUTTON = "exp-report-button"
REPORT_BAR = "exp-report-bar"
REPORT_PROGRESS = "exp-report-progress"  # shown while a job runs: status, bar, cancel
REPORT_STATUS = "exp-report-status"
REPORT_PROGRESS_BAR = "exp-report-progress-bar"
REPORT_CANCEL = "exp-report-cancel"
REPORT_MESSAGE = "exp-report-message"  # why no report came (rate limit, database down)
REPORT_DOWNLOAD = "exp-report-download"
EXPORT_BUSY = "exp-export-busy"  # shown while a chart export job runs (pages._exports)
EXPORT_BUSY_TEXT = "exp-export-busy-text"
# Bootstrap's d-flex is !important, so parts are hidden by class, not by an inline style.
BAR_SHOWN = "d-flex justify-content-end align-items-center gap-2 mb-2 report-bar d-print-none"
BAR_HIDDEN = "d-none report-bar"
PROGRESS_SHOWN = "d-flex align-items-center gap-2 small report-progress"
PROGRESS_HIDDEN = "d-none report-progress"
MESSAGE_SHOWN = "small text-danger report-message"
MESSAGE_HIDDEN = "d-none report-message"
BUSY_SHOWN = "position-fixed bottom-0 end-0 m-3 p-2 bg-white border rounded shadow-sm small export-busy"
BUSY_HIDDEN = "d-none export-busy"


def report_bar() -> html.Div:
    """The button, its progress and message, the download, and the chart exports' busy note."""
    progress = html.Div(
        [
            html.Span(id=REPORT_STATUS),
            dbc.Progress(id=REPORT_PROGRESS_BAR, value=0, style={"width": "8rem"}, className="report-progress-bar"),
            html.Button(id=REPORT_CANCEL, className="btn btn-link btn-sm p-0"),
        ],
        id=REPORT_PROGRESS,
        className=PROGRESS_HIDDEN,
    )
    bar = html.Div(
        [
            html.Span(id=REPORT_MESSAGE, className=MESSAGE_SHOWN),
            progress,
            html.Button(id=REPORT_BUTTON, className="btn btn-outline-secondary btn-sm"),
            dcc.Download(id=REPORT_DOWNLOAD),
        ],
        id=REPORT_BAR,
        className=BAR_SHOWN,
    )
    busy = html.Div(
        [dbc.Spinner(size="sm", spinner_class_name="me-2"), html.Span(id=EXPORT_BUSY_TEXT)],
        id=EXPORT_BUSY,
        className=BUSY_HIDDEN,
        style={"zIndex": 1090},  # above the charts (plotly's mode bar is at 1001)
        role="status",
    )
    return html.Div([dcc.Location(id=REPORT_URL, refresh=False), bar, busy])
