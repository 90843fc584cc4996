"""The quarterly national return as plain data: ``build_return_content`` and its diff.

The content is a JSON-ready dict, the same whether it is exported, submitted (frozen in a
``ReturnSubmission``) or compared. Its shape (``schema`` 1)::

    {"schema": 1, "force": {"slug", "name"}, "quarter": "2022Q1",
     "period_start": "2022-01-01", "period_end": "2022-03-31",
     "framework": {"code", "title"},
     "pillars": [{"number", "title", "actions": [
         {"action_id", "number", "title", "owner_role", "status", "rag",
          "narrative", "last_updated" (ISO date of the narrative, or None),
          "evidence": [{"title", "url"}]}]}],
     "metrics": [{"code", "title", "unit", "source", "generated",
                  "months": [{"month", "value", "numerator", "denominator"}]}],
     "orders": {"source": str, "rows": [{"month", "order_type", "applied", "issued"}]}}

Each action is its response as it stood when the return was submitted: a return is sent after
its quarter closes and carries the narrative written for it (the demo's updates of 26 April
2022 are the 2022Q1 narrative). Owner, status and RAG are replayed from their change history,
the narrative is the latest update approved by then, and the evidence is what was then held
(see ``vawg.strategy.history``). A return not yet submitted states the responses as they are
now, until its due date (``periods.return_due``) has passed; after that, as at the end of the
due date, so an overdue return reads the same each day and two quarters' returns still differ
wherever the response changed between their due dates. The metrics are always the quarter's
three months.

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

from vawg.metrics.models import Metric, Observation
from vawg.reports.paper.build import is_generated
from vawg.reports.reckoner_export import display_places
from vawg.reports.returns.orders import preventative_orders
from vawg.reports.returns.periods import quarter_end, quarter_months, return_due
from vawg.strategy.history import ResponseAsAt, end_of_day, responses_at
from vawg.strategy.models import Force, Response
from vawg.strategy.selectors import current_framework

logger = logging.getLogger(__name__)

SCHEMA = 1

#: Metric groups the return carries: the four improvement projects' and the national ones.
#: Force context from data.police.uk is public already and stays out.
EXCLUDED_GROUPS = frozenset({"context"})


def stated_at(quarter: str, *, now: dt.datetime | None = None) -> dt.datetime:
    """When an unsubmitted return states the responses: now, or the end of its due date once
    that has passed."""
    now = now or timezone.now()
    return min(now, end_of_day(return_due(quarter)))


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
                "generated": is_generated(metric),
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
    ("last_updated", "Last updated"),
    ("narrative", "Narrative"),
    ("evidence", "Evidence"),
)


def diff_returns(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """Field-by-field changes from ``old`` to ``new`` (returns of any two quarters).

    Metric and order figures are compared month by month in order (first month of one
    quarter against the first month of the other), with both months named.
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
                if before.get(name) != action.get(name):
                    changes.append(
                        Change(
                            "Action",
                            action["number"],
                            action["title"],
                            label,
                            _show(before.get(name)),
                            _show(action.get(name)),
                        )
                    )
    old_metrics = {m["code"]: m for m in old.get("metrics", [])}
    for metric in new.get("metrics", []):
        before = old_metrics.get(metric["code"])
        if before is None:
            continue
        for was, now in zip(before["months"], metric["months"], strict=False):
            for name in ("value", "numerator", "denominator"):
                if not _same_number(was[name], now[name]):
                    months = (
                        now["month"]
                        if was["month"] == now["month"]
                        else f"{was['month']} → {now['month']}"
                    )
                    changes.append(
                        Change(
                            "Metric",
                            metric["code"],
                            metric["title"],
                            f"{name} ({months})",
                            was[name],
                            now[name],
                        )
                    )
    changes.extend(_orders_diff(old.get("orders", {}), new.get("orders", {})))
    return changes


def _orders_diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    def by_position(orders: dict[str, Any]) -> dict[tuple[int, str], dict[str, Any]]:
        months = sorted({row["month"] for row in orders.get("rows", [])})
        return {(months.index(r["month"]), r["order_type"]): r for r in orders.get("rows", [])}

    before, after = by_position(old), by_position(new)
    changes = []
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key, {}), after.get(key, {})
        for name, label in (("applied", "applied for"), ("issued", "issued")):
            if was.get(name) != now.get(name):
                month = now.get("month") or was.get("month")
                changes.append(
                    Change(
                        "Preventative orders",
                        f"{month} {key[1]}",
                        key[1],
                        label,
                        was.get(name),
                        now.get(name),
                    )
                )
    return changes


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-9


def _show(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(f"{item['title']} <{item['url']}>" for item in value) or "none"
    return value
