"""A small force with responses, updates of known dates and three boards from a test pack.

At the reference moment (Wednesday 20 November 2024, noon in London):

- VPG, monthly on the 2nd Tuesday, papers 5 days before, scrutinises project kaizen
  (actions 1.2 and 2.1): previous meeting 12 Nov, next 10 Dec, papers due 5 Dec.
- FPB, monthly on the last Thursday, papers 7 days before, scrutinises pillar 1
  (actions 1.1, 1.2, 1.3): previous 31 Oct, next 28 Nov, papers due 21 Nov.
- Taskforce return, quarterly on the last working day of Jan/Apr/Jul/Oct, papers 10 days
  before, scrutinises pillars 1 and 2: previous 31 Oct, next 31 Jan 2025, papers due 21 Jan.

Fixtures live here, not in a conftest.py: the test folders are not packages, and a second
conftest.py clashes with the others' under ``--doctest-modules``. Test modules import them
(as ``*_fixture``, so a test's parameter does not shadow the import).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from vawg.accounts import roles
from vawg.governance.services import load_governance_pack
from vawg.strategy.models import (
    Action,
    Force,
    Framework,
    ImprovementProject,
    Phase,
    Pillar,
    Response,
    ReviewState,
    Status,
    Strategy,
    Update,
)

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2024, 11, 20, 12, 0, tzinfo=LONDON)
PVP = "Head of Protecting Vulnerable People"
DCI = "Detective Chief Inspector, Public Protection"
PASSWORD = "correct-horse-battery-staple"

PACK = textwrap.dedent(
    """\
    id: testshire-governance
    kind: governance
    version: 1
    force: testshire
    boards:
      - id: vpg
        name: Vulnerability Performance Group
        kind: internal-board
        cadence: monthly on the 2nd Tuesday
        chair_role: Head of Protecting Vulnerable People
        reports_to: fpb
        papers_due_days_before: 5
        scrutinises:
          projects: [kaizen]
      - id: fpb
        name: Force Performance Board
        kind: internal-board
        cadence: monthly on the last Thursday
        chair_role: Assistant Chief Constable
        papers_due_days_before: 7
        scrutinises:
          pillars: [t-p1]
      - id: taskforce
        name: Quarterly return to the national VAWG Taskforce
        kind: national-return
        cadence: quarterly in Jan/Apr/Jul/Oct on the last working day
        chair_role: Head of Protecting Vulnerable People
        papers_due_days_before: 10
        scrutinises:
          pillars: [t-p1, t-p2]
    """
)


@dataclass
class GovWorld:
    force: Force
    responses: dict[str, Response]
    updates: dict[str, Update]
    pack_path: object


@pytest.fixture(name="gov_world")
def gov_world_fixture(db, tmp_path) -> GovWorld:
    force = Force.objects.create(slug="testshire", name="Testshire Police")
    framework = Framework.objects.create(
        code="t-fw",
        version=1,
        title="Test framework",
        publisher="NPCC",
        published=dt.date(2021, 12, 1),
    )
    pillars = {
        n: Pillar.objects.create(framework=framework, code=f"t-p{n}", number=n, title=f"P{n}")
        for n in (1, 2)
    }
    strategy = Strategy.objects.create(
        code="t-strategy",
        version=1,
        force=force,
        framework=framework,
        title="Strategy",
        approved=dt.date(2021, 11, 30),
    )
    phase = Phase.objects.create(
        strategy=strategy, code="dev", number=2, title="Development", description="."
    )
    kaizen = ImprovementProject.objects.create(
        strategy=strategy,
        code="kaizen",
        position=1,
        name="Project Kaizen",
        focus="DA",
        description=".",
        phase=phase,
        lead_role="Detective Superintendent",
    )
    # number: (pillar, owner role, status)
    plan = {
        "1.1": (1, PVP, Status.IN_PROGRESS),
        "1.2": (1, DCI, Status.IN_PROGRESS),
        "1.3": (1, PVP, Status.NOT_STARTED),
        "2.1": (2, DCI, Status.IN_PROGRESS),
        "2.2": (2, PVP, Status.COMPLETE),
    }
    responses = {}
    for position, (number, (pillar, role, status)) in enumerate(plan.items(), start=1):
        action = Action.objects.create(
            pillar=pillars[pillar],
            code=f"t-{number}",
            number=number,
            position=position,
            title=f"Action {number}",
            description=".",
        )
        responses[number] = Response.objects.create(
            force=force, action=action, owner_role=role, status=status
        )
    kaizen.actions.add(responses["1.2"].action, responses["2.1"].action)

    def update(number, as_at, state=ReviewState.APPROVED):
        return Update.objects.create(
            response=responses[number],
            as_at=as_at,
            text=f"Progress on {number} at {as_at}.",
            author_role=responses[number].owner_role,
            review_state=state,
        )

    updates = {
        # Before FPB's previous meeting (31 Oct): owed to FPB, and to the return (prev 31 Oct).
        "1.1": update("1.1", dt.date(2024, 10, 15), ReviewState.APPROVED),
        "1.1-draft": update("1.1", dt.date(2024, 11, 15), ReviewState.DRAFT),  # does not count
        # After every previous meeting: owes nothing.
        "1.2": update("1.2", dt.date(2024, 11, 13)),
        # After the return's and before VPG's previous meeting (12 Nov): owed to VPG only.
        "2.1": update("2.1", dt.date(2024, 11, 5)),
        "2.1-draft": update("2.1", dt.date(2024, 11, 18), ReviewState.DRAFT),
        # 1.3 has no update at all; 2.2 is complete, so it owes nothing.
    }
    pack_path = tmp_path / "testshire-governance.yaml"
    pack_path.write_text(PACK, encoding="utf-8")
    load_governance_pack(pack_path)
    return GovWorld(force, responses, updates, pack_path)


@pytest.fixture(name="users")
def users_fixture(db):
    model = get_user_model()
    users = {
        name: model.objects.create_user(username=name, password=PASSWORD)
        for name in ("author", "reviewer", "second")
    }
    for user in users.values():
        # Governance pages are for readers of the whole tracker.
        roles.assign_role(user, roles.HEAD_OF_PVP)
    return users
