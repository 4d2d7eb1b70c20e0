"""Where slow work runs: Dash background callbacks (the PDF report, chart snapshots, XLSX) run as
jobs outside the web worker that took the click, which answers the browser's polls meanwhile.

* Default, no extra service: :class:`LocalJobs` (Dash's ``DiskcacheManager``) runs one process
  per job; results and progress pass through a diskcache folder (``JOBS_DIR``) that all workers of
  the machine share, so a poll may land on any of them (with one ``SECRET_KEY``).

  A job's process is not forked from the web worker: it comes from a *fork server*, a process
  started clean (fork and exec) that has imported the app and never starts a thread, and builds
  the app of the job's settings itself. A web worker has threads (the server's request threads,
  the export browser's, a test's), and a fork copies every lock as it is at that instant, held or
  not, while only the forking thread lives on: a job once blocked for ever in the first log line it
  wrote, on the lock of a log file's buffer that another thread of the worker held at the fork.
* A job has :data:`JOB_SECONDS`: past it the next poll stops the job's process and everything it
  started (terminate, then kill) and the callback's ``on_error`` hears of it (:func:`timed_out`); a job
  nobody polls any more ends itself a little later (``SIGALRM``).
* ``CELERY_BROKER_URL`` set (Redis): :class:`CeleryJobs` sends jobs to a Celery worker started
  with ``celery -A report_worker:celery_app worker``. A broker that does not answer when the app
  starts means local jobs, with one warning: a backing service that is down never breaks a page.

Starting a job is what costs, so a background callback can have an *admission* check
(:func:`admission`): it runs in the web worker, within the request, every time a job of that
callback is about to start, whoever sends the request, and returns the arguments the job runs
with. The rate limits and the figure guard of ``pages._exports``/``pages._report`` live there.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import dash
import psutil
from dash import CeleryManager, DiskcacheManager
from flask import Flask, current_app, has_app_context

log = logging.getLogger("dashboard")

# Seconds a broker may take to answer when the app starts before jobs run locally instead.
BROKER_TIMEOUT = 1.0
# Seconds Celery keeps a result no poll collected (the browser was closed); diskcache evicts by size.
RESULT_SECONDS = 3600
# Seconds a result stays after its poll collected it (Dash keeps results that have their own key).
COLLECTED_SECONDS = 60
# Seconds a local job may run (a report of a page with many charts on a busy machine takes a
# minute or two); past it the job is stopped and reported as failed (:func:`timed_out`).
JOB_SECONDS = 300
# Seconds a stopped job has to end after SIGTERM before it is killed; a job nobody polls ends
# itself this long after its limit.
STOP_SECONDS = 5
# What a job stopped at its limit leaves as its error (on_error recognises it: :func:`timed_out`).
TIMED_OUT = "background job stopped: it ran past its time limit"

Admission = Callable[[list], list]
_ADMISSIONS: dict[str, Admission] = {}
_MANAGERS: dict[tuple, DiskcacheManager | CeleryManager] = {}


class JobRefused(Exception):
    """An admission check turned a job down; the message, in the user's language, says why."""


class JobsBusy(Exception):
    """This web worker already runs as many local jobs as it may (``JOBS_PER_WORKER``)."""


def timed_out(error: Exception) -> bool:
    """Whether a background callback's error (as ``on_error`` gets it) is a job stopped at its
    time limit (:data:`JOB_SECONDS`)."""
    return TIMED_OUT in str(error)


def admission(output_id: str) -> Callable[[Admission], Admission]:
    """Register ``check(args) -> args`` for the background callback whose first output has this
    id (for a pattern-matching id, its ``type``). It runs before each job of that callback starts;
    raising refuses the job: ``PreventUpdate`` silently, anything else through the callback's
    ``on_error``."""

    def register(check: Admission) -> Admission:
        _ADMISSIONS[output_id] = check
        return check

    return register


def _first_output(context: dict) -> str | None:
    outputs = context.get("outputs_list")
    first = outputs[0] if isinstance(outputs, list) and outputs else outputs
    ident = first.get("id") if isinstance(first, dict) else None
    return ident.get("type") if isinstance(ident, dict) else ident


class _Admitting:
    """Manager side of :func:`admission`: ``call_job_fn`` is where Dash starts every job."""

    def call_job_fn(self, key, job_fn, args, context):
        check = _ADMISSIONS.get(_first_output(context))
        if check is not None:
            args = check(list(args))
        return super().call_job_fn(key, job_fn, args, context)


def own_connections(server: Flask) -> None:
    """In a forked process: drop the parent's pooled database connections unclosed (they are the
    parent's to use and close), so this process opens its own."""
    from data_loaders import cached

    with server.app_context(), contextlib.suppress(cached.DatabaseUnavailable):
        cached.engine().dispose(close=False)


def _job_context():
    """The fork server that starts local jobs, with the app's modules imported once in it."""
    import multiprocess

    context = multiprocess.get_context("forkserver")
    context.set_forkserver_preload(["app"])
    return context


def _run_job(config, limit: float, job: str | Callable, *args) -> None:
    """A local job's process: the app of the web worker's settings (built here, in a process that
    has no other thread) and the job inside its app context; ``job`` is the key of a background
    callback (this app registers the same callbacks under the same keys, so the callback is not
    pickled) or a picklable job function. Its export browser is closed at the end because the
    process leaves without running ``atexit`` handlers. ``SIGALRM`` ends it :data:`STOP_SECONDS`
    after its limit if no poll stopped it before."""
    from app import create_app
    from exports.renderer import RENDERER

    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(max(int(limit + STOP_SECONDS + 0.999), 1))
    dash_app = create_app(dataclasses.replace(config, seed_on_start=False) if config else None)
    job_fn = dash_app._background_manager.func_registry[job] if isinstance(job, str) else job
    try:
        with dash_app.server.app_context():
            job_fn(*args)
    finally:
        RENDERER.close()


def stop_process(pid: int, grace: float = STOP_SECONDS) -> None:
    """End a job's process and every process it started: SIGTERM, then SIGKILL for whatever is
    left after ``grace`` seconds (Chromium runs in its own session, so it is found by parentage)."""
    try:
        process = psutil.Process(pid)
        family = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for member in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.terminate()
    _gone, alive = psutil.wait_procs(family, timeout=grace)
    for member in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()
    psutil.wait_procs(alive, timeout=grace)
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)  # a child of this worker: no zombie left


class _FromForkServer(DiskcacheManager):
    """Dash's ``DiskcacheManager`` with each job's process from the fork server, not forked here."""

    config = None
    limit: float = JOB_SECONDS

    def call_job_fn(self, key, job_fn, args, context):
        job_args = (key, self._make_progress_key(key), args, context)
        job = next((name for name, registered in self.func_registry.items() if registered is job_fn), job_fn)
        process = _job_context().Process(target=_run_job, args=(self.config, self.limit, job, *job_args))
        process.daemon = True  # ended with the worker: no job outlives the process that polls it
        process.start()
        return process.pid


class LocalJobs(_Admitting, _FromForkServer):
    """Each job in its own process from the fork server, at most ``most`` at once (each starts an
    export browser), for at most ``limit`` seconds; results in a diskcache folder."""

    def __init__(self, cache, most: int, config=None, limit: float = JOB_SECONDS, **options) -> None:
        self.most, self._running, self._lock = most, [], threading.Lock()
        self.config, self.limit = config, limit
        super().__init__(cache, **options)

    def _alive(self, pid: int) -> bool:
        with contextlib.suppress(psutil.Error):  # ended between the two looks
            return self.job_running(pid)
        return False

    def call_job_fn(self, key, job_fn, args, context):
        with self._lock:
            self._running = [pid for pid in self._running if self._alive(pid)]
            if len(self._running) >= self.most:
                raise JobsBusy(f"{len(self._running)} jobs already running in this worker")
            pid = super().call_job_fn(key, job_fn, args, context)
            self._running.append(pid)
        return pid

    def _overran(self, job) -> bool:
        """Whether the job's process still runs past its limit (any worker of the machine can tell)."""
        with contextlib.suppress(psutil.Error, TypeError, ValueError):
            process = psutil.Process(int(job))
            return process.status() != psutil.STATUS_ZOMBIE and time.time() - process.create_time() > self.limit
        return False

    def terminate_job(self, job):
        """Dash's, without its race: it looks the job's process up after checking that it exists,
        and a job that ended in between (the fork server reaps a finished job at once) raised
        ``NoSuchProcess`` into the poll that collected its result, which then reported a failure."""
        with contextlib.suppress(psutil.NoSuchProcess):
            super().terminate_job(job)

    def get_result(self, key, job):
        result = super().get_result(key, job)
        if result is self.UNDEFINED and job and self._overran(job):
            log.warning("background job %s stopped: it ran over %s s", job, self.limit)
            stop_process(int(job))
            self.clear_cache_entry(self._make_progress_key(key))
            return {"background_callback_error": {"msg": TIMED_OUT, "tb": ""}}
        return result


class CeleryJobs(_Admitting, CeleryManager):
    """Jobs sent through the broker to a Celery worker (``report_worker``)."""


def in_app_context(job: Callable) -> Callable:
    """Run a background callback inside an app context, so ``data_loaders.cached`` finds its engine
    and cache without a request: the app that started the job (a forked process inherits it) or,
    in a Celery worker, the worker's own app."""

    @functools.wraps(job)
    def run(*args, **kwargs):
        server = current_app._get_current_object() if has_app_context() else dash.get_app().server
        with server.app_context():
            return job(*args, **kwargs)

    return run


def _job_key() -> str:
    """Part of every job's result key. Dash keys a result by the callback's arguments alone, so two
    clients asking for the same report at once would share one key and the first poll would take
    both results (the other client would get nothing)."""
    return uuid.uuid4().hex


def _celery(config):
    """A Celery app on the configured broker, or an exception when the broker does not answer."""
    from celery import Celery

    broker = config.celery_broker_url
    app = Celery("tj_dashboard_jobs", broker=broker, backend=config.celery_result_backend or broker)
    app.conf.update(
        broker_connection_timeout=BROKER_TIMEOUT,
        broker_connection_retry_on_startup=True,
        redis_socket_connect_timeout=BROKER_TIMEOUT,
        result_expires=RESULT_SECONDS,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        worker_prefetch_multiplier=1,  # a report is long: a second worker takes the next one
    )
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
    return app


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def manager_for(config) -> DiskcacheManager | CeleryManager:
    """The jobs manager for these settings: Celery when a broker is set and answers, else local
    processes. One per setting, shared by every app built with it (Dash registers every background
    callback with every manager)."""
    if config.celery_broker_url:
        key = ("celery", config.celery_broker_url, config.celery_result_backend)
        if key not in _MANAGERS:
            try:
                _MANAGERS[key] = CeleryJobs(_celery(config), cache_by=[_job_key], expire=COLLECTED_SECONDS)
            except Exception as exc:  # kombu's OperationalError, a bad URL: run jobs locally
                log.warning(
                    "background jobs run in local processes: the Celery broker %s cannot be used: %s",
                    _without_password(config.celery_broker_url),
                    exc,
                )
                return _local(config)
        return _MANAGERS[key]
    return _local(config)


def _local(config) -> LocalJobs:
    key = ("diskcache", config)  # the job's process builds the app of these settings
    if key not in _MANAGERS:
        import diskcache

        cache = diskcache.Cache(config.jobs_dir)
        _MANAGERS[key] = LocalJobs(cache, config.jobs_per_worker, config, cache_by=[_job_key], expire=COLLECTED_SECONDS)
    return _MANAGERS[key]


def celery_app(config):
    """The Celery app of these settings, for the worker (``report_worker``)."""
    manager = manager_for(config)
    if not isinstance(manager, CeleryJobs):
        raise RuntimeError("set CELERY_BROKER_URL to a broker that answers to run a Celery worker")
    return manager.handle
