"""Translations: every UI string of the source tree is translated in Tajik, Russian and English.

The strings are extracted from the code with Babel's API exactly as ``python -m i18n.catalogues
update`` does, so a new ``t("...")`` without a translation fails here, naming the string. Also:
the compiled ``.mo`` files match the ``.po`` files, translations are Cyrillic (no English left over
apart from proper names and units), Tajik is not Russian copied, placeholders survive, and the
glossary's key terms are used consistently. And the language helpers the pages rely on.
"""

from __future__ import annotations

import csv
import gettext
import re
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from components.layout import footer_content, language_link_id, language_switch, nav_links
from config import Config
from i18n import (
    CONFIG_KEY,
    LANGUAGES,
    LOCALES_DIR,
    catalogues,
    date_locales,
    dropdown_labels,
    format_day,
    format_number,
    format_periods,
    format_quarter,
    language_of,
    missing_messages,
    normalise,
    translator,
    with_language,
)

GLOSSARY = LOCALES_DIR.parent / "GLOSSARY.csv"
ASSETS = Path(__file__).resolve().parents[2] / "assets"
TAJIK_LETTERS = set("ғӣқӯҳҷҒӢҚӮҲҶ")
# Latin words allowed in a Russian or Tajik translation: proper names, formats, codes and units.
LATIN_ALLOWED = {
    "png", "svg", "csv", "xlsx", "excel", "pdf", "zip", "json", "readme", "metadata", "source_code",
    "api", "v1", "indicators", "code", "bulk", "geo", "tj", "kg", "from", "to", "theme", "xx",
    "world", "development", "bank", "cc", "by", "odbl", "geoboundaries", "openstreetmap",
    "it", "park", "tx", "val", "tech", "cd", "plotly", "js", "chart", "studio", "ie", "utc", "sha",
    "open", "sdg",  # "Open SDG", the platform's proper name
    "cc0",  # the licence's name (CC0 1.0)
    "sa",  # CC BY-SA 4.0
    "github", "com", "datasets",  # the WDI copy's repository address in its citation
    "tls", "ssl", "lte",  # technical standards' names
    "netcraft", "comtrade",  # data providers' names (Netcraft; UN Comtrade)
    "gbopen", "tjk", "adm1", "adm2",  # geoBoundaries' product name, ISO code and levels
}  # fmt: skip
# Proper names kept in Latin as whole phrases (their words alone would be English).
LATIN_PHRASES = ("Our World in Data", "PLoS ONE")
# Codes and checksums a citation or method names: TJ.MOB.4G.POP.ZS, 4ebec5a2...
CODES = re.compile(r"\b[A-Z0-9]+(?:\.[A-Z0-9]+)+\b|\b[0-9a-f]{8,}\b")


@pytest.fixture(scope="module")
def extracted():
    """The catalogue Babel extracts from the source tree right now."""
    return catalogues.extract()


@pytest.fixture(scope="module", params=list(LANGUAGES))
def po(request):
    return request.param, catalogues.read(request.param)


def _translated(catalog) -> dict[str, str]:
    return {m.id: m.string for m in catalog if m.id and m.string and "fuzzy" not in m.flags}


def test_tr001_extraction_finds_the_ui(extracted):
    ids = {m.id for m in extracted if m.id}
    # strings from the frame, a page, a component, and one inside an f-string
    assert {"Digital Tajikistan · KPI dashboard", "Target met", "on previous period"} <= ids
    assert len(ids) > 100


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_tr002_every_ui_string_is_in_every_catalogue(extracted, lang):
    catalog = catalogues.read(lang)
    present = {m.id for m in catalog if m.id and "fuzzy" not in m.flags}
    missing = sorted(m.id for m in extracted if m.id and m.id not in present)
    assert missing == [], f"{lang}: run `python -m i18n.catalogues update`, then translate: {missing}"


@pytest.mark.parametrize("lang", [code for code in LANGUAGES if code != "en"])
def test_tr003_every_ui_string_is_translated(extracted, lang):
    done = _translated(catalogues.read(lang))
    untranslated = sorted(m.id for m in extracted if m.id and not done.get(m.id, "").strip())
    assert untranslated == [], f"{lang} lacks translations for: {untranslated}"


def test_tr004_compiled_catalogues_match_the_po_files(po):
    lang, catalog = po
    with open(catalogues.po_path(lang).with_suffix(".mo"), "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [m.id for m in catalog if m.id and m.string and compiled.gettext(m.id) != m.string]
    assert stale == [], f"{lang}: run `python -m i18n.catalogues compile`: {stale[:5]}"


@pytest.mark.parametrize("lang", ["ru", "tg"])
def test_tr005_translations_leave_no_english(lang):
    leftovers = {}
    for msgid, text in _translated(catalogues.read(lang)).items():
        for phrase in LATIN_PHRASES:
            text = text.replace(phrase, " ")
        text = CODES.sub(" ", re.sub(r"\{\w+\}|<\w+>", "", text))
        words = {w.lower() for w in re.findall(r"[A-Za-z_][A-Za-z_0-9]+", text)}
        unexpected = words - LATIN_ALLOWED
        if unexpected:
            leftovers[msgid] = sorted(unexpected)
    assert leftovers == {}


def test_tr006_tajik_is_tajik_not_russian():
    ru, tg = _translated(catalogues.read("ru")), _translated(catalogues.read("tg"))
    long_ones = [msgid for msgid in tg if len(msgid) > 15]
    same_as_russian = [msgid for msgid in long_ones if tg[msgid] == ru.get(msgid)]
    assert same_as_russian == []
    with_tajik_letters = [msgid for msgid in long_ones if TAJIK_LETTERS & set(tg[msgid])]
    assert len(with_tajik_letters) >= 0.6 * len(long_ones)


@pytest.mark.parametrize("lang", ["ru", "tg"])
def test_tr007_placeholders_survive(lang):
    broken = [
        msgid
        for msgid, text in _translated(catalogues.read(lang)).items()
        if sorted(re.findall(r"\{\w*\}", msgid)) != sorted(re.findall(r"\{\w*\}", text))
    ]
    assert broken == []


def _glossary() -> list[dict]:
    with open(GLOSSARY, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_tr008_glossary_has_all_three_languages():
    rows = _glossary()
    assert len(rows) >= 30
    for row in rows:
        assert row["en"] and row["ru"] and row["tg"], row
    moint = next(r for r in rows if "MoINT" in r["en"])
    assert moint["tg"] == "Вазорати саноат ва технологияҳои нав"


REFERENCE = Path(__file__).resolve().parents[2] / "seed_data" / "reference"


def _reference_names(lang: str) -> dict[str, str]:
    """English -> ``lang`` of the names the database carries (indicators' names and units, sources'
    names), as the seed's reference files hold them: the UI shows them beside the catalogue's texts."""
    pairs: dict[str, str] = {}
    with open(REFERENCE / "indicators.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pairs[row["name_en"]] = row[f"name_{lang}"]
            pairs[row["unit_en"]] = row[f"unit_{lang}"]
    with open(REFERENCE / "sources.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            pairs[row["name"]] = row[f"name_{lang}"]
    return {en: text for en, text in pairs.items() if en and text}


def _all_translations(lang: str) -> list[tuple[str, str]]:
    """(English, translation) of the catalogue and of the database's names: one text may be in both."""
    return list(_reference_names(lang).items()) + list(_translated(catalogues.read(lang)).items())


def _alternatives(cell: str) -> list[str]:
    return [s.lower() for s in cell.split("|") if s.strip()]


def glossary_offences(lang: str, translations: list[tuple[str, str]], glossary: list[dict]) -> list[tuple]:
    """(term, English, translation, why) for every translation that breaks the glossary: an English
    text holding the term whose translation lacks the decided stem, or any translation holding a
    rejected variant (``*_avoid``)."""
    off = []
    for row in glossary:
        stems, avoid = _alternatives(row[f"{lang}_stem"]), _alternatives(row.get(f"{lang}_avoid") or "")
        term = re.compile(rf"\b{re.escape(row['en'])}\b", re.IGNORECASE)
        for msgid, text in translations:
            words = re.sub(r"\{\w+\}", "", msgid)  # a {period} placeholder is no word of the text
            for kept in re.findall(r"[A-Za-z][A-Za-z ]*[A-Za-z]", text):  # a proper name kept in Latin
                words = words.replace(kept, "")  # ("Our World in Data") holds no term to translate
            if stems and term.search(words) and not any(s in text.lower() for s in stems):
                off.append((row["en"], msgid, text, "lacks " + row[f"{lang}_stem"]))
            rejected = [a for a in avoid if a in text.lower()]
            if rejected:
                off.append((row["en"], msgid, text, f"uses rejected {rejected}"))
    return off


@pytest.mark.parametrize("lang", ["ru", "tg"])
def test_tr009_key_terms_follow_the_glossary(lang):
    """Where a UI text or a database name holds a glossary term, its translation holds the glossary's
    word stem, and no translation anywhere uses a variant the glossary rejected."""
    assert glossary_offences(lang, _all_translations(lang), _glossary()) == []


def test_tr009b_the_glossary_check_catches_drift():
    """The check fails on the drifts the glossary decided against (issue 17)."""
    glossary = _glossary()
    drift = {
        "Fixed broadband subscriptions": "Муштариёни интернети собити васеъфосила",
        "IT Park tenants": "Иҷоранишинони Парки ТИ",
        "Median mobile download speed": "Суръати миёнаи боргирии мобилӣ",
        "Internet users (district estimate)": "Истифодабарандагони Интернет (арзёбии ноҳиявӣ)",
        "Data until {quarter}": "Маълумот то {quarter}",  # a placeholder is no term: no offence
    }
    offended = {msgid for _term, msgid, _text, _why in glossary_offences("tg", list(drift.items()), glossary)}
    assert offended == set(drift) - {"Data until {quarter}"}
    assert glossary_offences("ru", [("Report for the quarter", "Отчёт за период")], glossary)  # no квартал
    # each drifting term is decided: one stem to use and the variants to avoid
    decided = {row["en"]: row for row in glossary}
    assert decided["tenant"]["tg_stem"] == "иҷорагир" and "иҷоранишин" in decided["tenant"]["tg_avoid"]
    assert decided["broadband"]["tg_stem"] == "фарохмаҷро" and decided["broadband"]["tg_avoid"] == "васеъфосила"
    assert decided["median"]["tg_stem"] == "медиан" and "миёна" in decided["median"]["tg_avoid"]
    assert decided["quarter"]["tg_stem"] == "семоҳа" and "квартал" in decided["quarter"]["ru_stem"]


def test_tr010_plotly_locales_are_served_from_assets():
    tajik = (ASSETS / "plotly-locale-tg.js").read_text(encoding="utf-8")
    assert 'name: "tg"' in tajik and "Январ" in tajik and "Декабр" in tajik
    assert "Plotly.register(locale)" in tajik
    russian = (ASSETS / "plotly-locale-ru.js").read_text(encoding="utf-8")
    assert 'name:"ru"' in russian and "PlotlyLocales" in russian


# --- the helpers pages and the frame rely on ---------------------------------------------------


def test_tr011_language_comes_from_the_url_or_the_default():
    assert language_of("?metric=4g&lang=ru") == "ru"
    assert language_of("lang=en") == "en"
    assert language_of("?lang=fr") is None
    assert language_of(None) is None
    assert normalise("xx") == "tg" and normalise(None) == "tg" and normalise(["ru", "en"]) == "tg"
    assert normalise(None, default="en") == "en"


def test_tr012_configured_default_language():
    server = Flask(__name__)
    server.config[CONFIG_KEY] = "ru"
    with server.app_context():
        assert normalise(None) == "ru"
        assert normalise("en") == "en"
        assert translator(None)("Target met") == "Цель достигнута"
    assert Config.from_env({"DEFAULT_LANGUAGE": "EN"}).default_language == "en"
    assert Config.from_env({"DEFAULT_LANGUAGE": "fr"}).default_language == "tg"
    assert Config.from_env({}).default_language == "tg"


def test_tr013_switching_keeps_every_other_parameter():
    search = "?metric=4g&from=2020-Q1&region=TJ-KT&lang=en"
    assert with_language(search, "tg") == "?metric=4g&from=2020-Q1&region=TJ-KT&lang=tg"
    assert with_language("", "ru") == "?lang=ru"
    assert with_language("?q=a+b&q=c", "en") == "?q=a+b&q=c&lang=en"
    links = language_switch("/connectivity", search, "en")
    hrefs = {item.children.id: item.children.href for item in links}
    assert hrefs[language_link_id("ru")] == "/connectivity?metric=4g&from=2020-Q1&region=TJ-KT&lang=ru"
    assert [item.children.active for item in links] == [False, False, True]
    assert [item.children.children.children for item in links] == ["Тоҷикӣ", "Русский", "English"]


def test_tr014_navbar_links_are_translated_and_keep_the_language():
    pages = [
        {"name": "Overview", "relative_path": "/", "order": 0},
        {"name": "IT Park", "relative_path": "/park", "order": 3},
        {"name": "Hidden", "relative_path": "/404", "order": None},
    ]
    links = [item.children for item in nav_links(pages, "/park", "tg")]
    assert [(link.children, link.href, link.active) for link in links] == [
        ("Шарҳи умумӣ", "/?lang=tg", False),
        ("Парки ТИ", "/park?lang=tg", True),
    ]


def test_tr015_footer_and_formats_follow_the_language():
    assert "Агентии омори назди Президенти" in str(footer_content("tg"))
    assert "Всемирный банк" in str(footer_content("ru"))
    assert format_day(date(2026, 11, 28), "tg") == "28 Ноябр 2026"
    assert format_day(date(2026, 11, 28), "ru") == "28 ноября 2026\u202fг."
    assert format_day(date(2026, 11, 28), "en") == "November 28, 2026"
    assert format_number(1234.5, 1, "ru") == "1\xa0234,5"
    assert format_number(1234.5, 1, "en") == "1,234.5"


# Views with their query strings: every page rendered with filters that reach its other texts.
VIEWS = {
    "/": [{}],
    "/connectivity": [{}, {"metric": "speed", "region": "TJ-KT"}, {"metric": "schools", "district": "TJ-KT-05"}],
    "/it-sector": [{}, {"view": "index"}, {"view": "yoy", "park": "1", "subsector": "software"}, {"measure": "jobs"}],
    "/park": [{}, {"building": "B2"}, {"as_of": "2024-01-31"}],
    "/targets": [{}, {"theme": "park"}, {"theme": "it_sector", "region": "TJ-DU"}],
    "/data": [{}, {"kind": "synthetic", "q": "4G"}, {"indicator": "TJ.MOB.4G.POP.ZS"}, {"indicator": "nope"}],
    "/404": [{}],
}


@pytest.mark.parametrize("lang", ["tg", "ru"])
def test_tr016_every_page_asks_only_for_translated_texts(seeded_sqlite_url, lang):
    """Render every page: catches ``t(value)`` whose value no extractor can see (built or looked up)."""
    import dash

    from app import create_app

    app = create_app(Config(database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test"))
    missing_messages(clear=True)
    rendered = 0
    for page in dash.page_registry.values():
        for params in VIEWS.get(page["path"], [{}]):
            with app.server.test_request_context():
                layout = page["layout"]
                str(layout(lang=lang, **params) if callable(layout) else layout)
                rendered += 1
    assert rendered >= len(VIEWS)
    assert missing_messages(clear=True) == set()


def test_tr017_quarters_are_written_in_words():
    """GLOSSARY.csv, "quarter": 2026-Q3 is "3-юм семоҳаи 2026" and "3 кв. 2026"; codes stay in URLs."""
    assert format_quarter("2026-Q3", "tg") == "3-юм семоҳаи 2026"
    assert format_quarter("2018-Q1", "tg") == "1-ум семоҳаи 2018"
    assert format_quarter("2026-Q3", "ru") == "3 кв. 2026"
    assert format_quarter("2026-Q3", "en") == "2026-Q3"
    assert format_quarter("2026", "tg") == "2026" and format_quarter("2026-06-30", "ru") == "2026-06-30"
    assert format_periods("2018-Q1 – 2026-Q4", "ru") == "1 кв. 2018 – 4 кв. 2026"


def test_tr018_widget_texts_follow_the_language():
    """Dash's dropdown texts come through the catalogue; the date pickers' month and weekday names
    are CLDR's (Babel), written to the asset by ``python -m i18n.date_locales``."""
    labels = dropdown_labels(translator("tg"))
    assert labels["search"] == "Ҷустуҷӯ" and labels["no_options_found"] == "Ягон мувофиқат ёфт нашуд"
    assert dropdown_labels(translator("ru"))["selected_count"] == "Выбрано: {num_selected}"
    asset = (ASSETS / "datefns-locales.js").read_text(encoding="utf-8")
    assert asset == date_locales.render(), "run `python -m i18n.date_locales`"
    tajik, russian = date_locales.names("tg"), date_locales.names("ru")
    assert tajik["months"]["wide"][11] == "Декабр" and tajik["days"]["short"] == ["Я", "Д", "С", "Ч", "П", "Ҷ", "Ш"]
    assert russian["months"]["wide"][0] == "январь" and russian["days"]["short"][0] == "вс"
    assert tajik["weekStartsOn"] == russian["weekStartsOn"] == 1  # Monday
