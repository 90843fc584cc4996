"""Recurrence maths for the governance calendar: when boards meet and when updates fall due.

Pure Python (no Django), so the pack reader, the selectors, scripts and doctests share one
set of rules. A board's cadence is written in plain words in the governance pack and parsed
here into a rule:

- ``monthly on day 31``: the 31st, or the last day of a shorter month (30 April, 28 or 29
  February);
- ``monthly on the 2nd Tuesday`` / ``monthly on the last Friday``;
- ``monthly on the 1st working day`` / ``monthly on the last working day`` (weekends and
  England and Wales bank holidays are not working days);
- ``quarterly in Jan/Apr/Jul/Oct on <day>``: four months three apart, any of the days above;
- ``annually in Mar on <day>``;
- ``every 2 weeks from 2022-01-06`` / ``every week from 2022-01-06``: a fixed interval from
  a first meeting (none before it).

A papers deadline N days before a meeting that falls on a weekend or bank holiday moves back to
the working day before (:func:`working_day_on_or_before`): nobody can be expected to submit on
Easter Sunday.

"Overdue" is a London matter: something due on day D becomes overdue at 00:00 Europe/London
on D + 1, whether the clocks show GMT or BST; see :func:`overdue_from`.

>>> rule = parse_cadence("monthly on day 31")
>>> [d.isoformat() for d in meetings_between(rule, dt.date(2024, 1, 1), dt.date(2024, 4, 30))]
['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']
>>> next_meetings("monthly on the 2nd Tuesday", dt.date(2024, 12, 11), 2)
[datetime.date(2025, 1, 14), datetime.date(2025, 2, 11)]
>>> previous_meeting("every 2 weeks from 2022-01-06", dt.date(2022, 1, 20))
datetime.date(2022, 1, 6)
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice
from zoneinfo import ZoneInfo

__all__ = [
    "BANK_HOLIDAYS_SOURCE",
    "ENGLAND_AND_WALES_BANK_HOLIDAYS",
    "LONDON",
    "CadenceError",
    "CadenceRule",
    "DaySpec",
    "IntervalRule",
    "MonthlyRule",
    "bank_holidays",
    "is_overdue",
    "is_working_day",
    "london_date",
    "meetings_between",
    "next_meeting",
    "next_meetings",
    "overdue_from",
    "parse_cadence",
    "previous_meeting",
    "quarter_label",
    "quarter_reported",
    "standing_bank_holidays",
    "working_day_on_or_before",
]

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")

MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (_stdlib_calendar.month_abbr[number], _stdlib_calendar.month_name[number])
}
WEEKDAY_NAMES = {name.lower(): number for number, name in enumerate(_stdlib_calendar.day_name)}
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}

#: The highest "nth working day" a rule may ask for: every month has at least 15.
MAX_NTH_WORKING_DAY = 15


class CadenceError(ValueError):
    """A cadence that cannot be understood, with what was expected.

    >>> parse_cadence("monthly on the 5th Tuesday")
    Traceback (most recent call last):
    ...
    vawg.governance.calendar.CadenceError: 'monthly on the 5th Tuesday': a month does not \
always have a 5th Tuesday; use 1st to 4th, or 'last'
    """


# --- Bank holidays ---------------------------------------------------------------------------

BANK_HOLIDAYS_SOURCE = (
    "GOV.UK, 'UK bank holidays', England and Wales list (https://www.gov.uk/bank-holidays), "
    "copied by hand for 2021 to 2027 because the tracker runs without internet access. Dates "
    "for years GOV.UK had not yet published follow the standing pattern and must be checked "
    "once it does."
)

_D = dt.date
#: England and Wales bank holidays by year, from :data:`BANK_HOLIDAYS_SOURCE`. One-off days
#: (the 2022 Platinum Jubilee and State Funeral, the 2023 Coronation) are why this is a table
#: and not only a rule.
ENGLAND_AND_WALES_BANK_HOLIDAYS: dict[int, tuple[tuple[dt.date, str], ...]] = {
    2021: (
        (_D(2021, 1, 1), "New Year's Day"),
        (_D(2021, 4, 2), "Good Friday"),
        (_D(2021, 4, 5), "Easter Monday"),
        (_D(2021, 5, 3), "Early May bank holiday"),
        (_D(2021, 5, 31), "Spring bank holiday"),
        (_D(2021, 8, 30), "Summer bank holiday"),
        (_D(2021, 12, 27), "Christmas Day (substitute day)"),
        (_D(2021, 12, 28), "Boxing Day (substitute day)"),
    ),
    2022: (
        (_D(2022, 1, 3), "New Year's Day (substitute day)"),
        (_D(2022, 4, 15), "Good Friday"),
        (_D(2022, 4, 18), "Easter Monday"),
        (_D(2022, 5, 2), "Early May bank holiday"),
        (_D(2022, 6, 2), "Spring bank holiday (moved)"),
        (_D(2022, 6, 3), "Platinum Jubilee bank holiday"),
        (_D(2022, 8, 29), "Summer bank holiday"),
        (_D(2022, 9, 19), "Bank holiday for the State Funeral of Queen Elizabeth II"),
        (_D(2022, 12, 26), "Boxing Day"),
        (_D(2022, 12, 27), "Christmas Day (substitute day)"),
    ),
    2023: (
        (_D(2023, 1, 2), "New Year's Day (substitute day)"),
        (_D(2023, 4, 7), "Good Friday"),
        (_D(2023, 4, 10), "Easter Monday"),
        (_D(2023, 5, 1), "Early May bank holiday"),
        (_D(2023, 5, 8), "Bank holiday for the coronation of King Charles III"),
        (_D(2023, 5, 29), "Spring bank holiday"),
        (_D(2023, 8, 28), "Summer bank holiday"),
        (_D(2023, 12, 25), "Christmas Day"),
        (_D(2023, 12, 26), "Boxing Day"),
    ),
    2024: (
        (_D(2024, 1, 1), "New Year's Day"),
        (_D(2024, 3, 29), "Good Friday"),
        (_D(2024, 4, 1), "Easter Monday"),
        (_D(2024, 5, 6), "Early May bank holiday"),
        (_D(2024, 5, 27), "Spring bank holiday"),
        (_D(2024, 8, 26), "Summer bank holiday"),
        (_D(2024, 12, 25), "Christmas Day"),
        (_D(2024, 12, 26), "Boxing Day"),
    ),
    2025: (
        (_D(2025, 1, 1), "New Year's Day"),
        (_D(2025, 4, 18), "Good Friday"),
        (_D(2025, 4, 21), "Easter Monday"),
        (_D(2025, 5, 5), "Early May bank holiday"),
        (_D(2025, 5, 26), "Spring bank holiday"),
        (_D(2025, 8, 25), "Summer bank holiday"),
        (_D(2025, 12, 25), "Christmas Day"),
        (_D(2025, 12, 26), "Boxing Day"),
    ),
    2026: (
        (_D(2026, 1, 1), "New Year's Day"),
        (_D(2026, 4, 3), "Good Friday"),
        (_D(2026, 4, 6), "Easter Monday"),
        (_D(2026, 5, 4), "Early May bank holiday"),
        (_D(2026, 5, 25), "Spring bank holiday"),
        (_D(2026, 8, 31), "Summer bank holiday"),
        (_D(2026, 12, 25), "Christmas Day"),
        (_D(2026, 12, 28), "Boxing Day (substitute day)"),
    ),
    2027: (
        (_D(2027, 1, 1), "New Year's Day"),
        (_D(2027, 3, 26), "Good Friday"),
        (_D(2027, 3, 29), "Easter Monday"),
        (_D(2027, 5, 3), "Early May bank holiday"),
        (_D(2027, 5, 31), "Spring bank holiday"),
        (_D(2027, 8, 30), "Summer bank holiday"),
        (_D(2027, 12, 27), "Christmas Day (substitute day)"),
        (_D(2027, 12, 28), "Boxing Day (substitute day)"),
    ),
}


def _easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm).

    >>> _easter_sunday(2024), _easter_sunday(2025)
    (datetime.date(2024, 3, 31), datetime.date(2025, 4, 20))
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_weekday(year: int, month: int, weekday: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def _last_weekday(year: int, month: int, weekday: int) -> dt.date:
    last = dt.date(year, month, _stdlib_calendar.monthrange(year, month)[1])
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def standing_bank_holidays(year: int) -> tuple[tuple[dt.date, str], ...]:
    """England and Wales bank holidays by the standing pattern, without one-off days.

    A day falling on a weekend is replaced by the next weekday not already a holiday, which
    gives the substitute days GOV.UK publishes (Christmas on a Saturday: 27 and 28 December).

    >>> [d.isoformat() for d, _ in standing_bank_holidays(2021)][-2:]
    ['2021-12-27', '2021-12-28']
    """
    easter = _easter_sunday(year)
    fixed = [
        (dt.date(year, 1, 1), "New Year's Day"),
        (easter - dt.timedelta(days=2), "Good Friday"),
        (easter + dt.timedelta(days=1), "Easter Monday"),
        (_first_weekday(year, 5, 0), "Early May bank holiday"),
        (_last_weekday(year, 5, 0), "Spring bank holiday"),
        (_last_weekday(year, 8, 0), "Summer bank holiday"),
        (dt.date(year, 12, 25), "Christmas Day"),
        (dt.date(year, 12, 26), "Boxing Day"),
    ]
    # Days on weekdays are placed first so a substitute never lands on a real holiday
    # (Christmas on a Sunday: Boxing Day keeps Monday 26th, Christmas moves to Tuesday 27th).
    taken = {day for day, _ in fixed if day.weekday() < 5}
    result = [(day, name) for day, name in fixed if day.weekday() < 5]
    for day, name in fixed:
        if day.weekday() < 5:
            continue
        substitute = day
        while substitute.weekday() >= 5 or substitute in taken:
            substitute += dt.timedelta(days=1)
        taken.add(substitute)
        result.append((substitute, f"{name} (substitute day)"))
    return tuple(sorted(result))


@cache
def bank_holidays(year: int) -> frozenset[dt.date]:
    """The England and Wales bank holidays of one year.

    From the table for the years it covers; for any other year the standing pattern, with a
    warning, since one-off holidays cannot be foreseen.

    >>> dt.date(2022, 9, 19) in bank_holidays(2022)
    True
    """
    if year in ENGLAND_AND_WALES_BANK_HOLIDAYS:
        return frozenset(day for day, _ in ENGLAND_AND_WALES_BANK_HOLIDAYS[year])
    logger.warning(
        "no bank holiday table for %d: using the standing pattern, which misses one-off days; "
        "extend ENGLAND_AND_WALES_BANK_HOLIDAYS from GOV.UK",
        year,
    )
    return frozenset(day for day, _ in standing_bank_holidays(year))


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday.

    >>> is_working_day(dt.date(2024, 12, 24)), is_working_day(dt.date(2024, 12, 25))
    (True, False)
    """
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def working_day_on_or_before(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the last working day before it.

    >>> working_day_on_or_before(dt.date(2025, 4, 20))  # Easter Sunday: Good Friday is off too
    datetime.date(2025, 4, 17)
    """
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


# --- Rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DaySpec:
    """Which day of a month: a day number, an nth weekday, or an nth working day.

    ``n`` is 1-based; -1 means the last. ``weekday`` is 0 (Monday) to 6 (Sunday) for
    ``kind == "weekday"``.
    """

    kind: str  # "day" | "weekday" | "working_day"
    n: int
    weekday: int | None = None

    def in_month(self, year: int, month: int) -> dt.date:
        """The date this spec picks in one month; every spec picks exactly one."""
        length = _stdlib_calendar.monthrange(year, month)[1]
        if self.kind == "day":
            # "day 31" in a 30-day month or in February means that month's last day.
            return dt.date(year, month, min(self.n, length))
        if self.kind == "weekday":
            assert self.weekday is not None
            if self.n == -1:
                return _last_weekday(year, month, self.weekday)
            first = _first_weekday(year, month, self.weekday)
            return first + dt.timedelta(weeks=self.n - 1)
        working = [
            d
            for d in (dt.date(year, month, day) for day in range(1, length + 1))
            if is_working_day(d)
        ]
        return working[-1] if self.n == -1 else working[self.n - 1]


@dataclass(frozen=True)
class MonthlyRule:
    """One meeting in each of ``months`` (1 to 12), on the day ``day`` picks."""

    text: str
    months: tuple[int, ...]
    day: DaySpec

    def forward(self, start: dt.date) -> Iterator[dt.date]:
        """Meeting dates on or after ``start``, in order, without end.

        Lazy, so asking for the next meeting never works out (or warns about) later years.
        """
        year, month = start.year, start.month
        while True:
            if month in self.months:
                day = self.day.in_month(year, month)
                if day >= start:
                    yield day
            # December rolls over into January of the next year.
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)

    def backward(self, before: dt.date) -> Iterator[dt.date]:
        """Meeting dates strictly before ``before``, latest first, without end."""
        year, month = before.year, before.month
        while True:
            if month in self.months:
                day = self.day.in_month(year, month)
                if day < before:
                    yield day
            # January rolls back into December of the year before.
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)

    def between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Meeting dates from ``start`` to ``end``, both included, in order."""
        dates: list[dt.date] = []
        for day in self.forward(start):
            if day > end:
                break
            dates.append(day)
        return dates


@dataclass(frozen=True)
class IntervalRule:
    """A meeting every ``weeks`` weeks from ``first`` (no meetings before it)."""

    text: str
    weeks: int
    first: dt.date

    def forward(self, start: dt.date) -> Iterator[dt.date]:
        """Meeting dates on or after ``start``, in order, without end."""
        step = 7 * self.weeks
        # Jump straight to the first meeting on or after start instead of walking from `first`.
        offset = max(0, (start - self.first).days)
        day = self.first + dt.timedelta(days=-(-offset // step) * step)
        while True:
            yield day
            day += dt.timedelta(days=step)

    def backward(self, before: dt.date) -> Iterator[dt.date]:
        """Meeting dates strictly before ``before``, latest first, back to ``first``."""
        step = 7 * self.weeks
        if before <= self.first:
            return
        day = self.first + dt.timedelta(days=((before - self.first).days - 1) // step * step)
        while day >= self.first:
            yield day
            day -= dt.timedelta(days=step)

    def between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Meeting dates from ``start`` to ``end``, both included, in order."""
        dates: list[dt.date] = []
        for day in self.forward(start):
            if day > end:
                break
            dates.append(day)
        return dates


CadenceRule = MonthlyRule | IntervalRule

_ORDINAL_RE = re.compile(r"^(?:(\d+)(?:st|nd|rd|th)|(first|second|third|fourth|fifth|last))$")
_MONTHLY_RE = re.compile(r"^monthly on (?P<day>.+)$")
_QUARTERLY_RE = re.compile(r"^quarterly in (?P<months>[a-z/ ]+?) on (?P<day>.+)$")
_ANNUAL_RE = re.compile(r"^(?:annually|yearly) in (?P<month>[a-z]+) on (?P<day>.+)$")
_INTERVAL_RE = re.compile(
    r"^every (?:(?P<weeks>\d+) weeks|week|fortnight) from (?P<first>\d{4}-\d{2}-\d{2})$"
)

_EXPECTED = (
    "expected e.g. 'monthly on the 2nd Tuesday', 'monthly on day 31', "
    "'quarterly in Jan/Apr/Jul/Oct on the last working day', 'annually in Mar on day 1' or "
    "'every 2 weeks from 2022-01-06'"
)


def _ordinal(word: str, text: str) -> int:
    match = _ORDINAL_RE.match(word)
    if not match:
        raise CadenceError(f"{text!r}: {word!r} is not an ordinal like '2nd' or 'last'")
    if match.group(1):
        return int(match.group(1))
    return ORDINAL_WORDS[match.group(2)]


def _day_spec(words: str, text: str) -> DaySpec:
    day_match = re.fullmatch(r"day (\d{1,2})", words)
    if day_match:
        n = int(day_match.group(1))
        if not 1 <= n <= 31:
            raise CadenceError(f"{text!r}: day {n} is not between 1 and 31")
        return DaySpec("day", n)
    parts = words.split()
    if len(parts) >= 3 and parts[0] == "the":
        n = _ordinal(parts[1], text)
        rest = " ".join(parts[2:])
        if rest == "working day":
            if n != -1 and not 1 <= n <= MAX_NTH_WORKING_DAY:
                raise CadenceError(
                    f"{text!r}: working day {n} is not between 1 and {MAX_NTH_WORKING_DAY}, "
                    "nor 'last'"
                )
            return DaySpec("working_day", n)
        if rest in WEEKDAY_NAMES:
            if n != -1 and not 1 <= n <= 4:
                raise CadenceError(
                    f"{text!r}: a month does not always have a {parts[1]} {rest.title()}; "
                    "use 1st to 4th, or 'last'"
                )
            return DaySpec("weekday", n, WEEKDAY_NAMES[rest])
    raise CadenceError(
        f"{text!r}: {words!r} is not a day; expected 'day 15', 'the 2nd Tuesday', "
        "'the last Friday' or 'the last working day'"
    )


def _month(word: str, text: str) -> int:
    try:
        return MONTH_NAMES[word.strip()]
    except KeyError:
        raise CadenceError(f"{text!r}: {word.strip()!r} is not a month name") from None


@cache
def parse_cadence(text: str) -> CadenceRule:
    """Parse a cadence written in words (see the module docstring), or raise CadenceError.

    >>> parse_cadence("quarterly in Jan/Apr/Jul/Oct on the last working day").months
    (1, 4, 7, 10)
    >>> parse_cadence("every 2 weeks from 2022-01-06")
    IntervalRule(text='every 2 weeks from 2022-01-06', weeks=2, first=datetime.date(2022, 1, 6))
    """
    if not isinstance(text, str) or not text.strip():
        raise CadenceError(f"{text!r}: a cadence is required; {_EXPECTED}")
    words = " ".join(text.lower().replace(",", " ").split())
    if match := _INTERVAL_RE.match(words):
        try:
            first = dt.date.fromisoformat(match.group("first"))
        except ValueError:
            raise CadenceError(f"{text!r}: {match.group('first')} is not a real date") from None
        if match.group("weeks"):
            weeks = int(match.group("weeks"))
        else:
            weeks = 2 if "fortnight" in words else 1
        if not 1 <= weeks <= 52:
            raise CadenceError(f"{text!r}: the interval must be 1 to 52 weeks")
        return IntervalRule(text, weeks, first)
    if match := _MONTHLY_RE.match(words):
        return MonthlyRule(text, tuple(range(1, 13)), _day_spec(match.group("day"), text))
    if match := _QUARTERLY_RE.match(words):
        months = tuple(_month(word, text) for word in match.group("months").split("/"))
        first = min(months)
        if sorted(months) != [first, first + 3, first + 6, first + 9]:
            raise CadenceError(
                f"{text!r}: a quarterly cadence names four months three apart, e.g. Jan/Apr/Jul/Oct"
            )
        return MonthlyRule(text, tuple(sorted(months)), _day_spec(match.group("day"), text))
    if match := _ANNUAL_RE.match(words):
        month = _month(match.group("month"), text)
        return MonthlyRule(text, (month,), _day_spec(match.group("day"), text))
    raise CadenceError(f"{text!r}: not a cadence I know; {_EXPECTED}")


def _rule(rule: CadenceRule | str) -> CadenceRule:
    return parse_cadence(rule) if isinstance(rule, str) else rule


def meetings_between(rule: CadenceRule | str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every meeting date from ``start`` to ``end`` (both included), in order.

    >>> meetings_between("monthly on day 31", dt.date(2023, 2, 1), dt.date(2023, 2, 28))
    [datetime.date(2023, 2, 28)]
    """
    if end < start:
        return []
    return _rule(rule).between(start, end)


def next_meetings(rule: CadenceRule | str, on_or_after: dt.date, count: int) -> list[dt.date]:
    """The next ``count`` meetings on or after a date, in order."""
    return list(islice(_rule(rule).forward(on_or_after), max(count, 0)))


def next_meeting(rule: CadenceRule | str, on_or_after: dt.date) -> dt.date | None:
    """The first meeting on or after a date (None only if asked of an empty rule)."""
    return next(_rule(rule).forward(on_or_after), None)


def previous_meeting(rule: CadenceRule | str, before: dt.date) -> dt.date | None:
    """The last meeting strictly before a date, or None (an interval rule before its start).

    >>> previous_meeting("monthly on the 2nd Tuesday", dt.date(2025, 1, 14))
    datetime.date(2024, 12, 10)
    """
    return next(_rule(rule).backward(before), None)


# --- Time of day: overdue in London ----------------------------------------------------------


def _require_aware(now: dt.datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        # A naive time could be UTC or London: guessing would be wrong for an hour twice a year.
        raise ValueError(f"{now!r} has no time zone; pass an aware datetime")


def london_date(now: dt.datetime) -> dt.date:
    """The calendar date in London at an instant.

    >>> london_date(dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.timezone.utc))
    datetime.date(2024, 7, 1)
    """
    _require_aware(now)
    return now.astimezone(LONDON).date()


def overdue_from(due: dt.date) -> dt.datetime:
    """The instant something due on ``due`` becomes overdue: 00:00 London time the day after.

    UK clocks change at 01:00 UTC, so London midnight always exists and is never ambiguous.

    >>> overdue_from(dt.date(2024, 3, 31)).astimezone(dt.timezone.utc).isoformat()
    '2024-03-31T23:00:00+00:00'
    >>> overdue_from(dt.date(2024, 3, 30)).astimezone(dt.timezone.utc).isoformat()
    '2024-03-31T00:00:00+00:00'
    """
    return dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0, 0), tzinfo=LONDON)


def is_overdue(due: dt.date, now: dt.datetime) -> bool:
    """Whether something due on ``due`` is overdue at the aware instant ``now``."""
    _require_aware(now)
    return now >= overdue_from(due)


# --- Quarters --------------------------------------------------------------------------------


def quarter_reported(due: dt.date) -> tuple[int, int]:
    """The calendar quarter (year, 1 to 4) a return due on ``due`` reports: the last quarter
    that ended before it.

    >>> quarter_reported(dt.date(2025, 1, 31)), quarter_reported(dt.date(2025, 4, 30))
    ((2024, 4), (2025, 1))
    """
    quarter = (due.month - 1) // 3 + 1
    return (due.year - 1, 4) if quarter == 1 else (due.year, quarter - 1)


def quarter_label(year: int, quarter: int) -> str:
    """Words for a calendar quarter.

    >>> quarter_label(2024, 4)
    'October to December 2024'
    """
    first = 3 * (quarter - 1) + 1
    return (
        f"{_stdlib_calendar.month_name[first]} to {_stdlib_calendar.month_name[first + 2]} {year}"
    )
