"""Security headers on every response (pages, assets, API, errors), and no server version banner.

* ``Content-Security-Policy``: scripts only from the app itself plus the hashes of Dash's inline
  scripts (the renderer and the clientside callbacks), no ``unsafe-eval``; everything else
  ``'self'`` (every asset is served locally). plotly.js styles its SVG with ``<style>`` elements
  and ``style`` attributes, hence ``style-src 'unsafe-inline'``; Bootstrap's CSS draws its small
  icons (the menu button, select arrows) from ``data:`` SVG images, hence ``img-src data:``
  (the CSP browser test fails without it). No workers, blobs or fonts from elsewhere are needed.
  Only the app and ``EMBED_ORIGINS`` may frame it.
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy``, ``X-Frame-Options`` for browsers
  that ignore ``frame-ancestors``, and HSTS on requests that came over HTTPS.
* :class:`QuietRequestHandler` for ``python app.py``: the development server names itself without
  the Werkzeug and Python versions (gunicorn already sends a bare ``Server: gunicorn``).

Why the hashes are computed per response and not once at start: Dash pages register the
clientside callback that sets the tab title on the first request, so ``app.csp_hashes()`` is only
complete after that request's ``before_request`` hooks; hashing the few scripts costs about 6 µs.
"""

from __future__ import annotations

from dash import Dash
from flask import Response, request
from werkzeug.serving import WSGIRequestHandler

SERVER_NAME = "dashboard"
REFERRER_POLICY = "strict-origin-when-cross-origin"
HSTS = "max-age=31536000"  # one year; subdomains are not this app's to decide


def content_security_policy(script_hashes: list[str], embed_origins: tuple[str, ...] = ()) -> str:
    """The policy text: ``'self'`` everywhere, the given inline-script hashes, the embedding origins."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'", *embed_origins],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def init_app(app: Dash, config) -> None:
    """Add the headers to every response of ``app.server``."""
    embed_origins = tuple(config.embed_origins)

    @app.server.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(app.csp_hashes(), embed_origins)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = REFERRER_POLICY
        if not embed_origins:  # X-Frame-Options cannot name other origins: frame-ancestors does
            headers["X-Frame-Options"] = "SAMEORIGIN"
        if request.is_secure:
            headers["Strict-Transport-Security"] = HSTS
        return response


class QuietRequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler without ``Server: Werkzeug/x Python/y``."""

    def version_string(self) -> str:
        return SERVER_NAME
