"""The page's query string read and rewritten: one rule for every page whose view lives in its URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode


def query_params(search: str | None) -> dict:
    """``?a=1&b=2`` -> ``{"a": "1", "b": "2"}`` (the first value of a repeated key)."""
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}


def search_string(current: str | None, **values) -> str:
    """The query string with ``values`` set (None/False/'' removed, True as "1"), other keys such as lang kept."""
    params = query_params(current)
    for key, value in values.items():
        if value in (None, "", False):
            params.pop(key, None)
        else:
            params[key] = "1" if value is True else str(value)
    return "?" + urlencode(params) if params else ""
