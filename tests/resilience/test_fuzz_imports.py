"""Property tests: an importer fed malformed files imports them whole or refuses them cleanly.

For data.police.uk CSVs (and force system extracts in CSV and XLSX), whatever the bytes:

- either the run succeeds, and then every file's rows are in the Parquet store exactly as
  Python's csv module reads them (row count and the values of a free-text column);
- or it raises the project's own error (``ImportFailedError``, a ``VawgError``) whose message
  names the refused file (with row and column where the problem has a place), and the
  database's imported files and the Parquet store are exactly as before: never a partial
  import, never another exception.

The generated files mix valid and broken features: encodings (UTF-8 with and without BOM,
latin-1, UTF-16, stray invalid bytes), missing, extra and reordered columns, 1 MB fields,
quotes, commas and line breaks inside values, empty and header-only files, cut-off files,
wrong Month values, LF, CRLF and mixed line endings, blank lines, gzip and damaged gzip. A
definite defect (say a Month that is not the file's month) must be refused, and where its
place is known the error must name that row and column; a file with no defect must be
accepted. Workbooks that are cut, damaged, not zips at all, hold formulas, extra sheets,
40,000-character cells or nothing are checked case by case at the end.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import itertools
import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from django.conf import settings
from hypothesis import HealthCheck, Phase, event, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from vawg.errors import InputFileError, VawgError
from vawg.imports.models import ImportedFile, ImportRun
from vawg.imports.services import ImportFailedError, import_police_uk

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=40,
    database=None,  # no .hypothesis folder in the working tree
    # CI replays the same examples every run, so a red build means a change broke something;
    # developers' runs draw new examples and keep exploring.
    derandomize=bool(os.environ.get("CI")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No "explain" phase: re-running 1 MB examples to explain them takes minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
)

# The data.police.uk headers, written out here rather than taken from the code under test.
HEADERS = {
    "street": [
        "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
        "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context",
    ],
    "outcomes": [
        "Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
        "Location", "LSOA code", "LSOA name", "Outcome type",
    ],
    "stop-and-search": [
        "Type", "Date", "Part of a policing operation", "Policing operation", "Latitude",
        "Longitude", "Gender", "Age range", "Self-defined ethnicity",
        "Officer-defined ethnicity", "Legislation", "Object of search", "Outcome",
        "Outcome linked to object of search", "Removal of more than just outer clothing",
    ],
}  # fmt: skip
# A free-text column whose values are compared with what the store holds.
TEXT_COLUMN = {"street": "Location", "outcomes": "Location", "stop-and-search": "Object of search"}
BOOLEANS = {
    "Part of a policing operation",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
}
COORDS = {"Longitude": 180, "Latitude": 90}
HUGE = 1_000_000

_examples = itertools.count()

# Real forces as data.police.uk names them in "Reported by", written out here rather than
# taken from the code under test; one per file of an example, so names never collide.
FUZZ_FORCES = (
    ("kent", "Kent Police"),
    ("devon-and-cornwall", "Devon & Cornwall Police"),
    ("metropolitan", "Metropolitan Police Service"),
)


# --- generating data.police.uk files --------------------------------------------------------


@dataclass
class Defect:
    what: str
    line: int | None = None  # physical line where the problem is, when known exactly
    column: str | None = None


@dataclass
class PoliceFile:
    name: str
    data: bytes
    suffix: str
    must_fail: list[Defect] = field(default_factory=list)
    may_fail: list[str] = field(default_factory=list)
    exact_place: bool = True  # the text is readable, so the first defect's place is known

    @property
    def clean(self) -> bool:
        return not self.must_fail and not self.may_fail

    def describe(self) -> str:
        shown = self.data[:300] + (b"..." if len(self.data) > 300 else b"")
        return (
            f"{self.name}: must fail {self.must_fail}, may fail {self.may_fail}, "
            f"{len(self.data)} bytes: {shown!r}"
        )


_awkward = st.sampled_from([",", '"', "\n", "\r\n", "é", "€", "😀", " ", "'", "=", "\t", "\x00"])
text_values = st.lists(st.one_of(st.text("abcXYZ019 -/", max_size=6), _awkward), max_size=4).map(
    "".join
)
months = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1990, 2099), st.integers(1, 12))


def _rare(draw, one_in: int) -> bool:
    """True about once in ``one_in`` draws."""
    return draw(st.integers(0, one_in - 1)) == 0


def _coordinate(limit: int):
    return st.one_of(
        st.just(""),
        st.floats(-limit, limit, allow_nan=False).map(lambda v: f"{v:.6f}"),
        st.integers(-limit, limit).map(str),
    )


@st.composite
def _value(draw, column: str, month: str, reported_by: str) -> str:
    if column == "Month":
        return month
    if column == "Reported by":
        return reported_by
    if column in COORDS:
        return draw(_coordinate(COORDS[column]))
    if column in BOOLEANS:
        return draw(st.sampled_from(["", "True", "False", "true", "FALSE"]))
    if column == "Date":
        return f"{month}-01T10:00:00+00:00"
    return draw(text_values)


_CRIME_ROW_DEFECTS = [
    "month-other",
    "month-garbage",
    "reported-by",
    "coord",
    "extra-field",
    "missing-field",
]
ROW_DEFECTS = {
    "street": _CRIME_ROW_DEFECTS,
    "outcomes": _CRIME_ROW_DEFECTS,
    "stop-and-search": ["bool", "coord", "extra-field", "missing-field"],
}


@st.composite
def _row(draw, suffix: str, month: str, reported_by: str) -> tuple[list[str], Defect | None]:
    header = HEADERS[suffix]
    values = [draw(_value(c, month, reported_by)) for c in header]
    if not _rare(draw, 12):
        return values, None
    kind = draw(st.sampled_from(ROW_DEFECTS[suffix]))
    if kind == "month-other":
        year, number = int(month[:4]), int(month[5:])
        number = (number - 1 + draw(st.integers(1, 11))) % 12 + 1
        other = f"{year:04d}-{number:02d}"
        values[header.index("Month")] = other
        return values, Defect(kind, column="Month")
    if kind == "month-garbage":
        garbage = draw(
            st.sampled_from(
                ["", month.replace("-", "/"), f" {month}", f"{month} ", "2024-13", "Jan", "NULL"]
            )
        )
        values[header.index("Month")] = garbage
        return values, Defect(kind, column="Month")
    if kind == "reported-by":
        # Another force's rows (or a name spelt otherwise) under this force's file name.
        other = draw(st.sampled_from(["Cambridgeshire Constabulary", reported_by.upper(), ""]))
        values[header.index("Reported by")] = other
        return values, Defect(kind, column="Reported by")
    if kind == "coord":
        column = draw(st.sampled_from(sorted(COORDS)))
        bad = draw(st.sampled_from(["abc", "200", "-190.5", " 1.5", "1,5", "nan", "1e400", "0x1"]))
        if column == "Latitude" and bad == "-190.5":
            bad = "-95"
        values[header.index(column)] = bad
        return values, Defect(kind, column=column)
    if kind == "bool":
        column = draw(st.sampled_from(sorted(BOOLEANS)))
        values[header.index(column)] = draw(st.sampled_from(["yes", "1", "Tru", "N"]))
        return values, Defect(kind, column=column)
    if kind == "extra-field":
        # Named by the last expected column, after which the extra value starts.
        return [*values, draw(text_values)], Defect(kind, column=header[-1])
    # At least two fields stay, so the line holds a comma and is never taken for a blank one.
    kept = draw(st.integers(2, len(values) - 1))
    return values[:kept], Defect(kind, column=header[kept])  # named: the first one missing


def _field(value: str, quote_all: bool) -> str:
    if quote_all or any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def police_files(draw, force: str, reported_by: str) -> PoliceFile:
    suffix = draw(st.sampled_from(sorted(HEADERS)))
    month = draw(months)
    must: list[Defect] = []
    may: list[str] = []

    header = list(HEADERS[suffix])
    header_change = draw(
        st.sampled_from([None] * 45 + ["drop", "extra", "reorder", "other-dataset", "lower"])
    )
    if header_change == "drop":
        del header[draw(st.integers(0, len(header) - 1))]
    elif header_change == "extra":
        header.insert(draw(st.integers(0, len(header))), draw(st.sampled_from(["Notes", ""])))
    elif header_change == "reorder":
        shuffled = draw(st.permutations(header))
        if list(shuffled) != header:
            header = list(shuffled)
        else:
            header_change = None
    elif header_change == "other-dataset":
        header = list(HEADERS[draw(st.sampled_from(sorted(set(HEADERS) - {suffix})))])
    elif header_change == "lower":
        header = [h.lower() for h in header]
    if header_change is not None:
        must.append(Defect(f"header-{header_change}", line=1))

    rows = draw(st.lists(_row(suffix, month, reported_by), max_size=6))
    quote_all = draw(st.booleans())
    eol = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    if eol == "mixed" and rows:  # the header ends LF, the first row CRLF
        may.append("mixed line endings")
    huge = bool(rows) and _rare(draw, 8)
    if huge:
        at = draw(st.integers(0, len(rows) - 1))
        values = rows[at][0]
        column = HEADERS[suffix].index(TEXT_COLUMN[suffix])
        if column < len(values):
            values[column] = "x" * (HUGE - 3) + ',"z'

    def line_end(i: int) -> str:
        if eol == "mixed":
            return "\r\n" if i % 2 else "\n"
        return eol

    text = ",".join(_field(h, quote_all) for h in header) + line_end(0)
    last_line, last_fields = 1, len(header)
    for i, (values, defect) in enumerate(rows, start=1):
        if _rare(draw, 10):
            text += line_end(i)  # a blank line: ignored
        line = text.count("\n") + 1
        if defect is not None:
            defect.line = line
            must.append(defect)
        text += ",".join(_field(v, quote_all) for v in values) + line_end(i)
        last_line, last_fields = line, len(values)
    if draw(st.booleans()) and text.endswith("\n"):
        # No final line break: the published files always have one, so the file looks cut
        # off inside its last record, which is named with the column it ends in (that
        # report replaces any other problem of the same record).
        text = text[: -len(line_end(len(rows)))]
        expected = HEADERS[suffix]
        column = expected[min(last_fields, len(expected)) - 1]
        must = [d for d in must if d.line != last_line or last_line == 1]
        must.append(Defect("no final line break", line=last_line, column=column))
    if "\x00" in text:
        may.append("NUL character")

    encoding = draw(st.sampled_from(["utf-8"] * 10 + ["utf-8-sig"] * 3 + ["latin-1", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    exact = True
    if _rare(draw, 14) and data:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xff" + data[at:]
    if _rare(draw, 12) and data:
        data = data[: -draw(st.integers(1, min(len(data), 40)))]
        # The cut may have taken a defect away: only a header that is still wrong must fail.
        may.append("cut off")
        may.extend(d.what for d in must if d.line != 1)
        must = [d for d in must if d.line == 1]
        exact = False
    if _rare(draw, 15):
        newline = data.find(b"\n")
        data = b"" if newline < 0 or draw(st.booleans()) else data[: newline + 1]
        must = [d for d in must if d.line == 1]
        may = []
        exact = False
    if not data:
        must = [Defect("empty file")]
    elif not header_change and not _csv_data_lines(data):
        # Header only (or header and blank lines): data.police.uk never publishes such a
        # file, so it must be refused, and no row is at fault.
        must.append(Defect("header only"))
        exact = False
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            must.append(Defect(f"not UTF-8 ({encoding})", line=1 if line == 1 else None))
            exact = False

    name = f"{month}-{force}-{suffix}.csv"
    if draw(st.booleans()):
        data = gzip.compress(data, mtime=0)
        name += ".gz"
        if _rare(draw, 12):
            data = data[: -draw(st.integers(1, 20))]
            must.append(Defect("damaged gzip"))
            exact = False
    return PoliceFile(name, data, suffix, must, may, exact)


def _csv_data_lines(data: bytes) -> bool:
    """Whether ``data`` holds anything but its first line and blank lines."""
    return any(line.strip(b"\r\n") for line in data.split(b"\n")[1:])


def _csv_records(data: bytes, name: str) -> list[list[str]]:
    """The data records of a file as Python's csv module reads it (header and blanks left out)."""
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    text = data.decode("utf-8-sig")
    # The limit is process-wide: raised only here, after the import, so as not to help it.
    limit = csv.field_size_limit(sys.maxsize)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    finally:
        csv.field_size_limit(limit)
    return [r for r in records[1:] if r]


# --- looking at the store -----------------------------------------------------------------


def _store_files() -> dict[str, int]:
    root = Path(settings.VAWG_PARQUET_DIR)
    return {
        p.relative_to(root).as_posix(): p.stat().st_size
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".import")
    }


def _empty_store() -> None:
    ImportedFile.objects.update(superseded_by=None)
    ImportedFile.objects.all().delete()
    ImportRun.objects.all().delete()
    root = Path(settings.VAWG_PARQUET_DIR)
    for child in root.iterdir() if root.exists() else []:
        if child.is_dir():
            shutil.rmtree(child)


def _imported() -> set[tuple]:
    return set(
        ImportedFile.objects.values_list("dataset", "force", "month", "sha256", "rows", "active")
    )


def _read_parquet(relpath: str, column: str) -> tuple[int, Counter]:
    path = Path(settings.VAWG_PARQUET_DIR) / relpath
    con = duckdb.connect(":memory:")
    try:
        values = con.execute(f"SELECT {column} FROM read_parquet(?)", [str(path)]).fetchall()
    finally:
        con.close()
    return len(values), Counter(v for (v,) in values)


def _snake(header: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in header.lower()).strip("_")


def _assert_refusal_names(error: VawgError, names: set[str]) -> None:
    """Every message names a file of the run; row and column appear where they are set."""
    message = str(error)
    errors = error.errors if isinstance(error, ImportFailedError) else [error]
    assert errors, message
    for item in errors:
        if isinstance(item, InputFileError):
            assert item.path.name in names, f"error about an unknown file: {item}"
            assert str(item).startswith(item.path.name), str(item)
            if item.row is not None:
                assert f"row {item.row}" in str(item)
            if item.column:
                assert f"column {item.column}" in str(item)
        else:
            assert any(name in str(item) for name in names), f"names no file: {item}"


# --- the property ---------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_police_uk_import_is_whole_or_refused_naming_the_file(data) -> None:
    example = next(_examples)
    count = data.draw(st.sampled_from([1, 1, 1, 2, 3]), label="files")
    del example  # the counter still numbers examples for the extract tests
    files = [data.draw(police_files(*FUZZ_FORCES[i]), label=f"file {i}") for i in range(count)]
    # Each example starts from an empty store: file names repeat across examples now that
    # they name real forces, and an earlier example's identical file would be "unchanged".
    _empty_store()
    for item in files:
        note(item.describe())
        event("file: valid" if item.clean else "file: must fail" if item.must_fail else "file: may")
    imported_before, store_before = _imported(), _store_files()

    with tempfile.TemporaryDirectory() as folder:
        for item in files:
            (Path(folder) / item.name).write_bytes(item.data)
        try:
            run = import_police_uk([Path(folder)])
        except VawgError as exc:
            note(f"refused: {exc}")
            event("police-uk: refused")
            _check_refusal(exc, files, imported_before, store_before)
            return
    event("police-uk: imported")
    _check_success(run, files, store_before)


def _check_refusal(exc, files, imported_before, store_before) -> None:
    names = {f.name for f in files}
    _assert_refusal_names(exc, names)
    errors = exc.errors if isinstance(exc, ImportFailedError) else [exc]
    refused = {e.path.name: e for e in errors if isinstance(e, InputFileError)}
    for item in files:
        if item.must_fail:
            assert item.name in str(exc), f"{item.name} is not named in: {exc}"
        if item.clean:
            assert item.name not in refused, f"a valid file was refused: {refused[item.name]}"
        if item.must_fail and item.exact_place and item.name in refused:
            first = min(item.must_fail, key=lambda d: d.line or 0)
            error = refused[item.name]
            if "mixed line endings" in item.may_fail and "line ending" in error.problem:
                # The first problem in file order may be where the line endings change.
                assert error.row is not None and error.row <= (first.line or error.row)
                continue
            if first.line == 1:
                assert error.row == 1, f"expected row 1 (the header): {error}"
            elif first.line is not None:
                assert (error.row, error.column) == (first.line, first.column), (
                    f"expected row {first.line}, column {first.column} ({first.what}): {error}"
                )
    # Nothing at all was imported.
    assert _imported() == imported_before
    assert _store_files() == store_before


def _check_success(run, files, store_before) -> None:
    for item in files:
        assert not item.must_fail, f"{item.name} was accepted despite {item.must_fail}"
    assert run.status == "succeeded", run.message
    added = set(_store_files()) - set(store_before)
    assert len(added) == len(files)
    for item in files:
        expected = _csv_records(item.data, item.name)
        record = ImportedFile.objects.get(file_name=item.name, active=True)
        assert record.rows == len(expected)
        assert record.parquet_path in added
        header = HEADERS[item.suffix]
        column = header.index(TEXT_COLUMN[item.suffix])
        rows, values = _read_parquet(record.parquet_path, _snake(TEXT_COLUMN[item.suffix]))
        assert rows == len(expected)
        assert values == Counter(r[column] or None for r in expected)


# --- force system extracts (CSV and XLSX) ---------------------------------------------------


@dataclass(frozen=True)
class Sample:
    slug: str
    header: list[str]
    rows: list[list[str]]
    types: dict[str, str]


@pytest.fixture(scope="module")
def extract_samples(tmp_path_factory) -> list[Sample]:
    from vawg.demo.generator import generate
    from vawg.extracts.templates import TEMPLATES

    out = generate(tmp_path_factory.mktemp("extracts"), start="2021-01", end="2021-03")
    samples = []
    for slug, path in sorted(out.items()):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            records = list(csv.reader(fh))
        types = {c.name: c.type for c in TEMPLATES[slug].columns}
        samples.append(Sample(slug, records[0], records[1:9], types))
    return samples


_WRONG = {
    "date": ["2022-02-30", "14/03/2022", "yesterday", True, 3.5],
    "month": ["2022-13", "March", dt.date(2022, 3, 14), 7],
    "datetime": ["2022-03-14", "14:00", dt.date(2022, 3, 14), False],
    "integer": ["1.5", "three", dt.date(2022, 1, 1), True],
    "number": ["1,5", "lots", dt.date(2022, 1, 1), True],
    "boolean": ["maybe", "2", 7, dt.date(2022, 1, 1)],
    "choice": ["not-a-choice", 42],
}


def _native(value: str, kind: str):
    """The value as Excel itself would hold it (a real date, number or TRUE/FALSE)."""
    if not value:
        return None
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return value.lower() == "yes"
    return value


@dataclass
class ExtractCase:
    name: str
    data: bytes
    slug: str
    rows: int
    must_fail: list[str]
    place: tuple[int, str | None] | None = None


@st.composite
def extract_cases(draw, samples: list[Sample]) -> ExtractCase:
    sample = draw(st.sampled_from(samples))
    xlsx = draw(st.booleans())
    order = list(draw(st.permutations(range(len(sample.header)))))
    header = [sample.header[i] for i in order]
    rows = [[row[i] for i in order] for row in sample.rows[: draw(st.integers(0, 8))]]
    cells: list[list] = [
        [
            _native(v, sample.types[h]) if xlsx and draw(st.booleans()) else v
            for h, v in zip(header, row, strict=True)
        ]
        for row in rows
    ]
    must: list[str] = []
    place = None
    change = draw(st.sampled_from([None, None, None, "drop", "extra", "wrong", "empty"]))
    if change == "drop":
        at = draw(st.integers(0, len(header) - 1))
        must.append(f"missing column {header[at]}")
        place = (1, header[at])
        del header[at]
        cells = [r[:at] + r[at + 1 :] for r in cells]
    elif change == "extra":
        header.append("notes")
        cells = [[*r, "x"] for r in cells]
        must.append("extra column")
        place = (1, "notes")
    elif change == "wrong" and cells:
        at_row = draw(st.integers(0, len(cells) - 1))
        at = draw(st.integers(0, len(header) - 1))
        kind = sample.types[header[at]]
        if kind in _WRONG:
            wrong = draw(st.sampled_from(_WRONG[kind]))
            if not xlsx:
                wrong = str(wrong)
            cells[at_row][at] = wrong
            must.append(f"{header[at]} = {wrong!r} is not a {kind}")
            place = (at_row + 2, header[at])
    elif change == "empty":
        header, cells = [], []
        must.append("empty file")
    if header and not cells and not must:
        # A header with no rows imports nothing: refused rather than reported "unchanged".
        must.append("header only")
    if xlsx:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        if header:
            sheet.append(header)
        for row in cells:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    else:
        text = io.StringIO(newline="")
        writer = csv.writer(text, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
        if header:
            writer.writerow(header)
        writer.writerows(["" if v is None else str(v) for v in r] for r in cells)
        data = text.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))
    name = f"fuzz-{sample.slug}.{'xlsx' if xlsx else 'csv'}"
    return ExtractCase(name, data, sample.slug, len(cells), must, place)


@FUZZ
@given(data=st.data())
def test_extract_import_is_whole_or_refused_naming_the_file(extract_samples, data) -> None:
    from vawg.imports.models import ImportSource
    from vawg.strategy.models import Force

    try:
        from vawg.imports import tables
    except ImportError:
        pytest.skip("no import of force extracts yet (vawg.imports.tables)")
    case = data.draw(extract_cases(extract_samples), label="extract")
    note(f"{case.name}: must fail {case.must_fail}, {case.rows} rows, place {case.place}")
    force = f"fuzz{next(_examples)}"
    # A force of its own per example keeps the counts below apart; imports refuse unknown
    # forces, so it is loaded first.
    Force.objects.get_or_create(slug=force, defaults={"name": f"Fuzz {force}"})
    imported_before, store_before = _imported(), _store_files()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / case.name
        path.write_bytes(case.data)
        try:
            table = tables.extract_file(path, force=force, template=case.slug)
            run = tables.import_tables([table], source_kind=ImportSource.FORCE_EXTRACT)
        except VawgError as exc:
            note(f"refused: {exc}")
            event("extract: refused")
            assert case.must_fail, f"a valid extract was refused: {exc}"
            assert case.name in str(exc), f"the file is not named: {exc}"
            _assert_refusal_names(exc, {case.name})
            if case.place is not None:
                error = exc.errors[0] if isinstance(exc, ImportFailedError) else exc
                assert (error.row, error.column) == case.place, str(error)
            assert _imported() == imported_before
            assert _store_files() == store_before
            return
    event("extract: imported")
    assert not case.must_fail, f"accepted despite {case.must_fail}"
    added = ImportedFile.objects.filter(force=force, active=True)
    new_files = set(_store_files()) - set(store_before)
    from vawg.extracts.templates import TEMPLATES

    if TEMPLATES[case.slug].row_force:
        # A national table files its rows under the forces they name, not the importing
        # one, so an earlier example's identical partition may be live already: check the
        # live partitions of the file's own forces and months.
        from vawg.extracts import validate_file

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / case.name
            path.write_bytes(case.data)
            keys = {(row["force"], row["month"]) for row in validate_file(path, case.slug)}
        added = [
            f
            for f in ImportedFile.objects.filter(dataset=TEMPLATES[case.slug].dataset, active=True)
            if (f.force, f.month) in keys
        ]
        assert new_files <= {f.parquet_path for f in added}
    else:
        assert new_files == {f.parquet_path for f in added}
    assert sum(f.rows for f in added) == case.rows, run.message
    if added:
        root = Path(settings.VAWG_PARQUET_DIR)
        listed = [str(root / f.parquet_path) for f in added]
        con = duckdb.connect(":memory:")
        try:
            stored = con.execute("SELECT count(*) FROM read_parquet(?)", [listed]).fetchone()[0]
        finally:
            con.close()
        assert stored == case.rows


# --- examples the properties found, kept as plain tests ---------------------------------------

OUTCOMES_HEADER = ",".join(HEADERS["outcomes"])


def _import_one(tmp_path: Path, name: str, text: str) -> VawgError | None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(text.encode())
    try:
        import_police_uk([folder])
    except VawgError as exc:
        return exc.errors[0] if isinstance(exc, ImportFailedError) else exc
    return None


def test_a_large_valid_field_does_not_hide_the_real_problem(tmp_path) -> None:
    """A 200 kB value on row 2 is fine; the error is the wrong Month on row 3."""
    text = (
        f"{OUTCOMES_HEADER}\n"
        f"id1,2024-01,Kent Police,,,,{'x' * 200_000},,,Under investigation\n"
        "id2,2024-02,Kent Police,,,,Loc,,,Under investigation\n"
    )
    error = _import_one(tmp_path, "2024-01-kent-outcomes.csv", text)
    assert isinstance(error, InputFileError), error
    assert (error.row, error.column) == (3, "Month"), str(error)


def test_an_extra_empty_field_is_refused(tmp_path) -> None:
    """Found by the property: DuckDB read ``...,,`` past the last column as a valid row."""
    row = ",1990-01,Kent Police,,,,,,,"
    text = f"{OUTCOMES_HEADER}\n{row}\n{row},\n"
    error = _import_one(tmp_path, "1990-01-kent-outcomes.csv", text)
    assert isinstance(error, InputFileError), error
    assert (error.row, error.column) == (3, "Outcome type"), str(error)
    assert "11 fields, expected 10" in str(error)


def test_mixed_line_endings_are_read_or_refused_at_a_row(tmp_path) -> None:
    """Python's csv reads LF and CRLF lines mixed; if the importer will not, it says where."""
    rows = [f"id{i},2024-01,Kent Police,,,,Loc {i},,,Under investigation" for i in range(3)]
    text = OUTCOMES_HEADER + "\n" + rows[0] + "\r\n" + rows[1] + "\n" + rows[2] + "\n"
    error = _import_one(tmp_path, "2024-01-kent-outcomes.csv", text)
    if error is None:
        assert ImportedFile.objects.get(file_name="2024-01-kent-outcomes.csv").rows == 3
    else:
        assert isinstance(error, InputFileError) and error.row is not None, str(error)


# --- corrupt and unusual workbooks --------------------------------------------------------


def _workbook(sample: Sample, build=None) -> bytes:
    """An .xlsx of ``sample`` as text cells; ``build(workbook)`` changes it before saving."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(sample.header)
    for row in sample.rows:
        sheet.append(row)
    if build is not None:
        build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite_sheet(data: bytes, old: bytes, new: bytes) -> bytes:
    """``data`` with ``old`` replaced by ``new`` in the first sheet's XML (exactly once)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert member.count(old) == 1, member[-400:]
                member = member.replace(old, new)
            target.writestr(info, member)
    return out.getvalue()


def _with_formula(sample: Sample, cell: str, cached: bytes | None, kind: str = "str") -> bytes:
    """A workbook whose ``cell`` is a formula, with ``cached`` as the result Excel stored."""

    def formula(workbook) -> None:
        workbook.active[cell] = '=IF(TRUE,"high","low")'

    data = _workbook(sample, formula)
    if cached is None:
        return data  # openpyxl stores no result: as a program writing the file would
    old = f'<c r="{cell}"><f>IF(TRUE,"high","low")</f><v></v></c>'.encode()
    new = f'<c r="{cell}" t="{kind}"><f>IF(TRUE,"high","low")</f><v>'.encode() + cached
    return _rewrite_sheet(data, old, new + b"</v></c>")


def _damaged_member(data: bytes) -> bytes:
    """``data`` with two bytes flipped inside the compressed first sheet."""
    import zipfile

    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    damaged = bytearray(data)
    for offset in (info.compress_size // 2, info.compress_size // 2 + 1):
        damaged[start + offset] ^= 0xFF
    return bytes(damaged)


def _cut_sheet_xml(data: bytes) -> bytes:
    """A well-formed zip whose first sheet's XML stops half-way (a cut rewrite)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                member = member[: member.index(b'<row r="4"') + 20]
            target.writestr(info, member)
    return out.getvalue()


def _xlsx_cases(sample: Sample) -> dict[str, tuple[bytes, object]]:
    """name -> (bytes, expected): the number of rows imported, or (row, column, words)."""
    good = _workbook(sample)
    rows = len(sample.rows)
    column = sample.header.index("dash_risk")
    letter = "ABCDEFGHIJ"[column]

    def extra_after(workbook) -> None:
        workbook.create_sheet("Notes").append(["checked by", "analyst"])

    def extra_before(workbook) -> None:
        workbook.create_sheet("Notes", 0).append(["notes"])

    def huge_id(workbook) -> None:
        workbook.active["A3"] = "x" * 40_000

    def huge_header(workbook) -> None:
        workbook.active.cell(row=1, column=len(sample.header) + 1, value="y" * 40_000)

    def empty(workbook) -> None:
        workbook.remove(workbook.active)
        workbook.create_sheet("Data")

    return {
        "zip cut in half": (good[: len(good) // 2], (None, None, "cannot be read as an Excel")),
        "zip cut 10 bytes short": (good[:-10], (None, None, "cannot be read as an Excel")),
        "csv named .xlsx": (b",".join(h.encode() for h in sample.header) + b"\r\n", (
            None, None, "cannot be read as an Excel workbook (.xlsx): File is not a zip file"
        )),
        "damaged sheet data": (_damaged_member(good), (None, None, "cannot be read as an Excel")),
        "sheet XML cut off": (_cut_sheet_xml(good), (4, None, "the workbook is damaged")),
        "formula never calculated": (
            _with_formula(sample, f"{letter}3", None),
            (3, "dash_risk", "a formula whose result was never calculated"),
        ),
        "formula with its result": (_with_formula(sample, f"{letter}3", b"high"), rows),
        "formula whose result is an error": (
            _with_formula(sample, f"{letter}4", b"#N/A", kind="e"),
            (4, "dash_risk", "the Excel error #N/A"),
        ),
        "extra sheet after the data": (_workbook(sample, extra_after), rows),
        "extra sheet before the data": (
            _workbook(sample, extra_before),
            (1, "incident_id", "the header is read from the first sheet, 'Notes'"),
        ),
        "40,000-character cell": (_workbook(sample, huge_id), (3, "incident_id", "xxxxxxxx")),
        "40,000-character header": (
            _workbook(sample, huge_header),
            (1, "y" * 39 + "…", "unexpected column"),
        ),
        "empty workbook": (_workbook(sample, empty), (None, None, "the file is empty")),
    }  # fmt: skip


XLSX_CASES = [
    "zip cut in half",
    "zip cut 10 bytes short",
    "csv named .xlsx",
    "damaged sheet data",
    "sheet XML cut off",
    "formula never calculated",
    "formula with its result",
    "formula whose result is an error",
    "extra sheet after the data",
    "extra sheet before the data",
    "40,000-character cell",
    "40,000-character header",
    "empty workbook",
]


@pytest.mark.parametrize("case", XLSX_CASES)
def test_corrupt_or_unusual_workbook_is_refused_naming_its_place_or_imported_whole(
    extract_samples, tmp_path, case
) -> None:
    from vawg.imports import tables
    from vawg.imports.models import ImportSource
    from vawg.strategy.models import Force

    (sample,) = [s for s in extract_samples if s.slug == "da-incidents"]
    assert len(sample.rows) == 8
    data, expected = _xlsx_cases(sample)[case]
    force = f"fuzzxlsx{next(_examples)}"
    Force.objects.get_or_create(slug=force, defaults={"name": f"Fuzz {force}"})
    imported_before, store_before = _imported(), _store_files()
    path = tmp_path / "2021-01-da-incidents.xlsx"
    path.write_bytes(data)

    try:
        table = tables.extract_file(path, force=force)
        tables.import_tables([table], source_kind=ImportSource.FORCE_EXTRACT)
    except VawgError as exc:
        assert not isinstance(expected, int), f"a usable workbook was refused: {exc}"
        row, column, words = expected
        error = exc.errors[0] if isinstance(exc, ImportFailedError) else exc
        assert isinstance(error, InputFileError), repr(error)
        assert (error.path.name, error.row, error.column) == (path.name, row, column), str(error)
        assert words in str(error)
        _assert_refusal_names(exc, {path.name})
        assert _imported() == imported_before
        assert _store_files() == store_before
        return
    assert isinstance(expected, int), f"accepted, but expected a refusal: {expected}"
    added = ImportedFile.objects.filter(force=force, active=True)
    assert sum(f.rows for f in added) == expected
    root = Path(settings.VAWG_PARQUET_DIR)
    con = duckdb.connect(":memory:")
    try:
        stored = con.execute(
            "SELECT incident_id, dash_risk FROM read_parquet(?) ORDER BY incident_id",
            [[str(root / f.parquet_path) for f in added]],
        ).fetchall()
    finally:
        con.close()
    at = sample.header.index("dash_risk")
    want = sorted((r[0], r[at] or None) for r in sample.rows)
    if case == "formula with its result":
        want = sorted(
            (r[0], "high" if i == 1 else (r[at] or None)) for i, r in enumerate(sample.rows)
        )
    assert stored == want
