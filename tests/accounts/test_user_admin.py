"""The user admin cannot be used to raise one's own rights: only superusers make superusers,
staff or single permissions; nobody changes their own roles; privileged roles (restricted
modules, account management) and accounts holding them are for superusers only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from vawg.accounts import roles
from vawg.accounts.admin import privileged_groups
from vawg.accounts.testing import sign_in

from .conftest import PASSWORD


def _change_url(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def _post(client, user, **overrides):
    """Post the change form of ``user`` as it stands, with ``overrides``."""
    user.refresh_from_db()
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "user_permissions": [],
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return client.post(_change_url(user), data)


def _group(name: str) -> str:
    return str(Group.objects.get(name=name).pk)


def _group_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password=PASSWORD)


def test_the_privileged_roles_are_the_administrator_and_the_offender_manager(users):
    assert set(privileged_groups().values_list("name", flat=True)) == {
        roles.ADMINISTRATOR,
        roles.OFFENDER_MANAGER,
    }


def test_an_administrator_cannot_make_themselves_superuser_or_change_their_roles(client, users):
    admin = users["administrator"]
    sign_in(client, admin)
    page = _post(
        client,
        admin,
        is_superuser="on",
        is_staff="on",
        groups=[_group(roles.ADMINISTRATOR), _group(roles.OFFENDER_MANAGER)],
        user_permissions=[str(Permission.objects.get(codename="view_restricted").pk)],
        first_name="Alex",
    )
    assert page.status_code == 302  # the rest of the form is saved...
    admin.refresh_from_db()
    assert admin.first_name == "Alex"
    # ...but none of the rights.
    assert admin.is_superuser is False
    assert _group_names(admin) == {roles.ADMINISTRATOR}
    assert not admin.user_permissions.exists()
    assert not admin.has_perm(roles.VIEW_RESTRICTED)


def test_an_administrator_gives_ordinary_roles_but_not_privileged_ones(client, users):
    sign_in(client, users["administrator"])
    board = users["board_member"]

    refused = _post(
        client, board, groups=[_group(roles.BOARD_MEMBER), _group(roles.OFFENDER_MANAGER)]
    )
    assert refused.status_code == 200
    assert "not one of the available choices" in refused.content.decode()
    assert _group_names(board) == {roles.BOARD_MEMBER}

    refused = _post(client, board, groups=[_group(roles.ADMINISTRATOR)])
    assert refused.status_code == 200
    assert _group_names(board) == {roles.BOARD_MEMBER}

    granted = _post(client, board, groups=[_group(roles.BOARD_MEMBER), _group(roles.HEAD_OF_PVP)])
    assert granted.status_code == 302
    assert _group_names(board) == {roles.BOARD_MEMBER, roles.HEAD_OF_PVP}


def test_an_administrator_cannot_make_anyone_superuser_staff_or_give_single_permissions(
    client, users
):
    sign_in(client, users["administrator"])
    board = users["board_member"]
    page = _post(
        client,
        board,
        is_superuser="on",
        is_staff="on",
        user_permissions=[str(Permission.objects.get(codename="view_restricted").pk)],
    )
    assert page.status_code == 302
    board.refresh_from_db()
    assert (board.is_superuser, board.is_staff) == (False, False)
    assert not board.user_permissions.exists()


@pytest.mark.parametrize("target", ["offender_manager", "superuser", "other_admin"])
def test_an_administrator_cannot_change_a_privileged_account_or_its_password(
    client, users, superuser, target
):
    accounts = dict(users, superuser=superuser)
    if target == "other_admin":
        other = get_user_model().objects.create_user("admin-two", password=PASSWORD)
        roles.assign_role(other, roles.ADMINISTRATOR)
        accounts["other_admin"] = other
    victim = accounts[target]
    sign_in(client, users["administrator"])

    assert client.get(_change_url(victim)).status_code == 200  # may read it...
    assert _post(client, victim, groups=[], first_name="X").status_code == 403  # ...not change it
    victim.refresh_from_db()
    assert victim.first_name == ""
    password_url = reverse("admin:auth_user_password_change", args=[victim.pk])
    assert client.get(password_url).status_code == 403
    taken = client.post(
        password_url, {"password1": "a-new-pass-1234", "password2": "a-new-pass-1234"}
    )
    assert taken.status_code == 403
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)


def test_a_superuser_grants_privileged_roles_and_superuser_but_not_to_themselves(
    client, users, superuser
):
    sign_in(client, superuser)
    board = users["board_member"]
    page = _post(client, board, is_superuser="on", groups=[_group(roles.OFFENDER_MANAGER)])
    assert page.status_code == 302
    board.refresh_from_db()
    assert board.is_superuser is True
    assert _group_names(board) == {roles.OFFENDER_MANAGER}

    # Own account: the flags and roles stay as they are, superuser or not.
    _post(client, superuser, groups=[_group(roles.PARTNER)])  # is_superuser, is_active omitted
    superuser.refresh_from_db()
    assert (superuser.is_superuser, superuser.is_active) == (True, True)
    assert _group_names(superuser) == set()


def test_role_changes_made_in_the_admin_are_in_the_trail(client, users):
    from vawg.audit.models import AuditEvent

    sign_in(client, users["administrator"])
    board = users["board_member"]
    _post(client, board, groups=[_group(roles.BOARD_MEMBER), _group(roles.HEAD_OF_PVP)])
    event = AuditEvent.objects.filter(
        model="user", object_pk=str(board.pk), changes__has_key="groups"
    ).latest("id")
    assert event.actor == users["administrator"]
    assert event.changes == {"groups": {"added": [Group.objects.get(name=roles.HEAD_OF_PVP).pk]}}
