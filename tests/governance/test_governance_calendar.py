"""Recurrence edge cases, working days, and "overdue" in London time across clock changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from vawg.governance.calendar import (
    ENGLAND_AND_WALES_BANK_HOLIDAYS,
    CadenceError,
    is_overdue,
    is_working_day,
    london_date,
    meetings_between,
    next_meeting,
    next_meetings,
    overdue_from,
    parse_cadence,
    previous_meeting,
    quarter_label,
    quarter_reported,
    standing_bank_holidays,
)

D = dt.date
UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


# --- Month ends --------------------------------------------------------------------------------


def test_day_31_is_the_last_day_of_shorter_months_in_2023():
    assert meetings_between("monthly on day 31", D(2023, 1, 1), D(2023, 6, 30)) == [
        D(2023, 1, 31),
        D(2023, 2, 28),
        D(2023, 3, 31),
        D(2023, 4, 30),
        D(2023, 5, 31),
        D(2023, 6, 30),
    ]


def test_day_31_in_february_of_the_leap_year_2024_is_the_29th():
    assert meetings_between("monthly on day 31", D(2024, 2, 1), D(2024, 3, 1)) == [D(2024, 2, 29)]


def test_day_29_every_february_falls_back_to_the_28th_outside_leap_years():
    rule = "annually in Feb on day 29"
    assert meetings_between(rule, D(2023, 1, 1), D(2025, 12, 31)) == [
        D(2023, 2, 28),
        D(2024, 2, 29),
        D(2025, 2, 28),
    ]


def test_a_window_inside_one_month_only_returns_dates_inside_it():
    assert meetings_between("monthly on day 31", D(2024, 4, 1), D(2024, 4, 29)) == []
    assert meetings_between("monthly on day 31", D(2024, 4, 30), D(2024, 4, 30)) == [D(2024, 4, 30)]
    assert meetings_between("monthly on day 31", D(2024, 5, 2), D(2024, 5, 1)) == []


# --- Weekdays ----------------------------------------------------------------------------------


def test_second_tuesday_of_each_month():
    assert meetings_between("monthly on the 2nd Tuesday", D(2024, 10, 1), D(2025, 1, 31)) == [
        D(2024, 10, 8),
        D(2024, 11, 12),
        D(2024, 12, 10),
        D(2025, 1, 14),
    ]


def test_last_thursday_including_a_month_ending_on_one():
    assert meetings_between("Monthly on the LAST thursday", D(2024, 10, 1), D(2024, 11, 30)) == [
        D(2024, 10, 31),
        D(2024, 11, 28),
    ]


def test_first_monday_when_the_month_starts_on_a_monday():
    assert next_meeting("monthly on the first Monday", D(2024, 4, 1)) == D(2024, 4, 1)


# --- Working days: Christmas, New Year, Easter --------------------------------------------------


def test_christmas_2021_on_a_weekend_gives_substitute_days_27_and_28_december():
    assert is_working_day(D(2021, 12, 24))
    assert not is_working_day(D(2021, 12, 25))  # Saturday
    assert not is_working_day(D(2021, 12, 27))
    assert not is_working_day(D(2021, 12, 28))
    assert is_working_day(D(2021, 12, 29))


def test_first_working_day_of_january_skips_new_year_substitute_days():
    rule = "annually in Jan on the 1st working day"
    # 2022: 1 Jan a Saturday, Monday 3rd the substitute; 2023: 1 Jan a Sunday, Monday 2nd.
    assert meetings_between(rule, D(2022, 1, 1), D(2023, 12, 31)) == [D(2022, 1, 4), D(2023, 1, 3)]


def test_last_working_day_of_march_2024_is_before_good_friday():
    # Good Friday 29 March 2024, then a weekend: the last working day is Thursday 28 March.
    assert meetings_between("monthly on the last working day", D(2024, 3, 1), D(2024, 3, 31)) == [
        D(2024, 3, 28)
    ]


def test_first_working_day_of_april_2024_is_after_easter_monday():
    assert next_meeting("monthly on the 1st working day", D(2024, 4, 1)) == D(2024, 4, 2)


def test_last_working_day_of_december_and_quarterly_returns():
    rule = "quarterly in Jan/Apr/Jul/Oct on the last working day"
    assert meetings_between(rule, D(2024, 11, 1), D(2025, 12, 31)) == [
        D(2025, 1, 31),
        D(2025, 4, 30),
        D(2025, 7, 31),
        D(2025, 10, 31),
    ]
    # 31 December 2022 is a Saturday: Friday 30th.
    assert meetings_between(
        "annually in Dec on the last working day", D(2022, 1, 1), D(2022, 12, 31)
    ) == [D(2022, 12, 30)]


def test_one_off_bank_holidays_are_not_working_days():
    assert not is_working_day(D(2022, 6, 2))  # spring bank holiday moved for the Jubilee
    assert not is_working_day(D(2022, 6, 3))  # Platinum Jubilee
    assert not is_working_day(D(2022, 9, 19))  # State Funeral
    assert not is_working_day(D(2023, 5, 8))  # Coronation
    assert is_working_day(D(2022, 5, 30))  # the usual spring bank holiday, moved that year


def test_the_table_matches_the_standing_pattern_apart_from_the_one_off_days():
    one_off = {
        2022: ({D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19)}, {D(2022, 5, 30)}),
        2023: ({D(2023, 5, 8)}, set()),
    }
    for year, table in ENGLAND_AND_WALES_BANK_HOLIDAYS.items():
        listed = {day for day, _ in table}
        pattern = {day for day, _ in standing_bank_holidays(year)}
        extra, missing = one_off.get(year, (set(), set()))
        assert listed - pattern == extra, year
        assert pattern - listed == missing, year
        assert all(day.year == year and day.weekday() < 5 for day in listed), year


def test_a_year_outside_the_table_uses_the_standing_pattern():
    # 2030: Christmas Wednesday; Easter Sunday 21 April.
    assert not is_working_day(D(2030, 4, 19))
    assert not is_working_day(D(2030, 4, 22))
    assert not is_working_day(D(2030, 12, 25))
    assert is_working_day(D(2030, 12, 27))


# --- Year ends and intervals ------------------------------------------------------------------


def test_december_rolls_over_into_january():
    assert next_meetings("monthly on the 2nd Tuesday", D(2024, 12, 11), 2) == [
        D(2025, 1, 14),
        D(2025, 2, 11),
    ]
    assert meetings_between(
        "quarterly in Jan/Apr/Jul/Oct on day 1", D(2024, 11, 1), D(2025, 5, 1)
    ) == [D(2025, 1, 1), D(2025, 4, 1)]
    assert previous_meeting("monthly on day 31", D(2025, 1, 15)) == D(2024, 12, 31)


def test_fortnightly_across_a_year_end():
    rule = "every 2 weeks from 2022-01-06"
    assert meetings_between(rule, D(2022, 12, 15), D(2023, 1, 20)) == [
        D(2022, 12, 22),
        D(2023, 1, 5),
        D(2023, 1, 19),
    ]
    assert previous_meeting(rule, D(2023, 1, 5)) == D(2022, 12, 22)
    assert next_meeting(rule, D(2022, 12, 23)) == D(2023, 1, 5)


def test_an_interval_has_no_meetings_before_its_first():
    rule = "every 2 weeks from 2022-01-06"
    assert previous_meeting(rule, D(2022, 1, 6)) is None
    assert meetings_between(rule, D(2021, 12, 1), D(2022, 1, 25)) == [D(2022, 1, 6), D(2022, 1, 20)]
    assert next_meeting("every week from 2024-01-01", D(2024, 1, 2)) == D(2024, 1, 8)
    assert parse_cadence("every fortnight from 2024-01-01").weeks == 2


def test_previous_meeting_is_strictly_before_the_date():
    assert previous_meeting("monthly on the 2nd Tuesday", D(2024, 11, 12)) == D(2024, 10, 8)
    assert previous_meeting("monthly on the 2nd Tuesday", D(2024, 11, 13)) == D(2024, 11, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("monthly on the 5th Tuesday", "does not always have a 5th Tuesday"),
        ("monthly on day 32", "day 32 is not between 1 and 31"),
        ("quarterly in Jan/Mar/Jul/Oct on day 1", "four months three apart"),
        ("quarterly in Jan/Apr/Jul/Octember on day 1", "'octember' is not a month name"),
        ("every 2 weeks from 2022-02-30", "2022-02-30 is not a real date"),
        ("monthly on the 16th working day", "working day 16 is not between 1 and 15"),
        ("monthly on the 2nd Funday", "'the 2nd funday' is not a day"),
        ("fortnightly", "not a cadence I know"),
        ("", "a cadence is required"),
    ],
)
def test_bad_cadences_say_what_is_wrong(text, expected):
    with pytest.raises(CadenceError, match=expected):
        parse_cadence(text)


# --- Overdue in London time ---------------------------------------------------------------------


def at(*args, tz=UTC) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz)


def test_overdue_from_midnight_london_before_the_spring_clock_change():
    # Clocks go forward at 01:00 UTC on Sunday 31 March 2024; midnight on the 31st is still GMT.
    assert overdue_from(D(2024, 3, 30)) == at(2024, 3, 31, 0, 0)
    assert not is_overdue(D(2024, 3, 30), at(2024, 3, 30, 23, 59, 59))
    assert is_overdue(D(2024, 3, 30), at(2024, 3, 31, 0, 0))


def test_overdue_from_midnight_bst_on_the_day_after_the_spring_clock_change():
    # Due Sunday 31 March 2024: overdue from 00:00 BST on 1 April, which is 23:00 UTC on the 31st.
    assert overdue_from(D(2024, 3, 31)) == at(2024, 3, 31, 23, 0)
    assert not is_overdue(D(2024, 3, 31), at(2024, 3, 31, 22, 59, 59))
    assert is_overdue(D(2024, 3, 31), at(2024, 3, 31, 23, 30))  # still the 31st in UTC
    assert is_overdue(D(2024, 3, 31), at(2024, 4, 1, 0, 0, tz=LONDON))


def test_overdue_the_night_before_the_autumn_clock_change():
    # Clocks go back at 01:00 UTC on Sunday 27 October 2024; midnight on the 27th is BST.
    assert overdue_from(D(2024, 10, 26)) == at(2024, 10, 26, 23, 0)
    assert not is_overdue(D(2024, 10, 26), at(2024, 10, 26, 22, 59))
    assert is_overdue(D(2024, 10, 26), at(2024, 10, 26, 23, 0))


def test_overdue_after_the_autumn_clock_change_uses_gmt_midnight():
    assert overdue_from(D(2024, 10, 27)) == at(2024, 10, 28, 0, 0)
    assert not is_overdue(D(2024, 10, 27), at(2024, 10, 27, 23, 30))  # 23:30 GMT, still the 27th
    assert is_overdue(D(2024, 10, 27), at(2024, 10, 28, 0, 0))
    # The repeated hour 01:00-02:00 London on the 27th is not overdue either time round.
    first = dt.datetime(2024, 10, 27, 1, 30, tzinfo=LONDON, fold=0)
    second = dt.datetime(2024, 10, 27, 1, 30, tzinfo=LONDON, fold=1)
    assert first.astimezone(UTC) == at(2024, 10, 27, 0, 30)
    assert second.astimezone(UTC) == at(2024, 10, 27, 1, 30)
    assert not is_overdue(D(2024, 10, 27), first)
    assert not is_overdue(D(2024, 10, 27), second)
    assert is_overdue(D(2024, 10, 26), first)


def test_overdue_in_winter_and_in_another_time_zone():
    assert overdue_from(D(2025, 1, 31)) == at(2025, 2, 1, 0, 0)
    india = dt.timezone(dt.timedelta(hours=5, minutes=30))
    assert not is_overdue(D(2025, 1, 31), at(2025, 2, 1, 5, 29, tz=india))
    assert is_overdue(D(2025, 1, 31), at(2025, 2, 1, 5, 30, tz=india))


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="no time zone"):
        is_overdue(D(2024, 3, 31), dt.datetime(2024, 4, 1))
    with pytest.raises(ValueError, match="no time zone"):
        london_date(dt.datetime(2024, 4, 1))


def test_london_date_around_the_clock_changes():
    assert london_date(at(2024, 3, 31, 23, 0)) == D(2024, 4, 1)
    assert london_date(at(2024, 3, 30, 23, 30)) == D(2024, 3, 30)
    assert london_date(at(2024, 10, 26, 23, 30)) == D(2024, 10, 27)
    assert london_date(at(2024, 10, 27, 23, 30)) == D(2024, 10, 27)


def test_quarter_reported_by_a_return():
    assert quarter_reported(D(2025, 1, 31)) == (2024, 4)
    assert quarter_reported(D(2025, 7, 31)) == (2025, 2)
    assert quarter_label(2025, 2) == "April to June 2025"


@pytest.mark.parametrize(
    "rule",
    [
        "monthly on day 31",
        "monthly on the last working day",
        "quarterly in Mar/Jun/Sep/Dec on the 2nd Wednesday",
        "annually in Feb on day 29",
        "every 2 weeks from 2022-01-06",
    ],
)
def test_next_and_previous_agree_with_the_listing_every_day_for_two_years(rule):
    listed = meetings_between(rule, D(2021, 1, 1), D(2026, 12, 31))
    day = D(2023, 1, 1)
    while day <= D(2024, 12, 31):
        after = [m for m in listed if m >= day]
        before = [m for m in listed if m < day]
        assert next_meeting(rule, day) == after[0], day
        assert previous_meeting(rule, day) == (before[-1] if before else None), day
        day += dt.timedelta(days=1)


def test_a_deadline_on_a_holiday_moves_back_to_the_working_day_before():
    from vawg.governance.calendar import working_day_on_or_before

    assert working_day_on_or_before(D(2021, 12, 28)) == D(2021, 12, 24)
    assert working_day_on_or_before(D(2024, 4, 1)) == D(2024, 3, 28)  # Easter Monday
    assert working_day_on_or_before(D(2024, 4, 2)) == D(2024, 4, 2)
