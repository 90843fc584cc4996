"""The demo's accounts: one per role, all with the demo password (see ``vawg.demo.setup``).

``demo`` is the Head of Protecting Vulnerable People, who needs no second factor. The
administrator and the offender manager set up an authenticator app at their first sign-in.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model

from vawg.accounts import roles
from vawg.accounts.models import ProjectAssignment
from vawg.governance.models import RoleAssignment
from vawg.strategy.models import ImprovementProject

#: The improvement project the demo project lead is assigned to.
DEMO_LEAD_PROJECT = "kaizen"

#: The owner role (as on the demo responses) the two Head of PVP accounts hold.
HEAD_OF_PVP_OWNER_ROLE = "Head of Protecting Vulnerable People"

#: ``(username, role)`` of every demo account.
DEMO_ACCOUNTS: tuple[tuple[str, str], ...] = (
    ("demo", roles.HEAD_OF_PVP),
    # A second sign-off holder: an approver never approves their own update.
    ("demo-deputy", roles.HEAD_OF_PVP),
    ("demo-admin", roles.ADMINISTRATOR),
    ("demo-lead", roles.PROJECT_LEAD),
    ("demo-analyst", roles.ANALYST),
    ("demo-board", roles.BOARD_MEMBER),
    ("demo-partner", roles.PARTNER),
    ("demo-offender", roles.OFFENDER_MANAGER),
)


def demo_accounts_exist() -> bool:
    return len(existing_demo_accounts()) == len(DEMO_ACCOUNTS)


def existing_demo_accounts() -> list[str]:
    """The usernames of the demo accounts this installation already holds."""
    names = [username for username, _ in DEMO_ACCOUNTS]
    found = set(
        get_user_model().objects.filter(username__in=names).values_list("username", flat=True)
    )
    return [name for name in names if name in found]


def set_up_demo_accounts(
    *, password: str | None, listing: Path, listing_note: str = ""
) -> list[str]:
    """Create the missing demo accounts with ``password``, each in its role.

    Returns the usernames created. An account that already exists is left exactly as it is,
    always: its password may be one a person chose or one restored from a backup, and its
    roles and assignments what an administrator made them (a removed role stays removed).
    ``password`` None gives new accounts an unusable password. Safe to run on every start.
    ``listing`` receives the usernames and roles (no password), readable by its owner only;
    ``listing_note`` replaces its first line's note on the password.
    """
    user_model = get_user_model()
    created_names: list[str] = []
    project = ImprovementProject.objects.filter(code=DEMO_LEAD_PROJECT).first()
    for username, role in DEMO_ACCOUNTS:
        user, created = user_model.objects.get_or_create(username=username)
        if not created:
            continue
        user.set_password(password)
        user.save()
        created_names.append(username)
        roles.assign_role(user, role)
        # Owner roles, so "what's owed, mine" lists what each demo person owes.
        if role == roles.HEAD_OF_PVP:
            RoleAssignment.objects.get_or_create(user=user, owner_role=HEAD_OF_PVP_OWNER_ROLE)
        if role == roles.PROJECT_LEAD and project is not None:
            ProjectAssignment.objects.get_or_create(user=user, project=project)
            # The project lead owns the responses the strategy gives its project's lead role.
            RoleAssignment.objects.get_or_create(user=user, owner_role=project.lead_role)

    lines = [f"Demo accounts, {listing_note or 'all with the demo password (demo-login.txt)'}:"]
    for username, role in DEMO_ACCOUNTS:
        note = ""
        if role in roles.TWO_FACTOR_ROLES:
            note = " (sets up two-factor authentication at first sign-in)"
        elif role == roles.PROJECT_LEAD:
            note = f" (leads project {DEMO_LEAD_PROJECT})"
        lines.append(f"  {username:<14} {role}{note}")
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    listing.chmod(0o600)
    return created_names
