"""Runtime configuration, read from environment variables with working defaults.

Why one object: ``create_app(config)`` and the command-line loader take the same settings, and
tests build their own without touching the process environment.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = ROOT / "instance"
DEFAULT_DATABASE_URL = f"sqlite:///{INSTANCE_DIR / 'dashboard.sqlite3'}"
ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?")


@dataclass(frozen=True)
class Config:
    """Settings of one app instance. Build with :meth:`from_env` or directly in tests."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    # "SimpleCache" (in-process) by default; "RedisCache" with cache_redis_url in production.
    cache_type: str = "SimpleCache"
    cache_redis_url: str = ""
    cache_timeout: int = 300
    # Seed an empty database on start (turned off by tests that bring their own data).
    seed_on_start: bool = True
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    # Language of a URL without ``?lang=`` and no remembered choice: tg, ru or en.
    default_language: str = "tg"
    # Origins allowed to show the app in a frame besides its own (CSP frame-ancestors).
    embed_origins: tuple[str, ...] = ()
    # Largest request body accepted (bytes); a bigger one gets 413 before any callback runs.
    max_request_bytes: int = 4 * 1024 * 1024
    # Most array items (points, labels, ...) and traces in one exported chart; the app's largest
    # chart (4G coverage by district) has about 17,000, and 60,000 render in about 2 s.
    export_max_points: int = 60_000
    export_max_traces: int = 100
    # Per-client rate limits (Flask-Limiter notation), counted in Redis when cache_redis_url is set.
    report_rate_limit: str = "10/minute"
    export_rate_limit: str = "30/minute"
    login_rate_limit: str = "10/minute"  # password attempts per client, besides the account lock-out
    # Anonymous visitors may view and download; with PUBLIC_READ=0 everything but /login needs an account.
    public_read: bool = True
    # Largest file staff may upload on /import (bytes), and where uploads wait between check and load.
    import_max_bytes: int = 10 * 1024 * 1024
    uploads_dir: str = str(INSTANCE_DIR / "uploads")
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none), so
    # rate limits count each client, not the proxy, and HSTS follows the client's HTTPS.
    trusted_proxies: int = 0
    # Background jobs (the PDF report, chart snapshots, XLSX): results and progress in a diskcache
    # folder shared by the workers of one machine, or Celery when a broker is set (see background_jobs).
    jobs_dir: str = str(Path(tempfile.gettempdir()) / "tj-dashboard-jobs")
    celery_broker_url: str = ""
    celery_result_backend: str = ""  # empty: the broker's URL (Redis keeps both)
    # Local jobs running at once per web worker, each with its own export browser (a Celery worker
    # has its own --concurrency); past it a report is refused with "busy, try again".
    jobs_per_worker: int = 2

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        redis_url = env.get("CACHE_REDIS_URL", "")
        return cls(
            database_url=env.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            secret_key=env.get("SECRET_KEY") or secrets.token_hex(32),
            cache_type=env.get("CACHE_TYPE", "RedisCache" if redis_url else "SimpleCache"),
            cache_redis_url=redis_url,
            cache_timeout=int(env.get("CACHE_TIMEOUT", "300")),
            seed_on_start=env.get("SEED_ON_START", "1") not in ("0", "false", "no"),
            host=env.get("HOST", "127.0.0.1"),
            port=int(env.get("PORT", "8050")),
            debug=env.get("DASH_DEBUG", "0") in ("1", "true", "yes"),
            default_language=_language(env.get("DEFAULT_LANGUAGE", "tg")),
            embed_origins=_origins(env.get("EMBED_ORIGINS", "")),
            max_request_bytes=int(env.get("MAX_REQUEST_BYTES", str(cls.max_request_bytes))),
            export_max_points=int(env.get("EXPORT_MAX_POINTS", str(cls.export_max_points))),
            export_max_traces=int(env.get("EXPORT_MAX_TRACES", str(cls.export_max_traces))),
            report_rate_limit=env.get("REPORT_RATE_LIMIT", cls.report_rate_limit),
            export_rate_limit=env.get("EXPORT_RATE_LIMIT", cls.export_rate_limit),
            login_rate_limit=env.get("LOGIN_RATE_LIMIT", cls.login_rate_limit),
            public_read=env.get("PUBLIC_READ", "1") not in ("0", "false", "no"),
            import_max_bytes=int(env.get("IMPORT_MAX_BYTES", str(cls.import_max_bytes))),
            uploads_dir=env.get("UPLOADS_DIR") or cls.uploads_dir,
            trusted_proxies=int(env.get("TRUSTED_PROXIES", "0")),
            jobs_dir=env.get("JOBS_DIR") or cls.jobs_dir,
            celery_broker_url=env.get("CELERY_BROKER_URL", ""),
            celery_result_backend=env.get("CELERY_RESULT_BACKEND", ""),
            jobs_per_worker=int(env.get("JOBS_PER_WORKER", str(cls.jobs_per_worker))),
        )


def _language(value: str) -> str:
    """A supported UI language code; anything else falls back to Tajik rather than failing."""
    value = value.strip().lower()
    return value if value in ("tg", "ru", "en") else "tg"


def _origins(value: str) -> tuple[str, ...]:
    """Space- or comma-separated origins (``https://partner.org``, ``https://*.partner.org``).

    Raises:
        ValueError: for anything that is not a bare http(s) origin, which would otherwise widen
            or break the Content-Security-Policy it is written into.
    """
    origins = tuple(value.replace(",", " ").split())
    for origin in origins:
        if not ORIGIN.fullmatch(origin):
            raise ValueError(f"EMBED_ORIGINS: {origin!r} is not an origin like https://partner.org")
    return origins
