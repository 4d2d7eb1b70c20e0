"""The language switch in a real browser: navbar, KPI labels, a chart title, a hover label, plotly's
own texts and a formatted date in Tajik, Russian and English; every other filter kept; the choice
remembered for a link without ``lang``; back returns to the previous language.

Expected texts are written out by hand (the translations as the catalogue holds them, dates as
CLDR writes them), not computed by the code under test.
"""

from __future__ import annotations

import re

from dash.testing.wait import until
from selenium.webdriver.common.action_chains import ActionChains

from tests.integration.conftest import foreign_requests, logs_besides_not_found

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
