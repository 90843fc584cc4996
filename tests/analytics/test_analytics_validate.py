"""The validator on real files and on broken copies of them."""

from __future__ import annotations

import csv
import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from realdata import STREET_2024, need
from vawg.analytics.police_uk import detect
from vawg.analytics.validate import InvalidFileError, file_sha256, load_csv


@pytest.fixture
def street_2024() -> Path:
    """The folder of the twelve 2024 Cambridgeshire street files."""
    return need(STREET_2024)


JANUARY = "2024-01-cambridgeshire-street.csv"


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def january(street_2024: Path) -> Path:
    return street_2024 / JANUARY


def csv_rows(path: Path) -> list[list[str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def edited_copy(src: Path, folder: Path, edit, name: str = JANUARY) -> Path:
    """A copy of ``src`` with ``edit(lines)`` applied to its physical lines (as bytes)."""
    lines = src.read_bytes().splitlines(keepends=True)
    dest = folder / name
    dest.write_bytes(b"".join(edit(lines)))
    return dest


def load(con, path: Path):
    return load_csv(con, detect(path), "t")


def test_real_month_loads_with_every_row(con, january):
    loaded = load(con, january)
    assert loaded.rows == len(csv_rows(january)) - 1
    months = con.execute("SELECT DISTINCT month FROM t").fetchall()
    assert months == [("2024-01",)]


def test_renamed_header_column_is_named_at_row_1(con, january, tmp_path):
    def rename(lines):
        lines[0] = lines[0].replace(b"Crime type", b"Crime category")
        return lines

    with pytest.raises(InvalidFileError) as caught:
        load(con, edited_copy(january, tmp_path, rename))
    error = caught.value
    assert (error.path.name, error.row, error.column) == (JANUARY, 1, "Crime type")
    assert str(error).startswith(f"{JANUARY}, row 1, column Crime type: missing column")
    assert "'Crime category'" in str(error)


def test_outcomes_header_in_a_street_file_is_called_out(con, january, tmp_path):
    def outcomes_header(lines):
        lines[0] = (
            b"Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
            b"LSOA code,LSOA name,Outcome type\r\n"
        )
        return lines[:1]

    with pytest.raises(InvalidFileError, match="this is the outcomes header"):
        load(con, edited_copy(january, tmp_path, outcomes_header))


def test_bad_month_names_row_column_and_value(con, january, tmp_path):
    def bad_month(lines):
        lines[6] = lines[6].replace(b",2024-01,", b",2024/01,")  # physical line 7
        return lines

    with pytest.raises(InvalidFileError) as caught:
        load(con, edited_copy(january, tmp_path, bad_month))
    assert str(caught.value) == (
        f"{JANUARY}, row 7, column Month: '2024/01' is not a month written YYYY-MM"
    )
    assert caught.value.rows_rejected == 1


def test_month_other_than_the_file_names_is_refused(con, january, tmp_path):
    def other_month(lines):
        lines[99] = lines[99].replace(b",2024-01,", b",2024-02,")
        return lines

    with pytest.raises(
        InvalidFileError, match=r"row 100, column Month: '2024-02' differs from 2024-01"
    ):
        load(con, edited_copy(january, tmp_path, other_month))


def test_file_cut_mid_line_names_the_last_row(con, january, tmp_path):
    data = january.read_bytes()
    cut = data[: data.index(b"\n", 50_000) + 120]  # 120 bytes into a line
    path = tmp_path / JANUARY
    path.write_bytes(cut)
    last_line = cut.count(b"\n") + 1
    fields = len(next(csv.reader([cut.splitlines()[-1].decode()])))
    header = next(csv.reader([data.splitlines()[0].decode("utf-8-sig")]))

    with pytest.raises(InvalidFileError) as caught:
        load(con, path)
    assert (caught.value.row, caught.value.column) == (last_line, header[fields - 1])
    assert str(caught.value).startswith(
        f"{JANUARY}, row {last_line}, column {header[fields - 1]}: the file ends in the middle "
        "of a row (no line break after the last row); it looks truncated"
    )


def test_short_row_in_the_middle_names_its_line(con, january, tmp_path):
    def short_row(lines):
        lines[41] = b"x,2024-01,a,b,c\r\n"  # physical line 42
        return lines

    with pytest.raises(
        InvalidFileError,
        match=rf"^{JANUARY}, row 42, column Latitude: expected 12 fields, found 5: the row "
        "ends after column 'Longitude', so this column and the 6 after it are missing$",
    ):
        load(con, edited_copy(january, tmp_path, short_row))


def test_row_with_too_many_fields_is_counted_exactly(con, january, tmp_path):
    def long_row(lines):
        lines[9] = lines[9].rstrip(b"\r\n") + b",extra,more\r\n"
        return lines

    with pytest.raises(InvalidFileError) as caught:
        load(con, edited_copy(january, tmp_path, long_row))
    error = caught.value
    assert (error.row, error.column) == (10, "Context")
    assert str(error).startswith(
        f"{JANUARY}, row 10, column Context: 14 fields, expected 12: 2 more values after "
        "column 'Context', the last one"
    )
    assert error.rows_rejected == 1


@pytest.mark.parametrize("extra", [b",", b",,"])
def test_extra_empty_fields_are_refused(con, january, tmp_path, extra):
    """DuckDB drops empty fields past the last column; the import must not (fuzz example)."""

    def trailing(lines):
        lines[9] = lines[9].rstrip(b"\r\n") + extra + b"\r\n"
        return lines

    with pytest.raises(InvalidFileError) as caught:
        load(con, edited_copy(january, tmp_path, trailing))
    fields = 12 + len(extra)
    assert (caught.value.row, caught.value.column) == (10, "Context")
    assert f"{fields} fields, expected 12" in str(caught.value)


def test_empty_values_are_stored_as_null(con, january):
    load(con, january)
    empty, context = con.execute(
        "SELECT count(*) FILTER (WHERE crime_id = ''), count(context) FROM t"
    ).fetchone()
    assert (empty, context) == (0, 0)  # the real file's Context is always empty


def test_longitude_must_be_a_number(con, january, tmp_path):
    def text_longitude(lines):
        fields = lines[4].split(b",")
        fields[4] = b"east"
        lines[4] = b",".join(fields)
        return lines

    with pytest.raises(InvalidFileError, match="row 5, column Longitude: 'east' is not a number"):
        load(con, edited_copy(january, tmp_path, text_longitude))


def test_latitude_out_of_range_is_refused(con, january, tmp_path):
    def far_north(lines):
        fields = lines[4].split(b",")
        fields[5] = b"152.2"
        lines[4] = b",".join(fields)
        return lines

    with pytest.raises(
        InvalidFileError, match=r"row 5, column Latitude: 152\.2 is outside -90 to 90"
    ):
        load(con, edited_copy(january, tmp_path, far_north))


def test_bom_is_tolerated(con, january, tmp_path):
    path = edited_copy(january, tmp_path, lambda lines: [b"\xef\xbb\xbf" + lines[0], *lines[1:]])
    assert load(con, path).rows == len(csv_rows(january)) - 1


@pytest.mark.parametrize("blank_lines", [0, 2])
def test_header_only_file_is_refused(con, january, tmp_path, blank_lines):
    """A month file with no rows would replace a good month with nothing."""
    path = edited_copy(january, tmp_path, lambda lines: lines[:1] + [b"\r\n"] * blank_lines)
    with pytest.raises(InvalidFileError) as caught:
        load(con, path)
    error = caught.value
    assert (error.row, error.column) == (None, None)
    assert str(error).startswith(
        f"{JANUARY}: the file holds a header but no rows; a data.police.uk month file always "
        "has rows"
    )


def _rename_force(lines: list[bytes]) -> list[bytes]:
    return [line.replace(b"Cambridgeshire Constabulary", b"Kent Police") for line in lines]


def test_rows_of_another_force_are_refused_at_the_first_row(con, january, tmp_path):
    path = edited_copy(january, tmp_path, lambda lines: lines, name="2024-01-kent-street.csv")
    with pytest.raises(InvalidFileError) as caught:
        load(con, path)
    error = caught.value
    assert (error.row, error.column) == (2, "Reported by")
    assert str(error) == (
        "2024-01-kent-street.csv, row 2, column Reported by: expected 'Kent Police' (the force "
        "in the file name, 'kent'), found 'Cambridgeshire Constabulary': is the file "
        "misnamed, or another force's file?"
    )
    assert error.rows_rejected == len(csv_rows(january)) - 1


def test_one_row_of_another_force_is_named(con, january, tmp_path):
    def one_row_back(lines):
        lines = _rename_force(lines)
        lines[41] = lines[41].replace(b"Kent Police", b"Cambridgeshire Constabulary", 1)
        return lines

    path = edited_copy(january, tmp_path, one_row_back, name="2024-01-kent-street.csv")
    with pytest.raises(InvalidFileError, match="row 42, column Reported by: expected 'Kent"):
        load(con, path)


def test_rows_naming_the_files_force_load(con, january, tmp_path):
    # Falls within is not checked (data.police.uk says it may come to differ).
    def kent_reporting(lines):
        lines = _rename_force(lines)
        lines[5] = lines[5].replace(b"Kent Police,Kent Police", b"Kent Police,Essex Police")
        return lines

    path = edited_copy(january, tmp_path, kent_reporting, name="2024-01-kent-street.csv")
    assert load(con, path).rows == len(csv_rows(january)) - 1
    assert con.execute("SELECT DISTINCT reported_by FROM t").fetchall() == [("Kent Police",)]


def test_unknown_force_in_the_file_name_is_refused(con, january, tmp_path):
    path = edited_copy(january, tmp_path, lambda lines: lines, name="2024-01-kentt-street.csv")
    with pytest.raises(InvalidFileError, match=r"^2024-01-kentt-street\.csv: 'kentt' in the file"):
        load(con, path)


def test_stray_carriage_return_names_row_and_column(con, january, tmp_path):
    def stray_cr(lines):
        lines[5] = lines[5].replace(b"Cambridgeshire Constabulary", b"Cambridgeshire\rX", 1)
        return lines

    with pytest.raises(InvalidFileError) as caught:
        load(con, edited_copy(january, tmp_path, stray_cr))
    error = caught.value
    assert (error.row, error.column) == (6, "Reported by")
    assert "a carriage return (CR) inside a value that is not in quotes" in str(error)


def test_stray_carriage_return_in_the_header_is_refused_not_raised(con, january, tmp_path):
    def stray_cr(lines):
        lines[0] = lines[0].replace(b"Month,", b"Mo\rnth,", 1)
        return lines

    with pytest.raises(InvalidFileError) as caught:
        load(con, edited_copy(january, tmp_path, stray_cr))
    assert (caught.value.row, caught.value.column) == (1, "Month")


@pytest.mark.parametrize("from_line", [0, 7])
def test_cr_cr_lf_line_endings_name_the_first_such_row(con, january, tmp_path, from_line):
    def doubled(lines):
        return lines[:from_line] + [line.replace(b"\r\n", b"\r\r\n") for line in lines[from_line:]]

    with pytest.raises(InvalidFileError) as caught:
        load(con, edited_copy(january, tmp_path, doubled))
    error = caught.value
    assert (error.row, error.column) == (from_line + 1, None)
    assert "the line ends with CR CR LF" in str(error)


def test_empty_file_is_refused(con, tmp_path):
    path = tmp_path / JANUARY
    path.write_bytes(b"")
    with pytest.raises(
        InvalidFileError, match=rf"^{JANUARY}: the file is empty; expected the street"
    ):
        load(con, path)


def test_invalid_utf8_names_the_line(con, january, tmp_path):
    def latin1(lines):
        lines[2] = lines[2].replace(b"On or near", b"On or n\xe9ar")
        return lines

    with pytest.raises(InvalidFileError, match="row 3: the text is not UTF-8"):
        load(con, edited_copy(january, tmp_path, latin1))


def test_gzip_file_loads_and_hashes_as_its_content(con, january, tmp_path):
    gz = tmp_path / (JANUARY + ".gz")
    with january.open("rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert load(con, gz).rows == len(csv_rows(january)) - 1
    assert file_sha256(gz) == file_sha256(january)


def test_cut_gzip_file_is_refused_with_a_row(con, january, tmp_path):
    gz = tmp_path / (JANUARY + ".gz")
    with january.open("rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    gz.write_bytes(gz.read_bytes()[:20_000])
    with pytest.raises(InvalidFileError) as caught:
        load(con, gz)
    assert caught.value.row is not None
    assert caught.value.row > 1


def test_fake_gzip_says_not_gzip_without_a_row(con, january, tmp_path):
    fake = tmp_path / (JANUARY + ".gz")
    shutil.copyfile(january, fake)  # plain CSV under a .gz name
    with pytest.raises(InvalidFileError) as caught:
        load(con, fake)
    assert (caught.value.row, caught.value.column) == (None, None)
    assert str(caught.value).startswith(f"{JANUARY}.gz: not a gzip file: the name ends .gz")


def test_quoted_commas_in_real_data_are_kept(con, street_2024):
    # May 2024 has LSOA names such as "Bournemouth, Christchurch and Poole 009D".
    load(con, street_2024 / "2024-05-cambridgeshire-street.csv")
    names = con.execute("SELECT count(*) FROM t WHERE lsoa_name LIKE '%, %'").fetchone()
    assert names == (2,)
