"""Per-client rate limits on what is expensive to serve: the PDF report and the chart exports.

Flask-Limiter counts requests per client address: in memory by default (per worker), in Redis
when ``CACHE_REDIS_URL`` is set (one count for all gunicorn workers). Counting must never break
the app: a Redis that is down or a missing ``redis`` module falls back to counting in memory.

Both limits are checked inside the code they protect (``with report_limit(): ...``): chart
exports go through Dash's ``/_dash-update-component``, which every callback uses, so limiting
the route would limit every click on every page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, current_app
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit, RouteLimit
from flask_limiter.util import get_remote_address
from limits.errors import ConfigurationError

log = logging.getLogger("dashboard")
__all__ = ["RateLimitExceeded", "export_limit", "init_app", "login_limit", "report_limit"]

_EXTENSION = "tj_rate_limits"
KEY_PREFIX = "tjdash-limits"
MEMORY = "memory://"
# A Redis that does not answer costs half a second once, then counting moves to memory.
REDIS_OPTIONS = {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}


def _limiter(server: Flask, storage_uri: str) -> Limiter:
    return Limiter(
        key_func=get_remote_address,
        app=server,
        storage_uri=storage_uri,
        storage_options=REDIS_OPTIONS if storage_uri != MEMORY else {},
        in_memory_fallback_enabled=True,
        headers_enabled=True,
        key_prefix=KEY_PREFIX,
    )


def init_app(server: Flask, config) -> None:
    """Give the app its own limiter with the configured rates, in Redis when one is configured."""
    server.config.update(
        REPORT_RATE_LIMIT=config.report_rate_limit,
        EXPORT_RATE_LIMIT=config.export_rate_limit,
        LOGIN_RATE_LIMIT=config.login_rate_limit,
    )
    try:
        limiter = _limiter(server, config.cache_redis_url or MEMORY)
    except ConfigurationError as exc:  # e.g. no redis module: count in memory, say so once
        log.warning("rate limits counted in memory, %s cannot be used: %s", config.cache_redis_url, exc)
        limiter = _limiter(server, MEMORY)
    server.extensions[_EXTENSION] = limiter


def report_limit(on_breach: Callable[[RequestLimit], Response]) -> RouteLimit:
    """Context manager for one report: ``REPORT_RATE_LIMIT`` per client; past it, on entry,
    :class:`RateLimitExceeded` carrying the 429 response ``on_breach`` makes."""
    limiter: Limiter = current_app.extensions[_EXTENSION]
    # shared: one count for the route and the report job (started through Dash's callback route)
    return limiter.shared_limit(current_app.config["REPORT_RATE_LIMIT"], scope="report", on_breach=on_breach)


def export_limit() -> RouteLimit:
    """Context manager for one chart export: ``EXPORT_RATE_LIMIT`` per client for all charts;
    past it, :class:`RateLimitExceeded` on entry."""
    limiter: Limiter = current_app.extensions[_EXTENSION]
    return limiter.limit(current_app.config["EXPORT_RATE_LIMIT"], scope="chart-export")


def login_limit(server: Flask) -> Callable[[Callable], Callable]:
    """Decorator for the sign-in view: ``LOGIN_RATE_LIMIT`` password attempts per client (429
    past it), on top of the per-account lock-out, so guessing is slow from one address."""
    limiter: Limiter = server.extensions[_EXTENSION]
    return limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], scope="login")
