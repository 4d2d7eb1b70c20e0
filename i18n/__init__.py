"""Languages of the UI: Tajik (default), Russian, English.

UI strings go through gettext catalogues managed with Babel (``i18n/locales/<lang>/LC_MESSAGES``):

* in code, get a translator for the page's language and call it: ``t = translator(lang)``;
  ``t("Rural internet coverage")``; strings defined at import time are marked with ``N_(...)``
  and translated where they are shown;
* ``pybabel extract -F babel.cfg -k t -k N_ -o i18n/messages.pot .`` collects them;
  ``pybabel update``/``compile`` as in the README.

Indicator, region and district names come from the database's ``name_en/ru/tg`` columns, not
from here. Numbers and dates are formatted for the locale with Babel.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = {"tg": "Тоҷикӣ", "ru": "Русский", "en": "English"}
DEFAULT_LANGUAGE = "tg"
# The Flask config key holding the app's default language (``Config.default_language``).
CONFIG_KEY = "DEFAULT_LANGUAGE"


def default_language() -> str:
    """The running app's default language (setting ``DEFAULT_LANGUAGE``), Tajik outside an app."""
    from flask import current_app, has_app_context

    if has_app_context():
        configured = current_app.config.get(CONFIG_KEY)
        if configured in LANGUAGES:
            return configured
    return DEFAULT_LANGUAGE


def normalise(lang: str | None, default: str | None = None) -> str:
    """A supported language code; anything else (None, '', 'fr') falls back to the default.

    Without an explicit ``default`` the app's configured default language is used, so a URL
    without ``?lang=`` opens in the language the deployment chose.
    """
    if isinstance(lang, str) and lang in LANGUAGES:
        return lang
    return default if default is not None else default_language()


def language_of(search: str | None) -> str | None:
    """The ``lang`` of a query string (``?a=1&lang=ru``) if it names a supported language."""
    value = dict(parse_qsl((search or "").lstrip("?"))).get("lang")
    return value if value in LANGUAGES else None


def with_language(search: str | None, lang: str) -> str:
    """The query string with ``lang`` set and every other parameter kept, in its order."""
    params = [(k, v) for k, v in parse_qsl((search or "").lstrip("?"), keep_blank_values=True) if k != "lang"]
    params.append(("lang", lang))
    return "?" + urlencode(params)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Mark a string for extraction without translating it now."""
    return message


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation("messages", localedir=LOCALES_DIR, languages=[lang], fallback=True)


# Texts asked for in Tajik or Russian that the catalogue does not hold (kept small: a set of ids),
# so a test can render every page and catch ``t(value)`` calls no extractor can see.
_MISSING: set[str] = set()


def missing_messages(clear: bool = False) -> set[str]:
    """The texts requested through :func:`translator` in tg/ru without a translation so far."""
    found = set(_MISSING)
    if clear:
        _MISSING.clear()
    return found


def translator(lang: str | None) -> Callable[[str], str]:
    """The gettext function for ``lang``; an untranslated string comes back unchanged."""
    lang = normalise(lang)
    catalogue = _catalogue(lang)
    if lang == "en":
        return catalogue.gettext
    known = getattr(catalogue, "_catalog", {})

    def gettext_(message: str) -> str:
        if message and message not in known:
            _MISSING.add(message)
        return catalogue.gettext(message)

    return gettext_


def format_number(value: float | None, decimals: int = 0, lang: str | None = None) -> str:
    """A number with the locale's digit grouping and decimal sign; an em dash for no value."""
    if value is None or value != value:  # None or NaN
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=normalise(lang))


def format_day(day: date, lang: str | None = None) -> str:
    """A date in the locale's long form (28 ноября 2026 г.)."""
    return format_date(day, format="long", locale=normalise(lang))


def format_month(day: date, lang: str | None = None) -> str:
    """A month and year in the locale's short form (нояб. 2026)."""
    return format_date(day, format="LLL y", locale=normalise(lang))
