"""A small force with a framework, a strategy, responses, updates and metrics for the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from factories import make_metric
from vawg.accounts.roles import HEAD_OF_PVP, assign_role
from vawg.metrics.models import Metric, Observation
from vawg.strategy.models import (
    Action,
    Aim,
    DeliveryRag,
    Evidence,
    Force,
    Framework,
    ImprovementProject,
    Milestone,
    Phase,
    Pillar,
    Response,
    Status,
    Strategy,
    Update,
)

PASSWORD = "correct-horse-battery-staple"

#: Due dates far from any real "today", so the overdue list does not depend on the clock.
LONG_AGO = dt.date(2001, 1, 31)
FAR_AHEAD = dt.date(2999, 12, 31)


@dataclass
class World:
    force: Force
    framework: Framework
    actions: dict[str, Action]
    responses: dict[str, Response]
    project: ImprovementProject
    metric_count: Metric
    metric_percent: Metric
    months: list[str]


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives a real headless Chromium (slow)")


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def user(db):
    """A Head of Protecting Vulnerable People: reads everything, changes any response."""
    user = get_user_model().objects.create_user(username="analyst", password=PASSWORD)
    assign_role(user, HEAD_OF_PVP)
    return user


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def world(db) -> World:
    force = Force.objects.create(slug="cambridgeshire", name="Cambridgeshire Constabulary")
    framework = Framework.objects.create(
        code="nfd-2021",
        version=1,
        title="Policing VAWG: national framework for delivery",
        publisher="NPCC",
        published=dt.date(2021, 12, 1),
    )
    pillars = [
        Pillar.objects.create(framework=framework, code=f"nfd21-p{n}", number=n, title=title)
        for n, title in (
            (1, "Build trust and confidence"),
            (2, "Relentless perpetrator pursuit"),
            (3, "Safer spaces"),
        )
    ]
    # (pillar index, number, status, rag, due)
    plan = [
        (0, "1.1", Status.IN_PROGRESS, DeliveryRag.RED, LONG_AGO),  # overdue
        (0, "1.2", Status.COMPLETE, DeliveryRag.GREEN, LONG_AGO),  # complete: not overdue
        (1, "2.1", Status.NOT_STARTED, DeliveryRag.AMBER, dt.date(2002, 6, 30)),  # overdue
        (1, "2.2", Status.EMBEDDED, DeliveryRag.GREEN, LONG_AGO),  # embedded: not overdue
        (1, "2.3", Status.IN_PROGRESS, DeliveryRag.AMBER, FAR_AHEAD),
        (2, "3.1", Status.IN_PROGRESS, DeliveryRag.GREEN, None),
    ]
    actions: dict[str, Action] = {}
    responses: dict[str, Response] = {}
    for position, (pillar_index, number, status, rag, due) in enumerate(plan, start=1):
        action = Action.objects.create(
            pillar=pillars[pillar_index],
            code=f"nfd21-{number}",
            number=number,
            position=position,
            title=f"Action {number} title",
            description=f"What the framework asks in action {number}.",
        )
        actions[number] = action
        responses[number] = Response.objects.create(
            force=force,
            action=action,
            owner_role="Head of Protecting Vulnerable People",
            status=status,
            rag=rag,
            due=due,
        )
    Evidence.objects.create(
        response=responses["1.1"], title="Review terms of reference", url="https://example.org/tor"
    )
    Evidence.objects.create(
        response=responses["1.1"], title="Script link", url="javascript:alert(1)"
    )

    # Twelve updates over twelve months, so "latest 10" leaves two out.
    for i in range(12):
        number = plan[i % len(plan)][1]
        Update.objects.create(
            response=responses[number],
            as_at=dt.date(2024, 1 + i, 15),
            text=f"Update {i + 1} on action {number}. " + "Narrative. " * 30,
            author_role="Detective Chief Inspector, Public Protection",
        )

    strategy = Strategy.objects.create(
        code="cambs-vawg-2021",
        version=1,
        force=force,
        framework=framework,
        title="Cambridgeshire VAWG strategy",
        approved=dt.date(2021, 11, 1),
    )
    aim = Aim.objects.create(
        strategy=strategy,
        code="perpetrator-focus",
        position=2,
        title="Perpetrator focus",
        description="Drive down and prevent offending.",
    )
    aim.actions.add(actions["2.1"])
    phase = Phase.objects.create(
        strategy=strategy,
        code="development",
        number=2,
        title="Development and improvement",
        description="Four improvement projects.",
    )
    project = ImprovementProject.objects.create(
        strategy=strategy,
        code="kaizen",
        position=1,
        name="Project Kaizen",
        focus="Domestic abuse",
        description="A tactical route map to improve the response to domestic abuse.",
        phase=phase,
        lead_role="Detective Superintendent, Public Protection",
    )
    project.aims.add(aim)
    project.actions.add(actions["2.1"], actions["1.1"])
    Milestone.objects.create(
        project=project,
        code="m1",
        position=1,
        title="Domestic abuse matters training delivered",
        due=dt.date(2022, 9, 30),
        status=Status.COMPLETE,
    )
    Milestone.objects.create(
        project=project,
        code="m2",
        position=2,
        title="Stalking protection order process reviewed",
        due=dt.date(2023, 3, 31),
        status=Status.IN_PROGRESS,
    )

    metric_count = make_metric(
        "da-recorded",
        "Domestic abuse crimes recorded",
        group_title="Project Kaizen: domestic abuse",
        position=1,
        formula="Count of crimes flagged domestic abuse.",
        min_points=5,
    )
    metric_percent = make_metric(
        "da-arrest-rate",
        "Domestic abuse arrest rate",
        group_title="Project Kaizen: domestic abuse",
        position=2,
        unit="percent",
        polarity="up",
        source="Force custody system",
        formula="Arrests of DA suspects over DA crimes.",
        target=40.0,
        min_points=5,
    )
    months = [f"2024-{m:02d}" for m in range(1, 9)]
    for i, month in enumerate(months):
        count = 1000 + 50 * i
        Observation.objects.create(
            metric=metric_count, force=force, period=month, value=count, numerator=count
        )
        arrests = 300 + 10 * i
        Observation.objects.create(
            metric=metric_percent,
            force=force,
            period=month,
            value=100.0 * arrests / count,
            numerator=arrests,
            denominator=count,
        )
    return World(
        force=force,
        framework=framework,
        actions=actions,
        responses=responses,
        project=project,
        metric_count=metric_count,
        metric_percent=metric_percent,
        months=months,
    )
