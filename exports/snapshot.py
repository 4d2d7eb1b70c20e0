"""Chart snapshots that stand on their own in a slide: the title, the active filters, the source
with its licence, the synthetic-data note, the data date and the export date are drawn inside the
image, in bands above and below the chart that never cover the plot, its axes or its colour bar.

:func:`annotated_figure` is pure (figure dict in, figure dict out); :func:`snapshot` renders it
with the shared browser in ``exports.renderer``.

How the bands are sized: the image has a fixed width (:data:`WIDTH` CSS pixels; the PNG is the
same layout at 2x), so every text is wrapped to the number of characters that fits that width at
its font size (:data:`CHAR_EM` is a generous average glyph width of DejaVu Sans, Latin and
Cyrillic), and each band is as tall as its lines (font size x plotly's line spacing 1.3). The
margins are set wide enough for the axis labels, the axis titles, a colour bar below the plot and
the legend, so plotly's automargin has nothing to grow and the plot area is exactly the rectangle
between the margins; :func:`caption_boxes` gives these rectangles (used by the tests).
"""

from __future__ import annotations

import base64
import copy
import html
import math
import textwrap
from dataclasses import dataclass

from exports.meta import ExportMeta
from exports.report_tables import strip_hints  # the UI hints a page has no use for (no mouse)
from i18n import translator

# Size of a snapshot in CSS pixels; PNG is rendered at 2x for slides.
WIDTH, HEIGHT = 1100, 650
PNG_SCALE = 2
MAX_HEIGHT = 1400
MIN_PLOT_HEIGHT = 300
SYNTHETIC_COLOR = "#8a6d00"
PAD = 14  # around the image's edge
GAP = 12  # between a band and the plot's axis
LINE = 1.3  # plotly's line spacing, in font sizes
CHAR_EM = 0.62  # average glyph width (DejaVu Sans, regular), in font sizes; bold is wider
BOLD_EM = 0.7
LABEL_EM = 0.66  # for the y axis's tick labels, which decide the left margin
TITLE_SIZE, SUBTITLE_SIZE, FOOTER_SIZE = 18, 13, 11
SUBTITLE_PADDING_EM = 1.6  # plotly.js puts the subtitle this many of its font sizes below the title
CARTESIAN = {
    "scatter",
    "scattergl",
    "bar",
    "histogram",
    "box",
    "violin",
    "heatmap",
    "waterfall",
    "funnel",
    "candlestick",
    "ohlc",
}
DEFAULT_FONT = 12  # plotly's layout font size when a figure sets none


@dataclass(frozen=True)
class Box:
    """A rectangle in CSS pixels from the image's top left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def intersects(self, other: Box) -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )


def wrap(value: str, size: float, width: float = WIDTH - 2 * PAD, em: float = CHAR_EM) -> list[str]:
    """The text cut into lines that fit ``width`` pixels at font ``size`` (at least one line)."""
    chars = max(int(width / (size * em)), 10)
    return textwrap.wrap(value, chars, break_on_hyphens=False) or [""]


def _lines_html(lines: list[str]) -> str:
    return "<br>".join(html.escape(line) for line in lines)


def _font_size(layout: dict, *path: str) -> float:
    """A font size set at ``layout[path...]["font"]["size"]``, else the layout's own, else plotly's."""
    base = (layout.get("font") or {}).get("size") or DEFAULT_FONT
    node = layout
    for key in path:
        node = (node or {}).get(key) or {}
    return float((node.get("font") or {}).get("size") or base) if isinstance(node, dict) else float(base)


def _title_text(axis: dict) -> str:
    title = axis.get("title")
    if isinstance(title, dict):
        return str(title.get("text") or "")
    return str(title or "")


def _text_lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def _axes(layout: dict, letter: str, data: list[dict]) -> list[dict]:
    """The figure's x or y axes; plotly's default one when a cartesian trace has none in the layout."""
    axes = [value or {} for key, value in layout.items() if key.startswith(f"{letter}axis") and isinstance(value, dict)]
    if not axes and any(trace.get("type", "scatter") in CARTESIAN for trace in data):
        axes = [{}]
    return axes


def _shown(axis: dict) -> bool:
    return axis.get("visible") is not False


def _category_labels(data: list[dict], key: str) -> list[str]:
    """The text labels a trace puts on its ``x`` or ``y`` axis (none for numbers and dates)."""
    labels = []
    for trace in data:
        labels += [v for v in _values(trace, key) if isinstance(v, str) and not _looks_like_date(v)]
    return labels


def _values(trace: dict, key: str) -> list:
    """A trace's ``x`` or ``y`` as a list: from a list, a numpy array or plotly's typed-array dict."""
    values = trace.get(key)
    if isinstance(values, dict) and "bdata" in values:  # plotly 6 JSON: {"dtype", "bdata"}
        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values.get("dtype", "f8")).tolist()
    if hasattr(values, "tolist"):
        return values.tolist()
    return list(values) if isinstance(values, list | tuple) else []


def _looks_like_date(value: str) -> bool:
    return len(value) >= 7 and value[:4].isdigit() and value[4] == "-" and value[5:7].isdigit()


def _numbers(data: list[dict], key: str) -> list[float]:
    values = []
    for trace in data:
        for v in _values(trace, key):
            if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
                values.append(float(v))
    return values


def _number_label_chars(values: list[float], axis: dict) -> int:
    """Characters of the widest tick label a numeric axis may show (digits, separators, suffix)."""
    biggest = max((abs(v) for v in values), default=100.0)
    digits = len(f"{biggest:,.0f}") + 3  # thousands separators, a sign and decimals
    return digits + len(str(axis.get("ticksuffix") or "")) + len(str(axis.get("tickprefix") or ""))


def _x_axis_height(layout: dict, data: list[dict], plot_width: float) -> float:
    """Pixels below the plot taken by the lowest x axis: tick labels and title (generous)."""
    tick_size = _font_size(layout)
    height = 0.0
    for axis in _axes(layout, "x", data):
        if not _shown(axis):
            continue
        size = float(((axis.get("tickfont") or {}).get("size")) or tick_size)
        own = float(axis.get("ticklen") or 5) + 4
        if axis.get("showticklabels") is not False:
            labels = _category_labels(data, "x")
            longest = max((len(label) for label in labels), default=0)
            angle = axis.get("tickangle")
            crowded = labels and len(set(labels)) * (longest + 2) * size * CHAR_EM > plot_width
            if isinstance(angle, int | float) and angle:
                own += longest * size * CHAR_EM * abs(math.sin(math.radians(angle))) + size * LINE
            elif crowded:  # plotly turns crowded labels by up to 90 degrees
                own += longest * size * CHAR_EM + size * LINE
            else:
                own += size * LINE * max(1, max((label.count("<br>") + 1 for label in labels), default=1))
        title = _title_text(axis)
        if title:
            title_size = float(((axis.get("title") or {}).get("font") or {}).get("size") or round(1.2 * tick_size))
            standoff = float((axis.get("title") or {}).get("standoff") or 15)
            own += standoff + title_size * LINE * _text_lines(title)
        height = max(height, own)
    return height


def _colorbar_height(data: list[dict], plot_height: float) -> float:
    """Pixels below the plot taken by a horizontal colour bar placed under it (the district map)."""
    height = 0.0
    for trace in data:
        bar = trace.get("colorbar") or (trace.get("marker") or {}).get("colorbar")
        if not bar or bar.get("orientation") != "h":
            continue
        y = float(bar.get("y", -0.1) if bar.get("y") is not None else -0.1)
        if y > 0.05:
            continue
        size = float((bar.get("tickfont") or {}).get("size") or DEFAULT_FONT + 1)
        title = bar.get("title") or {}
        title_h = size * 1.2 * LINE if (title.get("text") if isinstance(title, dict) else title) else 0
        own = max(-y, 0) * plot_height + float(bar.get("ypad", 10)) + title_h
        own += float(bar.get("thickness", 30)) + size * LINE + float(bar.get("ticklen") or 5) + 4
        height = max(height, own)
    return height


def _y_axis_width(layout: dict, data: list[dict]) -> float:
    """Pixels left of the plot taken by the y axis labels and title (generous)."""
    width = 0.0
    size = _font_size(layout)
    for axis in _axes(layout, "y", data):
        if not _shown(axis) or axis.get("side") == "right":
            continue
        own = 8.0
        if axis.get("showticklabels") is not False:
            labels = _category_labels(data, "y")
            chars = max((len(label) for label in labels), default=0) or _number_label_chars(_numbers(data, "y"), axis)
            tick_size = float((axis.get("tickfont") or {}).get("size") or size)
            # Cyrillic labels run wider than the average glyph: a margin too narrow is grown by
            # plotly and moves the footer off the image's edge, one too wide only costs some room
            own += chars * tick_size * LABEL_EM + float(axis.get("ticklen") or 5) + 12
        title = _title_text(axis)
        if title:
            title_size = float(((axis.get("title") or {}).get("font") or {}).get("size") or round(1.2 * size))
            own += float((axis.get("title") or {}).get("standoff") or 15) + title_size * LINE * _text_lines(title)
        width = max(width, own)
    return width


def _legend_width(layout: dict, data: list[dict]) -> float:
    """Pixels right of the plot taken by the legend (a vertical one, as in snapshots)."""
    named = [t for t in data if t.get("showlegend") is not False and t.get("name")]
    shows = layout.get("showlegend")
    if shows is False or not named or (shows is None and len(named) < 2 and named[0].get("showlegend") is not True):
        return 0.0
    size = float(((layout.get("legend") or {}).get("font") or {}).get("size") or _font_size(layout))
    longest = max(len(str(t.get("name"))) for t in named)
    return 0.02 * WIDTH + 40 + longest * size * CHAR_EM + 10


def _above_plot(layout: dict) -> float:
    """Pixels above the plot taken by the figure's own texts there (subplot titles at the top)."""
    height = 0.0
    for note in layout.get("annotations") or ():
        y = note.get("y")
        if note.get("yref") == "paper" and isinstance(y, int | float) and y >= 0.99 and note.get("yanchor") == "bottom":
            size = float((note.get("font") or {}).get("size") or _font_size(layout))
            height = max(height, (y - 1) * HEIGHT + size * LINE * _text_lines(str(note.get("text") or "")) + 4)
    return height


@dataclass(frozen=True)
class Bands:
    """The computed layout of one snapshot, in CSS pixels."""

    height: float  # of the image
    top: float  # title band = top margin
    bottom: float  # bottom margin: axis, colour bar, gap and footer
    axis: float  # of the bottom margin, what the axis and colour bar take before the footer
    left: float
    right: float
    title_lines: tuple[str, ...]
    subtitle_lines: tuple[str, ...]
    footer_lines: tuple[str, ...]  # html, one per line


def footer_lines(meta: ExportMeta, data_date: str = "", link: str = "") -> list[str]:
    """The footer's lines as plotly HTML: synthetic note, wrapped source line, dates and link."""
    t = translator(meta.lang)
    lines = []
    if meta.synthetic:
        lines.append(f"<b style='color:{SYNTHETIC_COLOR}'>{html.escape(t('synthetic demo data'))}</b>")
    lines += [html.escape(line) for line in wrap(meta.source_line(), FOOTER_SIZE)]
    dated = ([f"{t('Data loaded')}: {data_date}"] if data_date else []) + [meta.date_line()]
    lines += [html.escape(line) for line in wrap(" · ".join(dated), FOOTER_SIZE)]
    if link:
        lines += [
            html.escape(line) for line in wrap(f"{t('Link to this view')}: {link}", FOOTER_SIZE, em=CHAR_EM + 0.05)
        ]
    return lines


def bands(figure: dict, meta: ExportMeta, data_date: str = "", link: str = "") -> Bands:
    """Sizes of the title band, the footer band and the margins for this figure and meta."""
    layout = figure.get("layout") or {}
    data = list(figure.get("data") or [])
    margin = dict(layout.get("margin") or {})
    title = wrap(meta.title, TITLE_SIZE, em=BOLD_EM)
    subtitle = wrap(strip_hints(meta.subtitle, meta.lang), SUBTITLE_SIZE) if meta.subtitle else []
    top = PAD + TITLE_SIZE * LINE * len(title) + GAP
    if subtitle:
        top += SUBTITLE_SIZE * (SUBTITLE_PADDING_EM + LINE * (len(subtitle) - 1)) + GAP
    top += _above_plot(layout)
    left = max(float(margin.get("l", 60) or 0), PAD + _y_axis_width(layout, data), 60.0)
    right = max(float(margin.get("r", 30) or 0), PAD + _legend_width(layout, data), 30.0)
    own_height = layout.get("height")
    own_plot = (
        float(own_height) - float(margin.get("t", 100) or 0) - float(margin.get("b", 80) or 0)
        if isinstance(own_height, int | float) and own_height > 0
        else 0.0
    )
    footer = footer_lines(meta, data_date, link)
    footer_h = FOOTER_SIZE * LINE * len(footer) + PAD
    guess = max(own_plot, MIN_PLOT_HEIGHT, HEIGHT - top - 200)
    axis = max(
        float(margin.get("b", 0) or 0),
        _x_axis_height(layout, data, WIDTH - left - right),
        _colorbar_height(data, guess),
    )
    bottom = axis + GAP + footer_h
    plot = max(own_plot, MIN_PLOT_HEIGHT, HEIGHT - top - bottom)
    height = min(max(float(HEIGHT), top + plot + bottom), float(MAX_HEIGHT))
    return Bands(height, top, bottom, axis, left, right, tuple(title), tuple(subtitle), tuple(footer))


def caption_boxes(b: Bands) -> dict[str, Box]:
    """The rectangles of one snapshot: title band, plot area, axis band below it, footer band."""
    plot = Box(b.left, b.top, WIDTH - b.right, b.height - b.bottom)
    return {
        "title": Box(PAD, PAD, WIDTH - PAD, b.top - GAP),
        "plot": plot,
        "axis": Box(0, plot.bottom, WIDTH, plot.bottom + b.axis),
        "footer": Box(PAD, plot.bottom + b.axis + GAP, WIDTH - PAD, b.height - PAD),
    }


def annotated_figure(figure: dict, meta: ExportMeta, data_date: str = "", link: str = "") -> dict:
    """A copy of the figure with title, filters, source, synthetic note and dates inside it.

    Args:
        figure: a plotly figure as a dict (``data`` and ``layout``), e.g. as the browser holds it.
        meta: the chart's provenance.
        data_date: the day the newest data were loaded, in the meta's language (optional).
        link: the dashboard address that reproduces the view (optional).

    Returns:
        A new figure dict, :data:`WIDTH` x the height of :func:`bands`, with margins wide enough
        for the axes and the legend and the texts in bands above and below; the input is unchanged.
    """
    b = bands(figure, meta, data_date, link)
    result = {"data": copy.deepcopy(figure.get("data") or []), "layout": copy.deepcopy(figure.get("layout") or {})}
    layout = result["layout"]
    for key in ("width", "height", "autosize"):
        layout.pop(key, None)
    layout["width"], layout["height"] = WIDTH, round(b.height)
    layout["margin"] = {"t": b.top, "b": b.bottom, "l": b.left, "r": b.right, "pad": 0, "autoexpand": True}
    title = {
        "text": f"<b>{_lines_html(list(b.title_lines))}</b>",
        "x": PAD / WIDTH,
        "xref": "container",
        "xanchor": "left",
        "y": 1 - PAD / b.height,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": 0, "b": 0, "l": 0, "r": 0},
        "automargin": False,
        "font": {"size": TITLE_SIZE},
    }
    if b.subtitle_lines:
        title["subtitle"] = {
            "text": _lines_html(list(b.subtitle_lines)),
            "font": {"size": SUBTITLE_SIZE, "color": "#555"},
        }
    layout["title"] = title
    # The legend goes right of the plot, where it cannot collide with the footer below.
    legend = dict(layout.get("legend") or {})
    legend.update(orientation="v", x=1.02, y=1, xanchor="left", yanchor="top", xref="paper", yref="paper")
    layout["legend"] = legend
    plot_width = WIDTH - b.left - b.right
    plot_height = b.height - b.top - b.bottom
    annotations = list(layout.get("annotations") or [])
    annotations.append(
        {
            "text": "<br>".join(b.footer_lines),
            "xref": "paper",
            "yref": "paper",
            "x": -(b.left - PAD) / plot_width,  # the image's left edge plus PAD
            "y": -(b.axis + GAP) / plot_height,  # below the axis and colour bar
            "xanchor": "left",
            "yanchor": "top",
            "align": "left",
            "showarrow": False,
            "font": {"size": FOOTER_SIZE, "color": "#444"},
        }
    )
    layout["annotations"] = annotations
    if layout.get("paper_bgcolor") in (None, "rgba(0,0,0,0)", "transparent"):
        layout["paper_bgcolor"] = "white"
    return result


def snapshot(figure: dict, meta: ExportMeta, fmt: str, data_date: str = "", link: str = "") -> bytes:
    """The annotated figure as PNG (2x) or SVG bytes, rendered by the shared browser."""
    from exports.renderer import RENDERER

    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported snapshot format {fmt!r}")
    scale = PNG_SCALE if fmt == "png" else 1
    annotated = annotated_figure(figure, meta, data_date, link)
    return RENDERER.figure(annotated, fmt, WIDTH, annotated["layout"]["height"], scale, locale=meta.lang)


def snapshot_height(figure: dict, meta: ExportMeta | None = None) -> int:
    """The image's height: at least :data:`HEIGHT`, a tall figure's plot plus both bands, at most
    :data:`MAX_HEIGHT`."""
    return round(bands(figure, meta or ExportMeta("")).height)
