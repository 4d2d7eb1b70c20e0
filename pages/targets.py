"""Progress against targets: for each target, the path needed from the baseline, the projection
of the recent trend, the gap and the status; filtered by theme and region through the URL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from components.chart_card import chart_card
from components.kpi_card import METHOD_LABELS, STATUS_LABELS
from components.registry_kpi import period_label
from components.targets_chart import baseline_of, target_figure, targets_table
from data_loaders.cached import query
from data_loaders.queries import common, targets
from i18n import N_, normalise, translator
from metrics.anticipated_progress import BASE_YEAR, assess_kpi
from metrics.anticipated_progress import RULE as ESCAP_RULE
from metrics.kpis import SHARE, clip, past_targets
from metrics.status import MET, METHOD, MISSED, NO_DATA, OBSERVED, RULE, Progress, assess, decimal_year
from pages._guarded import guarded

dash.register_page(
    __name__,
    path="/targets",
    name=N_("Targets"),
    title="Progress against targets",
    order=4,
    description="Each target, the trajectory needed, the projection and the status.",
)

URL, THEME, REGION, CHARTS, TABLE = "tgt-url", "tgt-theme", "tgt-region", "tgt-charts", "tgt-table"
THEMES = {"connectivity": N_("Connectivity"), "it_sector": N_("IT sector"), "park": N_("IT Park")}
REGIONS = ("TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA")


def chart_id(code: str, geo: str) -> str:
    return "tgt-chart-" + f"{code}-{geo}".lower().replace(".", "-")


def _filters(theme: str | None, region: str | None) -> tuple[str | None, str | None]:
    """Unknown values fall back to 'all'."""
    return (theme if theme in THEMES else None), (region if region in REGIONS else None)


def _selected(frame, theme: str | None, region: str | None):
    """Targets to show: a region sees the national targets (applied to its own series) and its own."""
    if theme:
        frame = frame[frame["theme"] == theme]
    if region:
        frame = frame[frame["geo_code"].isin(["TJ", region])]
    return frame


def _controls(theme: str | None, region: str | None, lang: str) -> dbc.Row:
    t = translator(lang)
    regions = query(common.geos, "region", lang)
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(t("Theme"), html_for=THEME),
                    dcc.Dropdown(
                        id=THEME,
                        options=[{"label": t(name), "value": code} for code, name in THEMES.items()],
                        value=theme,
                        placeholder=t("All themes"),
                    ),
                ],
                md=4,
            ),
            dbc.Col(
                [
                    dbc.Label(t("Region"), html_for=REGION),
                    dcc.Dropdown(
                        id=REGION,
                        options=[{"label": r.name, "value": r.code} for r in regions.itertuples() if r.code in REGIONS],
                        value=region,
                        placeholder=t("Tajikistan (targets as set)"),
                    ),
                ],
                md=4,
            ),
        ],
        className="mb-3",
    )


def _bounds(value_type: str) -> tuple[float | None, float | None]:
    return SHARE if value_type == "percent" else (0.0, None)


def _status(times: list, values: list, target, today: date, higher: bool, series) -> Progress:
    """A passed target is met or missed by the value observed by its year's end; a coming one is
    assessed by the ESCAP method (the linear projection where ESCAP cannot decide)."""
    if target.year >= today.year:
        return assess_kpi(times, values, target.value, target.year, higher_is_better=higher)
    frame = pd.DataFrame({"year": [target.year], "value": [target.value]})
    ((_year, _value, met),) = past_targets(frame, series, today, lower_is_better=not higher)
    status = NO_DATA if met is None else (MET if met else MISSED)
    latest = values[-1] if values else None
    return Progress(status, latest, times[-1] if times else None, None, target.value, target.year, method=OBSERVED)


def _target_block(group, region: str | None, today: date, lang: str):
    """The chart of one indicator's targets and its table rows."""
    t = translator(lang)
    first = group.iloc[0]
    geo = region or first["geo_code"]
    series = query(targets.indicator_series, first["indicator_code"], geo, today).dropna(subset=["value"])
    higher = first["direction"] == "higher"
    bounds = _bounds(first["value_type"])
    times = [decimal_year(d) for d in series["period_end"]]
    values = [float(v) for v in series["value"]]
    base = baseline_of(series)
    geo_name = query(common.geos, None, lang).set_index("code")["name"].get(geo, geo)
    rows = []
    for target in group.itertuples():
        linear = assess(times, values, target.value, target.year, higher_is_better=higher, baseline=base)
        projected, clipped = clip(linear.projected, bounds)
        rows.append(
            {
                "name": first["name"],
                "unit": first["unit"],
                "geo_name": geo_name,
                "year": target.year,
                "target": target.value,
                "decimals": int(first["decimals"]),
                "baseline": base[1] if base else None,
                "latest_period": period_label(str(series["period"].iloc[-1]), lang) if len(series) else "",
                "progress": _status(times, values, target, today, higher, series),
                "projection": replace(linear, projected=projected),
                "clipped": clipped,
                "illustrative": bool(target.illustrative),
            }
        )
    # the chart projects to the next target still to reach, so a met 2026 target does not hide 2027's trend
    pending = [r for r in rows if r["year"] >= today.year and r["progress"].status != MET]
    shown = pending[0] if pending else rows[-1]
    illustrative = bool(group["illustrative"].any())
    where = geo_name + (f" {t('against the national target')}" if region and first["geo_code"] == "TJ" else "")
    title = first["name"] + (f" ({t('illustrative target')})" if illustrative else "")
    progress = shown["progress"]
    status = (
        t("status against the {year} target: {status} ({method})").format(
            year=progress.target_year,
            status=t(STATUS_LABELS[progress.status][0]),
            method=t(METHOD_LABELS[progress.method]),
        )
        if progress.status != NO_DATA
        else t("no data yet")
    )
    subtitle = f"{where}, {first['unit']} · {status} · {t('projection')}: {t(METHOD)}"
    if any(r["clipped"] for r in rows):
        subtitle += f" · {t('projection clipped at 100 %')}" if bounds == SHARE else ""
    # the caption names the sources of the series; an illustrative target is labelled in the title
    codes = set(_series_sources(first["indicator_code"]))
    codes |= {c for c, ill in zip(group["source_code"], group["illustrative"], strict=True) if not ill}
    card = chart_card(
        chart_id(first["indicator_code"], first["geo_code"]),
        title,
        target_figure(series, group, shown["projection"], first["unit"], int(first["decimals"]), lang, bounds=bounds),
        query(common.sources, sorted(codes), lang=lang),
        subtitle=subtitle,
        lang=lang,
    )
    return card, rows


def _series_sources(code: str) -> list[str]:
    meta = query(common.indicator, code, "en")
    return [meta["source_code"]] if meta else []


@guarded
def layout(lang: str | None = None, theme: str | None = None, region: str | None = None, **_query) -> html.Div:
    lang = normalise(lang)
    t = translator(lang)
    theme, region = _filters(theme, region)
    today = date.today()
    chosen = _selected(query(targets.targets, lang), theme, region)
    cards, rows = [], []
    for _key, group in chosen.groupby(["theme", "indicator_code", "geo_code"], sort=False):
        card, block_rows = _target_block(group, region, today, lang)
        cards.append(dbc.Col(card, lg=6, className="mb-3"))
        rows.extend(block_rows)
    return html.Div(
        [
            dcc.Location(id=URL, refresh="callback-nav"),
            html.H1(t("Progress against targets"), className="h3"),
            dbc.Alert(
                [
                    html.Strong(t("Illustrative targets")),
                    ": ",
                    t(
                        "targets marked illustrative were set by this project for demonstration; the numeric targets "
                        "of the Digital Economy Concept are not published in machine-readable form."
                    ),
                ],
                color="warning",
                className="small",
            ),
            html.Div(
                [
                    html.P([html.Strong(t("How the status is decided. ")), t(ESCAP_RULE)], className="mb-1"),
                    html.P(
                        t(
                            "A target whose year is over is shown as met or missed by the value observed by the end "
                            "of that year. Base year of the ESCAP method: {year}."
                        ).format(year=BASE_YEAR),
                        className="mb-1",
                    ),
                    html.P(
                        [
                            html.Strong(t("The projection in the charts and the table. ")),
                            t(RULE),
                            " ",
                            t(
                                "Baseline of the path needed: the last value of 2019 (the Digital Economy Concept was "
                                "adopted on 30.12.2019), or the first value when the series starts later. A share is "
                                "never projected above 100 %."
                            ),
                        ],
                        className="mb-0",
                    ),
                ],
                className="small text-muted tgt-rule mb-3",
            ),
            _controls(theme, region, lang),
            html.H2(t("Summary"), className="h5"),
            html.Div(targets_table(rows, lang), id=TABLE),
            dbc.Row(cards, id=CHARTS, className="mt-3"),
        ]
    )


@callback(
    Output(URL, "search"),
    Input(THEME, "value"),
    Input(REGION, "value"),
    State(URL, "search"),
    prevent_initial_call=True,
)
def write_filters(theme: str | None, region: str | None, search: str | None) -> str:
    """Put the chosen filters in the URL, keeping the language; the layout renders from it."""
    lang = parse_qs((search or "").lstrip("?")).get("lang", [None])[0]
    params = {k: v for k, v in (("theme", theme), ("region", region), ("lang", lang)) if v}
    query_string = "?" + urlencode(params) if params else ""
    if query_string == (search or ""):
        return dash.no_update
    return query_string
