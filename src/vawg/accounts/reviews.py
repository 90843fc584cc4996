"""Signing off updates: the Head of PVP approves a submitted update without touching its text."""

from __future__ import annotations

import logging

from django.db import transaction

from vawg.accounts.access import can_approve
from vawg.accounts.models import UpdateApproval
from vawg.errors import VawgError
from vawg.strategy.models import ReviewState, Update

logger = logging.getLogger(__name__)


class ApprovalError(VawgError):
    """An update that cannot be approved (by this person, or in its state)."""


def approve_update(*, update: Update, user) -> Update:
    """Mark a submitted ``update`` approved by ``user`` and record who and when.

    Refused with ApprovalError for a draft or an already approved update, for the update's
    own author (sign-off needs a second person) and for anyone without ``approve_update``.
    """
    with transaction.atomic():
        current = Update.objects.select_for_update().get(pk=update.pk)
        if current.review_state == ReviewState.APPROVED:
            raise ApprovalError("This update has already been approved.")
        if current.review_state != ReviewState.SUBMITTED:
            raise ApprovalError("Only a submitted update can be approved; this one is a draft.")
        if not can_approve(user, current):
            raise ApprovalError("You cannot approve this update: sign-off needs another person.")
        current.review_state = ReviewState.APPROVED
        # save(), not a queryset update, so the audit trail's signals see the change.
        current.save(update_fields=["review_state"])
        UpdateApproval.objects.create(update=current, approved_by=user)
    logger.info("update %s approved", current.pk)
    return current
