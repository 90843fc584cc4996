"""Point types by polarity and conflict, assurance at the limits, and the RAG rule's words."""

import json

import pytest

from vawg.ratings import RAG_RULE, Polarity, RatingSettings, rate_series
from vawg.ratings.signals import assurance, point_type


def months(values, start=2020):
    return [(f"{start + i // 12}-{i % 12 + 1:02d}", v) for i, v in enumerate(values)]


# 13 points alternating 10, 12 (no signal of their own), used to lead into patterns
BASE = [10.0 if i % 2 == 0 else 12.0 for i in range(13)]


# --- point type ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "expected"),
    [
        ("up", "special_cause_improvement"),
        ("down", "special_cause_concern"),
        ("neither", "special_cause_neither_high"),
    ],
)
def test_shift_above_mean_by_polarity(polarity, expected):
    # BASE + seven 11.5s: mean (70 + 72 + 80.5)/20 = 11.125; the 7 are a shift above it
    r = rate_series(months([*BASE, *[11.5] * 7]), RatingSettings(polarity=polarity))
    assert r.mean == pytest.approx(11.125)
    assert r.points[-1].flags == ("shift",)
    assert [p.point_type for p in r.points[-7:]] == [expected] * 7
    assert r.variation == expected


def test_shift_below_mean_neither_is_low():
    # BASE ends with a 10, below the mean (70 + 72 + 73.5)/20 = 10.775, so the run is 8 long
    r = rate_series(months([*BASE, *[10.5] * 7]), RatingSettings(polarity="neither"))
    assert r.variation == "special_cause_neither_low"
    assert r.rag == "amber"
    assert r.reason == (
        "amber: special cause variation (low): 8 months in a row below the mean 10.8; "
        "neither higher nor lower is better"
    )
    assert r.assurance == "not_applicable"


def test_rising_trend_below_the_mean_is_a_conflict():
    # eight 20s then 1..7: mean 188/15 = 12.53. The last 7 rise (improvement if higher is
    # better) but sit below the mean (concern). The conflict setting decides.
    data = months([20.0] * 8 + [1.0, 2, 3, 4, 5, 6, 7])
    concern = rate_series(data, RatingSettings(polarity="up"))
    assert "trend" in concern.points[-1].flags
    assert concern.variation == "special_cause_concern"
    assert concern.rag == "red"
    assert concern.reason.startswith(
        "red: the signals conflict and the conflict setting says concern wins (concern: "
    )
    assert "improvement: 7 months in a row each higher than the one before)" in concern.reason
    improvement = rate_series(data, RatingSettings(polarity="up", conflict="improvement"))
    assert improvement.variation == "special_cause_improvement"
    assert improvement.rag == "green"
    # plotthedots' rule (side of the mean only) gives concern here, like our default


def test_trend_point_exactly_on_the_mean_takes_the_trend_direction():
    assert point_type(0, [1], Polarity.UP) == "special_cause_improvement"
    assert point_type(0, [1], Polarity.DOWN) == "special_cause_concern"
    assert point_type(0, [-1], Polarity.NEITHER) == "special_cause_neither_low"


def test_point_type_without_flags_is_common_cause():
    assert point_type(1, [], Polarity.UP) == "common_cause"


# --- assurance ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "target", "expected"),
    [
        ("up", 9.0, "consistently_passing"),
        ("up", 10.0, "consistently_passing"),  # exactly on the lower limit
        ("up", 10.5, "hit_and_miss"),
        ("up", 20.0, "consistently_failing"),  # exactly on the upper limit
        ("up", 21.0, "consistently_failing"),
        ("down", 21.0, "consistently_passing"),
        ("down", 20.0, "consistently_passing"),
        ("down", 10.0, "consistently_failing"),
        ("down", 15.0, "hit_and_miss"),
    ],
)
def test_assurance(polarity, target, expected):
    assert assurance(target, Polarity(polarity), 10.0, 20.0) == expected


def test_assurance_other_cases():
    assert assurance(None, Polarity.UP, 10.0, 20.0) == "no_target"
    assert assurance(5.0, Polarity.NEITHER, 10.0, 20.0) == "not_applicable"
    assert assurance(5.0, Polarity.UP, None, None) == "too_few_points"


def test_assurance_target_on_computed_limit_with_rounding():
    values = [10.0 if i % 2 == 0 else 12.0 for i in range(15)]
    r = rate_series(months(values), RatingSettings())
    on_lower = 164 / 15 - 5.32  # computed independently, may differ in the last bit
    up = rate_series(months(values), RatingSettings(polarity="up", target=on_lower))
    assert up.assurance == "consistently_passing"
    assert up.reason == (
        "green: target 5.61 is at the lower process limit 5.61 so the process consistently "
        "passes; higher is better"
    )
    down = rate_series(months(values), RatingSettings(polarity="down", target=r.upper_limit))
    assert down.assurance == "consistently_passing"


# --- RAG and its reasons -----------------------------------------------------------------


def test_rag_rule_text_is_on_every_rating():
    r = rate_series(months(BASE), RatingSettings())
    assert r.rule == RAG_RULE
    assert r.to_dict()["rule"] == RAG_RULE
    assert "improvement with a failing target is amber" in RAG_RULE


def test_red_for_a_shift_with_lower_is_better():
    r = rate_series(months([*BASE, *[11.5] * 7]), RatingSettings(polarity="down"))
    assert r.rag == "red"
    assert r.reason == "red: 7 months in a row above the mean 11.1; lower is better"


def test_six_in_a_row_is_not_a_shift_and_is_amber():
    r = rate_series(months([*BASE, *[11.5] * 6]), RatingSettings(polarity="down"))
    assert r.points[-1].flags == ()
    assert r.rag == "amber"
    assert r.reason == "amber: common cause variation; no target set"


def test_red_for_a_value_above_the_upper_limit():
    # 19 points 10/12 then 41: mean (10*10 + 9*12 + 41)/20 = 249/20 = 12.45
    # ranges: 18 of 2, then |41 - 10| = 31 -> mean_mR 67/19 = 3.526; UPL 12.45 + 9.38 = 21.83
    values = [10.0 if i % 2 == 0 else 12.0 for i in range(19)] + [41.0]
    r = rate_series(months(values), RatingSettings(polarity="down"))
    assert r.upper_limit == pytest.approx(12.45 + 2.66 * 67 / 19)
    assert r.points[-1].flags == ("beyond_limit",)
    assert (
        r.reason == "red: latest value 41.0 is above the upper process limit 21.8; lower is better"
    )


def test_green_for_a_low_value_when_lower_is_better():
    values = [10.0 if i % 2 == 0 else 12.0 for i in range(19)] + [1.0]
    r = rate_series(months(values), RatingSettings(polarity="down"))
    assert r.rag == "green"
    assert r.variation == "special_cause_improvement"
    assert r.reason.startswith("green: latest value 1.0 is below the lower process limit ")
    assert r.reason.endswith("; lower is better")


def test_green_for_a_target_always_met():
    values = [10.0 if i % 2 == 0 else 12.0 for i in range(15)]  # limits 5.61 and 16.25
    r = rate_series(months(values), RatingSettings(polarity="up", target=5.0))
    assert r.rag == "green"
    assert r.reason == (
        "green: target 5.0 is below the lower process limit 5.61 so the process consistently "
        "passes; higher is better"
    )


def test_red_for_a_target_never_met():
    values = [10.0 if i % 2 == 0 else 12.0 for i in range(15)]
    r = rate_series(months(values), RatingSettings(polarity="up", target=17.0))
    assert r.rag == "red"
    assert r.reason == (
        "red: target 17.0 is above the upper process limit 16.3 so the process consistently "
        "fails; higher is better"
    )


def test_amber_hit_and_miss():
    values = [10.0 if i % 2 == 0 else 12.0 for i in range(15)]
    r = rate_series(months(values), RatingSettings(polarity="down", target=11.0))
    assert r.rag == "amber"
    assert r.reason == (
        "amber: common cause variation; target 11.0 lies between the process limits (hit and miss)"
    )


def test_improvement_with_a_failing_target_is_amber_and_says_why():
    # shift above the mean with higher better (improvement), but a target above the UPL: the
    # limits were drawn on a process the improvement has since changed
    r = rate_series(months([*BASE, *[11.5] * 7]), RatingSettings(polarity="up", target=20.0))
    assert r.variation == "special_cause_improvement"
    assert r.assurance == "consistently_failing"
    assert r.rag == "amber"
    assert r.reason == (
        "amber: 7 months in a row above the mean 11.1; target 20.0 is above the upper process "
        "limit 14.7 so the process consistently fails, but the improvement means those limits "
        "no longer describe the process: rebase once the change is sustained; higher is better"
    )


def test_concern_with_a_passing_target_is_red_and_says_so():
    # shift above the mean with lower better (concern), target above the UPL (passing)
    r = rate_series(months([*BASE, *[11.5] * 7]), RatingSettings(polarity="down", target=20.0))
    assert r.variation == "special_cause_concern"
    assert r.assurance == "consistently_passing"
    assert r.rag == "red"
    assert r.reason == (
        "red: 7 months in a row above the mean 11.1; red wins over the good news (target 20.0 "
        "is above the upper process limit 14.7 so the process consistently passes); lower is "
        "better"
    )


def test_trend_reason():
    values = [*BASE[:9], 8.0, 8.5, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5]
    r = rate_series(months(values), RatingSettings(polarity="up"))
    assert "trend" in r.points[-1].flags
    assert "8 months in a row each higher than the one before" in r.reason


def test_to_dict_is_json_ready_and_has_the_agreed_keys():
    data = months([*BASE, None, *[11.5] * 7])
    d = rate_series(data, RatingSettings(polarity="down", target=30.0)).to_dict()
    json.dumps(d)  # no error
    for key in ("mean", "lower_limit", "upper_limit", "points", "variation", "assurance"):
        assert key in d
    for key in ("rag", "reason", "rule"):
        assert isinstance(d[key], str)
    assert d["points"][13]["value"] is None
    assert d["points"][-1]["flags"] == ["shift"]
    assert d["assurance"] == "consistently_passing"
    assert d["polarity"] == "down"
