"""Reading and validating the Home Office police recorded crime (PRC) force-area table."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vawg.analytics.home_office.csv_input import _csv_records, _header_index, _show
from vawg.analytics.home_office.forces import UnknownForceError, prc_force_slug
from vawg.analytics.home_office.offences import OFFENCE_GROUPS
from vawg.errors import InputFileError

__all__ = [
    "PRC_COLUMNS",
    "PrcRow",
    "quarter_end_month",
    "read_prc",
]


# Columns we use; the table's unnamed first column and Policeuk_Cat (added by the package
# author) are ignored, as is any other extra column.
PRC_COLUMNS: tuple[str, ...] = (
    "Financial_Year",
    "Financial_Quarter",
    "Force_Name",
    "Offence_Description",
    "Offence_Group",
    "Offence_Subgroup",
    "Offence_Code",
    "Number_of_Offences",
)
_FINANCIAL_YEAR = re.compile(r"(\d{4})/(\d{2})")
# Home Office counts can be negative: a quarter's figure is net of crimes cancelled or
# reclassified after an earlier quarter was published (the 2017/18 table has 36 rows of -1).
_INTEGER = re.compile(r"-?\d+")
# Last calendar month of each financial-year quarter, as (years after the start year, month).
_QUARTER_END = {1: (0, 6), 2: (0, 9), 3: (0, 12), 4: (1, 3)}


def quarter_end_month(financial_year: str, quarter: int) -> str:
    """The last calendar month of a financial-year quarter, as ``YYYY-MM``.

    Quarterly figures are filed under that month so they sit on the same time axis as the
    monthly metrics.

    >>> [quarter_end_month("2017/18", q) for q in (1, 2, 3, 4)]
    ['2017-06', '2017-09', '2017-12', '2018-03']
    """
    match = _FINANCIAL_YEAR.fullmatch(financial_year)
    if not match or quarter not in _QUARTER_END:
        raise ValueError(f"not a financial year and quarter: {financial_year!r} Q{quarter}")
    years, month = _QUARTER_END[quarter]
    return f"{int(match.group(1)) + years:04d}-{month:02d}"


@dataclass(frozen=True)
class PrcRow:
    """One validated row of the PRC table; ``line`` is its line in the file (header = 1)."""

    line: int
    force: str
    financial_year: str
    quarter: int
    month: str
    offence_code: str
    offence_description: str
    offence_group: str
    offence_subgroup: str
    offences: int


def read_prc(path: Path) -> list[PrcRow]:
    """Every row of a Home Office PRC force-area table, validated.

    Refuses, with file, row (line in the file, header = 1) and column named: a missing
    column, a row with too few fields, a financial year that is not ``YYYY/YY`` with
    consecutive years, a quarter outside 1-4, an unknown force name, an empty offence code or
    subgroup, and a count that is not a whole number (negative counts are allowed: see
    ``_INTEGER``).
    """
    path = Path(path)
    records = _csv_records(path)
    first = next(records, None)
    if first is None:
        raise InputFileError(path, None, "the file is empty (expected a header row)")
    _, header = first
    index = _header_index(path, header, PRC_COLUMNS)
    width = max(index.values()) + 1
    rows: list[PrcRow] = []
    for line, fields in records:
        if len(fields) < width:
            # Name the first column the short row does not reach.
            column = min((n for n in PRC_COLUMNS if index[n] >= len(fields)), key=index.get)
            raise InputFileError(
                path, column, f"no value: {len(fields)} fields, expected {len(header)}", row=line
            )
        value = {name: fields[index[name]].strip() for name in PRC_COLUMNS}
        rows.append(_prc_row(path, line, value))
    return rows


def _prc_row(path: Path, line: int, value: Mapping[str, str]) -> PrcRow:
    def refuse(column: str, expected: str) -> InputFileError:
        return InputFileError(path, column, f"{_show(value[column])} is not {expected}", row=line)

    year = value["Financial_Year"]
    match = _FINANCIAL_YEAR.fullmatch(year)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise refuse("Financial_Year", "a financial year such as 2017/18")
    quarter_text = value["Financial_Quarter"]
    if quarter_text not in ("1", "2", "3", "4"):
        raise refuse("Financial_Quarter", "a quarter 1, 2, 3 or 4")
    try:
        force = prc_force_slug(value["Force_Name"])
    except UnknownForceError as exc:
        raise InputFileError(path, "Force_Name", str(exc), row=line) from None
    for column in ("Offence_Code", "Offence_Subgroup"):
        if not value[column]:
            raise InputFileError(path, column, "is empty", row=line)
    if not _INTEGER.fullmatch(value["Number_of_Offences"]):
        raise refuse("Number_of_Offences", "a whole number of offences")
    quarter = int(quarter_text)
    return PrcRow(
        line=line,
        force=force,
        financial_year=year,
        quarter=quarter,
        month=quarter_end_month(year, quarter),
        offence_code=value["Offence_Code"],
        offence_description=value["Offence_Description"],
        offence_group=value["Offence_Group"],
        offence_subgroup=value["Offence_Subgroup"],
        offences=int(value["Number_of_Offences"]),
    )


def _check_offence_codes(path: Path, rows: Sequence[PrcRow]) -> None:
    """Refuse a row whose code and subgroup disagree with :data:`OFFENCE_GROUPS`.

    Both ways: a listed code filed under another subgroup, or a selected subgroup holding an
    unlisted code, would silently move offences in or out of a rate.
    """
    code_subgroup = {
        code: group.subgroups[0]
        for group in OFFENCE_GROUPS.values()
        if len(group.subgroups) == 1
        for code in group.codes
    }
    subgroup_codes: dict[str, frozenset[str]] = {
        group.subgroups[0]: group.codes
        for group in OFFENCE_GROUPS.values()
        if len(group.subgroups) == 1
    }
    for row in rows:
        expected = code_subgroup.get(row.offence_code)
        if expected is not None and row.offence_subgroup != expected:
            raise InputFileError(
                path,
                "Offence_Subgroup",
                f"offence code {row.offence_code} is filed under {_show(row.offence_subgroup)}"
                f", expected {expected!r}",
                row=row.line,
            )
        codes = subgroup_codes.get(row.offence_subgroup)
        if codes is not None and row.offence_code not in codes:
            raise InputFileError(
                path,
                "Offence_Code",
                f"{_show(row.offence_code)} is not a known code of {row.offence_subgroup!r} "
                f"(expected one of {', '.join(sorted(codes))})",
                row=row.line,
            )
