"""Types for the ratings module: periods, polarity, settings and the rating result.

Pure Python (no Django). Everything here is a frozen dataclass or an enum so a rating, once
made, cannot drift from the numbers it was made from.

Periods are strings: ``"YYYY-MM"`` for monthly series and ``"YYYYQn"`` for quarterly ones.
A series must use one frequency throughout.

>>> parse_period("2019-01")
(2019, 1, 'month')
>>> parse_period("2019q3")
(2019, 3, 'quarter')
>>> normalise_period(" 2019-q3 ")
'2019Q3'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: Tolerances for every equality that matters (a point on the mean, on a limit, a tie in a
#: trend, a target on a limit): ``math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)``.
#: Averages of decimal data pick up rounding error in the last bits (0.1 + 0.2 != 0.3), so a
#: value that "is" the mean must still count as on the mean.
REL_TOL = 1e-9
ABS_TOL = 1e-12

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")


def approx_equal(a: float, b: float) -> bool:
    """True when two floats are equal within the module's tolerance.

    >>> approx_equal(0.1 + 0.2, 0.3)
    True
    >>> approx_equal(1.0, 1.0001)
    False
    """
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def parse_period(text: str) -> tuple[int, int, str]:
    """Parse ``"YYYY-MM"`` or ``"YYYYQn"`` into ``(year, month_or_quarter, frequency)``.

    Raises ``ValueError`` with a plain-English message for anything else.

    >>> parse_period("2024-12")
    (2024, 12, 'month')
    >>> parse_period("2024-13")
    Traceback (most recent call last):
    ...
    ValueError: '2024-13' is not a period (expected YYYY-MM or YYYYQn, e.g. 2024-04 or 2024Q2)
    """
    cleaned = text.strip() if isinstance(text, str) else ""
    m = _MONTH.match(cleaned)
    if m and 1 <= int(m.group(2)) <= 12:
        return int(m.group(1)), int(m.group(2)), "month"
    q = _QUARTER.match(cleaned)
    if q:
        return int(q.group(1)), int(q.group(2)), "quarter"
    raise ValueError(
        f"{text!r} is not a period (expected YYYY-MM or YYYYQn, e.g. 2024-04 or 2024Q2)"
    )


def normalise_period(text: str) -> str:
    """Return the canonical spelling of a period (``"2019-04"`` or ``"2019Q2"``)."""
    year, sub, freq = parse_period(text)
    return f"{year:04d}-{sub:02d}" if freq == "month" else f"{year:04d}Q{sub}"


class Polarity(StrEnum):
    """Which direction is better for a metric."""

    UP = "up"  # higher is better
    DOWN = "down"  # lower is better
    NEITHER = "neither"  # neither direction is better

    @property
    def words(self) -> str:
        """How the polarity reads in a sentence, e.g. ``"lower is better"``."""
        return {
            Polarity.UP: "higher is better",
            Polarity.DOWN: "lower is better",
            Polarity.NEITHER: "neither higher nor lower is better",
        }[self]


CONFLICT_CHOICES = ("improvement", "concern")


@dataclass(frozen=True)
class RatingSettings:
    """How to rate one series.

    - ``polarity``: which direction is better (``Polarity`` or its string value).
    - ``target``: optional target value for the assurance signal.
    - ``screen_outliers``: drop moving ranges >= 3.267 x their mean before setting limits.
    - ``fix_after_n_points``: baseline is the first N points of each segment (None = all).
    - ``rebase``: ``((period, reason), ...)``; each starts a new segment from that period.
    - ``min_points``: points needed in a segment before process limits are drawn.
    - ``conflict``: ``"concern"`` (default) or ``"improvement"``; decides a special-cause
      point whose signals point both ways.

    >>> RatingSettings(polarity="down").polarity is Polarity.DOWN
    True
    """

    polarity: Polarity = Polarity.NEITHER
    target: float | None = None
    screen_outliers: bool = False
    fix_after_n_points: int | None = None
    rebase: tuple[tuple[str, str], ...] = ()
    min_points: int = 15
    conflict: str = "concern"

    def __post_init__(self) -> None:
        object.__setattr__(self, "polarity", Polarity(self.polarity))
        if self.target is not None:
            target = float(self.target)
            if not math.isfinite(target):
                raise ValueError(f"target must be a finite number, not {self.target!r}")
            object.__setattr__(self, "target", target)
        if isinstance(self.min_points, bool) or not isinstance(self.min_points, int):
            raise ValueError(f"min_points must be a whole number, not {self.min_points!r}")
        if self.min_points < 2:
            raise ValueError(f"min_points must be at least 2, not {self.min_points}")
        if self.fix_after_n_points is not None and (
            isinstance(self.fix_after_n_points, bool)
            or not isinstance(self.fix_after_n_points, int)
            or self.fix_after_n_points < self.min_points
        ):
            raise ValueError(
                f"fix_after_n_points must be a whole number of at least min_points "
                f"({self.min_points}), not {self.fix_after_n_points!r}: a baseline shorter "
                f"than that could never draw limits"
            )
        if self.conflict not in CONFLICT_CHOICES:
            raise ValueError(f"conflict must be 'improvement' or 'concern', not {self.conflict!r}")
        rebases: list[tuple[str, str]] = []
        for item in self.rebase:
            try:
                period, reason = item
            except (TypeError, ValueError):
                raise ValueError(
                    f"each rebase must be a (period, reason) pair, not {item!r}"
                ) from None
            if not isinstance(reason, str) or not reason.strip():
                raise ValueError(f"the rebase at {period!r} needs a reason")
            rebases.append((normalise_period(period), reason.strip()))
        object.__setattr__(self, "rebase", tuple(rebases))


@dataclass(frozen=True)
class Segment:
    """One stretch of the series between rebases, with the limits calculated for it.

    ``start_period`` is the first period of the segment (for a rebase, the rebase period as
    given, even if that month has no data). ``mean``/``mean_moving_range`` come from the
    ``baseline_points`` present values at the start of the segment; limits are ``None`` when
    fewer than ``min_points`` present points form the baseline (a run chart).
    """

    index: int
    start_period: str
    reason: str | None
    n_points: int
    baseline_points: int
    mean: float | None
    mean_moving_range: float | None
    lower_limit: float | None
    upper_limit: float | None
    moving_ranges_excluded: int = 0

    @property
    def has_limits(self) -> bool:
        """True when process limits were drawn for this segment."""
        return self.lower_limit is not None and self.upper_limit is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the segment."""
        return {
            "index": self.index,
            "start_period": self.start_period,
            "reason": self.reason,
            "n_points": self.n_points,
            "baseline_points": self.baseline_points,
            "mean": self.mean,
            "mean_moving_range": self.mean_moving_range,
            "lower_limit": self.lower_limit,
            "upper_limit": self.upper_limit,
            "moving_ranges_excluded": self.moving_ranges_excluded,
        }


@dataclass(frozen=True)
class RatedPoint:
    """One period of the series with its special-cause flags.

    ``value`` is ``None`` for a gap (missing month); a gap has no flags and ``point_type``
    ``None``. ``flags`` is drawn from ``"beyond_limit"``, ``"shift"``, ``"trend"``,
    ``"two_of_three"``. ``point_type`` is ``"common_cause"``, ``"special_cause_improvement"``,
    ``"special_cause_concern"``, ``"special_cause_neither_high"`` or
    ``"special_cause_neither_low"``. ``mean``/limits are those of the point's segment.
    """

    period: str
    value: float | None
    flags: tuple[str, ...]
    segment: int
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    point_type: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of the point."""
        return {
            "period": self.period,
            "value": self.value,
            "flags": list(self.flags),
            "segment": self.segment,
            "mean": self.mean,
            "lower_limit": self.lower_limit,
            "upper_limit": self.upper_limit,
            "point_type": self.point_type,
        }


@dataclass(frozen=True)
class Rating:
    """The rating of a series: SPC statistics, signals and the RAG with its reason.

    ``mean``/``lower_limit``/``upper_limit`` are the LATEST segment's (limits ``None`` below
    ``min_points``). ``variation`` is the latest point's signal, ``assurance`` compares the
    target with the latest segment's limits, ``rag`` is ``"red"|"amber"|"green"|"grey"`` and
    ``reason`` says why in words. ``rule`` is the RAG rule text (``RAG_RULE``).
    """

    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    points: tuple[RatedPoint, ...]
    variation: str
    assurance: str
    rag: str
    reason: str
    rule: str
    segments: tuple[Segment, ...] = ()
    settings: RatingSettings = field(default_factory=RatingSettings)

    @property
    def latest(self) -> RatedPoint | None:
        """The latest point that has a value, or ``None`` if there is no data."""
        for point in reversed(self.points):
            if point.value is not None:
                return point
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: mean, limits, points, variation, assurance, rag, reason, rule."""
        return {
            "mean": self.mean,
            "lower_limit": self.lower_limit,
            "upper_limit": self.upper_limit,
            "points": [p.to_dict() for p in self.points],
            "variation": self.variation,
            "assurance": self.assurance,
            "rag": self.rag,
            "reason": self.reason,
            "rule": self.rule,
            "polarity": str(self.settings.polarity),
            "target": self.settings.target,
            "segments": [s.to_dict() for s in self.segments],
        }
