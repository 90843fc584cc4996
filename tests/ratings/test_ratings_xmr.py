"""XmR statistics: published plotthedots examples, hand-worked limits, gaps, screening,
fixed baselines, rebasing, constant series and too few points."""

import math

import pytest

from vawg.ratings import Polarity, RatingSettings, rate_series
from vawg.ratings.xmr import mean_moving_range, segment_statistics

# NHSRplotthedots tests (tests/testthat/test-ptd_spc.R, _snaps/ptd_spc.md) use
# set.seed(123); y = rnorm(20). These are R's values for that draw; the package's snapshot
# records mean 0.142, lpl -3.01, upl 3.29 (screen_outliers = TRUE), and with the series
# split into two facets of 10: 0.0746 / -2.60 / 2.75 and 0.209 / -3.28 / 3.70.
RNORM_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def months(values, start=2020):
    """(period, value) pairs for consecutive months from January of ``start``."""
    return [(f"{start + i // 12}-{i % 12 + 1:02d}", v) for i, v in enumerate(values)]


def test_plotthedots_snapshot_limits():
    r = rate_series(months(RNORM_123), RatingSettings(polarity="up", screen_outliers=True))
    assert round(r.mean, 3) == 0.142
    assert round(r.lower_limit, 2) == -3.01
    assert round(r.upper_limit, 2) == 3.29
    # 20 common cause points, no special cause (snapshot: common_cause 20)
    assert [p.point_type for p in r.points] == ["common_cause"] * 20
    assert r.variation == "common_cause"


def test_plotthedots_snapshot_with_target_is_hit_and_miss():
    # snapshot "summary with a target": target 0.5, improvement_direction increase
    r = rate_series(months(RNORM_123), RatingSettings(polarity="up", target=0.5))
    assert r.assurance == "hit_and_miss"
    assert r.rag == "amber"


def test_plotthedots_two_facets_as_two_segments():
    # Facets of 10 points each; we reproduce them as two segments (rebase at point 11)
    # with min_points lowered to 10 so limits are drawn.
    settings = RatingSettings(
        polarity="up", screen_outliers=True, min_points=10, rebase=(("2020-11", "facet 1"),)
    )
    r = rate_series(months(RNORM_123), settings)
    first, second = r.segments
    assert (round(first.mean, 4), round(first.lower_limit, 2), round(first.upper_limit, 2)) == (
        0.0746,
        -2.60,
        2.75,
    )
    assert (
        round(second.mean, 3),
        round(second.lower_limit, 2),
        round(second.upper_limit, 2),
    ) == (0.209, -3.28, 3.70)
    assert (r.mean, r.lower_limit) == (second.mean, second.lower_limit)
    assert second.reason == "facet 1" and second.start_period == "2020-11"
    assert [p.segment for p in r.points] == [0] * 10 + [1] * 10


def test_hand_worked_limits():
    # 10, 12, 10, ... 10 (15 points: eight 10s, seven 12s)
    # mean = (8*10 + 7*12) / 15 = 164/15 = 10.9333; every moving range is 2, so mean_mR = 2
    # limits = 10.9333 -/+ 2.66*2 = 10.9333 -/+ 5.32 -> 5.6133 and 16.2533
    values = [10.0 if i % 2 == 0 else 12.0 for i in range(15)]
    r = rate_series(months(values), RatingSettings(polarity="down"))
    assert r.mean == pytest.approx(164 / 15)
    assert r.segments[0].mean_moving_range == pytest.approx(2.0)
    assert r.lower_limit == pytest.approx(164 / 15 - 5.32)
    assert r.upper_limit == pytest.approx(164 / 15 + 5.32)
    assert all(p.flags == () for p in r.points)


def test_screening_drops_outlying_moving_range():
    # [10, 11] * 7 + [40]: ranges thirteen 1s and one 29; mean_mR = 42/14 = 3.0
    # cut-off 3.267 * 3 = 9.801 -> 29 dropped -> mean_mR = 13/13 = 1.0
    # mean = (70 + 77 + 40) / 15 = 187/15 = 12.4667
    values = [10.0, 11.0] * 7 + [40.0]
    screened = rate_series(months(values), RatingSettings(polarity="up", screen_outliers=True))
    plain = rate_series(months(values), RatingSettings(polarity="up"))
    assert screened.mean == plain.mean == pytest.approx(187 / 15)
    assert screened.segments[0].mean_moving_range == pytest.approx(1.0)
    assert screened.segments[0].moving_ranges_excluded == 1
    assert screened.upper_limit == pytest.approx(187 / 15 + 2.66)
    assert plain.segments[0].mean_moving_range == pytest.approx(3.0)
    assert plain.upper_limit == pytest.approx(187 / 15 + 7.98)
    # screening narrows the limits, as the plotthedots test checks
    assert (screened.upper_limit - screened.lower_limit) < (plain.upper_limit - plain.lower_limit)
    # 40 is beyond both upper limits (15.13 screened, 20.45 plain); a value of 16 at the
    # same place would be beyond only the screened one
    assert "beyond_limit" in screened.points[-1].flags
    assert screened.upper_limit < 16.0 < plain.upper_limit


def test_screening_drops_a_range_exactly_at_the_cut_off():
    # plotthedots keeps mr < 3.267 * amr, so a range exactly AT the cut-off is dropped.
    # k ranges of 1 and one range x with x = 3.267 * (k + x) / (k + 1)
    # => x = 3.267 k / (k + 1 - 3.267); k = 13 -> x = 3.9570...
    k = 13
    x = 3.267 * k / (k + 1 - 3.267)
    values = [10.0, 11.0] * 7  # 14 values, 13 ranges of 1
    values.append(values[-1] + x)
    amr, excluded = mean_moving_range(values, screen_outliers=True)
    assert excluded == 1
    assert amr == pytest.approx(1.0)
    # just under the cut-off is kept
    values[-1] = values[-2] + x * 0.99
    amr, excluded = mean_moving_range(values, screen_outliers=True)
    assert excluded == 0


def test_gaps_are_absent_not_zero():
    data = [("2020-01", 10.0), ("2020-02", None), ("2020-03", 14.0), ("2020-05", 12.0)]
    r = rate_series(data, RatingSettings(min_points=2))
    seg = r.segments[0]
    # moving ranges only between present neighbours: |14-10| = 4, |12-14| = 2 -> mean 3
    assert seg.n_points == 3
    assert seg.mean == pytest.approx(12.0)
    assert seg.mean_moving_range == pytest.approx(3.0)
    assert [p.period for p in r.points] == ["2020-01", "2020-02", "2020-03", "2020-05"]
    gap = r.points[1]
    assert gap.value is None and gap.flags == () and gap.point_type is None
    assert r.to_dict()["points"][1] == {
        "period": "2020-02",
        "value": None,
        "flags": [],
        "segment": 0,
        "mean": 12.0,
        "lower_limit": seg.lower_limit,
        "upper_limit": seg.upper_limit,
        "point_type": None,
    }


def test_nan_is_a_gap_and_input_order_does_not_matter():
    data = [("2020-03", 3.0), ("2020-01", 1.0), ("2020-02", math.nan)]
    r = rate_series(data, RatingSettings(min_points=2))
    assert [(p.period, p.value) for p in r.points] == [
        ("2020-01", 1.0),
        ("2020-02", None),
        ("2020-03", 3.0),
    ]


def test_constant_series_limits_equal_mean_and_nothing_is_special():
    r = rate_series(months([5.0] * 20), RatingSettings(polarity="up"))
    assert r.mean == r.lower_limit == r.upper_limit == 5.0
    assert all(p.flags == () for p in r.points)
    assert r.variation == "common_cause"
    assert r.rag == "amber"
    # a constant series whose value is the target always meets it
    hit = rate_series(months([5.0] * 20), RatingSettings(polarity="up", target=5.0))
    assert hit.assurance == "consistently_passing" and hit.rag == "green"
    miss = rate_series(months([5.0] * 20), RatingSettings(polarity="up", target=6.0))
    assert miss.assurance == "consistently_failing" and miss.rag == "red"


def test_constant_decimal_series_with_rounding_error_is_on_the_mean():
    # 0.1 + 0.2 style rounding: the mean of twenty 0.3s computed from 0.1+0.2 is not
    # bit-identical to every point, but no point may count as above or below it.
    values = [0.1 + 0.2 if i % 2 else 0.3 for i in range(20)]
    r = rate_series(months(values), RatingSettings(polarity="up"))
    assert all(p.flags == () for p in r.points)


def test_too_few_points_is_a_run_chart():
    r = rate_series(months([10.0, 12.0] * 6), RatingSettings(polarity="up", target=5.0))
    assert r.mean == pytest.approx(11.0)
    assert r.lower_limit is None and r.upper_limit is None
    assert r.assurance == "too_few_points"
    assert r.rag == "grey"
    assert r.reason == "grey: too few points (12 of 15 needed)"
    assert all(p.lower_limit is None for p in r.points)


def test_run_chart_still_flags_shifts_but_stays_grey():
    # 5 zeros then 9 tens (14 points): mean 90/14 = 6.43; the 9 tens are a shift above.
    # Shift and trend need only the mean, so they are computed on a run chart.
    r = rate_series(months([0.0] * 5 + [10.0] * 9), RatingSettings(polarity="up"))
    assert [p.flags for p in r.points] == [()] * 5 + [("shift",)] * 9
    assert r.variation == "special_cause_improvement"
    assert r.rag == "grey"
    assert r.reason == "grey: too few points (14 of 15 needed)"


def test_no_data_is_grey():
    r = rate_series([], RatingSettings())
    assert (r.rag, r.reason, r.variation, r.mean) == ("grey", "grey: no data", "no_data", None)
    only_gaps = rate_series([("2020-01", None)], RatingSettings())
    assert only_gaps.rag == "grey" and only_gaps.variation == "no_data"


def test_fix_after_n_points_uses_only_the_baseline():
    baseline = [10.0 if i % 2 == 0 else 12.0 for i in range(15)]  # mean 164/15, mR 2
    values = baseline + [30.0] * 5
    fixed = rate_series(months(values), RatingSettings(polarity="up", fix_after_n_points=15))
    assert fixed.mean == pytest.approx(164 / 15)
    assert fixed.upper_limit == pytest.approx(164 / 15 + 5.32)
    assert fixed.segments[0].baseline_points == 15
    assert fixed.segments[0].n_points == 20
    assert [("beyond_limit" in p.flags) for p in fixed.points] == [False] * 15 + [True] * 5
    free = rate_series(months(values), RatingSettings(polarity="up"))
    assert free.mean == pytest.approx((164 + 150) / 20)


def test_fix_after_must_allow_limits():
    with pytest.raises(ValueError, match="fix_after_n_points"):
        RatingSettings(fix_after_n_points=12)
    RatingSettings(fix_after_n_points=12, min_points=12)  # allowed


def test_rebase_recalculates_limits_from_that_period():
    before = [10.0 if i % 2 == 0 else 12.0 for i in range(20)]  # mean 11
    after = [30.0 if i % 2 == 0 else 32.0 for i in range(20)]  # mean 31
    data = months(before + after)
    rebased = rate_series(
        data, RatingSettings(polarity="up", rebase=(("2021-09", "new recording rules"),))
    )
    assert [s.start_period for s in rebased.segments] == ["2020-01", "2021-09"]
    assert [s.reason for s in rebased.segments] == [None, "new recording rules"]
    assert rebased.segments[0].mean == pytest.approx(11.0)
    assert rebased.mean == pytest.approx(31.0)
    assert rebased.lower_limit == pytest.approx(31.0 - 5.32)
    assert all(p.flags == () for p in rebased.points)
    assert [p.segment for p in rebased.points] == [0] * 20 + [1] * 20
    # without the rebase the step change is special cause everywhere
    plain = rate_series(data, RatingSettings(polarity="up"))
    assert "shift" in plain.points[-1].flags
    assert plain.variation == "special_cause_improvement"


def test_rebase_with_too_few_points_since_is_grey_and_says_so():
    values = [10.0 if i % 2 == 0 else 12.0 for i in range(20)] + [30.0] * 5
    r = rate_series(
        months(values), RatingSettings(polarity="up", rebase=(("2021-09", "new rules"),))
    )
    assert r.rag == "grey"
    assert r.reason == (
        "grey: too few points (5 of 15 needed) since the rebase at 2021-09 (new rules)"
    )
    assert r.upper_limit is None
    assert r.segments[0].upper_limit is not None  # earlier segment keeps its limits


def test_rebase_after_the_data_leaves_an_empty_latest_segment():
    values = [10.0 if i % 2 == 0 else 12.0 for i in range(20)]
    r = rate_series(
        months(values), RatingSettings(polarity="up", rebase=(("2023-01", "new system"),))
    )
    assert r.segments[-1].n_points == 0
    assert r.rag == "grey"
    assert r.reason.startswith("grey: no data since the rebase at 2023-01")


def test_segment_statistics_directly():
    seg = segment_statistics([1.0, 3.0, 2.0], RatingSettings(min_points=3))
    # mean 2, ranges 2 and 1 -> mean_mR 1.5, limits 2 -/+ 3.99
    assert (seg.mean, seg.mean_moving_range) == (2.0, 1.5)
    assert seg.lower_limit == pytest.approx(-1.99)
    assert seg.upper_limit == pytest.approx(5.99)


def test_quarterly_series():
    data = [(f"{2020 + i // 4}Q{i % 4 + 1}", 10.0 if i % 2 else 12.0) for i in range(16)]
    r = rate_series(data, RatingSettings(polarity="up"))
    assert r.points[0].period == "2020Q1"
    assert r.mean == pytest.approx(11.0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([("2020-13", 1.0)], "not a period"),
        ([("2020-01", 1.0), ("2020Q2", 1.0)], "one frequency"),
        ([("2020-01", 1.0), ("2020-01", 2.0)], "more than once"),
        ([("2020-01", "abc")], "not a number"),
        ([("2020-01", math.inf)], "not finite"),
    ],
)
def test_bad_series_raise_value_error(data, message):
    with pytest.raises(ValueError, match=message):
        rate_series(data, RatingSettings())


def test_settings_validation():
    assert RatingSettings(polarity="down").polarity is Polarity.DOWN
    with pytest.raises(ValueError):
        RatingSettings(polarity="sideways")
    with pytest.raises(ValueError, match="conflict"):
        RatingSettings(conflict="both")
    with pytest.raises(ValueError, match="reason"):
        RatingSettings(rebase=(("2020-01", ""),))
    with pytest.raises(ValueError, match="not a period"):
        RatingSettings(rebase=(("Jan 2020", "x"),))
    assert RatingSettings(rebase=[("2020-q1", " x ")]).rebase == (("2020Q1", "x"),)
