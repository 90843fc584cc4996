"""THE red/amber/green rule. It lives here and only here; every rating carries its text.

The rule (``RAG_RULE`` is the wording shown to people):

1. grey - no data, or fewer points than ``min_points`` (15) in the latest segment, so no
   process limits can be drawn;
2. red - the latest point is special cause concern, OR the target is consistently failed
   by a process that shows no special cause improvement;
3. green - the latest point is special cause improvement, OR the target is consistently
   passed;
4. amber - anything else (common cause, or special cause where neither direction is better,
   with a hit-and-miss target or no target).

Two conflicts are settled deliberately, and the reason says which:

- concern with a consistently passed target is red: concern is never hidden behind good news;
- improvement with a consistently failed target is amber. Assurance reads the target against
  the process limits, and limits only describe a stable process; a point of special cause
  improvement says the process has changed since they were drawn (the demo's domestic abuse
  prosecution-possible rate climbed above its 15% target while the old limits still put the
  target out of reach). Calling that red would tell a board the opposite of what the data
  shows; calling it green would claim the target is secure before new limits can say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from vawg.ratings import signals
from vawg.ratings.series import Polarity, approx_equal

RAG_RULE = (
    "Grey if there is no data, or too few points since the latest rebase to draw process "
    "limits (fewer than 15 by default). Otherwise red if the latest point shows special cause "
    "variation of concern or the process consistently fails the target (the target lies "
    "beyond a process limit on the wrong side); green if the latest point shows special cause "
    "improvement or the process consistently passes the target; amber otherwise. Concern with "
    "a passing target is red; improvement with a failing target is amber, because the "
    "improvement means the process has changed since its limits were drawn."
)

RED = "red"
AMBER = "amber"
GREEN = "green"
GREY = "grey"


def fmt(x: float) -> str:
    """Format a number for a reason: about three significant figures, at least one decimal.

    >>> fmt(41), fmt(39.24), fmt(0.14162), fmt(1234.56), fmt(-3.0114), fmt(0.0), fmt(7.0)
    ('41.0', '39.2', '0.142', '1234.6', '-3.01', '0.0', '7.0')
    """
    if x == 0 or not math.isfinite(x):
        return f"{x:.1f}"
    decimals = max(1, 2 - math.floor(math.log10(abs(x))))
    text = f"{x:.{decimals}f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def fmt_pair(a: float, b: float) -> tuple[str, str]:
    """Format two numbers so that different numbers never print the same.

    >>> fmt_pair(39.21, 39.19)
    ('39.21', '39.19')
    >>> fmt_pair(20.0, 20.0)
    ('20.0', '20.0')
    """
    sa, sb = fmt(a), fmt(b)
    decimals = len(sa.split(".")[-1])
    while sa == sb and not approx_equal(a, b) and decimals < 15:
        decimals += 1
        sa, sb = f"{a:.{decimals}f}", f"{b:.{decimals}f}"
    return sa, sb


@dataclass(frozen=True)
class Evidence:
    """One reason the latest point is special cause, in words, with its direction.

    ``kind`` is a rule name or ``"side"`` (the point's side of the mean, quoted only when the
    evidence conflicts). ``direction`` is +1 (high/rising) or -1 (low/falling).
    """

    kind: str
    direction: int
    text: str


def assurance_text(
    assurance: str,
    polarity: Polarity,
    target: float | None,
    lower_limit: float | None,
    upper_limit: float | None,
) -> str | None:
    """The assurance signal in words, or ``None`` when there is nothing to say."""
    if assurance == signals.NO_TARGET:
        return "no target set"
    if target is None or lower_limit is None or upper_limit is None:
        return None
    if assurance == signals.HIT_AND_MISS:
        return f"target {fmt(target)} lies between the process limits (hit and miss)"
    passing = assurance == signals.CONSISTENTLY_PASSING
    if assurance not in (signals.CONSISTENTLY_PASSING, signals.CONSISTENTLY_FAILING):
        return None
    # up: pass at/below the lower limit, fail at/above the upper; down mirrors it.
    use_lower = passing == (polarity is Polarity.UP)
    limit = lower_limit if use_lower else upper_limit
    t, lim = fmt_pair(target, limit)
    if approx_equal(target, limit):
        where = f"is at the {'lower' if use_lower else 'upper'} process limit {lim}"
    else:
        where = f"is {'below' if use_lower else 'above'} the "
        where += f"{'lower' if use_lower else 'upper'} process limit {lim}"
    verdict = "consistently passes" if passing else "consistently fails"
    return f"target {t} {where} so the process {verdict}"


def _variation_text(
    variation: str, evidence: Sequence[Evidence], polarity: Polarity, conflict: str
) -> str:
    """The latest point's variation in words, built from its evidence."""
    if variation == signals.COMMON_CAUSE:
        return "common cause variation"
    if variation in (signals.NEITHER_HIGH, signals.NEITHER_LOW):
        high = variation == signals.NEITHER_HIGH
        rules = [e.text for e in evidence if e.kind != "side"]
        return f"special cause variation ({'high' if high else 'low'}): " + "; ".join(rules)
    verdicts = {signals.judge(e.direction, polarity) for e in evidence}
    if len(verdicts) > 1:
        # quote the point's side of the mean only when no rule already says it
        rule_directions = {e.direction for e in evidence if e.kind != "side"}
        shown = [e for e in evidence if e.kind != "side" or e.direction not in rule_directions]
        concern = [e.text for e in shown if signals.judge(e.direction, polarity) == "concern"]
        better = [e.text for e in shown if signals.judge(e.direction, polarity) == "improvement"]
        return (
            f"the signals conflict and the conflict setting says {conflict} wins "
            f"(concern: {'; '.join(concern)}; improvement: {'; '.join(better)})"
        )
    return "; ".join(e.text for e in evidence if e.kind != "side")


def rag_and_reason(
    *,
    n_points: int,
    min_points: int,
    variation: str,
    assurance: str,
    polarity: Polarity,
    target: float | None = None,
    lower_limit: float | None = None,
    upper_limit: float | None = None,
    evidence: Sequence[Evidence] = (),
    conflict: str = "concern",
    segment_note: str | None = None,
) -> tuple[str, str]:
    """Apply the RAG rule (see ``RAG_RULE``) and say why in words.

    ``n_points`` counts the present values of the latest segment; ``segment_note`` (e.g.
    "since the rebase at 2020-04 (new crime recording rules)") is added to every reason, so
    a reader knows the limits were recalculated and why.

    Worked examples:

    >>> rag_and_reason(n_points=12, min_points=15, variation="common_cause",
    ...                assurance="too_few_points", polarity=Polarity.UP)
    ('grey', 'grey: too few points (12 of 15 needed)')
    >>> rag_and_reason(n_points=20, min_points=15, variation="common_cause",
    ...                assurance="consistently_passing", polarity=Polarity.UP,
    ...                target=15.0, lower_limit=16.1, upper_limit=30.0)
    ('green', 'green: target 15.0 is below the lower process limit 16.1 so the process consistently passes; higher is better')
    >>> rag_and_reason(n_points=20, min_points=15, variation="special_cause_concern",
    ...                assurance="no_target", polarity=Polarity.DOWN,
    ...                evidence=[Evidence("shift", 1, "7 months in a row above the mean 30.0")])
    ('red', 'red: 7 months in a row above the mean 30.0; lower is better')
    >>> rag_and_reason(n_points=20, min_points=15, variation="common_cause",
    ...                assurance="no_target", polarity=Polarity.DOWN)
    ('amber', 'amber: common cause variation; no target set')
    >>> rag_and_reason(n_points=20, min_points=15, variation="common_cause",
    ...                assurance="no_target", polarity=Polarity.DOWN,
    ...                segment_note="since the rebase at 2024-01 (new recording rules)")
    ('amber', 'amber: common cause variation; no target set; mean and limits since the rebase at 2024-01 (new recording rules)')
    """  # noqa: E501
    if n_points == 0 or variation == signals.NO_DATA:
        reason = "grey: no data"
        if segment_note:
            reason += f" {segment_note}"
        return GREY, reason
    if n_points < min_points:
        reason = f"grey: too few points ({n_points} of {min_points} needed)"
        if segment_note:
            reason += f" {segment_note}"
        return GREY, reason

    a_text = assurance_text(assurance, polarity, target, lower_limit, upper_limit)
    v_text = _variation_text(variation, evidence, polarity, conflict)
    red_parts = []
    green_parts = []
    if variation == signals.CONCERN:
        red_parts.append(v_text)
    if assurance == signals.CONSISTENTLY_FAILING and a_text:
        red_parts.append(a_text)
    if variation == signals.IMPROVEMENT:
        green_parts.append(v_text)
    if assurance == signals.CONSISTENTLY_PASSING and a_text:
        green_parts.append(a_text)

    tail = f"; mean and limits {segment_note}" if segment_note else ""
    if variation == signals.IMPROVEMENT and assurance == signals.CONSISTENTLY_FAILING and a_text:
        return AMBER, (
            f"amber: {v_text}; {a_text}, but the improvement means those limits no longer "
            f"describe the process: rebase once the change is sustained; {polarity.words}{tail}"
        )
    if red_parts:
        reason = "red: " + "; ".join(red_parts)
        if green_parts:
            reason += f"; red wins over the good news ({'; '.join(green_parts)})"
        return RED, f"{reason}; {polarity.words}{tail}"
    if green_parts:
        return GREEN, "green: " + "; ".join(green_parts) + f"; {polarity.words}{tail}"
    parts = [v_text]
    if a_text:
        parts.append(a_text)
    if polarity is Polarity.NEITHER:
        parts.append(polarity.words)
    return AMBER, "amber: " + "; ".join(parts) + tail
