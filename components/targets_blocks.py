"""What each block of the targets page shows: one indicator's targets in one place, its chart card
and its rows of the summary table, queried and assessed.

The rows and the card are built apart: a theme change keeps the blocks still shown as they are
and needs only the rows of every block (for the table) and the cards of the blocks it adds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd

from components.chart_card import ChartContent, chart_card_of
from components.kpi_card import METHOD_LABELS, STATUS_LABELS
from components.registry_kpi import period_label
from components.targets_chart import baseline_of, target_figure
from data_loaders.cached import query
from data_loaders.queries import common, targets
from i18n import translator
from metrics.anticipated_progress import assess_kpi
from metrics.kpis import SHARE, clip, past_targets
from metrics.status import MET, METHOD, MISSED, NO_DATA, OBSERVED, Progress, assess, decimal_year

BLOCK_PREFIX = "tgt-chart-"  # every block's chart id starts so (its data downloads are one family)


def chart_id(code: str, geo: str) -> str:
    return BLOCK_PREFIX + f"{code}-{geo}".lower().replace(".", "-")


BLOCK = "tgt-block"  # pattern-matching id type of a block's column: {"type": BLOCK, "block": its chart id}


def block_key(group: pd.DataFrame) -> str:
    first = group.iloc[0]
    return chart_id(first["indicator_code"], first["geo_code"])


def block_id(group: pd.DataFrame) -> dict:
    """The id of a block's column: a theme change shows or hides the column by this id and leaves
    its card alone (a new ``children`` of the row would mount every card again)."""
    return {"type": BLOCK, "block": block_key(group)}


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


@dataclass(frozen=True)
class Block:
    """One block assessed: its table rows and what its chart needs."""

    group: pd.DataFrame  # the targets of one indicator in one place
    series: pd.DataFrame  # the observed values the targets are judged on
    geo_name: str
    rows: list[dict]
    geo_code: str = ""  # the place of ``series``: the region, or the targets' own place


def assess_block(group: pd.DataFrame, region: str | None, today: date, lang: str) -> Block:
    """The block's table rows: each target's baseline, latest value, projection and status."""
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
    return Block(group, series, geo_name, rows, geo)


def block_content(block: Block, region: str | None, today: date, lang: str) -> ChartContent:
    """The block's chart: it projects to the next target still to reach, so a met 2026 target
    does not hide 2027's trend."""
    t = translator(lang)
    group, rows, first = block.group, block.rows, block.group.iloc[0]
    bounds = _bounds(first["value_type"])
    pending = [r for r in rows if r["year"] >= today.year and r["progress"].status != MET]
    shown = pending[0] if pending else rows[-1]
    national = region and first["geo_code"] == "TJ"
    where = block.geo_name + (f" {t('against the national target')}" if national else "")
    title = first["name"] + (f" ({t('illustrative target')})" if group["illustrative"].any() else "")
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
    meta = query(common.indicator, first["indicator_code"], "en")
    codes = {meta["source_code"]} if meta else set()
    codes |= {c for c, ill in zip(group["source_code"], group["illustrative"], strict=True) if not ill}
    unit, decimals = first["unit"], int(first["decimals"])
    figure = target_figure(block.series, group, shown["projection"], unit, decimals, lang, bounds=bounds)
    return ChartContent(title, figure, query(common.sources, sorted(codes), lang=lang), subtitle, lang)


def block_card(block: Block, region: str | None, today: date, lang: str) -> dbc.Card:
    first = block.group.iloc[0]
    return chart_card_of(
        chart_id(first["indicator_code"], first["geo_code"]), block_content(block, region, today, lang)
    )


def column_class(visible: bool) -> str:
    return "mb-3" if visible else "mb-3 d-none"


def block_column(group: pd.DataFrame, card: dbc.Card | None, visible: bool) -> dbc.Col:
    """The block's place in the page: its card, or empty until a theme shows it."""
    return dbc.Col(card, lg=6, className=column_class(visible), id=block_id(group))
