"""The four special-cause rules of Making Data Count, applied to one segment's values.

Every function takes the segment's *present* values in period order (gaps removed: a run of
points "in a row" is a run of consecutive present values) and returns, per value, the
direction(s) of any signal: ``+1`` high/increasing, ``-1`` low/decreasing, ``0`` none.

Equality uses :func:`vawg.ratings.series.approx_equal` (rel 1e-9, abs 1e-12): a value within
tolerance of the mean is ON the mean (it is on neither side, so it breaks a shift); values
within tolerance of each other are a tie (it breaks a trend); a value within tolerance of a
limit is not beyond it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from vawg.ratings.series import approx_equal

#: Points needed in a row for a shift or a trend.
RUN_LENGTH = 7


def side_of(value: float, line: float) -> int:
    """``+1`` above the line, ``-1`` below, ``0`` on it (within tolerance).

    >>> side_of(5.0, 4.0), side_of(3.0, 4.0), side_of(0.1 + 0.2, 0.3)
    (1, -1, 0)
    """
    if approx_equal(value, line):
        return 0
    return 1 if value > line else -1


def beyond_limit(values: Sequence[float], lower: float, upper: float) -> list[int]:
    """Rule 1: a point strictly above the upper or below the lower process limit.

    Worked example, limits 10 and 20: 21 is above (+1), 9 below (-1), 20 on the limit (0).

    >>> beyond_limit([15.0, 21.0, 9.0, 20.0, 10.0], lower=10.0, upper=20.0)
    [0, 1, -1, 0, 0]
    """
    result = []
    for v in values:
        if side_of(v, upper) > 0:
            result.append(1)
        elif side_of(v, lower) < 0:
            result.append(-1)
        else:
            result.append(0)
    return result


def _runs(signs: Sequence[int]) -> list[tuple[int, int, int]]:
    """Maximal runs of equal non-zero signs as ``(start, end_inclusive, sign)``."""
    runs = []
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0:
                runs.append((start, i - 1, signs[start]))
            start = i
    return runs


def shift(values: Sequence[float], centre: float) -> list[int]:
    """Rule 2: 7 or more points in a row all above, or all below, the mean.

    Every point of the run is flagged; a point on the mean belongs to neither side and so
    breaks a run. Worked example, mean 10: seven 11s are a shift, six are not.

    >>> shift([11.0] * 7 + [9.0], 10.0)
    [1, 1, 1, 1, 1, 1, 1, 0]
    >>> shift([11.0] * 6 + [10.0] + [11.0] * 6, 10.0)
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    """
    result = [0] * len(values)
    for start, end, sign in _runs([side_of(v, centre) for v in values]):
        if end - start + 1 >= RUN_LENGTH:
            for i in range(start, end + 1):
                result[i] = sign
    return result


def trend(values: Sequence[float]) -> list[tuple[int, ...]]:
    """Rule 3: 7 or more points in a row each higher (or each lower) than the one before.

    That is 6 or more successive differences of the same sign; a tie (equal values) breaks
    the run. All points of the run are flagged. A point can end a rising run and start a
    falling one, so each point gets a tuple of directions (``()`` when not flagged).

    Worked example: 1..7 rises six times (a trend); 1, 2, 3, 3, 4, 5, 6 has a tie (none).

    >>> trend([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    [(1,), (1,), (1,), (1,), (1,), (1,), (1,)]
    >>> trend([1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0])
    [(), (), (), (), (), (), ()]
    """
    result: list[tuple[int, ...]] = [() for _ in values]
    steps = [side_of(b, a) for a, b in itertools.pairwise(values)]
    for start, end, sign in _runs(steps):
        # steps start..end join points start..end+1
        if end - start + 1 >= RUN_LENGTH - 1:
            for i in range(start, end + 2):
                if sign not in result[i]:
                    result[i] = (*result[i], sign)
    return result


def two_of_three(values: Sequence[float], centre: float, lower: float, upper: float) -> list[int]:
    """Rule 4: 2 or 3 of 3 points in a row close to a process limit, all on one side.

    "Close" is plotthedots' reading (``ptd_spc_standard``: ``close_to_limits =
    !outside_limits & (y < nlpl | y > nupl)``): beyond the line two-thirds of the way from the
    mean to a limit (``mean +/- (2/3) x 2.66 x mean_mR``) but NOT beyond the limit itself.
    A point beyond a limit is already a special cause of its own (rule 1) and says nothing
    about being "close"; counting it here would let one astronomical point and one near
    point make a two-of-three that plotthedots, and so Making Data Count, does not flag. A
    point exactly on a limit is not beyond it, so it can be close. All three points of the
    window must be on the same side of the mean, and only the close points are flagged
    (``ptd_part_of_two_in_three``).

    Worked example, mean 0, limits -/+ 3 (near lines -/+ 2): 2.5, 0.5, 2.5 flags the two
    2.5s; 2.5, -0.5, 2.5 has a point on the other side of the mean, so nothing is flagged;
    3.5, 0.5, 2.5 has only one close point (3.5 is beyond the limit), so nothing either.

    >>> two_of_three([2.5, 0.5, 2.5, 0.5], 0.0, -3.0, 3.0)
    [1, 0, 1, 0]
    >>> two_of_three([2.5, -0.5, 2.5], 0.0, -3.0, 3.0)
    [0, 0, 0]
    >>> two_of_three([3.5, 0.5, 2.5], 0.0, -3.0, 3.0)
    [0, 0, 0]
    """
    near_low = centre + 2 * (lower - centre) / 3
    near_high = centre + 2 * (upper - centre) / 3
    sides = [side_of(v, centre) for v in values]
    close = []
    for v, s in zip(values, sides, strict=True):
        if s > 0 and side_of(v, near_high) > 0 and side_of(v, upper) <= 0:
            close.append(1)
        elif s < 0 and side_of(v, near_low) < 0 and side_of(v, lower) >= 0:
            close.append(-1)
        else:
            close.append(0)
    result = [0] * len(values)
    for j in range(len(values) - 2):
        window = range(j, j + 3)
        side = sides[j]
        if side == 0 or any(sides[i] != side for i in window):
            continue
        hits = [i for i in window if close[i] == side]
        if len(hits) >= 2:
            for i in hits:
                result[i] = side
    return result
