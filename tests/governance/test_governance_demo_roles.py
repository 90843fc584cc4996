"""The demo accounts hold owner roles, so "what's owed, mine" is not empty for them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from vawg.accounts.demo import DEMO_ACCOUNTS, DEMO_LEAD_PROJECT, set_up_demo_accounts
from vawg.governance.selectors import owed_by_role, roles_for
from vawg.governance.services import load_governance_pack
from vawg.strategy.loader import DEMO_RESPONSES, load_packs
from vawg.strategy.models import Force, ImprovementProject, Response

LONDON = dt.timezone(dt.timedelta(hours=1))
# After the Vulnerability Performance Group's June meeting, the April updates are stale.
JUNE = dt.datetime(2022, 6, 20, 12, 0, tzinfo=LONDON)


@pytest.fixture
def demo_people(db, tmp_path):
    load_packs(responses_path=DEMO_RESPONSES)
    load_governance_pack()
    set_up_demo_accounts(password="x" * 16, listing=tmp_path / "logins.txt")
    # Twice, as every `vawg init` does: nothing is duplicated.
    set_up_demo_accounts(password=None, listing=tmp_path / "logins.txt")
    return {u.username: u for u in get_user_model().objects.all()}


def test_demo_people_hold_the_owner_roles_of_their_roles(demo_people):
    lead_role = ImprovementProject.objects.get(code=DEMO_LEAD_PROJECT).lead_role
    force = Force.objects.get(slug="cambridgeshire")
    owners = set(Response.objects.filter(force=force).values_list("owner_role", flat=True))
    assert roles_for(demo_people["demo"]) == ["Head of Protecting Vulnerable People"]
    assert roles_for(demo_people["demo-deputy"]) == ["Head of Protecting Vulnerable People"]
    assert roles_for(demo_people["demo-lead"]) == [lead_role]
    # Roles as written on the responses, so the "mine" filter finds them.
    assert {*roles_for(demo_people["demo"]), lead_role} <= owners
    # Only the sign-off holders and the project lead own responses.
    holders = {name for name, _ in DEMO_ACCOUNTS if roles_for(demo_people[name])}
    assert holders == {"demo", "demo-deputy", "demo-lead"}


def test_whats_owed_mine_lists_the_lead_roles_responses(demo_people):
    force = Force.objects.get(slug="cambridgeshire")
    mine = roles_for(demo_people["demo-lead"])
    groups = owed_by_role(force, now=JUNE, owner_roles=mine)
    assert [g.owner_role for g in groups] == mine
    owned_in_hand = set(
        Response.objects.filter(force=force, owner_role__in=mine)
        .exclude(status__in=("complete", "embedded"))
        .values_list("action__number", flat=True)
    )
    assert owned_in_hand
    assert {item.response.action.number for item in groups[0].items} == owned_in_hand
