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
