"""How pages reach the data: the app's engine and cache, and a guard for a database that is down.

Pages call :func:`query` with a function from ``data_loaders.queries``; results are cached
(in-process by default, Redis in production) so a busy morning does not re-run the same SQL.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from flask import Flask, current_app
from flask_caching import Cache
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("dashboard")
cache = Cache()
_EXTENSION = "tj_dashboard"


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached; pages show a banner instead of a traceback."""


def init_app(server: Flask, engine: Engine | None, config, error: str | None) -> None:  # noqa: ANN001
    cache.init_app(
        server,
        config={
            "CACHE_TYPE": config.cache_type,
            "CACHE_REDIS_URL": config.cache_redis_url,
            "CACHE_DEFAULT_TIMEOUT": config.cache_timeout,
            "CACHE_KEY_PREFIX": "tjdash:",
        },
    )
    server.extensions[_EXTENSION] = {"engine": engine, "error": error}


def engine() -> Engine:
    state = current_app.extensions[_EXTENSION]
    if state["engine"] is None:
        raise DatabaseUnavailable(state["error"] or "no database")
    return state["engine"]


def database_error() -> str | None:
    """The reason the database is unavailable at start, or None when it is fine."""
    return current_app.extensions[_EXTENSION]["error"]


def query(function: Callable, *args, **kwargs):  # noqa: ANN201 - returns whatever the query returns
    """Run ``function(engine, *args, **kwargs)`` through the cache."""
    key = f"{function.__module__}.{function.__qualname__}:{args!r}:{sorted(kwargs.items())!r}"
    value = cache.get(key)
    if value is None:
        try:
            value = function(engine(), *args, **kwargs)
        except SQLAlchemyError as exc:
            log.error("query %s failed: %s", function.__qualname__, exc)
            raise DatabaseUnavailable(str(exc.__class__.__name__)) from exc
        cache.set(key, value)
    return value


def guarded(layout: Callable) -> Callable:
    """Wrap a page's layout so that a database failure shows a clear banner, not a traceback."""
    from components.layout import status_banner

    @functools.wraps(layout)
    def wrapper(*args, **kwargs):  # noqa: ANN202
        try:
            return layout(*args, **kwargs)
        except DatabaseUnavailable as exc:
            return status_banner(str(exc), kwargs.get("lang"))

    return wrapper
