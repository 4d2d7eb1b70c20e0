"""Every CSV a browser downloads (API, bulk ZIP) neutralises text that a spreadsheet would run as a
formula, the way chart exports already do: a leading apostrophe, nothing else changed."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from app import create_app
from config import Config
from data_loaders.bulk_export import build_zip
from data_loaders.load import load_file

FORMULAS = ['=HYPERLINK("http://example.invalid","x")', "+cmd|' /C calc'!A0", "@SUM(A1:A2)", "-2+3"]


@pytest.fixture
def formula_engine(reference_engine, tmp_path):
    """Reference data plus four observations whose comments look like formulas."""
    lines = ["indicator_code,geo_code,period,value,comment"]
    for year, comment in zip(range(2020, 2024), FORMULAS, strict=True):
        lines.append(f'IT.NET.USER.ZS,TJ,{year},{year - 2000},"{comment.replace(chr(34), chr(34) * 2)}"')
    path = tmp_path / "formulas.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = load_file(reference_engine, path, loaded_by="test")
    assert report.ok, report.summary()
    return reference_engine


def _comments(text: str) -> list[str]:
    return sorted(row["comment"] for row in csv.DictReader(io.StringIO(text)) if row["comment"])


def test_api_csv_neutralises_formula_text(formula_engine):
    url = formula_engine.url.render_as_string(hide_password=False)
    client = create_app(Config(database_url=url, seed_on_start=False, secret_key="test")).server.test_client()
    response = client.get("/api/v1/indicators/IT.NET.USER.ZS.csv")
    assert response.status_code == 200
    assert _comments(response.get_data(as_text=True)) == sorted("'" + f for f in FORMULAS)
    # numbers and codes are untouched
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {row["value"] for row in rows} == {"20.0", "21.0", "22.0", "23.0"}


def test_bulk_zip_neutralises_formula_text(formula_engine):
    archive = zipfile.ZipFile(io.BytesIO(build_zip(formula_engine)))
    text = archive.read("observations.csv").decode("utf-8")
    assert _comments(text) == sorted("'" + f for f in FORMULAS)
    assert "\n=" not in text and ",=" not in text and ",@" not in text
