"""Read a ``period,value`` CSV into a series, with errors that name file, row and column.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is
row 2. An empty value (or ``NA``, ``N/A``, ``null``) is a gap. Other columns are ignored;
blank lines are skipped. The file may start with a UTF-8 byte order mark (Excel writes one).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from vawg.ratings.series import normalise_period, parse_period

GAP_WORDS = frozenset({"", "na", "n/a", "null"})


class SeriesInputError(ValueError):
    """A problem with an input file, naming where it is.

    >>> str(SeriesInputError("data.csv", "'abc' is not a number", row=7, column="value"))
    "data.csv, row 7, column value: 'abc' is not a number"
    """

    def __init__(
        self, file: str, message: str, *, row: int | None = None, column: str | None = None
    ) -> None:
        self.file, self.row, self.column, self.message = file, row, column, message
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")


def parse_series_csv(text: str, name: str = "<input>") -> list[tuple[str, float | None]]:
    """Parse CSV text with ``period`` and ``value`` columns into ``(period, value)`` pairs.

    >>> parse_series_csv("period,value\\n2024-01,3\\n2024-02,\\n2024-03,4.5\\n")
    [('2024-01', 3.0), ('2024-02', None), ('2024-03', 4.5)]
    >>> parse_series_csv("period,value\\n2024-01,3\\n2024-02,abc\\n", "data.csv")
    Traceback (most recent call last):
    ...
    vawg.ratings.csv_input.SeriesInputError: data.csv, row 3, column value: 'abc' is not a number
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise SeriesInputError(name, f"not readable as CSV ({exc})", row=1) from None
    if header is None:
        raise SeriesInputError(name, "the file is empty (expected a header: period,value)")
    columns = [h.strip().lower() for h in header]
    missing = [c for c in ("period", "value") if c not in columns]
    if missing:
        found = ", ".join(h.strip() for h in header) or "nothing"
        raise SeriesInputError(
            name,
            f"missing column{'s' if len(missing) > 1 else ''} "
            f"{' and '.join(repr(m) for m in missing)} "
            f"(found: {found}; expected a header: period,value)",
            row=1,
        )
    i_period, i_value = columns.index("period"), columns.index("value")

    series: list[tuple[str, float | None]] = []
    seen: dict[tuple[int, int], int] = {}
    frequency = None
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SeriesInputError(
                name, f"not readable as CSV ({exc})", row=reader.line_num
            ) from None
        row = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) <= max(i_period, i_value):
            record = record + [""] * (max(i_period, i_value) + 1 - len(record))
        raw_period, raw_value = record[i_period].strip(), record[i_value].strip()
        try:
            year, sub, freq = parse_period(raw_period)
        except ValueError as exc:
            raise SeriesInputError(name, str(exc), row=row, column="period") from None
        if frequency is None:
            frequency = freq
        elif freq != frequency:
            raise SeriesInputError(
                name,
                f"{raw_period!r} is {freq}ly but earlier rows are {frequency}ly",
                row=row,
                column="period",
            )
        if (year, sub) in seen:
            raise SeriesInputError(
                name,
                f"{raw_period!r} appears twice (first at row {seen[(year, sub)]})",
                row=row,
                column="period",
            )
        seen[(year, sub)] = row
        series.append((normalise_period(raw_period), _number(raw_value, name, row)))
    return series


def _number(raw: str, name: str, row: int) -> float | None:
    """One value cell: a finite number, or ``None`` for a gap."""
    if raw.lower() in GAP_WORDS:
        return None
    try:
        value = float(raw)
    except ValueError:
        hint = " (remove the thousands separator)" if "," in raw else ""
        raise SeriesInputError(
            name, f"{raw!r} is not a number{hint}", row=row, column="value"
        ) from None
    if not math.isfinite(value):
        raise SeriesInputError(
            name,
            f"{raw!r} is not a finite number (leave the cell empty for a gap)",
            row=row,
            column="value",
        )
    return value


def read_series_csv(path: str | Path) -> list[tuple[str, float | None]]:
    """Read a ``period,value`` CSV file; errors name the file (as given), row and column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SeriesInputError(str(path), "not UTF-8 text (save it as CSV UTF-8)") from None
    except OSError as exc:
        raise SeriesInputError(str(path), f"cannot be read ({exc.strerror})") from None
    return parse_series_csv(text, str(path))
