"""The demo has one account per role, all with the printed demo password."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from vawg.accounts import roles
from vawg.accounts.demo import DEMO_ACCOUNTS, demo_accounts_exist, set_up_demo_accounts
from vawg.accounts.models import ProjectAssignment
from vawg.demo.setup import demo_login


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


def _names() -> list[str]:
    return [username for username, _ in DEMO_ACCOUNTS]


def test_an_existing_account_keeps_its_password_whatever_is_passed(world, tmp_path):
    model = get_user_model()
    own = model.objects.create_user(username="demo-board", password="chosen-by-the-board")
    created = set_up_demo_accounts(password="demo-password-for-tests", listing=tmp_path / "l")
    assert created == [name for name in _names() if name != "demo-board"]
    own.refresh_from_db()
    assert own.check_password("chosen-by-the-board")
    assert not own.check_password("demo-password-for-tests")
    assert model.objects.get(username="demo").check_password("demo-password-for-tests")


def test_a_fresh_data_directory_gets_one_password_for_every_account(db, settings):
    login = demo_login()
    stored = (settings.DATA_DIR / "demo-login.txt").read_text().strip()
    assert login.password == stored and len(stored) >= 16
    assert login.with_password == tuple(_names())
    assert login.kept == ()
    for name in _names():
        assert get_user_model().objects.get(username=name).check_password(stored)
    listing = settings.DATA_DIR / "demo-logins.txt"
    assert login.announcement(listing) == [
        f"Demo login: username demo, password {stored}",
        "Other roles (same password): demo-deputy, demo-admin, demo-lead, demo-analyst, "
        f"demo-board, demo-partner, demo-offender; see {listing}",
    ]
    # The next start reads the same password and changes nothing.
    again = demo_login()
    assert again.password == stored
    assert get_user_model().objects.get(username="demo").check_password(stored)


def test_restored_accounts_without_the_password_file_keep_their_passwords(db, settings):
    """A restore into a new data directory brings the accounts but not demo-login.txt."""
    model = get_user_model()
    for name in _names():
        model.objects.create_user(username=name, password=f"restored-{name}")
    login = demo_login()
    for name in _names():
        assert model.objects.get(username=name).check_password(f"restored-{name}")
    assert not (settings.DATA_DIR / "demo-login.txt").exists()
    assert (login.password, login.with_password, login.kept) == (None, (), tuple(_names()))
    listing = settings.DATA_DIR / "demo-logins.txt"
    [line, roles_line] = login.announcement(listing)
    assert line.startswith(f"Demo accounts {', '.join(_names())} were already here and keep ")
    assert "sign in with the passwords they had" in line
    assert roles_line == f"Roles of the demo accounts: {listing}"
    assert listing.read_text().splitlines()[0] == (
        "Demo accounts, each with its own password (restored or changed; none is in "
        "demo-login.txt):"
    )
    # And on the next start too: still nothing reset, still no password file.
    demo_login()
    assert model.objects.get(username="demo").check_password("restored-demo")
    assert not (settings.DATA_DIR / "demo-login.txt").exists()


def test_missing_accounts_beside_restored_ones_get_a_new_password_shown_once(db, settings):
    model = get_user_model()
    model.objects.create_user(username="demo", password="restored-demo")
    login = demo_login()
    assert model.objects.get(username="demo").check_password("restored-demo")
    assert login.kept == ("demo",)
    assert login.with_password == tuple(_names()[1:])
    for name in _names()[1:]:
        assert model.objects.get(username=name).check_password(login.password)
    lines = login.announcement(settings.DATA_DIR / "demo-logins.txt")
    assert lines[1] == (
        f"New demo accounts {', '.join(_names()[1:])}: password {login.password} (shown only now)"
    )
    assert not (settings.DATA_DIR / "demo-login.txt").exists()


def test_a_deleted_account_comes_back_with_the_demo_password_and_no_other_changes(db, settings):
    first = demo_login()
    model = get_user_model()
    changed = model.objects.get(username="demo-lead")
    changed.set_password("changed-by-the-lead")
    changed.save()
    model.objects.get(username="demo-board").delete()
    again = demo_login()
    assert again.password == first.password
    assert model.objects.get(username="demo-board").check_password(first.password)
    assert model.objects.get(username="demo-lead").check_password("changed-by-the-lead")
    assert model.objects.get(username="demo").check_password(first.password)


def test_an_administrators_changes_to_a_demo_account_survive_the_next_start(world, tmp_path):
    from vawg.governance.models import RoleAssignment

    listing = tmp_path / "logins.txt"
    set_up_demo_accounts(password="demo-password-for-tests", listing=listing)
    model = get_user_model()
    board = model.objects.get(username="demo-board")
    board.groups.clear()  # the administrator takes the role away
    RoleAssignment.objects.filter(user__username="demo").delete()
    ProjectAssignment.objects.filter(user__username="demo-lead").delete()

    assert set_up_demo_accounts(password="demo-password-for-tests", listing=listing) == []
    assert not model.objects.get(username="demo-board").groups.exists()
    assert not RoleAssignment.objects.filter(user__username="demo").exists()
    assert not ProjectAssignment.objects.filter(user__username="demo-lead").exists()
    # The untouched accounts are as they were.
    deputy = model.objects.get(username="demo-deputy")
    assert list(deputy.groups.values_list("name", flat=True)) == [roles.HEAD_OF_PVP]
    assert RoleAssignment.objects.filter(user=deputy).count() == 1
