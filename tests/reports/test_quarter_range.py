"""Quarters a return may be for: from 2000Q1 to the quarter a year from today."""

from __future__ import annotations

import datetime as dt

import pytest

from vawg.reports.returns.periods import QuarterError, check_quarter, quarter_range


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 12, 4), ("2000Q1", "2027Q4")),
        (dt.date(2026, 1, 1), ("2000Q1", "2027Q1")),
        (dt.date(2027, 3, 31), ("2000Q1", "2028Q1")),
        (dt.date(2028, 2, 29), ("2000Q1", "2029Q1")),
    ],
)
def test_the_range_runs_from_2000_to_a_year_ahead(today, expected):
    assert quarter_range(today) == expected


def test_the_ends_are_in_and_one_beyond_each_is_out():
    today = dt.date(2026, 12, 4)
    assert check_quarter("2000Q1", today=today) == (2000, 1)
    assert check_quarter("2027Q4", today=today) == (2027, 4)
    for outside in ("1999Q4", "2028Q1", "1900Q1", "9999Q1"):
        with pytest.raises(QuarterError) as refused:
            check_quarter(outside, today=today)
        assert str(refused.value) == (
            f"There is no return for {outside}: give a quarter from 2000Q1 to 2027Q4"
        )


def test_a_badly_written_quarter_is_still_a_format_error():
    with pytest.raises(QuarterError) as refused:
        check_quarter("2022-Q1", today=dt.date(2026, 12, 4))
    assert str(refused.value) == "'2022-Q1' is not a quarter written like 2022Q1"
