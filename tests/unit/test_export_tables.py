"""CSV/XLSX exports: exactly the chart's data, with provenance, formula-looking text neutralised,
and values equal to the database."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from sqlalchemy import text

from components.chart_card import EXPORT_META, chart_card, chart_key, data_records
from data_loaders.queries import common
from exports.meta import ExportMeta, file_name, safe_name, with_filters
from exports.tables import csv_bytes, figure_table, neutralise, xlsx_bytes
from pages._exports import export_file

WHEN = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
SOURCES = (
    {"name": "World Bank WDI", "licence": "CC BY 4.0", "kind": "official"},
    {"name": "Demo generator", "licence": "CC0", "kind": "synthetic"},
)
META = ExportMeta("Internet users", "Tajikistan · 2018–2024", SOURCES, "en", "internet-users_TJ", WHEN)


def read_csv(content: bytes) -> tuple[list[list[str]], list[list[str]]]:
    """(header block, table) of an exported CSV."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    blank = rows.index([])
    return rows[:blank], rows[blank + 1 :]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 992", "'+7 992"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Душанбе", "Душанбе"),
        ("", ""),
        (-2.5, -2.5),  # numbers stay numbers
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_has_header_block_and_the_table():
    data = pd.DataFrame({"period": ["2023", "2024"], "value": [36.1, 40.25]})
    header, table = read_csv(csv_bytes(data, META))
    assert header[0] == ["Title", "Internet users"]
    assert header[1] == ["Filters", "Tajikistan · 2018–2024"]
    assert ["Source", "World Bank WDI", "CC BY 4.0", "official"] in header
    assert ["Note", "synthetic demo data"] in header
    assert header[-1] == ["Exported", "2026-11-28 09:30 UTC"]
    assert table == [["period", "value"], ["2023", "36.1"], ["2024", "40.25"]]


def test_csv_of_no_rows_keeps_the_columns():
    header, table = read_csv(csv_bytes(pd.DataFrame(columns=["period", "value"]), META))
    assert table == [["period", "value"]]
    assert header[0] == ["Title", "Internet users"]


def test_csv_and_xlsx_neutralise_injection_cells():
    evil = pd.DataFrame({"=name": ['=HYPERLINK("http://x")', "@cmd", "ok"], "value": [1.0, -1.0, 2.0]})
    meta = ExportMeta("=title", "+filters", ({"name": "-src", "licence": "@lic", "kind": "official"},), "en")
    header, table = read_csv(csv_bytes(evil, meta))
    assert header[0][1] == "'=title" and header[1][1] == "'+filters"
    assert header[2][1:3] == ["'-src", "'@lic"]
    assert [row[0] for row in table] == ["'=name", '\'=HYPERLINK("http://x")', "'@cmd", "ok"]
    assert table[2][1] == "-1.0"  # a negative number is a number, not text

    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(evil, meta)))
    sheet = book["Data"]
    assert sheet["A1"].value == "'=name" and sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["B3"].value == -1.0
    assert book["About"]["B1"].value == "'=title"


def test_xlsx_has_data_and_about_sheets():
    data = pd.DataFrame({"region": ["Хатлон", "Суғд"], "value": [52.5, 61.0]})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(data, META)))
    assert book.sheetnames == ["Data", "About"]
    rows = list(book["Data"].iter_rows(values_only=True))
    assert rows == [("region", "value"), ("Хатлон", 52.5), ("Суғд", 61.0)]
    about = {row[0]: row[1:] for row in book["About"].iter_rows(values_only=True)}
    assert about["Title"][0] == "Internet users"
    assert about["Note"][0] == "synthetic demo data"


def test_figure_table_takes_the_traces():
    figure = go.Figure([go.Scatter(x=["2023", "2024"], y=[1, 2], name="TJ"), go.Bar(x=["a"], y=[3])]).to_plotly_json()
    table = figure_table(figure)
    assert table[["series", "x", "y"]].values.tolist() == [["TJ", "2023", 1], ["TJ", "2024", 2], ["trace 2", "a", 3]]
    assert figure_table({"data": []}).columns.tolist() == ["series", "x", "y"]


def test_figure_table_decodes_typed_arrays_and_skips_decoration():
    import numpy as np

    figure = go.Figure(
        [
            go.Scatter(x=np.array([2023, 2024]), y=np.array([1.5, 2.5]), name="TJ"),
            go.Scatter(x=[0, 1], y=[0, 1], hoverinfo="skip", showlegend=False),  # an outline
            go.Scatter(x=[0, 1, 0], y=[0, 1, 1], fill="toself", name="Darvoz", text="<b>Darvoz</b><br>43.1 %"),
        ]
    ).to_plotly_json()
    assert "bdata" in str(figure["data"][0]["y"]) or isinstance(figure["data"][0]["y"], np.ndarray)
    table = figure_table(figure)
    assert table["series"].tolist() == ["TJ", "TJ", "Darvoz"]
    assert table["y"].tolist()[:2] == [1.5, 2.5]
    assert table["text"].tolist()[2] == "Darvoz · 43.1 %"


def test_file_names_say_what_and_when():
    assert file_name(META, "png") == "internet-users_TJ_2026-11-28.png"
    named = ExportMeta("t", name="rural-4g-coverage_TJ-KT_2024-Q4", exported_at=WHEN)
    assert file_name(named, "csv") == "rural-4g-coverage_TJ-KT_2024-Q4.csv"
    assert safe_name("../etc/passwd рус") == "etc-passwd"
    assert safe_name("") == "chart"
    assert chart_key({"type": "tgt-chart", "index": "IT.NET"}) == "IT.NET-tgt-chart"


def test_default_file_names_take_the_url_filters():
    assert with_filters("conn-map", "?lang=tg&region=TJ-KT&from=2020-Q1") == "conn-map_TJ-KT_2020-Q1"
    assert with_filters("conn-map", "") == "conn-map"
    assert with_filters("x", "?q=<script>alert(1)</script>") == "x_script-alert-1-script"
    sources = pd.DataFrame([SOURCES[0]])
    card = chart_card("conn-map", "Map", go.Figure(), sources)
    store = next(c for c in card.children if getattr(c, "id", None) == {"type": EXPORT_META, "chart": "conn-map"})
    _, name = export_file({"fmt": "csv", "figure": None, "search": "?region=TJ-KT&lang=ru"}, store.data)
    assert name.startswith("conn-map_TJ-KT_") and name.endswith(".csv")
    named = chart_card("conn-map", "Map", go.Figure(), sources, export_name="rural-4g_TJ-KT_2024-Q4")
    store = next(c for c in named.children if getattr(c, "id", None) == {"type": EXPORT_META, "chart": "conn-map"})
    _, name = export_file({"fmt": "csv", "figure": None, "search": "?region=TJ-SU"}, store.data)
    assert name == "rural-4g_TJ-KT_2024-Q4.csv"


def test_data_records_are_json_safe():
    frame = pd.DataFrame({"day": pd.to_datetime(["2024-01-01", None]), "value": [1.5, float("nan")]})
    assert data_records(frame) == {"columns": ["day", "value"], "rows": [["2024-01-01", 1.5], [None, None]]}
    assert data_records(None) is None


def test_csv_values_equal_the_database(seeded_engine):
    data = common.series(seeded_engine, "IT.NET.USER.ZS", ["TJ"])
    sources = common.sources(seeded_engine, sorted(data["source_code"].unique()))
    card = chart_card("t-users", "Internet users", go.Figure(), sources, data=data[["period", "value"]])
    store = next(c for c in card.children if getattr(c, "id", None) == {"type": EXPORT_META, "chart": "t-users"})
    content, name = export_file({"fmt": "csv", "figure": None}, store.data)
    assert name.startswith("t-users_") and name.endswith(".csv")
    _, table = read_csv(content)
    with seeded_engine.connect() as connection:
        expected = connection.execute(
            text(
                "SELECT period, value FROM observation WHERE indicator_code = 'IT.NET.USER.ZS' AND geo_code = 'TJ'"
                " AND is_current AND breakdown = 'total' ORDER BY period_start"
            )
        ).all()
    assert len(expected) > 5
    assert table[0] == ["period", "value"]
    assert [(row[0], float(row[1])) for row in table[1:]] == [(p, v) for p, v in expected]
