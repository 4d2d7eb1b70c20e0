"""The data behind each chart, built on the server from the query, for CSV and XLSX downloads.

Every chart that offers its data registers a :class:`ChartData` here (in its page module): the
page's own filter parser, which turns the untrusted query string of the export request into valid
filters, a ``rows(filters)`` function that reads the same cached queries as the chart, and the
chart's content builder for its title, subtitle and sources. The browser sends only the chart key
and its query string; it never sends numbers that end up in a file.

Two shapes of rows:

* **tidy** (the default): one row per indicator x geography x period x breakdown with columns
  ``indicator_code, geo_code, period, breakdown, value`` and optionally ``flags``, ``status`` and
  ``source_code``; :func:`tidy_table` adds the names, units, sources and licences from the
  indicator, geo and source tables in the UI language.
* **plain** (``tidy=False``): a table of records that are not indicator values (the park's units,
  tenants, leases); its columns are named by ``columns`` and its sources by the chart content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode

import pandas as pd

from data_loaders.cached import query
from data_loaders.periods import parse_period
from data_loaders.queries import common
from exports.meta import licence_text, safe_name
from exports.tables import csv_bytes, xlsx_bytes
from i18n import N_, normalise, translator

# The columns of a tidy download, in order, with their header in the UI language.
TIDY_COLUMNS: dict[str, str] = {
    "indicator_code": N_("Indicator code"),
    "indicator": N_("Indicator"),
    "geo_code": N_("Geography code"),
    "geo": N_("Geography"),
    "period": N_("Period"),
    "period_start": N_("Period start"),
    "period_end": N_("Period end"),
    "breakdown": N_("Breakdown"),
    "value": N_("Value"),
    "unit": N_("Unit"),
    "flags": N_("Flags"),
    "status": N_("Status"),
    "source": N_("Source"),
    "source_url": N_("Source URL"),
    "licence": N_("Licence"),
    "kind": N_("Kind of source"),
}
CORE = ("indicator_code", "geo_code", "period", "breakdown", "value")
KIND_WORDS = {
    "official": N_("official statistics"),
    "partner": N_("partner data"),
    "synthetic": N_("synthetic demo data"),
}
PLAIN_COLUMNS = {k: TIDY_COLUMNS[k] for k in ("source", "source_url", "licence", "kind")}
MAX_LINK = 300  # the reproducing link is the page path and the page's own query keys, cut to this


@dataclass(frozen=True)
class ChartData:
    """How one chart's data download is made.

    Attributes:
        key: the chart's export key (``components.chart_card.chart_key``).
        path: the page's path, for the link that reproduces the view.
        parse: the page's filter parser: query string (untrusted) -> filters.
        rows: filters -> the rows (tidy or plain, see the module docstring).
        content: filters -> the chart's ``ChartContent`` (title, subtitle, sources).
        stem: filters -> what the file holds, e.g. ``4g-coverage-by-district_2026-Q3``.
        query_keys: the query-string keys the page reads (others are left out of the link).
        tidy: whether ``rows`` gives tidy indicator rows.
        columns: plain rows only: column -> header msgid.
        row_sources: plain rows only: whether each row names the chart's sources (False for a
            summary over many sources: the About sheet lists them).
    """

    key: str
    path: str
    parse: Callable[[str | None], dict]
    rows: Callable[[dict], pd.DataFrame]
    content: Callable[[dict], object]
    stem: Callable[[dict], str]
    query_keys: tuple[str, ...] = ()
    tidy: bool = True
    columns: dict[str, str] = field(default_factory=dict)
    row_sources: bool = True

    def link(self, search: str | None) -> str:
        """The page path with the query keys the page reads: the view, as text (never an href)."""
        pairs = [(k, v) for k, v in parse_qsl((search or "").lstrip("?")) if k in (*self.query_keys, "lang")]
        text = self.path + (f"?{urlencode(pairs)}" if pairs else "")
        return text[:MAX_LINK]


REGISTRY: dict[str, ChartData] = {}
# charts drawn one per database row (the targets page's blocks): key prefix -> key -> entry
FAMILIES: dict[str, Callable[[str], ChartData]] = {}
_KEY = re.compile(r"[a-z0-9-]{1,120}")


def register(entry: ChartData) -> ChartData:
    """Add a chart's data download (a page module calls this once, at import)."""
    REGISTRY[entry.key] = entry
    return entry


def register_family(prefix: str, entry_of: Callable[[str], ChartData]) -> None:
    """Add the data downloads of every chart whose key starts with ``prefix``; ``entry_of(key)``
    makes the entry (its ``rows`` raise ``KeyError`` when no such chart exists for the filters)."""
    FAMILIES[prefix] = entry_of


def has_data(key: object) -> bool:
    """Whether the chart offers CSV/XLSX: only charts whose rows the server can build."""
    return isinstance(key, str) and (
        key in REGISTRY or (bool(_KEY.fullmatch(key)) and any(key.startswith(p) for p in FAMILIES))
    )


def get(key: object) -> ChartData:
    """The registered chart; ``KeyError`` for anything else (the key comes from the browser)."""
    if not has_data(key):
        raise KeyError(f"no data download for chart {key!r}")
    if key in REGISTRY:
        return REGISTRY[key]
    prefix = next(p for p in FAMILIES if key.startswith(p))
    return FAMILIES[prefix](key)


def stem_of(*parts: object) -> str:
    """A file name stem from its parts, empty parts left out: ``rural-4g-coverage_TJ-KT_2026-Q3``."""
    return safe_name("_".join(safe_name(str(p)) for p in parts if p not in (None, "")))


def period_bounds(periods: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day of each period code (``2026-Q3``, ``2026-07``, ``2026``); None where
    the code is a day or unknown."""
    starts, ends = [], []
    for code in periods:
        try:
            period = parse_period(str(code))
        except ValueError:
            starts.append(None)
            ends.append(None)
            continue
        starts.append(period.start)
        ends.append(period.end)
    return pd.Series(starts, index=periods.index, dtype=object), pd.Series(ends, index=periods.index, dtype=object)


def _by_code(frame: pd.DataFrame, column: str) -> dict:
    return dict(zip(frame["code"], frame[column], strict=True))


def tidy_table(core: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Tidy rows with their names, units, periods' days and sources, in the UI language.

    Args:
        core: rows with ``indicator_code, geo_code, period, breakdown, value`` and optionally
            ``flags``, ``status``, ``source_code`` (else the indicator's source).
        lang: UI language.

    Returns:
        A frame with exactly the columns of :data:`TIDY_COLUMNS`, in that order.
    """
    t = translator(lang)
    missing = [c for c in CORE if c not in core.columns]
    if missing:
        raise ValueError(f"tidy rows lack {missing}")
    indicators = query(common.indicators, lang)
    geos = query(common.geos, None, lang)
    sources = query(common.sources, None, lang=lang)
    frame = core.reset_index(drop=True).copy()
    for column in ("flags", "status"):
        frame[column] = frame[column].fillna("") if column in frame.columns else ""
    own_source = _by_code(indicators, "source_code")
    if "source_code" not in frame.columns:
        frame["source_code"] = None
    frame["source_code"] = frame["source_code"].where(
        frame["source_code"].notna(), frame["indicator_code"].map(own_source)
    )
    frame["period"] = frame["period"].astype(str)
    frame["period_start"], frame["period_end"] = period_bounds(frame["period"])
    frame["indicator"] = frame["indicator_code"].map(_by_code(indicators, "name"))
    frame["unit"] = frame["indicator_code"].map(_by_code(indicators, "unit"))
    frame["geo"] = frame["geo_code"].map(_by_code(geos, "name"))
    frame["source"] = frame["source_code"].map(_by_code(sources, "name"))
    frame["source_url"] = frame["source_code"].map(_by_code(sources, "url"))
    licences = frame["source_code"].map(_by_code(sources, "licence"))
    frame["licence"] = licences.map(lambda x: licence_text(x, lang) if x else x)
    kinds = frame["source_code"].map(_by_code(sources, "kind"))
    frame["kind"] = kinds.map(lambda k: t(KIND_WORDS[k]) if k in KIND_WORDS else k)
    frame["status"] = frame["status"].map(lambda s: t(s) if s else "")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    return frame[list(TIDY_COLUMNS)]


def headers(columns: dict[str, str], lang: str) -> list[str]:
    """The header row in the UI language."""
    t = translator(lang)
    return [t(label) for label in columns.values()]


def _lang_of(filters: object) -> str:
    lang = filters.get("lang") if isinstance(filters, dict) else getattr(filters, "lang", None)
    return normalise(lang)


def _sources_lines(sources: pd.DataFrame, lang: str) -> list[str]:
    t = translator(lang)
    lines = []
    for row in sources.to_dict("records"):
        kind = t(KIND_WORDS[row["kind"]]) if row.get("kind") in KIND_WORDS else str(row.get("kind", ""))
        licence = licence_text(str(row.get("licence", "")), lang)
        parts = [str(row.get("name", "")), licence, kind, str(row.get("url") or "")]
        lines.append(" · ".join(p for p in parts if p))
    return lines


def about_rows(
    entry: ChartData, content: object, table: pd.DataFrame, search: str | None, lang: str, exported_at: datetime
) -> list[tuple[str, object]]:
    """The About sheet: what the file holds, for which filters, from where, as of when, and the
    link that reproduces the view."""
    t = translator(lang)
    sources = content.sources
    rows: list[tuple[str, object]] = [(t("Title"), content.title), (t("Filters"), content.subtitle)]
    rows += [(t("Source"), line) for line in _sources_lines(sources, lang)] or [(t("Source"), t("none"))]
    if len(sources) and (sources["kind"] == "synthetic").any():
        rows.append((t("Note"), t("synthetic demo data: generated for this demonstration, not real figures")))
    periods = table["period"].dropna().astype(str) if "period" in table.columns else pd.Series(dtype=str)
    if len(periods):
        rows.append((t("Latest period"), max(periods)))
    loaded = query(common.last_loaded)
    if loaded is not None:
        rows.append((t("Data loaded"), loaded))
    rows.append((t("Exported"), exported_at.replace(tzinfo=None, microsecond=0)))
    rows.append((t("Rows"), len(table)))
    rows.append((t("Link to this view"), entry.link(search)))
    return rows


def data_file(key: object, search: str | None, fmt: str, exported_at: datetime | None = None) -> tuple[bytes, str]:
    """The CSV or XLSX of one chart's data, for the filters of the page's query string.

    Args:
        key: the chart's export key (from the browser: looked up, never trusted).
        search: the page's query string (from the browser: read by the page's own parser).
        fmt: ``csv`` or ``xlsx``.
        exported_at: when the file is made (now by default).

    Returns:
        (file bytes, file name).

    Raises:
        KeyError: the chart offers no data download.
        ValueError: an unknown format.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown data format {fmt!r}")
    entry = get(key)
    filters = entry.parse(search)
    lang = _lang_of(filters)
    exported_at = exported_at or datetime.now(UTC)
    rows = entry.rows(filters)
    content = entry.content(filters)
    if entry.tidy:
        table, labels = tidy_table(rows, lang), TIDY_COLUMNS
        decimals = list(table["indicator_code"].map(_by_code(query(common.indicators, lang), "decimals")))
    else:
        sources = content.sources if entry.row_sources else None
        table, decimals = plain_table(rows, entry.columns, sources, lang), None
        labels = {**entry.columns, **(PLAIN_COLUMNS if entry.row_sources else {})}
    header = headers(labels, lang)
    name = f"{entry.stem(filters)}.{fmt}"
    if fmt == "csv":
        return csv_bytes(table, header), name
    about = about_rows(entry, content, table, search, lang, exported_at)
    return xlsx_bytes(table, header, about, decimals), name


def plain_table(rows: pd.DataFrame, columns: dict[str, str], sources: pd.DataFrame | None, lang: str) -> pd.DataFrame:
    """A plain table's columns, then (``sources`` given) its sources, licences and kinds: every
    row says where it comes from, as a tidy row does."""
    t = translator(lang)
    table = rows[list(columns)].reset_index(drop=True).copy()
    if sources is None:
        return table
    records = sources.to_dict("records")
    table["source"] = "; ".join(str(r.get("name", "")) for r in records)
    table["source_url"] = "; ".join(str(r.get("url") or "") for r in records if r.get("url"))
    table["licence"] = "; ".join(licence_text(str(r.get("licence", "")), lang) for r in records)
    table["kind"] = "; ".join(t(KIND_WORDS[r["kind"]]) if r.get("kind") in KIND_WORDS else "" for r in records)
    return table
