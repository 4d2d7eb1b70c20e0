"""The Celery worker for background jobs (the PDF report, chart snapshots, XLSX):

    CELERY_BROKER_URL=redis://127.0.0.1:6379/1 celery -A report_worker:celery_app worker --concurrency 2

It builds the app from the same environment as the web workers (same database, same settings), so
it knows every background callback by the same task name and runs it inside that app's context.
Each pool process keeps its own export browser between jobs.
"""

from __future__ import annotations

from celery.signals import worker_process_init, worker_process_shutdown

import background_jobs
from app import create_app
from config import Config
from exports.renderer import RENDERER

config = Config.from_env()
if not config.celery_broker_url:
    raise SystemExit("report_worker: set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/1)")
dash_app = create_app(config)
celery_app = background_jobs.celery_app(config)


@worker_process_init.connect
def _own_connections(**_kwargs) -> None:
    """Each process of the prefork pool opens its own database connections."""
    background_jobs.own_connections(dash_app.server)


@worker_process_shutdown.connect
def _close_browser(**_kwargs) -> None:
    """A pool process may leave without ``atexit`` handlers: stop its export browser first."""
    RENDERER.close()
