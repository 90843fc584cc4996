"""Governance pages: the meeting calendar, what's owed (all, or mine), acknowledging updates.

Views only parse the request, call the selectors and services and render; the rules live in
``selectors`` and ``services``. Every page reads without JavaScript; the one change
(acknowledging an update) is a plain form POST that redirects back on success.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from vawg.governance.calendar import london_date
from vawg.governance.selectors import (
    board_calendar,
    owed_by_role,
    owner_roles,
    returns_due,
    roles_for,
    updates_for_review,
)
from vawg.governance.services import AcknowledgementError, acknowledge_update
from vawg.strategy.models import ReviewState, Update
from vawg.web.views.common import current_force

logger = logging.getLogger(__name__)

#: How far back the "updates to acknowledge" list reaches: one quarter, the longest cadence
#: most boards keep, so every update a quarterly board will see is listed.
REVIEW_WINDOW_DAYS = 92


def _now() -> dt.datetime:
    """The present instant; one seam so tests can fix the clock for these pages only."""
    return timezone.now()


@require_GET
def calendar_page(request):
    """Each board's meetings over the next three months, its chair and its reporting line."""
    force = current_force(request)
    now = _now()
    today = london_date(now)
    return render(
        request,
        "governance/calendar.html",
        {
            "force": force,
            "today": today,
            "calendars": board_calendar(force, today=today),
            "returns": returns_due(force, now=now),
        },
    )


@dataclass(frozen=True)
class ReviewRow:
    """One update to show for review, and what the signed-in user may do with it."""

    update: Update
    own: bool
    acknowledged_by_me: bool

    @property
    def awaiting_approval(self) -> bool:
        return self.update.review_state != ReviewState.APPROVED

    @property
    def can_acknowledge(self) -> bool:
        return not self.own and not self.acknowledged_by_me and not self.awaiting_approval


def _review_rows(request, updates: list[Update]) -> list[ReviewRow]:
    user_id = request.user.pk
    return [
        ReviewRow(
            update=update,
            own=update.author_id is not None and update.author_id == user_id,
            acknowledged_by_me=any(a.reviewer_id == user_id for a in update.acknowledgements.all()),
        )
        for update in updates
    ]


def _render_owed(request, *, mine: bool, errors=(), status: int = 200):
    force = current_force(request)
    now = _now()
    today = london_date(now)
    all_roles = owner_roles(force)
    selected = ""
    if mine:
        roles: list[str] | None = roles_for(request.user)
    else:
        selected = request.GET.get("role", "").strip()
        roles = [selected] if selected else None
    groups = owed_by_role(force, now=now, owner_roles=roles)
    reviews = updates_for_review(
        force, since=today - dt.timedelta(days=REVIEW_WINDOW_DAYS), owner_roles=roles
    )
    page_url = reverse("governance-owed-mine" if mine else "governance-owed")
    if selected:
        page_url += "?" + request.GET.urlencode()
    return render(
        request,
        "governance/owed.html",
        {
            "force": force,
            "today": today,
            "mine": mine,
            "my_roles": roles if mine else [],
            "all_roles": all_roles,
            "selected_role": selected,
            "groups": groups,
            "owed_count": sum(len(group.items) for group in groups),
            "overdue_count": sum(group.overdue_count for group in groups),
            "reviews": _review_rows(request, reviews),
            "review_since": today - dt.timedelta(days=REVIEW_WINDOW_DAYS),
            "page_url": page_url,
            "errors": list(errors),
        },
        status=status,
    )


@require_GET
def owed_page(request):
    """Every update owed, grouped by owner role; ``?role=`` shows one role."""
    return _render_owed(request, mine=False)


@require_GET
def owed_mine_page(request):
    """The updates owed by the signed-in user's owner roles."""
    return _render_owed(request, mine=True)


def _safe_next(request) -> str:
    """Where to go back to: the form's page if it is one of ours, else the owed page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("governance-owed")


@require_POST
def acknowledge(request, pk: int):
    """Record the signed-in user's acknowledgement of an update, then go back (PRG)."""
    force = current_force(request)
    update = get_object_or_404(
        Update.objects.select_related("response__action"), pk=pk, response__force=force
    )
    target = _safe_next(request)
    try:
        _, created = acknowledge_update(
            update=update, reviewer=request.user, comment=request.POST.get("comment", "")
        )
    except AcknowledgementError as error:
        logger.info("acknowledgement of update %d refused: %s", update.pk, error)
        mine = target.split("?")[0] == reverse("governance-owed-mine")
        return _render_owed(
            request, mine=mine, errors=[(f"update-{update.pk}", str(error))], status=400
        )
    number = update.response.action.number
    if created:
        # Day without a leading zero, spelt out portably (strftime's %-d is glibc-only).
        when = f"{update.as_at.day} {update.as_at:%B %Y}"
        messages.success(request, f"You acknowledged the update of {when} on action {number}.")
    else:
        messages.success(request, f"You had already acknowledged this update on action {number}.")
    return redirect(f"{target}#update-{update.pk}")
