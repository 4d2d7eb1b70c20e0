"""Overview: what a decision-maker sees first. A roll-up line per theme ("2 on track, 1 at risk"),
then each theme's KPIs from the registry, worst-off first, each with its target, status, a
sparkline and a link to its view; then what changed and how fresh the data is."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import html

from components.chart_card import ChartContent, chart_card_of
from components.figures import line_figure
from components.kpi_card import Kpi, kpi_card
from components.overview_changes import freshness_table, largest_moves, loads_list, moves_list
from components.query_string import query_params
from components.registry_kpi import kpi_from_registry
from data_loaders.cached import query
from data_loaders.queries import common, kpis, overview
from exports.chart_data import ChartData
from exports.chart_data import register as register_data
from i18n import N_, normalise, translator
from metrics import kpis as registry
from metrics.anticipated_progress import RULE as ESCAP_RULE
from metrics.anticipated_progress import SEVERITY, rollup
from metrics.kpis import KpiDefinition
from metrics.status import NO_DATA
from pages._guarded import guarded
from pages._view_routing import view_page

dash.register_page(
    __name__,
    path="/",
    name=N_("Overview"),
    title="Overview",
    order=0,
    description="Headline KPIs of connectivity, the IT sector and the IT Park, with targets and status.",
)

NEIGHBOURS = ["TJ", "KG", "UZ", "KZ", "AF"]
INTERNET_CHART, INTERNET = "overview-internet-users", "IT.NET.USER.ZS"
# the registry keys shown, per theme; within a theme the worst-off KPI comes first
CARDS = {
    "connectivity": (
        "coverage_4g_rural",
        "urban_rural_gap",
        "coverage_4g",
        "uncovered_3g",
        "schools_broadband",
        "download_speed",
        "internet_users",
    ),
    "it_sector": ("it_companies", "it_jobs", "it_exports"),
    "park": ("park_occupancy", "park_tenants", "park_jobs"),
}


def card_id(key: str) -> str:
    """The DOM id of a KPI card."""
    return "ovw-kpi-" + key.replace("_", "-")


def _href(definition: KpiDefinition, lang: str, today: date) -> str:
    params = definition.query_string
    if definition.page == "/park":
        params["as_of"] = today.isoformat()
    params["lang"] = lang
    return dash.get_relative_path(definition.page) + "?" + urlencode(params)


def _kpi(key: str, lang: str, today: date) -> Kpi:
    definition = registry.get(key)
    data = query(kpis.kpi_data, key, today, lang)
    return kpi_from_registry(definition, data, today, lang, _href(definition, lang, today))


def _worst_first(cards: list[tuple[str, Kpi]]) -> list[tuple[str, Kpi]]:
    def rank(card: tuple[str, Kpi]) -> int:
        return SEVERITY.index(card[1].progress.status if card[1].progress else NO_DATA)

    return sorted(cards, key=rank)  # stable: the listed order within a status


def rollup_line(theme: str, cards: list[tuple[str, Kpi]], lang: str) -> str:
    """ "Connectivity: 2 on track, 1 at risk, 3 off track, 1 without target"."""
    t = translator(lang)
    counts = rollup([k.progress.status if k.progress else NO_DATA for _key, k in cards])
    text = t("{theme}: {on_track} on track, {at_risk} at risk, {off_track} off track").format(
        theme=t(registry.THEMES[theme]), **counts
    )
    if counts["no_target"]:
        text += ", " + t("{count} without target").format(count=counts["no_target"])
    return text


def _kpi_section(theme: str, cards: list, lang: str) -> html.Div:
    t = translator(lang)
    return html.Div(
        [
            html.H2(t(registry.THEMES[theme]), className="h5 mt-2"),
            dbc.Row(
                [dbc.Col(kpi_card(kpi, card_id(key), lang), xs=12, sm=6, lg=3, className="mb-3") for key, kpi in cards],
                className="g-2",
            ),
        ],
        className=f"ovw-section ovw-{theme}",
    )


def _changes(cards: list, lang: str, today: date) -> dbc.Row:
    t = translator(lang)
    names = {code: t(name) for code, name in registry.THEMES.items()}
    panels = [
        (t("Largest moves since the previous period"), moves_list(largest_moves(cards), lang)),
        (t("Newest data loaded"), loads_list(query(overview.recent_loads, 5), lang)),
        (t("How fresh each theme's data is"), freshness_table(query(overview.freshness, today), names, today, lang)),
    ]
    return dbc.Row(
        [
            dbc.Col(
                dbc.Card(
                    [dbc.CardHeader(html.H3(title, className="h6 mb-0")), dbc.CardBody(body)],
                    className="h-100 shadow-sm",
                ),
                lg=4,
                className="mb-3",
            )
            for title, body in panels
        ],
        id="ovw-changes",
    )


def _internet(lang: str):
    return query(common.series, INTERNET, NEIGHBOURS, "total", lang)


def internet_content(lang: str) -> ChartContent:
    """Internet use in Tajikistan and its neighbours, as the World Bank publishes it."""
    t = translator(lang)
    internet = _internet(lang)
    return ChartContent(
        t("Individuals using the Internet, Tajikistan and neighbours"),
        line_figure(internet, "period_start", "value", color="geo_name", unit=t("% of population")),
        query(common.sources, sorted(internet["source_code"].unique()), lang=lang),
        t("% of population, 2000 to latest year"),
        lang,
    )


def _language(search: str | None) -> dict:
    return {"lang": normalise(query_params(search).get("lang"))}


register_data(
    ChartData(
        INTERNET_CHART,
        "/",
        _language,
        lambda f: _internet(f["lang"]).assign(indicator_code=INTERNET, breakdown="total"),
        lambda f: internet_content(f["lang"]),
        lambda f: "internet-users-tajikistan-and-neighbours",
    )
)


@view_page("/")  # no filters: a link to the Overview while it is shown leaves it as it is
@guarded
def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise(lang)
    t = translator(lang)
    today = date.today()
    sections = {theme: _worst_first([(key, _kpi(key, lang, today)) for key in keys]) for theme, keys in CARDS.items()}
    return html.Div(
        [
            html.H1(t("Overview"), className="h3 mb-1"),
            html.Ul(
                [
                    html.Li(rollup_line(theme, cards, lang), className=f"ovw-rollup-{theme}")
                    for theme, cards in sections.items()
                ],
                className="list-unstyled small mb-2 ovw-rollup",
            ),
            *[_kpi_section(theme, cards, lang) for theme, cards in sections.items()],
            dbc.Alert(
                [
                    html.Strong(t("How the status is decided. ")),
                    t(ESCAP_RULE),
                    " ",
                    t("Targets marked illustrative were set by this project for demonstration; they are not official."),
                ],
                color="light",
                className="small border ovw-rule",
            ),
            html.H2(t("What changed"), className="h5 mt-2"),
            _changes([k for cards in sections.values() for _key, k in cards], lang, today),
            chart_card_of(INTERNET_CHART, internet_content(lang)),
        ]
    )
