"""``rate_series``: put the statistics, rules, signals and RAG rule together for one series."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from vawg.ratings import rag, rules, signals
from vawg.ratings.series import (
    RatedPoint,
    Rating,
    RatingSettings,
    Segment,
    parse_period,
)
from vawg.ratings.xmr import segment_statistics


def _clean_series(series: Iterable[tuple[str, Any]]) -> tuple[list[tuple[str, float | None]], str]:
    """Validate, canonicalise and sort ``(period, value)`` pairs; return them and the frequency.

    ``None`` and NaN are gaps. Raises ``ValueError`` for a bad period, a non-number, an
    infinite value, a duplicate period or mixed monthly/quarterly periods.
    """
    rows: dict[tuple[int, int], tuple[str, float | None]] = {}
    frequency = ""
    for item in series:
        try:
            period, value = item
        except (TypeError, ValueError):
            raise ValueError(f"each item must be a (period, value) pair, not {item!r}") from None
        year, sub, freq = parse_period(period)
        canonical = f"{year:04d}-{sub:02d}" if freq == "month" else f"{year:04d}Q{sub}"
        if frequency and freq != frequency:
            raise ValueError(
                f"period {period!r} is {freq}ly but the series is {frequency}ly; "
                f"use one frequency per series"
            )
        frequency = freq
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"value for {canonical} is not a number: {value!r}")
            value = float(value)
            if math.isnan(value):
                value = None
            elif math.isinf(value):
                raise ValueError(f"value for {canonical} is not finite: {value!r}")
        if (year, sub) in rows:
            raise ValueError(f"period {canonical} appears more than once")
        rows[(year, sub)] = (canonical, value)
    return [rows[k] for k in sorted(rows)], frequency or "month"


def rate_series(series: Iterable[tuple[str, float | None]], settings: RatingSettings) -> Rating:
    """Rate a monthly (``"YYYY-MM"``) or quarterly (``"YYYYQn"``) series.

    ``series`` is ``(period, value)`` pairs in any order; a ``None`` value (or a period left
    out) is a gap, never a zero. Each rebase in ``settings.rebase`` starts a new segment with
    its own mean and limits; the rules run per segment. Returns a :class:`Rating` whose
    ``mean``/limits are the latest segment's.

    Worked example: 15 months 10, 12, 10, 12, ... have mean 10.93, mean moving range 2, so
    limits 10.93 -/+ 5.32; the latest point is common cause and with no target it is amber.

    >>> data = [(f"2023-{m:02d}", 10.0 if m % 2 else 12.0) for m in range(1, 13)]
    >>> data += [("2024-01", 10.0), ("2024-02", 12.0), ("2024-03", 10.0)]
    >>> r = rate_series(data, RatingSettings(polarity="down"))
    >>> round(r.mean, 2), round(r.lower_limit, 2), round(r.upper_limit, 2)
    (10.93, 5.61, 16.25)
    >>> r.rag, r.reason
    ('amber', 'amber: common cause variation; no target set')
    """
    rows, frequency = _clean_series(series)
    unit = "months" if frequency == "month" else "quarters"
    rebases = sorted(settings.rebase, key=lambda pr: parse_period(pr[0])[:2])
    if rows:
        for period, _ in rebases:
            if parse_period(period)[2] != frequency:
                raise ValueError(
                    f"rebase period {period!r} does not match the {frequency}ly series"
                )

    # Group rows by how many rebases have started by their period.
    rebase_keys = [parse_period(p)[:2] for p, _ in rebases]
    groups: dict[int, list[tuple[str, float | None]]] = {}
    for period, value in rows:
        key = parse_period(period)[:2]
        groups.setdefault(sum(1 for k in rebase_keys if k <= key), []).append((period, value))
    if rows and rebases and rebase_keys[-1] > parse_period(rows[-1][0])[:2]:
        groups[len(rebases)] = []  # a rebase after the last data: the latest segment is empty

    segments: list[Segment] = []
    points: list[RatedPoint] = []
    evidence_by_period: dict[str, list[rag.Evidence]] = {}
    for index, raw in enumerate(sorted(groups)):
        group = groups[raw]
        if raw == 0:
            start, reason = group[0][0], None
        else:
            start, reason = rebases[raw - 1]
        present = [(p, v) for p, v in group if v is not None]
        values = [v for _, v in present]
        seg = segment_statistics(values, settings, index=index, start_period=start, reason=reason)
        segments.append(seg)
        flags_of, evidence = _apply_rules(present, seg, settings, unit)
        evidence_by_period.update(evidence)
        for period, value in group:
            if value is None:
                points.append(
                    RatedPoint(
                        period, None, (), index, seg.mean, seg.lower_limit, seg.upper_limit, None
                    )
                )
            else:
                flags, ptype = flags_of[period]
                points.append(
                    RatedPoint(
                        period,
                        value,
                        flags,
                        index,
                        seg.mean,
                        seg.lower_limit,
                        seg.upper_limit,
                        ptype,
                    )
                )

    latest_segment = segments[-1] if segments else None
    latest_point = next((p for p in reversed(points) if p.value is not None), None)
    variation = latest_point.point_type if latest_point else signals.NO_DATA
    assert variation is not None  # a present point always has a type
    lower = latest_segment.lower_limit if latest_segment else None
    upper = latest_segment.upper_limit if latest_segment else None
    assurance = signals.assurance(settings.target, settings.polarity, lower, upper)
    note = None
    if latest_segment and latest_segment.reason is not None:
        note = f"since the rebase at {latest_segment.start_period} ({latest_segment.reason})"
    rag_value, reason = rag.rag_and_reason(
        n_points=latest_segment.n_points if latest_segment else 0,
        min_points=settings.min_points,
        variation=variation,
        assurance=assurance,
        polarity=settings.polarity,
        target=settings.target,
        lower_limit=lower,
        upper_limit=upper,
        evidence=evidence_by_period.get(latest_point.period, []) if latest_point else [],
        conflict=settings.conflict,
        segment_note=note,
    )
    return Rating(
        mean=latest_segment.mean if latest_segment else None,
        lower_limit=lower,
        upper_limit=upper,
        points=tuple(points),
        variation=variation,
        assurance=assurance,
        rag=rag_value,
        reason=reason,
        rule=rag.RAG_RULE,
        segments=tuple(segments),
        settings=settings,
    )


def _apply_rules(
    present: list[tuple[str, float]], seg: Segment, settings: RatingSettings, unit: str
) -> tuple[dict[str, tuple[tuple[str, ...], str]], dict[str, list[rag.Evidence]]]:
    """Flags and point type of each present value of one segment, and the evidence in words.

    Shift and trend need only the mean, so they run on a run chart (too few points) as well;
    beyond-limit and two-of-three need limits and do not.
    """
    values = [v for _, v in present]
    centre = seg.mean
    n = len(values)
    shift = rules.shift(values, centre) if centre is not None else [0] * n
    trend = rules.trend(values)
    if seg.has_limits:
        assert seg.lower_limit is not None and seg.upper_limit is not None
        beyond = rules.beyond_limit(values, seg.lower_limit, seg.upper_limit)
        two = rules.two_of_three(values, centre, seg.lower_limit, seg.upper_limit)
    else:
        beyond = two = [0] * n

    result: dict[str, tuple[tuple[str, ...], str]] = {}
    evidence: dict[str, list[rag.Evidence]] = {}
    for i, (period, value) in enumerate(present):
        flags: list[str] = []
        directions: list[int] = []
        if beyond[i]:
            flags.append("beyond_limit")
            directions.append(beyond[i])
        if shift[i]:
            flags.append("shift")
            directions.append(shift[i])
        if trend[i]:
            flags.append("trend")
            directions.extend(trend[i])
        if two[i]:
            flags.append("two_of_three")
            directions.append(two[i])
        side = rules.side_of(value, centre) if centre is not None else 0
        ptype = signals.point_type(side, directions, settings.polarity, settings.conflict)
        result[period] = (tuple(flags), ptype)
        if i == n - 1 and flags:
            evidence[period] = _evidence(values, i, side, beyond, shift, trend, two, seg, unit)
    return result, evidence


def _evidence(
    values: list[float],
    i: int,
    side: int,
    beyond: list[int],
    shift: list[int],
    trend: list[tuple[int, ...]],
    two: list[int],
    seg: Segment,
    unit: str,
) -> list[rag.Evidence]:
    """Why the point at ``i`` (the latest) is special cause, in words."""
    fmt = rag.fmt
    value = values[i]
    out: list[rag.Evidence] = []
    if beyond[i]:
        high = beyond[i] > 0
        limit = seg.upper_limit if high else seg.lower_limit
        assert limit is not None
        v, lim = rag.fmt_pair(value, limit)
        out.append(
            rag.Evidence(
                "beyond_limit",
                beyond[i],
                f"latest value {v} is {'above the upper' if high else 'below the lower'} "
                f"process limit {lim}",
            )
        )
    if shift[i]:
        run = 1
        while (
            i - run >= 0
            and shift[i - run] == shift[i]
            and rules.side_of(values[i - run], seg.mean or 0.0) == shift[i]
        ):
            run += 1
        out.append(
            rag.Evidence(
                "shift",
                shift[i],
                f"{run} {unit} in a row {'above' if shift[i] > 0 else 'below'} the mean "
                f"{fmt(seg.mean or 0.0)}",
            )
        )
    for direction in trend[i]:
        run = 1
        while i - run >= 0 and rules.side_of(values[i - run + 1], values[i - run]) == direction:
            run += 1
        out.append(
            rag.Evidence(
                "trend",
                direction,
                f"{run} {unit} in a row each {'higher' if direction > 0 else 'lower'} "
                f"than the one before",
            )
        )
    if two[i]:
        high = two[i] > 0
        window = range(max(0, i - 2), i + 1)
        count = sum(1 for j in window if two[j] == two[i])
        limit = seg.upper_limit if high else seg.lower_limit
        assert limit is not None
        out.append(
            rag.Evidence(
                "two_of_three",
                two[i],
                f"{count} of the last 3 {unit} are close to the "
                f"{'upper' if high else 'lower'} process limit {fmt(limit)} (beyond "
                f"two-thirds of the way from the mean)",
            )
        )
    if side:
        out.append(
            rag.Evidence(
                "side",
                side,
                f"latest value {fmt(value)} is {'above' if side > 0 else 'below'} the mean "
                f"{fmt(seg.mean or 0.0)}",
            )
        )
    return out
