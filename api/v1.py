"""Version 1 of the machine API, a Flask blueprint under ``/api/v1``.

* ``GET /api/v1/indicators``: the catalogue as JSON (``?theme=&kind=&q=&lang=``).
* ``GET /api/v1/indicators/<code>.csv`` and ``.json``: current observations of one indicator,
  filtered with ``?geo=TJ,KG&from=2015&to=2023-Q4``. The CSV uses the loader's file template
  (plus ``source_kind``), so it can be loaded back as it is.
* ``GET /api/v1/bulk.zip``: the whole database (or ``?theme=``) as in the /data page's download.

Why errors are JSON with a 4xx: a script that asks for an unknown code or a malformed period
must get a reason it can print, never an HTML page or a 500. A database that is down gives 503.
Data is read through ``data_loaders.cached.query``, the same engine and cache the pages use.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from flask import Blueprint, Response, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from components.kpi_card import kpi_record
from components.registry_kpi import kpi_from_registry
from data_loaders import bulk_export
from data_loaders.cached import DatabaseUnavailable, query
from data_loaders.models import SOURCE_KINDS, THEMES
from data_loaders.periods import parse_period
from data_loaders.queries import catalogue, common, kpis
from exports.tables import neutralise_frame
from i18n import normalise
from metrics import kpis as registry

blueprint = Blueprint("api_v1", __name__, url_prefix="/api/v1")
FORMATS = ("csv", "json")
CSV_COLUMNS = ["indicator_code", "geo_code", "period", "value", "breakdown", "flags", "source_code", "comment"]


class BadRequest(Exception):
    """A request the API cannot answer: carries the HTTP status and a message for the caller."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": {"status": status, "message": message}}), status


@blueprint.errorhandler(BadRequest)
def _bad_request(exc: BadRequest):
    return _error(exc.status, exc.message)


@blueprint.errorhandler(DatabaseUnavailable)
def _database_down(exc: DatabaseUnavailable):
    return _error(503, f"the database is not reachable right now ({exc}); please try again later")


@blueprint.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return _error(exc.code or 400, exc.description or exc.name)


def _lang() -> str:
    return normalise(request.args.get("lang"), default="en")


def _choice(name: str, allowed: tuple[str, ...]) -> str | None:
    value = request.args.get(name, "").strip()
    if value and value not in allowed:
        raise BadRequest(f"unknown {name} '{value}': use one of {', '.join(allowed)}")
    return value or None


def _period(name: str) -> tuple[date, date] | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        period = parse_period(value)
    except ValueError as exc:
        raise BadRequest(f"bad '{name}': {exc}") from exc
    return period.start, period.end


def _geo_codes() -> list[str]:
    raw = request.args.get("geo", "")
    codes = [c.strip().upper() for c in raw.split(",") if c.strip()]
    if not codes:
        return []
    known = set(query(common.geos)["code"])
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise BadRequest(f"unknown geo code(s) {', '.join(unknown)}: see /api/v1/indicators for codes in use")
    return codes


def _links(code: str) -> dict:
    return {
        "csv": url_for("api_v1.indicator_file", name=f"{code}.csv"),
        "json": url_for("api_v1.indicator_file", name=f"{code}.json"),
        "page": f"{request.script_root}/data?indicator={code}",
    }


def _plain(value: object) -> object:
    """A JSON-safe cell: dates as ISO text, missing values as null, numpy numbers as Python's."""
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, (date, pd.Timestamp)):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


@blueprint.get("/indicators")
def indicators():
    """The catalogue: every indicator with source, licence, kind, coverage and links to its data."""
    frame = query(
        catalogue.catalogue,
        _lang(),
        _choice("theme", THEMES),
        _choice("kind", SOURCE_KINDS),
        request.args.get("q", "").strip() or None,
    )
    items = []
    for row in _records(frame):
        source = {k: row.pop(f) for k, f in (("code", "source_code"), ("name", "source"), ("url", "source_url"))}
        source |= {"licence": row.pop("licence"), "kind": row["kind"]}
        items.append(row | {"source": source, "links": _links(row["code"])})
    return jsonify({"count": len(items), "indicators": items})


@blueprint.get("/indicators/<string:name>")
def indicator_file(name: str):
    """One indicator's current observations as ``<code>.csv`` or ``<code>.json``."""
    code, _, fmt = name.rpartition(".")
    if fmt not in FORMATS or not code:
        raise BadRequest(f"ask for '{name}.csv' or '{name}.json'", 404)
    meta = query(common.indicator, code, _lang())
    if meta is None:
        raise BadRequest(f"unknown indicator '{code}': see /api/v1/indicators", 404)
    geo_codes, first, last = _geo_codes(), _period("from"), _period("to")
    if first and last and first[0] > last[1]:
        raise BadRequest("'from' is after 'to'")
    frame = query(
        catalogue.observations,
        code,
        geo_codes,
        first[0] if first else None,
        last[1] if last else None,
        _lang(),
    )
    synthetic = bool((frame["source_kind"] == "synthetic").any()) if len(frame) else False
    if fmt == "csv":
        shown = neutralise_frame(frame.reindex(columns=[*CSV_COLUMNS, "source_kind"]))
        body = shown.to_csv(index=False, lineterminator="\n")
        response = Response(body, mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{code}.csv"'
        response.headers["X-Contains-Synthetic"] = "true" if synthetic else "false"
        return response
    sources = query(catalogue.indicator_sources, code)
    shown = frame.drop(columns=["indicator_code", "period_start", "import_batch_id"])
    return jsonify(
        {
            "indicator": {k: _plain(v) for k, v in meta.items()},
            "filters": {
                "geo": geo_codes,
                "from": request.args.get("from") or None,
                "to": request.args.get("to") or None,
            },
            "contains_synthetic": synthetic,
            "sources": _records(sources),
            "links": _links(code),
            "count": len(shown),
            "observations": _records(shown),
        }
    )


@blueprint.get("/kpis.<fmt>")
def kpi_table(fmt: str):
    """Every KPI of the registry with the value, period, target, status and method its cards show."""
    if fmt not in FORMATS:
        raise BadRequest(f"ask for 'kpis.csv' or 'kpis.json', not 'kpis.{fmt}'", 404)
    lang, today = _lang(), date.today()
    records = []
    for definition in registry.REGISTRY:
        kpi = kpi_from_registry(definition, query(kpis.kpi_data, definition.key, today, lang), today, lang)
        records.append(
            {"key": definition.key, "indicator_code": definition.indicator, "theme": definition.theme}
            | kpi_record(kpi, lang)
        )
    frame = pd.DataFrame(records).astype({"target_year": "Int64"})
    if fmt == "json":
        return jsonify({"as_of": today.isoformat(), "count": len(records), "kpis": _records(frame)})
    response = Response(neutralise_frame(frame).to_csv(index=False, lineterminator="\n"), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="tj-digital-kpis_{lang}_{today.isoformat()}.csv"'
    return response


@blueprint.get("/bulk.zip")
def bulk():
    """The whole database, or one theme, as the ZIP of loader-format CSVs with README and metadata."""
    theme = _choice("theme", THEMES)
    body = query(bulk_export.build_zip, theme)
    response = Response(body, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{bulk_export.zip_name(theme)}"'
    return response


@blueprint.route("/", defaults={"rest": ""})
@blueprint.route("/<path:rest>")
def unknown(rest: str):
    """Anything else under /api/v1 is a JSON 404, not the dashboard's HTML page."""
    return _error(404, f"no such endpoint '/api/v1/{rest}': use /api/v1/indicators")
