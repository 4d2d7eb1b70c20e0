"""How the web app reaches the data: the app's engine and a cache in front of the queries.

Pages, callbacks and the API call :func:`query` with a function from ``data_loaders.queries``; results are cached
(in-process by default, Redis in production) so a busy morning does not re-run the same SQL.

The cache is an optimisation, never a dependency: a cache that cannot be built (the ``redis``
module missing) or that fails (Redis down, a timeout) logs one warning and acts as a miss, so
pages show their data straight from the database. After a failure the cache is skipped for
:data:`CACHE_RETRY_SECONDS`, so a dead Redis costs one short timeout, not one per query.
``api.health`` says what works: the database (``SELECT 1``) and the cache (a write and a read).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, g
from flask_caching import Cache
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from data_loaders.models import ImportBatch

try:
    from redis.exceptions import RedisError
except ImportError:  # without the module RedisCache cannot be built; init_app falls back to no cache
    RedisError = OSError

log = logging.getLogger("dashboard")
cache = Cache()
_EXTENSION = "tj_dashboard"
CACHE_ERRORS = (RedisError, OSError)
CACHE_RETRY_SECONDS = 10.0
# A Redis that does not answer must cost milliseconds: short socket timeouts and no retries
# (a failed read is a miss anyway, and the next try comes after CACHE_RETRY_SECONDS).
REDIS_TIMEOUT_SECONDS = 0.25


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached; pages show a banner instead of a traceback."""


@dataclass
class CacheState:
    """Whether this app's cache works; a failure is logged once and the cache skipped a while."""

    backend: str
    failure: str | None = None  # why the cache is down, or None when it works
    retry_at: float = 0.0  # skip the cache until then; infinity when it cannot come back

    def skipping(self) -> bool:
        return self.failure is not None and time.monotonic() < self.retry_at

    def failed(self, reason: str) -> None:
        if self.failure is None:
            log.warning("cache unavailable, serving without it: %s", reason)
        self.failure, self.retry_at = reason, time.monotonic() + CACHE_RETRY_SECONDS

    def worked(self) -> None:
        if self.failure is not None:
            log.info("cache available again")
        self.failure = None


def _redis_options() -> dict:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return {
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "retry": Retry(NoBackoff(), 0),
    }


def _init_cache(server: Flask, config) -> CacheState:
    settings = {
        "CACHE_TYPE": config.cache_type,
        "CACHE_REDIS_URL": config.cache_redis_url,
        "CACHE_DEFAULT_TIMEOUT": config.cache_timeout,
        "CACHE_KEY_PREFIX": "tjdash:",
    }
    state = CacheState(backend=config.cache_type)
    try:
        if config.cache_type.rsplit(".", 1)[-1] == "RedisCache":
            settings["CACHE_OPTIONS"] = _redis_options()
        cache.init_app(server, config=settings)
    except (ImportError, RuntimeError) as exc:  # Flask-Caching: "no redis module found"
        reason = f"{config.cache_type} cannot be used: {exc.__cause__ or exc}"
        cache.init_app(server, config={**settings, "CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})
        state.failed(reason)
        state.retry_at = float("inf")  # a missing module does not come back without a restart
    return state


def init_app(server: Flask, engine: Engine | None, config, error: str | None) -> None:
    """Attach the engine (None when the database was down at start) and the cache."""
    server.extensions[_EXTENSION] = {"engine": engine, "error": error, "cache": _init_cache(server, config)}


def engine() -> Engine:
    state = current_app.extensions[_EXTENSION]
    if state["engine"] is None:
        raise DatabaseUnavailable(state["error"] or "no database")
    return state["engine"]


def _through_cache(operation: Callable, *args):
    """``operation(*args)`` on the cache, or None (a miss) when the cache is down."""
    state: CacheState = current_app.extensions[_EXTENSION]["cache"]
    if state.skipping():
        return None
    try:
        result = operation(*args)
    except CACHE_ERRORS as exc:
        state.failed(f"{exc.__class__.__name__}: {exc}")
        return None
    state.worked()
    return result


def _data_version() -> int:
    """The newest import batch id, looked up once per request: results are keyed by it, so after a
    load every page shows the new data at once (the time-based expiry is only a safety net)."""
    if "tj_data_version" not in g:
        try:
            with engine().connect() as connection:
                g.tj_data_version = connection.execute(select(func.max(ImportBatch.id))).scalar() or 0
        except SQLAlchemyError as exc:
            log.error("data version lookup failed: %s", exc)
            raise DatabaseUnavailable(str(exc.__class__.__name__)) from exc
    return g.tj_data_version


def query(function: Callable, *args, **kwargs):
    """Run ``function(engine, *args, **kwargs)`` through the cache, keyed by the data's version."""
    name = f"{function.__module__}.{function.__qualname__}"
    key = f"batch{_data_version()}:{name}:{args!r}:{sorted(kwargs.items())!r}"
    value = _through_cache(cache.get, key)
    if value is None:
        try:
            value = function(engine(), *args, **kwargs)
        except SQLAlchemyError as exc:
            log.error("query %s failed: %s", function.__qualname__, exc)
            raise DatabaseUnavailable(str(exc.__class__.__name__)) from exc
        _through_cache(cache.set, key, value)
    return value


def cache_state() -> CacheState:
    """Whether this app's cache works (read by ``/health``)."""
    return current_app.extensions[_EXTENSION]["cache"]
