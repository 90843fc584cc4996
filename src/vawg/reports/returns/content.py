"""The quarterly national return as plain data: ``build_return_content`` and its diff.

The content is a JSON-ready dict, the same whether it is exported, submitted (frozen in a
``ReturnSubmission``) or compared. Its shape (``schema`` 2; schema 1 snapshots lack ``due``)::

    {"schema": 1, "force": {"slug", "name"}, "quarter": "2022Q1",
     "period_start": "2022-01-01", "period_end": "2022-03-31",
     "framework": {"code", "title"},
     "pillars": [{"number", "title", "actions": [
         {"action_id", "number", "title", "owner_role", "status", "rag",
          "due" (ISO date, or None), "narrative",
          "last_updated" (ISO date of the narrative, or None),
          "evidence": [{"title", "url"}]}]}],
     "metrics": [{"code", "title", "unit", "source", "generated",
                  "months": [{"month", "value", "numerator", "denominator"}]}],
     "orders": {"source": str, "rows": [{"month", "order_type", "applied", "issued"}]}}

Each action is its response as it stood at ``stated_at``: a return is sent after its quarter
closes and carries the narrative written for it (the demo's updates of 26 April 2022 are the
2022Q1 narrative). Owner, status and RAG are replayed from their change history, the narrative
is the latest update dated on or before then and approved by then, and the evidence is what
was then held (see ``vawg.strategy.history``). ``stated_at`` is now until the return's due date
(``periods.return_due``) has passed, and the end of the due date after that, so an overdue
return reads the same each day and two quarters' returns still differ wherever the response
changed between their due dates. The preview, the original submission and every restatement
all use it: what is reviewed is what is sent, and a late submission does not send later work.
The metrics are always the quarter's three months.

A metric's ``value`` is rounded to the places the app shows it with (``display_places``: 1 for
a percentage, 0 for a count); ``numerator`` and ``denominator`` stay exact, so anyone can
recompute the value to full precision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from vawg.metrics.catalogue import DEFAULT_QUARTER_RULE, quarter_rule
from vawg.metrics.models import Metric, Observation
from vawg.reports.paper.build import is_generated
from vawg.reports.reckoner_export import display_places
from vawg.reports.returns.orders import preventative_orders
from vawg.reports.returns.periods import quarter_end, quarter_months, return_due
from vawg.strategy.history import ResponseAsAt, end_of_day, responses_at
from vawg.strategy.models import Force, Response
from vawg.strategy.selectors import current_framework

logger = logging.getLogger(__name__)

# 2: actions carry their due date (a tracker field the quarter-on-quarter changes show).
SCHEMA = 2

#: Metric groups the return carries: the four improvement projects' and the national ones.
#: Force context from data.police.uk is public already and stays out.
EXCLUDED_GROUPS = frozenset({"context"})


def stated_at(quarter: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """When an unsubmitted return states the responses: now, or the end of its due date once
    that has passed."""
    now = now or timezone.now()
    return min(now, end_of_day(return_due(quarter)))


def stated_at_text(quarter: str, *, now: dt.datetime | None = None) -> str:
    """How an export of an unsubmitted return says when its actions are stated.

    >>> stated_at_text("2022Q1")
    'Not submitted: actions as at the end of 30 April 2022 (its due date); figures as held now'
    """
    return f"Not submitted: actions as at {stated_at_phrase(quarter, now=now)}; figures as held now"


def stated_at_phrase(quarter: str, *, now: dt.datetime | None = None) -> str:
    """When a return built (or submitted) at ``now`` states its actions, in words: the page,
    the workbook and the refusal messages all say it this way.

    >>> stated_at_phrase("2022Q1")
    'the end of 30 April 2022 (its due date)'
    """
    moment = stated_at(quarter, now=now)
    due = return_due(quarter)
    return (
        f"the end of {due.day} {due:%B %Y} (its due date)" if moment == end_of_day(due) else "now"
    )


def build_return_content(
    force: Force, quarter: str, *, at: dt.datetime | None = None
) -> dict[str, Any]:
    """The force's return for ``quarter`` (``YYYYQn``), its responses as at ``at`` (a
    submission's moment; by default ``stated_at(quarter)``) and its figures as held now."""
    months = quarter_months(quarter)
    end = quarter_end(quarter)
    framework = current_framework(force)
    moment = at if at is not None else stated_at(quarter)
    responses = responses_at(Response.objects.filter(force=force).order_by("pk"), moment)
    pillars = []
    if framework is not None:
        for pillar in framework.pillars.prefetch_related("actions").order_by("number"):
            pillars.append(
                {
                    "number": pillar.number,
                    "title": pillar.title,
                    "actions": [
                        _action(action, responses.get(action.pk)) for action in pillar.actions.all()
                    ],
                }
            )
    return {
        "schema": SCHEMA,
        "force": {"slug": force.slug, "name": force.name},
        "quarter": quarter,
        "period_start": f"{months[0]}-01",
        "period_end": end.isoformat(),
        "framework": {
            "code": framework.code if framework else "",
            "title": framework.title if framework else "",
        },
        "pillars": pillars,
        "metrics": _metrics(force, months),
        "orders": preventative_orders(force, months),
    }


def _action(action, past: ResponseAsAt | None) -> dict[str, Any]:
    response = past.response if past is not None else None
    update = past.update if past is not None else None
    return {
        "action_id": action.code,
        "number": action.number,
        "title": action.title,
        "owner_role": response.owner_role if response else "",
        "status": response.get_status_display() if response else "No response",
        "rag": response.get_rag_display() if response else "",
        "due": response.due.isoformat() if response and response.due else None,
        "narrative": update.text if update else "",
        "last_updated": update.as_at.isoformat() if update else None,
        "evidence": [
            {"title": e.title, "url": e.url} for e in (past.evidence if past is not None else ())
        ],
    }


def _metrics(force: Force, months: list[str]) -> list[dict[str, Any]]:
    observations: dict[int, dict[str, Observation]] = {}
    for observation in Observation.objects.filter(force=force, period__in=months):
        observations.setdefault(observation.metric_id, {})[observation.period] = observation
    rows = []
    for metric in Metric.objects.exclude(group__in=EXCLUDED_GROUPS).order_by(
        "group", "position", "code"
    ):
        held = observations.get(metric.pk, {})
        places = display_places(metric.unit)
        rows.append(
            {
                "code": metric.code,
                "title": metric.title,
                "unit": metric.unit,
                "source": metric.source,
                "generated": is_generated(metric, force),
                "months": [
                    {
                        "month": month,
                        "value": _rounded(held[month].value, places) if month in held else None,
                        "numerator": held[month].numerator if month in held else None,
                        "denominator": held[month].denominator if month in held else None,
                    }
                    for month in months
                ],
            }
        )
    return rows


def _rounded(value: float | None, places: int) -> float | None:
    """``value`` to ``places`` decimals, kept a float (a count of 16 is 16.0, as before)."""
    return None if value is None else float(round(value, places))


def content_sha256(content: dict[str, Any]) -> str:
    """sha256 of the content's canonical JSON (sorted keys, no spaces, UTF-8).

    >>> content_sha256({"b": 1, "a": "é"}) == content_sha256({"a": "é", "b": 1})
    True
    """
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- What changed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field that differs between two returns."""

    section: str  # "Action", "Metric" or "Preventative orders"
    key: str  # action number, metric code, or month and order type
    label: str  # the action or metric title
    field: str
    old: Any
    new: Any


_ACTION_FIELDS = (
    ("status", "Status"),
    ("rag", "RAG"),
    ("owner_role", "Owner"),
    ("due", "Due date"),
    ("last_updated", "Last updated"),
    ("narrative", "Narrative"),
    ("evidence", "Evidence"),
)


def diff_returns(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """Field-by-field changes from ``old`` to ``new``.

    The actions' tracker fields are compared whatever the two quarters. Metric and order
    figures are compared month by month only within one quarter (a restatement against the
    original): across quarters they are other months, not changes, and ``compare_quarters``
    sets the two quarters' figures side by side instead.
    """
    if old is None:
        return []
    changes: list[Change] = []
    old_actions = {a["action_id"]: a for p in old.get("pillars", []) for a in p["actions"]}
    for pillar in new.get("pillars", []):
        for action in pillar["actions"]:
            before = old_actions.get(action["action_id"])
            if before is None:
                changes.append(
                    Change("Action", action["number"], action["title"], "Action", None, "new")
                )
                continue
            for name, label in _ACTION_FIELDS:
                # A field an older snapshot's schema did not hold is unknown, not changed.
                if name not in before or name not in action:
                    continue
                if before[name] != action[name]:
                    changes.append(
                        Change(
                            "Action",
                            action["number"],
                            action["title"],
                            label,
                            _show(before[name]),
                            _show(action[name]),
                        )
                    )
    if old.get("quarter") != new.get("quarter"):
        return changes
    old_metrics = {m["code"]: m for m in old.get("metrics", [])}
    for metric in new.get("metrics", []):
        before = old_metrics.get(metric["code"])
        if before is None:
            continue
        was_by_month = {m["month"]: m for m in before["months"]}
        for now in metric["months"]:
            was = was_by_month.get(now["month"], {})
            for name in ("value", "numerator", "denominator"):
                if not _same_number(was.get(name), now[name]):
                    changes.append(
                        Change(
                            "Metric",
                            metric["code"],
                            metric["title"],
                            f"{name} ({now['month']})",
                            was.get(name),
                            now[name],
                        )
                    )
    changes.extend(_orders_diff(old.get("orders", {}), new.get("orders", {})))
    return changes


def _orders_diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before = {(r["month"], r["order_type"]): r for r in old.get("rows", [])}
    after = {(r["month"], r["order_type"]): r for r in new.get("rows", [])}
    changes = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key, {}), after.get(key, {})
        for name, label in (("applied", "applied for"), ("issued", "issued")):
            if was.get(name) != now.get(name):
                changes.append(
                    Change(
                        "Preventative orders",
                        f"{key[0]} {key[1]}",
                        key[1],
                        label,
                        was.get(name),
                        now.get(name),
                    )
                )
    return changes


@dataclass(frozen=True)
class Comparison:
    """One figure for a whole quarter, against the previous quarter's."""

    section: str  # "Metric" or "Preventative orders"
    key: str  # metric code, or order type and what was counted
    label: str
    unit: str
    previous: float | None
    current: float | None
    basis: str  # how the quarter's figure comes from its months

    @property
    def change(self) -> float | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


def compare_quarters(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Comparison]:
    """Each metric's (and order count's) figure for ``new``'s quarter against ``old``'s.

    Each metric follows its catalogue ``quarter`` rule (``catalogue.quarter_rule``): a count is
    the quarter's total; a percentage or rate with its numerator and denominator held every
    month is pooled (the quarter's numerator over its denominator); a rank, a median or a
    ratio without its parts is the quarter's latest month held.
    """
    if old is None:
        return []
    rows: list[Comparison] = []
    old_metrics = {m["code"]: m for m in old.get("metrics", [])}
    for metric in new.get("metrics", []):
        before = old_metrics.get(metric["code"])
        rule = quarter_rule(metric["code"], metric["unit"])
        previous, was = (
            quarter_figure(metric["unit"], before["months"], rule) if before else (None, "")
        )
        current, basis = quarter_figure(metric["unit"], metric["months"], rule)
        basis = basis or was
        if previous is None and current is None:
            continue
        rows.append(
            Comparison(
                "Metric", metric["code"], metric["title"], metric["unit"], previous, current, basis
            )
        )
    types = sorted(
        {r["order_type"] for r in old.get("orders", {}).get("rows", [])}
        | {r["order_type"] for r in new.get("orders", {}).get("rows", [])}
    )
    for order_type in types:
        for name, label in (("applied", "applied for"), ("issued", "issued")):
            rows.append(
                Comparison(
                    "Preventative orders",
                    f"{order_type} {label}",
                    f"{order_type} {label}",
                    "count",
                    _order_total(old, order_type, name),
                    _order_total(new, order_type, name),
                    "total",
                )
            )
    return rows


def quarter_figure(
    unit: str, months: list[dict[str, Any]], rule: str = ""
) -> tuple[float | None, str]:
    """A quarter's figure from its months by ``rule`` (``catalogue.quarter_rule``; by default
    the unit's), and how it was made.

    >>> quarter_figure("count", [{"value": 2.0}, {"value": 3.0}, {"value": None}])
    (5.0, 'total of 2 months')
    >>> quarter_figure("percent", [{"value": 50.0, "numerator": 1, "denominator": 2},
    ...                            {"value": 100.0, "numerator": 2, "denominator": 2}])
    (75.0, 'pooled over 2 months')
    >>> quarter_figure("count", [{"month": "2021-10", "value": 17.0},
    ...                          {"month": "2021-11", "value": 16.0},
    ...                          {"month": "2021-12", "value": 15.0}], "last")
    (15.0, 'December 2021 (latest month of the quarter)')
    """
    held = [m for m in months if m.get("value") is not None]
    if not held:
        return None, ""
    rule = rule or DEFAULT_QUARTER_RULE.get(unit, "last")
    places = display_places(unit)
    n = len(held)
    plural = "month" if n == 1 else "months"
    if rule == "sum":
        return _rounded(sum(m["value"] for m in held), places), f"total of {n} {plural}"
    pooled = all(m.get("numerator") is not None and m.get("denominator") for m in held)
    if rule == "ratio" and pooled:
        ratio = sum(m["numerator"] for m in held) / sum(m["denominator"] for m in held)
        scale = 100.0 if unit == "percent" else 1.0
        return _rounded(scale * ratio, places), f"pooled over {n} {plural}"
    # Not additive (a rank, a median) or a ratio without its parts: averaging would invent a
    # figure no month had, so the quarter's is its latest month's.
    last = held[-1]
    when = _month_words(last.get("month", ""))
    latest = "latest month of the quarter" if last is months[-1] else "latest month held"
    return _rounded(last["value"], places), f"{when} ({latest})" if when else latest


def _month_words(month: str) -> str:
    """``"2021-12"`` → ``"December 2021"``; empty if not a month."""
    try:
        return f"{dt.date.fromisoformat(month + '-01'):%B %Y}"
    except ValueError:
        return ""


def _order_total(content: dict[str, Any], order_type: str, name: str) -> int | None:
    counts = [
        r[name]
        for r in content.get("orders", {}).get("rows", [])
        if r["order_type"] == order_type and r[name] is not None
    ]
    return sum(counts) if counts else None


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-9


def _show(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(f"{item['title']} <{item['url']}>" for item in value) or "none"
    return value
