"""A metric's rating settings (baseline, rebases) reach every rating: reckoner and metric page.

Expected figures are worked out here from the values themselves, not by the ratings package.
"""

from __future__ import annotations

import itertools

import pytest

from factories import make_metric
from vawg.metrics.models import Metric, Observation
from vawg.metrics.reckoner import build_reckoner, metric_series, rate_metric, row_as_dict
from vawg.strategy.models import Force

# 2019-2020 alternate 10 and 12; 2024 alternates 30 and 34 (no data 2021-2023).
EARLY = [(f"{2019 + i // 12}-{i % 12 + 1:02d}", 10.0 if i % 2 == 0 else 12.0) for i in range(24)]
LATE = [(f"2024-{m:02d}", 30.0 if m % 2 else 34.0) for m in range(1, 13)]
REASON = "no outcomes data held for 2021 to 2023"


@pytest.fixture
def rebased(db) -> tuple[Force, Metric]:
    force = Force.objects.create(slug="cambridgeshire", name="Cambridgeshire Constabulary")
    metric = make_metric(
        "outcomes-charged",
        "Outcomes recorded as suspect charged",
        group="context",
        polarity="up",
        source="data.police.uk outcomes",
        dataset="outcomes",
        min_points=12,
        rebase=[{"period": "2024-01", "reason": REASON}],
    )
    for period, value in EARLY + LATE:
        Observation.objects.create(
            metric=metric, force=force, period=period, value=value, numerator=value
        )
    return force, metric


def _limits(values: list[float]) -> tuple[float, float, float]:
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
    amr = sum(ranges) / len(ranges)
    return mean, mean - 2.66 * amr, mean + 2.66 * amr


def test_reckoner_rates_2024_from_its_own_mean_and_limits(rebased):
    force, _ = rebased
    row = row_as_dict(build_reckoner(force, "2024-12").rows[0])
    mean, lower, upper = _limits([v for _, v in LATE])
    assert (mean, lower, upper) == pytest.approx((32.0, 32.0 - 10.64, 32.0 + 10.64))
    assert row["mean"] == pytest.approx(mean)
    assert row["lower_limit"] == pytest.approx(lower)
    assert row["upper_limit"] == pytest.approx(upper)
    # Bridging the gap would have made 10-12 and 30-34 one process: 2024 all special cause.
    assert row["rag"] == "amber"
    assert row["reason"].endswith(f"mean and limits since the rebase at 2024-01 ({REASON})")


def test_a_month_before_the_rebase_is_rated_without_it(rebased):
    force, _ = rebased
    row = row_as_dict(build_reckoner(force, "2020-12").rows[0])
    mean, lower, upper = _limits([v for _, v in EARLY])
    assert row["mean"] == pytest.approx(mean) == pytest.approx(11.0)
    assert (row["lower_limit"], row["upper_limit"]) == pytest.approx((lower, upper))
    assert "rebase" not in row["reason"]


def test_a_month_soon_after_the_rebase_is_grey_and_says_why(rebased):
    force, _ = rebased
    row = row_as_dict(build_reckoner(force, "2024-06").rows[0])
    assert row["rag"] == "grey"
    assert row["reason"] == (
        f"grey: too few points (6 of 12 needed) since the rebase at 2024-01 ({REASON})"
    )


def test_baseline_points_fix_the_limits_on_the_first_points(rebased):
    force, metric = rebased
    metric.rebase = []
    metric.baseline_points = 12
    metric.save()
    rating = rate_metric(metric, metric_series(metric, force))
    mean, lower, upper = _limits([v for _, v in EARLY[:12]])
    assert (rating.mean, rating.lower_limit, rating.upper_limit) == pytest.approx(
        (mean, lower, upper)
    )
    assert rating.segments[0].baseline_points == 12
    # Every 2024 value is far above the 2019 limits.
    assert all("beyond_limit" in p.flags for p in rating.points[-12:])
    assert rating.rag == "green"
