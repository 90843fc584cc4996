"""The return as an Excel workbook, and reading one back (``read_return_workbook``).

Sheets: "Return" (force, quarter, period, framework, how to read the file), one sheet per
pillar (one row per action), "Evidence" (one row per evidence item), "Metrics" (each metric's
three months with numerator and denominator) and "Preventative orders" (raw counts applied
for and issued per month and order type).

Nothing is lost or run on the way through Excel, and a test re-imports every field. (What the
reader is told is ``HOW_TO_READ``, on the Return sheet; these notes are for maintainers.)

- Text can never become a formula: every text cell is a string cell, and one that starts
  with ``=``, ``+``, ``-``, ``@`` or a tab also carries Excel's ``quotePrefix`` style (see
  ``vawg.reports.spreadsheet.text_cell``). Nothing is added to the text, so Excel shows it as
  written and reading gives it back unchanged.
- Control characters pasted from Word (which XML, so XLSX, cannot hold) are written as Excel's
  own escape ``_xHHHH_`` (``_x000B_`` for a vertical tab), and text that already looks like an
  escape has its underscore escaped (``_x005F_``), as the Office Open XML standard says. Excel
  shows the original characters; ``read_return_workbook`` decodes them.
- A cell holds at most 32,767 characters (counted in UTF-16 units, as Excel counts). A longer
  narrative continues in the columns "Narrative (continued 2)", "(continued 3)" ... of the same
  row; read the parts left to right and join them with nothing in between.
- Dates are real date cells; numbers are numbers; an empty cell is a value not held.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vawg.reports.spreadsheet import text_cell

#: Excel's limit on characters in one cell.
CELL_LIMIT = 32_767

_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
# Characters XML 1.0 cannot hold (\t, \n, \r are allowed but \r is escaped too: XML readers
# turn \r\n into \n, so a narrative's line endings would change).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
_DECODE = re.compile(r"_x([0-9A-Fa-f]{4})_")

NARRATIVE = "Narrative"
ACTION_COLUMNS = (
    ("Action id", 16),
    ("Number", 8),
    ("Title", 46),
    ("Owner role", 30),
    ("Status", 16),
    ("RAG", 8),
    ("Due", 13),
    ("Last updated", 13),
    ("Evidence", 40),
    (NARRATIVE, 100),
)
DATE_FORMAT = "yyyy-mm-dd"

#: The "How to read this file" notes on the Return sheet. Written for the people who read the
#: return (the module docstring is for those who maintain this code, and must not leak into it).
HOW_TO_READ = (
    "There is one sheet for each pillar of the national framework, with one row for each "
    "action. The Evidence sheet lists every piece of evidence in full, the Metrics sheet gives "
    "each metric's three months with numerator and denominator, and the Preventative orders "
    "sheet gives the orders applied for and issued each month.",
    "Text is shown as the force wrote it. Nothing in this file is a formula, "
    "including text that begins with =, +, - or @.",
    "A cell holds at most 32,767 characters. A longer narrative continues in the columns "
    "Narrative (continued 2), Narrative (continued 3) and so on, in the same row: read them "
    "from left to right.",
    "Dates are date cells and figures are numbers. An empty cell means no value is held.",
)


def encode_text(value: str) -> str:
    """Text as stored in a cell: control characters and escape look-alikes escaped.

    >>> encode_text("a\\x0bb"), encode_text("_x0041_"), encode_text("line\\r\\nnext")
    ('a_x000B_b', '_x005F_x0041_', 'line_x000D_\\nnext')
    """
    value = _ESCAPE.sub(lambda m: "_x005F" + m.group(0), value)
    return _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)


def decode_text(value: str) -> str:
    """The inverse of ``encode_text``.

    >>> decode_text("a_x000B_b"), decode_text("_x005F_x0041_")
    ('a\\x0bb', '_x0041_')
    """
    return _DECODE.sub(lambda m: chr(int(m.group(1), 16)), value)


def cell_text(value: str) -> str:
    """One cell's text: control characters and escape look-alikes escaped, nothing added.

    Formula-like text needs no change: ``text_cell`` writes it as a string cell.

    >>> cell_text("=1+1"), cell_text("'quoted"), cell_text("a\\x0bb")
    ('=1+1', "'quoted", 'a_x000B_b')
    """
    return encode_text(value)


def read_cell_text(value: Any) -> str:
    """A text cell back to the original text (the inverse of ``cell_text``)."""
    if value is None:
        return ""
    return decode_text(str(value))


def _text(sheet: Worksheet, value: str) -> Cell:
    """A string cell of ``sheet`` holding ``value`` (never a formula, see ``text_cell``)."""
    return text_cell(sheet, cell_text(value))


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_for_cells(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """Cut ``text`` into parts whose cells each fit Excel's limit once encoded.

    Parts are cut from the original text, so each part encodes and decodes on its own and
    joining the decoded parts gives ``text`` back exactly.

    >>> parts = split_for_cells("ab\\x0bcd" * 3, limit=8)
    >>> "".join(parts) == "ab\\x0bcd" * 3, all(len(cell_text(p)) <= 8 for p in parts)
    (True, True)
    """
    parts: list[str] = []
    rest = text
    while rest:
        size = min(len(rest), limit)
        while size > 1 and _utf16_len(cell_text(rest[:size])) > limit:
            overshoot = _utf16_len(cell_text(rest[:size])) - limit
            size = max(1, size - max(1, overshoot))
        parts.append(rest[:size])
        rest = rest[size:]
    return parts or [""]


# --- Writing --------------------------------------------------------------------------------


def return_json(content: dict[str, Any]) -> bytes:
    """The return as JSON (UTF-8), for systems rather than people."""
    return json.dumps(content, indent=2, ensure_ascii=False).encode("utf-8")


def return_xlsx(content: dict[str, Any], *, status: str = "") -> bytes:
    """The return as an .xlsx workbook (see the module docstring for the layout)."""
    workbook = Workbook()
    _about_sheet(workbook.active, content, status)
    for pillar in content["pillars"]:
        _pillar_sheet(workbook.create_sheet(f"Pillar {pillar['number']}"), pillar)
    _evidence_sheet(workbook.create_sheet("Evidence"), content)
    _metrics_sheet(workbook.create_sheet("Metrics"), content)
    _orders_sheet(workbook.create_sheet("Preventative orders"), content)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_ABOUT_FIELDS = (
    ("Force", ("force", "name")),
    ("Force id", ("force", "slug")),
    ("Quarter", ("quarter",)),
    ("Period start", ("period_start",)),
    ("Period end", ("period_end",)),
    ("Framework", ("framework", "title")),
    ("Framework id", ("framework", "code")),
    ("Schema", ("schema",)),
    ("Preventative orders source", ("orders", "source")),
)


def _about_sheet(sheet, content: dict[str, Any], status: str) -> None:
    sheet.title = "Return"
    sheet.append([_text(sheet, f"Quarterly national VAWG return: {content['force']['name']}")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_text(sheet, status)])
    for label, path in _ABOUT_FIELDS:
        value: Any = content
        for key in path:
            value = value[key]
        if label.startswith("Period"):
            value = dt.date.fromisoformat(value)
        elif isinstance(value, str):
            value = _text(sheet, value)
        sheet.append([label, value])
        if isinstance(value, dt.date):
            sheet.cell(row=sheet.max_row, column=2).number_format = DATE_FORMAT
    sheet.append([])
    sheet.append(["How to read this file"])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for line in HOW_TO_READ:
        sheet.append([_text(sheet, line)])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70


def _pillar_sheet(sheet, pillar: dict[str, Any]) -> None:
    sheet.append(["Pillar", pillar["number"], _text(sheet, pillar["title"])])
    sheet["A1"].font = sheet["C1"].font = Font(bold=True)
    sheet.append([])
    rows = []
    for action in pillar["actions"]:
        parts = split_for_cells(action["narrative"])
        evidence = "\n".join(f"{e['title']} ({e['url']})" for e in action["evidence"])
        evidence_parts = split_for_cells(evidence, CELL_LIMIT - 40)
        if len(evidence_parts) > 1:
            # NOTE: this column is for reading; the Evidence sheet holds every item whole.
            evidence = evidence_parts[0] + "\n… more on the Evidence sheet"
        updated = dt.date.fromisoformat(action["last_updated"]) if action["last_updated"] else None
        due = dt.date.fromisoformat(action["due"]) if action.get("due") else None
        rows.append(
            [
                _text(sheet, action["action_id"]),
                _text(sheet, action["number"]),
                _text(sheet, action["title"]),
                _text(sheet, action["owner_role"]),
                _text(sheet, action["status"]),
                _text(sheet, action["rag"]),
                due,
                updated,
                _text(sheet, evidence),
                *[_text(sheet, part) for part in parts],
            ]
        )
    extra = max((len(row) - len(ACTION_COLUMNS) for row in rows), default=0)
    header = [name for name, _ in ACTION_COLUMNS] + [
        f"{NARRATIVE} (continued {n})" for n in range(2, extra + 2)
    ]
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for column in (7, 8):
            sheet.cell(row=sheet.max_row, column=column).number_format = DATE_FORMAT
        for column in (3, 9, 10):
            sheet.cell(row=sheet.max_row, column=column).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
    for index, (_, width) in enumerate(ACTION_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C4"


def _evidence_sheet(sheet, content: dict[str, Any]) -> None:
    sheet.append(["Action id", "Number", "Title", "URL"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for pillar in content["pillars"]:
        for action in pillar["actions"]:
            for item in action["evidence"]:
                sheet.append(
                    [
                        _text(sheet, action["action_id"]),
                        _text(sheet, action["number"]),
                        _text(sheet, item["title"]),
                        _text(sheet, item["url"]),
                    ]
                )
    for column, width in zip("ABCD", (16, 8, 50, 60), strict=True):
        sheet.column_dimensions[column].width = width


def _metrics_sheet(sheet, content: dict[str, Any]) -> None:
    months = [m["month"] for m in content["metrics"][0]["months"]] if content["metrics"] else []
    header = ["Metric id", "Title", "Unit", "Source", "Generated demo data"]
    for month in months:
        header += [f"{month} value", f"{month} numerator", f"{month} denominator"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for metric in content["metrics"]:
        row: list[Any] = [
            _text(sheet, metric["code"]),
            _text(sheet, metric["title"]),
            _text(sheet, metric["unit"]),
            _text(sheet, metric["source"]),
            "yes" if metric["generated"] else "no",
        ]
        for month in metric["months"]:
            row += [month["value"], month["numerator"], month["denominator"]]
        sheet.append(row)
    for index, width in enumerate((30, 50, 9, 36, 10), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"


def _orders_sheet(sheet, content: dict[str, Any]) -> None:
    sheet.append(["Month", "Order type", "Applied for", "Issued"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in content["orders"]["rows"]:
        sheet.append(
            [
                _text(sheet, row["month"]),
                _text(sheet, row["order_type"]),
                row["applied"],
                row["issued"],
            ]
        )
    for column, width in zip("ABCD", (10, 14, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width


# --- Reading --------------------------------------------------------------------------------


def read_return_workbook(path: Path | str | io.BytesIO) -> dict[str, Any]:
    """Read a workbook written by ``return_xlsx`` back into the return's content dict."""
    workbook = load_workbook(path, data_only=False)
    about = {
        row[0]: row[1]
        for row in workbook["Return"].iter_rows(min_row=3, max_col=2, values_only=True)
        if row[0]
    }

    def text(label: str) -> str:
        return read_cell_text(about.get(label))

    evidence: dict[str, list[dict[str, str]]] = {}
    for row in workbook["Evidence"].iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            continue
        evidence.setdefault(read_cell_text(row[0]), []).append(
            {"title": read_cell_text(row[2]), "url": read_cell_text(row[3])}
        )

    pillars = []
    for sheet in workbook.worksheets:
        if not sheet.title.startswith("Pillar "):
            continue
        pillars.append(_read_pillar(sheet, evidence))
    return {
        "schema": int(about["Schema"]),
        "force": {"slug": text("Force id"), "name": text("Force")},
        "quarter": text("Quarter"),
        "period_start": _date(about["Period start"]),
        "period_end": _date(about["Period end"]),
        "framework": {"code": text("Framework id"), "title": text("Framework")},
        "pillars": pillars,
        "metrics": _read_metrics(workbook["Metrics"]),
        "orders": {
            "source": text("Preventative orders source"),
            "rows": [
                {
                    "month": read_cell_text(row[0]),
                    "order_type": read_cell_text(row[1]),
                    "applied": row[2],
                    "issued": row[3],
                }
                for row in workbook["Preventative orders"].iter_rows(min_row=2, values_only=True)
                if row[0] is not None
            ],
        },
    }


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat()


def _read_pillar(sheet, evidence: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    header = [cell.value for cell in sheet[3]]
    first_narrative = header.index(NARRATIVE)
    actions = []
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            continue
        action_id = read_cell_text(row[0])
        actions.append(
            {
                "action_id": action_id,
                "number": read_cell_text(row[1]),
                "title": read_cell_text(row[2]),
                "owner_role": read_cell_text(row[3]),
                "status": read_cell_text(row[4]),
                "rag": read_cell_text(row[5]),
                "due": _date(row[6]),
                "narrative": "".join(
                    read_cell_text(part) for part in row[first_narrative:] if part is not None
                ),
                "last_updated": _date(row[7]),
                "evidence": evidence.get(action_id, []),
            }
        )
    return {
        "number": int(sheet["B1"].value),
        "title": read_cell_text(sheet["C1"].value),
        "actions": actions,
    }


def _read_metrics(sheet) -> list[dict[str, Any]]:
    header = [cell.value for cell in sheet[1]]
    months = [name[: -len(" value")] for name in header if str(name).endswith(" value")]
    metrics = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            continue
        values = row[5:]
        metrics.append(
            {
                "code": read_cell_text(row[0]),
                "title": read_cell_text(row[1]),
                "unit": read_cell_text(row[2]),
                "source": read_cell_text(row[3]),
                "generated": row[4] == "yes",
                "months": [
                    {
                        "month": month,
                        "value": values[3 * i],
                        "numerator": values[3 * i + 1],
                        "denominator": values[3 * i + 2],
                    }
                    for i, month in enumerate(months)
                ],
            }
        )
    return metrics
