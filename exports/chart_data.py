"""Registry of the server-side tidy tables behind each chart's CSV/XLSX download.

A chart's data download is built from the query for the page's validated params, never from the
figure or from data the browser sends. A page registers one build per chart key; a chart with no
build offers images only.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

TidyBuild = Callable[[dict[str, str]], pd.DataFrame]

_BUILDS: dict[str, TidyBuild] = {}


def register(chart_key: str, build: TidyBuild) -> TidyBuild:
    """Register `build(params) -> DataFrame` as the tidy table of `chart_key`.

    `params` are the page's query-string params as the browser sent them; the build validates
    them with the page's own filter parser, exactly as the layout does. Returns `build`, so it
    can be used as a decorator through `functools.partial`.
    """
    if chart_key in _BUILDS and _BUILDS[chart_key] is not build:
        raise ValueError(f"chart {chart_key!r} already has a tidy build")
    _BUILDS[chart_key] = build
    return build


def has_tidy_table(chart_key: str) -> bool:
    """Whether `chart_key` offers CSV/XLSX (only a registered chart does)."""
    return chart_key in _BUILDS


def tidy_table(chart_key: str, params: dict[str, str]) -> pd.DataFrame:
    """The tidy table of `chart_key` for the page params; KeyError if none is registered."""
    return _BUILDS[chart_key](dict(params))
