"""XmR (individuals and moving range) statistics: mean, moving ranges, limits, segments.

The method follows NHSRplotthedots (``ptd_spc_standard``) and NHS England's Making Data Count:

- ``mean`` is the mean of the baseline values;
- ``mR_i = |y_i - y_(i-1)|``; ``mean_mR`` is their mean;
- optional screening drops every moving range ``>= 3.267 x mean_mR`` and recomputes
  ``mean_mR`` (plotthedots keeps ``mr < 3.267 * amr``, so a range exactly on the cut-off is
  dropped; we do the same);
- process limits are ``mean -/+ 2.66 x mean_mR``.

Gaps: a missing period is simply absent, never a zero. Moving ranges are taken between
consecutive *present* values, i.e. across a gap between the neighbours that exist. (This is
how plotthedots treats a series without the missing rows; were an NA row left in, R's
``diff`` would instead drop the two ranges next to it. We choose "absent rows" so one
missing month does not discard two ranges of evidence.)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from vawg.ratings.series import RatingSettings, Segment, approx_equal, parse_period

#: Process limits sit this many mean moving ranges from the mean (3 / d2, d2 = 1.128).
LIMIT_FACTOR = 2.66
#: A moving range at or above this many mean moving ranges is screened out (3.267 = D4).
SCREEN_FACTOR = 3.267
#: The "near limit" line for two-of-three sits two-thirds of the way from mean to limit.
NEAR_FACTOR = 2 * LIMIT_FACTOR / 3


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean, or ``None`` for no values.

    >>> mean([1.0, 2.0, 6.0])
    3.0
    >>> mean([]) is None
    True
    """
    return sum(values) / len(values) if values else None


def moving_ranges(values: Sequence[float]) -> list[float]:
    """Absolute differences between consecutive values (one fewer than the values).

    >>> moving_ranges([10.0, 12.0, 9.0, 9.0])
    [2.0, 3.0, 0.0]
    """
    return [abs(b - a) for a, b in itertools.pairwise(values)]


def mean_moving_range(
    values: Sequence[float], screen_outliers: bool = False
) -> tuple[float | None, int]:
    """Mean moving range of ``values`` and how many ranges screening excluded.

    With ``screen_outliers``, ranges ``>= 3.267 x`` the first mean are dropped and the mean is
    recomputed. A mean moving range of 0 (a constant series) has nothing to screen.

    Worked example: values 10, 11, 10, 11, 10, 30, 10, 11 have ranges
    1, 1, 1, 1, 20, 20, 1 (mean 45/7 = 6.43); the cut-off is 3.267 x 6.43 = 21.0, so nothing
    is screened. Values 10, 11 x 10 then 40 have ranges 1 x 10 and 29: mean 39/11 = 3.545,
    cut-off 11.58, so 29 goes and the mean becomes 10/10 = 1.0.

    >>> mean_moving_range([10, 11, 10, 11, 10, 30, 10, 11], screen_outliers=True)
    (6.428571428571429, 0)
    >>> mean_moving_range([10, 11] * 5 + [10, 40], screen_outliers=True)
    (1.0, 1)
    >>> mean_moving_range([5.0])
    (None, 0)
    """
    ranges = moving_ranges(values)
    amr = mean(ranges)
    if amr is None or not screen_outliers or amr == 0:
        return amr, 0
    cut_off = SCREEN_FACTOR * amr
    kept = [r for r in ranges if r < cut_off and not approx_equal(r, cut_off)]
    # kept is never empty: not every range can be >= 3.267 x their own mean.
    return mean(kept), len(ranges) - len(kept)


def process_limits(centre: float, amr: float) -> tuple[float, float]:
    """Lower and upper process limits: ``mean -/+ 2.66 x mean moving range``.

    Worked example: mean 20, mean moving range 3 gives 20 -/+ 7.98.

    >>> lower, upper = process_limits(20.0, 3.0)
    >>> round(lower, 2), round(upper, 2)
    (12.02, 27.98)
    """
    return centre - LIMIT_FACTOR * amr, centre + LIMIT_FACTOR * amr


def near_limits(centre: float, amr: float) -> tuple[float, float]:
    """The two-of-three lines, two-thirds of the way from the mean to each limit.

    >>> lower, upper = near_limits(20.0, 3.0)
    >>> round(lower, 2), round(upper, 2)
    (14.68, 25.32)
    """
    return centre - NEAR_FACTOR * amr, centre + NEAR_FACTOR * amr


def segment_statistics(
    values: Sequence[float],
    settings: RatingSettings,
    *,
    index: int = 0,
    start_period: str = "",
    reason: str | None = None,
) -> Segment:
    """Mean, mean moving range and limits of one segment's present values.

    The baseline is the first ``fix_after_n_points`` values (all values if not set). Limits
    are drawn only when the baseline has at least ``min_points`` values.

    >>> s = segment_statistics([float(v) for v in range(1, 16)], RatingSettings())
    >>> s.mean, s.mean_moving_range, s.lower_limit, s.upper_limit
    (8.0, 1.0, 5.34, 10.66)
    >>> segment_statistics([1.0, 2.0, 3.0], RatingSettings()).upper_limit is None
    True
    """
    n_fix = settings.fix_after_n_points
    baseline = list(values[:n_fix] if n_fix is not None else values)
    centre = mean(baseline)
    amr, excluded = mean_moving_range(baseline, settings.screen_outliers)
    lower = upper = None
    if centre is not None and amr is not None and len(baseline) >= settings.min_points:
        lower, upper = process_limits(centre, amr)
    return Segment(
        index=index,
        start_period=start_period,
        reason=reason,
        n_points=len(values),
        baseline_points=len(baseline),
        mean=centre,
        mean_moving_range=amr,
        lower_limit=lower,
        upper_limit=upper,
        moving_ranges_excluded=excluded,
    )


def segment_index(periods: Sequence[str], rebase: Sequence[tuple[str, str]]) -> list[int]:
    """Segment number of each (sorted, canonical) period given the rebase periods.

    A rebase starts a new segment at the first period on or after it. Rebases at or before
    the first period, or after the last, create no empty segment in front of the data but
    still count: segment numbers are assigned in rebase order and empty ones are skipped
    by the caller.

    >>> segment_index(["2020-01", "2020-02", "2020-03", "2020-04"], [("2020-03", "new")])
    [0, 0, 1, 1]
    """
    starts = sorted(parse_period(p)[:2] for p, _ in rebase)
    result = []
    for period in periods:
        key = parse_period(period)[:2]
        result.append(sum(1 for s in starts if s <= key))
    return result
