"""Validation of data.police.uk CSV files, loading them into DuckDB on the way.

The fast path parses each file once with DuckDB's CSV reader (explicit all-VARCHAR columns,
strict mode, rejected rows stored with their line numbers) into a temporary table and checks
every value with one SQL aggregate. Only when that finds a problem does a plain-Python scan
run over the file to name the exact physical line, column and value of the first problem:
errors are rare, so the slow exact path costs nothing on good data.

Rules (the same in SQL and in the Python scan, so both agree on what is wrong):

- the header is exactly the data.police.uk header of the dataset (a UTF-8 BOM is allowed);
- every row has as many fields as the header (blank lines are ignored);
- the text is UTF-8;
- street and outcomes: Month equals the month in the file name (so it is a real ``YYYY-MM``);
- Longitude and Latitude are empty or decimal numbers within -180..180 / -90..90;
- stop-and-search yes/no columns are empty, ``True`` or ``False``.

An empty file (not even a header) is refused; a header-only file is valid and has zero rows.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb

from vawg.analytics.police_uk import Dataset, SourceFile, is_month
from vawg.errors import InputFileError

__all__ = [
    "InvalidFileError",
    "LoadedFile",
    "check_header",
    "file_sha256",
    "load_csv",
    "loading_connection",
    "scan_for_errors",
]

# A decimal number, optionally signed, optionally with an exponent. Written out rather than
# left to a float cast so DuckDB and Python accept exactly the same strings (Python's float()
# takes "nan", "1_0" and surrounding spaces, DuckDB's cast differs).
_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
_NUMBER_RE = re.compile(_NUMBER)
_COORD_LIMITS = {"longitude": 180.0, "latitude": 90.0}
_BOOLEANS = ("true", "false")
_MAX_VALUE_IN_MESSAGE = 40


class InvalidFileError(InputFileError):
    """A file that failed validation; ``rows_rejected`` counts its bad rows (0 if unknown)."""

    def __init__(
        self,
        path: Path | str,
        column: str | None,
        problem: str,
        *,
        row: int | None = None,
        rows_rejected: int = 0,
    ) -> None:
        super().__init__(path, column, problem, row=row)
        self.rows_rejected = rows_rejected


@dataclass(frozen=True)
class LoadedFile:
    """A validated file loaded into a DuckDB table of VARCHAR columns."""

    source: SourceFile
    table: str
    rows: int


def _open_binary(path: Path) -> IO[bytes]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def file_sha256(path: Path) -> str:
    """The sha256 of the CSV text of ``path``, after gzip decompression for ``.csv.gz``.

    Hashing the content rather than the compressed bytes means the same month imported as
    ``.csv`` and later as ``.csv.gz`` is recognised as the same file (``sha256sum`` of a plain
    ``.csv`` gives the same value).
    """
    digest = hashlib.sha256()
    with _open_binary(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _short(value: str) -> str:
    if len(value) > _MAX_VALUE_IN_MESSAGE:
        return value[: _MAX_VALUE_IN_MESSAGE - 1] + "…"
    return value


def check_header(source: SourceFile) -> None:
    """Refuse ``source`` unless its first line is exactly its dataset's header.

    Raises :class:`InvalidFileError` at row 1 naming the first missing or unexpected column.
    """
    path, dataset = source.path, source.dataset
    try:
        with _open_binary(path) as fh:
            first = fh.readline()
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise InvalidFileError(path, None, f"cannot be read: {exc}") from exc
    if not first.strip(b"\r\n"):
        problem = "the file is empty" if not first else "the first line is blank"
        raise InvalidFileError(
            path,
            None,
            f"{problem}; expected the {dataset.suffix} header: {dataset.header_line}",
            row=1 if first else None,
        )
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidFileError(path, None, "the header is not UTF-8 text", row=1) from exc
    found = next(csv.reader([text.rstrip("\r\n")]))
    expected = list(dataset.headers)
    if found == expected:
        return
    raise InvalidFileError(path, *_header_problem(dataset, found), row=1)


def _header_problem(dataset: Dataset, found: list[str]) -> tuple[str, str]:
    """(column, problem) describing how ``found`` differs from the dataset's header."""
    expected = list(dataset.headers)
    wanted = f"the {dataset.suffix} header must be exactly: {dataset.header_line}"
    missing = [c for c in expected if c not in found]
    unexpected = [c for c in found if c not in expected]
    hint = ""
    for other in _other_datasets(dataset):
        if found == list(other.headers):
            hint = f" (this is the {other.suffix} header: is the file misnamed?)"

    def listed(columns: list[str]) -> str:
        return ", ".join(f"'{_short(c)}'" for c in columns)

    if missing:
        word = "column" if len(missing) == 1 else "columns"
        extra = ""
        if unexpected:
            extra_word = "column" if len(unexpected) == 1 else "columns"
            extra = f"; found unexpected {extra_word} {listed(unexpected)}"
        return missing[0], f"missing {word} {listed(missing)}{extra}{hint}; {wanted}"
    if unexpected:
        word = "column" if len(unexpected) == 1 else "columns"
        return _short(unexpected[0]), f"unexpected {word} {listed(unexpected)}; {wanted}"
    # Same names, but out of order or repeated.
    for position, (want, got) in enumerate(zip(expected, found, strict=False), start=1):
        if want != got:
            return got, f"column {position} should be '{want}', found '{got}'; {wanted}"
    return expected[-1], f"expected {len(expected)} columns, found {len(found)}; {wanted}"


def _other_datasets(dataset: Dataset) -> list[Dataset]:
    from vawg.analytics.police_uk import DATASETS

    return [d for d in DATASETS.values() if d is not dataset]


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _value_checks(source: SourceFile) -> list[str]:
    """SQL boolean expressions over the VARCHAR table, each true when a row is valid."""
    dataset = source.dataset
    names = {c.name for c in dataset.columns}
    checks = []
    if dataset.has_month_column:
        checks.append(f"month IS NOT DISTINCT FROM {_sql_literal(source.month)}")
    for name, limit in _COORD_LIMITS.items():
        if name in names:
            checks.append(
                f"(nullif({name}, '') IS NULL OR (regexp_full_match({name}, '{_NUMBER}') "
                f"AND abs(try_cast({name} AS DOUBLE)) <= {limit}))"
            )
    for column in dataset.columns:
        if column.sql_type == "BOOLEAN":
            checks.append(
                f"(nullif({column.name}, '') IS NULL OR lower({column.name}) IN {_BOOLEANS})"
            )
    return checks


def load_csv(con: duckdb.DuckDBPyConnection, source: SourceFile, table: str) -> LoadedFile:
    """Validate ``source`` and load it into the table ``table`` (all VARCHAR) of ``con``.

    Use an in-memory connection (see :func:`loading_connection`).

    Checks the header first, then parses with DuckDB and checks every value. On any problem
    raises :class:`InvalidFileError` naming the file, the 1-based physical line (the header is
    row 1), the column and what was expected. ``table`` is replaced if it exists.
    """
    check_header(source)
    dataset = source.dataset
    columns = "{" + ", ".join(f"'{c.name}': 'VARCHAR'" for c in dataset.columns) + "}"
    rejects = f"{table}_rejects"
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"DROP TABLE IF EXISTS {rejects}")
    con.execute(f"DROP TABLE IF EXISTS {rejects}_scan")
    try:
        # Explicit columns and no sniffing: the header was checked above, and sniffing would
        # both cost time and guess types we do not want. skip=1 leaves the header (and any
        # BOM) out, while the rejects table still counts physical lines from the file start.
        con.execute(
            f"""
            CREATE TABLE {table} AS
            SELECT * FROM read_csv(
                ?, columns = {columns}, header = false, skip = 1, auto_detect = false,
                delim = ',', quote = '"', escape = '"', strict_mode = true,
                max_line_size = {MAX_FIELD_BYTES},
                store_rejects = true, rejects_table = '{rejects}',
                rejects_scan = '{rejects}_scan'
            )
            """,  # noqa: S608 - table names are ours; the path is a parameter
            [str(source.path)],
        )
    except duckdb.Error as exc:
        # DuckDB gives up on some damage (mixed line endings, a broken gzip stream) without
        # a line number; the Python scan finds the place.
        raise _locate(source, fallback=str(exc).splitlines()[0]) from exc
    # NOTE: the S608 exemptions here: table names are ours and the checks are built from the
    # fixed dataset definitions with escaped literals; no file content enters the SQL.
    rejected_lines, first_reject = con.execute(
        f"SELECT count(DISTINCT line), min(line) FROM {rejects}"  # noqa: S608
    ).fetchone() or (0, None)
    valid = " AND ".join(_value_checks(source))
    rows, bad_values = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE NOT ({valid})) FROM {table}"  # noqa: S608
    ).fetchone() or (0, 0)
    if rejected_lines or bad_values:
        fallback = None
        if first_reject is not None:
            message = con.execute(
                f"SELECT error_message FROM {rejects} WHERE line = ? LIMIT 1",  # noqa: S608
                [first_reject],
            ).fetchone()
            fallback = f"line {first_reject}: {message[0] if message else 'malformed row'}"
        con.execute(f"DROP TABLE IF EXISTS {table}")
        raise _locate(source, fallback=fallback or f"{bad_values} rows have invalid values")
    con.execute(f"DROP TABLE IF EXISTS {rejects}")
    con.execute(f"DROP TABLE IF EXISTS {rejects}_scan")
    return LoadedFile(source=source, table=table, rows=int(rows))


def loading_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection tuned for loading many monthly files one by one.

    One thread: a monthly file is small (thousands of rows), and measured on the 2024
    Cambridgeshire files one thread parses and writes each in about a third of the time that
    the default thread pool takes, whose start-up costs more than the parallelism saves.
    """
    con = duckdb.connect(":memory:")
    con.execute("SET threads = 1")
    return con


def _locate(source: SourceFile, *, fallback: str) -> InvalidFileError:
    """The exact first problem in ``source``, found by the Python scan."""
    error, _ = scan_for_errors(source)
    if error is not None:
        return error
    # The parsers disagree (should not happen): still refuse, with DuckDB's own words.
    return InvalidFileError(
        source.path, None, f"cannot be read as CSV: {fallback}", rows_rejected=0
    )


#: The longest line (and so field) a file may hold. data.police.uk lines are a few hundred
#: bytes; the limit only guards memory. Python's csv module must allow the same, or its scan
#: would report a valid long field as the file's problem.
MAX_FIELD_BYTES = 64 * 1024 * 1024
csv.field_size_limit(MAX_FIELD_BYTES)


def _decoded_lines(path: Path, state: _ScanState) -> Iterator[str]:
    """The file's physical lines as text, counting them in ``state``.

    Decoding per line (not the whole stream) lets a bad byte be reported with its line.
    """
    with _open_binary(path) as fh:
        lines = iter(fh)
        while True:
            try:
                raw = next(lines)
            except StopIteration:
                return
            except (OSError, EOFError) as exc:  # a cut or damaged .gz
                raise _BadLineError(
                    state.line + 1, f"the compressed file is truncated or damaged ({exc})"
                ) from exc
            state.line += 1
            state.ended = raw.endswith(b"\n")
            if state.ended:
                ending = "CRLF" if raw.endswith(b"\r\n") else "LF"
                if state.ending is None:
                    state.ending = ending
                elif ending != state.ending and state.mixed is None:
                    # Noted, not raised: a line break inside a quoted field is not a record's
                    # end, so this only explains a failure nothing else explains.
                    state.mixed = (state.line, ending, state.ending)
            try:
                text = raw.decode("utf-8-sig" if state.line == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise _BadLineError(state.line, "the text is not UTF-8") from exc
            yield text


@dataclass
class _ScanState:
    line: int = 0  # number of the last physical line read
    ended: bool = True  # whether that line ended with a line break
    ending: str | None = None  # "CRLF" or "LF", as the first line ends
    mixed: tuple[int, str, str] | None = None  # first line ending otherwise, and the two kinds


class _BadLineError(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


def scan_for_errors(source: SourceFile) -> tuple[InvalidFileError | None, int]:
    """Scan ``source`` with Python's csv module: (first problem or None, number of bad rows).

    Slow but exact about physical line numbers; used only once the fast path found a problem.
    The header is assumed checked (see :func:`check_header`).
    """
    dataset = source.dataset
    headers = dataset.headers
    index = {c.name: i for i, c in enumerate(dataset.columns)}
    booleans = [(c.header, index[c.name]) for c in dataset.columns if c.sql_type == "BOOLEAN"]
    coords = [
        (c.header, index[c.name], _COORD_LIMITS[c.name])
        for c in dataset.columns
        if c.name in _COORD_LIMITS
    ]
    month_at = index.get("month") if dataset.has_month_column else None
    first: tuple[int, str | None, str] | None = None
    bad_rows = 0
    state = _ScanState()
    reader = csv.reader(_decoded_lines(source.path, state), strict=True)
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1  # a quoted field may span lines: report where it starts
            previous_end = state.line
            if start == 1 or not record:
                continue  # the header, or a blank line (DuckDB skips those too)
            problem = _row_problem(record, source, headers, month_at, coords, booleans)
            if problem is not None:
                bad_rows += 1
                if first is None:
                    first = (start, *problem)
    except _BadLineError as exc:
        bad_rows += 1
        if first is None or exc.line < first[0]:
            first = (exc.line, None, exc.problem)
    except csv.Error as exc:
        bad_rows += 1
        if first is None:
            first = (previous_end + 1, None, f"malformed CSV quoting ({exc})")
    if first is None and state.mixed is not None:
        # DuckDB cannot read a file whose line endings change part-way, and says so without a
        # line number; nothing else is wrong, so name the line where they change.
        line, ending, before = state.mixed
        first = (
            line,
            None,
            f"this line ends with {ending} but the lines before end with {before}; "
            "save the file with one kind of line ending",
        )
        bad_rows += 1
    if first is None:
        return None, bad_rows
    line, column, problem = first
    if line >= state.line and not state.ended:
        # The usual cause of a short last row: a download or copy cut off mid-line.
        problem += "; the last line has no line break, so the file looks truncated"
    return InvalidFileError(
        source.path, column, problem, row=line, rows_rejected=bad_rows
    ), bad_rows


def _row_problem(
    record: list[str],
    source: SourceFile,
    headers: tuple[str, ...],
    month_at: int | None,
    coords: list[tuple[str, int, float]],
    booleans: list[tuple[str, int]],
) -> tuple[str | None, str] | None:
    """(column, problem) for the first thing wrong with one record, or None."""
    if len(record) != len(headers):
        return None, f"expected {len(headers)} fields, found {len(record)}"
    if month_at is not None:
        value = record[month_at]
        if value != source.month:
            if not value:
                return "Month", f"empty; expected {source.month}, the month in the file name"
            if not is_month(value):
                return "Month", f"'{_short(value)}' is not a month written YYYY-MM"
            return "Month", (f"'{value}' differs from {source.month}, the month in the file name")
    for header, at, limit in coords:
        value = record[at]
        if not value:
            continue
        if not _NUMBER_RE.fullmatch(value):
            return header, f"'{_short(value)}' is not a number"
        if abs(float(value)) > limit:
            return header, f"{value} is outside -{limit:g} to {limit:g}"
    for header, at in booleans:
        value = record[at]
        if value and value.lower() not in _BOOLEANS:
            return header, f"'{_short(value)}' is not True, False or empty"
    return None
