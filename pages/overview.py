"""Overview: what a decision-maker sees first. The headline KPIs of the three themes, each with
its target and status, a sparkline and a link to its view; then what changed and how fresh the
data is. Every number is read from the database through the query layer."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.chart_card import chart_card
from components.figures import line_figure
from components.kpi_card import kpi_card
from components.overview_cards import build_kpi, uncovered
from components.overview_changes import freshness_table, largest_moves, loads_list, moves_list
from data_loaders.queries import common, connectivity, overview, targets
from i18n import N_, normalise, translator
from metrics.status import RULE
from pages._data import guarded, query

dash.register_page(
    __name__,
    path="/",
    name=N_("Overview"),
    title="Overview",
    order=0,
    description="Headline KPIs of connectivity, the IT sector and the IT Park, with targets and status.",
)

NEIGHBOURS = ["TJ", "KG", "UZ", "KZ", "AF"]
UNCOVERED = "uncovered"  # not an indicator: people outside 3G coverage, from coverage and population
THEMES = {"connectivity": N_("Connectivity"), "it_sector": N_("IT sector"), "park": N_("IT Park")}
# (indicator code, geo, theme, view path, view filters): the headline KPIs, in the order shown.
CARDS = (
    ("IT.NET.USER.ZS", "TJ", "connectivity", "/data", {"indicator": "IT.NET.USER.ZS"}),
    ("TJ.MOB.4G.POP.ZS", "TJ", "connectivity", "/connectivity", {"metric": "4g"}),
    (UNCOVERED, "TJ", "connectivity", "/connectivity", {"metric": "uncovered"}),
    ("TJ.SCH.FBB.ZS", "TJ", "connectivity", "/connectivity", {"metric": "schools"}),
    ("TJ.MOB.DLSPD.MED", "TJ", "connectivity", "/connectivity", {"metric": "speed"}),
    ("TJ.IT.COMP.ACTIVE", "TJ", "it_sector", "/it-sector", {"view": "absolute"}),
    ("TJ.IT.JOBS", "TJ", "it_sector", "/it-sector", {"view": "absolute"}),
    ("TJ.IT.EXP.USD", "TJ", "it_sector", "/it-sector", {"view": "absolute"}),
    ("TJ.PARK.OCC.ZS", "TJ-DU", "park", "/park", {}),
    ("TJ.PARK.TENANTS", "TJ-DU", "park", "/park", {}),
    ("TJ.PARK.JOBS", "TJ-DU", "park", "/park", {}),
)


def card_id(code: str) -> str:
    """The DOM id of a KPI card (dots are not valid in CSS selectors)."""
    return "ovw-kpi-" + code.lower().replace(".", "-")


def _href(path: str, filters: dict, lang: str, today: date) -> str:
    params = dict(filters)
    if path == "/park":
        params["as_of"] = today.isoformat()
    params["lang"] = lang
    return dash.get_relative_path(path) + "?" + urlencode(params)


def _kpi(code: str, geo: str, path: str, filters: dict, lang: str, today: date):  # noqa: ANN202
    t = translator(lang)
    href = _href(path, filters, lang, today)
    if code == UNCOVERED:
        series = uncovered(query(connectivity.weighted_series, "TJ.MOB.3G.POP.ZS"))
        no_target = pd.DataFrame(columns=["year", "value"])
        label, unit = t("People without 3G or better coverage"), t("people")
        return build_kpi(
            label,
            unit,
            series,
            no_target,
            today,
            decimals=0,
            higher_is_better=False,
            synthetic=True,
            href=href,
            lang=lang,
        )
    meta = query(common.indicator, code, lang)
    series = query(targets.indicator_series, code, geo, today)
    all_targets = query(targets.targets, lang)
    mine = all_targets[(all_targets["indicator_code"] == code) & (all_targets["geo_code"] == geo)]
    label = meta["name"] + (f" ({t('Dushanbe')})" if geo == "TJ-DU" and path != "/park" else "")
    note = t("illustrative") if len(mine) and mine["illustrative"].any() else ""
    return build_kpi(
        label,
        meta["unit"],
        series,
        mine,
        today,
        decimals=int(meta["decimals"]),
        higher_is_better=meta["direction"] == "higher",
        synthetic=meta["source_kind"] == "synthetic",
        href=href,
        target_note=note,
        lang=lang,
    )


def _kpi_section(theme: str, cards: list, lang: str) -> html.Div:
    t = translator(lang)
    return html.Div(
        [
            html.H2(t(THEMES[theme]), className="h5 mt-2"),
            dbc.Row(
                [
                    dbc.Col(kpi_card(kpi, card_id(code), lang), xs=12, sm=6, lg=4, xl=3, className="mb-3")
                    for code, kpi in cards
                ]
            ),
        ],
        className=f"ovw-section ovw-{theme}",
    )


def _changes(kpis: list, lang: str, today: date) -> dbc.Row:
    t = translator(lang)
    names = {code: t(name) for code, name in THEMES.items()}
    panels = [
        (t("Largest moves since the previous period"), moves_list(largest_moves(kpis), lang)),
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


@guarded
def layout(lang: str | None = None, **_query) -> html.Div:
    lang = normalise(lang)
    t = translator(lang)
    today = date.today()
    built = [(code, theme, _kpi(code, geo, path, filters, lang, today)) for code, geo, theme, path, filters in CARDS]
    internet = query(common.series, "IT.NET.USER.ZS", NEIGHBOURS, "total", lang)
    return html.Div(
        [
            html.H1(t("Overview"), className="h3"),
            html.P(t("Where Tajikistan's digitalization stands today."), className="text-muted"),
            dbc.Alert(
                [
                    html.Strong(t("How the status is decided. ")),
                    t(RULE),
                    " ",
                    t("Targets marked illustrative were set by this project for demonstration; they are not official."),
                ],
                color="light",
                className="small border ovw-rule",
            ),
            *[_kpi_section(theme, [(c, k) for c, th, k in built if th == theme], lang) for theme in THEMES],
            html.H2(t("What changed"), className="h5 mt-2"),
            _changes([k for _c, _th, k in built], lang, today),
            chart_card(
                "overview-internet-users",
                t("Individuals using the Internet, Tajikistan and neighbours"),
                line_figure(internet, "period_start", "value", color="geo_name", unit=t("% of population")),
                query(common.sources, sorted(internet["source_code"].unique()), lang=lang),
                subtitle=t("% of population, 2000 to latest year"),
                lang=lang,
            ),
        ]
    )
