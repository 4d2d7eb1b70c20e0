"""Call a Dash callback over HTTP as the renderer does, background callbacks included: the first
POST starts the job and answers its signed handles, then the same POST with ``cacheKey`` and
``job`` in the query string is repeated until the answer carries the outputs (or 204)."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode


def output_key(client, prefix: str, background: bool) -> str:
    """The ``output`` string of the app's callback that starts with ``prefix`` (``allow_duplicate``
    adds a hash to it), as ``/_dash-dependencies`` lists it."""
    callbacks = client.get("/_dash-dependencies").get_json()
    (key,) = [
        c["output"] for c in callbacks if c["output"].startswith(prefix) and bool(c.get("background")) == background
    ]
    return key


def body(output: str, outputs, inputs: list[dict], state: list[dict] = ()) -> dict:
    """A request body; the first input is the one that changed."""
    first = inputs[0]
    changed = (
        json.dumps(first["id"], separators=(",", ":"), sort_keys=True) if isinstance(first["id"], dict) else first["id"]
    )
    return {
        "output": output,
        "outputs": outputs,
        "inputs": inputs,
        "state": list(state),
        "changedPropIds": [f"{changed}.{first['property']}"],
    }


def call(client, payload: dict, timeout: float = 120, address: str = "127.0.0.1", progress: list | None = None):
    """The final response of one callback call (a background one is polled until it is done);
    each progress update seen meanwhile is appended to ``progress``."""
    environ = {"REMOTE_ADDR": address}
    response = client.post("/_dash-update-component", json=payload, environ_base=environ)
    started = response.get_json(silent=True) if response.status_code == 200 else None
    if not started or "cacheKey" not in started:
        return response
    query = urlencode({"cacheKey": started["cacheKey"], "job": started["job"]})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.2)
        response = client.post(f"/_dash-update-component?{query}", json=payload, environ_base=environ)
        answer = response.get_json(silent=True) if response.status_code == 200 else None
        if answer and progress is not None and "progress" in answer:
            progress.append(answer["progress"])
        if response.status_code != 200 or (answer and "response" in answer):
            return response
    raise AssertionError(f"background callback not done after {timeout} s")
