"""The roles exist as groups with the permissions ``vawg.accounts.roles`` describes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from vawg.accounts import roles

pytestmark = pytest.mark.django_db


def test_the_migration_made_every_role_with_exactly_its_permissions():
    for role, expected in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == set(expected), role


def test_offender_manager_holds_view_restricted_and_partner_reads_published_only():
    model = get_user_model()
    offender = model.objects.create_user("om")
    roles.assign_role(offender, roles.OFFENDER_MANAGER)
    partner = model.objects.create_user("partner")
    roles.assign_role(partner, roles.PARTNER)
    assert offender.has_perm(roles.VIEW_RESTRICTED)
    assert partner.has_perm(roles.VIEW_PUBLISHED)
    assert not partner.has_perm(roles.VIEW_TRACKER)
    assert not partner.has_perm(roles.VIEW_RESTRICTED)


@pytest.mark.parametrize(
    ("role", "needs"),
    [
        (roles.ADMINISTRATOR, True),
        (roles.OFFENDER_MANAGER, True),
        (roles.HEAD_OF_PVP, False),
        (roles.PROJECT_LEAD, False),
        (roles.ANALYST, False),
        (roles.BOARD_MEMBER, False),
        (roles.PARTNER, False),
    ],
)
def test_second_factor_is_required_for_administrators_and_restricted_roles(role, needs):
    user = get_user_model().objects.create_user("someone")
    roles.assign_role(user, role)
    assert roles.requires_two_factor(user) is needs


def test_superusers_need_a_second_factor_and_administrators_are_staff():
    model = get_user_model()
    assert roles.requires_two_factor(model.objects.create_superuser("root"))
    admin = model.objects.create_user("admin")
    roles.assign_role(admin, roles.ADMINISTRATOR)
    assert admin.is_staff


def test_an_unknown_role_is_refused():
    user = get_user_model().objects.create_user("someone")
    with pytest.raises(ValueError, match="Unknown role"):
        roles.assign_role(user, "Chief Constable")
