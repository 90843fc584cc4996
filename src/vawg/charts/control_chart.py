"""The XmR control chart of a rated series, as an SVG string.

Drawn with matplotlib's SVG backend so pages and papers show the same picture without
JavaScript. Every chart is shown beside a table of its figures; the drawing is not the only
way to read them.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure

from vawg.ratings import RatedPoint, Rating

# Colours as Making Data Count uses them: blue improvement, orange concern, grey common cause,
# purple for a special cause on a metric with no better direction.
COLOURS = {
    "special_cause_improvement": "#1d70b8",
    "special_cause_concern": "#f47738",
    "special_cause_neither_high": "#4c2c92",
    "special_cause_neither_low": "#4c2c92",
    "common_cause": "#505a5f",
}
_LINE = "#505a5f"
_LIMIT = "#6f777b"

# NOTE: Figure objects are drawn without pyplot, so no GUI backend or global figure state is
# involved: safe in a threaded web server.
matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",  # keep text as text: smaller files, selectable and searchable
        "svg.hashsalt": "vawg",  # stable ids, so the same data gives byte-identical SVG
        "font.family": "DejaVu Sans",
        "font.size": 9,
    }
)


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive.

    >>> month_range("2023-11", "2024-02")
    ['2023-11', '2023-12', '2024-01', '2024-02']
    """
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year}-{month:02d}" <= last:
        months.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def control_chart_svg(rating: Rating, *, unit_label: str = "", width_in: float = 7.0) -> str:
    """Draw ``rating`` as an XmR chart: values, mean and process limits per segment.

    Missing months stay gaps in the line. Returns an empty string for a series with no values.
    """
    figure = control_chart_figure(rating, unit_label=unit_label, width_in=width_in)
    if figure is None:
        return ""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "VAWG Tracker"})
    return _strip_prolog(buffer.getvalue())


def control_chart_png(
    rating: Rating, *, unit_label: str = "", width_in: float = 7.0, dpi: int = 150
) -> bytes:
    """The same chart as :func:`control_chart_svg`, as PNG bytes (for Word documents).

    Returns empty bytes for a series with no values.
    """
    figure = control_chart_figure(rating, unit_label=unit_label, width_in=width_in)
    if figure is None:
        return b""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": "VAWG Tracker"})
    return buffer.getvalue()


def control_chart_figure(
    rating: Rating, *, unit_label: str = "", width_in: float = 7.0
) -> Figure | None:
    """The matplotlib figure of ``rating``'s XmR chart, or ``None`` when it has no values.

    One drawing for every output format, so a page, a PDF and a Word paper show the same chart.
    """
    present = [p for p in rating.points if p.value is not None]
    if not present:
        return None
    periods = _periods(rating.points)
    index = {period: i for i, period in enumerate(periods)}

    figure = Figure(figsize=(width_in, 2.6), dpi=96)
    axes = figure.add_subplot()
    values = [math.nan] * len(periods)
    for point in present:
        values[index[point.period]] = point.value
    axes.plot(range(len(periods)), values, color=_LINE, linewidth=1.2, zorder=2)
    _draw_limits(axes, rating.points, index)
    # One scatter call per colour, not per point: a figure of 24 months draws ~5x faster.
    by_colour: dict[str, tuple[list[int], list[float]]] = {}
    for point in present:
        colour = COLOURS.get(point.point_type or "common_cause", COLOURS["common_cause"])
        xs, ys = by_colour.setdefault(colour, ([], []))
        xs.append(index[point.period])
        ys.append(point.value)
    for colour, (xs, ys) in by_colour.items():
        axes.scatter(xs, ys, s=16, color=colour, zorder=3)

    ticks = _ticks(len(periods))
    axes.set_xticks(ticks, [periods[i] for i in ticks], rotation=0)
    axes.set_ylabel(unit_label)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#e6e6e6", linewidth=0.6)
    figure.tight_layout()
    return figure


def _periods(points: Sequence[RatedPoint]) -> list[str]:
    periods = [p.period for p in points]
    if all(len(p) == 7 and p[4] == "-" for p in periods):
        return month_range(periods[0], periods[-1])
    return periods


def _draw_limits(axes, points: Sequence[RatedPoint], index: dict[str, int]) -> None:
    segments: dict[int, list[RatedPoint]] = {}
    for point in points:
        segments.setdefault(point.segment, []).append(point)
    for number, members in segments.items():
        start, end = index[members[0].period] - 0.4, index[members[-1].period] + 0.4
        if number > 0:
            # The rebase line: the reason is in the caption and the table, not squeezed in here.
            boundary = index[members[0].period] - 0.5
            axes.axvline(boundary, color=_LINE, linestyle="dotted", linewidth=1.0, zorder=1)
            axes.annotate(
                "rebase",
                (boundary, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, -2),
                textcoords="offset points",
                va="top",
                fontsize=8,
                color=_LINE,
            )
        mean = members[-1].mean
        if mean is not None:
            axes.hlines(mean, start, end, colors=_LIMIT, linewidth=1.0, zorder=1)
        for limit in (members[-1].lower_limit, members[-1].upper_limit):
            if limit is not None:
                axes.hlines(limit, start, end, colors=_LIMIT, linestyles="dashed", linewidth=0.9)


def _ticks(count: int) -> list[int]:
    step = max(1, math.ceil(count / 8))
    return list(range(0, count, step))


def _strip_prolog(svg: str) -> str:
    """Drop the XML prolog and doctype so the SVG can sit inline in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
