"""Provenance pieces: where a number comes from, under which licence, and whether it is synthetic.

Why one module: the catalogue, an indicator's page and the source list must show kind, licence
and link the same way, and only http(s) links from the database may ever reach an ``href``.
Pure functions: data in, Dash components out.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components.chart_card import synthetic_badge
from exports.meta import licence_text
from i18n import N_, format_day, format_number, format_periods, reference_text, translator

KIND_LABELS = {
    "official": (N_("official"), "success"),
    "partner": (N_("partner"), "info"),
    "synthetic": (N_("synthetic demo data"), "warning"),
}
THEME_LABELS = {
    "connectivity": N_("Connectivity"),
    "it_sector": N_("IT sector"),
    "park": N_("IT Park"),
    "population": N_("Population"),
}
FREQUENCY_LABELS = {"A": N_("annual"), "Q": N_("quarterly"), "M": N_("monthly")}
# who loaded a batch: an account's name, or the seed loader (data_loaders/seed.py)
LOADED_BY_WORDS = {"seed": N_("initial data (seed)")}


def loaded_by_text(loaded_by: str, lang: str | None) -> str:
    """Who loaded a batch, as a reader sees it: the account's name, or the seed in words."""
    return translator(lang)(LOADED_BY_WORDS[loaded_by]) if loaded_by in LOADED_BY_WORDS else loaded_by


def named_sources(sources: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """The sources with their names in the UI language (a query returns the stored English)."""
    return sources.assign(name=[reference_text(name, lang) for name in sources["name"]])


def safe_url(url: object) -> str | None:
    """The URL if it is a plain http(s) link, else None (no ``javascript:`` from a loaded file)."""
    text = str(url or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def kind_badge(kind: str, lang: str | None = None) -> dbc.Badge:
    """A badge naming the kind of source; the synthetic one is the shared ``synthetic-badge``."""
    if kind == "synthetic":
        return synthetic_badge(lang)
    label, color = KIND_LABELS.get(kind, (kind, "secondary"))
    return dbc.Badge(translator(lang)(label), color=color, className="me-2 kind-badge")


def source_link(name: str, url: object) -> html.Span | html.A:
    """The source's name, linked to its page when it has a safe URL."""
    href = safe_url(url)
    if href is None:
        return html.Span(name)
    return html.A(name, href=href, target="_blank", rel="noopener noreferrer")


def day_text(value: object, lang: str | None) -> str:
    if value is None or pd.isna(value):
        return "—"
    return format_day(pd.Timestamp(value).date(), lang)


def sources_table(sources: pd.DataFrame, lang: str | None = None) -> html.Div:
    """Every source with its kind, licence, retrieval date and citation text.

    Args:
        sources: rows with code, name, url, licence, kind, retrieved, citation.
        lang: UI language.

    Returns:
        A responsive table (class ``sources-table``).
    """
    t = translator(lang)
    head = html.Thead(html.Tr([html.Th(t(h)) for h in ("Source", "Kind", "Licence", "Retrieved", "Cite as")]))
    rows = [
        html.Tr(
            [
                html.Td(
                    [
                        source_link(reference_text(row.name, lang), row.url),
                        html.Div(row.code, className="text-muted small"),
                    ]
                ),
                html.Td(kind_badge(row.kind, lang)),
                html.Td(licence_text(row.licence, lang)),
                html.Td(day_text(row.retrieved, lang), className="text-nowrap"),
                html.Td(reference_text(row.citation or "", lang), className="small"),
            ]
        )
        for row in sources.itertuples()
    ]
    return html.Div(
        dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, className="small sources-table"),
        className="table-responsive",
    )


def metadata_list(meta: dict, stats: dict | None, lang: str | None = None) -> html.Dl:
    """An indicator's metadata as a definition list: what it measures, how, from where, how much.

    Args:
        meta: from ``queries.common.indicator`` (name, unit, definition, method, source...).
        stats: the indicator's catalogue row (observations, geos, periods, last load), or None.
        lang: UI language.
    """
    t = translator(lang)
    stats = stats or {}
    source = [
        source_link(reference_text(meta["source_name"], lang), meta.get("source_url")),
        html.Span(f" ({licence_text(meta['licence'], lang)}) "),
        kind_badge(meta["source_kind"], lang),
    ]
    first, last = stats.get("first_period"), stats.get("last_period")
    periods = f"{first} – {last}" if isinstance(first, str) and isinstance(last, str) else t("none stored")
    periods = format_periods(periods, lang)
    loaded = stats.get("last_loaded")
    batch = stats.get("last_batch")
    load_text = (
        f"{day_text(loaded, lang)} ({t('import batch')} {int(batch)})" if batch is not None and pd.notna(batch) else "—"
    )
    items = [
        (t("Code"), meta["code"]),
        (t("Theme"), t(THEME_LABELS.get(meta["theme"], meta["theme"]))),
        (t("Unit"), meta["unit"]),
        (t("Frequency"), t(FREQUENCY_LABELS.get(meta["frequency"], meta["frequency"]))),
        (t("Better when"), t("higher") if meta["direction"] == "higher" else t("lower")),
        (t("Definition"), reference_text(meta["definition"], lang) or "—"),
        (t("Method"), reference_text(meta["method"], lang) or "—"),
        (t("Source"), source),
        (t("Periods"), periods),
        (t("Geographies"), format_number(stats.get("geos", 0), 0, lang)),
        (t("Observations"), format_number(stats.get("observations", 0), 0, lang)),
        (t("Last loaded"), load_text),
    ]
    if meta.get("derived"):
        items.append((t("Computed"), t("from the raw registry or park tables on each view; no stored series")))
    children = []
    for label, value in items:
        children += [html.Dt(label, className="col-sm-4"), html.Dd(value, className="col-sm-8")]
    return html.Dl(children, className="row small mb-0 indicator-metadata")
