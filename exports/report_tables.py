"""What a page's PDF report prints besides its charts: the KPI table from the registry, the page's
tables (priority list, targets summary, tenants, expiring leases), the filters in words and the
data date, each read with the page's own filter parser and the same builders and queries as the
page, so the report and the screen cannot disagree.

Pure data out (:class:`ReportExtras`): ``exports.report`` turns it into HTML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

import pandas as pd

from components.kpi_card import METHOD_LABELS, STATUS_LABELS, Kpi, change_text
from components.registry_kpi import kpi_from_registry
from data_loaders.cached import query
from data_loaders.queries import common, kpis
from i18n import N_, format_day, format_number, translator
from metrics import kpis as registry
from metrics.kpis import flags_from_sources
from metrics.status import NO_DATA

KPI_HEAD = (
    N_("Indicator"),
    N_("Value"),
    N_("Period"),
    N_("Change on previous period"),
    N_("Target"),
    N_("Status"),
    N_("Method"),
    N_("Source"),
)
PERIOD = re.compile(r"^\d{4}(-Q[1-4]|-\d{2})?$")  # a year, quarter or month code
# UI hints of chart captions, as (text with the hint, the same without it): a printed page has no mouse
CAPTION_HINTS = (
    (N_("each unit as wide as its floor area; hover or click a unit"), N_("each unit as wide as its floor area")),
    (N_("click a district to select it"), ""),
)


@dataclass(frozen=True)
class KpiRow:
    """One KPI as the report's table prints it, every cell already in words."""

    key: str  # the registry key ("" for a figure of the page that is not a registry KPI)
    label: str
    value: str
    period: str
    change: str
    target: str
    status: str
    method: str
    source: str
    notes: tuple[str, ...] = ()
    synthetic: bool = False
    illustrative: bool = False


@dataclass(frozen=True)
class ReportTable:
    """A table of the page: header cells and rows of text, printed with a repeating header."""

    title: str
    subtitle: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()  # the columns aligned right
    source: str = ""
    synthetic: bool = False


@dataclass(frozen=True)
class ReportExtras:
    """Everything of a report besides the charts."""

    filters: tuple[tuple[str, str], ...] = ()  # (name, value) in words
    kpis: tuple[KpiRow, ...] = ()
    tables: tuple[ReportTable, ...] = ()
    data_date: str = ""  # the day the newest data were loaded, in the report's language
    latest_period: str = ""
    link: str = ""  # path and query string that reproduce the view
    illustrative: bool = False
    synthetic: bool = False
    sources: tuple[dict, ...] = field(default_factory=tuple)


def strip_hints(text: str, lang: str | None) -> str:
    """A caption without the UI hints of :data:`CAPTION_HINTS` (in the report's language)."""
    t = translator(lang)
    for hinted, plain in CAPTION_HINTS:
        text = text.replace(t(hinted), t(plain) if plain else "")
    parts = [part.strip() for part in text.split(" · ")]
    return " · ".join(part for part in parts if part)


# --- KPIs -----------------------------------------------------------------------------------


def _source_text(data, lang: str) -> tuple[str, dict | None]:
    """The indicator's source as "name (licence)", its name in ``lang`` where one is stored."""
    meta = data.indicator or {}
    code = meta.get("source_code")
    frame = query(common.sources, [code], lang=lang) if code else pd.DataFrame()
    if len(frame):
        row = frame.iloc[0]
        record = {"name": str(row["name"]), "licence": str(row["licence"]), "kind": str(row["kind"])}
    elif meta:
        record = {"name": meta["source_name"], "licence": meta["licence"], "kind": meta["source_kind"]}
    else:
        return "", None
    return f"{record['name']} ({record['licence']})", record


def kpi_row(key: str, kpi: Kpi, lang: str, source: str = "") -> KpiRow:
    """The words of one KPI card (``components.kpi_card.kpi_card`` shows the same)."""
    t = translator(lang)
    progress = kpi.progress if kpi.progress is not None and kpi.progress.target is not None else None
    value = format_number(kpi.value, kpi.decimals, lang)
    if kpi.value is not None and kpi.unit:
        value = f"{value} {kpi.unit}"
    target, status, method = "", t(STATUS_LABELS[NO_DATA][0]), ""
    if progress is not None:
        target = f"{progress.target_year}: {format_number(progress.target, kpi.decimals, lang)}"
        target += f" ({kpi.target_note})" if kpi.target_note else ""
        status = t(STATUS_LABELS[progress.status][0])
        method = t(METHOD_LABELS[progress.method])
    notes = [kpi.past_target_note, kpi.stale_note, *kpi.provisional_notes]
    if kpi.synthetic:
        notes.append(t("synthetic demo data"))
    return KpiRow(
        key,
        kpi.label,
        value,
        kpi.period,
        change_text(kpi, lang)[0].replace(f" {t('on previous period')}", ""),  # the column says so
        target,
        status,
        method,
        source,
        tuple(n for n in notes if n),
        kpi.synthetic,
        bool(kpi.target_note),
    )


def registry_row(key: str, data, today: date, lang: str) -> tuple[KpiRow, dict | None]:
    """A registry KPI's row from its data, built by ``kpi_from_registry`` as every card is."""
    kpi = kpi_from_registry(registry.get(key), data, today, lang)
    source, record = _source_text(data, lang)
    return kpi_row(key, kpi, lang, source), record


def _rows(items: list[tuple[str, object]], today: date, lang: str) -> tuple[list[KpiRow], list[dict]]:
    rows, sources = [], []
    for key, data in items:
        row, record = registry_row(key, data, today, lang)
        rows.append(row)
        if record:
            sources.append(record)
    return rows, sources


# --- the pages -------------------------------------------------------------------------------


def _names(lang: str) -> dict[str, str]:
    geos = query(common.geos, None, lang)
    return dict(zip(geos["code"], geos["name"], strict=True))


def _sources_of(frame: pd.DataFrame) -> list[dict]:
    return [
        {"name": str(r["name"]), "licence": str(r["licence"]), "kind": str(r["kind"])} for _i, r in frame.iterrows()
    ]


def _source_line(records: list[dict], lang: str) -> str:
    t = translator(lang)
    return f"{t('Source')}: " + "; ".join(f"{s['name']} ({s['licence']})" for s in records)


def table_of(component: object) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Header and rows of a Dash ``html.Table``/``dbc.Table`` as text (cells' parts joined by " · ")."""
    from exports.report import _children, _text, _walk

    head: tuple[str, ...] = ()
    rows = []
    for node in _walk(component):
        kind = type(node).__name__
        if kind == "Thead":
            head = tuple(_text(cell).strip() for row in _children(node) for cell in _children(row))
        elif kind == "Tbody":
            for row in _children(node):
                cells = []
                for cell in _children(row):
                    parts = [_text(part).strip() for part in _children(cell)] if isinstance(cell.children, list) else []
                    cells.append(" · ".join(p for p in parts if p) if parts else _text(cell).strip())
                rows.append(tuple(cells))
    return head, tuple(rows)


def _connectivity(params: dict, lang: str, today: date) -> ReportExtras:
    import components.connectivity_views as views
    from components.connectivity_table import priority_rows
    from pages.connectivity import read_filters

    f = read_filters({**params, "lang": lang})
    t = translator(lang)
    names = _names(lang)
    level, code = views.place_of(f)
    items = [(key, query(kpis.kpi_data, key, today, lang, level, code, f["from"], f["to"])) for key in views.CARDS]
    rows, sources = _rows(items, today, lang)
    filters = [(t("Map metric"), t(views.METRICS[f["metric"]][2])), (t("Period"), f"{f['from']} – {f['to']}")]
    filters.append((t("Region"), names.get(f["region"], f["region"]) if f["region"] else t("All regions")))
    if f["district"]:
        filters.append((t("District"), names.get(f["district"], f["district"])))
    ranking, subtitle = views.build_ranking(f)
    synthetic = _sources_of(query(common.sources, views.SYNTHETIC, lang=lang))
    fmt = {"uncovered": 0, "gap_people": 0, "population": 0, "value": 1}
    table_rows = tuple(
        tuple(
            format_number(r[c], fmt[c], lang) if c in fmt else str(r[c] if r[c] is not None else "")
            for c in ("rank", "name", "region_name", "uncovered", "gap_people", "value", "population")
        )
        for r in priority_rows(ranking)
    )
    head = (
        "#",
        t("District"),
        t("Region"),
        t("People without 4G"),
        t("People to cover to reach the target"),
        f"{t('4G coverage')}, %",
        t("Population"),
    )
    table = ReportTable(
        t("Where to build next: people without 4G"),
        subtitle,
        head,
        table_rows,
        frozenset({0, 3, 4, 5, 6}),
        _source_line(synthetic, lang),
        True,
    )
    return ReportExtras(tuple(filters), tuple(rows), (table,), sources=tuple(sources + synthetic))


def _park(params: dict, lang: str, today: date) -> ReportExtras:
    from components.park_contents import _sources, kpi_data, tenant_records
    from components.park_panels import rent_kpi, tenant_table
    from data_loaders.queries import park
    from pages.park import parse_view

    t = translator(lang)
    v = parse_view({**params, "lang": lang})
    if v is None:
        return ReportExtras()
    series, items = kpi_data(v)
    data = items[-1][1]
    rows, sources = _rows(items, v.day, lang)
    park_sources = _sources_of(_sources(v))
    rent = rent_kpi(series, v.day, flags_from_sources(data.source_kinds).synthetic, lang)
    rows.append(kpi_row("", rent, lang, "; ".join(f"{s['name']} ({s['licence']})" for s in park_sources)))
    filters = (
        (t("Building"), v.names[v.building] if v.building else t("Whole park")),
        (t("As of"), format_day(v.day, lang)),
    )
    head, tenant_rows = table_of(tenant_table(tenant_records(v), lang))
    line = _source_line(park_sources, lang)
    tables = [ReportTable(t("Tenants"), v.where, head, tenant_rows, frozenset({3, 4, 5, 6}), line, True)]
    expiries = query(park.expiries, v.day, v.building)
    expiry_rows = tuple(
        (
            f"{int(r.year)}-{int(r.month):02d}",
            format_number(r.area_m2, 1, lang),
            format_number(r.tenants, 0, lang),
            format_number(r.leases, 0, lang),
            format_number(r.jobs, 0, lang),
        )
        for r in expiries.itertuples()
    )
    expiry_head = (t("Month"), t("Floor area whose lease ends"), t("Tenants"), t("Leases"), t("Jobs"))
    tables.append(
        ReportTable(
            t("Leases ending in the next 24 months"),
            v.where,
            expiry_head,
            expiry_rows,
            frozenset({1, 2, 3, 4}),
            line,
            True,
        )
    )
    return ReportExtras(filters, tuple(rows), tuple(tables), sources=tuple(sources + park_sources))


def _targets(params: dict, lang: str, today: date) -> ReportExtras:
    from components.targets_blocks import assess_block
    from components.targets_chart import targets_table
    from pages.targets import THEMES, _groups, _shows, parse_filters

    t = translator(lang)
    f = parse_filters({**params, "lang": lang})
    names = _names(lang)
    rows = []
    for group in _groups(f):
        if _shows(f["theme"], group):
            rows += assess_block(group, f["region"], today, lang).rows
    head, body = table_of(targets_table(rows, lang))
    filters = (
        (t("Theme"), t(THEMES[f["theme"]]) if f["theme"] else t("All themes")),
        (t("Region"), names.get(f["region"], f["region"]) if f["region"] else t("All regions")),
    )
    table = ReportTable(t("Summary"), "", head, body, frozenset({2, 3, 4, 5, 6, 7}))
    return ReportExtras(filters, (), (table,), illustrative=any(r["illustrative"] for r in rows))


def _it_sector(params: dict, lang: str, today: date) -> ReportExtras:
    import components.it_sector_views as views
    from components.it_sector_charts import MEASURES, SUBSECTORS, VIEWS
    from pages.it_sector import filters_of

    t = translator(lang)
    f = filters_of("?" + urlencode({**params, "lang": lang}))
    names = _names(lang)
    cards = views.filtered_cards(f)
    keys = [key for key, _column in views.REGISTRY_CARDS]
    company = query(kpis.kpi_data, keys[0], today, lang, last=str(f["last"]))
    company_source, record = _source_text(company, lang)
    rows, sources = [], [record] if record else []
    for index, kpi in enumerate(cards):
        key = keys[index] if index < len(keys) else ""
        source = company_source
        if key:
            source, rec = _source_text(query(kpis.kpi_data, key, today, lang, last=str(f["last"])), lang)
            sources += [rec] if rec else []
        rows.append(kpi_row(key, kpi, lang, source))
    hightech, rec = registry_row("hightech_exports", query(kpis.kpi_data, "hightech_exports", today, lang), today, lang)
    rows.append(hightech)
    sources += [rec] if rec else []
    filters = [
        (t("Years"), f"{f['first']} – {f['last']}"),
        (t("Region"), names.get(f["region"], f["region"]) if f["region"] else t("All regions")),
        (t("Subsector"), t(SUBSECTORS[f["subsector"]]) if f["subsector"] else t("All subsectors")),
        (t("Measure"), t(MEASURES[f["measure"]][1])),
        (t("View"), t(VIEWS[f["view"]])),
    ]
    if f["park"]:
        filters.append((t("IT Park residents only"), t("yes")))
    return ReportExtras(tuple(filters), tuple(rows), sources=tuple(sources))


def _registry_page(path: str) -> Callable[[dict, str, date], ReportExtras]:
    """A page without its own reader: the registry KPIs drawn on it, for the country."""

    def extras(_params: dict, lang: str, today: date) -> ReportExtras:
        keys = [k.key for k in registry.REGISTRY if k.page == path]
        if path == "/":
            from pages.overview import CARDS

            keys = [key for theme_keys in CARDS.values() for key in theme_keys]
        rows, sources = _rows([(key, query(kpis.kpi_data, key, today, lang)) for key in keys], today, lang)
        return ReportExtras((), tuple(rows), sources=tuple(sources))

    return extras


READERS: dict[str, Callable[[dict, str, date], ReportExtras]] = {
    "/connectivity": _connectivity,
    "/park": _park,
    "/targets": _targets,
    "/it-sector": _it_sector,
}


def page_extras(path: str, params: dict, lang: str, today: date | None = None) -> ReportExtras:
    """The report's KPI rows, tables, filters in words, data date and link for a page's view.

    Args:
        path: the page's registered path (``/connectivity``).
        params: the view's query string, ``lang`` left out or not.
        lang: the report's language.
        today: the day the KPIs speak about (today by default).
    """
    today = today or date.today()
    reader = READERS.get(path) or _registry_page(path)
    extras = reader({k: v for k, v in params.items() if k != "lang"}, lang, today)
    loaded = query(common.last_loaded)
    periods = sorted({row.period for row in extras.kpis if PERIOD.match(row.period)})
    link_params = {**{k: v for k, v in params.items() if k != "lang"}, "lang": lang}
    from dash import get_relative_path

    try:
        page = get_relative_path(path)
    except Exception:  # no app (a unit test without one): the path as registered
        page = path
    seen, sources = set(), []
    for source in extras.sources:
        if (source["name"], source["licence"]) not in seen:
            seen.add((source["name"], source["licence"]))
            sources.append(source)
    return replace(
        extras,
        data_date=format_day(loaded, lang) if loaded else "",
        latest_period=periods[-1] if periods else "",
        link=f"{page}?{urlencode(link_params)}",
        synthetic=extras.synthetic
        or any(r.synthetic for r in extras.kpis)
        or any(t.synthetic for t in extras.tables)
        or any(s.get("kind") == "synthetic" for s in sources),
        illustrative=extras.illustrative or any(r.illustrative for r in extras.kpis),
        sources=tuple(sources),
    )
