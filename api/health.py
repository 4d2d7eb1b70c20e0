"""``/health``: can the app show data? The database (``SELECT 1``) and the cache (a write and a read).

Dash's own health check (``Dash(health_endpoint=...)``, off by default) only says "OK"; this one
answers the question a load balancer and an operator ask.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from data_loaders.cached import CACHE_ERRORS, DatabaseUnavailable, cache, cache_state, engine

log = logging.getLogger("dashboard")
HEALTH_KEY = "health-check"


def database_health() -> dict:
    """``{"status": "ok"}`` after a ``SELECT 1``, else ``"down"`` with the reason."""
    try:
        with engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except DatabaseUnavailable as exc:
        return {"status": "down", "reason": f"not reachable since start ({exc})"}
    except SQLAlchemyError as exc:
        log.error("health check: database down: %s", exc)
        return {"status": "down", "reason": exc.__class__.__name__}
    return {"status": "ok"}


def cache_health() -> dict:
    """Write and read back a key in the cache itself (not skipped, so a recovery shows at once)."""
    state = cache_state()
    backend = state.backend
    if state.retry_at == float("inf"):
        return {"status": "down", "backend": backend, "reason": state.failure}
    try:
        stamp = str(time.time())
        cache.set(HEALTH_KEY, stamp, timeout=60)
        if cache.get(HEALTH_KEY) != stamp:
            return {"status": "down", "backend": backend, "reason": "a value written was not read back"}
    except CACHE_ERRORS as exc:
        state.failed(f"{exc.__class__.__name__}: {exc}")
        return {"status": "down", "backend": backend, "reason": exc.__class__.__name__}
    state.worked()
    return {"status": "ok", "backend": backend}


def health():
    """``/health``: 200 while the database answers (a cache that is down only slows pages), else 503."""
    report = {"database": database_health(), "cache": cache_health()}
    report["status"] = "ok" if report["database"]["status"] == "ok" else "down"
    return jsonify(report), 200 if report["status"] == "ok" else 503


def init_app(server: Flask) -> None:
    server.add_url_rule("/health", "health", health, methods=["GET"])
