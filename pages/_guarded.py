"""Guards for page layouts and their callbacks: a database that is down shows a banner, not a traceback."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from dash.exceptions import PreventUpdate

from data_loaders.cached import DatabaseUnavailable


def guarded(layout: Callable) -> Callable:
    """Wrap a page's layout so that a database failure shows a clear banner, not a traceback."""
    from components.layout import status_banner

    @functools.wraps(layout)
    def wrapper(*args, **kwargs):
        try:
            return layout(*args, **kwargs)
        except DatabaseUnavailable:
            return status_banner(kwargs.get("lang"))

    return wrapper


def guarded_update(update: Callable) -> Callable:
    """Wrap a chart callback: when the database is down the charts keep the view they show (the
    failure is logged by the query adapter) instead of an error in the browser."""

    @functools.wraps(update)
    def wrapper(*args, **kwargs):
        try:
            return update(*args, **kwargs)
        except DatabaseUnavailable:
            logging.getLogger("dashboard").warning("%s: database unavailable, view left as it is", update.__name__)
            raise PreventUpdate from None

    return wrapper
