"""Metric figures written as sentences for the board paper. Pure Python, no Django.

Every number in a sentence comes from the series passed in; the wording depends only on the
metric's unit, polarity and target and on the options of ``action_metrics.yaml``. A month
without a figure is said to have none, never filled in.

>>> facts = MetricFacts(code="missing-median-minutes", title="Median time missing",
...     unit="minutes", polarity="down", target=None, source="force missing-person extract",
...     generated=True)
>>> series = [Point("2022-02", 172.0), Point("2022-03", 160.0)]
>>> sentence = metric_sentence(FigureSpec("missing-median-minutes"), facts, series, "2022-03")
>>> print(sentence)  # doctest: +NORMALIZE_WHITESPACE
In March 2022 the median time missing was 160 minutes (force missing-person extract, generated
demo data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

#: How the paper marks figures that come from generated (invented) demo extracts.
GENERATED_MARK = "generated demo data"

_SMALL = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}


@dataclass(frozen=True)
class Point:
    """One month's (or quarter's, filed under its last month) figure of a metric."""

    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class MetricFacts:
    """What a sentence needs to know about a metric's definition and provenance."""

    code: str
    title: str
    unit: str
    polarity: str
    target: float | None
    source: str
    generated: bool = False
    quarterly: bool = False


@dataclass(frozen=True)
class FigureSpec:
    """One entry of ``action_metrics.yaml``: a metric and how to write it."""

    metric: str
    phrase: str = ""
    change_months: int = 0
    window_months: int = 0
    compare_months: int = 0
    average_months: int = 0
    recent_months: int = 0
    lowest_since: bool = False
    ordinal: bool = False
    rolling_months: int = 0
    earlier_months: int = 0
    note: str = ""


def month_label(period: str) -> str:
    """``"2022-03"`` → ``"March 2022"``.

    >>> month_label("2021-09")
    'September 2021'
    """
    return dt.date(int(period[:4]), int(period[5:7]), 1).strftime("%B %Y")


def add_months(period: str, months: int) -> str:
    """The month ``months`` after ``period`` (negative for before).

    >>> add_months("2022-03", -6), add_months("2021-12", 1)
    ('2021-09', '2022-01')
    """
    index = int(period[:4]) * 12 + int(period[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def number_words(n: int) -> str:
    """Small whole numbers in words, as prose writes them; larger ones as digits.

    >>> number_words(6), number_words(24)
    ('six', '24')
    """
    return _SMALL.get(n, f"{n:,}")


def ordinal(n: int) -> str:
    """A rank as prose writes it.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 10, 11, 12, 13, 21, 22, 43)]
    ['1st', '2nd', '3rd', '4th', '10th', '11th', '12th', '13th', '21st', '22nd', '43rd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_figure(value: float, unit: str) -> str:
    """A value as prose writes it, by unit.

    >>> format_figure(160.0, "minutes"), format_figure(93.04, "percent")
    ('160 minutes', '93.0%')
    >>> format_figure(1234.0, "count"), format_figure(2.5, "rate"), format_figure(3.0, "rate")
    ('1,234', '2.5', '3')
    """
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "minutes":
        return f"{value:,.0f} minutes"
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def default_phrase(title: str) -> str:
    """A metric title as a noun phrase inside a sentence.

    >>> default_phrase("Median time missing"), default_phrase("MARAC referrals")
    ('the median time missing', 'MARAC referrals')
    """
    first = title.split(" ", 1)[0]
    if first.isupper() or "'" in first:
        return title
    return "the " + title[0].lower() + title[1:]


def _by_period(series: Sequence[Point]) -> dict[str, float]:
    return {p.period: p.value for p in series if p.value is not None}


def _when(period: str, quarterly: bool, rolling: int = 0) -> str:
    if rolling:
        return f"in the {rolling} months to {month_label(period)}"
    return f"in the quarter to {month_label(period)}" if quarterly else f"in {month_label(period)}"


def metric_sentence(
    spec: FigureSpec, facts: MetricFacts, series: Sequence[Point], month: str
) -> str:
    """The sentence for one metric as at ``month``: its latest figure up to that month.

    If the latest figure is older than ``month`` the sentence says so; with no figure at all
    it says none is held.
    """
    values = _by_period(series)
    held = sorted(period for period in values if period <= month)
    phrase = spec.phrase or default_phrase(facts.title)
    provenance = facts.source + (f", {GENERATED_MARK}" if facts.generated else "")
    if not held:
        return f"No figure is held for {phrase} up to {month_label(month)} ({facts.source})."
    period = held[-1]
    value = values[period]
    when = _when(period, facts.quarterly, spec.rolling_months)
    # A quarterly figure is current for the quarter's three months; anything older is named.
    current = period == month or (facts.quarterly and period >= add_months(month, -2))
    stale = "" if current else ", the latest figure held"

    if spec.ordinal:
        ranked = {p.period: p.denominator for p in series}.get(period)
        of = f" ({ranked:.0f} forces ranked)" if ranked else ""
        main = f"{when} {phrase} was the {ordinal(round(value))} highest nationally{of}{stale}"
    elif facts.unit == "count" and not phrase.startswith("the "):
        main = f"{when} the number of {phrase} was {format_figure(value, 'count')}{stale}"
    else:
        main = f"{when} {phrase} was {format_figure(value, facts.unit)}{stale}"
    if spec.lowest_since:
        main += _extreme(values, period, facts)
    sentences = [f"{_capital(main)} ({provenance})."]
    if spec.change_months and spec.ordinal:
        sentences.append(_places(values, period, spec.change_months, spec.rolling_months))
    elif spec.change_months:
        sentences.append(_change(values, period, spec.change_months, facts.unit))
    if spec.earlier_months:
        sentences.append(_earlier(values, period, spec, facts))
    if spec.window_months:
        sentences.append(_window(values, period, spec.window_months, spec.compare_months))
    if spec.average_months:
        sentences.append(_average(values, period, spec.average_months, facts.unit))
    if spec.recent_months:
        sentences.append(_recent(values, period, spec.recent_months, facts))
    if spec.note:
        sentences.append(spec.note.strip())
    return " ".join(s for s in sentences if s)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _extreme(values: dict[str, float], period: str, facts: MetricFacts) -> str:
    """How far back the value is the best of the series (lowest when lower is better)."""
    lower_better = facts.polarity != "up"
    word = "lowest" if lower_better else "highest"
    current = values[period]
    earlier = sorted((p for p in values if p < period), reverse=True)
    for other in earlier:
        if (values[other] <= current) if lower_better else (values[other] >= current):
            if other == earlier[0]:
                return ""
            return f", the {word} since {month_label(other)}"
    if not earlier:
        return ""
    return f", the {word} of the {len(earlier) + 1} months held"


def _change(values: dict[str, float], period: str, months: int, unit: str) -> str:
    before = add_months(period, -months)
    if before not in values:
        return f"No figure is held for {month_label(before)} to compare with."
    old, new = values[before], values[period]
    span = f"{number_words(months)} months earlier ({month_label(before)})"
    if unit == "percent":
        return f"That is {new - old:+.1f} percentage points on {span}, when it was {old:.1f}%."
    if old == 0:
        return f"There were none {span}."
    change = 100.0 * (new - old) / old
    direction = "a rise" if change >= 0 else "a fall"
    return (
        f"That is {direction} of {abs(change):,.0f}% on {span}, when it was "
        f"{format_figure(old, unit)}."
    )


def _span(period: str, rolling: int) -> str:
    """A figure's period as a noun: a month, or the rolling window to it."""
    return f"the {rolling} months to {month_label(period)}" if rolling else month_label(period)


def _places(values: dict[str, float], period: str, months: int, rolling: int) -> str:
    """A rank's move against ``months`` earlier, in places (a lower rank is a higher place)."""
    before = add_months(period, -months)
    span = _span(before, rolling)
    if before not in values:
        return f"No figure is held for {span} to compare with."
    old, new = round(values[before]), round(values[period])
    if old == new:
        return f"That is the same place as for {span}."
    moved = abs(old - new)
    direction = "up" if new < old else "down"
    return (
        f"That is {direction} {number_words(moved)} place{'s' if moved != 1 else ''} on "
        f"{span}, when it was {ordinal(old)}."
    )


def _earlier(values: dict[str, float], period: str, spec: FigureSpec, facts: MetricFacts) -> str:
    """The figure ``spec.earlier_months`` before, for a longer view than the last change."""
    before = add_months(period, -spec.earlier_months)
    span = _span(before, spec.rolling_months)
    if before not in values:
        return f"No figure is held for {span}."
    value = values[before]
    shown = ordinal(round(value)) if spec.ordinal else format_figure(value, facts.unit)
    return f"For {span} it was {shown}."


def _window(values: dict[str, float], period: str, window: int, compare: int) -> str:
    recent = [add_months(period, -i) for i in range(window)]
    total = sum(values.get(p, 0.0) for p in recent)
    missing = sum(p not in values for p in recent)
    text = (
        f"In the {number_words(window)} months to {month_label(period)} the total was {total:,.0f}"
    )
    if compare:
        earlier = [add_months(period, -window - i) for i in range(compare)]
        before = sum(values.get(p, 0.0) for p in earlier)
        missing += sum(p not in values for p in earlier)
        before_text = "none" if before == 0 else f"{before:,.0f}"
        text += f", against {before_text} in the {number_words(compare)} months before"
    text += "."
    if missing:
        text += f" ({number_words(missing)} of those months have no figure and count as none.)"
    return text


def _average(values: dict[str, float], period: str, months: int, unit: str) -> str:
    held = [values[p] for p in (add_months(period, -i) for i in range(months)) if p in values]
    if not held:
        return ""
    mean = sum(held) / len(held)
    text = (
        f"Over the {number_words(months)} months to {month_label(period)} the monthly average "
        f"was {format_figure(mean, unit)}"
    )
    if len(held) < months:
        text += f" ({number_words(len(held))} months with a figure)"
    return text + "."


def _recent(values: dict[str, float], period: str, months: int, facts: MetricFacts) -> str:
    periods = [add_months(period, -i) for i in reversed(range(months))]
    parts = [
        f"{format_figure(values[p], facts.unit)} in {month_label(p)}"
        if p in values
        else f"no figure in {month_label(p)}"
        for p in periods
    ]
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    text = f"Over the last {number_words(months)} months it was {listed}"
    if facts.target is not None and facts.polarity in {"up", "down"}:
        target = (
            f"{facts.target:.0f}%"
            if facts.unit == "percent" and float(facts.target).is_integer()
            else format_figure(facts.target, facts.unit)
        )
        held = [values[p] for p in periods if p in values]
        met = sum(
            (v >= facts.target) if facts.polarity == "up" else (v <= facts.target) for v in held
        )
        side = "at or above" if facts.polarity == "up" else "at or below"
        if met == months:
            text += f", each {side} the {target} target"
        else:
            text += (
                f", {side} the {target} target in {number_words(met)} of "
                f"{number_words(months)} months"
            )
    return text + "."
