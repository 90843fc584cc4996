"""Safe workbook cells: text that a spreadsheet would take for a formula stays text.

A narrative beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can run as a
formula when the file is opened (formula injection). In an XLSX file the cell's type says what
it holds, so such text is written as a string cell (``t="inlineStr"``, never an ``<f>``
element) whose style carries ``quotePrefix``: Excel shows the text as written, without an
apostrophe, and keeps it text if someone edits the cell. The value is never changed, so a
workbook reads back to exactly the text written.

CSV has no cell types: a CSV export defends itself with a leading apostrophe instead (see
``vawg.audit.export``).
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so XLSX) cannot hold; openpyxl refuses to write them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def looks_like_formula(value: str) -> bool:
    """Whether a spreadsheet would take ``value``, typed into a cell, for a formula.

    >>> looks_like_formula("=1+1"), looks_like_formula("-12% on last year")
    (True, True)
    >>> looks_like_formula("Plain text"), looks_like_formula("'quoted")
    (False, False)
    """
    return value.startswith(FORMULA_START)


def text_cell(sheet: Worksheet, value: str) -> Cell:
    """A cell of ``sheet`` holding ``value`` as text, for ``sheet.append`` or placing.

    Characters XML cannot hold are shown as U+FFFD (the replacement character) rather than
    dropped; callers whose text must survive whole escape them first (the return does).

    >>> from openpyxl import Workbook
    >>> cell = text_cell(Workbook().active, "=HYPERLINK(\\"http://x\\")")
    >>> cell.value, cell.data_type, cell.quotePrefix
    ('=HYPERLINK("http://x")', 's', True)
    >>> cell = text_cell(Workbook().active, "Plain text")
    >>> cell.value, cell.data_type, cell.quotePrefix
    ('Plain text', 's', False)
    """
    cell = Cell(sheet, value=_ILLEGAL.sub("\N{REPLACEMENT CHARACTER}", value))
    # openpyxl makes any text starting with "=" a formula; the type is forced back to string
    # after assignment, which is what the writer reads.
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell
