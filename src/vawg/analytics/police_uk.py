"""The data.police.uk monthly file formats: headers, column names and file-name detection.

data.police.uk publishes, per force and month, ``YYYY-MM-<force>-street.csv`` (recorded crime
and anti-social behaviour), ``YYYY-MM-<force>-outcomes.csv`` and
``YYYY-MM-<force>-stop-and-search.csv``. This module knows those shapes and nothing else: it
is pure Python (no Django, no DuckDB) so the validator, the store and the tests share one
definition of each dataset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DATASETS",
    "OUTCOMES",
    "STOP_AND_SEARCH",
    "STREET",
    "Column",
    "Dataset",
    "SourceFile",
    "UnrecognisedFileNameError",
    "detect",
    "is_csv_name",
    "is_month",
    "reported_by_names",
    "snake_case",
]


def snake_case(header: str) -> str:
    """The Parquet column name for a data.police.uk header.

    >>> snake_case("Crime ID")
    'crime_id'
    >>> snake_case("Removal of more than just outer clothing")
    'removal_of_more_than_just_outer_clothing'
    >>> snake_case("Self-defined ethnicity")
    'self_defined_ethnicity'
    """
    return re.sub(r"[^a-z0-9]+", "_", header.lower()).strip("_")


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its header in the CSV, its Parquet name and DuckDB type."""

    header: str
    sql_type: str = "VARCHAR"

    @property
    def name(self) -> str:
        """The snake_case name used in Parquet and SQL."""
        return snake_case(self.header)


@dataclass(frozen=True)
class Dataset:
    """A data.police.uk file type.

    ``name`` is the value stored in the database, the Parquet folder and the DuckDB view name;
    ``suffix`` is how the file name ends before ``.csv``.
    """

    name: str
    suffix: str
    columns: tuple[Column, ...]
    # Street and outcomes files carry a Month column that must equal the file name's month;
    # stop-and-search rows carry a full date-time instead.
    has_month_column: bool

    @property
    def headers(self) -> tuple[str, ...]:
        """The exact header row data.police.uk publishes, in order."""
        return tuple(c.header for c in self.columns)

    @property
    def header_line(self) -> str:
        """The header as it appears in the file (without line ending)."""
        return ",".join(self.headers)

    @property
    def parquet_columns(self) -> tuple[tuple[str, str], ...]:
        """(name, DuckDB type) of every column written to Parquet, in order.

        The CSV columns, then ``force`` (the slug from the file name) and, for
        stop-and-search, ``month`` (from the file name, since its rows have no Month column),
        so every view can be grouped by force and month the same way.
        """
        cols = [(c.name, c.sql_type) for c in self.columns]
        cols.append(("force", "VARCHAR"))
        if not self.has_month_column:
            cols.append(("month", "VARCHAR"))
        return tuple(cols)


_LOCATION_COLUMNS = (
    Column("Crime ID"),
    Column("Month"),
    Column("Reported by"),
    Column("Falls within"),
    Column("Longitude", "DOUBLE"),
    Column("Latitude", "DOUBLE"),
    Column("Location"),
    Column("LSOA code"),
    Column("LSOA name"),
)

STREET = Dataset(
    name="street",
    suffix="street",
    columns=(
        *_LOCATION_COLUMNS,
        Column("Crime type"),
        Column("Last outcome category"),
        Column("Context"),
    ),
    has_month_column=True,
)

OUTCOMES = Dataset(
    name="outcomes",
    suffix="outcomes",
    columns=(*_LOCATION_COLUMNS, Column("Outcome type")),
    has_month_column=True,
)

STOP_AND_SEARCH = Dataset(
    name="stop_and_search",
    suffix="stop-and-search",
    columns=(
        Column("Type"),
        # Kept as text: it is an ISO 8601 date-time with offset and the metrics only need
        # the month, which is stored alongside.
        Column("Date"),
        Column("Part of a policing operation", "BOOLEAN"),
        Column("Policing operation"),
        Column("Latitude", "DOUBLE"),
        Column("Longitude", "DOUBLE"),
        Column("Gender"),
        Column("Age range"),
        Column("Self-defined ethnicity"),
        Column("Officer-defined ethnicity"),
        Column("Legislation"),
        Column("Object of search"),
        Column("Outcome"),
        Column("Outcome linked to object of search", "BOOLEAN"),
        Column("Removal of more than just outer clothing", "BOOLEAN"),
    ),
    has_month_column=False,
)

DATASETS: dict[str, Dataset] = {d.name: d for d in (STREET, OUTCOMES, STOP_AND_SEARCH)}

_NAME_RE = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9]+(?:-[a-z0-9]+)*?)"
    r"-(?P<suffix>street|outcomes|stop-and-search)\.csv(?:\.gz)?$",
    re.IGNORECASE,
)
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class UnrecognisedFileNameError(ValueError):
    """A file name that is not one of the data.police.uk monthly file names."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path.name}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class SourceFile:
    """A data.police.uk file identified by its name."""

    path: Path
    dataset: Dataset
    force: str
    month: str

    @property
    def compressed(self) -> bool:
        """Whether the file is gzip-compressed (``.csv.gz``)."""
        return self.path.name.lower().endswith(".gz")


def is_csv_name(name: str) -> bool:
    """Whether a file name looks like CSV data (``.csv`` or ``.csv.gz``), whatever its stem.

    >>> is_csv_name("2024-01-kent-street.csv.gz"), is_csv_name("README.md")
    (True, False)
    """
    lower = name.lower()
    return lower.endswith((".csv", ".csv.gz"))


def detect(path: Path) -> SourceFile:
    """Identify the dataset, force slug and month of a data.police.uk file from its name.

    >>> s = detect(Path("2024-01-avon-and-somerset-stop-and-search.csv.gz"))
    >>> s.dataset.name, s.force, s.month
    ('stop_and_search', 'avon-and-somerset', '2024-01')
    >>> try:
    ...     detect(Path("2024-13-kent-street.csv"))
    ... except UnrecognisedFileNameError as exc:
    ...     print(exc)
    2024-13-kent-street.csv: month 2024-13 in the file name is not a real month

    Raises :class:`UnrecognisedFileNameError` with a message saying what was expected.
    """
    match = _NAME_RE.match(path.name)
    if match is None:
        raise UnrecognisedFileNameError(
            path,
            "not a data.police.uk file name; expected YYYY-MM-<force>-street.csv, "
            "YYYY-MM-<force>-outcomes.csv or YYYY-MM-<force>-stop-and-search.csv "
            "(optionally .gz)",
        )
    month = match["month"]
    if not _MONTH_RE.match(month):
        raise UnrecognisedFileNameError(path, f"month {month} in the file name is not a real month")
    suffix = match["suffix"].lower()
    dataset = next(d for d in DATASETS.values() if d.suffix == suffix)
    return SourceFile(path=path, dataset=dataset, force=match["force"].lower(), month=month)


def is_month(value: str) -> bool:
    """Whether ``value`` is a real month written ``YYYY-MM``.

    >>> is_month("2024-01"), is_month("2024/01"), is_month("2024-00")
    (True, False, False)
    """
    return bool(_MONTH_RE.match(value))


# How data.police.uk's "Reported by" column names a force, where that is not the force's own
# name in ``vawg.analytics.home_office.forces``: data.police.uk writes "Devon & Cornwall
# Police", and since 2022 Hampshire publishes as "Hampshire and Isle of Wight Constabulary"
# (either name may appear, depending on the month). The two non-territorial forces
# data.police.uk publishes files for are added, so their files can be checked too.
# TODO: check these names against real files of each force: only Cambridgeshire's files are
# in /work/shared/data, and a force whose "Reported by" is spelt otherwise would be refused.
_REPORTED_BY_ALIASES: dict[str, tuple[str, ...]] = {
    "devon-and-cornwall": ("Devon & Cornwall Police",),
    "hampshire": ("Hampshire and Isle of Wight Constabulary",),
    "btp": ("British Transport Police",),
    "northern-ireland": ("Police Service of Northern Ireland",),
}


def reported_by_names(force: str) -> tuple[str, ...]:
    """The names a ``force`` slug's rows may carry in "Reported by", or () if it is unknown.

    >>> reported_by_names("kent")
    ('Kent Police',)
    >>> reported_by_names("devon-and-cornwall")
    ('Devon and Cornwall Police', 'Devon & Cornwall Police')
    >>> reported_by_names("kentt")
    ()
    """
    # Imported here: the home_office package reads Parquet and would load DuckDB for callers
    # of this module that only need file names.
    from vawg.analytics.home_office.forces import FORCES

    own = tuple(f.name for f in FORCES if f.slug == force)
    return own + _REPORTED_BY_ALIASES.get(force, ())
