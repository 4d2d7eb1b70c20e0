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
import re
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


_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# Tajik ordinal suffixes after a digit (1-ум, 2-юм, 3-юм, 4-ум): GLOSSARY.csv, "quarter"
_TG_ORDINAL = {"1": "ум", "2": "юм", "3": "юм", "4": "ум"}


def format_quarter(period: str, lang: str | None = None) -> str:
    """A quarter code ("2026-Q3") in the UI language's words: "3-юм семоҳаи 2026", "3 кв. 2026";
    English keeps the code. Anything that is not a quarter code comes back unchanged."""
    found = _QUARTER.match(str(period))
    lang = normalise(lang)
    if not found or lang == "en":
        return period
    year, quarter = found.groups()
    if lang == "tg":
        return f"{quarter}-{_TG_ORDINAL[quarter]} семоҳаи {year}"
    return f"{quarter} кв. {year}"


def format_periods(text: str, lang: str | None = None) -> str:
    """Every quarter code inside ``text`` ("2018-Q1 – 2026-Q3") in the UI language's words."""
    return re.sub(r"\b\d{4}-Q[1-4]\b", lambda m: format_quarter(m.group(0), lang), text)


def dropdown_labels(t: Callable[[str], str]) -> dict[str, str]:
    """The texts of Dash 4's own dropdown parts (its ``labels`` prop: the search box, "no options
    found"...) through the page's translator ``t``; pass as ``dcc.Dropdown(..., labels=...)``."""
    return {
        "search": t("Search"),
        "no_options_found": t("No options found"),
        "clear_search": t("Clear search"),
        "clear_selection": t("Clear selection"),
        "select_all": t("Select all"),
        "deselect_all": t("Deselect all"),
        "selected_count": t("{num_selected} selected"),
    }


def calendar_labels(t: Callable[[str], str]) -> dict[str, str]:
    """The names Dash 4's date picker gives its buttons and year field in English only ("Previous
    month", "Close calendar"), through the page's translator ``t``, as data attributes for an
    element next to the picker: assets/05_accessibility.js names the open calendar's parts with them."""
    return {
        "data-calendar-previous-month": t("Previous month"),
        "data-calendar-next-month": t("Next month"),
        "data-calendar-close": t("Close calendar"),
        "data-calendar-clear": t("Clear date"),
        "data-calendar-increase": t("Increase value"),
        "data-calendar-decrease": t("Decrease value"),
        "data-calendar-year": t("Year"),
    }


def reference_text(text: str, lang: str | None = None) -> str:
    """A text of the reference data (a source's name or citation, an indicator's definition or
    method) in the UI language when the catalogue holds it (``catalogues.reference_messages``),
    else as stored: a file loaded later may bring texts no translator has seen yet."""
    lang = normalise(lang)
    if not text or lang == "en":
        return text
    return _catalogue(lang).gettext(text)
