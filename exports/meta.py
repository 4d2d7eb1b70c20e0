"""What an export says about itself: title, filters, sources with licences, synthetic flag, time.

The chart card stores this as plain JSON next to the chart, so one global callback can build any
chart's files without knowing the page it came from.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import pandas as pd

from i18n import N_, format_day, normalise, translator

# File names keep to ASCII letters, digits, dot, dash and underscore: safe on every system.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# The stored provenance comes back from the browser: keep what is drawn into a file short.
MAX_TEXT, MAX_SOURCES = 300, 20
# licences that are words, not names (a licence name such as "CC BY 4.0" stays as it is)
LICENCE_WORDS = (N_("Official statistics (quoted)"), N_("quoted news report"), N_("CC0 1.0 (generated)"))


@dataclass(frozen=True)
class ExportMeta:
    """Provenance of one chart, in the UI language."""

    title: str
    subtitle: str = ""
    sources: tuple[dict, ...] = ()  # {"name", "licence", "kind"} per source
    lang: str = "tg"
    name: str = "chart"  # file name stem, without extension
    exported_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def synthetic(self) -> bool:
        return any(source.get("kind") == "synthetic" for source in self.sources)

    def source_line(self) -> str:
        """ "Source: A (CC BY 4.0); B (...)" in the UI language."""
        t = translator(self.lang)
        items = [f"{s.get('name', '')} ({licence_text(s.get('licence', ''), self.lang)})" for s in self.sources]
        return f"{t('Source')}: " + ("; ".join(items) if items else t("none"))

    def date_line(self) -> str:
        t = translator(self.lang)
        return f"{t('Exported')}: {format_day(self.exported_at.date(), self.lang)}"

    def to_json(self) -> dict:
        data = asdict(self)
        data["sources"] = list(self.sources)
        data["exported_at"] = self.exported_at.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict, exported_at: datetime | None = None) -> ExportMeta:
        """Rebuild from the stored JSON (texts cut to :data:`MAX_TEXT`); the export time is now unless given."""
        sources = list(data.get("sources") or ())[:MAX_SOURCES]
        return cls(
            title=str(data.get("title", ""))[:MAX_TEXT],
            subtitle=str(data.get("subtitle", ""))[:MAX_TEXT],
            sources=tuple({str(k): str(v)[:MAX_TEXT] for k, v in dict(s).items()} for s in sources),
            lang=normalise(data.get("lang")),
            name=safe_name(str(data.get("name") or "chart")),
            exported_at=exported_at or datetime.now(UTC),
        )


def licence_text(licence: str, lang: str | None) -> str:
    """A licence as a reader sees it: a licence's name ("CC BY 4.0") as it is, words
    ("Official statistics (quoted)") in the UI language."""
    return translator(lang)(licence) if licence in LICENCE_WORDS else licence


def sources_records(sources: pd.DataFrame) -> tuple[dict, ...]:
    """The chart card's sources table as plain records (name, licence, kind)."""
    columns = [c for c in ("name", "licence", "kind") if c in sources.columns]
    return tuple({c: str(row[c]) for c in columns} for row in sources[columns].to_dict("records"))


def safe_name(stem: str) -> str:
    """A file name stem with anything but ASCII letters, digits, ``.-_`` turned into ``-``."""
    cleaned = _UNSAFE.sub("-", stem).strip("-.")
    return cleaned[:120] or "chart"


def with_filters(stem: str, search: str | None, limit: int = 4) -> str:
    """The stem followed by the URL's filter values (``conn-map_TJ-KT_2020-Q1``); ``lang`` left out.

    Args:
        stem: what the file holds, e.g. the chart id.
        search: the page's query string (``?region=TJ-KT&lang=tg``).
        limit: at most this many filter values.

    Returns:
        A safe file name stem.
    """
    values = [safe_name(v) for k, v in parse_qsl((search or "").lstrip("?")) if k != "lang" and v.strip()]
    return safe_name("_".join([stem, *[v for v in values if v != "chart"][:limit]]))


def file_name(meta: ExportMeta, extension: str) -> str:
    """``<name>_<YYYY-MM-DD>.<ext>`` unless the name already ends with a period or date."""
    stem = meta.name
    if not re.search(r"_\d{4}(-Q[1-4]|-\d{2}(-\d{2})?)?$", stem):
        stem = f"{stem}_{meta.exported_at:%Y-%m-%d}"
    return f"{stem}.{extension}"
