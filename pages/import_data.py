"""Import: staff load a CSV/XLSX file in the browser, through the same loader as the command line.

The workflow, each step checked on the server (``accounts.web.requires``):

1. upload (``UPLOAD``): the file is staged under a random token (``data_loaders.staging``);
2. dry run (``UPLOAD``, a background job with a progress bar): ``load_file(dry_run=True)`` with the
   account's themes; its report is kept next to the upload and drawn (kind, encoding, counts per
   indicator, every problem, the completeness warnings, a preview of the main KPI); a file with
   problems is recorded as a ``rejected`` import batch (``data_loaders.audit``);
3. load (``LOAD``, a background job): only a token whose dry run was clean, once; the loader writes
   it in one transaction as an import batch named after the account, then the upload is removed.

The jobs run without a request: the account they act for is put into their arguments by the
admission checks below, in the web worker, from the session, never from what the browser sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import dash
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate
from flask import current_app

import background_jobs
from accounts.roles import LOAD, THEME_OF_KIND, UPLOAD, allowed, theme_scope
from accounts.web import can, current_account, requires
from components import import_views as v
from components.import_progress import PageProgress
from data_loaders import audit, cached, staging
from data_loaders.cached import DatabaseUnavailable, query
from data_loaders.load import load_file
from data_loaders.queries import common
from i18n import N_, format_number, normalise, translator

log = logging.getLogger("dashboard")

dash.register_page(
    __name__,
    path="/import",
    name=N_("Import"),
    title="Import data",
    order=6,
    permission=UPLOAD,
    description="Staff load new data from CSV/XLSX files: check, preview, load.",
)

LANG = "import-lang"  # dcc.Store: the page's language
NOT_NOW = N_("The file could not be checked now. Please try again in a minute.")
LOAD_FAILED = N_("The file could not be loaded now. Nothing was written. Please try again in a minute.")
NOT_ALLOWED = N_("Your account may not do this.")
CHECK_FIRST = N_("Check the file first: only a file without problems can be loaded.")
REFUSED_AT_LOAD = N_("The file was not loaded: {count} problem(s) found. Nothing was written.")


def _root() -> Path:
    return Path(current_app.config["UPLOADS_DIR"])


def _themes_text(account, lang: str) -> str:
    t = translator(lang)
    scope = theme_scope(account.role, account.themes)
    if scope is None:
        return t("every theme")
    return v.theme_list(sorted(scope), lang) if scope else t("no theme yet: ask an administrator")


def layout(lang: str | None = None, **_params) -> html.Div:
    lang = normalise(lang)
    account = current_account()
    if not can(UPLOAD):  # in-app navigation reaches here through the router, which the guard lets through
        return html.Div(v.refusal(account is not None, lang), className="import-page")
    return html.Div(
        [
            dcc.Store(id=LANG, data=lang),
            *v.upload_panel(lang, current_app.config["IMPORT_MAX_BYTES"], _themes_text(account, lang)),
        ],
        className="import-page",
    )


def _why(error: staging.StagingError, lang: str | None) -> str:
    return translator(lang)(error.reason).format(**error.values)


@callback(
    Output(v.TOKEN, "data"),
    Output(v.UPLOAD_MESSAGE, "children"),
    Input(v.UPLOAD, "contents"),
    State(v.UPLOAD, "filename"),
    State(LANG, "data"),
    prevent_initial_call=True,
)
@requires(UPLOAD)
def stage_upload(contents: str | None, filename: str | None, lang: str | None):
    """Put the upload aside under a new token; the dry run starts from the token."""
    if contents is None:
        raise PreventUpdate
    t = translator(lang)
    account = current_account()
    try:
        staged = staging.stage(
            _root(), account.username, filename, staging.decode(contents), current_app.config["IMPORT_MAX_BYTES"]
        )
    except staging.StagingError as exc:
        return "", v.message(_why(exc, lang))
    except OSError as exc:  # the uploads folder cannot be written: say so, log why
        log.error("upload not staged: %s", exc)
        return "", v.message(t(NOT_NOW))
    log.info("%s uploaded %s (%d bytes, sha256 %s)", account.username, staged.name, staged.size, staged.sha256[:12])
    size = format_number(staged.size / 1024, 1, lang)
    return staged.token, html.Span(t("Received {name} ({size} KB).").format(name=staged.name, size=size))


def _job_account() -> dict:
    """The signed-in account, for a job's arguments (the job has no request to ask)."""
    account = current_account()
    if account is None:
        raise PreventUpdate
    return {"username": account.username, "role": account.role, "themes": list(account.themes)}


@background_jobs.admission(v.RESULT)
def admit_check(args: list) -> list:
    """In the web worker: a token of this account's; the job gets the account from the session."""
    token, lang = args[0], args[1]
    if not token or not can(UPLOAD):
        raise PreventUpdate
    job = _job_account()
    try:
        staging.open_staged(_root(), token, job["username"])
    except staging.StagingError as exc:
        raise background_jobs.JobRefused(_why(exc, lang)) from None
    return [token, lang, job]


def _failure_text(error: Exception, text: str) -> str:
    if isinstance(error, background_jobs.JobRefused):
        return str(error)
    log.error("import job failed: %s", error, exc_info=error)  # JobsBusy, a job process that died
    return translator(dash.ctx.states.get(f"{LANG}.data"))(text)


def _check_failed(error: Exception) -> tuple:
    """``on_error`` of the dry run: why, and no file to load."""
    return v.message(_failure_text(error, NOT_NOW)), ""


def _load_failed(error: Exception) -> tuple:
    """``on_error`` of the load: why; the button stays off for this token (a new upload turns it on)."""
    token = dash.ctx.states.get(f"{v.CHECKED}.data")
    return v.message(_failure_text(error, LOAD_FAILED)), {"token": token, "ok": False, "refused": True}


def _names(codes, lang: str) -> dict[str, str]:
    names = {}
    for code in codes:
        meta = query(common.indicator, code, lang)
        names[code] = meta["name"] if meta else code
    return names


def _preview(record: dict, lang: str):
    preview = record.get("preview")
    if not preview or not preview.get("after"):
        return None
    meta = query(common.indicator, preview["indicator_code"], lang)
    if meta is None:
        return None
    sources = query(common.sources, [meta["source_code"]], lang=lang)
    return v.preview_card(preview, meta["name"], meta["unit"] or "", sources, lang)


def check_view(record: dict, lang: str) -> html.Div:
    names = _names(record.get("by_indicator", {}), lang)
    return v.report_view(record, lang, names, _preview(record, lang) if record.get("ok") else None)


@callback(
    Output(v.RESULT, "children"),
    Output(v.CHECKED, "data"),
    Input(v.TOKEN, "data"),
    State(LANG, "data"),
    background=True,
    running=[
        (Output(v.CHECKING, "data"), True, False),
        (Output(v.PROGRESS_BOX, "className"), v.SHOWN, v.HIDDEN),
        (Output(v.UPLOAD, "disabled"), True, False),
    ],
    progress=[Output(v.PROGRESS, "value"), Output(v.PROGRESS, "label"), Output(v.PROGRESS_TEXT, "children")],
    progress_default=[0, "", ""],
    interval=400,
    on_error=_check_failed,
    prevent_initial_call=True,
)
@requires(UPLOAD)
@background_jobs.in_app_context
def check_upload(set_progress: Callable, token: str, lang: str | None, job: dict | None = None):
    """The dry run, in a job: validate every row as the loader would load it, write nothing."""
    lang = normalise(lang)
    t = translator(lang)
    if not job or not allowed(job.get("role"), UPLOAD, False):
        return v.message(t(NOT_ALLOWED)), ""
    root = _root()
    try:
        staged = staging.open_staged(root, token, job["username"])
    except staging.StagingError as exc:
        return v.message(_why(exc, lang)), ""
    path = staged.path(root)
    progress = PageProgress(set_progress, staging.data_rows(path), lang)
    try:
        engine = cached.engine()
        scope = theme_scope(job["role"], job["themes"])
        report = load_file(engine, path, dry_run=True, themes=scope, loaded_by=job["username"], progress=progress)
        record = audit.report_record(report)
        if not record["ok"]:
            record["rejected_batch"] = audit.record_rejected(engine, report, job["username"], staged.sha256)
        staging.save_report(root, staged, record)
        view = check_view(record, lang)
    except (DatabaseUnavailable, OSError) as exc:
        log.error("dry run of %s failed: %s", staged.name, exc)
        return v.message(t(NOT_NOW)), ""
    log.info("%s checked %s: %s", job["username"], staged.name, "clean" if record["ok"] else "rejected")
    return view, token if record["ok"] else ""


@callback(
    Output(v.PROBLEMS_DOWNLOAD, "data"),
    Input(v.PROBLEMS_BUTTON, "n_clicks"),
    State(v.TOKEN, "data"),
    prevent_initial_call=True,
)
@requires(UPLOAD)
def download_problems(clicks: int | None, token: str | None):
    """The problems of the checked upload as CSV, built on the server from its stored report."""
    if not clicks:
        raise PreventUpdate
    account = current_account()
    root = _root()
    try:
        staged = staging.open_staged(root, token, account.username if account else None)
    except staging.StagingError:
        raise PreventUpdate from None
    record = staging.read_report(root, staged)
    if record is None:
        raise PreventUpdate
    stem = Path(staged.name).stem
    return dcc.send_string(v.problems_csv(record), f"{stem}_problems.csv", type="text/csv")


@background_jobs.admission(v.LOAD_MESSAGE)
def admit_load(args: list) -> list:
    """In the web worker: a clean dry run of this account's upload; the job gets the account."""
    clicks, token, lang = args[0], args[1], args[2]
    t = translator(lang)
    if not clicks or not can(LOAD):
        raise PreventUpdate
    job = _job_account()
    root = _root()
    try:
        staged = staging.open_staged(root, token, job["username"])
    except staging.StagingError as exc:
        raise background_jobs.JobRefused(_why(exc, lang)) from None
    record = staging.read_report(root, staged)
    if record is None or not record.get("ok"):
        raise background_jobs.JobRefused(t(CHECK_FIRST))
    return [clicks, token, lang, job]


def _themes_of(record: dict, lang: str) -> list[str]:
    if record.get("kind") in ("observations", "targets"):
        themes = []
        for code in record.get("by_indicator") or {}:
            meta = query(common.indicator, code, lang)
            if meta and meta["theme"] not in themes:
                themes.append(meta["theme"])
        return themes
    theme = THEME_OF_KIND.get(record.get("kind") or "")
    return [theme] if theme else []


@callback(
    Output(v.LOAD_MESSAGE, "children"),
    Output(v.LOADED, "data"),
    Input(v.LOAD_BUTTON, "n_clicks"),
    State(v.CHECKED, "data"),
    State(LANG, "data"),
    background=True,
    running=[
        (Output(v.LOADING, "data"), True, False),
        (Output(v.LOAD_PROGRESS_BOX, "className"), v.SHOWN, v.HIDDEN),
    ],
    progress=[
        Output(v.LOAD_PROGRESS, "value"),
        Output(v.LOAD_PROGRESS, "label"),
        Output(v.LOAD_PROGRESS_TEXT, "children"),
    ],
    progress_default=[0, "", ""],
    interval=400,
    on_error=_load_failed,
    prevent_initial_call=True,
)
@requires(LOAD)
@background_jobs.in_app_context
def load_upload(set_progress: Callable, _clicks: int, token: str, lang: str | None, job: dict | None = None):
    """The load, in a job: the very loader of the command line, one transaction, once per upload."""
    lang = normalise(lang)
    t = translator(lang)
    if not job or not allowed(job.get("role"), LOAD, False):
        return v.message(t(NOT_ALLOWED)), {"token": token, "ok": False}
    root = _root()
    try:
        staged = staging.open_staged(root, token, job["username"])
        record = staging.read_report(root, staged)
        if record is None or not record.get("ok"):
            return v.message(t(CHECK_FIRST)), {"token": token, "ok": False}
        staging.claim(root, staged)
    except staging.StagingError as exc:
        return v.message(_why(exc, lang)), {"token": token, "ok": False}
    try:
        scope = theme_scope(job["role"], job["themes"])
        path = staged.path(root)
        progress = PageProgress(set_progress, staging.data_rows(path), lang)
        report = load_file(cached.engine(), path, themes=scope, loaded_by=job["username"], progress=progress)
    except Exception:
        staging.release(root, staged)
        log.exception("load of %s failed", staged.name)
        return v.message(t(LOAD_FAILED)), {"token": token, "ok": False}
    if report.problems or report.batch_id is None:
        staging.release(root, staged)
        staging.save_report(root, staged, audit.report_record(report))
        count = format_number(audit.problem_count(report), 0, lang)
        return v.message(t(REFUSED_AT_LOAD).format(count=count)), {"token": token, "ok": False}
    staging.discard(root, staged)
    log.info("%s loaded %s as import batch %s", job["username"], staged.name, report.batch_id)
    view = v.loaded_view(report.batch_id, _themes_of(record, lang), lang, record.get("kind"))
    return view, {"token": token, "ok": True, "batch_id": report.batch_id}


# The Load button: enabled for a token whose dry run was clean and not loaded yet, no job running;
# the check's result hidden while a new file is checked; the load's message shown for its token.
clientside_callback(
    """function (token, checked, loaded, checking, loading) {
        var same = !!token && !!loaded && loaded.token === token;
        var done = same && (loaded.ok || loaded.refused);
        var disabled = !token || checked !== token || done || !!checking || !!loading;
        return [disabled, same ? "mt-3" : "d-none", !token || checking ? "d-none" : "mt-3"];
    }""",
    Output(v.LOAD_BUTTON, "disabled"),
    Output(v.LOAD_RESULT, "className"),
    Output(v.RESULT, "className"),
    Input(v.TOKEN, "data"),
    Input(v.CHECKED, "data"),
    Input(v.LOADED, "data"),
    Input(v.CHECKING, "data"),
    Input(v.LOADING, "data"),
)
