"""Validation of data.police.uk CSV files, loading them into DuckDB on the way.

The fast path parses each file once with DuckDB's CSV reader (explicit all-VARCHAR columns,
strict mode, rejected rows stored with their line numbers) into a temporary table and checks
every value with one SQL aggregate. Only when that finds a problem does a plain-Python scan
run over the file to name the exact physical line, column and value of the first problem:
errors are rare, so the slow exact path costs nothing on good data.

Rules (the same in SQL and in the Python scan, so both agree on what is wrong):

- the header is exactly the data.police.uk header of the dataset (a UTF-8 BOM is allowed);
- every row has as many fields as the header (blank lines are ignored), empty extra
  fields included;
- the text is UTF-8;
- the file ends with a line break (the published files end every row with CRLF): a file
  cut off inside its last row is refused as truncated, naming that row and the column it
  ends in, rather than accepted with a clipped last value; a ``.csv.gz`` must decompress
  to its end;
- street and outcomes: Month equals the month in the file name (so it is a real ``YYYY-MM``),
  and Reported by names the force in the file name (a Cambridgeshire file renamed ``kent``
  would otherwise file Cambridgeshire's crimes under Kent). Falls within is not checked:
  data.police.uk documents it as "at present, also the force that provided the data" and
  says that is likely to change, so a difference there is not evidence of a misnamed file;
- a carriage return is only allowed inside a quoted value or as the CR of a CRLF line end
  (a stray CR, or a line ending CR CR LF, is refused naming its row and column);
- Longitude and Latitude are empty or decimal numbers within -180..180 / -90..90;
- stop-and-search yes/no columns are empty, ``True`` or ``False``.

An empty file (not even a header) is refused, and so is a header-only file: data.police.uk
publishes a month file only when the force has rows for it, so a file with no rows was cut
or exported wrongly, and importing it would replace a good month with nothing.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from vawg.analytics.police_uk import Dataset, SourceFile, is_month, reported_by_names
from vawg.errors import InputFileError

__all__ = [
    "FileDigest",
    "InvalidFileError",
    "LoadedFile",
    "check_header",
    "explain_unreadable",
    "file_digest",
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


def _open_binary(path: Path) -> io.BufferedIOBase:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


#: What reading a damaged ``.gz`` raises: a cut stream gives EOFError, a bad header
#: gzip.BadGzipFile (an OSError), corrupt deflate data zlib.error (which is neither).
_GZIP_ERRORS = (OSError, EOFError, zlib.error)


@dataclass(frozen=True)
class FileDigest:
    """Facts about a file's CSV text gathered in one read: its sha256 and how it ends."""

    sha256: str
    ends_with_line_break: bool


def file_digest(path: Path) -> FileDigest:
    """The sha256 of the CSV text of ``path`` and whether that text ends with a line break.

    One pass serves both: a ``.csv.gz`` must be decompressed to learn its last byte, and the
    hash reads it all anyway. Raises OSError, EOFError or zlib.error if it cannot be read.
    """
    digest = hashlib.sha256()
    last = b""
    with _open_binary(path) as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            last = block[-1:]
    # An empty file has no rows to cut; the header check refuses it with its own message.
    return FileDigest(digest.hexdigest(), ends_with_line_break=last in (b"", b"\n"))


def file_sha256(path: Path) -> str:
    """The sha256 of the CSV text of ``path``, after gzip decompression for ``.csv.gz``.

    Hashing the content rather than the compressed bytes means the same month imported as
    ``.csv`` and later as ``.csv.gz`` is recognised as the same file (``sha256sum`` of a plain
    ``.csv`` gives the same value).
    """
    return file_digest(path).sha256


def _ends_with_line_break(path: Path) -> bool:
    """Whether the CSV text of ``path`` ends with a line break (cheap for a plain file)."""
    if path.name.lower().endswith(".gz"):
        return file_digest(path).ends_with_line_break
    with path.open("rb") as fh:
        if fh.seek(0, os.SEEK_END) == 0:
            return True
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def _short(value: str) -> str:
    if len(value) > _MAX_VALUE_IN_MESSAGE:
        return value[: _MAX_VALUE_IN_MESSAGE - 1] + "…"
    return value


def check_header(source: SourceFile) -> None:
    """Refuse ``source`` unless its first line is exactly its dataset's header.

    Raises :class:`InvalidFileError` at row 1 naming the first missing or unexpected column,
    or the column in which the file ends if it ends inside the header.
    """
    path, dataset = source.path, source.dataset
    try:
        with _open_binary(path) as fh:
            first = fh.readline()
    except _GZIP_ERRORS as exc:
        if not source.compressed:
            raise InvalidFileError(path, None, f"cannot be read: {exc}") from exc
        if isinstance(exc, gzip.BadGzipFile):
            raise InvalidFileError(path, None, NOT_GZIP) from exc
        raise InvalidFileError(
            path,
            None,
            _damaged(exc, "before the end of the header (no column applies)"),
            row=1,
        ) from exc
    if not first.strip(b"\r\n"):
        problem = "the file is empty" if not first else "the first line is blank"
        raise InvalidFileError(
            path,
            None,
            f"{problem}; expected the {dataset.suffix} header: {dataset.header_line}",
            row=1 if first else None,
        )
    ended = first.endswith(b"\n")
    try:
        text = _decode(first, first_line=True)
    except UnicodeDecodeError as exc:
        raise InvalidFileError(path, None, "the header is not UTF-8 text", row=1) from exc
    stray = _stray_cr(text)
    if stray is not None:
        field, problem = stray
        column = None if field is None else dataset.headers[min(field, len(dataset.headers) - 1)]
        raise InvalidFileError(path, column, problem, row=1)
    text = text.rstrip("\r\n")
    found = next(csv.reader([text]))
    expected = list(dataset.headers)
    if found == expected and ended:
        return
    if not ended and dataset.header_line.startswith(text):
        raise InvalidFileError(path, expected[len(found) - 1], TRUNCATED, row=1)
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


#: The sentinel column past the dataset's last, and whether a row had exactly its fields.
_EXTRA = "_vawg_extra_field"
_SHAPE_OK = "_vawg_fields_ok"
#: A null string no field holds, so that an empty field reads as '' and only a field the
#: row lacks (padded by DuckDB) is NULL.
_NO_NULL = "\x00vawg-no-null\x00"


def _value_checks(source: SourceFile) -> list[str]:
    """SQL boolean expressions over the VARCHAR table, each true when a row is valid."""
    dataset = source.dataset
    names = {c.name for c in dataset.columns}
    checks = []
    if dataset.has_month_column:
        checks.append(f"month IS NOT DISTINCT FROM {_sql_literal(source.month)}")
    if "reported_by" in names:
        listed = ", ".join(_sql_literal(n) for n in reported_by_names(source.force))
        checks.append(f"coalesce(reported_by, '') IN ({listed})")
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


def load_csv(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    table: str,
    *,
    ends_with_line_break: bool | None = None,
) -> LoadedFile:
    """Validate ``source`` and load it into the table ``table`` (all VARCHAR) of ``con``.

    Use an in-memory connection (see :func:`loading_connection`).

    Checks the header first, then that the file ends with a line break (a file without one
    was cut off, and DuckDB would accept its clipped last value), then parses with DuckDB and
    checks every value. On any problem raises :class:`InvalidFileError` naming the file, the
    1-based physical line (the header is row 1), the column and what was expected. ``table``
    is replaced if it exists. ``ends_with_line_break`` may be passed from a
    :func:`file_digest` already taken, which saves decompressing a ``.csv.gz`` once more.
    """
    check_header(source)
    if "reported_by" in {c.name for c in source.dataset.columns} and not reported_by_names(
        source.force
    ):
        raise InvalidFileError(
            source.path,
            None,
            f"'{source.force}' in the file name is not a data.police.uk force, so the rows' "
            "'Reported by' cannot be checked against it; data.police.uk names files with its "
            "force ids, e.g. 2024-12-cambridgeshire-street.csv",
        )
    if ends_with_line_break is None:
        try:
            ends_with_line_break = _ends_with_line_break(source.path)
        except _GZIP_ERRORS as exc:
            raise explain_unreadable(source) from exc
    if not ends_with_line_break:
        raise _locate(source, fallback=TRUNCATED)
    rejects = f"{table}_rejects"
    con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"DROP TABLE IF EXISTS {rejects}")
    con.execute(f"DROP TABLE IF EXISTS {rejects}_scan")
    shape_checked = True
    try:
        _read_csv(con, source, table, rejects, padded=True)
    except duckdb.Error as exc:
        # DuckDB gives up on some damage (mixed line endings, a broken gzip stream) without
        # a line number; the Python scan finds the place. In padding mode it also refuses a
        # line break inside a quoted value, which is valid: when the (exact) scan finds
        # nothing wrong, every row has its fields, so the plain read is safe.
        # The scan's line-ending verdict only explains a failure of the plain read: a line
        # break in a quoted value also looks like a change of line ending to it.
        error, _ = scan_for_errors(source)
        if error is not None and MIXED_ENDINGS not in error.problem:
            raise error from exc
        for name in (table, rejects, f"{rejects}_scan"):
            con.execute(f"DROP TABLE IF EXISTS {name}")
        try:
            _read_csv(con, source, table, rejects, padded=False)
        except duckdb.Error as plain:
            if error is not None:
                raise error from plain
            raise _locate(source, fallback=str(plain).splitlines()[0]) from plain
        shape_checked = False
    # NOTE: the S608 exemptions here: table names are ours and the checks are built from the
    # fixed dataset definitions with escaped literals; no file content enters the SQL.
    rejected_lines, first_reject = con.execute(
        f"SELECT count(DISTINCT line), min(line) FROM {rejects}"  # noqa: S608
    ).fetchone() or (0, None)
    valid = " AND ".join([*_value_checks(source), *([_SHAPE_OK] if shape_checked else [])])
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
    if not rows:
        con.execute(f"DROP TABLE IF EXISTS {table}")
        raise InvalidFileError(source.path, None, HEADER_ONLY)
    return LoadedFile(source=source, table=table, rows=int(rows))


def _read_csv(
    con: duckdb.DuckDBPyConnection, source: SourceFile, table: str, rejects: str, *, padded: bool
) -> None:
    """Parse ``source`` into ``table`` (all VARCHAR, empty values NULL), rejects kept aside.

    ``padded``: DuckDB 2.0 silently drops empty fields after the last column ("a,b,c,,"
    reads as three fields even in strict mode), so a row with extra empty fields would pass.
    One sentinel column more, with padding and no null string, shows each row's real shape:
    a present field reads as '' when empty, a padded (missing) one as NULL, and an extra
    field fills the sentinel; the column ``_SHAPE_OK`` records the verdict, and empty values
    are turned back into NULL, as the store expects.
    """
    names = [c.name for c in source.dataset.columns]
    if padded:
        columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in [*names, _EXTRA]) + "}"
        values = ", ".join(f"nullif({n}, '') AS {n}" for n in names)
        select = f"{values}, ({_EXTRA} IS NULL AND {names[-1]} IS NOT NULL) AS {_SHAPE_OK}"
        padding = f"null_padding = true, nullstr = {_sql_literal(_NO_NULL)},"
    else:
        columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
        select, padding = "*", ""
    # Explicit columns and no sniffing: the header was checked, and sniffing would both cost
    # time and guess types we do not want. skip=1 leaves the header (and any BOM) out, while
    # the rejects table still counts physical lines from the file start.
    con.execute(
        f"""
        CREATE TABLE {table} AS
        SELECT {select} FROM read_csv(
            ?, columns = {columns}, header = false, skip = 1, auto_detect = false,
            delim = ',', quote = '"', escape = '"', strict_mode = true, {padding}
            max_line_size = {MAX_FIELD_BYTES},
            store_rejects = true, rejects_table = '{rejects}',
            rejects_scan = '{rejects}_scan'
        )
        """,  # noqa: S608 - table names are ours; the path is a parameter
        [str(source.path)],
    )


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


def explain_unreadable(source: SourceFile) -> InvalidFileError:
    """The error for a file that could not be read through (a damaged ``.csv.gz``).

    Names the row where reading stopped, and the column when it stopped inside a row.
    """
    return _locate(source, fallback="the file cannot be read to its end")


#: The problem stated for a ``.gz`` file that does not start like one.
NOT_GZIP = (
    "not a gzip file: the name ends .gz but the content is not gzip-compressed; rename it "
    "to .csv if it is plain CSV, or download or copy it again"
)

#: The problem stated for a file with a header and no rows.
HEADER_ONLY = (
    "the file holds a header but no rows; a data.police.uk month file always has rows "
    "(a force with nothing to report that month has no file), so this one was cut off or "
    "exported empty. Nothing was imported: importing it would replace the month's data "
    "with nothing. Download or copy the file again"
)

#: The problem stated for a file whose last row has no line break.
TRUNCATED = (
    "the file ends in the middle of a row (no line break after the last row); it looks "
    "truncated: data.police.uk files end every row, the last one too, with a line break "
    "(CRLF). Download or copy the file again"
)


#: The longest line (and so field) a file may hold. data.police.uk lines are a few hundred
#: bytes; the limit only guards memory. Python's csv module must allow the same, or its scan
#: would report a valid long field as the file's problem.
MAX_FIELD_BYTES = 64 * 1024 * 1024
csv.field_size_limit(MAX_FIELD_BYTES)


def _decode(raw: bytes, *, first_line: bool) -> str:
    """``raw`` as UTF-8 text; a multi-byte character cut off at the end of the file is dropped.

    A truncated file can end half-way through a character: that is the truncation, reported
    as such, not a text-encoding problem of the row.
    """
    encoding = "utf-8-sig" if first_line else "utf-8"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if raw.endswith(b"\n") or exc.end != len(raw) or exc.reason != "unexpected end of data":
            raise
        return raw[: exc.start].decode(encoding)


def _raw_lines(fh: io.BufferedIOBase, state: _ScanState) -> Iterator[bytes]:
    """The physical lines of ``fh``; on a decompression error, what was read, then stop.

    Reads blocks rather than lines, and with ``read1`` (one decompression step at a time),
    so that all the text before the point where a damaged ``.gz`` breaks is kept and the
    place can be named by row and column: a line or a full-size read discards the data it
    had gathered when the error comes.
    """
    pending: list[bytes] = []
    while True:
        try:
            block = fh.read1(1 << 20)
        except _GZIP_ERRORS as exc:
            state.damage = exc
            break
        if not block:
            break
        parts = block.split(b"\n")
        if len(parts) > 1:
            yield b"".join([*pending, parts[0], b"\n"])
            for part in parts[1:-1]:
                yield part + b"\n"
            pending = []
        if parts[-1]:
            pending.append(parts[-1])
    if pending:
        yield b"".join(pending)


def _decoded_lines(path: Path, state: _ScanState) -> Iterator[str]:
    """The file's physical lines as text, counting them in ``state``.

    Decoding per line (not the whole stream) lets a bad byte be reported with its line.
    """
    with _open_binary(path) as fh:
        for raw in _raw_lines(fh, state):
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
                text = _decode(raw, first_line=state.line == 1)
            except UnicodeDecodeError as exc:
                raise _BadLineError(state.line, "the text is not UTF-8") from exc
            # The csv module reports a stray CR without a place, and with CR CR LF endings it
            # silently reads blank records (DuckDB refuses both): find it here, by field.
            stray = _stray_cr(text, quoted=_open_quote("".join(state.record)))
            if stray is not None:
                raise _BadLineError(state.line, stray[1], field=stray[0])
            state.record.append(text)
            yield text


@dataclass
class _ScanState:
    line: int = 0  # number of the last physical line read
    ended: bool = True  # whether that line ended with a line break
    ending: str | None = None  # "CRLF" or "LF", as the first line ends
    mixed: tuple[int, str, str] | None = None  # first line ending otherwise, and the two kinds
    damage: BaseException | None = None  # why decompression stopped early, if it did
    record: list[str] = field(default_factory=list)  # lines read since the last record

    def take_record(self) -> str:
        """The text of the record just read (or being read), forgetting it."""
        text = "".join(self.record)
        self.record.clear()
        return text


class _BadLineError(Exception):
    def __init__(self, line: int, problem: str, *, field: int | None = None) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem
        self.field = field  # 0-based field of the record where the problem is, if known


def _open_quote(text: str) -> bool:
    """Whether ``text`` (the start of a record) ends inside a quoted value."""
    return text.count('"') % 2 == 1  # an escaped quote ("") counts twice


#: How the scan ends its problem when a file's line endings change part-way.
MIXED_ENDINGS = "save the file with one kind of line ending"

#: The problem stated for a line ending CR CR LF.
DOUBLE_CR = (
    "the line ends with CR CR LF (a doubled carriage return, as when a file with CRLF line "
    "endings is converted to CRLF again); save the file with CRLF or LF line endings"
)


def _stray_cr(line: str, *, quoted: bool = False) -> tuple[int | None, str] | None:
    """(0-based field or None, problem) for a CR in ``line`` outside quotes, or None.

    ``line`` is one physical line with its ending; ``quoted`` says whether it starts inside a
    quoted value (a value spanning lines). A CR is only allowed in quotes or before the LF
    that ends the line.
    """
    body = line[:-2] if line.endswith("\r\n") else line[:-1] if line.endswith("\n") else line
    if not line.endswith("\n") and body.endswith("\r"):
        # The file's last line, cut between CR and LF: the truncation check reports it.
        body = body[:-1]
    if "\r" not in body:
        return None
    field = 0
    for at, char in enumerate(body):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == ",":
            field += 1
        elif char == "\r":
            if at == len(body) - 1 and line.endswith("\r\n"):
                return None, DOUBLE_CR
            return field, (
                "a carriage return (CR) inside a value that is not in quotes; a line break "
                "within a value must be quoted, and lines must end with CRLF or LF (not a "
                "lone CR). Remove the CR or quote the value"
            )
    return None


def _fields_begun(text: str) -> int:
    """How many fields the (possibly cut) record ``text`` begins: separators outside quotes.

    Counted by hand because a record cut inside a quoted field is an error to the csv module.
    """
    quoted = False
    fields = 1
    for char in text:
        if char == '"':
            quoted = not quoted  # an escaped quote ("") toggles twice
        elif char == "," and not quoted:
            fields += 1
    return fields


def scan_for_errors(source: SourceFile) -> tuple[InvalidFileError | None, int]:
    """Scan ``source`` with Python's csv module: (first problem or None, number of bad rows).

    Slow but exact about physical line numbers; used only once the fast path found a problem.
    The header is assumed checked (see :func:`check_header`). A last row with no line break
    after it, or one in which a damaged ``.gz`` stops, is reported with the column it ends in.
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
    first: tuple[int | None, str | None, str] | None = None
    bad_rows = 0
    state = _ScanState()
    reader = csv.reader(_decoded_lines(source.path, state), strict=True)
    previous_end = 0
    cut: tuple[int, str] | None = None  # (row, text) of a record the end of the file cuts off
    try:
        for record in reader:
            start = previous_end + 1  # a quoted field may span lines: report where it starts
            previous_end = state.line
            text = state.take_record()
            if not state.ended:
                cut = (start, text)  # no line break: the file's last record, perhaps clipped
                break
            if start == 1 or not record:
                continue  # the header, or a blank line (DuckDB skips those too)
            problem = _row_problem(
                record, source, headers, month_at, coords, booleans, index.get("reported_by")
            )
            if problem is not None:
                bad_rows += 1
                if first is None:
                    first = (start, *problem)
    except _BadLineError as exc:
        bad_rows += 1
        if first is None or exc.line < first[0]:
            column = None if exc.field is None else headers[min(exc.field, len(headers) - 1)]
            first = (exc.line, column, exc.problem)
    except csv.Error as exc:
        if not state.ended:
            cut = (previous_end + 1, state.take_record())  # cut inside a quoted value
        else:
            bad_rows += 1
            if first is None:
                first = (previous_end + 1, None, f"malformed CSV quoting ({exc})")
    if first is not None and source.compressed and state.damage is None:
        # The scan stopped at the first garbled row; a damaged stream garbles text before
        # zlib notices, so read on to learn whether damage, not the row, is the cause.
        damage = _gzip_damage(source.path)
        if damage is not None:
            first = (
                first[0],
                first[1],
                f"{first[2]}; the compressed (.gz) file is damaged ({damage}), which is the "
                "likely cause: download or copy it again",
            )
    ending = _ending_problem(state, cut, headers)
    if ending is not None:
        if ending[0] is not None:
            bad_rows += 1  # a file that is not gzip at all has no row to reject
        if first is None:
            first = ending
        elif ending[0] is not None and first[0] is not None and ending[0] > first[0]:
            first = (
                first[0],
                first[1],
                f"{first[2]}; also, row {ending[0]}: {ending[2]}",
            )
    if first is None and state.mixed is not None:
        # DuckDB cannot read a file whose line endings change part-way, and says so without a
        # line number; nothing else is wrong, so name the line where they change.
        line, ending_kind, before = state.mixed
        first = (
            line,
            None,
            f"this line ends with {ending_kind} but the lines before end with {before}; "
            + MIXED_ENDINGS,
        )
        bad_rows += 1
    if first is None:
        return None, bad_rows
    line, column, problem = first
    return InvalidFileError(
        source.path, column, problem, row=line, rows_rejected=bad_rows
    ), bad_rows


def _gzip_damage(path: Path) -> BaseException | None:
    """Why the ``.gz`` at ``path`` cannot be decompressed to its end, or None if it can."""
    try:
        with _open_binary(path) as fh:
            while fh.read1(1 << 20):
                pass
    except _GZIP_ERRORS as exc:
        return exc
    return None


def _ending_problem(
    state: _ScanState, cut: tuple[int, str] | None, headers: tuple[str, ...]
) -> tuple[int | None, str | None, str] | None:
    """(row, column, problem) if the file stops early: cut off mid-row or a damaged .gz."""
    if cut is None and state.damage is None:
        return None
    if cut is None and state.line == 0 and isinstance(state.damage, gzip.BadGzipFile):
        # Not one line could be decompressed: no row is at fault, the file is not gzip.
        return None, None, NOT_GZIP
    if cut is None:
        # The break fell on a line boundary: no value was cut, so there is no column to name.
        where = "at the end of this row (no column applies: no row was cut part-way)"
        return state.line, None, _damaged(state.damage, where)
    row, text = cut
    fields = _fields_begun(text.rstrip("\r\n"))
    if fields > len(headers):
        column = headers[-1]
        where = f"in this row, which has {fields} fields where {len(headers)} are expected"
    else:
        column = headers[fields - 1]
        where = f"in this row, in this column ('{column}')"
    if state.damage is not None:
        return row, column, _damaged(state.damage, where)
    problem = TRUNCATED
    if fields > len(headers):
        problem = f"{_too_many_fields(fields, headers)}; {TRUNCATED}"
    return row, column, problem


def _too_many_fields(found: int, headers: tuple[str, ...]) -> str:
    """The problem of a row with more fields than the header; the row names the last column.

    The extra values have no column of their own, so the place given is where they start.
    """
    extra = found - len(headers)
    values = "value" if extra == 1 else "values"
    return (
        f"{found} fields, expected {len(headers)}: {extra} more {values} after column "
        f"'{headers[-1]}', the last one (an unquoted comma in a value?)"
    )


def _damaged(damage: BaseException | None, where: str) -> str:
    return f"the compressed (.gz) file is damaged or cut short ({damage}); reading stopped {where}"


def _row_problem(
    record: list[str],
    source: SourceFile,
    headers: tuple[str, ...],
    month_at: int | None,
    coords: list[tuple[str, int, float]],
    booleans: list[tuple[str, int]],
    reported_at: int | None = None,
) -> tuple[str | None, str] | None:
    """(column, problem) for the first thing wrong with one record, or None."""
    if len(record) > len(headers):
        return headers[-1], _too_many_fields(len(record), headers)
    if len(record) < len(headers):
        missing = headers[len(record)]
        after = len(headers) - len(record) - 1
        rest = f"this column and the {after} after it are" if after else "this column is"
        return missing, (
            f"expected {len(headers)} fields, found {len(record)}: the row ends after column "
            f"'{headers[len(record) - 1]}', so {rest} missing"
        )
    if month_at is not None:
        value = record[month_at]
        if value != source.month:
            if not value:
                return "Month", f"empty; expected {source.month}, the month in the file name"
            if not is_month(value):
                return "Month", f"'{_short(value)}' is not a month written YYYY-MM"
            return "Month", (f"'{value}' differs from {source.month}, the month in the file name")
    if reported_at is not None:
        value = record[reported_at]
        names = reported_by_names(source.force)
        if value not in names:
            wanted = " or ".join(f"'{n}'" for n in names)
            return "Reported by", (
                f"expected {wanted} (the force in the file name, '{source.force}'), found "
                f"'{_short(value)}': is the file misnamed, or another force's file?"
            )
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
