"""Background jobs: local processes by default, Celery with a broker (and local again when that
broker is down), the report made in a job with its progress and under its rate limit, a PNG
made in a job, and a real Celery worker making a report."""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pytest

import background_jobs
from config import ROOT, Config
from exports.renderer import browser_path
from i18n import translator
from tests.unit import dash_calls

needs_browser = pytest.mark.skipif(browser_path() is None, reason="Chromium is not installed")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REPORT_OUTPUTS = [
    {"id": "exp-report-download", "property": "data"},
    {"id": "exp-report-message", "property": "children"},
]


def redis_or_skip() -> str:
    redis = pytest.importorskip("redis")
    try:
        redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL


def make_app(database_url: str, tmp_path: Path, **settings):
    from app import create_app

    config = Config(
        database_url=database_url, seed_on_start=False, secret_key="test", jobs_dir=str(tmp_path / "jobs"), **settings
    )
    return create_app(config)


def report_call(client, path: str, search: str, address: str = "127.0.0.1", progress: list | None = None):
    """Click "Download report (PDF)" on ``path?search``, as the renderer sends it, until done."""
    payload = dash_calls.body(
        dash_calls.output_key(client, "..exp-report-download.data", background=True),
        REPORT_OUTPUTS,
        [{"id": "exp-report-button", "property": "n_clicks", "value": 1}],
        [
            {"id": "exp-report-url", "property": "pathname", "value": path},
            {"id": "exp-report-url", "property": "href", "value": f"http://localhost{path}{search}"},
        ],
    )
    return dash_calls.call(client, payload, timeout=180, address=address, progress=progress)


def pdf_text(answer, tmp_path: Path) -> str:
    data = answer.get_json()["response"]["exp-report-download"]["data"]
    assert data["filename"].endswith(".pdf") and data["type"] == "application/pdf"
    pdf = tmp_path / data["filename"]
    pdf.write_bytes(base64.b64decode(data["content"]))
    assert pdf.read_bytes()[:5] == b"%PDF-"
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_jobs_run_in_local_processes_by_default(tmp_path):
    config = Config(jobs_dir=str(tmp_path / "jobs"))
    manager = background_jobs.manager_for(config)
    assert isinstance(manager, background_jobs.LocalJobs)
    assert Path(manager.handle.directory) == tmp_path / "jobs"
    assert background_jobs.manager_for(config) is manager  # one per setting, shared by the apps
    with pytest.raises(RuntimeError, match="CELERY_BROKER_URL"):
        background_jobs.celery_app(config)


def test_jobs_go_to_celery_when_a_broker_is_set(tmp_path):
    url = redis_or_skip()
    config = Config.from_env({"CELERY_BROKER_URL": url, "JOBS_DIR": str(tmp_path)})
    manager = background_jobs.manager_for(config)
    assert isinstance(manager, background_jobs.CeleryJobs)
    assert manager.handle.conf.broker_url == url and background_jobs.celery_app(config) is manager.handle


def test_a_broker_that_is_down_means_local_jobs_and_one_warning(tmp_path, caplog):
    caplog.set_level(logging.WARNING, "dashboard")
    dead = f"redis://:secret@127.0.0.1:{_free_port()}/0"
    started = time.perf_counter()
    manager = background_jobs.manager_for(Config(celery_broker_url=dead, jobs_dir=str(tmp_path)))
    assert time.perf_counter() - started < 5
    assert isinstance(manager, background_jobs.LocalJobs)
    (record,) = [r for r in caplog.records if "Celery broker" in r.getMessage()]
    assert "secret" not in record.getMessage()  # the broker's password is not logged


@needs_browser
@needs_pdftotext
def test_report_is_made_in_a_job_with_its_progress(seeded_sqlite_url, tmp_path):
    app = make_app(seeded_sqlite_url, tmp_path)
    client = app.server.test_client()
    progress: list[dict] = []
    answer = report_call(client, "/targets", "?lang=ru&theme=park", progress=progress)
    text = pdf_text(answer, tmp_path)
    assert translator("ru")("Progress against targets") in text
    assert answer.get_json()["response"]["exp-report-message"]["children"] == ""
    labels = [update["exp-report-progress-bar.label"] for update in progress]
    assert labels and all("/" in label for label in labels)  # "2/5": charts drawn of all steps


def test_starting_a_report_job_is_rate_limited_per_client(seeded_sqlite_url, tmp_path):
    app = make_app(seeded_sqlite_url, tmp_path, report_rate_limit="2/minute")
    client = app.server.test_client()
    # An unknown page starts no job but counts, as the route counts its 404s.
    assert report_call(client, "/no-such-page", "?lang=ru").status_code == 204
    assert client.get("/_export/report.pdf?page=/no-such-page").status_code == 404  # one count for both
    refused = report_call(client, "/targets", "?lang=ru")
    assert refused.status_code == 200 and "cacheKey" not in refused.get_json()  # no job was started
    message = refused.get_json()["response"]["exp-report-message"]["children"]
    assert message == translator("ru")("Too many reports asked for in a short time. Please try again in a minute.")
    assert report_call(client, "/no-such-page", "?lang=ru", address="10.0.0.9").status_code == 204  # another client


@needs_browser
def test_png_is_made_in_a_job(seeded_sqlite_url, tmp_path):
    from tests.unit.test_export_security import downloaded, export_request

    client = make_app(seeded_sqlite_url, tmp_path).server.test_client()
    figure = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {}}
    content = downloaded(export_request(client, "png", figure))
    assert content[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def celery_worker(seeded_sqlite_url, tmp_path):
    """A real ``celery -A report_worker:celery_app worker`` (one prefork process) on the test's Redis."""
    url = redis_or_skip()
    env = {
        **os.environ,
        "CELERY_BROKER_URL": url,
        "DATABASE_URL": seeded_sqlite_url,
        "SEED_ON_START": "0",
        "SECRET_KEY": "test",
        "JOBS_DIR": str(tmp_path / "worker-jobs"),
    }
    celery = [sys.executable, "-m", "celery", "-A", "report_worker:celery_app"]
    log_file = (tmp_path / "worker.log").open("w")
    command = [*celery, "worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)
    try:
        yield url
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
        log_file.close()


@needs_browser
@needs_pdftotext
def test_a_celery_worker_makes_the_report(seeded_sqlite_url, tmp_path, celery_worker):
    app = make_app(seeded_sqlite_url, tmp_path, celery_broker_url=celery_worker)
    assert isinstance(background_jobs.manager_for(Config(celery_broker_url=celery_worker)), background_jobs.CeleryJobs)
    client = app.server.test_client()
    answer = report_call(client, "/targets", "?lang=en")
    log = (tmp_path / "worker.log").read_text()
    assert answer.status_code == 200, log[-3000:]
    assert "Progress against targets" in pdf_text(answer, tmp_path), log[-3000:]
    assert "succeeded" in log  # the worker, not this process, ran it


def test_two_identical_jobs_each_get_their_file(seeded_sqlite_url, tmp_path):
    """Two clients asking for the same file at once (the same arguments) get one each: a job's
    result is keyed by the job, not by its arguments, so the first poll cannot take both."""
    from tests.unit.test_export_security import META, downloaded, export_payload

    client = make_app(seeded_sqlite_url, tmp_path).server.test_client()
    figure = {"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}], "layout": {}}
    payload = export_payload(client, "xlsx", figure, {**META, "data": {"columns": ["x"], "rows": [["a"], ["b"]]}})
    handles = [client.post("/_dash-update-component", json=payload).get_json() for _ in range(2)]
    time.sleep(5)  # both jobs are done before either is polled
    for handle in handles:
        query = urlencode({"cacheKey": handle["cacheKey"], "job": handle["job"]})
        assert downloaded(client.post(f"/_dash-update-component?{query}", json=payload))[:2] == b"PK"


def test_a_busy_worker_refuses_more_local_jobs_than_it_may_run(seeded_sqlite_url, tmp_path):
    """Each local job starts an export browser: past JOBS_PER_WORKER running at once the report
    bar says so, and the next report starts once one has finished."""
    client = make_app(seeded_sqlite_url, tmp_path, jobs_per_worker=1).server.test_client()
    payload = dash_calls.body(
        dash_calls.output_key(client, "..exp-report-download.data", background=True),
        REPORT_OUTPUTS,
        [{"id": "exp-report-button", "property": "n_clicks", "value": 1}],
        [
            {"id": "exp-report-url", "property": "pathname", "value": "/targets"},
            {"id": "exp-report-url", "property": "href", "value": "http://localhost/targets?lang=ru"},
        ],
    )
    first = client.post("/_dash-update-component", json=payload).get_json()
    assert "cacheKey" in first
    busy = client.post("/_dash-update-component", json=payload).get_json()
    assert busy["response"]["exp-report-message"]["children"] == translator("ru")(
        "Other reports are being made. Please try again in a minute."
    )
    query = urlencode({"cacheKey": first["cacheKey"], "job": first["job"]})
    deadline = time.monotonic() + 180
    while b'"response"' not in (done := client.post(f"/_dash-update-component?{query}", json=payload)).data:
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert "exp-report-download" in done.get_json()["response"]
    # Free again: the next start gets past the cap (an unknown page then starts nothing: 204).
    payload["state"][0]["value"] = "/no-such-page"
    assert client.post("/_dash-update-component", json=payload).status_code == 204


def sleeping_job(seconds: float, pid_file: str) -> str:
    """A job that overruns: it starts a process of its own (in its own session, as Chromium
    runs) and sleeps."""
    child = subprocess.Popen(["sleep", str(seconds * 2)], start_new_session=True)
    Path(pid_file).write_text(str(child.pid))
    time.sleep(seconds)
    return "slept"


LOCK_TEST_LOGGER = "dashboard.lock-test"  # its own handler: the test's other log lines do not wait on it


def logging_job(text: str) -> str:
    """A job that writes a log line, as the report job does."""
    logging.getLogger(LOCK_TEST_LOGGER).warning("job: %s", text)
    return f"done: {text}"


def start_job(app, fn, *args) -> tuple:
    """Start ``fn(*args)`` as a local background job of ``app``, as Dash does for a click."""
    manager = app._background_manager
    key = uuid.uuid4().hex
    with app.server.test_request_context():
        pid = manager.call_job_fn(key, manager.make_job_fn(fn, progress=False), list(args), {"outputs_list": {}})
    return manager, key, pid


def job_result(manager, key: str, pid: int, timeout: float = 120):
    """The job's result as a poll collects it (``get_result`` stops a job past its limit)."""
    deadline = time.monotonic() + timeout
    while (result := manager.get_result(key, pid)) is manager.UNDEFINED:
        assert time.monotonic() < deadline, f"job {pid} neither done nor stopped after {timeout} s"
        time.sleep(0.2)
    return result


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_job_past_its_limit_is_stopped_with_what_it_started_and_reported_as_failed(seeded_sqlite_url, tmp_path):
    app = make_app(seeded_sqlite_url, tmp_path)
    manager = app._background_manager
    manager.limit = 2
    started = time.monotonic()
    manager, key, pid = start_job(app, sleeping_job, 60, str(tmp_path / "child.pid"))
    result = job_result(manager, key, pid)
    assert time.monotonic() - started < 30  # stopped at its limit, not when its sleep ended
    assert background_jobs.timed_out(Exception(result["background_callback_error"]["msg"]))
    assert gone(pid)
    child = int((tmp_path / "child.pid").read_text())  # it had started its own process before the limit
    assert gone(child)  # and that process was stopped with it: nothing is left running
    assert manager.get_result(key, pid) is manager.UNDEFINED  # the next poll finds nothing


@needs_browser
def test_a_report_past_its_limit_says_it_was_stopped(seeded_sqlite_url, tmp_path):
    app = make_app(seeded_sqlite_url, tmp_path)
    app._background_manager.limit = 0.5  # less than any report takes: the first poll after it stops the job
    answer = report_call(app.server.test_client(), "/targets", "?lang=ru")
    message = answer.get_json()["response"]["exp-report-message"]["children"]
    assert message == translator("ru")("The report took too long and was stopped. Please try again.")
    assert job_processes() == []  # the job and its export browser were stopped


def job_processes() -> list:
    """Processes of local jobs still running: the fork server's descendants (jobs and what they started)."""
    servers = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
    return [p for server in servers for p in server.children(recursive=True) if not gone(p.pid)]


def test_a_job_started_while_another_thread_holds_a_lock_finishes(seeded_sqlite_url, tmp_path):
    """The regression: a job forked from the web worker blocked for ever on a lock another thread
    held at the fork (the buffer of the stream a log handler writes to). Here a thread holds that
    lock while it waits to write into a pipe nobody reads; a job that logs still finishes."""
    app = make_app(seeded_sqlite_url, tmp_path)
    app._background_manager.limit = 30  # far more than the job needs; a job that blocks fails the test
    read_end, write_end = os.pipe()
    stream = os.fdopen(write_end, "w", buffering=1 << 16)
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger(LOCK_TEST_LOGGER)
    logger.addHandler(handler)

    def write_a_lot() -> None:
        with contextlib.suppress(OSError, ValueError):
            stream.buffer.write(b"x" * (1 << 22))  # the pipe fills: the write waits holding the lock

    writer = threading.Thread(target=write_a_lot, daemon=True)
    writer.start()
    try:
        time.sleep(0.5)
        assert writer.is_alive()  # the lock is held now, and stays held while the job starts
        manager, key, pid = start_job(app, logging_job, "the lock is held")
        assert job_result(manager, key, pid) == "done: the lock is held"
        assert writer.is_alive()  # the lock was held all along
    finally:
        logger.removeHandler(handler)
        os.close(read_end)  # the writer's wait ends (a broken pipe)
        writer.join(10)
        with contextlib.suppress(OSError):
            stream.close()


def test_a_job_that_ends_while_it_is_being_stopped_is_no_error(tmp_path, monkeypatch):
    """Collecting a result stops the job's process; one that ended between Dash's look and its
    kill (the fork server reaps a finished job at once) must not turn the result into a failure."""
    manager = background_jobs.manager_for(Config(jobs_dir=str(tmp_path / "jobs")))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()  # gone and reaped: psutil cannot find it any more
    monkeypatch.setattr(psutil, "pid_exists", lambda pid: True)  # but the look said it was there
    manager.terminate_job(ended.pid)
    with pytest.raises(psutil.NoSuchProcess):  # what Dash's own terminate_job raised
        background_jobs.DiskcacheManager.terminate_job(manager, ended.pid)
