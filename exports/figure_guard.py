"""A figure that came from the browser, made safe for the server's export browser to render.

Why: the chart menu sends the live figure (``pages/_exports.py``), so a crafted request can send
anything. Rendered as is, ``layout.images[].source`` made the export Chromium fetch
``http://127.0.0.1:<port>/`` or read ``file:///...``, and a 300,000-point figure cost 20 s of CPU.
:func:`safe_figure` keeps only what a chart of this app can hold:

* trace types from :data:`TRACE_TYPES` (a whitelist: no maps, no image traces), ``data`` and
  ``layout`` only (no animation ``frames``), and at most ``max_traces`` traces and ``max_points``
  array items in all (every array, nested or base64-encoded, counts);
* no URL-bearing property: ``images`` (in the layout and its template), map and geo subplots,
  ``source``/``src``/``href``/``geojson`` and chart-studio ``*src`` keys are dropped;
* no URL anywhere: a string naming a scheme (``http:``, ``file:``, ...), ``//`` or ``url(`` is
  dropped (blanked inside an array, so the other points keep their places);
* in texts only plain tags (``<b>``, ``<br>``, ...) without attributes: ``<a href>``, ``<img>``
  and ``<span style=...>`` are removed, their text kept;

and then plotly's own schema drops every attribute it does not know.
A figure over the limits raises :class:`FigureRefused`, whose message says why.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re

import plotly.graph_objects as go

log = logging.getLogger("dashboard")

# Trace types a chart of this app may have: cartesian and pie charts, nothing that loads tiles,
# geometry or pictures.
TRACE_TYPES = frozenset({"bar", "scatter", "pie", "heatmap", "histogram", "box", "waterfall", "funnel"})
FIGURE_PARTS = {"data": [], "layout": {}}  # what is kept of a figure, and its value when missing
# Properties whose value is (or holds) something the browser would load.
DROPPED_KEYS = frozenset({"images", "geojson", "source", "src", "href"})
# Subplots no whitelisted trace draws on (map tiles, world outlines): dropped without a word,
# since plotly's default template has a ``geo`` entry.
UNUSED_SUBPLOTS = frozenset({"geo", "map", "mapbox"})
URL = re.compile(
    r"\b(?:https?|ftps?|file|wss?|blob|filesystem|javascript|vbscript|view-source|chrome[\w-]*)\s*:"
    r"|\bdata\s*:\s*[\w.+-]+/|url\s*\(|//",
    re.IGNORECASE,
)
TAG = re.compile(r"<[^<>]*>")
PLAIN_TAG = re.compile(r"</?(?:b|i|em|sup|sub|s|u|span|br|extra)\s*/?>", re.IGNORECASE)
# Deeper than any plotly figure (a template's nested colorbar ticks are about 8 levels).
MAX_DEPTH = 24
# Bytes per item of plotly's base64 arrays ({"dtype": "f8", "bdata": "..."}).
ITEM_BYTES = {"i1": 1, "u1": 1, "i2": 2, "u2": 2, "i4": 4, "u4": 4, "f4": 4, "f8": 8}


class FigureRefused(ValueError):
    """The figure is too large or not a chart this app draws; the message says which."""


class _Cleaner:
    """One pass over a figure: the cleaned copy, the number of array items, what was removed."""

    def __init__(self, max_points: int) -> None:
        self.max_points = max_points
        self.points = 0
        self.removed: list[str] = []

    def value(self, value: object, path: str, depth: int = 0) -> tuple[bool, object]:
        """(keep, cleaned value) for one value at ``path``."""
        if depth > MAX_DEPTH:
            raise FigureRefused(f"nested deeper than {MAX_DEPTH} levels at {path}")
        if isinstance(value, str):
            return self.text(value, path)
        if isinstance(value, dict):
            return True, self.mapping(value, path, depth)
        if isinstance(value, list):
            return True, self.array(value, path, depth)
        if value is None or isinstance(value, bool | int | float):
            return True, value
        self.removed.append(path)
        return False, None

    def text(self, value: str, path: str) -> tuple[bool, str | None]:
        if URL.search(value):
            self.removed.append(path)
            return False, None
        cleaned = TAG.sub(lambda tag: tag.group(0) if PLAIN_TAG.fullmatch(tag.group(0)) else "", value)
        if cleaned != value:
            self.removed.append(path)
        return True, cleaned

    def mapping(self, value: dict, path: str, depth: int) -> dict:
        if "bdata" in value:
            self.count(_encoded_items(value, path), path)
        result = {}
        for key, item in value.items():
            name = str(key)
            if name in UNUSED_SUBPLOTS:
                continue
            if name in DROPPED_KEYS or name.endswith("src"):
                self.removed.append(f"{path}.{name}")
                continue
            keep, cleaned = self.value(item, f"{path}.{name}", depth + 1)
            if keep:
                result[name] = cleaned
        return result

    def array(self, value: list, path: str, depth: int) -> list:
        self.count(len(value), path)
        cleaned = []
        for index, item in enumerate(value):
            keep, item = self.value(item, f"{path}[{index}]", depth + 1)
            cleaned.append(item if keep else "")
        return cleaned

    def count(self, items: int, path: str) -> None:
        self.points += items
        if self.points > self.max_points:
            raise FigureRefused(f"more than {self.max_points} array items (at {path})")


def _encoded_items(value: dict, path: str) -> int:
    """How many items a base64 array holds, from its length and item type."""
    data = value.get("bdata")
    if not isinstance(data, str) or value.get("dtype") not in ITEM_BYTES:
        raise FigureRefused(f"unreadable encoded array at {path}")
    try:
        size = len(base64.b64decode(data, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise FigureRefused(f"unreadable encoded array at {path}") from exc
    return size // ITEM_BYTES[value["dtype"]]


def _check_traces(figure: dict, max_traces: int) -> None:
    data = figure.get("data") or []
    if not isinstance(data, list) or not all(isinstance(trace, dict) for trace in data):
        raise FigureRefused("figure data is not a list of traces")
    if len(data) > max_traces:
        raise FigureRefused(f"{len(data)} traces, more than {max_traces}")
    for trace in data:
        kind = trace.get("type", "scatter")
        if kind not in TRACE_TYPES:
            raise FigureRefused(f"trace type {kind!r} is not exported")


def _template_traces(layout: dict) -> None:
    """Keep only whitelisted trace types in the template's defaults (they are traces too)."""
    template = layout.get("template")
    if isinstance(template, dict) and isinstance(template.get("data"), dict):
        template["data"] = {kind: traces for kind, traces in template["data"].items() if kind in TRACE_TYPES}


def safe_figure(figure: object, max_points: int, max_traces: int) -> dict:
    """The figure with nothing the export browser could fetch, within the size limits.

    Args:
        figure: a plotly figure as a dict, as sent by the browser (untrusted).
        max_points: most array items allowed over the whole figure.
        max_traces: most traces allowed.

    Returns:
        A new figure dict (``data`` and ``layout``) that plotly's schema accepts.

    Raises:
        FigureRefused: too many traces or points, a trace type not on the list, a broken shape.
    """
    if not isinstance(figure, dict):
        raise FigureRefused("figure is not an object")
    _check_traces(figure, max_traces)
    cleaner = _Cleaner(max_points)
    cleaned = {key: cleaner.value(figure.get(key) or empty, key)[1] for key, empty in FIGURE_PARTS.items()}
    if not isinstance(cleaned["layout"], dict):
        raise FigureRefused("figure layout is not an object")
    _template_traces(cleaned["layout"])
    if cleaner.removed:
        log.warning("export figure: removed %d unsafe values, e.g. %s", len(cleaner.removed), cleaner.removed[:5])
    return go.Figure(cleaned, skip_invalid=True).to_plotly_json()
