"""The paper's appendices: the ready reckoner for the paper's month, and control charts of
the red and amber metrics."""

from __future__ import annotations

from functools import partial
from typing import Any

from vawg.charts.control_chart import control_chart_png, control_chart_svg
from vawg.reports.paper.content import (
    Figure,
    Paragraph,
    Section,
    Table,
    long_date,
)
from vawg.reports.paper.context import RAG_WORDS, PaperContext, is_generated
from vawg.reports.paper.figures import month_label, number_words
from vawg.reports.reckoner_export import format_change, format_value

#: Most control charts in the appendix; the rest are named with a pointer to their pages. Each
#: chart costs about 0.15 s to draw and as much to print: 8 keep the demo paper under 5 s.
MAX_CHARTS = 8

# --- Appendix -------------------------------------------------------------------------------


def reckoner_appendix(context: PaperContext) -> Section:
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for row in context.reckoner_rows:
        title = row["group_title"] or row["group"]
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(row)
    status = (
        f"as published on {long_date(context.published_at.date())}"
        if context.published_at
        else "as the data stand when this paper was built (not published)"
    )
    blocks: list[Any] = [
        Paragraph(
            f"Every metric for {month_label(context.month)}, {status}, one table per project. "
            "Each colour comes from statistical process control of the metric's monthly "
            "series; the reason says which rule gave it."
        )
    ]
    for title, rows in groups:
        generated = [_is_generated_code(context, row["id"]) for row in rows]
        whole = all(generated)
        context.generated_used |= any(generated)
        blocks.append(
            Table(
                caption=title + (" (generated demo data)" if whole else ""),
                header=("Metric", "Value", "Change", "RAG", "Reason"),
                rows=tuple(
                    (
                        row["title"] + (" (generated demo data)" if mark and not whole else ""),
                        format_value(row["value"], row["unit"]),
                        format_change(row["change"], row["unit"]),
                        RAG_WORDS.get(row["rag"], row["rag"]),
                        _reason(row["reason"]),
                    )
                    for row, mark in zip(rows, generated, strict=True)
                ),
                widths=(2.4, 0.75, 0.75, 0.7, 3.6),
                rag_column=3,
                numeric_columns=(1, 2),
            )
        )
    return Section("Appendix A.", "Ready reckoner", tuple(blocks), page_break_before=True)


def _is_generated_code(context: PaperContext, code: str) -> bool:
    metric = context.metrics.get(code)
    return metric is not None and is_generated(metric, context.force)


def _reason(reason: str) -> str:
    """A rating's reason without its leading colour word (the RAG column already says it).

    >>> _reason("red: 8 months in a row below the mean")
    '8 months in a row below the mean.'
    """
    head, _, rest = reason.partition(": ")
    text = rest if head in RAG_WORDS and rest else reason
    text = text[:1].upper() + text[1:] if text[:1].islower() and head in RAG_WORDS else text
    return text if text.endswith(".") else text + "."


def charts_appendix(context: PaperContext) -> Section:
    order = {"red": 0, "amber": 1}
    # Red first, then amber with a special cause, then amber common cause: when not every
    # chart fits, the ones a board most needs to see come first.
    flagged = sorted(
        (row for row in context.reckoner_rows if row["rag"] in order),
        key=lambda row: (order[row["rag"]], row["variation"] == "common_cause"),
    )
    blocks: list[Any] = []
    if not flagged:
        blocks.append(Paragraph(f"No metric is red or amber in {month_label(context.month)}."))
    else:
        blocks.append(
            Paragraph(
                f"{number_words(len(flagged)).capitalize()} metrics are red or amber in "
                f"{month_label(context.month)}. Each chart shows the monthly values, the mean "
                "(solid line) and the process limits (dashed); coloured points are special "
                "causes. The table under each chart gives its latest figures."
            )
        )
    for index, row in enumerate(flagged[:MAX_CHARTS], start=1):
        rated = context.ratings.get(row["id"])
        if rated is None:
            continue
        rating = rated.rating
        metric = rated.metric
        unit_label = {"percent": "%", "minutes": "minutes"}.get(metric.unit, "")
        svg = control_chart_svg(rating, unit_label=unit_label, width_in=6.6)
        if not svg:
            continue
        mark = ", generated demo data" if is_generated(metric, context.force) else ""
        blocks.append(
            Figure(
                caption=(
                    f"Figure {index}: {metric.title}, {RAG_WORDS[row['rag']].lower()}. "
                    f"{_reason(row['reason'])} Source: "
                    f"{context.mapping.sources.get(metric.source, metric.source)}{mark}."
                ),
                svg=svg,
                png_factory=partial(control_chart_png, rating, unit_label=unit_label, width_in=6.6),
                alt=f"Control chart of {metric.title} by month up to {month_label(context.month)}",
            )
        )
        latest = [p for p in rating.points if p.value is not None][-6:]
        blocks.append(
            Table(
                caption=f"Figure {index}, the latest {number_words(len(latest))} months",
                header=("Month", *(p.period for p in latest)),
                rows=(("Value", *(format_value(p.value, metric.unit) for p in latest)),),
                numeric_columns=tuple(range(1, len(latest) + 1)),
            )
        )
    if len(flagged) > MAX_CHARTS:
        rest = ", ".join(row["title"] for row in flagged[MAX_CHARTS:])
        blocks.append(
            Paragraph(
                f"Charts of the other {len(flagged) - MAX_CHARTS} red or amber metrics are on "
                f"their metric pages in the tracker: {rest}.",
                style="note",
            )
        )
    return Section("Appendix B.", "Control charts of red and amber metrics", tuple(blocks))
