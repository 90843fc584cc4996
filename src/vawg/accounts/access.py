"""Access rules: which permission a page needs, and which objects a person may change.

Every view of the tracker carries an :func:`access` rule, checked in the view itself;
``AccessPolicyMiddleware`` refuses any signed-in request to a view that has none, so a new
page is closed until someone decides who may use it. Rules say *which* pages; the functions
below say *which objects* (a project lead's own projects, a partner's published months).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from vawg.accounts import roles
from vawg.accounts.models import ProjectAssignment
from vawg.metrics.models import ReckonerPublication
from vawg.strategy.models import ImprovementProject, ReviewState, Update


@dataclass(frozen=True)
class Rule:
    """A page's rule: the signed-in user needs one of ``any_of`` (none listed: any user)."""

    name: str
    any_of: tuple[str, ...] = ()

    def allows(self, user) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        return not self.any_of or any(user.has_perm(perm) for perm in self.any_of)


SIGNED_IN = Rule("any signed-in user")
READ = Rule("readers, partners included", (roles.VIEW_TRACKER, roles.VIEW_PUBLISHED))
READ_ALL = Rule("readers of the whole tracker", (roles.VIEW_TRACKER,))
WRITE_RESPONSES = Rule(
    "writers of responses", (roles.CHANGE_ANY_RESPONSE, roles.CHANGE_OWN_PROJECTS)
)
APPROVE = Rule("approvers of updates", (roles.APPROVE_UPDATE,))
PUBLISH = Rule("publishers of the ready reckoner", (roles.PUBLISH_RECKONER,))
RESTRICTED = Rule("users of restricted modules", (roles.VIEW_RESTRICTED,))

#: Rules for the pages of apps whose views do not carry :func:`access`, by URL name.
URL_RULES: dict[str, Rule] = {
    "governance": READ_ALL,
    "governance-owed": READ_ALL,
    "governance-owed-mine": READ_ALL,
    "governance-acknowledge": READ_ALL,
}


def access(rule: Rule) -> Callable:
    """Decorate a view: refuse (403) a signed-in user the rule does not allow.

    Not for restricted views: those use :func:`vawg.accounts.restricted.restricted`, which
    also asks for a purpose and logs every view and export.
    """
    if rule is RESTRICTED:
        raise TypeError("A restricted view uses vawg.accounts.restricted.restricted, not access()")

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rule.allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.vawg_access = rule
        return wrapped

    return decorate


def rule_for(view: Callable, url_name: str | None) -> Rule | None:
    """The rule of a view: its own, else the one listed for its URL name, else None."""
    rule = getattr(view, "vawg_access", None)
    if rule is None:
        rule = getattr(getattr(view, "view_class", None), "vawg_access", None)
    if rule is None and url_name:
        rule = URL_RULES.get(url_name)
    return rule


def reads_everything(user) -> bool:
    """Whether ``user`` reads the whole tracker; if not, only the published subset."""
    return user.has_perm(roles.VIEW_TRACKER)


def published_months(force) -> list[str]:
    """The force's published ready reckoner months, oldest first."""
    return list(
        ReckonerPublication.objects.filter(force=force)
        .order_by("month")
        .values_list("month", flat=True)
    )


def assigned_projects(user):
    """The improvement projects ``user`` is assigned to lead."""
    return ImprovementProject.objects.filter(assignments__user=user)


def can_change_response(user, response) -> bool:
    """Whether ``user`` may change ``response`` and add updates to it.

    Anyone with ``change_any_response``; a project lead only for an action linked to a
    project of the response's force that they are assigned to.
    """
    if response is None or not getattr(user, "is_authenticated", False):
        return False
    if user.has_perm(roles.CHANGE_ANY_RESPONSE):
        return True
    if not user.has_perm(roles.CHANGE_OWN_PROJECTS):
        return False
    return ProjectAssignment.objects.filter(
        user=user,
        project__actions=response.action_id,
        project__strategy__force=response.force_id,
    ).exists()


def can_change_project(user, project) -> bool:
    """Whether ``user`` may change ``project``'s milestones (and its actions' responses)."""
    if user.has_perm(roles.CHANGE_ANY_RESPONSE):
        return True
    return (
        user.has_perm(roles.CHANGE_OWN_PROJECTS)
        and ProjectAssignment.objects.filter(user=user, project=project).exists()
    )


def can_approve(user, update: Update) -> bool:
    """Whether ``user`` may approve ``update``: an approver, not its author, still submitted."""
    return (
        user.has_perm(roles.APPROVE_UPDATE)
        and update.review_state == ReviewState.SUBMITTED
        and (update.author_id is None or update.author_id != user.pk)
    )


def visible_updates(user, updates):
    """The updates ``user`` may read: all for readers of the tracker, approved for partners."""
    if reads_everything(user):
        return list(updates)
    return [u for u in updates if u.review_state == ReviewState.APPROVED]
