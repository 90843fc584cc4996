"""The spans of dates the tracker accepts, written once for every page, command and write.

A date far outside them is a slip of the keyboard (1066 for 2026, 2099 for 2029), and taken
as typed it would put an update first in a history, or offer a return for a quarter no one
can report on. The floor is 1 January 2000, well before any force's VAWG records. Papers and
returns may be prepared ahead, up to a year from today; an update describes what has happened,
so it cannot be dated after today. "Today" is the caller's (today in England, see
``vawg.strategy.responses.today_in_london``): these functions read no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The earliest date anything in the tracker may carry.
EARLIEST = dt.date(2000, 1, 1)


def long_date(day: dt.date) -> str:
    """A date as the pages write it.

    >>> long_date(dt.date(2000, 1, 1))
    '1 January 2000'
    """
    return f"{day.day} {day:%B %Y}"


def long_datetime(moment: dt.datetime) -> str:
    """A moment as messages write it, in its own time zone (the caller makes it local).

    >>> long_datetime(dt.datetime(2026, 12, 4, 7, 11))
    '4 December 2026 at 07:11'
    """
    return f"{long_date(moment.date())} at {moment:%H:%M}"


def one_year_after(day: dt.date) -> dt.date:
    """The same day a year later (28 February for 29 February).

    >>> one_year_after(dt.date(2026, 12, 4)), one_year_after(dt.date(2028, 2, 29))
    (datetime.date(2027, 12, 4), datetime.date(2029, 2, 28))
    """
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class DateSpan:
    """The dates from ``earliest`` to ``latest``, both included.

    ``up_to_today`` says ``latest`` is today, so a later date is refused as "in the future".
    """

    earliest: dt.date
    latest: dt.date
    up_to_today: bool = False

    def __contains__(self, day: dt.date) -> bool:
        return self.earliest <= day <= self.latest

    def problem(self, day: dt.date, what: str) -> str | None:
        """What is wrong with ``day`` as ``what`` (a GOV.UK error message), or None.

        >>> span = past_span(dt.date(2026, 12, 4))
        >>> span.problem(dt.date(1066, 1, 1), "Date of the update")
        'Date of the update must be the same as or after 1 January 2000'
        >>> span.problem(dt.date(2026, 12, 5), "Date of the update")
        'Date of the update must be today or in the past'
        >>> planning_span(dt.date(2026, 12, 4)).problem(dt.date(2099, 1, 1), "Date of the paper")
        'Date of the paper must be between 1 January 2000 and 4 December 2027'
        """
        if day in self:
            return None
        if self.up_to_today:
            if day > self.latest:
                return f"{what} must be today or in the past"
            return f"{what} must be the same as or after {long_date(self.earliest)}"
        return f"{what} must be between {long_date(self.earliest)} and {long_date(self.latest)}"


def planning_span(today: dt.date) -> DateSpan:
    """Dates a board paper may carry, and the days a national return's quarter may start on."""
    return DateSpan(EARLIEST, one_year_after(today))


def past_span(today: dt.date) -> DateSpan:
    """Dates an update may describe: what has happened, so nothing after today."""
    return DateSpan(EARLIEST, today, up_to_today=True)
