"""Reads of strategy data shaped for the pages (and anything else that shows them).

Each function takes the force whose work is shown and returns plain dataclasses or model
instances with their related rows already fetched, so a page renders without further queries.
Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Max, Prefetch

from vawg.strategy.models import (
    Action,
    Aim,
    DeliveryRag,
    Force,
    Framework,
    ImprovementProject,
    Pillar,
    Response,
    ResponseChange,
    Status,
    Strategy,
    Update,
)
from vawg.strategy.responses import today_in_london

#: Statuses after which a due date no longer makes a response overdue.
DONE_STATUSES = (Status.COMPLETE, Status.EMBEDDED)


def default_force() -> Force | None:
    """The force the tracker shows: the first one loaded.

    TODO: choose among several forces (per user or per session) once the product holds more
    than the demo force.
    """
    return Force.objects.order_by("pk").first()


@dataclass(frozen=True)
class Count:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class HomeSummary:
    force: Force
    today: dt.date
    total: int
    by_status: list[Count]
    by_rag: list[Count]
    overdue: list[Response]
    latest_updates: list[Update]


def _responses(force: Force):
    return Response.objects.filter(force=force).select_related("action", "action__pillar")


def overdue_responses(force: Force, today: dt.date) -> list[Response]:
    """Responses due before ``today`` that are neither complete nor embedded, oldest due first."""
    return list(
        _responses(force)
        .filter(due__lt=today)
        .exclude(status__in=DONE_STATUSES)
        .order_by("due", "action__pillar__number", "action__position")
    )


def home_summary(force: Force, *, today: dt.date | None = None, updates: int = 10) -> HomeSummary:
    """Counts of the force's responses by status and by RAG, the overdue ones, latest updates.

    ``today`` defaults to today in Europe/London; pass a date to see the picture on that day.
    """
    today = today or today_in_london()
    rows = list(Response.objects.filter(force=force).values_list("status", "rag"))
    statuses = Counter(status for status, _ in rows)
    rags = Counter(rag for _, rag in rows)
    latest = list(
        Update.objects.filter(response__force=force)
        .select_related("response__action")
        .order_by("-as_at", "-created_at", "-id")[:updates]
    )
    return HomeSummary(
        force=force,
        today=today,
        total=len(rows),
        by_status=[Count(s.value, s.label, statuses.get(s.value, 0)) for s in Status],
        by_rag=[Count(r.value, r.label, rags.get(r.value, 0)) for r in DeliveryRag],
        overdue=overdue_responses(force, today),
        latest_updates=latest,
    )


def current_strategy(force: Force) -> Strategy | None:
    """The force's newest strategy (highest version of the latest approved)."""
    return (
        Strategy.objects.filter(force=force)
        .select_related("framework")
        .order_by("-approved", "-version", "-pk")
        .first()
    )


def current_framework(force: Force) -> Framework | None:
    """The framework the force's strategy answers; else the one its responses answer."""
    strategy = current_strategy(force)
    if strategy is not None:
        return strategy.framework
    response = _responses(force).select_related("action__pillar__framework").first()
    if response is not None:
        return response.action.pillar.framework
    return Framework.objects.order_by("-published", "-version").first()


@dataclass(frozen=True)
class ActionRow:
    action: Action
    response: Response | None
    last_update: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class PillarRows:
    pillar: Pillar
    rows: list[ActionRow]


@dataclass(frozen=True)
class FrameworkView:
    framework: Framework | None
    pillars: list[PillarRows]


def framework_with_responses(force: Force, *, today: dt.date | None = None) -> FrameworkView:
    """The framework's pillars, each with its actions and the force's response to each."""
    today = today or today_in_london()
    framework = current_framework(force)
    if framework is None:
        return FrameworkView(framework=None, pillars=[])
    responses = {
        r.action_id: r
        for r in _responses(force)
        .filter(action__pillar__framework=framework)
        .annotate(last_update=Max("updates__as_at"))
    }
    pillars = []
    for pillar in framework.pillars.prefetch_related("actions").order_by("number"):
        rows = []
        for action in pillar.actions.all():
            response = responses.get(action.pk)
            rows.append(
                ActionRow(
                    action=action,
                    response=response,
                    last_update=getattr(response, "last_update", None),
                    overdue=bool(
                        response
                        and response.due
                        and response.due < today
                        and response.status not in DONE_STATUSES
                    ),
                )
            )
        pillars.append(PillarRows(pillar=pillar, rows=rows))
    return FrameworkView(framework=framework, pillars=pillars)


@dataclass(frozen=True)
class ActionDetail:
    action: Action
    response: Response | None
    aims: list[Aim]
    projects: list[ImprovementProject]
    evidence: list
    updates: list[Update]
    changes: list[ResponseChange]
    overdue: bool


def action_detail(
    force: Force, action_code: str, *, today: dt.date | None = None
) -> ActionDetail | None:
    """One action with the force's response, its evidence and whole history; None if unknown."""
    today = today or today_in_london()
    action = Action.objects.select_related("pillar").filter(code=action_code).first()
    if action is None:
        return None
    response = (
        Response.objects.filter(force=force, action=action)
        .select_related("action")
        .prefetch_related(
            "evidence",
            Prefetch("updates", queryset=Update.objects.order_by("-as_at", "-created_at", "-id")),
            Prefetch(
                "changes",
                queryset=ResponseChange.objects.select_related("changed_by").order_by(
                    "-changed_at", "-id"
                ),
            ),
        )
        .first()
    )
    aims = list(action.aims.filter(strategy__force=force).order_by("position"))
    projects = list(action.projects.filter(strategy__force=force).order_by("position"))
    return ActionDetail(
        action=action,
        response=response,
        aims=aims,
        projects=projects,
        evidence=list(response.evidence.all()) if response else [],
        updates=list(response.updates.all()) if response else [],
        changes=list(response.changes.all()) if response else [],
        overdue=bool(
            response
            and response.due
            and response.due < today
            and response.status not in DONE_STATUSES
        ),
    )


def projects_for(force: Force) -> list[ImprovementProject]:
    """The improvement projects of the force's current strategy, in strategy order."""
    strategy = current_strategy(force)
    if strategy is None:
        return []
    return list(
        strategy.projects.select_related("phase")
        .prefetch_related("milestones")
        .order_by("position")
    )


def project_detail(force: Force, project_code: str) -> ImprovementProject | None:
    """One project of the force's current strategy, with aims, milestones and actions."""
    strategy = current_strategy(force)
    if strategy is None:
        return None
    return (
        strategy.projects.filter(code=project_code)
        .select_related("phase")
        .prefetch_related(
            "milestones",
            Prefetch("aims", queryset=Aim.objects.order_by("position")),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("pillar").order_by(
                    "pillar__number", "position"
                ),
            ),
        )
        .first()
    )


def responses_by_action(force: Force, actions) -> dict[int, Response]:
    """The force's responses to the given actions, keyed by action id."""
    return {r.action_id: r for r in Response.objects.filter(force=force, action__in=list(actions))}
