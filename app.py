"""Tajikistan digitalization KPI dashboard: the app factory and the development server.

``python app.py`` serves on HOST:PORT (127.0.0.1:8050); ``gunicorn app:server`` in production.
"""

from __future__ import annotations

import logging
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

import background_jobs
from accounts import web as accounts_web
from api import blueprint as api_blueprint
from api import health
from components.layout import MAIN, footer, navbar, skip_link
from config import Config
from data_loaders import cached
from data_loaders.seed import prepare_database
from pages import _exports, _frame, _status_codes, _view_routing  # noqa: F401 - _exports registers the export hooks
from security import headers, rate_limits

log = logging.getLogger("dashboard")
HERE = Path(__file__).resolve().parent
TITLE = "Tajikistan Digitalization Dashboard"


def _shell() -> html.Div:
    """The frame around every page: navigation, the page, the footer. A page whose data cannot be
    read says so itself (``pages._guarded.guarded``), in the UI language, so the frame adds nothing."""
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            _view_routing.shown_view_store(),
            skip_link(),
            navbar(dash.page_registry.values()),
            html.Main(
                dbc.Container([dash.page_container], fluid=True, className="py-3 page-body"),
                id=MAIN,
                tabIndex=-1,  # the skip link moves focus here
            ),
            footer(),
        ]
    )


def create_app(config: Config | None = None) -> Dash:
    """Build the app: configuration, database (upgraded and seeded), cache, pages."""
    config = config or Config.from_env()
    try:
        engine = prepare_database(config.database_url, log=print, seed=config.seed_on_start)
        error = None
    except SQLAlchemyError as exc:  # the app still starts and says so, instead of a traceback
        log.error("database unavailable: %s", exc)
        engine, error = None, str(exc.__class__.__name__)
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        title=TITLE,
        update_title=None,
        suppress_callback_exceptions=True,
        routing_callback_inputs=_view_routing.ROUTING_INPUTS,
        serve_locally=True,
        compress=True,  # flask-compress: br or gzip, as the client accepts
        background_callback_manager=background_jobs.manager_for(config),  # the report and slow exports
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.server.config["SECRET_KEY"] = config.secret_key
    # Bodies over the cap get 413; pages/_exports.py reads the export caps; per-client rate limits.
    app.server.config.update(
        MAX_CONTENT_LENGTH=config.max_request_bytes,
        EXPORT_MAX_POINTS=config.export_max_points,
        EXPORT_MAX_TRACES=config.export_max_traces,
    )
    if config.trusted_proxies:  # the client's address and scheme, as the proxies say
        hops = config.trusted_proxies
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=hops, x_proto=hops)
    rate_limits.init_app(app.server, config)
    accounts_web.init_app(app, config, rate_limits.login_limit(app.server))  # sign-in and the role of every request
    cached.init_app(app.server, engine, config, error)
    health.init_app(app.server)
    _frame.init_app(app, config.default_language)  # ?lang=, the remembered language, the frame's texts
    app.server.register_blueprint(api_blueprint)  # /api/v1: stable URLs for machines
    app.layout = _shell
    _view_routing.init_app(app)  # the router leaves a page alone when only its query changed
    _status_codes.init_app(app)  # 404 for a path that is no page
    headers.init_app(app, config)  # CSP and the other security headers on every response
    return app


_instance: Dash | None = None


def __getattr__(name: str):
    """``app`` and ``server`` are built on first access (``gunicorn app:server``), so tests can
    import :func:`create_app` without touching the default database."""
    global _instance
    if name in ("app", "server"):
        if _instance is None:
            _instance = create_app()
        return _instance if name == "app" else _instance.server
    raise AttributeError(name)


if __name__ == "__main__":
    cfg = Config.from_env()
    create_app(cfg).run(host=cfg.host, port=cfg.port, debug=cfg.debug, request_handler=headers.QuietRequestHandler)
