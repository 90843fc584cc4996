"""A small force with two projects, a published and an unpublished month, and one user per
role; plus helpers that sign each role in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from factories import make_metric
from vawg.accounts import roles
from vawg.accounts.models import ProjectAssignment
from vawg.accounts.testing import sign_in
from vawg.metrics.models import Metric, Observation
from vawg.metrics.publication import publish_reckoner
from vawg.strategy.models import (
    Action,
    Force,
    Framework,
    ImprovementProject,
    Phase,
    Pillar,
    Response,
    ReviewState,
    Strategy,
    Update,
)

PASSWORD = "correct-horse-battery-staple"
ROLE_USERS = {
    "administrator": roles.ADMINISTRATOR,
    "head_of_pvp": roles.HEAD_OF_PVP,
    "project_lead": roles.PROJECT_LEAD,
    "analyst": roles.ANALYST,
    "board_member": roles.BOARD_MEMBER,
    "partner": roles.PARTNER,
    "offender_manager": roles.OFFENDER_MANAGER,
}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are made by the dozen here; real hashing (PBKDF2) would take minutes."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    force: Force
    own_action: Action  # linked to the project the lead is assigned to
    other_action: Action  # linked only to another project
    own_response: Response
    other_response: Response
    own_project: ImprovementProject
    other_project: ImprovementProject
    submitted: Update
    approved: Update
    draft: Update
    metric: Metric
    published_month: str
    unpublished_month: str


@pytest.fixture
def world(db) -> World:
    force = Force.objects.create(slug="cambridgeshire", name="Cambridgeshire Constabulary")
    framework = Framework.objects.create(
        code="nfd-2021",
        version=1,
        title="National framework",
        publisher="NPCC",
        published=dt.date(2021, 12, 1),
    )
    pillar = Pillar.objects.create(framework=framework, code="p1", number=1, title="Trust")
    own_action, other_action = (
        Action.objects.create(
            pillar=pillar,
            code=f"nfd21-1.{n}",
            number=f"1.{n}",
            position=n,
            title=f"Action 1.{n}",
            description="What the framework asks.",
        )
        for n in (1, 2)
    )
    own_response, other_response = (
        Response.objects.create(force=force, action=action, owner_role="Head of PVP")
        for action in (own_action, other_action)
    )
    strategy = Strategy.objects.create(
        code="cambs",
        version=1,
        force=force,
        framework=framework,
        title="Strategy",
        approved=dt.date(2021, 11, 1),
    )
    phase = Phase.objects.create(
        strategy=strategy, code="dev", number=2, title="Development", description="."
    )
    own_project, other_project = (
        ImprovementProject.objects.create(
            strategy=strategy,
            code=code,
            position=position,
            name=f"Project {code.title()}",
            focus="Focus",
            description=".",
            phase=phase,
            lead_role="Detective Superintendent",
        )
        for position, code in enumerate(("kaizen", "boyd"), start=1)
    )
    own_project.actions.add(own_action)
    other_project.actions.add(other_action)

    def update(state: str, day: int) -> Update:
        return Update.objects.create(
            response=own_response,
            as_at=dt.date(2024, 3, day),
            text=f"A {state} update.",
            author_role="Project lead",
            review_state=state,
        )

    submitted = update(ReviewState.SUBMITTED, 1)
    approved = update(ReviewState.APPROVED, 2)
    draft = update(ReviewState.DRAFT, 3)

    metric = make_metric("da-recorded", "Domestic abuse crimes recorded", min_points=2)
    for i, month in enumerate(("2024-01", "2024-02", "2024-03")):
        Observation.objects.create(
            metric=metric, force=force, period=month, value=100 + i, numerator=100 + i
        )
    publish_reckoner(force=force, month="2024-02")
    return World(
        force=force,
        own_action=own_action,
        other_action=other_action,
        own_response=own_response,
        other_response=other_response,
        own_project=own_project,
        other_project=other_project,
        submitted=submitted,
        approved=approved,
        draft=draft,
        metric=metric,
        published_month="2024-02",
        unpublished_month="2024-03",
    )


@pytest.fixture
def users(db, world) -> dict:
    """One user per role (keyed as ROLE_USERS); the project lead leads ``own_project``."""
    model = get_user_model()
    made = {}
    for key, role in ROLE_USERS.items():
        user = model.objects.create_user(username=key.replace("_", "-"), password=PASSWORD)
        roles.assign_role(user, role)
        made[key] = user
    made["nobody"] = model.objects.create_user(username="nobody", password=PASSWORD)
    ProjectAssignment.objects.create(user=made["project_lead"], project=world.own_project)
    return made


@pytest.fixture
def as_role(client, users):
    """``as_role("partner")``: the test client signed in as that role's user."""

    def sign_in_as(key: str):
        client.logout()
        return sign_in(client, users[key])

    return sign_in_as
