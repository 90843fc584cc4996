"""Calendar quarters as the national return names them: ``2022Q1`` is January to March 2022."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from vawg.dates import planning_span
from vawg.errors import VawgError

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


class QuarterError(VawgError):
    """A quarter not written ``YYYYQn``, or outside the quarters a return may be for."""


def parse_quarter(label: str) -> tuple[int, int]:
    """``"2022Q1"`` → ``(2022, 1)``; anything else raises ``QuarterError``.

    >>> parse_quarter("2022Q1")
    (2022, 1)
    """
    match = _QUARTER.match(label or "")
    if not match:
        raise QuarterError(f"{label!r} is not a quarter written like 2022Q1")
    return int(match.group(1)), int(match.group(2))


def quarter_range(today: dt.date) -> tuple[str, str]:
    """The first and last quarter a return may be for: those starting in ``planning_span``.

    >>> quarter_range(dt.date(2026, 12, 4))
    ('2000Q1', '2027Q4')
    """
    span = planning_span(today)
    first_year, first_quarter = quarter_of(f"{span.earliest:%Y-%m}")
    last_year, last_quarter = quarter_of(f"{span.latest:%Y-%m}")
    return f"{first_year}Q{first_quarter}", f"{last_year}Q{last_quarter}"


def check_quarter(label: str, *, today: dt.date) -> tuple[int, int]:
    """``parse_quarter``, refusing a quarter outside ``quarter_range(today)``.

    Pages, commands and submission check here; ``parse_quarter`` alone stays for arithmetic
    on quarters (the one before 2000Q1 is still 1999Q4).

    >>> check_quarter("2027Q4", today=dt.date(2026, 12, 4))
    (2027, 4)
    >>> try:
    ...     check_quarter("1999Q4", today=dt.date(2026, 12, 4))
    ... except QuarterError as exc:
    ...     print(exc)
    There is no return for 1999Q4: give a quarter from 2000Q1 to 2027Q4
    """
    year, quarter = parse_quarter(label)
    first, last = quarter_range(today)
    # Labels are zero-padded YYYYQn, so they sort as the quarters do.
    if not first <= f"{year:04d}Q{quarter}" <= last:
        raise QuarterError(f"There is no return for {label}: give a quarter from {first} to {last}")
    return year, quarter


def quarter_months(label: str) -> list[str]:
    """The three months of a quarter.

    >>> quarter_months("2022Q1")
    ['2022-01', '2022-02', '2022-03']
    """
    year, quarter = parse_quarter(label)
    first = 3 * (quarter - 1) + 1
    return [f"{year:04d}-{month:02d}" for month in range(first, first + 3)]


def quarter_end(label: str) -> dt.date:
    """The last day of a quarter.

    >>> quarter_end("2022Q1")
    datetime.date(2022, 3, 31)
    """
    year, quarter = parse_quarter(label)
    month = 3 * quarter
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_of(month: str) -> tuple[int, int]:
    """The (year, quarter) holding a ``YYYY-MM`` month.

    >>> quarter_of("2022-03"), quarter_of("2022-04")
    ((2022, 1), (2022, 2))
    """
    return int(month[:4]), (int(month[5:7]) - 1) // 3 + 1


def previous_quarter(label: str) -> str:
    """The quarter before.

    >>> previous_quarter("2022Q1"), previous_quarter("2022Q3")
    ('2021Q4', '2022Q2')
    """
    year, quarter = parse_quarter(label)
    return f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}"


def return_due(label: str) -> dt.date:
    """The day a quarter's return is due: the last day of the month after the quarter.

    This app's working deadline (a month to write and sign off the narrative), not a date the
    Home Office publishes: an unsubmitted return past it states the responses as at its end.

    >>> return_due("2022Q1"), return_due("2022Q4")
    (datetime.date(2022, 4, 30), datetime.date(2023, 1, 31))
    """
    # TODO: confirm the national deadline with the Home Office / NPCC return guidance and make
    # it a setting; an unsubmitted return past it states its actions as at this day's end.
    end = quarter_end(label)
    first_after = end + dt.timedelta(days=1)
    return first_after.replace(day=calendar.monthrange(first_after.year, first_after.month)[1])
