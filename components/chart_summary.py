"""One sentence that says what a chart shows, made from the figure's own data in the UI language.

A screen reader user, or anyone who cannot read the lines, gets the chart's message in words:
"4G coverage rose from 61.2 % in 2018-Q1 to 87.0 % in 2026-Q3; target 95 % in 2030". The chart
card (``components.chart_card``) puts it under the chart and names the chart by it, and sends it
again with every filter change, so it never describes an older view.

:func:`figure_summary` reads any figure the builders make: lines over time give the first and
last value of each series (of many series, the highest and lowest last value), bars the highest
and lowest bar, a trace whose ``meta`` is ``"target"`` the target; traces whose ``meta`` is
``"model"`` (the path needed, a projection) are not data and are left out. A figure without data
says so, in its own "no data" words when it has them.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Sequence
from datetime import date, datetime

import numpy as np

from i18n import N_, format_day, format_month, format_number, format_periods, translator

NO_DATA = N_("No data for this selection")
TARGET, MODEL = "target", "model"  # trace ``meta`` of a target marker and of a modelled line
MANY = 3  # more series than this: the highest and lowest last values instead of each series

# {start}, {end}, {top_end} and {bottom_end} come with their preposition (IN or ON): a day takes
# another one than a year, quarter or month ("на 3 декабря 2026 г.", not "в 3 декабря").
RISE = N_("{series} rose from {first} {start} to {last} {end}")
FALL = N_("{series} fell from {first} {start} to {last} {end}")
FLAT = N_("{series} stayed at {last} from {start} to {end}")
ONE = "{series}: {last} {end}"  # the same words in every language: not in the catalogues
SPREAD = N_("of {count} series, {top} was highest at {high} and {bottom} lowest at {low} {end}")
SPREAD_APART = N_("of {count} series, {top} was highest at {high} {top_end} and {bottom} lowest at {low} {bottom_end}")
IN = N_("in {period}")
ON = N_("on {day}")
BARS = N_("highest: {top}, {high}; lowest: {bottom}, {low}")
ONE_BAR = N_("{top}: {high}")
TARGET_TEXT = N_("target {value} in {year}")
COUNTS = N_("{count} units: {parts}")


def _plain(figure) -> dict:
    if hasattr(figure, "to_plotly_json"):
        figure = figure.to_plotly_json()
    return figure if isinstance(figure, dict) else {}


def _list(values) -> list:
    if isinstance(values, dict) and "bdata" in values:  # plotly's typed array, base64-encoded
        array = np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values.get("dtype", "f8")))
        shape = values.get("shape")
        if shape:
            array = array.reshape([int(n) for n in str(shape).split(",")])
        return array.tolist()
    if values is None or isinstance(values, str | dict):
        return []
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "M":  # dates: their day, not nanoseconds
            return list(np.datetime_as_string(values, unit="D"))
        return values.tolist()
    return list(values)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def _iso(value) -> str:
    if isinstance(value, datetime | date) or hasattr(value, "isoformat"):
        value = value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")
QUARTER_ENDS, QUARTER_STARTS = {"03-31", "06-30", "09-30", "12-31"}, {"01-01", "04-01", "07-01", "10-01"}


def _labels(values: Sequence) -> list[str]:
    """The x values of one series as the chart names them: years for one date a year at its start
    or end, quarters (2024-Q3) for quarter starts or ends, months for month starts or ends, the
    day otherwise (the same rule as the table view, assets/06_charts.js)."""
    texts = [_iso(v) for v in values]
    days = [DAY.fullmatch(text) for text in texts]
    if not texts or not all(days):
        return texts
    parts = [(int(y), int(m), f"{m}-{d}") for y, m, d in (match.groups() for match in days)]
    years = [y for y, _m, _md in parts]
    month_day = {md for _y, _m, md in parts}
    if len(set(years)) == len(years) and month_day <= {"01-01", "12-31"}:
        return [str(y) for y in years]
    if month_day <= QUARTER_ENDS or month_day <= QUARTER_STARTS:
        return [f"{y}-Q{(m - 1) // 3 + 1}" for y, m, _md in parts]
    if all(md.endswith("-01") for md in month_day) or all(_month_end(y, m, md) for y, m, md in parts):
        return [f"{y}-{m:02d}" for y, m, _md in parts]
    return [f"{y}-{md}" for y, _m, md in parts]


def _month_end(year: int, month: int, month_day: str) -> bool:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, int(month_day[-2:]))).days == 1


def _decimals(trace: dict, axis: str, values: Sequence[float]) -> int:
    """The decimals the chart's hover shows (``%{y:,.1f}``), else as many as the data needs (≤ 2)."""
    template = trace.get("hovertemplate") or ""
    if isinstance(template, str):
        match = re.search(r"%\{" + axis + r":[^}]*?\.(\d+)f", template)
        if match:
            return int(match.group(1))
        if re.search(r"%\{" + axis + r":[+,]*\}", template):
            return 0
    for decimals in (0, 1, 2):
        if all(abs(v * 10**decimals - round(v * 10**decimals)) < 1e-6 for v in values):
            return decimals
    return 2


BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
ISO_DAY = re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
ISO_MONTH = re.compile(r"\b(\d{4})-(0[1-9]|1[0-2])\b(?!-)")


def _one_line(text) -> str:
    """A chart text without the line breaks ``figures.wrap`` puts in titles for narrow screens."""
    return BREAK.sub(" ", str(text))


def _dates_in_words(text: str, lang: str | None) -> str:
    """Quarter codes, days (2025-04-30) and months (2025-04) inside a sentence in the UI language's
    words, as a reader says them: "30 апрели 2025", not an ISO code."""

    def day(found: re.Match) -> str:
        try:
            return format_day(date(*map(int, found.groups())), lang)
        except ValueError:  # 2025-02-30 is no day: left as written
            return found.group(0)

    text = ISO_DAY.sub(day, format_periods(text, lang))
    return ISO_MONTH.sub(lambda m: format_month(date(int(m.group(1)), int(m.group(2)), 1), lang), text)


def _unit(layout: dict, axis: str) -> str:
    """The unit of an axis: its title, or the part after the comma of a "Floor area, m²" title."""
    title = (layout.get(axis) or {}).get("title") or {}
    text = _one_line((title.get("text") if isinstance(title, dict) else title) or "").strip()
    return text.rsplit(", ", 1)[-1] if ", " in text else text


def _with_unit(value: float, decimals: int, unit: str, lang: str | None) -> str:
    number = format_number(value, decimals, lang)
    if not unit:
        return number
    return f"{number} {unit}"


def _points(trace: dict, horizontal: bool = False) -> list[tuple[str, float]]:
    """(label, value) of each point with a value, in trace order; a line's period labels from
    its customdata (the period code the hover shows, e.g. ``2024-Q3``)."""
    xs, ys = _list(trace.get("x")), _list(trace.get("y"))
    if horizontal:
        xs, ys = ys, xs
    labels = _labels(xs)
    days = [bool(ISO_DAY.fullmatch(label)) for label in labels]
    custom = _list(trace.get("customdata"))
    if trace.get("type", "scatter") == "scatter" and len(custom) == len(xs):
        for i, first in enumerate(custom):
            first = first[0] if isinstance(first, list | tuple | np.ndarray) and len(first) else first
            if isinstance(first, str) and first:
                labels[i] = _Day(first) if days[i] else first  # a day in words ("3 декабря") is still a day
    return [(label, v) for label, y in zip(labels, ys, strict=False) if (v := _number(y)) is not None]


def _is_data(trace: dict) -> bool:
    if trace.get("visible") is False or trace.get("hoverinfo") == "skip" or trace.get("fill") == "toself":
        return False
    return trace.get("meta") not in (TARGET, MODEL)


def _is_line(trace: dict) -> bool:
    return trace.get("type", "scatter") == "scatter" and "lines" in str(trace.get("mode", "lines"))


class _Day(str):
    """A point's label that names a day, whatever its words."""


def _when(label: str, t) -> str:
    """A period label with the preposition it takes: "in 2025-Q3", "on 2026-12-03"."""
    day = isinstance(label, _Day) or ISO_DAY.fullmatch(label)
    return t(ON).format(day=label) if day else t(IN).format(period=label)


def _series_sentence(name: str, points: list[tuple[str, float]], decimals: int, unit: str, t, lang) -> str:
    (start, first), (end, last) = points[0], points[-1]
    words = {
        "series": name,
        "first": _with_unit(first, decimals, unit, lang),
        "last": _with_unit(last, decimals, unit, lang),
        "start": _when(start, t),
        "end": _when(end, t),
    }
    if len(points) == 1:
        return ONE.format(**words)
    shown_first, shown_last = round(first, decimals), round(last, decimals)
    if shown_last == shown_first:
        return t(FLAT).format(**{**words, "start": start, "end": end})
    return t(RISE if shown_last > shown_first else FALL).format(**words)


def _lines_summary(lines: list[dict], layout: dict, t, lang) -> str:
    unit = _unit(layout, "yaxis")
    series = [(str(tr.get("name") or ""), _points(tr), tr) for tr in lines]
    series = [(name, points, tr) for name, points, tr in series if points]
    if not series:
        return ""
    if len(series) <= MANY:
        parts = []
        for name, points, trace in series:
            decimals = _decimals(trace, "y", [v for _, v in points])
            parts.append(_series_sentence(name or t("Value"), points, decimals, unit, t, lang))
        return "; ".join(parts)
    ends = sorted(((points[-1][1], name, points[-1][0], tr) for name, points, tr in series), key=lambda e: e[0])
    (low, bottom, bottom_end, trace), (high, top, end, _) = ends[0], ends[-1]
    decimals = _decimals(trace, "y", [e[0] for e in ends])
    words = {
        "count": len(series),
        "top": top,
        "high": _with_unit(high, decimals, unit, lang),
        "bottom": bottom,
        "low": _with_unit(low, decimals, unit, lang),
    }
    if bottom_end != end:  # series that end in different periods: each value with its own
        return t(SPREAD_APART).format(**words, top_end=_when(end, t), bottom_end=_when(bottom_end, t))
    return t(SPREAD).format(**words, end=_when(end, t))


def extremes_summary(pairs: Sequence[tuple[str, float | None]], unit: str, decimals: int, lang: str | None) -> str:
    """ "Highest: A, 9.0 %; lowest: B, 1.0 %." of (label, value) pairs; "No data" with no value."""
    return _sentence(_extremes(pairs, unit, decimals, lang))


def _extremes(pairs: Sequence[tuple[str, float | None]], unit: str, decimals: int, lang: str | None) -> str:
    t = translator(lang)
    known = [(label, v) for label, value in pairs if (v := _number(value)) is not None]
    if not known:
        return t(NO_DATA)
    ordered = sorted(known, key=lambda p: p[1])
    (bottom, low), (top, high) = ordered[0], ordered[-1]
    if len(known) == 1:
        return t(ONE_BAR).format(top=top, high=_with_unit(high, decimals, unit, lang))
    return t(BARS).format(
        top=top,
        high=_with_unit(high, decimals, unit, lang),
        bottom=bottom,
        low=_with_unit(low, decimals, unit, lang),
    )


def _bars_summary(bars: list[dict], layout: dict, lang) -> str:
    horizontal = any(tr.get("orientation") == "h" for tr in bars)
    totals: dict[str, float] = {}
    values: list[float] = []
    for trace in bars:
        for label, value in _points(trace, horizontal):
            totals[label] = totals.get(label, 0.0) + value
            values.append(value)
    if not totals:
        return ""
    axis = "x" if horizontal else "y"
    decimals = max(_decimals(tr, axis, values) for tr in bars)
    return _extremes(list(totals.items()), _unit(layout, f"{axis}axis"), decimals, lang)


def _target_text(targets: list[dict], layout: dict, t, lang) -> str:
    points = [p for trace in targets for p in _points(trace)]
    if not points:
        return ""
    year, value = points[-1]
    decimals = _decimals(targets[-1], "y", [v for _, v in points])
    return t(TARGET_TEXT).format(value=_with_unit(value, decimals, _unit(layout, "yaxis"), lang), year=year[:4])


def _first_axis(traces: list[dict]) -> list[dict]:
    """The traces of the first panel of a figure with several (subplots share names)."""
    first = traces[0].get("yaxis", "y") if traces else "y"
    return [tr for tr in traces if tr.get("yaxis", "y") == first]


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else text


def figure_summary(figure, lang: str | None = None) -> str:
    """One sentence, in ``lang``, of what ``figure`` (a plotly figure or its dict) shows."""
    t = translator(lang)
    plain = _plain(figure)
    layout = plain.get("layout") or {}
    traces = [tr for tr in plain.get("data") or [] if isinstance(tr, dict)]
    data = _first_axis([tr for tr in traces if _is_data(tr)])
    lines = [tr for tr in data if _is_line(tr)]
    bars = [tr for tr in data if tr.get("type") == "bar"]
    text = _lines_summary(lines, layout, t, lang) if lines else ""
    if not text and bars:
        text = _bars_summary(bars, layout, lang)
    if not text:
        marks = [tr for tr in data if tr.get("type", "scatter") == "scatter"]
        text = _lines_summary(marks, layout, t, lang) if marks else ""
    if not text:
        notes = [a.get("text") for a in layout.get("annotations") or () if isinstance(a, dict) and a.get("text")]
        note = _one_line(notes[0]) if notes else NO_DATA
        return _sentence(t(NO_DATA) if note == NO_DATA else note)  # builders' notes are translated
    target = _target_text([tr for tr in traces if tr.get("meta") == TARGET], layout, t, lang)
    if len({tr.get("yaxis", "y") for tr in traces if _is_data(tr)}) > 1:
        notes = [a.get("text") for a in layout.get("annotations") or () if isinstance(a, dict) and a.get("text")]
        if notes:
            text = f"{_one_line(notes[0])}: {text}"
    return _sentence(_dates_in_words(f"{text}; {target}" if target else text, lang))


def counts_summary(counts: Sequence[tuple[str, int]], lang: str | None = None) -> str:
    """ "42 units: 30 leased, 5 reserved, 7 vacant." of (label, count) pairs, or "No data"."""
    t = translator(lang)
    shown = [(label, n) for label, n in counts if n]
    if not shown:
        return _sentence(t(NO_DATA))
    parts = ", ".join(f"{format_number(n, 0, lang)} {label}" for label, n in shown)
    return _sentence(t(COUNTS).format(count=format_number(sum(n for _, n in shown), 0, lang), parts=parts))
