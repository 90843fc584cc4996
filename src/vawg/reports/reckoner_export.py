"""The ready reckoner as a one-page PDF and as an XLSX workbook, from the same rows as the page.

Rows are the plain dicts of ``vawg.metrics.reckoner.row_as_dict`` (or a publication's frozen
rows), so the page, the CLI and both files can never disagree about a figure.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from vawg.dates import long_datetime
from vawg.imports.selectors import generated_datasets
from vawg.metrics.models import Metric, ReckonerPublication
from vawg.metrics.reckoner import build_reckoner, row_as_dict
from vawg.metrics.services import data_version
from vawg.ratings import RAG_RULE
from vawg.reports.spreadsheet import text_cell
from vawg.strategy.models import Force

RAG_FILLS = {"red": "F4CCCC", "amber": "FCE5CD", "green": "D9EAD3", "grey": "EEEEEE"}


@dataclass(frozen=True)
class ReckonerDocument:
    force_name: str
    month: str
    rows: Sequence[dict[str, Any]]
    published_at: datetime | None = None
    generated_note: str = ""


#: Said on the PDF and the workbook whenever a row rests on generated records.
GENERATED_NOTE = (
    "Rows marked “generated data” come from generated demonstration records (references "
    "starting GEN-), not the force's own"
)


def reckoner_document(force: Force, month: str) -> ReckonerDocument:
    """The month as published if it was (frozen rows), otherwise as the data stand now."""
    publication = ReckonerPublication.objects.filter(force=force, month=month).first()
    if publication is not None:
        rows = _marked(force, publication.rows)
        return ReckonerDocument(force.name, month, rows, publication.published_at, _note(rows))
    rows = current_rows(force, month)
    return ReckonerDocument(force.name, month, rows, generated_note=_note(rows))


def _marked(force: Force, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Frozen rows with their generated mark; rows frozen before the mark existed get it from
    the data held now (an unmarked invented figure is the worse mistake)."""
    if all("generated" in row for row in rows):
        return list(rows)
    generated = generated_datasets(force.slug)
    datasets = dict(Metric.objects.values_list("code", "dataset"))
    return [
        {"generated": datasets.get(row["id"]) in generated, **row}
        if "generated" not in row
        else row
        for row in rows
    ]


def _note(rows: Sequence[dict[str, Any]]) -> str:
    return GENERATED_NOTE if any(row.get("generated") for row in rows) else ""


def current_rows(force: Force, month: str) -> list[dict[str, Any]]:
    """The month's rows as the data stand now, cached until the data or definitions change.

    Rating every metric's series is the costly part of a reckoner page; the rows only change
    when observations are recomputed or definitions reloaded, which bump the data version.
    """
    key = f"reckoner:{force.pk}:{month}:{data_version()}"
    rows = cache.get(key)
    if rows is None:
        rows = [row_as_dict(row) for row in build_reckoner(force, month).rows]
        cache.set(key, rows, timeout=24 * 60 * 60)
    return rows


def display_places(unit: str) -> int:
    """Decimal places a figure of ``unit`` is shown (and returned nationally) with.

    >>> display_places("percent"), display_places("count"), display_places("rate")
    (1, 0, 2)
    """
    if unit == "percent":
        return 1
    if unit in {"count", "minutes"}:
        return 0
    return 2


#: What every export writes for a figure there is none of (an en dash, as the pages do).
MISSING = "–"


def format_value(value: float | None, unit: str) -> str:
    """A figure as a reader expects it.

    >>> format_value(2166.0, "count"), format_value(68.69, "percent"), format_value(None, "count")
    ('2,166', '68.7%', '–')
    """
    if value is None:
        return MISSING
    places = display_places(unit)
    if unit == "percent":
        return f"{value:.{places}f}%"
    return f"{value:,.{places}f}"


def format_change(change: float | None, unit: str) -> str:
    """Change on the previous month, with its sign (percentage points for percentages).

    >>> format_change(-3.25, "percent"), format_change(12.0, "count"), format_change(None, "x")
    ('-3.2 pts', '+12', '–')
    """
    if change is None:
        return MISSING
    if unit == "percent":
        return f"{change:+.1f} pts"
    if unit in {"count", "minutes"}:
        return f"{change:+,.0f}"
    return f"{change:+,.2f}"


def reckoner_pdf(document: ReckonerDocument) -> bytes:
    """Render the reckoner on one landscape A3 page with WeasyPrint.

    Every metric's reason is given in full when it fits; when a month has too many metrics
    for one page, each reason is cut to its first clause and the page says so, pointing to
    the workbook and the metric pages where the full reasons are.
    """
    from weasyprint import HTML  # NOTE: imported late; it loads pango, slow for other commands

    rendered = None
    for compact in (False, True):
        html = render_to_string(
            "reports/reckoner_pdf.html",
            {
                "doc": document,
                "rows": [_display_row(row, compact=compact) for row in document.rows],
                "rule": RAG_RULE,
                "compact": compact,
            },
        )
        rendered = HTML(string=html).render()
        if len(rendered.pages) == 1:
            break
    return rendered.write_pdf()


def short_reason(reason: str) -> str:
    """A reason's first clause, for the one-page summary.

    >>> short_reason("red: 7 months in a row above the mean 41.0; lower is better")
    'red: 7 months in a row above the mean 41.0 …'
    >>> short_reason("amber: common cause variation")
    'amber: common cause variation'
    """
    first, _, rest = reason.partition(";")
    return f"{first} …" if rest else first


def _display_row(row: dict[str, Any], *, compact: bool = False) -> dict[str, Any]:
    return {
        **row,
        "reason_text": short_reason(row["reason"]) if compact else row["reason"],
        "title_text": row["title"] + (" (generated data)" if row.get("generated") else ""),
        "value_text": format_value(row["value"], row["unit"]),
        "change_text": format_change(row["change"], row["unit"]),
    }


_COLUMNS = (
    ("Group", 16),
    ("Metric id", 30),
    ("Metric", 44),
    ("Unit", 9),
    ("Value", 11),
    ("Numerator", 11),
    ("Denominator", 12),
    ("Previous month", 14),
    ("Change", 10),
    ("Mean", 10),
    ("Lower limit", 11),
    ("Upper limit", 11),
    ("Variation", 26),
    ("Assurance", 20),
    ("RAG", 7),
    ("Reason", 90),
    ("Source file", 40),
    ("Generated data", 15),
)


def reckoner_xlsx(document: ReckonerDocument) -> bytes:
    """The reckoner as a workbook: one row per metric, real numbers, the RAG rule on a sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Reckoner {document.month}"
    sheet.append([text_cell(sheet, f"Ready reckoner: {document.force_name}, {document.month}")])
    sheet["A1"].font = Font(bold=True, size=13)
    status = (
        f"Published {long_datetime(timezone.localtime(document.published_at))}"
        if document.published_at
        else "Not published: figures as held now"
    )
    if document.generated_note:
        status += f"; {document.generated_note}"
    sheet.append([text_cell(sheet, status)])
    sheet.append([])
    sheet.append([name for name, _ in _COLUMNS])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in document.rows:
        sheet.append(
            [
                text_cell(sheet, row["group"]),
                text_cell(sheet, row["id"]),
                text_cell(sheet, row["title"]),
                row["unit"],
                row["value"],
                row["numerator"],
                row["denominator"],
                row["previous_value"],
                row["change"],
                row["mean"],
                row["lower_limit"],
                row["upper_limit"],
                row["variation"],
                row["assurance"],
                row["rag"],
                text_cell(sheet, row["reason"]),
                text_cell(sheet, row["source_file"] or ""),
                "yes" if row.get("generated") else "no",
            ]
        )
        rag_cell = sheet.cell(row=sheet.max_row, column=15)
        rag_cell.fill = PatternFill("solid", fgColor=RAG_FILLS.get(row["rag"], "FFFFFF"))
        sheet.cell(row=sheet.max_row, column=16).alignment = Alignment(wrap_text=True)
    for index, (_, width) in enumerate(_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=4)

    rule = workbook.create_sheet("RAG rule")
    rule.append(["How each colour is decided"])
    rule["A1"].font = Font(bold=True)
    rule.append([text_cell(rule, RAG_RULE)])
    rule["A2"].alignment = Alignment(wrap_text=True)
    rule.column_dimensions["A"].width = 120
    if document.generated_note:
        rule.append([text_cell(rule, document.generated_note)])

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
