"""Chart snapshots that stand on their own in a slide: the title, the active filters, the source
with its licence, the synthetic-data note and the export date are drawn inside the image.

:func:`annotated_figure` is pure (figure dict in, figure dict out); :func:`snapshot` renders it
with the shared browser in ``exports.renderer``.
"""

from __future__ import annotations

import copy
import html
import textwrap

from exports.meta import ExportMeta
from i18n import translator

# Size of a snapshot in CSS pixels; PNG is rendered at 2x for slides.
WIDTH, HEIGHT = 1100, 650
PNG_SCALE = 2
MAX_HEIGHT = 1400
TOP, FOOTER = 95, 70  # room for title + filters above and the source block below the chart
SYNTHETIC_COLOR = "#8a6d00"


def _text(value: str, width: int = 150) -> str:
    """User-visible text for plotly's HTML-like labels: escaped, wrapped with <br>."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(value, width) or [""])


def annotated_figure(figure: dict, meta: ExportMeta) -> dict:
    """A copy of the figure with title, filters, source, synthetic note and date inside it.

    Args:
        figure: a plotly figure as a dict (``data`` and ``layout``), e.g. as the browser holds it.
        meta: the chart's provenance.

    Returns:
        A new figure dict with enlarged margins and the text placed in them; the input is unchanged.
    """
    t = translator(meta.lang)
    result = {"data": copy.deepcopy(figure.get("data") or []), "layout": copy.deepcopy(figure.get("layout") or {})}
    layout = result["layout"]
    for key in ("width", "height", "autosize"):
        layout.pop(key, None)
    margin = dict(layout.get("margin") or {})
    bottom = int(margin.get("b", 40) or 0)
    margin.update(
        t=TOP, b=bottom + FOOTER, l=max(int(margin.get("l", 60) or 0), 60), r=max(int(margin.get("r", 30)), 30)
    )
    layout["margin"] = margin
    layout["title"] = {
        "text": f"<b>{_text(meta.title, 90)}</b>",
        "subtitle": {"text": _text(meta.subtitle, 140), "font": {"size": 13, "color": "#555"}},
        "x": 0.01,
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "pad": {"t": 14},
        "font": {"size": 18},
    }
    # The legend goes right of the plot, where it cannot collide with the source block below.
    legend = dict(layout.get("legend") or {})
    legend.update(orientation="v", x=1.02, y=1, xanchor="left", yanchor="top", xref="paper", yref="paper")
    layout["legend"] = legend
    footer = [_text(meta.source_line(), 160), html.escape(meta.date_line())]
    if meta.synthetic:
        footer.insert(0, f"<b style='color:{SYNTHETIC_COLOR}'>{html.escape(t('synthetic demo data'))}</b>")
    annotations = list(layout.get("annotations") or [])
    annotations.append(
        {
            "text": "<br>".join(footer),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "xanchor": "left",
            "yanchor": "top",
            "yshift": -(bottom + 8),
            "align": "left",
            "showarrow": False,
            "font": {"size": 11, "color": "#444"},
        }
    )
    layout["annotations"] = annotations
    layout.setdefault("paper_bgcolor", "white")
    if layout.get("paper_bgcolor") in ("rgba(0,0,0,0)", "transparent"):
        layout["paper_bgcolor"] = "white"
    return result


def snapshot(figure: dict, meta: ExportMeta, fmt: str) -> bytes:
    """The annotated figure as PNG (2x) or SVG bytes, rendered by the shared browser."""
    from exports.renderer import RENDERER

    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported snapshot format {fmt!r}")
    scale = PNG_SCALE if fmt == "png" else 1
    return RENDERER.figure(annotated_figure(figure, meta), fmt, WIDTH, snapshot_height(figure), scale)


def snapshot_height(figure: dict) -> int:
    """The default height, or a tall figure's own height plus the title and source blocks."""
    height = (figure.get("layout") or {}).get("height")
    if isinstance(height, int | float) and height > 0:
        return int(min(max(HEIGHT, height + TOP + FOOTER), MAX_HEIGHT))
    return HEIGHT
