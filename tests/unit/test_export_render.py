"""Snapshots and the PDF report: the text a chart needs to stand on its own is inside the file,
and the files parse. Rendering uses Debian's Chromium through kaleido (one browser for all)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import plotly.graph_objects as go
import pytest

from components.chart_card import chart_card
from exports.meta import ExportMeta
from exports.renderer import RENDERER, browser_path
from exports.report import CHART_HEIGHT, MAX_CHART_HEIGHT, chart_height, collect_charts, report_html
from exports.snapshot import (
    HEIGHT,
    MAX_HEIGHT,
    PNG_SCALE,
    WIDTH,
    annotated_figure,
    bands,
    snapshot,
    snapshot_height,
)
from i18n import translator

needs_browser = pytest.mark.skipif(browser_path() is None, reason="Chromium is not installed")
WHEN = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
SOURCES = ({"name": "Demo generator", "licence": "CC0", "kind": "synthetic"},)
META = ExportMeta("Аҳолии фарогирифта бо 4G", "Хатлон · 2024-Q4", SOURCES, "tg", "rural-4g", WHEN)
FIGURE = go.Figure(go.Scatter(x=["2024-Q3", "2024-Q4"], y=[50.5, 52.0], name="Хатлон")).to_plotly_json()


@pytest.fixture(scope="module", autouse=True)
def _stop_browser():
    yield
    RENDERER.close()


def svg_text(content: bytes) -> str:
    root = ET.fromstring(content)
    return " ".join(t for t in root.itertext())


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == b"\x89PNG\r\n\x1a\n" and content[12:16] == b"IHDR"
    return struct.unpack(">II", content[16:24])


def test_render_page_loads_nothing_from_another_host():
    from kaleido import PageGenerator

    page = PageGenerator(mathjax=False).generate_index()  # what the renderer's Kaleido builds
    assert "http" not in page and "plotly.min.js" in page


def test_annotated_figure_carries_title_filters_source_and_date():
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {"width": 300, "margin": {"b": 20}}}
    result = annotated_figure(figure, META)
    layout = result["layout"]
    assert "Аҳолии фарогирифта бо 4G" in layout["title"]["text"]
    assert layout["title"]["subtitle"]["text"] == "Хатлон · 2024-Q4"
    footer = layout["annotations"][-1]["text"]
    t = translator("tg")
    assert "Demo generator (CC0)" in footer and t("synthetic demo data") in footer
    assert "2026" in footer and (layout["width"], layout["height"]) == (WIDTH, snapshot_height(figure, META))
    assert figure["layout"] == {"width": 300, "margin": {"b": 20}}  # the input is untouched


def test_annotated_figure_escapes_markup_and_omits_badge_for_real_data():
    meta = ExportMeta("<b>x</b>", sources=({"name": "WDI", "licence": "CC BY 4.0", "kind": "official"},), lang="en")
    layout = annotated_figure({"data": [], "layout": {}}, meta)["layout"]
    assert "&lt;b&gt;x&lt;/b&gt;" in layout["title"]["text"]
    assert "synthetic" not in layout["annotations"][-1]["text"]


@needs_browser
def test_png_snapshot_is_2x_and_svg_holds_the_provenance():
    png = snapshot(FIGURE, META, "png")
    assert png_size(png) == (WIDTH * PNG_SCALE, snapshot_height(FIGURE, META) * PNG_SCALE)
    words = svg_text(snapshot(FIGURE, META, "svg"))
    for expected in ("Аҳолии фарогирифта бо 4G", "Хатлон · 2024-Q4", "Demo generator (CC0)", "2026"):
        assert expected in words
    with pytest.raises(ValueError):
        snapshot(FIGURE, META, "gif")


def test_collect_charts_finds_every_card_in_page_order():
    import pandas as pd
    from dash import html

    sources = pd.DataFrame([dict(SOURCES[0])])
    tree = html.Div(
        [
            html.H1("page"),
            html.Div([chart_card("a", "First", go.Figure(FIGURE), sources, subtitle="f1", lang="ru")]),
            chart_card({"type": "x", "index": 2}, "Second", go.Figure(), sources),
        ]
    )
    parts = collect_charts(tree, WHEN)
    assert [p.meta.title for p in parts] == ["First", "Second"]
    assert parts[0].meta.subtitle == "f1" and parts[0].meta.lang == "ru" and parts[0].meta.synthetic
    assert parts[0].figure["data"][0]["name"] == "Хатлон"
    assert collect_charts(html.Div("no charts")) == []


def test_snapshot_height_makes_room_for_tall_figures():
    assert snapshot_height({"layout": {}}, META) == HEIGHT
    assert snapshot_height({"layout": {"height": 300}}, META) == HEIGHT
    tall = {"layout": {"height": 800, "margin": {"t": 10, "b": 10}}}
    b = bands(tall, META)
    assert snapshot_height(tall, META) == round(780 + b.top + b.bottom)  # the plot keeps its 780 px
    assert snapshot_height({"layout": {"height": 9000}}, META) == MAX_HEIGHT


def test_chart_height_follows_tall_figures():
    assert chart_height({"layout": {}}) == CHART_HEIGHT
    assert chart_height({"layout": {"height": 700}}) == 700
    assert chart_height({"layout": {"height": 5000}}) == MAX_CHART_HEIGHT


def test_report_html_has_title_page_charts_and_sources():
    parts = collect_charts(chart_card("a", "First", go.Figure(FIGURE), __import__("pandas").DataFrame([SOURCES[0]])))
    page = report_html("Фарогирии интернет", [("Минтақа", "Вилояти Хатлон")], parts, [b"<svg/>"], "tg", WHEN)
    assert "<h1>Фарогирии интернет</h1>" in page and "Вилояти Хатлон" in page  # filters in words
    assert "Demo generator" in page and "data:image/svg+xml;base64," in page
    assert "http" not in page.replace("http://www.w3.org", "")  # nothing to fetch from elsewhere


@pytest.fixture(scope="module")
def client(seeded_sqlite_url):
    from app import create_app
    from config import Config

    # Every page's report in one module: more than the default per-client rate allows in a minute.
    config = Config(
        database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test", report_rate_limit="100/minute"
    )
    return create_app(config).server.test_client()


@needs_browser
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_every_page_prints_to_a_pdf_in_russian(client, tmp_path):
    import dash

    pages = [p for p in dash.page_registry.values() if p.get("order") is not None]
    tools = [p for p in pages if "permission" in p]  # /import, /admin/accounts: no view to report on
    assert tools and all(client.get(f"/_export/report.pdf?page={p['path']}").status_code == 404 for p in tools)
    for page in (p for p in pages if "permission" not in p):
        response = client.get(f"/_export/report.pdf?page={page['path']}&lang=ru&region=bogus&from=x")
        assert response.status_code == 200, page["path"]
        assert response.data.startswith(b"%PDF-") and response.data.rstrip().endswith(b"%%EOF")
        pdf = tmp_path / "page.pdf"
        pdf.write_bytes(response.data)
        words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert translator("ru")(page["title"]) in " ".join(words.split()), page["path"]  # long titles wrap


def test_no_browser_gives_a_plain_503(client, monkeypatch):
    from exports.renderer import Renderer

    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    broken = Renderer()
    monkeypatch.setattr("exports.renderer.RENDERER", broken)
    response = client.get("/_export/report.pdf?page=/data&lang=en")
    assert response.status_code == 503 and b"could not be made" in response.data
    assert broken._thread is None  # nothing left running


@needs_browser
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_connectivity_report_in_tajik(client, tmp_path):
    response = client.get("/_export/report.pdf?page=/connectivity&lang=tg")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "report_connectivity_tg_" in response.headers["Content-Disposition"]
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.data)
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(words.split())
    t = translator("tg")
    assert t("Rural internet coverage") in words
    assert f"{t('Source')}:" in words and "CC0" in words
    assert "Тоҷикӣ" in words  # the language line, in Tajik letters
    assert client.get("/_export/report.pdf?page=/no-such-page").status_code == 404
