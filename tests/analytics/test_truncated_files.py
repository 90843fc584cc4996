"""Shipped data.police.uk files cut off at chosen bytes are refused, naming row and column.

Every expected row and column is worked out here from the bytes of the cut, independently
of the validator: the row is the number of line breaks before the cut plus one, the column
is the header of the field in which the cut falls (the demo files quote no values, so a
field is what lies between commas).
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import duckdb
import pytest

from realdata import STREET_2024, need
from vawg.analytics.police_uk import DATASETS, detect
from vawg.analytics.validate import InvalidFileError, load_csv
from vawg.demo.setup import DEMO_POLICE_UK_DIR

OUTCOMES = "2019-01-cambridgeshire-outcomes.csv"
STREET = "2024-06-cambridgeshire-street.csv"
STOP = "2024-03-cambridgeshire-stop-and-search.csv"
DATASET_OF = {OUTCOMES: "outcomes", STREET: "street", STOP: "stop_and_search"}
TRUNCATED_START = (
    "the file ends in the middle of a row (no line break after the last row); it looks truncated"
)


def shipped_text(name: str) -> bytes:
    """The CSV text of a shipped demo file."""
    return gzip.decompress((DEMO_POLICE_UK_DIR / f"{name}.gz").read_bytes())


def headers(name: str) -> tuple[str, ...]:
    return DATASETS[DATASET_OF[name]].headers


def line_offsets(text: bytes) -> list[int]:
    """Byte offset where each physical line starts (index 0 is line 1)."""
    starts = [0]
    at = text.find(b"\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find(b"\n", at + 1)
    return starts[:-1] if starts[-1] == len(text) else starts


def field_start(text: bytes, line: int, field: int) -> int:
    """Byte offset of the first byte of field ``field`` (0-based) of physical line ``line``."""
    start = line_offsets(text)[line - 1]
    row = text[start : text.index(b"\n", start)]
    assert b'"' not in row, "the cut positions below assume an unquoted row"
    return start + sum(len(value) + 1 for value in row.split(b",")[:field])


def expected_place(text: bytes, cut: int, name: str) -> tuple[int, str]:
    """(row, column) in which a file made of ``text[:cut]`` ends, from its bytes alone."""
    kept = text[:cut]
    row = kept.count(b"\n") + 1
    last_line = kept[kept.rfind(b"\n") + 1 :]
    return row, headers(name)[last_line.count(b",")]


def write(folder: Path, name: str, data: bytes, *, gz: bool) -> Path:
    path = folder / (f"{name}.gz" if gz else name)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def refused(path: Path) -> InvalidFileError:
    con = duckdb.connect()
    try:
        with pytest.raises(InvalidFileError) as caught:
            load_csv(con, detect(path), "t")
        # Nothing was loaded: the fast path refused before creating the table.
        tables = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 't'"
        ).fetchone()
        assert tables == (0,)
    finally:
        con.close()
    return caught.value


def cut_positions(name: str) -> dict[str, tuple[int, int, str]]:
    """Named cuts of ``name``: (byte offset, expected row, expected column), chosen by hand."""
    text = shipped_text(name)
    last = len(headers(name)) - 1
    lines = len(line_offsets(text))
    middle = lines // 2
    end_of = {n: text.index(b"\r\n", line_offsets(text)[n - 1]) for n in (2, middle, lines)}

    def in_last_value(line: int) -> int:
        # Half-way through the last value; right after the last comma where it is empty
        # (street files often leave Context empty).
        start = field_start(text, line, last)
        return start + (end_of[line] - start) // 2

    return {
        "in the last value of the last row": (in_last_value(lines), lines, headers(name)[last]),
        # Between CR and LF: every value is whole, but the row's line break is not.
        "between CR and LF of the last row": (len(text) - 1, lines, headers(name)[last]),
        "in the last value of row 2": (in_last_value(2), 2, headers(name)[last]),
        "right after the CR of a middle row": (end_of[middle] + 1, middle, headers(name)[last]),
        "in the second value of a middle row": (
            field_start(text, middle, 1) + 2,
            middle,
            headers(name)[1],
        ),
        "right after a separator of a middle row": (
            field_start(text, middle, 4),
            middle,
            headers(name)[4],
        ),
        "in the first value of row 2": (field_start(text, 2, 0) + 5, 2, headers(name)[0]),
        "inside the header": (field_start(text, 1, 2) + 3, 1, headers(name)[2]),
    }


CASES = [
    (name, label)
    for name in (OUTCOMES, STREET, STOP)
    for label in (
        "in the last value of the last row",
        "between CR and LF of the last row",
        "in the last value of row 2",
        "right after the CR of a middle row",
        "in the second value of a middle row",
        "right after a separator of a middle row",
        "in the first value of row 2",
        "inside the header",
    )
]


@pytest.mark.parametrize("gz", [False, True], ids=["csv", "csv.gz"])
@pytest.mark.parametrize(("name", "label"), CASES)
def test_cut_file_is_refused_naming_row_and_column(tmp_path, name, label, gz):
    text = shipped_text(name)
    cut, row, column = cut_positions(name)[label]
    # The hand-chosen expectation agrees with the one read off the bytes.
    assert expected_place(text, cut, name) == (row, column)

    error = refused(write(tmp_path, name, text[:cut], gz=gz))

    assert (error.row, error.column) == (row, column)
    file_name = f"{name}.gz" if gz else name
    assert str(error).startswith(f"{file_name}, row {row}, column {column}: {TRUNCATED_START}")
    assert "CRLF" in str(error)


def test_whole_shipped_files_still_load(tmp_path):
    for name in (OUTCOMES, STREET, STOP):
        text = shipped_text(name)
        con = duckdb.connect()
        loaded = load_csv(con, detect(DEMO_POLICE_UK_DIR / f"{name}.gz"), "t")
        con.close()
        assert loaded.rows == text.count(b"\r\n") - 1


def test_cut_inside_a_quoted_value_names_its_column(tmp_path):
    # May 2024 holds LSOA names such as "Bournemouth, Christchurch and Poole 009D".
    text = (need(STREET_2024) / "2024-05-cambridgeshire-street.csv").read_bytes()
    quote = text.index(b',"') + 1
    cut = quote + 8  # inside the quotes, before the comma they protect
    line_start = text.rfind(b"\n", 0, quote) + 1
    fields_before = text[line_start:quote].count(b",")

    error = refused(write(tmp_path, "2024-05-cambridgeshire-street.csv", text[:cut], gz=False))

    assert error.row == text[:cut].count(b"\n") + 1
    assert error.column == DATASETS["street"].headers[fields_before] == "LSOA name"
    assert TRUNCATED_START in str(error)


def test_cut_inside_a_multibyte_character_is_a_truncation_not_bad_text(tmp_path):
    text = shipped_text(OUTCOMES)
    lines = len(line_offsets(text))
    # "é" is two bytes in UTF-8: cut between them, in the last value of the last row.
    edited = text[:-2] + "é".encode() + b"\r\n"
    error = refused(write(tmp_path, OUTCOMES, edited[:-3], gz=False))
    assert (error.row, error.column) == (lines, "Outcome type")
    assert TRUNCATED_START in str(error)


def test_short_row_names_the_first_missing_column(tmp_path):
    text = shipped_text(OUTCOMES)
    start = line_offsets(text)[6]  # physical line 7
    end = text.index(b"\n", start) + 1
    cut_row = b",".join(text[start:end].split(b",")[:6]) + b"\r\n"  # 6 of 10 fields
    error = refused(write(tmp_path, OUTCOMES, text[:start] + cut_row + text[end:], gz=False))
    assert (error.row, error.column) == (7, "Location")
    assert str(error) == (
        f"{OUTCOMES}, row 7, column Location: expected 10 fields, found 6: the row ends after "
        "column 'Latitude', so this column and the 3 after it are missing"
    )


def test_row_missing_only_its_last_field_names_it(tmp_path):
    text = shipped_text(STOP)
    start = line_offsets(text)[9]  # physical line 10
    end = text.index(b"\n", start) + 1
    row = text[start:end].rstrip(b"\r\n")
    shortened = row[: row.rindex(b",")] + b"\r\n"
    error = refused(write(tmp_path, STOP, text[:start] + shortened + text[end:], gz=False))
    assert (error.row, error.column) == (10, "Removal of more than just outer clothing")
    assert "so this column is missing" in str(error)


@pytest.mark.parametrize("fraction", [0.3, 0.5, 0.9])
def test_cut_gzip_stream_names_where_reading_stopped(tmp_path, fraction):
    compressed = (DEMO_POLICE_UK_DIR / f"{OUTCOMES}.gz").read_bytes()
    cut = compressed[: int(len(compressed) * fraction)]
    # What any gzip reader can recover from the cut bytes, decompressed independently.
    readable = zlib.decompressobj(wbits=31).decompress(cut)
    assert not readable.endswith(b"\n")
    row, column = expected_place(readable, len(readable), OUTCOMES)
    path = tmp_path / f"{OUTCOMES}.gz"
    path.write_bytes(cut)

    error = refused(path)

    assert (error.row, error.column) == (row, column)
    assert str(error).startswith(
        f"{OUTCOMES}.gz, row {row}, column {column}: the compressed (.gz) file is damaged or "
        "cut short (Compressed file ended before the end-of-stream marker was reached); "
        f"reading stopped in this row, in this column ('{column}')"
    )


def test_gzip_without_its_trailer_names_the_last_row_and_no_column(tmp_path):
    compressed = (DEMO_POLICE_UK_DIR / f"{OUTCOMES}.gz").read_bytes()
    rows = shipped_text(OUTCOMES).count(b"\n")
    path = tmp_path / f"{OUTCOMES}.gz"
    path.write_bytes(compressed[:-8])  # the CRC and size trailer gone; all text readable

    error = refused(path)

    assert (error.row, error.column) == (rows, None)
    assert "the compressed (.gz) file is damaged or cut short" in str(error)
    assert "no column applies" in str(error)


def test_gzip_cut_inside_its_header_says_so(tmp_path):
    compressed = (DEMO_POLICE_UK_DIR / f"{OUTCOMES}.gz").read_bytes()
    path = tmp_path / f"{OUTCOMES}.gz"
    path.write_bytes(compressed[:40])
    error = refused(path)
    assert (error.row, error.column) == (1, None)
    assert "damaged or cut short" in str(error)
    assert "before the end of the header (no column applies)" in str(error)
