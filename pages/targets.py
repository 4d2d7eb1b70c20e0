"""Progress against targets: for each target, the path needed from the baseline, the projection
of the recent trend, the gap and the status; filtered by theme and region through the URL.

The layout draws the first view; a control only rewrites the query string and one callback
redraws the summary table and the blocks from it. A block's content depends on the region, not
on the theme, so a theme change only shows and hides blocks (by their ids), drawing each once.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from components import targets_layout
from components.targets_blocks import (
    BLOCK,
    BLOCK_PREFIX,
    assess_block,
    block_card,
    block_column,
    block_content,
    block_key,
    column_class,
)
from components.targets_chart import targets_table
from components.targets_data import block_rows
from data_loaders.cached import query
from data_loaders.queries import common, targets
from exports.chart_data import ChartData, register_family, stem_of
from i18n import N_, normalise, translator
from pages._guarded import guarded, guarded_update
from pages._view_routing import PAGE_URL, page_location, rendered_search, view_page

dash.register_page(
    __name__,
    path="/targets",
    name=N_("Targets"),
    title="Progress against targets",
    order=4,
    description="Each target, the trajectory needed, the projection and the status.",
)

URL, THEME, REGION, CHARTS, TABLE, SHOWN = PAGE_URL, "tgt-theme", "tgt-region", "tgt-charts", "tgt-table", "tgt-shown"
THEMES = {"connectivity": N_("Connectivity"), "it_sector": N_("IT sector"), "park": N_("IT Park")}
REGIONS = ("TJ-DU", "TJ-SU", "TJ-KT", "TJ-GB", "TJ-RA")
HISTORY = "tgt-history"  # the page's own location: back/forward sets the controls from it


def parse_filters(params: dict) -> dict:
    """``lang``, ``theme`` and ``region`` of the query parameters; unknown values fall back to 'all'."""
    theme, region = params.get("theme"), params.get("region")
    return {
        "lang": normalise(params.get("lang")),
        "theme": theme if theme in THEMES else None,
        "region": region if region in REGIONS else None,
    }


def filters_of(search: str | None) -> dict:
    return parse_filters({k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()})


def _groups(f: dict) -> list[pd.DataFrame]:
    """Every block's targets of the region in page order (one block per theme, indicator and place):
    a region sees the national targets (applied to its own series) and its own. The blocks of the
    other themes stay in the page, hidden, so a theme change only shows and hides."""
    frame = query(targets.targets, f["lang"])
    if f["region"]:
        frame = frame[frame["geo_code"].isin(["TJ", f["region"]])]
    return [group for _key, group in frame.groupby(["theme", "indicator_code", "geo_code"], sort=False)]


def _shows(theme: str | None, group: pd.DataFrame) -> bool:
    return theme in (None, group["theme"].iloc[0])


def _view(f: dict, groups: list[pd.DataFrame], drawn: set[str] | None = None) -> tuple:
    """The summary table, and for each block its card when shown and not in ``drawn`` (else None),
    in page order; ``drawn`` is updated with the blocks drawn."""
    today, rows, cards = date.today(), [], []
    for group in groups:
        block = assess_block(group, f["region"], today, f["lang"]) if _shows(f["theme"], group) else None
        rows += block.rows if block else []
        new = block is not None and (drawn is None or block_key(group) not in drawn)
        cards.append(block_card(block, f["region"], today, f["lang"]) if new else None)
        if new and drawn is not None:
            drawn.add(block_key(group))
    return targets_table(rows, f["lang"]), cards


def _drawn_view(f: dict) -> tuple:
    """The table, every block's column (drawn when shown) and the store's record of the view."""
    groups = _groups(f)
    table, cards = _view(f, groups)
    columns = [block_column(group, card, _shows(f["theme"], group)) for group, card in zip(groups, cards, strict=True)]
    return table, columns, {**f, "drawn": [block_key(group) for group in groups if _shows(f["theme"], group)]}


@view_page("/targets")
@guarded
def layout(lang: str | None = None, **params) -> html.Div:
    f = parse_filters({"lang": lang, **params})
    t = translator(f["lang"])
    regions = query(common.geos, "region", f["lang"])
    table, columns, shown = _drawn_view(f)
    return html.Div(
        [
            page_location({"lang": lang, **params}),
            dcc.Location(id=HISTORY, refresh=False, search=rendered_search({"lang": lang, **params})),
            dcc.Store(id=SHOWN, data=shown),
            *targets_layout.intro(t),
            targets_layout.controls(
                (THEME, REGION),
                [{"label": t(name), "value": code} for code, name in THEMES.items()],
                [{"label": r.name, "value": r.code} for r in regions.itertuples() if r.code in REGIONS],
                (f["theme"], f["region"]),
                t,
            ),
            html.H2(t("Summary"), className="h5"),
            html.Div(table, id=TABLE),
            dbc.Row(columns, id=CHARTS, className="mt-3"),
        ]
    )


# Navigate (assets/40_filter_urls.js): a control writes the URL, back/forward sets the controls.
clientside_callback(
    ClientsideFunction(namespace="filter_urls", function_name="targets"),
    Output(URL, "search"),
    Output(URL, "href"),
    Output(HISTORY, "search"),
    Output(HISTORY, "href"),
    Output(THEME, "value"),
    Output(REGION, "value"),
    Input(THEME, "value"),
    Input(REGION, "value"),
    Input(HISTORY, "search"),
    State(THEME, "options"),
    State(REGION, "options"),
    prevent_initial_call=True,
)


@callback(
    Output(TABLE, "children"),
    Output(CHARTS, "children"),
    Output({"type": BLOCK, "block": ALL}, "className"),
    Output({"type": BLOCK, "block": ALL}, "children"),
    Output(SHOWN, "data"),
    Input(URL, "search"),
    State(SHOWN, "data"),
    prevent_initial_call=True,
)
@guarded_update
def redraw(search: str | None, shown: dict | None) -> tuple:
    """The table and the blocks of the URL's view. When only the theme changed, the blocks stay
    as they are: the theme's blocks are shown (drawn the first time), the others hidden."""
    f = filters_of(search)
    drawn = set((shown or {}).get("drawn", []))
    before = {key: value for key, value in (shown or {}).items() if key != "drawn"}
    if f == before:
        raise PreventUpdate
    keys = [output["id"]["block"] for output in ctx.outputs_list[2]]
    if {**before, "theme": f["theme"]} != f:
        table, columns, shown = _drawn_view(f)
        return table, columns, [no_update] * len(keys), [no_update] * len(keys), shown
    groups = _groups(f)
    table, cards = _view(f, groups, drawn)
    pairs = zip(groups, cards, strict=True)
    now = {block_key(g): (_shows(f["theme"], g), _shows(before["theme"], g), card) for g, card in pairs}
    classes = [column_class(now[k][0]) if k in now and now[k][0] != now[k][1] else no_update for k in keys]
    children = [now[k][2] if k in now and now[k][2] is not None else no_update for k in keys]
    return table, no_update, classes, children, {**f, "drawn": sorted(drawn)}


def _block_of(key: str, f: dict):
    """The assessed block of a chart key for the filters; ``KeyError`` when the view has none."""
    group = next((g for g in _groups(f) if block_key(g) == key), None)
    if group is None:
        raise KeyError(f"no target block {key!r} for these filters")
    return assess_block(group, f["region"], date.today(), f["lang"])


def _block_data(key: str) -> ChartData:
    return ChartData(
        key,
        "/targets",
        filters_of,
        lambda f: block_rows(_block_of(key, f)),
        lambda f: block_content(_block_of(key, f), f["region"], date.today(), f["lang"]),
        lambda f: stem_of(key.removeprefix(BLOCK_PREFIX) + "-targets", f["region"] or ""),
        ("theme", "region"),
    )


register_family(BLOCK_PREFIX, _block_data)
