"""A reason the data layer gives (a refused roll-back), in English and in the reader's language.

``Reason`` is the English sentence itself, so the command line, logs and tests use it as a
plain ``str``; it also keeps its message id and values, so a page shows it translated with
:func:`in_language`. The message ids are marked with ``N_`` where they are written.
"""

from __future__ import annotations

from collections.abc import Callable


class Reason(str):
    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params: object) -> Reason:
        reason = super().__new__(cls, msgid.format(**params))
        reason.msgid, reason.params = msgid, params
        return reason

    def __reduce__(self):  # the query cache pickles refusals: keep the id and values
        return (_rebuild, (self.msgid, self.params))


def _rebuild(msgid: str, params: dict) -> Reason:
    return Reason(msgid, **params)


def in_language(text: str, t: Callable[[str], str]) -> str:
    """``text`` in the language of ``t`` when it is a :class:`Reason`, else as it is."""
    if isinstance(text, Reason):
        return t(text.msgid).format(**text.params)
    return text
