"""Snapshot layout (issue 16): the title band and the footer band never cover the plot area, the
x axis (tick labels and title) or a colour bar below the plot, in Tajik with long texts, and the
footer fits the image's width. Checked from the annotated figure's layout alone (margins,
paper-relative positions, font sizes x line counts), without a browser; the pixel model is
written out here, not taken from exports.snapshot.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import plotly.graph_objects as go
import pytest

from app import create_app
from config import Config
from exports.meta import ExportMeta
from exports.report import collect_charts
from exports.snapshot import HEIGHT, WIDTH, annotated_figure
from i18n import translator

WHEN = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
LINE = 1.3  # plotly's line spacing
GLYPH = 0.62  # a generous average glyph width, in font sizes
LONG_TITLE = (
    "Ҳиссаи аҳолии деҳот, ки бо шабакаи мобилии насли чорум (4G) фаро гирифта шудааст, аз рӯи ноҳияҳо ва вилоятҳо"
)
LONG_SUBTITLE = (
    "Вилояти Мухтори Кӯҳистони Бадахшон · ноҳияи Ишкошим · 2018-Q1 – 2026-Q3 · ҳамаи технологияҳо · "
    "аҳолии деҳот ва шаҳр ҷудо-ҷудо · ҳадафҳо намунавӣ мебошанд, на ҳадафҳои расмии Ҳукумат"
)
SOURCES = (
    {
        "name": "Маълумоти намоишии сунъӣ, ки барои ин лавҳаи нишондиҳандаҳо сохта шудааст",
        "licence": "CC0 1.0",
        "kind": "synthetic",
    },
    {
        "name": "Агентии омор: арзёбии шумораи аҳолӣ то 1 июли соли 2023, тавассути «Азия-Плюс»",
        "licence": "Official statistics (quoted)",
        "kind": "official",
    },
    {"name": "Бонки ҷаҳонӣ, Нишондиҳандаҳои рушди ҷаҳонӣ", "licence": "CC BY 4.0", "kind": "official"},
)
LONG_META = ExportMeta(LONG_TITLE, LONG_SUBTITLE, SOURCES, "tg", "long", WHEN)


def _lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def _plain(text: str) -> str:
    return text.replace("<b>", "").replace("</b>", "")


def boxes(figure: dict) -> dict[str, tuple[float, float, float, float]]:
    """(left, top, right, bottom) in CSS pixels of the title band, the plot, the x axis below it
    and the footer, from the annotated figure's layout."""
    layout = figure["layout"]
    # the image is WIDTH wide and as tall as the layout says (the renderer is given both)
    width, height, m = layout.get("width", WIDTH), layout.get("height", HEIGHT), layout["margin"]
    assert width == WIDTH
    plot = (m["l"], m["t"], width - m["r"], height - m["b"])
    plot_w, plot_h = plot[2] - plot[0], plot[3] - plot[1]
    title = layout["title"]
    assert title["yref"] == "container" and title["yanchor"] == "top"
    title_top = (1 - title["y"]) * height
    title_bottom = title_top + title["font"]["size"] * LINE * _lines(title["text"])
    if title.get("subtitle", {}).get("text"):
        size = title["subtitle"]["font"]["size"]
        # plotly.js: the subtitle's first baseline 1.6 font sizes below the title, then its lines
        title_bottom += size * 1.6 + size * LINE * (_lines(title["subtitle"]["text"]) - 1) + 0.3 * size
    font = (layout.get("font") or {}).get("size") or 12
    axis_bottom = plot[3]
    for key, axis in layout.items():
        if not key.startswith("xaxis") or axis.get("visible") is False:
            continue
        below = 5 + 4 + font * LINE  # tick length, padding, one line of tick labels
        title_text = (axis.get("title") or {}).get("text") or ""
        if title_text:
            below += 15 + round(1.2 * font) * LINE * _lines(title_text)  # the template's standoff 15
        axis_bottom = max(axis_bottom, plot[3] + below)
    for trace in figure["data"]:
        bar = trace.get("colorbar") or (trace.get("marker") or {}).get("colorbar")
        if bar and bar.get("orientation") == "h":  # under the plot: offset, padding, title, bar, ticks
            size = (bar.get("tickfont") or {}).get("size") or 13
            extent = -bar["y"] * plot_h + 10 + size * 1.2 * LINE + bar.get("thickness", 30) + size * LINE + 9
            axis_bottom = max(axis_bottom, plot[3] + extent)
    footer = layout["annotations"][-1]
    assert footer["xref"] == footer["yref"] == "paper" and footer["yanchor"] == "top"
    assert footer["xanchor"] == "left"
    f_left = plot[0] + footer["x"] * plot_w
    f_top = plot[3] - footer["y"] * plot_h
    size = footer["font"]["size"]
    longest = max(len(_plain(line)) for line in footer["text"].split("<br>"))
    f_right = f_left + longest * size * GLYPH
    f_bottom = f_top + size * LINE * _lines(footer["text"])
    return {
        "title": (title["x"] * width, title_top, width, title_bottom),
        "plot": plot,
        "axis": (0, plot[3], width, axis_bottom),
        "footer": (f_left, f_top, f_right, f_bottom),
        "image": (0, 0, width, height),
    }


def assert_no_overlap(figure: dict) -> dict:
    b = boxes(figure)
    plot, title, axis, footer, image = b["plot"], b["title"], b["axis"], b["footer"], b["image"]
    assert title[3] <= plot[1], f"the title band ends at {title[3]:.0f} px, the plot starts at {plot[1]:.0f}"
    assert axis[3] <= footer[1], f"the x axis ends at {axis[3]:.0f} px, the footer starts at {footer[1]:.0f}"
    assert footer[0] >= 0 and footer[2] <= image[2], f"the footer runs from {footer[0]:.0f} to {footer[2]:.0f} px"
    assert footer[3] <= image[3], f"the footer ends at {footer[3]:.0f} px, below the image ({image[3]})"
    assert plot[3] - plot[1] >= 200 and plot[2] - plot[0] >= 300  # room left for the chart itself
    return b


def long_figure() -> dict:
    regions = ["Вилояти Мухтори Кӯҳистони Бадахшон", "Ноҳияҳои тобеи ҷумҳурӣ", "Вилояти Хатлон", "Вилояти Суғд"]
    fig = go.Figure(
        [
            go.Bar(y=regions, x=[0.7, 0.14, 0.17, 0.36], orientation="h", name="Ширкатҳои фаъол дар соли 2025"),
            go.Bar(y=regions, x=[0.5, 0.1, 0.12, 0.3], orientation="h", name="Ширкатҳои фаъол дар соли 2024"),
        ]
    )
    fig.update_layout(
        height=340,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"size": 13},
        xaxis_title="ширкат ба 10 000 сокин<br>(аҳолӣ: охирин рақами нашршуда)",
        legend={"orientation": "h", "y": -0.15},
    )
    return fig.to_plotly_json()


def test_long_tajik_texts_wrap_and_keep_out_of_the_plot_and_axis():
    figure = annotated_figure(long_figure(), LONG_META, data_date="28 Ноябр 2026", link="/connectivity?region=TJ-GB")
    b = assert_no_overlap(figure)
    layout = figure["layout"]
    assert _lines(layout["title"]["text"]) >= 2 and _lines(layout["title"]["subtitle"]["text"]) >= 2
    footer = layout["annotations"][-1]["text"]
    t = translator("tg")
    assert t("synthetic demo data") in footer and f"{t('Data loaded')}: 28 Ноябр 2026" in footer
    assert f"{t('Link to this view')}: /connectivity?region=TJ-GB" in footer
    assert _lines(footer) >= 5  # synthetic note, the source on two lines at least, dates, link
    assert b["footer"][0] <= 20  # the footer starts at the image's left edge, not under the plot


@pytest.mark.parametrize("scale_figure", [0.5, 1, 3])
def test_bands_grow_with_the_lines_not_fixed(scale_figure):
    """More text makes a taller band and a taller image; the plot keeps its room."""
    meta = ExportMeta(
        LONG_TITLE * int(scale_figure * 2 or 1), LONG_SUBTITLE, SOURCES * max(int(scale_figure), 1), "tg", "x", WHEN
    )
    short = annotated_figure(long_figure(), ExportMeta("Кӯтоҳ", "", SOURCES[:1], "tg", "x", WHEN))
    long = annotated_figure(long_figure(), meta)
    assert_no_overlap(short)
    assert_no_overlap(long)
    assert long["layout"]["margin"]["t"] > short["layout"]["margin"]["t"]
    assert long["layout"]["margin"]["b"] >= short["layout"]["margin"]["b"]


def test_markup_in_texts_is_escaped_and_the_input_untouched():
    figure = long_figure()
    before = repr(figure)
    layout = annotated_figure(figure, ExportMeta("<b>x</b>", "a<br>b", (), "en", "x", WHEN))["layout"]
    assert "&lt;b&gt;x&lt;/b&gt;" in layout["title"]["text"] and "a&lt;br&gt;b" in layout["title"]["subtitle"]["text"]
    assert repr(figure) == before


# ------------------------------------------------- the map and the floor plan from the seeded data


@pytest.fixture(scope="module")
def app(seeded_sqlite_url):
    app = create_app(Config(database_url=seeded_sqlite_url, seed_on_start=False, secret_key="test"))
    app.server.test_client().get("/")
    return app


def _part(app, page: str, name: str, lang: str, **params):
    import importlib

    module = importlib.import_module(f"pages.{page}")
    with app.server.test_request_context(f"/{page}?lang={lang}"):
        parts = collect_charts(module.layout(lang=lang, **params), WHEN)
    return next(p for p in parts if p.meta.name == name)


@pytest.mark.parametrize("lang", ["tg", "ru", "en"])
def test_floor_plan_snapshot_keeps_its_axis_title_off_the_source(app, lang):
    part = _part(app, "park", "park-floor-plan", lang, as_of="2026-06-30")
    figure = annotated_figure(part.figure, part.meta)
    assert (figure["layout"]["xaxis"].get("title") or {}).get("text")  # the axis title that covered the source
    assert_no_overlap(figure)
    t = translator(lang)
    subtitle = figure["layout"]["title"]["subtitle"]["text"]
    assert t("each unit as wide as its floor area; hover or click a unit") in part.meta.subtitle
    assert t("each unit as wide as its floor area; hover or click a unit") not in subtitle  # no UI hint
    assert subtitle.startswith(part.meta.subtitle.split(" · ")[0])
    assert "scripts/" not in figure["layout"]["annotations"][-1]["text"]  # a user-facing source name


@pytest.mark.parametrize("lang", ["tg", "en"])
def test_map_snapshot_keeps_the_colour_bar_off_the_source_and_drops_the_click_hint(app, lang):
    part = _part(app, "connectivity", "conn-map", lang)
    figure = annotated_figure(part.figure, part.meta)
    bars = [trace.get("colorbar") or (trace.get("marker") or {}).get("colorbar") for trace in figure["data"]]
    assert any(bar and bar.get("orientation") == "h" for bar in bars)  # the colour bar under the map
    assert_no_overlap(figure)
    t = translator(lang)
    assert t("click a district to select it") in part.meta.subtitle
    assert t("click a district to select it") not in figure["layout"]["title"]["subtitle"]["text"]
    assert t("synthetic demo data") in figure["layout"]["annotations"][-1]["text"]


def test_it_by_region_snapshot_fits_long_region_names_and_sources(app):
    part = _part(app, "it_sector", "it-regions", "tg")
    figure = annotated_figure(part.figure, part.meta)
    b = assert_no_overlap(figure)
    longest = max(len(name) for name in part.figure["data"][0]["y"])
    assert b["plot"][0] >= longest * 13 * 0.55  # the left margin holds the region names


# ------------------------------------------------- the same, measured in the rendered SVG

NUMBER = r"(-?[\d.]+)"


def _svg_boxes(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """Rectangles plotly.js drew: the footer (the last annotation, its real text width), the plot
    area, the subtitle, the x axis title and a colour bar (missing ones left out)."""
    found = {}
    size = re.search(rf'<svg[^>]* width="{NUMBER}" height="{NUMBER}"', svg)
    found["image"] = (0, 0, float(size[1]), float(size[2]))
    notes = re.findall(
        rf'class="annotation-text-g"[^>]*><g class="cursor-pointer" transform="translate\({NUMBER},{NUMBER}\)">'
        rf'<rect class="bg" x="{NUMBER}" y="{NUMBER}" width="{NUMBER}" height="{NUMBER}"',
        svg,
    )
    x, y, _, _, w, h = map(float, notes[-1])
    found["footer"] = (x, y, x + w, y + h)
    plot = re.search(
        rf'class="axesclip" id="clip\w+y"><rect x="{NUMBER}" y="{NUMBER}" width="{NUMBER}" height="{NUMBER}"', svg
    )
    found["plot"] = (0, float(plot[2]), 0, float(plot[2]) + float(plot[4]))
    subtitle = re.search(rf'<text class="gtitle-subtitle" x="{NUMBER}" y="{NUMBER}"[^>]*>(.*?)</text>', svg)
    if subtitle:
        lines = subtitle[3].count("<tspan") or 1
        bottom = float(subtitle[2]) + 0.7 * 13 + (lines - 1) * 1.3 * 13 + 0.3 * 13
        found["subtitle"] = (0, float(subtitle[2]), 0, bottom)
    xtitle = re.search(rf'class="xtitle" x="{NUMBER}" y="{NUMBER}"[^>]*font-size: {NUMBER}px', svg)
    if xtitle:
        found["xtitle"] = (0, float(xtitle[2]) - float(xtitle[3]), 0, float(xtitle[2]) + 0.3 * float(xtitle[3]))
    bar = re.search(
        rf'colorbar" transform="translate\({NUMBER},{NUMBER}\)"><rect class="cbbg" x="{NUMBER}" y="{NUMBER}" '
        rf'height="{NUMBER}"',
        svg,
    )
    if bar:
        top = float(bar[2]) + float(bar[4])
        found["colorbar"] = (0, top, 0, top + float(bar[5]))
    return found


@pytest.fixture(scope="module")
def renderer():
    from exports.renderer import RENDERER, browser_path

    if browser_path() is None:
        pytest.skip("Chromium is not installed")
    yield RENDERER
    RENDERER.close()


@pytest.mark.parametrize(
    ("page", "name", "params"),
    [("park", "park-floor-plan", {"as_of": "2026-06-30"}), ("connectivity", "conn-map", {}), ("", "long", {})],
)
def test_rendered_svg_has_no_caption_over_the_plot(app, renderer, page, name, params):
    from exports.snapshot import snapshot

    if page:
        part = _part(app, page, name, "tg", **params)
        figure, meta = part.figure, part.meta
    else:  # the long Tajik texts, with the data date and the link
        figure, meta = long_figure(), LONG_META
    found = _svg_boxes(snapshot(figure, meta, "svg", "28 Ноябр 2026", "/connectivity?region=TJ-GB").decode("utf-8"))
    footer, image = found["footer"], found["image"]
    assert footer[0] >= 0 and footer[2] <= image[2] and footer[3] <= image[3], (footer, image)
    assert found["subtitle"][3] <= found["plot"][1], found
    assert found["plot"][3] <= footer[1], found
    for part_below in ("xtitle", "colorbar"):
        if part_below in found:
            assert found[part_below][3] <= footer[1], (part_below, found[part_below], footer)
    assert footer[0] <= 20, footer  # from the image's left edge (plotly grew no margin past the layout's)
    assert "colorbar" in found if page == "connectivity" else "xtitle" in found
