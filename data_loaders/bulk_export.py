"""Bulk downloads: the whole database, or one theme, as a ZIP that the loader can read back.

Why the loader's own formats: a partner who takes the data into their own tools gets the same
columns the ministry loads (the observation file template and the reference/raw kinds of
``data_loaders.datasets``), and the ZIP is proved by reloading it into an empty database
(tests/unit/test_bulk_export.py). Each CSV is UTF-8 with a header; ``metadata.json`` lists the
files in load order with their kind, rows and sources; ``README.md`` names every source, its
licence and the citation text, and says plainly when any of the data is synthetic.

Only current revisions of observations are exported; earlier revisions stay in the database and
are shown on the indicator's page.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, case, select

from data_loaders import models as m
from data_loaders.datasets import DATASETS
from data_loaders.queries.common import read_frame
from exports.tables import neutralise_frame

# Themes that need the company registry (park tenants reference companies) and the park tables.
REGISTRY_THEMES = (None, "it_sector", "park")
PARK_THEMES = (None, "park")

WORLD_BANK_NOTICE = (
    "World Bank and ITU figures: The World Bank, World Development Indicators, licensed under "
    "Creative Commons Attribution 4.0 (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/. "
    "Figures may have been reshaped (not altered) for this dashboard."
)
GEOBOUNDARIES_NOTICE = (
    "Boundaries (shown on the dashboard's maps, not included in this ZIP): geoBoundaries gbOpen, "
    "derived from OpenStreetMap. Contains information from OpenStreetMap contributors, available "
    "under the Open Database Licence (ODbL 1.0), https://opendatacommons.org/licenses/odbl/1-0/."
)
SYNTHETIC_NOTICE = (
    "SYNTHETIC DEMO DATA: rows whose source_code names a source of kind 'synthetic' are generated "
    "demonstration data (district coverage, company registry, IT Park units and leases). They are "
    "not statistics and must not be cited as such."
)


@dataclass(frozen=True)
class Part:
    """One CSV of the ZIP: its file name, the loader kind that reads it back, and its rows."""

    file_name: str
    kind: str
    frame: pd.DataFrame


def _geo_rank():
    return case((m.Geo.level == "country", 0), (m.Geo.level == "region", 1), (m.Geo.level == "district", 2), else_=3)


def _frame(engine: Engine, kind: str, stmt) -> pd.DataFrame:
    """Rows of ``stmt`` with exactly the loader's columns for ``kind``, booleans as 1/0."""
    frame = read_frame(engine, stmt)
    frame = frame.reindex(columns=DATASETS[kind].columns)
    for column in frame.columns:
        if frame[column].dtype == bool:
            frame[column] = frame[column].astype(int)
    return frame


def _columns(model: type[m.Base], kind: str) -> list:
    return [getattr(model, name) for name in DATASETS[kind].columns if hasattr(model, name)]


def collect(engine: Engine, theme: str | None = None) -> list[Part]:
    """The tables of the ZIP, in dependency order (the order of ``data_loaders.seed.SEED_FILES``).

    Args:
        engine: the database.
        theme: one of ``models.THEMES`` for that theme's indicators and raw tables; None for all.

    Returns:
        The parts, each already in the loader's column layout.
    """
    i, o, t = m.Indicator, m.Observation, m.Target
    theme_codes = select(i.code).where(i.theme == theme) if theme else select(i.code)
    parts = [
        Part("sources.csv", "sources", _frame(engine, "sources", select(*_columns(m.Source, "sources")))),
        Part(
            "indicators.csv",
            "indicators",
            _frame(
                engine, "indicators", select(*_columns(i, "indicators")).where(i.code.in_(theme_codes)).order_by(i.code)
            ),
        ),
        Part(
            "geo.csv", "geo", _frame(engine, "geo", select(*_columns(m.Geo, "geo")).order_by(_geo_rank(), m.Geo.code))
        ),
        Part(
            "observations.csv",
            "observations",
            _frame(
                engine,
                "observations",
                select(*_columns(o, "observations"))
                .where(o.is_current, o.indicator_code.in_(theme_codes))
                .order_by(o.indicator_code, o.geo_code, o.breakdown, o.period_start),
            ),
        ),
    ]
    if theme in REGISTRY_THEMES:
        c, y = m.ItCompany, m.ItCompanyYear
        parts.append(
            Part(
                "it_companies.csv",
                "it_companies",
                _frame(engine, "it_companies", select(*_columns(c, "it_companies")).order_by(c.company_id)),
            )
        )
        if theme != "park":  # the park needs the registry only for its tenants' company ids
            parts.append(
                Part(
                    "it_company_years.csv",
                    "it_company_years",
                    _frame(
                        engine,
                        "it_company_years",
                        select(*_columns(y, "it_company_years")).order_by(y.company_id, y.year),
                    ),
                )
            )
    if theme in PARK_THEMES:
        for model, kind, key in (
            (m.ParkBuilding, "park_buildings", m.ParkBuilding.building_code),
            (m.ParkUnit, "park_units", m.ParkUnit.unit_code),
            (m.ParkTenant, "park_tenants", m.ParkTenant.tenant_code),
            (m.ParkLease, "park_leases", m.ParkLease.lease_id),
        ):
            parts.append(Part(f"{kind}.csv", kind, _frame(engine, kind, select(*_columns(model, kind)).order_by(key))))
    parts.append(
        Part(
            "targets.csv",
            "targets",
            _frame(
                engine,
                "targets",
                select(*_columns(t, "targets"))
                .where(t.indicator_code.in_(theme_codes))
                .order_by(t.indicator_code, t.geo_code, t.year, t.breakdown),
            ),
        )
    )
    return parts


def used_sources(parts: list[Part]) -> pd.DataFrame:
    """The sources that any row of the parts names (all sources' rows are in the sources part)."""
    sources = next(p.frame for p in parts if p.kind == "sources")
    used: set[str] = set()
    for part in parts:
        if part.kind != "sources" and "source_code" in part.frame.columns:
            used |= set(part.frame["source_code"].dropna())
    return sources[sources["code"].isin(used)].sort_values(["kind", "code"])


def metadata(parts: list[Part], theme: str | None, generated: datetime) -> dict:
    """What ``metadata.json`` says: files in load order, row counts, sources and the synthetic flag."""
    sources = used_sources(parts)
    return {
        "title": "Tajikistan digitalization KPI dashboard: bulk download",
        "theme": theme or "all",
        "generated_at": generated.isoformat(timespec="seconds"),
        "contains_synthetic": bool((sources["kind"] == "synthetic").any()),
        "observations": "current revisions only",
        "load_order": [{"file": p.file_name, "kind": p.kind, "rows": len(p.frame)} for p in parts],
        "sources": [
            {
                "code": row.code,
                "name": row.name,
                "url": row.url or "",
                "licence": row.licence,
                "kind": row.kind,
                "retrieved": str(row.retrieved) if pd.notna(row.retrieved) else "",
                "citation": row.citation or "",
            }
            for row in sources.itertuples()
        ],
    }


def readme(meta: dict) -> str:
    """The README of the ZIP: how to load it, every source with licence and citation, the notices."""
    lines = [
        f"# {meta['title']}",
        "",
        f"Theme: {meta['theme']}. Generated: {meta['generated_at']} (UTC).",
        "",
    ]
    if meta["contains_synthetic"]:
        lines += [f"**{SYNTHETIC_NOTICE}**", ""]
    lines += [
        "## Files",
        "",
        "Load them in this order with `python -m data_loaders.load FILE --kind KIND` "
        "(a file with 0 rows holds only the header: skip it):",
        "",
    ]
    lines += [f"- `{f['file']}` ({f['kind']}, {f['rows']} rows)" for f in meta["load_order"]]
    lines += [
        "",
        "Observations use the loader's file template: indicator_code, geo_code, period (2024, 2024-Q3, "
        "2024-07), value, breakdown, flags (E estimate, P provisional, B break in series), source_code, "
        "comment. Only current revisions are included.",
        "",
        "## Sources and licences",
        "",
    ]
    for s in meta["sources"]:
        lines.append(f"- **{s['name']}** ({s['code']}; {s['kind']}; licence: {s['licence']}) {s['url']}".rstrip())
        if s["citation"]:
            lines.append(f"  Cite as: {s['citation']}")
    lines += ["", "## Notices", "", WORLD_BANK_NOTICE, "", GEOBOUNDARIES_NOTICE, ""]
    return "\n".join(lines)


def build_zip(engine: Engine, theme: str | None = None, generated: datetime | None = None) -> bytes:
    """The ZIP of one theme (or everything): a CSV per table, ``metadata.json`` and ``README.md``.

    Args:
        engine: the database.
        theme: one of ``models.THEMES``, or None for the whole database.
        generated: the time stamped into the metadata (now, in UTC, by default).

    Returns:
        The ZIP file's bytes.
    """
    if theme is not None and theme not in m.THEMES:
        raise ValueError(f"unknown theme '{theme}': use one of {', '.join(m.THEMES)}")
    parts = collect(engine, theme)
    meta = metadata(parts, theme, generated or datetime.now(UTC).replace(tzinfo=None))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for part in parts:
            body = neutralise_frame(part.frame).to_csv(index=False, na_rep="", lineterminator="\n")
            archive.writestr(part.file_name, body)
        archive.writestr("metadata.json", json.dumps(meta, ensure_ascii=False, indent=2))
        archive.writestr("README.md", readme(meta))
    return buffer.getvalue()


def zip_name(theme: str | None, day: datetime | None = None) -> str:
    """A download file name that says what and when: ``tj-digital-kpi_all_2026-11-28.zip``."""
    stamp = (day or datetime.now(UTC)).date().isoformat()
    return f"tj-digital-kpi_{theme or 'all'}_{stamp}.zip"
