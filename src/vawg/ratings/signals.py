"""Variation and assurance signals (the two Making Data Count icons).

Point type
    A special-cause point is judged by the direction of its evidence. Each piece of evidence
    has a direction: the point's side of the mean (if it is not on it), and the direction of
    each rule that flagged it (beyond a limit, a shift and two-of-three are on the point's
    side; a trend is rising or falling). With polarity "up" a high direction is improvement and
    a low one concern ("down" mirrors it).

    plotthedots (``ptd_calculate_point_type``) uses only the side of the mean. That gives the
    same answer whenever the evidence agrees; it differs only for a trend that runs the other
    way from the point's side (e.g. a rising trend still below the mean), or a trend point
    exactly on the mean. Those points carry evidence both ways, and the ``conflict`` setting
    decides them (default ``"concern"``, so a problem is never hidden). A trend point on the
    mean has only its trend's direction.

    With polarity "neither" the type is ``special_cause_neither_high``/``_low`` by the side of
    the mean; a point exactly on the mean (possible only within a trend) takes its trend's
    direction, and if it ends one trend and starts the other, "high".
"""

from __future__ import annotations

from collections.abc import Iterable

from vawg.ratings.series import Polarity, approx_equal

COMMON_CAUSE = "common_cause"
IMPROVEMENT = "special_cause_improvement"
CONCERN = "special_cause_concern"
NEITHER_HIGH = "special_cause_neither_high"
NEITHER_LOW = "special_cause_neither_low"
NO_DATA = "no_data"

CONSISTENTLY_PASSING = "consistently_passing"
CONSISTENTLY_FAILING = "consistently_failing"
HIT_AND_MISS = "hit_and_miss"
NO_TARGET = "no_target"
NOT_APPLICABLE = "not_applicable"
TOO_FEW_POINTS = "too_few_points"


def judge(direction: int, polarity: Polarity) -> str:
    """``"improvement"``, ``"concern"`` or ``"neither"`` for one direction of evidence.

    >>> judge(1, Polarity.UP), judge(1, Polarity.DOWN), judge(-1, Polarity.NEITHER)
    ('improvement', 'concern', 'neither')
    """
    if polarity is Polarity.NEITHER or direction == 0:
        return "neither"
    return "improvement" if (direction > 0) == (polarity is Polarity.UP) else "concern"


def point_type(
    side: int,
    directions: Iterable[int],
    polarity: Polarity,
    conflict: str = "concern",
) -> str:
    """Classify one point from its side of the mean and its rules' directions.

    ``side`` is +1/-1/0 (above/below/on the mean); ``directions`` lists the direction of each
    flag (empty means common cause).

    Worked examples: above the mean in a rising trend with higher better is improvement; a
    rising trend below the mean is evidence both ways, so ``conflict`` decides.

    >>> point_type(1, [1], Polarity.UP)
    'special_cause_improvement'
    >>> point_type(-1, [1], Polarity.UP)
    'special_cause_concern'
    >>> point_type(-1, [1], Polarity.UP, conflict="improvement")
    'special_cause_improvement'
    >>> point_type(-1, [-1], Polarity.NEITHER)
    'special_cause_neither_low'
    >>> point_type(1, [], Polarity.UP)
    'common_cause'
    """
    directions = [d for d in directions if d != 0]
    if not directions:
        return COMMON_CAUSE
    if polarity is Polarity.NEITHER:
        if side != 0:
            return NEITHER_HIGH if side > 0 else NEITHER_LOW
        return NEITHER_LOW if all(d < 0 for d in directions) else NEITHER_HIGH
    evidence = list(directions)
    if side != 0:
        evidence.append(side)
    verdicts = {judge(d, polarity) for d in evidence}
    if len(verdicts) > 1:
        return IMPROVEMENT if conflict == "improvement" else CONCERN
    return IMPROVEMENT if verdicts == {"improvement"} else CONCERN


def assurance(
    target: float | None,
    polarity: Polarity,
    lower_limit: float | None,
    upper_limit: float | None,
) -> str:
    """Will the process meet the target? Uses the latest segment's process limits.

    Checked in this order: polarity neither -> ``not_applicable``; no target ->
    ``no_target``; no limits (too few points) -> ``too_few_points``. Then, for "up", a target
    at or below the lower limit is ``consistently_passing`` and one at or above the upper limit
    ``consistently_failing`` ("down" mirrors it); otherwise ``hit_and_miss``. A target on a
    limit (within tolerance) counts as pass or fail. (plotthedots uses strict ``<``/``>``, so
    it would call a target exactly on a limit "inconsistent"; the brief for this project asks
    for the inclusive rule.) Passing is checked first, which only matters when the limits
    coincide (a constant series whose value is the target: it always meets it).

    Worked example, limits 16.1 and 30.0 with higher better: target 15 passes, 35 fails, 20
    is hit and miss, 16.1 (on the lower limit) passes.

    >>> [assurance(t, Polarity.UP, 16.1, 30.0) for t in (15.0, 35.0, 20.0, 16.1)]
    ['consistently_passing', 'consistently_failing', 'hit_and_miss', 'consistently_passing']
    >>> assurance(15.0, Polarity.DOWN, 16.1, 30.0)
    'consistently_failing'
    """
    if polarity is Polarity.NEITHER:
        return NOT_APPLICABLE
    if target is None:
        return NO_TARGET
    if lower_limit is None or upper_limit is None:
        return TOO_FEW_POINTS
    at_or_below_lower = target < lower_limit or approx_equal(target, lower_limit)
    at_or_above_upper = target > upper_limit or approx_equal(target, upper_limit)
    if polarity is Polarity.UP:
        if at_or_below_lower:
            return CONSISTENTLY_PASSING
        if at_or_above_upper:
            return CONSISTENTLY_FAILING
    else:
        if at_or_above_upper:
            return CONSISTENTLY_PASSING
        if at_or_below_lower:
            return CONSISTENTLY_FAILING
    return HIT_AND_MISS
