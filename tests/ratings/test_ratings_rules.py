"""The four special-cause rules: triggering, not triggering, and their boundaries."""

import pytest

from vawg.ratings import RatingSettings, rate_series
from vawg.ratings.rules import beyond_limit, shift, trend, two_of_three


def months(values, start=2020):
    return [(f"{start + i // 12}-{i % 12 + 1:02d}", v) for i, v in enumerate(values)]


# --- beyond_limit -------------------------------------------------------------------------


def test_beyond_limit_is_strict():
    assert beyond_limit([20.0, 20.000001, 10.0, 9.999999], 10.0, 20.0) == [0, 1, 0, -1]


def test_beyond_limit_tolerates_rounding_on_the_limit():
    assert beyond_limit([0.1 + 0.2], 0.0, 0.3) == [0]


# --- shift --------------------------------------------------------------------------------


def test_shift_needs_seven():
    assert shift([11.0] * 6, 10.0) == [0] * 6
    assert shift([11.0] * 7, 10.0) == [1] * 7
    assert shift([9.0] * 8, 10.0) == [-1] * 8


def test_shift_flags_every_point_of_the_run_only():
    assert shift([9.0, 11, 11, 11, 11, 11, 11, 11, 9], 10.0) == [0, 1, 1, 1, 1, 1, 1, 1, 0]


def test_point_on_the_mean_breaks_a_shift():
    assert shift([11.0] * 3 + [10.0] + [11.0] * 4, 10.0) == [0] * 8
    # rounding error on the mean still counts as ON the mean
    assert shift([1.0] * 3 + [0.1 + 0.2] + [1.0] * 4, 0.3) == [0] * 8


def test_shift_across_a_gap_counts_consecutive_present_points():
    # 13 points alternating about 11, then 7 points at 11.5 with a missing month in the run
    base = [10.0 if i % 2 == 0 else 12.0 for i in range(13)]
    values = [*base, 11.5, 11.5, 11.5, None, 11.5, 11.5, 11.5, 11.5]
    r = rate_series(months(values), RatingSettings(polarity="down"))
    assert [p.flags for p in r.points[13:]] == [("shift",)] * 3 + [()] + [("shift",)] * 4


# --- trend --------------------------------------------------------------------------------


def test_trend_needs_seven_points():
    assert trend([1.0, 2, 3, 4, 5, 6]) == [()] * 6
    assert trend([1.0, 2, 3, 4, 5, 6, 7]) == [(1,)] * 7
    assert trend([7.0, 6, 5, 4, 3, 2, 1, 0]) == [(-1,)] * 8


def test_tie_breaks_a_trend():
    assert trend([1.0, 2, 3, 3, 4, 5, 6, 7]) == [()] * 8
    assert trend([1.0, 2, 3, 3 + 1e-15, 4, 5, 6]) == [()] * 7


def test_trend_flags_only_the_run():
    # plotthedots: ptd_seven_point_trend(c(2, 1:7, 3)) marks the run 1..7 only
    assert trend([2.0, 1, 2, 3, 4, 5, 6, 7, 3]) == [()] + [(1,)] * 7 + [()]


def test_peak_point_belongs_to_rising_and_falling_trends():
    values = [1.0, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    result = trend(values)
    assert result[6] == (1, -1)
    assert result[:6] == [(1,)] * 6 and result[7:] == [(-1,)] * 6


# --- two_of_three -------------------------------------------------------------------------


def test_two_of_three_flags_only_the_near_points():
    # mean 0, limits -/+ 3 -> near lines -/+ 2
    assert two_of_three([2.5, 0.5, 2.5], 0.0, -3.0, 3.0) == [1, 0, 1]
    assert two_of_three([-2.5, -2.5, -0.5], 0.0, -3.0, 3.0) == [-1, -1, 0]
    assert two_of_three([2.5, 2.5, 2.5], 0.0, -3.0, 3.0) == [1, 1, 1]


def test_one_of_three_does_not_trigger():
    assert two_of_three([2.5, 0.5, 0.5, 2.5], 0.0, -3.0, 3.0) == [0, 0, 0, 0]


def test_two_of_three_with_one_on_the_other_side_does_not_trigger():
    assert two_of_three([2.5, -0.5, 2.5], 0.0, -3.0, 3.0) == [0, 0, 0]
    # ... nor with one exactly on the mean
    assert two_of_three([2.5, 0.0, 2.5], 0.0, -3.0, 3.0) == [0, 0, 0]


def test_two_of_three_boundary_on_the_near_line_is_not_near():
    assert two_of_three([2.0, 0.5, 2.0], 0.0, -3.0, 3.0) == [0, 0, 0]


def test_two_of_three_does_not_count_points_beyond_the_limit():
    # plotthedots: close_to_limits = !outside_limits & beyond two-thirds. 3.5 is outside the
    # limit (rule 1 flags it), so 3.5, 0.5, 2.5 has one close point only.
    assert two_of_three([3.5, 0.5, 2.5], 0.0, -3.0, 3.0) == [0, 0, 0]
    assert two_of_three([3.5, 2.5, 2.5], 0.0, -3.0, 3.0) == [0, 1, 1]
    assert beyond_limit([3.5, 0.5, 2.5], -3.0, 3.0) == [1, 0, 0]


def test_two_of_three_point_exactly_on_the_limit_is_close():
    # plotthedots' outside_limits is strict (y > upl), so a point on the limit is close.
    assert two_of_three([3.0, 0.5, 2.5], 0.0, -3.0, 3.0) == [1, 0, 1]
    assert two_of_three([-3.0, -2.5, -0.5], 0.0, -3.0, 3.0) == [-1, -1, 0]


# plotthedots' own unit tests of ptd_two_in_three (its testthat suite, NHSRplotthedots 0.2)
# work on the close_to_limits vector with every point above the mean; the points flagged are
# those of a triggering window that are themselves close (ptd_part_of_two_in_three). Here a
# close point is 2.5 and a point that is not close is 0.5, with mean 0 and limits -/+ 3.
_CLOSE, _NOT = 2.5, 0.5


@pytest.mark.parametrize(
    ("close", "flagged"),
    [
        ((1, 0, 1), (1, 0, 1)),
        ((0, 1, 1), (0, 1, 1)),
        ((1, 1, 0), (1, 1, 0)),
        ((0, 0, 0), (0, 0, 0)),
        # ptd_two_in_three gives 0,0,1,1,1,0,0; only the close points are part of it
        ((0, 0, 1, 0, 1, 0, 0), (0, 0, 1, 0, 1, 0, 0)),
        # ptd_two_in_three gives 0,1,1,1,1,0,0; again only the close points
        ((0, 0, 1, 1, 0, 0, 0), (0, 0, 1, 1, 0, 0, 0)),
    ],
)
def test_plotthedots_two_in_three_unit_examples(close, flagged):
    values = [_CLOSE if c else _NOT for c in close]
    assert two_of_three(values, 0.0, -3.0, 3.0) == list(flagged)


def test_plotthedots_seven_point_trend_examples():
    # ptd_seven_point_trend(c(2, 1:7, 3)) marks the end of the rising run 1..7; every point
    # of that run is part of the trend (ptd_part_of_seven_trend), the 2 and the 3 are not.
    assert trend([2.0, *map(float, range(1, 8)), 3.0]) == [(), *[(1,)] * 7, ()]
    # c(2, 7:1, 3): the falling run 7..1.
    assert trend([2.0, *map(float, range(7, 0, -1)), 3.0]) == [(), *[(-1,)] * 7, ()]
    # c(1:3, 3:6): the tie breaks it.
    assert trend([1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0]) == [()] * 7


def test_plotthedots_symmetric_example_is_common_cause():
    # plotthedots test: data = rep(c(1, -1), 8) with points 15 and 16 set to 5.5 and -5.5:
    # close to opposite limits, on opposite sides of the mean -> both common cause.
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    r = rate_series(months(values), RatingSettings(polarity="up"))
    assert r.mean == 0.0
    assert [p.point_type for p in r.points[-2:]] == ["common_cause", "common_cause"]


def test_rules_run_per_segment():
    # Two flat-ish segments; 7 points above the overall mean would be a shift, but each
    # segment has its own mean.
    first = [10.0 if i % 2 == 0 else 12.0 for i in range(16)]
    second = [20.0 if i % 2 == 0 else 22.0 for i in range(16)]
    data = months(first + second)
    r = rate_series(data, RatingSettings(rebase=(("2021-05", "step"),)))
    assert all(p.flags == () for p in r.points)
    r_plain = rate_series(data, RatingSettings())
    assert all("shift" in p.flags for p in r_plain.points)
