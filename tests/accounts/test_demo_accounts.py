"""The demo has one account per role, all with the printed demo password."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from vawg.accounts import roles
from vawg.accounts.demo import DEMO_ACCOUNTS, demo_accounts_exist, set_up_demo_accounts
from vawg.accounts.models import ProjectAssignment


def test_demo_accounts_have_their_roles_and_the_lead_leads_kaizen(world, tmp_path):
    listing = tmp_path / "demo-logins.txt"
    set_up_demo_accounts(password="demo-password-for-tests", listing=listing)
    assert demo_accounts_exist()
    model = get_user_model()
    for username, role in DEMO_ACCOUNTS:
        user = model.objects.get(username=username)
        assert user.check_password("demo-password-for-tests")
        assert list(user.groups.values_list("name", flat=True)) == [role]
    assert model.objects.get(username="demo").has_perm(roles.APPROVE_UPDATE)
    lead = ProjectAssignment.objects.get(user__username="demo-lead")
    assert lead.project == world.own_project
    text = listing.read_text()
    assert "demo-admin" in text and "two-factor" in text
    assert "demo-password-for-tests" not in text
    assert oct(listing.stat().st_mode & 0o777) == "0o600"

    # Again, without a password: nothing changes, passwords stay.
    set_up_demo_accounts(password=None, listing=listing)
    assert model.objects.get(username="demo-partner").check_password("demo-password-for-tests")
    assert ProjectAssignment.objects.filter(user__username="demo-lead").count() == 1


def test_the_head_of_pvps_own_update_can_be_signed_off_in_the_demo(world, tmp_path):
    """No one approves their own update, so the demo needs a second approver."""
    from vawg.accounts.reviews import approve_update
    from vawg.strategy.models import ReviewState, Update

    set_up_demo_accounts(password="demo-password-for-tests", listing=tmp_path / "logins.txt")
    model = get_user_model()
    head = model.objects.get(username="demo")
    update = Update.objects.create(
        response=world.own_response,
        as_at=world.submitted.as_at,
        text="Written by the head of PVP.",
        author=head,
        author_role=roles.HEAD_OF_PVP,
        review_state=ReviewState.SUBMITTED,
    )
    approvers = [
        model.objects.get(username=name)
        for name, role in DEMO_ACCOUNTS
        if role == roles.HEAD_OF_PVP and name != "demo"
    ]
    assert approvers, "the demo has no second approver"
    approved = approve_update(update=update, user=approvers[0])
    assert approved.review_state == ReviewState.APPROVED
