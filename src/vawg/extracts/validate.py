"""Validating a force system extract (CSV or XLSX) against its template, and writing Parquet.

:func:`validate_file` reads the whole file and returns its rows as dicts of typed Python
values (``str``, ``int``, ``float``, ``bool``, ``datetime.date``, ``datetime.datetime`` or
``None`` for an empty optional value), each with a ``month`` (``YYYY-MM``) whether the
template has a month column or derives it from a date (see ``Template.month_from``). Nothing
is returned unless every row is valid, so an import built on it is all-or-nothing.

Rows are numbered as a spreadsheet shows them: the header is row 1. In a CSV file a quoted
value may span lines; its row is the line where it starts, which is the row number a
spreadsheet shows as long as no value does. Every problem found is collected (up to
:data:`MAX_PROBLEMS`); the error raised names the first one as "file, row N, column C:
problem" and says how many more there are.

Accepted input:

- CSV: UTF-8 with or without a byte-order mark, comma separated, double-quote quoting, any
  line ending. Blank lines and rows whose every value is empty are ignored (spreadsheets
  add them when saving).
- XLSX: the first worksheet, header in row 1 (the "About" sheet of a downloaded template is
  ignored). Cells may be text or Excel's own dates, numbers and TRUE/FALSE; a formula counts
  as the result Excel stored with it, and is refused at its cell when there is none or it is
  an Excel error (#REF!, #N/A, ...). A damaged workbook is refused whole.
- The header holds each template column exactly once, in any order, with no other column.
- Surrounding spaces of a value are ignored; yes/no and choices match whatever their case
  and are stored as the template spells them.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from vawg.errors import InputFileError
from vawg.extracts.templates import TEMPLATES, Column, Template, get_template

__all__ = [
    "MAX_PROBLEMS",
    "ExtractFileError",
    "Row",
    "detect_template",
    "to_parquet",
    "validate_file",
]

logger = logging.getLogger(__name__)

Row = dict[str, Any]

# Enough to show the scale of a systematic problem without building a huge message.
MAX_PROBLEMS = 200
_MAX_VALUE_IN_MESSAGE = 40
_MAX_TEXT = 200
# Dates outside this window are almost always typing mistakes (2202 for 2022).
_YEARS = (1990, 2099)

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
_DATETIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?")
_INTEGER_RE = re.compile(r"[+-]?[0-9]+")
_NUMBER_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


#: Why an import refuses an extract with no rows (validating one, as a template, is fine).
NO_ROWS = (
    "the file holds a header but no rows, so there is nothing to import (an import of it "
    "would stage no month and report the file as unchanged); export it again, checking the "
    "date range of the export, and import that file"
)


class ExtractFileError(InputFileError):
    """An extract that cannot be accepted: the first problem, and all found in ``problems``."""

    def __init__(
        self,
        path: Path | str,
        column: str | None,
        problem: str,
        *,
        row: int | None = None,
        problems: Sequence[InputFileError] = (),
    ) -> None:
        super().__init__(path, column, problem, row=row)
        self.problems = list(problems)


@dataclass
class _Record:
    row: int  # as a spreadsheet numbers it: the header is row 1
    values: list[Any]
    last: bool = False  # the last record of a CSV file that has no final line break
    sheet: str | None = None  # the worksheet an XLSX record comes from


class _CellError(Exception):
    """A value that does not fit its column; the message says what was expected."""


def detect_template(path: Path | str) -> Template:
    """The template a file is for, from its name: the longest slug its stem ends with.

    ``da-incidents.csv``, ``2022-03-da-incidents.xlsx`` and ``demo_da_incidents.csv`` all
    name ``da-incidents``.

    >>> detect_template("2022-04-finalised-crimes.csv").slug
    'finalised-crimes'
    """
    path = Path(path)
    stem = path.stem.lower().replace("_", "-")
    matches = [slug for slug in TEMPLATES if stem == slug or stem.endswith("-" + slug)]
    if not matches:
        raise InputFileError(
            path,
            None,
            "the file name does not say which template it follows; end the name with one "
            f"of: {', '.join(TEMPLATES)} (for example 2022-03-da-incidents.csv)",
        )
    return TEMPLATES[max(matches, key=len)]


def validate_file(path: Path | str, template: Template | str | None = None) -> list[Row]:
    """Every row of ``path`` checked against ``template`` (default: from the file name).

    Returns the rows as typed values plus ``month``; raises :class:`ExtractFileError` (an
    ``InputFileError``) naming file, row and column of the first problem.
    """
    path = Path(path)
    tpl = detect_template(path) if template is None else get_template(template)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputFileError(path, None, "expected a .csv or .xlsx file")
    records = _xlsx_records(path) if suffix == ".xlsx" else _csv_records(path)
    try:
        header = next(records)
    except StopIteration:
        raise ExtractFileError(
            path, None, f"the file is empty; expected the header: {','.join(tpl.headers)}"
        ) from None
    try:
        positions = _check_header(path, tpl, header)
    except ExtractFileError as exc:
        if header.sheet is None:
            raise
        # The usual cause in a workbook: the data is on another sheet than the first.
        raise ExtractFileError(
            path,
            exc.column,
            f"{exc.problem} (the header is read from the first sheet, '{header.sheet}')",
            row=exc.row,
        ) from None
    rows = _check_rows(path, tpl, positions, records)
    logger.info("extract %s valid for %s: %d rows", path.name, tpl.slug, len(rows))
    return rows


# --- reading ---------------------------------------------------------------------------


def _csv_records(path: Path) -> Iterator[_Record]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExtractFileError(
            path, None, 'the text is not UTF-8; save the file as "CSV UTF-8"', row=line
        ) from exc
    stray = _stray_cr(path, text)
    if stray is not None:
        raise stray
    ends_with_break = text.endswith(("\n", "\r"))
    total_lines = text.count("\n") + (0 if ends_with_break else 1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_end = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ExtractFileError(
                path, None, f"the CSV quoting is broken ({exc})", row=previous_end + 1
            ) from exc
        start, previous_end = previous_end + 1, reader.line_num
        last = not ends_with_break and previous_end >= total_lines
        yield _Record(start, list(values), last=last)


_LONE_CR = re.compile("\r(?!\n)")


def _stray_cr(path: Path, text: str) -> ExtractFileError | None:
    """The first carriage return outside quotes that does not end a CRLF, or None.

    The csv module takes such a CR for a line end: with CR CR LF endings it reads a blank
    record after every row (so rows are silently renumbered), and a CR inside an unquoted
    value gives an error without a place. Quote parity up to the CR says whether it is
    inside a quoted value (where it is data); only files holding a lone CR pay for the scan.
    """
    quotes, counted = 0, 0
    for match in _LONE_CR.finditer(text):
        at = match.start()
        quotes += text.count('"', counted, at)
        counted = at
        if quotes % 2:
            continue  # inside a quoted value: part of the data
        line_start = text.rfind("\n", 0, at) + 1
        row = text.count("\n", 0, at) + 1
        before = text[line_start:at]
        field = 0
        quoted = text.count('"', 0, line_start) % 2 == 1
        for char in before:
            if char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                field += 1
        # CRs dropped first: the csv module refuses a CR in the one-line string it is given.
        header = next(csv.reader([text.split("\n", 1)[0].replace("\r", "")]), [])
        if text.startswith("\r\n", at + 1):
            return ExtractFileError(
                path,
                None,
                "the line ends with CR CR LF (a doubled carriage return, as when a file with "
                "CRLF line endings is converted again); save the file as CSV again",
                row=row,
            )
        column = header[min(field, len(header) - 1)] if header else None
        return ExtractFileError(
            path,
            column,
            "a carriage return (CR) inside a value that is not in quotes; a line break "
            "within a value must be quoted, and lines must end with CRLF or LF (not a lone "
            "CR). Remove the CR or quote the value",
            row=row,
        )
    return None


@dataclass(frozen=True)
class _BadCell:
    """A cell that holds no usable value (an Excel error, an uncalculated formula).

    Carried in place of the value so the problem is reported with its row and column, as
    any other bad value is.
    """

    problem: str

    def __str__(self) -> str:
        return f"({self.problem})"


# openpyxl reads untrusted files; what it raises on damaged ones is not documented and
# ranges from BadZipFile and zlib.error over XML ParseError to KeyError and AttributeError.
_WORKBOOK_ERRORS = (Exception,)


def _xlsx_records(path: Path) -> Iterator[_Record]:
    """The rows of the first worksheet, each cell's value as Excel shows it.

    Read once with formulas kept (cheap, and it tells which cells are formulas); only a
    sheet that has formulas is read a second time for their calculated values, which Excel
    stores beside them. A formula without a stored result (a file written by a program and
    never opened in Excel) or with an Excel error as its result is refused at its cell:
    importing it as empty would lose a value silently.
    """
    title, cells = _sheet_cells(path, data_only=False)
    formulas = {
        (number, index)
        for number, row in enumerate(cells, start=1)
        for index, (_, kind) in enumerate(row)
        if kind == "f"
    }
    calculated: dict[tuple[int, int], tuple[Any, str]] = {}
    if formulas:
        _, values = _sheet_cells(path, data_only=True)
        calculated = {
            (number, index): values[number - 1][index]
            for number, index in formulas
            if number <= len(values) and index < len(values[number - 1])
        }
    for number, row in enumerate(cells, start=1):
        values: list[Any] = []
        for index, (value, kind) in enumerate(row):
            if kind == "f":
                value, kind = calculated.get((number, index), (None, "n"))
                if value is None:
                    value = _BadCell(
                        "a formula whose result was never calculated (the file was not "
                        "saved by Excel); put the value itself in the cell"
                    )
            if kind == "e":
                value = _BadCell(f"the Excel error {value}; put the value itself in the cell")
            values.append(value)
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()  # trailing empty cells: formatting, not data
        yield _Record(number, values, sheet=title)


def _sheet_cells(path: Path, *, data_only: bool) -> tuple[str, list[list[tuple[Any, str]]]]:
    """(title, rows of (value, openpyxl data type)) of the first worksheet of ``path``.

    Raises :class:`ExtractFileError` for a file that is not a readable workbook, naming
    the row where reading stopped when the damage is inside the sheet.
    """
    # Imported here so the CSV path (and the rest of the package) works without openpyxl.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=data_only)
    except _WORKBOOK_ERRORS as exc:
        raise ExtractFileError(
            path, None, f"cannot be read as an Excel workbook (.xlsx): {_reason(exc)}"
        ) from exc
    rows: list[list[tuple[Any, str]]] = []
    try:
        if not workbook.worksheets:
            raise ExtractFileError(path, None, "the workbook has no worksheet to read")
        sheet = workbook.worksheets[0]
        for cells in sheet.iter_rows():
            rows.append([(cell.value, cell.data_type) for cell in cells])
    except ExtractFileError:
        raise
    except _WORKBOOK_ERRORS as exc:
        # The sheet's data is damaged (a cut or corrupt workbook): the rows before the
        # damage were read, so say where reading stopped; no column can be told.
        raise ExtractFileError(
            path,
            None,
            f"the workbook is damaged: its first sheet cannot be read beyond row {len(rows)} "
            f"({_reason(exc)}); save it again from Excel",
            row=len(rows) + 1,
        ) from exc
    finally:
        workbook.close()
    return sheet.title, rows


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


# --- the header --------------------------------------------------------------------------


def _check_header(path: Path, tpl: Template, header: _Record) -> list[Column]:
    """The template column of each position in the file, or refuse the header (row 1)."""
    found = ["" if v is None else str(v).strip() for v in header.values]
    expected = list(tpl.headers)
    wanted = f"the {tpl.slug} header is: {','.join(expected)}"
    if not any(found):
        raise ExtractFileError(path, None, f"row 1 is empty; {wanted}", row=header.row)
    repeated = sorted({n for n in found if n and found.count(n) > 1})
    if repeated:
        raise ExtractFileError(
            path,
            repeated[0],
            f"column '{repeated[0]}' appears more than once; {wanted}",
            row=header.row,
        )
    missing = [n for n in expected if n not in found]
    unexpected = [n for n in found if n not in expected]
    if missing:
        extra = ""
        if unexpected:
            extra = f"; found unexpected {_listed(unexpected)}"
        word = "column" if len(missing) == 1 else "columns"
        raise ExtractFileError(
            path,
            missing[0],
            f"missing {word} {_listed(missing)}{extra}; {wanted}",
            row=header.row,
        )
    if unexpected:
        word = "column" if len(unexpected) == 1 else "columns"
        raise ExtractFileError(
            path,
            _short(unexpected[0] or "(blank)"),
            f"unexpected {word} {_listed(unexpected)}; {wanted}",
            row=header.row,
        )
    return [tpl.column(name) for name in found]


def _listed(names: Iterable[str]) -> str:
    return ", ".join(f"'{_short(n)}'" for n in names)


def _short(value: str) -> str:
    if len(value) > _MAX_VALUE_IN_MESSAGE:
        return value[: _MAX_VALUE_IN_MESSAGE - 1] + "…"
    return value


# --- the rows ----------------------------------------------------------------------------


def _check_rows(
    path: Path, tpl: Template, positions: list[Column], records: Iterator[_Record]
) -> list[Row]:
    problems: list[InputFileError] = []
    rows: list[Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    width = len(positions)

    def report(row: int, column: str | None, problem: str) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(InputFileError(path, column, problem, row=row))

    for record in records:
        values = record.values
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # a blank line, or a row of empty cells
        if record.last and len(values) >= width:
            # A CSV export ends every row, the last one too, with a line break (Excel, the
            # csv module and database exports all do): a last row without one was most
            # likely cut off, and a clipped last value (a reference, a date) can still look
            # valid, so the file is refused rather than trusted. (A short last row is
            # reported below, as cut off in the column it stops before.)
            report(
                record.row,
                positions[-1].name,
                f"the file ends without a line break after this row, so it looks cut off "
                f"(the value in column '{positions[-1].name}' may be clipped); export or copy "
                "the file again",
            )
            continue
        if len(values) > width:
            extra = len(values) - width
            report(
                record.row,
                positions[-1].name,
                f"{len(values)} fields, expected {width}: {extra} more "
                f"{'value' if extra == 1 else 'values'} after column '{positions[-1].name}', "
                "the last one (an unquoted comma in a value?)",
            )
            continue
        if len(values) < width and _is_csv(path):
            # An XLSX row simply ends at its last filled cell; a CSV row must be complete.
            cut = "; the file ends without a line break, so it looks cut off" if record.last else ""
            report(
                record.row,
                positions[len(values)].name,
                f"the row stops after {len(values)} of {width} values{cut}",
            )
            continue
        row, row_ok = _typed_row(tpl, positions, values, record.row, report)
        if not row_ok:
            continue
        problem = _row_rules(tpl, row)
        if problem is not None:
            report(record.row, *problem)
            continue
        key = tuple(row[name] for name in tpl.key)
        if key in seen:
            shown = ", ".join(f"{n} {_display(row[n])}" for n in tpl.key)
            report(
                record.row,
                tpl.key[-1] if len(tpl.key) > 1 else tpl.key[0],
                f"{shown} repeats row {seen[key]}; each must appear once",
            )
            continue
        seen[key] = record.row
        rows.append(row)
    if problems:
        first = problems[0]
        more = len(problems) - 1
        suffix = ""
        if more:
            capped = "+" if len(problems) >= MAX_PROBLEMS else ""
            suffix = f" (and {more}{capped} more problems in the file)"
        raise ExtractFileError(
            path, first.column, first.problem + suffix, row=first.row, problems=problems
        )
    return rows


def _is_csv(path: Path) -> bool:
    return path.suffix.lower() == ".csv"


def _typed_row(
    tpl: Template,
    positions: list[Column],
    values: list[Any],
    number: int,
    report: Any,
) -> tuple[Row, bool]:
    row: Row = {}
    for index, column in enumerate(positions):
        raw = values[index] if index < len(values) else None
        try:
            row[column.name] = _parse(column, raw)
        except _CellError as exc:
            report(number, column.name, str(exc))
            return row, False
    month_column = "month" in tpl.headers
    if tpl.month_from is not None:
        stamp = row[tpl.month_from]
        derived = stamp.strftime("%Y-%m") if stamp is not None else None
        if month_column and derived is not None and row["month"] != derived:
            report(
                number,
                "month",
                f"{row['month']} is not the month of {tpl.month_from} ({_display(stamp)})",
            )
            return row, False
        if not month_column:
            row["month"] = derived
    return row, True


def _row_rules(tpl: Template, row: Row) -> tuple[str, str] | None:
    for rule in tpl.rules:
        problem = rule.check(row)
        if problem is not None:
            return problem
    return None


def _display(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _parse(column: Column, raw: Any) -> Any:
    """The typed value of one cell, None when empty; raises _CellError when it does not fit."""
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            raw = None
    if isinstance(raw, _BadCell):
        raise _CellError(raw.problem)
    if raw is None:
        if column.required:
            raise _CellError("empty, but a value is required")
        return None
    parser = _PARSERS[column.type]
    return parser(column, raw)


def _quoted(raw: Any) -> str:
    return f"'{_short(str(raw))}'"


def _text(column: Column, raw: Any) -> str:
    if isinstance(raw, bool | datetime | date):
        raise _CellError(f"{_quoted(raw)} is not text ({column.rule()})")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a reference Excel stored as a number
    value = str(raw)
    if column.pattern is not None and not re.fullmatch(column.pattern, value):
        raise _CellError(f"{_quoted(value)} is not {column.pattern_hint}")
    if len(value) > _MAX_TEXT:
        raise _CellError(f"longer than {_MAX_TEXT} characters")
    return value


def _check_year(value: date, raw: Any) -> None:
    if not _YEARS[0] <= value.year <= _YEARS[1]:
        raise _CellError(
            f"{_quoted(raw)} has a year outside {_YEARS[0]} to {_YEARS[1]}; is it a typing mistake?"
        )
    # An extract records what has happened: a later date is a typing mistake, and would open
    # a month in the ready reckoner that has not begun.
    day = value.date() if isinstance(value, datetime) else value
    if day > _today():
        raise _CellError(f"{_quoted(raw)} is in the future")


def _today() -> date:
    """Today in the United Kingdom, whatever the server's clock zone."""
    return datetime.now(ZoneInfo("Europe/London")).date()


def _date(column: Column, raw: Any) -> date:
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            raise _CellError(f"{_display(raw)} has a time of day; expected a date YYYY-MM-DD")
        value = raw.date()
    elif isinstance(raw, date):
        value = raw
    else:
        text = str(raw)
        if not _DATE_RE.fullmatch(text):
            raise _CellError(f"{_quoted(text)} is not a date written YYYY-MM-DD")
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise _CellError(f"{_quoted(text)} is not a real date") from None
    _check_year(value, raw)
    return value


def _month(column: Column, raw: Any) -> str:
    if isinstance(raw, date):
        # Excel turns a typed "2022-03" into 1 March 2022: accept the first of a month.
        if raw.day != 1 or (isinstance(raw, datetime) and raw.time() != datetime.min.time()):
            raise _CellError(f"{_display(raw)} is a date; expected a month written YYYY-MM")
        _check_year(raw, raw)
        return raw.strftime("%Y-%m")
    text = str(raw)
    match = _MONTH_RE.fullmatch(text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise _CellError(f"{_quoted(text)} is not a month written YYYY-MM")
    _check_year(date(int(match.group(1)), 1, 1), raw)
    return text


def _datetime(column: Column, raw: Any) -> datetime:
    if isinstance(raw, datetime):
        value = raw.replace(microsecond=0)
    elif isinstance(raw, date):
        raise _CellError(f"{_display(raw)} has no time; expected YYYY-MM-DD HH:MM")
    else:
        text = str(raw)
        if not _DATETIME_RE.fullmatch(text):
            raise _CellError(f"{_quoted(text)} is not a date and time written YYYY-MM-DD HH:MM")
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise _CellError(f"{_quoted(text)} is not a real date and time") from None
    _check_year(value, raw)
    return value


def _in_range(column: Column, value: float, raw: Any) -> None:
    if column.minimum is not None and value < column.minimum:
        raise _CellError(f"{_quoted(raw)} is below the minimum, {column.rule()}")
    if column.maximum is not None and value > column.maximum:
        raise _CellError(f"{_quoted(raw)} is above the maximum, {column.rule()}")


def _integer(column: Column, raw: Any) -> int:
    if isinstance(raw, bool | date):
        raise _CellError(f"{_quoted(raw)} is not a whole number")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise _CellError(f"{_quoted(raw)} is not a whole number")
        value = int(raw)
    else:
        text = str(raw)
        if not _INTEGER_RE.fullmatch(text):
            raise _CellError(f"{_quoted(text)} is not a whole number")
        value = int(text)
    _in_range(column, value, raw)
    return value


def _number(column: Column, raw: Any) -> float:
    if isinstance(raw, bool | date):
        raise _CellError(f"{_quoted(raw)} is not a number")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw)
        if not _NUMBER_RE.fullmatch(text):
            raise _CellError(f"{_quoted(text)} is not a number")
        value = float(text)
    _in_range(column, value, raw)
    return value


_YES = {"yes": True, "no": False}


def _boolean(column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw  # Excel TRUE/FALSE
    value = _YES.get(str(raw).lower())
    if value is None:
        raise _CellError(f"{_quoted(raw)} is not yes or no")
    return value


def _choice(column: Column, raw: Any) -> str:
    text = str(raw)
    if text in column.choices:
        return text
    for choice in column.choices:
        if choice.lower() == text.lower():
            return choice
    raise _CellError(f"{_quoted(text)} is not one of: {', '.join(column.choices)}")


_PARSERS = {
    "text": _text,
    "date": _date,
    "month": _month,
    "datetime": _datetime,
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "choice": _choice,
}


# --- Parquet -----------------------------------------------------------------------------


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def to_parquet(
    rows: Sequence[Row], template: Template | str, path: Path | str, *, force: str | None = None
) -> int:
    """Write validated ``rows`` to a zstd Parquet file at ``path``; returns the row count.

    Columns are the template's in its order with their types (see
    ``Template.parquet_columns``), then ``month`` where the template has no month column,
    then ``force`` (the slug given) when ``force`` is not None. A national table
    (``Template.row_force``) keeps each row's own ``force`` and ignores the one given: the
    importing force is not the force a row describes. The file is written under a temporary
    name and renamed into place, so ``path`` is either absent or complete.
    """
    tpl = get_template(template)
    if tpl.row_force:
        force = None
    path = Path(path)
    columns = tpl.parquet_columns(force=False)
    # One typed list per column, zipped back into rows by DuckDB's unnest: fast (a
    # vectorised cast) and with no file content ever inside the SQL text.
    select = ", ".join(
        f"unnest(${i}::{sql_type}[]) AS {name}" for i, (name, sql_type) in enumerate(columns, 1)
    )
    parameters = [[row[name] for row in rows] for name, _ in columns]
    if force is not None:
        select += f", {_literal(force)} AS force"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    con = duckdb.connect(":memory:")
    try:
        # The SQL is built from the template's fixed column names and types and an
        # escaped force slug; the values travel as parameters.
        con.execute(f"CREATE TABLE extract AS SELECT {select}", parameters)
        # DuckDB takes no parameter for a COPY target, hence the escaped literal.
        target = _literal(str(tmp))
        con.execute(f"COPY extract TO {target} (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()
    os.replace(tmp, path)
    logger.info("extract %s written: %d rows", path.name, len(rows))
    return len(rows)
