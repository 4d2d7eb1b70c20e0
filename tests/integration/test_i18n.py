"""The language switch in a real browser: navbar, KPI labels, a chart title, a hover label, plotly's
own texts and a formatted date in Tajik, Russian and English; every other filter kept; the choice
remembered for a link without ``lang``; back returns to the previous language.

Expected texts are written out by hand (the translations as the catalogue holds them, dates as
CLDR writes them), not computed by the code under test.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from sqlalchemy import text

from app import create_app
from config import Config
from data_loaders.db import make_engine
from tests.integration.conftest import (
    click_when_clickable,
    foreign_requests,
    logs_besides_not_found,
    seeded_copy_with_accounts,
)

PARK = "/park?as_of=2026-06-30&building=all"  # a fixed date; "all" is not a building: must survive
EXPECTED = {
    "tg": {
        "h1": "Сатҳи ишғоли Парки ТИ",
        "nav": ["Шарҳи умумӣ", "Пайвастшавӣ", "Парки ТИ"],
        "kpi": "Сатҳи ишғоли Парки ТИ",
        "period": "30 Июн 2026",
        "chart": "Сатҳи ишғол дар тӯли вақт",
        "hover": ["30 Июн 2026", "Тамоми парк"],
        "reset": "Тирҳоро ба ҳолати аввала баргардонидан",
        "camera": "Боргирии диаграмма ҳамчун PNG",
        "decimal": ",",
    },
    "ru": {
        "h1": "Заполняемость ИТ-парка",
        "nav": ["Обзор", "Связь", "ИТ-парк"],
        "kpi": "Заполняемость ИТ-парка",
        "period": "30 июня 2026\u202fг.",
        "chart": "Заполняемость во времени",
        "hover": ["30 июня 2026\u202fг.", "Весь парк"],
        "reset": "Сбросить отображение осей к значениям по умолчанию",
        "camera": "Сохранить в формате PNG",
        "decimal": ",",
    },
    "en": {
        "h1": "IT Park occupancy",
        "nav": ["Overview", "Connectivity", "IT Park"],
        "kpi": "IT Park occupancy",
        "period": "June 30, 2026",
        "chart": "Occupancy over time",
        "hover": ["June 30, 2026", "Whole park"],
        "reset": "Reset axes",
        "camera": "Download plot as a PNG",
        "decimal": ".",
    },
}


def _hover_last_point(dash_duo) -> str:
    """Hover the whole park's last point (the chosen date) and return the hover label's text."""
    point = dash_duo.find_elements("#park-occupancy .scatterlayer .trace .points path")
    first_trace = dash_duo.find_elements("#park-occupancy .scatterlayer .trace")[0]
    last = first_trace.find_elements("css selector", ".points path")[-1]
    assert point  # the chart drew its points
    ActionChains(dash_duo.driver).move_to_element(last).perform()
    dash_duo.wait_for_element("#park-occupancy .hoverlayer .hovertext", timeout=10)
    return dash_duo.find_element("#park-occupancy .hoverlayer").get_attribute("textContent")


def _check_language(dash_duo, lang: str, in_url: bool = True) -> None:
    want = EXPECTED[lang]
    dash_duo.wait_for_text_to_equal("h1", want["h1"], timeout=15)
    dash_duo.wait_for_element("#park-occupancy .scatterlayer .trace .points path", timeout=15)
    nav = dash_duo.find_element("#navbar-links").get_attribute("textContent")
    assert all(name in nav for name in want["nav"]), nav
    assert "active" in dash_duo.find_element(f"#language-{lang}").get_attribute("class")
    assert dash_duo.find_element("#park-kpi-0 .kpi-label").text == want["kpi"]
    assert dash_duo.find_element("#park-kpi-0 .kpi-period").text == want["period"]
    titles = [h.text for h in dash_duo.find_elements(".chart-card .card-header h2")]
    assert want["chart"] in titles, titles
    hover = _hover_last_point(dash_duo)
    assert all(text in hover for text in want["hover"]), hover
    assert re.search(rf"\d+\{want['decimal']}\d %", hover), hover  # plotly's number format follows the locale
    # plotly's own texts come from assets/plotly-locale-*.js; the "Reset axes" button stays in the
    # modebar (the camera is removed: images come from the card's Download menu)
    reset = dash_duo.find_element("#park-occupancy .modebar-btn[data-attr='zoom'][data-val='reset']")
    assert reset.get_attribute("data-title") == want["reset"]
    titles = [b.get_attribute("data-title") for b in dash_duo.find_elements("#park-occupancy .modebar-btn")]
    assert want["camera"] not in titles, titles  # no unlabelled plot-image.png from the toolbar
    url = dash_duo.driver.current_url
    assert (f"lang={lang}" in url) == in_url and "as_of=2026-06-30" in url and "building=all" in url, url
    assert dash_duo.driver.execute_script("return document.documentElement.lang") == lang
    until(lambda: dash_duo.driver.title == want["h1"], timeout=10)  # the browser tab's title too


def test_i18n001_switch_language_everywhere_and_keep_filters(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.set_window_size(1400, 1000)  # wide enough for the navbar not to fold
    dash_duo.driver.get(dash_duo.server_url + PARK)
    _check_language(dash_duo, "en", in_url=False)  # the app's default here (the test fixture's setting)
    for lang in ("tg", "ru", "en"):
        dash_duo.find_element(f"#language-{lang}").click()
        _check_language(dash_duo, lang)
    dash_duo.driver.back()  # the switch is navigation: back returns to Russian
    _check_language(dash_duo, "ru")
    assert foreign_requests(dash_duo) == []
    assert dash_duo.get_logs() == []


def test_i18n002_language_is_remembered_for_a_link_without_it(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.driver.get(dash_duo.server_url + PARK + "&lang=tg")
    _check_language(dash_duo, "tg")
    # a link without lang (typed, bookmarked, or from an e-mail) opens in the remembered language
    dash_duo.driver.get(dash_duo.server_url + PARK)
    _check_language(dash_duo, "tg")
    # and a navbar link keeps it
    dash_duo.find_element("#navbar-links a[href^='/connectivity']").click()
    dash_duo.wait_for_text_to_equal("h1", "Фарогирии интернет дар деҳот", timeout=15)
    assert "lang=tg" in dash_duo.driver.current_url
    assert dash_duo.get_logs() == []


def test_i18n003_unknown_language_falls_back_to_the_default(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.driver.get(dash_duo.server_url + "/no-such-page?lang=xx")
    dash_duo.wait_for_text_to_equal("h1", "Page not found", timeout=15)
    dash_duo.find_element("#language-ru").click()
    dash_duo.wait_for_text_to_equal("h1", "Страница не найдена", timeout=15)
    assert logs_besides_not_found(dash_duo, "/no-such-page?lang=xx") == []


def test_i18n004_phone_switch_behind_the_menu_button(dash_duo, dashboard):
    dash_duo.start_server(dashboard)
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.driver.get(dash_duo.server_url + "/no-such-page?lang=tg")
    dash_duo.wait_for_text_to_equal("h1", "Саҳифа ёфт нашуд", timeout=15)
    dash_duo.find_element("#navbar-toggler").click()  # the folded menu opens
    dash_duo.wait_for_element("#language-ru", timeout=10)
    dash_duo.wait_for_style_to_equal("#navbar-collapse", "display", "block", timeout=10)
    dash_duo.find_element("#language-ru").click()
    dash_duo.wait_for_text_to_equal("h1", "Страница не найдена", timeout=15)
    assert logs_besides_not_found(dash_duo, "/no-such-page?lang=tg") == []


# --- no English word on any page in Tajik or Russian -------------------------------------------

PAGES = "/ /connectivity /it-sector /park /targets /data /data?indicator=TJ.MOB.4G.POP.ZS /import".split()
STAFF, STAFF_PASSWORD = "tahmina.staff", "i18n-browser-0017"
# Latin text a Tajik or Russian page may show, each for a reason; kept short on purpose.
ALLOWED_PHRASES = (
    "English",  # the language switch names each language in itself
    "Our World in Data",  # proper names of organisations, products and journals
    "Open SDG",
    "OpenStreetMap",
    "geoBoundaries",
    "gbOpen",
    "PLoS ONE",
    "Asia-Plus",
    "IT Park",  # "IT Park Uzbekistan" stays a proper name (GLOSSARY.csv)
    "CC BY-SA 4.0",  # licence identifiers
    "CC BY 4.0",
    "CC0 1.0",
    "ODbL 1.0",
    "m²",  # units
    "km²",
    "source_code",  # a column of the loader's file template, named in the bulk download's text
)
# URL paths and web addresses: /api/v1/bulk?geo=TJ,KG&theme=xx, github.com/datasets/...
# query strings (?geo=TJ,KG&from=2015), a bare extension (.json) and HTTP status classes (4xx)
ADDRESSES = re.compile(
    r"(?<![\w/])/[\w/.<>{}?=&,%-]+|\b[\w-]+\.(?:com|org|net)\b[\w/.@-]*"
    r"|\?[\w=&,%.-]+|(?<!\w)\.(?:csv|json|xlsx|zip)\b|\b\dxx\b"
)
ALLOWED_WORDS = {
    # file formats and technical acronyms named on buttons and in the API text
    "CSV", "XLSX", "PNG", "SVG", "PDF", "ZIP", "JSON", "README", "API", "UTC", "SHA",
    "IT", "US",  # "IT" as in the glossary's ИТ-парк / IT Park; US$ in a news headline
    "TJK", "ADM1", "ADM2",  # ISO 3166 alpha-3 and the geoBoundaries level codes
    "v1",  # the API's version in its paths
    "LTE",  # the mobile standard's name (4G/LTE)
    "TLS", "SSL",  # the protocols in the World Bank's definition of secure internet servers
}  # fmt: skip
CODE = re.compile(
    r"^(?!\d{4}-Q\d$)(?:"  # a quarter is not a code: "2026-Q3" is shown in words
    r"[A-Z0-9]+(?:[._-][A-Z0-9]+)+"  # indicator, source and geo codes: TJ.MOB.4G.POP.ZS, TJ-KT, WB-WDI
    r"|[\w-]+\.(?:csv|xlsx|json|zip)"  # file names in the import history and the API text
    r"|[0-9a-f]{8,}"  # checksums
    r"|/[\w/.<>{}?=&-]*"  # URL paths
    r"|\d+G|[A-Z]\d*)$"  # 2G to 5G; a building or unit code (A, B2); not "10k", "50M"
)
_COLLECT = """
const out = [];
const shown = (el) => el && el.isConnected && (!el.checkVisibility || el.checkVisibility({checkOpacity: true,
    checkVisibilityCSS: true})) && el.getClientRects().length > 0;
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim(), parent = node.parentElement;
    if (text && parent && !['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(parent.tagName) && shown(parent)) out.push(text);
}
for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (el.placeholder && shown(el)) out.push(el.placeholder);
}
// what a screen reader says for a control: its name and its tooltip (the calendar's month buttons)
for (const el of document.querySelectorAll('[aria-label], [title]')) {
    if (!shown(el)) continue;
    for (const name of ['aria-label', 'title']) if (el.getAttribute(name)) out.push(el.getAttribute(name));
}
return out;
"""


def english_words(texts: list[str], proper_names: set[str]) -> dict[str, str]:
    """Latin words of ``texts`` outside the allow-lists, each with the first text it occurs in."""
    found: dict[str, str] = {}
    for item in texts:
        rest = item
        for phrase in sorted(proper_names, key=len, reverse=True) + list(ALLOWED_PHRASES):
            rest = rest.replace(phrase, " ")
        rest = ADDRESSES.sub(" ", rest)
        for token in re.split(r"[\s,;:()«»“”\"'’]+", rest):
            token = token.strip(".!?…")
            parts = [token] if token.startswith("/") else token.split("/")  # 2G/3G, ADM1/ADM2
            for part in parts:
                if not re.search("[A-Za-z]", part) or part in ALLOWED_WORDS or CODE.match(part):
                    continue
                for word in re.findall(r"[A-Za-z]+", part):
                    if word not in ALLOWED_WORDS:
                        found.setdefault(word, item[:120])
    return found


def test_i18n005_english_word_finder_finds_english_and_spares_codes():
    names = {"Nevda Integration LLC"}
    texts = ["Манбаъ: Our World in Data (CC BY 4.0)", "TJ.MOB.4G.POP.ZS", "park_leases.csv", "10 000", "4G", "PDF"]
    texts += ["/api/v1/bulk?geo=TJ,KG&theme=xx ва", "Нусха: github.com/datasets/world-development-indicators @"]
    texts += ["/api/v1/indicators/<code>.csv и .json с ?geo=TJ,KG&from=2015&to=2023, 4xx"]
    assert english_words(texts + ["Nevda Integration LLC", "IT-парки Ӯзбекистон"], names) == {}
    found = english_words(["Select Date", "quoted news report", "10k", "2026-Q3", "50M", "Бинои a"], names)
    assert set(found) == {"Select", "Date", "quoted", "news", "report", "k", "Q", "M", "a"}
    assert english_words(["2G/3G/4G/5G", "Бинои B", "ADM1/ADM2", "/api/v1/indicators/<code>.csv"], names) == {}


def _proper_names(url: str) -> set[str]:
    """Names that are no words of a language: the park tenants' names (companies' registered, Latin
    names), the sources' codes (GEOBOUNDARIES) and the signed-in account's user name."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tenants = {row[0] for row in connection.execute(text("SELECT name FROM park_tenant"))}
            codes = {row[0] for row in connection.execute(text("SELECT code FROM source"))}
    finally:
        engine.dispose()
    return tenants | codes | {STAFF}


def _all_drawn(dash_duo) -> bool:
    """No callback running and every plotly graph on the page drawn (its SVG present)."""
    return dash_duo.driver.execute_script(
        "const graphs = [...document.querySelectorAll('.dash-graph')];"
        "return !document.querySelector('[data-dash-is-loading=true]') &&"
        " graphs.every(g => g.querySelector('.js-plotly-plot .main-svg'));"
    )


def _settled_texts(dash_duo) -> list[str]:
    """The page's texts once every chart has drawn and two readings a second apart agree."""
    until(lambda: _all_drawn(dash_duo), timeout=60)
    previous = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        texts = dash_duo.driver.execute_script(_COLLECT)
        if texts == previous and _all_drawn(dash_duo):
            return texts
        previous = texts
        time.sleep(1)
    return previous or []


def _widget_texts(dash_duo) -> list[str]:
    """Texts of the widgets' own parts: every dropdown opened, searched for nothing, closed; the
    date picker opened."""
    texts = []
    driver = dash_duo.driver
    for index in range(len(dash_duo.find_elements("button.dash-dropdown"))):
        button = dash_duo.find_elements("button.dash-dropdown")[index]
        if not button.is_displayed():
            continue
        click_when_clickable(dash_duo, button)
        search = dash_duo.wait_for_element(".dash-dropdown-content input.dash-dropdown-search", timeout=10)
        texts += driver.execute_script(_COLLECT)
        search.send_keys("zzqx")  # matches no option: the "no options" text shows
        until(lambda box=search: "zzqx" in box.get_attribute("value"), timeout=5)
        texts += driver.execute_script(_COLLECT)
        search.send_keys(Keys.ESCAPE)
        until(lambda: not dash_duo.find_elements(".dash-dropdown-content"), timeout=10)
    for wrapper in dash_duo.find_elements(".dash-datepicker-input-wrapper"):
        click_when_clickable(dash_duo, wrapper)
        dash_duo.wait_for_element(".dash-datepicker-calendar-container, .dash-datepicker-content", timeout=10)
        texts += driver.execute_script(_COLLECT)
        driver.find_element("css selector", "h1").click()  # closes the calendar
    return texts


@pytest.fixture
def staff_database(seeded_sqlite_url, tmp_path) -> str:
    """A copy of the seeded database with a staff member, so the import page shows its form."""
    accounts = [(STAFF, STAFF_PASSWORD, "staff", ["connectivity"])]
    return seeded_copy_with_accounts(seeded_sqlite_url, tmp_path / "i18n.sqlite3", accounts)


@pytest.mark.parametrize("lang", ["tg", "ru"])
def test_i18n006_no_english_word_on_any_page(dash_duo, staff_database, lang):
    app = create_app(Config(database_url=staff_database, seed_on_start=False, secret_key="test", default_language=lang))
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(1400, 1000)
    dash_duo.driver.get(f"{dash_duo.server_url}/login?{urlencode({'lang': lang, 'next': '/'})}")
    dash_duo.wait_for_element("#username", timeout=20).send_keys(STAFF)
    dash_duo.find_element("#password").send_keys(STAFF_PASSWORD)
    click_when_clickable(dash_duo, dash_duo.find_element("#login-submit"))
    until(lambda: STAFF in (dash_duo.find_element("#account-name").get_attribute("textContent") or ""), timeout=20)
    names = _proper_names(staff_database)
    found = {}
    for page in PAGES:
        dash_duo.driver.get(f"{dash_duo.server_url}{page}{'&' if '?' in page else '?'}lang={lang}")
        dash_duo.wait_for_element("h1", timeout=20)
        texts = _settled_texts(dash_duo)
        assert len(texts) > 20, (page, texts)
        texts += _widget_texts(dash_duo)
        for word, where in english_words(texts, names).items():
            found[(word, page)] = where  # per page: one run lists every page a word is left on
    assert found == {}, "\n".join(f"{word!r} on {page}: {where}" for (word, page), where in sorted(found.items()))
    # the sign-in page is plain HTML without an icon link, so the browser asks for /favicon.ico
    assert [log for log in dash_duo.get_logs() if "/favicon.ico " not in log["message"]] == []
